/*
 * gc.c -- the generational cycle collector, CPython 3.11's Modules/gcmodule.c algorithm.
 *
 * gc/gc.h draws the lists and the phases; object.h states the invariant of each object's
 * PmGCHead.  gc_collect_main() below is the driver and reads like the algorithm; each phase
 * is a small function named as in CPython, with its pre- and postconditions.  Where CPython
 * squeezes the flags into the low bits of its list pointers, PmGCHead has a flags byte and
 * a gc_refs field, so the lists stay doubly linked throughout (same moves, same order).
 *
 * Nothing here recurses through the object graph: move_unreachable walks a list that grows
 * at its end, tp_traverse only visits direct references.
 */
#include "pm.h"
#include "gc/gc.h"

#include <stdarg.h>

#define NUM_GENERATIONS PM_GC_NUM_GENERATIONS
#define GEN_HEAD(vm, n) (&(vm)->gc.gen[n].head)
#define REC(vm) ((vm)->gc.rec)

/* ------------------------------------------------------------------ debug checks */

#if PML_DEBUG
static void gc_fatal(PmObject *op, const char *msg)
{
    fprintf(stderr, "pymemlab gc: %s (object %p of type %s, refcount %ld)\n", msg, (void *)op,
            op ? Pm_TYPE(op)->tp_name : "?", op ? (long)Pm_REFCNT(op) : 0L);
    abort();
}
#define GC_ASSERT(op, cond, msg) do { if (!(cond)) gc_fatal((PmObject *)(op), (msg)); } while (0)
#else
#define GC_ASSERT(op, cond, msg) ((void)0)
#endif

/* Flag states of validate_list (CPython's enum flagstates). */
enum { COLLECTING_CLEAR = 0, COLLECTING_SET = PM_GC_COLLECTING };
enum { UNREACHABLE_CLEAR = 0, UNREACHABLE_SET = PM_GC_UNREACHABLE };

#if PML_DEBUG
/* CPython's validate_list: links consistent, every object's COLLECTING and UNREACHABLE bits
 * exactly as the phase boundary says. */
static void validate_list(PmGCHead *head, int collecting, int unreachable)
{
    PmGCHead *prev = head;
    for (PmGCHead *g = head->gc_next; g != head; prev = g, g = g->gc_next) {
        PmObject *op = Pm_FROM_GC(g);
        GC_ASSERT(op, g->gc_next != NULL && g->gc_prev == prev, "broken gc list links");
        GC_ASSERT(op, (g->flags & PM_GC_COLLECTING) == collecting, "bad COLLECTING flag");
        GC_ASSERT(op, (g->flags & PM_GC_UNREACHABLE) == unreachable, "bad UNREACHABLE flag");
    }
    GC_ASSERT(NULL, head->gc_prev == prev, "gc list head's gc_prev is not its last node");
}
#else
#define validate_list(head, c, u) ((void)0)
#endif

/* The host's stderr in debug builds only: the core does no I/O of its own otherwise. */
static void check_report(const char *name, PmObject *op, const char *why)
{
#if PML_DEBUG
    if (op) fprintf(stderr, "pm_gc_check: %s: object %p (%s): %s\n", name, (void *)op,
                    Pm_TYPE(op)->tp_name, why);
    else fprintf(stderr, "pm_gc_check: %s: %s\n", name, why);
#else
    (void)name; (void)op; (void)why;
#endif
}

static int check_list(PmGCHead *head, int gen, const char *name)
{
    int bad = 0;
    PmGCHead *prev = head;
    for (PmGCHead *g = head->gc_next; g != head && g != NULL; prev = g, g = g->gc_next) {
        PmObject *op = Pm_FROM_GC(g);
        const char *why = g->gc_prev != prev ? "gc_prev is not the previous node"
            : g->gen != gen ? "gen is not its list's generation"
            : (g->flags & (PM_GC_COLLECTING | PM_GC_UNREACHABLE)) ? "collection flags left set"
            : (g->flags & PM_GC_LATE) && gen != 0 ? "late outside generation 0"
            : Pm_REFCNT(op) <= 0 ? "refcount is not positive"
            : !pm_gc_is_gc(op) ? "not a GC object"
            : Pm_TYPE(op)->tp_traverse == NULL ? "its type has no tp_traverse" : NULL;
        if (why) {
            check_report(name, op, why);
            if (++bad > 10) return bad;
        }
    }
    if (head->gc_prev != prev) {
        check_report(name, NULL, "list is not circular");
        bad++;
    }
    return bad;
}

int pm_gc_check(PmVM *vm)
{
    static const char *const names[] = {"generation 0", "generation 1", "generation 2"};
    int bad = 0;
    for (int i = 0; i < NUM_GENERATIONS; i++) bad += check_list(GEN_HEAD(vm, i), i, names[i]);
    bad += check_list(&vm->gc.permanent, PM_GC_PERMANENT, "permanent generation");
    return bad;
}

