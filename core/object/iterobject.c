/*
 * iterobject.c -- the generic sequence iterator and the builtin iterator types enumerate,
 * zip, map, filter and reversed (CPython 3.11's Objects/iterobject.c, enumobject.c and
 * bltinmodule.c), plus the small sequence helpers they share.
 *
 * All are GC objects holding their underlying iterators.  Two CPython habits matter for
 * what a learner sees:
 *   - enumerate and zip reuse their result tuple when nobody else holds it (refcount 1),
 *     so `for i, x in enumerate(xs)` builds one tuple, not one per item; the reused tuple
 *     keeps the previous items until they are replaced.
 *   - zip stops at the first exhausted iterator without advancing the ones after it, and
 *     the exhausted (list/tuple) iterator drops its sequence at once: after
 *     list(zip(xs, ys)) the zip still holds ys through its iterator, but not xs.
 */
#include "pm.h"

/* ------------------------------------------------------------------ shared helpers */

PmObject *PmObject_SelfIter(PmVM *vm, PmObject *o)
{
    (void)vm;
    return Pm_NewRef(o);
}

/* CPython's _PyObject_LookupSpecial: the attribute on the type, bound to o; NULL with no
 * exception if missing. */
static PmObject *lookup_special(PmVM *vm, PmObject *o, PmObject *name)
{
    PmObject *f = PmType_Lookup(vm, Pm_TYPE(o), name);
    if (f == NULL) return NULL;
    pm_descrgetfunc get = Pm_TYPE(f)->tp_descr_get;
    if (get == NULL) return Pm_NewRef(f);
    return get(vm, f, o, (PmObject *)Pm_TYPE(o));
}

static bool has_len(PmObject *o)
{
    PmType *tp = Pm_TYPE(o);
    return tp->tp_as_sequence.sq_length != NULL || tp->tp_as_mapping.mp_length != NULL;
}

Pm_ssize_t PmObject_LengthHint(PmVM *vm, PmObject *o, Pm_ssize_t dflt)
{
    if (has_len(o)) {
        Pm_ssize_t n = PmObject_Length(vm, o);
        if (n >= 0) return n;
        if (!PmErr_ExceptionMatches(vm, PME(vm, TypeError))) return -1;
        PmErr_Clear(vm);
    }
    PmObject *hint = lookup_special(vm, o, PMID(vm, __length_hint__));
    if (hint == NULL) return PmErr_Occurred(vm) ? -1 : dflt;
    PmObject *result = PmObject_CallNoArgs(vm, hint);
    Pm_DECREF(vm, hint);
    if (result == NULL) {
        if (!PmErr_ExceptionMatches(vm, PME(vm, TypeError))) return -1;
        PmErr_Clear(vm);
        return dflt;
    }
    if (result == Pm_NotImplemented(vm)) {
        Pm_DECREF(vm, result);
        return dflt;
    }
    if (!PmLong_Check(result)) {
        PmErr_Format(vm, PME(vm, TypeError), "__length_hint__ must be an integer, not %.100s",
                     Pm_TYPE(result)->tp_name);
        Pm_DECREF(vm, result);
        return -1;
    }
    Pm_ssize_t n = PmLong_AsSsize_t(vm, result);
    Pm_DECREF(vm, result);
    if (n < 0 && PmErr_Occurred(vm)) return -1;
    if (n < 0) {
        PmErr_SetString(vm, PME(vm, ValueError), "__length_hint__() should return >= 0");
        return -1;
    }
    return n;
}

bool PmSequence_Check(PmObject *o)
{
    if (PmDict_Check(o)) return false;
    return Pm_TYPE(o)->tp_as_sequence.sq_item != NULL;
}

PmObject *PmSequence_GetItem(PmVM *vm, PmObject *o, Pm_ssize_t i)
{
    PmType *tp = Pm_TYPE(o);
    if (tp->tp_as_sequence.sq_item) {
        if (i < 0 && tp->tp_as_sequence.sq_length) {
            Pm_ssize_t n = tp->tp_as_sequence.sq_length(vm, o);
            if (n < 0) return NULL;
            i += n;
        }
        return tp->tp_as_sequence.sq_item(vm, o, i);
    }
    if (tp->tp_as_mapping.mp_subscript)
        return PmErr_Format(vm, PME(vm, TypeError), "%.200s is not a sequence", tp->tp_name);
    return PmErr_Format(vm, PME(vm, TypeError), "'%.200s' object does not support indexing",
                        tp->tp_name);
}

/* CPython's PySequence_Size. */
static Pm_ssize_t sequence_size(PmVM *vm, PmObject *s)
{
    PmType *tp = Pm_TYPE(s);
    if (tp->tp_as_sequence.sq_length) return tp->tp_as_sequence.sq_length(vm, s);
    if (tp->tp_as_mapping.mp_length) {
        PmErr_Format(vm, PME(vm, TypeError), "%.200s is not a sequence", tp->tp_name);
        return -1;
    }
    PmErr_Format(vm, PME(vm, TypeError), "object of type '%.200s' has no len()", tp->tp_name);
    return -1;
}

