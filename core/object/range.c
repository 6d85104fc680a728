/*
 * range.c -- range, range_iterator and longrange_iterator, as CPython 3.11's
 * Objects/rangeobject.c.
 *
 * A range holds four ints (start, stop, step and its length, computed once); it is not a
 * GC object (getsizeof 48).  Indexing, slicing, `in` and len() work on ints of any size.
 * iter(range) is a range_iterator with 64-bit C fields (CPython's C long on 64-bit Linux,
 * whatever the build's pointer size) when start, stop, step and the length fit, else a
 * longrange_iterator that computes with int objects.  Neither iterator is a GC object.
 */
#include "pm.h"

#include <limits.h>

static PmObject *zero(PmVM *vm) { return PmLong_FromLongLong(vm, 0); }
static PmObject *one(PmVM *vm) { return PmLong_FromLongLong(vm, 1); }

static PmObject *num_add(PmVM *vm, PmObject *a, PmObject *b)
{
    return PmNumber_BinaryOp(vm, a, b, PM_BINOP_ADD);
}

static PmObject *num_sub(PmVM *vm, PmObject *a, PmObject *b)
{
    return PmNumber_BinaryOp(vm, a, b, PM_BINOP_SUBTRACT);
}

static PmObject *num_mul(PmVM *vm, PmObject *a, PmObject *b)
{
    return PmNumber_BinaryOp(vm, a, b, PM_BINOP_MULTIPLY);
}

/* Comparison with the cached 0 or 1. */
static int cmp_small(PmVM *vm, PmObject *a, long long small, int op)
{
    PmObject *s = PmLong_FromLongLong(vm, small);
    if (s == NULL) return -1;
    int r = PmObject_RichCompareBool(vm, a, s, op);
    Pm_DECREF(vm, s);
    return r;
}

static bool is_one(PmVM *vm, PmObject *o)
{
    return o == vm->small_ints[PM_NSMALLNEG + 1];
}

/* ------------------------------------------------------------------ length */

/* CPython's get_len_of_range on C longs (64-bit here). */
static uint64_t len_of_range(int64_t lo, int64_t hi, int64_t step)
{
    if (step > 0 && lo < hi) return 1 + ((uint64_t)hi - 1 - (uint64_t)lo) / (uint64_t)step;
    if (step < 0 && lo > hi) return 1 + ((uint64_t)lo - 1 - (uint64_t)hi) / (0 - (uint64_t)step);
    return 0;
}

/* An int as int64; false if it does not fit. */
static bool as_i64(PmVM *vm, PmObject *o, int64_t *out)
{
    int overflow = 0;
    long long v = PmLong_AsLongLongAndOverflow(vm, o, &overflow);
    if (overflow || (v == -1 && PmErr_Occurred(vm))) {
        PmErr_Clear(vm);
        return false;
    }
    *out = v;
    return true;
}

static PmObject *compute_range_length_slow(PmVM *vm, PmObject *start, PmObject *stop,
                                           PmObject *step)
{
    PmObject *lo, *hi, *tmp1 = NULL, *diff = NULL, *tmp2 = NULL, *result = NULL, *o = NULL;
    int c = cmp_small(vm, step, 0, Pm_GT);
    if (c < 0) return NULL;
    if (c) {
        lo = start;
        hi = stop;
        step = Pm_NewRef(step);
    } else {
        lo = stop;
        hi = start;
        if ((step = PmNumber_Negative(vm, step)) == NULL) return NULL;
    }
    c = PmObject_RichCompareBool(vm, lo, hi, Pm_GE);
    if (c != 0) {
        Pm_DECREF(vm, step);
        return c < 0 ? NULL : zero(vm);
    }
    if ((o = one(vm)) && (tmp1 = num_sub(vm, hi, lo)) && (diff = num_sub(vm, tmp1, o)) &&
        (tmp2 = PmNumber_BinaryOp(vm, diff, step, PM_BINOP_FLOOR_DIVIDE)))
        result = num_add(vm, tmp2, o);
    Pm_XDECREF(vm, o);
    Pm_XDECREF(vm, tmp1);
    Pm_XDECREF(vm, diff);
    Pm_XDECREF(vm, tmp2);
    Pm_DECREF(vm, step);
    return result;
}

