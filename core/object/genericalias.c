/*
 * genericalias.c -- types.GenericAlias (list[int], CPython's Objects/genericaliasobject.c)
 * and types.UnionType (int | str, Objects/unionobject.c) as CPython 3.11 has them.
 *
 * list[int] calls list.__class_getitem__(int) (pm_generic_alias_class_getitem, in the
 * method tables of list, tuple, dict, set and frozenset), which makes a GenericAlias:
 * __origin__ list, __args__ (int,).  It repr()s as the subscription, compares equal to an
 * alias with the same origin and args, calls its origin (list[int]() is []) and forwards
 * every other attribute to the origin.  `X | Y` of types, None, aliases and unions is
 * type's (and these two types') nb_or: a UnionType of the flattened, deduplicated
 * arguments (or the one argument left).  isinstance() and issubclass() look through a
 * union's arguments (object/abstract.c).
 *
 * There are no type variables in the language subset, so __parameters__ is always () and
 * subscripting an alias or a union is the error CPython gives for one without parameters;
 * iterating an alias (*tuple[int]) is not supported.
 */
#include "pm.h"

/* ------------------------------------------------------------------ types.GenericAlias */

typedef struct PmGenericAlias {
    PmObject ob_base;
    PmObject *origin;
    PmObject *args;              /* tuple */
    PmObject *weakreflist;
    bool starred;                /* CPython's *tuple[int]; never set here */
} PmGenericAlias;

typedef struct PmUnion {
    PmObject ob_base;
    PmObject *args;              /* tuple of at least two distinct types, aliases, None's type */
} PmUnion;

#define GA(o) ((PmGenericAlias *)(o))
#define GA_CHECK(o) (Pm_KIND(o) == PMT_GENERIC_ALIAS)
#define UNION_CHECK(o) (Pm_KIND(o) == PMT_UNION)

/* CPython 3.11 64-bit: sizeof(gaobject) 64 and sizeof(unionobject) 32, plus the GC head. */
enum { GA_MODEL_SIZE = 64, UNION_MODEL_SIZE = 32 };

static PmObject *ga_make(PmVM *vm, PmType *tp, PmObject *origin, PmObject *args)
{
    PmObject *t = PmTuple_Check(args) ? Pm_NewRef(args) : PmTuple_Pack(vm, 1, args);
    if (t == NULL) return NULL;
    PmGenericAlias *ga = (PmGenericAlias *)pm_object_alloc(vm, tp, sizeof(PmGenericAlias),
                                                           GA_MODEL_SIZE + PM_MODEL_GC_HEAD);
    if (ga == NULL) {
        Pm_DECREF(vm, t);
        return NULL;
    }
    ga->origin = Pm_NewRef(origin);
    ga->args = t;
    pm_gc_track(vm, (PmObject *)ga);
    return (PmObject *)ga;
}

/* cls.__class_getitem__(item): cls[item] for list, tuple, dict, set and frozenset. */
PmObject *pm_generic_alias_class_getitem(PmVM *vm, PmObject *cls, PmObject *const *args,
                                         size_t nargs, PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    return ga_make(vm, PMT(vm, GENERIC_ALIAS), cls, args[0]);
}

static void ga_dealloc(PmVM *vm, PmObject *o)
{
    pm_gc_untrack(vm, o);
    if (GA(o)->weakreflist) pm_weakref_clear_all(vm, o);
    Pm_CLEAR(vm, GA(o)->origin);
    Pm_CLEAR(vm, GA(o)->args);
    pm_object_free(vm, o);
}

static int ga_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    Pm_VISIT(vm, GA(o)->origin);
    Pm_VISIT(vm, GA(o)->args);
    return 0;
}

/* CPython's ga_repr_item / union_repr_item: '...' for Ellipsis, repr() of an alias, the
 * qualified name of a class (bare for builtins), repr() of anything else. */
