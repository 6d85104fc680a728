f(1, x for x in y+if x)
