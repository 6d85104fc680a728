/*
 * tuple.c -- tuple and tuple_iterator, as CPython 3.11's Objects/tupleobject.c.
 *
 * A tuple is one block: the header, then ob_size item pointers (getsizeof 40 + 8n with
 * the GC head).  Tuples are GC-tracked when created; the collector untracks a tuple whose
 * items can never form a cycle (PmTuple_MaybeUntrack), which is why a runtime tuple of ints
 * stays tracked until the next collection.
 *
 * () is a static singleton (vm->empty_tuple): never tracked, never freed.
 *
 * Free lists (vm->tuple_free[i] holds tuples of size i + 1, linked through ob_item[0]):
 * a freed exact tuple of 1..20 items is kept (at most 2000 per size) and stays allocated,
 * so tracemalloc keeps counting it.  Allocation pops only for sizes 1..19 -- CPython
 * 3.11's maybe_freelist_pop tests size < 20 while maybe_freelist_push accepts 20, so
 * 20-tuples pile up until the next full collection clears the lists.
 *
 * Deallocation releases the items last-to-first, inside the trashcan.
 */
#include "pm.h"
#include "gc/gc.h"
#include "trace/pm_trace.h"

enum { MODEL_TUPLE_HEAD = 24 };   /* CPython's sizeof(PyTupleObject) - sizeof(PyObject *) */

static size_t tuple_real_size(Pm_ssize_t n)
{
    size_t head = offsetof(PmTuple, ob_item);
    size_t real = head + (size_t)n * sizeof(PmObject *);
    return real < sizeof(PmTuple) ? sizeof(PmTuple) : real;
}

static size_t tuple_model_size(PmType *tp, Pm_ssize_t n)
{
    return PM_MODEL_GC_HEAD + (size_t)tp->tp_basicsize + (size_t)n * PM_MODEL_PTR;
}

/* ------------------------------------------------------------------ free lists */

static PmTuple *freelist_pop(PmVM *vm, Pm_ssize_t n)
{
    if (n <= 0 || n >= PM_TUPLE_MAXSAVESIZE) return NULL;
    Pm_ssize_t i = n - 1;
    PmTuple *op = (PmTuple *)vm->tuple_free[i];
    if (op == NULL) return NULL;
    vm->tuple_free[i] = op->ob_item[0];
    vm->tuple_numfree[i]--;
    Pm_REFCNT(op) = 1;
    pm_tracemalloc_new_reference(vm, op);   /* CPython's _Py_NewReference */
    if (PM_UNLIKELY(vm->trace != NULL)) pm_trace_alloc(vm, (PmObject *)op, true);
    return op;
}

static bool freelist_push(PmVM *vm, PmTuple *op)
{
    Pm_ssize_t i = Pm_SIZE(op) - 1;
    if (i < 0 || i >= PM_TUPLE_MAXSAVESIZE) return false;
    if (vm->tuple_numfree[i] >= PM_TUPLE_MAXFREELIST || !Pm_IS_TYPE(vm, op, TUPLE))
        return false;
    op->ob_item[0] = vm->tuple_free[i];
    vm->tuple_free[i] = (PmObject *)op;
    vm->tuple_numfree[i]++;
    return true;
}

void PmTuple_ClearFreeList(PmVM *vm)
{
    for (int i = 0; i < PM_TUPLE_MAXSAVESIZE; i++) {
        PmObject *p = vm->tuple_free[i];
        vm->tuple_free[i] = NULL;
        vm->tuple_numfree[i] = 0;
        while (p) {
            PmObject *q = p;
            p = ((PmTuple *)p)->ob_item[0];
            pm_object_free(vm, q);
        }
    }
}

/* ------------------------------------------------------------------ constructors */

void pm_tuple_init_empty(PmVM *vm)
{
    PmObject *t = pm_static_alloc(vm, PMT(vm, TUPLE), sizeof(PmTuple));
    if (t == NULL) return;
    Pm_SIZE(t) = 0;
    vm->empty_tuple = t;
}

