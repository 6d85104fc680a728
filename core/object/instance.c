/*
 * instance.c -- instances of classes defined in Python.
 *
 * Layout (see PmInstanceExtra in runtime_types.h): the base type's struct, then the extra
 * block {values, dict, weakreflist} at tp->ht_extra_offset, then the __slots__ members.
 *
 * Attributes live inline (CPython 3.11's "values") until something asks for __dict__:
 *     values   an ordered (key, value) array owned by the instance; no dict object exists,
 *              which is why a 2-instance cycle frees 2 objects, not 4 (corpus README 1).
 *     dict     after vars(obj) / obj.__dict__: a real dict owns the attributes from then on.
 *
 * Sizes as CPython 3.11 allocates them (what tracemalloc reports):
 *   - a class whose instances get a dict has shared keys (ht_cached_keys, made with the
 *     class: a 768-byte keys object for 64 slots, 30 of them usable).  Creating an
 *     instance takes one usable slot (while more than one is left), storing a new
 *     attribute name takes one for good;
 *   - object.__new__ gives each instance its values array at once: room for
 *     nentries + usable values, i.e. round_up(size + 2, 8) + 8 * size bytes (264 for the
 *     first instance of a class, then 256, 248, ... as instances are made);
 *   - an attribute name the shared keys cannot take (30 names used) turns the instance's
 *     attributes into a dict, as CPython's make_dict_from_instance_attributes.
 * The values block holds the PmInlineValues header and its keys and vals arrays (cap =
 * that size: an instance can never hold more inline attributes than CPython's array).
 */
#include "pm.h"

/* ------------------------------------------------------------------ shared keys */

enum {
    SHARED_KEYS_MAX = 30,        /* CPython's SHARED_KEYS_MAX_SIZE */
    SHARED_KEYS_MODEL = 768      /* new_keys_object(log2 6, unicode): 32 + 64 + 42 * 16 */
};

/* The class's shared keys: the names in insertion order (strong references), CPython's
 * dk_nentries and dk_usable.  Lives in the block that models CPython's keys object. */
typedef struct PmSharedKeys {
    int nentries;
    int usable;
    PmObject *names[SHARED_KEYS_MAX];
} PmSharedKeys;

int pm_shared_keys_new(PmVM *vm, PmType *tp)
{
    PmSharedKeys *sk = pm_mem_alloc(vm, sizeof(PmSharedKeys), SHARED_KEYS_MODEL);
    if (sk == NULL) return -1;
    memset(sk, 0, sizeof *sk);
    sk->usable = SHARED_KEYS_MAX;   /* "max size + 1: it shrinks by one before each object" */
    tp->ht_cached_keys = sk;
    return 0;
}

void pm_shared_keys_free(PmVM *vm, PmType *tp)
{
    PmSharedKeys *sk = tp->ht_cached_keys;
    if (sk == NULL) return;
    tp->ht_cached_keys = NULL;
    for (int i = 0; i < sk->nentries; i++) Pm_CLEAR(vm, sk->names[i]);
    pm_mem_free(vm, sk);
}

size_t pm_shared_keys_sizeof(PmType *tp)
{
    return tp->ht_cached_keys ? SHARED_KEYS_MODEL : 0;
}

/* CPython's insert_into_dictkeys: true if `name` is (or now is) one of the shared keys. */
static bool shared_keys_insert(PmVM *vm, PmSharedKeys *sk, PmObject *name)
{
    for (int i = 0; i < sk->nentries; i++)
        if (sk->names[i] == name) return true;
    for (int i = 0; i < sk->nentries; i++)
        if (PmStr_Equal(sk->names[i], name)) return true;
    if (!Pm_IS_TYPE(vm, name, STR) || sk->usable <= 0 || sk->nentries >= SHARED_KEYS_MAX)
        return false;
    sk->names[sk->nentries++] = Pm_NewRef(name);
    sk->usable--;
    return true;
}

static PmInstanceExtra *extra(PmObject *o)
{
    return PmInstance_EXTRA(o);
}

static size_t instance_real_size(PmType *tp)
{
    return (size_t)tp->ht_slot_offset + (size_t)tp->ht_nslots * sizeof(PmObject *);
}

