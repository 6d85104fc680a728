a, *b = c
*a, = b
[*a] = b
(*a, b) = c
print(*args)
f(*a, **b)
x = *a, *b
for *a, b in c: pass
