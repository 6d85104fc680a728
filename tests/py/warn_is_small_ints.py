# The small-int lesson written the way learners write it: `is` against literals.  CPython 3.11
# prints a SyntaxWarning per comparison on stderr before running; stdout is unaffected.
import sys

a = 256
b = 255 + 1
print(a is 256, b is 256, a is b)
c = 257
d = 256 + 1
print(c is 257, d is 257, c is d, c is not d)
e = -5
f = -6
print(e is -5, f is -6)
s = "hello"
t = "".join(["hel", "lo"])
print(s is "hello", t is "hello", t is not s, s == t)


def check(n):
    return n is 100, n is not 1000, [m is 5 for m in range(n, n + 1)]


print(check(100), check(1000))
print(sys.getrefcount(1000) > 0, (lambda v: v is 7)(7))
