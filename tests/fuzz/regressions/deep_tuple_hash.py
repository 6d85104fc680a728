# Hashing a tuple nested deeper than the C stack allows crashed (SIGSEGV, as in CPython
# 3.11): tuple hash now has a C-stack guard (pm_enter_c_recursion) and raises RecursionError.
t = ()
for i in range(15000):
    t = (t,)
try:
    hash(t)
except RecursionError:
    pass
