# weakref_churn: weak references (with and without callbacks) to objects that die at once,
# and a WeakValueDictionary whose entries come and go.
import weakref

SIZE = 500000  # bench: check=2000

calls = 0


class Obj:
    pass


def callback(r):
    global calls
    calls += 1


def churn(n):
    alive = 0
    for i in range(n):
        o = Obj()
        r = weakref.ref(o, callback)
        plain = weakref.ref(o)
        if r() is o and plain is weakref.ref(o):
            alive += 1
        del o
        if r() is None and plain() is None:
            alive += 1
    return alive


def value_dict(n):
    wvd = weakref.WeakValueDictionary()
    keep = []
    for i in range(n):
        o = Obj()
        wvd[i] = o
        if i % 3 == 0:
            keep.append(o)
    return len(wvd), len(keep)


print(churn(SIZE), calls, value_dict(SIZE // 4))
