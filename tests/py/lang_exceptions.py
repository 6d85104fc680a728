def risky(k):
    if k == 0:
        raise ValueError("zero")
    if k == 1:
        return 1 / 0
    if k == 2:
        return [][1]
    if k == 3:
        return {}["missing"]
    return "ok"
for k in range(5):
    try:
        r = risky(k)
    except ValueError as e:
        print("value", e, repr(e), e.args)
    except (ZeroDivisionError, IndexError) as e:
        print("arith/index", type(e).__name__, e)
    except Exception as e:
        print("other", type(e).__name__, e)
    else:
        print("else", r)
    finally:
        print("finally", k)
def f():
    try:
        return "try"
    finally:
        print("cleanup")
print(f())
class MyErr(Exception):
    def __init__(self, code):
        super().__init__("code %d" % code)
        self.code = code
try:
    try:
        raise MyErr(7)
    except MyErr as e:
        print("caught", e, e.code)
        raise RuntimeError("wrapped") from e
except RuntimeError as e:
    print(e, type(e.__cause__).__name__, e.__cause__.code)
try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise KeyError("k")
except KeyError as e:
    print(repr(e), type(e.__context__).__name__)
try:
    assert 1 == 2, "math"
except AssertionError as e:
    print("assert", e)
for i in range(3):
    try:
        if i == 1:
            continue
        print("body", i)
    finally:
        print("fin", i)
def g():
    for i in range(3):
        try:
            if i == 1:
                return i
        finally:
            print("g fin", i)
print(g())
try:
    raise TypeError
except TypeError as e:
    print(repr(e), str(e) == "")
