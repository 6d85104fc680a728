/*
 * slice.c -- slice objects and the index arithmetic every sequence uses.
 *
 * A slice holds three references (start, stop, step; None when omitted).  As in CPython
 * 3.11 slices are GC objects (getsizeof 56), unhashable, and the VM keeps a cache of one
 * freed slice (vm->slice_cache) that the next slice reuses: `x[a:b]` in a loop allocates
 * nothing after the first iteration, and gc's generation-0 count does not move.
 *
 * PmSlice_Unpack + PmSlice_AdjustIndices are CPython's PySlice_Unpack and
 * PySlice_AdjustIndices: clamp to Pm_ssize_t, then to the sequence length.
 * PmSlice_GetLongIndices works on ints of any size (slice.indices(), range slicing).
 */
#include "pm.h"

/* ------------------------------------------------------------------ constructors */

/* CPython's _PyBuildSlice_Consume2: steals start and stop, increfs step. */
static PmObject *build_slice(PmVM *vm, PmObject *start, PmObject *stop, PmObject *step)
{
    PmSlice *s;
    if (vm->slice_cache != NULL) {
        s = (PmSlice *)vm->slice_cache;
        vm->slice_cache = NULL;
        Pm_REFCNT(s) = 1;
        pm_tracemalloc_new_reference(vm, s);   /* CPython's _Py_NewReference */
    } else {
        s = (PmSlice *)pm_object_alloc(vm, PMT(vm, SLICE), sizeof(PmSlice),
                                       PM_MODEL_GC_HEAD + 40);
        if (s == NULL) {
            Pm_DECREF(vm, start);
            Pm_DECREF(vm, stop);
            return NULL;
        }
    }
    s->start = start;
    s->stop = stop;
    s->step = Pm_NewRef(step);
    pm_gc_track(vm, (PmObject *)s);
    return (PmObject *)s;
}

PmObject *PmSlice_New(PmVM *vm, PmObject *start, PmObject *stop, PmObject *step)
{
    if (step == NULL) step = Pm_None(vm);
    if (start == NULL) start = Pm_None(vm);
    if (stop == NULL) stop = Pm_None(vm);
    return build_slice(vm, Pm_NewRef(start), Pm_NewRef(stop), step);
}

static PmObject *slice_new(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    (void)type;
    if (pm_no_kwargs(vm, "slice", kwnames)) return NULL;
    if (pm_check_positional(vm, "slice", nargs, 1, 3)) return NULL;
    /* slice(stop) swaps like range(stop) */
    if (nargs == 1) return PmSlice_New(vm, NULL, args[0], NULL);
    return PmSlice_New(vm, args[0], args[1], nargs == 3 ? args[2] : NULL);
}

/* ------------------------------------------------------------------ dealloc, traverse */

static void slice_dealloc(PmVM *vm, PmObject *o)
{
    PmSlice *s = (PmSlice *)o;
    if (pm_gc_is_tracked(o)) pm_gc_untrack(vm, o);
    Pm_DECREF(vm, s->step);
    Pm_DECREF(vm, s->start);
    Pm_DECREF(vm, s->stop);
    if (vm->slice_cache == NULL) vm->slice_cache = o;
    else pm_object_free(vm, o);
}

/* Free the cached slice (VM teardown). */
void PmSlice_Fini(PmVM *vm)
{
    PmObject *o = vm->slice_cache;
    vm->slice_cache = NULL;
    if (o) pm_object_free(vm, o);
}

static int slice_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    PmSlice *s = (PmSlice *)o;
    Pm_VISIT(vm, s->start);
    Pm_VISIT(vm, s->stop);
    Pm_VISIT(vm, s->step);
    return 0;
}

/* ------------------------------------------------------------------ repr, compare */

static PmObject *slice_repr(PmVM *vm, PmObject *o)
{
    PmSlice *s = (PmSlice *)o;
    return PmStr_FromFormat(vm, "slice(%R, %R, %R)", s->start, s->stop, s->step);
}

static PmObject *slice_richcompare(PmVM *vm, PmObject *v, PmObject *w, int op)
{
    if (!PmSlice_Check(v) || !PmSlice_Check(w)) return Pm_NewRef(Pm_NotImplemented(vm));
    if (v == w)
        return Pm_Bool(vm, op == Pm_EQ || op == Pm_LE || op == Pm_GE);
    PmSlice *a = (PmSlice *)v, *b = (PmSlice *)w;
    PmObject *t1 = PmTuple_Pack(vm, 3, a->start, a->stop, a->step);
    if (t1 == NULL) return NULL;
    PmObject *t2 = PmTuple_Pack(vm, 3, b->start, b->stop, b->step);
    if (t2 == NULL) { Pm_DECREF(vm, t1); return NULL; }
    PmObject *res = PmObject_RichCompare(vm, t1, t2, op);
    Pm_DECREF(vm, t1);
    Pm_DECREF(vm, t2);
    return res;
}

