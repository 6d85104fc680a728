# check_subscripter and check_index: literals that cannot be subscripted, or not by that index.
x = 3
cases = [
    lambda: 5[0],
    lambda: (-1)[0],
    lambda: 1.5[0],
    lambda: None[0],
    lambda: ...[0],
    lambda: True[0],
    lambda: {1, 2}[0],
    lambda: {i for i in "ab"}[0],
    lambda: (i for i in "ab")[0],
    lambda: (lambda: 1)[0],
    lambda: [1, 2]["a"],
    lambda: [1, 2][1.5],
    lambda: [1, 2][None],
    lambda: [i for i in "ab"]["x"],
    lambda: (x, 2)["a"],
    lambda: (1, 2)[1.5],
    lambda: "abc"["x"],
    lambda: "abc"[1, 2],
    lambda: f"{x}"[None],
    lambda: [1][[0]],
    lambda: [1][{}],
    lambda: [1][x:],
    lambda: [1][True],
    lambda: "abc"[-1],
    lambda: {"a": 1}["a"],
]
for case in cases:
    try:
        print(case())
    except (TypeError, IndexError) as e:
        print(type(e).__name__, e)
