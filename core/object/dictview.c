/*
 * dictview.c -- dict iterators (dict_keyiterator, dict_valueiterator, dict_itemiterator and
 * their reverse forms) and views (dict_keys, dict_values, dict_items), as in CPython 3.11's
 * Objects/dictobject.c.
 *
 * An iterator holds a strong reference to its dict until it is exhausted (then di_dict is
 * NULL), the dict's size when it started (di_used: a change raises "dictionary changed size
 * during iteration" and stays raised), its position in the entries and how many items it
 * still expects (len: finding more raises "dictionary keys changed during iteration").
 * Item iterators recycle their result tuple when nobody else holds it, like CPython.
 *
 * Modelled sizes: iterator 56 bytes (getsizeof 72), view 24 (getsizeof 40).
 */
#include "dict_impl.h"

typedef struct PmDictIter {
    PmObject ob_base;
    PmObject *di_dict;        /* NULL once exhausted */
    Pm_ssize_t di_used;
    Pm_ssize_t di_pos;
    PmObject *di_result;      /* reusable (key, value) tuple of item iterators */
    Pm_ssize_t len;
} PmDictIter;

typedef struct PmDictView {
    PmObject ob_base;
    PmObject *dv_dict;
} PmDictView;

enum { MODEL_DICTITER = 56, MODEL_DICTVIEW = 24 };

static bool is_reverse(int kind)
{
    return kind == PMT_DICT_REVKEYITER || kind == PMT_DICT_REVVALUEITER
           || kind == PMT_DICT_REVITEMITER;
}

static bool is_items(int kind)
{
    return kind == PMT_DICT_ITEMITER || kind == PMT_DICT_REVITEMITER;
}

/* ====================================================================== iterators */

PmObject *pm_dict_iter_new(PmVM *vm, PmObject *dict, int kind)
{
    PmDict *d = (PmDict *)dict;
    PmDictIter *di = (PmDictIter *)pm_object_alloc(vm, vm->types[kind], sizeof(PmDictIter),
                                                   MODEL_DICTITER + PM_MODEL_GC_HEAD);
    if (di == NULL)
        return NULL;
    di->di_dict = Pm_NewRef(dict);
    di->di_used = d->ma_used;
    di->len = d->ma_used;
    di->di_pos = is_reverse(kind) ? d->ma_keys->dk_nentries - 1 : 0;
    if (is_items(kind)) {
        di->di_result = PmTuple_Pack(vm, 2, Pm_None(vm), Pm_None(vm));
        if (di->di_result == NULL) {
            Pm_DECREF(vm, (PmObject *)di);
            return NULL;
        }
    }
    pm_gc_track(vm, (PmObject *)di);
    return (PmObject *)di;
}

static void dictiter_dealloc(PmVM *vm, PmObject *o)
{
    PmDictIter *di = (PmDictIter *)o;
    pm_gc_untrack(vm, o);
    Pm_XDECREF(vm, di->di_dict);
    Pm_XDECREF(vm, di->di_result);
    pm_object_free(vm, o);
}

static int dictiter_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    PmDictIter *di = (PmDictIter *)o;
    Pm_VISIT(vm, di->di_dict);
    Pm_VISIT(vm, di->di_result);
    return 0;
}

static PmObject *self_iter(PmVM *vm, PmObject *o)
{
    (void)vm;
    return Pm_NewRef(o);
}

/* Drop the dict: the iterator is exhausted (or broken). */
static void iter_finish(PmVM *vm, PmDictIter *di)
{
    PmObject *d = di->di_dict;
    di->di_dict = NULL;
    Pm_DECREF(vm, d);
}

static bool size_changed(PmVM *vm, PmDictIter *di)
{
    if (di->di_used == ((PmDict *)di->di_dict)->ma_used)
        return false;
    PmErr_SetString(vm, PME(vm, RuntimeError), "dictionary changed size during iteration");
    di->di_used = -1;   /* make this state sticky */
    return true;
}

