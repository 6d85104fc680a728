# sys.stdout / sys.stderr objects: attributes, methods and their argument errors.
import sys
out, err = sys.stdout, sys.stderr
print(type(out).__name__, out.name, err.name, out.mode, out.encoding, err.encoding)
print(out.errors, err.errors, out.line_buffering, err.line_buffering, out.write_through)
print(out.closed, out.isatty(), out.readable(), out.writable(), out.fileno(), err.fileno())
print(repr(out))
print(sys.getsizeof(out), sys.getsizeof(err))
tests = [
    ("out.flush(1)", lambda: out.flush(1)),
    ("out.write(x=1)", lambda: out.write(x=1)),
    ("out.isatty(1)", lambda: out.isatty(1)),
    ("out.fileno(1)", lambda: out.fileno(1)),
    ("out.flush(x=1)", lambda: out.flush(x=1)),
    ("out.write('a', 'b')", lambda: out.write('a', 'b')),
    ("out.write(None)", lambda: out.write(None)),
    ("out.write('\\udc80x')", lambda: out.write('\udc80x')),
    ("out.write('ab\\ud800\\ud801')", lambda: out.write('ab\ud800\ud801')),
]
for t, f in tests:
    try:
        print(t, "->", repr(f()))
    except Exception as e:
        print(t, "!!", type(e).__name__, e)
err.write("surrogate on stderr: \ud800\n")
n = err.write("partial")
print(n, err.write(" line\n"))
sys.stdout = None
print("lost")
sys.stdout = out
print("back")