static int repr_item(PmVM *vm, PmStrWriter *w, PmObject *p)
{
    if (p == Pm_Ellipsis(vm)) return PmStrWriter_WriteASCII(vm, w, "...", 3);
    PmObject *r = NULL, *qualname = NULL, *module = NULL, *tmp;
    if ((tmp = PmObject_LookupAttr(vm, p, PMID(vm, __origin__))) != NULL) {
        Pm_DECREF(vm, tmp);
        if ((tmp = PmObject_LookupAttr(vm, p, PMID(vm, __args__))) != NULL) {
            Pm_DECREF(vm, tmp);
            goto use_repr;
        }
    }
    if (PmErr_Occurred(vm)) return -1;
    qualname = PmObject_LookupAttr(vm, p, PMID(vm, __qualname__));
    if (qualname == NULL) goto use_repr;
    module = PmObject_LookupAttr(vm, p, PMID(vm, __module__));
    if (module == NULL || module == Pm_None(vm)) goto use_repr;
    if (PmStr_Check(module) && PmStr_EqualToASCII(module, "builtins"))
        r = PmObject_Str(vm, qualname);
    else
        r = PmStr_FromFormat(vm, "%S.%S", module, qualname);
    goto done;
use_repr:
    if (!PmErr_Occurred(vm)) r = PmObject_Repr(vm, p);
done:
    Pm_XDECREF(vm, qualname);
    Pm_XDECREF(vm, module);
    int err = r ? PmStrWriter_WriteStr(vm, w, r) : -1;
    Pm_XDECREF(vm, r);
    return err;
}

static PmObject *ga_repr(PmVM *vm, PmObject *o)
{
    PmStrWriter w;
    PmStrWriter_Init(&w);
    PmObject *args = GA(o)->args;
    Pm_ssize_t n = Pm_SIZE(args);
    int err = (GA(o)->starred && PmStrWriter_WriteChar(vm, &w, '*') < 0) ||
              repr_item(vm, &w, GA(o)->origin) < 0 || PmStrWriter_WriteChar(vm, &w, '[') < 0;
    for (Pm_ssize_t i = 0; !err && i < n; i++)
        err = (i > 0 && PmStrWriter_WriteASCII(vm, &w, ", ", 2) < 0) ||
              repr_item(vm, &w, PmTuple_GET_ITEM(args, i)) < 0;
    if (!err && n == 0) err = PmStrWriter_WriteASCII(vm, &w, "()", 2) < 0;   /* tuple[()] */
    if (!err) err = PmStrWriter_WriteChar(vm, &w, ']') < 0;
    if (err) {
        PmStrWriter_Dealloc(vm, &w);
        return NULL;
    }
    return PmStrWriter_Finish(vm, &w);
}

static Pm_hash_t ga_hash(PmVM *vm, PmObject *o)
{
    Pm_hash_t h0 = PmObject_Hash(vm, GA(o)->origin);
    if (h0 == -1) return -1;
    Pm_hash_t h1 = PmObject_Hash(vm, GA(o)->args);
    if (h1 == -1) return -1;
    return h0 ^ h1;
}

static PmObject *ga_richcompare(PmVM *vm, PmObject *a, PmObject *b, int op)
{
    if (!GA_CHECK(b) || (op != Pm_EQ && op != Pm_NE)) return Pm_NewRef(Pm_NotImplemented(vm));
    if (op == Pm_NE) {
        PmObject *eq = ga_richcompare(vm, a, b, Pm_EQ);
        if (eq == NULL) return NULL;
        Pm_DECREF(vm, eq);
        return Pm_Bool(vm, eq != Pm_True(vm));
    }
    if (GA(a)->starred != GA(b)->starred) return Pm_Bool(vm, false);
    int eq = PmObject_RichCompareBool(vm, GA(a)->origin, GA(b)->origin, Pm_EQ);
    if (eq <= 0) return eq < 0 ? NULL : Pm_Bool(vm, false);
    return PmObject_RichCompare(vm, GA(a)->args, GA(b)->args, Pm_EQ);
}

/* list[int](...) is list(...), which gets __orig_class__ when it takes attributes. */
static PmObject *ga_call(PmVM *vm, PmObject *o, PmObject *const *args, size_t nargs,
                         PmObject *kwnames)
{
    PmObject *obj = PmObject_Vectorcall(vm, GA(o)->origin, args, nargs, kwnames);
    if (obj && PmObject_SetAttr(vm, obj, PMID(vm, __orig_class__), o) < 0) {
        if (!PmErr_ExceptionMatches(vm, PME(vm, AttributeError)) &&
            !PmErr_ExceptionMatches(vm, PME(vm, TypeError))) {
            Pm_DECREF(vm, obj);
            return NULL;
        }
        PmErr_Clear(vm);
    }
    return obj;
}