static PmObject *compute_range_length(PmVM *vm, PmObject *start, PmObject *stop,
                                      PmObject *step)
{
    int64_t a, b, s;
    if (as_i64(vm, start, &a) && as_i64(vm, stop, &b) && as_i64(vm, step, &s)) {
        uint64_t len = len_of_range(a, b, s);
        if (len <= (uint64_t)INT64_MAX) return PmLong_FromLongLong(vm, (long long)len);
    }
    return compute_range_length_slow(vm, start, stop, step);
}

/* ------------------------------------------------------------------ constructors */

/* Steals start, stop, step (also on failure). */
static PmObject *make_range(PmVM *vm, PmType *type, PmObject *start, PmObject *stop,
                            PmObject *step)
{
    PmObject *length = compute_range_length(vm, start, stop, step);
    PmRange *r = NULL;
    if (length != NULL) {
        r = (PmRange *)pm_object_alloc(vm, type, sizeof(PmRange), 48);
        if (r == NULL) Pm_DECREF(vm, length);
    }
    if (r == NULL) {
        Pm_DECREF(vm, start);
        Pm_DECREF(vm, stop);
        Pm_DECREF(vm, step);
        return NULL;
    }
    r->start = start;
    r->stop = stop;
    r->step = step;
    r->length = length;
    return (PmObject *)r;
}

static PmObject *validate_step(PmVM *vm, PmObject *step)
{
    if (step == NULL) return one(vm);
    step = PmNumber_Index(vm, step);
    if (step && PmLong_Sign(step) == 0) {
        PmErr_SetString(vm, PME(vm, ValueError), "range() arg 3 must not be zero");
        Pm_CLEAR(vm, step);
    }
    return step;
}

static PmObject *range_new(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    PmObject *start, *stop, *step;
    if (pm_no_kwargs(vm, "range", kwnames)) return NULL;
    if (nargs == 0) {
        PmErr_SetString(vm, PME(vm, TypeError), "range expected at least 1 argument, got 0");
        return NULL;
    }
    if (nargs > 3) {
        return PmErr_Format(vm, PME(vm, TypeError),
                            "range expected at most 3 arguments, got %zu", nargs);
    }
    if (nargs == 1) {
        if ((stop = PmNumber_Index(vm, args[0])) == NULL) return NULL;
        return make_range(vm, type, zero(vm), stop, one(vm));
    }
    if ((start = PmNumber_Index(vm, args[0])) == NULL) return NULL;
    if ((stop = PmNumber_Index(vm, args[1])) == NULL) {
        Pm_DECREF(vm, start);
        return NULL;
    }
    if ((step = validate_step(vm, nargs == 3 ? args[2] : NULL)) == NULL) {
        Pm_DECREF(vm, start);
        Pm_DECREF(vm, stop);
        return NULL;
    }
    return make_range(vm, type, start, stop, step);
}

static void range_dealloc(PmVM *vm, PmObject *o)
{
    PmRange *r = (PmRange *)o;
    Pm_DECREF(vm, r->start);
    Pm_DECREF(vm, r->stop);
    Pm_DECREF(vm, r->step);
    Pm_DECREF(vm, r->length);
    pm_object_free(vm, o);
}

/* ------------------------------------------------------------------ repr, hash, compare */

static PmObject *range_repr(PmVM *vm, PmObject *o)
{
    PmRange *r = (PmRange *)o;
    Pm_ssize_t istep = PmNumber_AsSsize_t(vm, r->step, NULL);
    if (istep == -1 && PmErr_Occurred(vm)) return NULL;
    if (istep == 1) return PmStr_FromFormat(vm, "range(%R, %R)", r->start, r->stop);
    return PmStr_FromFormat(vm, "range(%R, %R, %R)", r->start, r->stop, r->step);
}

/* Equal ranges have the same items: same length, and (if not empty) same start, and
 * (if longer than 1) same step. */
static int range_equals(PmVM *vm, PmRange *r0, PmRange *r1)
{
    if (r0 == r1) return 1;
    int c = PmObject_RichCompareBool(vm, r0->length, r1->length, Pm_EQ);
    if (c != 1) return c;
    c = PmObject_IsTrue(vm, r0->length);
    if (c <= 0) return c < 0 ? -1 : 1;
    c = PmObject_RichCompareBool(vm, r0->start, r1->start, Pm_EQ);
    if (c != 1) return c;
    c = cmp_small(vm, r0->length, 1, Pm_EQ);
    if (c != 0) return c;
    return PmObject_RichCompareBool(vm, r0->step, r1->step, Pm_EQ);
}

