import weakref

class M:
    def __init__(self, n):
        self.n = n
    def __repr__(self):
        return "M%d" % self.n

ms = [M(i) for i in range(5)]
s = weakref.WeakSet(ms[:3])
print(len(s), ms[0] in s, ms[4] in s, 1 in s, sorted(x.n for x in s))
s.add(ms[3])
s.discard(ms[0])
s.remove(ms[1])
try:
    s.remove(ms[1])
except KeyError as e:
    print("KeyError")
print(len(s), sorted(x.n for x in s))
t = s.copy()
print(type(t).__name__, len(t), t == s, t is s)
u = s | weakref.WeakSet(ms[:2])
print(sorted(x.n for x in u))
print(sorted(x.n for x in s & weakref.WeakSet(ms[2:3])))
print(sorted(x.n for x in s - weakref.WeakSet(ms[2:3])))
print(sorted(x.n for x in s ^ weakref.WeakSet(ms[2:4] + [ms[4]])))
print(s <= u, s < u, u >= s, u > s, s.isdisjoint(weakref.WeakSet([ms[4]])))
it = iter(s)
first = next(it)
other = [m for m in ms if m in s and m is not first][0]
ms.remove(other)
del other
print(len(s), len(s._pending_removals))
del it
print(len(s), len(s._pending_removals), [x is first for x in s])
print(repr(weakref.WeakSet()))
p = s.pop()
print(p is first, len(s))
del first
try:
    weakref.WeakSet().pop()
except KeyError as e:
    print("KeyError:", e)
try:
    hash(s)
except TypeError as e:
    print("TypeError:", e)
s.add(p)
del p
print(len(s))
s.clear()
print(len(s), list(s))