/* Next live entry going forward: 1 found, 0 exhausted, -1 error. */
static int next_forward(PmVM *vm, PmDictIter *di, PmObject **key, PmObject **value)
{
    if (di->di_dict == NULL)
        return 0;
    if (size_changed(vm, di))
        return -1;
    PmDictKeys *dk = ((PmDict *)di->di_dict)->ma_keys;
    Pm_ssize_t i = di->di_pos, n = dk->dk_nentries;
    for (; i < n; i++) {
        pm_dict_entry(dk, i, key, value);
        if (*value != NULL)
            break;
    }
    if (i >= n) {
        iter_finish(vm, di);
        return 0;
    }
    if (di->len == 0) {
        PmErr_SetString(vm, PME(vm, RuntimeError), "dictionary keys changed during iteration");
        iter_finish(vm, di);
        return -1;
    }
    di->di_pos = i + 1;
    di->len--;
    return 1;
}

/* Next live entry going backward: 1 found, 0 exhausted, -1 error. */
static int next_backward(PmVM *vm, PmDictIter *di, PmObject **key, PmObject **value)
{
    if (di->di_dict == NULL)
        return 0;
    if (size_changed(vm, di))
        return -1;
    PmDictKeys *dk = ((PmDict *)di->di_dict)->ma_keys;
    Pm_ssize_t i = di->di_pos;
    for (; i >= 0; i--) {
        pm_dict_entry(dk, i, key, value);
        if (*value != NULL)
            break;
    }
    if (i < 0) {
        iter_finish(vm, di);
        return 0;
    }
    di->di_pos = i - 1;
    di->len--;
    return 1;
}

/* The (key, value) result, recycling di_result when only the iterator holds it. */
static PmObject *item_result(PmVM *vm, PmDictIter *di, PmObject *key, PmObject *value)
{
    PmObject *result = di->di_result;
    Pm_INCREF(key);
    Pm_INCREF(value);
    if (Pm_REFCNT(result) == 1) {
        PmObject *oldkey = PmTuple_GET_ITEM(result, 0);
        PmObject *oldvalue = PmTuple_GET_ITEM(result, 1);
        PmTuple_SET_ITEM(result, 0, key);
        PmTuple_SET_ITEM(result, 1, value);
        Pm_INCREF(result);
        Pm_DECREF(vm, oldkey);
        Pm_DECREF(vm, oldvalue);
        if (!pm_gc_is_tracked(result))   /* the collector may have untracked it */
            pm_gc_track(vm, result);
        return result;
    }
    result = PmTuple_New(vm, 2);
    if (result == NULL) {
        Pm_DECREF(vm, key);
        Pm_DECREF(vm, value);
        return NULL;
    }
    PmTuple_SET_ITEM(result, 0, key);
    PmTuple_SET_ITEM(result, 1, value);
    return result;
}

static PmObject *iternext(PmVM *vm, PmObject *o)
{
    PmDictIter *di = (PmDictIter *)o;
    int kind = Pm_KIND(o);
    PmObject *key, *value;
    int r = is_reverse(kind) ? next_backward(vm, di, &key, &value)
                             : next_forward(vm, di, &key, &value);
    if (r <= 0)
        return NULL;
    if (kind == PMT_DICT_KEYITER || kind == PMT_DICT_REVKEYITER)
        return Pm_NewRef(key);
    if (kind == PMT_DICT_VALUEITER || kind == PMT_DICT_REVVALUEITER)
        return Pm_NewRef(value);
    return item_result(vm, di, key, value);
}

static PmObject *dictiter_len(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    PmDictIter *di = (PmDictIter *)self;
    Pm_ssize_t len = 0;
    (void)args, (void)nargs, (void)kwnames;
    if (di->di_dict != NULL && di->di_used == ((PmDict *)di->di_dict)->ma_used)
        len = di->len;
    return PmLong_FromSsize_t(vm, len);
}

static const PmMethodDef dictiter_methods[] = {
    { "__length_hint__", dictiter_len, PM_METH_NOARGS },
    { NULL, NULL, 0 }
};

#define DICTITER_TEMPLATE(NAME, KIND) {                                  \
    .tp_name = NAME,                                                     \
    .tp_basicsize = MODEL_DICTITER,                                      \
    .tp_flags = PM_TPFLAGS_HAVE_GC,                                      \
    .tp_kind = KIND,                                                     \
    .tp_dealloc = dictiter_dealloc,                                      \
    .tp_getattro = PmObject_GenericGetAttr,                              \
    .tp_traverse = dictiter_traverse,                                    \
    .tp_iter = self_iter,                                                \
    .tp_iternext = iternext,                                             \
    .tp_methods = dictiter_methods,                                      \
}

