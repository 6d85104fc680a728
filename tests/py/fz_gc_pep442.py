# PEP 442 in the collector: finalizers run once, in the unreachable set's order, before any
# tp_clear; resurrection spares the whole cycle; is_finalized (corpus README 13-15).
import gc

class Fin:
    def __init__(self, name):
        self.name = name
        self.peer = None
    def __del__(self):
        peer = self.peer.name if self.peer is not None else None
        print("del", self.name, "peer:", peer)

gc.collect()
a, b, c = Fin("a"), Fin("b"), Fin("c")
a.peer, b.peer, c.peer = b, c, a
del a, b, c
print("ring of three:", gc.collect())

x = Fin("x")
x.peer = x
y = Fin("y")
y.peer = x
del x, y
print("self cycle plus a follower:", gc.collect())

saved = []
class Phoenix:
    def __init__(self, name):
        self.name = name
        self.me = self
    def __del__(self):
        print("phoenix", self.name, "finalized")
        saved.append(self)

p = Phoenix("p")
del p
print("resurrected:", gc.collect())
print(len(saved), gc.is_finalized(saved[0]), gc.is_tracked(saved[0]))
saved.clear()
print("dropped again:", gc.collect())

p = Phoenix("q")
pal = [p]
p.pal = pal
del p, pal
print("resurrected with a list:", gc.collect())
q = saved.pop()
print(q.pal[0] is q, gc.is_finalized(q), gc.is_finalized(q.pal))
del q
print("second time, no __del__:", gc.collect())

class Noisy:
    def __init__(self, fail):
        self.me = self
        if fail:
            raise ValueError("init failed")
    def __del__(self):
        print("Noisy.__del__ runs")
try:
    Noisy(True)
except ValueError as e:
    print("caught", e)
print("after failed __init__:", gc.collect())

class Plain:
    def __del__(self):
        print("plain finalized, is_finalized:", gc.is_finalized(self))
p = Plain()
print(gc.is_finalized(p))
del p
p = Plain()
p.me = p
del p
print("plain in a cycle:", gc.collect())

class Spawner:
    def __init__(self):
        self.me = self
    def __del__(self):
        junk = []
        junk.append(junk)
        print("spawned new garbage; nested collect returns", gc.collect())
s = Spawner()
del s
print("spawner:", gc.collect())
print("its garbage later:", gc.collect())

class Holder:
    def __init__(self, name):
        self.name = name
        self.me = self
        self.items = [name + "1", name + "2"]
    def __del__(self):
        print(self.name, "sees its items:", self.items)
h1, h2 = Holder("h1"), Holder("h2")
h1.other, h2.other = h2, h1
del h1, h2
print("holders:", gc.collect())
