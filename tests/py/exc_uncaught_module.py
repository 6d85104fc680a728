class Custom(Exception):
    pass


Custom.__module__ = "mylib.errors"
raise Custom("from a library")