static size_t instance_model_size(PmType *tp)
{
    size_t n = (size_t)tp->tp_basicsize + PM_MODEL_GC_HEAD;
    if (PmType_HasFeature(tp, PM_TPFLAGS_MANAGED_DICT)) n += PM_MODEL_MANAGED_PRE;
    return n;
}

/* ------------------------------------------------------------------ inline values */

/* A values array for `size` attributes: CPython's new_values(size) asks for the insertion
 * order bytes (size + 2, rounded up to 8) and size value pointers. */
static PmInlineValues *values_new(PmVM *vm, Pm_ssize_t size)
{
    size_t model = (((size_t)size + 2 + 7) & ~(size_t)7) + (size_t)size * PM_MODEL_PTR;
    size_t real = sizeof(PmInlineValues) + 2 * (size_t)size * sizeof(PmObject *);
    PmInlineValues *v = pm_mem_alloc(vm, real, model);
    if (v == NULL) return NULL;
    memset(v, 0, real);
    v->cap = size;
    v->keys = (PmObject **)(v + 1);
    v->vals = v->keys + size;
    return v;
}

/* CPython's init_inline_values (object.__new__): one usable slot less, then an array for
 * every name the shared keys have or can still take. */
static int values_init(PmVM *vm, PmObject *o)
{
    PmSharedKeys *sk = Pm_TYPE(o)->ht_cached_keys;
    if (sk->usable > 1) sk->usable--;
    PmInlineValues *v = values_new(vm, sk->nentries + sk->usable);
    if (v == NULL) return -1;
    PmInstance_EXTRA(o)->values = v;
    return 0;
}

PmObject *pm_instance_new(PmVM *vm, PmType *tp)
{
    PmObject *o = pm_object_alloc(vm, tp, instance_real_size(tp), instance_model_size(tp));
    if (o == NULL) return NULL;
    pm_gc_track(vm, o);
    /* object.__new__ (not list's, dict's, ...) sets up the values of a managed dict */
    if (tp->tp_kind == PMT_INSTANCE && PmType_HasFeature(tp, PM_TPFLAGS_MANAGED_DICT) &&
        tp->ht_cached_keys && values_init(vm, o) < 0) {
        Pm_DECREF(vm, o);
        return NULL;
    }
    return o;
}

static void values_free(PmVM *vm, PmInlineValues *v)
{
    for (Pm_ssize_t i = 0; i < v->n; i++) {
        PmObject *key = v->keys[i], *val = v->vals[i];
        v->keys[i] = v->vals[i] = NULL;
        Pm_XDECREF(vm, val);
        Pm_XDECREF(vm, key);
    }
    pm_mem_free(vm, v);
}

static Pm_ssize_t values_find(PmInlineValues *v, PmObject *name)
{
    for (Pm_ssize_t i = 0; i < v->n; i++)
        if (v->keys[i] == name) return i;
    /* two interned strs are equal only if they are the same object: a method name looked
     * up on an instance (not among its attributes) then costs no string comparison */
    bool interned = ((PmStr *)name)->interned;     /* name is a str: callers check */
    for (Pm_ssize_t i = 0; i < v->n; i++)
        if (!(interned && ((PmStr *)v->keys[i])->interned) && PmStr_Equal(v->keys[i], name))
            return i;
    return -1;
}

/* The instance's attributes move to a dict (CPython's make_dict_from_instance_attributes,
 * then PyDict_SetItem / PyDict_DelItem). */
static int dict_set(PmVM *vm, PmObject *o, PmObject *name, PmObject *value)
{
    PmObject *d = pm_instance_get_dict(vm, o);
    if (d == NULL) return -1;
    if (value) return PmDict_SetItem(vm, d, name, value);
    if (PmDict_DelItem(vm, d, name) == 0) return 0;
    if (!PmErr_ExceptionMatches(vm, PME(vm, KeyError))) return -1;
    PmErr_Clear(vm);
    return 1;
}

