# The sys module: refcounts, sizes, interning, recursion limit, version.
import sys
a = []
print(sys.getrefcount(a))
b = a
print(sys.getrefcount(a))
del b
print(sys.getrefcount(a))
print(sys.getsizeof(0), sys.getsizeof(1.5), sys.getsizeof(None), sys.getsizeof([]), sys.getsizeof({}))
print(sys.getsizeof(""), sys.getsizeof("abc"), sys.getsizeof(()), sys.getsizeof((1, 2)))
print(sys.getsizeof(object=[]), sys.getsizeof([], 5), sys.getsizeof(1, default=7))
print(sys.getsizeof(sys), sys.getsizeof(sys.stdout), sys.getsizeof(print))
class S:
    def __sizeof__(self):
        return 100
print(sys.getsizeof(S()))
class Bad:
    def __sizeof__(self):
        return "x"
print(sys.getsizeof(Bad(), "fallback"))
s1 = "".join(["hello", " ", "world!"])
s2 = sys.intern(s1)
print(s2 is s1, sys.intern("hello world!") is s1)
print(sys.getrecursionlimit())
sys.setrecursionlimit(500)
print(sys.getrecursionlimit())
sys.setrecursionlimit(1000)
print(sys.maxsize, sys.maxsize == 2**63 - 1, sys.byteorder, sys.platform)
print(sys.version_info[:2], sys.version_info.major, sys.version_info.minor, sys.version_info >= (3, 8))
print(sys.version_info.releaselevel, sys.version_info[0], len(sys.version_info), type(sys.version_info))
print(sys.version.split()[0], sys.hexversion, sys.getdefaultencoding(), sys.get_int_max_str_digits())
print(sys.modules["sys"] is sys, "builtins" in sys.modules, type(sys.modules), sys.path == [] or True)
print(sys.exc_info())
try:
    raise KeyError("k")
except KeyError:
    t, v, tb = sys.exc_info()
    print(t, repr(v), type(tb).__name__)
print(sys.exc_info())
print(sys.stdout, sys.stderr)
print(sys.stdout is sys.__stdout__, sys.stdout.encoding, sys.stdout.name, sys.stderr.name)
print(sys)
try:
    sys.exit(3)
except SystemExit as e:
    print("exit", e.code, e.args)
try:
    sys.exit()
except SystemExit as e:
    print("exit", e.code, e.args)
