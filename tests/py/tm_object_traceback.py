# get_object_traceback: which objects tracemalloc can name, and why.  Ordinary instances
# start 16 bytes into their block (the managed-dict pre-header), so they are never found;
# objects taken from a free list were not allocated, so they keep the trace they had (none
# if they were made before tracing started); freed small tuples stay counted.
import tracemalloc


class Plain:
    pass


class Slotted:
    __slots__ = ("a",)


def where(obj):
    tb = tracemalloc.get_object_traceback(obj)
    return None if tb is None else [f.lineno for f in tb]


tracemalloc.start()
plain = Plain()
slotted = Slotted()
small = tuple([1, 2, 3])
big = tuple(range(25))
lst = [1, 2]
dct = {"k": 1}
flt = float(len(lst))
huge = 2 ** 200 + len(lst)
text = "x" * (100 + len(lst))
print(where(plain), where(slotted), where(small), where(big))
print(where(lst), where(dct), where(flt), where(huge), where(text))

# 7-tuples made while tracing are new blocks; freed, they go to the free list and stay
# counted; the next 7-tuple reuses the last one freed, and its trace moves to that line
before = tracemalloc.get_traced_memory()[0]
sevens = [tuple([i] * 7) for i in range(3)]
made = tracemalloc.get_traced_memory()[0]
del sevens
dropped = tracemalloc.get_traced_memory()[0]
again = tuple([len(lst)] * 7)
print(made - before, dropped - before, where(again))
tracemalloc.stop()
print(where(big))