static PmObject *range_richcompare(PmVM *vm, PmObject *self, PmObject *other, int op)
{
    if (!PmRange_Check(other) || (op != Pm_EQ && op != Pm_NE))
        return Pm_NewRef(Pm_NotImplemented(vm));
    int r = range_equals(vm, (PmRange *)self, (PmRange *)other);
    if (r < 0) return NULL;
    return Pm_Bool(vm, op == Pm_NE ? !r : r);
}

/* hash((len, start, step)) with None for what equality ignores. */
static Pm_hash_t range_hash(PmVM *vm, PmObject *o)
{
    PmRange *r = (PmRange *)o;
    PmObject *none = Pm_None(vm), *t;
    int empty = !PmObject_IsTrue(vm, r->length);
    if (empty) {
        t = PmTuple_Pack(vm, 3, r->length, none, none);
    } else {
        int c = cmp_small(vm, r->length, 1, Pm_EQ);
        if (c < 0) return -1;
        t = PmTuple_Pack(vm, 3, r->length, r->start, c ? none : r->step);
    }
    if (t == NULL) return -1;
    Pm_hash_t h = PmObject_Hash(vm, t);
    Pm_DECREF(vm, t);
    return h;
}

static int range_bool(PmVM *vm, PmObject *o)
{
    return PmObject_IsTrue(vm, ((PmRange *)o)->length);
}

/* ------------------------------------------------------------------ items */

static Pm_ssize_t range_length(PmVM *vm, PmObject *o)
{
    return PmLong_AsSsize_t(vm, ((PmRange *)o)->length);
}

/* start + i * step */
static PmObject *compute_item(PmVM *vm, PmRange *r, PmObject *i)
{
    if (is_one(vm, r->step)) return num_add(vm, r->start, i);
    PmObject *incr = num_mul(vm, i, r->step);
    if (incr == NULL) return NULL;
    PmObject *result = num_add(vm, r->start, incr);
    Pm_DECREF(vm, incr);
    return result;
}

static PmObject *compute_range_item(PmVM *vm, PmRange *r, PmObject *arg)
{
    PmObject *i;
    int c = cmp_small(vm, arg, 0, Pm_LT);
    if (c < 0) return NULL;
    if (c) {
        if ((i = num_add(vm, r->length, arg)) == NULL) return NULL;
    } else {
        i = Pm_NewRef(arg);
    }
    c = cmp_small(vm, i, 0, Pm_LT);
    if (c == 0) c = PmObject_RichCompareBool(vm, i, r->length, Pm_GE);
    if (c != 0) {
        Pm_DECREF(vm, i);
        if (c > 0) PmErr_SetString(vm, PME(vm, IndexError), "range object index out of range");
        return NULL;
    }
    PmObject *result = compute_item(vm, r, i);
    Pm_DECREF(vm, i);
    return result;
}

static PmObject *range_item(PmVM *vm, PmObject *o, Pm_ssize_t i)
{
    PmObject *arg = PmLong_FromSsize_t(vm, i);
    if (arg == NULL) return NULL;
    PmObject *res = compute_range_item(vm, (PmRange *)o, arg);
    Pm_DECREF(vm, arg);
    return res;
}

static PmObject *compute_slice(PmVM *vm, PmRange *r, PmObject *slice)
{
    PmObject *start, *stop, *step, *substart = NULL, *substop = NULL, *substep;
    if (PmSlice_GetLongIndices(vm, slice, r->length, &start, &stop, &step) < 0) return NULL;
    substep = num_mul(vm, r->step, step);
    if (substep != NULL && (substart = compute_item(vm, r, start)) != NULL)
        substop = compute_item(vm, r, stop);
    Pm_DECREF(vm, start);
    Pm_DECREF(vm, stop);
    Pm_DECREF(vm, step);
    if (substop == NULL) {
        Pm_XDECREF(vm, substart);
        Pm_XDECREF(vm, substep);
        return NULL;
    }
    return make_range(vm, Pm_TYPE(r), substart, substop, substep);
}

static PmObject *range_subscript(PmVM *vm, PmObject *o, PmObject *item)
{
    PmRange *r = (PmRange *)o;
    if (PmIndex_Check(item)) {
        PmObject *i = PmNumber_Index(vm, item);
        if (i == NULL) return NULL;
        PmObject *result = compute_range_item(vm, r, i);
        Pm_DECREF(vm, i);
        return result;
    }
    if (PmSlice_Check(item)) return compute_slice(vm, r, item);
    return PmErr_Format(vm, PME(vm, TypeError),
                        "range indices must be integers or slices, not %.200s",
                        Pm_TYPE(item)->tp_name);
}

