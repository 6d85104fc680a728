# A class is cyclic garbage once deleted: the type, its dict, __mro__ and __bases__ tuples and
# the __dict__/__weakref__ descriptors (6), plus one function per method.
import gc
gc.collect()
class Empty:
    pass
del Empty
print("empty class:", gc.collect())

class WithMethod:
    def method(self):
        return 1
del WithMethod
print("class with a method:", gc.collect())


class Base:
    pass
class Derived(Base):
    def a(self):
        pass
    def b(self):
        pass
del Derived
print("subclass with two methods:", gc.collect())
print(gc.is_tracked(Base.__bases__), gc.is_tracked(Base.__mro__))
gc.collect()
print(gc.is_tracked(Base.__bases__), gc.is_tracked(Base.__mro__))
