import weakref, sys, gc

class T:
    pass

t = T()
print(sys.getrefcount(t))
r = weakref.ref(t)
print(sys.getrefcount(t), sys.getrefcount(r))
def cb(w):
    pass
print(sys.getrefcount(cb))
r2 = weakref.ref(t, cb)
print(sys.getrefcount(cb), sys.getrefcount(r2))
p = weakref.proxy(t)
print(sys.getrefcount(t), sys.getrefcount(p))
d = weakref.WeakValueDictionary()
d["t"] = t
print(sys.getrefcount(t), sys.getrefcount(d))
k = weakref.WeakKeyDictionary()
k[t] = 1
print(sys.getrefcount(t), len(k.data))
s = weakref.WeakSet([t])
print(sys.getrefcount(t))
x = d["t"]
print(sys.getrefcount(t))
del x
del r2
print(sys.getrefcount(cb))
print(gc.is_tracked(r), gc.is_tracked(p), sys.getsizeof(r), sys.getsizeof(p))
print(gc.get_referents(r) == [], gc.get_referents(weakref.ref(t, cb)) == [cb])

class MyRef(weakref.ref):
    def __new__(cls, ob, callback=None, tag=None):
        return super().__new__(cls, ob, callback)
    def __init__(self, ob, callback=None, tag=None):
        super().__init__(ob, callback)
        self.tag = tag
mr = MyRef(t, None, "hello")
print(type(mr).__name__, mr() is t, mr.tag, mr is weakref.ref(t), weakref.getweakrefcount(t))
print(isinstance(mr, weakref.ref), weakref.getweakrefs(t)[0] is r)
mr2 = MyRef(t)
print(mr2 is mr, mr2 == mr, hash(mr2) == hash(t))
del t
print(r(), mr(), len(d), len(k), len(s))
