import sys


class V:
    def __init__(self, n):
        self.n = n

    def __del__(self):
        print("del", self.n)


o = object()
items = [o, o, o]
print(sys.getrefcount(o))
t = items * 2
print(sys.getrefcount(o))
del t
print(sys.getrefcount(o))
items.append(o)
items.insert(0, o)
print(sys.getrefcount(o))
p = items.pop()
print(sys.getrefcount(o))
del p
items[1:3] = []
print(sys.getrefcount(o), len(items))
items.clear()
print(sys.getrefcount(o))

# release order: last to first
vs = [V(1), V(2), V(3)]
del vs
print("--")
vs = [V(4), V(5), V(6)]
vs.clear()
print("--")
vs = [V(7), V(8), V(9), V(10)]
del vs[1:3]
print("--")
vs[:] = []
print("--")
vs = [V(11), V(12), V(13)]
vs[::2] = [None, None]
print("--")
vs = [V(14), V(15), V(16)]
vs.pop(0)
print("--")
vs = None
print("--")
vs = [V(17), V(18)]
vs *= 0
print("--")
nested = [[V(19), V(20)], [V(21)]]
del nested
print("--")

# exhausted list iterators drop the list at once
xs = [1, 2, 3]
it = iter(xs)
print(sys.getrefcount(xs))
for v in it:
    pass
print(sys.getrefcount(xs))
rit = reversed(xs)
print(sys.getrefcount(xs))
list(rit)
print(sys.getrefcount(xs))

# the free list: a freed list's header is reused by the next display
a = [1, 2]
ida = id(a)
del a
b = []
print(id(b) == ida)
c = [i for i in range(3)]
d = [4]
print(sys.getrefcount(c), sys.getrefcount(d))