Pm_ssize_t PmSequence_IterSearch(PmVM *vm, PmObject *seq, PmObject *obj, int operation)
{
    PmObject *it = PmObject_GetIter(vm, seq);
    if (it == NULL) {
        if (PmErr_ExceptionMatches(vm, PME(vm, TypeError))) {
            PmErr_Clear(vm);
            PmErr_Format(vm, PME(vm, TypeError), "argument of type '%.200s' is not iterable",
                         Pm_TYPE(seq)->tp_name);
        }
        return -1;
    }
    Pm_ssize_t n = 0;
    for (;;) {
        PmObject *item = PmIter_Next(vm, it);
        if (item == NULL) {
            if (PmErr_Occurred(vm)) goto fail;
            break;
        }
        int cmp = PmObject_RichCompareBool(vm, item, obj, Pm_EQ);
        Pm_DECREF(vm, item);
        if (cmp < 0) goto fail;
        if (cmp > 0) {
            if (operation == PM_ITERSEARCH_CONTAINS) { n = 1; goto done; }
            if (operation == PM_ITERSEARCH_INDEX) goto done;
            n++;
        } else if (operation == PM_ITERSEARCH_INDEX) {
            n++;
        }
    }
    if (operation != PM_ITERSEARCH_INDEX) goto done;
    PmErr_SetString(vm, PME(vm, ValueError), "sequence.index(x): x not in sequence");
fail:
    n = -1;
done:
    Pm_DECREF(vm, it);
    return n;
}

/* Allocate a GC iterator object of `basicsize` modelled bytes, untracked. */
static PmObject *iter_alloc(PmVM *vm, PmType *tp, size_t real, Pm_ssize_t basicsize)
{
    return pm_object_alloc(vm, tp, real, PM_MODEL_GC_HEAD + (size_t)basicsize);
}

static bool is_stop_iteration_or_none(PmVM *vm)
{
    if (!PmErr_Occurred(vm)) return true;
    if (!PmErr_ExceptionMatches(vm, PME(vm, StopIteration))) return false;
    PmErr_Clear(vm);
    return true;
}

/* ------------------------------------------------------------------ iterator (seqiter) */

typedef struct PmSeqIter {
    PmObject ob_base;
    Pm_ssize_t it_index;
    PmObject *it_seq;        /* NULL when exhausted */
} PmSeqIter;

PmObject *pm_seqiter_new(PmVM *vm, PmObject *seq)
{
    PmSeqIter *it = (PmSeqIter *)iter_alloc(vm, PMT(vm, SEQ_ITER), sizeof(PmSeqIter), 32);
    if (it == NULL) return NULL;
    it->it_index = 0;
    it->it_seq = Pm_NewRef(seq);
    pm_gc_track(vm, (PmObject *)it);
    return (PmObject *)it;
}

static void seqiter_dealloc(PmVM *vm, PmObject *o)
{
    if (pm_gc_is_tracked(o)) pm_gc_untrack(vm, o);
    Pm_XDECREF(vm, ((PmSeqIter *)o)->it_seq);
    pm_object_free(vm, o);
}

static int seqiter_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    Pm_VISIT(vm, ((PmSeqIter *)o)->it_seq);
    return 0;
}

static PmObject *seqiter_next(PmVM *vm, PmObject *o)
{
    PmSeqIter *it = (PmSeqIter *)o;
    PmObject *seq = it->it_seq;
    if (seq == NULL) return NULL;
    if (it->it_index == PM_SSIZE_MAX) {
        PmErr_SetString(vm, PME(vm, OverflowError), "iter index too large");
        return NULL;
    }
    PmObject *result = PmSequence_GetItem(vm, seq, it->it_index);
    if (result != NULL) {
        it->it_index++;
        return result;
    }
    if (PmErr_ExceptionMatches(vm, PME(vm, IndexError)) ||
        PmErr_ExceptionMatches(vm, PME(vm, StopIteration))) {
        PmErr_Clear(vm);
        it->it_seq = NULL;
        Pm_DECREF(vm, seq);
    }
    return NULL;
}

static PmObject *seqiter_len(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmSeqIter *it = (PmSeqIter *)self;
    if (it->it_seq) {
        if (!has_len(it->it_seq)) return Pm_NewRef(Pm_NotImplemented(vm));
        Pm_ssize_t n = sequence_size(vm, it->it_seq);
        if (n == -1) return NULL;
        if (n - it->it_index >= 0) return PmLong_FromSsize_t(vm, n - it->it_index);
    }
    return PmLong_FromLongLong(vm, 0);
}

