/*
 * weakrefobject.c -- weak references: weakref.ref (ReferenceType), ProxyType and
 * CallableProxyType, CPython 3.11's Objects/weakrefobject.c.
 *
 * A weak reference does not own its referent.  The referent owns nothing either: it only
 * heads the list of weakrefs pointing at it (types.h states the list invariant).  When the
 * referent dies by refcount, its dealloc calls pm_weakref_clear_all *after* its __del__ ran
 * (so inside __del__ the weakrefs still answer the object), which unlinks every weakref and
 * then calls the callbacks in list order: newest first.  When it dies in the collector,
 * pm_weakref_handle_unreachable clears the weakrefs to all the garbage before any finalizer
 * runs, and the collector calls the callbacks of the weakrefs that are not garbage
 * themselves (gc/gc.h states the contract).
 *
 * Which types accept weak references is decided by tp_weaklistoffset (typeobject.c's
 * set_layout for classes), as CPython 3.11 does.
 */
#include "pm.h"
#include "gc/gc.h"
#include "trace/pm_trace.h"

/* ------------------------------------------------------------------ the list head */

static PmType *builtin_base(PmType *tp)
{
    while (tp && PmType_HasFeature(tp, PM_TPFLAGS_HEAPTYPE)) tp = tp->tp_base;
    return tp;
}

PmObject **pm_weakref_listptr(PmObject *o)
{
    PmType *tp = Pm_TYPE(o);
    if (PmType_HasFeature(tp, PM_TPFLAGS_TYPE_SUBCLASS)) return &((PmType *)o)->tp_weaklist;
    if (tp->tp_weaklistoffset == 0) return NULL;
    if (PmType_HasFeature(tp, PM_TPFLAGS_HEAPTYPE)) {
        /* CPython adds __weakref__ only over bases with tp_itemsize == 0: never to
         * subclasses of int or tuple (whose extra block moves with the item count). */
        int kind = builtin_base(tp)->tp_kind;
        if (kind == PMT_INT || kind == PMT_TUPLE) return NULL;
    }
    return (PmObject **)((char *)o + tp->tp_weaklistoffset);
}

/* The head is stored as a PmObject * (the referent's struct declares it so): read and
 * write it as one. */
static PmWeakRef *head_of(PmObject **list)
{
    return (PmWeakRef *)*list;
}

/* Hook points for the page's event log (weakref created, cleared, callback run). */
enum { WR_EV_CREATED, WR_EV_CLEARED, WR_EV_CALLBACK };
static void wr_event(PmVM *vm, int kind, PmWeakRef *wr)
{
    if (PM_LIKELY(vm->trace == NULL) || kind == WR_EV_CREATED) return;   /* trace/pm_trace.h */
    pm_trace_weakref(vm, kind == WR_EV_CLEARED ? PM_TRACE_WR_CLEARED : PM_TRACE_WR_CALLBACK,
                     (PmObject *)wr);
}

Pm_ssize_t PmWeakref_GetWeakrefCount(PmObject *o)
{
    PmObject **list = pm_weakref_listptr(o);
    Pm_ssize_t n = 0;
    for (PmWeakRef *wr = list ? head_of(list) : NULL; wr; wr = wr->wr_next) n++;
    return n;
}

PmObject *PmWeakref_GetObject_Borrow(PmObject *ref)
{
    return ((PmWeakRef *)ref)->wr_object;
}

/* ------------------------------------------------------------------ constructors */

static void init_weakref(PmWeakRef *self, PmObject *ob, PmObject *callback)
{
    self->hash = -1;
    self->wr_object = ob;
    self->wr_prev = self->wr_next = NULL;
    self->wr_callback = Pm_XNewRef(callback);
}

/* A new tracked weakref of type `tp` (ref, a proxy type, or a heap subclass of ref). */
static PmWeakRef *new_weakref(PmVM *vm, PmType *tp, PmObject *ob, PmObject *callback)
{
    PmObject *o;
    if (PmType_HasFeature(tp, PM_TPFLAGS_HEAPTYPE)) {
        o = pm_instance_new(vm, tp);            /* zeroed and tracked */
    } else {
        o = pm_object_alloc(vm, tp, sizeof(PmWeakRef), 64 + PM_MODEL_GC_HEAD);
        if (o) pm_gc_track(vm, o);
    }
    if (o == NULL) return NULL;
    init_weakref((PmWeakRef *)o, ob, callback);
    return (PmWeakRef *)o;
}