/* CPython's tuple_alloc: an untracked tuple of n > 0 items, item slots not initialised. */
static PmTuple *tuple_alloc(PmVM *vm, Pm_ssize_t n)
{
    PmTuple *op = freelist_pop(vm, n);
    if (op != NULL) return op;
    if ((uint64_t)n > (SIZE_MAX / 2 - sizeof(PmTuple)) / sizeof(PmObject *) ||
        (uint64_t)n > (SIZE_MAX / 2) / PM_MODEL_PTR) {
        PmErr_NoMemory(vm);
        return NULL;
    }
    PmType *tp = PMT(vm, TUPLE);
    op = (PmTuple *)pm_object_alloc(vm, tp, tuple_real_size(n), tuple_model_size(tp, n));
    if (op != NULL) Pm_SIZE(op) = n;
    return op;
}

PmObject *PmTuple_New(PmVM *vm, Pm_ssize_t n)
{
    if (n == 0) return Pm_NewRef(vm->empty_tuple);
    PmTuple *op = tuple_alloc(vm, n);
    if (op == NULL) return NULL;
    for (Pm_ssize_t i = 0; i < n; i++) op->ob_item[i] = NULL;
    pm_gc_track(vm, (PmObject *)op);
    return (PmObject *)op;
}

PmObject *PmTuple_FromArray(PmVM *vm, PmObject *const *items, Pm_ssize_t n)
{
    if (n == 0) return Pm_NewRef(vm->empty_tuple);
    PmTuple *op = tuple_alloc(vm, n);
    if (op == NULL) return NULL;
    for (Pm_ssize_t i = 0; i < n; i++) op->ob_item[i] = Pm_NewRef(items[i]);
    pm_gc_track(vm, (PmObject *)op);
    return (PmObject *)op;
}

/* Steals the n references even on failure. */
PmObject *PmTuple_FromArraySteal(PmVM *vm, PmObject *const *items, Pm_ssize_t n)
{
    if (n == 0) return Pm_NewRef(vm->empty_tuple);
    PmTuple *op = tuple_alloc(vm, n);
    if (op == NULL) {
        for (Pm_ssize_t i = 0; i < n; i++) Pm_DECREF(vm, items[i]);
        return NULL;
    }
    for (Pm_ssize_t i = 0; i < n; i++) op->ob_item[i] = items[i];
    pm_gc_track(vm, (PmObject *)op);
    return (PmObject *)op;
}

PmObject *PmTuple_Pack(PmVM *vm, Pm_ssize_t n, ...)
{
    if (n == 0) return Pm_NewRef(vm->empty_tuple);
    PmTuple *op = tuple_alloc(vm, n);
    if (op == NULL) return NULL;
    va_list ap;
    va_start(ap, n);
    for (Pm_ssize_t i = 0; i < n; i++) op->ob_item[i] = Pm_NewRef(va_arg(ap, PmObject *));
    va_end(ap);
    pm_gc_track(vm, (PmObject *)op);
    return (PmObject *)op;
}

PmObject *PmTuple_GetSlice(PmVM *vm, PmObject *t, Pm_ssize_t lo, Pm_ssize_t hi)
{
    Pm_ssize_t n = Pm_SIZE(t);
    if (lo < 0) lo = 0;
    if (hi > n) hi = n;
    if (hi < lo) hi = lo;
    if (lo == 0 && hi == n && Pm_IS_TYPE(vm, t, TUPLE)) return Pm_NewRef(t);
    return PmTuple_FromArray(vm, ((PmTuple *)t)->ob_item + lo, hi - lo);
}

/* Realloc the object's block (GC head included) like CPython's PyObject_GC_Resize. */
static PmObject *object_resize(PmVM *vm, PmObject *o, size_t real, size_t model)
{
    /* through alloc.c, so that tracemalloc moves the trace (CPython's PyObject_Realloc) */
    void *mem = pm_mem_realloc(vm, Pm_AS_GC(o), real + PM_GCHEAD_SIZE, model);
    if (mem == NULL) return NULL;
    return Pm_FROM_GC((PmGCHead *)mem);
}

