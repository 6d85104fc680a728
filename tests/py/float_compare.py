big = 2 ** 53
vals = [0, 1, -1, big, big + 1, 2 ** 1023, 2 ** 1024, -(2 ** 1024), 10 ** 400]
fvals = [0.0, -0.0, 1.0, 9007199254740992.0, 9007199254740994.0, 1.5, float("inf"),
         float("-inf"), float("nan"), 8.98846567431158e307, 1.7976931348623157e308]
for i in vals:
    row = []
    for f in fvals:
        row.append("%d%d%d%d%d%d" % (i < f, i <= f, i == f, i != f, i > f, i >= f))
    print(row)
print(big + 1 == float(big + 1), big + 1 > float(big + 1), float(big + 1) < big + 1)
print(1.5 > 1, 1.5 < 2, -1.5 < -1, -1.5 > -2, 2.0 == 2, 2.0 != 2, True == 1.0)
n = float("nan")
print(n == n, n != n, n < 1, n > 1, n == 10 ** 400, [n] == [n])
print(hash(1.0) == hash(1), hash(-1.0), hash(0.5), hash(1.5), hash(-2.75), hash(1e100), hash(2.0 ** 61))
print(hash(float("inf")), hash(float("-inf")), hash(-0.0), hash(1e-300), hash(123456789.125))
print(hash(2 ** 100) == hash(2.0 ** 100), hash(3.0) == hash(3), hash(-(2 ** 80)) == hash(-(2.0 ** 80)))
print(1.0 in {1}, 1 in {1.0: "x"}, {1: "a", 1.0: "b", True: "c"})
