built = 0

class Node:
    def __init__(self, name, parent=None):
        global built
        built += 1
        self.name = name
        self.parent = parent
        self.children = []
        if parent is not None:
            parent.children.append(self)

def build():
    root = Node("root")
    for i in range(3):
        Node(f"child{i}", root)
    return root

tree = build()
print(len(tree.children), "children")
for child in tree.children:
    child.parent = None
del tree
