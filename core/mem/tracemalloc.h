/*
 * tracemalloc.h -- CPython 3.11's tracemalloc as a layer over the core's allocator
 * (Modules/_tracemalloc.c; the Python side is lib/tracemallocmodule.c).
 *
 * Where it sits (STYLE.md 10):
 *
 *     pm_object_alloc / pm_mem_alloc / pm_mem_realloc / pm_mem_free   (object/alloc.c)
 *              |  model size --> pm_tracemalloc_{track,retrack,untrack} (this layer)
 *     vm->mem: the pymalloc model                                      (mem/obmalloc.c)
 *
 * The layer is a hook rather than a PmAllocator wrapping pymalloc because what tracemalloc
 * reports is the size CPython 3.11 *requests* (the `model` argument of alloc.c), while the
 * byte-level vtable only ever sees max(real, model).  The hook runs after the layer below
 * succeeded, exactly where CPython's tracemalloc_alloc/realloc/free add and remove traces.
 *
 * What is recorded, as CPython does:
 *   - a trace per live block allocated while tracing: {block address -> requested size,
 *     traceback}.  A free removes it; a realloc removes the old address's trace and traces
 *     the new address with the new size and the *current* traceback (so a list's item array
 *     is charged to the line that last resized it).  A block allocated before start() has
 *     no trace; reallocating it while tracing gives it one.
 *   - a traceback is the Python frames of vm->frame, most recent first, at most
 *     max_nframe of them (total_nframe counts them all, capped at 65535).  Frames still in
 *     their prologue (lasti < 0, or at RETURN_GENERATOR: CPython's _PyFrame_IsIncomplete)
 *     are skipped.  No frame at all gives the traceback (("<unknown>", 0),).
 *   - objects reused from a free list are not allocated: their block keeps its trace (or
 *     its lack of one), and pm_tracemalloc_new_reference (CPython's _Py_NewReference ->
 *     _PyTraceMalloc_NewReference) moves an existing trace to the current traceback.
 *   - tracebacks are interned (one copy per distinct traceback) and hold strong references
 *     to their filename str objects (CPython's tracemalloc_filenames), released by
 *     clear_traces() and stop().
 *
 * All of it lives in host memory (malloc), never in the modelled heap, and belongs to one
 * VM: PmVM.tracemalloc.  While `reentrant` is set (building _get_traces' result), new
 * blocks are not traced, as CPython's set_reentrant(1).
 *
 * Invariants (pm_tracemalloc_check verifies them):
 *   - tracing == false  =>  no traces, no tracebacks, no filenames, traced == peak == 0;
 *   - traced == sum of the traces' sizes <= peak;
 *   - every trace's traceback is in the interned set, and every frame's filename is in
 *     `filenames` (which holds one strong reference per entry);
 *   - the traces table is open addressing with linear probing: every live key is reachable
 *     from its home slot without crossing an empty slot; ntraces <= mask / 2.
 */
#ifndef PM_MEM_TRACEMALLOC_H
#define PM_MEM_TRACEMALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "object/object.h"

/* CPython's MAX_NFRAME: traceback_t.nframe is a uint16_t. */
#define PM_TRACEMALLOC_MAX_NFRAME 65535
/* Host memory the tables may take (a lab must not exhaust the page's memory through its
 * traces): past it, a new trace cannot be stored and the allocation fails with
 * MemoryError, as CPython's does when its tables cannot grow. */
#define PM_TRACEMALLOC_HOST_LIMIT ((size_t)128 << 20)

typedef struct PmTmFrame {
    PmObject *filename;              /* a str in PmTraceMalloc.filenames (the code's co_filename) */
    unsigned int lineno;
} PmTmFrame;

typedef struct PmTmTraceback {
    uint64_t hash;
    uint16_t nframe;                 /* frames stored (<= max_nframe) */
    uint16_t total_nframe;           /* frames the stack had */
    PmTmFrame frames[];              /* most recent first */
} PmTmTraceback;

typedef struct PmTmTrace {
    uintptr_t key;                   /* block address; 0: empty slot */
    size_t size;                     /* CPython's requested size */
    PmTmTraceback *traceback;
    uint64_t seq;                    /* order of tracing: _get_traces lists oldest first */
} PmTmTrace;

