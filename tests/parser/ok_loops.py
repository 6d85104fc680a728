while x:
    break
while True:
    continue
while x:
    pass
else:
    y = 1
for x in y:
    pass
for x, y in z:
    pass
for (x, y) in z:
    pass
for x in y:
    break
else:
    pass
for x in 1, 2, 3:
    pass
for x, in y: pass
for *a, b in c: pass
for x.a in y: pass
for x[0] in y: pass
for i in range(10):
    if i % 2:
        continue
    print(i)
