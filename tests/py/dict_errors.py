# Error types and messages of dict operations.
def t(label, f):
    try:
        r = f()
        print(label, "ok", r)
    except Exception as e:
        print(label, type(e).__name__ + ":", e)

d = {1: 2}
t("getitem", lambda: d[5])
t("getitem tuple", lambda: d[(1, 2)])
t("getitem list", lambda: d[[]])
t("get 0", lambda: d.get())
t("get 3", lambda: d.get(1, 2, 3))
t("pop missing", lambda: d.pop(5))
t("pop 0", lambda: d.pop())
t("pop 3", lambda: d.pop(1, 2, 3))
t("setdefault 0", lambda: d.setdefault())
t("popitem empty", lambda: {}.popitem())
t("update 2", lambda: d.update(1, 2))
t("update int", lambda: d.update(1))
t("update [1]", lambda: d.update([1]))
t("update triple", lambda: d.update([(1, 2, 3)]))
t("update strs", lambda: d.update(["ab", "c"]))
t("dict 2", lambda: dict(1, 2))
t("dict int", lambda: dict(1))
t("fromkeys 0", lambda: dict.fromkeys())
t("fromkeys 3", lambda: dict.fromkeys(1, 2, 3))
t("hash", lambda: hash({}))
t("lt", lambda: {} < {})
t("or int", lambda: {} | 1)
t("ior list", lambda: d.__ior__(1))
t("in list", lambda: [] in d)
t("del missing", lambda: d.__delitem__(7))
def delete():
    e = {"a": 1}
    del e["b"]
t("del stmt", delete)

class M:
    def keys(self):
        return 5
t("keys non-iterable", lambda: {}.update(M()))

class Mapping:
    def keys(self):
        return ["x", "y"]
    def __getitem__(self, k):
        return k.upper()
t("mapping", lambda: dict(Mapping()))

class Missing(dict):
    def __missing__(self, key):
        return key * 2
m = Missing(a=1)
t("missing", lambda: (m["a"], m["zz"], m.get("zz"), "zz" in m))

def change_size():
    e = {1: 1, 2: 2}
    for k in e:
        e[k + 10] = 0
t("changed size", change_size)
def change_keys():
    e = {1: 1, 2: 2}
    for k in e:
        del e[k]
        e[k + 10] = 0
t("changed keys", change_keys)
def change_values():
    e = {1: 1, 2: 2}
    for v in e.values():
        e.pop(1)
t("values changed", change_values)
def sticky():
    e = {1: 1}
    it = iter(e)
    e[2] = 2
    try:
        next(it)
    except RuntimeError as err:
        print("first", err)
    e.pop(2)
    next(it)
t("sticky", sticky)
