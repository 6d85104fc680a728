/*
 * vm.h -- the per-lab state.  Everything the core keeps lives in one PmVM, passed
 * explicitly to every function: two labs on one page share nothing (STYLE.md 3).
 */
#ifndef PM_VM_H
#define PM_VM_H

#include "object/object.h"
#include "mem/obmalloc.h"
#include "mem/tracemalloc.h"
#include "include/pymemlab.h"

/* Builtin types, one per template.  tp_kind of every type (and of subclasses) is one of
 * these, so `Pm_TYPE(o)->tp_kind == PMT_LIST` means "a list or a subclass of list". */
typedef enum PmTypeKind {
    PMT_OBJECT, PMT_TYPE, PMT_NONE, PMT_NOTIMPL, PMT_ELLIPSIS,
    PMT_INT, PMT_BOOL, PMT_FLOAT, PMT_STR, PMT_TUPLE, PMT_LIST, PMT_DICT, PMT_SET,
    PMT_FROZENSET, PMT_RANGE, PMT_SLICE,
    PMT_FUNCTION, PMT_CODE, PMT_CELL, PMT_METHOD, PMT_CFUNCTION, PMT_METHOD_DESCR,
    PMT_CLASSMETHOD_DESCR, PMT_GETSET_DESCR, PMT_MEMBER_DESCR, PMT_WRAPPER_DESCR, PMT_PROPERTY,
    PMT_STATICMETHOD, PMT_CLASSMETHOD, PMT_SUPER, PMT_MODULE, PMT_GENERATOR, PMT_FRAME,
    PMT_TRACEBACK, PMT_MAPPINGPROXY,
    PMT_LIST_ITER, PMT_LIST_REVITER, PMT_TUPLE_ITER, PMT_STR_ITER, PMT_SET_ITER,
    PMT_RANGE_ITER, PMT_LONGRANGE_ITER, PMT_SEQ_ITER, PMT_CALL_ITER, PMT_DICT_KEYITER, PMT_DICT_VALUEITER, PMT_DICT_ITEMITER,
    PMT_DICT_REVKEYITER, PMT_DICT_REVVALUEITER, PMT_DICT_REVITEMITER,
    PMT_DICT_KEYS, PMT_DICT_VALUES, PMT_DICT_ITEMS,
    PMT_ENUMERATE, PMT_ZIP, PMT_MAP, PMT_FILTER, PMT_REVERSED,
    PMT_WEAKREF, PMT_WEAKPROXY, PMT_WEAKCALLABLEPROXY,
    PMT_TEXTIO,           /* sys.stdout / sys.stderr (lib/io.c, "_io.TextIOWrapper") */
    PMT_GENERIC_ALIAS, PMT_UNION,   /* list[int], int | str (object/genericalias.c) */
    PMT_BASE_EXCEPTION,   /* BaseException; other exception classes are in vm->exc_types */
    PMT_INSTANCE,         /* not a real builtin: kind of user classes deriving from object */
    PMT__COUNT
} PmTypeKind;

/* The standard exception classes, created per VM with CPython's hierarchy. */
#define PM_EXCEPTIONS(X) \
    X(BaseException, -1) X(SystemExit, BaseException) X(KeyboardInterrupt, BaseException) \
    X(GeneratorExit, BaseException) X(Exception, BaseException) \
    X(StopIteration, Exception) X(ArithmeticError, Exception) \
    X(FloatingPointError, ArithmeticError) X(OverflowError, ArithmeticError) \
    X(ZeroDivisionError, ArithmeticError) X(AssertionError, Exception) \
    X(AttributeError, Exception) X(BufferError, Exception) X(EOFError, Exception) \
    X(ImportError, Exception) X(ModuleNotFoundError, ImportError) \
    X(LookupError, Exception) X(IndexError, LookupError) X(KeyError, LookupError) \
    X(MemoryError, Exception) X(NameError, Exception) X(UnboundLocalError, NameError) \
    X(OSError, Exception) X(ReferenceError, Exception) X(RuntimeError, Exception) \
    X(NotImplementedError, RuntimeError) X(RecursionError, RuntimeError) \
    X(SyntaxError, Exception) X(IndentationError, SyntaxError) X(TabError, IndentationError) \
    X(SystemError, Exception) X(TypeError, Exception) X(ValueError, Exception) \
    X(UnicodeError, ValueError) X(UnicodeEncodeError, UnicodeError) \
    X(UnicodeDecodeError, UnicodeError) X(Warning, Exception) X(UserWarning, Warning) \
    X(DeprecationWarning, Warning) X(RuntimeWarning, Warning) X(ResourceWarning, Warning)

