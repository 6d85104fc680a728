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
#include "trace/pm_trace.h"

#include <stdarg.h>

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
    if (PM_UNLIKELY(vm->trace != NULL)) pm_trace_gc_begin(vm, generation);
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

enum { STILL_THERE = 1u << 31 };   /* scratch bit of pm_gcrec_end */

/* Unreachable objects that were neither resurrected nor survived tp_clear were freed; a
 * survivor of tp_clear may have died later in delete_garbage (when the next object was
 * cleared): those are no longer in `old`, the list survivors went to. */
void pm_gcrec_end(PmVM *vm, PmGCHead *old, Pm_ssize_t collected, Pm_ssize_t uncollectable)
{
    PmGCRecorder *rc = vm->gc.recorder;
    PmGCRecord *r = vm->gc.rec;
    for (PmGCHead *g = old->gc_next; g != old; g = g->gc_next) {
        Pm_ssize_t i = find(rc, r, Pm_FROM_GC(g));
        if (i >= 0) r->objects[i].fate |= STILL_THERE;
    }
    for (Pm_ssize_t i = 0; i < r->nobjects; i++) {
        PmGCRecObject *e = &r->objects[i];
        if ((e->fate & PM_GCREC_SURVIVED) && !(e->fate & STILL_THERE))
            e->fate &= ~PM_GCREC_SURVIVED;
        if ((e->fate & PM_GCREC_UNREACHABLE) && !(e->fate & PM_GCREC_RESURRECTED) &&
            !(e->fate & PM_GCREC_SURVIVED))
            e->fate |= PM_GCREC_FREED;
        e->fate &= ~STILL_THERE;
    }
    r->collected = collected;
    r->uncollectable = uncollectable;
    if (PM_UNLIKELY(vm->trace != NULL)) pm_trace_gc_end(vm, r);
    rc->next = (rc->next + 1) % rc->keep;
    if (rc->count < rc->keep) rc->count++;
    vm->gc.rec = NULL;
}

/* ------------------------------------------------------------------ JSON for the page */

typedef struct JBuf {
    char *data;
    size_t len, cap;
    bool failed;
} JBuf;

static void jb_put(JBuf *b, const char *s, size_t n)
{
    if (b->failed) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) cap *= 2;
        char *d = realloc(b->data, cap);
        if (d == NULL) {
            b->failed = true;
            return;
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}

static void jb_printf(JBuf *b, const char *fmt, ...) PM_PRINTF(2, 3);
static void jb_printf(JBuf *b, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0) jb_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static void jb_string(JBuf *b, const char *s)
{
    jb_put(b, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') jb_printf(b, "\\%c", c);
        else if (c < 0x20) jb_printf(b, "\\u%04x", c);
        else jb_put(b, (const char *)&c, 1);
    }
    jb_put(b, "\"", 1);
}

static const char *const fate_names[] = {
    "unreachable", "untracked", "promoted", "finalized", "resurrected", "cleared", "saved",
    "freed", "survived"
};
static const char *const event_names[] = {"", "weakref_callback", "finalize", "clear", "save"};

static void jb_object(JBuf *b, const PmGCRecObject *e)
{
    jb_printf(b, "{\"id\":%llu,\"type\":", (unsigned long long)e->id);
    jb_string(b, e->type);
    jb_printf(b, ",\"refcnt\":%lld,\"gc_refs\":%lld,\"unreachable_pos\":%d,\"fate\":[",
              (long long)e->refcnt, (long long)e->refs, (int)e->unreachable_pos);
    const char *sep = "";
    for (unsigned i = 0; i < sizeof fate_names / sizeof fate_names[0]; i++) {
        if (!(e->fate & (1u << i))) continue;
        jb_printf(b, "%s\"%s\"", sep, fate_names[i]);
        sep = ",";
    }
    jb_put(b, "]}", 2);
}

/* The record `back` collections ago as one JSON object (keys as in PmGCRecord; fates and
 * event kinds by name), in host memory the caller frees; NULL if there is no such record. */
char *pm_gc_record_json(PmVM *vm, int back)
{
    const PmGCRecord *r = pm_gc_record_get(vm, back);
    if (r == NULL) return NULL;
    JBuf b = {NULL, 0, 0, false};
    jb_printf(&b, "{\"seq\":%llu,\"generation\":%d,\"automatic\":%s,\"truncated\":%s,",
              (unsigned long long)r->seq, r->generation, r->automatic ? "true" : "false",
              r->truncated ? "true" : "false");
    jb_printf(&b, "\"examined\":%lld,\"unreachable\":%lld,\"finalized\":%lld,",
              (long long)r->examined, (long long)r->unreachable, (long long)r->finalized);
    jb_printf(&b, "\"resurrected\":%lld,\"collected\":%lld,\"uncollectable\":%lld,",
              (long long)r->resurrected, (long long)r->collected, (long long)r->uncollectable);
    jb_printf(&b, "\"promoted\":%lld,\"objects\":[", (long long)r->promoted);
    for (Pm_ssize_t i = 0; i < r->nobjects; i++) {
        if (i) jb_put(&b, ",", 1);
        jb_object(&b, &r->objects[i]);
    }
    jb_put(&b, "],\"events\":[", 12);
    for (Pm_ssize_t i = 0; i < r->nevents; i++) {
        const PmGCRecEvent *ev = &r->events[i];
        jb_printf(&b, "%s{\"kind\":\"%s\",\"id\":%llu}", i ? "," : "", event_names[ev->kind],
                  (unsigned long long)ev->id);
    }
    jb_put(&b, "]}", 2);
    if (b.failed) {
        free(b.data);
        return NULL;
    }
    return b.data;
}
