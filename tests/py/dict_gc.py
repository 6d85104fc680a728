# GC tracking of dicts, gc.get_referents order, teardown order, refcounts.
import gc
import sys

print("new", gc.is_tracked({}), gc.is_tracked(dict()), gc.is_tracked({1: 2}), gc.is_tracked({"a": "b"}))
print("containers", gc.is_tracked({1: []}), gc.is_tracked({(1, 2): 3}), gc.is_tracked({1: (1, [])}),
      gc.is_tracked({1: {}}), gc.is_tracked({1: int}), gc.is_tracked({1: None}), gc.is_tracked({1: 1.5}))
d = {}
d["x"] = 1
print("atomic", gc.is_tracked(d))
d["y"] = []
print("list added", gc.is_tracked(d))
del d["y"]
print("list removed", gc.is_tracked(d))
gc.collect()
print("after collect", gc.is_tracked(d))
t = {"a": (1, 2)}
print("tuple value", gc.is_tracked(t))
e = {1: [1]}
c = e.copy()
print("copy keeps tracking", gc.is_tracked(c), gc.is_tracked({1: 1}.copy()))
f = {}
f.update(e)
print("update from tracked", gc.is_tracked(f))
f = {}
f.setdefault(1, [])
print("setdefault", gc.is_tracked(f))
class C:
    pass
print("instance value", gc.is_tracked({1: C()}), gc.is_tracked({1: C}))
class D(dict):
    pass
print("subclass", gc.is_tracked(D()))

# get_referents: str-key tables report values only; others value then key.
a, b = [1], [2]
print(gc.get_referents({"k1": a, "k2": b}) == [a, b])
k1, k2 = int("1001"), int("1002")
r = gc.get_referents({k1: a, k2: b})
print([x is y for x, y in zip(r, [a, k1, b, k2])], len(r))
r = gc.get_referents({1: "x", "s": 2})
print(r)

# Teardown releases entries in insertion order, key before value.
class V:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("del", self.name)
    def __hash__(self):
        return hash(self.name)
    def __eq__(self, other):
        return self is other
g = {V("k1"): V("v1"), V("k2"): V("v2")}
g[V("k3")] = V("v3")
del g
print("--")
h = {"a": V("a"), "b": V("b"), "c": V("c")}
del h["b"]
print("--")
h.clear()
print("--")
i = {V("x"): V("y")}
i.popitem()
print("--")

# Reference counts.
val = object()
key = "some key"
base = sys.getrefcount(val)
m = {key: val}
print("refs", sys.getrefcount(val) - base)
n = m.copy()
print("refs after copy", sys.getrefcount(val) - base)
del m, n
print("refs after del", sys.getrefcount(val) - base)
o = dict.fromkeys(range(5), val)
print("fromkeys refs", sys.getrefcount(val) - base)
del o
items = {1: val}.items()
print("view refs", sys.getrefcount(val) - base)
del items
it = iter({1: val}.items())
pair = next(it)
print("item pair", pair[1] is val, sys.getrefcount(val) - base)
del it, pair
print("end", sys.getrefcount(val) - base)
