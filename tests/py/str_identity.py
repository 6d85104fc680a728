# Which str operations return the same object, a singleton, or a new object (CPython 3.11).
import sys
s = "".join(["abc", "def"])        # built at run time: not interned, not a constant
e = s[:0]
print(e is "".join([]), str() is e, s[3:3] is e, (s * 0) is e, s.replace(s, "") is e)
print(s[:] is s, s[0:6] is s, s[0:100] is s, s[::1] is s, s[::-1] is s)
print(s.strip() is s, s.strip("z") is s, s.lstrip() is s, s.rstrip("q") is s)
print(s.replace("z", "y") is s, s.replace("a", "a", 0) is s, s + "" is s, "" + s is s, s * 1 is s, str(s) is s)
print(s.center(3) is s, s.ljust(6) is s, s.rjust(2) is s, s.zfill(6) is s, s.zfill(7) is s)
print(s.lower() is s, s.upper().lower() is s, s.casefold() is s, s.title() is s, s.swapcase() is s)
print(s.expandtabs() is s, s.removeprefix("z") is s, s.removesuffix("") is s, s.translate({}) is s)
print(s.split()[0] is s, s.split("z")[0] is s, s.rsplit()[0] is s, s.splitlines()[0] is s, s.split(None, 0)[0] is s)
print(s.partition("z")[0] is s, s.rpartition("z")[2] is s, ",".join([s]) is s, "".join((s,)) is s)
print(format(s) is s, format(s, "") is s, format(s, "6") is s, format(s, "<3") is s, format(s, "7") is s)
print("{}".format(s) is s, "%s" % s is s, "%s" % (s,) is s, f"{s}" is s, f"{s!s}" is s, f"{s:>6}" is s)
ab = "".join(["a", "b"])
print(ab[0] is chr(97), ab[-1] is chr(98), ab[0:1] is chr(97), ab[::2] is chr(97), list(ab)[1] is chr(98))
print(chr(97) is chr(97), chr(200) is chr(200), chr(300) is chr(300), "".join(["\xe9", "x"])[0] is chr(233))
print(ab.upper()[0] is chr(65), ab[:1].upper() is chr(65), ab[:1].lower() is chr(97), ab.replace("b", "") is chr(97))
print((" " + ab[0] + " ").strip() is chr(97), (ab[0] + "," + ab[1]).split(",")[1] is chr(98), ab.partition("b")[0] is chr(97))
print("%s" % ab[0] is chr(97), "%c" % 97 is chr(97), "{}".format(7) is chr(55), "%d" % 7 is chr(55), "%x" % 10 is chr(97))
print("".join([ab[0], ""]) is chr(97), ab[0] * 1 is chr(97), (ab[0] * 3)[1:2] is chr(97), "\t".expandtabs(1) is chr(32))
print("".center(1) is chr(32), ab[0].center(1) is chr(97), ab[0].translate({97: 98}) is chr(98), ab.removeprefix("a") is chr(98))
one = ""
one += "q"
print(one is chr(113), one == "q")
print(sys.getrefcount(chr(250)) > 900000000, sys.getrefcount(e) > 900000000)
x = ab + ab
y = x[:]
print(y is x, (x + "") is x, x[0:4] is x)
