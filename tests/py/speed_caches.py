# The interpreter's speed-ups must never show: the type attribute cache, LOAD_GLOBAL's
# cache, the method-call path, the int fast paths and the plain-call frame set-up, each
# driven through the changes that must invalidate or bypass them.
import sys


# --- class attributes: added, replaced, deleted, inherited, shadowed --------------------
class Base:
    kind = "base"

    def who(self):
        return "Base.who"


class Child(Base):
    pass


c = Child()
seen = []
for step in range(6):
    seen.append((c.kind, c.who()))
    if step == 0:
        Base.kind = "changed"
    elif step == 1:
        Child.kind = "child"
    elif step == 2:
        del Child.kind
    elif step == 3:
        Base.who = lambda self: "lambda who"
    elif step == 4:
        c.who = lambda: "instance who"
print(seen)
del c.who
print(c.who(), hasattr(Child, "missing"), getattr(c, "missing", "default"))
Child.missing = 5
print(c.missing)
del Child.missing
print(hasattr(c, "missing"))


# --- method calls through instances with and without own attributes --------------------
class Counter:
    def __init__(self):
        self.n = 0

    def bump(self):
        self.n += 1
        return self.n


k = Counter()
total = 0
for i in range(5):
    total += k.bump()
k.bump = lambda: 100
print(total, k.bump(), Counter.bump(k), sys.getrefcount(k))
vars(k)                                   # attributes move to a real __dict__
del k.bump
print(k.bump(), k.n)


# --- types made and dropped in a loop (a dead type's cache entries must not match) -----
names = []
for i in range(50):
    T = type("T%d" % i, (), {"value": i, "get": lambda self: self.value})
    names.append(T().get())
    del T
print(sum(names))


# --- globals: shadowing a builtin, deleting the shadow, late definitions ---------------
def use_len(x):
    return len(x)


out = [use_len("abc")]
len = lambda x: -1
out.append(use_len("abc"))
del len
out.append(use_len("abcd"))
globals()["late"] = 7


def read_late():
    return late


out.append(read_late())
late = 8
out.append(read_late())
del late
try:
    read_late()
except NameError as e:
    out.append(str(e))
globals()["late"] = 9
out.append(read_late())
for j in range(20):
    globals()["g%d" % j] = j             # resizes the globals' table
out.append(read_late() + use_len([1, 2]))
print(out)


# --- int fast paths at the edges of one 30-bit digit and of the small-int cache ---------
edge = 2 ** 30 - 1
vals = [edge + 1, edge + edge, -edge - edge, edge * edge, -edge * 3, 5 - 10, 250 + 6, 250 + 7]
print(vals, [v.bit_length() for v in vals])
a = 200
b = 56
print(a + b is 256, a + b + 1 is 257, (a & 7) | 64, a ^ -b, -a & b, 7 * -3)
print([x < y for x, y in [(edge, edge + 1), (-edge, edge), (3, 3), (True, 2)]],
      edge + 1 == 2 ** 30, 3 != 3.0, 1 < 1.5)


# --- calls: cells in arguments, defaults, keyword-only, too few/many ---------------------
def outer(x, y=2):
    def inner():
        return x + y
    return inner


def kw(a, *, b=3):
    return a * b


print(outer(1)(), outer(1, 5)(), kw(2), kw(2, b=4))
for bad in (lambda: outer(), lambda: outer(1, 2, 3), lambda: kw(1, 2)):
    try:
        bad()
    except TypeError as e:
        print(e)