/* The two callback-less weakrefs at the head of the list (CPython's get_basic_refs). */
static void get_basic_refs(PmVM *vm, PmWeakRef *head, PmWeakRef **refp, PmWeakRef **proxyp)
{
    *refp = *proxyp = NULL;
    if (head != NULL && head->wr_callback == NULL) {
        if (Pm_IS_TYPE(vm, head, WEAKREF)) {
            *refp = head;
            head = head->wr_next;
        }
        if (head != NULL && head->wr_callback == NULL && PmWeakref_CheckProxy(head))
            *proxyp = head;
    }
}

static void insert_after(PmWeakRef *newref, PmWeakRef *prev)
{
    newref->wr_prev = prev;
    newref->wr_next = prev->wr_next;
    if (prev->wr_next != NULL) prev->wr_next->wr_prev = newref;
    prev->wr_next = newref;
}

static void insert_head(PmWeakRef *newref, PmObject **list)
{
    PmWeakRef *next = head_of(list);
    newref->wr_prev = NULL;
    newref->wr_next = next;
    if (next != NULL) next->wr_prev = newref;
    *list = (PmObject *)newref;
}

static void insert(PmWeakRef *newref, PmWeakRef *prev, PmObject **list)
{
    if (prev == NULL) insert_head(newref, list);
    else insert_after(newref, prev);
}

static PmObject **checked_listptr(PmVM *vm, PmObject *ob)
{
    PmObject **list = pm_weakref_listptr(ob);
    if (list == NULL)
        PmErr_Format(vm, PME(vm, TypeError), "cannot create weak reference to '%s' object",
                     Pm_TYPE(ob)->tp_name);
    return list;
}

/* ref.__new__(type, ob, callback=None): the shared basic ref when possible. */
static PmObject *ref_create(PmVM *vm, PmType *type, PmObject *ob, PmObject *callback)
{
    PmObject **list = checked_listptr(vm, ob);
    if (list == NULL) return NULL;
    if (callback == Pm_None(vm)) callback = NULL;
    bool basic = callback == NULL && type == PMT(vm, WEAKREF);
    PmWeakRef *ref, *proxy;
    get_basic_refs(vm, head_of(list), &ref, &proxy);
    if (basic && ref != NULL) return Pm_NewRef((PmObject *)ref);
    PmWeakRef *self = new_weakref(vm, type, ob, callback);
    if (self == NULL) return NULL;
    /* the allocation may have run a collection: look at the list again */
    get_basic_refs(vm, head_of(list), &ref, &proxy);
    if (basic) insert_head(self, list);
    else insert(self, proxy == NULL ? ref : proxy, list);
    wr_event(vm, WR_EV_CREATED, self);
    return (PmObject *)self;
}

PmObject *PmWeakref_NewRef(PmVM *vm, PmObject *ob, PmObject *callback)
{
    return ref_create(vm, PMT(vm, WEAKREF), ob, callback);
}

PmObject *PmWeakref_NewProxy(PmVM *vm, PmObject *ob, PmObject *callback)
{
    PmObject **list = checked_listptr(vm, ob);
    if (list == NULL) return NULL;
    if (callback == Pm_None(vm)) callback = NULL;
    PmWeakRef *ref, *proxy;
    get_basic_refs(vm, head_of(list), &ref, &proxy);
    if (callback == NULL && proxy != NULL) return Pm_NewRef((PmObject *)proxy);
    PmType *tp = Pm_TYPE(ob)->tp_call ? PMT(vm, WEAKCALLABLEPROXY) : PMT(vm, WEAKPROXY);
    PmWeakRef *self = new_weakref(vm, tp, ob, callback);
    if (self == NULL) return NULL;
    get_basic_refs(vm, head_of(list), &ref, &proxy);
    if (callback == NULL) {
        if (proxy != NULL) {            /* made during the allocation's collection */
            Pm_DECREF(vm, (PmObject *)self);
            return Pm_NewRef((PmObject *)proxy);
        }
        insert(self, ref, list);
    } else {
        insert(self, proxy == NULL ? ref : proxy, list);
    }
    wr_event(vm, WR_EV_CREATED, self);
    return (PmObject *)self;
}

/* ------------------------------------------------------------------ clearing, dealloc */

