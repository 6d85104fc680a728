#!/usr/bin/env bash
# Compare the FULL stderr (tracebacks, carets, chains, "Exception ignored in" reports) and the
# exit status of every tests/traceback/*.py under python3 (3.11) and under PyMemLab.
#
# usage: tests/traceback_check.sh [INTERPRETER [ARGS...]]
#   default interpreter: build/native/pymemlab run
#   e.g.   tests/traceback_check.sh node wasm/cli.mjs run
#
# Both run from inside tests/traceback with the program's absolute path (python3 3.11 shows
# absolute paths in tracebacks), stdin from /dev/null.  Memory addresses (0x7f...) are
# replaced by 0xADDR before comparing.  Stdout is compared too (the conformance runner
# covers it in depth; here it only guards the interleaving of the two streams' contents).
#
# Environment: TRACEBACK_VERBOSE=1 prints a diff per failure; TRACEBACK_FILTER=glob.
# Output: "FAIL name: reason" per failure, then "N passed, M failed"; status 0 when all pass.
set -u

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
dir="$here/traceback"
py="${PYTHON:-python3}"

if [ "$#" -eq 0 ]; then
    set -- "$root/build/native/pymemlab" run
fi
cmd=()
for a in "$@"; do
    if [[ "$a" != /* && "$a" == */* ]] && [ -e "$a" ]; then
        cmd+=("$(cd "$(dirname "$a")" && pwd)/$(basename "$a")")
    else
        cmd+=("$a")
    fi
done

if ! "$py" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    echo "traceback_check: $py is not python 3.11" >&2
    exit 2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
clean_env=(env -u PYTHONUNBUFFERED -u PYTHONDEVMODE -u PYTHONWARNINGS -u PYTHONSTARTUP
           -u PYTHONPATH -u PYTHONHOME PYTHONDONTWRITEBYTECODE=1 PYTHONHASHSEED=0)
normalize() { sed -E -e 's/0x[0-9a-fA-F]+/0xADDR/g' -e 's/\r$//' "$1"; }

passed=0
failed=0
shopt -s nullglob
for prog in "$dir"/*.py; do
    name="$(basename "$prog" .py)"
    # shellcheck disable=SC2053
    [[ -n "${TRACEBACK_FILTER:-}" && "$name" != ${TRACEBACK_FILTER} ]] && continue
    (cd "$dir" && "${clean_env[@]}" timeout -k 2 20 "$py" "$prog" </dev/null \
        >"$tmp/want.out" 2>"$tmp/want.err")
    want_rc=$?
    (cd "$dir" && timeout -k 2 20 "${cmd[@]}" "$prog" </dev/null >"$tmp/got.out" 2>"$tmp/got.err")
    got_rc=$?
    normalize "$tmp/want.err" >"$tmp/want.errn"
    normalize "$tmp/got.err" >"$tmp/got.errn"
    why=""
    if [ "$got_rc" -eq 124 ] || [ "$got_rc" -eq 137 ]; then
        why="timeout"
    elif ! cmp -s "$tmp/want.errn" "$tmp/got.errn"; then
        why="stderr differs"
    elif ! cmp -s "$tmp/want.out" "$tmp/got.out"; then
        why="stdout differs"
    elif [ "$want_rc" -ne "$got_rc" ]; then
        why="exit status $got_rc, expected $want_rc"
    fi
    if [ -z "$why" ]; then
        passed=$((passed + 1))
        continue
    fi
    failed=$((failed + 1))
    echo "FAIL $name: $why"
    if [ "${TRACEBACK_VERBOSE:-0}" = 1 ]; then
        diff -u "$tmp/want.errn" "$tmp/got.errn" | head -n 60 | sed "s/^/    /"
        diff -u "$tmp/want.out" "$tmp/got.out" | head -n 20 | sed "s/^/    /"
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
