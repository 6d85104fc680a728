# method_calls: method, property, classmethod, staticmethod and super() calls on instances
# (LOAD_METHOD, CALL, frames, attribute reads and writes).
SIZE = 500000  # bench: check=2000


class Counter:
    def __init__(self, start):
        self.value = start
        self.step = 1

    def inc(self):
        self.value += self.step
        return self

    def add(self, n, times=1):
        self.value += n * times

    @property
    def double(self):
        return self.value * 2

    @staticmethod
    def twice(x):
        return x + x

    @classmethod
    def make(cls, v):
        return cls(v)


class Sub(Counter):
    def inc(self):
        super().inc()
        self.value += 1
        return self


def run(n):
    c = Counter(0)
    s = Sub.make(1)
    total = 0
    for i in range(n):
        c.inc().inc()
        c.add(i, times=2)
        s.inc()
        total += c.double + Counter.twice(i) - s.value
        total &= 0xFFFFFFFF
    return total, c.value, s.value


print(run(SIZE))