#if PML_DEBUG
#define CHECK_ALL(vm) do { if (pm_gc_check(vm)) gc_fatal(NULL, "gc lists corrupt"); } while (0)
#else
#define CHECK_ALL(vm) ((void)0)
#endif

/* ------------------------------------------------------------------ lists */

Pm_ssize_t pm_gc_list_size(const PmGCHead *list)
{
    Pm_ssize_t n = 0;
    for (const PmGCHead *g = list->gc_next; g != list; g = g->gc_next) n++;
    return n;
}

/* Append `from` onto `to`; `from` becomes empty.  gen >= 0: the moved objects now belong
 * to that generation (or PM_GC_PERMANENT); -1: a temporary list, gen unchanged. */
static void gc_list_merge(PmGCHead *from, PmGCHead *to, int gen)
{
    if (!pm_gc_list_is_empty(from)) {
        if (gen >= 0)
            for (PmGCHead *g = from->gc_next; g != from; g = g->gc_next) {
                g->gen = (uint8_t)gen;
                if (gen != 0) g->flags &= ~PM_GC_LATE;
            }
        PmGCHead *to_tail = to->gc_prev;
        to_tail->gc_next = from->gc_next;
        from->gc_next->gc_prev = to_tail;
        from->gc_prev->gc_next = to;
        to->gc_prev = from->gc_prev;
    }
    pm_gc_list_init(from);
}

static void gc_list_clear_collecting(PmGCHead *list)
{
    for (PmGCHead *g = list->gc_next; g != list; g = g->gc_next) g->flags &= ~PM_GC_COLLECTING;
}

/* Survivors go to `old`, a generation's list head (whose gen is its number). */
static void move_to_old(PmGCHead *g, PmGCHead *old)
{
    pm_gc_list_move(g, old);
    g->gen = old->gen;
}

/* ------------------------------------------------------------------ tracking */

/* CPython's condition for collecting at an allocation (_PyObject_GC_Link). */
static bool automatic_allowed(PmVM *vm)
{
    PmGCState *gs = &vm->gc;
    return gs->gen[0].count > gs->threshold0 && gs->enabled && gs->threshold0 != 0 &&
           !gs->collecting && !PmErr_Occurred(vm);
}

void pm_gc_track(PmVM *vm, PmObject *o)
{
    PmGCHead *g = Pm_AS_GC(o);
    GC_ASSERT(o, g->gc_next == NULL, "object already tracked by the garbage collector");
    if (g->gc_next != NULL) return;
    g->flags &= PM_GC_FINALIZED;
    if (!vm->gc.pending && automatic_allowed(vm)) vm->gc.pending = 1;
    if (vm->gc.pending) g->flags |= PM_GC_LATE;    /* CPython would collect before this */
    g->gen = 0;
    pm_gc_list_append(g, GEN_HEAD(vm, 0));
}

/* Like CPython's PyObject_GC_UnTrack, safe on an untracked object (the trashcan relies on
 * it).  A collection in progress loses the object from whichever list it was in. */
void pm_gc_untrack(PmVM *vm, PmObject *o)
{
    (void)vm;
    PmGCHead *g = Pm_AS_GC(o);
    if (g->gc_next == NULL) return;
    pm_gc_list_remove(g);
    g->gc_prev = NULL;
    g->flags &= PM_GC_FINALIZED;
}

/* ------------------------------------------------------------------ thresholds */

int pm_gc_get_threshold(PmVM *vm, int generation)
{
    return generation == 0 ? vm->gc.threshold0 : vm->gc.gen[generation].threshold;
}

void pm_gc_set_threshold(PmVM *vm, int generation, int value)
{
    if (generation == 0) {
        vm->gc.threshold0 = value;
#if PML_GC_STRESS
        return;    /* gen[0].threshold stays the stress trigger (gc.h "Stress mode") */
#endif
    }
    vm->gc.gen[generation].threshold = value;
}

/* ------------------------------------------------------------------ output (DEBUG_* flags) */

