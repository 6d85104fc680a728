/*
 * gcrecord.c -- the record of each collection that the page replays (gc/gc.h).
 *
 * Records live in host memory (malloc), never in the modelled heap: recording changes
 * nothing a program can observe.  A ring keeps the last `keep` records; while a collection
 * runs, an open-addressing table maps object addresses to their PmGCRecObject so each phase
 * can mark what happened to an object in O(1).
 */
#include "pm.h"
#include "gc/gc.h"

typedef struct PmGCRecorder {
    int keep;                  /* ring capacity */
    int count;                 /* records in the ring (<= keep) */
    int next;                  /* slot of the next record */
    uint64_t seq;              /* records made so far */
    PmGCRecord *ring;
    Pm_ssize_t *table;         /* object index + 1 by address hash; 0: empty */
    size_t table_mask;
    Pm_ssize_t events_cap;     /* room in the current record's events */
} PmGCRecorder;

static void record_clear(PmGCRecord *r)
{
    free(r->objects);
    free(r->events);
    memset(r, 0, sizeof *r);
}

static void recorder_free(PmGCRecorder *rc)
{
    if (rc == NULL) return;
    for (int i = 0; i < rc->keep; i++) record_clear(&rc->ring[i]);
    free(rc->ring);
    free(rc->table);
    free(rc);
}

void pm_gcrec_free_all(PmVM *vm)
{
    recorder_free(vm->gc.recorder);
    vm->gc.recorder = NULL;
    vm->gc.rec = NULL;
    vm->gc.record = false;
}

void pm_gc_record_enable(PmVM *vm, int keep)
{
    pm_gcrec_free_all(vm);
    if (keep <= 0) return;
    PmGCRecorder *rc = calloc(1, sizeof *rc);
    if (rc == NULL) return;
    rc->ring = calloc((size_t)keep, sizeof *rc->ring);
    if (rc->ring == NULL) {
        free(rc);
        return;
    }
    rc->keep = keep;
    vm->gc.recorder = rc;
    vm->gc.record = true;
}

const PmGCRecord *pm_gc_record_get(PmVM *vm, int back)
{
    PmGCRecorder *rc = vm->gc.recorder;
    if (rc == NULL || back < 0 || back >= rc->count) return NULL;
    return &rc->ring[((rc->next - 1 - back) % rc->keep + rc->keep) % rc->keep];
}

Pm_ssize_t pm_gc_record_count(PmVM *vm)
{
    return vm->gc.recorder ? vm->gc.recorder->count : 0;
}

/* ------------------------------------------------------------------ filling a record */

PmGCRecord *pm_gcrec_begin(PmVM *vm, int generation, bool automatic)
{
    PmGCRecorder *rc = vm->gc.recorder;
    if (rc == NULL) return NULL;
    PmGCRecord *r = &rc->ring[rc->next];
    record_clear(r);
    r->seq = ++rc->seq;
    r->generation = generation;
    r->automatic = automatic;
    rc->events_cap = 0;
    vm->gc.rec = r;
    return r;
}

static size_t addr_hash(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x;
}

/* Index of `o` in the current record's objects, or -1. */
static Pm_ssize_t find(PmGCRecorder *rc, PmGCRecord *r, const void *o)
{
    if (rc->table == NULL) return -1;
    for (size_t h = addr_hash(o) & rc->table_mask;; h = (h + 1) & rc->table_mask) {
        Pm_ssize_t k = rc->table[h];
        if (k == 0) return -1;
        if (r->objects[k - 1].id == (uint64_t)(uintptr_t)o) return k - 1;
    }
}

static void build_table(PmGCRecorder *rc, PmGCRecord *r)
{
    size_t size = 16;
    while (size < (size_t)r->nobjects * 2) size <<= 1;
    free(rc->table);
    rc->table = calloc(size, sizeof *rc->table);
    if (rc->table == NULL) return;
    rc->table_mask = size - 1;
    for (Pm_ssize_t i = 0; i < r->nobjects; i++) {
        size_t h = addr_hash((void *)(uintptr_t)r->objects[i].id) & rc->table_mask;
        while (rc->table[h]) h = (h + 1) & rc->table_mask;
        rc->table[h] = i + 1;
    }
}

