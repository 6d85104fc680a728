/*
 * typeattrs.c -- what `type` tells about a class besides its name, dict and MRO:
 *
 *   - the layout CPython 3.11 on 64-bit Linux gives it: __basicsize__, __itemsize__,
 *     __flags__, __dictoffset__ and __weakrefoffset__ (modelled values, like tp_basicsize;
 *     the builtin types' are in `builtin_model` below, read from python3 3.11);
 *   - the version-tag flag CPython's attribute cache keeps (pm_type_assign_tag,
 *     pm_type_modified, pm_type_begin_run);
 *   - docstrings and text signatures of builtin types (their tp_doc);
 *   - the live direct subclasses (tp_subclasses, CPython's dict of weak references);
 *   - the class-level methods __subclasses__, __instancecheck__, __subclasscheck__,
 *     __prepare__, __dir__, and the attributes __abstractmethods__ and __annotations__.
 *
 * typeobject.c lists these in the `type` type's method and getset tables.
 */
#include "pm.h"

/* ------------------------------------------------------------------ CPython's flag bits */

enum {
    CPY_MANAGED_DICT = 1u << 4, CPY_SEQUENCE = 1u << 5, CPY_MAPPING = 1u << 6,
    CPY_HEAPTYPE = 1u << 9, CPY_BASETYPE = 1u << 10, CPY_READY = 1u << 12,
    CPY_HAVE_GC = 1u << 14, CPY_VALID_VERSION_TAG = 1u << 19, CPY_IS_ABSTRACT = 1u << 20,
    CPY_MATCH_SELF = 1u << 22, CPY_SUBCLASS_BITS = 0xff000000u,
    /* what a class inherits from its base besides its own heap-type flags */
    CPY_INHERITED = CPY_SUBCLASS_BITS | CPY_MATCH_SELF | CPY_SEQUENCE | CPY_MAPPING,
    /* the standard exception classes: BASE_EXC_SUBCLASS | HAVE_GC | READY | BASETYPE |
     * IMMUTABLETYPE */
    CPY_EXCEPTION_FLAGS = 0x40005500u
};

/*
 * The builtin types as `python3` 3.11 (64-bit Linux) reports them at the start of a script:
 * __flags__ (with Py_TPFLAGS_VALID_VERSION_TAG when CPython's start-up had already looked an
 * attribute up on the type), __dictoffset__ and __weakrefoffset__.  __basicsize__ and
 * __itemsize__ are the templates' tp_basicsize / tp_itemsize.
 */
typedef struct TypeModel {
    uint32_t flags;
    int16_t dictoffset, weaklistoffset;
} TypeModel;

