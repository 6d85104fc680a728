#!/usr/bin/env bash
# Bad input: every case must end in a clear Python exception or limit message, never a crash.
#
# usage: tests/badinput/run.sh INTERPRETER [ARGS...] [::: INTERPRETER [ARGS...] ...]
#   e.g. tests/badinput/run.sh ./build/native/pymemlab ::: ./build/asan/pymemlab
#        tests/badinput/run.sh node wasm/cli.mjs
# (each interpreter runs every case; ":::" separates them; one total at the end)
#
# A case is NAME.py, or NAME.gen: a python3 script whose stdout is the program (for inputs
# too big to keep in git: 10,000-deep nesting, huge literals, a 1,000,000-line program); it
# is generated into build/test-artifacts/badinput-gen/.  Optional NAME.args holds CLI options
# (--max-steps N, --max-output BYTES).  Expectations, recorded from python3 by
# tests/badinput/record.sh (the few lab-only ones are listed and explained there):
#   NAME.out   exact stdout
#   NAME.err   the last non-empty line of stderr; then the exit status must be 1, else 0.
#              The case's folder is removed from file names ("in file NAME.py on line 2").
# Each case runs as `INTERPRETER... [ARGS] run NAME.py` from inside its folder, with a
# timeout, and fails on any sanitizer report (AddressSanitizer, LeakSanitizer, UBSan
# "runtime error:") or a signal.  That the lab runs the next program after each of these
# inputs is tests/c/test_badinput.c's part.
#
# Environment: BADINPUT_TIMEOUT seconds per case (default 60), BADINPUT_FILTER shell glob.
# Output: "FAIL name: reason" per failure, then "badinput: N passed, M failed".
set -u
if [ "$#" -lt 1 ]; then
    echo "usage: $0 INTERPRETER [ARGS...]" >&2
    exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cmds=()   # one string per interpreter: its words, each made absolute when it is a path
cur=""
for a in "$@" ":::"; do
    if [ "$a" = ":::" ]; then
        [ -n "$cur" ] && cmds+=("$cur")
        cur=""
    elif [[ "$a" != /* && "$a" == */* ]] && [ -e "$a" ]; then
        cur+="$(cd "$(dirname "$a")" && pwd)/$(basename "$a")"$'\n'
    else
        cur+="$a"$'\n'
    fi
done
gen="$repo/build/test-artifacts/badinput-gen"
mkdir -p "$gen"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
timeout_s="${BADINPUT_TIMEOUT:-60}"

# generate NAME.gen programs once (kept while the .gen file is older)
for g in "$here"/*.gen; do
    name="$(basename "$g" .gen)"
    if [ ! -s "$gen/$name.py" ] || [ "$g" -nt "$gen/$name.py" ]; then
        python3 "$g" >"$gen/$name.py.tmp" && mv "$gen/$name.py.tmp" "$gen/$name.py"
    fi
done

passed=0
failed=0
for words in "${cmds[@]}"; do
mapfile -t cmd <<<"${words%$'\n'}"
[ "${#cmds[@]}" -gt 1 ] && echo "--- ${cmd[*]}"
for exp in "$here"/*.py "$here"/*.gen; do
    name="$(basename "${exp%.*}")"
    # shellcheck disable=SC2053
    [[ -n "${BADINPUT_FILTER:-}" && "$name" != ${BADINPUT_FILTER} ]] && continue
    if [ "${exp##*.}" = gen ]; then dir="$gen"; else dir="$here"; fi
    args=()
    [ -f "$here/$name.args" ] && read -r -a args <"$here/$name.args"
    start=$(date +%s.%N)
    (cd "$dir" && timeout -k 5 "$timeout_s" "${cmd[@]}" "${args[@]}" run "$name.py" \
        </dev/null >"$tmp/out" 2>"$tmp/err")
    rc=$?
    secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
    last="$(grep -v '^[[:space:]]*$' "$tmp/err" | tail -n 1 | sed "s|$dir/||g")"
    why=""
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        why="timeout after ${timeout_s}s"
    elif grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|MemorySanitizer' "$tmp/err"; then
        why="sanitizer report: $(grep -m1 -E 'ERROR|runtime error' "$tmp/err")"
    elif [ "$rc" -gt 2 ]; then
        why="exit status $rc (a crash?)"
    elif [ -f "$here/$name.err" ] && [ "$rc" -ne 1 ]; then
        why="exit status $rc, expected 1"
    elif [ ! -f "$here/$name.err" ] && [ "$rc" -ne 0 ]; then
        why="exit status $rc, expected 0 (stderr: $last)"
    elif [ -f "$here/$name.err" ] && [ "$last" != "$(cat "$here/$name.err")" ]; then
        why="last stderr line '$last', expected '$(cat "$here/$name.err")'"
    elif [ -f "$here/$name.out" ] && ! cmp -s "$tmp/out" "$here/$name.out"; then
        why="stdout differs from $name.out ($(wc -c <"$tmp/out") bytes, expected $(wc -c <"$here/$name.out"))"
    fi
    if [ -n "$why" ]; then
        echo "FAIL $name: $why"
        failed=$((failed + 1))
    else
        echo "ok   $name (${secs}s)"
        passed=$((passed + 1))
    fi
done
done
echo "badinput: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
