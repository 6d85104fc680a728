/*
 * list.c -- list, list_iterator and list_reverseiterator, as CPython 3.11's
 * Objects/listobject.c.
 *
 * A list is a fixed header (getsizeof 56 with the GC head) plus a separately allocated
 * item array of `allocated` pointers (8 modelled bytes each), of which the first ob_size
 * are in use:
 *
 *     PmList { ob_refcnt ob_type ob_size | ob_item ---> [ item0 item1 ... | spare ] | allocated }
 *
 * Invariants: 0 <= ob_size <= allocated; ob_item == NULL iff allocated == 0 (except while
 * sorting, when the list is emptied and allocated is -1 so that any mutation shows).
 *
 * How much is allocated depends on how the list was built -- the lesson of corpus item 19:
 *   list_resize (append, insert, extend, pop...)  newsize + newsize/8 + 6, rounded down to
 *       a multiple of 4 (0, 4, 8, 16, 24, 32, 40, 52, 64, 76, ...), or just newsize rounded
 *       up to 4 when growing by more than that; shrinks only below half the allocation.
 *   list_preallocate_exact (list(x) with len(x), extending a list that has no item array
 *       by a list/tuple or by an iterator's length hint, [1, 2, 3] literals via
 *       LIST_EXTEND): exactly n rounded up to even.
 *   list_new_prealloc (slices, +, *, copy): exactly n.
 *
 * A free list (vm->list_free, 80 entries) keeps freed exact lists' headers (not their item
 * arrays) for PmList_New, i.e. for list displays and comprehensions; list(x) (tp_new =
 * PyType_GenericNew) always allocates.  Deallocation releases the items last-to-first.
 */
#include "pm.h"
#include "trace/pm_trace.h"

enum { MODEL_LIST = 40 };   /* sizeof(PyListObject) */

static PmObject **items_realloc(PmVM *vm, PmObject **items, size_t n)
{
    return pm_mem_realloc(vm, items, n * sizeof(PmObject *), n * PM_MODEL_PTR);
}

static PmObject **items_alloc(PmVM *vm, Pm_ssize_t n)
{
    if ((uint64_t)n > (SIZE_MAX / 2) / PM_MODEL_PTR) { PmErr_NoMemory(vm); return NULL; }
    return pm_mem_alloc(vm, (size_t)n * sizeof(PmObject *), (size_t)n * PM_MODEL_PTR);
}

/* Ensure room for newsize items and set ob_size (new slots are garbage). */
static int list_resize(PmVM *vm, PmList *self, Pm_ssize_t newsize)
{
    Pm_ssize_t allocated = self->allocated;
    if (allocated >= newsize && newsize >= (allocated >> 1)) {
        Pm_SIZE(self) = newsize;
        return 0;
    }
    /* past what the address space can hold (wasm32): before size_t arithmetic truncates it */
    if ((uint64_t)newsize > (SIZE_MAX / 2) / PM_MODEL_PTR) { PmErr_NoMemory(vm); return -1; }
    size_t new_allocated = ((size_t)newsize + ((size_t)newsize >> 3) + 6) & ~(size_t)3;
    /* do not overallocate if the new size is closer to that than to the old size */
    if (newsize - Pm_SIZE(self) > (Pm_ssize_t)(new_allocated - (size_t)newsize))
        new_allocated = ((size_t)newsize + 3) & ~(size_t)3;
    if (newsize == 0) new_allocated = 0;
    if (new_allocated > (SIZE_MAX / 2) / PM_MODEL_PTR) { PmErr_NoMemory(vm); return -1; }
    PmObject **items = items_realloc(vm, self->ob_item, new_allocated);
    if (items == NULL) return -1;
    self->ob_item = items;
    Pm_SIZE(self) = newsize;
    self->allocated = (Pm_ssize_t)new_allocated;
    return 0;
}

static int list_preallocate_exact(PmVM *vm, PmList *self, Pm_ssize_t size)
{
    if (size >= PM_SSIZE_MAX) { PmErr_NoMemory(vm); return -1; }   /* CPython's PyMem_New check */
    size = (size + 1) & ~(Pm_ssize_t)1;
    PmObject **items = items_alloc(vm, size);
    if (items == NULL) return -1;
    self->ob_item = items;
    self->allocated = size;
    return 0;
}

/* ------------------------------------------------------------------ constructors */

PmObject *PmList_New(PmVM *vm, Pm_ssize_t size)
{
    PmList *op;
    if (vm->list_numfree > 0) {
        op = (PmList *)vm->list_free[--vm->list_numfree];
        Pm_REFCNT(op) = 1;
        pm_tracemalloc_new_reference(vm, op);   /* CPython's _Py_NewReference */
        if (PM_UNLIKELY(vm->trace != NULL)) pm_trace_alloc(vm, (PmObject *)op, true);
    } else {
        op = (PmList *)pm_object_alloc(vm, PMT(vm, LIST), sizeof(PmList),
                                       PM_MODEL_GC_HEAD + MODEL_LIST);
        if (op == NULL) return NULL;
    }
    op->ob_item = NULL;
    if (size > 0) {
        op->ob_item = items_alloc(vm, size);
        if (op->ob_item == NULL) {
            Pm_SIZE(op) = 0;
            op->allocated = 0;
            Pm_DECREF(vm, (PmObject *)op);
            return NULL;
        }
        memset(op->ob_item, 0, (size_t)size * sizeof(PmObject *));
    }
    Pm_SIZE(op) = size > 0 ? size : 0;
    op->allocated = size > 0 ? size : 0;
    pm_gc_track(vm, (PmObject *)op);
    return (PmObject *)op;
}

/* An empty list with room for exactly `size` (> 0) items; the caller fills and sizes it. */
static PmList *list_new_prealloc(PmVM *vm, Pm_ssize_t size)
{
    PmList *op = (PmList *)PmList_New(vm, 0);
    if (op == NULL) return NULL;
    op->ob_item = items_alloc(vm, size);
    if (op->ob_item == NULL) {
        Pm_DECREF(vm, (PmObject *)op);
        return NULL;
    }
    op->allocated = size;
    return op;
}

static PmObject *list_slice(PmVM *vm, PmList *a, Pm_ssize_t ilow, Pm_ssize_t ihigh)
{
    Pm_ssize_t len = ihigh - ilow;
    if (len <= 0) return PmList_New(vm, 0);
    PmList *np = list_new_prealloc(vm, len);
    if (np == NULL) return NULL;
    for (Pm_ssize_t i = 0; i < len; i++) np->ob_item[i] = Pm_NewRef(a->ob_item[ilow + i]);
    Pm_SIZE(np) = len;
    return (PmObject *)np;
}

PmObject *PmList_GetSlice(PmVM *vm, PmObject *a, Pm_ssize_t ilow, Pm_ssize_t ihigh)
{
    Pm_ssize_t n = Pm_SIZE(a);
    if (ilow < 0) ilow = 0;
    else if (ilow > n) ilow = n;
    if (ihigh < ilow) ihigh = ilow;
    else if (ihigh > n) ihigh = n;
    return list_slice(vm, (PmList *)a, ilow, ihigh);
}

PmObject *PmList_AsTuple(PmVM *vm, PmObject *list)
{
    return PmTuple_FromArray(vm, ((PmList *)list)->ob_item, Pm_SIZE(list));
}

/* ------------------------------------------------------------------ dealloc, traverse, clear */

/* The trashcan only when called as the object's own tp_dealloc (CPython's
 * Py_TRASHCAN_BEGIN(op, list_dealloc)): a subclass instance's dealloc already has one. */