/* Unlink `self` from its referent's list (the only code that removes from the list) and
 * drop its callback (CPython's clear_weakref). */
static void clear_weakref(PmVM *vm, PmWeakRef *self)
{
    PmObject *callback = self->wr_callback;
    if (self->wr_object != NULL) {
        PmObject **list = pm_weakref_listptr(self->wr_object);
        if (head_of(list) == self) *list = (PmObject *)self->wr_next;
        self->wr_object = NULL;
        if (self->wr_prev != NULL) self->wr_prev->wr_next = self->wr_next;
        if (self->wr_next != NULL) self->wr_next->wr_prev = self->wr_prev;
        self->wr_prev = self->wr_next = NULL;
        wr_event(vm, WR_EV_CLEARED, self);
    }
    if (callback != NULL) {
        self->wr_callback = NULL;
        Pm_DECREF(vm, callback);
    }
}

/* The collector's _PyWeakref_ClearRef: unlink but keep the callback (uncalled). */
static void clear_ref_keep_callback(PmVM *vm, PmWeakRef *self)
{
    PmObject *callback = self->wr_callback;
    self->wr_callback = NULL;
    clear_weakref(vm, self);
    self->wr_callback = callback;
}

/* Heap subclasses (WeakMethod, KeyedRef) come here from pm_instance_dealloc, untracked. */
static void weakref_dealloc(PmVM *vm, PmObject *o)
{
    if (pm_gc_is_tracked(o)) pm_gc_untrack(vm, o);
    clear_weakref(vm, (PmWeakRef *)o);
    pm_object_free(vm, o);
}

static int weakref_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    Pm_VISIT(vm, ((PmWeakRef *)o)->wr_callback);
    return 0;
}

static int weakref_clear(PmVM *vm, PmObject *o)
{
    clear_weakref(vm, (PmWeakRef *)o);
    return 0;
}

/* ------------------------------------------------------------------ death of a referent */

static void handle_callback(PmVM *vm, PmWeakRef *ref, PmObject *callback)
{
    wr_event(vm, WR_EV_CALLBACK, ref);
    PmObject *r = PmObject_CallOneArg(vm, callback, (PmObject *)ref);
    if (r == NULL) pm_write_unraisable(vm, "Exception ignored in", callback, NULL);
    else Pm_DECREF(vm, r);
}

/* Several weakrefs with callbacks: clear them all first, remembering (ref, callback) pairs
 * in a tuple as CPython does, then call the callbacks in list order. */
static void clear_and_call_many(PmVM *vm, PmObject **list, Pm_ssize_t count)
{
    PmObject *tuple = PmTuple_New(vm, count * 2);
    if (tuple == NULL) {            /* out of memory: the weakrefs die without callbacks */
        PmErr_Clear(vm);
        while (*list != NULL) clear_weakref(vm, head_of(list));
        return;
    }
    PmWeakRef *current = head_of(list);
    for (Pm_ssize_t i = 0; i < count; i++) {
        PmWeakRef *next = current->wr_next;
        if (Pm_REFCNT(current) > 0) {
            PmTuple_SET_ITEM(tuple, i * 2, Pm_NewRef((PmObject *)current));
            PmTuple_SET_ITEM(tuple, i * 2 + 1, current->wr_callback);
        } else {
            Pm_XDECREF(vm, current->wr_callback);
        }
        current->wr_callback = NULL;
        clear_weakref(vm, current);
        current = next;
    }
    for (Pm_ssize_t i = 0; i < count; i++) {
        PmObject *callback = PmTuple_GET_ITEM(tuple, i * 2 + 1);
        if (callback != NULL)
            handle_callback(vm, (PmWeakRef *)PmTuple_GET_ITEM(tuple, i * 2), callback);
    }
    Pm_DECREF(vm, tuple);
}

/* CPython's PyObject_ClearWeakRefs: `o` is dying by refcount (its __del__ already ran). */
void pm_weakref_clear_all(PmVM *vm, PmObject *o)
{
    PmObject **list = pm_weakref_listptr(o);
    if (list == NULL) return;
    /* the callback-less basic ref and proxy go first, without any call */
    for (int i = 0; i < 2 && *list != NULL && head_of(list)->wr_callback == NULL; i++)
        clear_weakref(vm, head_of(list));
    if (*list == NULL) return;
    PmObject *saved = PmErr_Fetch(vm);
    Pm_ssize_t count = 0;
    for (PmWeakRef *w = head_of(list); w; w = w->wr_next) count++;
    if (count == 1) {
        PmWeakRef *current = head_of(list);
        PmObject *callback = current->wr_callback;
        current->wr_callback = NULL;
        clear_weakref(vm, current);
        if (callback != NULL) {
            if (Pm_REFCNT(current) > 0) handle_callback(vm, current, callback);
            Pm_DECREF(vm, callback);
        }
    } else {
        clear_and_call_many(vm, list, count);
    }
    PmErr_Clear(vm);
    if (saved) PmErr_Restore(vm, saved);
}

