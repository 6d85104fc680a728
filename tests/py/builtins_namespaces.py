# globals(), locals(), vars(), dir()
x = 1
def f(a, b=2):
    c = a + b
    def g():
        return c
    print(sorted(locals().items(), key=lambda kv: kv[0])[:3])
    print(sorted(vars()))
    print(dir())
    return g

g = f(1)
print("x" in globals(), globals()["x"], globals() is vars(), "f" in dir())
print([k for k in dir() if not k.startswith("__")])

class P:
    cls_attr = 5
    def __init__(self):
        self.a = 1
        self.b = 2
    def method(self):
        pass

p = P()
print([n for n in dir(p) if not n.startswith("__")])
print(vars(p), p.__dict__ is vars(p))
print([n for n in dir(P) if not n.startswith("__")])
print("__init__" in dir(p), "__class__" in dir(p), "__dict__" in dir(P))
import sys
print("getrefcount" in dir(sys), dir(sys) == sorted(dir(sys)))
print(len(dir([])) > 30, "append" in dir([]), "__len__" in dir([]))
try:
    vars(1)
except TypeError as e:
    print(e)
