/*
 * abstract.c -- the object protocols every other file uses: repr/str/hash, comparison,
 * truth, attributes, items, length, iteration, calls, the number protocol.
 *
 * Each function follows the dispatch of the CPython 3.11 function of the same name
 * (Objects/abstract.c, Objects/object.c) so error messages, the order in which slots are
 * tried and the references taken along the way are the same.
 */
#include "pm.h"

const char *PmObject_TypeName(PmObject *o)
{
    return Pm_TYPE(o)->tp_name;
}

/* ------------------------------------------------------------------ repr, str, hash */

PmObject *PmObject_Repr(PmVM *vm, PmObject *o)
{
    pm_reprfunc f = Pm_TYPE(o)->tp_repr;
    if (f == NULL)
        return PmStr_FromFormat(vm, "<%s object at %p>", Pm_TYPE(o)->tp_name, (void *)o);
    if (pm_enter_recursive_call(vm, " while getting the repr of an object")) return NULL;
    PmObject *r = f(vm, o);
    pm_leave_recursive_call(vm);
    if (r && !PmStr_Check(r)) {
        PmErr_Format(vm, PME(vm, TypeError), "__repr__ returned non-string (type %s)",
                     Pm_TYPE(r)->tp_name);
        Pm_DECREF(vm, r);
        return NULL;
    }
    return r;
}

PmObject *PmObject_Str(PmVM *vm, PmObject *o)
{
    if (Pm_IS_TYPE(vm, o, STR)) return Pm_NewRef(o);
    pm_reprfunc f = Pm_TYPE(o)->tp_str;
    if (f == NULL) return PmObject_Repr(vm, o);
    if (pm_enter_recursive_call(vm, " while getting the str of an object")) return NULL;
    PmObject *r = f(vm, o);
    pm_leave_recursive_call(vm);
    if (r && !PmStr_Check(r)) {
        PmErr_Format(vm, PME(vm, TypeError), "__str__ returned non-string (type %s)",
                     Pm_TYPE(r)->tp_name);
        Pm_DECREF(vm, r);
        return NULL;
    }
    return r;
}

Pm_hash_t pm_hash_not_implemented(PmVM *vm, PmObject *o)
{
    PmErr_Format(vm, PME(vm, TypeError), "unhashable type: '%s'", Pm_TYPE(o)->tp_name);
    return -1;
}

Pm_hash_t PmObject_Hash(PmVM *vm, PmObject *o)
{
    pm_hashfunc f = Pm_TYPE(o)->tp_hash;
    if (f == NULL) return pm_hash_not_implemented(vm, o);
    return f(vm, o);
}

/* ------------------------------------------------------------------ comparison */

static const char *const opstrings[] = {"<", "<=", "==", "!=", ">", ">="};
static const int swapped_op[] = {Pm_GT, Pm_GE, Pm_EQ, Pm_NE, Pm_LT, Pm_LE};

static PmObject *do_richcompare(PmVM *vm, PmObject *v, PmObject *w, int op)
{
    PmType *tv = Pm_TYPE(v), *tw = Pm_TYPE(w);
    PmObject *res;
    bool checked_reverse = false;
    if (tv != tw && PmType_IsSubtype(tw, tv) && tw->tp_richcompare) {
        checked_reverse = true;
        res = tw->tp_richcompare(vm, w, v, swapped_op[op]);
        if (res != Pm_NotImplemented(vm)) return res;
        Pm_DECREF(vm, res);
    }
    if (tv->tp_richcompare) {
        res = tv->tp_richcompare(vm, v, w, op);
        if (res != Pm_NotImplemented(vm)) return res;
        Pm_DECREF(vm, res);
    }
    if (!checked_reverse && tw->tp_richcompare) {
        res = tw->tp_richcompare(vm, w, v, swapped_op[op]);
        if (res != Pm_NotImplemented(vm)) return res;
        Pm_DECREF(vm, res);
    }
    if (op == Pm_EQ) return Pm_Bool(vm, v == w);
    if (op == Pm_NE) return Pm_Bool(vm, v != w);
    return PmErr_Format(vm, PME(vm, TypeError),
                        "'%s' not supported between instances of '%.100s' and '%.100s'",
                        opstrings[op], tv->tp_name, tw->tp_name);
}

/* Exact ints of at most one 30-bit digit (CPython's "medium" ints), and their value: the
 * operands of the fast paths below, which give what int's own slots give (CPython 3.11's
 * specialized BINARY_OP_ADD_INT and COMPARE_OP_INT_JUMP do the same). */
static inline bool medium_ints(PmVM *vm, PmObject *a, PmObject *b)
{
    return Pm_TYPE(a) == PMT(vm, INT) && Pm_TYPE(b) == PMT(vm, INT) &&
           (size_t)Pm_SIZE(a) + 1U < 3U && (size_t)Pm_SIZE(b) + 1U < 3U;
}
static inline int64_t medium_value(PmObject *o)
{
    return (int64_t)Pm_SIZE(o) * (int64_t)((PmLong *)o)->ob_digit[0];
}

