/*
 * gc.h -- the cycle collector's internal header: its lists, the collection record the page
 * replays, the stress switches, and the hooks the weakref module implements.
 * INTERNAL (include after pm.h).  The algorithm is CPython 3.11's Modules/gcmodule.c; the
 * function names in gc/gc.c are CPython's so a lesson can walk them by name.
 *
 * ## The lists
 *
 * Every tracked object is in exactly one circular doubly-linked list through its PmGCHead
 * (object.h states the invariant; pm_gc_check() verifies it):
 *
 *     vm->gc.gen[0].head <-> a <-> b <-> ...   young: every newly tracked object is appended
 *     vm->gc.gen[1].head <-> ...               survived one collection
 *     vm->gc.gen[2].head <-> ...               survived two or more: the long-lived objects
 *     vm->gc.permanent   <-> ...               gc.freeze(): never examined
 *
 * A collection of generation g (gc_collect_main) merges generations 0..g into g's list
 * ("young"), then:
 *
 *     deduce_unreachable   update_refs      gc_refs = ob_refcnt, COLLECTING set
 *                          subtract_refs    gc_refs -= 1 for each reference from inside young
 *                                           (tp_traverse + visit_decref): what is left counts
 *                                           references from outside
 *                          move_unreachable objects with gc_refs == 0 go to `unreachable`;
 *                                           whatever a reachable object refers to comes back
 *                                           (visit_reachable) -- iterative, no recursion
 *     untrack_tuples       tuples of atomic items leave the collector
 *     promote              the reachable rest is merged into generation g+1 (full
 *                          collections: untrack_dicts, long-lived bookkeeping)
 *     handle_weakrefs      weakrefs to unreachable objects are cleared, then their callbacks run
 *     finalize_garbage     tp_finalize (__del__) once per object (PM_GC_FINALIZED)
 *     handle_resurrected   deduce_unreachable again over the unreachable set: what a
 *                          finalizer made reachable again goes to the older generation
 *     delete_garbage       tp_clear on each object still unreachable (or gc.garbage with
 *                          DEBUG_SAVEALL); survivors go to the older generation
 *     clear_freelists      full collections only
 *
 * gc.collect() returns collected + uncollectable: the number of unreachable objects found
 * (weakrefs freed by their callbacks included).  No type has a legacy tp_del, so nothing is
 * ever uncollectable; the count and DEBUG_UNCOLLECTABLE exist for the same output as 3.11.
 *
 * ## When collections happen
 *
 * pm_object_alloc counts GC objects into gen[0].count and pm_object_free counts them out
 * (CPython 3.11).  CPython 3.11 collects inside the allocation that makes count exceed
 * threshold 0, before that object is tracked.  Here finalizers and callbacks may run Python
 * code only at a safe point: the eval loop calls pm_gc_maybe_collect between bytecodes,
 * after saving its frame state, when count > threshold.  To examine exactly the objects
 * CPython would, the first pm_gc_track after count crossed the threshold sets
 * vm->gc.pending, and every object tracked from then on is marked PM_GC_LATE; at the safe
 * point the late objects are set aside, the collection runs as it would have at the
 * allocation (count = threshold + 1), and afterwards they rejoin generation 0, their
 * allocations counted in gen[0].count.  The oldest generation whose count exceeds its
 * threshold is collected; a full collection also needs long_lived_pending >=
 * long_lived_total / 4.  pml_run calls pm_gc_begin_run before compiling a program, which
 * puts the counters where a fresh CPython process has them when a script starts.
 *
 * ## Stress mode (CMake -DPML_GC_STRESS=ON defines PML_GC_STRESS=1 and PML_DEBUG)
 *
 * A real collection is observable from Python (gc.collect()'s return value, gc.get_count(),
 * gc.is_tracked() of a runtime tuple, when a cycle's __del__ prints), so collecting at every
 * safe point would change the expected output of the gc cases.  Instead, PML_GC_STRESS=1
 * runs deduce_unreachable() -- update_refs, subtract_refs, move_unreachable with every
 * type's tp_traverse and all the debug checks -- over generation 0 at every safe point where
 * gen[0].count changed since the last one, then relinks the list exactly as it was: the
 * whole suite must pass unchanged while every container's traverse runs at every step (a
 * traverse visiting a reference it does not own drives gc_refs below 0 and aborts; one
 * reading freed memory is caught by ASan).  To reach every safe point, gen[0].threshold
 * (the eval loop's trigger, 0 would mean "disabled") is pinned to 1 and the user's
 * threshold lives in vm->gc.threshold0.  PML_GC_STRESS=2 collects generation 0 for real at
 * those safe points instead (a bug hunt: gc-observing cases will then differ).
 *
 * ## The collection record
 *
 * With vm->gc.record set (pm_gc_record_enable), each collection fills a PmGCRecord kept in
 * a ring of the last `keep` records, in host memory (never in the modelled heap, so
 * recording changes nothing the program can see).  Without it the collector pays one
 * NULL test per phase.
 */