static const TypeModel builtin_model[PMT__COUNT] = {
    [PMT_OBJECT] = {0x81500, 0, 0},          [PMT_TYPE] = {0x80085d00, 264, 368},
    [PMT_NONE] = {0x81100, 0, 0},            [PMT_NOTIMPL] = {0x1100, 0, 0},
    [PMT_ELLIPSIS] = {0x81100, 0, 0},        [PMT_INT] = {0x1481500, 0, 0},
    [PMT_BOOL] = {0x1481100, 0, 0},          [PMT_FLOAT] = {0x401500, 0, 0},
    [PMT_STR] = {0x10481500, 0, 0},          [PMT_TUPLE] = {0x4485520, 0, 0},
    [PMT_LIST] = {0x2485520, 0, 0},          [PMT_DICT] = {0x20485540, 0, 0},
    [PMT_SET] = {0x485500, 0, 192},          [PMT_FROZENSET] = {0x485500, 0, 192},
    [PMT_RANGE] = {0x81120, 0, 0},           [PMT_SLICE] = {0x5100, 0, 0},
    [PMT_FUNCTION] = {0xa5900, 88, 96},      [PMT_CODE] = {0x1100, 0, 144},
    [PMT_CELL] = {0x5100, 0, 0},             [PMT_METHOD] = {0x5900, 0, 32},
    [PMT_CFUNCTION] = {0x85980, 0, 40},      [PMT_METHOD_DESCR] = {0x25980, 0, 0},
    [PMT_CLASSMETHOD_DESCR] = {0x5180, 0, 0}, [PMT_GETSET_DESCR] = {0x85180, 0, 0},
    [PMT_MEMBER_DESCR] = {0x85180, 0, 0},    [PMT_WRAPPER_DESCR] = {0xa5180, 0, 0},
    [PMT_PROPERTY] = {0x85500, 0, 0},        [PMT_STATICMETHOD] = {0x85500, 24, 0},
    [PMT_CLASSMETHOD] = {0x85500, 24, 0},    [PMT_SUPER] = {0x5500, 0, 0},
    [PMT_MODULE] = {0x85500, 16, 40},        [PMT_GENERATOR] = {0x85180, 0, 24},
    [PMT_FRAME] = {0x85180, 0, 0},           [PMT_TRACEBACK] = {0x85100, 0, 0},
    [PMT_MAPPINGPROXY] = {0x85140, 0, 0},    [PMT_LIST_ITER] = {0x5180, 0, 0},
    [PMT_LIST_REVITER] = {0x5180, 0, 0},     [PMT_TUPLE_ITER] = {0x5180, 0, 0},
    [PMT_STR_ITER] = {0x5180, 0, 0},         [PMT_SET_ITER] = {0x5180, 0, 0},
    [PMT_RANGE_ITER] = {0x1180, 0, 0},       [PMT_LONGRANGE_ITER] = {0x1180, 0, 0},
    [PMT_SEQ_ITER] = {0x5180, 0, 0},         [PMT_CALL_ITER] = {0x5180, 0, 0},
    [PMT_DICT_KEYITER] = {0x85180, 0, 0},    [PMT_DICT_VALUEITER] = {0x5180, 0, 0},
    [PMT_DICT_ITEMITER] = {0x85180, 0, 0},   [PMT_DICT_REVKEYITER] = {0x5180, 0, 0},
    [PMT_DICT_REVVALUEITER] = {0x5180, 0, 0}, [PMT_DICT_REVITEMITER] = {0x5180, 0, 0},
    [PMT_DICT_KEYS] = {0x5180, 0, 0},        [PMT_DICT_VALUES] = {0x5180, 0, 0},
    [PMT_DICT_ITEMS] = {0x85180, 0, 0},      [PMT_ENUMERATE] = {0x5500, 0, 0},
    [PMT_ZIP] = {0x5500, 0, 0},              [PMT_MAP] = {0x85500, 0, 0},
    [PMT_FILTER] = {0x5500, 0, 0},           [PMT_REVERSED] = {0x5500, 0, 0},
    [PMT_WEAKREF] = {0x85d00, 0, 0},         [PMT_WEAKPROXY] = {0x5180, 0, 0},
    [PMT_WEAKCALLABLEPROXY] = {0x5180, 0, 0}, [PMT_TEXTIO] = {0x85500, 184, 176},
    [PMT_GENERIC_ALIAS] = {0x85d00, 0, 40},  [PMT_UNION] = {0x5180, 0, 0},
    [PMT_BASE_EXCEPTION] = {0x40085500, 16, 0},
};

/* The standard exception classes CPython's start-up has looked attributes up on. */
static const int exc_tagged_at_start[] = {
    PME_BaseException, PME_Exception, PME_TypeError, PME_AttributeError, PME_ImportError,
    PME_ModuleNotFoundError
};

static bool is_heap(PmType *tp)
{
    return PmType_HasFeature(tp, PM_TPFLAGS_HEAPTYPE);
}

static TypeModel static_model(PmVM *vm, PmType *tp)
{
    if (tp->tp_kind == PMT_BASE_EXCEPTION && tp != PMT(vm, BASE_EXCEPTION))
        return (TypeModel){CPY_EXCEPTION_FLAGS, 16, 0};
    return builtin_model[tp->tp_kind];
}

