#!/usr/bin/env bash
# Record the expectations of the bad-input cases (tests/badinput/run.sh) from python3 (3.11).
#
# usage: tests/badinput/record.sh [NAME ...]      (default: every case)
#
# CPython runs each case from inside its folder; the memory bombs (memory_*) under `ulimit -v`
# 1 GiB, so that they end in CPython's own MemoryError (as they do in the lab at its 256 MiB
# limit) instead of waking the kernel's OOM killer.  NAME.out gets python3's stdout; NAME.err the last
# non-empty stderr line when python3 exits with status 1 (removed when it exits 0).
#
# Cases with NAME.args run in the lab with a limit CPython does not have.  For these, and for
# the LAB_ONLY cases, only stdout is recorded: python3's output cut at the output limit, or
# what it printed before the end (a timeout or a crash).  Their NAME.err is written by hand,
# because CPython has no such end:
LAB_ONLY=(
    # CPython 3.11 dies with SIGSEGV (C stack overflow) after sys.setrecursionlimit(10**9):
    # the lab raises MemoryError when the frames fill its heap (256 MiB)...
    setrecursionlimit_huge
    # ...and RecursionError when C-level recursion (repr calling repr) reaches its C-stack
    # guard, which does not follow sys.setrecursionlimit.
    setrecursionlimit_repr
    # C recursion through 200,000 levels of nesting: CPython 3.11 overflows its C stack
    # (SIGSEGV) in tuple hash (no guard at all) and, with the limit raised, in list repr; the
    # lab's C-stack guard (PM_MAX_C_RECURSION, core/pm.h) raises RecursionError.
    deep_tuple_hash
    setrecursionlimit_deep_repr
)
# infinite_loop (--max-steps): CPython loops forever; the lab prints the step-limit message.
# output_flood* (--max-output): CPython prints forever; the lab prints the output-limit message.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
gen="$repo/build/test-artifacts/badinput-gen"
mkdir -p "$gen"
python3 -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' || exit 1

cases=("$@")
if [ "${#cases[@]}" -eq 0 ]; then
    for f in "$here"/*.py "$here"/*.gen; do cases+=("$(basename "${f%.*}")"); done
fi
for name in "${cases[@]}"; do
    if [ -f "$here/$name.gen" ]; then
        dir="$gen"
        python3 "$here/$name.gen" >"$gen/$name.py" || exit 1
    else
        dir="$here"
    fi
    vmem=unlimited
    [[ "$name" == memory_* ]] && vmem=1048576
    limit_out=""
    if [ -f "$here/$name.args" ]; then
        limit_out="$(sed -n 's/.*--max-output \([0-9]*\).*/\1/p' "$here/$name.args")"
    fi
    lab_only=0
    [ -f "$here/$name.args" ] && lab_only=1
    for l in "${LAB_ONLY[@]}"; do [ "$l" = "$name" ] && lab_only=1; done
    if [ -n "$limit_out" ]; then
        (cd "$dir" && ulimit -v "$vmem" && timeout 60 python3 "$name.py" 2>/dev/null |
            head -c "$limit_out" >"$here/$name.out")
        echo "recorded $name.out (cut at $limit_out bytes)"
        continue
    fi
    (cd "$dir" && ulimit -v "$vmem" && timeout 60 python3 "$name.py" \
        >"$here/$name.out" 2>"$gen/$name.stderr")
    rc=$?
    if [ "$lab_only" -eq 1 ]; then
        echo "recorded $name.out (python3 exit $rc; $name.err is the lab's, kept)"
        continue
    fi
    if [ "$rc" -eq 1 ]; then
        grep -v '^[[:space:]]*$' "$gen/$name.stderr" | tail -n 1 | sed "s|$dir/||g" >"$here/$name.err"
    elif [ "$rc" -eq 0 ]; then
        rm -f "$here/$name.err"
    else
        echo "record.sh: python3 exited $rc on $name (not 0 or 1): list it in LAB_ONLY" >&2
        exit 1
    fi
    echo "recorded $name (exit $rc)"
done
