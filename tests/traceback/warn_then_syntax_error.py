# Warnings found before a SyntaxError the compiler raises are printed; later ones are not.
x = 1
print(x is 1)


def f():
    return x is 2


for i in range(2):
    pass
else:
    y = x is 3
break
z = x is 4