/* ------------------------------------------------------------------ collector hooks */

/* Clear every weakref to `op` (unreachable); queue those whose callback must run. */
static void clear_refs_to_garbage(PmVM *vm, PmObject *op, PmGCHead *wrcb_to_call)
{
    PmObject **lp = pm_weakref_listptr(op);
    if (lp == NULL) return;
    for (PmWeakRef *wr = head_of(lp); wr != NULL; wr = head_of(lp)) {
        clear_ref_keep_callback(vm, wr);
        if (wr->wr_callback == NULL) continue;
        /* a weakref that is garbage too never has its callback called (gc_weakref.txt) */
        if (!pm_gc_is_tracked((PmObject *)wr)) continue;
        if (Pm_AS_GC(wr)->flags & PM_GC_COLLECTING) continue;
        Pm_INCREF((PmObject *)wr);
        pm_gc_list_move(Pm_AS_GC(wr), wrcb_to_call);
    }
}

/* CPython 3.11's first pass of handle_weakrefs. */
void pm_weakref_handle_unreachable(PmVM *vm, PmGCHead *unreachable, PmGCHead *wrcb_to_call)
{
    PmGCHead *next;
    for (PmGCHead *g = unreachable->gc_next; g != unreachable; g = next) {
        PmObject *op = Pm_FROM_GC(g);
        next = g->gc_next;
        /* a weakref in the garbage must not call back into objects being torn down */
        if (PmWeakref_Check(op)) clear_ref_keep_callback(vm, (PmWeakRef *)op);
        clear_refs_to_garbage(vm, op, wrcb_to_call);
    }
}

void pm_weakref_call_callback(PmVM *vm, PmObject *wr)
{
    PmObject *callback = ((PmWeakRef *)wr)->wr_callback;
    if (callback == NULL) return;
    Pm_INCREF(callback);
    handle_callback(vm, (PmWeakRef *)wr, callback);
    Pm_DECREF(vm, callback);
}

/* ------------------------------------------------------------------ ref: repr, hash, compare */

static PmObject *weakref_repr(PmVM *vm, PmObject *self)
{
    PmObject *obj = ((PmWeakRef *)self)->wr_object;
    if (obj == NULL) return PmStr_FromFormat(vm, "<weakref at %p; dead>", (void *)self);
    Pm_INCREF(obj);
    PmObject *name = PmObject_LookupAttr(vm, obj, PMID(vm, __name__));
    PmObject *repr = NULL;
    if (name == NULL && PmErr_Occurred(vm)) goto done;
    if (name == NULL || !PmStr_Check(name)) {
        repr = PmStr_FromFormat(vm, "<weakref at %p; to '%s' at %p>", (void *)self,
                                Pm_TYPE(obj)->tp_name, (void *)obj);
    } else {
        repr = PmStr_FromFormat(vm, "<weakref at %p; to '%s' at %p (%U)>", (void *)self,
                                Pm_TYPE(obj)->tp_name, (void *)obj, name);
    }
done:
    Pm_XDECREF(vm, name);
    Pm_DECREF(vm, obj);
    return repr;
}

static Pm_hash_t weakref_hash(PmVM *vm, PmObject *o)
{
    PmWeakRef *self = (PmWeakRef *)o;
    if (self->hash != -1) return self->hash;
    PmObject *obj = self->wr_object;
    if (obj == NULL) {
        PmErr_SetString(vm, PME(vm, TypeError), "weak object has gone away");
        return -1;
    }
    Pm_INCREF(obj);
    self->hash = PmObject_Hash(vm, obj);
    Pm_DECREF(vm, obj);
    return self->hash;
}

