# What tracemalloc charges to each line: CPython 3.11's requested sizes for lists (item
# arrays grown by append, a literal, [0] * n, a comprehension), dicts (str and int keys),
# tuples, ints, strs, floats, sets, instances (the object and its values array) and
# __slots__ instances.  Free lists decide which objects are new allocations.
import tracemalloc


def report(snap):
    for stat in snap.statistics("lineno"):
        frame = stat.traceback[0]
        if frame.filename == __file__ and frame.lineno >= START:
            print(frame.lineno - START, stat.size, stat.count)


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


class Slotted:
    __slots__ = ("a", "b")


tracemalloc.start()
START = 28
appended = []
for i in range(10):
    appended.append(i)
literal = [1, 2, 3, 4, 5]
zeros = [0] * 100
squares = [i * i for i in range(20)]
by_name = {"alpha": 1, "beta": 2, "gamma": 3}
by_number = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6}
big_tuple = tuple(range(30))
big_int = 10 ** 40 + len(appended)
text = "memory " * (len(appended) + 2)
wide = "\u00e9t\u00e9 " * len(appended)
number = 1.5 * len(appended)
members = {1, 2, 3, 4, 5}
points = [Point(i, i) for i in range(4)]
slotted = Slotted()
snap = tracemalloc.take_snapshot()
tracemalloc.stop()
report(snap)
