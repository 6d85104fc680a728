class A:
    pass

class B(A):
    x = 1

    def __init__(self, v):
        self.v = v

    def __repr__(self):
        return f'B({self.v!r})'

class C(A, B):
    pass

class D(metaclass=M):
    pass

class E(A, *bases, x=1, **kw):
    __slots__ = ('a', '__weakref__')

class F():
    '''docstring'''

class G(object): x = 1; y = 2
