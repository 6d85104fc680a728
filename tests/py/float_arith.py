def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)

x = 7.5
y = -2.0
z = 0.0
print(x + y, x - y, x * y, x / y, x // y, x % y, divmod(x, y))
print(-7 // 2.0, -7 % 2.0, 7 % -2.0, divmod(-7, 2.0), divmod(7.5, -2))
print(-0.0 % 5, 0.0 // -5, -z, abs(-z), +x, -x, abs(y))
print(0.1 + 0.2, 1 / 3, 2 / 3, 1e16 + 1, 2 ** 0.5, 10 ** -2, 2.0 ** -1074)
print((-2.0) ** 2, (-2.0) ** 3, (-1.0) ** 1e300, 0.0 ** 0, 0.0 ** 2.5, (-0.0) ** 3)
print(float("inf") ** 0.5, float("-inf") ** 3, float("-inf") ** -3, 2.0 ** float("-inf"), 0.5 ** float("-inf"))
print(1.0 ** float("nan"), float("nan") ** 0, 1 + float("inf"), float("inf") - float("inf"))
t(lambda: x / z)
t(lambda: x // z)
t(lambda: x % z)
t(lambda: divmod(x, z))
t(lambda: 1 / z)
t(lambda: z ** -1)
t(lambda: z ** -1.5)
t(lambda: 10.0 ** 400)
t(lambda: 10 ** 400.0)
t(lambda: (-10.0) ** 401)
t(lambda: 1e308 * 10)
t(lambda: 2.0 ** 10 ** 400)
t(lambda: x + 10 ** 400)
t(lambda: x + "a")
t(lambda: pow(x, 2, 3))
i = 3
print(x + i, i - x, i * x, i / x, i // x, i % x, x ** i, i ** x, True + 0.5)
print(type(x + True).__name__, 2 ** 53 + 1.0, 2 ** 63 * 1.0, 1.5 * 2 ** 100)
