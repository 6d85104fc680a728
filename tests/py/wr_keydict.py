import weakref

class K:
    def __init__(self, n):
        self.n = n
    def __repr__(self):
        return "K%d" % self.n

d = weakref.WeakKeyDictionary()
k1, k2, k3 = K(1), K(2), K(3)
d[k1] = "one"
d[k2] = [2]
d[k3] = 3
print(len(d), d[k1], k2 in d, 5 in d, d.get(k3), d.get(K(9), "no"))
print(list(d.keys()), list(d.values()), list(d.items()))
print(repr(d).startswith("<WeakKeyDictionary at 0x"))
d[k2].append(22)
print(d[k2])
del k2
print(len(d), list(d))
try:
    d[K(7)]
except KeyError as e:
    print("KeyError", type(e.args[0]).__name__)
print(d.pop(k1), len(d), d.pop(k1, "gone"))
print(d.setdefault(k3, "x"), d.setdefault(k1, "new"), d[k1])
del d[k1]
print(list(d.items()))
d.update({k1: 1}, )
d.update([(K(5), 5)])
print(len(d))
e = d.copy()
print(type(e).__name__, list(e.items()), e == d)
it = d.keys()
first = next(it)
del k1
print(len(d), first)
del first, it
print(len(d), list(d))
refs = d.keyrefs()
print(len(refs), refs[0]() is k3)
print(d.popitem(), len(d))
d[k3] = 1
d.clear()
print(len(d))
try:
    d[1] = 2
except TypeError as e:
    print("TypeError:", e)
