x = []
y = []
for i in range(100000):
    x = [x]
    y = [y]
try:
    print(x == y)
except RecursionError as e:
    print("RecursionError:", e)
t = ()
for i in range(500):
    t = (t,)
print(hash(t) == hash(t))
print("still running:", sum(range(10)))