static void gc_printf(PmVM *vm, const char *fmt, ...) PM_PRINTF(2, 3);
static void gc_printf(PmVM *vm, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    pm_write(vm, PML_STDERR, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* "gc: collectable <Bag 0x7f...>" (CPython's debug_cycle). */
static void debug_cycle(PmVM *vm, const char *msg, PmObject *op)
{
    gc_printf(vm, "gc: %s <%s 0x%llx>\n", msg, Pm_TYPE(op)->tp_name,
              (unsigned long long)(uintptr_t)op);
}

static void show_stats_each_generations(PmVM *vm)
{
    gc_printf(vm, "gc: objects in each generation: %zd %zd %zd\n"
                  "gc: objects in permanent generation: %zd\n",
              (size_t)pm_gc_list_size(GEN_HEAD(vm, 0)), (size_t)pm_gc_list_size(GEN_HEAD(vm, 1)),
              (size_t)pm_gc_list_size(GEN_HEAD(vm, 2)), (size_t)pm_gc_list_size(&vm->gc.permanent));
}

/* ------------------------------------------------------------------ deduce_unreachable */

/* Pre: containers' objects are tracked with no flags.  Post: gc_refs = ob_refcnt (> 0) and
 * COLLECTING set on each. */
static void update_refs(PmGCHead *containers)
{
    for (PmGCHead *g = containers->gc_next; g != containers; g = g->gc_next) {
        g->gc_refs = Pm_REFCNT(Pm_FROM_GC(g));
        g->flags |= PM_GC_COLLECTING;
        /* A tracked object with refcount 0 is a dealloc that let the collector see it. */
        GC_ASSERT(Pm_FROM_GC(g), g->gc_refs > 0, "tracked object with refcount <= 0");
    }
}

static int visit_decref(PmVM *vm, PmObject *op, void *parent)
{
    (void)vm; (void)parent;
    if (pm_gc_is_gc(op)) {
        PmGCHead *g = Pm_AS_GC(op);
        if (g->flags & PM_GC_COLLECTING) {
            GC_ASSERT(op, g->gc_refs > 0, "refcount is too small (a tp_traverse visits a "
                                          "reference its object does not own)");
            g->gc_refs--;
        }
    }
    return 0;
}

/* Post: gc_refs counts the references from outside `containers` (>= 0). */
static void subtract_refs(PmVM *vm, PmGCHead *containers)
{
    for (PmGCHead *g = containers->gc_next; g != containers; g = g->gc_next) {
        PmObject *op = Pm_FROM_GC(g);
        Pm_TYPE(op)->tp_traverse(vm, op, visit_decref, op);
    }
}

/* `op` is referred to by a reachable object: make sure move_unreachable sees it as such. */
static int visit_reachable(PmVM *vm, PmObject *op, void *arg)
{
    (void)vm;
    PmGCHead *reachable = arg;
    if (!pm_gc_is_gc(op)) return 0;
    PmGCHead *g = Pm_AS_GC(op);
    /* Objects of other generations, and those move_unreachable already proved reachable,
     * have no COLLECTING flag. */
    if (!(g->flags & PM_GC_COLLECTING)) return 0;
    if (g->flags & PM_GC_UNREACHABLE) {
        /* had gc_refs == 0 when the scan passed it: back to the end of young, scanned again */
        pm_gc_list_move(g, reachable);
        g->flags &= ~PM_GC_UNREACHABLE;
        g->gc_refs = 1;
    } else if (g->gc_refs == 0) {
        g->gc_refs = 1;    /* not scanned yet: the scan will traverse it */
    }
    return 0;
}

/* Post: young holds what is reachable from outside (COLLECTING cleared), unreachable the
 * rest (COLLECTING and UNREACHABLE set).  Iterative: tp_traverse appends to young's end. */
static void move_unreachable(PmVM *vm, PmGCHead *young, PmGCHead *unreachable)
{
    PmGCHead *g = young->gc_next;
    while (g != young) {
        if (g->gc_refs) {
            PmObject *op = Pm_FROM_GC(g);
            Pm_TYPE(op)->tp_traverse(vm, op, visit_reachable, young);
            g->flags &= ~PM_GC_COLLECTING;
            g = g->gc_next;    /* read after the traverse: it may have appended after g */
        } else {
            PmGCHead *next = g->gc_next;
            pm_gc_list_move(g, unreachable);
            g->flags |= PM_GC_UNREACHABLE;
            g = next;
        }
    }
}

/* CPython's deduce_unreachable.  `record`: note gc_refs and the unreachable set in the
 * collection record (the first pass only, not the resurrection check). */
static void deduce_unreachable(PmVM *vm, PmGCHead *base, PmGCHead *unreachable, bool record)
{
    validate_list(base, COLLECTING_CLEAR, UNREACHABLE_CLEAR);
    update_refs(base);
    subtract_refs(vm, base);
    if (record && REC(vm)) pm_gcrec_examined(vm, base);
    pm_gc_list_init(unreachable);
    move_unreachable(vm, base, unreachable);
    validate_list(base, COLLECTING_CLEAR, UNREACHABLE_CLEAR);
    validate_list(unreachable, COLLECTING_SET, UNREACHABLE_SET);
    if (record && REC(vm)) pm_gcrec_unreachable(vm, unreachable);
}

/* ------------------------------------------------------------------ untracking */

static void untrack_tuples(PmVM *vm, PmGCHead *head)
{
    PmGCHead *next;
    for (PmGCHead *g = head->gc_next; g != head; g = next) {
        PmObject *op = Pm_FROM_GC(g);
        next = g->gc_next;
        if (Pm_IS_TYPE(vm, op, TUPLE)) {
            PmTuple_MaybeUntrack(vm, op);
            if (REC(vm) && !pm_gc_is_tracked(op)) pm_gcrec_mark(vm, op, PM_GCREC_UNTRACKED);
        }
    }
}

/* Full collections only (CPython issue #14775: avoid quadratic dict build-up). */
static void untrack_dicts(PmVM *vm, PmGCHead *head)
{
    PmGCHead *next;
    for (PmGCHead *g = head->gc_next; g != head; g = next) {
        PmObject *op = Pm_FROM_GC(g);
        next = g->gc_next;
        if (Pm_IS_TYPE(vm, op, DICT)) {
            PmDict_MaybeUntrack(vm, op);
            if (REC(vm) && !pm_gc_is_tracked(op)) pm_gcrec_mark(vm, op, PM_GCREC_UNTRACKED);
        }
    }
}

/* ------------------------------------------------------------------ the unreachable set */

/* No type has a pre-PEP 442 tp_del, so no object is moved to `finalizers`: what is left of
 * CPython's move_legacy_finalizers is removing the UNREACHABLE mark, after which the
 * unreachable set is an ordinary list.  Post: COLLECTING set, UNREACHABLE clear. */
static void move_legacy_finalizers(PmGCHead *unreachable)
{
    for (PmGCHead *g = unreachable->gc_next; g != unreachable; g = g->gc_next)
        g->flags &= ~PM_GC_UNREACHABLE;
}

/* Clear every weakref to the unreachable objects, then run the callbacks of those that are
 * not garbage themselves.  Returns the number of such weakrefs freed by dropping them. */
static Pm_ssize_t handle_weakrefs(PmVM *vm, PmGCHead *unreachable, PmGCHead *old)
{
    PmGCHead wrcb_to_call;
    Pm_ssize_t num_freed = 0;
    pm_gc_list_init(&wrcb_to_call);
    pm_weakref_handle_unreachable(vm, unreachable, &wrcb_to_call);
    while (!pm_gc_list_is_empty(&wrcb_to_call)) {
        PmGCHead *g = wrcb_to_call.gc_next;
        PmObject *wr = Pm_FROM_GC(g);
        if (REC(vm)) pm_gcrec_event(vm, PM_GCREC_EV_WEAKREF_CALLBACK, wr);
        pm_weakref_call_callback(vm, wr);
        Pm_DECREF(vm, wr);       /* the reference the hook took */
        if (wrcb_to_call.gc_next == g) move_to_old(g, old);   /* still alive */
        else num_freed++;
    }
    return num_freed;
}

/* PEP 442: call tp_finalize once per object (PM_GC_FINALIZED).  A finalizer may free or
 * untrack any object, so always take the first one left and move it aside. */
static void finalize_garbage(PmVM *vm, PmGCHead *collectable)
{
    PmGCHead seen;
    pm_gc_list_init(&seen);
    while (!pm_gc_list_is_empty(collectable)) {
        PmGCHead *g = collectable->gc_next;
        PmObject *op = Pm_FROM_GC(g);
        pm_gc_list_move(g, &seen);
        pm_destructor finalize = Pm_TYPE(op)->tp_finalize;
        if (!(g->flags & PM_GC_FINALIZED) && finalize != NULL) {
            g->flags |= PM_GC_FINALIZED;
            if (REC(vm)) pm_gcrec_event(vm, PM_GCREC_EV_FINALIZE, op);
            Pm_INCREF(op);
            finalize(vm, op);
            GC_ASSERT(op, !PmErr_Occurred(vm), "tp_finalize left an exception set");
            Pm_DECREF(vm, op);
        }
    }
    gc_list_merge(&seen, collectable, -1);
}

/* Finalizers may have made objects reachable again: run deduce_unreachable over the
 * unreachable set itself.  Post: still_unreachable holds the garbage (COLLECTING set);
 * the resurrected rest is merged into `old`. */
static void handle_resurrected_objects(PmVM *vm, PmGCHead *unreachable,
                                       PmGCHead *still_unreachable, PmGCHead *old)
{
    gc_list_clear_collecting(unreachable);
    deduce_unreachable(vm, unreachable, still_unreachable, false);
    move_legacy_finalizers(still_unreachable);   /* just removes the UNREACHABLE mark */
    if (REC(vm)) pm_gcrec_mark_list(vm, unreachable, PM_GCREC_RESURRECTED);
    gc_list_merge(unreachable, old, old->gen);
}

/* Break the cycles: tp_clear each object (or keep it in gc.garbage with DEBUG_SAVEALL).
 * What is still alive afterwards moves to `old`. */
static void delete_garbage(PmVM *vm, PmGCHead *collectable, PmGCHead *old)
{
    while (!pm_gc_list_is_empty(collectable)) {
        PmGCHead *g = collectable->gc_next;
        PmObject *op = Pm_FROM_GC(g);
        GC_ASSERT(op, Pm_REFCNT(op) > 0, "refcount is too small");
        if (vm->gc.debug & PM_GC_DEBUG_SAVEALL) {
            if (REC(vm)) pm_gcrec_event(vm, PM_GCREC_EV_SAVE, op);
            if (vm->gc.garbage == NULL || PmList_Append(vm, vm->gc.garbage, op) < 0)
                PmErr_Clear(vm);
        } else if (Pm_TYPE(op)->tp_clear != NULL) {
            PmType *tp = Pm_TYPE(op);
            if (REC(vm)) pm_gcrec_event(vm, PM_GCREC_EV_CLEAR, op);
            Pm_INCREF(op);
            tp->tp_clear(vm, op);
            if (PmErr_Occurred(vm))
                pm_write_unraisable(vm, "Exception ignored in tp_clear of", (PmObject *)tp, NULL);
            Pm_DECREF(vm, op);
        }
        if (collectable->gc_next == g) {    /* still alive: it may die later */
            g->flags &= ~PM_GC_COLLECTING;
            if (REC(vm)) pm_gcrec_mark(vm, op, PM_GCREC_SURVIVED);
            move_to_old(g, old);
        }
    }
}

/* CPython clears the free lists during the collection of the highest generation. */
static void clear_freelists(PmVM *vm)
{
    PmTuple_ClearFreeList(vm);
    PmFloat_ClearFreeList(vm);
    PmList_ClearFreeList(vm);
    PmDict_ClearFreeList(vm);
}

/* ------------------------------------------------------------------ the driver */

/* Merge generations 0..generation-1 into `generation`; update the counters. */
static void start_generation(PmVM *vm, int generation)
{
    if (generation + 1 < NUM_GENERATIONS) vm->gc.gen[generation + 1].count += 1;
    for (int i = 0; i <= generation; i++) vm->gc.gen[i].count = 0;
    for (int i = 0; i < generation; i++)
        gc_list_merge(GEN_HEAD(vm, i), GEN_HEAD(vm, generation), generation);
}

/* The reachable objects of young move to the next generation (a full collection keeps
 * them in generation 2 and resets the long-lived bookkeeping). */
static void promote(PmVM *vm, int generation, PmGCHead *young, PmGCHead *old)
{
    if (young != old) {
        if (generation == NUM_GENERATIONS - 2)
            vm->gc.long_lived_pending += pm_gc_list_size(young);
        if (REC(vm)) pm_gcrec_mark_list(vm, young, PM_GCREC_PROMOTED);
        gc_list_merge(young, old, generation + 1);
    } else {
        untrack_dicts(vm, young);
        vm->gc.long_lived_pending = 0;
        vm->gc.long_lived_total = pm_gc_list_size(young);
    }
}

/* This is the main function: read it to see how a collection works.  Returns the number of
 * unreachable objects found (collected + uncollectable). */
static Pm_ssize_t gc_collect_main(PmVM *vm, int generation, Pm_ssize_t *n_collected,
                                  Pm_ssize_t *n_uncollectable, bool nofail)
{
    Pm_ssize_t m = 0;   /* objects collected */
    Pm_ssize_t n = 0;   /* unreachable objects that couldn't be collected: none (no tp_del) */
    PmGCHead unreachable, final_unreachable;
    CHECK_ALL(vm);
    if (vm->gc.debug & PM_GC_DEBUG_STATS) {
        gc_printf(vm, "gc: collecting generation %d...\n", generation);
        show_stats_each_generations(vm);
    }
    start_generation(vm, generation);
    PmGCHead *young = GEN_HEAD(vm, generation);
    PmGCHead *old = generation < NUM_GENERATIONS - 1 ? GEN_HEAD(vm, generation + 1) : young;
    deduce_unreachable(vm, young, &unreachable, true);
    untrack_tuples(vm, young);
    promote(vm, generation, young, old);
    move_legacy_finalizers(&unreachable);
    validate_list(&unreachable, COLLECTING_SET, UNREACHABLE_CLEAR);
    if (vm->gc.debug & PM_GC_DEBUG_COLLECTABLE)
        for (PmGCHead *g = unreachable.gc_next; g != &unreachable; g = g->gc_next)
            debug_cycle(vm, "collectable", Pm_FROM_GC(g));
    m += handle_weakrefs(vm, &unreachable, old);
    validate_list(old, COLLECTING_CLEAR, UNREACHABLE_CLEAR);
    validate_list(&unreachable, COLLECTING_SET, UNREACHABLE_CLEAR);
    finalize_garbage(vm, &unreachable);
    handle_resurrected_objects(vm, &unreachable, &final_unreachable, old);
    m += pm_gc_list_size(&final_unreachable);
    delete_garbage(vm, &final_unreachable, old);
    if (vm->gc.debug & PM_GC_DEBUG_STATS)   /* elapsed time: always 0 (deterministic output) */
        gc_printf(vm, "gc: done, %zd unreachable, %zd uncollectable, 0.0000s elapsed\n",
                  (size_t)(n + m), (size_t)n);
    validate_list(old, COLLECTING_CLEAR, UNREACHABLE_CLEAR);
    if (generation == NUM_GENERATIONS - 1) clear_freelists(vm);
    if (PmErr_Occurred(vm)) {
        if (nofail) PmErr_Clear(vm);
        else pm_write_unraisable(vm, "Exception ignored in garbage collection", NULL, NULL);
    }
    if (n_collected) *n_collected = m;
    if (n_uncollectable) *n_uncollectable = n;
    vm->gc.stats_collections[generation]++;
    vm->gc.stats_collected[generation] += m;
    vm->gc.stats_uncollectable[generation] += n;
    CHECK_ALL(vm);
    return n + m;
}

/* ------------------------------------------------------------------ callbacks, triggers */

static PmObject *callback_info(PmVM *vm, int generation, Pm_ssize_t collected,
                               Pm_ssize_t uncollectable)
{
    PmObject *info = PmDict_New(vm);
    if (info == NULL) return NULL;
    const char *keys[3] = {"generation", "collected", "uncollectable"};
    Pm_ssize_t vals[3] = {generation, collected, uncollectable};
    for (int i = 0; i < 3; i++) {
        PmObject *v = PmLong_FromSsize_t(vm, vals[i]);
        if (v == NULL || PmDict_SetItemString(vm, info, keys[i], v) < 0) {
            Pm_XDECREF(vm, v);
            Pm_DECREF(vm, info);
            return NULL;
        }
        Pm_DECREF(vm, v);
    }
    return info;
}

/* Call each of gc.callbacks with (phase, info) (CPython's invoke_gc_callback). */
static void invoke_gc_callback(PmVM *vm, const char *phase, int generation,
                               Pm_ssize_t collected, Pm_ssize_t uncollectable)
{
    PmObject *cbs = vm->gc.callbacks;
    if (cbs == NULL || Pm_SIZE(cbs) == 0) return;
    PmObject *info = callback_info(vm, generation, collected, uncollectable);
    if (info == NULL) {
        pm_write_unraisable(vm, "Exception ignored in", NULL, NULL);
        return;
    }
    for (Pm_ssize_t i = 0; i < Pm_SIZE(cbs); i++) {
        PmObject *cb = Pm_NewRef(PmList_GET_ITEM(cbs, i));
        PmObject *args[2] = {PmStr_FromString(vm, phase), info};
        PmObject *r = args[0] ? PmObject_Vectorcall(vm, cb, args, 2, NULL) : NULL;
        Pm_XDECREF(vm, args[0]);
        if (r == NULL) pm_write_unraisable(vm, "Exception ignored in", cb, NULL);
        else Pm_DECREF(vm, r);
        Pm_DECREF(vm, cb);
    }
    Pm_DECREF(vm, info);
}

static Pm_ssize_t gc_collect_with_callback(PmVM *vm, int generation, bool automatic)
{
    Pm_ssize_t collected = 0, uncollectable = 0;
    invoke_gc_callback(vm, "start", generation, 0, 0);
    if (vm->gc.record) pm_gcrec_begin(vm, generation, automatic);
    Pm_ssize_t result = gc_collect_main(vm, generation, &collected, &uncollectable, false);
    int old = generation < NUM_GENERATIONS - 1 ? generation + 1 : generation;
    if (REC(vm)) pm_gcrec_end(vm, GEN_HEAD(vm, old), collected, uncollectable);
    invoke_gc_callback(vm, "stop", generation, collected, uncollectable);
    return result;
}

/* The oldest generation whose count exceeds its threshold is collected; a full collection
 * waits until the objects promoted since the last one are a quarter of the long-lived ones
 * (CPython issue #4074: amortised linear cost). */
static Pm_ssize_t gc_collect_generations(PmVM *vm)
{
    for (int i = NUM_GENERATIONS - 1; i >= 0; i--) {
        if (vm->gc.gen[i].count > pm_gc_get_threshold(vm, i)) {
            if (i == NUM_GENERATIONS - 1 &&
                vm->gc.long_lived_pending < vm->gc.long_lived_total / 4)
                continue;
            return gc_collect_with_callback(vm, i, true);
        }
    }
    return 0;
}

#if PML_GC_STRESS
/* Stress pass (gc.h "Stress mode"): the analysis phases over generation 0, then the list
 * relinked in its original order with no flags, so the program sees nothing. */
static void stress_verify_young(PmVM *vm)
{
    PmGCHead *young = GEN_HEAD(vm, 0), unreachable;
    Pm_ssize_t n = pm_gc_list_size(young), i = 0;
    if (n == 0) return;
    PmGCHead **order = malloc((size_t)n * sizeof *order);
    if (order == NULL) return;
    for (PmGCHead *g = young->gc_next; g != young; g = g->gc_next) order[i++] = g;
    deduce_unreachable(vm, young, &unreachable, false);
    pm_gc_list_init(young);
    for (i = 0; i < n; i++) {
        order[i]->flags &= ~(PM_GC_COLLECTING | PM_GC_UNREACHABLE);
        pm_gc_list_append(order[i], young);
    }
    free(order);
}

static void stress_pass(PmVM *vm)
{
    if (vm->gc.gen[0].count == vm->gc.stress_count) return;
    vm->gc.stress_count = vm->gc.gen[0].count;
#if PML_GC_STRESS >= 2
    vm->gc.collecting = 1;
    gc_collect_with_callback(vm, 0, true);
    vm->gc.collecting = 0;
    vm->gc.stress_count = vm->gc.gen[0].count;
#else
    vm->gc.collecting = 1;
    stress_verify_young(vm);
    vm->gc.collecting = 0;
#endif
}
#endif

/* Move generation 0's late objects (gc.h "When collections happen") to `late`. */
static void set_aside_late(PmVM *vm, PmGCHead *late)
{
    PmGCHead *young = GEN_HEAD(vm, 0), *next;
    pm_gc_list_init(late);
    for (PmGCHead *g = young->gc_next; g != young; g = next) {
        next = g->gc_next;
        if (g->flags & PM_GC_LATE) {
            g->flags &= ~PM_GC_LATE;
            pm_gc_list_move(g, late);
        }
    }
}

/* The automatic collection CPython would have run inside the allocation that crossed the
 * threshold.  Pre: vm->gc.collecting is 0. */
static void collect_pending(PmVM *vm)
{
    PmGCState *gs = &vm->gc;
    PmGCHead late;
    int trigger = gs->threshold0 >= 0 ? gs->threshold0 + 1 : 1;   /* count at that allocation */
    int late_allocs = gs->gen[0].count > trigger ? gs->gen[0].count - trigger : 0;
    gs->pending = 0;
    set_aside_late(vm, &late);
    gs->gen[0].count = trigger;
    gs->collecting = 1;
    gc_collect_generations(vm);
    gs->collecting = 0;
    gc_list_merge(&late, GEN_HEAD(vm, 0), 0);
    gs->gen[0].count += late_allocs;
}

/* Safe point (the eval loop, between bytecodes, its state saved). */
void pm_gc_maybe_collect(PmVM *vm)
{
    PmGCState *gs = &vm->gc;
    if (gs->collecting || PmErr_Occurred(vm)) return;
#if PML_GC_STRESS
    stress_pass(vm);
#endif
    if (gs->pending || automatic_allowed(vm)) collect_pending(vm);
}

/* An explicit collection first runs a pending automatic one, as CPython had already. */
static void flush_pending(PmVM *vm)
{
    if (vm->gc.pending && !vm->gc.collecting && !PmErr_Occurred(vm)) collect_pending(vm);
}

/* A full collection without callbacks is about to examine everything anyway. */
static void drop_pending(PmVM *vm)
{
    PmGCHead *young = GEN_HEAD(vm, 0);
    vm->gc.pending = 0;
    for (PmGCHead *g = young->gc_next; g != young; g = g->gc_next) g->flags &= ~PM_GC_LATE;
}

/* gc.collect(generation): 0 when a collection is already running. */
Pm_ssize_t pm_gc_collect(PmVM *vm, int generation)
{
    if (generation < 0 || generation >= NUM_GENERATIONS) {
        PmErr_SetString(vm, PME(vm, ValueError), "invalid generation");
        return -1;
    }
    if (vm->gc.collecting) return 0;
    flush_pending(vm);
    PmObject *pending = PmErr_Fetch(vm);    /* C callers may hold one: keep it aside */
    vm->gc.collecting = 1;
    Pm_ssize_t n = gc_collect_with_callback(vm, generation, false);
    vm->gc.collecting = 0;
    if (pending) PmErr_Restore(vm, pending);
    return n;
}

Pm_ssize_t pm_gc_collect_nofail(PmVM *vm)
{
    if (vm->gc.collecting) return 0;
    drop_pending(vm);
    PmObject *pending = PmErr_Fetch(vm);
    vm->gc.collecting = 1;
    Pm_ssize_t n = gc_collect_main(vm, NUM_GENERATIONS - 1, NULL, NULL, true);
    vm->gc.collecting = 0;
    if (pending) PmErr_Restore(vm, pending);
    return n;
}

/* ------------------------------------------------------------------ freeze */

void pm_gc_freeze(PmVM *vm)
{
    flush_pending(vm);
    for (int i = 0; i < NUM_GENERATIONS; i++) {
        gc_list_merge(GEN_HEAD(vm, i), &vm->gc.permanent, PM_GC_PERMANENT);
        vm->gc.gen[i].count = 0;
    }
}

void pm_gc_unfreeze(PmVM *vm)
{
    gc_list_merge(&vm->gc.permanent, GEN_HEAD(vm, NUM_GENERATIONS - 1), NUM_GENERATIONS - 1);
}

/* ------------------------------------------------------------------ life cycle */

/* A program is about to be compiled and run (pml_run): put the collector in the state of a
 * fresh CPython 3.11 process starting a script, so that automatic collections come when
 * they would there.  Settings are the defaults again (enabled, thresholds 700/10/10, no
 * debug flags, gc.callbacks and gc.garbage emptied in place, nothing frozen, statistics
 * zero); what the VM holds is collected once (no callbacks) and stays in generation 2; and
 * the counters are CPython's after its startup: (PM_GC_START_COUNT0, 0, 2), with no full
 * collection done yet (long_lived_total = 0).  PM_GC_START_COUNT0 is chosen so that the
 * first statement after `import gc` sees gc.get_count() == (249, 0, 2), as `python3
 * script.py` shows for CPython 3.11.7 (its startup objects plus the import of gc). */
/* The generation counts as a fresh CPython process has them before compiling the script
 * (compiling then allocates, in both, roughly in proportion to the script's size). */
void pm_gc_start_counts(PmVM *vm)
{
    PmGCState *gs = &vm->gc;
    gs->gen[0].count = PM_GC_START_COUNT0;
    gs->gen[1].count = 0;
    gs->gen[2].count = 2;
#if PML_GC_STRESS
    gs->stress_count = gs->gen[0].count;
#endif
}

void pm_gc_begin_run(PmVM *vm)
{
    PmGCState *gs = &vm->gc;
    gs->enabled = 1;
    gs->debug = 0;
    for (int i = 0; i < NUM_GENERATIONS; i++)
        pm_gc_set_threshold(vm, i, i == 0 ? 700 : 10);
    if (gs->callbacks) PmList_SetSlice(vm, gs->callbacks, 0, Pm_SIZE(gs->callbacks), NULL);
    if (gs->garbage) PmList_SetSlice(vm, gs->garbage, 0, Pm_SIZE(gs->garbage), NULL);
    PmErr_Clear(vm);
    pm_gc_unfreeze(vm);
    pm_gc_collect_nofail(vm);
    pm_gc_start_counts(vm);
    gs->long_lived_total = gs->long_lived_pending = 0;
    for (int i = 0; i < NUM_GENERATIONS; i++)
        gs->stats_collections[i] = gs->stats_collected[i] = gs->stats_uncollectable[i] = 0;
#if PML_GC_STRESS
    gs->stress_count = gs->gen[0].count;
#endif
}

void pm_gc_init(PmVM *vm)
{
    static const int thresholds[NUM_GENERATIONS] = {700, 10, 10};
    PmGCState *gs = &vm->gc;
    for (int i = 0; i < NUM_GENERATIONS; i++) {
        pm_gc_list_init(&gs->gen[i].head);
        gs->gen[i].head.gen = (uint8_t)i;
        gs->gen[i].threshold = thresholds[i];
        gs->gen[i].count = 0;
    }
    pm_gc_list_init(&gs->permanent);
    gs->permanent.gen = PM_GC_PERMANENT;
    gs->threshold0 = thresholds[0];
    gs->enabled = 1;
#if PML_GC_STRESS
    gs->gen[0].threshold = 1;      /* the eval loop's trigger: every safe point */
    vm->stress = PML_GC_STRESS;
#endif
}

/* VM teardown (after the modules are cleared): drop gc.garbage and gc.callbacks, bring
 * frozen objects back, and collect until nothing more is found, so that cycles release
 * what they hold before the arenas go. */
void pm_gc_fini(PmVM *vm)
{
    PmGCState *gs = &vm->gc;
    gs->debug = 0;
    Pm_CLEAR(vm, gs->garbage);
    Pm_CLEAR(vm, gs->callbacks);
    pm_gc_unfreeze(vm);
    for (int pass = 0; pass < 8 && pm_gc_collect_nofail(vm) > 0; pass++) {}
    gs->enabled = 0;
    pm_gcrec_free_all(vm);
}