/* The attributes an alias answers itself (CPython 3.11's attr_exceptions); every other
 * name is looked up on the origin. */
static const char *const ga_own_attrs[] = {
    "__class__", "__origin__", "__args__", "__unpacked__", "__parameters__",
    "__typing_unpacked_tuple_args__", "__mro_entries__", "__reduce_ex__", "__reduce__",
    "__copy__", "__deepcopy__", NULL
};

static PmObject *ga_getattro(PmVM *vm, PmObject *o, PmObject *name)
{
    if (PmStr_Check(name)) {
        const char *const *p = ga_own_attrs;
        while (*p && !PmStr_EqualToASCII(name, *p)) p++;
        if (*p == NULL) return PmObject_GetAttr(vm, GA(o)->origin, name);
    }
    return PmObject_GenericGetAttr(vm, o, name);
}

/* alias[...] and union[...]: substitution needs type variables, and there are none. */
static PmObject *not_generic(PmVM *vm, PmObject *o, PmObject *item)
{
    (void)item;
    return PmErr_Format(vm, PME(vm, TypeError), "%R is not a generic class", o);
}

static PmObject *ga_mro_entries(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    return PmTuple_Pack(vm, 1, GA(self)->origin);
}

static PmObject *ga_instancecheck(PmVM *vm, PmObject *self, PmObject *const *args,
                                  size_t nargs, PmObject *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    return PmErr_Format(vm, PME(vm, TypeError),
                        "isinstance() argument 2 cannot be a parameterized generic");
}

static PmObject *ga_subclasscheck(PmVM *vm, PmObject *self, PmObject *const *args,
                                  size_t nargs, PmObject *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    return PmErr_Format(vm, PME(vm, TypeError),
                        "issubclass() argument 2 cannot be a parameterized generic");
}

static PmObject *ga_reduce(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmObject *inner = PmTuple_Pack(vm, 2, GA(self)->origin, GA(self)->args);
    if (inner == NULL) return NULL;
    PmObject *r = PmTuple_Pack(vm, 2, (PmObject *)Pm_TYPE(self), inner);
    Pm_DECREF(vm, inner);
    return r;
}

/* dir(alias): dir(origin) and the alias's own names. */
static PmObject *ga_dir(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                        PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmObject *dir = pm_builtins_dir(vm, GA(self)->origin);
    for (const char *const *p = ga_own_attrs; dir && *p; p++) {
        PmObject *name = PmStr_FromString(vm, *p);
        int has = name ? PmSequence_Contains(vm, dir, name) : -1;
        if (has < 0 || (has == 0 && PmList_Append(vm, dir, name) < 0)) Pm_CLEAR(vm, dir);
        Pm_XDECREF(vm, name);
    }
    return dir;
}

static PmObject *ga_get_origin(PmVM *vm, PmObject *o)
{
    (void)vm;
    return Pm_NewRef(GA(o)->origin);
}

static PmObject *ga_get_args(PmVM *vm, PmObject *o)
{
    (void)vm;
    return Pm_NewRef(GA(o)->args);
}

static PmObject *ga_get_unpacked(PmVM *vm, PmObject *o)
{
    return Pm_Bool(vm, GA(o)->starred);
}

static PmObject *get_parameters(PmVM *vm, PmObject *o)
{
    (void)o;
    return Pm_NewRef(vm->empty_tuple);
}

static PmObject *ga_get_unpacked_tuple_args(PmVM *vm, PmObject *o)
{
    if (GA(o)->starred && GA(o)->origin == (PmObject *)PMT(vm, TUPLE)) return Pm_NewRef(GA(o)->args);
    return Pm_RETURN_NONE(vm);
}

/* types.GenericAlias(origin, args) */
static PmObject *ga_new(PmVM *vm, PmType *tp, PmObject *const *args, size_t nargs,
                        PmObject *kwnames)
{
    if (pm_no_kwargs(vm, "GenericAlias", kwnames) < 0) return NULL;
    if (pm_check_positional(vm, "GenericAlias", nargs, 2, 2) < 0) return NULL;
    return ga_make(vm, tp, args[0], args[1]);
}

