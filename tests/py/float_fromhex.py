# float.fromhex, float.__getformat__ and float.__getnewargs__ as CPython 3.11 has them.
cases = ["0x1.8p1", "  -0X1P-1074 ", "inf", "-Infinity", "nan", "-nan", "iNf", "0x1p1024",
         "0x1.fffffffffffff8p1023", "0x1.fffffffffffff7p1023", "1", ".8", "0x.8", "x", "",
         "0x1p", "0x1.8p+1\n", "0x1p-1075", "0x1p-1074", "0x3p-1076", "0x1\x00",
         "0x1.ffffffffffffffp0", "0x1.00000000000008p0", "0x1.00000000000018p0",
         "0x1p99999999999999999999", "0x1p-99999999999999999999", "0x0p99999999999999999999",
         "+0x1P+3", "0x1.p1", "0x.p1", "-0x0", "0X10", "\u30000x1", "0x1 2", "1e3",
         "0x" + "1" * 400, "0x" + "0" * 300 + "1p-4", "0x1.0p-1022", "0x0.fffffffffffffp-1022"]
for s in cases:
    try:
        print(repr(s)[:24], float.fromhex(s))
    except (ValueError, OverflowError) as e:
        print(repr(s)[:24], type(e).__name__, e)
for x in (0.1, -2.5, 1e300, 5e-324, 1 / 3, 123456789.125):
    print(x, float.fromhex(x.hex()) == x, float.fromhex(x.hex()))
try:
    float.fromhex(1)
except TypeError as e:
    print(e)


class F(float):
    pass


print(type(F.fromhex("0x1p0")).__name__, F.fromhex("0x1p0"))
for a in ("double", "float", "x", 1, "dou\x00ble", None):
    try:
        print(repr(float.__getformat__(a)))
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
print((1.5).__getnewargs__(), F(2.5).__getnewargs__(), type(F(2.5).__getnewargs__()[0]))