const PmType PmDictKeyIter_Template = DICTITER_TEMPLATE("dict_keyiterator", PMT_DICT_KEYITER);
const PmType PmDictValueIter_Template =
    DICTITER_TEMPLATE("dict_valueiterator", PMT_DICT_VALUEITER);
const PmType PmDictItemIter_Template =
    DICTITER_TEMPLATE("dict_itemiterator", PMT_DICT_ITEMITER);
const PmType PmDictRevKeyIter_Template =
    DICTITER_TEMPLATE("dict_reversekeyiterator", PMT_DICT_REVKEYITER);
const PmType PmDictRevValueIter_Template =
    DICTITER_TEMPLATE("dict_reversevalueiterator", PMT_DICT_REVVALUEITER);
const PmType PmDictRevItemIter_Template =
    DICTITER_TEMPLATE("dict_reverseitemiterator", PMT_DICT_REVITEMITER);

/* ====================================================================== views: basics */

PmObject *PmDictView_New(PmVM *vm, PmObject *dict, int kind)
{
    PmDictView *dv;
    if (!PmDict_Check(dict))
        return PmErr_Format(vm, PME(vm, TypeError), "%s() requires a dict argument, not '%s'",
                            vm->types[kind]->tp_name, PmObject_TypeName(dict));
    dv = (PmDictView *)pm_object_alloc(vm, vm->types[kind], sizeof(PmDictView),
                                       MODEL_DICTVIEW + PM_MODEL_GC_HEAD);
    if (dv == NULL)
        return NULL;
    dv->dv_dict = Pm_NewRef(dict);
    pm_gc_track(vm, (PmObject *)dv);
    return (PmObject *)dv;
}

static PmObject *view_dict(PmObject *o) { return ((PmDictView *)o)->dv_dict; }

static void dictview_dealloc(PmVM *vm, PmObject *o)
{
    pm_gc_untrack(vm, o);
    Pm_XDECREF(vm, view_dict(o));
    pm_object_free(vm, o);
}

static int dictview_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    Pm_VISIT(vm, view_dict(o));
    return 0;
}

static Pm_ssize_t dictview_len(PmVM *vm, PmObject *o)
{
    (void)vm;
    return view_dict(o) ? PmDict_Size(view_dict(o)) : 0;
}

/* "dict_keys([...])", "..." when recursive. */
static PmObject *dictview_repr(PmVM *vm, PmObject *o)
{
    PmObject *seq, *result = NULL;
    int rc = pm_repr_enter(vm, o);
    if (rc != 0)
        return rc > 0 ? PmStr_FromString(vm, "...") : NULL;
    seq = PmList_New(vm, 0);
    if (seq != NULL && PmList_Extend(vm, seq, o) == 0)
        result = PmStr_FromFormat(vm, "%s(%R)", Pm_TYPE(o)->tp_name, seq);
    Pm_XDECREF(vm, seq);
    pm_repr_leave(vm, o);
    return result;
}

static PmObject *view_iter_kind(PmVM *vm, PmObject *o, int kind)
{
    if (view_dict(o) == NULL)
        return Pm_RETURN_NONE(vm);
    return pm_dict_iter_new(vm, view_dict(o), kind);
}

static PmObject *dictkeys_iter(PmVM *vm, PmObject *o)
{
    return view_iter_kind(vm, o, PMT_DICT_KEYITER);
}

static PmObject *dictvalues_iter(PmVM *vm, PmObject *o)
{
    return view_iter_kind(vm, o, PMT_DICT_VALUEITER);
}

static PmObject *dictitems_iter(PmVM *vm, PmObject *o)
{
    return view_iter_kind(vm, o, PMT_DICT_ITEMITER);
}

static PmObject *dictkeys_reversed(PmVM *vm, PmObject *self, PmObject *const *args,
                                   size_t nargs, PmObject *kwnames)
{
    (void)args, (void)nargs, (void)kwnames;
    return view_iter_kind(vm, self, PMT_DICT_REVKEYITER);
}

static PmObject *dictvalues_reversed(PmVM *vm, PmObject *self, PmObject *const *args,
                                     size_t nargs, PmObject *kwnames)
{
    (void)args, (void)nargs, (void)kwnames;
    return view_iter_kind(vm, self, PMT_DICT_REVVALUEITER);
}

