# list[int] is a types.GenericAlias and int | str a types.UnionType, as in CPython 3.11.
import sys

a = list[int]
print(a, type(a), type(a).__module__, type(a).__name__)
print(a.__origin__, a.__args__, a.__parameters__, a.__unpacked__,
      a.__typing_unpacked_tuple_args__)
print(dict[str, list[int]], tuple[int, ...], list[()], tuple[()], list[1, "a"], list[None])
print(set[float], frozenset[str], tuple[int, str](), dict[str, int](a=1), set[int]([1]))


class A:
    pass


print(list[A], A | int, list[A] | None)

# equality and hashing go by origin and arguments
print(a == list[int], a != list[int], a == list[str], a == list, a != list)
print(hash(a) == hash(list[int]), hash(a) == hash(list) ^ hash((int,)))
print({list[int]: 1}[list[int]])

# calling the alias calls the origin; other attributes are the origin's
print(a(), a([1, 2]), a("ab"), a.__name__, a.__qualname__, a.__module__)
print(a.append, a.__getitem__, a.__class__, a.__doc__ == list.__doc__)
for name in ("__copy__", "__deepcopy__", "nope"):
    try:
        getattr(a, name)
    except AttributeError as e:
        print("AttributeError", e)

print(a.__reduce__(), a.__reduce_ex__(2), a.__mro_entries__((a,)))
print(type(a)(list, int), type(a)(dict, (str, int)).__args__)
for args, kw in (((list,), {}), ((list, int), {"x": 1})):
    try:
        type(a)(*args, **kw)
    except TypeError as e:
        print(e)
try:
    a[int]
except TypeError as e:
    print(e)
try:
    isinstance([], a)
except TypeError as e:
    print(e)
try:
    issubclass(list, a)
except TypeError as e:
    print(e)
try:
    hash(list[[]])
except TypeError as e:
    print(e)
try:
    int[str]
except TypeError as e:
    print(e)
print(sys.getsizeof(a), sys.getsizeof(int | str))

# unions: flattened, duplicates dropped, None shown as None
u = int | str
print(u, type(u), u.__args__, u.__parameters__, u.__module__)
print(int | None, None | int, int | list[int], (int | str) | float, int | str | int,
      int | list[int] | list[int], list[int] | list[int], int | int)
print(u == (str | int), u == int, u != (int | float), hash(u) == hash(str | int))
print(type.__or__(int, str), type.__ror__(int, str))
try:
    int.__or__(str)
except TypeError as e:
    print(e)
print(isinstance(1, u), isinstance(1.0, u), isinstance(None, int | None),
      issubclass(bool, u), issubclass(float, u))
tries = [("int | 1", lambda: int | 1), ("1 | int", lambda: 1 | int), ("u[int]", lambda: u[int]),
         ("isinstance('a', int | list[int])", lambda: isinstance("a", int | list[int])),
         ("issubclass(1, int | str)", lambda: issubclass(1, int | str)),
         ("type(u)()", lambda: type(u)()), ("None | None", lambda: None | None)]
for text, f in tries:
    try:
        print(f())
    except TypeError as e:
        print(text, "->", e)
print(isinstance(1, int | list[int]))
try:
    u.__origin__
except AttributeError as e:
    print(e)

# list.__imul__ and *= on a list
x = [1, 2]
y = x
x *= 2
print(x, y is x, [].__imul__(3), [0].__imul__(3), list.__imul__)
x.__imul__(0)
print(x, y)
try:
    x.__imul__("a")
except TypeError as e:
    print(e)

# a class statement with an alias among its bases uses __mro_entries__ (CPython's update_bases)
class B(list[int]):
    pass
print(B.__bases__, B.__orig_bases__, B.__mro__, B([1, 2]), "__orig_bases__" in B.__dict__)
class C(dict[str, int], metaclass=type):
    x = 1
print(C.__bases__, C.__orig_bases__, C(a=1))
class M:
    def __mro_entries__(self, bases):
        return (int, )
class D(M()):
    pass
print(D.__bases__, D(3) + 1)
class Bad:
    def __mro_entries__(self, bases):
        return [int]
try:
    class E(Bad()):
        pass
except TypeError as e:
    print(e)
class F(list):
    pass
print("__orig_bases__" in F.__dict__)
