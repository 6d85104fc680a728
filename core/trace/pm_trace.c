/*
 * pm_trace.c -- the recorder (pml_record), the event log and the step JSON.
 *
 * ## A recording
 *
 * pml_record installs a PmTrace as vm->trace, then calls pml_run.  vm/init.c tells us when
 * the module body starts (pm_trace_run_start: we remember every tracked object alive then,
 * so a snapshot can tell the program's objects from the interpreter's) and when it has
 * ended (pm_trace_run_end: the last step).  vm/ceval.c calls pm_trace_line before each
 * instruction; a step is taken when the instruction starts a new line of the program's own
 * code (its line differs from the previous instruction's in the same frame, a jump went
 * backwards, or the frame has just started or resumed), never while the collector runs.
 * Each step is written out as JSON at once (the heap will have changed by the next one)
 * into host memory; pml_recording_json returns the whole document.
 *
 * ## Identity across steps
 *
 * Ids are addresses, and an address is reused as soon as an object dies.  Each step keeps
 * the previous snapshot's objects (PmTraceSnap); pm_trace_dealloc marks the ones that die
 * during the step (cause "gc" when vm->gc.collecting), pm_trace_alloc records every address
 * that a new object took (pymalloc or a free list).  So at the next step an id is the same
 * object as before only if it did not die in between -- or died, was not reallocated, and
 * is alive again (a __del__ resurrected it).
 *
 * ## The event log
 *
 * With opts.events, a ring of at most RING_CAP events (host memory) collects, per step:
 * alloc, free, gc-start, gc-end, finalize, weakref-clear, weakref-callback.  Pm_INCREF has no
 * VM parameter, so single reference changes cannot be seen without changing every call
 * site in the core; instead each step reports the *net* change of every object it can
 * follow, as derived incref/decref events with cause "other": at a death, old -> 0 just
 * before the free event; at the step, old -> new for the objects in both snapshots, and
 * 1 -> new for the ones allocated during the step.  For any object of a snapshot these
 * reconcile exactly: previous refcount (or 1 after its alloc event) + the deltas = refcount
 * now (tests/c/test_trace.c checks it).
 *
 * Objects with a __del__ are reported freed when their memory is released (pm_trace_free),
 * not when their refcount reaches 0: __del__ runs in between and may resurrect them.
 */
#include "pm.h"
#include "gc/gc.h"
#include "lang/opcode.h"
#include "trace/pm_trace.h"

enum {
    DEFAULT_MAX_STEPS = 2000,
    DEFAULT_MAX_OBJECTS = 2000,
    RING_CAP = 20000,                 /* events kept per step (the newest) */
    MAX_COLLECTIONS = 64              /* collections described per step (the oldest) */
};
/* The recording's JSON stops growing here (each step repeats the heap): truncated. */
#define MAX_RECORDING_BYTES ((size_t)64 << 20)

/* Values of PmTrace.allocs: a new object took the address during this step (made by the
 * program, or by the interpreter itself: see pm_trace_alloc), or it has died since. */
enum { ALLOC_DIED = 0, ALLOC_PROGRAM = 1, ALLOC_INTERP = 2 };

typedef enum EvKind {
    EV_ALLOC, EV_FREE, EV_INCREF, EV_DECREF, EV_GC_START, EV_GC_END, EV_WR_CLEAR,
    EV_WR_CALLBACK, EV_FINALIZE
} EvKind;
static const char *const ev_names[] = {
    "alloc", "free", "incref", "decref", "gc-start", "gc-end", "weakref-clear",
    "weakref-callback", "finalize"
};

typedef struct PmTraceEvent {
    uint64_t id;
    int64_t old, new_;          /* refcounts (incref/decref); gc-end: collected, uncollectable */
    int32_t line;
    uint8_t kind;               /* EvKind */
    uint8_t flag;               /* alloc: from a free list; free: died in a collection */
    int8_t generation;          /* gc-start / gc-end */
    char type[32];
} PmTraceEvent;

struct PmTraceResult {
    PmTraceBuf recording, snapshot;
};

