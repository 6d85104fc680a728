# Printing order of sets is table order: it depends on hashes, probing and history.
print({3, 1, 2}, {100, 5, 33, 8, 1, 17}, set(range(20, 0, -3)))
print({-1, -2, 0, 2**64, 2**61 - 1, 2**61}, {1.5, 2.5, 0.5}, {(1, 2), (3, 4), (5, 6)})
print({True, 3, 0, False, 1.0}, {8, 16, 24, 32, 0}, {7, 15, 23, 31, 39, 47, 55, 63})
print({1 << 20, 1 << 30, 1 << 40, 3}, {-5, 5, -6, 6})
s = set(range(10))
for i in range(0, 10, 2):
    s.discard(i)
print(s)
s.add(100)
s.add(0)
print(s)
print(s.pop(), s.pop(), s)
big = set()
for i in range(50):
    big.add(i * 7919 % 1000)
print(big)
for i in range(0, 1000, 3):
    big.discard(i)
print(big)
print(sorted(big) == sorted(list(big)), len(big))
u = {1, 2, 3} | {40, 50, 60, 70, 80}
print(u, {40, 50, 60, 70, 80} | {1, 2, 3})
print({1, 2, 3, 4, 5, 6} & {6, 4, 2, 8}, {6, 4, 2, 8} & {1, 2, 3, 4, 5, 6})
print({1, 2, 3, 4, 5, 6} - {2, 4}, {1, 2, 3} ^ {3, 4, 5}, {3, 4, 5} ^ {1, 2, 3})
print(set([9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 10, 11, 12]))
print(frozenset([33, 1, 65, 97]), frozenset(range(8, 0, -1)))
print(list({64, 0, 128, 8}), [x for x in {32, 1, 33}])
x = {0}
for i in range(1, 40):
    x.add(i * 8)
print(x)
print({n * n for n in range(12)})
print(set("a") == {"a"}, set([1, 2, 2, 3]))
# A new key reuses the last dummy slot on its probe path.
s = {1, 3, 9, 17}
s.discard(1)
s.discard(9)
s.add(25)
print(s)
s = {1, 3, 9, 17}
s.remove(9)
s.add(33)
print(s, s.pop(), s)