/* ------------------------------------------------------------------ in, count, index */

static int range_contains_long(PmVM *vm, PmRange *r, PmObject *ob)
{
    int c1 = cmp_small(vm, r->step, 0, Pm_GT), c2, c3;
    if (c1 < 0) return -1;
    if (c1) {   /* start <= ob < stop */
        c2 = PmObject_RichCompareBool(vm, r->start, ob, Pm_LE);
        c3 = c2 < 0 ? -1 : PmObject_RichCompareBool(vm, ob, r->stop, Pm_LT);
    } else {    /* stop < ob <= start */
        c2 = PmObject_RichCompareBool(vm, ob, r->start, Pm_LE);
        c3 = c2 < 0 ? -1 : PmObject_RichCompareBool(vm, r->stop, ob, Pm_LT);
    }
    if (c2 < 0 || c3 < 0) return -1;
    if (c2 == 0 || c3 == 0) return 0;
    /* (ob - start) % step == 0 */
    PmObject *t1 = num_sub(vm, ob, r->start), *t2 = NULL;
    int result = -1;
    if (t1 && (t2 = PmNumber_BinaryOp(vm, t1, r->step, PM_BINOP_REMAINDER)))
        result = cmp_small(vm, t2, 0, Pm_EQ);
    Pm_XDECREF(vm, t1);
    Pm_XDECREF(vm, t2);
    return result;
}

static bool is_exact_int(PmVM *vm, PmObject *o)
{
    return Pm_IS_TYPE(vm, o, INT) || Pm_IS_TYPE(vm, o, BOOL);
}

static int range_contains(PmVM *vm, PmObject *o, PmObject *ob)
{
    if (is_exact_int(vm, ob)) return range_contains_long(vm, (PmRange *)o, ob);
    return (int)PmSequence_IterSearch(vm, o, ob, PM_ITERSEARCH_CONTAINS);
}

static PmObject *range_count(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    Pm_ssize_t n;
    if (is_exact_int(vm, args[0])) n = range_contains_long(vm, (PmRange *)self, args[0]);
    else n = PmSequence_IterSearch(vm, self, args[0], PM_ITERSEARCH_COUNT);
    return n < 0 ? NULL : PmLong_FromSsize_t(vm, n);
}

static PmObject *range_index(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    PmRange *r = (PmRange *)self;
    PmObject *ob = args[0];
    if (!is_exact_int(vm, ob)) {
        Pm_ssize_t i = PmSequence_IterSearch(vm, self, ob, PM_ITERSEARCH_INDEX);
        return i < 0 ? NULL : PmLong_FromSsize_t(vm, i);
    }
    int contains = range_contains_long(vm, r, ob);
    if (contains < 0) return NULL;
    if (!contains) return PmErr_Format(vm, PME(vm, ValueError), "%R is not in range", ob);
    PmObject *idx = num_sub(vm, ob, r->start);
    if (idx == NULL || is_one(vm, r->step)) return idx;
    PmObject *sidx = PmNumber_BinaryOp(vm, idx, r->step, PM_BINOP_FLOOR_DIVIDE);
    Pm_DECREF(vm, idx);
    return sidx;
}

/* ------------------------------------------------------------------ range_iterator */

typedef struct PmRangeIter {
    PmObject ob_base;
    int64_t index, start, step, len;    /* C longs in CPython (64-bit) */
} PmRangeIter;

typedef struct PmLongRangeIter {
    PmObject ob_base;
    PmObject *index, *start, *step, *len;
} PmLongRangeIter;

static PmObject *fast_range_iter(PmVM *vm, int64_t start, int64_t step, int64_t len)
{
    PmRangeIter *it = (PmRangeIter *)pm_object_alloc(vm, PMT(vm, RANGE_ITER),
                                                     sizeof(PmRangeIter), 48);
    if (it == NULL) return NULL;
    it->start = start;
    it->step = step;
    it->len = len;
    it->index = 0;
    return (PmObject *)it;
}

static PmObject *rangeiter_next(PmVM *vm, PmObject *o)
{
    PmRangeIter *r = (PmRangeIter *)o;
    if (r->index < r->len)
        return PmLong_FromLongLong(vm, (long long)(uint64_t)((uint64_t)r->start +
                                                  (uint64_t)(r->index++) * (uint64_t)r->step));
    return NULL;
}

