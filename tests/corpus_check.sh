#!/usr/bin/env bash
# Run the shared conformance corpus and hold it to tests/known_failures.txt.
#
# usage: tests/corpus_check.sh [--update] [INTERPRETER ARGS...]
#   default interpreter: ./build/native/pymemlab run
#   --update   rewrite tests/known_failures.txt from this run's failures (keeps its header)
#
# Runs ../shared/corpus/check.sh public INTERPRETER... (relative to the repo root; skipped
# when that file does not exist) and compares its FAIL lines with tests/known_failures.txt
# (one case name per line, # comments).  The list may only shrink:
#   - a failing case that is not listed fails this check;
#   - a listed case that now passes (or no longer exists) fails it too, so that it gets
#     removed from the list: "now passes, remove from tests/known_failures.txt".
# Last line: "corpus: N passed, M failed, K skipped" where M counts unexpected results and K
# the listed cases that still fail.
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
list="tests/known_failures.txt"
check="../shared/corpus/check.sh"

update=0
if [ "${1:-}" = "--update" ]; then
    update=1
    shift
fi
[ "$#" -gt 0 ] || set -- ./build/native/pymemlab run

if [ ! -f "$check" ]; then
    echo "corpus: $check not found, shared corpus skipped"
    exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

bash "$check" public "$@" | tee "$tmp/output"
sed -n 's/^FAIL \([^:]*\):.*/\1/p' "$tmp/output" | sort -u >"$tmp/failing"
if ! tail -n 1 "$tmp/output" | grep -Eq '^[0-9]+ passed, [0-9]+ failed$'; then
    echo "corpus: check.sh did not finish with a summary line" >&2
    exit 1
fi
total_passed="$(tail -n 1 "$tmp/output" | awk '{ print $1 }')"

if [ "$update" -eq 1 ]; then
    {
        if [ -f "$list" ]; then
            grep -E '^[[:space:]]*(#|$)' "$list"
        else
            echo "# Shared-corpus cases (../shared/corpus/public) that fail today; see tests/corpus_check.sh."
            echo "# The list may only shrink: remove a case as soon as it passes."
        fi
        cat "$tmp/failing"
    } >"$tmp/new"
    mv "$tmp/new" "$list"
    echo "corpus: wrote $(wc -l <"$tmp/failing") known failures to $list"
    exit 0
fi

if [ -f "$list" ]; then
    sed -e 's/#.*//' -e 's/[[:space:]]//g' "$list" | grep -v '^$' | sort -u >"$tmp/known"
else
    : >"$tmp/known"
fi

comm -23 "$tmp/failing" "$tmp/known" >"$tmp/new_failures"
comm -13 "$tmp/failing" "$tmp/known" >"$tmp/now_passing"
comm -12 "$tmp/failing" "$tmp/known" >"$tmp/still_failing"

echo
while read -r name; do
    echo "NEW FAILURE $name: not in $list"
done <"$tmp/new_failures"
while read -r name; do
    if [ -f "../shared/corpus/public/$name.py" ]; then
        echo "*** $name now passes, remove from $list ***"
    else
        echo "*** $name is no longer in the corpus, remove from $list ***"
    fi
done <"$tmp/now_passing"

unexpected=$(($(wc -l <"$tmp/new_failures") + $(wc -l <"$tmp/now_passing")))
known=$(wc -l <"$tmp/still_failing")
echo "corpus: $total_passed passed, $unexpected failed, $known skipped"
[ "$unexpected" -eq 0 ]
