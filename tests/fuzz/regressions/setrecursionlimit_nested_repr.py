# With the recursion limit raised, repr of a deeply nested list recursed in C until the C
# stack overflowed; pm_enter_recursive_call now also applies the C-stack cap.
import sys
sys.setrecursionlimit(10**9)
x = []
for i in range(15000):
    x = [x]
try:
    repr(x)
except RecursionError:
    pass
