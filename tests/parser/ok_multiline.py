x = [
    1,
    2,
]
y = {
    'a': 1,
    'b': 2,
}
z = foo(a,
        b,
        c)
w = 1 + \
    2
if a and \
   b:
    pass
s = '''a
b
c'''
def f(a,
      b):
    return (a +
            b)
