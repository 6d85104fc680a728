x = a if b else c
print(1, 2, sep='')
x = [1, 2][0]
y = {'a': 1}['a']
z = 'abc'[1:]
x = a.b.c()
x = 1 if True else 2
x = not a or b and not c
x = a is None
x = a is not None
x = type(a) == int