static PmObject *rangeiter_len(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmRangeIter *r = (PmRangeIter *)self;
    return PmLong_FromLongLong(vm, r->len - r->index);
}

static void rangeiter_dealloc(PmVM *vm, PmObject *o)
{
    pm_object_free(vm, o);
}

static PmObject *longrange_iter(PmVM *vm)
{
    PmObject *it = pm_object_alloc(vm, PMT(vm, LONGRANGE_ITER), sizeof(PmLongRangeIter), 48);
    return it;
}

static PmObject *longrangeiter_next(PmVM *vm, PmObject *o)
{
    PmLongRangeIter *r = (PmLongRangeIter *)o;
    if (PmObject_RichCompareBool(vm, r->index, r->len, Pm_LT) != 1) return NULL;
    PmObject *o1 = one(vm);
    PmObject *new_index = num_add(vm, r->index, o1);
    Pm_DECREF(vm, o1);
    if (new_index == NULL) return NULL;
    PmObject *product = num_mul(vm, r->index, r->step);
    if (product == NULL) {
        Pm_DECREF(vm, new_index);
        return NULL;
    }
    PmObject *result = num_add(vm, r->start, product);
    Pm_DECREF(vm, product);
    if (result) Pm_SETREF(vm, r->index, new_index);
    else Pm_DECREF(vm, new_index);
    return result;
}

static PmObject *longrangeiter_len(PmVM *vm, PmObject *self, PmObject *const *args,
                                   size_t nargs, PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmLongRangeIter *r = (PmLongRangeIter *)self;
    return num_sub(vm, r->len, r->index);
}

static void longrangeiter_dealloc(PmVM *vm, PmObject *o)
{
    PmLongRangeIter *r = (PmLongRangeIter *)o;
    Pm_XDECREF(vm, r->index);
    Pm_XDECREF(vm, r->start);
    Pm_XDECREF(vm, r->step);
    Pm_XDECREF(vm, r->len);
    pm_object_free(vm, o);
}

static PmObject *range_iter(PmVM *vm, PmObject *seq)
{
    PmRange *r = (PmRange *)seq;
    int64_t lstart, lstop, lstep;
    if (as_i64(vm, r->start, &lstart) && as_i64(vm, r->stop, &lstop) &&
        as_i64(vm, r->step, &lstep)) {
        uint64_t ulen = len_of_range(lstart, lstop, lstep);
        bool fits = ulen <= (uint64_t)INT64_MAX;
        /* lstart + ulen * lstep must not overflow */
        if (fits && ulen) {
            if (lstep > 0) fits = lstop <= INT64_MAX - (lstep - 1);
            else fits = lstop >= INT64_MIN + (-1 - lstep);
        }
        if (fits) return fast_range_iter(vm, lstart, lstep, (int64_t)ulen);
    }
    PmLongRangeIter *it = (PmLongRangeIter *)longrange_iter(vm);
    if (it == NULL) return NULL;
    it->start = Pm_NewRef(r->start);
    it->step = Pm_NewRef(r->step);
    it->len = Pm_NewRef(r->length);
    it->index = zero(vm);
    return (PmObject *)it;
}

/* reversed(range(start, stop, step)) is range(start + (n-1)*step, start - step, -step). */
static PmObject *range_reverse(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmRange *range = (PmRange *)self;
    int64_t lstart, lstop, lstep;
    if (as_i64(vm, range->start, &lstart) && as_i64(vm, range->stop, &lstop) &&
        as_i64(vm, range->step, &lstep) && lstep != INT64_MIN) {
        bool fits = lstep > 0 ? (uint64_t)lstart - (uint64_t)INT64_MIN >= (uint64_t)lstep
                              : (uint64_t)INT64_MAX - (uint64_t)lstart >= 0 - (uint64_t)lstep;
        uint64_t ulen = len_of_range(lstart, lstop, lstep);
        if (fits && ulen <= (uint64_t)INT64_MAX) {
            int64_t new_stop = lstart - lstep;
            int64_t new_start = (int64_t)((uint64_t)new_stop + ulen * (uint64_t)lstep);
            return fast_range_iter(vm, new_start, -lstep, (int64_t)ulen);
        }
    }
    PmLongRangeIter *it = (PmLongRangeIter *)longrange_iter(vm);
    if (it == NULL) return NULL;
    it->len = Pm_NewRef(range->length);
    PmObject *o1 = one(vm);
    PmObject *diff = num_sub(vm, it->len, o1), *product = NULL;
    Pm_DECREF(vm, o1);
    if (diff) product = num_mul(vm, diff, range->step);
    Pm_XDECREF(vm, diff);
    if (product) it->start = num_add(vm, range->start, product);
    Pm_XDECREF(vm, product);
    if (it->start) it->step = PmNumber_Negative(vm, range->step);
    if (it->step == NULL) {
        Pm_DECREF(vm, (PmObject *)it);
        return NULL;
    }
    it->index = zero(vm);
    return (PmObject *)it;
}

