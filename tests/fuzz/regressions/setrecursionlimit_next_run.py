# A program that raises the recursion limit left it raised for the lab's next run, whose
# parser depth 3 * limit overflowed an int (UBSan: core/vm/init.c).  The harness runs a
# second program in the same lab.
import sys
sys.setrecursionlimit(10**9)