PmObject *PmObject_RichCompare(PmVM *vm, PmObject *a, PmObject *b, int op)
{
    if (medium_ints(vm, a, b)) {
        int64_t x = medium_value(a), y = medium_value(b);
        bool r;
        switch (op) {
        case Pm_LT: r = x < y; break;
        case Pm_LE: r = x <= y; break;
        case Pm_EQ: r = x == y; break;
        case Pm_NE: r = x != y; break;
        case Pm_GT: r = x > y; break;
        default: r = x >= y; break;
        }
        return Pm_Bool(vm, r);
    }
    if (pm_enter_recursive_call(vm, " in comparison")) return NULL;
    PmObject *r = do_richcompare(vm, a, b, op);
    pm_leave_recursive_call(vm);
    return r;
}

int PmObject_RichCompareBool(PmVM *vm, PmObject *a, PmObject *b, int op)
{
    if (a == b) {
        if (op == Pm_EQ) return 1;
        if (op == Pm_NE) return 0;
    }
    PmObject *r = PmObject_RichCompare(vm, a, b, op);
    if (r == NULL) return -1;
    int t = r == Pm_True(vm) ? 1 : r == Pm_False(vm) ? 0 : PmObject_IsTrue(vm, r);
    Pm_DECREF(vm, r);
    return t;
}

int PmObject_IsTrue(PmVM *vm, PmObject *o)
{
    if (o == Pm_True(vm)) return 1;
    if (o == Pm_False(vm) || o == Pm_None(vm)) return 0;
    PmType *tp = Pm_TYPE(o);
    Pm_ssize_t n;
    if (tp->tp_as_number.nb_bool) return tp->tp_as_number.nb_bool(vm, o);
    if (tp->tp_as_mapping.mp_length) n = tp->tp_as_mapping.mp_length(vm, o);
    else if (tp->tp_as_sequence.sq_length) n = tp->tp_as_sequence.sq_length(vm, o);
    else return 1;
    return n > 0 ? 1 : (int)n;
}

/* ------------------------------------------------------------------ attributes */

PmObject *PmObject_GetAttr(PmVM *vm, PmObject *o, PmObject *name)
{
    if (!PmStr_Check(name)) {
        return PmErr_Format(vm, PME(vm, TypeError), "attribute name must be string, not '%.200s'",
                            Pm_TYPE(name)->tp_name);
    }
    pm_getattrofunc f = Pm_TYPE(o)->tp_getattro;
    if (f == NULL) {
        return PmErr_Format(vm, PME(vm, AttributeError), "'%.50s' object has no attribute '%U'",
                            Pm_TYPE(o)->tp_name, name);
    }
    PmObject *r = f(vm, o, name);
    if (r == NULL) pm_exc_attribute_error_context(vm, o, name);
    return r;
}

PmObject *PmObject_GetAttrString(PmVM *vm, PmObject *o, const char *name)
{
    PmObject *s = PmStr_FromString(vm, name);
    if (s == NULL) return NULL;
    PmObject *r = PmObject_GetAttr(vm, o, s);
    Pm_DECREF(vm, s);
    return r;
}

PmObject *PmObject_LookupAttr(PmVM *vm, PmObject *o, PmObject *name)
{
    PmObject *r = PmObject_GetAttr(vm, o, name);
    if (r == NULL && PmErr_ExceptionMatches(vm, PME(vm, AttributeError))) PmErr_Clear(vm);
    return r;
}

int PmObject_SetAttr(PmVM *vm, PmObject *o, PmObject *name, PmObject *value)
{
    if (!PmStr_Check(name)) {
        PmErr_Format(vm, PME(vm, TypeError), "attribute name must be string, not '%.200s'",
                     Pm_TYPE(name)->tp_name);
        return -1;
    }
    Pm_INCREF(name);
    PmStr_InternInPlace(vm, &name);
    pm_setattrofunc f = Pm_TYPE(o)->tp_setattro;
    int r;
    if (f) {
        r = f(vm, o, name, value);
    } else {
        PmType *tp = Pm_TYPE(o);
        bool has_get = tp->tp_getattro != NULL;
        PmErr_Format(vm, PME(vm, AttributeError),
                     "'%.100s' object has %s attributes (%s .%U)", tp->tp_name,
                     has_get ? "only read-only" : "no", value ? "assign to" : "del", name);
        r = -1;
    }
    Pm_DECREF(vm, name);
    return r;
}

/* Where an object keeps its attribute dict, for the types that have one; NULL otherwise.
 * Instances of heap types keep attributes inline instead (see pm_instance_*). */
static PmObject **dict_slot(PmObject *o)
{
    switch (Pm_KIND(o)) {
    case PMT_FUNCTION: return &((PmFunction *)o)->func_dict;
    case PMT_MODULE: return &((PmModule *)o)->md_dict;
    case PMT_BASE_EXCEPTION: return &((PmBaseException *)o)->dict;
    default: return NULL;
    }
}

static bool is_data_descr(PmObject *descr)
{
    return Pm_TYPE(descr)->tp_descr_set != NULL;
}

static PmObject *no_attribute(PmVM *vm, PmObject *o, PmObject *name)
{
    if (Pm_KIND(o) == PMT_MODULE) {
        PmObject *mn = ((PmModule *)o)->md_name;
        return PmErr_Format(vm, PME(vm, AttributeError), "module '%U' has no attribute '%U'",
                            mn, name);
    }
    return PmErr_Format(vm, PME(vm, AttributeError), "'%.50s' object has no attribute '%U'",
                        Pm_TYPE(o)->tp_name, name);
}