/* Equal when the referents are equal; once either is dead, only when identical. */
static PmObject *weakref_richcompare(PmVM *vm, PmObject *self, PmObject *other, int op)
{
    if ((op != Pm_EQ && op != Pm_NE) || !PmWeakref_CheckRef(self) || !PmWeakref_CheckRef(other))
        return Pm_NewRef(Pm_NotImplemented(vm));
    PmObject *a = ((PmWeakRef *)self)->wr_object, *b = ((PmWeakRef *)other)->wr_object;
    if (a == NULL || b == NULL) {
        bool res = self == other;
        return Pm_Bool(vm, op == Pm_NE ? !res : res);
    }
    Pm_INCREF(a);
    Pm_INCREF(b);
    PmObject *res = PmObject_RichCompare(vm, a, b, op);
    Pm_DECREF(vm, a);
    Pm_DECREF(vm, b);
    return res;
}

/* r(): the referent or None. */
static PmObject *weakref_call(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    (void)args;
    if (pm_no_kwargs(vm, "weakref", kwnames) < 0) return NULL;
    if (pm_check_positional(vm, "weakref", nargs, 0, 0) < 0) return NULL;
    PmObject *obj = ((PmWeakRef *)self)->wr_object;
    return Pm_NewRef(obj ? obj : Pm_None(vm));
}

static PmObject *weakref_new(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)kwnames;   /* rejected by __init__, as CPython's */
    if (pm_check_positional(vm, "__new__", nargs, 1, 2) < 0) return NULL;
    return ref_create(vm, type, args[0], nargs > 1 ? args[1] : NULL);
}

static int weakref_init(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                        PmObject *kwnames)
{
    (void)self; (void)args;
    if (pm_no_kwargs(vm, "ref", kwnames) < 0) return -1;
    return pm_check_positional(vm, "__init__", nargs, 1, 2) < 0 ? -1 : 0;
}

static PmObject *weakref_get_callback(PmVM *vm, PmObject *self)
{
    PmObject *cb = ((PmWeakRef *)self)->wr_callback;
    return Pm_NewRef(cb ? cb : Pm_None(vm));
}

static const PmGetSetDef weakref_getset[] = {
    {"__callback__", weakref_get_callback, NULL},
    {NULL, NULL, NULL}
};

const PmType PmWeakRef_Template = {
    .tp_name = "weakref.ReferenceType",
    .tp_basicsize = 64,
    .tp_flags = PM_TPFLAGS_HAVE_GC | PM_TPFLAGS_BASETYPE,
    .tp_kind = PMT_WEAKREF,
    .tp_dealloc = weakref_dealloc,
    .tp_repr = weakref_repr,
    .tp_hash = weakref_hash,
    .tp_call = weakref_call,
    .tp_traverse = weakref_traverse,
    .tp_clear = weakref_clear,
    .tp_richcompare = weakref_richcompare,
    .tp_getset = weakref_getset,
    .tp_init = weakref_init,
    .tp_new = weakref_new,
};

/* ------------------------------------------------------------------ proxies */

/* The live referent of a proxy (borrowed), or NULL with ReferenceError. */
static PmObject *proxy_obj(PmVM *vm, PmObject *proxy)
{
    PmObject *o = ((PmWeakRef *)proxy)->wr_object;
    if (o == NULL)
        PmErr_SetString(vm, PME(vm, ReferenceError), "weakly-referenced object no longer exists");
    return o;
}

/* CPython's UNWRAP: a proxy operand stands for its referent. */
static bool unwrap(PmVM *vm, PmObject **o)
{
    if (!PmWeakref_CheckProxy(*o)) return true;
    *o = proxy_obj(vm, *o);
    return *o != NULL;
}

static PmObject *proxy_unary(PmVM *vm, PmObject *proxy, pm_unaryfunc f)
{
    if (!unwrap(vm, &proxy)) return NULL;
    Pm_INCREF(proxy);
    PmObject *r = f(vm, proxy);
    Pm_DECREF(vm, proxy);
    return r;
}

static PmObject *proxy_binary(PmVM *vm, PmObject *x, PmObject *y, pm_binaryfunc f, int op)
{
    if (!unwrap(vm, &x) || !unwrap(vm, &y)) return NULL;
    Pm_INCREF(x);
    Pm_INCREF(y);
    PmObject *r = f ? f(vm, x, y) : PmNumber_BinaryOp(vm, x, y, op);
    Pm_DECREF(vm, x);
    Pm_DECREF(vm, y);
    return r;
}

