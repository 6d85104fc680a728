#!/usr/bin/env bash
# Record the expected output of conformance cases by running real CPython 3.11.
#
# usage: tests/record_goldens.sh [NAME ...]      (default: every tests/py/*.py)
#
# For each case NAME.py, run from inside tests/py with stdout to a file (not a tty, as the
# runner does), writes NAME.out (exact stdout) and, when the program exits with an error,
# NAME.err (the last non-empty line of stderr); a stale NAME.err is removed otherwise.
# Each case is run under two hash seeds; output that depends on string hashing (the order of a
# set of strings, say) is refused, since no seed of ours could match it.
# Refuses to run unless python3 is 3.11: goldens come from CPython 3.11 only.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cases="$here/py"
py="${PYTHON:-python3}"

if ! "$py" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    echo "record_goldens: $py is $("$py" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null || echo missing), need 3.11" >&2
    exit 1
fi

if [ "$#" -eq 0 ]; then
    set -- $(cd "$cases" && ls -- *.py | sed 's/\.py$//')
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# What could change CPython's behaviour or output is cleared.
clean_env=(env -u PYTHONUNBUFFERED -u PYTHONDEVMODE -u PYTHONMALLOC -u PYTHONTRACEMALLOC
           -u PYTHONWARNINGS -u PYTHONSTARTUP -u PYTHONOPTIMIZE -u PYTHONPATH -u PYTHONHOME
           -u PYTHONDONTWRITEBYTECODE PYTHONDONTWRITEBYTECODE=1)

status=0
for arg in "$@"; do
    name="$(basename "$arg" .py)"
    if [ ! -f "$cases/$name.py" ]; then
        echo "record_goldens: no such case: $cases/$name.py" >&2
        status=1
        continue
    fi
    for seed in 1 2; do
        rc=0
        (cd "$cases" && "${clean_env[@]}" PYTHONHASHSEED=$seed timeout 60 "$py" "$name.py" \
            </dev/null >"$tmp/out.$seed" 2>"$tmp/err.$seed") || rc=$?
        echo "$rc" >"$tmp/rc.$seed"
    done
    if ! cmp -s "$tmp/out.1" "$tmp/out.2" || ! cmp -s "$tmp/rc.1" "$tmp/rc.2"; then
        echo "record_goldens: $name: output depends on the hash seed; not recorded" >&2
        status=1
        continue
    fi
    cp "$tmp/out.1" "$cases/$name.out"
    if [ "$(cat "$tmp/rc.1")" -ne 0 ]; then
        awk 'NF { last = $0 } END { print last }' "$tmp/err.1" >"$cases/$name.err"
        echo "$name: recorded (exit $(cat "$tmp/rc.1"): $(cat "$cases/$name.err"))"
    else
        rm -f "$cases/$name.err"
        echo "$name: recorded"
    fi
done
exit "$status"
