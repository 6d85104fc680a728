# Arbitrary-precision arithmetic: results computed at run time from variables.
def show(label, *values):
    print(label, *values)

a = 12345678901234567890123456789
b = -98765432109876543210
n = 7
show("add", a + b)
show("sub", b - a)
show("mul", a * b)
show("square", a * a)
show("floordiv", a // b)
show("mod", a % b)
show("divmod", divmod(a, b))
show("divmod neg", divmod(-a, 97))
show("small floor", -n // 2, n // -2, -n % 3, n % -3)
show("pow", 3 ** 100, (-3) ** 101)
show("pow big", 2 ** 200 - 1)
show("pow mod", pow(a, 12345, 10 ** 20 + 39))
show("pow mod neg modulus", pow(3, 4, -5), pow(-3, 4, 5))
show("pow inverse", pow(38, -1, 97), pow(3, -4, -5))
show("pow negative exponent", 2 ** -2, (-2) ** -3)
show("neg abs invert", -a, abs(b), ~a, ~b)
x = 1
for i in range(1, 60):
    x = x * i
show("factorial 59", x)
q, r = divmod(x, a)
show("check", q * a + r == x, 0 <= r < a)
show("big // big", x // (a * a + 1), x % (a * a + 1))
show("digits boundary", 2 ** 30 - 1 + n - n, 2 ** 30 + 0, 2 ** 60 - 1, -(2 ** 90))
show("true div", 7 / 2, -7 / 2, a / b, (10 ** 30 + 1) / 3, 1 / 2 ** 1074)
show("true div exact", (2 ** 60 + 1) / 1, 10 ** 22 / 10 ** 21)
