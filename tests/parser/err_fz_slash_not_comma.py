def f(/(), a):
    pass
