/*
 * pm.h -- the one internal header every core .c file includes first.
 *
 * It pulls in the object model (object/object.h: read its ownership rules), the VM state
 * (vm/vm.h), and the API of every object type.  Naming: a function's prefix names its file
 * (PmList_* lives in object/list.c, pm_gc_* in gc/gc.c); file-local helpers are static.
 */
#ifndef PM_H
#define PM_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "object/object.h"
#include "vm/vm.h"

#if defined(__GNUC__) || defined(__clang__)
#define PM_LIKELY(x) __builtin_expect(!!(x), 1)
#define PM_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define PM_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PM_LIKELY(x) (x)
#define PM_UNLIKELY(x) (x)
#define PM_PRINTF(f, a)
#endif

/* ------------------------------------------------------------------ reference counts */

void pm_dealloc(PmVM *vm, PmObject *o);            /* object/object.c: refcount reached 0 */

static inline void Pm_INCREF(PmObject *o) { o->ob_refcnt++; }
static inline void Pm_XINCREF(PmObject *o) { if (o) o->ob_refcnt++; }
static inline void Pm_DECREF(PmVM *vm, PmObject *o)
{
    if (--o->ob_refcnt == 0) pm_dealloc(vm, o);
}
static inline void Pm_XDECREF(PmVM *vm, PmObject *o) { if (o) Pm_DECREF(vm, o); }
static inline PmObject *Pm_NewRef(PmObject *o) { o->ob_refcnt++; return o; }
static inline PmObject *Pm_XNewRef(PmObject *o) { if (o) o->ob_refcnt++; return o; }
#define Pm_CLEAR(vm, field) do { PmObject *pm_tmp_ = (PmObject *)(field); \
        if (pm_tmp_) { (field) = NULL; Pm_DECREF((vm), pm_tmp_); } } while (0)
#define Pm_SETREF(vm, field, value) do { PmObject *pm_tmp_ = (PmObject *)(field); \
        (field) = (value); Pm_XDECREF((vm), pm_tmp_); } while (0)
#define Pm_VISIT(vm, o) do { if (o) { int vret_ = visit((vm), (PmObject *)(o), arg); \
        if (vret_) return vret_; } } while (0)

/* ------------------------------------------------------------------ singletons, types */

#define Pm_None(vm) ((vm)->none)
#define Pm_True(vm) ((vm)->true_)
#define Pm_False(vm) ((vm)->false_)
#define Pm_NotImplemented(vm) ((vm)->notimpl)
#define Pm_Ellipsis(vm) ((vm)->ellipsis)
#define PMT(vm, kind) ((vm)->types[PMT_##kind])
#define PME(vm, name) ((vm)->exc_types[PME_##name])
#define PMID(vm, name) ((vm)->ids[PMID_##name])
static inline PmObject *Pm_RETURN_NONE(PmVM *vm) { return Pm_NewRef(vm->none); }
static inline PmObject *Pm_Bool(PmVM *vm, int b) { return Pm_NewRef(b ? vm->true_ : vm->false_); }

/* Exact and subclass checks. */
#define Pm_IS_TYPE(vm, o, KIND) (Pm_TYPE(o) == PMT(vm, KIND))
#define Pm_KIND(o) (Pm_TYPE(o)->tp_kind)
static inline bool PmType_HasFeature(const PmType *t, uint32_t f) { return (t->tp_flags & f) != 0; }
static inline bool PmObject_IS_GC(const PmObject *o) { return PmType_HasFeature(o->ob_type, PM_TPFLAGS_HAVE_GC); }

/* ------------------------------------------------------------------ allocation (object/alloc.c) */

/* Allocate an object of type `tp`: `real` bytes for the C struct (not counting the GC head,
 * which is added for GC types), `model` bytes that CPython 3.11 64-bit would request for it
 * (including its GC head and pre-header).  The object comes back with refcount 1, its type
 * set (heap types are increfed), zeroed fields, and untracked.  NULL + MemoryError on failure. */
PmObject *pm_object_alloc(PmVM *vm, PmType *tp, size_t real, size_t model);
/* Release the memory of an object whose fields are already released (end of tp_dealloc).
 * Decrefs a heap type. */
void pm_object_free(PmVM *vm, PmObject *o);
/* Objects that CPython allocates statically (small ints, singletons, builtin types): system
 * memory, never freed before the VM is destroyed, not in pymalloc's map. */
PmObject *pm_static_alloc(PmVM *vm, PmType *tp, size_t real);

/* Raw memory for object internals (list item arrays, dict key tables, str data if separate):
 * `real` bytes are usable, `model` are what CPython would request.  NULL + MemoryError. */
