# gc_cycles: many reference cycles, found by the collector (automatic and gc.collect()).
import gc

SIZE = 50000  # bench: check=200
ROUNDS = 10


class Node:
    def __init__(self, i):
        self.i = i
        self.other = None


def make_garbage(n):
    for i in range(n):
        a = Node(i)
        b = Node(i + 1)
        a.other = b
        b.other = a
        l = [a, i]
        l.append(l)
        d = {"self": None, "n": i}
        d["self"] = d


gc.collect()      # start from empty generations (not from interpreter start-up's counts)
found = 0
for r in range(ROUNDS):
    make_garbage(SIZE)
    found += gc.collect()
print(found, gc.collect(), gc.get_count())
