/*
 * tracemalloc.c -- the tracing layer: traces, interned tracebacks and filenames
 * (CPython 3.11's Modules/_tracemalloc.c).  What it records and why is in tracemalloc.h.
 *
 * Everything here uses host memory (malloc/free) and never allocates in the modelled heap,
 * so the hooks cannot re-enter the allocator.  The only Python objects touched are the
 * filename strs (increfed while a traceback uses them) and the results built for
 * _get_traces / _get_object_traceback.
 */
#include "pm.h"
#include "lang/opcode.h"

#define TM(vm) (&(vm)->tracemalloc)

/* ------------------------------------------------------------------ CPython's table sizes */

/* _Py_hashtable_t on 64-bit CPython: 80-byte header, 8-byte bucket pointers, 32-byte
 * entries; 16 buckets at least, grown past a 0.5 load, shrunk under 0.1, rehashed to
 * round_size(n * 2 / 0.6). */
enum { SIM_HEADER = 80, SIM_BUCKET = 8, SIM_ENTRY = 32, SIM_MIN = 16 };

static size_t sim_round(size_t s)
{
    if (s < SIM_MIN) return SIM_MIN;
    size_t i = 1;
    while (i < s) i <<= 1;
    return i;
}

static void sim_rehash(PmTmTableSim *t)
{
    t->nbuckets = sim_round((size_t)((double)t->nentries * (2.0 / (0.10f + 0.50f))));
}

static void sim_add(PmTmTableSim *t)
{
    if (t->nbuckets == 0) t->nbuckets = SIM_MIN;
    t->nentries++;
    if ((float)t->nentries / (float)t->nbuckets > 0.50f) sim_rehash(t);
}

static void sim_remove(PmTmTableSim *t)
{
    t->nentries--;
    if ((float)t->nentries / (float)t->nbuckets < 0.10f) sim_rehash(t);
}

static void sim_clear(PmTmTableSim *t)
{
    t->nentries = 0;
    t->nbuckets = SIM_MIN;
}

static size_t sim_size(const PmTmTableSim *t)
{
    size_t nb = t->nbuckets ? t->nbuckets : SIM_MIN;
    return SIM_HEADER + nb * SIM_BUCKET + t->nentries * SIM_ENTRY;
}

/* ------------------------------------------------------------------ host memory */

/* Account for `add` more bytes of host memory (and `drop` fewer); false when that would
 * pass PM_TRACEMALLOC_HOST_LIMIT. */
static bool host_take(PmTraceMalloc *tm, size_t add, size_t drop)
{
    if (add > drop && add - drop > PM_TRACEMALLOC_HOST_LIMIT - tm->host_bytes) return false;
    tm->host_bytes = tm->host_bytes + add - drop;
    return true;
}

/* ------------------------------------------------------------------ traces table */

static size_t ptr_hash(uintptr_t key)
{
    uint64_t x = (uint64_t)key >> 4;
    x *= 0x9E3779B97F4A7C15ull;
    return (size_t)(x >> 17);
}

static PmTmTrace *trace_find(PmTraceMalloc *tm, uintptr_t key)
{
    if (tm->traces == NULL) return NULL;
    for (size_t i = ptr_hash(key) & tm->traces_mask;; i = (i + 1) & tm->traces_mask) {
        PmTmTrace *t = &tm->traces[i];
        if (t->key == key) return t;
        if (t->key == 0) return NULL;
    }
}

static int traces_grow(PmTraceMalloc *tm)
{
    size_t old = tm->traces ? tm->traces_mask + 1 : 0;
    size_t cap = old ? old * 2 : 1024;
    if (!host_take(tm, cap * sizeof(PmTmTrace), old * sizeof(PmTmTrace))) return -1;
    PmTmTrace *n = calloc(cap, sizeof(PmTmTrace));
    if (n == NULL) {
        tm->host_bytes -= (cap - old) * sizeof(PmTmTrace);
        return -1;
    }
    for (size_t i = 0; tm->traces && i <= tm->traces_mask; i++) {
        PmTmTrace *t = &tm->traces[i];
        if (t->key == 0) continue;
        size_t j = ptr_hash(t->key) & (cap - 1);
        while (n[j].key != 0) j = (j + 1) & (cap - 1);
        n[j] = *t;
    }
    free(tm->traces);
    tm->traces = n;
    tm->traces_mask = cap - 1;
    return 0;
}

