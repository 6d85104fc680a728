a = x if y else z
b = x if y else z if w else v
c = (x if y else z) if w else v
d = x if (y if z else w) else v
e = lambda: x if y else z
f = [x if x else y for x in z]
g = x if y else lambda: z
