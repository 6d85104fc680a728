# Weakrefs and the collector: in a cycle, every weakref to the garbage is cleared and its
# callback run before any __del__ (corpus README 15, 16); a weakref that is garbage itself
# never calls back; a callback may free the weakref.
import gc
import weakref

class Obj:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("__del__", self.name, "weakref alive:", refs[self.name]() is not None)

def callback_for(name):
    def cb(wr):
        print("callback", name, wr() is None)
    return cb

refs = {}
gc.collect()
a, b = Obj("a"), Obj("b")
a.other, b.other = b, a
refs["a"] = weakref.ref(a, callback_for("a"))
refs["b"] = weakref.ref(b, callback_for("b"))
del a, b
print("cycle:", gc.collect())

c = Obj("c")
refs["c"] = weakref.ref(c, callback_for("c"))
del c
print("refcount death done")

d = Obj("d")
d.me = d
first = weakref.ref(d, callback_for("d first"))
second = weakref.ref(d, callback_for("d second"))
refs["d"] = weakref.ref(d)
del d
print("newest first:", gc.collect())

class Holder:
    pass
e = Holder()
e.me = e
e.wr = weakref.ref(e, lambda wr: print("never called"))
del e
print("weakref in the garbage:", gc.collect())

store = {}
f = Holder()
f.me = f
store["wr"] = weakref.ref(f, lambda wr: store.clear())
del f
print("callback drops its weakref:", gc.collect(), store)
