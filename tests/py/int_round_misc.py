def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)

for v in [1234, 1250, 1350, -1250, -1350, 5, 15, 25, 2 ** 100 + 5]:
    print(v, round(v, -1), round(v, -2), round(v, 0), round(v, 3), round(v))
t(lambda: round(5, 2.0))
t(lambda: round(5, "x"))
t(lambda: (5).__round__(None))
t(lambda: (5).__round__(1, 2))
x = 10
print(x.real, x.imag, x.numerator, x.denominator, x.conjugate())
print(x.as_integer_ratio(), (-x).as_integer_ratio(), True.as_integer_ratio())
print(x.__trunc__(), x.__floor__(), x.__ceil__(), x.__index__(), x.__int__(), x.__float__())
print(True.real, type(True.real).__name__, True.imag, type(True.numerator).__name__)
print(hash(-1), hash(-2), hash(2 ** 61 - 1), hash(2 ** 61), hash(-(2 ** 61)), hash(10 ** 100))
print(hash(True), hash(False), hash(2 ** 64 + 5), hash(-(2 ** 64) - 5))
print(bool(0), bool(-1), bool(2 ** 100), bool(), bool([]), bool("x"))
t(lambda: bool(1, 2))
t(lambda: int(1, 2, 3))
t(lambda: int("5", foo=1))
t(lambda: int(base=2))
print(int("101", base=2), int("ff", 16))
