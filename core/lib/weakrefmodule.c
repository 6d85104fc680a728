/*
 * weakrefmodule.c -- the _weakref and weakref modules.
 *
 * _weakref is CPython's Modules/_weakref.c: getweakrefcount, getweakrefs, proxy,
 * _remove_dead_weakref and the three types (object/weakrefobject.c).
 *
 * weakref is CPython's Lib/weakref.py (with Lib/_weakrefset.py): a module whose namespace
 * starts with the names weakref.py imports from _weakref, then runs the Python source of
 * lib/weakref_src.py (compiled in as lib/weakref_py.h) for WeakMethod, WeakValueDictionary,
 * WeakKeyDictionary, WeakSet and finalize.  CPython imports weakref while starting up, so a
 * program's `import weakref` creates nothing: the collector's allocation count is put back
 * after the source ran, so gc.get_count() does not move either.
 *
 * pm_weakref_atexit is the atexit hook weakref.finalize registers in CPython: vm/init.c
 * calls it at the end of a run, before __main__ is torn down.
 */
#include "pm.h"
#include "lang/parser.h"
#include "lang/compile.h"
#include "gc/gc.h"
#include "lib/weakref_py.h"

#define WEAKREF_FILE "/usr/lib/python3.11/weakref.py"

/* ------------------------------------------------------------------ _weakref functions */

static PmObject *getweakrefcount(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                 PmObject *kwnames)
{
    (void)self; (void)nargs; (void)kwnames;
    return PmLong_FromSsize_t(vm, PmWeakref_GetWeakrefCount(args[0]));
}

static PmObject *getweakrefs(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)self; (void)nargs; (void)kwnames;
    PmObject **lp = pm_weakref_listptr(args[0]);
    Pm_ssize_t n = PmWeakref_GetWeakrefCount(args[0]);
    PmObject *list = PmList_New(vm, n);
    if (list == NULL) return NULL;
    PmWeakRef *wr = lp ? (PmWeakRef *)*lp : NULL;
    for (Pm_ssize_t i = 0; i < n; i++, wr = wr->wr_next)
        PmList_SET_ITEM(list, i, Pm_NewRef((PmObject *)wr));
    return list;
}

static PmObject *proxy(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                       PmObject *kwnames)
{
    (void)self;
    if (pm_no_kwargs(vm, "proxy", kwnames) < 0) return NULL;
    if (pm_check_positional(vm, "proxy", nargs, 1, 2) < 0) return NULL;
    return PmWeakref_NewProxy(vm, args[0], nargs > 1 ? args[1] : NULL);
}

/* Delete d[key] if it is a dead weakref (WeakValueDictionary's atomic removal). */
static PmObject *remove_dead_weakref(PmVM *vm, PmObject *self, PmObject *const *args,
                                     size_t nargs, PmObject *kwnames)
{
    (void)self;
    if (pm_no_kwargs(vm, "_remove_dead_weakref", kwnames) < 0) return NULL;
    if (pm_check_positional(vm, "_remove_dead_weakref", nargs, 2, 2) < 0) return NULL;
    PmObject *d = args[0], *key = args[1];
    if (!PmDict_Check(d)) {
        return PmErr_Format(vm, PME(vm, TypeError),
                            "_remove_dead_weakref() argument 1 must be dict, not %.50s",
                            Pm_TYPE(d)->tp_name);
    }
    PmObject *v = PmDict_GetItem_Borrow(vm, d, key);
    if (v == NULL) {
        if (PmErr_Occurred(vm)) return NULL;
        return Pm_RETURN_NONE(vm);               /* missing: nothing to do */
    }
    if (PmWeakref_Check(v) && PmWeakref_GetObject_Borrow(v) == NULL &&
        PmDict_DelItem(vm, d, key) < 0) {
        if (!PmErr_ExceptionMatches(vm, PME(vm, KeyError))) return NULL;
        PmErr_Clear(vm);
    }
    return Pm_RETURN_NONE(vm);
}

static const PmMethodDef weakref_functions[] = {
    {"getweakrefcount", getweakrefcount, PM_METH_O},
    {"getweakrefs", getweakrefs, PM_METH_O},
    {"proxy", proxy, PM_METH_VARARGS},
    {"_remove_dead_weakref", remove_dead_weakref, PM_METH_VARARGS},
    {NULL, NULL, 0}
};

