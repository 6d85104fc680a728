x = 1 + 2 * 3
y = (x - 1) // 2
print(x, y, x % 4, -x, +y, ~y, x ** 2, 7 / 2)
a, b = 1, 2
a, b = b, a
print(a, b)
first, *rest = [1, 2, 3, 4]
*init, last = (1, 2, 3)
print(first, rest, init, last)
s = "hello"
print(s[1], s[-1], s[1:3], s[::-1], len(s))
n = 0
while n < 5:
    n += 1
    if n == 2:
        continue
    if n == 4:
        break
    print("n", n)
else:
    print("not reached")
for i in range(3):
    pass
else:
    print("for else", i)
print(1 < 2 < 3, 1 < 3 < 2, 1 == 1.0, "a" != "b")
print(not None, None is None, [] is not [], 3 in [1, 2, 3], 4 not in (1, 2))
print(True and 0, 0 or "x", None or [] or "last")
print(x if x > 5 else -x)
del a
try:
    print(a)
except NameError as e:
    print("NameError:", e)
