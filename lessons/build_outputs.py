#!/usr/bin/env python3
"""Record what CPython 3.11 prints for every runnable lesson snippet.

    python3 lessons/build_outputs.py            # rewrite lessons/*/outputs.json
    python3 lessons/build_outputs.py --check    # fail if an outputs.json is stale

A runnable snippet is a fenced block whose info string is exactly ``python`` (the fences at
the start of a line) in lesson.en.md.  lesson.zh.md must hold the same snippets, byte for
byte, in the same order.  Each snippet runs on its own in a fresh python3 process, with
stdout and stderr piped (as the goldens of tests/py are recorded: a piped stdout is what
the PyMemLab core models, see core/lib/io.c), from a scratch directory, as the file
``snippet.py``.  A snippet must exit with status 0, write nothing to stderr, and print
nothing that depends on where it ran (the scratch path) or on the run (ids, the order of
a set of strings): each snippet runs twice and must print the same.  Those are lesson bugs.

outputs.json maps the snippet's index (0-based, as a string) to its exact stdout.  The
lesson tests (tests/node/lessons.test.mjs) run the same snippets through the core and
compare.  Nothing here is typed by hand: change a snippet, run this script.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)


def snippets(path):
    with open(path, encoding="utf-8") as f:
        return [m.group(1) for m in FENCE.finditer(f.read())]


def lesson_dirs():
    with open(os.path.join(HERE, "index.json"), encoding="utf-8") as f:
        index = json.load(f)
    return [os.path.join(HERE, entry["path"]) for entry in index]


def run(python, code, scratch):
    path = os.path.join(scratch, "snippet.py")
    with open(path, "w", encoding="utf-8") as f:
        f.write(code)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PYTHON")}          # no PYTHONUNBUFFERED and the like
    env["PYTHONIOENCODING"] = "utf-8"
    p = subprocess.run([python, "snippet.py"], cwd=scratch, env=env, capture_output=True,
                       timeout=60)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8", "replace")


def main(argv):
    check = "--check" in argv
    python = os.environ.get("PYTHON", "python3")
    ver = subprocess.run([python, "-c", "import sys; print(sys.version_info[:2])"],
                         capture_output=True, text=True).stdout.strip()
    if ver != "(3, 11)":
        sys.exit(f"build_outputs: {python} is {ver or 'missing'}; the goldens must come "
                 "from CPython 3.11")
    bad = 0
    for d in lesson_dirs():
        name = os.path.basename(d)
        en = snippets(os.path.join(d, "lesson.en.md"))
        zh = snippets(os.path.join(d, "lesson.zh.md"))
        if en != zh:
            print(f"{name}: lesson.zh.md's python snippets differ from lesson.en.md's")
            bad += 1
            continue
        outputs = {}
        with tempfile.TemporaryDirectory(prefix="pml-lesson-") as scratch:
            for i, code in enumerate(en):
                rc, out, err = run(python, code, scratch)
                again = run(python, code, scratch)[1]
                if again != out:
                    print(f"{name} snippet {i}: two runs printed different output "
                          "(ids, hash order?)")
                    bad += 1
                if rc != 0 or err:
                    print(f"{name} snippet {i}: exit {rc}\n{err}")
                    bad += 1
                if scratch in out or "snippet.py" in out:
                    print(f"{name} snippet {i}: the output shows where it ran")
                    bad += 1
                outputs[str(i)] = out
        text = json.dumps(outputs, indent=2, ensure_ascii=False) + "\n"
        target = os.path.join(d, "outputs.json")
        old = open(target, encoding="utf-8").read() if os.path.exists(target) else None
        if check:
            if old != text:
                print(f"{name}: outputs.json is stale (run python3 lessons/build_outputs.py)")
                bad += 1
        elif old != text:
            with open(target, "w", encoding="utf-8") as f:
                f.write(text)
            print(f"{name}: wrote outputs.json ({len(en)} snippets)")
    if bad:
        sys.exit(f"build_outputs: {bad} problem(s)")


if __name__ == "__main__":
    main(sys.argv[1:])
