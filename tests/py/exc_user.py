import sys


class TableError(Exception):
    def __init__(self, table, msg):
        super().__init__(msg)
        self.table = table


class Empty(TableError):
    pass


class Plain(Exception):
    pass


class Coded(ValueError):
    def __init__(self, msg="none", code=0):
        super().__init__(msg)
        self.code = code

    def __str__(self):
        return "[%d] %s" % (self.code, self.args[0])


e = TableError([1, 2], "bad table")
print(e.table, e.args, str(e), repr(e), e.__dict__)
print(isinstance(e, Exception), type(e).__mro__)
p = Plain("a", 2)
print(repr(p), str(p), p.args, vars(p))
c = Coded("boom", code=7)
print(str(c), repr(c), c.code, c.args)

try:
    raise Empty([], "empty")
except TableError as x:
    print(type(x).__name__, x.table, x)

try:
    raise Coded
except ValueError as x:
    print("caught", repr(x))

# raising a class calls it without arguments
try:
    raise Plain
except Plain as x:
    print(repr(x), x.args)

print(sys.getsizeof(Plain()), sys.getsizeof(e), sys.getsizeof(Exception()))


class Slotted(Exception):
    __slots__ = ("a",)


s = Slotted()
s.a = 1
print(s.a, sys.getsizeof(s))
