import sys
x = 3.0
print(sys.getrefcount(x))
y = 70000
print(sys.getrefcount(y))
z = "hello world!"
print(sys.getrefcount(z))
w = (1, 2)
print(sys.getrefcount(w))
def f():
    a = 4.5
    return sys.getrefcount(a)
print(f())
def g():
    return 70000
def h():
    return 69999 + 1
print(g() is h(), sys.getrefcount(g()))
big = 2 ** 1000
s = "x" * 5000
print(sys.getrefcount(big), sys.getrefcount(s))
for v in [1.5, 2.5]:
    print(sys.getrefcount(v))
print(7.25 in [7.25, 8.5], sys.getrefcount(8.5))