static const PmMethodDef seqiter_methods[] = {
    {"__length_hint__", seqiter_len, PM_METH_NOARGS},
    {NULL, NULL, 0}
};

const PmType PmSeqIter_Template = {
    .tp_name = "iterator",
    .tp_basicsize = 32,
    .tp_flags = PM_TPFLAGS_HAVE_GC,
    .tp_kind = PMT_SEQ_ITER,
    .tp_dealloc = seqiter_dealloc,
    .tp_traverse = seqiter_traverse,
    .tp_iter = PmObject_SelfIter,
    .tp_iternext = seqiter_next,
    .tp_methods = seqiter_methods,
};

/* ------------------------------------------------------------------ callable_iterator */
/* iter(callable, sentinel): call until the result equals the sentinel (CPython's
 * calliterobject; both references are dropped once it is exhausted). */

typedef struct PmCallIter {
    PmObject ob_base;
    PmObject *it_callable;   /* NULL when exhausted */
    PmObject *it_sentinel;
} PmCallIter;

PmObject *pm_calliter_new(PmVM *vm, PmObject *callable, PmObject *sentinel)
{
    PmCallIter *it = (PmCallIter *)iter_alloc(vm, PMT(vm, CALL_ITER), sizeof(PmCallIter), 32);
    if (it == NULL) return NULL;
    it->it_callable = Pm_NewRef(callable);
    it->it_sentinel = Pm_NewRef(sentinel);
    pm_gc_track(vm, (PmObject *)it);
    return (PmObject *)it;
}

static void calliter_dealloc(PmVM *vm, PmObject *o)
{
    PmCallIter *it = (PmCallIter *)o;
    if (pm_gc_is_tracked(o)) pm_gc_untrack(vm, o);
    Pm_XDECREF(vm, it->it_callable);
    Pm_XDECREF(vm, it->it_sentinel);
    pm_object_free(vm, o);
}

static int calliter_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    Pm_VISIT(vm, ((PmCallIter *)o)->it_callable);
    Pm_VISIT(vm, ((PmCallIter *)o)->it_sentinel);
    return 0;
}

static void calliter_exhaust(PmVM *vm, PmCallIter *it)
{
    Pm_CLEAR(vm, it->it_callable);
    Pm_CLEAR(vm, it->it_sentinel);
}

static PmObject *calliter_next(PmVM *vm, PmObject *o)
{
    PmCallIter *it = (PmCallIter *)o;
    if (it->it_callable == NULL) return NULL;
    PmObject *result = PmObject_CallNoArgs(vm, it->it_callable);
    if (result == NULL) {
        if (PmErr_ExceptionMatches(vm, PME(vm, StopIteration))) {
            PmErr_Clear(vm);
            calliter_exhaust(vm, it);
        }
        return NULL;
    }
    int eq = PmObject_RichCompareBool(vm, it->it_sentinel, result, Pm_EQ);
    if (eq == 0) return result;
    Pm_DECREF(vm, result);
    if (eq > 0) calliter_exhaust(vm, it);
    return NULL;
}

const PmType PmCallIter_Template = {
    .tp_name = "callable_iterator",
    .tp_basicsize = 32,
    .tp_flags = PM_TPFLAGS_HAVE_GC,
    .tp_kind = PMT_CALL_ITER,
    .tp_dealloc = calliter_dealloc,
    .tp_traverse = calliter_traverse,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_iter = PmObject_SelfIter,
    .tp_iternext = calliter_next,
};

/* ------------------------------------------------------------------ enumerate */

typedef struct PmEnumerate {
    PmObject ob_base;
    Pm_ssize_t en_index;       /* next index while it fits */
    PmObject *en_sit;          /* the underlying iterator */
    PmObject *en_result;       /* the (index, item) tuple, reused when we hold the only ref */
    PmObject *en_longindex;    /* next index as an int past PM_SSIZE_MAX, or NULL */
    PmObject *one;             /* borrowed cached 1 */
} PmEnumerate;

static PmObject *enum_new_impl(PmVM *vm, PmType *type, PmObject *iterable, PmObject *start)
{
    PmEnumerate *en = (PmEnumerate *)iter_alloc(vm, type, sizeof(PmEnumerate), 56);
    if (en == NULL) return NULL;
    pm_gc_track(vm, (PmObject *)en);
    en->one = vm->small_ints[PM_NSMALLNEG + 1];
    if (start != NULL) {
        if ((start = PmNumber_Index(vm, start)) == NULL) goto fail;
        en->en_index = PmLong_AsSsize_t(vm, start);
        if (en->en_index == -1 && PmErr_Occurred(vm)) {
            PmErr_Clear(vm);
            en->en_index = PM_SSIZE_MAX;
            en->en_longindex = start;
        } else {
            Pm_DECREF(vm, start);
        }
    }
    if ((en->en_sit = PmObject_GetIter(vm, iterable)) == NULL) goto fail;
    if ((en->en_result = PmTuple_Pack(vm, 2, Pm_None(vm), Pm_None(vm))) == NULL) goto fail;
    return (PmObject *)en;
fail:
    Pm_DECREF(vm, (PmObject *)en);
    return NULL;
}