static void list_dealloc(PmVM *vm, PmObject *o)
{
    PmList *op = (PmList *)o;
    bool trash = Pm_TYPE(o)->tp_dealloc == list_dealloc;
    if (pm_gc_is_tracked(o)) pm_gc_untrack(vm, o);
    if (trash && !pm_trash_begin(vm, o)) return;
    if (op->ob_item != NULL) {
        Pm_ssize_t i = Pm_SIZE(op);
        while (--i >= 0) Pm_XDECREF(vm, op->ob_item[i]);
        pm_mem_free(vm, op->ob_item);
    }
    if (vm->list_numfree < PM_LIST_MAXFREELIST && Pm_IS_TYPE(vm, o, LIST))
        vm->list_free[vm->list_numfree++] = o;
    else
        pm_object_free(vm, o);
    if (trash) pm_trash_end(vm);
}

void PmList_ClearFreeList(PmVM *vm)
{
    while (vm->list_numfree > 0) pm_object_free(vm, vm->list_free[--vm->list_numfree]);
}

static int list_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    for (Pm_ssize_t i = Pm_SIZE(o); --i >= 0;) Pm_VISIT(vm, PmList_GET_ITEM(o, i));
    return 0;
}

/* Empty the list first (a decref may run code that looks at it), then release the items
 * last-to-first.  Never fails. */
static int list_clear_items(PmVM *vm, PmObject *o)
{
    PmList *a = (PmList *)o;
    PmObject **item = a->ob_item;
    if (item != NULL) {
        Pm_ssize_t i = Pm_SIZE(a);
        Pm_SIZE(a) = 0;
        a->ob_item = NULL;
        a->allocated = 0;
        while (--i >= 0) Pm_XDECREF(vm, item[i]);
        pm_mem_free(vm, item);
    }
    return 0;
}

/* ------------------------------------------------------------------ repr */

/* Growable array of owned str objects, joined into "[a, b]" / "(a,)". */
typedef struct Parts {
    PmObject **v;
    Pm_ssize_t n, cap;
} Parts;

static int parts_add(PmVM *vm, Parts *p, PmObject *s)
{
    if (p->n == p->cap) {
        Pm_ssize_t cap = p->cap ? p->cap * 2 : 8;
        PmObject **v = pm_mem_realloc(vm, p->v, (size_t)cap * sizeof(PmObject *),
                                      (size_t)cap * PM_MODEL_PTR);
        if (v == NULL) { Pm_DECREF(vm, s); return -1; }
        p->v = v;
        p->cap = cap;
    }
    p->v[p->n++] = s;
    return 0;
}

static void parts_free(PmVM *vm, Parts *p)
{
    for (Pm_ssize_t i = 0; i < p->n; i++) Pm_DECREF(vm, p->v[i]);
    pm_mem_free(vm, p->v);
}

static PmObject *parts_join(PmVM *vm, Parts *p, char open, char close, bool comma)
{
    size_t total = 2 + (p->n > 1 ? 2 * (size_t)(p->n - 1) : 0) + (comma ? 1 : 0);
    for (Pm_ssize_t i = 0; i < p->n; i++) total += (size_t)PmStr_GET_LENGTH(p->v[i]);
    uint32_t *buf = pm_mem_alloc(vm, total * sizeof(uint32_t), total);
    if (buf == NULL) return NULL;
    size_t k = 0;
    buf[k++] = (uint8_t)open;
    for (Pm_ssize_t i = 0; i < p->n; i++) {
        if (i > 0) { buf[k++] = ','; buf[k++] = ' '; }
        PmObject *s = p->v[i];
        for (Pm_ssize_t j = 0; j < PmStr_GET_LENGTH(s); j++) buf[k++] = PmStr_READ(s, j);
    }
    if (comma) buf[k++] = ',';
    buf[k++] = (uint8_t)close;
    PmObject *r = PmStr_FromCodepoints(vm, buf, (Pm_ssize_t)k);
    pm_mem_free(vm, buf);
    return r;
}

PmObject *pm_repr_items(PmVM *vm, char open, PmObject *const *items, Pm_ssize_t n, char close)
{
    Parts p = {NULL, 0, 0};
    PmObject *r = NULL;
    for (Pm_ssize_t i = 0; i < n; i++) {
        PmObject *s = PmObject_Repr(vm, items[i]);
        if (s == NULL || parts_add(vm, &p, s) < 0) goto done;
    }
    r = parts_join(vm, &p, open, close, open == '(' && n == 1);
done:
    parts_free(vm, &p);
    return r;
}

static PmObject *list_repr(PmVM *vm, PmObject *o)
{
    if (Pm_SIZE(o) == 0) return PmStr_FromString(vm, "[]");
    int rc = pm_repr_enter(vm, o);
    if (rc != 0) return rc > 0 ? PmStr_FromString(vm, "[...]") : NULL;
    Parts p = {NULL, 0, 0};
    PmObject *r = NULL;
    /* an item's repr may mutate the list: refetch the size each time */
    for (Pm_ssize_t i = 0; i < Pm_SIZE(o); i++) {
        PmObject *s = PmObject_Repr(vm, PmList_GET_ITEM(o, i));
        if (s == NULL || parts_add(vm, &p, s) < 0) goto done;
    }
    r = parts_join(vm, &p, '[', ']', false);
done:
    parts_free(vm, &p);
    pm_repr_leave(vm, o);
    return r;
}

/* ------------------------------------------------------------------ compare */

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

static PmObject *list_richcompare(PmVM *vm, PmObject *v, PmObject *w, int op)
{
    if (!PmList_Check(v) || !PmList_Check(w)) return Pm_NewRef(Pm_NotImplemented(vm));
    if (Pm_SIZE(v) != Pm_SIZE(w) && (op == Pm_EQ || op == Pm_NE))
        return Pm_Bool(vm, op == Pm_NE);
    Pm_ssize_t i;
    for (i = 0; i < Pm_SIZE(v) && i < Pm_SIZE(w); i++) {
        PmObject *vi = PmList_GET_ITEM(v, i), *wi = PmList_GET_ITEM(w, i);
        if (vi == wi) continue;
        Pm_INCREF(vi);
        Pm_INCREF(wi);
        int k = PmObject_RichCompareBool(vm, vi, wi, Pm_EQ);
        Pm_DECREF(vm, vi);
        Pm_DECREF(vm, wi);
        if (k < 0) return NULL;
        if (!k) break;
    }
    if (i >= Pm_SIZE(v) || i >= Pm_SIZE(w)) return compare_sizes(vm, Pm_SIZE(v), Pm_SIZE(w), op);
    if (op == Pm_EQ) return Pm_Bool(vm, 0);
    if (op == Pm_NE) return Pm_Bool(vm, 1);
    PmObject *vi = Pm_NewRef(PmList_GET_ITEM(v, i)), *wi = Pm_NewRef(PmList_GET_ITEM(w, i));
    PmObject *r = PmObject_RichCompare(vm, vi, wi, op);
    Pm_DECREF(vm, vi);
    Pm_DECREF(vm, wi);
    return r;
}

/* ------------------------------------------------------------------ growing: append, insert, extend */

static int append_steal(PmVM *vm, PmList *self, PmObject *item)
{
    Pm_ssize_t len = Pm_SIZE(self);
    if (self->allocated > len) {
        self->ob_item[len] = item;
        Pm_SIZE(self) = len + 1;
        return 0;
    }
    if (list_resize(vm, self, len + 1) < 0) {
        Pm_DECREF(vm, item);
        return -1;
    }
    self->ob_item[len] = item;
    return 0;
}

int PmList_Append(PmVM *vm, PmObject *list, PmObject *item)
{
    return append_steal(vm, (PmList *)list, Pm_NewRef(item));
}