/* Slot for a new key (the key is not in the table). */
static PmTmTrace *trace_insert(PmTraceMalloc *tm, uintptr_t key)
{
    if ((tm->traces == NULL || tm->ntraces + 1 > tm->traces_mask / 2) && traces_grow(tm) < 0)
        return NULL;
    size_t i = ptr_hash(key) & tm->traces_mask;
    while (tm->traces[i].key != 0) i = (i + 1) & tm->traces_mask;
    tm->traces[i].key = key;
    tm->ntraces++;
    sim_add(&tm->sim_traces);
    return &tm->traces[i];
}

/* Remove the trace in slot t, shifting later members of its cluster back (Knuth's
 * algorithm R), so lookups never need tombstones. */
static void trace_delete(PmTraceMalloc *tm, PmTmTrace *t)
{
    size_t mask = tm->traces_mask;
    size_t i = (size_t)(t - tm->traces);
    tm->traces[i].key = 0;
    for (size_t j = (i + 1) & mask; tm->traces[j].key != 0; j = (j + 1) & mask) {
        size_t home = ptr_hash(tm->traces[j].key) & mask;
        /* move j to the hole i unless home lies cyclically in (i, j] */
        bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (stays) continue;
        tm->traces[i] = tm->traces[j];
        tm->traces[j].key = 0;
        i = j;
    }
    tm->ntraces--;
    sim_remove(&tm->sim_traces);
}

/* ------------------------------------------------------------------ filenames */

static PmObject *intern_filename(PmTraceMalloc *tm, PmObject *name)
{
    for (size_t i = 0; i < tm->nfilenames; i++)
        if (tm->filenames[i] == name) return name;
    for (size_t i = 0; i < tm->nfilenames; i++)
        if (PmStr_Equal(tm->filenames[i], name)) return tm->filenames[i];
    if (tm->nfilenames == tm->filenames_cap) {
        size_t cap = tm->filenames_cap ? tm->filenames_cap * 2 : 8;
        if (!host_take(tm, cap * sizeof(PmObject *), tm->filenames_cap * sizeof(PmObject *)))
            return NULL;
        PmObject **n = realloc(tm->filenames, cap * sizeof(PmObject *));
        if (n == NULL) {
            tm->host_bytes -= (cap - tm->filenames_cap) * sizeof(PmObject *);
            return NULL;
        }
        tm->filenames = n;
        tm->filenames_cap = cap;
    }
    tm->filenames[tm->nfilenames++] = Pm_NewRef(name);
    sim_add(&tm->sim_filenames);
    return name;
}

/* ------------------------------------------------------------------ tracebacks */

static size_t traceback_bytes(int nframe)
{
    return sizeof(PmTmTraceback) + (size_t)nframe * sizeof(PmTmFrame);
}

static uint64_t traceback_hash(const PmTmTraceback *tb)
{
    /* tuplehash-like mixing of (filename identity, lineno) pairs; filenames are interned */
    uint64_t x = 0x345678u, mult = 1000003u;
    for (int i = 0; i < tb->nframe; i++) {
        uint64_t y = (uint64_t)(uintptr_t)tb->frames[i].filename * 0x9E3779B97F4A7C15ull;
        y ^= tb->frames[i].lineno;
        x = (x ^ y) * mult;
        mult += 82520u + 2u * (uint64_t)(tb->nframe - i);
    }
    return (x ^ tb->total_nframe) + 97531u;
}

static bool traceback_equal(const PmTmTraceback *a, const PmTmTraceback *b)
{
    if (a->hash != b->hash || a->nframe != b->nframe || a->total_nframe != b->total_nframe)
        return false;
    for (int i = 0; i < a->nframe; i++) {
        if (a->frames[i].filename != b->frames[i].filename ||
            a->frames[i].lineno != b->frames[i].lineno)
            return false;
    }
    return true;
}

static int tbs_grow(PmTraceMalloc *tm)
{
    size_t old = tm->tbs ? tm->tbs_mask + 1 : 0;
    size_t cap = old ? old * 2 : 256;
    if (!host_take(tm, cap * sizeof(PmTmTraceback *), old * sizeof(PmTmTraceback *))) return -1;
    PmTmTraceback **n = calloc(cap, sizeof(PmTmTraceback *));
    if (n == NULL) {
        tm->host_bytes -= (cap - old) * sizeof(PmTmTraceback *);
        return -1;
    }
    for (size_t i = 0; tm->tbs && i <= tm->tbs_mask; i++) {
        PmTmTraceback *t = tm->tbs[i];
        if (t == NULL) continue;
        size_t j = (size_t)t->hash & (cap - 1);
        while (n[j] != NULL) j = (j + 1) & (cap - 1);
        n[j] = t;
    }
    free(tm->tbs);
    tm->tbs = n;
    tm->tbs_mask = cap - 1;
    return 0;
}

