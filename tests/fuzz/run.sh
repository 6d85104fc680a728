#!/usr/bin/env bash
# Run the libFuzzer harness build/fuzz/fuzz_run (make fuzz builds it).
#
# usage: tests/fuzz/run.sh MODE SECONDS [LIBFUZZER-ARGS...]
#   MODE seeds   mutate the seed corpus: tests/py/*.py, tests/fuzz/regressions/*.py and the
#                public conformance corpus (../shared/corpus/public/*.py when it is there)
#   MODE raw     start from an empty corpus, guided only by tests/fuzz/python.dict
#   MODE smoke   `seeds` without keeping anything, for `make test` (suite fuzz-smoke)
#
# The growing corpus is kept in build/fuzz/corpus-MODE/ between runs (not for smoke);
# crashes, leaks and timeouts are written to build/fuzz/artifacts/ as crash-*, leak-*,
# timeout-* and oom-* files.  One job, one worker, at nice 10: the machine is shared.
# Last line (for tests/run_all.sh): "fuzz: 1 passed, 0 failed" or "fuzz: 0 passed, 1 failed ...".
set -u
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
mode="${1:-smoke}"
secs="${2:-60}"
shift 2 2>/dev/null || shift $#
bin=build/fuzz/fuzz_run
if [ ! -x "$bin" ]; then
    echo "run.sh: $bin is missing (make fuzz)" >&2
    echo "fuzz: 0 passed, 1 failed"
    exit 1
fi
art=build/fuzz/artifacts
mkdir -p "$art"
seeds=(tests/py tests/fuzz/regressions)
[ -d ../shared/corpus/public ] && seeds+=(../shared/corpus/public)
[ -d /work/shared/corpus/public ] && [ ! -d ../shared/corpus/public ] && seeds+=(/work/shared/corpus/public)

# libFuzzer reads every file of a corpus folder: give it only the .py files.
seed_dir="build/fuzz/seeds"
rm -rf "$seed_dir" && mkdir -p "$seed_dir"
for d in "${seeds[@]}"; do
    for f in "$d"/*.py; do [ -f "$f" ] && cp "$f" "$seed_dir/$(basename "$d")_$(basename "$f")"; done
done

common=(-max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -max_len=8192
        -dict=tests/fuzz/python.dict -artifact_prefix="$art/" -print_final_stats=1)
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
case "$mode" in
    seeds)
        corpus=build/fuzz/corpus-seeds; mkdir -p "$corpus"
        nice -n 10 "$bin" "${common[@]}" "$@" "$corpus" "$seed_dir" ;;
    raw)
        corpus=build/fuzz/corpus-raw; mkdir -p "$corpus"
        nice -n 10 "$bin" "${common[@]}" "$@" "$corpus" ;;
    smoke)
        tmpc="$(mktemp -d)"; trap 'rm -rf "$tmpc"' EXIT
        # fixed seed and a bounded number of runs: the same inputs on every CI run
        nice -n 10 "$bin" "${common[@]}" -seed=1 -runs=30000 "$@" "$tmpc" "$seed_dir" ;;
    *)
        echo "run.sh: unknown mode '$mode' (seeds, raw or smoke)" >&2; exit 2 ;;
esac
rc=$?
if [ "$rc" -eq 0 ]; then
    echo "fuzz: 1 passed, 0 failed"
else
    echo "fuzz: 0 passed, 1 failed (libFuzzer exit $rc; see $art/)"
fi
exit "$rc"
