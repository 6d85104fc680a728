import gc


class E(Exception):
    pass


gc.collect()
e = E("m")
e.me = e
print(len(gc.get_referents(e)))
del e
print(gc.collect())

x = ValueError("v")
x.me = x
del x
print(gc.collect())


def keep():
    try:
        1 / 0
    except ZeroDivisionError as err:
        return err


k = keep()
print(type(k.__traceback__).__name__, k.__traceback__.tb_frame.f_code.co_name)
del k
print(gc.collect())


def cycle():
    try:
        1 / 0
    except ZeroDivisionError as err:
        saved = err
    return saved


s = cycle()
del s
print(gc.collect())
print(gc.is_tracked(ValueError()), gc.is_tracked(E()))
