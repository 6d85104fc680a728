class V:
    def __init__(self, n):
        self.n = n
        print("init", n)
    def __del__(self):
        print("del", self.n)
x = V(1)
x = V(2)
lst = [V(3), V(4), V(5)]
del lst
t = (V(6), V(7))
t = None
d = {"a": V(8), "b": V(9)}
d.clear()
def scope():
    p = V(10)
    q = V(11)
    r = V(12)
    print("returning")
scope()
print("end")