static PmObject *dictitems_reversed(PmVM *vm, PmObject *self, PmObject *const *args,
                                    size_t nargs, PmObject *kwnames)
{
    (void)args, (void)nargs, (void)kwnames;
    return view_iter_kind(vm, self, PMT_DICT_REVITEMITER);
}

static int dictkeys_contains(PmVM *vm, PmObject *o, PmObject *key)
{
    if (view_dict(o) == NULL)
        return 0;
    return PmDict_Contains(vm, view_dict(o), key);
}

static int dictitems_contains(PmVM *vm, PmObject *o, PmObject *obj)
{
    PmObject *found;
    if (view_dict(o) == NULL || !PmTuple_Check(obj) || PmTuple_GET_SIZE(obj) != 2)
        return 0;
    found = PmDict_GetItem_Borrow(vm, view_dict(o), PmTuple_GET_ITEM(obj, 0));
    if (found == NULL)
        return PmErr_Occurred(vm) ? -1 : 0;
    Pm_INCREF(found);
    int result = PmObject_RichCompareBool(vm, found, PmTuple_GET_ITEM(obj, 1), Pm_EQ);
    Pm_DECREF(vm, found);
    return result;
}

/* A mappingproxy of the view's dict (the `mapping` attribute). */
static PmObject *dictview_mapping(PmVM *vm, PmObject *o)
{
    return pm_mappingproxy_new(vm, view_dict(o));
}

static const PmGetSetDef dictview_getset[] = {
    { "mapping", dictview_mapping, NULL },
    { NULL, NULL, NULL }
};

/* ====================================================================== views: set operations */

static bool is_setlike_view(PmObject *o)
{
    return Pm_KIND(o) == PMT_DICT_KEYS || Pm_KIND(o) == PMT_DICT_ITEMS;
}

/* 1 if every item of self is in other, 0 if not, -1 on error. */
static int all_contained_in(PmVM *vm, PmObject *self, PmObject *other)
{
    PmObject *iter = PmObject_GetIter(vm, self), *next;
    int ok = 1;
    if (iter == NULL)
        return -1;
    while ((next = PmIter_Next(vm, iter)) != NULL) {
        ok = PmSequence_Contains(vm, other, next);
        Pm_DECREF(vm, next);
        if (ok <= 0)
            break;
    }
    if (next == NULL && PmErr_Occurred(vm))
        ok = -1;
    Pm_DECREF(vm, iter);
    return ok;
}

static PmObject *dictview_richcompare(PmVM *vm, PmObject *self, PmObject *other, int op)
{
    Pm_ssize_t len_self, len_other;
    int ok = 0;
    if (!PmAnySet_Check(other) && !is_setlike_view(other))
        return Pm_NewRef(Pm_NotImplemented(vm));
    if ((len_self = PmObject_Length(vm, self)) < 0)
        return NULL;
    if ((len_other = PmObject_Length(vm, other)) < 0)
        return NULL;
    switch (op) {
    case Pm_NE:
    case Pm_EQ:
        if (len_self == len_other)
            ok = all_contained_in(vm, self, other);
        if (op == Pm_NE && ok >= 0)
            ok = !ok;
        break;
    case Pm_LT: if (len_self < len_other) ok = all_contained_in(vm, self, other); break;
    case Pm_LE: if (len_self <= len_other) ok = all_contained_in(vm, self, other); break;
    case Pm_GT: if (len_self > len_other) ok = all_contained_in(vm, other, self); break;
    case Pm_GE: if (len_self >= len_other) ok = all_contained_in(vm, other, self); break;
    }
    if (ok < 0)
        return NULL;
    return Pm_Bool(vm, ok);
}

/* set(view); keys views of exact dicts take the dict fast path like CPython. */
static PmObject *dictviews_to_set(PmVM *vm, PmObject *self)
{
    PmObject *left = self;
    if (Pm_KIND(self) == PMT_DICT_KEYS && Pm_TYPE(view_dict(self)) == PMT(vm, DICT))
        left = view_dict(self);
    return PmSet_New(vm, left);
}

static PmObject *dictviews_sub(PmVM *vm, PmObject *self, PmObject *other)
{
    PmObject *result = dictviews_to_set(vm, self);
    if (result != NULL && PmSet_DifferenceUpdate(vm, result, other) < 0)
        Pm_CLEAR(vm, result);
    return result;
}

