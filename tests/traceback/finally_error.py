def f():
    try:
        return 1
    finally:
        None.x


f()
