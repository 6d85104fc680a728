# Code CPython 3.11 compiles more than once warns each time: a while loop's test (again at the
# bottom of the loop) and a finally body (normal path, exception path, and every
# return/break/continue leaving it), even where that path cannot be taken.
x = 0
while x is not 3:
    x += 1
    y = x is 1
print(x)


def f():
    for i in range(3):
        try:
            if i == 1:
                continue
            if i == 2:
                return i
        finally:
            z = i is 100
    return None


def g():
    try:
        return 1
    finally:
        print("finally", x is 200)


print(f(), g())

try:
    w = x is 4
except (x is 5):
    w = x is 6
else:
    w = x is 7
print(w)
