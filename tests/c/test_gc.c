/*
 * test_gc.c -- the cycle collector through the internal API: cycles of lists and dicts,
 * generations and promotion, tuple and dict untracking, counts, freeze, the collection
 * record, a million-deep structure (no recursion in the collector), and 100,000 two-object
 * cycles freed by one collection.  The gc module and __del__ are covered by tests/py/gc_*.py
 * and fz_*.py.  Every test checks the list invariant (pm_gc_check) and that no block leaks.
 */
#include "pm.h"
#include "gc/gc.h"
#include "check.h"

static PmVM *new_vm(void)
{
    PmVM *vm = (PmVM *)pml_new(NULL);
    CHECK(vm != NULL);
    CHECK(pm_gc_collect(vm, 2) >= 0);
    CHECK(pm_gc_check(vm) == 0);
    return vm;
}

static PmObject *list(PmVM *vm)
{
    PmObject *l = PmList_New(vm, 0);
    CHECK(l != NULL);
    return l;
}

static void append(PmVM *vm, PmObject *l, PmObject *item)
{
    CHECK(PmList_Append(vm, l, item) == 0);
}

static bool in_list(PmGCHead *head, PmObject *o)
{
    for (PmGCHead *g = head->gc_next; g != head; g = g->gc_next)
        if (Pm_FROM_GC(g) == o) return true;
    return false;
}

static void test_init(void)
{
    PmVM *vm = new_vm();
    CHECK(pm_gc_get_threshold(vm, 0) == 700);
    CHECK(pm_gc_get_threshold(vm, 1) == 10);
    CHECK(pm_gc_get_threshold(vm, 2) == 10);
    CHECK(vm->gc.enabled);
    CHECK(vm->gc.gen[0].count == 0 && vm->gc.gen[1].count == 0);
    CHECK(pm_gc_collect(vm, 3) == -1 && PmErr_Occurred(vm));
    PmErr_Clear(vm);
    pml_free((pml_vm *)vm);
}

/* l = []; l.append(l); del l  ->  collect() == 1, and the block is freed. */
static void test_self_cycle(void)
{
    PmVM *vm = new_vm();
    size_t before = pmmem_live_blocks(&vm->mem);
    PmObject *l = list(vm);
    append(vm, l, l);
    CHECK(vm->gc.gen[0].count == 1);
    Pm_DECREF(vm, l);
    CHECK(pm_gc_collect(vm, 2) == 1);
    CHECK(pm_gc_check(vm) == 0);
    CHECK(pmmem_live_blocks(&vm->mem) <= before);
    CHECK(pm_gc_collect(vm, 2) == 0);
    CHECK(vm->gc.stats_collections[2] == 3 && vm->gc.stats_collected[2] == 1);
    pml_free((pml_vm *)vm);
}

/* A reachable list moves 0 -> 1 -> 2; a cycle promoted to generation 1 is missed by
 * collect(0) and found by collect(1) (corpus README 12). */
static void test_generations(void)
{
    PmVM *vm = new_vm();
    PmObject *keep = list(vm);
    CHECK(Pm_AS_GC(keep)->gen == 0 && in_list(&vm->gc.gen[0].head, keep));
    PmObject *cyc = list(vm);
    append(vm, cyc, cyc);
    CHECK(pm_gc_collect(vm, 0) == 0);       /* cyc is still referenced */
    CHECK(Pm_AS_GC(keep)->gen == 1 && in_list(&vm->gc.gen[1].head, keep));
    CHECK(vm->gc.gen[0].count == 0 && vm->gc.gen[1].count == 1);
    Pm_DECREF(vm, cyc);
    CHECK(pm_gc_collect(vm, 0) == 0);       /* in generation 1 now: missed */
    CHECK(pm_gc_collect(vm, 1) == 1);
    CHECK(Pm_AS_GC(keep)->gen == 2 && in_list(&vm->gc.gen[2].head, keep));
    CHECK(vm->gc.gen[1].count == 0 && vm->gc.gen[2].count == 1);
    CHECK(pm_gc_collect(vm, 2) == 0);
    CHECK(Pm_AS_GC(keep)->gen == 2 && vm->gc.gen[2].count == 0);
    CHECK(pm_gc_check(vm) == 0);
    Pm_DECREF(vm, keep);
    pml_free((pml_vm *)vm);
}

/* CPython collects inside the 701st allocation, before that object is tracked: the safe
 * point examines the 700 objects tracked before it and leaves the late ones in generation 0
 * (gc.h "When collections happen"). */
