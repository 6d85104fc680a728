def f():
    pass

def g(a, b):
    return a + b

def h(a, b=1, *args, c, d=2, **kwargs):
    return

def i(a, /, b, *, c):
    pass

def j(a=1, /, b=2, *, c=3):
    pass

def k(a: int, b: str = 'x', *args: tuple, c: float, **kw: dict) -> None:
    pass

def l(*, a):
    pass

def m(a, /):
    pass

def n(a,):
    pass

def o(
    a,
    b,
):
    x = 1
    return x