static int enum_check_keyword(PmVM *vm, PmObject *kwnames, Pm_ssize_t i, const char *name)
{
    PmObject *kw = PmTuple_GET_ITEM(kwnames, i);
    if (PmStr_EqualToASCII(kw, name)) return 0;
    PmErr_Format(vm, PME(vm, TypeError), "'%S' is an invalid keyword argument for enumerate()",
                 kw);
    return -1;
}

/* enumerate(iterable, start=0), parsed like CPython's enum_vectorcall. */
static PmObject *enum_new(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs,
                          PmObject *kwnames)
{
    Pm_ssize_t nkw = kwnames ? Pm_SIZE(kwnames) : 0, total = (Pm_ssize_t)nargs + nkw;
    if (total == 2) {
        if (nkw == 1 && enum_check_keyword(vm, kwnames, 0, "start")) return NULL;
        if (nkw == 2) {
            if (PmStr_EqualToASCII(PmTuple_GET_ITEM(kwnames, 0), "start")) {
                if (enum_check_keyword(vm, kwnames, 1, "iterable")) return NULL;
                return enum_new_impl(vm, type, args[1], args[0]);
            }
            if (enum_check_keyword(vm, kwnames, 0, "iterable") ||
                enum_check_keyword(vm, kwnames, 1, "start"))
                return NULL;
        }
        return enum_new_impl(vm, type, args[0], args[1]);
    }
    if (total == 1) {
        if (nkw == 1 && enum_check_keyword(vm, kwnames, 0, "iterable")) return NULL;
        return enum_new_impl(vm, type, args[0], NULL);
    }
    if (nargs == 0) {
        PmErr_SetString(vm, PME(vm, TypeError), "enumerate() missing required argument 'iterable'");
        return NULL;
    }
    return PmErr_Format(vm, PME(vm, TypeError), "enumerate() takes at most 2 arguments (%zd given)",
                        total);
}

static void enum_dealloc(PmVM *vm, PmObject *o)
{
    PmEnumerate *en = (PmEnumerate *)o;
    if (pm_gc_is_tracked(o)) pm_gc_untrack(vm, o);
    Pm_XDECREF(vm, en->en_sit);
    Pm_XDECREF(vm, en->en_result);
    Pm_XDECREF(vm, en->en_longindex);
    pm_object_free(vm, o);
}

static int enum_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    PmEnumerate *en = (PmEnumerate *)o;
    Pm_VISIT(vm, en->en_sit);
    Pm_VISIT(vm, en->en_result);
    Pm_VISIT(vm, en->en_longindex);
    return 0;
}

/* (index, item) in the reused result tuple if we hold the only reference, else a new
 * one.  Steals index and item. */
static PmObject *pair_result(PmVM *vm, PmObject *result, PmObject *index, PmObject *item)
{
    if (Pm_REFCNT(result) == 1) {
        Pm_INCREF(result);
        PmObject *old_index = PmTuple_GET_ITEM(result, 0);
        PmObject *old_item = PmTuple_GET_ITEM(result, 1);
        PmTuple_SET_ITEM(result, 0, index);
        PmTuple_SET_ITEM(result, 1, item);
        Pm_DECREF(vm, old_index);
        Pm_DECREF(vm, old_item);
        /* the collector may have untracked the recycled tuple */
        if (!pm_gc_is_tracked(result)) pm_gc_track(vm, result);
        return result;
    }
    result = PmTuple_New(vm, 2);
    if (result == NULL) {
        Pm_DECREF(vm, index);
        Pm_DECREF(vm, item);
        return NULL;
    }
    PmTuple_SET_ITEM(result, 0, index);
    PmTuple_SET_ITEM(result, 1, item);
    return result;
}

static PmObject *enum_next_long(PmVM *vm, PmEnumerate *en, PmObject *next_item)
{
    if (en->en_longindex == NULL) {
        en->en_longindex = PmLong_FromSsize_t(vm, PM_SSIZE_MAX);
        if (en->en_longindex == NULL) {
            Pm_DECREF(vm, next_item);
            return NULL;
        }
    }
    PmObject *next_index = en->en_longindex;
    PmObject *stepped_up = PmNumber_BinaryOp(vm, next_index, en->one, PM_BINOP_ADD);
    if (stepped_up == NULL) {
        Pm_DECREF(vm, next_item);
        return NULL;
    }
    en->en_longindex = stepped_up;
    return pair_result(vm, en->en_result, next_index, next_item);
}

