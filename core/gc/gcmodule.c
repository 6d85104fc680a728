/*
 * gcmodule.c -- the Python-level `gc` module, CPython 3.11's functions, messages and order.
 * The collector itself is gc/gc.c; this file only reads its lists and calls its API.
 */
#include "pm.h"
#include "gc/gc.h"

#include <limits.h>

#define NUM_GENERATIONS PM_GC_NUM_GENERATIONS

static const char gc_doc[] =
    "This module provides access to the garbage collector for reference cycles.\n"
    "\n"
    "enable() -- Enable automatic garbage collection.\n"
    "disable() -- Disable automatic garbage collection.\n"
    "isenabled() -- Returns true if automatic collection is enabled.\n"
    "collect() -- Do a full collection right now.\n"
    "get_count() -- Return the current collection counts.\n"
    "get_stats() -- Return list of dictionaries containing per-generation stats.\n"
    "set_debug() -- Set debugging flags.\n"
    "get_debug() -- Get debugging flags.\n"
    "set_threshold() -- Set the collection thresholds.\n"
    "get_threshold() -- Return the current the collection thresholds.\n"
    "get_objects() -- Return a list of all objects tracked by the collector.\n"
    "is_tracked() -- Returns true if a given object is tracked.\n"
    "is_finalized() -- Returns true if a given object has been already finalized.\n"
    "get_referrers() -- Return the list of objects that refer to an object.\n"
    "get_referents() -- Return the list of objects that an object refers to.\n"
    "freeze() -- Freeze all tracked objects and ignore them for future collections.\n"
    "unfreeze() -- Unfreeze all objects in the permanent generation.\n"
    "get_freeze_count() -- Return the number of objects in the permanent generation.\n";

/* ------------------------------------------------------------------ argument helpers */

/* CPython calls a METH_VARARGS function (set_threshold, get_referrers, get_referents) with
 * a new tuple of its arguments: make the same allocation, for gc.get_count()'s sake. */
static PmObject *varargs_tuple(PmVM *vm, PmObject *const *args, size_t nargs)
{
    return PmTuple_FromArray(vm, args, (Pm_ssize_t)nargs);
}

/* Argument Clinic's parser for one optional parameter `kw` that may be passed by position
 * or name.  *out is left alone when the argument is absent.  0 or -1. */
static int parse_one(PmVM *vm, const char *fname, const char *kw, PmObject *const *args,
                     size_t nargs, PmObject *kwnames, PmObject **out)
{
    Pm_ssize_t nkw = kwnames ? Pm_SIZE(kwnames) : 0;
    if ((Pm_ssize_t)nargs + nkw > 1) {
        PmErr_Format(vm, PME(vm, TypeError), "%s() takes at most 1 %sargument (%zd given)",
                     fname, nargs == 0 ? "keyword " : "", (Pm_ssize_t)nargs + nkw);
        return -1;
    }
    if (nargs == 1) {
        *out = args[0];
    } else if (nkw == 1) {
        PmObject *name = PmTuple_GET_ITEM(kwnames, 0);
        if (!PmStr_EqualToASCII(name, kw)) {
            PmErr_Format(vm, PME(vm, TypeError), "'%U' is an invalid keyword argument for %s()",
                         name, fname);
            return -1;
        }
        *out = args[0];
    }
    return 0;
}

/* The C long value of an index-able object (CPython's PyLong_AsLong with __index__):
 * *overflow set when it does not fit 64 bits. */
static int as_long(PmVM *vm, PmObject *o, long long *v, int *overflow)
{
    PmObject *i = PmNumber_Index(vm, o);
    if (i == NULL) return -1;
    *v = PmLong_AsLongLongAndOverflow(vm, i, overflow);
    Pm_DECREF(vm, i);
    return PmErr_Occurred(vm) ? -1 : 0;
}

