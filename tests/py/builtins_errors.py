# Error messages of the builtins (CPython 3.11's exact texts).
tests = [
    "len()", "len(1, 2)", "len(5)", "len(obj=1)", "id()", "repr()", "hex(1.5)", "oct([])", "bin(None)",
    "sorted()", "sorted(1)", "sorted([1], 2)", "sorted([1], foo=1)", "sorted([1, 'a'])",
    "sorted([1], reverse=None)", "sorted(iterable=[1])",
    "sum()", "sum(1)", "sum(['a', 'b'])", "sum([1], 'x')", "sum([], start='a')", "sum([1], 2, 3)",
    "sum(iterable=[1])", "sum([1], foo=2)", "sum(['a'], [])",
    "min()", "min(1)", "min([])", "max([])", "max(x for x in [])", "max(1, 2, default=3)",
    "max(1, 2, key=3)", "max(1, 2, foo=3)", "max('a', 1)", "min(key=len)", "max(1, 2, key=len)",
    "abs()", "abs('a')", "any(1)", "all(1)", "all(iterable=[])",
    "getattr()", "getattr(1)", "getattr(1, 2)", "getattr(1, 'foo')", "getattr(1, 'a', 2, 3)",
    "getattr(1, 'a', default=3)", "setattr(1, 'a', 2)", "setattr(1, 2, 3)", "setattr(1)",
    "hasattr(1)", "hasattr(1, 2)", "delattr(1, 'a')", "delattr(1, 2)", "delattr(1)",
    "iter()", "iter(1)", "iter(1, 2)", "iter([], 1, 2)", "next()", "next(1)", "next(iter([]))",
    "next(1, 2)", "next(iter([]), 1, 2)", "hash([])", "hash({})", "callable()",
    "round()", "round('a')", "round(1, 'a')", "round(1.0, 1.5)", "round(1, 2, 3)", "round(x=1)",
    "round(float('inf'))", "round(float('nan'))", "round(1.5, number=2)",
    "divmod(1)", "divmod(1, 0)", "divmod('a', 1)", "divmod(1, 2, 3)", "divmod(x=1, y=2)",
    "pow(2)", "pow(2.0, 3, 5)", "pow('a', 2)", "pow(2, 'a', 3)", "pow(1, 2, 3, 4)", "pow(1, 2, z=3)",
    "pow(0, -1)", "pow(2, 3, 0)",
    "chr()", "chr(-1)", "chr(0x110000)", "chr('a')", "chr(1.5)", "chr(2**70)", "chr(i=65)",
    "ord()", "ord('ab')", "ord(1)", "ord('')",
    "isinstance(1)", "isinstance(1, 2)", "isinstance(1, (str, 2))", "isinstance(1, int, 3)",
    "issubclass(1, int)", "issubclass(int, 1)", "issubclass(int, (str, 2))", "issubclass(int)",
    "format()", "format(1, 2)", "format(1.5, 'd')", "format(1, 'x', 3)", "format(value=1)",
    "vars(1)", "vars(1, 2)", "dir(1, 2)", "globals(1)", "globals(a=1)", "input(1, 2)",
    "print(sep=1)", "print(end=1)", "print(file=1)", "print(1, flush=0, foo=1)",
]
for t in tests:
    try:
        r = eval(t)
        print(t, "->", repr(r))
    except Exception as e:
        print(t, "!!", type(e).__name__ + ":", e)
