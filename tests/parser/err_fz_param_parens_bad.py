def f((ba,< b)):
    pass
