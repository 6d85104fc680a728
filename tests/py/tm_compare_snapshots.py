# The usual lesson: two snapshots and compare_to.  The first snapshot's own objects show up
# in the second, charged to tracemalloc.py's lines (558: the traces list, 560: the Snapshot,
# 423: its _Traces), exactly as CPython 3.11 reports them.
import tracemalloc

HERE = __file__[:__file__.rindex("/") + 1]


def short(text):
    text = text.replace(HERE, "")
    return text[text.find("tracemalloc.py"):] if "tracemalloc.py" in text else text


tracemalloc.start()
snap1 = tracemalloc.take_snapshot()
data = [str(i) * 3 for i in range(1000)]
table = {i: [i] for i in range(200)}
record = tuple(data[:40])
snap2 = tracemalloc.take_snapshot()
for stat in snap2.compare_to(snap1, "lineno")[:8]:
    print(short(str(stat)))
for stat in snap2.compare_to(snap1, "filename"):
    print(short(str(stat)))
print(len(snap2.statistics("traceback")))
del data, table
snap3 = tracemalloc.take_snapshot()
for stat in snap3.compare_to(snap2, "lineno")[:2]:
    print(short(str(stat)))
tb = tracemalloc.get_object_traceback(record)
print(short(str(tb)), short(repr(tb)))
for line in tb.format():
    print(short(line))
tracemalloc.stop()