struct PmTrace {
    pml_record_options opts;
    bool started, stopped, bound_hit, truncated, in_step;
    bool gc_record_ours;              /* we turned vm->gc.record on */
    size_t nsteps;
    int last_line;
    PmTraceMap preexisting;           /* tracked objects alive at run start */
    PmTraceSnap snaps[2];
    int cur;                          /* snaps[cur] is filled by the next step */
    PmTraceMap allocs;                /* address -> ALLOC_*: allocated during this step */
    PmTraceMap pending_free;          /* address -> 1: dealloc ran, __del__ may resurrect */
    PmTraceEvent *ring;
    size_t ring_start, ring_n;
    uint64_t dropped;
    PmTraceBuf collections;
    int ncollections, collections_dropped;
    PmTraceBuf steps, step;
    PmTraceBuf out, err;              /* everything the run wrote */
    pml_write_fn host_write;
    void *host_userdata;
    PmCode *line_code;                /* cache of pm_trace_is_program_code for event lines */
    PmObject *line_code_fn;
    bool line_code_prog;
};

/* ------------------------------------------------------------------ output capture */

static void capture_write(void *userdata, int stream, const char *data, size_t len)
{
    PmTrace *t = userdata;
    pm_trace_buf_put(stream == PML_STDERR ? &t->err : &t->out, data, len);
    if (t->host_write) t->host_write(t->host_userdata, stream, data, len);
}

/* Bytes the program has written to a stream so far, including what sys.stdout/stderr
 * still hold in their pending buffers (lib/io.c). */
static size_t stream_length(PmVM *vm, PmTrace *t, int stream)
{
    size_t n = stream == PML_STDERR ? t->err.len : t->out.len;
    PmTextIO *io = (PmTextIO *)(stream == PML_STDERR ? vm->io_stderr : vm->io_stdout);
    if (io == NULL) return n;
    Pm_ssize_t pending = stream == PML_STDOUT ? vm->stdout_pending_count : io->pending_count;
    if (pending > io->delivered) n += (size_t)(pending - io->delivered);
    return n;
}

/* ------------------------------------------------------------------ events */

static bool is_program(PmVM *vm, PmTrace *t, PmCode *co)
{
    if (co != t->line_code || co->co_filename != t->line_code_fn) {
        t->line_code = co;
        t->line_code_fn = co->co_filename;
        t->line_code_prog = pm_trace_is_program_code(vm, co);
    }
    return t->line_code_prog;
}

static int event_line(PmVM *vm, PmTrace *t)
{
    for (PmFrame *f = vm->frame; f; f = f->previous)
        if (is_program(vm, t, f->f_code)) return pm_code_line(f->f_code, f->lasti);
    return 0;
}

static PmTraceEvent *push_event(PmVM *vm, PmTrace *t, EvKind kind, PmObject *o)
{
    if (t->ring == NULL) return NULL;
    size_t slot;
    if (t->ring_n == RING_CAP) {
        slot = t->ring_start;
        t->ring_start = (t->ring_start + 1) % RING_CAP;
        t->dropped++;
    } else {
        slot = (t->ring_start + t->ring_n++) % RING_CAP;
    }
    PmTraceEvent *e = &t->ring[slot];
    memset(e, 0, sizeof *e);
    e->kind = (uint8_t)kind;
    e->id = (uint64_t)(uintptr_t)o;
    e->line = event_line(vm, t);
    e->generation = -1;
    if (o) snprintf(e->type, sizeof e->type, "%s", Pm_TYPE(o)->tp_name);
    return e;
}

static PmTraceEvent *push_refchange(PmVM *vm, PmTrace *t, PmObject *o, const char *type,
                                    uintptr_t id, int64_t old, int64_t new_)
{
    if (old == new_ || t->ring == NULL) return NULL;
    PmTraceEvent *e = push_event(vm, t, new_ > old ? EV_INCREF : EV_DECREF, o);
    if (e == NULL) return NULL;
    e->id = id;
    e->old = old;
    e->new_ = new_;
    if (type) snprintf(e->type, sizeof e->type, "%s", type);
    return e;
}

