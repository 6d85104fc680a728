/*
 * test_tracemalloc.c -- the tracemalloc layer (core/mem/tracemalloc.c) under the allocator:
 *   - traces carry CPython's requested sizes, traced == sum of the traces, realloc moves a
 *     trace, free removes it, pm_tracemalloc_check's invariants hold throughout;
 *   - thousands of traces (table growth, deletion with backward shift) stay consistent;
 *   - stop() releases everything (no trace, no filename reference left), and a lab that
 *     traced frees cleanly (ASan/LSan in build/asan);
 *   - every run starts untraced, and a traced program repeated in one lab ends with the
 *     same number of live blocks each time.
 */
#include "pm.h"
#include "pymemlab.h"
#include "check.h"

#include <string.h>

typedef struct capture {
    char out[8192], err[8192];
    size_t out_len, err_len;
} capture;

static void capture_write(void *userdata, int stream, const char *data, size_t len)
{
    capture *c = userdata;
    char *buf = stream == PML_STDOUT ? c->out : c->err;
    size_t *n = stream == PML_STDOUT ? &c->out_len : &c->err_len;
    size_t room = sizeof c->out - 1 - *n;
    if (len > room) len = room;
    memcpy(buf + *n, data, len);
    *n += len;
    buf[*n] = '\0';
}

static pml_vm *new_lab(capture *c)
{
    pml_config cfg = {0};
    cfg.write = capture_write;
    cfg.userdata = c;
    pml_vm *lab = pml_new(&cfg);
    CHECK(lab != NULL);
    return lab;
}

static void check_invariants(PmVM *vm)
{
    const char *msg = pm_tracemalloc_check(vm);
    if (msg) fprintf(stderr, "%s\n", msg);
    CHECK(msg == NULL);
}

static size_t traced(PmVM *vm)
{
    size_t cur, peak;
    pm_tracemalloc_traced_memory(vm, &cur, &peak);
    CHECK(cur <= peak);
    return cur;
}

