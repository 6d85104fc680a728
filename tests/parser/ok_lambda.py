a = lambda: 0
b = lambda x: x
c = lambda x, y: x + y
d = lambda x=1: x
e = lambda *args: args
f = lambda **kw: kw
g = lambda x, /, y, *, z: 0
h = lambda x, *a, y=1, **k: 0
i = lambda *, x: x
j = lambda: lambda: lambda x: x
k = lambda x: x if x else lambda: 0
l = (lambda: 1)()
m = lambda x=lambda: 1: x
n = lambda a, b=2, *c, d, e=5, **f: 0
o = lambda x,: x
