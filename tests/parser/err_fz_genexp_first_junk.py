f(x for x in yfor x in y)
