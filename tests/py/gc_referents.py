# gc.get_referents in each type's tp_traverse order, and gc.get_referrers (corpus README 10).
import gc

a, b, c = [1], [2], [3]
print(gc.get_referents([a, b, c]) == [c, b, a])
print(gc.get_referents((a, b, c)) == [c, b, a])
print(gc.get_referents({"k1": a, "k2": b}) == [a, b])
k1, k2 = int("1001"), int("1002")
r = gc.get_referents({k1: a, k2: b})
print(len(r), r[0] is a, r[1] is k1, r[2] is b, r[3] is k2)

class Owner:
    pass
o = Owner()
o.x = a
o.y = b
r = gc.get_referents(o)
print(len(r), r[0] is a, r[1] is b, r[2] is Owner)
vars(o)
r = gc.get_referents(o)
print(len(r), type(r[0]).__name__, r[1] is Owner)

print(gc.get_referents(a, b) == [1, 2])
print(gc.get_referents(1, "x", None) == [])
s = {a[0], b[0]}
print(sorted(gc.get_referents(s)))

def make():
    v = [5]
    def inner():
        return v
    return inner
f = make()
print(f.__closure__[0] in gc.get_referents(f.__closure__))
print(gc.get_referents(f.__closure__[0]) == [[5]])

item = [1, 2]
holder = Owner()
holder.item = item
index = {"item": item}
pair = (item, item)
refs = gc.get_referrers(item)
print(len(refs), sum(r is holder for r in refs), sum(r is index for r in refs),
      sum(r is pair for r in refs))
print(any(r is globals() for r in refs))
del holder.item
refs = gc.get_referrers(item)
print(any(r is holder for r in refs), len(refs))
print(gc.get_referrers(item, a) == gc.get_referrers(a, item))
print(len(gc.get_referrers(object())))
