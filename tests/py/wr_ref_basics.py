import weakref, sys

class Node:
    def __init__(self, name):
        self.name = name
    def __repr__(self):
        return "Node(" + self.name + ")"

n = Node("a")
r1 = weakref.ref(n)
r2 = weakref.ref(n)
print(r1 is r2, r1() is n, weakref.ref(n, None) is r1)
print(type(r1), type(r1).__name__, weakref.ReferenceType is weakref.ref)
print(r1.__callback__, weakref.getweakrefcount(n))
log = []
def cb(w):
    log.append(w)
r3 = weakref.ref(n, cb)
r4 = weakref.ref(n, cb)
print(r3 is r4, r3.__callback__ is cb, weakref.getweakrefcount(n))
p = weakref.proxy(n)
refs = weakref.getweakrefs(n)
print(len(refs), refs[0] is r1, refs[1] is p, refs[2] is r4, refs[3] is r3)
print(n.__weakref__ is r1)
print(hash(r1) == hash(n), r1 == r3, r1 != r3, r1 == n, r3 == r4)
m = Node("b")
print(weakref.ref(m) == r1, weakref.ref(m) != r1)
try:
    r1 < r3
except TypeError as e:
    print("TypeError:", e)
try:
    r1(1)
except TypeError as e:
    print("TypeError:", e)
try:
    r1(x=1)
except TypeError as e:
    print("TypeError:", e)
try:
    weakref.ref()
except TypeError as e:
    print("TypeError:", e)
try:
    weakref.ref(n, cb, 1)
except TypeError as e:
    print("TypeError:", e)
try:
    weakref.ref(n, callback=cb)
except TypeError as e:
    print("TypeError:", e)
try:
    weakref.getweakrefcount()
except TypeError as e:
    print("TypeError:", e)
print(weakref.getweakrefcount(1), weakref.getweakrefs(1), weakref.getweakrefs(m))
rep = repr(r1)
print(rep.startswith("<weakref at 0x"), rep.endswith(">"), "; to 'Node' at 0x" in rep)
def f():
    pass
print(repr(weakref.ref(f)).endswith(" (f)>"))
print(sys.getrefcount(n), sys.getrefcount(r1))
h = hash(r1)
del n, refs, p
print(r1(), r3(), log == [r4, r3], r1 == r3, r1 == r1, r1 != r1)
print(hash(r1) == h, weakref.getweakrefcount(r1))
try:
    hash(r4)
except TypeError as e:
    print("TypeError:", e)
print(repr(r4).endswith("; dead>"), r4.__callback__)