static int ins1(PmVM *vm, PmList *self, Pm_ssize_t where, PmObject *v)
{
    Pm_ssize_t n = Pm_SIZE(self);
    if (list_resize(vm, self, n + 1) < 0) return -1;
    if (where < 0) {
        where += n;
        if (where < 0) where = 0;
    }
    if (where > n) where = n;
    PmObject **items = self->ob_item;
    for (Pm_ssize_t i = n; --i >= where;) items[i + 1] = items[i];
    items[where] = Pm_NewRef(v);
    return 0;
}

int PmList_Insert(PmVM *vm, PmObject *list, Pm_ssize_t where, PmObject *item)
{
    return ins1(vm, (PmList *)list, where, item);
}

/* CPython's PySequence_Fast: the list or tuple itself, or a new list of the items. */
static PmObject *seq_fast(PmVM *vm, PmObject *v, const char *msg)
{
    if (Pm_IS_TYPE(vm, v, LIST) || Pm_IS_TYPE(vm, v, TUPLE)) return Pm_NewRef(v);
    PmObject *it = PmObject_GetIter(vm, v);
    if (it == NULL) {
        if (PmErr_ExceptionMatches(vm, PME(vm, TypeError))) {
            PmErr_Clear(vm);
            PmErr_SetString(vm, PME(vm, TypeError), msg);
        }
        return NULL;
    }
    PmObject *r = PmSequence_List(vm, it);
    Pm_DECREF(vm, it);
    return r;
}

static PmObject **fast_items(PmObject *seq)
{
    return Pm_KIND(seq) == PMT_LIST ? ((PmList *)seq)->ob_item : ((PmTuple *)seq)->ob_item;
}

/* list_extend for a list or tuple argument (or the list itself). */
static int extend_fast(PmVM *vm, PmList *self, PmObject *iterable)
{
    PmObject *seq = seq_fast(vm, iterable, "argument must be iterable");
    if (seq == NULL) return -1;
    Pm_ssize_t n = Pm_SIZE(seq), m = Pm_SIZE(self);
    if (n == 0) { Pm_DECREF(vm, seq); return 0; }
    if (self->ob_item == NULL) {
        if (list_preallocate_exact(vm, self, n) < 0) { Pm_DECREF(vm, seq); return -1; }
        Pm_SIZE(self) = n;
    } else if (list_resize(vm, self, m + n) < 0) {
        Pm_DECREF(vm, seq);
        return -1;
    }
    /* resize first: seq may be self (a.extend(a)) */
    PmObject **src = fast_items(seq), **dest = self->ob_item + m;
    for (Pm_ssize_t i = 0; i < n; i++) dest[i] = Pm_NewRef(src[i]);
    Pm_DECREF(vm, seq);
    return 0;
}

/* list_extend for any other iterable: presize from the length hint (8 by default) --
 * exactly (rounded up to even) when the list has no item array yet, else by list_resize
 * -- then cut back if the guess was too large. */
static int extend_iter(PmVM *vm, PmList *self, PmObject *iterable)
{
    PmObject *it = PmObject_GetIter(vm, iterable);
    if (it == NULL) return -1;
    pm_iternextfunc iternext = Pm_TYPE(it)->tp_iternext;
    Pm_ssize_t n = PmObject_LengthHint(vm, iterable, 8);
    if (n < 0) goto error;
    Pm_ssize_t m = Pm_SIZE(self);
    if (m > PM_SSIZE_MAX - n) {
        /* m + n overflows: the hint lied or we run out of memory in the loop */
    } else if (self->ob_item == NULL) {
        if (n && list_preallocate_exact(vm, self, n) < 0) goto error;
    } else {
        if (list_resize(vm, self, m + n) < 0) goto error;
        Pm_SIZE(self) = m;
    }
    for (;;) {
        PmObject *item = iternext(vm, it);
        if (item == NULL) {
            if (PmErr_Occurred(vm)) {
                if (!PmErr_ExceptionMatches(vm, PME(vm, StopIteration))) goto error;
                PmErr_Clear(vm);
            }
            break;
        }
        if (append_steal(vm, self, item) < 0) goto error;
    }
    if (Pm_SIZE(self) < self->allocated && list_resize(vm, self, Pm_SIZE(self)) < 0)
        goto error;
    Pm_DECREF(vm, it);
    return 0;
error:
    Pm_DECREF(vm, it);
    return -1;
}

int PmList_Extend(PmVM *vm, PmObject *list, PmObject *iterable)
{
    PmList *self = (PmList *)list;
    if (Pm_IS_TYPE(vm, iterable, LIST) || Pm_IS_TYPE(vm, iterable, TUPLE) || iterable == list)
        return extend_fast(vm, self, iterable);
    return extend_iter(vm, self, iterable);
}

/* CPython's PySequence_List: a new list (from PmList_New, so the free list) extended. */
PmObject *PmSequence_List(PmVM *vm, PmObject *v)
{
    PmObject *result = PmList_New(vm, 0);
    if (result == NULL) return NULL;
    if (PmList_Extend(vm, result, v) < 0) {
        Pm_DECREF(vm, result);
        return NULL;
    }
    return result;
}

/* ------------------------------------------------------------------ slice assignment */

/* list[ilow:ihigh] = v (v NULL deletes).  Removed items are released last-to-first only
 * once the list is consistent again, since a decref may run code that looks at it. */
static int list_ass_slice(PmVM *vm, PmList *a, Pm_ssize_t ilow, Pm_ssize_t ihigh, PmObject *v)
{
    PmObject *recycle_on_stack[8];
    PmObject **recycle = recycle_on_stack, **vitem = NULL, *v_as_sf = NULL;
    Pm_ssize_t n = 0;
    int result = -1;
    if (v != NULL) {
        if (v == (PmObject *)a) {   /* a[i:j] = a: copy first */
            PmObject *copy = list_slice(vm, a, 0, Pm_SIZE(a));
            if (copy == NULL) return -1;
            result = list_ass_slice(vm, a, ilow, ihigh, copy);
            Pm_DECREF(vm, copy);
            return result;
        }
        v_as_sf = seq_fast(vm, v, "can only assign an iterable");
        if (v_as_sf == NULL) return -1;
        n = Pm_SIZE(v_as_sf);
        vitem = fast_items(v_as_sf);
    }
    if (ilow < 0) ilow = 0;
    else if (ilow > Pm_SIZE(a)) ilow = Pm_SIZE(a);
    if (ihigh < ilow) ihigh = ilow;
    else if (ihigh > Pm_SIZE(a)) ihigh = Pm_SIZE(a);
    Pm_ssize_t norig = ihigh - ilow, d = n - norig;
    if (Pm_SIZE(a) + d == 0) {
        Pm_XDECREF(vm, v_as_sf);
        return list_clear_items(vm, (PmObject *)a);
    }
    PmObject **item = a->ob_item;
    size_t s = (size_t)norig * sizeof(PmObject *);
    if (s) {
        if (s > sizeof(recycle_on_stack)) {
            recycle = pm_mem_alloc(vm, s, (size_t)norig * PM_MODEL_PTR);
            if (recycle == NULL) goto error;
        }
        memcpy(recycle, &item[ilow], s);
    }
    if (d < 0) {   /* delete -d items */
        size_t tail = (size_t)(Pm_SIZE(a) - ihigh) * sizeof(PmObject *);
        memmove(&item[ihigh + d], &item[ihigh], tail);
        if (list_resize(vm, a, Pm_SIZE(a) + d) < 0) {
            memmove(&item[ihigh], &item[ihigh + d], tail);
            memcpy(&item[ilow], recycle, s);
            goto error;
        }
        item = a->ob_item;
    } else if (d > 0) {   /* insert d items */
        Pm_ssize_t k = Pm_SIZE(a);
        if (list_resize(vm, a, k + d) < 0) goto error;
        item = a->ob_item;
        memmove(&item[ihigh + d], &item[ihigh], (size_t)(k - ihigh) * sizeof(PmObject *));
    }
    for (Pm_ssize_t k = 0; k < n; k++, ilow++) item[ilow] = Pm_XNewRef(vitem[k]);
    for (Pm_ssize_t k = norig - 1; k >= 0; --k) Pm_XDECREF(vm, recycle[k]);
    result = 0;
error:
    if (recycle != recycle_on_stack) pm_mem_free(vm, recycle);
    Pm_XDECREF(vm, v_as_sf);
    return result;
}

