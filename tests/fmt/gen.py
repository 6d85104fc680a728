#!/usr/bin/env python3
"""Record CPython 3.11's answers for the core's formatting library (core/lib/fmt.c).

    python3.11 tests/fmt/gen.py > tests/fmt/cases.txt

tests/c/test_fmt.c reads the output and compares byte for byte.  Every expected value
comes from running this interpreter; nothing is typed by hand.  Random cases use fixed
seeds, so the output is reproducible.

Line format: tab-separated fields; in every field '\\' is written '\\\\' and control
characters (and DEL) as '\\xHH'; everything else is UTF-8.  Doubles are 16 hex digits
of their IEEE bits.  A result is '=' + the value, or '!' + 'ExcName: message'.

    repr   BITS  TEXT                       repr(x)
    dts    BITS  CODE  PREC  ALT  RESULT    '%[#].PREC CODE' % x  (PyOS_double_to_string)
    fmt    KIND  TYPENAME  VALUE  SPEC  RESULT
                 KIND i: VALUE is a decimal int; f: BITS; s: the string
    round  BITS  NDIGITS  RESULT            round(x, ndigits), RESULT '=' + BITS
    round0 BITS  BITS                       float(round(x))
    parse  TEXT  RESULT                     float(text), RESULT '=' + BITS
"""
import math
import random
import struct
import sys
from decimal import Decimal

if sys.implementation.name != "cpython" or sys.version_info[:2] != (3, 11):
    sys.exit("gen.py must run under CPython 3.11 (this is %s %s)"
             % (sys.implementation.name, sys.version.split()[0]))

sys.stdout.reconfigure(encoding="utf-8", newline="\n")
INF = float("inf")
NAN = float("nan")


def esc(s):
    out = []
    for ch in s:
        o = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif o < 0x20 or o == 0x7F:
            out.append("\\x%02x" % o)
        else:
            out.append(ch)
    return "".join(out)


def bits(x):
    if x != x:  # canonical nan, keeping its sign
        return "fff8000000000000" if math.copysign(1, x) < 0 else "7ff8000000000000"
    return "%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]


def from_bits(u):
    return struct.unpack("<d", struct.pack("<Q", u))[0]


def emit(*fields):
    print("\t".join(esc(str(f)) for f in fields))


def result(fn):
    try:
        return "=" + fn()
    except Exception as e:  # noqa: BLE001 -- we record whatever CPython raises
        return "!%s: %s" % (type(e).__name__, e)


# ---------------------------------------------------------------- repr ----------------

def gen_repr():
    rnd = random.Random(1)
    vals = [0.0, -0.0, INF, -INF, NAN, 1.0, -1.0, 0.1, 0.2, 0.1 + 0.2, 1 / 3, 2 / 3,
            math.pi, math.e, 1e16, 1e15, 9999999999999998.0, 1e16 - 2, 1e17,
            123456789012345678.0, 2e16 + 8, 1e-4, 1e-5, 1.5e-5, 0.0001234, 0.00001234,
            5e-324, 1e-323, 1.5e-323, 2.2250738585072014e-308, 2.225073858507201e-308,
            1.7976931348623157e308, 1e300, 1e22, 1e23, 2.0 ** 53, 2.0 ** 53 + 2,
            2.0 ** 63, 2.0 ** 64, 9007199254740993.0, 0.3, 100.0, 1234567.0, 1e-7,
            -1.5, 123.456, 1e-310, 4.35, 0.7, 1.1, 2.675, 5e-5, 9.5, 99.5, 1e100,
            12345678901234567890.0, 0.000123, 1e-320, 3.0e-310, 2 ** -1022 * 1.5]
    vals += [2.0 ** e for e in range(-1074, 1024)]
    for k in range(-25, 25):
        p = float("1e%d" % k)
        vals += [p, math.nextafter(p, INF), math.nextafter(p, 0)]
    vals += [from_bits(rnd.getrandbits(64)) for _ in range(1500)]
    vals += [from_bits(rnd.getrandbits(52)) for _ in range(150)]           # subnormal
    for _ in range(300):                                                   # short ones
        nd = rnd.randint(1, 17)
        vals.append(float("%se%d" % (rnd.randint(1, 10 ** nd - 1), rnd.randint(-330, 300))))
    for x in vals:
        emit("repr", bits(x), repr(x))