int PmTuple_Resize(PmVM *vm, PmObject **pt, Pm_ssize_t n)
{
    PmObject *v = *pt;
    Pm_ssize_t old = Pm_SIZE(v);
    if (old == n) return 0;
    if (n == 0) {
        Pm_DECREF(vm, v);
        *pt = Pm_NewRef(vm->empty_tuple);
        return 0;
    }
    if (old == 0) {
        Pm_DECREF(vm, v);
        *pt = PmTuple_New(vm, n);
        return *pt == NULL ? -1 : 0;
    }
    if (pm_gc_is_tracked(v)) pm_gc_untrack(vm, v);
    for (Pm_ssize_t i = n; i < old; i++) Pm_CLEAR(vm, ((PmTuple *)v)->ob_item[i]);
    PmObject *sv = object_resize(vm, v, tuple_real_size(n), tuple_model_size(Pm_TYPE(v), n));
    if (sv == NULL) {
        *pt = NULL;
        Pm_SIZE(v) = n < old ? n : old;
        for (Pm_ssize_t i = Pm_SIZE(v); --i >= 0;) Pm_XDECREF(vm, ((PmTuple *)v)->ob_item[i]);
        pm_object_free(vm, v);
        return -1;
    }
    for (Pm_ssize_t i = old; i < n; i++) ((PmTuple *)sv)->ob_item[i] = NULL;
    Pm_SIZE(sv) = n;
    *pt = sv;
    pm_gc_track(vm, sv);
    return 0;
}

/* CPython's PySequence_Tuple: tuple(iterable).  Tuples come back as they are, lists are
 * copied; otherwise the result is presized from the length hint (10 by default), grown
 * by (n + 10) * 1.25 and cut back to size at the end. */
PmObject *PmSequence_Tuple(PmVM *vm, PmObject *v)
{
    if (Pm_IS_TYPE(vm, v, TUPLE)) return Pm_NewRef(v);
    if (Pm_IS_TYPE(vm, v, LIST)) return PmList_AsTuple(vm, v);
    PmObject *it = PmObject_GetIter(vm, v);
    if (it == NULL) return NULL;
    Pm_ssize_t n = PmObject_LengthHint(vm, v, 10);
    PmObject *result = n < 0 ? NULL : PmTuple_New(vm, n);
    if (result == NULL) goto fail;
    Pm_ssize_t j;
    for (j = 0;; j++) {
        PmObject *item = PmIter_Next(vm, it);
        if (item == NULL) {
            if (PmErr_Occurred(vm)) goto fail;
            break;
        }
        if (j >= n) {
            size_t newn = (size_t)n + 10u;
            newn += newn >> 2;
            if (newn > (size_t)PM_SSIZE_MAX) { Pm_DECREF(vm, item); PmErr_NoMemory(vm); goto fail; }
            n = (Pm_ssize_t)newn;
            if (PmTuple_Resize(vm, &result, n) != 0) { Pm_DECREF(vm, item); goto fail; }
        }
        PmTuple_SET_ITEM(result, j, item);
    }
    if (j < n && PmTuple_Resize(vm, &result, j) != 0) goto fail;
    Pm_DECREF(vm, it);
    return result;
fail:
    Pm_XDECREF(vm, result);
    Pm_DECREF(vm, it);
    return NULL;
}

/* tuple(...) / tuple subclass(...) */
static PmObject *tuple_subtype_new(PmVM *vm, PmType *type, PmObject *iterable)
{
    PmObject *tmp = iterable ? PmSequence_Tuple(vm, iterable) : Pm_NewRef(vm->empty_tuple);
    if (tmp == NULL) return NULL;
    Pm_ssize_t n = Pm_SIZE(tmp);
    PmTuple *op = (PmTuple *)pm_object_alloc(vm, type, tuple_real_size(n),
                                             tuple_model_size(type, n));
    if (op == NULL) { Pm_DECREF(vm, tmp); return NULL; }
    Pm_SIZE(op) = n;
    for (Pm_ssize_t i = 0; i < n; i++) op->ob_item[i] = Pm_NewRef(PmTuple_GET_ITEM(tmp, i));
    pm_gc_track(vm, (PmObject *)op);
    Pm_DECREF(vm, tmp);
    return (PmObject *)op;
}

static PmObject *tuple_new(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    if (pm_no_kwargs(vm, "tuple", kwnames)) return NULL;
    if (pm_check_positional(vm, "tuple", nargs, 0, 1)) return NULL;
    PmObject *iterable = nargs ? args[0] : NULL;
    if (type != PMT(vm, TUPLE)) return tuple_subtype_new(vm, type, iterable);
    if (iterable == NULL) return Pm_NewRef(vm->empty_tuple);
    return PmSequence_Tuple(vm, iterable);
}