static void event_json(PmTraceBuf *b, const PmTraceEvent *e)
{
    pm_trace_buf_printf(b, "{\"kind\":\"%s\"", ev_names[e->kind]);
    switch (e->kind) {
    case EV_GC_START:
        pm_trace_buf_printf(b, ",\"generation\":%d", e->generation);
        break;
    case EV_GC_END:
        pm_trace_buf_printf(b, ",\"generation\":%d,\"collected\":%lld,\"uncollectable\":%lld",
                            e->generation, (long long)e->old, (long long)e->new_);
        break;
    default:
        pm_trace_buf_printf(b, ",\"id\":%llu,\"type\":", (unsigned long long)e->id);
        pm_trace_buf_json_str(b, e->type, strlen(e->type));
        break;
    }
    if (e->kind == EV_ALLOC)
        pm_trace_buf_printf(b, ",\"old\":0,\"new\":1%s", e->flag ? ",\"freelist\":true" : "");
    else if (e->kind == EV_INCREF || e->kind == EV_DECREF)
        pm_trace_buf_printf(b, ",\"old\":%lld,\"new\":%lld,\"cause\":\"other\"",
                            (long long)e->old, (long long)e->new_);
    else if (e->kind == EV_FREE)
        pm_trace_buf_printf(b, ",\"cause\":\"%s\"", e->flag ? "gc" : "refcount");
    pm_trace_buf_printf(b, ",\"line\":%d}", e->line);
}

/* ------------------------------------------------------------------ hooks */

static bool active(PmTrace *t)
{
    return t && t->started && !t->stopped;
}

void pm_trace_alloc(PmVM *vm, PmObject *o, bool from_freelist)
{
    PmTrace *t = vm->trace;
    if (!active(t)) return;
    uintptr_t id = (uintptr_t)o;
    /* made by the interpreter's own Python code (the weakref module's classes, say) or by an
     * import (a module, its dict, its compiled code), not by the program: treated like the
     * objects that existed before the run */
    PmFrame *f = vm->frame;
    if (f == NULL || !is_program(vm, t, f->f_code) ||
        (f->lasti >= 0 && PM_OP(f->f_code->co_code[f->lasti]) == OP_IMPORT_NAME)) {
        /* their alloc/free events would drown the program's: left out of the log */
        pm_trace_map_put(&t->preexisting, id, 1);
        pm_trace_map_put(&t->allocs, id, ALLOC_INTERP);
        return;
    }
    if (pm_trace_map_get(&t->preexisting, id, NULL)) pm_trace_map_put(&t->preexisting, id, 0);
    pm_trace_map_put(&t->allocs, id, ALLOC_PROGRAM);
    PmTraceEvent *e = push_event(vm, t, EV_ALLOC, o);
    if (e) e->flag = from_freelist;
}

/* `o` is gone (its refcount reached 0 and nothing resurrected it). */
static void died(PmVM *vm, PmTrace *t, PmObject *o)
{
    uintptr_t id = (uintptr_t)o;
    bool gc = vm->gc.collecting != 0;
    uint32_t v, idx;
    PmTraceSnap *prev = &t->snaps[t->cur ^ 1];
    int64_t old = -1;
    if (pm_trace_map_get(&t->allocs, id, &v) && v != ALLOC_DIED) {
        pm_trace_map_put(&t->allocs, id, ALLOC_DIED);
        if (v == ALLOC_INTERP) return;
        old = 1;
    } else if (pm_trace_map_get(&prev->index, id, &idx) && prev->v[idx].died == PM_TRACE_ALIVE &&
               !pm_trace_map_get(&t->allocs, id, NULL)) {
        old = prev->v[idx].refcount;
        prev->v[idx].died = gc ? PM_TRACE_DIED_GC : PM_TRACE_DIED_REFCOUNT;
    }
    if (old >= 0) push_refchange(vm, t, o, NULL, id, old, 0);
    PmTraceEvent *e = push_event(vm, t, EV_FREE, o);
    if (e) e->flag = gc;
}

