# dir() of the builtin types, their instances, a class, an instance and a function, as
# CPython 3.11 lists them.  int.to_bytes/from_bytes and str.encode need bytes, which the
# language subset leaves out: they are filtered from both sides.
NEED_BYTES = {"to_bytes", "from_bytes", "encode"}


def names(o):
    return [n for n in dir(o) if n not in NEED_BYTES]


class A:
    pass


class B(A):
    """A docstring."""
    __slots__ = ("x",)

    def method(self):
        return self


def f(a, b=2):
    return a + b


for t in (int, float, str, list, tuple, dict, set, frozenset, bool, type, object, range,
          slice):
    print(t.__name__, len(names(t)))
    print(names(t))

for x in (5, 1.5, "s", [1], (1,), {1: 2}, {1}, frozenset(), True, range(3), slice(2),
          None, object()):
    print(type(x).__name__, names(x) == names(type(x)), len(names(x)))

a = A()
a.attr = 1
print(names(A))
print(names(a))
print(names(B))
print(names(B()))
print(names(f))
f.extra = 3
print(names(f))
print(names(list[int]) == sorted(set(names(list)) | {
    "__args__", "__origin__", "__parameters__", "__unpacked__", "__mro_entries__",
    "__typing_unpacked_tuple_args__", "__copy__", "__deepcopy__"}))

# dir() goes through __dir__, which every object now has
print(object.__dir__(a) == list(a.__dict__) + [n for n in object.__dir__(a) if n not in a.__dict__])
print(sorted(type.__dir__(A)) == names(A))
print(sorted(n for n in object.__dir__(5) if n not in NEED_BYTES) == names(int))


class WithDir:
    def __dir__(self):
        return ["b", "a", "c"]


print(dir(WithDir()))
try:
    dir(1, 2)
except TypeError as e:
    print(e)
