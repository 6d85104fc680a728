# Compile-time warnings, then output, then an uncaught exception: the traceback is still the
# last thing on stderr.
counts = {"a": 1}
print(counts["a"] is 1)
print((1, 2)[0], [3, 4][1])
try:
    (1, 2)(3)
except TypeError as exc:
    print(exc)
print(counts["b"] is not None)