PmObject *PmObject_GenericGetAttr(PmVM *vm, PmObject *o, PmObject *name)
{
    PmType *tp = Pm_TYPE(o);
    PmObject *descr = PmType_Lookup(vm, tp, name);
    pm_descrgetfunc get = NULL;
    if (descr) {
        Pm_INCREF(descr);
        get = Pm_TYPE(descr)->tp_descr_get;
        if (get && is_data_descr(descr)) {
            PmObject *r = get(vm, descr, o, (PmObject *)tp);
            Pm_DECREF(vm, descr);
            return r;
        }
    }
    PmObject *found = NULL;
    if (tp->ht_extra_offset && tp->ht_has_dict) {
        found = pm_instance_getattr_borrow(vm, o, name);
    } else {
        PmObject **dp = dict_slot(o);
        if (dp && *dp) found = PmDict_GetItem_Borrow(vm, *dp, name);
    }
    if (found) {
        Pm_XDECREF(vm, descr);
        return Pm_NewRef(found);
    }
    if (PmErr_Occurred(vm)) { Pm_XDECREF(vm, descr); return NULL; }
    if (get) {
        PmObject *r = get(vm, descr, o, (PmObject *)tp);
        Pm_DECREF(vm, descr);
        return r;
    }
    if (descr) return descr;
    return no_attribute(vm, o, name);
}

int PmObject_GenericSetAttr(PmVM *vm, PmObject *o, PmObject *name, PmObject *value)
{
    PmType *tp = Pm_TYPE(o);
    PmObject *descr = PmType_Lookup(vm, tp, name);
    if (descr && Pm_TYPE(descr)->tp_descr_set) {
        Pm_INCREF(descr);
        int r = Pm_TYPE(descr)->tp_descr_set(vm, descr, o, value);
        Pm_DECREF(vm, descr);
        return r;
    }
    if (tp->ht_extra_offset && tp->ht_has_dict)
        return pm_instance_setattr(vm, o, name, value);
    PmObject **dp = dict_slot(o);
    if (dp) {
        if (*dp == NULL) {
            if (value == NULL) goto missing;
            if ((*dp = PmDict_New(vm)) == NULL) return -1;
        }
        if (value) return PmDict_SetItem(vm, *dp, name, value);
        if (PmDict_DelItem(vm, *dp, name) == 0) return 0;
        if (!PmErr_ExceptionMatches(vm, PME(vm, KeyError))) return -1;
        PmErr_Clear(vm);
        goto missing;
    }
    if (descr == NULL) {
        PmErr_Format(vm, PME(vm, AttributeError), "'%.100s' object has no attribute '%U'",
                     tp->tp_name, name);
        return -1;
    }
    PmErr_Format(vm, PME(vm, AttributeError), "'%.100s' object attribute '%U' is read-only",
                 tp->tp_name, name);
    return -1;
missing:
    no_attribute(vm, o, name);
    return -1;
}

/* ------------------------------------------------------------------ items and length */

/* Argument Clinic's `int` converter (_PyLong_AsInt): __index__, then OverflowError outside
 * a C int.  0 with *out set, or -1 with an exception. */
int PmNumber_AsCInt(PmVM *vm, PmObject *o, int *out)
{
    PmObject *i = PmNumber_Index(vm, o);
    if (i == NULL) return -1;
    int overflow = 0;
    long long v = PmLong_AsLongLongAndOverflow(vm, i, &overflow);
    Pm_DECREF(vm, i);
    if (v == -1 && PmErr_Occurred(vm)) return -1;
    if (overflow || v > INT32_MAX || v < INT32_MIN) {
        PmErr_SetString(vm, PME(vm, OverflowError), "Python int too large to convert to C int");
        return -1;
    }
    *out = (int)v;
    return 0;
}

Pm_ssize_t PmNumber_AsSsize_t(PmVM *vm, PmObject *o, PmType *overflow_exc)
{
    PmObject *i = PmNumber_Index(vm, o);
    if (i == NULL) return -1;
    int overflow = 0;
    long long v = PmLong_AsLongLongAndOverflow(vm, i, &overflow);
    if (v == -1 && PmErr_Occurred(vm)) { Pm_DECREF(vm, i); return -1; }
    if (overflow) {
        if (overflow_exc == NULL) {
            v = overflow < 0 ? PM_SSIZE_MIN : PM_SSIZE_MAX;
        } else {
            PmErr_Format(vm, overflow_exc, "cannot fit '%.200s' into an index-sized integer",
                         Pm_TYPE(o)->tp_name);
            Pm_DECREF(vm, i);
            return -1;
        }
    }
    Pm_DECREF(vm, i);
    return (Pm_ssize_t)v;
}

static bool is_index(PmObject *o)
{
    return Pm_TYPE(o)->tp_as_number.nb_index != NULL;
}

