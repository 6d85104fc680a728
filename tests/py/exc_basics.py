# str, repr and args of the standard exceptions
for e in [Exception(), ValueError(1), ValueError(1, 2), KeyError("k"), KeyError(),
          KeyError(1, 2), KeyError(""), IndexError("list index out of range"),
          TypeError("a", "b", "c"), ZeroDivisionError("division by zero"),
          RuntimeError(None), BaseException([1, 2])]:
    print(type(e).__name__, repr(str(e)), repr(e), e.args)

e = Exception(1)
e.args = [1, 2]
print(e.args, type(e.args), str(e))
e.args = "ab"
print(e.args)
try:
    del e.args
except TypeError as x:
    print("TypeError:", x)

print(e.__traceback__, e.__context__, e.__cause__, e.__suppress_context__)
e.__cause__ = ValueError("c")
print(repr(e.__cause__), e.__suppress_context__)
e.__cause__ = None
print(e.__cause__, e.__suppress_context__)
e.__suppress_context__ = False
print(e.__suppress_context__)
e.__context__ = KeyError("x")
print(repr(e.__context__))
for attr, value in [("__traceback__", 5), ("__context__", 5), ("__cause__", "x"),
                    ("__suppress_context__", 0)]:
    try:
        setattr(e, attr, value)
    except TypeError as x:
        print("TypeError:", x)
for attr in ["__traceback__", "__context__", "__cause__"]:
    try:
        delattr(e, attr)
    except TypeError as x:
        print("TypeError:", x)
print(e.with_traceback(None) is e)
try:
    e.with_traceback(1)
except TypeError as x:
    print("TypeError:", x)

# notes
n = ValueError("v")
print(hasattr(n, "__notes__"))
n.add_note("first")
n.add_note("second")
print(n.__notes__, n.__dict__)
try:
    n.add_note(3)
except TypeError as x:
    print("TypeError:", x)
n.__notes__ = ("t",)
try:
    n.add_note("x")
except TypeError as x:
    print("TypeError:", x)

# attributes live in __dict__
a = KeyError("k")
a.extra = 1
print(a.__dict__, a.extra)
a.__dict__ = {"y": 2}
print(a.y, hasattr(a, "extra"))
try:
    a.__dict__ = 5
except TypeError as x:
    print("TypeError:", x)

# keyword arguments
for cls in (ValueError, StopIteration, KeyError):
    try:
        cls("x", foo=1)
    except TypeError as x:
        print("TypeError:", x)

# __init__ again, __reduce__
x = ValueError(1)
x.__init__(5, 6)
print(x.args, ValueError.__new__(ValueError, 1, 2).args, BaseException.__new__(KeyError).args)
print(KeyError("k").__reduce__())
print(Exception(1).__reduce__())

# hierarchy
print(issubclass(KeyError, LookupError), issubclass(LookupError, Exception),
      issubclass(Exception, BaseException), issubclass(SystemExit, Exception),
      issubclass(RecursionError, RuntimeError), issubclass(ModuleNotFoundError, ImportError),
      issubclass(UnboundLocalError, NameError), issubclass(TabError, SyntaxError),
      issubclass(ZeroDivisionError, ArithmeticError), issubclass(UserWarning, Warning))
print(KeyError.__mro__)
print(TabError.__mro__)
print(repr(ValueError), ValueError.__name__, ValueError.__qualname__, ValueError.__module__)
print(ValueError.__doc__)
print(KeyError.__doc__)
print(hash(Exception()) == hash(Exception()), Exception() == Exception())
print(Exception.__init__, ValueError.__init__)
print(sorted(k for k in vars(ValueError)), sorted(k for k in vars(KeyError)))
print(sorted(k for k in vars(StopIteration)), sorted(k for k in vars(UnboundLocalError)))
