import weakref, gc

class Res:
    def __init__(self, name):
        self.name = name

def close(name, how="normal"):
    print("closing", name, how)
    return name.upper()

r1 = Res("r1")
f1 = weakref.finalize(r1, close, "r1")
print(f1.alive, f1.atexit, f1.peek()[1:] == (close, ("r1",), {}), f1.peek()[0] is r1)
print(repr(f1).startswith("<finalize object at 0x"), "; for 'Res' at 0x" in repr(f1))
del r1
print(f1.alive, f1(), f1.peek(), f1.detach())
print(repr(f1).endswith("; dead>"))

r2 = Res("r2")
f2 = weakref.finalize(r2, close, "r2", how="explicit")
print(f2(), f2(), f2.alive)

r3 = Res("r3")
f3 = weakref.finalize(r3, close, "r3")
obj, func, args, kwargs = f3.detach()
print(obj is r3, func is close, args, kwargs, f3.alive)
del r3, obj
print("no callback for detached")

r4 = Res("r4")
r4.me = r4
f4 = weakref.finalize(r4, close, "r4", how="cycle")
del r4
print("before collect")
print(gc.collect())

keep = []
for i in range(3):
    o = Res("k%d" % i)
    keep.append(o)
    weakref.finalize(o, close, o.name, how="at exit")
f5 = weakref.finalize(keep[1], close, "k1-no-exit")
f5.atexit = False
print(f5.atexit)
def bad():
    raise ValueError("finalizer failed")
weakref.finalize(keep[0], bad)
print("end of program")
