# gc_generations: generational collection while a 300,000-object heap stays alive.  Young
# collections (every 700 net allocations) must not walk the old objects, and no full
# collection runs: CPython waits until long_lived_pending > long_lived_total / 4.
import gc

LIVE = 100000  # bench: check=3000
CHURN = 400000  # bench: check=6000


class Item:
    def __init__(self, i):
        self.tags = [i]
        self.pair = (i, self.tags)


live = [Item(i) for i in range(LIVE)]   # 3 tracked objects each: instance, list, tuple
gc.collect()
before = [s["collections"] for s in gc.get_stats()]
acc = 0
for i in range(CHURN):
    t = [i]
    t.append(t)                         # a cycle: only the collector frees it
    acc += len(t)
    if i % 100 == 0:
        live.append(Item(i))            # survivors, promoted generation by generation
after = [s["collections"] for s in gc.get_stats()]
print(acc, len(live), gc.collect())
print([b - a for a, b in zip(before, after)])
