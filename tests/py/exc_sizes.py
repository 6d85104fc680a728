import sys

for e in [BaseException(), Exception(), ValueError(1, 2), KeyError("k"), StopIteration(),
          SystemExit(1), NameError("n"), UnboundLocalError("u"), AttributeError("a"),
          ImportError("i"), ModuleNotFoundError("m"), OSError(), SyntaxError("s"),
          IndentationError(), TabError(), RecursionError(), MemoryError(), UnicodeError()]:
    print(type(e).__name__, sys.getsizeof(e), e.__sizeof__())


class E(Exception):
    pass


class F(E):
    pass


print(sys.getsizeof(E()), sys.getsizeof(F()), E().__sizeof__())