void pm_trace_dealloc(PmVM *vm, PmObject *o)
{
    PmTrace *t = vm->trace;
    if (!active(t)) return;
    PmType *tp = Pm_TYPE(o);
    if (tp->tp_finalize && PmType_HasFeature(tp, PM_TPFLAGS_HAVE_GC) &&
        !(Pm_AS_GC(o)->flags & PM_GC_FINALIZED)) {
        /* __del__ runs first and may resurrect it: decide at pm_trace_free */
        pm_trace_map_put(&t->pending_free, (uintptr_t)o, 1);
        return;
    }
    died(vm, t, o);
}

void pm_trace_free(PmVM *vm, PmObject *o)
{
    PmTrace *t = vm->trace;
    uint32_t v;
    if (!active(t) || t->pending_free.count == 0) return;
    if (pm_trace_map_get(&t->pending_free, (uintptr_t)o, &v) && v == 1) {
        pm_trace_map_put(&t->pending_free, (uintptr_t)o, 0);
        died(vm, t, o);
    }
}

void pm_trace_finalize(PmVM *vm, PmObject *o)
{
    PmTrace *t = vm->trace;
    if (active(t)) push_event(vm, t, EV_FINALIZE, o);
}

void pm_trace_weakref(PmVM *vm, int kind, PmObject *wr)
{
    PmTrace *t = vm->trace;
    if (active(t)) push_event(vm, t, kind == PM_TRACE_WR_CLEARED ? EV_WR_CLEAR : EV_WR_CALLBACK, wr);
}

void pm_trace_gc_begin(PmVM *vm, int generation)
{
    PmTrace *t = vm->trace;
    if (!active(t)) return;
    PmTraceEvent *e = push_event(vm, t, EV_GC_START, NULL);
    if (e) e->generation = (int8_t)generation;
}

static void id_list(PmTraceBuf *b, const char *name, const PmGCRecord *r, int ev_kind,
                    uint32_t fate)
{
    pm_trace_buf_printf(b, ",\"%s\":[", name);
    bool first = true;
    if (ev_kind) {
        for (Pm_ssize_t i = 0; i < r->nevents; i++) {
            if (r->events[i].kind != ev_kind) continue;
            pm_trace_buf_printf(b, "%s%llu", first ? "" : ",", (unsigned long long)r->events[i].id);
            first = false;
        }
    } else {
        for (Pm_ssize_t i = 0; i < r->nobjects; i++) {
            if (!(r->objects[i].fate & fate)) continue;
            pm_trace_buf_printf(b, "%s%llu", first ? "" : ",", (unsigned long long)r->objects[i].id);
            first = false;
        }
    }
    pm_trace_buf_puts(b, "]");
}

/* SNAPSHOT.md's COLLECTION, from the collector's record (gc/gc.h). */
static void collection_json(PmTraceBuf *b, const PmGCRecord *r)
{
    pm_trace_buf_printf(b, "{\"generation\":%d,\"automatic\":%s,\"examined\":%lld,"
                        "\"collected\":%lld,\"uncollectable\":%lld,\"gcRefs\":[",
                        r->generation, r->automatic ? "true" : "false", (long long)r->examined,
                        (long long)r->collected, (long long)r->uncollectable);
    for (Pm_ssize_t i = 0; i < r->nobjects; i++)
        pm_trace_buf_printf(b, "%s[%llu,%lld]", i ? "," : "",
                            (unsigned long long)r->objects[i].id, (long long)r->objects[i].refs);
    pm_trace_buf_puts(b, "],\"unreachable\":[");
    /* in the order move_unreachable left them (the order finalizers see) */
    bool first = true;
    for (int32_t pos = 0; pos < (int32_t)r->unreachable; pos++) {
        for (Pm_ssize_t i = 0; i < r->nobjects; i++) {
            if (r->objects[i].unreachable_pos != pos) continue;
            pm_trace_buf_printf(b, "%s%llu", first ? "" : ",", (unsigned long long)r->objects[i].id);
            first = false;
            break;
        }
    }
    pm_trace_buf_puts(b, "]");
    id_list(b, "finalized", r, PM_GCREC_EV_FINALIZE, 0);
    id_list(b, "weakrefCallbacks", r, PM_GCREC_EV_WEAKREF_CALLBACK, 0);
    id_list(b, "freed", r, 0, PM_GCREC_FREED);
    pm_trace_buf_printf(b, ",\"promoted\":%lld,\"truncated\":%s}", (long long)r->promoted,
                        r->truncated ? "true" : "false");
}

