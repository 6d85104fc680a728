# tracemalloc's control functions: start/stop, the traceback limit, traced memory and peak,
# clearing, and the errors CPython raises for bad arguments.
import tracemalloc

print(tracemalloc.is_tracing(), tracemalloc.get_traced_memory(), tracemalloc.get_traceback_limit())
tracemalloc.start(3)
tracemalloc.start(5)                 # already tracing: the limit does not change
print(tracemalloc.is_tracing(), tracemalloc.get_traceback_limit())
block = tuple(range(100))            # 16 + 24 + 800 bytes
cur, peak = tracemalloc.get_traced_memory()
print(cur >= 840, peak >= cur)
del block
cur2, peak2 = tracemalloc.get_traced_memory()
print(cur - cur2, peak2 == peak)
tracemalloc.reset_peak()
cur3, peak3 = tracemalloc.get_traced_memory()
print(peak3 == cur3)
tracemalloc.clear_traces()
print(tracemalloc.get_traced_memory())
print(tracemalloc.get_tracemalloc_memory() > 0)
tracemalloc.stop()
print(tracemalloc.is_tracing(), tracemalloc.get_traced_memory(), tracemalloc.get_traceback_limit())
print(tracemalloc.get_object_traceback([]), tracemalloc._get_traces())
tracemalloc.clear_traces()
tracemalloc.reset_peak()

for args in [(0,), (65536,), (-1,), (1.5,), ("x",), (1, 2), (2**40,)]:
    try:
        tracemalloc.start(*args)
    except Exception as e:
        print(type(e).__name__, e)
try:
    tracemalloc.start(nframe=2)
except TypeError as e:
    print(e)
try:
    tracemalloc.is_tracing(1)
except TypeError as e:
    print(e)
try:
    tracemalloc.take_snapshot()
except RuntimeError as e:
    print(e)
tracemalloc.start(True)
print(tracemalloc.get_traceback_limit())
tracemalloc.stop()
tracemalloc.start(65535)
print(tracemalloc.get_traceback_limit())
tracemalloc.stop()
print(tracemalloc.Filter(True, "x.pyc").filename_pattern)