static PmObject *sequence_getitem(PmVM *vm, PmObject *o, PmObject *key)
{
    PmType *tp = Pm_TYPE(o);
    if (!is_index(key)) {
        return PmErr_Format(vm, PME(vm, TypeError), "sequence index must be integer, not '%.200s'",
                            Pm_TYPE(key)->tp_name);
    }
    Pm_ssize_t i = PmNumber_AsSsize_t(vm, key, PME(vm, IndexError));
    if (i == -1 && PmErr_Occurred(vm)) return NULL;
    if (i < 0 && tp->tp_as_sequence.sq_length) {
        Pm_ssize_t n = tp->tp_as_sequence.sq_length(vm, o);
        if (n < 0) return NULL;
        i += n;
    }
    return tp->tp_as_sequence.sq_item(vm, o, i);
}

PmObject *PmObject_GetItem(PmVM *vm, PmObject *o, PmObject *key)
{
    PmType *tp = Pm_TYPE(o);
    if (tp->tp_as_mapping.mp_subscript) return tp->tp_as_mapping.mp_subscript(vm, o, key);
    if (tp->tp_as_sequence.sq_item) return sequence_getitem(vm, o, key);
    if (PmType_Check(o)) {
        PmObject *meth = PmObject_LookupAttr(vm, o, PMID(vm, __class_getitem__));
        if (meth) {
            PmObject *r = PmObject_CallOneArg(vm, meth, key);
            Pm_DECREF(vm, meth);
            return r;
        }
        if (PmErr_Occurred(vm)) return NULL;
        return PmErr_Format(vm, PME(vm, TypeError), "type '%.200s' is not subscriptable",
                            ((PmType *)o)->tp_name);
    }
    return PmErr_Format(vm, PME(vm, TypeError), "'%.200s' object is not subscriptable",
                        tp->tp_name);
}

int PmObject_SetItem(PmVM *vm, PmObject *o, PmObject *key, PmObject *value)
{
    PmType *tp = Pm_TYPE(o);
    if (tp->tp_as_mapping.mp_ass_subscript)
        return tp->tp_as_mapping.mp_ass_subscript(vm, o, key, value);
    PmErr_Format(vm, PME(vm, TypeError), "'%.200s' object does not support item assignment",
                 tp->tp_name);
    return -1;
}

int PmObject_DelItem(PmVM *vm, PmObject *o, PmObject *key)
{
    PmType *tp = Pm_TYPE(o);
    if (tp->tp_as_mapping.mp_ass_subscript)
        return tp->tp_as_mapping.mp_ass_subscript(vm, o, key, NULL);
    PmErr_Format(vm, PME(vm, TypeError), "'%.200s' object doesn't support item deletion",
                 tp->tp_name);
    return -1;
}

Pm_ssize_t PmObject_Length(PmVM *vm, PmObject *o)
{
    PmType *tp = Pm_TYPE(o);
    if (tp->tp_as_sequence.sq_length) return tp->tp_as_sequence.sq_length(vm, o);
    if (tp->tp_as_mapping.mp_length) return tp->tp_as_mapping.mp_length(vm, o);
    PmErr_Format(vm, PME(vm, TypeError), "object of type '%.200s' has no len()", tp->tp_name);
    return -1;
}

/* ------------------------------------------------------------------ iteration */

PmObject *PmObject_GetIter(PmVM *vm, PmObject *o)
{
    PmType *tp = Pm_TYPE(o);
    if (tp->tp_iter == NULL) {
        if (tp->tp_as_sequence.sq_item) return pm_seqiter_new(vm, o);
        return PmErr_Format(vm, PME(vm, TypeError), "'%.200s' object is not iterable",
                            tp->tp_name);
    }
    PmObject *it = tp->tp_iter(vm, o);
    if (it && Pm_TYPE(it)->tp_iternext == NULL) {
        PmErr_Format(vm, PME(vm, TypeError), "iter() returned non-iterator of type '%.100s'",
                     Pm_TYPE(it)->tp_name);
        Pm_DECREF(vm, it);
        return NULL;
    }
    return it;
}

PmObject *PmIter_Next(PmVM *vm, PmObject *it)
{
    PmObject *r = Pm_TYPE(it)->tp_iternext(vm, it);
    if (r == NULL && PmErr_ExceptionMatches(vm, PME(vm, StopIteration))) PmErr_Clear(vm);
    return r;
}

int PmSequence_Contains(PmVM *vm, PmObject *seq, PmObject *item)
{
    PmType *tp = Pm_TYPE(seq);
    if (tp->tp_as_sequence.sq_contains) return tp->tp_as_sequence.sq_contains(vm, seq, item);
    if (tp->tp_iter == NULL && tp->tp_as_sequence.sq_item == NULL) {
        PmErr_Format(vm, PME(vm, TypeError), "argument of type '%.200s' is not iterable",
                     tp->tp_name);
        return -1;
    }
    PmObject *it = PmObject_GetIter(vm, seq);
    if (it == NULL) return -1;
    int found = 0;
    for (;;) {
        PmObject *x = PmIter_Next(vm, it);
        if (x == NULL) { found = PmErr_Occurred(vm) ? -1 : 0; break; }
        int c = PmObject_RichCompareBool(vm, x, item, Pm_EQ);
        Pm_DECREF(vm, x);
        if (c != 0) { found = c; break; }
    }
    Pm_DECREF(vm, it);
    return found;
}