int PmList_SetSlice(PmVM *vm, PmObject *list, Pm_ssize_t lo, Pm_ssize_t hi, PmObject *v)
{
    return list_ass_slice(vm, (PmList *)list, lo, hi, v);
}

/* ------------------------------------------------------------------ sequence operations */

static Pm_ssize_t list_length(PmVM *vm, PmObject *o)
{
    (void)vm;
    return Pm_SIZE(o);
}

static int list_contains(PmVM *vm, PmObject *a, PmObject *el)
{
    int cmp = 0;
    for (Pm_ssize_t i = 0; cmp == 0 && i < Pm_SIZE(a); i++) {
        PmObject *item = Pm_NewRef(PmList_GET_ITEM(a, i));
        cmp = PmObject_RichCompareBool(vm, item, el, Pm_EQ);
        Pm_DECREF(vm, item);
    }
    return cmp;
}

static PmObject *list_item(PmVM *vm, PmObject *a, Pm_ssize_t i)
{
    if ((uint64_t)i >= (uint64_t)Pm_SIZE(a)) {
        PmErr_SetString(vm, PME(vm, IndexError), "list index out of range");
        return NULL;
    }
    return Pm_NewRef(PmList_GET_ITEM(a, i));
}

static PmObject *list_concat(PmVM *vm, PmObject *a, PmObject *bb)
{
    if (!PmList_Check(bb)) {
        return PmErr_Format(vm, PME(vm, TypeError),
                            "can only concatenate list (not \"%.200s\") to list",
                            Pm_TYPE(bb)->tp_name);
    }
    Pm_ssize_t na = Pm_SIZE(a), nb = Pm_SIZE(bb), size = na + nb;
    if (size == 0) return PmList_New(vm, 0);
    PmList *np = list_new_prealloc(vm, size);
    if (np == NULL) return NULL;
    for (Pm_ssize_t i = 0; i < na; i++) np->ob_item[i] = Pm_NewRef(PmList_GET_ITEM(a, i));
    for (Pm_ssize_t i = 0; i < nb; i++) np->ob_item[na + i] = Pm_NewRef(PmList_GET_ITEM(bb, i));
    Pm_SIZE(np) = size;
    return (PmObject *)np;
}

static PmObject *list_repeat(PmVM *vm, PmObject *a, Pm_ssize_t n)
{
    Pm_ssize_t len = Pm_SIZE(a);
    if (n < 0) n = 0;
    if (n > 0 && len > PM_SSIZE_MAX / n) return PmErr_NoMemory(vm);
    Pm_ssize_t size = len * n;
    if (size == 0) return PmList_New(vm, 0);
    PmList *np = list_new_prealloc(vm, size);
    if (np == NULL) return NULL;
    PmObject **src = ((PmList *)a)->ob_item, **dest = np->ob_item;
    for (Pm_ssize_t i = 0; i < len; i++) Pm_REFCNT(src[i]) += n;
    for (Pm_ssize_t k = 0; k < size; k++) dest[k] = src[k % len];
    Pm_SIZE(np) = size;
    return (PmObject *)np;
}

static PmObject *list_inplace_concat(PmVM *vm, PmObject *self, PmObject *other)
{
    if (PmList_Extend(vm, self, other) < 0) return NULL;
    return Pm_NewRef(self);
}

static PmObject *list_inplace_repeat(PmVM *vm, PmObject *o, Pm_ssize_t n)
{
    PmList *self = (PmList *)o;
    Pm_ssize_t input_size = Pm_SIZE(self);
    if (input_size == 0 || n == 1) return Pm_NewRef(o);
    if (n < 1) {
        list_clear_items(vm, o);
        return Pm_NewRef(o);
    }
    if (input_size > PM_SSIZE_MAX / n) return PmErr_NoMemory(vm);
    Pm_ssize_t output_size = input_size * n;
    if (list_resize(vm, self, output_size) < 0) return NULL;
    PmObject **items = self->ob_item;
    for (Pm_ssize_t j = 0; j < input_size; j++) Pm_REFCNT(items[j]) += n - 1;
    for (Pm_ssize_t k = input_size; k < output_size; k++) items[k] = items[k % input_size];
    return Pm_NewRef(o);
}

/* ------------------------------------------------------------------ subscripts */

static PmObject *list_subscript(PmVM *vm, PmObject *self, PmObject *item)
{
    if (PmIndex_Check(item)) {
        Pm_ssize_t i = PmNumber_AsSsize_t(vm, item, PME(vm, IndexError));
        if (i == -1 && PmErr_Occurred(vm)) return NULL;
        if (i < 0) i += Pm_SIZE(self);
        return list_item(vm, self, i);
    }
    if (!PmSlice_Check(item)) {
        return PmErr_Format(vm, PME(vm, TypeError),
                            "list indices must be integers or slices, not %.200s",
                            Pm_TYPE(item)->tp_name);
    }
    Pm_ssize_t start, stop, step;
    if (PmSlice_Unpack(vm, item, &start, &stop, &step) < 0) return NULL;
    Pm_ssize_t n = PmSlice_AdjustIndices(Pm_SIZE(self), &start, &stop, step);
    if (n <= 0) return PmList_New(vm, 0);
    if (step == 1) return list_slice(vm, (PmList *)self, start, stop);
    PmList *result = list_new_prealloc(vm, n);
    if (result == NULL) return NULL;
    size_t cur = (size_t)start;
    for (Pm_ssize_t i = 0; i < n; i++, cur += (size_t)step)
        result->ob_item[i] = Pm_NewRef(PmList_GET_ITEM(self, cur));
    Pm_SIZE(result) = n;
    return (PmObject *)result;
}

static int list_ass_item(PmVM *vm, PmList *a, Pm_ssize_t i, PmObject *v)
{
    if ((uint64_t)i >= (uint64_t)Pm_SIZE(a)) {
        PmErr_SetString(vm, PME(vm, IndexError), "list assignment index out of range");
        return -1;
    }
    if (v == NULL) return list_ass_slice(vm, a, i, i + 1, NULL);
    Pm_SETREF(vm, a->ob_item[i], Pm_NewRef(v));
    return 0;
}

/* del a[start:stop:step] for step != 1 (slicelength > 0). */
static int del_extended(PmVM *vm, PmList *self, Pm_ssize_t start, Pm_ssize_t stop,
                        Pm_ssize_t step, Pm_ssize_t slicelength)
{
    if (step < 0) {
        stop = start + 1;
        start = stop + step * (slicelength - 1) - 1;
        step = -step;
    }
    PmObject **garbage = pm_mem_alloc(vm, (size_t)slicelength * sizeof(PmObject *),
                                      (size_t)slicelength * PM_MODEL_PTR);
    if (garbage == NULL) return -1;
    size_t cur;
    Pm_ssize_t i;
    /* move the items not in the slice down: step-1 after each removed one, then the tail */
    for (cur = (size_t)start, i = 0; cur < (size_t)stop; cur += (size_t)step, i++) {
        Pm_ssize_t lim = step - 1;
        garbage[i] = PmList_GET_ITEM(self, cur);
        if (cur + (size_t)step >= (size_t)Pm_SIZE(self)) lim = Pm_SIZE(self) - (Pm_ssize_t)cur - 1;
        memmove(self->ob_item + cur - i, self->ob_item + cur + 1, (size_t)lim * sizeof(PmObject *));
    }
    cur = (size_t)start + (size_t)slicelength * (size_t)step;
    if (cur < (size_t)Pm_SIZE(self)) {
        memmove(self->ob_item + cur - slicelength, self->ob_item + cur,
                ((size_t)Pm_SIZE(self) - cur) * sizeof(PmObject *));
    }
    Pm_SIZE(self) -= slicelength;
    int res = list_resize(vm, self, Pm_SIZE(self));
    for (i = 0; i < slicelength; i++) Pm_DECREF(vm, garbage[i]);
    pm_mem_free(vm, garbage);
    return res;
}

