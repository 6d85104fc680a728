import weakref, gc

class Obj:
    def __init__(self, name):
        self.name = name
    def __repr__(self):
        return "Obj(" + self.name + ")"

d = weakref.WeakValueDictionary()
a, b, c = Obj("a"), Obj("b"), Obj("c")
d["a"] = a
d["b"] = b
d[3] = c
print(len(d), d["a"], "a" in d, "z" in d, d.get("b"), d.get("z"), d.get("z", 0))
print(sorted(d.keys(), key=str), sorted(d.values(), key=repr), sorted(d.items(), key=str))
print([k for k in d], list(d.items()))
print(repr(d).startswith("<WeakValueDictionary at 0x"))
del b
print(len(d), list(d.keys()), "b" in d, d.get("b"))
try:
    d["b"]
except KeyError as e:
    print("KeyError:", e)
print(d.pop("a"), len(d), d.pop("a", "gone"))
try:
    d.pop("a")
except KeyError as e:
    print("KeyError:", e)
print(d.setdefault(3, a), d.setdefault(4, a), d[4])
del d[4]
print(list(d))
d.update({"x": a, "y": c}, z=c)
print(sorted(d, key=str))
e = d.copy()
print(type(e).__name__, sorted(e, key=str), e == d, d == {3: c, "x": a, "y": c, "z": c})
vr = d.valuerefs()
print(len(vr), type(vr[0]).__name__, vr[0].key, isinstance(vr[0], weakref.ref))
del vr
print(d.popitem() in [(3, c), ("x", a), ("y", c), ("z", c)], len(d))
it = d.items()
first = next(it)
del c
print(len(d), first[0] in ("x", "y", "z", 3))
del first, it
print(sorted(d, key=str))
d.clear()
print(len(d), list(d))
try:
    hash(d)
except TypeError as e:
    print("TypeError:", e)

print("cycle")
class Node:
    pass
cache = weakref.WeakValueDictionary()
n = Node()
n.me = n
cache["n"] = n
del n
print(len(cache), gc.collect(), len(cache))
w2 = weakref.WeakValueDictionary({1: a}, two=a)
print(sorted(w2.items(), key=str))
