# binary_trees: the benchmarks game's binary-trees, with tuples (allocation and
# deallocation of many small GC-tracked containers, deep-ish recursion).
DEPTH = 15  # bench: check=6


def make(d):
    if d == 0:
        return (None, None)
    d -= 1
    return (make(d), make(d))


def check(t):
    left, right = t
    if left is None:
        return 1
    return 1 + check(left) + check(right)


def main(max_depth):
    min_depth = 4
    stretch = max_depth + 1
    out = [check(make(stretch))]
    long_lived = make(max_depth)
    for d in range(min_depth, max_depth + 1, 2):
        iters = 2 ** (max_depth - d + min_depth)
        total = 0
        for i in range(iters):
            total += check(make(d))
        out.append((iters, d, total))
    out.append(check(long_lived))
    return out


print(main(DEPTH))