/* Call the builtin `name` (divmod, pow with a modulus) as PyNumber_Divmod/Power would. */
static PmObject *call_builtin(PmVM *vm, const char *name, PmObject *const *args, size_t n)
{
    PmObject *f = PmDict_GetItemString_Borrow(vm, vm->builtins, name);
    if (f == NULL) return PmErr_Format(vm, PME(vm, SystemError), "no builtin %s", name);
    return PmObject_Vectorcall(vm, f, args, n, NULL);
}

static PmObject *divmod2(PmVM *vm, PmObject *x, PmObject *y)
{
    PmObject *args[2] = {x, y};
    return call_builtin(vm, "divmod", args, 2);
}

#define PROXY_BINOP(fname, OP) \
    static PmObject *fname(PmVM *vm, PmObject *x, PmObject *y) \
    { return proxy_binary(vm, x, y, NULL, OP); }
#define PROXY_INPLACE(fname, OP) PROXY_BINOP(fname, (OP) + PM_BINOP_INPLACE)
#define PROXY_UNOP(fname, generic) \
    static PmObject *fname(PmVM *vm, PmObject *x) { return proxy_unary(vm, x, generic); }

PROXY_BINOP(proxy_add, PM_BINOP_ADD)
PROXY_BINOP(proxy_sub, PM_BINOP_SUBTRACT)
PROXY_BINOP(proxy_mul, PM_BINOP_MULTIPLY)
PROXY_BINOP(proxy_mod, PM_BINOP_REMAINDER)
PROXY_BINOP(proxy_lshift, PM_BINOP_LSHIFT)
PROXY_BINOP(proxy_rshift, PM_BINOP_RSHIFT)
PROXY_BINOP(proxy_and, PM_BINOP_AND)
PROXY_BINOP(proxy_xor, PM_BINOP_XOR)
PROXY_BINOP(proxy_or, PM_BINOP_OR)
PROXY_BINOP(proxy_floor_div, PM_BINOP_FLOOR_DIVIDE)
PROXY_BINOP(proxy_true_div, PM_BINOP_TRUE_DIVIDE)
PROXY_BINOP(proxy_matmul, PM_BINOP_MATRIX_MULTIPLY)
PROXY_INPLACE(proxy_iadd, PM_BINOP_ADD)
PROXY_INPLACE(proxy_isub, PM_BINOP_SUBTRACT)
PROXY_INPLACE(proxy_imul, PM_BINOP_MULTIPLY)
PROXY_INPLACE(proxy_imod, PM_BINOP_REMAINDER)
PROXY_INPLACE(proxy_ilshift, PM_BINOP_LSHIFT)
PROXY_INPLACE(proxy_irshift, PM_BINOP_RSHIFT)
PROXY_INPLACE(proxy_iand, PM_BINOP_AND)
PROXY_INPLACE(proxy_ixor, PM_BINOP_XOR)
PROXY_INPLACE(proxy_ior, PM_BINOP_OR)
PROXY_INPLACE(proxy_ifloor_div, PM_BINOP_FLOOR_DIVIDE)
PROXY_INPLACE(proxy_itrue_div, PM_BINOP_TRUE_DIVIDE)
PROXY_INPLACE(proxy_imatmul, PM_BINOP_MATRIX_MULTIPLY)
PROXY_UNOP(proxy_neg, PmNumber_Negative)
PROXY_UNOP(proxy_pos, PmNumber_Positive)
PROXY_UNOP(proxy_abs, PmNumber_Absolute)
PROXY_UNOP(proxy_invert, PmNumber_Invert)
PROXY_UNOP(proxy_int, PmLong_FromObject)
PROXY_UNOP(proxy_float, PmFloat_FromObject)
PROXY_UNOP(proxy_index, PmNumber_Index)
PROXY_UNOP(proxy_str, PmObject_Str)

static PmObject *proxy_divmod(PmVM *vm, PmObject *x, PmObject *y)
{
    return proxy_binary(vm, x, y, divmod2, 0);
}

static PmObject *proxy_power(PmVM *vm, PmObject *x, PmObject *y, PmObject *z, bool inplace)
{
    if (!unwrap(vm, &x) || !unwrap(vm, &y) || !unwrap(vm, &z)) return NULL;
    if (z == Pm_None(vm))
        return PmNumber_BinaryOp(vm, x, y, PM_BINOP_POWER + (inplace ? PM_BINOP_INPLACE : 0));
    PmObject *args[3] = {x, y, z};
    return call_builtin(vm, "pow", args, 3);
}