void pm_trace_gc_end(PmVM *vm, const PmGCRecord *r)
{
    PmTrace *t = vm->trace;
    if (!active(t)) return;
    PmTraceEvent *e = push_event(vm, t, EV_GC_END, NULL);
    if (e) {
        e->generation = (int8_t)r->generation;
        e->old = r->collected;
        e->new_ = r->uncollectable;
    }
    if (t->ncollections >= MAX_COLLECTIONS || r->nobjects > 4 * (Pm_ssize_t)t->opts.max_objects) {
        t->collections_dropped++;
        return;
    }
    if (t->ncollections++) pm_trace_buf_puts(&t->collections, ",");
    collection_json(&t->collections, r);
}

/* ------------------------------------------------------------------ steps */

static void gc_json(PmVM *vm, PmTraceBuf *b)
{
    pm_trace_buf_printf(b, "\"gc\":{\"count\":[%d,%d,%d],\"threshold\":[%d,%d,%d],\"enabled\":%s",
                        vm->gc.gen[0].count, vm->gc.gen[1].count, vm->gc.gen[2].count,
                        pm_gc_get_threshold(vm, 0), pm_gc_get_threshold(vm, 1),
                        pm_gc_get_threshold(vm, 2), vm->gc.enabled ? "true" : "false");
}

/* tracemalloc's traced memory, or null while it is not tracing (or not linked in). */
static void tracemalloc_json(PmVM *vm, PmTraceBuf *b)
{
    if (!vm->tracemalloc.tracing) {
        pm_trace_buf_puts(b, "\"tracemalloc\":null");
        return;
    }
    size_t current = 0, peak = 0;
    pm_tracemalloc_traced_memory(vm, &current, &peak);
    pm_trace_buf_printf(b, "\"tracemalloc\":{\"current\":%zu,\"peak\":%zu}", current, peak);
}

/* pymalloc's arena/pool map at this step (core/mem/obmalloc_json.c), or null when host
 * memory runs out; the page's memory panel draws it. */
static void pools_json(PmVM *vm, PmTraceBuf *b)
{
    size_t n = pmmem_pools_json(&vm->mem, NULL, 0);
    char *tmp = malloc(n + 1);
    pm_trace_buf_puts(b, "\"pools\":");
    if (tmp == NULL) {
        pm_trace_buf_puts(b, "null");
        return;
    }
    pmmem_pools_json(&vm->mem, tmp, n + 1);
    pm_trace_buf_put(b, tmp, n);
    free(tmp);
}

/* The previous snapshot's entry for the object now at `id`, if it is the same object. */
static const PmTraceObj *same_as_before(PmTrace *t, const PmTraceObj *now)
{
    PmTraceSnap *prev = &t->snaps[t->cur ^ 1];
    uint32_t idx, v;
    if (!pm_trace_map_get(&prev->index, now->id, &idx)) return NULL;
    const PmTraceObj *p = &prev->v[idx];
    if (pm_trace_map_get(&t->allocs, now->id, &v)) return NULL;   /* a new object there */
    if (p->type != now->type) return NULL;
    return p;   /* alive all along, or died and was resurrected by its __del__ */
}

static void freed_json(PmTrace *t, PmTraceBuf *b)
{
    PmTraceSnap *prev = &t->snaps[t->cur ^ 1], *cur = &t->snaps[t->cur];
    pm_trace_buf_puts(b, "\"freed\":[");
    bool first = true;
    for (size_t i = 0; i < prev->n; i++) {
        const PmTraceObj *p = &prev->v[i];
        if (p->died == PM_TRACE_ALIVE) continue;
        uint32_t idx;
        if (pm_trace_map_get(&cur->index, p->id, &idx) && same_as_before(t, &cur->v[idx]))
            continue;   /* resurrected */
        pm_trace_buf_printf(b, "%s{\"id\":%" PRIuPTR ",\"type\":", first ? "" : ",", p->id);
        pm_trace_buf_json_str(b, p->type_name, strlen(p->type_name));
        pm_trace_buf_printf(b, ",\"cause\":\"%s\"}", p->died == PM_TRACE_DIED_GC ? "gc" : "refcount");
        first = false;
    }
    pm_trace_buf_puts(b, "]");
}