/* a[start:stop:step] = value for step != 1: same length required. */
static int assign_extended(PmVM *vm, PmList *self, PmObject *value, Pm_ssize_t start,
                           Pm_ssize_t step, Pm_ssize_t slicelength)
{
    PmObject *seq = value == (PmObject *)self
                        ? list_slice(vm, self, 0, Pm_SIZE(self))   /* a[::-1] = a */
                        : seq_fast(vm, value, "must assign iterable to extended slice");
    if (seq == NULL) return -1;
    if (Pm_SIZE(seq) != slicelength) {
        PmErr_Format(vm, PME(vm, ValueError),
                     "attempt to assign sequence of size %zd to extended slice of size %zd",
                     Pm_SIZE(seq), slicelength);
        Pm_DECREF(vm, seq);
        return -1;
    }
    if (slicelength == 0) { Pm_DECREF(vm, seq); return 0; }
    PmObject **garbage = pm_mem_alloc(vm, (size_t)slicelength * sizeof(PmObject *),
                                      (size_t)slicelength * PM_MODEL_PTR);
    if (garbage == NULL) { Pm_DECREF(vm, seq); return -1; }
    PmObject **selfitems = self->ob_item, **seqitems = fast_items(seq);
    size_t cur = (size_t)start;
    for (Pm_ssize_t i = 0; i < slicelength; i++, cur += (size_t)step) {
        garbage[i] = selfitems[cur];
        selfitems[cur] = Pm_NewRef(seqitems[i]);
    }
    for (Pm_ssize_t i = 0; i < slicelength; i++) Pm_DECREF(vm, garbage[i]);
    pm_mem_free(vm, garbage);
    Pm_DECREF(vm, seq);
    return 0;
}

static int list_ass_subscript(PmVM *vm, PmObject *o, PmObject *item, PmObject *value)
{
    PmList *self = (PmList *)o;
    if (PmIndex_Check(item)) {
        Pm_ssize_t i = PmNumber_AsSsize_t(vm, item, PME(vm, IndexError));
        if (i == -1 && PmErr_Occurred(vm)) return -1;
        if (i < 0) i += Pm_SIZE(self);
        return list_ass_item(vm, self, i, value);
    }
    if (!PmSlice_Check(item)) {
        PmErr_Format(vm, PME(vm, TypeError), "list indices must be integers or slices, not %.200s",
                     Pm_TYPE(item)->tp_name);
        return -1;
    }
    Pm_ssize_t start, stop, step;
    if (PmSlice_Unpack(vm, item, &start, &stop, &step) < 0) return -1;
    Pm_ssize_t slicelength = PmSlice_AdjustIndices(Pm_SIZE(self), &start, &stop, step);
    if (step == 1) return list_ass_slice(vm, self, start, stop, value);
    /* s[5:2] = [..] inserts before 5, not before 2 */
    if ((step < 0 && start < stop) || (step > 0 && start > stop)) stop = start;
    if (value == NULL) {
        if (slicelength <= 0) return 0;
        return del_extended(vm, self, start, stop, step, slicelength);
    }
    return assign_extended(vm, self, value, start, step, slicelength);
}

/* ------------------------------------------------------------------ sort */

/*
 * CPython's list.sort is timsort.  This keeps the parts that decide which comparisons a
 * small list sees (count_run, binary insertion up to minrun -- the whole sort for fewer
 * than 64 items) and the powersort merge policy, but merges runs with a plain stable
 * merge (no galloping), so for 64+ items the sequence of `<` calls differs from CPython's
 * while the result is the same.  Only `<` is used, and a stable sort results.
 */
typedef struct SortRun {
    Pm_ssize_t base, len;
    int power;
} SortRun;

typedef struct SortState {
    PmVM *vm;
    PmObject **keys;          /* compared */
    PmObject **values;        /* moved alongside the keys, or NULL */
    Pm_ssize_t listlen;
    int nruns;
    SortRun run[85];
    PmObject **tmp;           /* merge buffer: keys then values */
    Pm_ssize_t tmpcap;
} SortState;

static int islt(SortState *ms, PmObject *a, PmObject *b)
{
    return PmObject_RichCompareBool(ms->vm, a, b, Pm_LT);
}

static void reverse_ptrs(PmObject **lo, PmObject **hi)
{
    if (hi - lo < 2) return;   /* also keeps --hi off a NULL array */
    for (--hi; lo < hi; lo++, hi--) {
        PmObject *t = *lo;
        *lo = *hi;
        *hi = t;
    }
}

/* Length of the run at lo (strictly descending runs are reported for reversal). */
static Pm_ssize_t count_run(SortState *ms, Pm_ssize_t lo, Pm_ssize_t hi, bool *descending)
{
    PmObject **k = ms->keys;
    *descending = false;
    if (lo + 1 == hi) return 1;
    Pm_ssize_t n = 2;
    int c = islt(ms, k[lo + 1], k[lo]);
    if (c < 0) return -1;
    *descending = c;
    for (Pm_ssize_t i = lo + 2; i < hi; i++, n++) {
        c = islt(ms, k[i], k[i - 1]);
        if (c < 0) return -1;
        if (c != *descending) break;
    }
    return n;
}

/* [lo, start) is sorted: insert each of [start, hi) after the items not greater than it. */
static int binarysort(SortState *ms, Pm_ssize_t lo, Pm_ssize_t hi, Pm_ssize_t start)
{
    PmObject **k = ms->keys, **v = ms->values;
    if (lo == start) start++;
    for (; start < hi; start++) {
        Pm_ssize_t l = lo, r = start;
        PmObject *pivot = k[start];
        do {
            Pm_ssize_t p = l + ((r - l) >> 1);
            int c = islt(ms, pivot, k[p]);
            if (c < 0) return -1;
            if (c) r = p;
            else l = p + 1;
        } while (l < r);
        memmove(&k[l + 1], &k[l], (size_t)(start - l) * sizeof(PmObject *));
        k[l] = pivot;
        if (v) {
            PmObject *pv = v[start];
            memmove(&v[l + 1], &v[l], (size_t)(start - l) * sizeof(PmObject *));
            v[l] = pv;
        }
    }
    return 0;
}

static Pm_ssize_t compute_minrun(Pm_ssize_t n)
{
    Pm_ssize_t r = 0;
    while (n >= 64) {
        r |= n & 1;
        n >>= 1;
    }
    return n + r;
}

/* Merge the adjacent runs [a, a+na) and [a+na, a+na+nb).  On error every item is still
 * present (the rest of run a is copied back). */
