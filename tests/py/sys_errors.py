# sys error messages.
import sys
tests = [
    "sys.getsizeof()", "sys.getsizeof(1, 2, 3)", "sys.getsizeof(1, default=2, x=3)",
    "sys.getsizeof(obj=1)", "sys.getrefcount()", "sys.getrefcount(1, 2)", "sys.intern(1)",
    "sys.intern()", "sys.intern(string='a')", "sys.setrecursionlimit(0)",
    "sys.setrecursionlimit(-5)", "sys.setrecursionlimit('a')", "sys.setrecursionlimit(2**40)",
    "sys.setrecursionlimit(1.5)", "sys.setrecursionlimit(limit=5)", "sys.exit(1, 2)",
    "sys.getrecursionlimit(1)", "sys.exc_info(1)", "sys.nope",
]
for t in tests:
    try:
        print(t, "->", eval(t))
    except BaseException as e:
        print(t, "!!", type(e).__name__, e)
def f():
    try:
        sys.setrecursionlimit(1)
    except RecursionError as e:
        print(e)
f()
try:
    type(sys.version_info)((1, 2, 3, 4, 5))
except TypeError as e:
    print(e)
