#!/usr/bin/env bash
# Run a directory of conformance cases through one interpreter.
#
# usage: tests/run_conformance.sh DIR INTERPRETER [ARGS...]
#   e.g. tests/run_conformance.sh tests/py ./build/native/pymemlab run
#        tests/run_conformance.sh tests/py node wasm/cli.mjs --engine=wasi run
#
# A case is NAME.py with NAME.out (exact stdout, recorded by tests/record_goldens.sh from
# CPython 3.11) and, when the program ends with an uncaught exception, NAME.err (the last
# non-empty line of stderr).  Each case runs from inside DIR as `INTERPRETER... NAME.py`
# with stdin from /dev/null and a timeout.  It passes when stdout is byte-identical to
# NAME.out, the last non-empty stderr line equals NAME.err (if present), and the exit status
# is 1 when NAME.err exists and 0 otherwise.
#
# Environment:
#   CONFORMANCE_TIMEOUT    seconds per case (default 10)
#   CONFORMANCE_ARTIFACTS  folder that receives NAME.stdout/NAME.stderr of failing cases
#   CONFORMANCE_VERBOSE=1  print a diff for each failure
#   CONFORMANCE_FILTER     only run cases whose name matches this shell glob (e.g. 'gc_*')
# Output: a "FAIL name: reason" line per failure, then "N passed, M failed".
# Exit status 0 only when nothing failed (and at least one case ran).
set -u

if [ "$#" -lt 2 ]; then
    echo "usage: $0 DIR INTERPRETER [ARGS...]" >&2
    exit 2
fi
dir="$(cd "$1" && pwd)" || exit 2
shift

# The interpreter runs inside DIR, so arguments naming an existing relative path
# (./build/native/pymemlab, wasm/cli.mjs) are made absolute first.
cmd=()
for a in "$@"; do
    if [[ "$a" != /* && "$a" == */* ]] && [ -e "$a" ]; then
        cmd+=("$(cd "$(dirname "$a")" && pwd)/$(basename "$a")")
    else
        cmd+=("$a")
    fi
done

timeout_s="${CONFORMANCE_TIMEOUT:-10}"
artifacts="${CONFORMANCE_ARTIFACTS:-}"
[ -n "$artifacts" ] && mkdir -p "$artifacts"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

passed=0
failed=0
shopt -s nullglob
for py in "$dir"/*.py; do
    name="$(basename "$py" .py)"
    # shellcheck disable=SC2053
    [[ -n "${CONFORMANCE_FILTER:-}" && "$name" != ${CONFORMANCE_FILTER} ]] && continue
    (cd "$dir" && timeout -k 2 "$timeout_s" "${cmd[@]}" "$name.py" </dev/null >"$tmp/out" 2>"$tmp/err")
    rc=$?
    why=""
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        why="timeout after ${timeout_s}s"
    elif [ ! -f "$dir/$name.out" ]; then
        why="missing $name.out (run tests/record_goldens.sh)"
    elif ! cmp -s "$tmp/out" "$dir/$name.out"; then
        why="stdout differs"
    elif [ -f "$dir/$name.err" ]; then
        want="$(head -n 1 "$dir/$name.err")"
        got="$(sed -e 's/\r$//' "$tmp/err" | awk 'NF { last = $0 } END { print last }')"
        if [ "$got" != "$want" ]; then
            why="last stderr line differs (got: $got)"
        elif [ "$rc" -ne 1 ]; then
            why="exit status $rc, expected 1"
        fi
    elif [ "$rc" -ne 0 ]; then
        why="exit status $rc, expected 0 ($(awk 'NF { last = $0 } END { print last }' "$tmp/err"))"
    fi
    if [ -z "$why" ]; then
        passed=$((passed + 1))
        continue
    fi
    failed=$((failed + 1))
    echo "FAIL $name: $why"
    if [ -n "$artifacts" ]; then
        cp "$tmp/out" "$artifacts/$name.stdout"
        cp "$tmp/err" "$artifacts/$name.stderr"
    fi
    if [ "${CONFORMANCE_VERBOSE:-0}" = "1" ] && [ -f "$dir/$name.out" ]; then
        diff "$dir/$name.out" "$tmp/out" | head -n 20
        tail -n 3 "$tmp/err"
    fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
