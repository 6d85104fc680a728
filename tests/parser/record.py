#!/usr/bin/env python3
"""Record the parser goldens in tests/parser/ by running CPython 3.11.

    python3 tests/parser/record.py            # every NAME.py
    python3 tests/parser/record.py NAME ...   # some of them

For each NAME.py:
  ok_*, unsup_*   NAME.ast: two lines, ast.dump(tree) and
                  ast.dump(tree, include_attributes=True) of ast.parse(<file bytes>);
                  NAME.warn: the warnings compile() prints for it, if any
  err_*           NAME.err: what `python3 NAME.py` prints on stderr (run from this directory;
                  the absolute path CPython prints is replaced by the bare file name)
  unsupx_*        nothing (CPython accepts them; PyMemLab's own error is in NAME.pmerr)
NAME.pmerr files (PyMemLab's "not supported" errors) are written by hand.
"""
import ast
import os
import subprocess
import sys

if sys.version_info[:2] != (3, 11):
    sys.exit("record.py: goldens must come from CPython 3.11 (this is %s)"
             % sys.version.split()[0])

HERE = os.path.dirname(os.path.abspath(__file__))


def record_ast(name, path):
    with open(path, "rb") as f:
        tree = ast.parse(f.read())
    text = ast.dump(tree) + "\n" + ast.dump(tree, include_attributes=True) + "\n"
    with open(os.path.join(HERE, name + ".ast"), "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def record_warnings(name):
    """NAME.warn: the warnings parsing NAME.py prints (only written when there are some)."""
    code = ("import ast, sys\nsrc = open(sys.argv[1], 'rb').read()\n"
            "compile(src, sys.argv[1], 'exec', ast.PyCF_ONLY_AST, dont_inherit=True)\n")
    r = subprocess.run([sys.executable, "-c", code, name + ".py"], cwd=HERE,
                       capture_output=True)
    out = os.path.join(HERE, name + ".warn")
    if r.returncode != 0:
        sys.exit("record.py: %s.py does not compile:\n%s" % (name, r.stderr.decode()))
    if r.stderr:
        with open(out, "wb") as f:
            f.write(r.stderr)
    elif os.path.exists(out):
        os.remove(out)


def record_err(name, path):
    r = subprocess.run([sys.executable, name + ".py"], cwd=HERE, capture_output=True,
                       env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=""))
    err = r.stderr.replace(path.encode(), (name + ".py").encode())
    if r.returncode != 1 or r.stdout or b"Traceback" in err or not err:
        sys.exit("record.py: %s.py did not fail to compile (rc=%d):\n%s"
                 % (name, r.returncode, err.decode("utf-8", "replace")))
    with open(os.path.join(HERE, name + ".err"), "wb") as f:
        f.write(err)


def main(names):
    if not names:
        names = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py")
                       and f != "record.py" and f != "gen_unicode.py")
    for name in names:
        path = os.path.join(HERE, name + ".py")
        if name.startswith(("ok_", "unsup_")):
            record_ast(name, path)
            record_warnings(name)
        elif name.startswith("err_"):
            record_err(name, path)
        elif not name.startswith("unsupx_"):
            sys.exit("record.py: %s: unknown prefix (ok_, err_, unsup_, unsupx_)" % name)
    print("recorded %d cases" % len(names))


if __name__ == "__main__":
    # ast.dump recurses once per tree level; the deep-chain cases need room.
    import threading
    sys.setrecursionlimit(200000)
    threading.stack_size(512 * 1024 * 1024)
    status = []

    def run():
        try:
            main(sys.argv[1:])
            status.append(0)
        except SystemExit as e:
            status.append(e.code)

    t = threading.Thread(target=run)
    t.start()
    t.join()
    sys.stdout.flush()
    sys.exit(status[0] if status else 1)
