# Index-sized integers are 64-bit in CPython: these must not overflow on wasm32 builds.
print(len(range(2 ** 40)), len(range(0, 2 ** 62, 3)), len(range(-2 ** 62, 2 ** 62 - 1)))
print(range(2 ** 40)[-1], [1, 2, 3][2 ** 40:], [1, 2, 3][-2 ** 40:], (1, 2)[:2 ** 33])
for i, v in enumerate("ab", 2 ** 40):
    print(i, v)
try:
    [1][2 ** 40]
except IndexError as e:
    print("IndexError:", e)
try:
    [1][2 ** 63]
except IndexError as e:
    print("IndexError:", e)
try:
    len(range(2 ** 63))
except OverflowError as e:
    print("OverflowError:", e)
print(list(range(2 ** 40, 2 ** 40 + 3)), list(reversed(range(2 ** 35, 2 ** 35 + 2))))
print([0, 1, 2].index(2, -2 ** 40, 2 ** 40), (5, 6).index(6, 0, 2 ** 40))