# ---------------------------------------------------------------- dts -----------------

def gen_dts():
    rnd = random.Random(2)
    vals = [0.0, -0.0, 1.0, 0.5, 1.5, 2.5, 0.125, 2.675, 1234.5, 1e16, 1e-5, 123456.789,
            9.9999, 5e-324, 1.7976931348623157e308, INF, -INF, NAN, -1.25, 1e22, 0.1]
    vals += [from_bits(rnd.getrandbits(64)) for _ in range(40)]
    for x in vals:
        for code in "eEfFgG":
            for prec in (0, 1, 3, 17, 30):
                alt = rnd.random() < 0.3
                if code in "fF" and abs(x) > 1e30 and prec > 3:
                    continue
                spec = "%" + ("#" if alt else "") + ".%d" % prec + code
                emit("dts", bits(x), code, prec, int(alt), result(lambda: spec % x))


# ---------------------------------------------------------------- fmt -----------------

class MyInt(int):
    pass


class MyFloat(float):
    pass


class MyStr(str):
    pass


def emit_fmt(kind, value, spec):
    tname = type(value).__name__
    if kind == "i":
        v = str(int(value))
    elif kind == "f":
        v = bits(float(value))
    else:
        v = str(value)
    emit("fmt", kind, tname, v, spec, result(lambda: format(value, spec)))


INT_SPECS = ["", "d", "b", "o", "x", "X", "n", "#b", "#o", "#x", "#X", "10", "<10",
             ">10", "^10", "=10", "010", "+", "-", " ", "+010", "#010x", "#010b", "_b",
             "_o", "_x", "_X", "#_b", "#_x", ",", "_", ",d", "_d", "020,", "020_", "09,",
             "08,", "07,", "01,", "0,", "*^15,", "+015_x", "#012_x", "e", "E", "f", ".2f",
             "g", "%", ".2%", ",.2f", ".3e", "=+12", "0=12", "x=12,", "^+12", "€<10",
             "0>10", "010n", " 08,", "-^9", "0^9", "#o", "#X", "+#x", " #b", "#020_X",
             "_n", ",x", ".2", "z", "c", "+c", "#c", "5c", "q", "dd", ".", ",_", "_,",
             "😀^14_", "٣", "1٣", "0=#10_b", "012,.3f", "+.1e", "g", ".0%", "F", "G"]

FLOAT_SPECS = ["", "e", "E", "f", "F", "g", "G", "n", "%", ".0e", ".3e", ".0f", ".2f",
               ".10f", ".0g", ".1g", ".3g", ".17g", ".20g", ".0%", ".1%", "#", "#.0e",
               "#.0f", "#g", "#.3g", "#.0", ".3", ".1", ".0", ".16", ".17", "10", "<10",
               ">10", "^10", "=10", "010", "+", "-", " ", "+.2f", " .2f", "010.2f",
               "+010.2f", "-010.2f", " 010.2f", ",", "_", ",.2f", "_.2f", "020,.2f",
               "020_.3f", ",e", ",g", ",%", "015,", "*^20.3e", "x<12", "€>12.2f", "z",
               "z.2f", "z.0f", "+z.1f", "z.3e", "z%", "12.5G", "#.3G", ".2F", "30.20e",
               "z.2g", "0=15,.1f", "^+15.2e", "#10.0e", "d", "x", "c", "s", ".60f", ",n",
               "#,", "0<10", "#.5", ".2n", "+E", "#G", " G"]

STR_SPECS = ["s", "10", "<10", ">10", "^10", "^9", "*^11", ".2", ".0", "10.2", "€^10",
             "0", "010", "0<10", "😀>8", ".10", "x^3", "<", ">1", ".1s", "=10", "+", " ",
             "-", "z", "#", ",", "_", "d", "x", "q", "=", "10=", ".", "..2", "abc", "0=5",
             "^#", ">+", "#=", "¿<5", "\x00>4", "\x00"]


