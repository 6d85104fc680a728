import sys

sys.setrecursionlimit(10**9)
x = []
for i in range(200000):
    x = [x]
print("built")
print(x)
