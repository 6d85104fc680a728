/*
 * alloc.c -- where objects and their internals get memory.
 *
 * Layers (STYLE.md 10):
 *
 *     pm_object_alloc / pm_mem_alloc      (this file: sizes, headers, gc counts)
 *              |    \__ tracemalloc hooks (mem/tracemalloc.c): when tracing, each block
 *              |        is traced with its modelled (CPython-requested) size
 *     vm->mem: the pymalloc model         (mem/obmalloc.c: arenas, pools, blocks)
 *              |
 *     system malloc                       (large blocks, arenas)
 *
 * Statically allocated objects (CPython's static singletons and builtin types) bypass
 * pymalloc: they come from the system allocator and are chained on vm->statics so the VM
 * can free them when it is destroyed.  Their refcount starts at PM_STATIC_REFCNT, so no
 * unbalanced decref can ever free them.
 */
#include "pm.h"
#include "trace/pm_trace.h"

static void *raw_alloc(PmVM *vm, size_t real, size_t model)
{
    size_t n = real > model ? real : model;
    void *p = pmmem_malloc(&vm->mem, n);
    if (PM_UNLIKELY(p == NULL)) {
        PmErr_NoMemory(vm);
        return NULL;
    }
    if (PM_UNLIKELY(vm->tracemalloc.tracing) && pm_tracemalloc_track(vm, p, model) < 0) {
        /* no room for the trace: fail the allocation, as CPython's tracemalloc_alloc */
        pmmem_free(&vm->mem, p);
        PmErr_NoMemory(vm);
        return NULL;
    }
    return p;
}

void *pm_mem_alloc(PmVM *vm, size_t real, size_t model)
{
    return raw_alloc(vm, real, model);
}

void *pm_mem_realloc(PmVM *vm, void *p, size_t real, size_t model)
{
    size_t n = real > model ? real : model;
    void *q = pmmem_realloc(&vm->mem, p, n ? n : 1);
    if (PM_UNLIKELY(q == NULL)) {
        PmErr_NoMemory(vm);
        return NULL;
    }
    if (PM_UNLIKELY(vm->tracemalloc.tracing)) pm_tracemalloc_retrack(vm, p, q, model);
    return q;
}

void pm_mem_free(PmVM *vm, void *p)
{
    if (p == NULL) return;
    if (PM_UNLIKELY(vm->tracemalloc.tracing)) pm_tracemalloc_untrack(vm, p);
    pmmem_free(&vm->mem, p);
}

PmObject *pm_object_alloc(PmVM *vm, PmType *tp, size_t real, size_t model)
{
    bool gc = PmType_HasFeature(tp, PM_TPFLAGS_HAVE_GC);
    size_t head = gc ? PM_GCHEAD_SIZE : 0;
    char *mem = raw_alloc(vm, real + head, model);
    if (mem == NULL) return NULL;
    memset(mem, 0, real + head);
    PmObject *o = (PmObject *)(mem + head);
    o->ob_refcnt = 1;
    o->ob_type = tp;
    if (PmType_HasFeature(tp, PM_TPFLAGS_HEAPTYPE)) Pm_INCREF((PmObject *)tp);
    /* a collection is due at the next safe point: the eval loop's slow path runs it */
    if (gc && ++vm->gc.gen[0].count > vm->gc.gen[0].threshold) pm_eval_break(vm);
    if (PM_UNLIKELY(vm->trace != NULL)) pm_trace_alloc(vm, o, false);
    return o;
}

void pm_object_free(PmVM *vm, PmObject *o)
{
    if (PM_UNLIKELY(vm->trace != NULL)) pm_trace_free(vm, o);
    PmType *tp = Pm_TYPE(o);
    bool gc = PmType_HasFeature(tp, PM_TPFLAGS_HAVE_GC);
    void *mem = gc ? (void *)Pm_AS_GC(o) : (void *)o;
    if (gc && vm->gc.gen[0].count > 0) vm->gc.gen[0].count--;
    if (PM_UNLIKELY(vm->tracemalloc.tracing)) pm_tracemalloc_untrack(vm, mem);
    pmmem_free(&vm->mem, mem);
    if (PmType_HasFeature(tp, PM_TPFLAGS_HEAPTYPE)) Pm_DECREF(vm, (PmObject *)tp);
}

/* Header of a static allocation: links every static object of the VM. */
typedef struct StaticHdr {
    struct StaticHdr *next;
    void *pad;   /* keeps the object 8-aligned on 32-bit builds too */
} StaticHdr;

PmObject *pm_static_alloc(PmVM *vm, PmType *tp, size_t real)
{
    bool gc = tp && PmType_HasFeature(tp, PM_TPFLAGS_HAVE_GC);
    size_t head = gc ? PM_GCHEAD_SIZE : 0;
    StaticHdr *h = calloc(1, sizeof(StaticHdr) + head + real);
    if (h == NULL) { PmErr_NoMemory(vm); return NULL; }
    h->next = vm->statics;
    vm->statics = h;
    PmObject *o = (PmObject *)((char *)(h + 1) + head);
    o->ob_refcnt = PM_STATIC_REFCNT;
    o->ob_type = tp;
    return o;
}

void pm_static_free_all(PmVM *vm)
{
    StaticHdr *h = vm->statics;
    while (h) {
        StaticHdr *next = h->next;
        free(h);
        h = next;
    }
    vm->statics = NULL;
}