/* ------------------------------------------------------------------ calls */

PmObject *PmObject_Vectorcall(PmVM *vm, PmObject *callable, PmObject *const *args,
                              size_t nargs, PmObject *kwnames)
{
    pm_vectorcallfunc f = Pm_TYPE(callable)->tp_call;
    if (f == NULL) {
        return PmErr_Format(vm, PME(vm, TypeError), "'%.200s' object is not callable",
                            Pm_TYPE(callable)->tp_name);
    }
    int k = Pm_KIND(callable);
    bool count = k != PMT_FUNCTION && k != PMT_METHOD;
    if (count && pm_enter_recursive_call(vm, " while calling a Python object")) return NULL;
    PmObject *r = f(vm, callable, args, nargs, kwnames);
    if (count) pm_leave_recursive_call(vm);
    if (r == NULL && !PmErr_Occurred(vm)) {
        PmErr_SetString(vm, PME(vm, SystemError), "error return without exception set");
    }
    return r;
}

PmObject *PmObject_CallNoArgs(PmVM *vm, PmObject *callable)
{
    return PmObject_Vectorcall(vm, callable, NULL, 0, NULL);
}

PmObject *PmObject_CallOneArg(PmVM *vm, PmObject *callable, PmObject *arg)
{
    return PmObject_Vectorcall(vm, callable, &arg, 1, NULL);
}

PmObject *PmObject_CallMethod(PmVM *vm, PmObject *obj, PmObject *name, PmObject *const *args,
                              size_t nargs)
{
    PmObject *m = PmObject_GetAttr(vm, obj, name);
    if (m == NULL) return NULL;
    PmObject *r = PmObject_Vectorcall(vm, m, args, nargs, NULL);
    Pm_DECREF(vm, m);
    return r;
}

PmObject *PmObject_Format(PmVM *vm, PmObject *o, PmObject *spec)
{
    if (spec == NULL || PmStr_GET_LENGTH(spec) == 0) {
        if (Pm_IS_TYPE(vm, o, STR)) return Pm_NewRef(o);
        if (Pm_IS_TYPE(vm, o, INT)) return PmObject_Str(vm, o);
    }
    PmObject *meth = PmType_Lookup(vm, Pm_TYPE(o), PMID(vm, __format__));
    if (meth == NULL) {
        return PmErr_Format(vm, PME(vm, TypeError), "Type %.100s doesn't define __format__",
                            Pm_TYPE(o)->tp_name);
    }
    PmObject *args[2] = {o, spec ? spec : vm->empty_str};
    PmObject *r = pm_call_unbound(vm, meth, args, 2);
    if (r && !PmStr_Check(r)) {
        PmErr_Format(vm, PME(vm, TypeError), "__format__ must return a str, not %.200s",
                     Pm_TYPE(r)->tp_name);
        Pm_DECREF(vm, r);
        return NULL;
    }
    return r;
}

/* ------------------------------------------------------------------ types and instances */

bool PmType_IsSubtype(PmType *a, PmType *b)
{
    if (a == b) return true;
    PmObject *mro = a->tp_mro;
    if (mro) {
        for (Pm_ssize_t i = 0; i < Pm_SIZE(mro); i++)
            if (PmTuple_GET_ITEM(mro, i) == (PmObject *)b) return true;
        return false;
    }
    for (PmType *t = a->tp_base; t; t = t->tp_base)
        if (t == b) return true;
    return false;
}

PmObject *pm_type_find_in_mro(PmVM *vm, PmType *tp, PmObject *name)
{
    PmObject *mro = tp->tp_mro;
    if (mro == NULL) return tp->tp_dict ? PmDict_GetItem_Borrow(vm, tp->tp_dict, name) : NULL;
    for (Pm_ssize_t i = 0; i < Pm_SIZE(mro); i++) {
        PmType *t = (PmType *)PmTuple_GET_ITEM(mro, i);
        PmObject *r = PmDict_GetItem_Borrow(vm, t->tp_dict, name);
        if (r) return r;
    }
    return NULL;
}

void pm_type_cache_clear(PmVM *vm)
{
    memset(vm->type_cache, 0, sizeof vm->type_cache);
    vm->type_epoch = 1;
}

/* The type attribute cache (vm.h): types with an MRO, names that are interned strs. */
PmObject *PmType_Lookup(PmVM *vm, PmType *tp, PmObject *name)
{
    if (tp->tp_mro == NULL || Pm_TYPE(name) != PMT(vm, STR) || !((PmStr *)name)->interned) {
        /* CPython's _PyType_Lookup tags the type for any str name of up to 100 characters */
        if (Pm_TYPE(name) == PMT(vm, STR) && PmStr_GET_LENGTH(name) <= 100) pm_type_assign_tag(tp);
        return pm_type_find_in_mro(vm, tp, name);
    }
    uintptr_t h = ((uintptr_t)tp >> 3) ^ ((uintptr_t)name >> 3) * 0x9E3779B1u;
    PmTypeCacheEntry *e = &vm->type_cache[(h ^ (h >> 13)) & (PM_TYPE_CACHE_SIZE - 1)];
    if (e->epoch == vm->type_epoch && e->type == tp && e->name == name) {
#if PML_DEBUG
        if (e->value != pm_type_find_in_mro(vm, tp, name)) {
            fprintf(stderr, "pymemlab: stale type cache entry for %s.%s\n", tp->tp_name,
                    PmStr_AsUTF8(vm, name, NULL));
            abort();
        }
#endif
        return e->value;
    }
    PmObject *r = pm_type_find_in_mro(vm, tp, name);
    pm_type_assign_tag(tp);      /* a hit needs a miss first, after any pm_type_modified() */
    e->type = tp;
    e->name = name;
    e->value = r;
    e->epoch = vm->type_epoch;
    return r;
}