static PmObject *proxy_pow(PmVM *vm, PmObject *x, PmObject *y, PmObject *z)
{
    return proxy_power(vm, x, y, z, false);
}

static PmObject *proxy_ipow(PmVM *vm, PmObject *x, PmObject *y, PmObject *z)
{
    return proxy_power(vm, x, y, z, true);
}

static int proxy_bool(PmVM *vm, PmObject *proxy)
{
    PmObject *o = proxy_obj(vm, proxy);
    if (o == NULL) return -1;
    Pm_INCREF(o);
    int r = PmObject_IsTrue(vm, o);
    Pm_DECREF(vm, o);
    return r;
}

static PmObject *proxy_repr(PmVM *vm, PmObject *proxy)
{
    PmObject *o = ((PmWeakRef *)proxy)->wr_object;
    if (o == NULL) o = Pm_None(vm);
    return PmStr_FromFormat(vm, "<weakproxy at %p to %s at %p>", (void *)proxy,
                            Pm_TYPE(o)->tp_name, (void *)o);
}

static PmObject *proxy_getattr(PmVM *vm, PmObject *proxy, PmObject *name)
{
    return proxy_binary(vm, proxy, name, PmObject_GetAttr, 0);
}

static int proxy_setattr(PmVM *vm, PmObject *proxy, PmObject *name, PmObject *value)
{
    PmObject *o = proxy_obj(vm, proxy);
    if (o == NULL) return -1;
    Pm_INCREF(o);
    int r = PmObject_SetAttr(vm, o, name, value);
    Pm_DECREF(vm, o);
    return r;
}

static PmObject *proxy_richcompare(PmVM *vm, PmObject *proxy, PmObject *v, int op)
{
    if (!unwrap(vm, &proxy) || !unwrap(vm, &v)) return NULL;
    return PmObject_RichCompare(vm, proxy, v, op);
}

static int proxy_contains(PmVM *vm, PmObject *proxy, PmObject *value)
{
    PmObject *o = proxy_obj(vm, proxy);
    if (o == NULL) return -1;
    Pm_INCREF(o);
    int r = PmSequence_Contains(vm, o, value);
    Pm_DECREF(vm, o);
    return r;
}

static Pm_ssize_t proxy_length(PmVM *vm, PmObject *proxy)
{
    PmObject *o = proxy_obj(vm, proxy);
    if (o == NULL) return -1;
    Pm_INCREF(o);
    Pm_ssize_t r = PmObject_Length(vm, o);
    Pm_DECREF(vm, o);
    return r;
}

static PmObject *proxy_getitem(PmVM *vm, PmObject *proxy, PmObject *key)
{
    return proxy_binary(vm, proxy, key, PmObject_GetItem, 0);
}

static int proxy_setitem(PmVM *vm, PmObject *proxy, PmObject *key, PmObject *value)
{
    PmObject *o = proxy_obj(vm, proxy);
    if (o == NULL) return -1;
    Pm_INCREF(o);
    int r = value ? PmObject_SetItem(vm, o, key, value) : PmObject_DelItem(vm, o, key);
    Pm_DECREF(vm, o);
    return r;
}

static PmObject *proxy_iter(PmVM *vm, PmObject *proxy)
{
    return proxy_unary(vm, proxy, PmObject_GetIter);
}

static PmObject *proxy_iternext(PmVM *vm, PmObject *proxy)
{
    PmObject *o = proxy_obj(vm, proxy);
    if (o == NULL) return NULL;
    if (Pm_TYPE(o)->tp_iternext == NULL) {
        return PmErr_Format(vm, PME(vm, TypeError),
                            "Weakref proxy referenced a non-iterator '%.200s' object",
                            Pm_TYPE(o)->tp_name);
    }
    Pm_INCREF(o);
    PmObject *r = PmIter_Next(vm, o);
    Pm_DECREF(vm, o);
    return r;
}

static PmObject *proxy_call(PmVM *vm, PmObject *proxy, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    PmObject *o = proxy_obj(vm, proxy);
    if (o == NULL) return NULL;
    Pm_INCREF(o);
    PmObject *r = PmObject_Vectorcall(vm, o, args, nargs, kwnames);
    Pm_DECREF(vm, o);
    return r;
}

