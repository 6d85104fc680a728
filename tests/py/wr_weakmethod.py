import weakref, gc

class C:
    def __init__(self, n):
        self.n = n
    def m(self, k):
        return self.n * k

c = C(3)
r = weakref.ref(c.m)
print(r())
wm = weakref.WeakMethod(c.m)
print(type(wm).__name__, isinstance(wm, weakref.ref), wm()(5), wm() == c.m)
print(wm == weakref.WeakMethod(c.m), wm != weakref.WeakMethod(c.m), hash(wm) == hash(weakref.WeakMethod(c.m)))
try:
    weakref.WeakMethod(len)
except TypeError as e:
    print("TypeError:", e)
log = []
wm2 = weakref.WeakMethod(c.m, lambda w: log.append(w is wm2))
print(weakref.getweakrefcount(c))
del c
print(wm(), wm2(), log, wm == wm2, wm == wm)

class D:
    def f(self):
        return "f"
d = D()
wmd = weakref.WeakMethod(d.f)
del D.f
gc.collect()
print(wmd())