/* ------------------------------------------------------------------ version tags */

void pm_type_assign_tag(PmType *tp)
{
    for (; tp && !(tp->tp_flags & PM_TPFLAGS_VALID_VERSION_TAG); tp = tp->tp_base)
        tp->tp_flags |= PM_TPFLAGS_VALID_VERSION_TAG;
}

static void clear_tags(PmVM *vm, PmType *tp, int depth)
{
    if (!(tp->tp_flags & PM_TPFLAGS_VALID_VERSION_TAG) || depth > 1000) return;
    tp->tp_flags &= ~(uint32_t)PM_TPFLAGS_VALID_VERSION_TAG;
    Pm_ssize_t pos = 0;
    PmObject *key, *ref;
    while (tp->tp_subclasses && PmDict_Next(tp->tp_subclasses, &pos, &key, &ref)) {
        PmObject *sub = PmWeakref_Check(ref) ? PmWeakref_GetObject_Borrow(ref) : NULL;
        if (sub && PmType_Check(sub)) clear_tags(vm, (PmType *)sub, depth + 1);
    }
}

void pm_type_modified(PmVM *vm, PmType *tp)
{
    clear_tags(vm, tp, 0);
    PmType_Modified(vm);
}

void pm_type_begin_run(PmVM *vm)
{
    for (int k = 0; k < PMT__COUNT; k++) {
        PmType *tp = vm->types[k];
        if (tp == NULL) continue;
        tp->tp_flags = (tp->tp_flags & ~(uint32_t)PM_TPFLAGS_VALID_VERSION_TAG) |
                       (builtin_model[k].flags & CPY_VALID_VERSION_TAG);
    }
    for (int k = 0; k < PME__COUNT; k++)
        if (vm->exc_types[k]) vm->exc_types[k]->tp_flags &= ~(uint32_t)PM_TPFLAGS_VALID_VERSION_TAG;
    for (size_t i = 0; i < sizeof exc_tagged_at_start / sizeof exc_tagged_at_start[0]; i++)
        if (vm->exc_types[exc_tagged_at_start[i]])
            vm->exc_types[exc_tagged_at_start[i]]->tp_flags |= PM_TPFLAGS_VALID_VERSION_TAG;
    PmType_Modified(vm);     /* no cache entry may skip setting a tag again */
}

/* ------------------------------------------------------------------ the layout model */

uint32_t pm_type_model_flags(PmVM *vm, PmType *tp)
{
    uint32_t tag = tp->tp_flags & PM_TPFLAGS_VALID_VERSION_TAG;
    if (!is_heap(tp)) return (static_model(vm, tp).flags & ~(uint32_t)CPY_VALID_VERSION_TAG) | tag;
    uint32_t inherited = tp->tp_base ? pm_type_model_flags(vm, tp->tp_base) & CPY_INHERITED : 0;
    return CPY_HEAPTYPE | CPY_BASETYPE | CPY_HAVE_GC | CPY_READY | inherited | tag |
           (tp->tp_flags & (PM_TPFLAGS_MANAGED_DICT | PM_TPFLAGS_IS_ABSTRACT));
}

/* CPython's type_new_descriptors: a class that adds a __dict__ over a base without one
 * keeps it before the object (Py_TPFLAGS_MANAGED_DICT) at -basicsize - 3 pointers; one that
 * adds __weakref__ has it last, after its __slots__.  Other classes inherit the base's. */
Pm_ssize_t pm_type_model_dictoffset(PmVM *vm, PmType *tp)
{
    if (!is_heap(tp)) return static_model(vm, tp).dictoffset;
    PmType *base = tp->tp_base;
    if (PmType_HasFeature(tp, PM_TPFLAGS_MANAGED_DICT) &&
        !PmType_HasFeature(base, PM_TPFLAGS_MANAGED_DICT))
        return -tp->tp_basicsize - 3 * PM_MODEL_PTR;
    return base ? pm_type_model_dictoffset(vm, base) : 0;
}

