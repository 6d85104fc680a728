f(x for x in y)
f (x for x in y)
o.m(x for x in y)
f((x for x in y), 1)