PmObject *pm_weakrefmodule_init_c(PmVM *vm)
{
    PmObject *m = PmModule_New(vm, "_weakref");
    if (m == NULL) return NULL;
    ((PmModule *)m)->md_builtin = true;
    PmObject *ref = (PmObject *)PMT(vm, WEAKREF);
    if (pm_module_add_functions(vm, m, weakref_functions) < 0 ||
        pm_module_add_object(vm, m, "ref", Pm_NewRef(ref)) < 0 ||
        pm_module_add_object(vm, m, "ReferenceType", Pm_NewRef(ref)) < 0 ||
        pm_module_add_object(vm, m, "ProxyType", Pm_NewRef((PmObject *)PMT(vm, WEAKPROXY))) < 0 ||
        pm_module_add_object(vm, m, "CallableProxyType",
                             Pm_NewRef((PmObject *)PMT(vm, WEAKCALLABLEPROXY))) < 0) {
        Pm_DECREF(vm, m);
        return NULL;
    }
    return m;
}

/* ------------------------------------------------------------------ weakref */

/* sys.excepthook(type(exc), exc, tb) for finalize._exitfunc. */
static PmObject *excepthook(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    (void)self; (void)nargs; (void)kwnames;
    pm_io_flush(vm);
    pm_print_exception(vm, args[0]);
    return Pm_RETURN_NONE(vm);
}

static const PmMethodDef weakref_py_helpers[] = {
    {"_excepthook", excepthook, PM_METH_O},
    {NULL, NULL, 0}
};

/* What weakref.py takes from _weakref, in its import order. */
static const char *const imported_names[] = {
    "getweakrefcount", "getweakrefs", "ref", "proxy", "CallableProxyType", "ProxyType",
    "ReferenceType", "_remove_dead_weakref", NULL
};

static int import_from_c_module(PmVM *vm, PmObject *dict)
{
    PmObject *name = PmStr_InternFromString(vm, "_weakref");
    if (name == NULL) return -1;
    PmObject *cmod = pm_import_builtin_module(vm, name);
    Pm_DECREF(vm, name);
    if (cmod == NULL) {
        if (!PmErr_Occurred(vm)) PmErr_SetString(vm, PME(vm, ImportError), "no _weakref");
        return -1;
    }
    int r = 0;
    for (int i = 0; imported_names[i] && r == 0; i++) {
        PmObject *v = PmObject_GetAttrString(vm, cmod, imported_names[i]);
        r = v ? PmDict_SetItemString(vm, dict, imported_names[i], v) : -1;
        Pm_XDECREF(vm, v);
    }
    Pm_DECREF(vm, cmod);
    return r;
}

static PmObject *compile_source(PmVM *vm)
{
    pmparse_options opt = {0};
    pmparse_result r;
    if (pmparse_source(&r, pm_weakref_py_src, sizeof pm_weakref_py_src - 1, &opt) != 0) {
        PmErr_Format(vm, PME(vm, SystemError), "weakref source: %s: %s (line %d)",
                     r.error.type, r.error.msg, r.error.lineno);
        pmparse_release(&r);
        return NULL;
    }
    pmparse_error cerr = {0};
    PmObject *code = pm_compile_module(vm, r.module, WEAKREF_FILE, &cerr, NULL);
    pmparse_release(&r);
    if (code == NULL && cerr.type) {
        PmErr_Format(vm, PME(vm, SystemError), "weakref source: %s: %s (line %d)", cerr.type,
                     cerr.msg, cerr.lineno);
    }
    return code;
}

static int run_source(PmVM *vm, PmObject *dict)
{
    PmObject *code = compile_source(vm);
    if (code == NULL) return -1;
    PmObject *res = pm_eval_code(vm, code, dict, dict);
    Pm_DECREF(vm, code);
    if (res == NULL) return -1;
    Pm_DECREF(vm, res);
    return 0;
}

/* Objects the import left in generation 0 after `last` go where CPython's start-up objects
 * are: the oldest generation. */
static void settle_import_objects(PmVM *vm, PmGCHead *last)
{
    PmGCHead *young = &vm->gc.gen[0].head, *old = &vm->gc.gen[2].head;
    PmGCHead *g = last->gc_next;
    while (g != young) {
        PmGCHead *next = g->gc_next;
        pm_gc_list_move(g, old);
        g->gen = old->gen;
        g = next;
    }
}

