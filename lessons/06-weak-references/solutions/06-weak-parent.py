import weakref

class Node:
    def __init__(self, name, parent=None):
        self.name = name
        self.parent = None if parent is None else weakref.ref(parent)
        self.children = []
        if parent is not None:
            parent.children.append(self)

    def get_parent(self):
        return None if self.parent is None else self.parent()

root = Node("root")
kid = Node("kid", root)
print(kid.get_parent().name)
