# The Snapshot API and CPython's texts: statistics by lineno / filename / traceback,
# cumulative statistics, compare_to, filters, Traceback.format and the str()/repr() forms
# of Statistic, StatisticDiff, Traceback, Frame and Trace (_format_size rules included).
import tracemalloc

HERE = __file__[:__file__.rindex("/") + 1]


def show(x):
    print(str(x).replace(HERE, ""))


def mine(snap):
    return snap.filter_traces([tracemalloc.Filter(True, __file__)])


def build(n):
    return [tuple(range(i, i + 25)) for i in range(n)]


tracemalloc.start(3)
first = build(3)
snap1 = mine(tracemalloc.take_snapshot())
second = build(40)
big = [0] * 200000
snap2 = mine(tracemalloc.take_snapshot())
tracemalloc.stop()

for stat in snap1.statistics("lineno")[:3]:
    show(stat)
    show(repr(stat))
for stat in snap2.statistics("filename"):
    show(stat)
for stat in snap2.statistics("traceback")[:2]:
    show(stat)
    for line in stat.traceback.format():
        show(line)
    for line in stat.traceback.format(limit=1, most_recent_first=True):
        show(line)
for stat in snap2.statistics("lineno", cumulative=True)[:3]:
    show(stat)
for diff in snap2.compare_to(snap1, "lineno")[:3]:
    show(diff)
    show(repr(diff))
for diff in snap1.compare_to(snap2, "filename"):
    show(diff)

trace = sorted(snap1.traces, key=lambda t: (t.traceback[0].lineno, t.size))[0]
show(repr(trace.traceback[0]))
print(trace.domain, len(snap1.traces) == len(list(snap1.traces)))
frame = trace.traceback[0]
print(frame == tracemalloc.Frame((frame.filename, frame.lineno)), frame <= frame, frame > frame)
print(hash(frame) == hash((frame.filename, frame.lineno)))
print(trace in snap1.traces, repr(snap1.traces).startswith("<Traces len="))

only_build = snap2.filter_traces([tracemalloc.Filter(True, __file__, lineno=18)])
no_build = snap2.filter_traces([tracemalloc.Filter(False, __file__, lineno=18)])
anywhere = snap2.filter_traces([tracemalloc.Filter(True, __file__, lineno=18, all_frames=True)])
print(len(only_build.traces) + len(no_build.traces) == len(snap2.traces))
print(len(anywhere.traces) >= len(only_build.traces))
print(len(snap2.filter_traces([tracemalloc.DomainFilter(True, 0)]).traces) == len(snap2.traces))
print(len(snap2.filter_traces([tracemalloc.DomainFilter(False, 0)]).traces))
print(len(snap2.filter_traces([tracemalloc.Filter(True, "*.nothing")]).traces))
print(len(snap2.filter_traces([]).traces) == len(snap2.traces))
pattern_filter = tracemalloc.Filter(True, "/a/b?.py[!x]")
print(pattern_filter.filename_pattern, pattern_filter.inclusive, pattern_filter.lineno,
      pattern_filter.all_frames, pattern_filter.domain)
for pat in ["*", "*.py", "?", "[abc]*", "[!t]*", "*tm_snapshot_api.py", "tm_*"]:
    f = tracemalloc.Filter(True, HERE + pat)
    print(pat, f._match_frame_impl(__file__, 1))

for bad in [("function", False), ("traceback", True)]:
    try:
        snap1.statistics(*bad)
    except ValueError as e:
        print(e)
try:
    snap1.filter_traces(3)
except TypeError as e:
    print(e)

sizes = [0, 1, 99, 100, 1023, 1024, 10239, 10240, 102400, 1048576 * 5, 1024 ** 3 * 7, 1024 ** 5 * 3]
for n in sizes:
    print(tracemalloc._format_size(n, False), tracemalloc._format_size(-n, True))