static PmObject *weakrefmodule_create(PmVM *vm)
{
    PmObject *m = PmModule_New(vm, "weakref");
    if (m == NULL) return NULL;
    PmObject *d = ((PmModule *)m)->md_dict;
    PmObject *doc = PmStr_FromString(vm, "Weak reference support for Python.\n\n"
                                         "This module is an implementation of PEP 205:\n\n"
                                         "https://peps.python.org/pep-0205/\n");
    PmObject *file = PmStr_FromString(vm, WEAKREF_FILE);
    int r = doc && file ? 0 : -1;
    if (r == 0) r = PmDict_SetItem(vm, d, PMID(vm, __doc__), doc);
    if (r == 0) r = PmDict_SetItem(vm, d, PMID(vm, __file__), file);
    if (r == 0) r = PmDict_SetItem(vm, d, PMID(vm, __builtins__), vm->builtins);
    Pm_XDECREF(vm, doc);
    Pm_XDECREF(vm, file);
    if (r == 0) r = import_from_c_module(vm, d);
    if (r == 0) r = pm_module_add_functions(vm, m, weakref_py_helpers);
    if (r == 0) r = run_source(vm, d);
    if (r < 0) {
        Pm_DECREF(vm, m);
        return NULL;
    }
    return m;
}

/* CPython imported weakref while starting up: a program's import allocates nothing, so no
 * automatic collection runs during it and its objects are not counted as young. */
PmObject *pm_weakrefmodule_init(PmVM *vm)
{
    int count0 = vm->gc.gen[0].count, enabled = vm->gc.enabled;
    PmGCHead *young = &vm->gc.gen[0].head;
    PmObject *last = young->gc_prev == young ? NULL : Pm_NewRef(Pm_FROM_GC(young->gc_prev));
    vm->gc.enabled = 0;
    PmObject *m = weakrefmodule_create(vm);
    vm->gc.enabled = enabled;
    if (m && (last == NULL || (pm_gc_is_tracked(last) && Pm_AS_GC(last)->gen == 0)))
        settle_import_objects(vm, last ? Pm_AS_GC(last) : young);
    vm->gc.gen[0].count = count0;
    pm_eval_break(vm);
    Pm_XDECREF(vm, last);
    return m;
}

/* ------------------------------------------------------------------ end of a run */

/* weakref.finalize, borrowed from sys.modules, or NULL (no exception). */
static PmObject *finalize_class(PmVM *vm)
{
    if (vm->modules == NULL) return NULL;
    PmObject *m = PmDict_GetItemString_Borrow(vm, vm->modules, "weakref");
    if (m == NULL || Pm_KIND(m) != PMT_MODULE) { PmErr_Clear(vm); return NULL; }
    PmObject *f = PmDict_GetItemString_Borrow(vm, ((PmModule *)m)->md_dict, "finalize");
    if (f == NULL || !PmType_Check(f)) { PmErr_Clear(vm); return NULL; }
    return f;
}

static int class_flag(PmVM *vm, PmObject *cls, const char *name)
{
    PmObject *v = PmObject_GetAttrString(vm, cls, name);
    int r = v ? PmObject_IsTrue(vm, v) : -1;
    Pm_XDECREF(vm, v);
    if (r < 0) PmErr_Clear(vm);
    return r > 0;
}

void pm_weakref_atexit(PmVM *vm)
{
    PmObject *fin = finalize_class(vm);
    if (fin == NULL || !class_flag(vm, fin, "_registered_with_atexit")) return;
    Pm_INCREF(fin);
    int enabled = vm->gc.enabled;
    vm->gc.enabled = 0;
    PmObject *name = PmStr_InternFromString(vm, "_exitfunc");
    PmObject *r = name ? PmObject_CallMethod(vm, fin, name, NULL, 0) : NULL;
    Pm_XDECREF(vm, name);
    if (r == NULL) pm_write_unraisable(vm, "Exception ignored in atexit callback", NULL, NULL);
    Pm_XDECREF(vm, r);
    PmErr_Clear(vm);
    vm->gc.enabled = enabled;
    Pm_DECREF(vm, fin);
}

static void clear_class_flag(PmVM *vm, PmObject *cls, const char *name)
{
    PmObject *n = PmStr_InternFromString(vm, name);
    if (n == NULL || PmObject_SetAttr(vm, cls, n, Pm_False(vm)) < 0) PmErr_Clear(vm);
    Pm_XDECREF(vm, n);
}

/* A new process would start with a fresh weakref module: forget this run's finalizers. */
void pm_weakref_atexit_done(PmVM *vm)
{
    PmObject *fin = finalize_class(vm);
    if (fin == NULL) return;
    Pm_INCREF(fin);
    PmObject *reg = PmObject_GetAttrString(vm, fin, "_registry");
    if (reg && PmDict_Check(reg)) PmDict_Clear(vm, reg);
    Pm_XDECREF(vm, reg);
    clear_class_flag(vm, fin, "_shutdown");
    clear_class_flag(vm, fin, "_registered_with_atexit");
    PmErr_Clear(vm);
    Pm_DECREF(vm, fin);
}