static PmObject *dictviews_or(PmVM *vm, PmObject *self, PmObject *other)
{
    PmObject *result = dictviews_to_set(vm, self);
    if (result != NULL && PmSet_Update(vm, result, other) < 0)
        Pm_CLEAR(vm, result);
    return result;
}

/* For each item of `it`: add it to result if self (a view) contains it. */
static int intersect_into(PmVM *vm, PmObject *result, PmObject *self, PmObject *other)
{
    PmObject *it = PmObject_GetIter(vm, other), *key;
    if (it == NULL)
        return -1;
    while ((key = PmIter_Next(vm, it)) != NULL) {
        int rv = Pm_KIND(self) == PMT_DICT_KEYS ? dictkeys_contains(vm, self, key)
                                                : dictitems_contains(vm, self, key);
        if (rv > 0)
            rv = PmSet_Add(vm, result, key);
        Pm_DECREF(vm, key);
        if (rv < 0) {
            Pm_DECREF(vm, it);
            return -1;
        }
    }
    Pm_DECREF(vm, it);
    return PmErr_Occurred(vm) ? -1 : 0;
}

static PmObject *dictview_and(PmVM *vm, PmObject *self, PmObject *other)
{
    PmObject *result;
    Pm_ssize_t len_self;
    if (!is_setlike_view(self)) {   /* the view is on the right of & */
        PmObject *tmp = other;
        other = self;
        self = tmp;
    }
    len_self = dictview_len(vm, self);
    if (Pm_TYPE(other) == PMT(vm, SET)) {
        Pm_ssize_t len_other = PmSet_Size(other);
        if (len_self <= len_other)
            return PmSet_Intersection(vm, other, self);
    }
    if (is_setlike_view(other) && dictview_len(vm, other) > len_self) {
        PmObject *tmp = other;
        other = self;
        self = tmp;
    }
    result = PmSet_New(vm, NULL);
    if (result != NULL && intersect_into(vm, result, self, other) < 0)
        Pm_CLEAR(vm, result);
    return result;
}

/* items ^ items: pairs in exactly one of the two views. */
static PmObject *dictitems_xor(PmVM *vm, PmObject *self, PmObject *other)
{
    PmObject *d2 = view_dict(other), *key, *val2, *remaining;
    PmObject *temp_dict = PmDict_Copy(vm, view_dict(self)), *result_set = NULL;
    Pm_ssize_t pos = 0;
    Pm_hash_t hash;
    if (temp_dict == NULL || (result_set = PmSet_New(vm, NULL)) == NULL)
        goto error;
    while (PmDict_NextHash(d2, &pos, &key, &val2, &hash)) {
        int r;
        Pm_INCREF(key);
        Pm_INCREF(val2);
        PmObject *val1 = PmDict_GetItemKnownHash_Borrow(vm, temp_dict, key, hash);
        int to_delete = 0;
        if (val1 == NULL) {
            r = PmErr_Occurred(vm) ? -1 : 0;
        } else {
            Pm_INCREF(val1);
            r = to_delete = PmObject_RichCompareBool(vm, val1, val2, Pm_EQ);
            Pm_DECREF(vm, val1);
        }
        if (r >= 0 && to_delete) {
            r = PmDict_DelItemKnownHash(vm, temp_dict, key, hash);
        } else if (r >= 0) {
            PmObject *pair = PmTuple_Pack(vm, 2, key, val2);
            r = pair ? PmSet_Add(vm, result_set, pair) : -1;
            Pm_XDECREF(vm, pair);
        }
        Pm_DECREF(vm, key);
        Pm_DECREF(vm, val2);
        if (r < 0)
            goto error;
    }
    remaining = PmDictView_New(vm, temp_dict, PMT_DICT_ITEMS);
    if (remaining == NULL || PmSet_Update(vm, result_set, remaining) < 0) {
        Pm_XDECREF(vm, remaining);
        goto error;
    }
    Pm_DECREF(vm, remaining);
    Pm_DECREF(vm, temp_dict);
    return result_set;
error:
    Pm_XDECREF(vm, temp_dict);
    Pm_XDECREF(vm, result_set);
    return NULL;
}

