a = b[c:d, e]
f(a)(b)[c].d
g = -a ** -b
h = (yield) if 0 else 0
i = not a < b
j = [*a, *b][0]
k = {**a}.keys()
l = lambda: (yield)
m = a if b else c if d else e
n = a.b.c.d(e).f[g:h:i]
