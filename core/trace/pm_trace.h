/*
 * pm_trace.h -- the recorder, the event log and heap snapshots (core/trace/).  INTERNAL:
 * include after pm.h.  The JSON these produce is fixed by core/trace/SNAPSHOT.md.
 *
 * ## Cost when off
 *
 * vm->trace is NULL unless pml_record is running.  Every hook below is called only behind
 * `if (PM_UNLIKELY(vm->trace != NULL))` at its call site, so a lab that does not record
 * pays one predictable branch per allocation, deallocation and bytecode, nothing more.
 *
 * ## What a snapshot may and may not do
 *
 * A snapshot is taken in the middle of a running program.  It must leave the program's
 * world exactly as it was: it never changes a reference count, never allocates in the
 * modelled heap (its buffers, maps and queues are host malloc), never runs Python code
 * (no __repr__, __sizeof__, __eq__ or __hash__ of the program's classes: reprs and sizes are
 * computed here from the objects' fields) and never starts a collection.  No step is taken
 * while the collector runs (vm->gc.collecting): the generation lists are being rearranged.
 *
 * ## Hook points (call sites)
 *
 *   vm/ceval.c          pm_trace_line          before an instruction (line stepping)
 *   vm/init.c           pm_trace_run_start / pm_trace_run_end, pm_trace_discard,
 *                       pm_trace_limit_message, pm_trace_free
 *   object/alloc.c      pm_trace_alloc         a new object (pm_object_alloc)
 *                       pm_trace_free          its memory released (pm_object_free)
 *   object/{list,tuple,dict,float}.c
 *                       pm_trace_alloc         a new object taken from a free list
 *   object/object.c     pm_trace_dealloc       refcount reached 0 (pm_dealloc), whatever
 *                                              happens to the memory (free list, pymalloc)
 *   gc/gcrecord.c       pm_trace_gc_begin / pm_trace_gc_end   each collection
 *   object/typeobject.c pm_trace_finalize      a __del__ is about to run
 *   object/weakrefobject.c pm_trace_weakref    a weakref cleared / its callback called
 */
#ifndef PM_TRACE_H
#define PM_TRACE_H

#include "pm.h"

#include <inttypes.h>

struct PmGCRecord;
typedef struct PmTrace PmTrace;

/* Hooks (only while vm->trace != NULL). */
void pm_trace_alloc(PmVM *vm, PmObject *o, bool from_freelist);
void pm_trace_dealloc(PmVM *vm, PmObject *o);
/* Before instruction `pc` of frame `f` runs (f->lasti is still the previous one).  Returns
 * 0, or -1 with an exception set when the recording's step bound stops the run. */
int pm_trace_line(PmVM *vm, PmFrame *f, int pc);
void pm_trace_gc_begin(PmVM *vm, int generation);
void pm_trace_gc_end(PmVM *vm, const struct PmGCRecord *r);
void pm_trace_finalize(PmVM *vm, PmObject *o);
enum { PM_TRACE_WR_CLEARED = 1, PM_TRACE_WR_CALLBACK = 2 };
void pm_trace_weakref(PmVM *vm, int kind, PmObject *wr);

/* vm/init.c: the module body is about to run (main_dict made, code compiled), and it has
 * returned or raised (before the uncaught exception is printed and __main__ torn down).
 * `raised`: the run is ending with an exception. */
void pm_trace_run_start(PmVM *vm);
void pm_trace_run_end(PmVM *vm, PmObject *main_dict, bool raised);
/* The message report_exception prints when the recording's step bound stopped the run, or
 * NULL when that is not why the run stopped. */
const char *pm_trace_limit_message(PmVM *vm);
/* pml_run: drop the last recording/snapshot JSON (not while pml_record is running). */
void pm_trace_discard(PmVM *vm);
/* pml_free */
void pm_trace_vm_free(PmVM *vm);
/* object/alloc.c, pm_object_free: the memory of `o` is released (see pm_trace.c: objects
 * whose __del__ runs from their dealloc are reported freed here, not at pm_dealloc). */
void pm_trace_free(PmVM *vm, PmObject *o);

/* ------------------------------------------------------------------ shared by the trace files */

