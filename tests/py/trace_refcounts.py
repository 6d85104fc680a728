import sys
a = []
b = [a, a]
print("a", sys.getrefcount(a))
c = {"k": a}
print("a", sys.getrefcount(a))
del b
print("a", sys.getrefcount(a))
def f(x):
    y = x
    print("x", sys.getrefcount(x))
    return [y]
d = f(a)
print("d", sys.getrefcount(d))
class K:
    pass
k = K()
k.me = k
print("k", sys.getrefcount(k))
t = (k, d)
print("k", sys.getrefcount(k))
for i in range(2):
    e = [k] * (i + 1)
    print("k", sys.getrefcount(k))
del k, t, e
print("a", sys.getrefcount(a))
