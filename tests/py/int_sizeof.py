import sys

values = [0, 1, -1, 255, 256, 2 ** 30 - 1, 2 ** 30, -(2 ** 30), 2 ** 60 - 1, 2 ** 60,
          2 ** 90, -(2 ** 90) + 1, 10 ** 100, True, False]
for v in values:
    print(v.bit_length(), sys.getsizeof(v), v.__sizeof__())
x = 1
sizes = []
for i in range(200):
    x = x * 2
    s = sys.getsizeof(x)
    if not sizes or sizes[-1][1] != s:
        sizes.append((i + 1, s))
print(sizes)
print(sys.getsizeof(2 ** 1000 - 2 ** 1000), sys.getsizeof(int("0")), sys.getsizeof(-0))
