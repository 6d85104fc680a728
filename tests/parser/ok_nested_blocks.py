def outer():
    x = 1
    def inner():
        nonlocal x
        x += 1
        def deeper():
            if x:
                while x:
                    for i in y:
                        try:
                            pass
                        except:
                            pass
        return deeper
    return inner
class A:
    class B:
        class C:
            def m(self):
                pass
x = 1
