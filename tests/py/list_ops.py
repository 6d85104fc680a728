a = [10, 20, 30, 40, 50, 60]
print(a[0], a[-1], a[2:4], a[::-1], a[::2], a[-2:], a[:100], a[100:], a[5:1:-2])
print(a[True], a[-6], a[1:-1:2], a[::-3])
b = a[:]
b[1:3] = "xyz"
print(b)
b[::2] = [1, 2, 3, 4]
print(b)
b[5:2] = ["in"]
print(b)
del b[::3]
print(b)
del b[-1::-2]
print(b)
b[:] = range(4)
print(b)
b[len(b):] = [9, 9]
print(b)
b[:0] = (7,)
print(b)
b[::-1] = b
print(b)
b[1:3] = b
print(b)
del b[1]
print(b)
b[0] = b[-1]
print(b)

# concatenation, repetition, in-place forms
c = [1, 2]
d = c
c += (3, 4)
print(c, d is c)
c += "ab"
print(c)
c *= 2
print(c, d is c)
print([1] * 3, 3 * [0, 1], [] * 5, [1, 2] * 0, [1] * -2, [1] + [2], [] + [])
x = [[]] * 3
x[0].append(1)
print(x)

# comparisons
print([1, 2] == [1, 2], [1, 2] != [1, 2.0], [1, 2] < [1, 3], [1, 2] < [1, 2, 0])
print([2] > [1, 9], [] < [0], [1, [2, 3]] == [1, [2, 3]], [1, 2] >= [1, 2], [3] <= [2])
nan = float("nan")
n = [nan]
print(n == n, [nan] == [nan], nan in n, n.count(nan), n.index(nan))

# membership, search
m = [3, 1, 4, 1, 5, 9, 2, 6]
print(4 in m, 7 in m, m.count(1), m.count(8), m.index(1), m.index(1, 2), m.index(6, -3))
print(m.index(9, 0, 6), m.index(5, -100, 100), 1.0 in m, m.count(True))
m.remove(1)
print(m)
print(m.pop(), m.pop(0), m.pop(-2), m)
m.insert(0, "a"); m.insert(100, "z"); m.insert(-1, "y"); m.insert(-100, "first")
print(m)
m.reverse()
print(m)
print(m.copy(), m.copy() is m, m.copy() == m)
print(m.clear(), m)

# repr, recursion
r = [1, "two", 3.0, None, (4,), [5]]
print(r, repr(r), str([]))
r.append(r)
print(r)
s = [r, [r]]
print(s)
print(list(), list([1]), list((1, 2)), list("ab"), list(range(3)), list({1: 2, 3: 4}))

# truth and len
print(bool([]), bool([0]), len([]), len([[], []]))

# iteration while mutating
it = [1, 2, 3]
out = []
for v in it:
    out.append(v)
    if v == 1:
        it.append(4)
print(out)
li = iter([1, 2])
print(next(li), next(li), list(li), list(li))
rv = reversed([1, 2, 3])
print(next(rv), list(rv))
rl = [1, 2, 3]
rv = reversed(rl)
rl.pop()
print(list(rv))
print(iter([1, 2, 3]).__length_hint__(), reversed([1, 2, 3]).__length_hint__())
