def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)

z = 0
big = 2 ** 100
t(lambda: 1 // z)
t(lambda: 1 % z)
t(lambda: big % z)
t(lambda: divmod(1, z))
t(lambda: 1 / z)
t(lambda: big / z)
t(lambda: z ** -1)
t(lambda: pow(2, 3, z))
t(lambda: pow(2, -1, 4))
t(lambda: pow(2.0, 3, 5))
t(lambda: pow(2, 3.0, 5))
t(lambda: 10 ** 400 / 3)
t(lambda: 3 / 10 ** 400)
t(lambda: -(10 ** 400) / 3)
t(lambda: float(10 ** 400))
t(lambda: 10 ** 400 + 1.5)
t(lambda: 10 ** 400 < float("inf"))
t(lambda: 1 + "a")
t(lambda: 1 < "a")
t(lambda: -"a")
t(lambda: ~1.5)
t(lambda: 1.5 << 1)
t(lambda: 2 ** 0.5)
t(lambda: (-8) ** (1 / 3) if False else "skipped complex")
