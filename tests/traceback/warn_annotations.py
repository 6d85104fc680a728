# Annotations are compiled (in a module or class body, and in a def's signature) and so warn.
x = 1


def f(a: x is 2 = x is 3, *args: x is 4, b: x is 5 = 0, **kw: x is 6) -> x is 7:
    local: x is 8 = x is 9
    return a


class C:
    attr: x is 10 = 1
    other: x is 11


top: x is 12 = f(0)
(paren): x is 13 = 2
print(top, paren, C.attr)
