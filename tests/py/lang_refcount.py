import sys
a = []
print(sys.getrefcount(a))
b = a
print(sys.getrefcount(a))
c = [a, a]
print(sys.getrefcount(a))
def f(x):
    return sys.getrefcount(x)
print(f(a), f([]))
class C:
    def m(self):
        return sys.getrefcount(self)
o = C()
print(o.m())
bm = o.m
print(bm())
d = {"k": a}
print(sys.getrefcount(a))
del c
print(sys.getrefcount(a))
t = (a,)
print(sys.getrefcount(a), sys.getrefcount(t))
for item in [a]:
    print(sys.getrefcount(item))
print(sys.getrefcount(a))
x = 70000
def g():
    return 70000
print(g() is x, int("70000") is x)
