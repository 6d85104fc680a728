# DEBUG_SAVEALL keeps every unreachable object in gc.garbage (finalizers still run once);
# DEBUG_LEAK includes it.  The DEBUG_* output itself goes to stderr.
import gc

class Node:
    def __init__(self, name):
        self.name = name
    def __repr__(self):
        return "Node(%s)" % self.name

gc.collect()
gc.set_debug(gc.DEBUG_SAVEALL)
a, b = Node("a"), Node("b")
a.b, b.a = b, a
l = [a]
l.append(l)
del a, b, l
print(gc.collect())
print(sorted(type(o).__name__ for o in gc.garbage))
print(sorted(o.name for o in gc.garbage if isinstance(o, Node)))
print(gc.collect(), len(gc.garbage))
gc.set_debug(0)
kept = gc.garbage[:]
del gc.garbage[:]
print(gc.collect())
del kept
print(gc.collect())

gc.set_debug(gc.DEBUG_LEAK)
d = {}
d["d"] = d
del d
print(gc.collect(), [type(o).__name__ for o in gc.garbage])
gc.set_debug(0)
gc.garbage.clear()
print(gc.collect())

class Fin:
    def __del__(self):
        print("finalized once")
gc.set_debug(gc.DEBUG_SAVEALL)
f = Fin()
f.me = f
del f
print(gc.collect())
print(gc.collect())
gc.set_debug(0)
gc.garbage.clear()
print(gc.collect())
