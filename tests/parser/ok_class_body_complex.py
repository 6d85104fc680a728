class Node:
    __slots__ = ('value', 'next', '__weakref__')

    count = 0

    def __init__(self, value, next=None):
        self.value = value
        self.next = next
        Node.count += 1

    def __del__(self):
        print('del', self.value)

    def __eq__(self, other):
        return isinstance(other, Node) and self.value == other.value

    def __hash__(self):
        return hash(self.value)

    @staticmethod
    def make(*values):
        head = None
        for v in reversed(values):
            head = Node(v, head)
        return head

    def __iter__(self):
        node = self
        while node is not None:
            yield node.value
            node = node.next

    def __repr__(self):
        return f'Node({self.value!r}, {self.next!r})'

class Sub(Node):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
