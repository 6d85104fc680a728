# sys.intern, interned identifiers and their reference counts.
import sys
built = "".join(["hello", ", world!"])
literal = "hello, world!"
print(built == literal, built is literal)
print(sys.intern(built) is built, sys.intern(literal) is built, sys.intern(built) is built)
print(sys.getrefcount(built))
a = "".join(["sp", "am"])
b = "".join(["sp", "am"])
print(a is b, sys.intern(a) is a, sys.intern(b) is a, sys.getrefcount(a))
c = sys.intern("".join(["egg", "s"]))
print(sys.getrefcount(c))
del c
d = sys.intern("".join(["egg", "s"]))
print(sys.getrefcount(d), d)
raw = ["-".join(["k", str(i % 3)]) for i in range(9)]
print(len(raw), len({id(s) for s in raw}))
canon = [sys.intern(s) for s in raw]
print(len({id(s) for s in canon}), canon[0] is canon[3], canon[0] is raw[0], canon[1] is raw[1])
class C:
    pass
o = C()
name = "".join(["attr", "_x"])
setattr(o, name, 1)
print(list(vars(o).keys())[0] is name, sys.intern("".join(["attr", "_x"])) is name)
try:
    sys.intern(5)
except TypeError as e:
    print(e)
s = "".join(["q", "z"])
n0 = sys.getrefcount(s)
t = sys.intern(s)
print(sys.getrefcount(s) - n0)