def gen_fmt():
    ints = [0, 1, -1, 5, 42, -42, 255, -255, 1234, -1234, 1234567, 65535, 10 ** 20,
            -10 ** 20, 2 ** 64, 10 ** 50 + 7, -(3 ** 200), 2 ** 100, 65, 0x20AC, 0x1F600,
            0x10FFFF, 0x110000, 2 ** 63]
    for v in ints:
        for s in INT_SPECS:
            emit_fmt("i", v, s)
    for s in ["", ",", "_x", "#o", "e", ".3%", "c", "+", "q"]:
        emit_fmt("i", 10 ** 400, s)     # past float range
    for v in [True, False, MyInt(-77), MyInt(12345)]:
        for s in ["", "d", "5", "#x", "+", "q", ".2", "c", "xx", ",", "f", "=^10", "z"]:
            emit_fmt("i", v, s)
    floats = [0.0, -0.0, 1.0, -1.0, 1.5, 2.5, 0.125, 0.375, 2.675, 1234.5, 1234567.891,
              -1234567.891, 1e16, 1e15, 123456789012345678.0, 1e-5, 0.0001, 0.00012345,
              1e100, 1.7976931348623157e308, 5e-324, 0.1, 1 / 3, INF, -INF, NAN, 9.999999,
              99.5, 0.5, 1e22, 12345.6789, -0.0001, 100.0, 1e-300]
    for v in floats:
        for s in FLOAT_SPECS:
            emit_fmt("f", v, s)
    for v in [MyFloat(2.5), MyFloat(-1e-9)]:
        for s in ["", "d", ".3", "+e", "x<9", "zz"]:
            emit_fmt("f", v, s)
    strs = ["", "abc", "héllo", "日本語", "aaaaa", "😀x", "a\tb", "0123456789abcdef"]
    for v in strs:
        for s in STR_SPECS:
            emit_fmt("s", v, s)
    for s in ["", "5", "d", ".1"]:
        emit_fmt("s", MyStr("xyz"), s)
    # NUL as type and fill; non-ASCII type codes; type names past the 200-byte limit
    long_name = type("L" * 250, (int,), {})
    cut_name = type("x" + "é" * 150, (float,), {})
    for v, s in [(5, "\x00"), (1.5, "\x00"), (1.5, "\x00>6"), (5, "\x00^7"), (5, "é"),
                 (5, ",é"), (5.0, "_é"), (long_name(5), "q"), (long_name(5), "xx"),
                 (cut_name(5), "q"), (cut_name(5), "1_2_")]:
        emit_fmt("f" if isinstance(v, float) else "i", v, s)
    # value-independent limits
    emit_fmt("i", 5, "9" * 25)
    emit_fmt("i", 5, "." + "9" * 25)
    emit_fmt("i", 5, "9223372036854775808")
    emit_fmt("f", 1.0, ".2147483648f")
    emit_fmt("i", 5, ".2147483648f")
    emit_fmt("f", 1.0, ".2147483647z")
    emit_fmt("s", "a", ".2147483648")
    emit_fmt("s", "a", ".9223372036854775807")


# random specs: a structured generator and a chaotic one
PIECES = ["<", ">", "^", "=", "*<", "0=", "é^", "+", "-", " ", "z", "#", "0", "5", "12",
          ",", "_", ".", ".2", ".0", "d", "x", "X", "b", "o", "c", "n", "e", "E", "f", "F",
          "g", "G", "%", "s", "q", "٣", ".٢", "€"]


def random_spec(rnd):
    if rnd.random() < 0.35:
        return "".join(rnd.choice(PIECES) for _ in range(rnd.randint(1, 4)))
    s = ""
    if rnd.random() < 0.4:
        s += rnd.choice(["", "*", "0", "é", " ", "€", "_"]) + rnd.choice("<>=^")
    s += rnd.choice(["", "", "+", "-", " "])
    s += rnd.choice(["", "", "", "z"])
    s += rnd.choice(["", "", "#"])
    s += rnd.choice(["", "", "0"])
    s += rnd.choice(["", "", "1", "7", "16", "25"])
    s += rnd.choice(["", "", "", ",", "_"])
    s += rnd.choice(["", "", ".0", ".1", ".3", ".12"])
    s += rnd.choice(["", "", "d", "x", "X", "b", "o", "c", "n", "e", "E", "f", "F", "g",
                     "G", "%", "s"])
    return s