/* CPython's _PyLong_AsInt (the clinic `int` converter). */
static int as_c_int(PmVM *vm, PmObject *o, int *out)
{
    long long v;
    int overflow = 0;
    if (as_long(vm, o, &v, &overflow) < 0) return -1;
    if (overflow || v > INT_MAX || v < INT_MIN) {
        PmErr_SetString(vm, PME(vm, OverflowError), "Python int too large to convert to C int");
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* PyArg_ParseTuple's "i" format. */
static int parse_int_format(PmVM *vm, PmObject *o, int *out)
{
    long long v;
    int overflow = 0;
    if (as_long(vm, o, &v, &overflow) < 0) return -1;
    if (overflow) {
        PmErr_SetString(vm, PME(vm, OverflowError), "Python int too large to convert to C long");
        return -1;
    }
    if (v > INT_MAX || v < INT_MIN) {
        PmErr_SetString(vm, PME(vm, OverflowError), v > INT_MAX
                        ? "signed integer is greater than maximum"
                        : "signed integer is less than minimum");
        return -1;
    }
    *out = (int)v;
    return 0;
}

static PmObject *int3_tuple(PmVM *vm, int a, int b, int c)
{
    PmObject *t = PmTuple_New(vm, 3);
    if (t == NULL) return NULL;
    int v[3] = {a, b, c};
    for (int i = 0; i < 3; i++) {
        PmObject *x = PmLong_FromLongLong(vm, v[i]);
        if (x == NULL) {
            Pm_DECREF(vm, t);
            return NULL;
        }
        PmTuple_SET_ITEM(t, i, x);
    }
    return t;
}

/* ------------------------------------------------------------------ switches, counters */

static PmObject *gc_enable(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    vm->gc.enabled = 1;
    pm_eval_break(vm);    /* a collection may be due now */
    return Pm_RETURN_NONE(vm);
}

static PmObject *gc_disable(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    vm->gc.enabled = 0;
    return Pm_RETURN_NONE(vm);
}

static PmObject *gc_isenabled(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    return Pm_Bool(vm, vm->gc.enabled);
}

/* collect(generation=2) -> number of unreachable objects found */
static PmObject *gc_collect(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    (void)self;
    PmObject *arg = NULL;
    int generation = NUM_GENERATIONS - 1;
    if (parse_one(vm, "collect", "generation", args, nargs, kwnames, &arg) < 0) return NULL;
    if (arg && as_c_int(vm, arg, &generation) < 0) return NULL;
    Pm_ssize_t n = pm_gc_collect(vm, generation);
    return n < 0 ? NULL : PmLong_FromSsize_t(vm, n);
}

static PmObject *gc_set_debug(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    (void)self; (void)nargs; (void)kwnames;
    int flags;
    if (as_c_int(vm, args[0], &flags) < 0) return NULL;
    vm->gc.debug = flags;
    return Pm_RETURN_NONE(vm);
}

static PmObject *gc_get_debug(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    return PmLong_FromLongLong(vm, vm->gc.debug);
}

static PmObject *gc_get_count(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    PmGCGeneration *g = vm->gc.gen;
    return int3_tuple(vm, g[0].count, g[1].count, g[2].count);
}

/* set_threshold(threshold0, [threshold1, threshold2]): each value is stored as soon as it
 * is converted, as PyArg_ParseTuple does. */
static PmObject *gc_set_threshold(PmVM *vm, PmObject *self, PmObject *const *args,
                                  size_t nargs, PmObject *kwnames)
{
    (void)self;
    PmObject *argt = varargs_tuple(vm, args, nargs);
    if (argt == NULL) return NULL;
    PmObject *r = NULL;
    if (pm_no_kwargs(vm, "set_threshold", kwnames) < 0) goto done;
    if (nargs < 1 || nargs > 3) {
        PmErr_Format(vm, PME(vm, TypeError), "set_threshold() takes at %s %d argument%s (%zu given)",
                     nargs < 1 ? "least" : "most", nargs < 1 ? 1 : 3, nargs < 1 ? "" : "s", nargs);
        goto done;
    }
    for (size_t i = 0; i < nargs; i++) {
        int v;
        if (parse_int_format(vm, args[i], &v) < 0) goto done;
        pm_gc_set_threshold(vm, (int)i, v);
        pm_eval_break(vm);
    }
    r = Pm_RETURN_NONE(vm);
done:
    Pm_DECREF(vm, argt);
    return r;
}

static PmObject *gc_get_threshold(PmVM *vm, PmObject *self, PmObject *const *args,
                                  size_t nargs, PmObject *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    return int3_tuple(vm, pm_gc_get_threshold(vm, 0), pm_gc_get_threshold(vm, 1),
                      pm_gc_get_threshold(vm, 2));
}

/* ------------------------------------------------------------------ objects */

/* Append the objects of a generation list to `result` (not result itself). */
static int append_objects(PmVM *vm, PmObject *result, PmGCHead *list)
{
    for (PmGCHead *g = list->gc_next; g != list; g = g->gc_next) {
        PmObject *op = Pm_FROM_GC(g);
        if (op != result && PmList_Append(vm, result, op) < 0) return -1;
    }
    return 0;
}

/* get_objects(generation=None) */
static PmObject *gc_get_objects(PmVM *vm, PmObject *self, PmObject *const *args,
                                size_t nargs, PmObject *kwnames)
{
    (void)self;
    PmObject *arg = NULL;
    Pm_ssize_t generation = -1;
    if (parse_one(vm, "get_objects", "generation", args, nargs, kwnames, &arg) < 0) return NULL;
    if (arg && arg != Pm_None(vm)) {
        if (!PmIndex_Check(arg)) {
            PmErr_Format(vm, PME(vm, TypeError), "argument should be integer or None, not '%.200s'",
                         Pm_TYPE(arg)->tp_name);
            return NULL;
        }
        generation = PmNumber_AsSsize_t(vm, arg, PME(vm, OverflowError));
        if (generation == -1 && PmErr_Occurred(vm)) return NULL;
    }
    if (generation >= NUM_GENERATIONS) {
        PmErr_Format(vm, PME(vm, ValueError), "generation parameter must be less than the number "
                     "of available generations (%d)", NUM_GENERATIONS);
        return NULL;
    }
    if (generation < -1) {
        PmErr_SetString(vm, PME(vm, ValueError), "generation parameter cannot be negative");
        return NULL;
    }
    PmObject *result = PmList_New(vm, 0);
    if (result == NULL) return NULL;
    for (int i = 0; i < NUM_GENERATIONS; i++) {
        if (generation != -1 && generation != i) continue;
        if (append_objects(vm, result, &vm->gc.gen[i].head) < 0) {
            Pm_DECREF(vm, result);
            return NULL;
        }
    }
    return result;
}

static PmObject *gc_get_stats(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    Pm_ssize_t snap[NUM_GENERATIONS][3];   /* a snapshot: building the result allocates */
    for (int i = 0; i < NUM_GENERATIONS; i++) {
        snap[i][0] = vm->gc.stats_collections[i];
        snap[i][1] = vm->gc.stats_collected[i];
        snap[i][2] = vm->gc.stats_uncollectable[i];
    }
    static const char *const keys[3] = {"collections", "collected", "uncollectable"};
    PmObject *result = PmList_New(vm, 0);
    for (int i = 0; result && i < NUM_GENERATIONS; i++) {
        PmObject *d = PmDict_New(vm);
        for (int k = 0; d && k < 3; k++) {
            PmObject *v = PmLong_FromSsize_t(vm, snap[i][k]);
            if (v == NULL || PmDict_SetItemString(vm, d, keys[k], v) < 0) Pm_CLEAR(vm, d);
            Pm_XDECREF(vm, v);
        }
        if (d == NULL || PmList_Append(vm, result, d) < 0) Pm_CLEAR(vm, result);
        Pm_XDECREF(vm, d);
    }
    return result;
}

static PmObject *gc_is_tracked(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    (void)self; (void)nargs; (void)kwnames;
    PmObject *o = args[0];
    return Pm_Bool(vm, pm_gc_is_gc(o) && pm_gc_is_tracked(o));
}

static PmObject *gc_is_finalized(PmVM *vm, PmObject *self, PmObject *const *args,
                                 size_t nargs, PmObject *kwnames)
{
    (void)self; (void)nargs; (void)kwnames;
    PmObject *o = args[0];
    return Pm_Bool(vm, pm_gc_is_gc(o) && (Pm_AS_GC(o)->flags & PM_GC_FINALIZED));
}

/* ------------------------------------------------------------------ referrers, referents */

typedef struct ObjArray {
    PmObject *const *items;
    size_t n;
} ObjArray;

static int referrersvisit(PmVM *vm, PmObject *obj, void *arg)
{
    (void)vm;
    const ObjArray *objs = arg;
    for (size_t i = 0; i < objs->n; i++)
        if (objs->items[i] == obj) return 1;
    return 0;
}

/* Append to `result` every object of `list` whose tp_traverse visits one of objs (CPython's
 * gc_referrers_for); the arguments tuple and the result itself are not referrers. */
static int referrers_for(PmVM *vm, ObjArray *objs, PmObject *argt, PmGCHead *list,
                         PmObject *result)
{
    for (PmGCHead *g = list->gc_next; g != list; g = g->gc_next) {
        PmObject *obj = Pm_FROM_GC(g);
        if (obj == argt || obj == result) continue;
        if (Pm_TYPE(obj)->tp_traverse(vm, obj, referrersvisit, objs) &&
            PmList_Append(vm, result, obj) < 0)
            return -1;
    }
    return 0;
}

/* get_referrers(*objs): every tracked object (not frozen ones) that refers to one of objs,
 * in generation-list order. */
static PmObject *gc_get_referrers(PmVM *vm, PmObject *self, PmObject *const *args,
                                  size_t nargs, PmObject *kwnames)
{
    (void)self;
    PmObject *argt = varargs_tuple(vm, args, nargs);
    if (argt == NULL) return NULL;
    ObjArray objs = {args, nargs};
    PmObject *result = NULL;
    if (pm_no_kwargs(vm, "get_referrers", kwnames) < 0) goto done;
    result = PmList_New(vm, 0);
    for (int i = 0; result && i < NUM_GENERATIONS; i++)
        if (referrers_for(vm, &objs, argt, &vm->gc.gen[i].head, result) < 0) Pm_CLEAR(vm, result);
done:
    Pm_DECREF(vm, argt);
    return result;
}

static int referentsvisit(PmVM *vm, PmObject *obj, void *list)
{
    return PmList_Append(vm, (PmObject *)list, obj) < 0;
}

/* get_referents(*objs): what each object's tp_traverse visits, in its order. */
static PmObject *gc_get_referents(PmVM *vm, PmObject *self, PmObject *const *args,
                                  size_t nargs, PmObject *kwnames)
{
    (void)self;
    PmObject *argt = varargs_tuple(vm, args, nargs);
    if (argt == NULL) return NULL;
    PmObject *result = NULL;
    if (pm_no_kwargs(vm, "get_referents", kwnames) < 0) goto done;
    result = PmList_New(vm, 0);
    for (size_t i = 0; result && i < nargs; i++) {
        PmObject *obj = args[i];
        if (!pm_gc_is_gc(obj) || Pm_TYPE(obj)->tp_traverse == NULL) continue;
        if (Pm_TYPE(obj)->tp_traverse(vm, obj, referentsvisit, result)) Pm_CLEAR(vm, result);
    }
done:
    Pm_DECREF(vm, argt);
    return result;
}

/* ------------------------------------------------------------------ freeze */

static PmObject *gc_freeze(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    pm_gc_freeze(vm);
    return Pm_RETURN_NONE(vm);
}

static PmObject *gc_unfreeze(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    pm_gc_unfreeze(vm);
    return Pm_RETURN_NONE(vm);
}

static PmObject *gc_get_freeze_count(PmVM *vm, PmObject *self, PmObject *const *args,
                                     size_t nargs, PmObject *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    return PmLong_FromSsize_t(vm, pm_gc_list_size(&vm->gc.permanent));
}

/* ------------------------------------------------------------------ the module */

/* CPython's GcMethods order. */
static const PmMethodDef gc_methods[] = {
    {"enable", gc_enable, PM_METH_NOARGS},
    {"disable", gc_disable, PM_METH_NOARGS},
    {"isenabled", gc_isenabled, PM_METH_NOARGS},
    {"set_debug", gc_set_debug, PM_METH_O},
    {"get_debug", gc_get_debug, PM_METH_NOARGS},
    {"get_count", gc_get_count, PM_METH_NOARGS},
    {"set_threshold", gc_set_threshold, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"get_threshold", gc_get_threshold, PM_METH_NOARGS},
    {"collect", gc_collect, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"get_objects", gc_get_objects, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"get_stats", gc_get_stats, PM_METH_NOARGS},
    {"is_tracked", gc_is_tracked, PM_METH_O},
    {"is_finalized", gc_is_finalized, PM_METH_O},
    {"get_referrers", gc_get_referrers, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"get_referents", gc_get_referents, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"freeze", gc_freeze, PM_METH_NOARGS},
    {"unfreeze", gc_unfreeze, PM_METH_NOARGS},
    {"get_freeze_count", gc_get_freeze_count, PM_METH_NOARGS},
    {NULL, NULL, 0}
};

static int add_object(PmVM *vm, PmObject *dict, const char *name, PmObject *v)
{
    if (v == NULL) return -1;
    int r = PmDict_SetItemString(vm, dict, name, v);
    Pm_DECREF(vm, v);
    return r;
}

static int ensure_list(PmVM *vm, PmObject **slot)
{
    if (*slot == NULL) *slot = PmList_New(vm, 0);
    return *slot ? 0 : -1;
}

PmObject *pm_gcmodule_init(PmVM *vm)
{
    static const struct { const char *name; int value; } consts[] = {
        {"DEBUG_STATS", PM_GC_DEBUG_STATS}, {"DEBUG_COLLECTABLE", PM_GC_DEBUG_COLLECTABLE},
        {"DEBUG_UNCOLLECTABLE", PM_GC_DEBUG_UNCOLLECTABLE},
        {"DEBUG_SAVEALL", PM_GC_DEBUG_SAVEALL}, {"DEBUG_LEAK", PM_GC_DEBUG_LEAK},
    };
    PmObject *m = PmModule_New(vm, "gc");
    if (m == NULL) return NULL;
    PmObject *d = ((PmModule *)m)->md_dict;
    if (pm_module_add_functions(vm, m, gc_methods) < 0 ||
        add_object(vm, d, "__doc__", PmStr_FromString(vm, gc_doc)) < 0 ||
        ensure_list(vm, &vm->gc.garbage) < 0 || ensure_list(vm, &vm->gc.callbacks) < 0 ||
        PmDict_SetItemString(vm, d, "garbage", vm->gc.garbage) < 0 ||
        PmDict_SetItemString(vm, d, "callbacks", vm->gc.callbacks) < 0)
        goto fail;
    for (size_t i = 0; i < sizeof consts / sizeof consts[0]; i++)
        if (add_object(vm, d, consts[i].name, PmLong_FromLongLong(vm, consts[i].value)) < 0)
            goto fail;
    return m;
fail:
    Pm_DECREF(vm, m);
    return NULL;
}