/* The net refcount changes of this step (see the comment at the top). */
static void derive_refchanges(PmVM *vm, PmTrace *t)
{
    PmTraceSnap *cur = &t->snaps[t->cur];
    for (size_t i = 0; i < cur->n; i++) {
        const PmTraceObj *now = &cur->v[i];
        const PmTraceObj *before = same_as_before(t, now);
        uint32_t v;
        int64_t old;
        if (before) old = before->refcount;
        else if (pm_trace_map_get(&t->allocs, now->id, &v) && v != ALLOC_DIED) old = 1;
        else continue;
        PmTraceEvent *e = push_refchange(vm, t, NULL, now->type_name, now->id, old, now->refcount);
        if (e) e->line = t->last_line;      /* the line that ran since the last step */
    }
}

static void events_json(PmTrace *t, PmTraceBuf *b)
{
    pm_trace_buf_puts(b, "\"events\":[");
    for (size_t i = 0; i < t->ring_n; i++) {
        if (i) pm_trace_buf_puts(b, ",");
        event_json(b, &t->ring[(t->ring_start + i) % RING_CAP]);
    }
    pm_trace_buf_printf(b, "],\"eventsDropped\":%llu", (unsigned long long)t->dropped);
}

static void take_step(PmVM *vm, PmTrace *t, const char *kind, int line, PmFrame *top, int pc,
                      PmObject *globals)
{
    t->in_step = true;
    PmTraceBuf *b = &t->step;
    b->len = 0;
    b->failed = false;
    pm_trace_buf_printf(b, "{\"index\":%zu,\"line\":%d,\"kind\":\"%s\",\"stdoutLength\":%zu,"
                        "\"stderrLength\":%zu,", t->nsteps, line, kind,
                        stream_length(vm, t, PML_STDOUT), stream_length(vm, t, PML_STDERR));
    PmTraceWalk w = {0};
    w.vm = vm;
    w.preexisting = &t->preexisting;
    w.globals = globals;
    w.end_line = line;
    w.top = top;
    w.top_pc = pc;
    w.max_objects = t->opts.max_objects;
    w.snap = &t->snaps[t->cur];
    pm_trace_snapshot_write(&w, b);
    pm_trace_buf_puts(b, ",");
    freed_json(t, b);
    pm_trace_buf_puts(b, ",");
    gc_json(vm, b);
    pm_trace_buf_puts(b, ",\"collections\":[");
    if (t->collections.len) pm_trace_buf_put(b, t->collections.data, t->collections.len);
    pm_trace_buf_printf(b, "],\"collectionsDropped\":%d},", t->collections_dropped);
    tracemalloc_json(vm, b);
    pm_trace_buf_puts(b, ",");
    pools_json(vm, b);
    pm_trace_buf_puts(b, ",");
    derive_refchanges(vm, t);
    events_json(t, b);
    pm_trace_buf_puts(b, "}");
    if (b->failed || t->steps.len + b->len + 2 > MAX_RECORDING_BYTES) {
        t->truncated = t->bound_hit = true;
    } else {
        if (t->nsteps) pm_trace_buf_puts(&t->steps, ",");
        pm_trace_buf_put(&t->steps, b->data, b->len);
        t->nsteps++;
        t->last_line = line;
    }
    /* the next step compares with this one */
    t->cur ^= 1;
    pm_trace_map_clear(&t->allocs);
    pm_trace_map_clear(&t->pending_free);
    t->ring_start = t->ring_n = 0;
    t->dropped = 0;
    t->collections.len = 0;
    t->collections.failed = false;
    t->ncollections = t->collections_dropped = 0;
    t->in_step = false;
}

/* Stop the run because the recording is full (vm->limit_hit skips every handler). */
static int stop_run(PmVM *vm, PmTrace *t)
{
    t->bound_hit = t->truncated = true;
    t->stopped = true;
    vm->limit_hit = 1;
    PmErr_SetString(vm, PME(vm, RuntimeError), "recording step limit reached");
    return -1;
}

