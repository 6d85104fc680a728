import weakref, gc

class A:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print("del", self.n, "refs say", [r() is not None for r in watch])

watch = []
a = A(1)
watch.append(weakref.ref(a))
watch.append(weakref.ref(a, lambda w: print("cb old", w() is None)))
watch.append(weakref.ref(a, lambda w: print("cb new", w() is None)))
p = weakref.proxy(a, lambda w: print("cb proxy"))
print("death by refcount")
del a
print("after", [r() for r in watch])

print("death in a cycle")
watch = []
b = A(2)
b.me = b
watch.append(weakref.ref(b, lambda w: print("cb cycle", w() is None)))
watch.append(weakref.ref(b))
del b
print("collected", gc.collect())

print("weakref inside the garbage")
class B:
    pass
c = B()
c.me = c
c.wr = weakref.ref(c, lambda w: print("never called"))
del c
print("collected", gc.collect())

print("callback frees its own weakref")
holder = {}
d = B()
d.me = d
holder["w"] = weakref.ref(d, lambda w: print("popped", holder.pop("w") is w))
del d
print("collected", gc.collect(), holder)

print("callback raising")
def bad(w):
    raise ValueError("boom")
e = B()
re = weakref.ref(e, bad)
del e
print("still running", re())

print("resurrecting __del__")
saved = []
class R:
    def __del__(self):
        saved.append(self)
r = R()
rr = weakref.ref(r, lambda w: print("cb R"))
del r
print(rr() is saved[0], len(saved))
saved.clear()
print(rr())

print("ordering among several objects")
objs = [B() for i in range(3)]
refs = [weakref.ref(o, lambda w, i=i: print("cb", i)) for i, o in enumerate(objs)]
del objs
print("done")