typedef enum PmExcKind {
#define PM_EXC_ENUM(name, base) PME_##name,
    PM_EXCEPTIONS(PM_EXC_ENUM)
#undef PM_EXC_ENUM
    PME__COUNT
} PmExcKind;

/* Identifier strings the core looks up often, interned once per VM. */
#define PM_IDENTIFIERS(X) \
    X(__init__) X(__new__) X(__del__) X(__repr__) X(__str__) X(__eq__) X(__ne__) \
    X(__lt__) X(__le__) X(__gt__) X(__ge__) X(__hash__) X(__len__) X(__iter__) \
    X(__next__) X(__getitem__) X(__setitem__) X(__delitem__) X(__contains__) X(__bool__) \
    X(__sizeof__) X(__call__) X(__getattr__) X(__getattribute__) X(__setattr__) \
    X(__delattr__) X(__get__) X(__set__) X(__delete__) X(__class__) X(__dict__) \
    X(__name__) X(__qualname__) X(__module__) X(__doc__) X(__slots__) X(__weakref__) \
    X(__main__) X(__builtins__) X(__annotations__) X(__index__) X(__int__) X(__float__) \
    X(__add__) X(__radd__) X(__iadd__) X(__sub__) X(__rsub__) X(__isub__) X(__mul__) \
    X(__rmul__) X(__imul__) X(__truediv__) X(__rtruediv__) X(__itruediv__) \
    X(__floordiv__) X(__rfloordiv__) X(__ifloordiv__) X(__mod__) X(__rmod__) X(__imod__) \
    X(__pow__) X(__rpow__) X(__ipow__) X(__neg__) X(__pos__) X(__abs__) X(__invert__) \
    X(__and__) X(__rand__) X(__or__) X(__ror__) X(__xor__) X(__rxor__) X(__lshift__) \
    X(__rshift__) X(__matmul__) X(__format__) X(__reversed__) X(__init_subclass__) \
    X(__set_name__) X(__class_getitem__) X(__missing__) X(__mro__) X(__bases__) \
    X(__base__) X(__self__) X(__func__) X(__wrapped__) X(__file__) X(__spec__) \
    X(__loader__) X(__package__) X(__build_class__) X(__cause__) X(__context__) \
    X(__traceback__) X(__suppress_context__) X(__divmod__) X(__rdivmod__) \
    X(__round__) X(__trunc__) X(__ceil__) X(__floor__) X(__length_hint__) \
    X(args) X(append) X(keys) X(items) X(values) X(send) X(throw) X(close) X(mro) \
    X(write) X(flush) X(self) X(code) X(name) X(msg) X(value) X(end) X(sep) X(file) \
    X(key) X(reverse) X(default) X(start) X(stop) X(step) \
    X(stdout) X(stderr) X(sort) X(__dir__) X(__classcell__) \
    X(__reduce__) X(__reduce_ex__) X(__getstate__) X(__getnewargs__) X(__getnewargs_ex__) \
    X(__slotnames__) X(__abstractmethods__) X(__origin__) X(__args__) X(__parameters__) \
    X(__orig_class__) X(__instancecheck__) X(__subclasscheck__) X(__newobj__) \
    X(__newobj_ex__) X(_reconstructor) X(_reduce_ex) X(_slotnames) X(__mro_entries__)

typedef enum PmIdent {
#define PM_ID_ENUM(name) PMID_##name,
    PM_IDENTIFIERS(PM_ID_ENUM)
#undef PM_ID_ENUM
    PMID__COUNT
} PmIdent;

/* Small ints cached by CPython 3.11: -5 .. 256. */
enum { PM_NSMALLNEG = 5, PM_NSMALLPOS = 257 };

/* Free lists with CPython 3.11's capacities (they change tracemalloc's view and ids). */
enum {
    PM_TUPLE_MAXSAVESIZE = 20, PM_TUPLE_MAXFREELIST = 2000,
    PM_LIST_MAXFREELIST = 80, PM_DICT_MAXFREELIST = 80, PM_FLOAT_MAXFREELIST = 100
};

