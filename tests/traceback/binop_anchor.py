x = 1
y = "a"
z = [x, y]
print(z[0] + z[1] * 2 // 0)