Pm_ssize_t pm_type_model_weaklistoffset(PmVM *vm, PmType *tp)
{
    if (!is_heap(tp)) return static_model(vm, tp).weaklistoffset;
    PmType *base = tp->tp_base;
    if (tp->tp_weaklistoffset && base && base->tp_weaklistoffset == 0)
        return tp->tp_basicsize - PM_MODEL_PTR;
    return base ? pm_type_model_weaklistoffset(vm, base) : 0;
}

PmObject *pm_type_get_basicsize(PmVM *vm, PmObject *o)
{
    return PmLong_FromSsize_t(vm, ((PmType *)o)->tp_basicsize);
}

PmObject *pm_type_get_itemsize(PmVM *vm, PmObject *o)
{
    return PmLong_FromSsize_t(vm, ((PmType *)o)->tp_itemsize);
}

PmObject *pm_type_get_flags(PmVM *vm, PmObject *o)
{
    return PmLong_FromUnsignedLongLong(vm, pm_type_model_flags(vm, (PmType *)o));
}

PmObject *pm_type_get_dictoffset(PmVM *vm, PmObject *o)
{
    return PmLong_FromSsize_t(vm, pm_type_model_dictoffset(vm, (PmType *)o));
}

PmObject *pm_type_get_weakrefoffset(PmVM *vm, PmObject *o)
{
    return PmLong_FromSsize_t(vm, pm_type_model_weaklistoffset(vm, (PmType *)o));
}

/* ------------------------------------------------------------------ docstrings */

enum { SIG_END_LEN = 6 };   /* ")\n--\n\n" */

/* CPython's find_signature: the "(" after the type's name (last dotted part) at the start
 * of the doc, or NULL. */
static const char *find_signature(const char *name, const char *doc)
{
    if (doc == NULL) return NULL;
    const char *dot = strrchr(name, '.');
    if (dot) name = dot + 1;
    size_t n = strlen(name);
    if (strncmp(doc, name, n) != 0 || doc[n] != '(') return NULL;
    return doc + n;
}

/* CPython's skip_signature: just past ")\n--\n\n", or NULL at a blank line or the end. */
static const char *skip_signature(const char *p)
{
    for (; *p; p++) {
        if (strncmp(p, ")\n--\n\n", SIG_END_LEN) == 0) return p + SIG_END_LEN;
        if (p[0] == '\n' && p[1] == '\n') return NULL;
    }
    return NULL;
}

PmObject *pm_type_doc_from_internal(PmVM *vm, const char *name, const char *doc)
{
    if (doc == NULL) return Pm_RETURN_NONE(vm);
    const char *sig = find_signature(name, doc);
    const char *rest = sig ? skip_signature(sig) : NULL;
    return PmStr_FromString(vm, rest ? rest : doc);
}

static PmObject *text_signature(PmVM *vm, const char *name, const char *doc)
{
    const char *start = find_signature(name, doc);
    const char *end = start ? skip_signature(start) : NULL;
    if (end == NULL) return Pm_RETURN_NONE(vm);
    end -= SIG_END_LEN - 1;       /* just past the final ')' */
    return PmStr_FromUTF8(vm, start, (size_t)(end - start));
}

/* type.__text_signature__: from a builtin type's tp_doc, or from the docstring a class body
 * gave (CPython copies it into tp_doc when the class is made). */
PmObject *pm_type_get_text_signature(PmVM *vm, PmObject *o)
{
    PmType *tp = (PmType *)o;
    if (!is_heap(tp)) return text_signature(vm, tp->tp_name, tp->tp_doc);
    PmObject *doc = PmDict_GetItem_Borrow(vm, tp->tp_dict, PMID(vm, __doc__));
    if (doc == NULL || !PmStr_Check(doc)) return Pm_RETURN_NONE(vm);
    const char *s = PmStr_AsUTF8(vm, doc, NULL);
    if (s == NULL) return NULL;
    return text_signature(vm, tp->tp_name, s);
}

