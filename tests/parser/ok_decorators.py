@decorator
def f(): pass

@a.b.c
def g(): pass

@a(1, 2)
@b
class C: pass

@x[0]
def h(): pass

@(lambda f: f)
def i(): pass

@staticmethod
def j(): pass

class K:
    @property
    def p(self):
        return 1

    @p.setter
    def p(self, v):
        pass

    @classmethod
    def c(cls):
        pass