#ifndef PM_GC_H
#define PM_GC_H

#include "pm.h"

enum { PM_GC_NUM_GENERATIONS = 3 };

/* gc.set_debug flags (same values as CPython). */
enum {
    PM_GC_DEBUG_STATS = 1 << 0,
    PM_GC_DEBUG_COLLECTABLE = 1 << 1,
    PM_GC_DEBUG_UNCOLLECTABLE = 1 << 2,
    PM_GC_DEBUG_SAVEALL = 1 << 5,
    PM_GC_DEBUG_LEAK = PM_GC_DEBUG_COLLECTABLE | PM_GC_DEBUG_UNCOLLECTABLE | PM_GC_DEBUG_SAVEALL
};

/* ------------------------------------------------------------------ list primitives */

static inline void pm_gc_list_init(PmGCHead *list)
{
    list->gc_next = list->gc_prev = list;
}

static inline bool pm_gc_list_is_empty(const PmGCHead *list)
{
    return list->gc_next == list;
}

/* Link `node` (in no list) at the end of `list`. */
static inline void pm_gc_list_append(PmGCHead *node, PmGCHead *list)
{
    PmGCHead *last = list->gc_prev;
    node->gc_prev = last;
    last->gc_next = node;
    node->gc_next = list;
    list->gc_prev = node;
}

/* Unlink `node`; it is untracked afterwards (gc_next == NULL). */
static inline void pm_gc_list_remove(PmGCHead *node)
{
    node->gc_prev->gc_next = node->gc_next;
    node->gc_next->gc_prev = node->gc_prev;
    node->gc_next = NULL;
}

/* Move `node` from whatever list it is in to the end of `list`. */
static inline void pm_gc_list_move(PmGCHead *node, PmGCHead *list)
{
    node->gc_prev->gc_next = node->gc_next;
    node->gc_next->gc_prev = node->gc_prev;
    pm_gc_list_append(node, list);
}

/* CPython's _PyObject_IS_GC: a GC type, and for type objects only heap types (builtin types
 * have a GC head but are never tracked, never traversed, never visited). */
static inline bool pm_gc_is_gc(PmObject *o)
{
    PmType *tp = Pm_TYPE(o);
    if (!PmType_HasFeature(tp, PM_TPFLAGS_HAVE_GC)) return false;
    if (PmType_HasFeature(tp, PM_TPFLAGS_TYPE_SUBCLASS))
        return PmType_HasFeature((PmType *)o, PM_TPFLAGS_HEAPTYPE);
    return true;
}

/* ------------------------------------------------------------------ collector API (gc.c) */

/* The rest of the collector's API is in pm.h (track, untrack, maybe_collect, collect). */
Pm_ssize_t pm_gc_list_size(const PmGCHead *list);
int pm_gc_get_threshold(PmVM *vm, int generation);
void pm_gc_set_threshold(PmVM *vm, int generation, int value);
/* gc.get_count()[0] when a run starts (see pm_gc_begin_run in gc.c). */
enum { PM_GC_START_COUNT0 = 208 };
void pm_gc_freeze(PmVM *vm);
void pm_gc_unfreeze(PmVM *vm);
/* Verify the between-collections invariant of every list (object.h); 0 when it holds,
 * else the number of violations (in PML_DEBUG builds each is described on the host's
 * stderr).  The collector calls it before and after each collection in PML_DEBUG builds. */
int pm_gc_check(PmVM *vm);

/* ------------------------------------------------------------------ the collection record */

/* What happened to one examined object (bits of PmGCRecObject.fate). */
enum {
    PM_GCREC_UNREACHABLE = 1 << 0,  /* move_unreachable put it in the unreachable set */
    PM_GCREC_UNTRACKED = 1 << 1,    /* untrack_tuples / untrack_dicts took it out */
    PM_GCREC_PROMOTED = 1 << 2,     /* reachable: moved to generation + 1 */
    PM_GCREC_FINALIZED = 1 << 3,    /* its tp_finalize (__del__) ran in this collection */
    PM_GCREC_RESURRECTED = 1 << 4,  /* reachable again after the finalizers: spared */
    PM_GCREC_CLEARED = 1 << 5,      /* delete_garbage called its tp_clear */
    PM_GCREC_SAVED = 1 << 6,        /* DEBUG_SAVEALL: appended to gc.garbage instead */
    PM_GCREC_FREED = 1 << 7,        /* gone by the end of delete_garbage */
    PM_GCREC_SURVIVED = 1 << 8      /* still alive at the end (DEBUG_SAVEALL, or tp_clear did
                                       not free it): in the older generation */
};