static PmObject *proxy_call_method(PmVM *vm, PmObject *proxy, const char *name)
{
    PmObject *o = proxy_obj(vm, proxy);
    if (o == NULL) return NULL;
    PmObject *n = PmStr_InternFromString(vm, name);
    if (n == NULL) return NULL;
    Pm_INCREF(o);
    PmObject *r = PmObject_CallMethod(vm, o, n, NULL, 0);
    Pm_DECREF(vm, o);
    Pm_DECREF(vm, n);
    return r;
}

static PmObject *proxy_bytes(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    return proxy_call_method(vm, self, "__bytes__");
}

static PmObject *proxy_reversed(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    return proxy_call_method(vm, self, "__reversed__");
}

/* Proxies are untracked only while being freed (CPython untracks those with a callback). */
static void proxy_dealloc(PmVM *vm, PmObject *o)
{
    if (pm_gc_is_tracked(o)) pm_gc_untrack(vm, o);
    clear_weakref(vm, (PmWeakRef *)o);
    pm_object_free(vm, o);
}

static const PmMethodDef proxy_methods[] = {
    {"__bytes__", proxy_bytes, PM_METH_NOARGS},
    {"__reversed__", proxy_reversed, PM_METH_NOARGS},
    {NULL, NULL, 0}
};

#define PROXY_NUMBER { \
    .nb_add = proxy_add, .nb_subtract = proxy_sub, .nb_multiply = proxy_mul, \
    .nb_remainder = proxy_mod, .nb_divmod = proxy_divmod, .nb_power = proxy_pow, \
    .nb_negative = proxy_neg, .nb_positive = proxy_pos, .nb_absolute = proxy_abs, \
    .nb_bool = proxy_bool, .nb_invert = proxy_invert, .nb_lshift = proxy_lshift, \
    .nb_rshift = proxy_rshift, .nb_and = proxy_and, .nb_xor = proxy_xor, .nb_or = proxy_or, \
    .nb_int = proxy_int, .nb_float = proxy_float, .nb_inplace_add = proxy_iadd, \
    .nb_inplace_subtract = proxy_isub, .nb_inplace_multiply = proxy_imul, \
    .nb_inplace_remainder = proxy_imod, .nb_inplace_power = proxy_ipow, \
    .nb_inplace_lshift = proxy_ilshift, .nb_inplace_rshift = proxy_irshift, \
    .nb_inplace_and = proxy_iand, .nb_inplace_xor = proxy_ixor, .nb_inplace_or = proxy_ior, \
    .nb_floor_divide = proxy_floor_div, .nb_true_divide = proxy_true_div, \
    .nb_inplace_floor_divide = proxy_ifloor_div, .nb_inplace_true_divide = proxy_itrue_div, \
    .nb_index = proxy_index, .nb_matrix_multiply = proxy_matmul, \
    .nb_inplace_matrix_multiply = proxy_imatmul }

#define PROXY_TYPE_FIELDS \
    .tp_basicsize = 64, \
    .tp_flags = PM_TPFLAGS_HAVE_GC, \
    .tp_dealloc = proxy_dealloc, \
    .tp_repr = proxy_repr, \
    .tp_as_number = PROXY_NUMBER, \
    .tp_as_sequence = {.sq_length = proxy_length, .sq_contains = proxy_contains}, \
    .tp_as_mapping = {.mp_length = proxy_length, .mp_subscript = proxy_getitem, \
                      .mp_ass_subscript = proxy_setitem}, \
    .tp_str = proxy_str, \
    .tp_getattro = proxy_getattr, \
    .tp_setattro = proxy_setattr, \
    .tp_traverse = weakref_traverse, \
    .tp_clear = weakref_clear, \
    .tp_richcompare = proxy_richcompare, \
    .tp_iter = proxy_iter, \
    .tp_iternext = proxy_iternext

/* No tp_hash: a proxy defines comparison, so it does not inherit object's hash. */
const PmType PmWeakProxy_Template = {
    .tp_name = "weakref.ProxyType",
    .tp_kind = PMT_WEAKPROXY,
    .tp_methods = proxy_methods,
    PROXY_TYPE_FIELDS,
};

const PmType PmWeakCallableProxy_Template = {
    .tp_name = "weakref.CallableProxyType",
    .tp_kind = PMT_WEAKCALLABLEPROXY,
    .tp_call = proxy_call,
    PROXY_TYPE_FIELDS,
};