/* The interned copy of tb (made if new), or NULL when out of host memory. */
static PmTmTraceback *intern_traceback(PmTraceMalloc *tm, const PmTmTraceback *tb)
{
    if ((tm->tbs == NULL || tm->ntbs + 1 > tm->tbs_mask / 2) && tbs_grow(tm) < 0) return NULL;
    size_t i = (size_t)tb->hash & tm->tbs_mask;
    for (; tm->tbs[i] != NULL; i = (i + 1) & tm->tbs_mask)
        if (traceback_equal(tm->tbs[i], tb)) return tm->tbs[i];
    size_t n = traceback_bytes(tb->nframe);
    if (!host_take(tm, n, 0)) return NULL;
    PmTmTraceback *copy = malloc(n);
    if (copy == NULL) {
        tm->host_bytes -= n;
        return NULL;
    }
    memcpy(copy, tb, n);
    tm->tbs[i] = copy;
    tm->ntbs++;
    sim_add(&tm->sim_tbs);
    return copy;
}

/* CPython's _PyFrame_IsIncomplete: still setting up cells/arguments, or at the
 * RETURN_GENERATOR that moves the frame into its generator. */
static bool frame_incomplete(const PmFrame *f)
{
    if (f->lasti < 0) return true;
    PmCode *co = f->f_code;
    return f->lasti < co->co_ncode && PM_OP(co->co_code[f->lasti]) == OP_RETURN_GENERATOR;
}

/* The current traceback (interned), or NULL when out of host memory. */
static PmTmTraceback *current_traceback(PmVM *vm)
{
    PmTraceMalloc *tm = TM(vm);
    PmTmTraceback *tb = tm->scratch;
    tb->nframe = 0;
    tb->total_nframe = 0;
    for (PmFrame *f = vm->frame; f != NULL; f = f->previous) {
        if (frame_incomplete(f)) continue;
        if (tb->nframe < tm->max_nframe) {
            PmCode *co = f->f_code;
            PmObject *fn = co->co_filename && PmStr_Check(co->co_filename) ? co->co_filename
                                                                           : tm->unknown;
            fn = intern_filename(tm, fn);
            if (fn == NULL) return NULL;
            int line = pm_code_line(co, f->lasti);
            tb->frames[tb->nframe].filename = fn;
            tb->frames[tb->nframe].lineno = line < 0 ? 0u : (unsigned int)line;
            tb->nframe++;
        }
        if (tb->total_nframe < UINT16_MAX) tb->total_nframe++;
    }
    if (tb->nframe == 0) {
        /* CPython's tracemalloc_empty_traceback */
        PmObject *fn = intern_filename(tm, tm->unknown);
        if (fn == NULL) return NULL;
        tb->nframe = tb->total_nframe = 1;
        tb->frames[0].filename = fn;
        tb->frames[0].lineno = 0;
    }
    tb->hash = traceback_hash(tb);
    return intern_traceback(tm, tb);
}

/* ------------------------------------------------------------------ the hooks */

static int add_trace(PmVM *vm, uintptr_t key, size_t size)
{
    PmTraceMalloc *tm = TM(vm);
    PmTmTraceback *tb = current_traceback(vm);
    if (tb == NULL) return -1;
    PmTmTrace *t = trace_find(tm, key);
    if (t != NULL) {
        /* the block is already traced: CPython updates its size and traceback */
        tm->traced -= t->size;
    } else {
        t = trace_insert(tm, key);
        if (t == NULL) return -1;
        t->seq = tm->next_seq++;
    }
    t->size = size;
    t->traceback = tb;
    tm->traced += size;
    if (tm->traced > tm->peak) tm->peak = tm->traced;
    return 0;
}

static void remove_trace(PmVM *vm, uintptr_t key)
{
    PmTraceMalloc *tm = TM(vm);
    PmTmTrace *t = trace_find(tm, key);
    if (t == NULL) return;
    tm->traced -= t->size;
    trace_delete(tm, t);
}