int pm_trace_line(PmVM *vm, PmFrame *f, int pc)
{
    PmTrace *t = vm->trace;
    if (!active(t) || t->in_step || vm->gc.collecting) return 0;
    PmCode *co = f->f_code;
    int line = co->co_positions[pc].lineno;
    int prev = f->lasti;
    if (prev >= 0 && pc > prev && co->co_positions[prev].lineno == line &&
        PM_OP(co->co_code[prev]) != OP_YIELD_VALUE)
        return 0;
    if (line <= 0 || !pm_trace_is_program_code(vm, co)) return 0;
    if (t->bound_hit || t->nsteps >= t->opts.max_steps) return stop_run(vm, t);
    take_step(vm, t, "line", line, f, pc, NULL);
    if (t->bound_hit) return stop_run(vm, t);
    return 0;
}

void pm_trace_run_start(PmVM *vm)
{
    PmTrace *t = vm->trace;
    if (t == NULL || t->started) return;
    for (int g = 0; g < PM_GC_NUM_GENERATIONS; g++) {
        PmGCHead *head = &vm->gc.gen[g].head;
        for (PmGCHead *h = head->gc_next; h != head; h = h->gc_next)
            pm_trace_map_put(&t->preexisting, (uintptr_t)Pm_FROM_GC(h), 1);
    }
    PmGCHead *perm = &vm->gc.permanent;
    for (PmGCHead *h = perm->gc_next; h != perm; h = h->gc_next)
        pm_trace_map_put(&t->preexisting, (uintptr_t)Pm_FROM_GC(h), 1);
    t->started = true;
}

void pm_trace_run_end(PmVM *vm, PmObject *main_dict, bool raised)
{
    PmTrace *t = vm->trace;
    if (!active(t)) return;
    if (vm->limit_hit) t->truncated = true;
    if (t->nsteps < t->opts.max_steps && !t->bound_hit)
        take_step(vm, t, raised ? "exception" : "end", t->last_line, NULL, -1, main_dict);
    t->stopped = true;
}

const char *pm_trace_limit_message(PmVM *vm)
{
    PmTrace *t = vm->trace;
    if (t == NULL || !t->bound_hit) return NULL;
    return "PyMemLab: the recording was stopped: it reached its step limit.\n";
}

/* ------------------------------------------------------------------ results */

static struct PmTraceResult *result(PmVM *vm)
{
    if (vm->trace_result == NULL) vm->trace_result = calloc(1, sizeof *vm->trace_result);
    return vm->trace_result;
}

void pm_trace_discard(PmVM *vm)
{
    if (vm->trace || vm->trace_result == NULL) return;
    pm_trace_buf_free(&vm->trace_result->recording);
    pm_trace_buf_free(&vm->trace_result->snapshot);
}

void pm_trace_vm_free(PmVM *vm)
{
    if (vm->trace_result) {
        pm_trace_buf_free(&vm->trace_result->recording);
        pm_trace_buf_free(&vm->trace_result->snapshot);
        free(vm->trace_result);
        vm->trace_result = NULL;
    }
}

static void trace_free(PmTrace *t)
{
    pm_trace_map_free(&t->preexisting);
    pm_trace_snap_free(&t->snaps[0]);
    pm_trace_snap_free(&t->snaps[1]);
    pm_trace_map_free(&t->allocs);
    pm_trace_map_free(&t->pending_free);
    free(t->ring);
    pm_trace_buf_free(&t->collections);
    pm_trace_buf_free(&t->steps);
    pm_trace_buf_free(&t->step);
    pm_trace_buf_free(&t->out);
    pm_trace_buf_free(&t->err);
    free(t);
}

static const char *status_name(pml_status st)
{
    switch (st) {
    case PML_OK: return "ok";
    case PML_SYNTAX_ERROR: return "syntax-error";
    case PML_LIMIT: return "limit";
    default: return "exception";
    }
}

