class Point:
    """A point."""
    dims = 2
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def __repr__(self):
        return f"Point({self.x}, {self.y})"
    def __eq__(self, other):
        return isinstance(other, Point) and self.x == other.x and self.y == other.y
    def __add__(self, other):
        return Point(self.x + other.x, self.y + other.y)
    @property
    def norm2(self):
        return self.x ** 2 + self.y ** 2
    @staticmethod
    def origin():
        return Point(0, 0)
    @classmethod
    def unit(cls):
        return cls(1, 1)
p = Point(1, 2)
q = Point(3, 4)
print(p, q, p + q, p == Point(1, 2), p != q, p.norm2, Point.origin(), Point.unit())
print(Point.__doc__, Point.dims, p.dims, type(p).__name__, Point.__name__, Point.__qualname__)
class Point3(Point):
    def __init__(self, x, y, z):
        super().__init__(x, y)
        self.z = z
    def __repr__(self):
        return "3" + super().__repr__() + str(self.z)
p3 = Point3(1, 2, 3)
print(p3, isinstance(p3, Point), issubclass(Point3, Point), p3.norm2)
class Slotted:
    __slots__ = ("a", "b")
    def __init__(self):
        self.a = 1
try:
    Slotted().c = 3
except AttributeError as e:
    print("AttributeError:", e)
try:
    print(Slotted().b)
except AttributeError as e:
    print("AttributeError:", e)
class Container:
    def __init__(self):
        self.items = {}
    def __getitem__(self, k):
        return self.items[k]
    def __setitem__(self, k, v):
        self.items[k] = v
    def __len__(self):
        return len(self.items)
    def __contains__(self, k):
        return k in self.items
    def __iter__(self):
        return iter(self.items)
c = Container()
c["a"] = 1
c["b"] = 2
print(len(c), "a" in c, c["b"], list(c), bool(c))
print(hash(p) if False else "unhashable" if Point.__hash__ is None else "hashable")
class Node:
    def __init__(self, v):
        self.v = v
        self.next = None
n = Node(1)
n.next = Node(2)
print(n.next.v, vars(n.next))
print(getattr(n, "v"), getattr(n, "w", "default"), hasattr(n, "next"))
setattr(n, "w", 5)
delattr(n, "v")
print(sorted(n.__dict__), n.w)