/* ------------------------------------------------------------------ subclasses */

static PmObject *subclass_key(PmVM *vm, PmType *tp)
{
    return PmLong_FromUnsignedLongLong(vm, (unsigned long long)(uintptr_t)tp);
}

/* CPython's add_subclass: base.tp_subclasses[id(tp)] = weakref.ref(tp).  The key and the
 * reference are made before the dict, as in CPython. */
int pm_type_add_subclass(PmVM *vm, PmType *base, PmType *tp)
{
    PmObject *key = subclass_key(vm, tp);
    if (key == NULL) return -1;
    PmObject *ref = PmWeakref_NewRef(vm, (PmObject *)tp, NULL);
    if (ref == NULL) {
        Pm_DECREF(vm, key);
        return -1;
    }
    int r = 0;
    if (base->tp_subclasses == NULL && (base->tp_subclasses = PmDict_New(vm)) == NULL) r = -1;
    if (r == 0) r = PmDict_SetItem(vm, base->tp_subclasses, key, ref);
    Pm_DECREF(vm, ref);
    Pm_DECREF(vm, key);
    return r;
}

/* CPython's remove_subclass (type_dealloc): the entry goes; an exception is swallowed. */
void pm_type_remove_subclass(PmVM *vm, PmType *base, PmType *tp)
{
    if (base == NULL || base->tp_subclasses == NULL) return;
    PmObject *saved = PmErr_Fetch(vm);
    PmObject *key = subclass_key(vm, tp);
    if (key && PmDict_DelItem(vm, base->tp_subclasses, key) < 0) PmErr_Clear(vm);
    Pm_XDECREF(vm, key);
    PmErr_Clear(vm);
    if (PmDict_Check(base->tp_subclasses) && PmDict_Size(base->tp_subclasses) == 0)
        Pm_CLEAR(vm, base->tp_subclasses);
    PmErr_Restore(vm, saved);
}

static PmObject *type_subclasses(PmVM *vm, PmObject *self, PmObject *const *args,
                                 size_t nargs, PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmObject *list = PmList_New(vm, 0), *dict = ((PmType *)self)->tp_subclasses;
    if (list == NULL || dict == NULL) return list;
    Pm_INCREF(dict);
    Pm_ssize_t pos = 0;
    PmObject *key, *ref;
    while (PmDict_Next(dict, &pos, &key, &ref)) {
        PmObject *sub = PmWeakref_GetObject_Borrow(ref);
        if (sub && PmList_Append(vm, list, sub) < 0) {
            Pm_CLEAR(vm, list);
            break;
        }
    }
    Pm_DECREF(vm, dict);
    return list;
}

/* ------------------------------------------------------------------ class-level methods */

static PmObject *type_instancecheck(PmVM *vm, PmObject *self, PmObject *const *args,
                                    size_t nargs, PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    int r = PmObject_IsInstance(vm, args[0], self);
    return r < 0 ? NULL : Pm_Bool(vm, r);
}

static PmObject *type_subclasscheck(PmVM *vm, PmObject *self, PmObject *const *args,
                                    size_t nargs, PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    int r = PmObject_IsSubclass(vm, args[0], self);
    return r < 0 ? NULL : Pm_Bool(vm, r);
}

/* type.__prepare__(name, bases, **kwds): the namespace of a class body, a new dict. */
static PmObject *type_prepare(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    return PmDict_New(vm);
}