int pm_tracemalloc_track(PmVM *vm, const void *p, size_t size)
{
    if (!TM(vm)->tracing || TM(vm)->reentrant) return 0;
    return add_trace(vm, (uintptr_t)p, size);
}

void pm_tracemalloc_retrack(PmVM *vm, const void *old, const void *p, size_t size)
{
    PmTraceMalloc *tm = TM(vm);
    if (!tm->tracing) return;
    if (old != NULL && old != p) remove_trace(vm, (uintptr_t)old);
    if (tm->reentrant) {
        if (old != NULL) remove_trace(vm, (uintptr_t)p);
        return;
    }
    /* CPython aborts if it cannot store the trace of a resized block (the old size is
     * gone); the lab cannot abort, so the block is left untraced instead. */
    if (add_trace(vm, (uintptr_t)p, size) < 0) remove_trace(vm, (uintptr_t)p);
}

void pm_tracemalloc_untrack(PmVM *vm, const void *p)
{
    if (TM(vm)->tracing && p != NULL) remove_trace(vm, (uintptr_t)p);
}

/* The address tracemalloc looks an object up by: CPython's `obj - sizeof(PyGC_Head)` for
 * GC objects, the object itself otherwise. */
static uintptr_t object_key(PmObject *o)
{
    return PmObject_IS_GC(o) ? (uintptr_t)Pm_AS_GC(o) : (uintptr_t)o;
}

void pm_tracemalloc_new_reference_slow(PmVM *vm, PmObject *o)
{
    PmTraceMalloc *tm = TM(vm);
    if (!tm->tracing || tm->reentrant) return;
    PmTmTrace *t = trace_find(tm, object_key(o));
    if (t == NULL) return;           /* allocated before start(): stays untraced */
    PmTmTraceback *tb = current_traceback(vm);
    if (tb != NULL) t->traceback = tb;
}

/* ------------------------------------------------------------------ control */

/* Forget every trace, traceback and filename.  Releasing the filenames may free objects,
 * which calls the hooks again: the tables are already empty by then. */
static void clear_tables(PmVM *vm)
{
    PmTraceMalloc *tm = TM(vm);
    free(tm->traces);
    tm->traces = NULL;
    tm->traces_mask = tm->ntraces = 0;
    for (size_t i = 0; tm->tbs && i <= tm->tbs_mask; i++) free(tm->tbs[i]);
    free(tm->tbs);
    tm->tbs = NULL;
    tm->tbs_mask = tm->ntbs = 0;
    tm->traced = tm->peak = 0;
    sim_clear(&tm->sim_traces);
    sim_clear(&tm->sim_tbs);
    sim_clear(&tm->sim_filenames);
    PmObject **names = tm->filenames;
    size_t n = tm->nfilenames;
    tm->filenames = NULL;
    tm->nfilenames = tm->filenames_cap = 0;
    tm->host_bytes = 0;
    tm->reentrant++;
    for (size_t i = 0; i < n; i++) Pm_DECREF(vm, names[i]);
    tm->reentrant--;
    free(names);
}

int pm_tracemalloc_start(PmVM *vm, long nframe)
{
    PmTraceMalloc *tm = TM(vm);
    if (nframe < 1 || nframe > PM_TRACEMALLOC_MAX_NFRAME) {
        PmErr_Format(vm, PME(vm, ValueError), "the number of frames must be in range [1; %d]",
                     PM_TRACEMALLOC_MAX_NFRAME);
        return -1;
    }
    if (tm->tracing) return 0;       /* already tracing: the limit does not change */
    if (tm->unknown == NULL) {
        tm->unknown = PmStr_InternFromString(vm, "<unknown>");
        if (tm->unknown == NULL) return -1;
    }
    PmTmTraceback *scratch = malloc(traceback_bytes((int)nframe));
    if (scratch == NULL) {
        PmErr_NoMemory(vm);
        return -1;
    }
    tm->scratch = scratch;
    tm->max_nframe = (int)nframe;
    sim_clear(&tm->sim_traces);
    sim_clear(&tm->sim_tbs);
    sim_clear(&tm->sim_filenames);
    tm->tracing = true;
    return 0;
}

void pm_tracemalloc_stop(PmVM *vm)
{
    PmTraceMalloc *tm = TM(vm);
    if (tm->tracing) {
        tm->tracing = false;
        clear_tables(vm);
        free(tm->scratch);
        tm->scratch = NULL;
    }
    Pm_CLEAR(vm, tm->unknown);
}

