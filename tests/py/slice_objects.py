import gc
import sys

s = slice(5)
print(s, s.start, s.stop, s.step, slice(1, 2), slice(1, 2, 3), slice(None), slice("a", [1], None))
print(slice(1, 2) == slice(1, 2), slice(1, 2) != slice(1, 3), slice(1, 2) < slice(1, 3), s == s, s <= s)
print(slice(1, 2, 3) > slice(1, 2, 2), slice(0) == 0, slice(None, None, -1).indices(5))
print(slice(1, 10, 2).indices(5), slice(-3, None).indices(5), slice(None, -1, -2).indices(7))
print(slice(2 ** 70).indices(2 ** 80), slice(-2 ** 70, None, -1).indices(4), slice(0).indices(0))
print(sys.getsizeof(s), gc.is_tracked(s), gc.is_tracked(slice(1, 2, 3)))
print([0, 1, 2, 3, 4][slice(1, 4)], (0, 1, 2, 3)[slice(None, None, -1)], range(10)[slice(2, 8, 3)])
x = [0, 1, 2, 3, 4, 5]
x[slice(0, 6, 2)] = "abc"
print(x)
del x[slice(1, None, 2)]
print(x)


class Idx:
    def __init__(self, v):
        self.v = v

    def __index__(self):
        return self.v


print(x[Idx(1)], x[Idx(0):Idx(2)], [1, 2, 3, 4][::Idx(-1)], slice(Idx(1), Idx(3)).indices(10))


def check(f):
    try:
        r = f()
    except Exception as e:
        print(type(e).__name__ + ":", e)
    else:
        print("ok", r)


check(lambda: slice(1, 2, 3) > slice(1, 2))
check(lambda: slice())
check(lambda: slice(1, 2, 3, 4))
check(lambda: slice(1, x=2))
check(lambda: hash(slice(1)))
check(lambda: slice(1, 2).indices(-1))
check(lambda: slice(1, 2, 0).indices(5))
check(lambda: slice("a").indices(5))
check(lambda: slice(1).indices("5"))
check(lambda: {slice(1): 2})
check(lambda: [1, 2][1.5:])
check(lambda: [1, 2][::0])
o = object()
print(sys.getrefcount(o))
so = slice(o, o, o)
print(sys.getrefcount(o))
del so
print(sys.getrefcount(o))
