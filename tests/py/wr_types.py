import weakref, sys

class Plain:
    def meth(self):
        pass
class L(list):
    pass
class D(dict):
    pass
class I(int):
    pass
class T(tuple):
    pass
class Slots:
    __slots__ = ("x",)
class SlotsWeak:
    __slots__ = ("x", "__weakref__")
class SlotsChild(Slots):
    pass
class SlotsChildEmpty(Slots):
    __slots__ = ()
class E(Exception):
    pass
class SetSub(set):
    pass

def gen():
    yield 1

def try_ref(o):
    try:
        r = weakref.ref(o)
        print(type(o).__name__, "ok", r() is o)
    except TypeError as e:
        print("TypeError:", e)

for o in [1, 2**100, 1.5, True, None, "s", (1,), [1], {}, range(3), object(),
          set(), frozenset(), Plain, int, len, [].append, try_ref, Plain(), gen(),
          sys, Exception(), iter([]), Plain().meth]:
    try_ref(o)
for c in [L, D, I, T, Slots, SlotsWeak, SlotsChild, SlotsChildEmpty, E, SetSub]:
    try_ref(c())
s = SlotsWeak()
r = weakref.ref(s)
print(s.__weakref__ is r)
del s
print(r())
print(Plain().__weakref__)
print(hasattr(Slots(), "__weakref__"), hasattr(SlotsWeak(), "__weakref__"))
l = L([1, 2])
rl = weakref.ref(l)
print(rl(), weakref.getweakrefcount(l))
del l
print(rl())
fs = frozenset([1])
rf = weakref.ref(fs)
print(rf() is fs)
del fs
print(rf())