/* CPython's merge_class_dict: the class's dict and, recursively, its bases'. */
int pm_merge_class_dict(PmVM *vm, PmObject *dict, PmObject *cls)
{
    if (!PmType_Check(cls)) return 0;
    PmType *tp = (PmType *)cls;
    if (tp->tp_dict && PmDict_Merge(vm, dict, tp->tp_dict, true) < 0) return -1;
    PmObject *bases = tp->tp_bases;
    for (Pm_ssize_t i = 0; bases && i < Pm_SIZE(bases); i++) {
        if (pm_enter_recursive_call(vm, " in __dir__")) return -1;
        int r = pm_merge_class_dict(vm, dict, PmTuple_GET_ITEM(bases, i));
        pm_leave_recursive_call(vm);
        if (r < 0) return -1;
    }
    return 0;
}

/* type.__dir__: the names in the class and its bases (not the metaclass's). */
static PmObject *type_dir(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                          PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmObject *dict = PmDict_New(vm);
    if (dict == NULL) return NULL;
    PmObject *keys = pm_merge_class_dict(vm, dict, self) < 0 ? NULL : PmDict_Keys(vm, dict);
    Pm_DECREF(vm, dict);
    return keys;
}

static PmObject *type_mro_meth(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmObject *mro = ((PmType *)self)->tp_mro;
    PmObject *l = PmList_New(vm, 0);
    if (l == NULL) return NULL;
    for (Pm_ssize_t i = 0; i < Pm_SIZE(mro); i++) {
        if (PmList_Append(vm, l, PmTuple_GET_ITEM(mro, i)) < 0) {
            Pm_DECREF(vm, l);
            return NULL;
        }
    }
    return l;
}

static PmObject *type_sizeof_meth(PmVM *vm, PmObject *self, PmObject *const *args,
                                  size_t nargs, PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    /* CPython 3.11: sizeof(PyHeapTypeObject) for classes, PyTypeObject for builtins. */
    /* plus the shared keys of a class whose instances have a dict (type___sizeof__) */
    bool heap = PmType_HasFeature((PmType *)self, PM_TPFLAGS_HEAPTYPE);
    return PmLong_FromSsize_t(vm, heap ? 904 + (Pm_ssize_t)pm_shared_keys_sizeof((PmType *)self)
                                       : 408);
}

/* The methods of `type`, in CPython's order (typeobject.c's template points here). */
const PmMethodDef pm_type_attr_methods[] = {
    {"mro", type_mro_meth, PM_METH_NOARGS},
    {"__subclasses__", type_subclasses, PM_METH_NOARGS},
    {"__prepare__", type_prepare, PM_METH_VARARGS | PM_METH_KEYWORDS | PM_METH_CLASS},
    {"__instancecheck__", type_instancecheck, PM_METH_O},
    {"__subclasscheck__", type_subclasscheck, PM_METH_O},
    {"__dir__", type_dir, PM_METH_NOARGS},
    {"__sizeof__", type_sizeof_meth, PM_METH_NOARGS},
    {NULL, NULL, 0}
};

/* ------------------------------------------------------------------ __abstractmethods__ */

PmObject *pm_type_get_abstractmethods(PmVM *vm, PmObject *o)
{
    PmType *tp = (PmType *)o;
    /* type itself has a __abstractmethods__ descriptor in its dict: not an answer */
    PmObject *v = tp == PMT(vm, TYPE) ? NULL
                  : PmDict_GetItem_Borrow(vm, tp->tp_dict, PMID(vm, __abstractmethods__));
    if (v) return Pm_NewRef(v);
    if (!PmErr_Occurred(vm)) PmErr_SetObject(vm, PME(vm, AttributeError), PMID(vm, __abstractmethods__));
    return NULL;
}