def gen_random_fmt():
    rnd = random.Random(3)
    ints = [0, 7, -7, 65, 1234567, -98765432109876543210, 0xDEADBEEF]
    floats = [0.0, -0.0, 1.5, -1234.5678, 1e-7, 1e20, INF, NAN, 123456789.125, -0.004]
    strs = ["", "abc", "héllo wörld", "日本"]
    for _ in range(600):
        spec = random_spec(rnd)
        emit_fmt("i", rnd.choice(ints), spec)
        emit_fmt("f", rnd.choice(floats), spec)
        emit_fmt("s", rnd.choice(strs), spec)
    for _ in range(400):    # random floats with common specs
        x = from_bits(rnd.getrandbits(64)) if rnd.random() < 0.5 else \
            rnd.uniform(-1, 1) * 10 ** rnd.randint(-12, 25)
        spec = rnd.choice(["", "e", "f", "g", "%", ".3", ".12g", ",.2f", "_", "+.5e",
                           ".0f", "#.0g", "z.1f", "020,.4f", "n", ".17", ".1e"])
        if "f" in spec or "%" in spec:
            if abs(x) > 1e40:
                continue
        emit_fmt("f", x, spec)
    for _ in range(200):    # random ints with grouping and bases
        v = rnd.randint(-10 ** rnd.randint(1, 60), 10 ** rnd.randint(1, 60))
        spec = rnd.choice(["", ",", "_", "_x", "_b", "#_o", "#X", "030,", "0=40_", "+,",
                           " 25_d", "e", ".3g", "%", "^30,"])
        emit_fmt("i", v, spec)


# ---------------------------------------------------------------- round ---------------

def gen_round():
    rnd = random.Random(4)
    cases = [(2.675, 2), (0.125, 2), (0.375, 2), (2.5, 0), (1234.5, -2), (-0.5, 0),
             (0.5, 0), (1.5, 0), (1e300, -300), (1.7976931348623157e308, -308),
             (1.7976931348623157e308, -307), (1.7e308, -308), (5e-324, 323), (5e-324, 324),
             (5e-324, 322), (1e-320, 322), (123.456, 400), (123.456, -400),
             (-123.456, -400), (-0.001, 1), (0.0, 2), (-0.0, -2), (INF, 2), (-INF, -2),
             (NAN, 3), (0.5, -1), (5.0, -1), (15.0, -1), (25.0, -1), (50.0, -2),
             (150.0, -2), (1e22, -22), (5e22, -23), (1.15, 1), (1.25, 1), (1.35, 1),
             (2.5e-5, 5), (123456789.123456789, 4), (-2.675, 2), (0.285, 2), (1.005, 2),
             (8.5, 0), (9.5, 0), (4.35, 1), (1e-5, 5), (1e-5, 4), (0.1, 17), (0.1, 20),
             (1e16, 1), (4.9e-324, 323), (2.5e-323, 323), (7.5e-323, 322),
             (1e308, -308), (9.5e307, -308), (4.5e307, -308), (1.5, -308), (1.5, -309)]
    for _ in range(700):
        k = rnd.random()
        if k < 0.4:
            x = rnd.uniform(-1, 1) * 10 ** rnd.randint(-20, 20)
        elif k < 0.6:   # exact ties in binary: multiples of 2^-j
            x = rnd.randint(-10 ** 6, 10 ** 6) / 2 ** rnd.randint(0, 10)
        elif k < 0.8:   # short decimals, the classic "round(2.675, 2)" shape
            x = float("%d.%0*d" % (rnd.randint(0, 999), 3, rnd.randint(0, 999)))
        else:
            x = from_bits(rnd.getrandbits(64))
        cases.append((x, rnd.randint(-25, 25)))
    for x, n in cases:
        emit("round", bits(x), n, result(lambda: bits(round(x, n))))
    r0 = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.5, 10.5, -11.5, 0.49999999999999994,
          4503599627370495.5, 4503599627370496.0, -4503599627370495.5, 1e300, -1e300,
          0.0, -0.0, 0.3, -0.7, 1.7976931348623157e308, 5e-324, 2.0 ** 52 + 1, 123.5,
          124.5]
    r0 += [rnd.randint(-10 ** 6, 10 ** 6) / 4 for _ in range(100)]
    r0 += [rnd.uniform(-1e17, 1e17) for _ in range(50)]
    for x in r0:
        emit("round0", bits(x), bits(float(round(x))))


# ---------------------------------------------------------------- parse ---------------

