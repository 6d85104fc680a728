def check(f):
    try:
        r = f()
    except Exception as e:
        print(type(e).__name__ + ":", e)
    else:
        print("ok", r)

check(lambda: [][0])
check(lambda: [1, 2][-3])
key_a, key_f = "a", 1.5
check(lambda: [1][key_a])
check(lambda: [1][key_f])
check(lambda: [1][2 ** 100])
check(lambda: [1][::0])
check(lambda: [1]["a":])
check(lambda: [1][:2 ** 100])
check(lambda: [].pop())
check(lambda: [1].pop(5))
check(lambda: [1].pop(-2))
check(lambda: [1].pop("x"))
check(lambda: [1].pop(1, 2))
check(lambda: [1].remove(2))
check(lambda: [1].index(2))
check(lambda: ["a"].index("b"))
check(lambda: [1].index(1, "a"))
check(lambda: [1].index())
check(lambda: [1].index(1, 2, 3, 4))
check(lambda: [].insert(1))
check(lambda: [].insert("a", 1))
check(lambda: [].append())
check(lambda: [].append(1, 2))
check(lambda: [].count())
check(lambda: [].extend(5))
check(lambda: [].extend())
check(lambda: [].copy(1))
check(lambda: [].clear(1))
check(lambda: [].reverse(1))
check(lambda: [1] + (1,))
check(lambda: [1] + "a")
check(lambda: [1] * "a")
check(lambda: [1] * 1.5)
check(lambda: [1] < (1,))
check(lambda: [1] < ["a"])
check(lambda: [1, 2] > [1, None])
check(lambda: hash([]))
check(lambda: list(1))
check(lambda: list(1, 2))
check(lambda: list(x=1))
check(lambda: list(None))


def setitem(l, k, v):
    l[k] = v


def delitem(l, k):
    del l[k]


check(lambda: setitem([1, 2, 3], 3, 0))
check(lambda: setitem([1, 2, 3], -4, 0))
check(lambda: setitem([1, 2, 3], "a", 0))
check(lambda: setitem([1, 2, 3], slice(0, 3, 2), [1, 2, 3]))
check(lambda: setitem([1, 2, 3], slice(0, 3, 2), 5))
check(lambda: setitem([1, 2, 3], slice(0, 3), 5))
check(lambda: setitem([1, 2, 3], slice(None, None, -1), [1]))
check(lambda: setitem([1, 2, 3], slice(None, None, 0), [1]))
check(lambda: delitem([1, 2, 3], 3))
check(lambda: delitem([1, 2, 3], "x"))
check(lambda: delitem([], slice(None)))
l = [1, 2, 3]
try:
    l += 5
except TypeError as e:
    print(e, l)
try:
    l *= "a"
except TypeError as e:
    print(e, l)
