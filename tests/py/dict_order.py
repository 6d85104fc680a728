# Insertion order survives deletes, reinsertion, resizes, popitem and updates.
d = {}
for k in ["b", "a", "d", "c"]:
    d[k] = len(d)
print(d, list(d), list(d.values()), list(d.items()))
del d["a"]
d["a"] = 9
print(d)
d["b"] = 100          # replacing keeps the position
print(d)
for i in range(20):
    d[i] = i
for i in range(0, 20, 3):
    del d[i]
print(d)
print(d.popitem(), d.popitem())
print(list(reversed(d)))
print(list(reversed(d.keys()))[:3], list(reversed(d.values()))[:3], list(reversed(d.items()))[:2])
e = {3: "c", 1: "a"}
e.update({2: "b", 3: "C"})
print(e)
e |= [(0, "z")]
print(e)
print({**e, 1: "A", 5: "e"})
print(dict.fromkeys([5, 3, 5, 1], 0))
print({k: k * 2 for k in (4, 2, 9)})
s = {}
s.setdefault("x", []).append(1)
s.setdefault("x", []).append(2)
s.setdefault("y", 0)
print(s)
print(d.pop(1), d.pop(999, "missing"), d.get(2), d.get(999), d.get(999, "dflt"))
x = {1: 1, 2: 2}
y = {2: 2, 1: 1}
print(x == y, x != y, x == {1: 1}, {1: [1]} == {1: [1]}, {1: 1} == {1: 1.0}, {} == {})
n = {"k": 1}
n["k"] = n
print(n)
v = {1: 2}
print(v.keys(), v.values(), v.items())
print(len(v.keys()), 1 in v.keys(), 2 in v.values(), (1, 2) in v.items(), (1, 3) in v.items())
kv = {1: 1, 2: 2, 3: 3}.keys()
print(kv & {2, 3, 4}, kv | {9}, kv - {1}, kv ^ {3, 4}, kv == {1, 2, 3}, kv < {1, 2, 3, 4})
print({1: 2}.items() | {(3, 4)}, {1: 2, 3: 4}.items() ^ {3: 4, 5: 6}.items())
print(kv.isdisjoint([7, 8]), kv.isdisjoint([1]))
it = iter({1: 1, 2: 2})
print(it.__length_hint__(), next(it), it.__length_hint__())
print(type(iter({})).__name__, type(iter({}.values())).__name__, type(iter({}.items())).__name__,
      type(reversed({})).__name__, type({}.keys()).__name__)