/* ------------------------------------------------------------------ index arithmetic */

/* CPython's _PyEval_SliceIndex: None leaves *pi alone; ints are clamped to Pm_ssize_t. */
int PmSlice_Index(PmVM *vm, PmObject *v, Pm_ssize_t *pi)
{
    if (v == Pm_None(vm)) return 0;
    if (!PmIndex_Check(v)) {
        PmErr_SetString(vm, PME(vm, TypeError),
                        "slice indices must be integers or None or have an __index__ method");
        return -1;
    }
    Pm_ssize_t x = PmNumber_AsSsize_t(vm, v, NULL);
    if (x == -1 && PmErr_Occurred(vm)) return -1;
    *pi = x;
    return 0;
}

/* CPython's _PyEval_SliceIndexNotNone (list.index / tuple.index bounds). */
int PmSlice_IndexNotNone(PmVM *vm, PmObject *v, Pm_ssize_t *pi)
{
    if (!PmIndex_Check(v)) {
        PmErr_SetString(vm, PME(vm, TypeError),
                        "slice indices must be integers or have an __index__ method");
        return -1;
    }
    Pm_ssize_t x = PmNumber_AsSsize_t(vm, v, NULL);
    if (x == -1 && PmErr_Occurred(vm)) return -1;
    *pi = x;
    return 0;
}

int PmSlice_Unpack(PmVM *vm, PmObject *slice, Pm_ssize_t *start, Pm_ssize_t *stop,
                   Pm_ssize_t *step)
{
    PmSlice *r = (PmSlice *)slice;
    *step = 1;
    if (PmSlice_Index(vm, r->step, step) < 0) return -1;
    if (*step == 0) {
        PmErr_SetString(vm, PME(vm, ValueError), "slice step cannot be zero");
        return -1;
    }
    /* keep -step representable */
    if (*step < -PM_SSIZE_MAX) *step = -PM_SSIZE_MAX;
    *start = *step < 0 ? PM_SSIZE_MAX : 0;
    if (PmSlice_Index(vm, r->start, start) < 0) return -1;
    *stop = *step < 0 ? PM_SSIZE_MIN : PM_SSIZE_MAX;
    if (PmSlice_Index(vm, r->stop, stop) < 0) return -1;
    return 0;
}

static void adjust_one(Pm_ssize_t length, Pm_ssize_t *p, Pm_ssize_t step)
{
    if (*p < 0) {
        *p += length;
        if (*p < 0) *p = step < 0 ? -1 : 0;
    } else if (*p >= length) {
        *p = step < 0 ? length - 1 : length;
    }
}

Pm_ssize_t PmSlice_AdjustIndices(Pm_ssize_t length, Pm_ssize_t *start, Pm_ssize_t *stop,
                                 Pm_ssize_t step)
{
    adjust_one(length, start, step);
    adjust_one(length, stop, step);
    if (step < 0) {
        if (*stop < *start) return (*start - *stop - 1) / (-step) + 1;
    } else if (*start < *stop) {
        return (*stop - *start - 1) / step + 1;
    }
    return 0;
}

static PmObject *evaluate_slice_index(PmVM *vm, PmObject *v)
{
    if (PmIndex_Check(v)) return PmNumber_Index(vm, v);
    PmErr_SetString(vm, PME(vm, TypeError),
                    "slice indices must be integers or None or have an __index__ method");
    return NULL;
}

static PmObject *add(PmVM *vm, PmObject *a, PmObject *b)
{
    return PmNumber_BinaryOp(vm, a, b, PM_BINOP_ADD);
}

/* Clamp one bound for GetLongIndices: None -> dflt; negative -> += length, then >= lower;
 * otherwise <= upper.  Returns a new reference or NULL. */
static PmObject *long_bound(PmVM *vm, PmObject *v, PmObject *dflt, PmObject *length,
                            PmObject *lower, PmObject *upper)
{
    if (v == Pm_None(vm)) return Pm_NewRef(dflt);
    PmObject *x = evaluate_slice_index(vm, v);
    if (x == NULL) return NULL;
    PmObject *limit = upper;
    int op = Pm_GT;
    if (PmLong_Sign(x) < 0) {
        PmObject *t = add(vm, x, length);
        Pm_DECREF(vm, x);
        if ((x = t) == NULL) return NULL;
        limit = lower;
        op = Pm_LT;
    }
    int c = PmObject_RichCompareBool(vm, x, limit, op);
    if (c < 0) { Pm_DECREF(vm, x); return NULL; }
    if (c) Pm_SETREF(vm, x, Pm_NewRef(limit));
    return x;
}

/* CPython's _PySlice_GetLongIndices: start, stop, step as ints of any size for a sequence
 * of `length` (an int >= 0).  0, or -1 with an exception. */
