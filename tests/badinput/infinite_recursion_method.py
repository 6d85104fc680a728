class Node:
    def __init__(self):
        self.child = None

    def depth(self):
        return 1 + self.depth()


print(Node().depth())