/* ------------------------------------------------------------------ dealloc, traverse */

/* The trashcan only when called as the object's own tp_dealloc (see list_dealloc). */
static void tuple_dealloc(PmVM *vm, PmObject *o)
{
    PmTuple *op = (PmTuple *)o;
    bool trash = Pm_TYPE(o)->tp_dealloc == tuple_dealloc;
    if (pm_gc_is_tracked(o)) pm_gc_untrack(vm, o);
    if (trash && !pm_trash_begin(vm, o)) return;
    Pm_ssize_t i = Pm_SIZE(op);
    while (--i >= 0) Pm_XDECREF(vm, op->ob_item[i]);
    if (!freelist_push(vm, op)) pm_object_free(vm, o);
    if (trash) pm_trash_end(vm);
}

static int tuple_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    for (Pm_ssize_t i = Pm_SIZE(o); --i >= 0;) Pm_VISIT(vm, PmTuple_GET_ITEM(o, i));
    return 0;
}

/* gc's _PyObject_GC_MAY_BE_TRACKED */
static bool may_be_tracked(PmVM *vm, PmObject *o)
{
    if (!pm_gc_is_gc(o)) return false;   /* builtin type objects are not GC (CPython's tp_is_gc) */
    if (Pm_IS_TYPE(vm, o, TUPLE)) return pm_gc_is_tracked(o);
    return true;
}

void PmTuple_MaybeUntrack(PmVM *vm, PmObject *t)
{
    if (!Pm_IS_TYPE(vm, t, TUPLE) || !pm_gc_is_tracked(t)) return;
    for (Pm_ssize_t i = 0; i < Pm_SIZE(t); i++) {
        PmObject *elt = PmTuple_GET_ITEM(t, i);
        /* not fully built yet, or may hold a cycle */
        if (elt == NULL || may_be_tracked(vm, elt)) return;
    }
    pm_gc_untrack(vm, t);
}

/* ------------------------------------------------------------------ repr, hash, compare */

static PmObject *tuple_repr(PmVM *vm, PmObject *o)
{
    Pm_ssize_t n = Pm_SIZE(o);
    if (n == 0) return PmStr_FromString(vm, "()");
    int r = pm_repr_enter(vm, o);
    if (r != 0) return r > 0 ? PmStr_FromString(vm, "(...)") : NULL;
    PmObject *s = pm_repr_items(vm, '(', ((PmTuple *)o)->ob_item, n, ')');
    pm_repr_leave(vm, o);
    return s;
}

/* xxHash-based, CPython 3.11's tuplehash with the 64-bit constants on every build. */
#define XXPRIME_1 ((uint64_t)11400714785074694791ULL)
#define XXPRIME_2 ((uint64_t)14029467366897019727ULL)
#define XXPRIME_5 ((uint64_t)2870177450012600261ULL)
#define XXROTATE(x) (((x) << 31) | ((x) >> 33))

Pm_hash_t PmTuple_Hash(PmVM *vm, PmObject *o)
{
    Pm_ssize_t len = Pm_SIZE(o);
    uint64_t acc = XXPRIME_5;
    if (pm_enter_c_recursion(vm, "") < 0) return -1;
    for (Pm_ssize_t i = 0; i < len; i++) {
        Pm_hash_t h = PmObject_Hash(vm, PmTuple_GET_ITEM(o, i));
        if (h == -1) {
            pm_leave_c_recursion(vm);
            return -1;
        }
        acc += (uint64_t)h * XXPRIME_2;
        acc = XXROTATE(acc);
        acc *= XXPRIME_1;
    }
    pm_leave_c_recursion(vm);
    acc += (uint64_t)len ^ (XXPRIME_5 ^ 3527539UL);
    if (acc == (uint64_t)-1) return 1546275796;
    return (Pm_hash_t)acc;
}

static PmObject *compare_sizes(PmVM *vm, Pm_ssize_t a, Pm_ssize_t b, int op)
{
    switch (op) {
    case Pm_LT: return Pm_Bool(vm, a < b);
    case Pm_LE: return Pm_Bool(vm, a <= b);
    case Pm_EQ: return Pm_Bool(vm, a == b);
    case Pm_NE: return Pm_Bool(vm, a != b);
    case Pm_GT: return Pm_Bool(vm, a > b);
    default: return Pm_Bool(vm, a >= b);
    }
}