void *pm_mem_alloc(PmVM *vm, size_t real, size_t model);
void *pm_mem_realloc(PmVM *vm, void *p, size_t real, size_t model);
/* Cap for a host-memory scratch buffer whose size a program chooses (a format width): the
 * lab's memory limit, so `format(1, '9999999999')` fails with MemoryError, not the host. */
static inline size_t pm_host_buffer_limit(PmVM *vm) { return vm->mem.limit; }
void pm_mem_free(PmVM *vm, void *p);

/* ------------------------------------------------------------------ collector (gc/gc.c) */

void pm_gc_track(PmVM *vm, PmObject *o);
void pm_gc_untrack(PmVM *vm, PmObject *o);
static inline bool pm_gc_is_tracked(PmObject *o) { return Pm_AS_GC(o)->gc_next != NULL; }
/* Safe point: the eval loop calls this between bytecodes; collects if thresholds say so. */
void pm_gc_maybe_collect(PmVM *vm);
Pm_ssize_t pm_gc_collect(PmVM *vm, int generation);   /* -1 on error */
/* CPython's _PyGC_CollectNoFail (shutdown): a full collection without gc.callbacks; errors
 * are cleared.  Returns the number of unreachable objects found. */
Pm_ssize_t pm_gc_collect_nofail(PmVM *vm);
/* pml_run, before compiling the program: the collector as a fresh CPython process has it. */
void pm_gc_begin_run(PmVM *vm);
PmObject *pm_gcmodule_init(PmVM *vm);                  /* gc/gcmodule.c: the `gc` module */
/* Collector hooks the weakref module implements (object/weakrefobject.c; contract in
 * gc/gc.h). */
void pm_weakref_handle_unreachable(PmVM *vm, PmGCHead *unreachable, PmGCHead *wrcb_to_call);
void pm_weakref_call_callback(PmVM *vm, PmObject *wr);

/* ------------------------------------------------------------------ errors (vm/errors.c) */

void PmErr_SetObject(PmVM *vm, PmType *type, PmObject *value);  /* value borrowed */
void PmErr_SetString(PmVM *vm, PmType *type, const char *msg);
/* printf-like with %s %d %ld %zd %zu %c %x %p plus %U (PmObject* str), %R (repr of
 * PmObject*), %S (str of PmObject*), %T (type name of PmObject*). Returns NULL. */
PmObject *PmErr_Format(PmVM *vm, PmType *type, const char *fmt, ...) PM_FMTCHECK(3, 4);
PmObject *PmErr_NoMemory(PmVM *vm);
PmObject *PmErr_BadArgument(PmVM *vm);
bool PmErr_Occurred(PmVM *vm);
bool PmErr_ExceptionMatches(PmVM *vm, PmType *type);
void PmErr_Clear(PmVM *vm);
PmObject *PmErr_Fetch(PmVM *vm);             /* takes the current exception (new ref) */
void PmErr_Restore(PmVM *vm, PmObject *exc); /* steals */
/* Exception instance of `type` with message `msg` (args = (msg,)). */
PmObject *PmExc_New(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs);
/* Make `exc` (owned, stolen) the exception being raised, chaining __context__. */
void pm_err_set_raised(PmVM *vm, PmObject *exc);
/* Set exc.__context__ to the exception currently being handled, if any (vm/ceval.c). */
void pm_exc_chain_context(PmVM *vm, PmObject *exc);

/* ------------------------------------------------------------------ abstract ops (object/abstract.c) */

const char *PmObject_TypeName(PmObject *o);
PmObject *PmObject_Repr(PmVM *vm, PmObject *o);
PmObject *PmObject_Str(PmVM *vm, PmObject *o);
Pm_hash_t PmObject_Hash(PmVM *vm, PmObject *o);
Pm_hash_t pm_hash_not_implemented(PmVM *vm, PmObject *o);
Pm_hash_t pm_hash_pointer(const void *p);
Pm_hash_t pm_hash_pointer_slot(PmVM *vm, PmObject *o);   /* tp_hash by identity */
PmObject *PmObject_RichCompare(PmVM *vm, PmObject *a, PmObject *b, int op);
int PmObject_RichCompareBool(PmVM *vm, PmObject *a, PmObject *b, int op);  /* identity shortcut for EQ/NE */
int PmObject_IsTrue(PmVM *vm, PmObject *o);
PmObject *PmObject_GetAttr(PmVM *vm, PmObject *o, PmObject *name);
PmObject *PmObject_GetAttrString(PmVM *vm, PmObject *o, const char *name);
/* Like GetAttr but returns NULL without an exception when the attribute is missing. */
PmObject *PmObject_LookupAttr(PmVM *vm, PmObject *o, PmObject *name);
int PmObject_SetAttr(PmVM *vm, PmObject *o, PmObject *name, PmObject *value);
PmObject *PmObject_GenericGetAttr(PmVM *vm, PmObject *o, PmObject *name);
int PmObject_GenericSetAttr(PmVM *vm, PmObject *o, PmObject *name, PmObject *value);
PmObject *PmObject_GetItem(PmVM *vm, PmObject *o, PmObject *key);
int PmObject_SetItem(PmVM *vm, PmObject *o, PmObject *key, PmObject *value);
int PmObject_DelItem(PmVM *vm, PmObject *o, PmObject *key);
Pm_ssize_t PmObject_Length(PmVM *vm, PmObject *o);
PmObject *PmObject_GetIter(PmVM *vm, PmObject *o);
PmObject *PmIter_Next(PmVM *vm, PmObject *it);  /* NULL: exhausted (no exc) or error */
int PmSequence_Contains(PmVM *vm, PmObject *seq, PmObject *item);
PmObject *PmObject_Vectorcall(PmVM *vm, PmObject *callable, PmObject *const *args,
                              size_t nargs, PmObject *kwnames);
