# Tracebacks: oldest frame first, at most nframe frames, total_nframe counts them all;
# a list's item array is charged to the line that last resized it.
import tracemalloc


def leaf():
    return [0] * 50


def middle():
    return leaf()


def top():
    return middle()


tracemalloc.start(4)
data = top()
snap = tracemalloc.take_snapshot()
for stat in snap.statistics("traceback"):
    if stat.traceback[-1].lineno == 7:
        print([f.lineno for f in stat.traceback], stat.size, stat.count)
        print(len(stat.traceback), stat.traceback.total_nframe)
trace = [t for t in snap.traces if t.traceback[-1].lineno == 7][0]
print(trace.size, trace.traceback.total_nframe, len(trace.traceback))
tracemalloc.stop()

tracemalloc.start(2)
data = top()
tb = tracemalloc.get_object_traceback(data)
print(tb is None, tracemalloc.get_traceback_limit())
snap = tracemalloc.take_snapshot()
deep = [t for t in snap.traces if t.traceback[-1].lineno == 7][0]
print([f.lineno for f in deep.traceback], deep.traceback.total_nframe)
tracemalloc.stop()

tracemalloc.start()
blocks = []
for i in range(40):
    blocks.append(i)
snap1 = tracemalloc.take_snapshot()
del blocks[10:]
snap2 = tracemalloc.take_snapshot()
tracemalloc.stop()


def on_line(snap, line):
    return [s.size for s in snap.statistics("lineno") if s.traceback[0].lineno == line]


print(on_line(snap1, 41), on_line(snap1, 43))
print(on_line(snap2, 41), on_line(snap2, 43))


def gen():
    yield 1


tracemalloc.start()
g = gen()
closure = (lambda: g)
print(tracemalloc.get_object_traceback(g)[0].lineno)
tracemalloc.stop()
