def counter():
    count = 0
    def inc():
        nonlocal count
        count += 1
        return count
    return inc

g = 0
def setg():
    global g
    g = 1
