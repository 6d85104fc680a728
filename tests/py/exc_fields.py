# attributes of the exception classes that have some
print(StopIteration().value, StopIteration(1).value, StopIteration(1, 2).value)
s = StopIteration(3)
s.value = 4
print(s.value, s.args)
del s.value
print(s.value)

print(SystemExit().code, SystemExit(3).code, SystemExit(1, 2).code, SystemExit(None).code,
      repr(SystemExit("x")))

print(NameError("x").name, NameError("x", name="y").name, UnboundLocalError("u", name="v").name)
for call in (lambda: NameError("x", foo=1), lambda: UnboundLocalError("x", foo=1),
             lambda: AttributeError("x", nme=1), lambda: ImportError("x", bad=2)):
    try:
        call()
    except TypeError as e:
        print("TypeError:", e)
a = AttributeError("a", name="n", obj=[1])
print(a.name, a.obj, str(a), AttributeError("b").name, AttributeError("b").obj)

try:
    [].nope
except AttributeError as e:
    print(repr(e.name), e.obj)
try:
    undefined_name
except NameError as e:
    print(repr(e.name))

i = ImportError("m", name="mod", path="/p")
print(i.msg, i.name, i.path, str(i), str(ImportError()), str(ImportError("a", "b")))
print(str(ImportError(1)), ImportError("a", "b").msg, ModuleNotFoundError("No module").msg)
print(i.__reduce__())

print(str(OSError()), str(OSError(2)), str(OSError(2, "No such file")),
      str(OSError(2, "No such file", "f.txt")), str(OSError(2, "x", "a", None, "b")))
o = OSError(2, "No such file", "f.txt")
print(o.errno, o.strerror, o.filename, o.filename2, o.args)
try:
    o.characters_written
except AttributeError as e:
    print("AttributeError:", e)

s = SyntaxError("invalid syntax", ("t.py", 1, 2, "x y\n", 1, 5))
print(str(s), s.msg, s.filename, s.lineno, s.offset, repr(s.text), s.end_lineno,
      s.end_offset, s.print_file_and_line, s.args)
print(str(SyntaxError("m")), str(SyntaxError("m", ("t.py", None, 2, "x"))),
      str(SyntaxError("m", (None, 3, 2, "x"))), str(SyntaxError("m", ("/a/b/t.py", 4, 2, "x"))))
print(SyntaxError().msg, SyntaxError(1, 2, 3).msg, IndentationError("i").msg)
for args in [("m", (1, 2)), ("m", 5), ("m", (1, 2, 3, 4, 5)), ("m", (1, 2, 3, 4, 5, 6, 7))]:
    try:
        SyntaxError(*args)
    except TypeError as e:
        print("TypeError:", e)

print(repr(UnicodeError("x")), isinstance(UnicodeError(), ValueError))
