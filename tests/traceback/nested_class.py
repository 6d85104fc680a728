def make():
    class LocalError(Exception):
        pass
    return LocalError


class Outer:
    class Inner(Exception):
        pass


try:
    raise make()("local")
except Exception as e:
    print(type(e).__qualname__)
raise Outer.Inner("inner")
