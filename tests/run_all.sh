#!/usr/bin/env bash
# Run test suites, keep going past failures, and finish with one total.
#
# usage: tests/run_all.sh [SUITE ...]      (default: every suite, in the order below)
#
# Builds are not made here; `make test` builds first (the Makefile knows which build each
# suite needs).  Each suite's output is shown and kept in build/test-artifacts/logs/.
# Last line: "total: N passed, M failed" over all the tests of all the suites run.
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
logs="build/test-artifacts/logs"
mkdir -p "$logs"

ALL_SUITES=(ctest-native ctest-asan ctest-stress
            py-native py-emscripten py-wasi py-asan py-stress
            traceback badinput fuzz-smoke corpus bench-check node browser)

# Sanitizer settings for the asan build: stop on the first error, report leaks.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

suite_command() {
    case "$1" in
        ctest-native|ctest-asan|ctest-stress)
            echo ctest --test-dir "build/${1#ctest-}" --output-on-failure --timeout 600 ;;
        py-native)
            echo tests/run_conformance.sh tests/py ./build/native/pymemlab run ;;
        py-asan|py-stress)   # slower builds: a longer timeout per case
            echo env CONFORMANCE_TIMEOUT=60 tests/run_conformance.sh tests/py "./build/${1#py-}/pymemlab" run ;;
        py-emscripten)
            echo tests/run_conformance.sh tests/py node wasm/cli.mjs run ;;
        py-wasi)
            echo tests/run_conformance.sh tests/py node wasm/cli.mjs --engine=wasi run ;;
        traceback)   # full stderr (tracebacks, carets, SyntaxErrors) against python3 live
            echo tests/traceback_check.sh ./build/native/pymemlab run ;;
        badinput)   # bad input through the CLI (tests/badinput/run.sh): native, ASan, both wasm engines
            echo tests/badinput/run.sh ./build/native/pymemlab ::: ./build/asan/pymemlab ::: node wasm/cli.mjs ::: node wasm/cli.mjs --engine=wasi ;;
        fuzz-smoke) # 60 s of the libFuzzer harness over the seed corpus (make fuzz builds it)
            echo tests/fuzz/run.sh smoke 60 ;;
        corpus)
            echo tests/corpus_check.sh ./build/native/pymemlab run ;;
        bench-check) # the benchmark programs' checksums: native, Emscripten and python3 agree
            echo node tests/bench/run.mjs --check ;;
        node)
            echo node --test --test-reporter=tap tests/node/ ;;
        browser)
            echo node --test --test-reporter=tap tests/browser/ ;;
        *)
            return 1 ;;
    esac
}

# Print "PASSED FAILED SKIPPED" from a suite's log, or nothing when it has no summary.
suite_counts() {
    case "$1" in
        ctest-*)
            sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\2 \1/p' "$2" |
                tail -n 1 | awk '{ print $1 - $2, $2 }' ;;
        node|browser)
            awk '/^# pass /{ p = $3 } /^# fail /{ f = $3 } /^# skipped /{ s = $3 }
                 END { if (p != "") print p, f + 0, s + 0 }' "$2" ;;
        *)
            grep -E '^([a-z]+: )?[0-9]+ passed, [0-9]+ failed' "$2" | tail -n 1 |
                sed -E 's/^([a-z]+: )?([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?.*/\2 \3 \5/' ;;
    esac
}

[ "$#" -gt 0 ] || set -- "${ALL_SUITES[@]}"
total_pass=0
total_fail=0
report=()
bad=0
for suite in "$@"; do
    if ! cmd="$(suite_command "$suite")"; then
        echo "run_all: unknown suite '$suite' (one of: ${ALL_SUITES[*]})" >&2
        exit 2
    fi
    echo
    echo "=== $suite: $cmd"
    CONFORMANCE_ARTIFACTS="build/test-artifacts/$suite" $cmd 2>&1 | tee "$logs/$suite.log"
    rc=${PIPESTATUS[0]}
    counts="$(suite_counts "$suite" "$logs/$suite.log")"
    if [ -z "$counts" ]; then
        if [ "$suite" = corpus ] && grep -q 'shared corpus skipped' "$logs/$suite.log"; then
            report+=("$(printf '%-14s skipped (no ../shared/corpus)' "$suite")")
            continue
        fi
        counts="0 1"   # no summary line: count the suite itself as one failure
    fi
    read -r p f s <<<"$counts"
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1        # the runner failed without saying which test did
    fi
    [ "$rc" -ne 0 ] || [ "$f" -ne 0 ] && bad=1
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    report+=("$(printf '%-14s %4d passed, %d failed%s%s' "$suite" "$p" "$f" \
        "$([ "${s:-0}" -gt 0 ] && echo ", $s skipped")" "$([ "$rc" -ne 0 ] && echo " (exit $rc)")")")
done

echo
echo "=== summary"
printf '%s\n' "${report[@]}"
echo "total: $total_pass passed, $total_fail failed"
exit "$bad"
