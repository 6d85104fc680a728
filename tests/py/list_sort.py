def check(f):
    try:
        r = f()
    except Exception as e:
        print(type(e).__name__ + ":", e)
    else:
        print("ok", r)


a = [5, 3, 8, 1, 9, 2, 7]
a.sort()
print(a)
a.sort(reverse=True)
print(a)
print(sorted("hello world"), sorted([3, 1, 2], reverse=True), sorted(()))
words = ["bb", "a", "ccc", "dd", "e", "fff", "gg"]
print(sorted(words, key=len))
print(sorted(words, key=len, reverse=True))
pairs = [(1, "b"), (0, "z"), (1, "a"), (0, "y"), (2, "c"), (1, "c")]
print(sorted(pairs, key=lambda p: p[0]))
print(sorted(pairs, key=lambda p: p[0], reverse=True))
print(sorted(pairs))
big = [(i * 7919) % 101 for i in range(300)]
s = sorted(big)
print(s[:10], s[-5:], s == sorted(big, key=lambda v: v), len(s))
stab = [(v % 10, i) for i, v in enumerate(big)]
print(sorted(stab, key=lambda t: t[0])[:12])
print(sorted(stab, key=lambda t: t[0], reverse=True)[:12])
print([1.5, 1, True, 0.5].copy().sort() is None, sorted([1.5, 1, True, 0.5, False]))

calls = []


class K:
    def __init__(self, v):
        self.v = v

    def __lt__(self, other):
        calls.append((self.v, other.v))
        return self.v < other.v

    def __repr__(self):
        return "K(%d)" % self.v


ks = [K(3), K(1), K(2), K(5), K(4)]
ks.sort()
print(ks)
print(calls)
calls.clear()
print(sorted([K(1), K(2), K(3)]), calls)
calls.clear()
print(sorted([K(3), K(2), K(1)]), calls)
calls.clear()
print(sorted([K(2), K(2), K(1), K(3)], reverse=True), calls)

check(lambda: [2, "a"].sort())
check(lambda: ["a", 2].sort())
check(lambda: sorted([1, None, 3]))
check(lambda: [].sort(1))
check(lambda: [].sort(k=1))
check(lambda: [].sort(key=None, reverse=1, x=2))
check(lambda: [2, 1].sort(key=1))
check(lambda: [2, 1].sort(reverse="yes"))
check(lambda: [2, 1].sort(reverse=None))
check(lambda: [3, 1].sort(reverse=2 ** 40))
lst = [3, 1, 2]
print(lst.sort(key=None, reverse=0), lst)


def bad_key(v):
    if v == 2:
        raise ValueError("bad " + str(v))
    return v


lst = [3, 2, 1]
check(lambda: lst.sort(key=bad_key))
print(lst)
victim = [3, 1, 2]


def meddle(v):
    victim.append(v)
    return v


check(lambda: victim.sort(key=meddle))
print(victim)
half = [3, 1, "x", 2]
check(lambda: half.sort())
print(half)
class Peek:
    def __init__(self, v):
        self.v = v
    def __lt__(self, other):
        print("during sort:", len(peeked), peeked)
        return self.v < other.v
peeked = [Peek(2), Peek(1)]
peeked.sort()
print([p.v for p in peeked])