static PmObject *enum_next(PmVM *vm, PmObject *o)
{
    PmEnumerate *en = (PmEnumerate *)o;
    PmObject *it = en->en_sit;
    PmObject *next_item = Pm_TYPE(it)->tp_iternext(vm, it);
    if (next_item == NULL) return NULL;
    if (en->en_index == PM_SSIZE_MAX) return enum_next_long(vm, en, next_item);
    PmObject *next_index = PmLong_FromSsize_t(vm, en->en_index);
    if (next_index == NULL) {
        Pm_DECREF(vm, next_item);
        return NULL;
    }
    en->en_index++;
    return pair_result(vm, en->en_result, next_index, next_item);
}

const PmType PmEnumerate_Template = {
    .tp_name = "enumerate",
    .tp_doc = "enumerate(iterable, start=0)\n"
              "--\n"
              "\n"
              "Return an enumerate object.\n"
              "\n"
              "  iterable\n"
              "    an object supporting iteration\n"
              "\n"
              "The enumerate object yields pairs containing a count (from start, which\n"
              "defaults to zero) and a value yielded by the iterable argument.\n"
              "\n"
              "enumerate is useful for obtaining an indexed list:\n"
              "    (0, seq[0]), (1, seq[1]), (2, seq[2]), ...",
    .tp_basicsize = 56,
    .tp_flags = PM_TPFLAGS_HAVE_GC,
    .tp_kind = PMT_ENUMERATE,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_dealloc = enum_dealloc,
    .tp_traverse = enum_traverse,
    .tp_iter = PmObject_SelfIter,
    .tp_iternext = enum_next,
    .tp_new = enum_new,
};

/* ------------------------------------------------------------------ zip */

typedef struct PmZip {
    PmObject ob_base;
    Pm_ssize_t tuplesize;
    PmObject *ittuple;         /* tuple of iterators */
    PmObject *result;          /* reused when we hold the only reference */
    int strict;
} PmZip;

static int zip_parse_strict(PmVM *vm, PmObject *const *kwvalues, PmObject *kwnames, int *strict)
{
    Pm_ssize_t nkw = kwnames ? Pm_SIZE(kwnames) : 0;
    if (nkw == 0) return 0;
    if (nkw > 1) {
        PmErr_Format(vm, PME(vm, TypeError), "zip() takes at most 1 keyword argument (%zd given)",
                     nkw);
        return -1;
    }
    PmObject *name = PmTuple_GET_ITEM(kwnames, 0);
    if (!PmStr_EqualToASCII(name, "strict")) {
        PmErr_Format(vm, PME(vm, TypeError), "'%U' is an invalid keyword argument for zip()",
                     name);
        return -1;
    }
    int t = PmObject_IsTrue(vm, kwvalues[0]);
    if (t < 0) return -1;
    *strict = t;
    return 0;
}

static PmObject *zip_new(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs,
                         PmObject *kwnames)
{
    int strict = 0;
    if (zip_parse_strict(vm, args + nargs, kwnames, &strict) < 0) return NULL;
    Pm_ssize_t n = (Pm_ssize_t)nargs;
    PmObject *ittuple = PmTuple_New(vm, n);
    if (ittuple == NULL) return NULL;
    for (Pm_ssize_t i = 0; i < n; i++) {
        PmObject *it = PmObject_GetIter(vm, args[i]);
        if (it == NULL) {
            Pm_DECREF(vm, ittuple);
            return NULL;
        }
        PmTuple_SET_ITEM(ittuple, i, it);
    }
    PmObject *result = PmTuple_New(vm, n);
    if (result == NULL) {
        Pm_DECREF(vm, ittuple);
        return NULL;
    }
    for (Pm_ssize_t i = 0; i < n; i++) PmTuple_SET_ITEM(result, i, Pm_NewRef(Pm_None(vm)));
    PmZip *lz = (PmZip *)iter_alloc(vm, type, sizeof(PmZip), 48);
    if (lz == NULL) {
        Pm_DECREF(vm, ittuple);
        Pm_DECREF(vm, result);
        return NULL;
    }
    pm_gc_track(vm, (PmObject *)lz);
    lz->ittuple = ittuple;
    lz->tuplesize = n;
    lz->result = result;
    lz->strict = strict;
    return (PmObject *)lz;
}

static void zip_dealloc(PmVM *vm, PmObject *o)
{
    PmZip *lz = (PmZip *)o;
    if (pm_gc_is_tracked(o)) pm_gc_untrack(vm, o);
    Pm_XDECREF(vm, lz->ittuple);
    Pm_XDECREF(vm, lz->result);
    pm_object_free(vm, o);
}

