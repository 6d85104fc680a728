# Cycles of instances, lists, dicts, classes and closures, and what gc.collect() counts
# (corpus README 1, 11).
import gc

class Node:
    def __init__(self, name):
        self.name = name
        self.other = None

gc.collect()
a, b = Node("a"), Node("b")
a.other, b.other = b, a
del a, b
print("two instances:", gc.collect())

a, b = Node("a"), Node("b")
a.other, b.other = b, a
vars(a)
b.__dict__
del a, b
print("after __dict__:", gc.collect())

class Tree:
    def __init__(self, parent=None):
        self.parent = parent
        self.children = []
        if parent is not None:
            parent.children.append(self)

root = Tree()
kids = [Tree(root), Tree(root)]
Tree(kids[0])
del root, kids
print("tree with parent pointers:", gc.collect())

l = []
l.append(l)
del l
print("self-referencing list:", gc.collect())

d = {}
d["self"] = d
del d
print("self-referencing dict:", gc.collect())

x = [1]
y = {"x": x}
x.append(y)
t = (x, y)
x.append(t)
del x, y, t
print("list, dict, tuple:", gc.collect())

def outer():
    def fact(n):
        return 1 if n <= 1 else n * fact(n - 1)
    return fact
f = outer()
print(f(5))
del f
print("self-recursive closure:", gc.collect())

chain = [[]]
for i in range(1000):
    chain = [chain]
cyc = chain
chain[0].append(cyc)
del chain, cyc
print("long chain closed into a cycle:", gc.collect())

keep = [Node("kept")]
keep[0].other = keep
print("still referenced:", gc.collect())
del keep
print("then dropped:", gc.collect())
print("nothing left:", gc.collect())
