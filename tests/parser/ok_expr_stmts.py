x
1
'docstring'
f()
a.b
a[0]
x + y
-x
not x
x if y else z
lambda: 0
[x for x in y]
...