static const PmMethodDef ga_methods[] = {
    {"__mro_entries__", ga_mro_entries, PM_METH_O},
    {"__instancecheck__", ga_instancecheck, PM_METH_O},
    {"__subclasscheck__", ga_subclasscheck, PM_METH_O},
    {"__reduce__", ga_reduce, PM_METH_NOARGS},
    {"__dir__", ga_dir, PM_METH_NOARGS},
    {NULL, NULL, 0}
};

static const PmGetSetDef ga_getset[] = {
    {"__origin__", ga_get_origin, NULL},
    {"__args__", ga_get_args, NULL},
    {"__unpacked__", ga_get_unpacked, NULL},
    {"__parameters__", get_parameters, NULL},
    {"__typing_unpacked_tuple_args__", ga_get_unpacked_tuple_args, NULL},
    {NULL, NULL, NULL}
};

/* ------------------------------------------------------------------ types.UnionType */

static bool is_unionable(PmVM *vm, PmObject *o)
{
    return o == Pm_None(vm) || PmType_Check(o) || GA_CHECK(o) || UNION_CHECK(o);
}

/* Duplicates: aliases compare by value, everything else by identity. */
static int is_same(PmVM *vm, PmObject *a, PmObject *b)
{
    if (GA_CHECK(a) && GA_CHECK(b)) return PmObject_RichCompareBool(vm, a, b, Pm_EQ);
    return a == b;
}

/* Append `o` (None as its type; a union's arguments) to `items` unless already there. */
static int add_args(PmVM *vm, PmObject *items, PmObject *o)
{
    if (UNION_CHECK(o)) {
        PmObject *args = ((PmUnion *)o)->args;
        for (Pm_ssize_t i = 0; i < Pm_SIZE(args); i++)
            if (add_args(vm, items, PmTuple_GET_ITEM(args, i)) < 0) return -1;
        return 0;
    }
    if (o == Pm_None(vm)) o = (PmObject *)PMT(vm, NONE);
    for (Pm_ssize_t i = 0; i < Pm_SIZE(items); i++) {
        int same = is_same(vm, PmList_GET_ITEM(items, i), o);
        if (same) return same < 0 ? -1 : 0;
    }
    return PmList_Append(vm, items, o);
}

/* CPython's _Py_union_type_or: the nb_or of type, GenericAlias and UnionType. */
PmObject *pm_union_type_or(PmVM *vm, PmObject *self, PmObject *other)
{
    if (!is_unionable(vm, self) || !is_unionable(vm, other))
        return Pm_NewRef(Pm_NotImplemented(vm));
    PmObject *items = PmList_New(vm, 0);
    if (items == NULL) return NULL;
    if (add_args(vm, items, self) < 0 || add_args(vm, items, other) < 0) {
        Pm_DECREF(vm, items);
        return NULL;
    }
    if (Pm_SIZE(items) == 1) {
        PmObject *only = Pm_NewRef(PmList_GET_ITEM(items, 0));
        Pm_DECREF(vm, items);
        return only;
    }
    PmObject *args = PmList_AsTuple(vm, items);
    Pm_DECREF(vm, items);
    if (args == NULL) return NULL;
    PmUnion *u = (PmUnion *)pm_object_alloc(vm, PMT(vm, UNION), sizeof(PmUnion),
                                            UNION_MODEL_SIZE + PM_MODEL_GC_HEAD);
    if (u == NULL) {
        Pm_DECREF(vm, args);
        return NULL;
    }
    u->args = args;
    pm_gc_track(vm, (PmObject *)u);
    return (PmObject *)u;
}

PmObject *pm_union_args_borrow(PmObject *u)
{
    return UNION_CHECK(u) ? ((PmUnion *)u)->args : NULL;
}

static void union_dealloc(PmVM *vm, PmObject *o)
{
    pm_gc_untrack(vm, o);
    Pm_CLEAR(vm, ((PmUnion *)o)->args);
    pm_object_free(vm, o);
}

static int union_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    Pm_VISIT(vm, ((PmUnion *)o)->args);
    return 0;
}

