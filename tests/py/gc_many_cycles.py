# 100,000 two-object cycles freed by one gc.collect(), with CPython's return value; and the
# same loop with automatic collection on, which leaves what the last threshold crossing left.
import gc

class Node:
    pass

gc.disable()
gc.collect()
for i in range(100000):
    a = Node()
    b = Node()
    a.other = b
    b.other = a
del a, b
found = gc.collect()
gc.enable()
for i in range(100000):
    a = Node()
    b = Node()
    a.other = b
    b.other = a
del a, b
left = gc.collect()
print(found, left)
print(gc.collect())