/* CPython's _Py_hashtable_t bucket counts, simulated so that get_tracemalloc_memory()
 * reports what CPython's tables would take for the same entries. */
typedef struct PmTmTableSim {
    size_t nentries, nbuckets;
} PmTmTableSim;

typedef struct PmTraceMalloc {
    bool tracing;
    int reentrant;
    int max_nframe;                  /* get_traceback_limit(); 0 means never started (1) */
    size_t traced, peak;             /* current and peak traced bytes */
    uint64_t next_seq;
    /* traces: open addressing, mask + 1 slots (a power of two), or NULL */
    PmTmTrace *traces;
    size_t traces_mask, ntraces;
    /* interned tracebacks: open addressing by hash, tb_mask + 1 slots, or NULL */
    PmTmTraceback **tbs;
    size_t tbs_mask, ntbs;
    /* interned filenames (strong references) */
    PmObject **filenames;
    size_t nfilenames, filenames_cap;
    PmObject *unknown;               /* "<unknown>" (strong), for allocations outside frames */
    PmTmTraceback *scratch;          /* room for max_nframe frames */
    size_t host_bytes;               /* tables, tracebacks, filename array (host memory) */
    PmTmTableSim sim_traces, sim_tbs, sim_filenames;
} PmTraceMalloc;

/* ---- the hooks object/alloc.c calls (only when vm->tracemalloc.tracing) -------------- */

/* A new block p of `size` requested bytes.  -1 (no exception set) if the trace could not
 * be stored: the caller frees p and fails, as CPython's tracemalloc_alloc does. */
int pm_tracemalloc_track(PmVM *vm, const void *p, size_t size);
/* Block `old` (may be NULL) was reallocated to `p` with `size` requested bytes. */
void pm_tracemalloc_retrack(PmVM *vm, const void *old, const void *p, size_t size);
/* Block p is being freed. */
void pm_tracemalloc_untrack(PmVM *vm, const void *p);
/* An object came back from a free list (CPython's _PyTraceMalloc_NewReference). */
void pm_tracemalloc_new_reference_slow(PmVM *vm, PmObject *o);
#define pm_tracemalloc_new_reference(vm, o) do { \
        if (PM_UNLIKELY((vm)->tracemalloc.tracing)) \
            pm_tracemalloc_new_reference_slow((vm), (PmObject *)(o)); } while (0)

/* ---- control (the _tracemalloc module) ------------------------------------------------ */

/* start(nframe): 0, or -1 with ValueError / MemoryError set. */
int pm_tracemalloc_start(PmVM *vm, long nframe);
/* stop(): stop tracing and forget every trace (also at the end of a run and in pml_free). */
void pm_tracemalloc_stop(PmVM *vm);
void pm_tracemalloc_clear_traces(PmVM *vm);
int pm_tracemalloc_traceback_limit(const PmVM *vm);
void pm_tracemalloc_traced_memory(const PmVM *vm, size_t *current, size_t *peak);
void pm_tracemalloc_reset_peak(PmVM *vm);
size_t pm_tracemalloc_memory(const PmVM *vm);    /* get_tracemalloc_memory() */
/* _get_traces(): list of (domain, size, traceback tuple, total_nframe), oldest trace first;
 * the objects it builds are not traced.  New reference or NULL. */
PmObject *pm_tracemalloc_get_traces(PmVM *vm);
/* _get_object_traceback(obj): tuple of (filename, lineno), most recent first, or None. */
PmObject *pm_tracemalloc_object_traceback(PmVM *vm, PmObject *obj);
/* Debug check of the invariants above: NULL if they hold, else a message. */
const char *pm_tracemalloc_check(PmVM *vm);

/* ---- the modules (lib/tracemallocmodule.c) ------------------------------------------- */

PmObject *pm_tracemallocmodule_init_c(PmVM *vm);     /* _tracemalloc */
PmObject *pm_tracemallocmodule_init(PmVM *vm);       /* tracemalloc (Python source) */
/* End of a run (vm/init.c, before the final collection): stop tracing and forget the
 * modules, so that the next run imports tracemalloc afresh, as a new process would (the
 * import sets the free lists the way CPython's import leaves them). */
void pm_tracemalloc_end_run(PmVM *vm);

#endif /* PM_MEM_TRACEMALLOC_H */
