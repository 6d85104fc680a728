try:
    raise KeyError("")
except KeyError as e:
    print(repr(str(e)))
raise ValueError