/* One object of the generation being collected, in list order at update_refs. */
typedef struct PmGCRecObject {
    uint64_t id;            /* the object's address, as id() reports it */
    int64_t refcnt;         /* ob_refcnt at update_refs */
    int64_t refs;           /* gc_refs after subtract_refs: references from outside */
    int32_t unreachable_pos;/* position in the unreachable list (finalize order), or -1 */
    uint32_t fate;          /* PM_GCREC_* */
    char type[24];          /* type name, truncated */
} PmGCRecObject;

/* Things done in order during the collection. */
enum {
    PM_GCREC_EV_WEAKREF_CALLBACK = 1,  /* id: the weakref whose callback was called */
    PM_GCREC_EV_FINALIZE = 2,          /* id: the object whose tp_finalize ran */
    PM_GCREC_EV_CLEAR = 3,             /* id: the object whose tp_clear ran */
    PM_GCREC_EV_SAVE = 4               /* id: the object appended to gc.garbage */
};
typedef struct PmGCRecEvent {
    uint64_t id;
    int32_t kind;           /* PM_GCREC_EV_* */
} PmGCRecEvent;

enum { PM_GCREC_MAX_OBJECTS = 10000, PM_GCREC_MAX_EVENTS = 10000 };

typedef struct PmGCRecord {
    uint64_t seq;           /* 1 for the VM's first recorded collection, then 2, ... */
    int generation;         /* 0, 1 or 2 */
    bool automatic;         /* started by the allocation counters at a safe point */
    bool truncated;         /* more than PM_GCREC_MAX_OBJECTS / _EVENTS: the rest omitted */
    Pm_ssize_t examined;    /* objects in the young list at update_refs */
    Pm_ssize_t unreachable; /* found by move_unreachable */
    Pm_ssize_t finalized;   /* tp_finalize calls */
    Pm_ssize_t resurrected; /* spared after the finalizers */
    Pm_ssize_t collected, uncollectable;   /* their sum is gc.collect()'s return value */
    Pm_ssize_t promoted;    /* reachable objects moved to generation + 1 */
    Pm_ssize_t nobjects;
    PmGCRecObject *objects;
    Pm_ssize_t nevents;
    PmGCRecEvent *events;
} PmGCRecord;

/* Keep the records of the last `keep` collections (keep <= 0: stop recording, free them). */
void pm_gc_record_enable(PmVM *vm, int keep);
/* The record `back` collections ago (0: the latest); NULL if there is none.  Valid until
 * the next collection or pm_gc_record_enable. */
const PmGCRecord *pm_gc_record_get(PmVM *vm, int back);
Pm_ssize_t pm_gc_record_count(PmVM *vm);
/* The same record as one JSON object for the page: {"seq", "generation", "automatic",
 * "truncated", "examined", "unreachable", "finalized", "resurrected", "collected",
 * "uncollectable", "promoted", "objects": [{"id", "type", "refcnt", "gc_refs",
 * "unreachable_pos", "fate": ["unreachable", "cleared", "freed", ...]}], "events":
 * [{"kind": "weakref_callback" | "finalize" | "clear" | "save", "id"}]}.  Host memory
 * (malloc) the caller frees; NULL if there is no such record. */
char *pm_gc_record_json(PmVM *vm, int back);

/* Used by gc.c while a collection runs (vm->gc.rec != NULL only when recording). */
PmGCRecord *pm_gcrec_begin(PmVM *vm, int generation, bool automatic);
void pm_gcrec_examined(PmVM *vm, PmGCHead *young);
void pm_gcrec_mark(PmVM *vm, PmObject *o, uint32_t fate);
void pm_gcrec_mark_list(PmVM *vm, PmGCHead *list, uint32_t fate);
void pm_gcrec_unreachable(PmVM *vm, PmGCHead *unreachable);
void pm_gcrec_event(PmVM *vm, int kind, PmObject *o);
void pm_gcrec_end(PmVM *vm, PmGCHead *old, Pm_ssize_t collected, Pm_ssize_t uncollectable);
void pm_gcrec_free_all(PmVM *vm);

/* ------------------------------------------------------------------ weakref hooks */
/*
 * Implemented by the weakref module (object/weakrefobject.c).
 *
 * pm_weakref_handle_unreachable (CPython's first pass of handle_weakrefs): for every object
 * in the list `unreachable` (iterate gc_next until the head): if it is itself a weakref,
 * clear it (its callback must never run); then clear every weakref to it.  A cleared
 * weakref that has a callback and is not part of the garbage (its PmGCHead lacks
 * PM_GC_COLLECTING) must get a new reference and be moved with pm_gc_list_move() to the
 * end of `wrcb_to_call`, in the order its callback should run (newest first).  Such
 * weakrefs are tracked GC objects.  No Python code may run here.
 *
 * pm_weakref_call_callback: call wr's callback with wr (CPython's handle_callback); an
 * exception is reported with pm_write_unraisable and cleared.  The collector then drops the
 * reference taken above.
 */
/* (Declared in pm.h, next to the collector's API.) */

#endif /* PM_GC_H */