typedef struct PmGCGeneration {
    PmGCHead head;       /* circular list sentinel */
    int threshold;
    int count;
} PmGCGeneration;

/* The collector's state (gc/gc.c; the lists' invariants are above PmGCHead in object.h). */
typedef struct PmGCState {
    PmGCGeneration gen[3];
    PmGCHead permanent;        /* gc.freeze() */
    int enabled;
    int collecting;
    int debug;                 /* gc.set_debug flags */
    Pm_ssize_t long_lived_total, long_lived_pending;
    PmObject *garbage;         /* gc.garbage list */
    PmObject *callbacks;       /* gc.callbacks list */
    Pm_ssize_t stats_collections[3], stats_collected[3], stats_uncollectable[3];
    /* gc.get_threshold()[0].  Equal to gen[0].threshold except under PML_GC_STRESS, where
     * gen[0].threshold (the eval loop's trigger) is pinned to 1: see gc/gc.h "Stress mode". */
    int threshold0;
    int stress_count;          /* gen[0].count at the last stress pass */
    int pending;               /* an allocation crossed threshold0: collect at the next safe
                                  point, without the PM_GC_LATE objects tracked since */
    bool record;               /* keep a PmGCRecord of each collection (gc/gc.h) */
    struct PmGCRecorder *recorder;     /* the kept records (host memory), or NULL */
    struct PmGCRecord *rec;            /* the record being filled, during a collection */
} PmGCState;

/* The type attribute cache (object/abstract.c PmType_Lookup; CPython's method cache): what
 * looking `name` up along `type`'s MRO gave (value borrowed from a type dict, or NULL).  An
 * entry is valid only while its epoch equals vm->type_epoch; PmType_Modified bumps the
 * epoch whenever any type's dict or MRO changes, a type dies, or an interned str (a
 * possible key) dies, so a stale entry is never used.  Only interned str names are cached.
 * PML_DEBUG builds check every hit against the uncached walk. */
enum { PM_TYPE_CACHE_SIZE = 1024 };
typedef struct PmTypeCacheEntry {
    PmType *type;
    PmObject *name;
    PmObject *value;
    uint32_t epoch;
} PmTypeCacheEntry;

/* LOAD_GLOBAL's cache (object/dict.c PmDict_LoadGlobal_Borrow): the version of the globals'
 * key set (and of the builtins' when bver != 0) when the name was found at entry `index`
 * of globals (bver == 0) or of builtins.  One per (code, instruction) hash slot in
 * vm->global_cache; two instructions sharing a slot only make each other miss. */
typedef struct PmGlobalCache {
    uint32_t gver, bver;
    int32_t index;
} PmGlobalCache;
enum { PM_GLOBAL_CACHE_SIZE = 1024 };

/* Trashcan depth before deallocation defers (CPython's PyTrash_UNWIND_LEVEL). */
enum { PM_TRASH_DEPTH = 50 };

typedef struct PmFrame PmFrame;
typedef struct PmHeapOps PmHeapOps;

struct PmVM {
    PmMem mem;                       /* the pymalloc model: every object lives here */

    /* types and singletons (static objects: not in pymalloc, like CPython's) */
    PmType *types[PMT__COUNT];
    PmType *exc_types[PME__COUNT];
    PmObject *none, *true_, *false_, *ellipsis, *notimpl;
    PmObject *small_ints[PM_NSMALLNEG + PM_NSMALLPOS];
    PmObject *latin1[256];
    PmObject *empty_str, *empty_tuple;
    PmObject *ids[PMID__COUNT];      /* interned identifier strings */
    PmObject *interned;              /* dict: the interned strings (str -> str) */

    /* free lists */
    PmObject *tuple_free[PM_TUPLE_MAXSAVESIZE];
    int tuple_numfree[PM_TUPLE_MAXSAVESIZE];
    PmObject *list_free[PM_LIST_MAXFREELIST]; int list_numfree;
    PmObject *dict_free[PM_DICT_MAXFREELIST]; int dict_numfree;
    void *dictkeys_free[PM_DICT_MAXFREELIST]; int dictkeys_numfree; /* 8-slot str-key tables */
    PmObject *float_free; int float_numfree;
    PmObject *slice_cache;           /* CPython 3.11's one-slice cache (object/slice.c) */

