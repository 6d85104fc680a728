# object.__reduce_ex__, __reduce__ and __getstate__ (the pickle protocol's object side) as
# CPython 3.11 gives them, with the copyreg helpers they return.
class A:
    pass


class S:
    __slots__ = ("a", "b")


class SD:
    __slots__ = ("a", "__dict__")


class R:
    def __reduce__(self):
        return (R, ())


class G:
    def __getstate__(self):
        return {"custom": True}


class N:
    def __init__(self, x):
        self.x = x

    def __getnewargs__(self):
        return (self.x,)


class NE:
    def __getnewargs_ex__(self):
        return ((1,), {"k": 2})


class BadNA:
    def __getnewargs__(self):
        return [1]


def show(r):
    if not isinstance(r, tuple):
        return r
    out = []
    for x in r:
        if callable(x) and hasattr(x, "__module__") and getattr(x, "__module__", None) == "copyreg":
            out.append(x.__module__ + "." + x.__name__)
        elif type(x).__name__.endswith("iterator"):
            out.append(type(x).__name__ + ":" + str(list(x)))
        else:
            out.append(x)
    return tuple(out)


a = A()
a.x = 1
s = S()
s2 = S()
s2.a = 5
sd = SD()
sd.a = 1
sd.z = 2
objects = [object(), A(), a, 5, True, 10**20, 1.5, "x", [1, 2], (1,), {1: 2}, {1}, frozenset(),
           range(3), slice(1, 2), s, s2, sd, R(), G(), N(7), NE(), None]
for o in objects:
    for p in (0, 1, 2, 4):
        try:
            print(type(o).__name__, p, show(o.__reduce_ex__(p)))
        except Exception as e:
            print(type(o).__name__, p, type(e).__name__, e)
    for m in ("__reduce__", "__getstate__"):
        try:
            print(" ", m, show(getattr(o, m)()))
        except Exception as e:
            print(" ", m, type(e).__name__, e)

# asking for the state caches the slot names on the class, as copyreg._slotnames does
print(sorted(A.__dict__), sorted(S.__dict__))
print(S.__slotnames__, A.__slotnames__, SD.__slotnames__)
try:
    BadNA().__reduce_ex__(2)
except TypeError as e:
    print(e)
for arg in ("2", 2.0, 2**40):
    try:
        object().__reduce_ex__(arg)
    except Exception as e:
        print(type(e).__name__, e)
for f in (lambda: A.__reduce_ex__(2), lambda: A.__reduce__(), lambda: object.__reduce_ex__()):
    try:
        f()
    except TypeError as e:
        print(e)

# __getnewargs__ of the numbers
x = 10**20
print((5).__getnewargs__(), True.__getnewargs__(), (1.5).__getnewargs__(),
      x.__getnewargs__(), x.__getnewargs__()[0] is x, x.__getnewargs__()[0] == x)
print(type(True.__getnewargs__()[0]), "x".__getnewargs__(), (1, 2).__getnewargs__())

# __subclasshook__ is a classmethod returning NotImplemented
print(object.__subclasshook__(), A.__subclasshook__(int), int.__subclasshook__(1, 2))
try:
    object.__subclasshook__(x=1)
except TypeError as e:
    print(e)

# copyreg is there, as in CPython (which imports it at start-up)
import copyreg
print(copyreg.__name__, copyreg._HEAPTYPE, copyreg.__newobj__(list), copyreg.__newobj_ex__(list, (), {}))
print(copyreg._reconstructor(A, object, None).__class__.__name__, copyreg._slotnames(S))
print(copyreg._reduce_ex(a, 0)[1:], sorted(copyreg.__all__))
copyreg.add_extension("m", "n", 5)
try:
    copyreg.add_extension("m", "n", 6)
except ValueError as e:
    print(e)
copyreg.remove_extension("m", "n", 5)
print(copyreg._extension_registry, copyreg.dispatch_table[type(int | str)].__name__)
