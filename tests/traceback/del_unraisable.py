class Noisy:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("deleting", self.name)
        1 / 0


class Quiet:
    def __del__(self):
        raise ValueError


n = Noisy("a")
del n
q = Quiet()
q = None
print("end")
