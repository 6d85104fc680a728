# tracemalloc_on: the allocation churn of a lesson with tracemalloc tracing every block.
import tracemalloc

SIZE = 150000  # bench: check=1000

tracemalloc.start()


def work(n):
    total = 0
    keep = []
    for i in range(n):
        l = [i, i + 1, str(i)]
        d = {"k": l}
        total += len(d["k"][2])
        if i % 100 == 0:
            keep.append(l)
    return total, len(keep)


before = tracemalloc.get_traced_memory()[0]
big = [None] * 100000
grown = tracemalloc.get_traced_memory()[0] - before
del big
result = work(SIZE)
current, peak = tracemalloc.get_traced_memory()
snap = tracemalloc.take_snapshot()
top = snap.statistics("lineno")
tracemalloc.stop()
print(result, grown, peak >= current > 0, len(top) > 0, tracemalloc.is_tracing())