static void write_recording(PmTrace *t, PmTraceBuf *b, const char *filename, pml_status st)
{
    pm_trace_buf_puts(b, "{\"version\":1,\"filename\":");
    pm_trace_buf_json_str(b, filename, strlen(filename));
    pm_trace_buf_printf(b, ",\"status\":\"%s\",\"truncated\":%s,\"stdout\":", status_name(st),
                        t->truncated ? "true" : "false");
    pm_trace_buf_json_str(b, t->out.data ? t->out.data : "", t->out.len);
    pm_trace_buf_puts(b, ",\"stderr\":");
    pm_trace_buf_json_str(b, t->err.data ? t->err.data : "", t->err.len);
    pm_trace_buf_puts(b, ",\"steps\":[");
    if (t->steps.len) pm_trace_buf_put(b, t->steps.data, t->steps.len);
    pm_trace_buf_puts(b, "]}");
}

pml_status pml_record(pml_vm *lab, const char *src, size_t len, const char *filename,
                      const pml_record_options *opts)
{
    PmVM *vm = (PmVM *)lab;
    if (vm->trace) return PML_INTERNAL;          /* a recording cannot nest */
    pm_trace_discard(vm);
    struct PmTraceResult *res = result(vm);
    PmTrace *t = calloc(1, sizeof *t);
    if (res == NULL || t == NULL) {
        free(t);
        return PML_INTERNAL;
    }
    if (opts) t->opts = *opts;
    if (t->opts.max_steps == 0) t->opts.max_steps = DEFAULT_MAX_STEPS;
    if (t->opts.max_objects == 0) t->opts.max_objects = DEFAULT_MAX_OBJECTS;
    if (t->opts.events && (t->ring = malloc(RING_CAP * sizeof *t->ring)) == NULL) {
        free(t);
        return PML_INTERNAL;
    }
    t->host_write = vm->write;
    t->host_userdata = vm->userdata;
    vm->write = capture_write;
    vm->userdata = t;
    if (!vm->gc.record) {
        pm_gc_record_enable(vm, 1);
        t->gc_record_ours = true;
    }
    vm->trace = t;
    pm_eval_break(vm);      /* every instruction takes the slow path while recording */
    pml_status st = pml_run(lab, src, len, filename);
    vm->trace = NULL;
    pm_eval_break(vm);
    vm->write = t->host_write;
    vm->userdata = t->host_userdata;
    if (t->gc_record_ours) pm_gc_record_enable(vm, 0);
    write_recording(t, &res->recording, filename ? filename : "<string>", st);
    if (res->recording.failed) pm_trace_buf_free(&res->recording);
    trace_free(t);
    return st;
}

const char *pml_recording_json(pml_vm *lab, size_t *len)
{
    PmVM *vm = (PmVM *)lab;
    PmTraceBuf *b = vm->trace_result ? &vm->trace_result->recording : NULL;
    if (len) *len = b && b->data ? b->len : 0;
    return b ? b->data : NULL;
}

const char *pml_snapshot_json(pml_vm *lab, size_t *len)
{
    PmVM *vm = (PmVM *)lab;
    struct PmTraceResult *res = result(vm);
    if (len) *len = 0;
    if (res == NULL) return NULL;
    PmTraceBuf *b = &res->snapshot;
    pm_trace_buf_free(b);
    PmTraceSnap snap = {0};
    PmTraceWalk w = {0};
    w.vm = vm;
    w.preexisting = vm->trace ? &vm->trace->preexisting : NULL;
    w.globals = vm->frame == NULL ? vm->main_dict : NULL;
    w.end_line = pm_trace_current_line(vm);
    w.top_pc = -1;
    w.max_objects = vm->trace ? vm->trace->opts.max_objects : DEFAULT_MAX_OBJECTS;
    w.snap = &snap;
    pm_trace_buf_printf(b, "{\"line\":%d,", w.end_line);
    pm_trace_snapshot_write(&w, b);
    pm_trace_buf_puts(b, ",");
    gc_json(vm, b);
    pm_trace_buf_puts(b, "}}");
    pm_trace_snap_free(&snap);
    if (b->failed) {
        pm_trace_buf_free(b);
        return NULL;
    }
    if (len) *len = b->len;
    return b->data;
}
