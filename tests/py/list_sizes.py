import sys

# growth by append: capacities 0, 4, 8, 16, 24, 32, 40, 52, 64, 76
a = []
seen = [sys.getsizeof(a)]
for i in range(80):
    a.append(i)
    s = sys.getsizeof(a)
    if s != seen[-1]:
        seen.append(s)
print(seen)
print([(s - 56) // 8 for s in seen])

# five elements, five ways
lit = [1, 2, 3, 4, 5]
x1, x2, x3, x4, x5 = 1, 2, 3, 4, 5
built = [x1, x2, x3, x4, x5]
print(sys.getsizeof(lit), sys.getsizeof(built))
print(sys.getsizeof(list(range(5))), sys.getsizeof([i for i in range(5)]))
app = []
for i in range(5):
    app.append(i)
print(sys.getsizeof(app), sys.getsizeof([0] * 5), sys.getsizeof(lit[:]), sys.getsizeof(lit[::1]))
print(sys.getsizeof(lit[::2]), sys.getsizeof(lit + lit), sys.getsizeof(lit.copy()))
print(sys.getsizeof(list(lit)), sys.getsizeof(list((1, 2, 3))), sys.getsizeof(list("abcde")))

# list() of iterators without a length: presized to 8, cut back
def gen(n):
    for i in range(n):
        yield i
print([sys.getsizeof(list(gen(n))) for n in range(12)])
print([sys.getsizeof(list(map(abs, range(n)))) for n in range(0, 12, 3)])
print(sys.getsizeof(list(iter([1, 2, 3]))), sys.getsizeof(list(reversed([1, 2, 3]))))
print(sys.getsizeof(list(zip([1, 2, 3], "abc"))), sys.getsizeof(list(enumerate("ab"))))

# popping shrinks below half the allocation
p = list(range(40))
p.append(0)
sizes = [sys.getsizeof(p)]
while p:
    p.pop()
    s = sys.getsizeof(p)
    if s != sizes[-1]:
        sizes.append(s)
print(sizes)

# extend, +=, *=, insert, clear, del slices
e = []
e.extend([1, 2])
print(sys.getsizeof(e))
e.extend((3,))
print(sys.getsizeof(e))
e += [0] * 10
print(sys.getsizeof(e), len(e))
e *= 3
print(sys.getsizeof(e), len(e))
e.insert(0, 9)
print(sys.getsizeof(e), len(e))
del e[5:]
print(sys.getsizeof(e), len(e))
e[1:1] = range(20)
print(sys.getsizeof(e), len(e))
del e[::2]
print(sys.getsizeof(e), len(e))
e.clear()
print(sys.getsizeof(e), len(e))
print([].__sizeof__(), [1, 2, 3].__sizeof__(), list(range(7)).__sizeof__())

# comprehension sizes step like append
print([sys.getsizeof([i for i in range(n)]) for n in range(0, 20, 2)])
q = [None] * 3
q *= 0
print(sys.getsizeof(q), q)
r = [7, 8]
r *= 1
print(sys.getsizeof(r), r)

# extending by an iterator with a length hint: exact (even) when the list has no items array
for n in range(8):
    base = list(range(n))
    c = [0]
    c.extend(iter(base))
    e = []
    e.extend(reversed(base))
    print(n, sys.getsizeof(list(iter(base))), sys.getsizeof(c), sys.getsizeof(e))
