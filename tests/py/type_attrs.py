# type's attributes that describe the C layout CPython 3.11 (64-bit) gives a class, and the
# other class-level attributes and methods of `type`.


class A:
    pass


class S:
    __slots__ = ("a", "b")


class W:
    __slots__ = ("a", "__weakref__")


class D(dict):
    pass


class L(list):
    pass


class E(Exception):
    pass


class B(A):
    pass


class C(S):
    pass


for t in (int, list, dict, object, type, str, float, tuple, set, frozenset, bool, range,
          slice, A, S, W, D, L, E, B, C, BaseException, Exception, ValueError, type(None),
          type(len), type(lambda: 0), property, staticmethod, classmethod):
    print(t.__name__, t.__basicsize__, t.__itemsize__, hex(t.__flags__), t.__dictoffset__,
          t.__weakrefoffset__)

# Py_TPFLAGS_VALID_VERSION_TAG (0x80000) appears once an attribute was looked up on the class
print(hex(A.__flags__))
a = A()
print(hex(A.__flags__))
a.x = 1
print(hex(A.__flags__), hex(B.__flags__))
A.y = 2
print(hex(A.__flags__), hex(B.__flags__))
print(B.y, hex(A.__flags__), hex(B.__flags__))

# __subclasses__: live direct subclasses, in creation order
print(A.__subclasses__(), S.__subclasses__(), E.__subclasses__())
print(type.__subclasses__(A), bool.__subclasses__())


class B2(A):
    pass


class B3(A):
    pass


print([c.__name__ for c in A.__subclasses__()])
del B2
import gc
gc.collect()
print([c.__name__ for c in A.__subclasses__()])
print(int in object.__subclasses__(), bool in int.__subclasses__(),
      ValueError in Exception.__subclasses__())

# __instancecheck__, __subclasscheck__, __prepare__
print(type.__instancecheck__(int, 3), int.__instancecheck__(True), A.__instancecheck__(3))
print(type.__subclasscheck__(A, B), A.__subclasscheck__(int), object.__subclasscheck__(A))
ns = type.__prepare__("X", (), x=1)
print(ns, type(ns), ns is type.__prepare__("X", ()))

# __text_signature__ and __doc__
for t in (object, list, tuple, float, int, dict, type, A, B):
    print(t.__name__, repr(t.__text_signature__))
print(repr(object.__doc__))
print(repr(list.__doc__))
print(repr(float.__doc__))
print(repr(int.__doc__[:40]), repr(A.__doc__), repr(A().__doc__))


class Sig:
    """Sig(a, b)
--

Takes a and b."""


print(repr(Sig.__text_signature__), repr(Sig.__doc__))
Sig.__doc__ = "new"
print(Sig.__doc__)
try:
    del Sig.__doc__
except TypeError as e:
    print(e)
try:
    int.__doc__ = "x"
except TypeError as e:
    print(e)

# __abstractmethods__
for t in (type, int, A):
    try:
        t.__abstractmethods__
    except AttributeError as e:
        print("AttributeError", e)
A.__abstractmethods__ = frozenset({"g", "f"})
print(sorted(A.__abstractmethods__), hex(A.__flags__ & 0x100000))
try:
    A()
except TypeError as e:
    print(e)
A.__abstractmethods__ = frozenset({"g"})
try:
    A()
except TypeError as e:
    print(e)
A.__abstractmethods__ = ()
print(type(A()).__name__, hex(A.__flags__ & 0x100000))
del A.__abstractmethods__
try:
    del A.__abstractmethods__
except AttributeError as e:
    print("AttributeError", e)

# __annotations__
print(A.__annotations__, "__annotations__" in A.__dict__)
A.__annotations__ = {"x": int}
print(A.__annotations__, B.__annotations__)
del A.__annotations__
print("__annotations__" in A.__dict__)
try:
    del A.__annotations__
except AttributeError as e:
    print("AttributeError", e)
try:
    int.__annotations__
except AttributeError as e:
    print(e)
try:
    int.__annotations__ = {}
except TypeError as e:
    print(e)

# functions
def fn(x):
    return x


print(fn.__annotations__, fn.__builtins__ is __builtins__.__dict__)
fn.__annotations__ = {"x": int}
print(fn.__annotations__)
fn.__annotations__ = None
print(fn.__annotations__)
try:
    fn.__annotations__ = 5
except TypeError as e:
    print(e)
del fn.__annotations__
print(fn.__annotations__)

# the module of builtin types with a dotted name
print(type(list[int]).__module__, type(list[int]).__name__, type(list[int]))
