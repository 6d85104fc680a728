import gc
import sys

lit = (1, 2, 3)
print(gc.is_tracked(lit), gc.is_tracked(()), gc.is_tracked((1, [])))
x = 5
rt = (x, x + 1)
print(gc.is_tracked(rt))
gc.collect()
print(gc.is_tracked(rt))
nested = ((x,), (x, "s"), (None, 1.5))
print(gc.is_tracked(nested), gc.is_tracked(nested[0]))
gc.collect()
print(gc.is_tracked(nested), gc.is_tracked(nested[0]))
holder = ([], x)
gc.collect()
print(gc.is_tracked(holder))
inner = (x,)
outer = (inner, [])
gc.collect()
print(gc.is_tracked(inner), gc.is_tracked(outer))
print(gc.is_tracked(tuple([1, 2])), gc.is_tracked(tuple([[]])))
z = tuple(range(3))
gc.collect()
print(gc.is_tracked(z), gc.is_tracked(z + (1,)), gc.is_tracked(z[1:]))
print(gc.get_referents((1, "a", None)) == [None, "a", 1])
print(len(gc.get_referents(())))

# reference counts
o = object()
print(sys.getrefcount(o))
t = (o, o)
print(sys.getrefcount(o))
u = t * 3
print(sys.getrefcount(o))
del u
print(sys.getrefcount(o))
v = t + (o,)
print(sys.getrefcount(o))
del v, t
print(sys.getrefcount(o))


class V:
    def __init__(self, n):
        self.n = n

    def __del__(self):
        print("del", self.n)


tv = (V(1), V(2), V(3))
del tv
print("--")
tv = (V(4), (V(5), V(6)), V(7))
tv = None
print("--")
