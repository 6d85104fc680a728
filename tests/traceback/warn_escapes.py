# Invalid escape sequences give a DeprecationWarning in 3.11, which the default filters show
# only for code in __main__ -- and a script's warnings name its file, not __main__: nothing.
path = "C:\data\new"
regex = "\d+\.\d*"
octal = "\777"
raw = r"\d"
fmt = f"\w{path[:2]}\q"
print(len(path), regex, len(octal), raw, fmt)
print(path is "x")