PmObject *PmObject_CallNoArgs(PmVM *vm, PmObject *callable);
PmObject *PmObject_CallOneArg(PmVM *vm, PmObject *callable, PmObject *arg);
PmObject *PmObject_CallMethod(PmVM *vm, PmObject *obj, PmObject *name,
                              PmObject *const *args, size_t nargs);
PmObject *PmObject_Format(PmVM *vm, PmObject *o, PmObject *spec);
int PmObject_IsInstance(PmVM *vm, PmObject *o, PmObject *cls);
int PmObject_IsSubclass(PmVM *vm, PmObject *derived, PmObject *cls);
bool PmType_IsSubtype(PmType *a, PmType *b);
/* Look `name` up along the MRO of `tp`; borrowed or NULL (no exception). */
PmObject *PmType_Lookup(PmVM *vm, PmType *tp, PmObject *name);
/* The same walk without the cache and without tagging the type (CPython's
 * find_name_in_mro, which slot updates use). */
PmObject *pm_type_find_in_mro(PmVM *vm, PmType *tp, PmObject *name);
/* Invalidate the type attribute cache (vm.h PmTypeCacheEntry): call after changing any
 * type's tp_dict or tp_mro once the type may have been looked up, and when a type or an
 * interned str dies. */
void pm_type_cache_clear(PmVM *vm);
static inline void PmType_Modified(PmVM *vm)
{
    if (++vm->type_epoch == 0) pm_type_cache_clear(vm);
}
Pm_ssize_t PmObject_SizeOf(PmVM *vm, PmObject *o);   /* sys.getsizeof; -1 on error */

/* Binary and unary number protocol (CPython's dispatch: left slot, right slot, sequence
 * fallbacks, NotImplemented, then TypeError "unsupported operand type(s) for +: ..."). */
typedef enum PmBinOp {
    PM_BINOP_ADD, PM_BINOP_AND, PM_BINOP_FLOOR_DIVIDE, PM_BINOP_LSHIFT, PM_BINOP_MATRIX_MULTIPLY,
    PM_BINOP_MULTIPLY, PM_BINOP_REMAINDER, PM_BINOP_OR, PM_BINOP_POWER, PM_BINOP_RSHIFT,
    PM_BINOP_SUBTRACT, PM_BINOP_TRUE_DIVIDE, PM_BINOP_XOR,
    PM_BINOP_INPLACE = 13        /* add to any of the above: CPython 3.11's BINARY_OP numbering */
} PmBinOp;
PmObject *PmNumber_BinaryOp(PmVM *vm, PmObject *a, PmObject *b, int op);
PmObject *PmNumber_Negative(PmVM *vm, PmObject *o);
PmObject *PmNumber_Positive(PmVM *vm, PmObject *o);
PmObject *PmNumber_Invert(PmVM *vm, PmObject *o);
PmObject *PmNumber_Absolute(PmVM *vm, PmObject *o);
PmObject *PmNumber_Index(PmVM *vm, PmObject *o);
Pm_ssize_t PmNumber_AsSsize_t(PmVM *vm, PmObject *o, PmType *overflow_exc); /* -1 + exc */
int PmNumber_AsCInt(PmVM *vm, PmObject *o, int *out);                      /* 0, or -1 + exc */


/* ------------------------------------------------------------------ VM parts (init order) */

