# sys.getsizeof of dicts across growth, deletion, clear and the ways to build one.
import sys

def growth(make_key):
    d = {}
    last = sys.getsizeof(d)
    out = [(0, last)]
    for i in range(100):
        d[make_key(i)] = i
        s = sys.getsizeof(d)
        if s != last:
            out.append((i + 1, s))
            last = s
    return out

print("str keys", growth(lambda i: "k" + str(i)))
print("int keys", growth(lambda i: i))
print("tuple keys", growth(lambda i: (i,)))

d = {}
print("empty", sys.getsizeof(d), sys.getsizeof(dict()), d.__sizeof__())
for i in range(30):
    d[i] = i
full = sys.getsizeof(d)
for i in range(30):
    del d[i]
print("after deleting all", full, sys.getsizeof(d), len(d))
d[100] = 1
print("one key in a big table", sys.getsizeof(d))
d.clear()
print("cleared", sys.getsizeof(d))

# Literals: up to 5 entries share the first 8-slot table; more are presized.
print("literals", sys.getsizeof({"a": 1}), sys.getsizeof({1: 1}),
      sys.getsizeof({"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}),
      sys.getsizeof({"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6}),
      sys.getsizeof({1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6}),
      sys.getsizeof({"a": 1, 2: 2}))
k = "a"
print("runtime literal", sys.getsizeof({k: 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6}))

# Copies: clean tables are copied as they are; tables with holes are compacted.
x = {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6}
print("copies", sys.getsizeof(x.copy()), sys.getsizeof(dict(x)), sys.getsizeof({**x}))
big = {i: i for i in range(20)}
for i in range(15):
    del big[i]
print("holes", sys.getsizeof(big), sys.getsizeof(big.copy()), sys.getsizeof(dict(big)))
few = {i: i for i in range(20)}
for i in range(5):
    del few[i]
print("few holes", sys.getsizeof(few), sys.getsizeof(few.copy()))

# Other constructors.
print("dict(kw)", sys.getsizeof(dict(a=1)), sys.getsizeof(dict(a=1, b=2, c=3, d=4, e=5, f=6)))
print("dict(pairs)", sys.getsizeof(dict([(1, 2), (3, 4)])), sys.getsizeof(dict([("a", 1)])))
print("fromkeys", sys.getsizeof(dict.fromkeys("abcdef")), sys.getsizeof(dict.fromkeys(range(6))),
      sys.getsizeof(dict.fromkeys(x)), sys.getsizeof(dict.fromkeys({1, 2, 3})))
print("comprehension", sys.getsizeof({c: 1 for c in "abcdef"}), sys.getsizeof({i: 1 for i in range(3)}))
u = {}
u.update(a=1, b=2, c=3, d=4, e=5, f=6)
print("update kw", sys.getsizeof(u))
u = {"x": 1}
u.update(a=1, b=2, c=3, d=4, e=5, f=6)
print("update kw 2", sys.getsizeof(u))
u = {}
u.update({"a": 1})
print("update dict", sys.getsizeof(u))
u = {}
u.update([(1, 2)])
print("update pairs", sys.getsizeof(u))

# A non-str key turns a str-key table into a general one.
m = {"a": 1, "b": 2}
before = sys.getsizeof(m)
m[3] = 3
print("mixed", before, sys.getsizeof(m))
del m[3]
print("mixed after del", sys.getsizeof(m))

# popitem leaves its slot used.
p = {i: i for i in range(5)}
p.popitem()
p[10] = 10
p[11] = 11
print("popitem then add", sys.getsizeof(p))

# merge operators
print("or", sys.getsizeof({"a": 1} | {"b": 2}), sys.getsizeof({1: 1} | {i: i for i in range(10)}))
