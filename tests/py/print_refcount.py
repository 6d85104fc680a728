# CPython's sys.stdout (a TextIOWrapper on a pipe) keeps printed ASCII str objects in its
# pending buffer until 8192 bytes have accumulated or it is flushed.
import sys
s = "abc" + str(len(sys.argv))
print(sys.getrefcount(s))
print(s)
print(sys.getrefcount(s))
print("x")
print(sys.getrefcount(s))
sys.stdout.flush()
print(sys.getrefcount(s))
t = "é" + str(len(sys.argv))
print(t)
print(sys.getrefcount(t))
u = "q" * len(sys.argv) * 8000
print(u)
print(sys.getrefcount(u))
print("y" * 100)
print(sys.getrefcount(u))
v = "v" * len(sys.argv) * 300
sys.stdout.write(v)
print(sys.getrefcount(v))
sys.stdout.flush()
print(sys.getrefcount(v))
big = "b" * len(sys.argv) * 9000
print(big)
print(sys.getrefcount(big))
w = "w" * len(sys.argv) * 300
sys.stderr.write(w)
print(sys.getrefcount(w))
sys.stderr.write("\n")
print(sys.getrefcount(w))
z = "z" * len(sys.argv) * 10
print(z, flush=True)
print(sys.getrefcount(z))
print(z, end="")
print(sys.getrefcount(z))
print()
names = ["n%d" % i for i in range(5)]
for n in names:
    print(n)
print([sys.getrefcount(n) for n in names])