static PmObject *dictviews_xor(PmVM *vm, PmObject *self, PmObject *other)
{
    if (Pm_KIND(self) == PMT_DICT_ITEMS && Pm_KIND(other) == PMT_DICT_ITEMS)
        return dictitems_xor(vm, self, other);
    PmObject *result = dictviews_to_set(vm, self);
    if (result != NULL && PmSet_SymmetricDifferenceUpdate(vm, result, other) < 0)
        Pm_CLEAR(vm, result);
    return result;
}

static PmObject *dictviews_isdisjoint(PmVM *vm, PmObject *self, PmObject *const *args,
                                      size_t nargs, PmObject *kwnames)
{
    PmObject *other = args[0], *it, *item;
    (void)nargs, (void)kwnames;
    if (self == other)
        return Pm_Bool(vm, dictview_len(vm, self) == 0);
    if (PmAnySet_Check(other) || is_setlike_view(other)) {
        Pm_ssize_t len_other = PmObject_Length(vm, other);
        if (len_other == -1)
            return NULL;
        if (len_other > dictview_len(vm, self)) {
            PmObject *tmp = other;
            other = self;
            self = tmp;
        }
    }
    it = PmObject_GetIter(vm, other);
    if (it == NULL)
        return NULL;
    while ((item = PmIter_Next(vm, it)) != NULL) {
        int contains = PmSequence_Contains(vm, self, item);
        Pm_DECREF(vm, item);
        if (contains != 0) {
            Pm_DECREF(vm, it);
            return contains < 0 ? NULL : Pm_Bool(vm, 0);
        }
    }
    Pm_DECREF(vm, it);
    return PmErr_Occurred(vm) ? NULL : Pm_Bool(vm, 1);
}

/* ====================================================================== view types */

static const PmMethodDef dictkeys_methods[] = {
    { "isdisjoint", dictviews_isdisjoint, PM_METH_O },
    { "__reversed__", dictkeys_reversed, PM_METH_NOARGS },
    { NULL, NULL, 0 }
};

static const PmMethodDef dictitems_methods[] = {
    { "isdisjoint", dictviews_isdisjoint, PM_METH_O },
    { "__reversed__", dictitems_reversed, PM_METH_NOARGS },
    { NULL, NULL, 0 }
};

static const PmMethodDef dictvalues_methods[] = {
    { "__reversed__", dictvalues_reversed, PM_METH_NOARGS },
    { NULL, NULL, 0 }
};

#define DICTVIEW_COMMON(NAME, KIND)                                      \
    .tp_name = NAME,                                                     \
    .tp_basicsize = MODEL_DICTVIEW,                                      \
    .tp_flags = PM_TPFLAGS_HAVE_GC,                                      \
    .tp_kind = KIND,                                                     \
    .tp_dealloc = dictview_dealloc,                                      \
    .tp_repr = dictview_repr,                                            \
    .tp_getattro = PmObject_GenericGetAttr,                              \
    .tp_traverse = dictview_traverse,                                    \
    .tp_getset = dictview_getset

#define DICTVIEW_SETOPS { .nb_subtract = dictviews_sub, .nb_and = dictview_and, \
                          .nb_xor = dictviews_xor, .nb_or = dictviews_or }

const PmType PmDictKeys_Template = {
    DICTVIEW_COMMON("dict_keys", PMT_DICT_KEYS),
    .tp_as_number = DICTVIEW_SETOPS,
    .tp_as_sequence = { .sq_length = dictview_len, .sq_contains = dictkeys_contains },
    .tp_richcompare = dictview_richcompare,
    .tp_iter = dictkeys_iter,
    .tp_methods = dictkeys_methods,
};

const PmType PmDictItems_Template = {
    DICTVIEW_COMMON("dict_items", PMT_DICT_ITEMS),
    .tp_as_number = DICTVIEW_SETOPS,
    .tp_as_sequence = { .sq_length = dictview_len, .sq_contains = dictitems_contains },
    .tp_richcompare = dictview_richcompare,
    .tp_iter = dictitems_iter,
    .tp_methods = dictitems_methods,
};

const PmType PmDictValues_Template = {
    DICTVIEW_COMMON("dict_values", PMT_DICT_VALUES),
    .tp_as_sequence = { .sq_length = dictview_len },
    .tp_iter = dictvalues_iter,
    .tp_methods = dictvalues_methods,
};
