/*
 * object.h -- the object header, the type object, and the rules every core file follows.
 *
 * INTERNAL: only core/ includes this (through core/pm.h).  Embedders use pymemlab.h.
 *
 * ## Objects
 *
 * Every object starts with PmObject: a reference count and a pointer to its type.  Objects
 * whose type has PM_TPFLAGS_HAVE_GC are preceded in memory by a PmGCHead (the collector's
 * links and gc_refs), exactly as CPython places PyGC_Head before the object:
 *
 *     [ PmGCHead | PmObject ob_refcnt ob_type | type-specific fields ... ]
 *                ^ PmObject * points here
 *
 * Instances of classes defined in Python additionally carry the "managed dict" pre-header
 * of CPython 3.11 (modelled in the size only; the fields live in PmInstance).
 *
 * ## Two sizes
 *
 * A learner sees CPython 3.11 64-bit sizes (sys.getsizeof, the page, tracemalloc) whatever
 * the pointer size of this build.  So each type records its *modelled* basicsize/itemsize
 * (CPython's tp_basicsize/tp_itemsize on 64-bit Linux), and each allocation passes both the
 * real byte count (what the C struct needs) and the modelled byte count (what CPython would
 * request from pymalloc).  The allocator serves max(real, model) so a block lands in the same
 * size class as CPython's whenever our struct is not larger (always true on wasm32); tracing
 * reports the modelled count.
 *
 * ## Ownership (written once, encoded in names)
 *
 * - A *new* reference is one the caller owns and must release with Pm_DECREF.  Functions
 *   returning PmObject * return new references unless their name ends in `_Borrow`
 *   (or the comment above them says "borrowed").
 * - A *borrowed* reference may be used only while something else keeps the object alive.
 * - A function that *steals* a reference takes over the caller's ownership of that argument
 *   (even on failure); such functions say so in their name (`_Steal`) or comment
 *   (PmTuple_SET_ITEM, PmList_SET_ITEM steal, like CPython's).
 * - Errors: a function returning PmObject * returns NULL with an exception set on the VM
 *   (vm->exc); an int-returning one returns -1.  Iterators' next returns NULL *without* an
 *   exception when exhausted.
 * - Pm_CLEAR(vm, field) sets the field to NULL before the decref, because the decref may run
 *   arbitrary code (__del__, weakref callbacks) that looks at the field again.
 *
 * ## Deallocation order and depth
 *
 * Pm_DECREF to zero calls the type's dealloc at once, which releases the object's own
 * references in CPython's order (lists and tuples last-to-first, dicts in insertion order).
 * Nested deallocation is bounded like CPython's trashcan: beyond PM_TRASH_DEPTH nested
 * container deallocs, objects are deposited on vm->trash and destroyed when the outermost
 * dealloc finishes, so freeing a 1,000,000-long chain uses bounded C stack.
 */
#ifndef PM_OBJECT_H
#define PM_OBJECT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>

/* 64-bit on every build, wasm32 included, so lengths, indices and sizes past 2**31 behave
 * as on CPython's 64-bit Linux.  Format it with %zd in PmStr_FromFormat/PmErr_Format, which
 * read a Pm_ssize_t there (and a size_t for %zu/%zx); with libc printf use %lld and a cast. */
typedef int64_t Pm_ssize_t;

/* PmStr_FromFormat and PmErr_Format take printf-like formats with extra conversions (%R, %S,
 * %U, %T, %A, %V).  Compiling with -DPM_CHECK_FORMATS -Wno-format-invalid-specifier (best with
 * --target=wasm32-wasi, where size_t and Pm_ssize_t differ) lets the compiler check the argument
 * types of the standard conversions; warnings after an extra conversion in the same format are
 * misaligned and can be ignored. */
#if defined(PM_CHECK_FORMATS) && (defined(__GNUC__) || defined(__clang__))
#define PM_FMTCHECK(f, a) __attribute__((format(printf, f, a)))
#else
#define PM_FMTCHECK(f, a)
#endif
typedef int64_t Pm_hash_t;   /* CPython 64-bit hash values on every build */