    /* modules */
    PmObject *builtins;              /* the builtins module's dict */
    PmObject *modules;               /* sys.modules */
    PmObject *sysdict;               /* the sys module's dict (lib/sysmodule.c) */
    PmObject *main_dict;             /* __main__'s globals during a run */

    /* errors: the exception being raised (owned), or NULL */
    PmObject *exc;

    /* execution */
    PmFrame *frame;                  /* innermost executing frame */
    PmObject *exc_info;              /* the exception being handled (sys.exc_info), or NULL */
    int c_depth;                     /* nested pm_eval_frame activations (C stack use) */
    int c_recursion;                 /* nested C recursion guards (object/object.c) */
    struct PmChunk *datastack;       /* frames of running functions (vm/ceval.c) */
    int recursion_depth, recursion_limit;
    uint64_t steps, step_limit;
    /* The eval loop's one per-instruction check (vm/ceval.c): it decrements `ticks` and takes
     * its slow path (step limit, gc safe point, recorder) when that goes below 0.  tick_arm is
     * the value ticks started from, so steps lag by tick_arm - ticks until the slow path adds
     * them (pm_eval_sync_steps).  Code that makes a slow-path check due (a gc count over its
     * threshold, a new limit, the recorder starting) calls pm_eval_break. */
    int64_t ticks, tick_arm;
    int limit_hit;                   /* a step/output limit stopped the run */
    int exit_code;                   /* the last run's process exit status */

    /* output: CPython's TextIOWrapper pending-buffer model for sys.stdout (see lib/io) */
    pml_write_fn write;
    void *userdata;
    size_t output_bytes, output_limit;
    PmObject *stdout_pending;        /* a str, a list of str, or NULL (owned) */
    Pm_ssize_t stdout_pending_count;
    PmObject *io_stdout, *io_stderr; /* the original sys.stdout / sys.stderr (owned; lib/io.c) */

    /* collector and deallocation */
    PmGCState gc;
    int trash_depth;
    PmGCHead *trash_list;            /* deferred deallocations (singly linked via gc_prev) */
    int stress;                      /* collect at every allocation (PML_GC_STRESS) */
    void *statics;                   /* chain of static allocations (object/alloc.c) */
    PmObject *repr_stack;            /* list of objects being repr'd (pm_repr_enter) */
    PmObject *tstate_dict;           /* CPython's thread-state dict, which holds repr_stack */

    /* pml_last_exception: the last run's uncaught exception line (host memory) or NULL */
    char *last_exc;
    /* handles of pml_heap_* (lib/heapops.c; host memory) or NULL */
    struct PmHeapOps *heapops;

    /* tracemalloc's traces, tracebacks and filenames (mem/tracemalloc.h; host memory) */
    PmTraceMalloc tracemalloc;

    /* core/trace: the recorder while pml_record runs (NULL otherwise, and then every trace
     * hook is off), and the last recording/snapshot JSON (host memory) */
    struct PmTrace *trace;
    struct PmTraceResult *trace_result;

    /* the program's source, for the lines tracebacks show (vm/traceback.c; host memory) */
    char *src_text;
    size_t src_len;
    char *src_filename;

    /* the type attribute cache (above PmTypeCacheEntry) */
    uint32_t type_epoch;
    PmTypeCacheEntry type_cache[PM_TYPE_CACHE_SIZE];
    /* LOAD_GLOBAL's cache (above PmGlobalCache) and the last dict key-set version given */
    uint32_t dict_keys_version;
    PmGlobalCache global_cache[PM_GLOBAL_CACHE_SIZE];
};

/* Make the eval loop take its slow path before the next instruction (see `ticks`). */
static inline void pm_eval_break(PmVM *vm)
{
    vm->tick_arm -= vm->ticks;
    vm->ticks = 0;
}

/* Bring vm->steps up to date (the instructions run since the last slow path). */
static inline void pm_eval_sync_steps(PmVM *vm)
{
    vm->steps += (uint64_t)(vm->tick_arm - vm->ticks);
    vm->tick_arm = vm->ticks;
}

/* Refcount of static objects: high enough that no unbalanced decref reaches zero. */
#define PM_STATIC_REFCNT ((Pm_ssize_t)1 << 28)
#define pm_is_static(o) (Pm_REFCNT(o) > (PM_STATIC_REFCNT >> 1))
void pm_static_free_all(PmVM *vm);

#endif /* PM_VM_H */
