# frozenset hashes are CPython's exactly (they depend only on element hashes and counts).
import gc
import sys

print(hash(frozenset()), hash(frozenset([1, 2, 3])), hash(frozenset([frozenset([1]), 2])))
print(hash(frozenset(range(100))), hash(frozenset([-1, -2])), hash(frozenset([(1, 2)])))
print(hash(frozenset([1.5, 2**70])), hash(frozenset({0})))
f = frozenset([1, 2, 3])
print(hash(f) == hash(frozenset([3, 2, 1])), {f: 1}[frozenset({1, 2, 3})])
d = {frozenset([1]): "one", frozenset([1, 2]): "two"}
print(d[frozenset({1, 2})], frozenset([1]) in d, {1} in {frozenset([1])})
# Sets are GC-tracked from birth; iterators too.
print(gc.is_tracked(set()), gc.is_tracked(frozenset()), gc.is_tracked({1}), gc.is_tracked(iter(set())))
a, b = [1], [2]
print(len(gc.get_referents({1, 2})), gc.get_referents(frozenset([(1, 2)])))
# References held by sets.
x = 12345678901
base = sys.getrefcount(x)
s = {x}
print(sys.getrefcount(x) - base)
c = s.copy()
print(sys.getrefcount(x) - base)
del s, c
print(sys.getrefcount(x) - base)
class V:
    def __init__(self, n):
        self.n = n
    def __hash__(self):
        return self.n
    def __del__(self):
        print("del", self.n)
s = {V(3), V(1), V(2), V(9)}
del s
print("--")
s = {V(5), V(13)}
s.clear()
print("--")
