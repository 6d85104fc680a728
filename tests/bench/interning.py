# interning: strings built at run time, sys.intern, identity of interned and constant
# strings, and attribute names set with setattr (interned in place).
import sys

SIZE = 1000000  # bench: check=2000


class Box:
    pass


def run(n):
    names = ["name" + str(i % 500) for i in range(n)]
    same = 0
    table = {}
    for s in names:
        t = sys.intern(s)
        u = sys.intern("name" + s[4:])
        if t is u:
            same += 1
        table[t] = table.get(t, 0) + 1
    box = Box()
    for i in range(n // 10):
        setattr(box, names[i], i)
    keys = 0
    for k in vars(box):
        if sys.intern(k) is k:
            keys += 1
    joined = "".join(["ab", "cd"]) * 3
    return same, len(table), keys, joined is sys.intern(joined)


print(run(SIZE))
