def g():
    yield
    yield x
    yield x, y
    y = yield
    y = yield x
    z = (yield)
    f((yield))
    yield from_ if 0 else 1
    yield *a, b