static int zip_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    PmZip *lz = (PmZip *)o;
    Pm_VISIT(vm, lz->ittuple);
    Pm_VISIT(vm, lz->result);
    return 0;
}

static PmObject *next_of(PmVM *vm, PmObject *ittuple, Pm_ssize_t i)
{
    PmObject *it = PmTuple_GET_ITEM(ittuple, i);
    return Pm_TYPE(it)->tp_iternext(vm, it);
}

/* strict=True: argument i + 1 ran out first.  Shorter if i > 0; else check the others. */
static PmObject *zip_strict_check(PmVM *vm, PmZip *lz, Pm_ssize_t i)
{
    if (!is_stop_iteration_or_none(vm)) return NULL;
    if (i) {
        return PmErr_Format(vm, PME(vm, ValueError),
                            "zip() argument %zd is shorter than argument%s%zd", i + 1,
                            i == 1 ? " " : "s 1-", i);
    }
    for (i = 1; i < lz->tuplesize; i++) {
        PmObject *item = next_of(vm, lz->ittuple, i);
        if (item) {
            Pm_DECREF(vm, item);
            return PmErr_Format(vm, PME(vm, ValueError),
                                "zip() argument %zd is longer than argument%s%zd", i + 1,
                                i == 1 ? " " : "s 1-", i);
        }
        if (!is_stop_iteration_or_none(vm)) return NULL;
    }
    return NULL;
}

static PmObject *zip_next(PmVM *vm, PmObject *o)
{
    PmZip *lz = (PmZip *)o;
    Pm_ssize_t n = lz->tuplesize, i;
    PmObject *result = lz->result;
    if (n == 0) return NULL;
    if (Pm_REFCNT(result) == 1) {
        Pm_INCREF(result);
        for (i = 0; i < n; i++) {
            PmObject *item = next_of(vm, lz->ittuple, i);
            if (item == NULL) goto exhausted;
            PmObject *olditem = PmTuple_GET_ITEM(result, i);
            PmTuple_SET_ITEM(result, i, item);
            Pm_DECREF(vm, olditem);
        }
        if (!pm_gc_is_tracked(result)) pm_gc_track(vm, result);
        return result;
    }
    if ((result = PmTuple_New(vm, n)) == NULL) return NULL;
    for (i = 0; i < n; i++) {
        PmObject *item = next_of(vm, lz->ittuple, i);
        if (item == NULL) goto exhausted;
        PmTuple_SET_ITEM(result, i, item);
    }
    return result;
exhausted:
    Pm_DECREF(vm, result);
    return lz->strict ? zip_strict_check(vm, lz, i) : NULL;
}

const PmType PmZip_Template = {
    .tp_name = "zip",
    .tp_doc = "zip(*iterables, strict=False) --> Yield tuples until an input is exhausted.\n"
              "\n"
              "   >>> list(zip('abcdefg', range(3), range(4)))\n"
              "   [('a', 0, 0), ('b', 1, 1), ('c', 2, 2)]\n"
              "\n"
              "The zip object yields n-length tuples, where n is the number of iterables\n"
              "passed as positional arguments to zip().  The i-th element in every tuple\n"
              "comes from the i-th iterable argument to zip().  This continues until the\n"
              "shortest argument is exhausted.\n"
              "\n"
              "If strict is true and one of the arguments is exhausted before the others,\n"
              "raise a ValueError.",
    .tp_basicsize = 48,
    .tp_flags = PM_TPFLAGS_HAVE_GC,
    .tp_kind = PMT_ZIP,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_dealloc = zip_dealloc,
    .tp_traverse = zip_traverse,
    .tp_iter = PmObject_SelfIter,
    .tp_iternext = zip_next,
    .tp_new = zip_new,
};

/* ------------------------------------------------------------------ map */

typedef struct PmMap {
    PmObject ob_base;
    PmObject *iters;           /* tuple of iterators */
    PmObject *func;
} PmMap;

static PmObject *map_new(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs,
                         PmObject *kwnames)
{
    if (type == PMT(vm, MAP) && pm_no_kwargs(vm, "map", kwnames)) return NULL;
    if (nargs < 2) {
        PmErr_SetString(vm, PME(vm, TypeError), "map() must have at least two arguments.");
        return NULL;
    }
    PmObject *iters = PmTuple_New(vm, (Pm_ssize_t)nargs - 1);
    if (iters == NULL) return NULL;
    for (size_t i = 1; i < nargs; i++) {
        PmObject *it = PmObject_GetIter(vm, args[i]);
        if (it == NULL) {
            Pm_DECREF(vm, iters);
            return NULL;
        }
        PmTuple_SET_ITEM(iters, (Pm_ssize_t)i - 1, it);
    }
    PmMap *lz = (PmMap *)iter_alloc(vm, type, sizeof(PmMap), 32);
    if (lz == NULL) {
        Pm_DECREF(vm, iters);
        return NULL;
    }
    pm_gc_track(vm, (PmObject *)lz);
    lz->iters = iters;
    lz->func = Pm_NewRef(args[0]);
    return (PmObject *)lz;
}

