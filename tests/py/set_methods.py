# set and frozenset methods, operators, identity rules and errors.
import sys

def t(label, f):
    try:
        r = f()
        print(label, "ok", r)
    except Exception as e:
        print(label, type(e).__name__ + ":", e)

a = {1, 2, 3}
b = {3, 4}
t("union", lambda: (a.union(b), a.union(b, [9], range(2)), a.union()))
t("intersection", lambda: (a.intersection(b), a.intersection(b, [3]), a.intersection()))
t("intersection early stop", lambda: ({1}.intersection([1, []]), a.intersection([1, 2, 3, []])))
t("difference", lambda: (a.difference(b), a.difference(b, [1]), a.difference()))
t("symmetric_difference", lambda: (a.symmetric_difference(b), a.symmetric_difference([5, 1])))
t("subset", lambda: (a.issubset({1, 2, 3, 4}), a.issubset([1, 2]), a <= a, a < a, a < {1, 2, 3, 9}))
t("superset", lambda: (a.issuperset({1}), a.issuperset([1, 9]), a >= {1}, a > {1, 2, 3}))
t("disjoint", lambda: (a.isdisjoint(b), a.isdisjoint([7, 8]), a.isdisjoint(a), set().isdisjoint(set())))
t("eq", lambda: (a == {3, 2, 1}, a == frozenset(a), a != b, a == [1, 2, 3], frozenset() == set()))
c = set(a)
c.add(4)
c.discard(1)
c.discard(100)
c.remove(2)
t("mutators", lambda: c)
c.update([10, 11], {12})
c.difference_update([10], {11})
t("updates", lambda: c)
c.intersection_update({3, 4, 12, 99}, [3, 12])
t("intersection_update", lambda: c)
c.symmetric_difference_update({12, 50})
t("sym_update", lambda: c)
d = {5, 6}
d |= {7}
d &= {5, 7, 8}
d -= {5}
d ^= {9}
t("inplace", lambda: d)
e = d
e |= {1}
t("inplace identity", lambda: e is d)
t("pop empty", lambda: set().pop())
t("remove missing", lambda: set().remove(1))
t("remove tuple", lambda: set().remove((1, 2)))
t("remove list", lambda: {1}.remove([]))
t("remove set", lambda: {frozenset([1])}.remove({1}))
t("discard set", lambda: {1}.discard({2}))
t("contains set", lambda: ({1} in {frozenset([1])}, {1}.__contains__({1})))
t("contains list", lambda: [] in {1})
t("add list", lambda: {1}.add([]))
t("set 2 args", lambda: set(1, 2))
t("set kw", lambda: set(a=1))
t("frozenset kw", lambda: frozenset(a=1))
t("frozenset 2 args", lambda: frozenset(1, 2))
t("union int", lambda: {1}.union(1))
t("or list", lambda: {1} | [1])
t("ior list", lambda: a.__ior__([1]))
t("lt int", lambda: {1} < 3)
t("hash set", lambda: hash(set()))
t("update int", lambda: {1}.update(1))
t("iteration change", lambda: [s.add(x + 10) for s in [{1, 2, 3}] for x in s])
f = frozenset([1, 2])
t("frozenset identity", lambda: (frozenset(f) is f, f.copy() is f, frozenset() is frozenset(),
                                 frozenset(set(f)) is f, set(f) is f))
class S(set):
    pass
class F(frozenset):
    pass
t("subclass repr", lambda: (S(), S([1]), F([2]), F()))
t("subclass results", lambda: (type(S([1]) | {2}).__name__, type(F([1]) | {2}).__name__,
                               type({2} | F([1])).__name__, type(S([1]).copy()).__name__,
                               type(F([1]).copy()).__name__, F(f) is f))
t("repr", lambda: (repr(set()), repr(frozenset()), repr({1, 2}), repr(frozenset({3, 1}))))
t("len", lambda: (len(a), len(set()), len(frozenset(range(10)))))
it = iter({1, 2})
t("length_hint", lambda: (it.__length_hint__(), next(it), it.__length_hint__(), type(it).__name__))
t("bool", lambda: (bool(set()), bool({0})))
g = {1, 2}
h = g.copy()
t("copy distinct", lambda: (h is g, h == g))
t("sorted", lambda: sorted({5, 3, 9, 1}))
t("sum min max", lambda: (sum({1, 2, 3}), min({4, 2, 8}), max(frozenset({4, 2, 8}))))
t("in", lambda: (2 in a, 9 in a, 2.0 in a, True in {1}))