def gen_parse():
    rnd = random.Random(5)
    fixed = ["1.5", " 1.5 ", "\t-1.5\n", "+1.5", "1_000.5", "1__0", "_1", "1_", "1_.5",
             "1._5", "1e1_0", "1e_10", "1_e10", "inf", "-Infinity", "iNfInItY", "nan",
             "-nan", "+NaN", "infinit", "in", "", " ", ".", ".5", "5.", "-.5e-3", "1e",
             "1e+", "1e5", "1E-5", "0x10", "1e400", "-1e400", "1e-400", "-1e-400",
             "2.4703282292062327e-324", "2.4703282292062328e-324", "4.9406564584124654e-324",
             "١٢٣", "\u2003 1.5 \u3000", "\x851.5", "\x1c1.5", "1.5\x00", "é", "1 5",
             "- 1", "--1", "+-1", "1.5e3.5", "0", "-0", "00000", "-0.000e99", "0e0",
             "1.7976931348623157e308", "1.7976931348623158e308", "1.797693134862315807e308",
             "1.7976931348623159e308", "179769313486231580793728971405301e276",
             "2.2250738585072011e-308", "2.2250738585072012e-308", "0.1", "3.14159",
             "123456789012345678901234567890", "1e-7", "9007199254740993",
             "9007199254740993.0000000000000000001", "9007199254740992.9999999999999",
             "1e" + "9" * 30, "1e-" + "9" * 30, "0." + "0" * 400 + "1",
             "1" + "0" * 400 + "e-400", "inf inity", "infinityy", "nan(1)", "+inf",
             "١_٢", "1_2_3.4_5e1_0", "1.e5", ".e5", "e5", "+.e5", "1e+05", "1e-0",
             "١.٥e٣", "\u00a01\u00a0", "\v\f1\r", "\x7f1", "1\u200b", "  -inf  "]
    for s in fixed:
        emit("parse", s, result(lambda: bits(float(s))))
    for _ in range(500):
        x = abs(from_bits(rnd.getrandbits(64)))
        if not math.isfinite(x):
            continue
        up = math.nextafter(x, INF)
        if not math.isfinite(up):
            continue
        d = Decimal(x)
        mid = (d + Decimal(up)) / 2
        k = rnd.random()
        if k < 0.25:
            s = repr(x)
        elif k < 0.4:
            s = "%.25e" % x
        elif k < 0.55:
            s = str(d)
        elif k < 0.75:
            s = format(mid, "f") if abs(mid.adjusted()) < 40 else format(mid, "e")
        elif k < 0.87:
            s = format(mid, "e")
            mant, _, ex = s.partition("e")
            s = mant + ("0" * rnd.randint(0, 3)) + "1e" + ex if "." in mant \
                else mant + ".01e" + ex
        else:
            s = format(mid, "e")
            mant, _, ex = s.partition("e")
            digs = mant.replace(".", "")
            digs = str(int(digs) - 1)
            s = digs[0] + "." + digs[1:] + "e" + ex
        if rnd.random() < 0.3:
            s = "-" + s
        emit("parse", s, result(lambda: bits(float(s))))
    for _ in range(60):    # subnormal and overflow-threshold midpoints
        x = from_bits(rnd.getrandbits(rnd.choice([3, 20, 52])))
        mid = (Decimal(x) + Decimal(math.nextafter(x, INF))) / 2
        s = format(mid, "e")
        emit("parse", s, result(lambda: bits(float(s))))
    for _ in range(100):    # underscores and whitespace
        digits = str(rnd.randint(0, 10 ** rnd.randint(1, 25)))
        s = "".join(c + ("_" if rnd.random() < 0.2 else "") for c in digits).rstrip("_")
        if rnd.random() < 0.5:
            s += "." + str(rnd.randint(0, 10 ** 6))
        if rnd.random() < 0.3:
            s += rnd.choice(["e", "E"]) + rnd.choice(["", "+", "-"]) + str(rnd.randint(0, 330))
        if rnd.random() < 0.2:
            i = rnd.randint(0, len(s))
            s = s[:i] + rnd.choice(["_", "__", ".", " ", "e"]) + s[i:]
        s = rnd.choice(["", " ", "\t", "\n "]) + s + rnd.choice(["", " ", "\r\n"])
        emit("parse", s, result(lambda: bits(float(s))))


gen_repr()
gen_dts()
gen_fmt()
gen_random_fmt()
gen_round()
gen_parse()
