/*
 * typeobject.c -- `type`: readying builtin types, creating classes, slot wrappers and the
 * slot functions that let classes defined in Python override operators.
 *
 * A builtin type is a copy of its const template (vm/init.c); PmType_Ready gives it a
 * dict (method, getset and slot-wrapper descriptors), an MRO and inherited slots.
 * A class statement calls PmType_FromClassBody, which copies the base's slots, then points
 * every slot whose dunder the class body defines at a generic slot_* function that looks
 * the dunder up on the instance's type and calls it -- CPython's slotdefs, in small.
 */
#include "pm.h"
#include "trace/pm_trace.h"

/* ------------------------------------------------------------------ slot wrappers */

#define TP(f) offsetof(PmType, f)
#define NBO(f) (offsetof(PmType, tp_as_number) + offsetof(PmNumberMethods, f))
#define SQO(f) (offsetof(PmType, tp_as_sequence) + offsetof(PmSequenceMethods, f))
#define MPO(f) (offsetof(PmType, tp_as_mapping) + offsetof(PmMappingMethods, f))

static void *slot_ptr(PmType *tp, size_t off)
{
    return *(void **)((char *)tp + off);
}

static int wrap_check_args(PmVM *vm, const PmWrapperDef *d, size_t nargs, PmObject *kwnames)
{
    if (d->nargs >= 0 && (kwnames && Pm_SIZE(kwnames))) {
        PmErr_Format(vm, PME(vm, TypeError), "wrapper %s() takes no keyword arguments", d->name);
        return -1;
    }
    if (d->nargs >= 0 && (int)nargs != d->nargs) {
        PmErr_Format(vm, PME(vm, TypeError), "expected %d argument%s, got %zu", d->nargs,
                     d->nargs == 1 ? "" : "s", nargs);
        return -1;
    }
    return 0;
}

static PmObject *wrap_init(PmVM *vm, PmType *tp, PmObject *self, PmObject *const *args,
                           size_t nargs, PmObject *kwnames, const PmWrapperDef *d)
{
    (void)d;
    if (tp->tp_init(vm, self, args, nargs, kwnames) < 0) return NULL;
    return Pm_RETURN_NONE(vm);
}

static PmObject *wrap_unary(PmVM *vm, PmType *tp, PmObject *self, PmObject *const *args,
                            size_t nargs, PmObject *kwnames, const PmWrapperDef *d)
{
    (void)args;
    if (wrap_check_args(vm, d, nargs, kwnames)) return NULL;
    pm_unaryfunc f = (pm_unaryfunc)slot_ptr(tp, d->offset);
    return f(vm, self);
}

static PmObject *wrap_binary(PmVM *vm, PmType *tp, PmObject *self, PmObject *const *args,
                             size_t nargs, PmObject *kwnames, const PmWrapperDef *d)
{
    if (wrap_check_args(vm, d, nargs, kwnames)) return NULL;
    pm_binaryfunc f = (pm_binaryfunc)slot_ptr(tp, d->offset);
    return f(vm, self, args[0]);
}

static PmObject *wrap_binary_r(PmVM *vm, PmType *tp, PmObject *self, PmObject *const *args,
                               size_t nargs, PmObject *kwnames, const PmWrapperDef *d)
{
    if (wrap_check_args(vm, d, nargs, kwnames)) return NULL;
    pm_binaryfunc f = (pm_binaryfunc)slot_ptr(tp, d->offset);
    return f(vm, args[0], self);
}

static PmObject *wrap_pow(PmVM *vm, PmType *tp, PmObject *self, PmObject *const *args,
                          size_t nargs, PmObject *kwnames, const PmWrapperDef *d)
{
    if (pm_no_kwargs(vm, d->name, kwnames)) return NULL;
    if (nargs < 1 || nargs > 2) {
        PmErr_Format(vm, PME(vm, TypeError), "expected 1 or 2 arguments, got %zu", nargs);
        return NULL;
    }
    pm_ternaryfunc f = (pm_ternaryfunc)slot_ptr(tp, d->offset);
    PmObject *mod = nargs == 2 ? args[1] : Pm_None(vm);
    return d->op ? f(vm, args[0], self, mod) : f(vm, self, args[0], mod);
}

static PmObject *wrap_richcmp(PmVM *vm, PmType *tp, PmObject *self, PmObject *const *args,
                              size_t nargs, PmObject *kwnames, const PmWrapperDef *d)
{
    if (wrap_check_args(vm, d, nargs, kwnames)) return NULL;
    return tp->tp_richcompare(vm, self, args[0], d->op);
}

static PmObject *wrap_hash(PmVM *vm, PmType *tp, PmObject *self, PmObject *const *args,
                           size_t nargs, PmObject *kwnames, const PmWrapperDef *d)
{
    (void)args;
    if (wrap_check_args(vm, d, nargs, kwnames)) return NULL;
    Pm_hash_t h = tp->tp_hash(vm, self);
    if (h == -1 && PmErr_Occurred(vm)) return NULL;
    return PmLong_FromLongLong(vm, h);
}

static PmObject *wrap_len(PmVM *vm, PmType *tp, PmObject *self, PmObject *const *args,
                          size_t nargs, PmObject *kwnames, const PmWrapperDef *d)
{
    (void)args;
    if (wrap_check_args(vm, d, nargs, kwnames)) return NULL;
    pm_lenfunc f = (pm_lenfunc)slot_ptr(tp, d->offset);
    Pm_ssize_t n = f(vm, self);
    if (n < 0) return NULL;
    return PmLong_FromSsize_t(vm, n);
}

static PmObject *wrap_inquiry(PmVM *vm, PmType *tp, PmObject *self, PmObject *const *args,
                              size_t nargs, PmObject *kwnames, const PmWrapperDef *d)
{
    (void)args;
    if (wrap_check_args(vm, d, nargs, kwnames)) return NULL;
    pm_inquiry f = (pm_inquiry)slot_ptr(tp, d->offset);
    int r = f(vm, self);
    if (r < 0) return NULL;
    return Pm_Bool(vm, r);
}

static PmObject *wrap_indexarg(PmVM *vm, PmType *tp, PmObject *self, PmObject *const *args,
                               size_t nargs, PmObject *kwnames, const PmWrapperDef *d)
{
    if (wrap_check_args(vm, d, nargs, kwnames)) return NULL;
    PmObject *n = args[0];
    if (Pm_TYPE(n)->tp_as_number.nb_index == NULL) {
        return PmErr_Format(vm, PME(vm, TypeError), "'%.200s' object cannot be interpreted as an integer",
                            Pm_TYPE(n)->tp_name);
    }
    Pm_ssize_t i = PmNumber_AsSsize_t(vm, n, PME(vm, OverflowError));
    if (i == -1 && PmErr_Occurred(vm)) return NULL;
    pm_ssizeargfunc f = (pm_ssizeargfunc)slot_ptr(tp, d->offset);
    return f(vm, self, i);
}

static PmObject *wrap_contains(PmVM *vm, PmType *tp, PmObject *self, PmObject *const *args,
                               size_t nargs, PmObject *kwnames, const PmWrapperDef *d)
{
    if (wrap_check_args(vm, d, nargs, kwnames)) return NULL;
    int r = tp->tp_as_sequence.sq_contains(vm, self, args[0]);
    if (r < 0) return NULL;
    return Pm_Bool(vm, r);
}

static PmObject *wrap_setitem(PmVM *vm, PmType *tp, PmObject *self, PmObject *const *args,
                              size_t nargs, PmObject *kwnames, const PmWrapperDef *d)
{
    if (wrap_check_args(vm, d, nargs, kwnames)) return NULL;
    PmObject *value = d->nargs == 2 ? args[1] : NULL;
    if (tp->tp_as_mapping.mp_ass_subscript(vm, self, args[0], value) < 0) return NULL;
    return Pm_RETURN_NONE(vm);
}

static PmObject *wrap_setattr(PmVM *vm, PmType *tp, PmObject *self, PmObject *const *args,
                              size_t nargs, PmObject *kwnames, const PmWrapperDef *d)
{
    if (wrap_check_args(vm, d, nargs, kwnames)) return NULL;
    PmObject *value = d->nargs == 2 ? args[1] : NULL;
    if (!PmStr_Check(args[0])) {
        PmErr_Format(vm, PME(vm, TypeError), "attribute name must be string, not '%.200s'",
                     Pm_TYPE(args[0])->tp_name);
        return NULL;
    }
    if (tp->tp_setattro(vm, self, args[0], value) < 0) return NULL;
    return Pm_RETURN_NONE(vm);
}

static PmObject *wrap_call(PmVM *vm, PmType *tp, PmObject *self, PmObject *const *args,
                           size_t nargs, PmObject *kwnames, const PmWrapperDef *d)
{
    (void)d;
    return tp->tp_call(vm, self, args, nargs, kwnames);
}

static PmObject *wrap_next(PmVM *vm, PmType *tp, PmObject *self, PmObject *const *args,
                           size_t nargs, PmObject *kwnames, const PmWrapperDef *d)
{
    (void)args;
    if (wrap_check_args(vm, d, nargs, kwnames)) return NULL;
    PmObject *r = tp->tp_iternext(vm, self);
    if (r == NULL && !PmErr_Occurred(vm)) PmErr_SetObject(vm, PME(vm, StopIteration), NULL);
    return r;
}

static PmObject *wrap_descr_get(PmVM *vm, PmType *tp, PmObject *self, PmObject *const *args,
                                size_t nargs, PmObject *kwnames, const PmWrapperDef *d)
{
    if (pm_no_kwargs(vm, d->name, kwnames)) return NULL;
    if (nargs < 1 || nargs > 2) {
        PmErr_Format(vm, PME(vm, TypeError), "expected 1 or 2 arguments, got %zu", nargs);
        return NULL;
    }
    PmObject *obj = args[0] == Pm_None(vm) ? NULL : args[0];
    PmObject *type = nargs == 2 && args[1] != Pm_None(vm) ? args[1] : NULL;
    return tp->tp_descr_get(vm, self, obj, type);
}

