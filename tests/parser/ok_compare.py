a = x < y
b = x <= y > z >= w == v != u
c = x in y
d = x not in y
e = x is y
f = x is not y
g = a < b < c
h = not x in y
i = x == y == z
j = (x < y) < z
