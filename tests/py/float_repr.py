vals = [0.0, -0.0, 1.0, -1.5, 0.1, 1 / 3, 1e16, 1e15, 123456789012345678.0, 1e-4, 1e-5,
        1.7976931348623157e308, 5e-324, 2.5e-310, float("inf"), float("-inf"), float("nan"),
        100.0, 1e22, 1e23, 0.30000000000000004, 9007199254740993.0, 3.141592653589793]
for v in vals:
    print(repr(v), str(v), f"{v}", f"{v:.3}", f"{v:10.4f}|", f"{v:e}", f"{v:g}", f"{v:+.2%}")
print(f"{1234567.891:,.2f} {1234567.891:_.3f} {-0.0:z.1f} {0.5:.0f} {1.5:.0f} {2.5:.0f}")
print(f"{3.14159:*^12.3f} {-3.5:=+10.2f} {12.0:#g} {12.0:#.0f} {1e-7:.2g} {123.456:G}")
print(f"{float('nan'):+} {float('inf'):010} {float('-inf'):^9}")
print(round(2.5), round(3.5), round(-2.5), round(0.5), round(1.5), round(-0.5))
print(round(2.675, 2), round(1.005, 2), round(123.456, -1), round(123.456, -2), round(-0.0, 1))
print(round(1e300, -400), round(1e300, 400), round(5e-324, 330), round(1.23456789, 5))
print(type(round(2.5)).__name__, type(round(2.5, 0)).__name__, round(2.5, None))
def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)
t(lambda: round(float("inf")))
t(lambda: round(float("nan")))
t(lambda: round(float("inf"), 2))
t(lambda: round(1.7976931348623157e308, -308))
t(lambda: round(2.5, "x"))
t(lambda: round(2.5, 1.0))
t(lambda: f"{2.5:d}")
t(lambda: f"{2.5:,x}")
t(lambda: f"{2.5:.1000f}"[:10])
t(lambda: (2.5).__round__(1, 2))
t(lambda: (0.1).hex())
t(lambda: (-2.5).hex())
t(lambda: (1e-320).hex())
t(lambda: (0.0).hex())