#define W(name, off, fn, op, n) {name, off, fn, op, n}
static const PmWrapperDef wrapper_defs[] = {
    W("__repr__", TP(tp_repr), wrap_unary, 0, 0),
    W("__hash__", TP(tp_hash), wrap_hash, 0, 0),
    W("__call__", TP(tp_call), wrap_call, 0, -1),
    W("__str__", TP(tp_str), wrap_unary, 0, 0),
    W("__getattribute__", TP(tp_getattro), wrap_binary, 0, 1),
    W("__setattr__", TP(tp_setattro), wrap_setattr, 0, 2),
    W("__delattr__", TP(tp_setattro), wrap_setattr, 0, 1),
    W("__lt__", TP(tp_richcompare), wrap_richcmp, Pm_LT, 1),
    W("__le__", TP(tp_richcompare), wrap_richcmp, Pm_LE, 1),
    W("__eq__", TP(tp_richcompare), wrap_richcmp, Pm_EQ, 1),
    W("__ne__", TP(tp_richcompare), wrap_richcmp, Pm_NE, 1),
    W("__gt__", TP(tp_richcompare), wrap_richcmp, Pm_GT, 1),
    W("__ge__", TP(tp_richcompare), wrap_richcmp, Pm_GE, 1),
    W("__iter__", TP(tp_iter), wrap_unary, 0, 0),
    W("__next__", TP(tp_iternext), wrap_next, 0, 0),
    W("__get__", TP(tp_descr_get), wrap_descr_get, 0, -1),
    W("__init__", TP(tp_init), wrap_init, 0, -1),
    W("__add__", NBO(nb_add), wrap_binary, 0, 1),
    W("__radd__", NBO(nb_add), wrap_binary_r, 0, 1),
    W("__sub__", NBO(nb_subtract), wrap_binary, 0, 1),
    W("__rsub__", NBO(nb_subtract), wrap_binary_r, 0, 1),
    W("__mul__", NBO(nb_multiply), wrap_binary, 0, 1),
    W("__rmul__", NBO(nb_multiply), wrap_binary_r, 0, 1),
    W("__mod__", NBO(nb_remainder), wrap_binary, 0, 1),
    W("__rmod__", NBO(nb_remainder), wrap_binary_r, 0, 1),
    W("__divmod__", NBO(nb_divmod), wrap_binary, 0, 1),
    W("__rdivmod__", NBO(nb_divmod), wrap_binary_r, 0, 1),
    W("__pow__", NBO(nb_power), wrap_pow, 0, -1),
    W("__rpow__", NBO(nb_power), wrap_pow, 1, -1),
    W("__neg__", NBO(nb_negative), wrap_unary, 0, 0),
    W("__pos__", NBO(nb_positive), wrap_unary, 0, 0),
    W("__abs__", NBO(nb_absolute), wrap_unary, 0, 0),
    W("__bool__", NBO(nb_bool), wrap_inquiry, 0, 0),
    W("__invert__", NBO(nb_invert), wrap_unary, 0, 0),
    W("__lshift__", NBO(nb_lshift), wrap_binary, 0, 1),
    W("__rlshift__", NBO(nb_lshift), wrap_binary_r, 0, 1),
    W("__rshift__", NBO(nb_rshift), wrap_binary, 0, 1),
    W("__rrshift__", NBO(nb_rshift), wrap_binary_r, 0, 1),
    W("__and__", NBO(nb_and), wrap_binary, 0, 1),
    W("__rand__", NBO(nb_and), wrap_binary_r, 0, 1),
    W("__xor__", NBO(nb_xor), wrap_binary, 0, 1),
    W("__rxor__", NBO(nb_xor), wrap_binary_r, 0, 1),
    W("__or__", NBO(nb_or), wrap_binary, 0, 1),
    W("__ror__", NBO(nb_or), wrap_binary_r, 0, 1),
    W("__int__", NBO(nb_int), wrap_unary, 0, 0),
    W("__float__", NBO(nb_float), wrap_unary, 0, 0),
    W("__iadd__", NBO(nb_inplace_add), wrap_binary, 0, 1),
    W("__isub__", NBO(nb_inplace_subtract), wrap_binary, 0, 1),
    W("__imul__", NBO(nb_inplace_multiply), wrap_binary, 0, 1),
    W("__imod__", NBO(nb_inplace_remainder), wrap_binary, 0, 1),
    W("__iand__", NBO(nb_inplace_and), wrap_binary, 0, 1),
    W("__ixor__", NBO(nb_inplace_xor), wrap_binary, 0, 1),
    W("__ior__", NBO(nb_inplace_or), wrap_binary, 0, 1),
    W("__floordiv__", NBO(nb_floor_divide), wrap_binary, 0, 1),
    W("__rfloordiv__", NBO(nb_floor_divide), wrap_binary_r, 0, 1),
    W("__truediv__", NBO(nb_true_divide), wrap_binary, 0, 1),
    W("__rtruediv__", NBO(nb_true_divide), wrap_binary_r, 0, 1),
    W("__index__", NBO(nb_index), wrap_unary, 0, 0),
    W("__len__", MPO(mp_length), wrap_len, 0, 0),
    W("__getitem__", MPO(mp_subscript), wrap_binary, 0, 1),
    W("__setitem__", MPO(mp_ass_subscript), wrap_setitem, 0, 2),
    W("__delitem__", MPO(mp_ass_subscript), wrap_setitem, 0, 1),
    W("__len__", SQO(sq_length), wrap_len, 0, 0),
    W("__add__", SQO(sq_concat), wrap_binary, 0, 1),
    W("__mul__", SQO(sq_repeat), wrap_indexarg, 0, 1),
    W("__rmul__", SQO(sq_repeat), wrap_indexarg, 0, 1),
    W("__contains__", SQO(sq_contains), wrap_contains, 0, 1),
    W("__iadd__", SQO(sq_inplace_concat), wrap_binary, 0, 1),
    W("__imul__", SQO(sq_inplace_repeat), wrap_indexarg, 0, 1),
    W(NULL, 0, NULL, 0, 0)
};
#undef W

/* CPython's add_operators: a wrapper for every slot this type itself defines (before
 * inheritance), unless the dict already has the name. */
