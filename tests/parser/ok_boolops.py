a = x and y
b = x or y
c = x and y and z
d = x or y or z
e = x and y or z and w
f = not x
g = not not x
h = x or not y and z
i = (x or y) and z
j = not x == y
