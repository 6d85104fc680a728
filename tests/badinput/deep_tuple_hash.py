# CPython 3.11 hashes nested tuples by C recursion with no guard and crashes (SIGSEGV);
# the lab stops at its C-stack guard with RecursionError.
t = ()
for i in range(200000):
    t = (t,)
print("built")
d = {t: 1}
