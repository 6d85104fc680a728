import weakref

class V:
    def __init__(self, v):
        self.v = v
    def __add__(self, o):
        return V(self.v + (o.v if isinstance(o, V) else o))
    def __radd__(self, o):
        return V(o + self.v)
    def __sub__(self, o):
        return V(self.v - o)
    def __mul__(self, o):
        return V(self.v * o)
    def __eq__(self, o):
        return isinstance(o, V) and self.v == o.v
    def __lt__(self, o):
        return self.v < o.v
    def __hash__(self):
        return hash(self.v)
    def __len__(self):
        return 3
    def __iter__(self):
        return iter([1, 2, 3])
    def __getitem__(self, k):
        return k * 2
    def __setitem__(self, k, v):
        print("set", k, v)
    def __delitem__(self, k):
        print("del", k)
    def __call__(self, *a, **k):
        return ("called", a, k)
    def __repr__(self):
        return "V(%r)" % self.v
    def __str__(self):
        return "strV"
    def __bool__(self):
        return False
    def __neg__(self):
        return V(-self.v)
    def __contains__(self, x):
        return x == 1
    def __int__(self):
        return 7
    def __index__(self):
        return 7
    def hello(self, who):
        return "hello " + who

a = V(1)
p = weakref.proxy(a)
print(type(p).__name__, type(p) is weakref.CallableProxyType, weakref.proxy(a) is p)
print(p.v, p.hello("x"), (p + 1).v, (1 + p).v, (p + p).v, (-p).v, (p - 1).v, (p * 3).v)
print(p == V(1), p == a, p != a, p < V(2), len(p), list(p), p[4], p(1, x=2))
print(str(p), bool(p), 1 in p, 5 in p, int(p), [10, 20, 30, 40, 50, 60, 70, 80][p])
p[1] = 2
del p[3]
p.w = 5
print(a.w, p.w)
del p.w
print(hasattr(a, "w"), p.__class__.__name__, isinstance(p, V))
try:
    hash(p)
except TypeError as e:
    print("TypeError:", e)
try:
    p.missing
except AttributeError as e:
    print("AttributeError:", e)
q = p
q += 5
print(type(q).__name__, q.v)

class W:
    pass
w = W()
pw = weakref.proxy(w)
print(type(pw).__name__, repr(pw).startswith("<weakproxy at 0x"), " to W at 0x" in repr(pw))
for expr in ["pw()", "pw + 1", "len(pw)", "iter(pw)", "pw[0]", "next(pw)", "hash(pw)"]:
    try:
        eval_result = None
        if expr == "pw()":
            pw()
        elif expr == "pw + 1":
            pw + 1
        elif expr == "len(pw)":
            len(pw)
        elif expr == "iter(pw)":
            iter(pw)
        elif expr == "pw[0]":
            pw[0]
        elif expr == "next(pw)":
            next(pw)
        else:
            hash(pw)
    except TypeError as e:
        print(expr, "TypeError:", e)
print(bool(pw))
for o in [pw, weakref.ref(w)]:
    try:
        weakref.ref(o)
    except TypeError as e:
        print("TypeError:", e)
cbs = []
pc = weakref.proxy(w, lambda x: cbs.append(type(x).__name__))
print(pc is pw, weakref.getweakrefcount(w))
del w
print(cbs)
for i in range(2):
    try:
        pw.x
    except ReferenceError as e:
        print(i, type(e).__name__, e)
print(" to NoneType at 0x" in repr(pw))
del a
tests = ["p + 1", "1 + p", "p == 1", "len(p)", "p.x = 1", "p()", "p[0]", "iter(p)", "1 in p",
         "str(p)", "bool(p)", "-p", "p.v"]
for t in tests:
    try:
        if t == "p + 1":
            p + 1
        elif t == "1 + p":
            1 + p
        elif t == "p == 1":
            p == 1
        elif t == "len(p)":
            len(p)
        elif t == "p.x = 1":
            p.x = 1
        elif t == "p()":
            p()
        elif t == "p[0]":
            p[0]
        elif t == "iter(p)":
            iter(p)
        elif t == "1 in p":
            1 in p
        elif t == "str(p)":
            str(p)
        elif t == "bool(p)":
            bool(p)
        elif t == "-p":
            -p
        else:
            p.v
    except ReferenceError as e:
        print(t, "->", e)
