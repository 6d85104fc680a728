def make_adders():
    return [lambda x, i=i: x + i for i in range(3)]
print([f(10) for f in make_adders()])
def late():
    fs = []
    for i in range(3):
        fs.append(lambda: i)
    return [f() for f in fs]
print(late())
def outer(a):
    def middle():
        def inner():
            return a * 2
        return inner()
    return middle()
print(outer(21))
def cell_arg(x):
    def get():
        return x
    x += 1
    return get()
print(cell_arg(1))
counter = 0
def bump():
    global counter
    counter += 1
    return counter
bump(); bump()
print(counter)
class K:
    v = 1
    items = [v * 2 for v in range(3)]
    def meth(self):
        return __class__.__name__
print(K.items, K.v, K().meth())
def unbound():
    try:
        print(z)
        z = 1
    except UnboundLocalError as e:
        print("UnboundLocalError:", e)
unbound()
x = 5
def shadow():
    x = 10
    def inner():
        return x
    return inner()
print(shadow(), x)
def deleter():
    a = 1
    del a
    try:
        return a
    except UnboundLocalError as e:
        return str(e)
print(deleter())