static int check_class(PmVM *vm, PmObject *cls, const char *fname)
{
    if (PmType_Check(cls)) return 0;
    PmErr_Format(vm, PME(vm, TypeError),
                 "%s() arg 2 must be a type, a tuple of types, or a union", fname);
    return -1;
}

/* cls.__instancecheck__(o) / cls.__subclasscheck__(o) for a `cls` that is not a class
 * (a GenericAlias refuses): -1 with the usual TypeError when it has none. */
static int call_checker(PmVM *vm, PmObject *cls, PmObject *o, int id, const char *fname)
{
    PmObject *checker = PmType_Lookup(vm, Pm_TYPE(cls), vm->ids[id]);
    if (checker == NULL) return check_class(vm, cls, fname);
    const char *where = id == PMID___instancecheck__ ? " in __instancecheck__" : " in __subclasscheck__";
    if (pm_enter_recursive_call(vm, where)) return -1;
    PmObject *args[2] = {cls, o};
    Pm_INCREF(checker);
    PmObject *r = pm_call_unbound(vm, checker, args, 2);
    Pm_DECREF(vm, checker);
    pm_leave_recursive_call(vm);
    if (r == NULL) return -1;
    int t = PmObject_IsTrue(vm, r);
    Pm_DECREF(vm, r);
    return t;
}

int PmObject_IsInstance(PmVM *vm, PmObject *o, PmObject *cls)
{
    PmObject *uargs = pm_union_args_borrow(cls);   /* int | str: as the tuple (int, str) */
    if (uargs) cls = uargs;
    if (!PmType_Check(cls) && !Pm_IS_TYPE(vm, cls, TUPLE))
        return call_checker(vm, cls, o, PMID___instancecheck__, "isinstance");
    if (Pm_IS_TYPE(vm, cls, TUPLE)) {
        for (Pm_ssize_t i = 0; i < Pm_SIZE(cls); i++) {
            int r = PmObject_IsInstance(vm, o, PmTuple_GET_ITEM(cls, i));
            if (r != 0) return r;
        }
        return 0;
    }
    if (check_class(vm, cls, "isinstance")) return -1;
    if (PmType_IsSubtype(Pm_TYPE(o), (PmType *)cls)) return 1;
    /* CPython's object_isinstance: an object may claim another class (weakref proxies) */
    PmObject *icls = PmObject_LookupAttr(vm, o, PMID(vm, __class__));
    if (icls == NULL) return PmErr_Occurred(vm) ? -1 : 0;
    int r = icls != (PmObject *)Pm_TYPE(o) && PmType_Check(icls) &&
            PmType_IsSubtype((PmType *)icls, (PmType *)cls);
    Pm_DECREF(vm, icls);
    return r;
}

int PmObject_IsSubclass(PmVM *vm, PmObject *derived, PmObject *cls)
{
    if (!PmType_Check(derived)) {
        PmErr_SetString(vm, PME(vm, TypeError), "issubclass() arg 1 must be a class");
        return -1;
    }
    if (Pm_IS_TYPE(vm, cls, TUPLE)) {
        for (Pm_ssize_t i = 0; i < Pm_SIZE(cls); i++) {
            int r = PmObject_IsSubclass(vm, derived, PmTuple_GET_ITEM(cls, i));
            if (r != 0) return r;
        }
        return 0;
    }
    PmObject *uargs = pm_union_args_borrow(cls);
    if (uargs) return PmObject_IsSubclass(vm, derived, uargs);
    if (!PmType_Check(cls)) return call_checker(vm, cls, derived, PMID___subclasscheck__, "issubclass");
    return PmType_IsSubtype((PmType *)derived, (PmType *)cls);
}

Pm_ssize_t PmObject_SizeOf(PmVM *vm, PmObject *o)
{
    PmObject *meth = PmType_Lookup(vm, Pm_TYPE(o), PMID(vm, __sizeof__));
    if (meth == NULL) {
        PmErr_Format(vm, PME(vm, TypeError), "Type %.100s doesn't define __sizeof__",
                     Pm_TYPE(o)->tp_name);
        return -1;
    }
    PmObject *r = pm_call_unbound(vm, meth, &o, 1);
    if (r == NULL) return -1;
    Pm_ssize_t n = PmNumber_AsSsize_t(vm, r, PME(vm, OverflowError));
    Pm_DECREF(vm, r);
    if (n == -1 && PmErr_Occurred(vm)) return -1;
    if (n < 0) {
        PmErr_SetString(vm, PME(vm, ValueError), "__sizeof__() should return >= 0");
        return -1;
    }
    PmType *tp = Pm_TYPE(o);
    /* CPython's _PyObject_IS_GC: by type flag, except that static types are not GC */
    bool gc = PmType_HasFeature(tp, PM_TPFLAGS_HAVE_GC) &&
              !(PmType_Check(o) && !PmType_HasFeature((PmType *)o, PM_TPFLAGS_HEAPTYPE));
    if (gc) n += PM_MODEL_GC_HEAD;
    if (PmType_HasFeature(tp, PM_TPFLAGS_MANAGED_DICT)) n += PM_MODEL_MANAGED_PRE;
    return n;
}