typedef struct PmVM PmVM;
typedef struct PmType PmType;

typedef struct PmObject {
    Pm_ssize_t ob_refcnt;
    PmType *ob_type;
} PmObject;

typedef struct PmVarObject {
    PmObject ob_base;
    Pm_ssize_t ob_size;     /* items (tuple, list length, int signed digit count, ...) */
} PmVarObject;

/*
 * The collector's header, before every object of a GC type (gc/gc.c; gc/gc.h draws the lists).
 * States (the only legal combinations; pm_gc_check() verifies the first two between
 * collections, gc.c's validate_list() the others at each phase boundary in PML_DEBUG builds):
 *   untracked    gc_next == NULL; in no list; COLLECTING and UNREACHABLE clear.  gc_prev is
 *                free for others: the trashcan links deferred deallocations through it.
 *   tracked      gc_next/gc_prev link it into a circular doubly-linked list whose sentinel is
 *                vm->gc.gen[gen].head (gen 0..2) or vm->gc.permanent (gen == PM_GC_PERMANENT,
 *                after gc.freeze()); COLLECTING and UNREACHABLE clear; ob_refcnt > 0.
 *   collecting   only while vm->gc.collecting: update_refs() set PM_GC_COLLECTING on every
 *                object of the list being collected and copied ob_refcnt into gc_refs;
 *                subtract_refs() took one off per reference from inside the list (gc_refs
 *                never goes below 0); move_unreachable() clears COLLECTING on each object it
 *                proves reachable from outside.
 *   unreachable  move_unreachable() moved it to the unreachable list with COLLECTING and
 *                UNREACHABLE set; move_legacy_finalizers() clears UNREACHABLE.  COLLECTING
 *                stays until the object dies or survives into an older generation.
 *   finalized    PM_GC_FINALIZED: its tp_finalize (__del__) has run (PEP 442: at most once);
 *                never cleared, not even by untracking.
 *   late         PM_GC_LATE: tracked (in generation 0) while an automatic collection is
 *                pending (vm->gc.pending); the collection at the next safe point leaves it
 *                out and clears the flag.  Set on no object outside generation 0.
 * `gen` is meaningful while tracked (objects of a younger generation merged into the one
 * being collected take its number).  gc_refs means nothing outside a collection.
 */
typedef struct PmGCHead {
    struct PmGCHead *gc_next;
    struct PmGCHead *gc_prev;
    Pm_ssize_t gc_refs;
    uint8_t gen;            /* 0, 1, 2, or PM_GC_PERMANENT */
    uint8_t flags;          /* PM_GC_* below */
} PmGCHead;

enum {
    PM_GC_COLLECTING = 1,
    PM_GC_UNREACHABLE = 2,
    PM_GC_FINALIZED = 4,
    PM_GC_LATE = 8,           /* tracked after the allocation that asked for an automatic
                                 collection, which runs at the next safe point: not part of it
                                 (CPython collects inside that allocation) */
    PM_GC_PERMANENT = 3       /* a value of `gen`, not a flag */
};

/* Keep the object that follows the GC head 8-byte aligned on every build. */
#define PM_GCHEAD_SIZE ((sizeof(PmGCHead) + 7u) & ~(size_t)7u)
#define Pm_AS_GC(o) ((PmGCHead *)((char *)(o) - PM_GCHEAD_SIZE))
#define Pm_FROM_GC(g) ((PmObject *)((char *)(g) + PM_GCHEAD_SIZE))

/* CPython 3.11 64-bit modelled sizes of the headers. */
enum {
    PM_MODEL_GC_HEAD = 16,      /* sizeof(PyGC_Head) */
    PM_MODEL_MANAGED_PRE = 16,  /* managed dict + values pointers before the GC head */
    PM_MODEL_PTR = 8,
    PM_MODEL_OBJECT = 16,       /* sizeof(PyObject) */
    PM_MODEL_VAROBJECT = 24     /* sizeof(PyVarObject) */
};

