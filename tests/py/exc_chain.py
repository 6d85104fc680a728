def inner():
    raise KeyError("inner")


try:
    try:
        inner()
    except KeyError as e:
        raise ValueError("outer") from e
except ValueError as v:
    print(repr(v), repr(v.__cause__), repr(v.__context__), v.__suppress_context__)

try:
    try:
        inner()
    except KeyError:
        1 / 0
except ZeroDivisionError as z:
    print(repr(z), z.__cause__, repr(z.__context__), z.__suppress_context__)

try:
    try:
        inner()
    except KeyError:
        raise IndexError("x") from None
except IndexError as i:
    print(repr(i), i.__cause__, repr(i.__context__), i.__suppress_context__)

try:
    raise TypeError("t") from ValueError
except TypeError as t:
    print(repr(t.__cause__))

try:
    raise TypeError("t") from 5
except TypeError as t:
    print(t)

try:
    raise 5
except TypeError as t:
    print(t)

# the exception is cleared at the end of the except block
try:
    raise ValueError("gone")
except ValueError as gone:
    pass
print("gone" in dir())