static PmObject *tuple_richcompare(PmVM *vm, PmObject *v, PmObject *w, int op)
{
    if (!PmTuple_Check(v) || !PmTuple_Check(w)) return Pm_NewRef(Pm_NotImplemented(vm));
    Pm_ssize_t vlen = Pm_SIZE(v), wlen = Pm_SIZE(w), i;
    for (i = 0; i < vlen && i < wlen; i++) {
        int k = PmObject_RichCompareBool(vm, PmTuple_GET_ITEM(v, i), PmTuple_GET_ITEM(w, i),
                                         Pm_EQ);
        if (k < 0) return NULL;
        if (!k) break;
    }
    if (i >= vlen || i >= wlen) return compare_sizes(vm, vlen, wlen, op);
    if (op == Pm_EQ) return Pm_Bool(vm, 0);
    if (op == Pm_NE) return Pm_Bool(vm, 1);
    return PmObject_RichCompare(vm, PmTuple_GET_ITEM(v, i), PmTuple_GET_ITEM(w, i), op);
}

/* ------------------------------------------------------------------ sequence operations */

static Pm_ssize_t tuple_length(PmVM *vm, PmObject *o)
{
    (void)vm;
    return Pm_SIZE(o);
}

static int tuple_contains(PmVM *vm, PmObject *o, PmObject *el)
{
    int cmp = 0;
    for (Pm_ssize_t i = 0; cmp == 0 && i < Pm_SIZE(o); i++)
        cmp = PmObject_RichCompareBool(vm, PmTuple_GET_ITEM(o, i), el, Pm_EQ);
    return cmp;
}

static PmObject *tuple_item(PmVM *vm, PmObject *o, Pm_ssize_t i)
{
    if ((uint64_t)i >= (uint64_t)Pm_SIZE(o)) {
        PmErr_SetString(vm, PME(vm, IndexError), "tuple index out of range");
        return NULL;
    }
    return Pm_NewRef(PmTuple_GET_ITEM(o, i));
}

static PmObject *tuple_concat(PmVM *vm, PmObject *a, PmObject *bb)
{
    if (Pm_SIZE(a) == 0 && Pm_IS_TYPE(vm, bb, TUPLE)) return Pm_NewRef(bb);
    if (!PmTuple_Check(bb)) {
        return PmErr_Format(vm, PME(vm, TypeError),
                            "can only concatenate tuple (not \"%.200s\") to tuple",
                            Pm_TYPE(bb)->tp_name);
    }
    if (Pm_SIZE(bb) == 0 && Pm_IS_TYPE(vm, a, TUPLE)) return Pm_NewRef(a);
    Pm_ssize_t na = Pm_SIZE(a), nb = Pm_SIZE(bb), size = na + nb;
    if (size == 0) return Pm_NewRef(vm->empty_tuple);
    PmTuple *np = tuple_alloc(vm, size);
    if (np == NULL) return NULL;
    for (Pm_ssize_t i = 0; i < na; i++) np->ob_item[i] = Pm_NewRef(PmTuple_GET_ITEM(a, i));
    for (Pm_ssize_t i = 0; i < nb; i++) np->ob_item[na + i] = Pm_NewRef(PmTuple_GET_ITEM(bb, i));
    pm_gc_track(vm, (PmObject *)np);
    return (PmObject *)np;
}

static PmObject *tuple_repeat(PmVM *vm, PmObject *a, Pm_ssize_t n)
{
    Pm_ssize_t len = Pm_SIZE(a);
    if ((len == 0 || n == 1) && Pm_IS_TYPE(vm, a, TUPLE)) return Pm_NewRef(a);
    if (len == 0 || n <= 0) return Pm_NewRef(vm->empty_tuple);
    if (n > PM_SSIZE_MAX / len) return PmErr_NoMemory(vm);
    Pm_ssize_t size = len * n;
    PmTuple *np = tuple_alloc(vm, size);
    if (np == NULL) return NULL;
    PmObject **src = ((PmTuple *)a)->ob_item, **dest = np->ob_item;
    for (Pm_ssize_t i = 0; i < len; i++) Pm_REFCNT(src[i]) += n;
    for (Pm_ssize_t k = 0; k < size; k++) dest[k] = src[k % len];
    pm_gc_track(vm, (PmObject *)np);
    return (PmObject *)np;
}