#define Pm_TYPE(o) (((PmObject *)(o))->ob_type)
#define Pm_REFCNT(o) (((PmObject *)(o))->ob_refcnt)
#define Pm_SIZE(o) (((PmVarObject *)(o))->ob_size)

/* ---- slot signatures (all take the VM first) ---- */
typedef PmObject *(*pm_unaryfunc)(PmVM *, PmObject *);
typedef PmObject *(*pm_binaryfunc)(PmVM *, PmObject *, PmObject *);
typedef PmObject *(*pm_ternaryfunc)(PmVM *, PmObject *, PmObject *, PmObject *);
typedef int (*pm_inquiry)(PmVM *, PmObject *);
typedef Pm_ssize_t (*pm_lenfunc)(PmVM *, PmObject *);
typedef PmObject *(*pm_ssizeargfunc)(PmVM *, PmObject *, Pm_ssize_t);
typedef int (*pm_objobjproc)(PmVM *, PmObject *, PmObject *);
typedef int (*pm_objobjargproc)(PmVM *, PmObject *, PmObject *, PmObject *);
typedef void (*pm_destructor)(PmVM *, PmObject *);
typedef PmObject *(*pm_reprfunc)(PmVM *, PmObject *);
typedef Pm_hash_t (*pm_hashfunc)(PmVM *, PmObject *);
typedef PmObject *(*pm_richcmpfunc)(PmVM *, PmObject *, PmObject *, int op);
typedef PmObject *(*pm_getattrofunc)(PmVM *, PmObject *, PmObject *name);
/* value == NULL deletes */
typedef int (*pm_setattrofunc)(PmVM *, PmObject *, PmObject *name, PmObject *value);
typedef PmObject *(*pm_descrgetfunc)(PmVM *, PmObject *descr, PmObject *obj, PmObject *type);
typedef int (*pm_descrsetfunc)(PmVM *, PmObject *descr, PmObject *obj, PmObject *value);
typedef PmObject *(*pm_getiterfunc)(PmVM *, PmObject *);
/* Returns a new reference, or NULL: exhausted if no exception is set, error otherwise. */
typedef PmObject *(*pm_iternextfunc)(PmVM *, PmObject *);
/* Calls: args[0..nargs) positional then len(kwnames) keyword values; all borrowed.
 * kwnames is NULL or a tuple of str. */
typedef PmObject *(*pm_vectorcallfunc)(PmVM *, PmObject *callable, PmObject *const *args,
                                       size_t nargs, PmObject *kwnames);
typedef PmObject *(*pm_newfunc)(PmVM *, PmType *, PmObject *const *args, size_t nargs,
                                PmObject *kwnames);
typedef int (*pm_initproc)(PmVM *, PmObject *, PmObject *const *args, size_t nargs,
                           PmObject *kwnames);
typedef int (*pm_visitproc)(PmVM *, PmObject *, void *arg);
/* Visits every strong reference the object holds, in the order CPython's tp_traverse does
 * (gc.get_referents shows it).  Stops and returns the first nonzero visit result. */
typedef int (*pm_traverseproc)(PmVM *, PmObject *, pm_visitproc, void *);
/* The modelled __sizeof__ in CPython 3.11 64-bit bytes (without GC and managed-dict headers). */
typedef Pm_ssize_t (*pm_sizeoffunc)(PmVM *, PmObject *);

