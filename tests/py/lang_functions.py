def f(a, b=2, *args, c, d=4, **kw):
    return a, b, args, c, d, sorted(kw.items())
print(f(1, c=3))
print(f(1, 5, 6, 7, c=8, e=9, f=10))
def g(x, /, y):
    return x + y
print(g(1, y=2))
lam = lambda q, r=10: q * r
print(lam(3), lam(3, 4))
def counter():
    count = 0
    def inc():
        nonlocal count
        count += 1
        return count
    return inc
c = counter()
c(); c()
print(c())
total = 0
def add(v):
    global total
    total += v
add(5); add(6)
print(total)
def deco(fn):
    def wrapper(*a, **k):
        return "<" + str(fn(*a, **k)) + ">"
    return wrapper
@deco
def hello(name):
    return "hi " + name
print(hello("bob"))
def gen(n):
    for i in range(n):
        yield i * i
print(list(gen(4)), sum(gen(5)))
print([i for i in range(5) if i % 2], {k: v for k, v in zip("ab", [1, 2])}, {x % 3 for x in range(9)})
print(list(x + y for x in range(2) for y in range(3)))
def kw_only(*, key):
    return key
print(kw_only(key="k"))
def rec(n):
    return 1 if n <= 1 else n * rec(n - 1)
print(rec(10))
print((lambda *a: a)(1, 2), (lambda **k: k)(z=1))
args = [1, 2]
kwargs = {"c": 3}
print(f(*args, **kwargs))
