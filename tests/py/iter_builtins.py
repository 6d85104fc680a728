import sys

xs = [1, 2, 3]
ys = [4, 5, 6]
z = zip(xs, ys)
m = map(abs, xs)
print(sys.getrefcount(xs), sys.getrefcount(ys))
print(list(z), list(m))
print(sys.getrefcount(xs), sys.getrefcount(ys))
del z, m
print(sys.getrefcount(xs), sys.getrefcount(ys))

# zip stops at the first exhausted iterator and never advances the rest
a = iter([1, 2])
b = iter([10, 20, 30])
print(list(zip(a, b)), next(b))
print(list(zip()), list(zip("ab")), list(zip("abc", range(2), [None] * 5)))
print(list(zip("ab", "cd", strict=True)), list(zip("ab", strict=False)))


def check(f):
    try:
        r = f()
    except Exception as e:
        print(type(e).__name__ + ":", e)
    else:
        print("ok", r)


check(lambda: list(zip([1], [2, 3], strict=True)))
check(lambda: list(zip([1, 2], [2], strict=True)))
check(lambda: list(zip([1, 2], [2], [3], strict=True)))
check(lambda: list(zip([1], [2], [3, 4], strict=True)))
check(lambda: list(zip([1], [2], [3], [4, 5], strict=True)))
check(lambda: zip(1))
check(lambda: zip([1], x=1))
check(lambda: zip([1], strict=True, s=1))

# the result tuple is reused when nobody holds it
pairs = []
for p in zip("ab", "cd"):
    pairs.append(p)
print(pairs, pairs[0] is pairs[1])
ids = set()
for k, v in zip("abcd", range(4)):
    pass
zz = zip("ab", "cd")
first = next(zz)
second = next(zz)
print(first, second, first is second)
e = enumerate("xyz")
r1 = next(e)
i1 = id(r1)
del r1
r2 = next(e)
print(r2, id(r2) == i1)

# enumerate
print(list(enumerate("ab")), list(enumerate("ab", 5)), list(enumerate("ab", start=-1)))
print(list(enumerate(iterable="ab", start=5)), list(enumerate(start=5, iterable="ab")))
print(list(enumerate("ab", 2 ** 70)), list(enumerate([], 3)))
check(lambda: enumerate())
check(lambda: enumerate(1))
check(lambda: enumerate([], "a"))
check(lambda: enumerate([], 1, 2))
check(lambda: enumerate(x=1))
check(lambda: enumerate([], x=1))
check(lambda: enumerate(iterable=[], x=1))
check(lambda: enumerate([], start=None))

# map and filter
print(list(map(lambda a, b: a * b, [1, 2, 3], [4, 5])), list(map(str, range(3))))
print(list(map(lambda *a: a, "ab", "cde", "f", "gh", "ij", "kl", "mn")))
print(list(filter(None, [0, 1, "", "a", None, [], [0], 0.0])), list(filter(bool, [0, 2])))
print(list(filter(lambda v: v % 2, range(10))), list(filter(None, ())))
check(lambda: map(abs))
check(lambda: map())
check(lambda: map(abs, 1))
check(lambda: map(abs, [1], x=2))
check(lambda: list(map(abs, ["a"])))
check(lambda: filter(None))
check(lambda: filter(None, 1))
check(lambda: filter(None, [], x=1))
check(lambda: list(filter(lambda v: 1 / v, [1, 0])))

# reversed
print(list(reversed([1, 2, 3])), list(reversed((1, 2, 3))), list(reversed("abc")), list(reversed(range(3))))


class Seq:
    def __len__(self):
        return 3

    def __getitem__(self, i):
        if i >= 3:
            raise IndexError(i)
        return i * 10


class Rev:
    def __reversed__(self):
        return iter("custom")


class NoRev:
    __reversed__ = None

    def __len__(self):
        return 1

    def __getitem__(self, i):
        return i


print(list(reversed(Seq())), "".join(reversed(Rev())), type(reversed(Seq())).__name__)
rs = reversed(Seq())
print(rs.__length_hint__(), next(rs), rs.__length_hint__(), list(rs), rs.__length_hint__())
check(lambda: reversed())
check(lambda: reversed(1))
check(lambda: reversed(set()))
check(lambda: reversed(NoRev()))
check(lambda: reversed([], []))
check(lambda: reversed(x=1))
print(list(reversed({1: 2, 3: 4})))

# the sequence iterator for classes with only __getitem__
class G:
    def __getitem__(self, i):
        if i > 2:
            raise IndexError
        return i


g = iter(G())
print(type(g).__name__, list(g), list(g), list(G()), 2 in G(), 5 in G())
print(sorted(G(), reverse=True), tuple(G()), sum(G()))
check(lambda: g.__length_hint__())
sg = iter(Seq())
print(sg.__length_hint__(), next(sg), sg.__length_hint__())

# refcounts held by the iterator objects
o = [7]
print(sys.getrefcount(o))
en = enumerate(o)
print(sys.getrefcount(o))
fi = filter(None, o)
print(sys.getrefcount(o))
rv = reversed(o)
print(sys.getrefcount(o))
list(en), list(fi), list(rv)
print(sys.getrefcount(o))
del en, fi, rv
print(sys.getrefcount(o))
ss = sys.getsizeof
print(ss(enumerate([])), ss(zip()), ss(map(abs, [])), ss(filter(None, [])), ss(reversed((1,))), ss(iter(G())))
print(ss(iter([])), ss(reversed([])), ss(iter(())))
