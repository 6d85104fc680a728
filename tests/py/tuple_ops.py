import sys

t = tuple(range(5))
print(t, t[0:5] is t, t[0:4] is t, tuple(t) is t, (t * 1) is t, t[:] is t, t + () is t, () + t is t)
w = t[:0]
e = ()
print(len(w), w is e, w is tuple(), (t * 0) is w, t[3:1] is e, tuple([]) is e, e * 5 is e)
print(t[::-1], t[1::2], t[-2:], t[10:], t[-1], t[True], t[::-2])
print((1,) + (2, 3), (1, 2) * 2, 2 * (0,), (1,) * -1, (1, 2) + ())
print(repr(()), repr((1,)), repr((1, 2)), str(("a", 'b"', None)), ((),), (((1,),),))
print(tuple("abc"), tuple([1, 2]), tuple({3: 4}), tuple(x * x for x in range(4)), tuple())
print(len(()), len((1, 2, 3)), bool(()), bool((0,)), 2 in (1, 2), 3 in (1, 2), 1.0 in (1,))
c = (1, 2, 1, 3, 1)
print(c.count(1), c.count(4), c.index(1), c.index(1, 1), c.index(1, -2), c.index(3, 0, 4))
print((1, 2) == (1, 2), (1, 2) < (1, 3), (1, 2) < (1, 2, 0), (2,) > (1, 9), () < (0,))
print((1, 2) != (1, 2.0), (1, [2]) == (1, [2]), (3,) <= (3,), (1, 2) >= (1, 3))
nan = float("nan")
n = (nan,)
print(n == n, (nan,) == (nan,), nan in n)

# hashes are CPython's xxHash-based tuplehash
print(hash(()), hash((1,)), hash((1, 2)), hash((1, (2, 3))), hash((-1,)), hash((-2, True)))
print(hash((0,)) == hash((False,)), hash((1.0, 2)) == hash((1, 2)), hash(((),)))
print(hash(tuple(range(20))), hash((2 ** 64, -2 ** 64)), hash((1.5, -0.25)))
d = {(1, 2): "a", (2, 1): "b"}
print(d[(1, 2)], d[1, 2], (2, 1) in d)

# sizes
print(sys.getsizeof(()), sys.getsizeof((1,)), sys.getsizeof((1, 2, 3)), sys.getsizeof(tuple(range(10))))
print(().__sizeof__(), (1, 2).__sizeof__())

# unpacking and nesting
a, (b, c2), *rest = (1, (2, 3), 4, 5)
print(a, b, c2, rest)
print(tuple(reversed((1, 2, 3))), sorted((3, 1, 2)), max((1, 5, 2)), sum((1, 2, 3)))
it = iter((1, 2, 3))
print(next(it), it.__length_hint__(), list(it), it.__length_hint__(), type(it).__name__)


def check(f):
    try:
        r = f()
    except Exception as e:
        print(type(e).__name__ + ":", e)
    else:
        print("ok", r)


key = "a"
check(lambda: (1,)[5])
check(lambda: (1,)[-2])
check(lambda: (1,)[key])
check(lambda: (1,)[2 ** 100])
check(lambda: (1,)[::0])
check(lambda: (1,) + [1])
check(lambda: (1,) * "a")
check(lambda: (1,).index(2))
check(lambda: (1,).index())
check(lambda: (1,).index(1, "a"))
check(lambda: (1,).count())
check(lambda: (1,) < ("a",))
check(lambda: (1,) < [1])
check(lambda: hash(([],)))
check(lambda: hash((1, {})))
check(lambda: tuple(1))
check(lambda: tuple(1, 2))
check(lambda: tuple(x=1))


def setitem(o, k, v):
    o[k] = v


check(lambda: setitem((1,), 0, 2))
l = [1]
tl = (l,)
print(tl, repr(tl))
l.append(tl)
print(tl, l)