static int merge_runs(SortState *ms, Pm_ssize_t a, Pm_ssize_t na, Pm_ssize_t nb)
{
    if (ms->tmpcap < 2 * na) {
        PmObject **t = pm_mem_realloc(ms->vm, ms->tmp, 2 * (size_t)na * sizeof(PmObject *),
                                      2 * (size_t)na * PM_MODEL_PTR);
        if (t == NULL) return -1;
        ms->tmp = t;
        ms->tmpcap = 2 * na;
    }
    PmObject **k = ms->keys, **v = ms->values, **tk = ms->tmp, **tv = ms->tmp + na;
    memcpy(tk, k + a, (size_t)na * sizeof(PmObject *));
    if (v) memcpy(tv, v + a, (size_t)na * sizeof(PmObject *));
    Pm_ssize_t i = 0, j = a + na, end = a + na + nb, d = a;
    int err = 0;
    while (i < na && j < end) {
        int c = islt(ms, k[j], tk[i]);
        if (c < 0) { err = -1; break; }
        if (c) {
            k[d] = k[j];
            if (v) v[d] = v[j];
            j++;
        } else {
            k[d] = tk[i];
            if (v) v[d] = tv[i];
            i++;
        }
        d++;
    }
    memcpy(k + d, tk + i, (size_t)(na - i) * sizeof(PmObject *));
    if (v) memcpy(v + d, tv + i, (size_t)(na - i) * sizeof(PmObject *));
    return err;
}

static int merge_at(SortState *ms, int i)
{
    Pm_ssize_t a = ms->run[i].base, na = ms->run[i].len, nb = ms->run[i + 1].len;
    ms->run[i].len = na + nb;
    if (i == ms->nruns - 3) ms->run[i + 1] = ms->run[i + 2];
    ms->nruns--;
    return merge_runs(ms, a, na, nb);
}

/* Powersort's node power of the boundary between runs (s1, n1) and (s1 + n1, n2). */
static int powerloop(Pm_ssize_t s1, Pm_ssize_t n1, Pm_ssize_t n2, Pm_ssize_t n)
{
    int result = 0;
    Pm_ssize_t a = 2 * s1 + n1, b = a + n1 + n2;
    for (;;) {
        ++result;
        if (a >= n) {
            a -= n;
            b -= n;
        } else if (b >= n) {
            break;
        }
        a <<= 1;
        b <<= 1;
    }
    return result;
}

static int found_new_run(SortState *ms, Pm_ssize_t n2)
{
    if (ms->nruns == 0) return 0;
    SortRun *p = ms->run;
    int power = powerloop(p[ms->nruns - 1].base, p[ms->nruns - 1].len, n2, ms->listlen);
    while (ms->nruns > 1 && p[ms->nruns - 2].power > power)
        if (merge_at(ms, ms->nruns - 2) < 0) return -1;
    p[ms->nruns - 1].power = power;
    return 0;
}

static int merge_force_collapse(SortState *ms)
{
    while (ms->nruns > 1) {
        int n = ms->nruns - 2;
        if (n > 0 && ms->run[n - 1].len < ms->run[n + 1].len) --n;
        if (merge_at(ms, n) < 0) return -1;
    }
    return 0;
}

static int timsort(SortState *ms, Pm_ssize_t n)
{
    if (n < 2) return 0;
    Pm_ssize_t minrun = compute_minrun(n), lo = 0, remaining = n;
    ms->listlen = n;
    do {
        bool descending;
        Pm_ssize_t r = count_run(ms, lo, lo + remaining, &descending);
        if (r < 0) return -1;
        if (descending) {
            reverse_ptrs(ms->keys + lo, ms->keys + lo + r);
            if (ms->values) reverse_ptrs(ms->values + lo, ms->values + lo + r);
        }
        if (r < minrun) {
            Pm_ssize_t force = remaining <= minrun ? remaining : minrun;
            if (binarysort(ms, lo, lo + force, lo + r) < 0) return -1;
            r = force;
        }
        if (found_new_run(ms, r) < 0) return -1;
        ms->run[ms->nruns].base = lo;
        ms->run[ms->nruns].len = r;
        ms->nruns++;
        lo += r;
        remaining -= r;
    } while (remaining);
    return merge_force_collapse(ms);
}

/* Call the key function on every item (in order); NULL on error (keys released). */
static PmObject **compute_keys(PmVM *vm, PmObject *keyfunc, PmObject **items, Pm_ssize_t n,
                               PmObject **stack)
{
    PmObject **keys = n < 128 ? stack
                              : pm_mem_alloc(vm, (size_t)n * sizeof(PmObject *),
                                             (size_t)n * PM_MODEL_PTR);
    if (keys == NULL) return NULL;
    for (Pm_ssize_t i = 0; i < n; i++) {
        keys[i] = PmObject_CallOneArg(vm, keyfunc, items[i]);
        if (keys[i] == NULL) {
            while (--i >= 0) Pm_DECREF(vm, keys[i]);
            if (keys != stack) pm_mem_free(vm, keys);
            return NULL;
        }
    }
    return keys;
}

int PmList_Sort(PmVM *vm, PmObject *list, PmObject *keyfunc, bool reverse)
{
    PmList *self = (PmList *)list;
    if (keyfunc == Pm_None(vm)) keyfunc = NULL;
    /* Empty the list while sorting: mutations by the comparisons show up as allocated != -1. */
    Pm_ssize_t saved_size = Pm_SIZE(self), saved_allocated = self->allocated;
    PmObject **saved_items = self->ob_item, *stack_keys[128], **keys = NULL;
    Pm_SIZE(self) = 0;
    self->ob_item = NULL;
    self->allocated = -1;
    int result = -1;
    SortState ms = {vm, saved_items, NULL, 0, 0, {{0, 0, 0}}, NULL, 0};
    if (keyfunc != NULL) {
        keys = compute_keys(vm, keyfunc, saved_items, saved_size, stack_keys);
        if (keys == NULL) goto keyfunc_fail;
        ms.keys = keys;
        ms.values = saved_items;
    }
    /* reverse stability: reverse, sort stably, reverse back */
    if (reverse) {
        if (keys) reverse_ptrs(keys, keys + saved_size);
        reverse_ptrs(saved_items, saved_items + saved_size);
    }
    if (timsort(&ms, saved_size) == 0) result = 0;
    if (keys != NULL) {
        for (Pm_ssize_t i = 0; i < saved_size; i++) Pm_DECREF(vm, keys[i]);
        if (keys != stack_keys) pm_mem_free(vm, keys);
    }
    if (self->allocated != -1 && result == 0) {
        PmErr_SetString(vm, PME(vm, ValueError), "list modified during sort");
        result = -1;
    }
    if (reverse && saved_size > 1) reverse_ptrs(saved_items, saved_items + saved_size);
    pm_mem_free(vm, ms.tmp);
keyfunc_fail:;
    PmObject **final_items = self->ob_item;
    Pm_ssize_t i = Pm_SIZE(self);
    Pm_SIZE(self) = saved_size;
    self->ob_item = saved_items;
    self->allocated = saved_allocated;
    if (final_items != NULL) {
        while (--i >= 0) Pm_XDECREF(vm, final_items[i]);
        pm_mem_free(vm, final_items);
    }
    return result;
}

int PmList_Reverse(PmVM *vm, PmObject *list)
{
    (void)vm;
    if (Pm_SIZE(list) > 1) {
        PmObject **items = ((PmList *)list)->ob_item;
        reverse_ptrs(items, items + Pm_SIZE(list));
    }
    return 0;
}

/* ------------------------------------------------------------------ methods */

/* Py_ssize_t argument of a builtin method (__index__, OverflowError past ssize_t). */
static int ssize_arg(PmVM *vm, PmObject *o, Pm_ssize_t *out)
{
    PmObject *i = PmNumber_Index(vm, o);
    if (i == NULL) return -1;
    Pm_ssize_t v = PmLong_AsSsize_t(vm, i);
    Pm_DECREF(vm, i);
    if (v == -1 && PmErr_Occurred(vm)) return -1;
    *out = v;
    return 0;
}

static PmObject *list_append(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    if (PmList_Append(vm, self, args[0]) < 0) return NULL;
    return Pm_RETURN_NONE(vm);
}