static void map_dealloc(PmVM *vm, PmObject *o)
{
    PmMap *lz = (PmMap *)o;
    if (pm_gc_is_tracked(o)) pm_gc_untrack(vm, o);
    Pm_XDECREF(vm, lz->iters);
    Pm_XDECREF(vm, lz->func);
    pm_object_free(vm, o);
}

static int map_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    PmMap *lz = (PmMap *)o;
    Pm_VISIT(vm, lz->iters);
    Pm_VISIT(vm, lz->func);
    return 0;
}

static PmObject *map_next(PmVM *vm, PmObject *o)
{
    PmMap *lz = (PmMap *)o;
    PmObject *small_stack[5], **stack = small_stack, *result = NULL;
    Pm_ssize_t niters = Pm_SIZE(lz->iters), nargs = 0;
    if (niters > 5) {
        stack = pm_mem_alloc(vm, (size_t)niters * sizeof(PmObject *),
                             (size_t)niters * PM_MODEL_PTR);
        if (stack == NULL) return NULL;
    }
    for (Pm_ssize_t i = 0; i < niters; i++) {
        PmObject *val = next_of(vm, lz->iters, i);
        if (val == NULL) goto exit;
        stack[nargs++] = val;
    }
    result = PmObject_Vectorcall(vm, lz->func, stack, (size_t)nargs, NULL);
exit:
    for (Pm_ssize_t i = 0; i < nargs; i++) Pm_DECREF(vm, stack[i]);
    if (stack != small_stack) pm_mem_free(vm, stack);
    return result;
}

const PmType PmMap_Template = {
    .tp_name = "map",
    .tp_doc = "map(func, *iterables) --> map object\n"
              "\n"
              "Make an iterator that computes the function using arguments from\n"
              "each of the iterables.  Stops when the shortest iterable is exhausted.",
    .tp_basicsize = 32,
    .tp_flags = PM_TPFLAGS_HAVE_GC,
    .tp_kind = PMT_MAP,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_dealloc = map_dealloc,
    .tp_traverse = map_traverse,
    .tp_iter = PmObject_SelfIter,
    .tp_iternext = map_next,
    .tp_new = map_new,
};

/* ------------------------------------------------------------------ filter */

typedef struct PmFilter {
    PmObject ob_base;
    PmObject *func;            /* None or bool: test the items themselves */
    PmObject *it;
} PmFilter;

static PmObject *filter_new(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    if (type == PMT(vm, FILTER) && pm_no_kwargs(vm, "filter", kwnames)) return NULL;
    if (pm_check_positional(vm, "filter", nargs, 2, 2)) return NULL;
    PmObject *it = PmObject_GetIter(vm, args[1]);
    if (it == NULL) return NULL;
    PmFilter *lz = (PmFilter *)iter_alloc(vm, type, sizeof(PmFilter), 32);
    if (lz == NULL) {
        Pm_DECREF(vm, it);
        return NULL;
    }
    pm_gc_track(vm, (PmObject *)lz);
    lz->func = Pm_NewRef(args[0]);
    lz->it = it;
    return (PmObject *)lz;
}

static void filter_dealloc(PmVM *vm, PmObject *o)
{
    PmFilter *lz = (PmFilter *)o;
    if (pm_gc_is_tracked(o)) pm_gc_untrack(vm, o);
    PM_TRASHCAN_BEGIN(vm, o)
    Pm_XDECREF(vm, lz->func);
    Pm_XDECREF(vm, lz->it);
    pm_object_free(vm, o);
    PM_TRASHCAN_END(vm)
}

static int filter_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    PmFilter *lz = (PmFilter *)o;
    Pm_VISIT(vm, lz->it);
    Pm_VISIT(vm, lz->func);
    return 0;
}

static PmObject *filter_next(PmVM *vm, PmObject *o)
{
    PmFilter *lz = (PmFilter *)o;
    PmObject *it = lz->it;
    pm_iternextfunc iternext = Pm_TYPE(it)->tp_iternext;
    bool checktrue = lz->func == Pm_None(vm) || lz->func == (PmObject *)PMT(vm, BOOL);
    for (;;) {
        PmObject *item = iternext(vm, it);
        if (item == NULL) return NULL;
        int ok;
        if (checktrue) {
            ok = PmObject_IsTrue(vm, item);
        } else {
            PmObject *good = PmObject_CallOneArg(vm, lz->func, item);
            if (good == NULL) {
                Pm_DECREF(vm, item);
                return NULL;
            }
            ok = PmObject_IsTrue(vm, good);
            Pm_DECREF(vm, good);
        }
        if (ok > 0) return item;
        Pm_DECREF(vm, item);
        if (ok < 0) return NULL;
    }
}

