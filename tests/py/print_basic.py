# print(): sep, end, file, flush, and sys.stdout.write.
import sys
print()
print(1, 2, 3)
print(1, 2, 3, sep=", ")
print(1, 2, 3, sep="")
print("a", "b", end="!\n")
print("no newline", end="")
print(" -- continued")
print(None, True, 1.5, [1, "x"], (1,), {"k": 1}, {1})
print("x", sep=None, end=None, file=None)
print("flushed", flush=True)
print("to stderr", file=sys.stderr)
n = sys.stdout.write("written\n")
print(n, sys.stdout.write(""), sys.stdout.flush())
print("é ü 中", "\U0001F600")
class W:
    def __init__(self):
        self.parts = []
    def write(self, s):
        self.parts.append(s)
w = W()
print("a", "b", sep="-", end="|", file=w)
print(w.parts)
class Obj:
    def __str__(self):
        return "str!"
    def __repr__(self):
        return "repr!"
print(Obj(), [Obj()])
print(*[1, 2, 3])
print(*"abc", sep="/")
try:
    sys.stdout.write(1)
except TypeError as e:
    print(e)
try:
    sys.stdout.write()
except TypeError as e:
    print(e)
try:
    print("\ud800")
except UnicodeError as e:
    print("encode error:", e)
print("after")