/* ------------------------------------------------------------------ attributes, types */

static PmObject *range_get_start(PmVM *vm, PmObject *o)
{
    (void)vm;
    return Pm_NewRef(((PmRange *)o)->start);
}

static PmObject *range_get_stop(PmVM *vm, PmObject *o)
{
    (void)vm;
    return Pm_NewRef(((PmRange *)o)->stop);
}

static PmObject *range_get_step(PmVM *vm, PmObject *o)
{
    (void)vm;
    return Pm_NewRef(((PmRange *)o)->step);
}

static const PmMethodDef rangeiter_methods[] = {
    {"__length_hint__", rangeiter_len, PM_METH_NOARGS},
    {NULL, NULL, 0}
};

const PmType PmRangeIter_Template = {
    .tp_name = "range_iterator",
    .tp_basicsize = 48,
    .tp_kind = PMT_RANGE_ITER,
    .tp_dealloc = rangeiter_dealloc,
    .tp_iter = PmObject_SelfIter,
    .tp_iternext = rangeiter_next,
    .tp_methods = rangeiter_methods,
};

static const PmMethodDef longrangeiter_methods[] = {
    {"__length_hint__", longrangeiter_len, PM_METH_NOARGS},
    {NULL, NULL, 0}
};

const PmType PmLongRangeIter_Template = {
    .tp_name = "longrange_iterator",
    .tp_basicsize = 48,
    .tp_kind = PMT_LONGRANGE_ITER,
    .tp_dealloc = longrangeiter_dealloc,
    .tp_iter = PmObject_SelfIter,
    .tp_iternext = longrangeiter_next,
    .tp_methods = longrangeiter_methods,
};

/* range.__reduce__(): (range, (start, stop, step)) */
static PmObject *range_reduce(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmRange *r = (PmRange *)self;
    PmObject *t = PmTuple_Pack(vm, 3, r->start, r->stop, r->step);
    PmObject *res = t ? PmTuple_Pack(vm, 2, (PmObject *)Pm_TYPE(self), t) : NULL;
    Pm_XDECREF(vm, t);
    return res;
}

static const PmMethodDef range_methods[] = {
    {"__reversed__", range_reverse, PM_METH_NOARGS},
    {"__reduce__", range_reduce, PM_METH_NOARGS},
    {"count", range_count, PM_METH_O},
    {"index", range_index, PM_METH_O},
    {NULL, NULL, 0}
};

static const PmGetSetDef range_getset[] = {
    {"start", range_get_start, NULL},
    {"stop", range_get_stop, NULL},
    {"step", range_get_step, NULL},
    {NULL, NULL, NULL}
};

const PmType PmRange_Template = {
    .tp_name = "range",
    .tp_doc = "range(stop) -> range object\n"
              "range(start, stop[, step]) -> range object\n"
              "\n"
              "Return an object that produces a sequence of integers from start (inclusive)\n"
              "to stop (exclusive) by step.  range(i, j) produces i, i+1, i+2, ..., j-1.\n"
              "start defaults to 0, and stop is omitted!  range(4) produces 0, 1, 2, 3.\n"
              "These are exactly the valid indices for a list of 4 elements.\n"
              "When step is given, it specifies the increment (or decrement).",
    .tp_basicsize = 48,
    .tp_kind = PMT_RANGE,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_dealloc = range_dealloc,
    .tp_repr = range_repr,
    .tp_as_number = {.nb_bool = range_bool},
    .tp_as_sequence = {
        .sq_length = range_length,
        .sq_item = range_item,
        .sq_contains = range_contains,
    },
    .tp_as_mapping = {
        .mp_length = range_length,
        .mp_subscript = range_subscript,
    },
    .tp_hash = range_hash,
    .tp_richcompare = range_richcompare,
    .tp_iter = range_iter,
    .tp_methods = range_methods,
    .tp_getset = range_getset,
    .tp_new = range_new,
};