const PmType PmFilter_Template = {
    .tp_name = "filter",
    .tp_doc = "filter(function or None, iterable) --> filter object\n"
              "\n"
              "Return an iterator yielding those items of iterable for which function(item)\n"
              "is true. If function is None, return the items that are true.",
    .tp_basicsize = 32,
    .tp_flags = PM_TPFLAGS_HAVE_GC,
    .tp_kind = PMT_FILTER,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_dealloc = filter_dealloc,
    .tp_traverse = filter_traverse,
    .tp_iter = PmObject_SelfIter,
    .tp_iternext = filter_next,
    .tp_new = filter_new,
};

/* ------------------------------------------------------------------ reversed */

typedef struct PmReversed {
    PmObject ob_base;
    Pm_ssize_t index;
    PmObject *seq;             /* NULL when exhausted */
} PmReversed;

static PmObject *not_reversible(PmVM *vm, PmObject *seq)
{
    return PmErr_Format(vm, PME(vm, TypeError), "'%.200s' object is not reversible",
                        Pm_TYPE(seq)->tp_name);
}

/* reversed(seq): seq.__reversed__() if the type has one (None: not reversible), else the
 * sequence protocol from len(seq) - 1 down. */
static PmObject *reversed_new(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    if (pm_no_kwargs(vm, "reversed", kwnames)) return NULL;
    if (pm_check_positional(vm, "reversed", nargs, 1, 1)) return NULL;
    PmObject *seq = args[0];
    PmObject *meth = lookup_special(vm, seq, PMID(vm, __reversed__));
    if (meth == Pm_None(vm)) {
        Pm_DECREF(vm, meth);
        return not_reversible(vm, seq);
    }
    if (meth != NULL) {
        PmObject *res = PmObject_CallNoArgs(vm, meth);
        Pm_DECREF(vm, meth);
        return res;
    }
    if (PmErr_Occurred(vm)) return NULL;
    if (!PmSequence_Check(seq)) return not_reversible(vm, seq);
    Pm_ssize_t n = sequence_size(vm, seq);
    if (n == -1) return NULL;
    PmReversed *ro = (PmReversed *)iter_alloc(vm, type, sizeof(PmReversed), 32);
    if (ro == NULL) return NULL;
    pm_gc_track(vm, (PmObject *)ro);
    ro->index = n - 1;
    ro->seq = Pm_NewRef(seq);
    return (PmObject *)ro;
}

static void reversed_dealloc(PmVM *vm, PmObject *o)
{
    if (pm_gc_is_tracked(o)) pm_gc_untrack(vm, o);
    Pm_XDECREF(vm, ((PmReversed *)o)->seq);
    pm_object_free(vm, o);
}

static int reversed_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    Pm_VISIT(vm, ((PmReversed *)o)->seq);
    return 0;
}

static PmObject *reversed_next(PmVM *vm, PmObject *o)
{
    PmReversed *ro = (PmReversed *)o;
    Pm_ssize_t index = ro->index;
    if (index >= 0) {
        PmObject *item = PmSequence_GetItem(vm, ro->seq, index);
        if (item != NULL) {
            ro->index--;
            return item;
        }
        if (PmErr_ExceptionMatches(vm, PME(vm, IndexError)) ||
            PmErr_ExceptionMatches(vm, PME(vm, StopIteration)))
            PmErr_Clear(vm);
    }
    ro->index = -1;
    Pm_CLEAR(vm, ro->seq);
    return NULL;
}

static PmObject *reversed_len(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmReversed *ro = (PmReversed *)self;
    if (ro->seq == NULL) return PmLong_FromLongLong(vm, 0);
    Pm_ssize_t seqsize = sequence_size(vm, ro->seq);
    if (seqsize == -1) return NULL;
    Pm_ssize_t position = ro->index + 1;
    return PmLong_FromSsize_t(vm, seqsize < position ? 0 : position);
}

static const PmMethodDef reversed_methods[] = {
    {"__length_hint__", reversed_len, PM_METH_NOARGS},
    {NULL, NULL, 0}
};

const PmType PmReversed_Template = {
    .tp_name = "reversed",
    .tp_doc = "reversed(sequence, /)\n"
              "--\n"
              "\n"
              "Return a reverse iterator over the values of the given sequence.",
    .tp_basicsize = 32,
    .tp_flags = PM_TPFLAGS_HAVE_GC,
    .tp_kind = PMT_REVERSED,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_dealloc = reversed_dealloc,
    .tp_traverse = reversed_traverse,
    .tp_iter = PmObject_SelfIter,
    .tp_iternext = reversed_next,
    .tp_methods = reversed_methods,
    .tp_new = reversed_new,
};