/* ---- slot tables ---- */
typedef struct PmNumberMethods {
    pm_binaryfunc nb_add, nb_subtract, nb_multiply, nb_remainder, nb_divmod;
    pm_ternaryfunc nb_power;
    pm_unaryfunc nb_negative, nb_positive, nb_absolute;
    pm_inquiry nb_bool;
    pm_unaryfunc nb_invert;
    pm_binaryfunc nb_lshift, nb_rshift, nb_and, nb_xor, nb_or;
    pm_unaryfunc nb_int, nb_float;
    pm_binaryfunc nb_inplace_add, nb_inplace_subtract, nb_inplace_multiply,
        nb_inplace_remainder;
    pm_ternaryfunc nb_inplace_power;
    pm_binaryfunc nb_inplace_lshift, nb_inplace_rshift, nb_inplace_and, nb_inplace_xor,
        nb_inplace_or;
    pm_binaryfunc nb_floor_divide, nb_true_divide, nb_inplace_floor_divide,
        nb_inplace_true_divide;
    pm_unaryfunc nb_index;
    pm_binaryfunc nb_matrix_multiply, nb_inplace_matrix_multiply;
} PmNumberMethods;

typedef struct PmSequenceMethods {
    pm_lenfunc sq_length;
    pm_binaryfunc sq_concat;
    pm_ssizeargfunc sq_repeat;
    pm_ssizeargfunc sq_item;
    pm_objobjproc sq_contains;
    pm_binaryfunc sq_inplace_concat;
    pm_ssizeargfunc sq_inplace_repeat;
} PmSequenceMethods;

typedef struct PmMappingMethods {
    pm_lenfunc mp_length;
    pm_binaryfunc mp_subscript;
    pm_objobjargproc mp_ass_subscript;   /* value NULL deletes */
} PmMappingMethods;

/* Methods of builtin types.  Every C method has the one vectorcall-like signature;
 * `self` is the bound object (the type for PM_METH_CLASS). */
typedef PmObject *(*pm_cmethod)(PmVM *, PmObject *self, PmObject *const *args, size_t nargs,
                                PmObject *kwnames);
enum {
    PM_METH_VARARGS = 0,   /* any arguments; the function checks them */
    PM_METH_NOARGS = 1,    /* the caller checks: no arguments, "X() takes no arguments (N given)" */
    PM_METH_O = 2,         /* exactly one positional argument, checked by the caller */
    PM_METH_KEYWORDS = 4,  /* keyword arguments allowed (otherwise rejected by the caller) */
    PM_METH_CLASS = 8,     /* classmethod */
    PM_METH_STATIC = 16    /* staticmethod */
};
typedef struct PmMethodDef {
    const char *name;
    pm_cmethod meth;
    int flags;
} PmMethodDef;

typedef PmObject *(*pm_getter)(PmVM *, PmObject *);
typedef int (*pm_setter)(PmVM *, PmObject *, PmObject *value); /* NULL value deletes */
typedef struct PmGetSetDef {
    const char *name;
    pm_getter get;
    pm_setter set;
} PmGetSetDef;

/* Type flags (a subset of CPython's, same meaning). */
enum {
    PM_TPFLAGS_HEAPTYPE = 1u << 9,
    PM_TPFLAGS_BASETYPE = 1u << 10,
    PM_TPFLAGS_HAVE_GC = 1u << 14,
    PM_TPFLAGS_MANAGED_DICT = 1u << 4,
    PM_TPFLAGS_STATIC_OBJ = 1u << 0,      /* instances may be static (not in pymalloc) */
    /* CPython's Py_TPFLAGS_VALID_VERSION_TAG: set when the type attribute cache first looks
     * a name up on the type (PmType_Lookup; also on its bases), cleared by
     * pm_type_modified() on the type and its subclasses; only type.__flags__ reads it */
    PM_TPFLAGS_VALID_VERSION_TAG = 1u << 19,
    PM_TPFLAGS_IS_ABSTRACT = 1u << 20,    /* a true __abstractmethods__ was set (object_new refuses) */
    PM_TPFLAGS_LONG_SUBCLASS = 1u << 24,
    PM_TPFLAGS_LIST_SUBCLASS = 1u << 25,
    PM_TPFLAGS_TUPLE_SUBCLASS = 1u << 26,
    PM_TPFLAGS_BYTES_SUBCLASS = 1u << 27,
    PM_TPFLAGS_UNICODE_SUBCLASS = 1u << 28,
    PM_TPFLAGS_DICT_SUBCLASS = 1u << 29,
    PM_TPFLAGS_BASE_EXC_SUBCLASS = 1u << 30,
    PM_TPFLAGS_TYPE_SUBCLASS = 1u << 31
};

