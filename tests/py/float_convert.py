def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)

for s in ["1.5", " -2e3 ", "inf", "-Infinity", "nan", "-nan", "1_000.5", ".5", "5.", "+.5e+5",
          "1e400", "-1e-400", "0x10", "1__0", "", "abc", "1e", "in f", "\u0661.\u0665", "\u20031.25\u2003",
          "1.5j", "1,5", "  ", "9" * 400]:
    t(lambda: float(s))
t(lambda: float())
t(lambda: float(7))
t(lambda: float(2 ** 1000))
t(lambda: float(2 ** 1024))
t(lambda: float(True))
t(lambda: float(None))
t(lambda: float([]))
t(lambda: float(1, 2))
t(lambda: float(x=1))
t(lambda: (int(2.999), int(-2.999)))
t(lambda: int(1e300) == 10 ** 300)
t(lambda: int(1e300))
t(lambda: int(float("inf")))
t(lambda: int(float("-inf")))
t(lambda: int(float("nan")))
for v in [0.5, -0.25, 0.1, 3.0, 1e300, 5e-324, -0.0]:
    print(v.as_integer_ratio(), v.is_integer(), v.real, v.imag, v.conjugate())
t(lambda: float("inf").as_integer_ratio())
t(lambda: float("nan").as_integer_ratio())
print(float("inf").is_integer(), (2.5).__trunc__(), (-2.5).__floor__(), (-2.5).__ceil__(), (2.5).__int__())
print((2.5).__float__(), (7.9).__trunc__(), type((7.9).__trunc__()).__name__)
print(isinstance(1.5, float), type(1.5).__name__, float.__name__)
