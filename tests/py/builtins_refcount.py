# References the builtins hold while they run (visible from a method they call).
import sys

class A:
    def __lt__(self, other):
        print("lt", sys.getrefcount(self))
        return False
    def __gt__(self, other):
        print("gt", sys.getrefcount(self))
        return False
    def __repr__(self):
        print("repr", sys.getrefcount(self))
        return "A"
    def __hash__(self):
        print("hash", sys.getrefcount(self))
        return 1
    def __index__(self):
        print("index", sys.getrefcount(self))
        return 1
    def __str__(self):
        print("str", sys.getrefcount(self))
        return "a"

x = A()
y = A()
max(x, y)
min(x, y)
max([x, y])
repr(x)
hash(x)
hex(x)
sorted([x, y])
print(x)
print(x, x)
print(x, sep="")
print(sys.getrefcount(x))
big = int("1" + "0" * 20)
l = [big, big]
m = max(l)
print(m is big, sys.getrefcount(big))
del m
s = sum([big, 1])
print(s == big + 1, sys.getrefcount(big))
t = sorted(l)
print(sys.getrefcount(big), sys.getrefcount(t))
