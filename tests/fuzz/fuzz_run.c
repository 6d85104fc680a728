/*
 * fuzz_run.c -- libFuzzer harness: source -> compile -> run, in a fresh lab with small limits.
 *
 * Each input is handed to pml_run as the source of __main__ (any bytes: invalid UTF-8 and
 * NUL bytes included), with a step limit, a memory limit, a low recursion limit and an
 * output limit, and output discarded.  Then the same lab runs a tiny second program (it must
 * still be usable: status PML_OK) and is destroyed with pml_free_count_leaks, which must
 * report 0 blocks left: a leak aborts, so libFuzzer keeps the input as a crash.
 *
 * Built by `make fuzz` (build/fuzz/fuzz_run, clang -fsanitize=fuzzer,address,undefined).
 * Run it through tests/fuzz/run.sh, which has the two modes: `raw` (from an empty corpus,
 * with the Python token dictionary) and `seeds` (mutating the programs of tests/py and the
 * public conformance corpus).  See tests/fuzz/README.md.
 */
#include "pymemlab.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum {
    FUZZ_MAX_INPUT = 64 * 1024   /* longer inputs are skipped: they only slow the search */
};

static void discard(void *userdata, int stream, const char *data, size_t len)
{
    (void)userdata; (void)stream; (void)data; (void)len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char next[] = "x = [1, 2]\nx.append(x)\ndel x\n";
    pml_config cfg = { 0 };
    pml_vm *vm;
    pml_status status;
    size_t leaks;

    if (size > FUZZ_MAX_INPUT)
        return -1;
    cfg.write = discard;
    cfg.step_limit = 200000;
    cfg.memory_limit = 32u << 20;
    cfg.recursion_limit = 200;
    cfg.output_limit = 64u << 10;
    vm = pml_new(&cfg);
    if (vm == NULL)
        abort();
    status = pml_run(vm, (const char *)data, size, "<fuzz>");
    if (status == PML_INTERNAL) {
        fprintf(stderr, "fuzz_run: PML_INTERNAL status\n");
        abort();
    }
    /* the lab must run the next program normally */
    status = pml_run(vm, next, sizeof next - 1, "<next>");
    if (status != PML_OK) {
        fprintf(stderr, "fuzz_run: the next program ended with status %d (%s)\n", (int)status,
                pml_last_exception(vm) ? pml_last_exception(vm) : "no exception");
        abort();
    }
    leaks = pml_free_count_leaks(vm);
    if (leaks != 0) {
        fprintf(stderr, "fuzz_run: %zu heap blocks leaked\n", leaks);
        abort();
    }
    return 0;
}
