# sys error messages.
import sys
tests = [
    ('sys.getsizeof()', lambda: sys.getsizeof()),
    ('sys.getsizeof(1, 2, 3)', lambda: sys.getsizeof(1, 2, 3)),
    ('sys.getsizeof(1, default=2, x=3)', lambda: sys.getsizeof(1, default=2, x=3)),
    ('sys.getsizeof(obj=1)', lambda: sys.getsizeof(obj=1)),
    ('sys.getrefcount()', lambda: sys.getrefcount()),
    ('sys.getrefcount(1, 2)', lambda: sys.getrefcount(1, 2)),
    ('sys.intern(1)', lambda: sys.intern(1)),
    ('sys.intern(None)', lambda: sys.intern(None)),
    ('sys.intern()', lambda: sys.intern()),
    ("sys.intern(string='a')", lambda: sys.intern(string='a')),
    ('sys.setrecursionlimit(0)', lambda: sys.setrecursionlimit(0)),
    ('sys.setrecursionlimit(-5)', lambda: sys.setrecursionlimit(-5)),
    ("sys.setrecursionlimit('a')", lambda: sys.setrecursionlimit('a')),
    ('sys.setrecursionlimit(2**40)', lambda: sys.setrecursionlimit(2**40)),
    ('sys.setrecursionlimit(1.5)', lambda: sys.setrecursionlimit(1.5)),
    ('sys.setrecursionlimit(limit=5)', lambda: sys.setrecursionlimit(limit=5)),
    ('sys.exit(1, 2)', lambda: sys.exit(1, 2)),
    ('sys.getrecursionlimit(1)', lambda: sys.getrecursionlimit(1)),
    ('sys.exc_info(1)', lambda: sys.exc_info(1)),
    ('sys.nope', lambda: sys.nope),
]
for t, f in tests:
    try:
        print(t, "->", f())
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
