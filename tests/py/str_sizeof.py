# sys.getsizeof of str for every kind, and of things str methods build.
import sys
for n in (0, 1, 2, 7, 8, 15, 16, 100):
    print(n, sys.getsizeof("a" * n), sys.getsizeof("\xe9" * n), sys.getsizeof("\u0100" * n), sys.getsizeof("\U0001f600" * n))
print(sys.getsizeof("abc"), sys.getsizeof("ab\xe9"), sys.getsizeof("ab\u20ac"), sys.getsizeof("ab\U0001f600"))
print(sys.getsizeof(chr(65)), sys.getsizeof(chr(233)), sys.getsizeof(chr(8364)), sys.getsizeof(""))
print("abc".__sizeof__(), "\xe9".__sizeof__(), ("\xe9x" * 3)[1::2].__sizeof__(), ("\u20acx" * 3)[1::2].__sizeof__())
w = "\u20acabc"
print(sys.getsizeof(w), sys.getsizeof(w[1:]), sys.getsizeof(w.replace("\u20ac", "")), sys.getsizeof(w + "\U0001f600"))
print(sys.getsizeof("a b".split()), sys.getsizeof("ab".split("abc")), sys.getsizeof("a b".split(maxsplit=1)))
print(sys.getsizeof("a,b".split(",")), sys.getsizeof("a b c d e f g h i j k l m n".split()), sys.getsizeof("a\nb".splitlines()))
print(sys.getsizeof(iter("abc")), sys.getsizeof(iter("\xe9")), sys.getsizeof("a,b".partition(",")))
print(sys.getsizeof("x".join(["a"] * 10)), sys.getsizeof("%s-%s" % ("a", "b")), sys.getsizeof("{}{}".format("a", "\u20ac")))