/* ------------------------------------------------------------------ number protocol */

/* Offsets of the binary slots in PmNumberMethods, indexed by PmBinOp (CPython's BINARY_OP
 * numbering: NB_ADD 0 ... NB_XOR 12, in-place forms +13). */
#define NB(f) offsetof(PmNumberMethods, f)
static const size_t binop_slot[] = {
    NB(nb_add), NB(nb_and), NB(nb_floor_divide), NB(nb_lshift), NB(nb_matrix_multiply),
    NB(nb_multiply), NB(nb_remainder), NB(nb_or), NB(nb_power), NB(nb_rshift),
    NB(nb_subtract), NB(nb_true_divide), NB(nb_xor)
};
static const size_t inplace_slot[] = {
    NB(nb_inplace_add), NB(nb_inplace_and), NB(nb_inplace_floor_divide), NB(nb_inplace_lshift),
    NB(nb_inplace_matrix_multiply), NB(nb_inplace_multiply), NB(nb_inplace_remainder),
    NB(nb_inplace_or), NB(nb_inplace_power), NB(nb_inplace_rshift), NB(nb_inplace_subtract),
    NB(nb_inplace_true_divide), NB(nb_inplace_xor)
};
static const char *const binop_name[] = {
    "+", "&", "//", "<<", "@", "*", "%", "|", "** or pow()", ">>", "-", "/", "^"
};
static const char *const inplace_name[] = {
    "+=", "&=", "//=", "<<=", "@=", "*=", "%=", "|=", "**=", ">>=", "-=", "/=", "^="
};
#undef NB

static pm_binaryfunc slot_at(PmType *tp, size_t off)
{
    return *(pm_binaryfunc *)((char *)&tp->tp_as_number + off);
}

static PmObject *call_binslot(PmVM *vm, pm_binaryfunc f, PmObject *a, PmObject *b, int op)
{
    if (op == PM_BINOP_POWER) {
        pm_ternaryfunc t = (pm_ternaryfunc)(void *)f;
        return t(vm, a, b, Pm_None(vm));
    }
    return f(vm, a, b);
}

/* CPython's binary_op1: left slot, or the right operand's first when it is a subclass. */
static PmObject *binary_op1(PmVM *vm, PmObject *v, PmObject *w, int op)
{
    size_t off = binop_slot[op];
    pm_binaryfunc slotv = slot_at(Pm_TYPE(v), off);
    pm_binaryfunc slotw = NULL;
    if (Pm_TYPE(w) != Pm_TYPE(v)) {
        slotw = slot_at(Pm_TYPE(w), off);
        if (slotw == slotv) slotw = NULL;
    }
    PmObject *x;
    if (slotv) {
        if (slotw && PmType_IsSubtype(Pm_TYPE(w), Pm_TYPE(v))) {
            x = call_binslot(vm, slotw, v, w, op);
            if (x != Pm_NotImplemented(vm)) return x;
            Pm_DECREF(vm, x);
            slotw = NULL;
        }
        x = call_binslot(vm, slotv, v, w, op);
        if (x != Pm_NotImplemented(vm)) return x;
        Pm_DECREF(vm, x);
    }
    if (slotw) {
        x = call_binslot(vm, slotw, v, w, op);
        if (x != Pm_NotImplemented(vm)) return x;
        Pm_DECREF(vm, x);
    }
    return Pm_NewRef(Pm_NotImplemented(vm));
}

static PmObject *binop_type_error(PmVM *vm, PmObject *v, PmObject *w, const char *name)
{
    return PmErr_Format(vm, PME(vm, TypeError),
                        "unsupported operand type(s) for %.100s: '%.100s' and '%.100s'", name,
                        Pm_TYPE(v)->tp_name, Pm_TYPE(w)->tp_name);
}

static PmObject *sequence_repeat(PmVM *vm, pm_ssizeargfunc repeat, PmObject *seq, PmObject *n)
{
    if (!is_index(n)) {
        return PmErr_Format(vm, PME(vm, TypeError),
                            "can't multiply sequence by non-int of type '%.200s'",
                            Pm_TYPE(n)->tp_name);
    }
    Pm_ssize_t count = PmNumber_AsSsize_t(vm, n, PME(vm, OverflowError));
    if (count == -1 && PmErr_Occurred(vm)) return NULL;
    return repeat(vm, seq, count);
}

