# 'X' object is not callable; perhaps you missed a comma?  (check_caller)
x = 2
cases = [
    lambda: [(1, 2)
             (3, 4)],
    lambda: [x, 1](0),
    lambda: [i for i in range(2)](0),
    lambda: {1: 2}(0),
    lambda: {i: i for i in range(2)}(0),
    lambda: {1, 2}(0),
    lambda: {i for i in range(2)}(0),
    lambda: (i for i in range(2))(0),
    lambda: "abc"(0),
    lambda: f"a{x}"(0),
    lambda: None(0),
    lambda: ...(0),
    lambda: 1.5(0),
    lambda: (-1)(0),
    lambda: (2 ** 3)(0),
    lambda: True(0),
    lambda: (x, 1)(0),
]
for case in cases:
    try:
        case()
    except TypeError as e:
        print(e)
print((lambda: 7)(), (x)(*[]) if callable(x) else "not callable")
