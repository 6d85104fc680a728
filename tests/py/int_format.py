def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)

n = 255
big = 2 ** 100 + 12345
print(str(n), repr(-n), hex(n), hex(-n), hex(big), hex(0))
print(f"{n:b} {n:o} {n:x} {n:X} {n:#b} {n:#o} {n:#x} {n:#X}")
print(f"{big:,} {big:_} {big:_x} {-big:+,}")
print(f"[{n:>8}] [{n:<8}] [{n:^8}] [{-n:=8}] [{n:08}] [{n:+}] [{n: }] [{-n:*^9}]")
print(f"{n:.2f} {n:e} {n:g} {n:%} {big:.3e} {n:c}")
print(f"{True} {True:d} {False:>5} {True:x}")
t(lambda: f"{n:s}")
t(lambda: f"{n:.2}")
t(lambda: f"{-1:c}")
t(lambda: f"{n:,b}")
t(lambda: f"{2 ** 2000:.2f}")
huge = 10 ** 4299
t(lambda: len(str(huge)))
t(lambda: len(repr(-huge)))
t(lambda: str(huge * 10))
t(lambda: f"{huge * 10}")
t(lambda: len(hex(huge * 10)))
t(lambda: int("1" * 4300) % 7)
t(lambda: int("1" * 4301))
t(lambda: int("-" + "1" * 5000, 16) % 7)
