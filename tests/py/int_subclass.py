import sys

class Meters(int):
    def describe(self):
        return "%d m" % self

class Ratio(float):
    pass

m = Meters(5)
big = Meters(2 ** 100)
print(m, repr(m), type(m).__name__, m.describe(), isinstance(m, int))
print(m + 1, type(m + 1).__name__, type(-m).__name__, type(+m).__name__, type(abs(m)).__name__)
print(type(m * 1).__name__, type(int(m)).__name__, int(m) is m, m.real, type(m.real).__name__)
print(sys.getsizeof(m), sys.getsizeof(big), sys.getsizeof(Meters()), big.bit_length())
print(Meters("ff", 16), Meters(3.9), Meters(True), hash(m) == hash(5), m == 5, {m: "x"}[5])
r = Ratio(2.5)
print(r, repr(r), type(r).__name__, r * 2, type(r * 2).__name__, type(-r).__name__, r.real, type(r.real).__name__)
print(Ratio("1e3"), Ratio(), float(r), type(float(r)).__name__, round(r), r.is_integer())
print(int.__new__(Meters, 12), float.__new__(Ratio, 7), type(int.__new__(Meters, 12)).__name__)
def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)
t(lambda: int.__new__(float, 5))
t(lambda: Meters("x"))
t(lambda: Ratio("x"))
