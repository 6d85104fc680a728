# sys.getsizeof of sets and frozensets.
import sys

def growth(make):
    s = set()
    last = sys.getsizeof(s)
    out = [(0, last)]
    for i in range(200):
        s.add(make(i))
        n = sys.getsizeof(s)
        if n != last:
            out.append((i + 1, n))
            last = n
    return out

print(growth(lambda i: i))
print(growth(lambda i: (i, i)))
print(sys.getsizeof(set()), sys.getsizeof(frozenset()), set().__sizeof__(), set(range(5)).__sizeof__())
print(sys.getsizeof(set(range(4))), sys.getsizeof(set(range(5))), sys.getsizeof(set(range(19))),
      sys.getsizeof(set(range(20))), sys.getsizeof(frozenset(range(100))))
s = set(range(100))
full = sys.getsizeof(s)
for i in range(100):
    s.discard(i)
print("after discarding", full, sys.getsizeof(s))
s.clear()
print("cleared", sys.getsizeof(s))
t = set(range(100))
t -= set(range(90))
print("difference_update", sys.getsizeof(t), t)
a = set(range(10))
print("copy", sys.getsizeof(a), sys.getsizeof(a.copy()), sys.getsizeof(set(a)), sys.getsizeof(a | {1}))
print("from list", sys.getsizeof(set([1, 2, 3, 4, 5])), sys.getsizeof({1, 2, 3, 4, 5}))
print("from dict", sys.getsizeof(set({i: i for i in range(6)})), sys.getsizeof(set({}.fromkeys(range(3)))))
print("iter", sys.getsizeof(iter(set())))
u = set()
u.update(range(3), range(3, 8))
print("update", sys.getsizeof(u), u)
i = set(range(50)) & set(range(45, 100))
print("intersection", sys.getsizeof(i), i)
x = set(range(10)) ^ set(range(5, 15))
print("xor", sys.getsizeof(x), x)