static void test_automatic(void)
{
    PmVM *vm = new_vm();
    PmObject *keep[705];
    Pm_ssize_t collections = vm->gc.stats_collections[0];
    for (int i = 0; i < 700; i++) keep[i] = list(vm);
    CHECK(!vm->gc.pending);
    for (int i = 700; i < 705; i++) keep[i] = list(vm);
    CHECK(vm->gc.pending && vm->gc.gen[0].count == 705);
    CHECK(Pm_AS_GC(keep[699])->flags == 0 && Pm_AS_GC(keep[700])->flags == PM_GC_LATE);
    pm_gc_maybe_collect(vm);
    CHECK(!vm->gc.pending && vm->gc.stats_collections[0] == collections + 1);
    CHECK(vm->gc.gen[0].count == 4 && vm->gc.gen[1].count == 1);
    CHECK(Pm_AS_GC(keep[0])->gen == 1 && Pm_AS_GC(keep[699])->gen == 1);
    CHECK(Pm_AS_GC(keep[700])->gen == 0 && Pm_AS_GC(keep[700])->flags == 0);
    CHECK(pm_gc_list_size(&vm->gc.gen[0].head) == 5);
    CHECK(pm_gc_check(vm) == 0);
    for (int i = 0; i < 705; i++) Pm_DECREF(vm, keep[i]);
    pml_free((pml_vm *)vm);
}

/* Runtime tuples of atomic items leave the collector at the next collection; dicts only at
 * full collections (corpus README 9). */
static void test_untracking(void)
{
    PmVM *vm = new_vm();
    PmObject *one = PmLong_FromLongLong(vm, 1);
    PmObject *t = PmTuple_Pack(vm, 2, one, one);
    PmObject *l = list(vm);
    PmObject *tl = PmTuple_Pack(vm, 1, l);
    CHECK(pm_gc_is_tracked(t) && pm_gc_is_tracked(tl));
    PmObject *d = PmDict_New(vm);
    CHECK(!pm_gc_is_tracked(d));
    CHECK(PmDict_SetItem(vm, d, one, l) == 0);
    CHECK(pm_gc_is_tracked(d));
    CHECK(PmDict_DelItem(vm, d, one) == 0);
    CHECK(PmDict_SetItem(vm, d, one, one) == 0);
    CHECK(pm_gc_is_tracked(d));
    CHECK(pm_gc_collect(vm, 0) == 0);
    CHECK(!pm_gc_is_tracked(t) && pm_gc_is_tracked(tl));
    CHECK(pm_gc_is_tracked(d));              /* only full collections untrack dicts */
    CHECK(pm_gc_collect(vm, 2) == 0);
    CHECK(!pm_gc_is_tracked(d));
    CHECK(pm_gc_check(vm) == 0);
    Pm_DECREF(vm, d);
    Pm_DECREF(vm, tl);
    Pm_DECREF(vm, l);
    Pm_DECREF(vm, t);
    Pm_DECREF(vm, one);
    pml_free((pml_vm *)vm);
}

/* a = {}; b = {"prev": a}; a["prev"] = b: a dict cycle, partly referenced from outside. */
static void test_dict_cycle(void)
{
    PmVM *vm = new_vm();
    PmObject *a = PmDict_New(vm), *b = PmDict_New(vm), *c = PmDict_New(vm);
    CHECK(PmDict_SetItemString(vm, b, "prev", a) == 0);
    CHECK(PmDict_SetItemString(vm, c, "prev", b) == 0);
    CHECK(PmDict_SetItemString(vm, a, "prev", c) == 0);
    Pm_DECREF(vm, a);
    Pm_DECREF(vm, b);
    CHECK(pm_gc_collect(vm, 2) == 0);        /* c still holds the ring */
    Pm_DECREF(vm, c);
    CHECK(pm_gc_collect(vm, 2) == 3);
    CHECK(pm_gc_check(vm) == 0);
    pml_free((pml_vm *)vm);
}

static void test_freeze(void)
{
    PmVM *vm = new_vm();
    Pm_ssize_t frozen0 = pm_gc_list_size(&vm->gc.permanent);
    pm_gc_freeze(vm);
    Pm_ssize_t frozen = pm_gc_list_size(&vm->gc.permanent);
    CHECK(frozen >= frozen0);
    PmObject *cyc = list(vm);
    append(vm, cyc, cyc);
    Pm_DECREF(vm, cyc);
    CHECK(pm_gc_collect(vm, 2) == 1);
    CHECK(pm_gc_list_size(&vm->gc.permanent) == frozen);
    CHECK(pm_gc_check(vm) == 0);
    pm_gc_unfreeze(vm);
    CHECK(pm_gc_list_size(&vm->gc.permanent) == 0);
    CHECK(pm_gc_check(vm) == 0);
    pml_free((pml_vm *)vm);
}

