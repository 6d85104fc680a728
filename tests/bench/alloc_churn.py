# alloc_churn: short-lived objects of every common kind, created and freed at once
# (pymalloc's fast path, free lists, refcount-driven deallocation).
SIZE = 500000  # bench: check=3000


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


def churn(n):
    total = 0
    for i in range(n):
        t = (i, i + 1)
        l = [i, t]
        d = {"a": i, "b": l}
        p = Point(i, 2.5 * i)
        s = str(i)
        total += len(l) + len(d) + t[1] + p.x + len(s) + (int(p.y) & 7)
    return total


print(churn(SIZE))