/* After subtract_refs: every object of young with its refcount and gc_refs. */
void pm_gcrec_examined(PmVM *vm, PmGCHead *young)
{
    PmGCRecord *r = vm->gc.rec;
    PmGCRecorder *rc = vm->gc.recorder;
    r->examined = pm_gc_list_size(young);
    Pm_ssize_t n = r->examined < PM_GCREC_MAX_OBJECTS ? r->examined : PM_GCREC_MAX_OBJECTS;
    r->truncated = n < r->examined;
    r->objects = calloc(n ? (size_t)n : 1, sizeof *r->objects);
    if (r->objects == NULL) return;
    PmGCHead *g = young->gc_next;
    for (Pm_ssize_t i = 0; i < n; i++, g = g->gc_next) {
        PmObject *op = Pm_FROM_GC(g);
        PmGCRecObject *e = &r->objects[i];
        e->id = (uint64_t)(uintptr_t)op;
        e->refcnt = Pm_REFCNT(op);
        e->refs = g->gc_refs;
        e->unreachable_pos = -1;
        snprintf(e->type, sizeof e->type, "%s", Pm_TYPE(op)->tp_name);
    }
    r->nobjects = n;
    build_table(rc, r);
}

void pm_gcrec_mark(PmVM *vm, PmObject *o, uint32_t fate)
{
    PmGCRecord *r = vm->gc.rec;
    Pm_ssize_t i = find(vm->gc.recorder, r, o);
    if (i < 0) return;
    r->objects[i].fate |= fate;
    if (fate & PM_GCREC_RESURRECTED) r->resurrected++;
}

void pm_gcrec_mark_list(PmVM *vm, PmGCHead *list, uint32_t fate)
{
    for (PmGCHead *g = list->gc_next; g != list; g = g->gc_next) {
        pm_gcrec_mark(vm, Pm_FROM_GC(g), fate);
        if (fate & PM_GCREC_PROMOTED) vm->gc.rec->promoted++;
    }
}

/* After move_unreachable: the unreachable set, in the order finalizers will see it. */
void pm_gcrec_unreachable(PmVM *vm, PmGCHead *unreachable)
{
    PmGCRecord *r = vm->gc.rec;
    for (PmGCHead *g = unreachable->gc_next; g != unreachable; g = g->gc_next) {
        Pm_ssize_t i = find(vm->gc.recorder, r, Pm_FROM_GC(g));
        if (i >= 0) {
            r->objects[i].fate |= PM_GCREC_UNREACHABLE;
            r->objects[i].unreachable_pos = (int32_t)r->unreachable;
        }
        r->unreachable++;
    }
}

void pm_gcrec_event(PmVM *vm, int kind, PmObject *o)
{
    PmGCRecord *r = vm->gc.rec;
    if (kind == PM_GCREC_EV_FINALIZE) {
        r->finalized++;
        pm_gcrec_mark(vm, o, PM_GCREC_FINALIZED);
    } else if (kind == PM_GCREC_EV_CLEAR) {
        pm_gcrec_mark(vm, o, PM_GCREC_CLEARED);
    } else if (kind == PM_GCREC_EV_SAVE) {
        pm_gcrec_mark(vm, o, PM_GCREC_SAVED);
    }
    if (r->nevents >= PM_GCREC_MAX_EVENTS) {
        r->truncated = true;
        return;
    }
    PmGCRecorder *rc = vm->gc.recorder;
    if (r->nevents == rc->events_cap) {
        Pm_ssize_t cap = rc->events_cap ? rc->events_cap * 2 : 16;
        PmGCRecEvent *ev = realloc(r->events, (size_t)cap * sizeof *ev);
        if (ev == NULL) return;
        r->events = ev;
        rc->events_cap = cap;
    }
    r->events[r->nevents].id = (uint64_t)(uintptr_t)o;
    r->events[r->nevents].kind = kind;
    r->nevents++;
}

/* Unreachable objects that were neither resurrected nor survived tp_clear were freed. */
void pm_gcrec_end(PmVM *vm, Pm_ssize_t collected, Pm_ssize_t uncollectable)
{
    PmGCRecorder *rc = vm->gc.recorder;
    PmGCRecord *r = vm->gc.rec;
    const uint32_t spared = PM_GCREC_RESURRECTED | PM_GCREC_SURVIVED;
    for (Pm_ssize_t i = 0; i < r->nobjects; i++) {
        PmGCRecObject *e = &r->objects[i];
        if ((e->fate & PM_GCREC_UNREACHABLE) && !(e->fate & spared)) e->fate |= PM_GCREC_FREED;
    }
    r->collected = collected;
    r->uncollectable = uncollectable;
    rc->next = (rc->next + 1) % rc->keep;
    if (rc->count < rc->keep) rc->count++;
    vm->gc.rec = NULL;
}