/*
 * A type object.  Builtin types are created per VM from const templates (each type file
 * defines `const PmType PmXxx_Template`); user classes are heap types.  Slots are stored by
 * value so a subclass can override any of them.
 */
struct PmType {
    PmVarObject ob_base;
    const char *tp_name;          /* builtin: "list"; heap types: utf-8 of ht_name */
    /* CPython's tp_doc of a builtin type: "NAME(SIGNATURE)\n--\n\n" then the docstring
     * when the type has a text signature; NULL: __doc__ is None.  NULL for heap types. */
    const char *tp_doc;
    Pm_ssize_t tp_basicsize;      /* modelled (CPython 3.11 64-bit) */
    Pm_ssize_t tp_itemsize;       /* modelled */
    uint32_t tp_flags;
    uint16_t tp_kind;             /* PMT_* index of the builtin type this is or derives from */
    pm_destructor tp_dealloc;
    pm_reprfunc tp_repr;
    PmNumberMethods tp_as_number;
    PmSequenceMethods tp_as_sequence;
    PmMappingMethods tp_as_mapping;
    pm_hashfunc tp_hash;          /* NULL: inherit; pm_hash_not_implemented: unhashable */
    pm_vectorcallfunc tp_call;
    pm_reprfunc tp_str;
    pm_getattrofunc tp_getattro;
    pm_setattrofunc tp_setattro;
    pm_traverseproc tp_traverse;
    pm_inquiry tp_clear;
    pm_richcmpfunc tp_richcompare;
    pm_getiterfunc tp_iter;
    pm_iternextfunc tp_iternext;
    const PmMethodDef *tp_methods;
    const PmGetSetDef *tp_getset;
    PmType *tp_base;
    PmObject *tp_dict;            /* dict: name -> attribute */
    pm_descrgetfunc tp_descr_get;
    pm_descrsetfunc tp_descr_set;
    pm_initproc tp_init;
    pm_newfunc tp_new;
    pm_destructor tp_finalize;    /* __del__ (PEP 442) */
    pm_sizeoffunc tp_sizeof;      /* NULL: basicsize + itemsize * |ob_size| */
    PmObject *tp_bases;           /* tuple */
    PmObject *tp_mro;             /* tuple */
    /* CPython's tp_subclasses: {id(subclass): weakref to it} for the live direct subclasses,
     * in creation order (typeattrs.c pm_type_add_subclass), or NULL before the first */
    PmObject *tp_subclasses;
    Pm_ssize_t tp_weaklistoffset; /* real byte offset of the weakref list head, 0: none */
    PmObject *tp_weaklist;        /* head of the weakrefs to this type object (weakrefobject.c) */
    /* heap types only */
    PmObject *ht_name, *ht_qualname, *ht_module, *ht_slots;
    Pm_ssize_t ht_nslots;         /* number of __slots__ member slots in instances */
    Pm_ssize_t ht_slot_offset;    /* real byte offset of the first slot */
    Pm_ssize_t ht_extra_offset;   /* real byte offset of PmInstanceExtra, 0: none */
    bool ht_has_dict;             /* instances may have attributes outside __slots__ */
    /* CPython's ht_cached_keys, for classes whose instances have a dict: the attribute
     * names instances share, in the block that models the keys object (object/instance.c
     * PmSharedKeys; not an object), or NULL */
    struct PmSharedKeys *ht_cached_keys;
};

/* Rich comparison ops (same numbers as CPython). */
enum { Pm_LT = 0, Pm_LE = 1, Pm_EQ = 2, Pm_NE = 3, Pm_GT = 4, Pm_GE = 5 };

#endif /* PM_OBJECT_H */