static PmObject *union_repr(PmVM *vm, PmObject *o)
{
    PmObject *args = ((PmUnion *)o)->args;
    PmStrWriter w;
    PmStrWriter_Init(&w);
    int err = 0;
    for (Pm_ssize_t i = 0; !err && i < Pm_SIZE(args); i++) {
        PmObject *p = PmTuple_GET_ITEM(args, i);
        err = i > 0 && PmStrWriter_WriteASCII(vm, &w, " | ", 3) < 0;
        if (!err && p == (PmObject *)PMT(vm, NONE)) err = PmStrWriter_WriteASCII(vm, &w, "None", 4) < 0;
        else if (!err) err = repr_item(vm, &w, p) < 0;
    }
    if (err) {
        PmStrWriter_Dealloc(vm, &w);
        return NULL;
    }
    return PmStrWriter_Finish(vm, &w);
}

static Pm_hash_t union_hash(PmVM *vm, PmObject *o)
{
    PmObject *set = PmFrozenSet_New(vm, ((PmUnion *)o)->args);
    if (set == NULL) return -1;
    Pm_hash_t h = PmObject_Hash(vm, set);
    Pm_DECREF(vm, set);
    return h;
}

/* Unions are equal when their arguments are, as sets. */
static PmObject *union_richcompare(PmVM *vm, PmObject *a, PmObject *b, int op)
{
    if (!UNION_CHECK(b) || (op != Pm_EQ && op != Pm_NE)) return Pm_NewRef(Pm_NotImplemented(vm));
    PmObject *sa = PmSet_New(vm, ((PmUnion *)a)->args);
    PmObject *sb = sa ? PmSet_New(vm, ((PmUnion *)b)->args) : NULL;
    PmObject *r = sb ? PmObject_RichCompare(vm, sa, sb, op) : NULL;
    Pm_XDECREF(vm, sa);
    Pm_XDECREF(vm, sb);
    return r;
}

/* u.__module__ is the type's ('types'); other names as for any object. */
static PmObject *union_getattro(PmVM *vm, PmObject *o, PmObject *name)
{
    if (PmStr_Check(name) && PmStr_EqualToASCII(name, "__module__"))
        return PmObject_GetAttr(vm, (PmObject *)Pm_TYPE(o), name);
    return PmObject_GenericGetAttr(vm, o, name);
}

static PmObject *union_get_args(PmVM *vm, PmObject *o)
{
    (void)vm;
    return Pm_NewRef(((PmUnion *)o)->args);
}

static const PmGetSetDef union_getset[] = {
    {"__args__", union_get_args, NULL},
    {"__parameters__", get_parameters, NULL},
    {NULL, NULL, NULL}
};

/* ------------------------------------------------------------------ the types */

const PmType PmGenericAlias_Template = {
    .tp_name = "types.GenericAlias",
    .tp_doc = "Represent a PEP 585 generic type\n\n"
              "E.g. for t = list[int], t.__origin__ is list and t.__args__ is (int,).",
    .tp_basicsize = GA_MODEL_SIZE,
    .tp_flags = PM_TPFLAGS_HAVE_GC,     /* CPython's is a base type; subclasses are not modelled */
    .tp_kind = PMT_GENERIC_ALIAS,
    .tp_dealloc = ga_dealloc,
    .tp_repr = ga_repr,
    .tp_as_number = { .nb_or = pm_union_type_or },
    .tp_as_mapping = { .mp_subscript = not_generic },
    .tp_hash = ga_hash,
    .tp_call = ga_call,
    .tp_getattro = ga_getattro,
    .tp_traverse = ga_traverse,
    .tp_richcompare = ga_richcompare,
    .tp_weaklistoffset = offsetof(PmGenericAlias, weakreflist),
    .tp_methods = ga_methods,
    .tp_getset = ga_getset,
    .tp_new = ga_new,
};

const PmType PmUnion_Template = {
    .tp_name = "types.UnionType",
    .tp_doc = "Represent a PEP 604 union type\n\nE.g. for int | str",
    .tp_basicsize = UNION_MODEL_SIZE,
    .tp_flags = PM_TPFLAGS_HAVE_GC,
    .tp_kind = PMT_UNION,
    .tp_dealloc = union_dealloc,
    .tp_repr = union_repr,
    .tp_as_number = { .nb_or = pm_union_type_or },
    .tp_as_mapping = { .mp_subscript = not_generic },
    .tp_hash = union_hash,
    .tp_getattro = union_getattro,
    .tp_traverse = union_traverse,
    .tp_richcompare = union_richcompare,
    .tp_getset = union_getset,
};
