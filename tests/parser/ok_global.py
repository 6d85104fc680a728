global x
global x, y
def f():
    global a
    nonlocal b
    nonlocal c, d
