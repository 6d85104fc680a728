#!/usr/bin/env python3
"""Check every lesson exercise against CPython 3.11 (python3).

    python3 lessons/check_exercises.py                 # python3 only
    python3 lessons/check_exercises.py --core CMD...   # also a core CLI, e.g.
        python3 lessons/check_exercises.py --core build/native/pymemlab run

For each exercise of each lesson (lessons/index.json):
  predict  the code runs without error and prints something;
  choice   the code runs without error and its stripped stdout equals exactly one choice;
  fix      the starter followed by the check fails (no "PASS" line, or an error), and the
           reference solution lessons/NN/solutions/ID.py followed by the check passes;
  heap     the `returns` expression prints the same repr under every interpreter, and the
           reference solution lessons/NN/solutions/ID.steps exists.  The steps themselves are C
           API calls run on the lab's heap (wasm/heapsteps.mjs): CPython cannot run them, so
           the node suite grades the starter and the solution through the core.
Grading runs "submission + newline + check" as one program (see lessons/README.md); a pass
is exit status 0 and a stdout line starting with "PASS".  Also checks the format: ids
unique, both languages present, every kind's fields there and nothing else, and at least
three exercises of at least three kinds per lesson.
The node suite tests/node/lessons.test.mjs does the same through the core's JS API.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
COMMON = {"id", "kind", "title", "prompt", "hints"}
FIELDS = {"predict": {"code"}, "fix": {"starter", "check"},
          "choice": {"question", "choices", "code", "explanation"},
          "heap": {"starter", "returns"}}
I18N = {"title", "prompt", "question", "explanation"}


def run(cmd, code):
    with tempfile.TemporaryDirectory(prefix="pml-ex-") as d:
        with open(os.path.join(d, "exercise.py"), "w", encoding="utf-8") as f:
            f.write(code)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        p = subprocess.run(cmd + ["exercise.py"], cwd=d, env=env, capture_output=True,
                           timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def program(submission, check):
    return submission + ("" if submission.endswith("\n") else "\n") + check


def passed(result):
    rc, out, _ = result
    return rc == 0 and any(line.startswith("PASS") for line in out.splitlines())


def check_format(name, ex, seen):
    errors = []
    kind = ex.get("kind")
    if kind not in FIELDS:
        return [f"{name}: bad kind {kind!r}"]
    want = COMMON | FIELDS[kind]
    if set(ex) != want:
        errors.append(f"{ex.get('id')}: fields {sorted(set(ex) ^ want)} wrong")
    if ex.get("id") in seen:
        errors.append(f"{ex['id']}: duplicate id")
    seen.add(ex.get("id"))
    for key in I18N & set(ex):
        if set(ex[key]) != {"en", "zh"} or not all(ex[key].values()):
            errors.append(f"{ex['id']}: {key} needs en and zh")
    if not ex.get("hints") or any(set(h) != {"en", "zh"} for h in ex["hints"]):
        errors.append(f"{ex['id']}: hints need en and zh")
    return errors


def check_exercise(d, ex, cmd, label, reprs):
    errors = []
    eid = ex["id"]
    if ex["kind"] == "heap":
        rc, out, err = run(cmd, f"print(repr((\n{ex['returns']}\n)))\n")
        if rc != 0 or out.count("\n") != 1:
            errors.append(f"{eid} [{label}]: returns does not print one repr (exit {rc}) {err[-300:]}")
        reprs.setdefault(eid, {})[label] = out
        if len(set(reprs[eid].values())) > 1:
            errors.append(f"{eid}: returns prints differently: {reprs[eid]}")
        if not os.path.exists(os.path.join(d, "solutions", eid + ".steps")):
            errors.append(f"{eid}: no reference solution solutions/{eid}.steps")
    elif ex["kind"] == "predict":
        rc, out, err = run(cmd, ex["code"])
        if rc != 0 or not out:
            errors.append(f"{eid} [{label}]: predict code failed (exit {rc}) {err[-300:]}")
    elif ex["kind"] == "choice":
        rc, out, err = run(cmd, ex["code"])
        hits = [c for c in ex["choices"] if c == out.strip()]
        if rc != 0 or len(hits) != 1 or len(set(ex["choices"])) != len(ex["choices"]):
            errors.append(f"{eid} [{label}]: output {out.strip()!r} matches {len(hits)} "
                          f"choices (exit {rc}) {err[-300:]}")
    else:
        sol_path = os.path.join(d, "solutions", eid + ".py")
        with open(sol_path, encoding="utf-8") as f:
            solution = f.read()
        r = run(cmd, program(ex["starter"], ex["check"]))
        if passed(r):
            errors.append(f"{eid} [{label}]: the starter passes the check")
        elif "AssertionError" not in r[2]:
            errors.append(f"{eid} [{label}]: the starter fails without an AssertionError:\n{r[2][-400:]}")
        r = run(cmd, program(solution, ex["check"]))
        if not passed(r):
            errors.append(f"{eid} [{label}]: the solution fails (exit {r[0]}):\n{r[1][-300:]}{r[2][-600:]}")
    return errors


def main(argv):
    cmds = [(["python3"], "python3")]
    only = os.environ.get("LESSONS_ONLY", "")     # a path prefix, to check a few lessons
    if argv[:1] == ["--core"]:
        core = argv[1:]
        if os.path.exists(core[0]):
            core[0] = os.path.abspath(core[0])
        cmds.append((core, "core"))
    ver = subprocess.run(["python3", "-c", "import sys; print(sys.version_info[:2])"],
                         capture_output=True, text=True).stdout.strip()
    if ver != "(3, 11)":
        sys.exit(f"check_exercises: python3 is {ver}; need 3.11")
    with open(os.path.join(HERE, "index.json"), encoding="utf-8") as f:
        index = json.load(f)
    errors, seen, count, reprs = [], set(), 0, {}
    for entry in index:
        if not entry["path"].startswith(only):
            continue
        d = os.path.join(HERE, entry["path"])
        with open(os.path.join(d, "exercises.json"), encoding="utf-8") as f:
            exercises = json.load(f)
        kinds = {ex.get("kind") for ex in exercises}
        if len(exercises) < 3 or len(kinds & set(FIELDS)) < 3:
            errors.append(f"{entry['path']}: needs at least three exercises of at least three kinds")
        for ex in exercises:
            fmt = check_format(entry["path"], ex, seen)
            errors += fmt
            if fmt:
                continue
            count += 1
            for cmd, label in cmds:
                errors += check_exercise(d, ex, cmd, label, reprs)
    for e in errors:
        print("FAIL", e)
    print(f"exercises: {count - len({e.split()[0] for e in errors})} passed, "
          f"{len({e.split()[0] for e in errors})} failed")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
