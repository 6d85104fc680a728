# assert (test, "message") is a tuple: always true, and CPython 3.11 says so at compile time.
x = 0
assert (x, "x must be set")
assert (1, 2)
assert (1,) + (2,)
try:
    assert ()
except AssertionError:
    print("an empty tuple is false")
assert x == 0, ("a", "tuple message")


def check(v):
    assert (v > 0,
            "v must be positive")
    return v


print(check(-1))
assert x is 0, "small ints are cached"
assert x, "x is zero"
