def check(x):
    assert x > 0, "x must be positive, got %d" % x


check(5)
check(-1)
