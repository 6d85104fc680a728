class C:
    def __del__(self):
        print("in __del__")
        raise RuntimeError("from __del__")


c = C()
del c
print("still running")