static int values_set(PmVM *vm, PmObject *o, PmObject *name, PmObject *value)
{
    PmInstanceExtra *x = extra(o);
    PmSharedKeys *sk = Pm_TYPE(o)->ht_cached_keys;
    if (x->values == NULL) {
        if (value == NULL) return 1;
        /* not made by object.__new__ (a subclass of list, say): CPython makes the dict
         * with the shared keys and an array for them when the first attribute comes */
        if (sk == NULL) return dict_set(vm, o, name, value);
        x->values = values_new(vm, sk->nentries + sk->usable);
        if (x->values == NULL) return -1;
    }
    PmInlineValues *v = x->values;
    Pm_ssize_t i = values_find(v, name);
    if (i >= 0) {
        PmObject *old = v->vals[i];
        if (value == NULL) {
            PmObject *key = v->keys[i];
            memmove(&v->keys[i], &v->keys[i + 1], (size_t)(v->n - i - 1) * sizeof(PmObject *));
            memmove(&v->vals[i], &v->vals[i + 1], (size_t)(v->n - i - 1) * sizeof(PmObject *));
            v->n--;
            Pm_DECREF(vm, old);
            Pm_DECREF(vm, key);
            return 0;
        }
        v->vals[i] = Pm_NewRef(value);
        Pm_DECREF(vm, old);
        return 0;
    }
    if (value == NULL) return 1;
    if (sk == NULL || !shared_keys_insert(vm, sk, name) || v->n == v->cap)
        return dict_set(vm, o, name, value);
    v->keys[v->n] = Pm_NewRef(name);
    v->vals[v->n] = Pm_NewRef(value);
    v->n++;
    return 0;
}

PmObject *pm_instance_getattr_borrow(PmVM *vm, PmObject *o, PmObject *name)
{
    PmInstanceExtra *x = extra(o);
    if (x->dict) return PmDict_GetItem_Borrow(vm, x->dict, name);
    if (x->values) {
        Pm_ssize_t i = values_find(x->values, name);
        if (i >= 0) return x->values->vals[i];
    }
    return NULL;
}

int pm_instance_setattr(PmVM *vm, PmObject *o, PmObject *name, PmObject *value)
{
    PmInstanceExtra *x = extra(o);
    int r;
    if (x->dict) {
        if (value) return PmDict_SetItem(vm, x->dict, name, value);
        r = PmDict_DelItem(vm, x->dict, name);
        if (r == 0 || !PmErr_ExceptionMatches(vm, PME(vm, KeyError))) return r;
        PmErr_Clear(vm);
        r = 1;
    } else {
        r = values_set(vm, o, name, value);
    }
    if (r > 0) {
        PmErr_Format(vm, PME(vm, AttributeError), "'%.50s' object has no attribute '%U'",
                     Pm_TYPE(o)->tp_name, name);
        return -1;
    }
    return r;
}

/* Make the __dict__ object: from now on it owns the attributes. */
PmObject *pm_instance_get_dict(PmVM *vm, PmObject *o)
{
    PmInstanceExtra *x = extra(o);
    if (x->dict) return x->dict;
    PmObject *d = PmDict_New(vm);
    if (d == NULL) return NULL;
    PmInlineValues *v = x->values;
    for (Pm_ssize_t i = 0; v && i < v->n; i++) {
        if (PmDict_SetItem(vm, d, v->keys[i], v->vals[i]) < 0) {
            Pm_DECREF(vm, d);
            return NULL;
        }
    }
    x->dict = d;
    x->values = NULL;
    if (v) values_free(vm, v);
    return d;
}

static PmObject *instance_dict_get(PmVM *vm, PmObject *o)
{
    PmObject *d = pm_instance_get_dict(vm, o);
    return d ? Pm_NewRef(d) : NULL;
}

static int instance_dict_set(PmVM *vm, PmObject *o, PmObject *value)
{
    if (value == NULL || !PmDict_Check(value)) {
        if (value == NULL) {
            PmErr_SetString(vm, PME(vm, TypeError), "cannot delete __dict__");
        } else {
            PmErr_Format(vm, PME(vm, TypeError),
                         "__dict__ must be set to a dictionary, not a '%.200s'",
                         Pm_TYPE(value)->tp_name);
        }
        return -1;
    }
    PmInstanceExtra *x = extra(o);
    PmInlineValues *v = x->values;
    x->values = NULL;
    if (v) values_free(vm, v);
    Pm_SETREF(vm, x->dict, Pm_NewRef(value));
    return 0;
}

