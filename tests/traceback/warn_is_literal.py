# "is" with a literal: CPython 3.11 warns while compiling, before anything runs, once per
# comparison, in source order; the program's output is unchanged.
import sys

x = 1000
y = 999 + 1
print(x is 1000, x is not "abc", y is x)
small = 256
print(small is 256, small is not -5, 1000 is x)
print(x is (), x is -1, x is (1, 2), x is 1 + 2, x is "ab"[0])
print(x is None, x is ..., x is True, x is [], x is (x, 1), x is f"{x}")
print(1 is x is 2, x is 1 is 2, x == 1 is x)


def f(a):
    if a is 0 or a is not 1.5:
        return [b is 2 for b in range(3) if b is not "b"]
    return a is "a" if a else (lambda c: c is 3)(a)


class C:
    attr = sys is 10

    def m(self):
        return self is 11


print(f(0), f(1.5), C.attr, C().m())
print(not (x is 1), not x is not 2)
s = f"""{x is 4} and {
x is 5}"""
print(s)
