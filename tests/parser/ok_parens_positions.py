x = (a) + b
y = a + (b)
z = (a).b
w = (f)(x)
v = (a
     + b)
u = (
    a,
    b
)
t = ((a, b),)
s = (a)[0]
r = -(a)
q = not (a)
p = (a) if (b) else (c)