static PmObject *instance_weakref_get(PmVM *vm, PmObject *o)
{
    PmObject *w = extra(o)->weakreflist;
    return Pm_NewRef(w ? w : Pm_None(vm));
}

const PmGetSetDef pm_instance_dict_getset = {"__dict__", instance_dict_get, instance_dict_set};
const PmGetSetDef pm_instance_weakref_getset = {"__weakref__", instance_weakref_get, NULL};

/* ------------------------------------------------------------------ lifetime */

static PmType *builtin_base(PmType *tp)
{
    while (tp && PmType_HasFeature(tp, PM_TPFLAGS_HEAPTYPE)) tp = tp->tp_base;
    return tp;
}

static void clear_slots(PmVM *vm, PmObject *o)
{
    PmObject **slots = PmInstance_SLOTS(o);
    for (Pm_ssize_t i = 0; i < Pm_TYPE(o)->ht_nslots; i++) Pm_CLEAR(vm, slots[i]);
}

static void clear_attributes(PmVM *vm, PmObject *o)
{
    PmInstanceExtra *x = extra(o);
    PmInlineValues *v = x->values;
    x->values = NULL;
    if (v) values_free(vm, v);
    Pm_CLEAR(vm, x->dict);
}

/* PEP 442 from a dealloc: run __del__ once with the object temporarily alive again.
 * Returns true when __del__ resurrected the object. */
static bool call_finalizer_from_dealloc(PmVM *vm, PmObject *o)
{
    PmGCHead *g = Pm_AS_GC(o);
    if (g->flags & PM_GC_FINALIZED) return false;
    o->ob_refcnt = 1;
    pm_gc_track(vm, o);
    Pm_TYPE(o)->tp_finalize(vm, o);
    g->flags |= PM_GC_FINALIZED;    /* after the call, as CPython's PyObject_CallFinalizer */
    if (--o->ob_refcnt != 0) return true;
    pm_gc_untrack(vm, o);
    return false;
}

static void instance_release(PmVM *vm, PmObject *o)
{
    PmType *tp = Pm_TYPE(o);
    if (tp->tp_finalize && call_finalizer_from_dealloc(vm, o)) return;
    if (tp->tp_weaklistoffset && extra(o)->weakreflist) pm_weakref_clear_all(vm, o);
    clear_slots(vm, o);
    clear_attributes(vm, o);
    PmType *base = builtin_base(tp);
    if (base->tp_kind == PMT_OBJECT) pm_object_free(vm, o);
    else base->tp_dealloc(vm, o);
}

void pm_instance_dealloc(PmVM *vm, PmObject *o)
{
    pm_gc_untrack(vm, o);
    PM_TRASHCAN_BEGIN(vm, o)
    instance_release(vm, o);
    PM_TRASHCAN_END(vm)
}

/* CPython's subtype_traverse: __slots__ members, inline values (or the dict), the type,
 * then the builtin base's references. */
int pm_instance_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    PmType *tp = Pm_TYPE(o);
    PmObject **slots = PmInstance_SLOTS(o);
    for (Pm_ssize_t i = 0; i < tp->ht_nslots; i++) Pm_VISIT(vm, slots[i]);
    PmInstanceExtra *x = extra(o);
    if (x->values)
        for (Pm_ssize_t i = 0; i < x->values->n; i++) Pm_VISIT(vm, x->values->vals[i]);
    Pm_VISIT(vm, x->dict);
    Pm_VISIT(vm, (PmObject *)tp);
    PmType *base = builtin_base(tp);
    if (base->tp_traverse) return base->tp_traverse(vm, o, visit, arg);
    return 0;
}

int pm_instance_clear(PmVM *vm, PmObject *o)
{
    clear_slots(vm, o);
    clear_attributes(vm, o);
    PmType *base = builtin_base(Pm_TYPE(o));
    if (base->tp_clear) return base->tp_clear(vm, o);
    return 0;
}