void pm_gc_init(PmVM *vm);                      /* gc/gc.c */
void pm_gc_start_counts(PmVM *vm);              /* counts as at a CPython script's start */
void pm_gc_fini(PmVM *vm);
int pm_builtins_init(PmVM *vm);                 /* lib/builtins.c */
int pm_sys_init(PmVM *vm);                      /* lib/sysmodule.c */
void pm_io_flush(PmVM *vm);                     /* lib/io.c: write out sys.stdout's buffer */
void pm_io_reset(PmVM *vm);                     /* drop it */
/* sys.modules lookup miss: create a builtin module (sys, gc, weakref, ...) or NULL. */
PmObject *pm_import_builtin_module(PmVM *vm, PmObject *name);
void pm_print_exception(PmVM *vm, PmObject *exc);   /* vm/traceback.c */
void pm_traceback_set_source(PmVM *vm, const char *filename, const char *src, size_t len);
void pm_traceback_free_source(PmVM *vm);
/* lib/heapops.c: pm_dealloc tells it about every object that dies (vm->heapops != NULL) */
void pm_heapops_forget(PmVM *vm, PmObject *o);
void pm_heapops_free(PmVM *vm);
/* vm/ceval.c */
PmObject *pm_eval_code(PmVM *vm, PmObject *code, PmObject *globals, PmObject *locals);
void pm_datastack_free(PmVM *vm);

/* ------------------------------------------------------------------ misc runtime */

/* tuple(iterable) */
PmObject *PmSequence_Tuple(PmVM *vm, PmObject *iterable);
/* list(iterable) */
PmObject *PmSequence_List(PmVM *vm, PmObject *iterable);
/* Report an exception that cannot propagate (raised in __del__, a weakref callback, a gc
 * callback) the way CPython's PyErr_WriteUnraisable does, on stderr; clears it. */
void pm_write_unraisable(PmVM *vm, const char *msg, PmObject *obj, PmObject *name);
/* Clear the weak references to `o` and call their callbacks (object dying by refcount). */
void pm_weakref_clear_all(PmVM *vm, PmObject *o);
/* Output through the host callback (stream PML_STDOUT/PML_STDERR), honouring the limit. */
int pm_write(PmVM *vm, int stream, const char *data, size_t len);

/* ------------------------------------------------------------------ helpers (object/object.c) */

/* Recursion guard for C code that recurses through user data (repr, compare, hash):
 * raises RecursionError "maximum recursion depth exceeded<where>" past the limit. */
int pm_enter_recursive_call(PmVM *vm, const char *where);
void pm_leave_recursive_call(PmVM *vm);
/* C-stack guard alone, for C recursion that CPython does not count against the recursion
 * limit (tuple hash): RecursionError once c_recursion + PM_C_DEPTH_WEIGHT * c_depth (the
 * guarded C levels plus the pm_eval_frame activations, which use more stack each) reaches
 * PM_MAX_C_RECURSION, where CPython would overflow its C stack.  pm_enter_recursive_call
 * applies the same cap, so a program that raised sys.setrecursionlimit() cannot overflow the
 * C stack either.  Under the default limit (1000) the cap is never reached.  Measured in
 * Node (emscripten build, V8's ~1 MB stack): 5000 nested list reprs alone, or 780 nested
 * __repr__ calls plus 1000 list levels, still fit; 780 plus 1500 did not. */
enum { PM_MAX_C_RECURSION = 3000, PM_C_DEPTH_WEIGHT = 2 };
int pm_enter_c_recursion(PmVM *vm, const char *where);
void pm_leave_c_recursion(PmVM *vm);
/* Container repr guard (CPython's Py_ReprEnter): 1 if `o` is already being repr'd (print
 * "[...]" / "{...}"), 0 if entered, -1 on error.  Pair with pm_repr_leave. */
int pm_repr_enter(PmVM *vm, PmObject *o);
void pm_repr_leave(PmVM *vm, PmObject *o);

/* Trashcan (CPython's Py_TRASHCAN_BEGIN/END) for container deallocs: bounds the C stack
 * when freeing deep structures.  Use as the first and last statements of tp_dealloc:
 *     PM_TRASHCAN_BEGIN(vm, o) ... release fields ... pm_object_free(vm, o); PM_TRASHCAN_END(vm)
 * The object must be a GC object and already untracked (call pm_gc_untrack first). */
bool pm_trash_begin(PmVM *vm, PmObject *o);   /* false: deferred, skip the body */
void pm_trash_end(PmVM *vm);
#define PM_TRASHCAN_BEGIN(vm, o) if (pm_trash_begin((vm), (PmObject *)(o))) {
#define PM_TRASHCAN_END(vm) pm_trash_end(vm); }

/* Argument helpers for C methods and builtins: raise CPython's TypeError texts.
 * pm_no_kwargs: "NAME() takes no keyword arguments" when kwnames is non-empty. */
int pm_no_kwargs(PmVM *vm, const char *name, PmObject *kwnames);
/* "NAME expected at least MIN arguments, got N" / "NAME expected at most MAX arguments, got N"
 * (CPython's _PyArg_CheckPositional); max < 0 means unlimited. */
int pm_check_positional(PmVM *vm, const char *name, size_t nargs, Pm_ssize_t min, Pm_ssize_t max);

#include "object/types.h"

#endif /* PM_H */
