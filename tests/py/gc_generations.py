# Generations: counts, promotion, and cycles promoted out of reach of young collections
# (corpus README 12).
import gc

class Cell:
    pass

class Blob:
    pass

def where(obj):
    return [g for g in range(3) if any(o is obj for o in gc.get_objects(g))]

gc.disable()
gc.collect()
print("after collect:", gc.get_count())
blobs = [None] * 40
before = gc.get_count()[0]
for i in range(40):
    blobs[i] = Blob()
print("40 instances add:", gc.get_count()[0] - before)

keep = Cell()
print("new object:", where(keep))
gc.collect(0)
print("after collect(0):", where(keep), gc.get_count()[1])
gc.collect(1)
print("after collect(1):", where(keep), gc.get_count()[1:])
gc.collect()
print("after collect():", where(keep), gc.get_count())

a, b = Cell(), Cell()
a.b, b.a = b, a
gc.collect(0)
del a, b
print("promoted cycle, collect(0):", gc.collect(0))
print("collect(1):", gc.collect(1))

a, b = Cell(), Cell()
a.b, b.a = b, a
gc.collect(0)
gc.collect(1)
del a, b
print("in generation 2, collect(0):", gc.collect(0), "collect(1):", gc.collect(1))
print("collect(2):", gc.collect(2))

x = []
x.append(x)
del x
print("young cycle, collect(0):", gc.collect(0))

stats = gc.get_stats()
print(len(stats), sorted(stats[0]))
before = [s["collections"] for s in gc.get_stats()]
gc.collect(0)
gc.collect(1)
gc.collect(2)
gc.collect(2)
after = [s["collections"] for s in gc.get_stats()]
print("collections:", [y - x for x, y in zip(before, after)])
before = gc.get_stats()[1]["collected"]
y = [[]]
y[0].append(y)
del y
print(gc.collect(1), gc.get_stats()[1]["collected"] - before)

gc.collect()
gc.collect(1)
print("count after collect(1):", gc.get_count())
gc.collect(0)
gc.collect(0)
print("count after two collect(0):", gc.get_count())
gc.enable()