static PmObject *list_insert(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)kwnames;
    Pm_ssize_t index;
    if (pm_check_positional(vm, "insert", nargs, 2, 2)) return NULL;
    if (ssize_arg(vm, args[0], &index) < 0) return NULL;
    if (ins1(vm, (PmList *)self, index, args[1]) < 0) return NULL;
    return Pm_RETURN_NONE(vm);
}

static PmObject *list_extend_meth(PmVM *vm, PmObject *self, PmObject *const *args,
                                  size_t nargs, PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    if (PmList_Extend(vm, self, args[0]) < 0) return NULL;
    return Pm_RETURN_NONE(vm);
}

static PmObject *list_pop(PmVM *vm, PmObject *o, PmObject *const *args, size_t nargs,
                          PmObject *kwnames)
{
    (void)kwnames;
    PmList *self = (PmList *)o;
    Pm_ssize_t index = -1;
    if (pm_check_positional(vm, "pop", nargs, 0, 1)) return NULL;
    if (nargs == 1 && ssize_arg(vm, args[0], &index) < 0) return NULL;
    if (Pm_SIZE(self) == 0) {
        PmErr_SetString(vm, PME(vm, IndexError), "pop from empty list");
        return NULL;
    }
    if (index < 0) index += Pm_SIZE(self);
    if ((uint64_t)index >= (uint64_t)Pm_SIZE(self)) {
        PmErr_SetString(vm, PME(vm, IndexError), "pop index out of range");
        return NULL;
    }
    PmObject *v = self->ob_item[index];
    if (index == Pm_SIZE(self) - 1) {
        /* the list's reference becomes the caller's */
        return list_resize(vm, self, Pm_SIZE(self) - 1) < 0 ? NULL : v;
    }
    Pm_INCREF(v);
    if (list_ass_slice(vm, self, index, index + 1, NULL) < 0) {
        Pm_DECREF(vm, v);
        return NULL;
    }
    return v;
}

static PmObject *list_remove(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    for (Pm_ssize_t i = 0; i < Pm_SIZE(self); i++) {
        PmObject *obj = Pm_NewRef(PmList_GET_ITEM(self, i));
        int cmp = PmObject_RichCompareBool(vm, obj, args[0], Pm_EQ);
        Pm_DECREF(vm, obj);
        if (cmp > 0) {
            if (list_ass_slice(vm, (PmList *)self, i, i + 1, NULL) < 0) return NULL;
            return Pm_RETURN_NONE(vm);
        }
        if (cmp < 0) return NULL;
    }
    PmErr_SetString(vm, PME(vm, ValueError), "list.remove(x): x not in list");
    return NULL;
}

static PmObject *list_index(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    (void)kwnames;
    Pm_ssize_t start = 0, stop = PM_SSIZE_MAX;
    if (pm_check_positional(vm, "index", nargs, 1, 3)) return NULL;
    if (nargs > 1 && PmSlice_IndexNotNone(vm, args[1], &start) < 0) return NULL;
    if (nargs > 2 && PmSlice_IndexNotNone(vm, args[2], &stop) < 0) return NULL;
    if (start < 0) {
        start += Pm_SIZE(self);
        if (start < 0) start = 0;
    }
    if (stop < 0) {
        stop += Pm_SIZE(self);
        if (stop < 0) stop = 0;
    }
    for (Pm_ssize_t i = start; i < stop && i < Pm_SIZE(self); i++) {
        PmObject *obj = Pm_NewRef(PmList_GET_ITEM(self, i));
        int cmp = PmObject_RichCompareBool(vm, obj, args[0], Pm_EQ);
        Pm_DECREF(vm, obj);
        if (cmp > 0) return PmLong_FromSsize_t(vm, i);
        if (cmp < 0) return NULL;
    }
    return PmErr_Format(vm, PME(vm, ValueError), "%R is not in list", args[0]);
}

static PmObject *list_count(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    Pm_ssize_t count = 0;
    for (Pm_ssize_t i = 0; i < Pm_SIZE(self); i++) {
        PmObject *obj = PmList_GET_ITEM(self, i);
        if (obj == args[0]) {
            count++;
            continue;
        }
        Pm_INCREF(obj);
        int cmp = PmObject_RichCompareBool(vm, obj, args[0], Pm_EQ);
        Pm_DECREF(vm, obj);
        if (cmp > 0) count++;
        else if (cmp < 0) return NULL;
    }
    return PmLong_FromSsize_t(vm, count);
}

static PmObject *list_clear_meth(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                 PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    list_clear_items(vm, self);
    return Pm_RETURN_NONE(vm);
}

static PmObject *list_copy(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    return list_slice(vm, (PmList *)self, 0, Pm_SIZE(self));
}

static PmObject *list_reverse(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmList_Reverse(vm, self);
    return Pm_RETURN_NONE(vm);
}

static PmObject *list_sort(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    Pm_ssize_t nkw = kwnames ? Pm_SIZE(kwnames) : 0;
    PmObject *key = NULL, *rev = NULL;
    if (nargs > 0) {
        PmErr_SetString(vm, PME(vm, TypeError), "sort() takes no positional arguments");
        return NULL;
    }
    if (nkw > 2) {
        return PmErr_Format(vm, PME(vm, TypeError),
                            "sort() takes at most 2 keyword arguments (%zd given)", nkw);
    }
    for (Pm_ssize_t i = 0; i < nkw; i++) {
        PmObject *name = PmTuple_GET_ITEM(kwnames, i);
        if (PmStr_EqualToASCII(name, "key")) key = args[nargs + i];
        else if (PmStr_EqualToASCII(name, "reverse")) rev = args[nargs + i];
        else return PmErr_Format(vm, PME(vm, TypeError),
                                 "'%U' is an invalid keyword argument for sort()", name);
    }
    int reverse = 0;
    if (rev && PmNumber_AsCInt(vm, rev, &reverse) < 0) return NULL;
    if (PmList_Sort(vm, self, key, reverse != 0) < 0) return NULL;
    return Pm_RETURN_NONE(vm);
}

static PmObject *list_sizeof(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    return PmLong_FromSsize_t(vm, Pm_TYPE(self)->tp_basicsize +
                                      ((PmList *)self)->allocated * PM_MODEL_PTR);
}

static Pm_ssize_t list_tp_sizeof(PmVM *vm, PmObject *self)
{
    (void)vm;
    return Pm_TYPE(self)->tp_basicsize + ((PmList *)self)->allocated * PM_MODEL_PTR;
}

/* ------------------------------------------------------------------ construction */

/* PyType_GenericNew: allocate (never from the free list), tracked; __init__ fills it. */
static PmObject *list_new(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs,
                          PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    if (PmType_HasFeature(type, PM_TPFLAGS_HEAPTYPE)) return pm_instance_new(vm, type);
    PmObject *op = pm_object_alloc(vm, type, sizeof(PmList), PM_MODEL_GC_HEAD + MODEL_LIST);
    if (op != NULL) pm_gc_track(vm, op);
    return op;
}

static int list_init_impl(PmVM *vm, PmList *self, PmObject *iterable)
{
    if (self->ob_item != NULL) list_clear_items(vm, (PmObject *)self);
    if (iterable == NULL) return 0;
    PmType *tp = Pm_TYPE(iterable);
    if (tp->tp_as_sequence.sq_length || tp->tp_as_mapping.mp_length) {
        Pm_ssize_t n = PmObject_Length(vm, iterable);
        if (n == -1) {
            if (!PmErr_ExceptionMatches(vm, PME(vm, TypeError))) return -1;
            PmErr_Clear(vm);
        }
        if (n > 0 && self->ob_item == NULL && list_preallocate_exact(vm, self, n) < 0)
            return -1;
    }
    return PmList_Extend(vm, (PmObject *)self, iterable);
}

