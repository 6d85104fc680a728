# Sizes past what memory holds fail with MemoryError (or OverflowError where CPython's
# 64-bit Py_ssize_t overflows), the same on wasm32 builds as on 64-bit CPython.
def t(label, f):
    try:
        r = f()
        print(label, "ok", len(r) if hasattr(r, "__len__") else r)
    except (MemoryError, OverflowError, ValueError, TypeError, IndexError) as e:
        print(label, type(e).__name__, e)
for N in (2 ** 62, 2 ** 63 - 1, 2 ** 64):
    print('N =', N)
    t("list*", lambda: [0] * N)
    t("list*2", lambda: [0, 1] * N)
    t("tuple*", lambda: (0,) * N)
    t("str*", lambda: "a" * N)
    t("str*u", lambda: "\u20ac" * N)
    t("ljust", lambda: "a".ljust(N))
    t("rjust", lambda: "a".rjust(N))
    t("center", lambda: "a".center(N))
    t("zfill", lambda: "1".zfill(N))
    t("format", lambda: format(1, str(N)))
    t("fmt%", lambda: "%*d" % (N, 1))
    t("fstr", lambda: f"{1:{N}}")
    t("pct-prec-d", lambda: "%.*d" % (N, 1))
    t("pct-prec-f", lambda: "%.*f" % (N, 1.5))
    t("fmt-prec", lambda: format(1.5, "." + str(N) + "f"))
    def imul():
        x = [1]
        x *= N
        return x
    t("l*=", imul)
    t("join2", lambda: len(",".join(["abc"] * 100)))
    t("list(range)", lambda: list(range(N)))
    t("expandtabs", lambda: "\t".expandtabs(N))
    t("int<<", lambda: 1 << (2 ** 40))
    t("replace", lambda: ("a" * 3).replace("a", "b" * 3, -1))
    t("list.extend", lambda: [].extend(range(0)))
    t("sl", lambda: [1, 2, 3][-N:N])
    t("str.find", lambda: "abc".find("c", -N, N))
    t("tuple(range)", lambda: len(tuple(range(10))))
    t("dict.fromkeys", lambda: len(dict.fromkeys(range(3))))
    t("join", lambda: len("".join(["a"] * 3)))
    t("sum", lambda: sum(range(N, N + 3)))
    t("islice", lambda: "ab"[N:])
t("pct-prec-d-int-max", lambda: "%.*d" % (2 ** 31 - 1, 1))
t("pct-prec-x-int-max", lambda: "%#.*x" % (2 ** 31 - 2, 255))