void pm_tracemalloc_clear_traces(PmVM *vm)
{
    if (TM(vm)->tracing) clear_tables(vm);
}

int pm_tracemalloc_traceback_limit(const PmVM *vm)
{
    return vm->tracemalloc.max_nframe > 0 ? vm->tracemalloc.max_nframe : 1;
}

void pm_tracemalloc_traced_memory(const PmVM *vm, size_t *current, size_t *peak)
{
    bool on = vm->tracemalloc.tracing;
    *current = on ? vm->tracemalloc.traced : 0;
    *peak = on ? vm->tracemalloc.peak : 0;
}

void pm_tracemalloc_reset_peak(PmVM *vm)
{
    if (TM(vm)->tracing) TM(vm)->peak = TM(vm)->traced;
}

size_t pm_tracemalloc_memory(const PmVM *vm)
{
    const PmTraceMalloc *tm = &vm->tracemalloc;
    return sim_size(&tm->sim_tbs) + sim_size(&tm->sim_filenames) + sim_size(&tm->sim_traces);
}

/* ------------------------------------------------------------------ Python views */

/* (filename, lineno) tuples, most recent first. */
static PmObject *traceback_tuple(PmVM *vm, const PmTmTraceback *tb)
{
    PmObject *t = PmTuple_New(vm, tb->nframe);
    if (t == NULL) return NULL;
    for (int i = 0; i < tb->nframe; i++) {
        PmObject *line = PmLong_FromUnsignedLongLong(vm, tb->frames[i].lineno);
        PmObject *fr = line ? PmTuple_Pack(vm, 2, tb->frames[i].filename, line) : NULL;
        Pm_XDECREF(vm, line);
        if (fr == NULL) {
            Pm_DECREF(vm, t);
            return NULL;
        }
        PmTuple_SET_ITEM(t, i, fr);
    }
    return t;
}

static int seq_order(const void *a, const void *b)
{
    uint64_t x = (*(const PmTmTrace *const *)a)->seq, y = (*(const PmTmTrace *const *)b)->seq;
    return x < y ? -1 : x > y;
}

/* One (domain, size, traceback, total_nframe) tuple; tracebacks shared through `memo`
 * (parallel arrays of interned traceback -> tuple), as CPython's intern table. */
typedef struct Memo {
    const PmTmTraceback **keys;
    PmObject **vals;
    size_t mask;
} Memo;

static PmObject *memo_traceback(PmVM *vm, Memo *m, const PmTmTraceback *tb)
{
    size_t i = (size_t)tb->hash & m->mask;
    for (; m->keys[i] != NULL; i = (i + 1) & m->mask)
        if (m->keys[i] == tb) return Pm_NewRef(m->vals[i]);
    PmObject *t = traceback_tuple(vm, tb);
    if (t == NULL) return NULL;
    m->keys[i] = tb;
    m->vals[i] = Pm_NewRef(t);
    return t;
}

static PmObject *trace_tuple(PmVM *vm, Memo *m, const PmTmTrace *tr)
{
    PmObject *dom = PmLong_FromSsize_t(vm, 0);
    PmObject *size = PmLong_FromUnsignedLongLong(vm, tr->size);
    PmObject *tb = memo_traceback(vm, m, tr->traceback);
    PmObject *total = PmLong_FromSsize_t(vm, tr->traceback->total_nframe);
    PmObject *res = NULL;
    if (dom && size && tb && total) {
        res = PmTuple_New(vm, 4);
        if (res) {
            PmTuple_SET_ITEM(res, 0, dom);
            PmTuple_SET_ITEM(res, 1, size);
            PmTuple_SET_ITEM(res, 2, tb);
            PmTuple_SET_ITEM(res, 3, total);
            return res;
        }
    }
    Pm_XDECREF(vm, dom);
    Pm_XDECREF(vm, size);
    Pm_XDECREF(vm, tb);
    Pm_XDECREF(vm, total);
    return NULL;
}

/* Fill `list` from a copy of the traces (taken before anything is built). */
static int fill_traces(PmVM *vm, PmObject *list, PmTmTrace **order, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n) cap <<= 1;
    Memo m = {calloc(cap, sizeof(void *)), calloc(cap, sizeof(PmObject *)), cap - 1};
    int r = 0;
    if (m.keys == NULL || m.vals == NULL) {
        PmErr_NoMemory(vm);
        r = -1;
    }
    for (size_t i = 0; i < n && r == 0; i++) {
        PmObject *t = trace_tuple(vm, &m, order[i]);
        r = t ? PmList_Append(vm, list, t) : -1;
        Pm_XDECREF(vm, t);
    }
    for (size_t i = 0; m.vals && i <= m.mask; i++) Pm_XDECREF(vm, m.vals[i]);
    free(m.keys);
    free(m.vals);
    return r;
}