/* The record of `outer -> [a <-> b]` after outer is dropped: gc_refs, the unreachable set,
 * clears and frees; and `keep` referenced from outside with gc_refs 1. */
static void test_record(void)
{
    PmVM *vm = new_vm();
    pm_gc_record_enable(vm, 4);
    PmObject *keep = list(vm);
    PmObject *a = list(vm), *b = list(vm);
    append(vm, a, b);
    append(vm, b, a);
    Pm_DECREF(vm, b);
    Pm_DECREF(vm, a);
    CHECK(pm_gc_collect(vm, 0) == 2);
    const PmGCRecord *r = pm_gc_record_get(vm, 0);
    CHECK(r != NULL && pm_gc_record_get(vm, 1) == NULL && pm_gc_record_count(vm) == 1);
    CHECK(r->generation == 0 && !r->automatic);
    CHECK(r->examined == 3 && r->nobjects == 3 && r->unreachable == 2 && r->collected == 2);
    CHECK(r->promoted == 1);
    int seen = 0;
    for (Pm_ssize_t i = 0; i < r->nobjects; i++) {
        const PmGCRecObject *e = &r->objects[i];
        CHECK(strcmp(e->type, "list") == 0);
        if (e->id == (uint64_t)(uintptr_t)keep) {
            CHECK(e->refs == 1 && e->refcnt == 1 && e->fate == PM_GCREC_PROMOTED);
            CHECK(e->unreachable_pos == -1);
            seen++;
        } else {
            CHECK(e->refs == 0 && e->refcnt == 1);
            bool is_a = e->id == (uint64_t)(uintptr_t)a;   /* a's tp_clear frees b */
            CHECK(e->fate == (PM_GCREC_UNREACHABLE | PM_GCREC_FREED |
                              (is_a ? PM_GCREC_CLEARED : 0)));
            CHECK(e->unreachable_pos == (is_a ? 0 : 1));
            seen += 10;
        }
    }
    CHECK(seen == 21);
    CHECK(r->nevents == 1 && r->events[0].kind == PM_GCREC_EV_CLEAR);
    CHECK(r->events[0].id == (uint64_t)(uintptr_t)a);
    char *json = pm_gc_record_json(vm, 0);
    CHECK(json != NULL);
    CHECK(strncmp(json, "{\"seq\":", 7) == 0 && json[strlen(json) - 1] == '}');
    CHECK(strstr(json, "\"generation\":0,\"automatic\":false,") != NULL);
    CHECK(strstr(json, "\"examined\":3,\"unreachable\":2,") != NULL);
    CHECK(strstr(json, "\"type\":\"list\",\"refcnt\":1,\"gc_refs\":1,\"unreachable_pos\":-1,"
                       "\"fate\":[\"promoted\"]") != NULL);
    CHECK(strstr(json, "\"fate\":[\"unreachable\",\"cleared\",\"freed\"]") != NULL);
    CHECK(strstr(json, "\"events\":[{\"kind\":\"clear\",\"id\":") != NULL);
    free(json);
    CHECK(pm_gc_record_json(vm, 1) == NULL);
    pm_gc_record_enable(vm, 0);
    CHECK(pm_gc_record_get(vm, 0) == NULL);
    Pm_DECREF(vm, keep);
    pml_free((pml_vm *)vm);
}

/* A million-deep chain of lists closed into a cycle: the collector's phases are iterative
 * and the trashcan bounds the frees. */
static void test_deep(void)
{
    PmVM *vm = new_vm();
    vm->gc.enabled = 0;     /* gc.disable(): no automatic collection in between */
    size_t before = pmmem_live_blocks(&vm->mem);
    PmObject *head = list(vm), *cur = head;
    for (int i = 0; i < 1000000; i++) {
        PmObject *next = list(vm);
        append(vm, cur, next);
        Pm_DECREF(vm, next);
        cur = next;
    }
    append(vm, cur, head);
    Pm_DECREF(vm, head);
    CHECK(pm_gc_collect(vm, 2) == 1000001);
    CHECK(pm_gc_check(vm) == 0);
    CHECK(pmmem_live_blocks(&vm->mem) <= before);
    pml_free((pml_vm *)vm);
}