static int add_operators(PmVM *vm, PmType *tp)
{
    for (const PmWrapperDef *d = wrapper_defs; d->name; d++) {
        if (slot_ptr(tp, d->offset) == NULL) continue;
        if (d->offset == TP(tp_hash) && tp->tp_hash == pm_hash_not_implemented) {
            if (PmDict_GetItemString_Borrow(vm, tp->tp_dict, d->name)) continue;
            if (PmDict_SetItemString(vm, tp->tp_dict, d->name, Pm_None(vm)) < 0) return -1;
            continue;
        }
        if (PmDict_GetItemString_Borrow(vm, tp->tp_dict, d->name)) continue;
        PmObject *w = PmDescr_NewWrapper(vm, tp, d);
        if (w == NULL) return -1;
        int r = PmDict_SetItemString(vm, tp->tp_dict, d->name, w);
        Pm_DECREF(vm, w);
        if (r < 0) return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ readying builtin types */

static PmObject *slot_tp_new(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs,
                             PmObject *kwnames);

static PmObject *tp_new_wrapper(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                PmObject *kwnames)
{
    PmType *type = (PmType *)self;
    if (nargs < 1) {
        return PmErr_Format(vm, PME(vm, TypeError), "%s.__new__(): not enough arguments",
                            type->tp_name);
    }
    PmObject *arg0 = args[0];
    if (!PmType_Check(arg0)) {
        return PmErr_Format(vm, PME(vm, TypeError), "%s.__new__(X): X is not a type object (%s)",
                            type->tp_name, Pm_TYPE(arg0)->tp_name);
    }
    PmType *subtype = (PmType *)arg0;
    if (!PmType_IsSubtype(subtype, type)) {
        return PmErr_Format(vm, PME(vm, TypeError), "%s.__new__(%s): %s is not a subtype of %s",
                            type->tp_name, subtype->tp_name, subtype->tp_name, type->tp_name);
    }
    /* CPython's check against object.__new__(list) and the like, which would make an
     * object too small for its type: the nearest class whose __new__ is not written in
     * Python must use this very tp_new */
    PmType *staticbase = subtype;
    while (staticbase && staticbase->tp_new == slot_tp_new) staticbase = staticbase->tp_base;
    if (staticbase && staticbase->tp_new != type->tp_new) {
        return PmErr_Format(vm, PME(vm, TypeError), "%s.__new__(%s) is not safe, use %s.__new__()",
                            type->tp_name, subtype->tp_name, staticbase->tp_name);
    }
    return type->tp_new(vm, subtype, args + 1, nargs - 1, kwnames);
}

static const PmMethodDef tp_new_def = {"__new__", tp_new_wrapper, PM_METH_VARARGS | PM_METH_KEYWORDS};

static int add_new(PmVM *vm, PmType *tp)
{
    if (PmDict_GetItem_Borrow(vm, tp->tp_dict, PMID(vm, __new__))) return 0;
    PmObject *f = PmCFunction_New(vm, &tp_new_def, (PmObject *)tp, NULL);
    if (f == NULL) return -1;
    int r = PmDict_SetItem(vm, tp->tp_dict, PMID(vm, __new__), f);
    Pm_DECREF(vm, f);
    return r;
}

static int add_methods(PmVM *vm, PmType *tp)
{
    for (const PmMethodDef *m = tp->tp_methods; m && m->name; m++) {
        PmObject *d;
        if (m->flags & PM_METH_STATIC) {
            PmObject *f = PmCFunction_New(vm, m, NULL, NULL);
            if (f == NULL) return -1;
            d = pm_staticmethod_new(vm, f);
            Pm_DECREF(vm, f);
        } else {
            d = PmDescr_NewMethod(vm, tp, m);
        }
        if (d == NULL) return -1;
        int r = PmDict_SetItemString(vm, tp->tp_dict, m->name, d);
        Pm_DECREF(vm, d);
        if (r < 0) return -1;
    }
    for (const PmGetSetDef *g = tp->tp_getset; g && g->name; g++) {
        PmObject *d = PmDescr_NewGetSet(vm, tp, g);
        if (d == NULL) return -1;
        int r = PmDict_SetItemString(vm, tp->tp_dict, g->name, d);
        Pm_DECREF(vm, d);
        if (r < 0) return -1;
    }
    return 0;
}

/* CPython's inherit_slots, in the simple form single inheritance needs: copy every slot the
 * type leaves NULL from its base, except that a type defining __eq__ (richcompare) but not
 * __hash__ does not inherit the base's hash. */
static void inherit_slots(PmType *tp, PmType *base)
{
#define INHERIT(f) if (!tp->f) tp->f = base->f
    pm_hashfunc own_hash = tp->tp_hash;
    pm_richcmpfunc own_cmp = tp->tp_richcompare;
    void **dst = (void **)&tp->tp_as_number;
    void *const *src = (void *const *)&base->tp_as_number;
    for (size_t i = 0; i < sizeof(PmNumberMethods) / sizeof(void *); i++)
        if (!dst[i]) dst[i] = src[i];
    dst = (void **)&tp->tp_as_sequence;
    src = (void *const *)&base->tp_as_sequence;
    for (size_t i = 0; i < sizeof(PmSequenceMethods) / sizeof(void *); i++)
        if (!dst[i]) dst[i] = src[i];
    dst = (void **)&tp->tp_as_mapping;
    src = (void *const *)&base->tp_as_mapping;
    for (size_t i = 0; i < sizeof(PmMappingMethods) / sizeof(void *); i++)
        if (!dst[i]) dst[i] = src[i];
    INHERIT(tp_dealloc); INHERIT(tp_repr); INHERIT(tp_call); INHERIT(tp_str);
    INHERIT(tp_getattro); INHERIT(tp_setattro); INHERIT(tp_iter); INHERIT(tp_iternext);
    INHERIT(tp_descr_get); INHERIT(tp_descr_set); INHERIT(tp_init); INHERIT(tp_new);
    INHERIT(tp_sizeof); INHERIT(tp_finalize);
    if (!own_cmp && !own_hash) {
        tp->tp_richcompare = base->tp_richcompare;
        tp->tp_hash = base->tp_hash;
    }
    if (!tp->tp_traverse && PmType_HasFeature(base, PM_TPFLAGS_HAVE_GC)) {
        tp->tp_traverse = base->tp_traverse;
        tp->tp_clear = base->tp_clear;
    }
    if (!tp->tp_weaklistoffset) tp->tp_weaklistoffset = base->tp_weaklistoffset;
#undef INHERIT
}

static PmObject *make_mro(PmVM *vm, PmType *tp)
{
    PmObject *basemro = tp->tp_base ? tp->tp_base->tp_mro : NULL;
    Pm_ssize_t n = basemro ? Pm_SIZE(basemro) : 0;
    PmObject *mro = PmTuple_New(vm, n + 1);
    if (mro == NULL) return NULL;
    PmTuple_SET_ITEM(mro, 0, Pm_NewRef((PmObject *)tp));
    for (Pm_ssize_t i = 0; i < n; i++)
        PmTuple_SET_ITEM(mro, i + 1, Pm_NewRef(PmTuple_GET_ITEM(basemro, i)));
    return mro;
}

/* CPython's type_dict_set_doc: __doc__ in the dict is the docstring of tp_doc (without
 * its text signature), or None. */
static int add_doc(PmVM *vm, PmType *tp)
{
    if (PmDict_GetItem_Borrow(vm, tp->tp_dict, PMID(vm, __doc__))) return 0;
    PmObject *doc = pm_type_doc_from_internal(vm, tp->tp_name, tp->tp_doc);
    if (doc == NULL) return -1;
    int r = PmDict_SetItem(vm, tp->tp_dict, PMID(vm, __doc__), doc);
    Pm_DECREF(vm, doc);
    return r;
}

/* The dict is filled in CPython's order (list(int.__dict__) shows it): __new__, the slot
 * wrappers, the methods (which replace a wrapper of the same name in its place, as
 * CPython's METH_COEXIST methods do), the getsets, then __doc__. */
int PmType_Ready(PmVM *vm, PmType *tp)
{
    if (tp->tp_base == NULL && tp != PMT(vm, OBJECT)) tp->tp_base = PMT(vm, OBJECT);
    if (tp->tp_dict == NULL && (tp->tp_dict = PmDict_New(vm)) == NULL) return -1;
    if (tp->tp_new && add_new(vm, tp) < 0) return -1;
    if (add_operators(vm, tp) < 0 || add_methods(vm, tp) < 0) return -1;
    /* CPython's Py_TPFLAGS_DISALLOW_INSTANTIATION: a builtin type without tp_new directly
     * under object keeps none ("cannot create 'list_iterator' instances") */
    bool no_new = tp->tp_new == NULL && tp->tp_base == PMT(vm, OBJECT);
    if (tp->tp_base) inherit_slots(tp, tp->tp_base);
    if (no_new) tp->tp_new = NULL;
    if (tp->tp_bases == NULL) {
        tp->tp_bases = tp->tp_base ? PmTuple_Pack(vm, 1, (PmObject *)tp->tp_base)
                                   : Pm_NewRef(vm->empty_tuple);
        if (tp->tp_bases == NULL) return -1;
    }
    if (tp->tp_mro == NULL && (tp->tp_mro = make_mro(vm, tp)) == NULL) return -1;
    if (add_doc(vm, tp) < 0) return -1;
    if (tp->tp_base && pm_type_add_subclass(vm, tp->tp_base, tp) < 0) return -1;
    PmType_Modified(vm);
    return 0;
}

/* ------------------------------------------------------------------ slot functions for classes */

/* Look a dunder up on the object's type and call it with self first; NULL + no exception
 * (and *found = false) when the type has no such attribute. */
static PmObject *call_dunder(PmVM *vm, PmObject *self, PmObject *name, PmObject *const *args,
                             size_t nargs, bool *found)
{
    PmObject *meth = PmType_Lookup(vm, Pm_TYPE(self), name);
    if (found) *found = meth != NULL;
    if (meth == NULL) {
        if (!found) PmErr_SetObject(vm, PME(vm, AttributeError), name);
        return NULL;
    }
    PmObject *stack[4];
    stack[0] = self;
    for (size_t i = 0; i < nargs && i < 3; i++) stack[i + 1] = args[i];
    Pm_INCREF(meth);
    PmObject *r = pm_call_unbound(vm, meth, stack, nargs + 1);
    Pm_DECREF(vm, meth);
    return r;
}

static PmObject *slot_tp_repr(PmVM *vm, PmObject *self)
{
    return call_dunder(vm, self, PMID(vm, __repr__), NULL, 0, NULL);
}

static PmObject *slot_tp_str(PmVM *vm, PmObject *self)
{
    return call_dunder(vm, self, PMID(vm, __str__), NULL, 0, NULL);
}

static Pm_hash_t slot_tp_hash(PmVM *vm, PmObject *self)
{
    PmObject *r = call_dunder(vm, self, PMID(vm, __hash__), NULL, 0, NULL);
    if (r == NULL) return -1;
    if (!PmLong_Check(r)) {
        Pm_DECREF(vm, r);
        PmErr_SetString(vm, PME(vm, TypeError), "__hash__ method should return an integer");
        return -1;
    }
    /* CPython's slot_tp_hash: an int that fits in Py_ssize_t is the hash as is (-1 becomes
     * -2); only a bigger one is hashed like an int. */
    int overflow = 0;
    long long v = PmLong_AsLongLongAndOverflow(vm, r, &overflow);
    Pm_hash_t h = overflow ? PmLong_Hash(r) : (Pm_hash_t)v;
    if (h == -1) h = -2;
    Pm_DECREF(vm, r);
    return h;
}

static const int richcmp_id[] = {PMID___lt__, PMID___le__, PMID___eq__, PMID___ne__,
                                 PMID___gt__, PMID___ge__};

static PmObject *slot_tp_richcompare(PmVM *vm, PmObject *self, PmObject *other, int op)
{
    bool found;
    PmObject *r = call_dunder(vm, self, vm->ids[richcmp_id[op]], &other, 1, &found);
    if (!found && !PmErr_Occurred(vm)) return Pm_NewRef(Pm_NotImplemented(vm));
    return r;
}

static PmObject *slot_tp_call(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    PmObject *meth = PmType_Lookup(vm, Pm_TYPE(self), PMID(vm, __call__));
    if (meth == NULL) {
        return PmErr_Format(vm, PME(vm, TypeError), "'%.200s' object is not callable",
                            Pm_TYPE(self)->tp_name);
    }
    Pm_INCREF(meth);
    PmObject *bound = pm_bind(vm, meth, self);
    Pm_DECREF(vm, meth);
    if (bound == NULL) return NULL;
    PmObject *r = PmObject_Vectorcall(vm, bound, args, nargs, kwnames);
    Pm_DECREF(vm, bound);
    return r;
}

static PmObject *slot_tp_iter(PmVM *vm, PmObject *self)
{
    bool found;
    PmObject *r = call_dunder(vm, self, PMID(vm, __iter__), NULL, 0, &found);
    if (!found && !PmErr_Occurred(vm)) {
        PmErr_Format(vm, PME(vm, TypeError), "'%.200s' object is not iterable",
                     Pm_TYPE(self)->tp_name);
    }
    return r;
}

static PmObject *slot_tp_iternext(PmVM *vm, PmObject *self)
{
    return call_dunder(vm, self, PMID(vm, __next__), NULL, 0, NULL);
}

static Pm_ssize_t slot_sq_length(PmVM *vm, PmObject *self)
{
    PmObject *r = call_dunder(vm, self, PMID(vm, __len__), NULL, 0, NULL);
    if (r == NULL) return -1;
    Pm_ssize_t n = PmNumber_AsSsize_t(vm, r, PME(vm, OverflowError));
    Pm_DECREF(vm, r);
    if (n == -1 && PmErr_Occurred(vm)) return -1;
    if (n < 0) {
        PmErr_SetString(vm, PME(vm, ValueError), "__len__() should return >= 0");
        return -1;
    }
    return n;
}

static PmObject *slot_mp_subscript(PmVM *vm, PmObject *self, PmObject *key)
{
    return call_dunder(vm, self, PMID(vm, __getitem__), &key, 1, NULL);
}

static PmObject *slot_sq_item(PmVM *vm, PmObject *self, Pm_ssize_t i)
{
    PmObject *key = PmLong_FromSsize_t(vm, i);
    if (key == NULL) return NULL;
    PmObject *r = call_dunder(vm, self, PMID(vm, __getitem__), &key, 1, NULL);
    Pm_DECREF(vm, key);
    return r;
}

static int slot_mp_ass_subscript(PmVM *vm, PmObject *self, PmObject *key, PmObject *value)
{
    PmObject *args[2] = {key, value};
    PmObject *r = value ? call_dunder(vm, self, PMID(vm, __setitem__), args, 2, NULL)
                        : call_dunder(vm, self, PMID(vm, __delitem__), args, 1, NULL);
    if (r == NULL) return -1;
    Pm_DECREF(vm, r);
    return 0;
}

static int slot_sq_contains(PmVM *vm, PmObject *self, PmObject *value)
{
    bool found;
    PmObject *r = call_dunder(vm, self, PMID(vm, __contains__), &value, 1, &found);
    if (r == NULL) {
        if (found || PmErr_Occurred(vm)) return -1;
        return PmSequence_Contains(vm, self, value);
    }
    int t = PmObject_IsTrue(vm, r);
    Pm_DECREF(vm, r);
    return t;
}

static int slot_nb_bool(PmVM *vm, PmObject *self)
{
    bool found;
    PmObject *r = call_dunder(vm, self, PMID(vm, __bool__), NULL, 0, &found);
    if (!found && !PmErr_Occurred(vm)) {
        r = call_dunder(vm, self, PMID(vm, __len__), NULL, 0, &found);
        if (!found && !PmErr_Occurred(vm)) return 1;
        if (r == NULL) return -1;
        Pm_ssize_t n = PmNumber_AsSsize_t(vm, r, PME(vm, OverflowError));
        Pm_DECREF(vm, r);
        return n < 0 ? (PmErr_Occurred(vm) ? -1 : 1) : n > 0;
    }
    if (r == NULL) return -1;
    if (!Pm_IS_TYPE(vm, r, BOOL)) {
        PmErr_Format(vm, PME(vm, TypeError), "__bool__ should return bool, returned %.200s",
                     Pm_TYPE(r)->tp_name);
        Pm_DECREF(vm, r);
        return -1;
    }
    int t = r == Pm_True(vm);
    Pm_DECREF(vm, r);
    return t;
}

static PmObject *getattr_hook(PmVM *vm, PmObject *self, PmObject *name)
{
    PmObject *getattribute = PmType_Lookup(vm, Pm_TYPE(self), PMID(vm, __getattribute__));
    PmObject *r;
    if (getattribute == NULL || Pm_KIND(getattribute) == PMT_WRAPPER_DESCR) {
        r = PmObject_GenericGetAttr(vm, self, name);
    } else {
        PmObject *args[2] = {self, name};
        Pm_INCREF(getattribute);
        r = pm_call_unbound(vm, getattribute, args, 2);
        Pm_DECREF(vm, getattribute);
    }
    if (r || !PmErr_ExceptionMatches(vm, PME(vm, AttributeError))) return r;
    PmObject *getattr = PmType_Lookup(vm, Pm_TYPE(self), PMID(vm, __getattr__));
    if (getattr == NULL) return NULL;
    PmErr_Clear(vm);
    PmObject *args[2] = {self, name};
    Pm_INCREF(getattr);
    r = pm_call_unbound(vm, getattr, args, 2);
    Pm_DECREF(vm, getattr);
    return r;
}

static int slot_tp_setattro(PmVM *vm, PmObject *self, PmObject *name, PmObject *value)
{
    PmObject *args[2] = {name, value};
    PmObject *r = value ? call_dunder(vm, self, PMID(vm, __setattr__), args, 2, NULL)
                        : call_dunder(vm, self, PMID(vm, __delattr__), args, 1, NULL);
    if (r == NULL) return -1;
    Pm_DECREF(vm, r);
    return 0;
}

static PmObject *slot_tp_descr_get(PmVM *vm, PmObject *self, PmObject *obj, PmObject *type)
{
    PmObject *args[2] = {obj ? obj : Pm_None(vm), type ? type : Pm_None(vm)};
    return call_dunder(vm, self, PMID(vm, __get__), args, 2, NULL);
}

static int slot_tp_descr_set(PmVM *vm, PmObject *self, PmObject *obj, PmObject *value)
{
    PmObject *args[2] = {obj, value};
    PmObject *r = value ? call_dunder(vm, self, PMID(vm, __set__), args, 2, NULL)
                        : call_dunder(vm, self, PMID(vm, __delete__), args, 1, NULL);
    if (r == NULL) return -1;
    Pm_DECREF(vm, r);
    return 0;
}

static int slot_tp_init(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                        PmObject *kwnames)
{
    PmObject *meth = PmType_Lookup(vm, Pm_TYPE(self), PMID(vm, __init__));
    if (meth == NULL) return 0;
    Pm_INCREF(meth);
    PmObject *r = pm_call_with_self(vm, meth, self, args, nargs, kwnames);
    Pm_DECREF(vm, meth);
    if (r == NULL) return -1;
    if (r != Pm_None(vm)) {
        PmErr_Format(vm, PME(vm, TypeError), "__init__() should return None, not '%.200s'",
                     Pm_TYPE(r)->tp_name);
        Pm_DECREF(vm, r);
        return -1;
    }
    Pm_DECREF(vm, r);
    return 0;
}

static PmObject *slot_tp_new(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    PmObject *func = PmType_Lookup(vm, type, PMID(vm, __new__));
    if (func == NULL) return PmErr_SetString(vm, PME(vm, TypeError), "no __new__"), NULL;
    Pm_INCREF(func);
    PmObject *f = func;
    if (Pm_KIND(func) == PMT_STATICMETHOD) f = ((PmStaticOrClassMethod *)func)->sm_callable;
    PmObject *r = pm_call_with_self(vm, f, (PmObject *)type, args, nargs, kwnames);
    Pm_DECREF(vm, func);
    return r;
}

static void slot_tp_finalize(PmVM *vm, PmObject *self)
{
    if (PM_UNLIKELY(vm->trace != NULL)) pm_trace_finalize(vm, self);
    PmObject *saved = PmErr_Fetch(vm);
    PmObject *r = call_dunder(vm, self, PMID(vm, __del__), NULL, 0, NULL);
    if (r == NULL) pm_write_unraisable(vm, "Exception ignored in", self, PMID(vm, __del__));
    else Pm_DECREF(vm, r);
    PmErr_Restore(vm, saved);
}

static PmObject *slot_nb_index(PmVM *vm, PmObject *self)
{
    return call_dunder(vm, self, PMID(vm, __index__), NULL, 0, NULL);
}

static PmObject *slot_nb_int(PmVM *vm, PmObject *self)
{
    return call_dunder(vm, self, PMID(vm, __int__), NULL, 0, NULL);
}

static PmObject *slot_nb_float(PmVM *vm, PmObject *self)
{
    return call_dunder(vm, self, PMID(vm, __float__), NULL, 0, NULL);
}

#define SLOT0(FUNC, ID) \
    static PmObject *FUNC(PmVM *vm, PmObject *self) \
    { return call_dunder(vm, self, PMID(vm, ID), NULL, 0, NULL); }
SLOT0(slot_nb_negative, __neg__)
SLOT0(slot_nb_positive, __pos__)
SLOT0(slot_nb_absolute, __abs__)
SLOT0(slot_nb_invert, __invert__)
#undef SLOT0

/* Binary operators with CPython's SLOT1BINFULL logic (reflected operand first when it is a
 * subclass overriding the reflected method). */
typedef struct BinSlot {
    size_t offset;
    int op_id, rop_id;
} BinSlot;

static PmObject *call_maybe(PmVM *vm, PmObject *self, PmObject *name, PmObject *other)
{
    bool found;
    PmObject *r = call_dunder(vm, self, name, &other, 1, &found);
    if (!found && !PmErr_Occurred(vm)) return Pm_NewRef(Pm_NotImplemented(vm));
    return r;
}

static bool method_is_overloaded(PmVM *vm, PmObject *left, PmObject *right, PmObject *name)
{
    PmObject *b = PmType_Lookup(vm, Pm_TYPE(right), name);
    if (b == NULL) return false;
    PmObject *a = PmType_Lookup(vm, Pm_TYPE(left), name);
    return a != b;
}

static PmObject *slot_binary(PmVM *vm, PmObject *self, PmObject *other, pm_binaryfunc test,
                             const BinSlot *s)
{
    PmObject *opname = vm->ids[s->op_id], *ropname = vm->ids[s->rop_id];
    bool do_other = Pm_TYPE(self) != Pm_TYPE(other) &&
                    *(pm_binaryfunc *)((char *)Pm_TYPE(other) + s->offset) == test;
    if (*(pm_binaryfunc *)((char *)Pm_TYPE(self) + s->offset) == test) {
        if (do_other && PmType_IsSubtype(Pm_TYPE(other), Pm_TYPE(self)) &&
            method_is_overloaded(vm, self, other, ropname)) {
            PmObject *r = call_maybe(vm, other, ropname, self);
            if (r != Pm_NotImplemented(vm)) return r;
            Pm_DECREF(vm, r);
            do_other = false;
        }
        PmObject *r = call_maybe(vm, self, opname, other);
        if (r != Pm_NotImplemented(vm) || Pm_TYPE(other) == Pm_TYPE(self)) return r;
        Pm_DECREF(vm, r);
    }
    if (do_other) return call_maybe(vm, other, ropname, self);
    return Pm_NewRef(Pm_NotImplemented(vm));
}

#define BINSLOT(FUNC, SLOT, OP, ROP) \
    static PmObject *FUNC(PmVM *vm, PmObject *a, PmObject *b); \
    static const BinSlot FUNC##_def = {NBO(SLOT), PMID_##OP, PMID_##ROP}; \
    static PmObject *FUNC(PmVM *vm, PmObject *a, PmObject *b) \
    { return slot_binary(vm, a, b, FUNC, &FUNC##_def); }
BINSLOT(slot_nb_add, nb_add, __add__, __radd__)
BINSLOT(slot_nb_subtract, nb_subtract, __sub__, __rsub__)
BINSLOT(slot_nb_multiply, nb_multiply, __mul__, __rmul__)
BINSLOT(slot_nb_remainder, nb_remainder, __mod__, __rmod__)
BINSLOT(slot_nb_divmod, nb_divmod, __divmod__, __rdivmod__)
BINSLOT(slot_nb_lshift, nb_lshift, __lshift__, __lshift__)
BINSLOT(slot_nb_rshift, nb_rshift, __rshift__, __rshift__)
BINSLOT(slot_nb_and, nb_and, __and__, __rand__)
BINSLOT(slot_nb_xor, nb_xor, __xor__, __rxor__)
BINSLOT(slot_nb_or, nb_or, __or__, __ror__)
BINSLOT(slot_nb_floor_divide, nb_floor_divide, __floordiv__, __rfloordiv__)
BINSLOT(slot_nb_true_divide, nb_true_divide, __truediv__, __rtruediv__)
BINSLOT(slot_nb_matrix_multiply, nb_matrix_multiply, __matmul__, __matmul__)
#undef BINSLOT

static PmObject *slot_nb_power(PmVM *vm, PmObject *a, PmObject *b, PmObject *mod)
{
    static const BinSlot def = {NBO(nb_power), PMID___pow__, PMID___rpow__};
    if (mod == Pm_None(vm))
        return slot_binary(vm, a, b, (pm_binaryfunc)(void *)slot_nb_power, &def);
    PmObject *args[2] = {b, mod};
    return call_dunder(vm, a, PMID(vm, __pow__), args, 2, NULL);
}

#define ISLOT(FUNC, ID) \
    static PmObject *FUNC(PmVM *vm, PmObject *self, PmObject *other) \
    { return call_maybe(vm, self, PMID(vm, ID), other); }
ISLOT(slot_nb_inplace_add, __iadd__)
ISLOT(slot_nb_inplace_subtract, __isub__)
ISLOT(slot_nb_inplace_multiply, __imul__)
ISLOT(slot_nb_inplace_true_divide, __itruediv__)
ISLOT(slot_nb_inplace_floor_divide, __ifloordiv__)
ISLOT(slot_nb_inplace_remainder, __imod__)
#undef ISLOT

/* One row per dunder a class body may define: the slot it fills and the function. */
typedef struct SlotDef {
    const char *name;
    size_t offset;
    void *func;
} SlotDef;
#define S(name, off, fn) {name, off, (void *)(fn)}
static const SlotDef slotdefs[] = {
    S("__repr__", TP(tp_repr), slot_tp_repr),
    S("__str__", TP(tp_str), slot_tp_str),
    S("__hash__", TP(tp_hash), slot_tp_hash),
    S("__call__", TP(tp_call), slot_tp_call),
    S("__getattribute__", TP(tp_getattro), getattr_hook),
    S("__getattr__", TP(tp_getattro), getattr_hook),
    S("__setattr__", TP(tp_setattro), slot_tp_setattro),
    S("__delattr__", TP(tp_setattro), slot_tp_setattro),
    S("__lt__", TP(tp_richcompare), slot_tp_richcompare),
    S("__le__", TP(tp_richcompare), slot_tp_richcompare),
    S("__eq__", TP(tp_richcompare), slot_tp_richcompare),
    S("__ne__", TP(tp_richcompare), slot_tp_richcompare),
    S("__gt__", TP(tp_richcompare), slot_tp_richcompare),
    S("__ge__", TP(tp_richcompare), slot_tp_richcompare),
    S("__iter__", TP(tp_iter), slot_tp_iter),
    S("__next__", TP(tp_iternext), slot_tp_iternext),
    S("__get__", TP(tp_descr_get), slot_tp_descr_get),
    S("__set__", TP(tp_descr_set), slot_tp_descr_set),
    S("__delete__", TP(tp_descr_set), slot_tp_descr_set),
    S("__init__", TP(tp_init), slot_tp_init),
    S("__new__", TP(tp_new), slot_tp_new),
    S("__del__", TP(tp_finalize), slot_tp_finalize),
    S("__len__", MPO(mp_length), slot_sq_length),
    S("__len__", SQO(sq_length), slot_sq_length),
    S("__getitem__", MPO(mp_subscript), slot_mp_subscript),
    S("__getitem__", SQO(sq_item), slot_sq_item),
    S("__setitem__", MPO(mp_ass_subscript), slot_mp_ass_subscript),
    S("__delitem__", MPO(mp_ass_subscript), slot_mp_ass_subscript),
    S("__contains__", SQO(sq_contains), slot_sq_contains),
    S("__bool__", NBO(nb_bool), slot_nb_bool),
    S("__index__", NBO(nb_index), slot_nb_index),
    S("__int__", NBO(nb_int), slot_nb_int),
    S("__float__", NBO(nb_float), slot_nb_float),
    S("__neg__", NBO(nb_negative), slot_nb_negative),
    S("__pos__", NBO(nb_positive), slot_nb_positive),
    S("__abs__", NBO(nb_absolute), slot_nb_absolute),
    S("__invert__", NBO(nb_invert), slot_nb_invert),
    S("__add__", NBO(nb_add), slot_nb_add), S("__radd__", NBO(nb_add), slot_nb_add),
    S("__sub__", NBO(nb_subtract), slot_nb_subtract),
    S("__rsub__", NBO(nb_subtract), slot_nb_subtract),
    S("__mul__", NBO(nb_multiply), slot_nb_multiply),
    S("__rmul__", NBO(nb_multiply), slot_nb_multiply),
    S("__mod__", NBO(nb_remainder), slot_nb_remainder),
    S("__rmod__", NBO(nb_remainder), slot_nb_remainder),
    S("__divmod__", NBO(nb_divmod), slot_nb_divmod),
    S("__rdivmod__", NBO(nb_divmod), slot_nb_divmod),
    S("__pow__", NBO(nb_power), slot_nb_power), S("__rpow__", NBO(nb_power), slot_nb_power),
    S("__lshift__", NBO(nb_lshift), slot_nb_lshift),
    S("__rshift__", NBO(nb_rshift), slot_nb_rshift),
    S("__and__", NBO(nb_and), slot_nb_and), S("__rand__", NBO(nb_and), slot_nb_and),
    S("__xor__", NBO(nb_xor), slot_nb_xor), S("__rxor__", NBO(nb_xor), slot_nb_xor),
    S("__or__", NBO(nb_or), slot_nb_or), S("__ror__", NBO(nb_or), slot_nb_or),
    S("__floordiv__", NBO(nb_floor_divide), slot_nb_floor_divide),
    S("__rfloordiv__", NBO(nb_floor_divide), slot_nb_floor_divide),
    S("__truediv__", NBO(nb_true_divide), slot_nb_true_divide),
    S("__rtruediv__", NBO(nb_true_divide), slot_nb_true_divide),
    S("__matmul__", NBO(nb_matrix_multiply), slot_nb_matrix_multiply),
    S("__iadd__", NBO(nb_inplace_add), slot_nb_inplace_add),
    S("__isub__", NBO(nb_inplace_subtract), slot_nb_inplace_subtract),
    S("__imul__", NBO(nb_inplace_multiply), slot_nb_inplace_multiply),
    S("__itruediv__", NBO(nb_inplace_true_divide), slot_nb_inplace_true_divide),
    S("__ifloordiv__", NBO(nb_inplace_floor_divide), slot_nb_inplace_floor_divide),
    S("__imod__", NBO(nb_inplace_remainder), slot_nb_inplace_remainder),
    S(NULL, 0, NULL)
};
#undef S

/* CPython's fixup_slot_dispatchers: for every dunder the class (or a Python base) defines,
 * point the slot at the generic function; `__hash__ = None` makes the type unhashable. */
static void fixup_slots(PmVM *vm, PmType *tp)
{
    for (const SlotDef *s = slotdefs; s->name; s++) {
        PmObject *name = PmStr_InternFromString(vm, s->name);
        if (name == NULL) { PmErr_Clear(vm); continue; }
        PmObject *v = pm_type_find_in_mro(vm, tp, name);
        Pm_DECREF(vm, name);
        if (v == NULL) continue;
        void **slot = (void **)((char *)tp + s->offset);
        if (s->offset == TP(tp_new) && Pm_KIND(v) == PMT_CFUNCTION &&
            ((PmCFunction *)v)->m_ml == &tp_new_def) {
            continue;   /* a builtin's __new__: keep the inherited tp_new (update_one_slot) */
        } else if (s->offset == TP(tp_hash) && v == Pm_None(vm)) {
            *slot = (void *)pm_hash_not_implemented;
        } else if (Pm_KIND(v) == PMT_WRAPPER_DESCR &&
                   ((PmDescr *)v)->u.d_wrapper->offset == s->offset) {
            continue;   /* a builtin base's own slot: already inherited */
        } else {
            *slot = s->func;
        }
    }
}

/* ------------------------------------------------------------------ the type type */

static void type_dealloc(PmVM *vm, PmObject *o)
{
    PmType *tp = (PmType *)o;
    pm_gc_untrack(vm, o);
    pm_weakref_clear_all(vm, o);
    pm_type_remove_subclass(vm, tp->tp_base, tp);
    Pm_CLEAR(vm, tp->tp_dict);
    Pm_CLEAR(vm, tp->tp_bases);
    Pm_CLEAR(vm, tp->tp_mro);
    Pm_CLEAR(vm, tp->tp_subclasses);
    PmType_Modified(vm);
    Pm_CLEAR(vm, tp->ht_name);
    Pm_CLEAR(vm, tp->ht_qualname);
    Pm_CLEAR(vm, tp->ht_module);
    Pm_CLEAR(vm, tp->ht_slots);
    pm_shared_keys_free(vm, tp);
    PmType *base = tp->tp_base;
    tp->tp_base = NULL;
    pm_object_free(vm, o);
    if (base) Pm_DECREF(vm, (PmObject *)base);
}

/* CPython's type_traverse: dict, cached keys, mro, bases, base, ht_module. */
static int type_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    PmType *tp = (PmType *)o;
    if (!PmType_HasFeature(tp, PM_TPFLAGS_HEAPTYPE)) return 0;
    Pm_VISIT(vm, tp->tp_dict);
    Pm_VISIT(vm, tp->tp_mro);
    Pm_VISIT(vm, tp->tp_bases);
    Pm_VISIT(vm, tp->tp_base);
    Pm_VISIT(vm, tp->ht_module);
    return 0;
}

static int type_clear(PmVM *vm, PmObject *o)
{
    PmType *tp = (PmType *)o;
    Pm_CLEAR(vm, tp->tp_dict);
    Pm_CLEAR(vm, tp->tp_mro);
    PmType_Modified(vm);
    return 0;
}

static PmObject *type_module(PmVM *vm, PmType *tp)
{
    if (PmType_HasFeature(tp, PM_TPFLAGS_HEAPTYPE)) {
        PmObject *m = PmDict_GetItem_Borrow(vm, tp->tp_dict, PMID(vm, __module__));
        if (m) return Pm_NewRef(m);
        return PmStr_FromString(vm, "builtins");
    }
    const char *dot = strrchr(tp->tp_name, '.');   /* "types.GenericAlias" */
    if (dot) return PmStr_FromUTF8(vm, tp->tp_name, (size_t)(dot - tp->tp_name));
    return PmStr_FromString(vm, "builtins");
}

static PmObject *type_repr(PmVM *vm, PmObject *o)
{
    PmType *tp = (PmType *)o;
    PmObject *mod = type_module(vm, tp);
    if (mod == NULL) return NULL;
    PmObject *r;
    PmObject *qn = tp->ht_qualname;
    const char *dot = strrchr(tp->tp_name, '.');   /* "types.GenericAlias": module, name */
    const char *name = dot ? dot + 1 : tp->tp_name;
    if (PmStr_Check(mod) && !PmStr_EqualToASCII(mod, "builtins"))
        r = qn ? PmStr_FromFormat(vm, "<class '%U.%U'>", mod, qn)
               : PmStr_FromFormat(vm, "<class '%U.%s'>", mod, name);
    else
        r = PmStr_FromFormat(vm, "<class '%s'>", name);
    Pm_DECREF(vm, mod);
    return r;
}

/* CPython 3.11 calls classes (and str, object), which have no vectorcall, through
 * _PyObject_MakeTpCall: the arguments are packed into a tuple (and a dict for keywords)
 * that is freed right after.  Build and drop the same objects, so the collector's
 * allocation count and the free lists move as CPython's do. */
static void emulate_tp_call_args(PmVM *vm, PmType *tp, PmObject *const *args, size_t nargs,
                                 PmObject *kwnames)
{
    if (!PmType_HasFeature(tp, PM_TPFLAGS_HEAPTYPE) && tp->tp_kind != PMT_STR &&
        tp->tp_kind != PMT_OBJECT)
        return;
    size_t nkw = kwnames ? (size_t)Pm_SIZE(kwnames) : 0;
    if (nargs) {
        PmObject *t = PmTuple_FromArray(vm, args, (Pm_ssize_t)nargs);
        if (t == NULL) { PmErr_Clear(vm); return; }
        Pm_DECREF(vm, t);
    }
    if (nkw) {
        PmObject *d = PmDict_New(vm);
        for (size_t i = 0; d && i < nkw; i++)
            if (PmDict_SetItem(vm, d, PmTuple_GET_ITEM(kwnames, i), args[nargs + i]) < 0) break;
        PmErr_Clear(vm);
        Pm_XDECREF(vm, d);
    }
}

static PmObject *type_call(PmVM *vm, PmObject *callable, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    PmType *tp = (PmType *)callable;
    emulate_tp_call_args(vm, tp, args, nargs, kwnames);
    if (tp == PMT(vm, TYPE) && nargs == 1 && (kwnames == NULL || Pm_SIZE(kwnames) == 0))
        return Pm_NewRef((PmObject *)Pm_TYPE(args[0]));
    if (tp->tp_new == NULL) {
        return PmErr_Format(vm, PME(vm, TypeError), "cannot create '%s' instances", tp->tp_name);
    }
    PmObject *obj = tp->tp_new(vm, tp, args, nargs, kwnames);
    if (obj == NULL) return NULL;
    if (!PmType_IsSubtype(Pm_TYPE(obj), tp)) return obj;
    if (tp == PMT(vm, TYPE)) return obj;
    PmType *otp = Pm_TYPE(obj);
    if (otp->tp_init && otp->tp_init(vm, obj, args, nargs, kwnames) < 0) {
        Pm_DECREF(vm, obj);
        return NULL;
    }
    return obj;
}

static PmObject *type_new(PmVM *vm, PmType *meta, PmObject *const *args, size_t nargs,
                          PmObject *kwnames)
{
    (void)meta;
    if (nargs == 1 && (kwnames == NULL || Pm_SIZE(kwnames) == 0))
        return Pm_NewRef((PmObject *)Pm_TYPE(args[0]));
    if (nargs != 3) {
        return PmErr_Format(vm, PME(vm, TypeError), "type() takes 1 or 3 arguments");
    }
    if (!PmStr_Check(args[0]) || !Pm_IS_TYPE(vm, args[1], TUPLE) || !PmDict_Check(args[2])) {
        return PmErr_Format(vm, PME(vm, TypeError),
                            "type.__new__() argument 1 must be str, not %T", args[0]);
    }
    return PmType_FromClassBody(vm, args[0], args[1], args[2], NULL);
}

static int type_init(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                     PmObject *kwnames)
{
    (void)vm; (void)self; (void)args; (void)nargs; (void)kwnames;
    return 0;
}

/* Attribute lookup on a class: the metatype's data descriptors, then the class's MRO
 * (binding with descr_get(NULL, type)), then the metatype's other attributes. */
static PmObject *type_getattro(PmVM *vm, PmObject *o, PmObject *name)
{
    PmType *tp = (PmType *)o, *meta = Pm_TYPE(o);
    PmObject *meta_attr = PmType_Lookup(vm, meta, name);
    pm_descrgetfunc meta_get = NULL;
    if (meta_attr) {
        meta_get = Pm_TYPE(meta_attr)->tp_descr_get;
        if (meta_get && Pm_TYPE(meta_attr)->tp_descr_set)
            return meta_get(vm, meta_attr, o, (PmObject *)meta);
    }
    PmObject *attr = PmType_Lookup(vm, tp, name);
    if (attr) {
        pm_descrgetfunc get = Pm_TYPE(attr)->tp_descr_get;
        if (get) return get(vm, attr, NULL, o);
        return Pm_NewRef(attr);
    }
    if (meta_get) return meta_get(vm, meta_attr, o, (PmObject *)meta);
    if (meta_attr) return Pm_NewRef(meta_attr);
    return PmErr_Format(vm, PME(vm, AttributeError), "type object '%.50s' has no attribute '%U'",
                        tp->tp_name, name);
}

static int type_setattro(PmVM *vm, PmObject *o, PmObject *name, PmObject *value)
{
    PmType *tp = (PmType *)o;
    if (!PmType_HasFeature(tp, PM_TPFLAGS_HEAPTYPE)) {
        PmErr_Format(vm, PME(vm, TypeError),
                     "cannot set '%U' attribute of immutable type '%s'", name, tp->tp_name);
        return -1;
    }
    PmObject *meta_attr = PmType_Lookup(vm, Pm_TYPE(o), name);
    int r;
    if (meta_attr && Pm_TYPE(meta_attr)->tp_descr_set) {
        r = Pm_TYPE(meta_attr)->tp_descr_set(vm, meta_attr, o, value);
        if (r == 0) pm_type_modified(vm, tp);
        return r;
    }
    if (value) {
        r = PmDict_SetItem(vm, tp->tp_dict, name, value);
    } else {
        r = PmDict_DelItem(vm, tp->tp_dict, name);
        if (r < 0 && PmErr_ExceptionMatches(vm, PME(vm, KeyError))) {
            PmErr_Clear(vm);
            PmErr_Format(vm, PME(vm, AttributeError), "type object '%.50s' has no attribute '%U'",
                         tp->tp_name, name);
        }
    }
    if (r == 0 && PmStr_GET_LENGTH(name) > 4) fixup_slots(vm, tp);
    pm_type_modified(vm, tp);
    return r;
}

static PmObject *type_get_name(PmVM *vm, PmObject *o)
{
    PmType *tp = (PmType *)o;
    if (tp->ht_name) return Pm_NewRef(tp->ht_name);
    const char *dot = strrchr(tp->tp_name, '.');   /* "weakref.ReferenceType" */
    return PmStr_FromString(vm, dot ? dot + 1 : tp->tp_name);
}

static PmObject *type_get_qualname(PmVM *vm, PmObject *o)
{
    PmType *tp = (PmType *)o;
    if (tp->ht_qualname) return Pm_NewRef(tp->ht_qualname);
    return type_get_name(vm, o);
}

static PmObject *type_get_module(PmVM *vm, PmObject *o)
{
    return type_module(vm, (PmType *)o);
}

static int type_set_module(PmVM *vm, PmObject *o, PmObject *value)
{
    PmType *tp = (PmType *)o;
    if (!PmType_HasFeature(tp, PM_TPFLAGS_HEAPTYPE)) {
        PmErr_Format(vm, PME(vm, TypeError), "cannot set '__module__' attribute of immutable type '%s'",
                     tp->tp_name);
        return -1;
    }
    if (value == NULL) {
        PmErr_Format(vm, PME(vm, TypeError), "cannot delete '__module__' attribute of immutable type '%s'",
                     tp->tp_name);
        return -1;
    }
    int r = PmDict_SetItem(vm, tp->tp_dict, PMID(vm, __module__), value);
    PmType_Modified(vm);
    return r;
}

static PmObject *type_get_dict(PmVM *vm, PmObject *o)
{
    return pm_mappingproxy_new(vm, ((PmType *)o)->tp_dict);
}

static PmObject *type_get_mro(PmVM *vm, PmObject *o)
{
    (void)vm;
    return Pm_NewRef(((PmType *)o)->tp_mro);
}

static PmObject *type_get_bases(PmVM *vm, PmObject *o)
{
    (void)vm;
    return Pm_NewRef(((PmType *)o)->tp_bases);
}

static PmObject *type_get_base(PmVM *vm, PmObject *o)
{
    PmType *b = ((PmType *)o)->tp_base;
    return Pm_NewRef(b ? (PmObject *)b : Pm_None(vm));
}

/* CPython's type_get_doc: a builtin type's docstring comes from tp_doc (a new str each
 * time); otherwise __doc__ in the dict, through its __get__ if it has one. */
static PmObject *type_get_doc(PmVM *vm, PmObject *o)
{
    PmType *tp = (PmType *)o;
    if (!PmType_HasFeature(tp, PM_TPFLAGS_HEAPTYPE) && tp->tp_doc)
        return pm_type_doc_from_internal(vm, tp->tp_name, tp->tp_doc);
    PmObject *d = PmDict_GetItem_Borrow(vm, tp->tp_dict, PMID(vm, __doc__));
    if (d == NULL) return PmErr_Occurred(vm) ? NULL : Pm_RETURN_NONE(vm);
    pm_descrgetfunc get = Pm_TYPE(d)->tp_descr_get;
    return get ? get(vm, d, NULL, o) : Pm_NewRef(d);
}

static int type_set_doc(PmVM *vm, PmObject *o, PmObject *value)
{
    PmType *tp = (PmType *)o;
    if (value == NULL) {
        PmErr_Format(vm, PME(vm, TypeError), "cannot delete '__doc__' attribute of immutable type '%s'",
                     tp->tp_name);
        return -1;
    }
    return PmDict_SetItem(vm, tp->tp_dict, PMID(vm, __doc__), value);
}

static const PmGetSetDef type_getset[] = {
    {"__basicsize__", pm_type_get_basicsize, NULL},
    {"__itemsize__", pm_type_get_itemsize, NULL},
    {"__flags__", pm_type_get_flags, NULL},
    {"__weakrefoffset__", pm_type_get_weakrefoffset, NULL},
    {"__base__", type_get_base, NULL},
    {"__dictoffset__", pm_type_get_dictoffset, NULL},
    {"__mro__", type_get_mro, NULL},
    {"__name__", type_get_name, NULL},
    {"__qualname__", type_get_qualname, NULL},
    {"__bases__", type_get_bases, NULL},
    {"__module__", type_get_module, type_set_module},
    {"__abstractmethods__", pm_type_get_abstractmethods, pm_type_set_abstractmethods},
    {"__dict__", type_get_dict, NULL},
    {"__doc__", type_get_doc, type_set_doc},
    {"__text_signature__", pm_type_get_text_signature, NULL},
    {"__annotations__", pm_type_get_annotations, pm_type_set_annotations},
    {NULL, NULL, NULL}
};

const PmType PmType_Template = {
    .tp_name = "type",
    .tp_doc = "type(object) -> the object's type\n"
              "type(name, bases, dict, **kwds) -> a new type",
    .tp_basicsize = 904,
    .tp_itemsize = 40,
    .tp_flags = PM_TPFLAGS_BASETYPE | PM_TPFLAGS_HAVE_GC | PM_TPFLAGS_TYPE_SUBCLASS,
    .tp_kind = PMT_TYPE,
    .tp_dealloc = type_dealloc,
    .tp_repr = type_repr,
    .tp_as_number = { .nb_or = pm_union_type_or },   /* int | str */
    .tp_call = type_call,
    .tp_getattro = type_getattro,
    .tp_setattro = type_setattro,
    .tp_traverse = type_traverse,
    .tp_clear = type_clear,
    .tp_methods = pm_type_attr_methods,
    .tp_getset = type_getset,
    .tp_init = type_init,
    .tp_new = type_new,
};

/* ------------------------------------------------------------------ class creation */

static PmType *solid_base_check(PmVM *vm, PmObject *bases)
{
    Pm_ssize_t n = Pm_SIZE(bases);
    if (n == 0) return PMT(vm, OBJECT);
    if (n > 1) {
        PmErr_SetString(vm, PME(vm, TypeError),
                        "multiple inheritance is not supported in PyMemLab");
        return NULL;
    }
    PmObject *b = PmTuple_GET_ITEM(bases, 0);
    if (!PmType_Check(b)) {
        PmErr_SetString(vm, PME(vm, TypeError), "bases must be types");
        return NULL;
    }
    PmType *base = (PmType *)b;
    if (!PmType_HasFeature(base, PM_TPFLAGS_BASETYPE)) {
        PmErr_Format(vm, PME(vm, TypeError), "type '%.100s' is not an acceptable base type",
                     base->tp_name);
        return NULL;
    }
    return base;
}

/* Real size of the C struct of `base`'s instances (where the extra block can start). */
static size_t base_real_size(PmType *base)
{
    if (base->ht_extra_offset) return (size_t)base->ht_slot_offset +
                                      (size_t)base->ht_nslots * sizeof(PmObject *);
    switch (base->tp_kind) {
    case PMT_LIST: return sizeof(PmList);
    case PMT_DICT: return sizeof(PmDict);
    case PMT_SET: case PMT_FROZENSET: return sizeof(PmSet);
    case PMT_BASE_EXCEPTION: return sizeof(PmBaseException);
    case PMT_WEAKREF: return sizeof(PmWeakRef);
    case PMT_INT: case PMT_FLOAT: case PMT_STR: case PMT_TUPLE:
        return 0;   /* variable-size bases: no room for extras (see below) */
    default: return sizeof(PmObject);
    }
}

/* Parse __slots__: a str or an iterable of str.  Sets *want_dict / *want_weakref. */
static PmObject *parse_slots(PmVM *vm, PmObject *slots, bool *want_dict, bool *want_weakref)
{
    PmObject *seq = PmStr_Check(slots) ? PmTuple_Pack(vm, 1, slots) : PmSequence_Tuple(vm, slots);
    if (seq == NULL) return NULL;
    PmObject *names = PmList_New(vm, 0);
    if (names == NULL) { Pm_DECREF(vm, seq); return NULL; }
    for (Pm_ssize_t i = 0; i < Pm_SIZE(seq); i++) {
        PmObject *s = PmTuple_GET_ITEM(seq, i);
        if (!PmStr_Check(s)) {
            PmErr_Format(vm, PME(vm, TypeError), "__slots__ items must be strings, not '%.200s'",
                         Pm_TYPE(s)->tp_name);
            goto fail;
        }
        if (PmStr_EqualToASCII(s, "__dict__")) { *want_dict = true; continue; }
        if (PmStr_EqualToASCII(s, "__weakref__")) { *want_weakref = true; continue; }
        if (PmList_Append(vm, names, s) < 0) goto fail;
    }
    Pm_DECREF(vm, seq);
    return names;
fail:
    Pm_DECREF(vm, seq);
    Pm_DECREF(vm, names);
    return NULL;
}

/* How many member slots __slots__ in `ns` asks for (its names other than __dict__ and
 * __weakref__), for the size of the type object, which is allocated before __slots__ is
 * parsed.  Only a str, tuple or list is looked at: another iterable may be consumed once
 * only, so it counts as none here (parse_slots reads it). */
static Pm_ssize_t count_slot_members(PmVM *vm, PmObject *ns)
{
    PmObject *slots = PmDict_GetItem_Borrow(vm, ns, PMID(vm, __slots__));
    if (slots == NULL) return 0;
    if (PmStr_Check(slots))
        return !PmStr_EqualToASCII(slots, "__dict__") && !PmStr_EqualToASCII(slots, "__weakref__");
    if (!PmTuple_Check(slots) && !PmList_Check(slots)) return 0;
    Pm_ssize_t n = 0;
    for (Pm_ssize_t i = 0; i < Pm_SIZE(slots); i++) {
        PmObject *s = PmTuple_Check(slots) ? PmTuple_GET_ITEM(slots, i) : PmList_GET_ITEM(slots, i);
        n += !PmStr_Check(s) || (!PmStr_EqualToASCII(s, "__dict__") &&
                                 !PmStr_EqualToASCII(s, "__weakref__"));
    }
    return n;
}

static int add_slot_members(PmVM *vm, PmType *tp, PmObject *names, Pm_ssize_t first)
{
    for (Pm_ssize_t i = 0; i < Pm_SIZE(names); i++) {
        PmObject *name = PmList_GET_ITEM(names, i);
        if (PmDict_GetItem_Borrow(vm, tp->tp_dict, name)) {
            PmErr_Format(vm, PME(vm, ValueError),
                         "'%U' in __slots__ conflicts with class variable", name);
            return -1;
        }
        PmObject *d = PmDescr_NewMember(vm, tp, name, first + i);
        if (d == NULL || PmDict_SetItem(vm, tp->tp_dict, name, d) < 0) {
            Pm_XDECREF(vm, d);
            return -1;
        }
        Pm_DECREF(vm, d);
    }
    return 0;
}

static int add_getset(PmVM *vm, PmType *tp, PmObject *name, const PmGetSetDef *gs)
{
    if (PmDict_GetItem_Borrow(vm, tp->tp_dict, name)) return 0;
    PmObject *d = PmDescr_NewGetSet(vm, tp, gs);
    if (d == NULL || PmDict_SetItem(vm, tp->tp_dict, name, d) < 0) {
        Pm_XDECREF(vm, d);
        return -1;
    }
    Pm_DECREF(vm, d);
    return 0;
}

/* Decide where instances keep attributes, __slots__ and weak references (CPython's
 * type_new_descriptors): a class adds a __dict__ unless its base already has one or
 * __slots__ leaves it out, and a __weakref__ slot likewise. */
static int set_layout(PmVM *vm, PmType *tp, PmType *base, PmObject *ns)
{
    bool want_dict = true, want_weakref = true;
    PmObject *slots = PmDict_GetItem_Borrow(vm, ns, PMID(vm, __slots__));
    PmObject *names = NULL;
    /* exceptions keep attributes in BaseException's own dict, at every depth */
    bool base_has_dict = base->tp_kind == PMT_BASE_EXCEPTION ||
                         (base->ht_extra_offset && base->ht_has_dict);
    bool base_has_weak = base->tp_weaklistoffset != 0;
    if (slots) {
        want_dict = want_weakref = false;
        names = parse_slots(vm, slots, &want_dict, &want_weakref);
        if (names == NULL) return -1;
    }
    size_t real = base_real_size(base);
    if (real == 0 && !base->ht_extra_offset) {
        /* Subclasses of int, str and tuple: instances keep the base layout (CPython puts
         * their __dict__ after the variable part; PyMemLab gives them none). */
        if (names && Pm_SIZE(names)) {
            PmErr_Format(vm, PME(vm, TypeError), "nonempty __slots__ not supported for subtype of '%s'",
                         base->tp_name);
            Pm_DECREF(vm, names);
            return -1;
        }
        Pm_XDECREF(vm, names);
        tp->ht_has_dict = false;
        tp->ht_extra_offset = tp->ht_slot_offset = 0;
        tp->ht_nslots = 0;
        tp->tp_weaklistoffset = base->tp_weaklistoffset;
        return 0;
    }
    bool adds_dict = want_dict && !base_has_dict;
    bool adds_weak = want_weakref && !base_has_weak;
    tp->ht_has_dict = adds_dict || (base->ht_extra_offset && base->ht_has_dict);
    Pm_ssize_t model = base->tp_basicsize;
    if (base->ht_extra_offset) {
        tp->ht_extra_offset = base->ht_extra_offset;
    } else {
        tp->ht_extra_offset = (Pm_ssize_t)(real ? real : sizeof(PmObject));
        real = (size_t)tp->ht_extra_offset + sizeof(PmInstanceExtra);
    }
    if (adds_weak)
        tp->tp_weaklistoffset = tp->ht_extra_offset + (Pm_ssize_t)offsetof(PmInstanceExtra, weakreflist);
    else
        tp->tp_weaklistoffset = base->tp_weaklistoffset;
    Pm_ssize_t inherited = base->ht_extra_offset ? base->ht_nslots : 0;
    Pm_ssize_t own = names ? Pm_SIZE(names) : 0;
    tp->ht_slot_offset = base->ht_extra_offset ? base->ht_slot_offset : (Pm_ssize_t)real;
    tp->ht_nslots = inherited + own;
    model += 8 * own;
    if (adds_weak) model += 8;
    /* a subclass of a class with a managed dict has one too (it is inherited) */
    if (adds_dict || PmType_HasFeature(base, PM_TPFLAGS_MANAGED_DICT))
        tp->tp_flags |= PM_TPFLAGS_MANAGED_DICT;
    tp->tp_basicsize = model;
    int r = names ? add_slot_members(vm, tp, names, inherited) : 0;
    if (names) tp->ht_slots = names;
    if (r == 0 && adds_dict) r = add_getset(vm, tp, PMID(vm, __dict__), &pm_instance_dict_getset);
    if (r == 0 && adds_weak) r = add_getset(vm, tp, PMID(vm, __weakref__), &pm_instance_weakref_getset);
    return r;
}

/* Wrap plain functions named __new__, __init_subclass__, __class_getitem__ as CPython does. */
static int special_methods(PmVM *vm, PmObject *dict)
{
    PmObject *f = PmDict_GetItem_Borrow(vm, dict, PMID(vm, __new__));
    if (f && Pm_KIND(f) == PMT_FUNCTION) {
        PmObject *sm = pm_staticmethod_new(vm, f);
        if (sm == NULL || PmDict_SetItem(vm, dict, PMID(vm, __new__), sm) < 0) {
            Pm_XDECREF(vm, sm);
            return -1;
        }
        Pm_DECREF(vm, sm);
    }
    PmObject *names[2] = {PMID(vm, __init_subclass__), PMID(vm, __class_getitem__)};
    for (int i = 0; i < 2; i++) {
        f = PmDict_GetItem_Borrow(vm, dict, names[i]);
        if (f && Pm_KIND(f) == PMT_FUNCTION) {
            PmObject *cm = pm_classmethod_new(vm, f);
            if (cm == NULL || PmDict_SetItem(vm, dict, names[i], cm) < 0) {
                Pm_XDECREF(vm, cm);
                return -1;
            }
            Pm_DECREF(vm, cm);
        }
    }
    return 0;
}

/* CPython's type_new_set_classcell: the __class__ cell of the class body's methods gets
 * the new class, and __classcell__ leaves the dict before __set_name__ hooks see it. */
static int set_classcell(PmVM *vm, PmType *tp)
{
    PmObject *cell = PmDict_GetItem_Borrow(vm, tp->tp_dict, PMID(vm, __classcell__));
    if (cell == NULL) return PmErr_Occurred(vm) ? -1 : 0;
    if (Pm_KIND(cell) != PMT_CELL) {
        PmErr_Format(vm, PME(vm, TypeError), "__classcell__ must be a nonlocal cell, not %.200R",
                     (PmObject *)Pm_TYPE(cell));
        return -1;
    }
    Pm_SETREF(vm, ((PmCell *)cell)->ob_ref, Pm_NewRef((PmObject *)tp));
    return PmDict_DelItem(vm, tp->tp_dict, PMID(vm, __classcell__));
}

/* CPython's type_new_set_names and init_subclass. */
static int set_names_and_init_subclass(PmVM *vm, PmType *tp)
{
    /* CPython iterates a copy of the class dict (PyDict_Copy): its key table is what a
     * later dict may take from the keys free list, and what tracemalloc keeps counting */
    PmObject *names = PmDict_Copy(vm, tp->tp_dict);
    if (names == NULL) return -1;
    Pm_ssize_t pos = 0;
    PmObject *key, *value;
    while (PmDict_Next(names, &pos, &key, &value)) {
        PmObject *setname = PmType_Lookup(vm, Pm_TYPE(value), PMID(vm, __set_name__));
        if (setname == NULL) continue;
        PmObject *args[3] = {value, (PmObject *)tp, key};
        PmObject *r = pm_call_unbound(vm, setname, args, 3);
        if (r == NULL) { Pm_DECREF(vm, names); return -1; }
        Pm_DECREF(vm, r);
    }
    Pm_DECREF(vm, names);
    PmSuper sup = {{1, PMT(vm, SUPER)}, tp, (PmObject *)tp, tp};
    PmObject *init = pm_super_lookup(vm, &sup, PMID(vm, __init_subclass__));
    if (init == NULL) return -1;
    PmObject *r = PmObject_CallNoArgs(vm, init);
    Pm_DECREF(vm, init);
    if (r == NULL) return -1;
    Pm_DECREF(vm, r);
    return 0;
}

PmObject *PmType_FromClassBody(PmVM *vm, PmObject *name, PmObject *bases, PmObject *ns,
                               PmObject *qualname)
{
    PmType *base = solid_base_check(vm, bases);
    if (base == NULL) return NULL;
    PmType *meta = PMT(vm, TYPE);
    /* CPython 3.11: type_new asks for sizeof(PyHeapTypeObject) (904) plus one
     * PyMemberDef (40) per __slots__ member and one for the sentinel */
    PmType *tp = (PmType *)pm_object_alloc(vm, meta, sizeof(PmType),
                                           904 + 40 * (size_t)(count_slot_members(vm, ns) + 1) +
                                           PM_MODEL_GC_HEAD);
    if (tp == NULL) return NULL;
    /* start from the base's slots, then make it our own */
    memcpy((char *)tp + sizeof(PmVarObject), (char *)base + sizeof(PmVarObject),
           sizeof(PmType) - sizeof(PmVarObject));
    tp->tp_dict = tp->tp_bases = tp->tp_mro = tp->tp_subclasses = NULL;
    tp->ht_name = tp->ht_qualname = tp->ht_module = tp->ht_slots = NULL;
    tp->ht_cached_keys = NULL;
    tp->tp_methods = NULL;
    tp->tp_getset = NULL;
    tp->tp_doc = NULL;
    tp->tp_weaklist = NULL;
    tp->tp_flags = (base->tp_flags & ~(uint32_t)(PM_TPFLAGS_MANAGED_DICT |
                                                 PM_TPFLAGS_VALID_VERSION_TAG |
                                                 PM_TPFLAGS_IS_ABSTRACT)) |
                   PM_TPFLAGS_HEAPTYPE | PM_TPFLAGS_BASETYPE | PM_TPFLAGS_HAVE_GC;
    tp->tp_kind = base->tp_kind == PMT_OBJECT ? PMT_INSTANCE : base->tp_kind;
    tp->tp_base = (PmType *)Pm_NewRef((PmObject *)base);
    /* `class A:` gets the bases tuple (object,), a new tracked tuple as in CPython */
    tp->tp_bases = Pm_SIZE(bases) ? Pm_NewRef(bases) : PmTuple_Pack(vm, 1, (PmObject *)base);
    if (tp->tp_bases == NULL) goto fail;
    tp->ht_name = Pm_NewRef(name);
    PmStr_InternInPlace(vm, &tp->ht_name);
    tp->ht_qualname = Pm_NewRef(qualname ? qualname : name);
    tp->tp_name = PmStr_AsUTF8(vm, tp->ht_name, NULL);
    tp->tp_dict = PmDict_Copy(vm, ns);
    if (tp->tp_dict == NULL) goto fail;
    PmObject *qn = PmDict_GetItem_Borrow(vm, tp->tp_dict, PMID(vm, __qualname__));
    if (qn) {
        Pm_SETREF(vm, tp->ht_qualname, Pm_NewRef(qn));
        if (PmDict_DelItem(vm, tp->tp_dict, PMID(vm, __qualname__)) < 0) goto fail;
    }
    if (PmDict_GetItem_Borrow(vm, tp->tp_dict, PMID(vm, __eq__)) &&
        !PmDict_GetItem_Borrow(vm, tp->tp_dict, PMID(vm, __hash__)) &&
        PmDict_SetItem(vm, tp->tp_dict, PMID(vm, __hash__), Pm_None(vm)) < 0) goto fail;
    if (special_methods(vm, tp->tp_dict) < 0) goto fail;
    if (set_layout(vm, tp, base, ns) < 0) goto fail;
    if (set_classcell(vm, tp) < 0) goto fail;
    if (!PmDict_GetItem_Borrow(vm, tp->tp_dict, PMID(vm, __doc__)) &&
        PmDict_SetItem(vm, tp->tp_dict, PMID(vm, __doc__), Pm_None(vm)) < 0) goto fail;
    if ((tp->tp_mro = make_mro(vm, tp)) == NULL) goto fail;
    PmType_Modified(vm);   /* from here on lookups may be cached: the dict is complete */
    if (tp->ht_has_dict && pm_shared_keys_new(vm, tp) < 0) goto fail;
    if (tp->ht_extra_offset) {
        tp->tp_dealloc = pm_instance_dealloc;
        tp->tp_traverse = pm_instance_traverse;
        tp->tp_clear = pm_instance_clear;
    }
    if (base->tp_kind == PMT_OBJECT) tp->tp_sizeof = NULL;
    fixup_slots(vm, tp);
    pm_gc_track(vm, (PmObject *)tp);
    /* CPython's type_ready_add_subclasses: base.__subclasses__() gains a weak reference */
    if (pm_type_add_subclass(vm, base, tp) < 0) goto fail;
    if (set_names_and_init_subclass(vm, tp) < 0) goto fail;
    return (PmObject *)tp;
fail:
    Pm_DECREF(vm, (PmObject *)tp);
    return NULL;
}