int PmSlice_GetLongIndices(PmVM *vm, PmObject *slice, PmObject *length, PmObject **start_ptr,
                           PmObject **stop_ptr, PmObject **step_ptr)
{
    PmSlice *self = (PmSlice *)slice;
    PmObject *start = NULL, *stop = NULL, *step, *lower = NULL, *upper = NULL;
    bool neg = false;
    if (self->step == Pm_None(vm)) {
        step = PmLong_FromLongLong(vm, 1);
    } else {
        step = evaluate_slice_index(vm, self->step);
        if (step == NULL) return -1;
        if (PmLong_Sign(step) == 0) {
            PmErr_SetString(vm, PME(vm, ValueError), "slice step cannot be zero");
            goto error;
        }
        neg = PmLong_Sign(step) < 0;
    }
    if (neg) {
        lower = PmLong_FromLongLong(vm, -1);
        if (lower == NULL || (upper = add(vm, length, lower)) == NULL) goto error;
    } else {
        lower = PmLong_FromLongLong(vm, 0);
        upper = Pm_NewRef(length);
    }
    start = long_bound(vm, self->start, neg ? upper : lower, length, lower, upper);
    if (start == NULL) goto error;
    stop = long_bound(vm, self->stop, neg ? lower : upper, length, lower, upper);
    if (stop == NULL) goto error;
    *start_ptr = start;
    *stop_ptr = stop;
    *step_ptr = step;
    Pm_DECREF(vm, upper);
    Pm_DECREF(vm, lower);
    return 0;
error:
    *start_ptr = *stop_ptr = *step_ptr = NULL;
    Pm_XDECREF(vm, start);
    Pm_XDECREF(vm, stop);
    Pm_XDECREF(vm, step);
    Pm_XDECREF(vm, upper);
    Pm_XDECREF(vm, lower);
    return -1;
}

/* ------------------------------------------------------------------ methods, attributes */

static PmObject *slice_indices(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    PmObject *length = PmNumber_Index(vm, args[0]);
    if (length == NULL) return NULL;
    if (PmLong_Sign(length) < 0) {
        PmErr_SetString(vm, PME(vm, ValueError), "length should not be negative");
        Pm_DECREF(vm, length);
        return NULL;
    }
    PmObject *start, *stop, *step;
    int err = PmSlice_GetLongIndices(vm, self, length, &start, &stop, &step);
    Pm_DECREF(vm, length);
    if (err < 0) return NULL;
    PmObject *items[3] = {start, stop, step};
    return PmTuple_FromArraySteal(vm, items, 3);
}

static PmObject *slice_get_start(PmVM *vm, PmObject *o)
{
    (void)vm;
    return Pm_NewRef(((PmSlice *)o)->start);
}

static PmObject *slice_get_stop(PmVM *vm, PmObject *o)
{
    (void)vm;
    return Pm_NewRef(((PmSlice *)o)->stop);
}

static PmObject *slice_get_step(PmVM *vm, PmObject *o)
{
    (void)vm;
    return Pm_NewRef(((PmSlice *)o)->step);
}

/* slice.__reduce__(): (slice, (start, stop, step)) */
static PmObject *slice_reduce(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmSlice *sl = (PmSlice *)self;
    PmObject *t = PmTuple_Pack(vm, 3, sl->start, sl->stop, sl->step);
    PmObject *res = t ? PmTuple_Pack(vm, 2, (PmObject *)Pm_TYPE(self), t) : NULL;
    Pm_XDECREF(vm, t);
    return res;
}

static const PmMethodDef slice_methods[] = {
    {"indices", slice_indices, PM_METH_O},
    {"__reduce__", slice_reduce, PM_METH_NOARGS},
    {NULL, NULL, 0}
};

static const PmGetSetDef slice_getset[] = {
    {"start", slice_get_start, NULL},
    {"stop", slice_get_stop, NULL},
    {"step", slice_get_step, NULL},
    {NULL, NULL, NULL}
};

const PmType PmSlice_Template = {
    .tp_name = "slice",
    .tp_doc = "slice(stop)\n"
              "slice(start, stop[, step])\n"
              "\n"
              "Create a slice object.  This is used for extended slicing (e.g. a[0:10:2]).",
    .tp_basicsize = 40,
    .tp_itemsize = 0,
    .tp_flags = PM_TPFLAGS_HAVE_GC,
    .tp_kind = PMT_SLICE,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_dealloc = slice_dealloc,
    .tp_repr = slice_repr,
    .tp_hash = pm_hash_not_implemented,
    .tp_traverse = slice_traverse,
    .tp_richcompare = slice_richcompare,
    .tp_methods = slice_methods,
    .tp_getset = slice_getset,
    .tp_new = slice_new,
};