static PmObject *tuple_subscript(PmVM *vm, PmObject *self, PmObject *item)
{
    if (PmIndex_Check(item)) {
        Pm_ssize_t i = PmNumber_AsSsize_t(vm, item, PME(vm, IndexError));
        if (i == -1 && PmErr_Occurred(vm)) return NULL;
        if (i < 0) i += Pm_SIZE(self);
        return tuple_item(vm, self, i);
    }
    if (!PmSlice_Check(item)) {
        return PmErr_Format(vm, PME(vm, TypeError),
                            "tuple indices must be integers or slices, not %.200s",
                            Pm_TYPE(item)->tp_name);
    }
    Pm_ssize_t start, stop, step;
    if (PmSlice_Unpack(vm, item, &start, &stop, &step) < 0) return NULL;
    Pm_ssize_t n = PmSlice_AdjustIndices(Pm_SIZE(self), &start, &stop, step);
    if (n <= 0) return Pm_NewRef(vm->empty_tuple);
    if (start == 0 && step == 1 && n == Pm_SIZE(self) && Pm_IS_TYPE(vm, self, TUPLE))
        return Pm_NewRef(self);
    PmTuple *result = tuple_alloc(vm, n);
    if (result == NULL) return NULL;
    size_t cur = (size_t)start;
    for (Pm_ssize_t i = 0; i < n; i++, cur += (size_t)step)
        result->ob_item[i] = Pm_NewRef(PmTuple_GET_ITEM(self, cur));
    pm_gc_track(vm, (PmObject *)result);
    return (PmObject *)result;
}

/* ------------------------------------------------------------------ methods */

static PmObject *tuple_index(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)kwnames;
    if (pm_check_positional(vm, "index", nargs, 1, 3)) return NULL;
    Pm_ssize_t start = 0, stop = PM_SSIZE_MAX, n = Pm_SIZE(self);
    if (nargs > 1 && PmSlice_IndexNotNone(vm, args[1], &start) < 0) return NULL;
    if (nargs > 2 && PmSlice_IndexNotNone(vm, args[2], &stop) < 0) return NULL;
    if (start < 0) {
        start += n;
        if (start < 0) start = 0;
    }
    if (stop < 0) stop += n;
    else if (stop > n) stop = n;
    for (Pm_ssize_t i = start; i < stop; i++) {
        int cmp = PmObject_RichCompareBool(vm, PmTuple_GET_ITEM(self, i), args[0], Pm_EQ);
        if (cmp > 0) return PmLong_FromSsize_t(vm, i);
        if (cmp < 0) return NULL;
    }
    PmErr_SetString(vm, PME(vm, ValueError), "tuple.index(x): x not in tuple");
    return NULL;
}

static PmObject *tuple_count(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    Pm_ssize_t count = 0;
    for (Pm_ssize_t i = 0; i < Pm_SIZE(self); i++) {
        int cmp = PmObject_RichCompareBool(vm, PmTuple_GET_ITEM(self, i), args[0], Pm_EQ);
        if (cmp > 0) count++;
        else if (cmp < 0) return NULL;
    }
    return PmLong_FromSsize_t(vm, count);
}

static PmObject *tuple_getnewargs(PmVM *vm, PmObject *self, PmObject *const *args,
                                  size_t nargs, PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmObject *copy = PmTuple_FromArray(vm, ((PmTuple *)self)->ob_item, Pm_SIZE(self));
    if (copy == NULL) return NULL;
    PmObject *r = PmTuple_Pack(vm, 1, copy);
    Pm_DECREF(vm, copy);
    return r;
}

/* ------------------------------------------------------------------ tuple_iterator */

typedef struct PmTupleIter {
    PmObject ob_base;
    Pm_ssize_t it_index;
    PmObject *it_seq;        /* NULL when exhausted */
} PmTupleIter;