/* Allocations made from C have no Python frame: CPython's ("<unknown>", 0) traceback. */
static void test_layer(void)
{
    capture c;
    pml_vm *lab = new_lab(&c);
    PmVM *vm = (PmVM *)lab;
    CHECK(!vm->tracemalloc.tracing);
    CHECK(pm_tracemalloc_start(vm, 0) < 0);          /* ValueError */
    PmErr_Clear(vm);
    CHECK(pm_tracemalloc_start(vm, 5) == 0);
    CHECK(pm_tracemalloc_start(vm, 9) == 0);         /* no change while tracing */
    CHECK(pm_tracemalloc_traceback_limit(vm) == 5);
    CHECK(traced(vm) == 0);

    /* a 30-tuple: 16 (GC head) + 24 + 30 * 8 requested */
    PmObject *t = PmTuple_New(vm, 30);
    CHECK(t != NULL);
    for (int i = 0; i < 30; i++) PmTuple_SET_ITEM(t, i, Pm_NewRef(Pm_None(vm)));
    CHECK(traced(vm) == 280);
    PmObject *tb = pm_tracemalloc_object_traceback(vm, t);
    CHECK(tb != NULL && PmTuple_Check(tb) && Pm_SIZE(tb) == 1);
    PmObject *fr = PmTuple_GET_ITEM(tb, 0);
    CHECK(PmStr_EqualToASCII(PmTuple_GET_ITEM(fr, 0), "<unknown>"));
    Pm_DECREF(vm, tb);
    check_invariants(vm);

    /* realloc: the trace follows the block and takes the new size */
    void *p = pm_mem_alloc(vm, 16, 24);
    CHECK(p != NULL && traced(vm) == 280 + 24);
    p = pm_mem_realloc(vm, p, 4000, 4000);
    CHECK(p != NULL && traced(vm) == 280 + 4000);
    check_invariants(vm);
    pm_mem_free(vm, p);
    CHECK(traced(vm) == 280);

    /* many traces: growth of the table, removal in an order unlike insertion */
    enum { N = 5000 };
    static void *blocks[N];
    for (int i = 0; i < N; i++) {
        blocks[i] = pm_mem_alloc(vm, 8, (size_t)(i % 7) + 1);
        CHECK(blocks[i] != NULL);
    }
    size_t want = 280;
    for (int i = 0; i < N; i++) want += (size_t)(i % 7) + 1;
    CHECK(traced(vm) == want);
    check_invariants(vm);
    for (int i = 0; i < N; i += 2) {
        pm_mem_free(vm, blocks[i]);
        want -= (size_t)(i % 7) + 1;
    }
    CHECK(traced(vm) == want);
    check_invariants(vm);
    /* the result list itself is traced when it is a new block (CPython makes it before
     * copying the traces too) */
    PmObject *list = pm_tracemalloc_get_traces(vm);
    CHECK(list != NULL && PmList_Check(list));
    CHECK(Pm_SIZE(list) == 1 + N / 2 || Pm_SIZE(list) == 2 + N / 2);
    Pm_DECREF(vm, list);               /* a freed list stays on its free list: counted */
    size_t extra = traced(vm) - want;
    CHECK(extra == 0 || extra == 56);
    for (int i = 1; i < N; i += 2) pm_mem_free(vm, blocks[i]);
    CHECK(traced(vm) == 280 + extra);
    check_invariants(vm);

    /* clear_traces forgets the tuple: freeing it later finds no trace */
    pm_tracemalloc_clear_traces(vm);
    CHECK(traced(vm) == 0 && vm->tracemalloc.ntraces == 0);
    tb = pm_tracemalloc_object_traceback(vm, t);
    CHECK(tb == Pm_None(vm));
    Pm_DECREF(vm, tb);
    Pm_DECREF(vm, t);
    check_invariants(vm);

    pm_tracemalloc_stop(vm);
    CHECK(!vm->tracemalloc.tracing && vm->tracemalloc.nfilenames == 0);
    CHECK(vm->tracemalloc.unknown == NULL);
    check_invariants(vm);
    /* a lab freed while tracing releases the tables too */
    CHECK(pm_tracemalloc_start(vm, 1) == 0);
    PmObject *keep = PmTuple_New(vm, 25);
    CHECK(keep != NULL);
    for (int i = 0; i < 25; i++) PmTuple_SET_ITEM(keep, i, Pm_NewRef(Pm_None(vm)));
    pml_free(lab);
}

static const char traced_prog[] =
    "import tracemalloc\n"
    "print(tracemalloc.is_tracing())\n"
    "tracemalloc.start(4)\n"
    "class Node:\n"
    "    def __init__(self, value):\n"
    "        self.value = value\n"
    "        self.items = [value] * 10\n"
    "nodes = [Node(i) for i in range(300)]\n"
    "snap = tracemalloc.take_snapshot()\n"
    "top = snap.statistics('lineno')[0]\n"
    "print(top.traceback[0].lineno, top.count)\n"
    "del nodes\n"
    "after = tracemalloc.take_snapshot()\n"
    "print(len(after.compare_to(snap, 'traceback')) > 0)\n";

static void test_runs(void)
{
    capture c;
    pml_vm *lab = new_lab(&c);
    for (int i = 0; i < 2; i++) {          /* warm up: modules, free lists */
        memset(&c, 0, sizeof c);
        CHECK(pml_run(lab, traced_prog, strlen(traced_prog), "tm.py") == PML_OK);
        CHECK_STR(c.err, "");
    }
    size_t blocks = pml_live_blocks(lab);
    for (int i = 0; i < 3; i++) {
        memset(&c, 0, sizeof c);
        CHECK(pml_run(lab, traced_prog, strlen(traced_prog), "tm.py") == PML_OK);
        CHECK_STR(c.out, "False\n7 569\nTrue\n");
        CHECK_STR(c.err, "");
        CHECK(!((PmVM *)lab)->tracemalloc.tracing);
        CHECK(pml_live_blocks(lab) == blocks);
    }
    pml_free(lab);
}

int main(void)
{
    test_layer();
    test_runs();
    puts("test_tracemalloc: ok");
    return 0;
}
