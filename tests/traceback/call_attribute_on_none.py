class Node:
    def __init__(self):
        self.next = None


head = Node()
print(head.next.next)
