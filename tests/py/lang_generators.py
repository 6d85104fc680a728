def g():
    x = yield 1
    print("got", x)
    try:
        y = yield 2
        print("got", y)
    finally:
        print("gen cleanup")
    return "done"
it = g()
print(next(it))
print(it.send("a"))
try:
    it.send("b")
except StopIteration as e:
    print("stop", e.value)
it2 = g()
next(it2)
next(it2)
it2.close()
print("closed")
def countdown(n):
    while n > 0:
        yield n
        n -= 1
print(list(countdown(3)), [x * 2 for x in countdown(2)])
gen = (i for i in range(3))
print(next(gen), list(gen), list(gen))
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
f = fib()
print([next(f) for _ in range(10)])
def thrower():
    try:
        yield 1
    except ValueError as e:
        print("caught in gen", e)
        yield 2
t = thrower()
next(t)
print(t.throw(ValueError("boom")))
def empty():
    return
    yield
print(list(empty()))
print(type(g()).__name__, sum(x for x in range(101)))
