def6 f(a=1, b):
    pass