/* The done-when: 100,000 two-object cycles, one collection, CPython's count. */
static void test_many_cycles(void)
{
    PmVM *vm = new_vm();
    vm->gc.enabled = 0;
    size_t before = pmmem_live_blocks(&vm->mem);
    for (int i = 0; i < 100000; i++) {
        PmObject *a = list(vm), *b = list(vm);
        append(vm, a, b);
        append(vm, b, a);
        Pm_DECREF(vm, a);
        Pm_DECREF(vm, b);
    }
    CHECK(vm->gc.gen[0].count == 200000);
    CHECK(pm_gc_collect(vm, 2) == 200000);
    CHECK(vm->gc.gen[0].count == 0);
    CHECK(pm_gc_check(vm) == 0);
    CHECK(pmmem_live_blocks(&vm->mem) <= before);
    pml_free((pml_vm *)vm);
}

/* DEBUG_STATS and DEBUG_COLLECTABLE print CPython 3.11's lines on stderr (the elapsed time
 * is always 0.0000s; the object counts are this VM's). */
typedef struct capture {
    char err[4096], out[4096];
    size_t len, out_len;
} capture;

static void capture_write(void *userdata, int stream, const char *data, size_t len)
{
    capture *c = userdata;
    char *buf = stream == PML_STDERR ? c->err : c->out;
    size_t *n = stream == PML_STDERR ? &c->len : &c->out_len;
    if (len > sizeof c->err - 1 - *n) len = sizeof c->err - 1 - *n;
    memcpy(buf + *n, data, len);
    *n += len;
    buf[*n] = 0;
}

static void test_debug_output(void)
{
    static const char src[] =
        "import gc\n"
        "gc.collect()\n"
        "gc.set_debug(gc.DEBUG_STATS | gc.DEBUG_COLLECTABLE)\n"
        "l = []\n"
        "l.append(l)\n"
        "del l\n"
        "gc.collect(1)\n"
        "gc.set_debug(0)\n";
    capture c = {{0}, {0}, 0, 0};
    pml_config cfg = {0};
    cfg.write = capture_write;
    cfg.userdata = &c;
    pml_vm *vm = pml_new(&cfg);
    CHECK(vm != NULL);
    CHECK(pml_run(vm, src, sizeof src - 1, "debug.py") == PML_OK);
    long g0, g1, g2, perm, unreach, uncoll;
    unsigned long long addr;
    char tail[64];
    int n = sscanf(c.err, "gc: collecting generation 1...\n"
                          "gc: objects in each generation: %ld %ld %ld\n"
                          "gc: objects in permanent generation: %ld\n"
                          "gc: collectable <list 0x%llx>\n"
                          "gc: done, %ld unreachable, %ld uncollectable, %63[^\n]",
                   &g0, &g1, &g2, &perm, &addr, &unreach, &uncoll, tail);
    if (n != 8) fprintf(stderr, "stderr was:\n%s", c.err);
    CHECK(n == 8);
    CHECK(g0 > 0 && perm == 0 && unreach == 1 && uncoll == 0);
    CHECK_STR(tail, "0.0000s elapsed");
    pml_free(vm);
}

/* Each run starts with the collector of a fresh process (pm_gc_begin_run): what the
 * previous program changed is undone. */
static void test_runs_start_fresh(void)
{
    static const char first[] =
        "import gc\n"
        "def cb(phase, info):\n"
        "    pass\n"
        "gc.disable()\n"
        "gc.set_threshold(5, 6, 7)\n"
        "gc.set_debug(gc.DEBUG_SAVEALL)\n"
        "gc.callbacks.append(cb)\n"
        "gc.freeze()\n"
        "l = []\n"
        "l.append(l)\n"
        "del l\n"
        "gc.collect()\n";
    static const char second[] =
        "import gc\n"
        "print(gc.get_count()[1:], gc.isenabled(), gc.get_threshold(), gc.get_debug())\n"
        "print(gc.callbacks, gc.garbage, gc.get_freeze_count())\n";
    capture c = {{0}, {0}, 0, 0};
    pml_config cfg = {0};
    cfg.write = capture_write;
    cfg.userdata = &c;
    pml_vm *vm = pml_new(&cfg);
    CHECK(vm != NULL);
    CHECK(pml_run(vm, first, sizeof first - 1, "first.py") == PML_OK);
    memset(&c, 0, sizeof c);
    CHECK(pml_run(vm, second, sizeof second - 1, "second.py") == PML_OK);
    CHECK_STR(c.out, "(0, 2) True (700, 10, 10) 0\n[] [] 0\n");
    CHECK(pm_gc_check((PmVM *)vm) == 0);
    pml_free(vm);
}

int main(void)
{
    test_init();
    test_self_cycle();
    test_generations();
    test_automatic();
    test_untracking();
    test_dict_cycle();
    test_freeze();
    test_record();
    test_deep();
    test_many_cycles();
    test_debug_output();
    test_runs_start_fresh();
    printf("test_gc: ok\n");
    return 0;
}