PmObject *pm_tracemalloc_get_traces(PmVM *vm)
{
    PmTraceMalloc *tm = TM(vm);
    PmObject *list = PmList_New(vm, 0);
    if (list == NULL || !tm->tracing || tm->ntraces == 0) return list;
    /* CPython copies the table first; the copy is what the list shows, so blocks allocated
     * while building it (untraced anyway) or freed meanwhile do not matter */
    size_t n = tm->ntraces;
    PmTmTrace *copy = malloc(n * sizeof(PmTmTrace));
    PmTmTrace **order = malloc(n * sizeof(PmTmTrace *));
    if (copy == NULL || order == NULL) {
        free(copy);
        free(order);
        Pm_DECREF(vm, list);
        return PmErr_NoMemory(vm);
    }
    size_t k = 0;
    for (size_t i = 0; i <= tm->traces_mask; i++)
        if (tm->traces[i].key != 0) copy[k++] = tm->traces[i];
    for (size_t i = 0; i < n; i++) order[i] = &copy[i];
    qsort(order, n, sizeof(PmTmTrace *), seq_order);
    /* the tracebacks stay alive: clearing the tables is only possible from Python code,
     * which nothing below runs */
    tm->reentrant++;
    int r = fill_traces(vm, list, order, n);
    tm->reentrant--;
    free(order);
    free(copy);
    if (r < 0) Pm_CLEAR(vm, list);
    return list;
}

PmObject *pm_tracemalloc_object_traceback(PmVM *vm, PmObject *obj)
{
    PmTraceMalloc *tm = TM(vm);
    if (!tm->tracing) return Pm_RETURN_NONE(vm);
    /* An object with a managed dict (an ordinary instance) starts 16 bytes after its
     * block in CPython 3.11: the block begins with the dict/values pre-header, before the
     * GC head.  tracemalloc looks the object up at its GC head, which is not the start of
     * any block, so it finds nothing -- the model's block has no pre-header in front, so
     * the same lookup is answered here. */
    if (PmType_HasFeature(Pm_TYPE(obj), PM_TPFLAGS_MANAGED_DICT)) return Pm_RETURN_NONE(vm);
    PmTmTrace *t = trace_find(tm, object_key(obj));
    if (t == NULL) return Pm_RETURN_NONE(vm);
    PmTmTraceback *tb = t->traceback;
    tm->reentrant++;
    PmObject *res = traceback_tuple(vm, tb);
    tm->reentrant--;
    return res;
}

/* ------------------------------------------------------------------ checker */

const char *pm_tracemalloc_check(PmVM *vm)
{
    PmTraceMalloc *tm = TM(vm);
    if (!tm->tracing) {
        if (tm->ntraces || tm->ntbs || tm->nfilenames || tm->traced || tm->peak)
            return "tracemalloc: state left over while not tracing";
        return NULL;
    }
    size_t sum = 0, live = 0;
    for (size_t i = 0; tm->traces && i <= tm->traces_mask; i++) {
        PmTmTrace *t = &tm->traces[i];
        if (t->key == 0) continue;
        live++;
        sum += t->size;
        if (trace_find(tm, t->key) != t) return "tracemalloc: trace unreachable from its home slot";
        bool found = false;
        for (size_t j = 0; j <= tm->tbs_mask && !found; j++) found = tm->tbs[j] == t->traceback;
        if (!found) return "tracemalloc: trace with a traceback that is not interned";
        for (int f = 0; f < t->traceback->nframe; f++) {
            bool named = false;
            for (size_t j = 0; j < tm->nfilenames && !named; j++)
                named = tm->filenames[j] == t->traceback->frames[f].filename;
            if (!named) return "tracemalloc: frame filename not interned";
        }
    }
    if (live != tm->ntraces) return "tracemalloc: ntraces does not count the traces";
    if (tm->traces && tm->ntraces > tm->traces_mask / 2) return "tracemalloc: table too full";
    if (sum != tm->traced) return "tracemalloc: traced != sum of trace sizes";
    if (tm->traced > tm->peak) return "tracemalloc: traced > peak";
    return NULL;
}
