/*
 * test_seq.c -- internals of list, tuple, slice and range that Python code cannot see
 * directly: allocation steps, free lists, slice index arithmetic, tuple hashes.
 */
#include "pm.h"
#include "check.h"

static PmObject *num(PmVM *vm, long long v)
{
    PmObject *o = PmLong_FromLongLong(vm, v);
    CHECK(o != NULL);
    return o;
}

/* list_resize's growth pattern (corpus README 19) and shrinking on pop. */
static void test_list_growth(PmVM *vm)
{
    static const Pm_ssize_t want[] = {4, 4, 4, 4, 8, 8, 8, 8, 16, 16, 16, 16, 16, 16, 16, 16,
                                      24, 24, 24, 24, 24, 24, 24, 24, 32};
    PmObject *l = PmList_New(vm, 0), *one = num(vm, 1);
    CHECK(l != NULL && ((PmList *)l)->allocated == 0 && ((PmList *)l)->ob_item == NULL);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        CHECK(PmList_Append(vm, l, one) == 0);
        CHECK(((PmList *)l)->allocated == want[i]);
    }
    CHECK(Pm_SIZE(l) == 25);
    /* [0] * 5 and slices are exact; list(tuple) rounds up to even */
    PmObject *t = PmTuple_Pack(vm, 5, one, one, one, one, one);
    PmObject *fromt = PmSequence_List(vm, t);
    CHECK(fromt && ((PmList *)fromt)->allocated == 6 && Pm_SIZE(fromt) == 5);
    PmObject *sl = PmList_GetSlice(vm, l, 0, 5);
    CHECK(sl && ((PmList *)sl)->allocated == 5);
    Pm_DECREF(vm, fromt);
    Pm_DECREF(vm, sl);
    Pm_DECREF(vm, t);
    Pm_DECREF(vm, l);
    Pm_DECREF(vm, one);
}

/* A freed exact list's header goes to the free list and comes back first. */
static void test_list_freelist(PmVM *vm)
{
    PmObject *a = PmList_New(vm, 3);
    CHECK(a != NULL);
    int before = vm->list_numfree;
    for (int i = 0; i < 3; i++) PmList_SET_ITEM(a, i, num(vm, i));
    Pm_DECREF(vm, a);
    CHECK(vm->list_numfree == before + 1 || before == PM_LIST_MAXFREELIST);
    PmObject *b = PmList_New(vm, 0);
    CHECK(b == a);
    CHECK(Pm_REFCNT(b) == 1 && Pm_SIZE(b) == 0 && pm_gc_is_tracked(b));
    Pm_DECREF(vm, b);
}

/* Tuples of 1..19 items are reused; 20-item tuples are kept but never reused. */
static void test_tuple_freelist(PmVM *vm)
{
    PmObject *t = PmTuple_New(vm, 3);
    for (int i = 0; i < 3; i++) PmTuple_SET_ITEM(t, i, num(vm, i));
    Pm_DECREF(vm, t);
    PmObject *u = PmTuple_New(vm, 3);
    CHECK(u == t && PmTuple_GET_ITEM(u, 0) == NULL && pm_gc_is_tracked(u));
    Pm_DECREF(vm, u);
    int n20 = vm->tuple_numfree[19];
    PmObject *big = PmTuple_New(vm, 20);
    Pm_DECREF(vm, big);
    CHECK(vm->tuple_numfree[19] == n20 + 1);
    PmObject *big2 = PmTuple_New(vm, 20);
    CHECK(big2 != big && vm->tuple_numfree[19] == n20 + 1);
    Pm_DECREF(vm, big2);
    CHECK(PmTuple_New(vm, 0) == vm->empty_tuple);
    Pm_DECREF(vm, vm->empty_tuple);
}

static void test_tuple_resize_and_hash(PmVM *vm)
{
    PmObject *t = PmTuple_New(vm, 2);
    PmTuple_SET_ITEM(t, 0, num(vm, 1));
    PmTuple_SET_ITEM(t, 1, num(vm, 2));
    /* hash((1, 2)) on 64-bit CPython 3.11 */
    CHECK(PmTuple_Hash(vm, t) == -3550055125485641917LL);
    CHECK(PmTuple_Resize(vm, &t, 4) == 0);
    CHECK(Pm_SIZE(t) == 4 && PmTuple_GET_ITEM(t, 3) == NULL);
    CHECK(PmTuple_Resize(vm, &t, 1) == 0);
    CHECK(Pm_SIZE(t) == 1);
    CHECK(PmTuple_Hash(vm, t) == -6644214454873602895LL);
    Pm_DECREF(vm, t);
    CHECK(PmTuple_Hash(vm, vm->empty_tuple) == 5740354900026072187LL);
}

static void test_slice_indices(PmVM *vm)
{
    Pm_ssize_t start, stop, step;
    PmObject *m1 = num(vm, -1);
    PmObject *s = PmSlice_New(vm, NULL, NULL, m1);
    CHECK(PmSlice_Unpack(vm, s, &start, &stop, &step) == 0);
    CHECK(start == PM_SSIZE_MAX && stop == PM_SSIZE_MIN && step == -1);
    CHECK(PmSlice_AdjustIndices(5, &start, &stop, step) == 5);
    CHECK(start == 4 && stop == -1);
    /* the one-slice cache */
    Pm_DECREF(vm, s);
    CHECK(vm->slice_cache == s);
    PmObject *s2 = PmSlice_New(vm, m1, NULL, NULL);
    CHECK(s2 == s && vm->slice_cache == NULL);
    Pm_DECREF(vm, s2);
    Pm_DECREF(vm, m1);
    start = 7; stop = 2; step = 1;
    CHECK(PmSlice_AdjustIndices(10, &start, &stop, step) == 0);
}

static void test_sort_stability(PmVM *vm)
{
    /* (key, original index) pairs sorted by key only stay in index order */
    PmObject *l = PmList_New(vm, 0);
    for (int i = 0; i < 200; i++) {
        PmObject *k = num(vm, (i * 37) % 7), *ix = num(vm, i);
        PmObject *pair = PmTuple_Pack(vm, 2, k, ix);
        CHECK(PmList_Append(vm, l, pair) == 0);
        Pm_DECREF(vm, pair);
        Pm_DECREF(vm, k);
        Pm_DECREF(vm, ix);
    }
    CHECK(PmList_Sort(vm, l, NULL, false) == 0);
    for (int i = 1; i < 200; i++) {
        PmObject *a = PmList_GET_ITEM(l, i - 1), *b = PmList_GET_ITEM(l, i);
        CHECK(PmObject_RichCompareBool(vm, a, b, Pm_LT) == 1);
    }
    CHECK(PmList_Sort(vm, l, NULL, true) == 0);
    for (int i = 1; i < 200; i++) {
        PmObject *a = PmList_GET_ITEM(l, i - 1), *b = PmList_GET_ITEM(l, i);
        CHECK(PmObject_RichCompareBool(vm, a, b, Pm_GT) == 1);
    }
    Pm_DECREF(vm, l);
}

int main(void)
{
    pml_vm *lab = pml_new(NULL);
    CHECK(lab != NULL);
    PmVM *vm = (PmVM *)lab;
    test_list_growth(vm);
    test_list_freelist(vm);
    test_tuple_freelist(vm);
    test_tuple_resize_and_hash(vm);
    test_slice_indices(vm);
    test_sort_stability(vm);
    CHECK(!PmErr_Occurred(vm));
    pml_free(lab);
    return 0;
}
