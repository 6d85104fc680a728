# chain_tuples: a 1,000,000-long chain of nested pairs, walked and then freed by one `del`
# (deallocation without deep C recursion: CPython's trashcan).
import gc

SIZE = 1000000  # bench: check=1000000

gc.disable()
head = ()
for i in range(SIZE):
    head = (i, head)
total = 0
node = head
while node:
    total += node[0]
    node = node[1]
del node
del head
print(total, gc.collect())
