def f():
    return x + 1
def g():
    return f()
g()
