# class statements: __build_class__, the __class__ cell, closures, qualnames.
class Base:
    attr = 1
    def hello(self):
        return "base hello"

class Child(Base):
    def hello(self):
        return "child + " + super().hello()
    def cls(self):
        return __class__

c = Child()
print(c.hello(), c.cls() is Child, Child.__qualname__, Child.__module__, Child.__name__)
print("__classcell__" in Child.__dict__, sorted(k for k in Child.__dict__ if not k.startswith("__")))
print(Child.__bases__, Child.__mro__)

def make(n):
    class Local:
        value = n
        def get(self):
            return n
        def sup(self):
            return super().__repr__()[:7]
    return Local

L = make(42)
print(L.value, L().get(), L.__qualname__, L().sup())

class Outer:
    class Inner:
        def m(self):
            return __class__.__qualname__
print(Outer.Inner.__qualname__, Outer.Inner().m())

class WithDoc:
    "docstring"
    x = [i * 2 for i in range(3)]
print(WithDoc.__doc__, WithDoc.x)

class E(ValueError):
    pass
try:
    raise E("boom")
except ValueError as e:
    print(type(e).__name__, e, isinstance(e, E))

class Counter:
    count = 0
    def __init__(self):
        Counter.count += 1
for _ in range(3):
    Counter()
print(Counter.count)
print(type(Child), type(Base()).__name__)
