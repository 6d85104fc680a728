def f():
    raise KeyError("x")  # a comment


f()