static int list_init(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                     PmObject *kwnames)
{
    if ((Pm_IS_TYPE(vm, self, LIST) || Pm_TYPE(self)->tp_new == list_new) &&
        pm_no_kwargs(vm, "list", kwnames))
        return -1;
    if (pm_check_positional(vm, "list", nargs, 0, 1)) return -1;
    return list_init_impl(vm, (PmList *)self, nargs ? args[0] : NULL);
}

/* ------------------------------------------------------------------ list_iterator */

typedef struct PmListIter {
    PmObject ob_base;
    Pm_ssize_t it_index;
    PmObject *it_seq;        /* NULL when exhausted */
} PmListIter;

static PmObject *listiter_alloc(PmVM *vm, PmType *tp, PmObject *seq, Pm_ssize_t index)
{
    PmListIter *it = (PmListIter *)pm_object_alloc(vm, tp, sizeof(PmListIter),
                                                   PM_MODEL_GC_HEAD + 32);
    if (it == NULL) return NULL;
    it->it_index = index;
    it->it_seq = Pm_NewRef(seq);
    pm_gc_track(vm, (PmObject *)it);
    return (PmObject *)it;
}

static PmObject *list_iter(PmVM *vm, PmObject *seq)
{
    return listiter_alloc(vm, PMT(vm, LIST_ITER), seq, 0);
}

static void listiter_dealloc(PmVM *vm, PmObject *o)
{
    if (pm_gc_is_tracked(o)) pm_gc_untrack(vm, o);
    Pm_XDECREF(vm, ((PmListIter *)o)->it_seq);
    pm_object_free(vm, o);
}

static int listiter_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    Pm_VISIT(vm, ((PmListIter *)o)->it_seq);
    return 0;
}

/* Exhaustion drops the reference to the list at once (corpus item 25). */
static PmObject *listiter_next(PmVM *vm, PmObject *o)
{
    PmListIter *it = (PmListIter *)o;
    PmObject *seq = it->it_seq;
    if (seq == NULL) return NULL;
    if (it->it_index < Pm_SIZE(seq)) return Pm_NewRef(PmList_GET_ITEM(seq, it->it_index++));
    it->it_seq = NULL;
    Pm_DECREF(vm, seq);
    return NULL;
}

static PmObject *listiter_len(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmListIter *it = (PmListIter *)self;
    Pm_ssize_t len = 0;
    if (it->it_seq) {
        len = Pm_SIZE(it->it_seq) - it->it_index;
        if (len < 0) len = 0;
    }
    return PmLong_FromSsize_t(vm, len);
}

static const PmMethodDef listiter_methods[] = {
    {"__length_hint__", listiter_len, PM_METH_NOARGS},
    {NULL, NULL, 0}
};

const PmType PmListIter_Template = {
    .tp_name = "list_iterator",
    .tp_basicsize = 32,
    .tp_flags = PM_TPFLAGS_HAVE_GC,
    .tp_kind = PMT_LIST_ITER,
    .tp_dealloc = listiter_dealloc,
    .tp_traverse = listiter_traverse,
    .tp_iter = PmObject_SelfIter,
    .tp_iternext = listiter_next,
    .tp_methods = listiter_methods,
};

/* ------------------------------------------------------------------ list_reverseiterator */

static PmObject *list_reversed(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    return listiter_alloc(vm, PMT(vm, LIST_REVITER), self, Pm_SIZE(self) - 1);
}

static PmObject *listreviter_next(PmVM *vm, PmObject *o)
{
    PmListIter *it = (PmListIter *)o;
    PmObject *seq = it->it_seq;
    if (seq == NULL) return NULL;
    Pm_ssize_t index = it->it_index;
    if (index >= 0 && index < Pm_SIZE(seq)) {
        it->it_index--;
        return Pm_NewRef(PmList_GET_ITEM(seq, index));
    }
    it->it_index = -1;
    it->it_seq = NULL;
    Pm_DECREF(vm, seq);
    return NULL;
}

static PmObject *listreviter_len(PmVM *vm, PmObject *self, PmObject *const *args,
                                 size_t nargs, PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmListIter *it = (PmListIter *)self;
    Pm_ssize_t len = it->it_index + 1;
    if (it->it_seq == NULL || Pm_SIZE(it->it_seq) < len) len = 0;
    return PmLong_FromSsize_t(vm, len);
}

static const PmMethodDef listreviter_methods[] = {
    {"__length_hint__", listreviter_len, PM_METH_NOARGS},
    {NULL, NULL, 0}
};

const PmType PmListRevIter_Template = {
    .tp_name = "list_reverseiterator",
    .tp_basicsize = 32,
    .tp_flags = PM_TPFLAGS_HAVE_GC,
    .tp_kind = PMT_LIST_REVITER,
    .tp_dealloc = listiter_dealloc,
    .tp_traverse = listiter_traverse,
    .tp_iter = PmObject_SelfIter,
    .tp_iternext = listreviter_next,
    .tp_methods = listreviter_methods,
};

/* ------------------------------------------------------------------ type */

/* list.__getitem__ is a method in CPython (METH_COEXIST), not a slot wrapper. */
static PmObject *list_getitem_meth(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                   PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    return list_subscript(vm, self, args[0]);
}

static const PmMethodDef list_methods[] = {
    {"__getitem__", list_getitem_meth, PM_METH_O},
    {"__reversed__", list_reversed, PM_METH_NOARGS},
    {"__sizeof__", list_sizeof, PM_METH_NOARGS},
    {"clear", list_clear_meth, PM_METH_NOARGS},
    {"copy", list_copy, PM_METH_NOARGS},
    {"append", list_append, PM_METH_O},
    {"insert", list_insert, PM_METH_VARARGS},
    {"extend", list_extend_meth, PM_METH_O},
    {"pop", list_pop, PM_METH_VARARGS},
    {"remove", list_remove, PM_METH_O},
    {"index", list_index, PM_METH_VARARGS},
    {"count", list_count, PM_METH_O},
    {"reverse", list_reverse, PM_METH_NOARGS},
    {"sort", list_sort, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"__class_getitem__", pm_generic_alias_class_getitem, PM_METH_O | PM_METH_CLASS},
    {NULL, NULL, 0}
};

const PmType PmList_Template = {
    .tp_name = "list",
    .tp_doc = "list(iterable=(), /)\n"
              "--\n"
              "\n"
              "Built-in mutable sequence.\n"
              "\n"
              "If no argument is given, the constructor creates a new empty list.\n"
              "The argument must be an iterable if specified.",
    .tp_basicsize = MODEL_LIST,
    .tp_itemsize = 0,
    .tp_flags = PM_TPFLAGS_HAVE_GC | PM_TPFLAGS_BASETYPE | PM_TPFLAGS_LIST_SUBCLASS,
    .tp_kind = PMT_LIST,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_dealloc = list_dealloc,
    .tp_repr = list_repr,
    .tp_as_sequence = {
        .sq_length = list_length,
        .sq_concat = list_concat,
        .sq_repeat = list_repeat,
        .sq_item = list_item,
        .sq_contains = list_contains,
        .sq_inplace_concat = list_inplace_concat,
        .sq_inplace_repeat = list_inplace_repeat,
    },
    .tp_as_mapping = {
        .mp_length = list_length,
        .mp_subscript = list_subscript,
        .mp_ass_subscript = list_ass_subscript,
    },
    .tp_hash = pm_hash_not_implemented,
    .tp_traverse = list_traverse,
    .tp_clear = list_clear_items,
    .tp_richcompare = list_richcompare,
    .tp_iter = list_iter,
    .tp_methods = list_methods,
    .tp_init = list_init,
    .tp_new = list_new,
    .tp_sizeof = list_tp_sizeof,
};