static PmObject *tuple_iter(PmVM *vm, PmObject *seq)
{
    PmTupleIter *it = (PmTupleIter *)pm_object_alloc(vm, PMT(vm, TUPLE_ITER),
                                                     sizeof(PmTupleIter),
                                                     PM_MODEL_GC_HEAD + 32);
    if (it == NULL) return NULL;
    it->it_index = 0;
    it->it_seq = Pm_NewRef(seq);
    pm_gc_track(vm, (PmObject *)it);
    return (PmObject *)it;
}

static void tupleiter_dealloc(PmVM *vm, PmObject *o)
{
    if (pm_gc_is_tracked(o)) pm_gc_untrack(vm, o);
    Pm_XDECREF(vm, ((PmTupleIter *)o)->it_seq);
    pm_object_free(vm, o);
}

static int tupleiter_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    Pm_VISIT(vm, ((PmTupleIter *)o)->it_seq);
    return 0;
}

static PmObject *tupleiter_next(PmVM *vm, PmObject *o)
{
    PmTupleIter *it = (PmTupleIter *)o;
    PmObject *seq = it->it_seq;
    if (seq == NULL) return NULL;
    if (it->it_index < Pm_SIZE(seq)) return Pm_NewRef(PmTuple_GET_ITEM(seq, it->it_index++));
    it->it_seq = NULL;
    Pm_DECREF(vm, seq);
    return NULL;
}

static PmObject *tupleiter_len(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmTupleIter *it = (PmTupleIter *)self;
    Pm_ssize_t len = 0;
    if (it->it_seq) len = Pm_SIZE(it->it_seq) - it->it_index;
    return PmLong_FromSsize_t(vm, len);
}

static const PmMethodDef tupleiter_methods[] = {
    {"__length_hint__", tupleiter_len, PM_METH_NOARGS},
    {NULL, NULL, 0}
};

const PmType PmTupleIter_Template = {
    .tp_name = "tuple_iterator",
    .tp_basicsize = 32,
    .tp_flags = PM_TPFLAGS_HAVE_GC,
    .tp_kind = PMT_TUPLE_ITER,
    .tp_dealloc = tupleiter_dealloc,
    .tp_traverse = tupleiter_traverse,
    .tp_iter = PmObject_SelfIter,
    .tp_iternext = tupleiter_next,
    .tp_methods = tupleiter_methods,
};

/* ------------------------------------------------------------------ type */

static const PmMethodDef tuple_methods[] = {
    {"__getnewargs__", tuple_getnewargs, PM_METH_NOARGS},
    {"index", tuple_index, PM_METH_VARARGS},
    {"count", tuple_count, PM_METH_O},
    {"__class_getitem__", pm_generic_alias_class_getitem, PM_METH_O | PM_METH_CLASS},
    {NULL, NULL, 0}
};

const PmType PmTuple_Template = {
    .tp_name = "tuple",
    .tp_doc = "tuple(iterable=(), /)\n"
              "--\n"
              "\n"
              "Built-in immutable sequence.\n"
              "\n"
              "If no argument is given, the constructor returns an empty tuple.\n"
              "If iterable is specified the tuple is initialized from iterable's items.\n"
              "\n"
              "If the argument is a tuple, the return value is the same object.",
    .tp_basicsize = MODEL_TUPLE_HEAD,
    .tp_itemsize = PM_MODEL_PTR,
    .tp_flags = PM_TPFLAGS_HAVE_GC | PM_TPFLAGS_BASETYPE | PM_TPFLAGS_TUPLE_SUBCLASS,
    .tp_kind = PMT_TUPLE,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_dealloc = tuple_dealloc,
    .tp_repr = tuple_repr,
    .tp_as_sequence = {
        .sq_length = tuple_length,
        .sq_concat = tuple_concat,
        .sq_repeat = tuple_repeat,
        .sq_item = tuple_item,
        .sq_contains = tuple_contains,
    },
    .tp_as_mapping = {
        .mp_length = tuple_length,
        .mp_subscript = tuple_subscript,
    },
    .tp_hash = PmTuple_Hash,
    .tp_traverse = tuple_traverse,
    .tp_richcompare = tuple_richcompare,
    .tp_iter = tuple_iter,
    .tp_methods = tuple_methods,
    .tp_new = tuple_new,
};
