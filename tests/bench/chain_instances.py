# chain_instances: a 1,000,000-long linked chain of instances, walked and then freed by one
# `del` (deallocation without deep C recursion: CPython's trashcan).
import gc

SIZE = 1000000  # bench: check=1000000


class Link:
    def __init__(self, value, next):
        self.value = value
        self.next = next


gc.disable()
head = None
for i in range(SIZE):
    head = Link(i, head)
total = 0
node = head
while node is not None:
    total += node.value
    node = node.next
del head
print(total, gc.collect())