/* The sequence fallbacks of + and * (and their in-place forms). */
static PmObject *sequence_fallback(PmVM *vm, PmObject *v, PmObject *w, int op, bool inplace)
{
    PmSequenceMethods *sv = &Pm_TYPE(v)->tp_as_sequence, *sw = &Pm_TYPE(w)->tp_as_sequence;
    if (op == PM_BINOP_ADD) {
        if (inplace && sv->sq_inplace_concat) return sv->sq_inplace_concat(vm, v, w);
        if (sv->sq_concat) return sv->sq_concat(vm, v, w);
    } else if (op == PM_BINOP_MULTIPLY) {
        if (inplace && sv->sq_inplace_repeat) return sequence_repeat(vm, sv->sq_inplace_repeat, v, w);
        if (sv->sq_repeat) return sequence_repeat(vm, sv->sq_repeat, v, w);
        if (sw->sq_repeat) return sequence_repeat(vm, sw->sq_repeat, w, v);
    }
    return Pm_NewRef(Pm_NotImplemented(vm));
}

PmObject *PmNumber_BinaryOp(PmVM *vm, PmObject *v, PmObject *w, int op)
{
    bool inplace = op >= PM_BINOP_INPLACE;
    int base = inplace ? op - PM_BINOP_INPLACE : op;
    PmObject *r;
    if (medium_ints(vm, v, w)) {    /* int has no in-place slots: same result as below */
        int64_t x = medium_value(v), y = medium_value(w);
        switch (base) {
        case PM_BINOP_ADD: return PmLong_FromLongLong(vm, x + y);
        case PM_BINOP_SUBTRACT: return PmLong_FromLongLong(vm, x - y);
        case PM_BINOP_MULTIPLY: return PmLong_FromLongLong(vm, x * y);
        case PM_BINOP_AND: return PmLong_FromLongLong(vm, x & y);
        case PM_BINOP_OR: return PmLong_FromLongLong(vm, x | y);
        case PM_BINOP_XOR: return PmLong_FromLongLong(vm, x ^ y);
        default: break;
        }
    }
    if (inplace) {
        pm_binaryfunc f = slot_at(Pm_TYPE(v), inplace_slot[base]);
        if (f) {
            r = call_binslot(vm, f, v, w, base);
            if (r != Pm_NotImplemented(vm)) return r;
            Pm_DECREF(vm, r);
        }
    }
    r = binary_op1(vm, v, w, base);
    if (r != Pm_NotImplemented(vm)) return r;
    Pm_DECREF(vm, r);
    r = sequence_fallback(vm, v, w, base, inplace);
    if (r != Pm_NotImplemented(vm)) return r;
    Pm_DECREF(vm, r);
    if (base == PM_BINOP_RSHIFT && Pm_KIND(v) == PMT_CFUNCTION &&
        strcmp(((PmCFunction *)v)->m_ml->name, "print") == 0) {
        return PmErr_Format(vm, PME(vm, TypeError),
                            "unsupported operand type(s) for >>: '%.100s' and '%.100s'. "
                            "Did you mean \"print(<message>, file=<output_stream>)\"?",
                            Pm_TYPE(v)->tp_name, Pm_TYPE(w)->tp_name);
    }
    return binop_type_error(vm, v, w, inplace ? inplace_name[base] : binop_name[base]);
}

static PmObject *unary_error(PmVM *vm, PmObject *o, const char *op)
{
    return PmErr_Format(vm, PME(vm, TypeError), "bad operand type for %s: '%.200s'", op,
                        Pm_TYPE(o)->tp_name);
}

PmObject *PmNumber_Negative(PmVM *vm, PmObject *o)
{
    pm_unaryfunc f = Pm_TYPE(o)->tp_as_number.nb_negative;
    return f ? f(vm, o) : unary_error(vm, o, "unary -");
}

PmObject *PmNumber_Positive(PmVM *vm, PmObject *o)
{
    pm_unaryfunc f = Pm_TYPE(o)->tp_as_number.nb_positive;
    return f ? f(vm, o) : unary_error(vm, o, "unary +");
}

PmObject *PmNumber_Invert(PmVM *vm, PmObject *o)
{
    pm_unaryfunc f = Pm_TYPE(o)->tp_as_number.nb_invert;
    return f ? f(vm, o) : unary_error(vm, o, "unary ~");
}

PmObject *PmNumber_Absolute(PmVM *vm, PmObject *o)
{
    pm_unaryfunc f = Pm_TYPE(o)->tp_as_number.nb_absolute;
    return f ? f(vm, o) : unary_error(vm, o, "abs()");
}

PmObject *PmNumber_Index(PmVM *vm, PmObject *o)
{
    if (Pm_IS_TYPE(vm, o, INT)) return Pm_NewRef(o);
    pm_unaryfunc f = Pm_TYPE(o)->tp_as_number.nb_index;
    if (f == NULL) {
        return PmErr_Format(vm, PME(vm, TypeError),
                            "'%.200s' object cannot be interpreted as an integer",
                            Pm_TYPE(o)->tp_name);
    }
    PmObject *r = f(vm, o);
    if (r && !PmLong_Check(r)) {
        PmErr_Format(vm, PME(vm, TypeError), "__index__ returned non-int (type %.200s)",
                     Pm_TYPE(r)->tp_name);
        Pm_DECREF(vm, r);
        return NULL;
    }
    return r;
}