int pm_type_set_abstractmethods(PmVM *vm, PmObject *o, PmObject *value)
{
    PmType *tp = (PmType *)o;
    int abstract = 0, r;
    if (value) {
        if ((abstract = PmObject_IsTrue(vm, value)) < 0) return -1;
        r = PmDict_SetItem(vm, tp->tp_dict, PMID(vm, __abstractmethods__), value);
    } else {
        r = PmDict_DelItem(vm, tp->tp_dict, PMID(vm, __abstractmethods__));
        if (r < 0 && PmErr_ExceptionMatches(vm, PME(vm, KeyError))) {
            PmErr_Clear(vm);
            PmErr_SetObject(vm, PME(vm, AttributeError), PMID(vm, __abstractmethods__));
            return -1;
        }
    }
    if (r == 0) {
        pm_type_modified(vm, tp);
        if (abstract) tp->tp_flags |= PM_TPFLAGS_IS_ABSTRACT;
        else tp->tp_flags &= ~(uint32_t)PM_TPFLAGS_IS_ABSTRACT;
    }
    return r;
}

/* object.__new__ of an abstract class: "Can't instantiate abstract class A with abstract
 * methods f, g" (the sorted names). */
PmObject *pm_type_abstract_error(PmVM *vm, PmType *tp)
{
    PmObject *names = pm_type_get_abstractmethods(vm, (PmObject *)tp);
    PmObject *sorted = names ? PmSequence_List(vm, names) : NULL;
    Pm_XDECREF(vm, names);
    if (sorted == NULL || PmList_Sort(vm, sorted, NULL, false) < 0) {
        Pm_XDECREF(vm, sorted);
        return NULL;
    }
    PmObject *sep = PmStr_FromString(vm, ", ");
    PmObject *joined = sep ? PmStr_Join(vm, sep, sorted) : NULL;
    Pm_XDECREF(vm, sep);
    Pm_ssize_t n = Pm_SIZE(sorted);
    Pm_DECREF(vm, sorted);
    if (joined == NULL) return NULL;
    PmErr_Format(vm, PME(vm, TypeError), "Can't instantiate abstract class %s with abstract method%s %U",
                 tp->tp_name, n > 1 ? "s" : "", joined);
    Pm_DECREF(vm, joined);
    return NULL;
}

/* ------------------------------------------------------------------ __annotations__ */

PmObject *pm_type_get_annotations(PmVM *vm, PmObject *o)
{
    PmType *tp = (PmType *)o;
    if (!is_heap(tp)) {
        return PmErr_Format(vm, PME(vm, AttributeError),
                            "type object '%s' has no attribute '__annotations__'", tp->tp_name);
    }
    PmObject *ann = PmDict_GetItem_Borrow(vm, tp->tp_dict, PMID(vm, __annotations__));
    if (ann) {
        pm_descrgetfunc get = Pm_TYPE(ann)->tp_descr_get;
        return get ? get(vm, ann, NULL, o) : Pm_NewRef(ann);
    }
    if (PmErr_Occurred(vm) || (ann = PmDict_New(vm)) == NULL) return NULL;
    if (PmDict_SetItem(vm, tp->tp_dict, PMID(vm, __annotations__), ann) < 0) {
        Pm_DECREF(vm, ann);
        return NULL;
    }
    pm_type_modified(vm, tp);
    return ann;
}

int pm_type_set_annotations(PmVM *vm, PmObject *o, PmObject *value)
{
    PmType *tp = (PmType *)o;
    if (!is_heap(tp)) {
        PmErr_Format(vm, PME(vm, TypeError),
                     "cannot set '__annotations__' attribute of immutable type '%s'", tp->tp_name);
        return -1;
    }
    int r;
    if (value) {
        r = PmDict_SetItem(vm, tp->tp_dict, PMID(vm, __annotations__), value);
    } else {
        if (!PmDict_GetItem_Borrow(vm, tp->tp_dict, PMID(vm, __annotations__))) {
            if (!PmErr_Occurred(vm)) PmErr_SetString(vm, PME(vm, AttributeError), "__annotations__");
            return -1;
        }
        r = PmDict_DelItem(vm, tp->tp_dict, PMID(vm, __annotations__));
    }
    if (r == 0) pm_type_modified(vm, tp);
    return r;
}
