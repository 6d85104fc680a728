def f(a, b, c):
    return a + b + c


result = f(1,
           2,
           "x")