/* Open-addressing map from an address to a 32-bit value, host memory (pm_trace_util.c). */
typedef struct PmTraceMap {
    uintptr_t *keys;        /* 0: empty slot */
    uint32_t *vals;
    size_t mask, count;     /* capacity - 1 (power of two), or 0 when nothing is allocated */
} PmTraceMap;
int pm_trace_map_put(PmTraceMap *m, uintptr_t key, uint32_t val);   /* 0, or -1: no memory */
bool pm_trace_map_get(const PmTraceMap *m, uintptr_t key, uint32_t *val);
void pm_trace_map_clear(PmTraceMap *m);                             /* keeps capacity */
void pm_trace_map_free(PmTraceMap *m);

/* A growable host buffer for JSON (pm_trace_util.c).  Once an append fails (no memory or
 * past `limit`), `failed` is set and later appends are ignored. */
typedef struct PmTraceBuf {
    char *data;
    size_t len, cap, limit;
    bool failed;
} PmTraceBuf;
void pm_trace_buf_put(PmTraceBuf *b, const char *s, size_t n);
void pm_trace_buf_puts(PmTraceBuf *b, const char *s);
void pm_trace_buf_printf(PmTraceBuf *b, const char *fmt, ...) PM_PRINTF(2, 3);
/* A JSON string literal (quotes included) of `n` bytes of UTF-8. */
void pm_trace_buf_json_str(PmTraceBuf *b, const char *s, size_t n);
void pm_trace_buf_free(PmTraceBuf *b);

/* Short reprs computed without running Python code (pm_trace_repr.c). */
enum { PM_TRACE_REPR_CHARS = 60, PM_TRACE_REPR_BYTES = 4 * PM_TRACE_REPR_CHARS + 16 };
typedef struct PmTraceRepr {
    char buf[PM_TRACE_REPR_BYTES];
    size_t len;
    int chars;              /* code points written */
    int max;                /* at most this many code points */
    bool cut;               /* something was left out: the result ends with "…" */
} PmTraceRepr;
/* repr of `o` in at most `max_chars` code points (<= PM_TRACE_REPR_CHARS), NUL-terminated
 * in r->buf, "…" appended when cut. */
void pm_trace_repr(PmVM *vm, PmObject *o, PmTraceRepr *r, int max_chars);
/* The characters of str `s` escaped as repr() would show them inside quotes (no quotes). */
void pm_trace_repr_str_body(PmObject *s, PmTraceRepr *r);

/* Snapshot bookkeeping (pm_trace_snapshot.c). */
typedef struct PmTraceObj {
    uintptr_t id;
    Pm_ssize_t refcount;    /* as reported (static objects adjusted like sys.getrefcount) */
    const PmType *type;
    char type_name[32];
    uint8_t died;           /* set during the next step: PM_TRACE_DIED_* */
} PmTraceObj;
enum { PM_TRACE_ALIVE = 0, PM_TRACE_DIED_REFCOUNT = 1, PM_TRACE_DIED_GC = 2 };
typedef struct PmTraceSnap {
    PmTraceObj *v;
    size_t n, cap;
    PmTraceMap index;       /* id -> position in v */
} PmTraceSnap;
void pm_trace_snap_reset(PmTraceSnap *s);
void pm_trace_snap_free(PmTraceSnap *s);

/* What one snapshot needs to know besides the VM. */
typedef struct PmTraceWalk {
    PmVM *vm;
    const PmTraceMap *preexisting;  /* value 1: tracked objects alive when the run started
                                       and objects made by non-program code; or NULL */
    const PmObject *globals;        /* the program's module globals (for the end step), or NULL */
    int end_line;                   /* line shown for that pseudo frame */
    PmFrame *top;                   /* innermost frame to show (NULL: vm->frame) */
    int top_pc;                     /* instruction about to run in `top`, or -1 */
    size_t max_objects;
    PmTraceSnap *snap;              /* filled with every object written */
    bool truncated;                 /* out: more than max_objects were reachable */
} PmTraceWalk;
/* Write `"frames": [...], "objects": {...}, "objectsTruncated": b` (no braces around) into
 * `out` and fill w->snap. */
void pm_trace_snapshot_write(PmTraceWalk *w, PmTraceBuf *out);
/* sys.getrefcount(o) - 1, the number SNAPSHOT.md's "refcount" holds. */
Pm_ssize_t pm_trace_refcount(PmObject *o);
/* Line of the innermost frame running the program's own code (0 if none). */
int pm_trace_current_line(PmVM *vm);
/* Is this code object part of the program being recorded? */
bool pm_trace_is_program_code(PmVM *vm, PmCode *co);

#endif /* PM_TRACE_H */
