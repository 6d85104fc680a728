/*
 * module.c -- the module type (CPython's Objects/moduleobject.c).
 *
 * A module is a GC object owning its namespace dict (md_dict) and its name.  getsizeof is
 * CPython 3.11's 72 (56-byte PyModuleObject + GC head).  A new module's dict starts with
 * __name__, __doc__, __package__, __loader__ and __spec__ in that order, as PyModule_New
 * makes it; modules made by the core for sys/builtins/gc/... are flagged md_builtin so
 * their repr reads "<module 'sys' (built-in)>" (CPython reads that from __spec__.origin;
 * we have no import machinery, so no ModuleSpec object exists and __spec__ is None).
 *
 * Functions of a module are builtin_function_or_method objects with m_self = the module
 * and m_module = its name, stored under interned names (PyModule_AddFunctions).
 */
#include "pm.h"
#include "gc/gc.h"
#include "lang/parser.h"
#include "lang/compile.h"

/* ------------------------------------------------------------------ constructors */

static int init_dict(PmVM *vm, PmObject *dict, PmObject *name, PmObject *doc)
{
    if (PmDict_SetItem(vm, dict, PMID(vm, __name__), name) < 0) return -1;
    if (PmDict_SetItem(vm, dict, PMID(vm, __doc__), doc) < 0) return -1;
    if (PmDict_SetItem(vm, dict, PMID(vm, __package__), Pm_None(vm)) < 0) return -1;
    if (PmDict_SetItem(vm, dict, PMID(vm, __loader__), Pm_None(vm)) < 0) return -1;
    if (PmDict_SetItem(vm, dict, PMID(vm, __spec__), Pm_None(vm)) < 0) return -1;
    return 0;
}

/* CPython's PyModule_NewObject: `name` borrowed. */
static PmObject *module_new_object(PmVM *vm, PmType *tp, PmObject *name)
{
    PmModule *m = (PmModule *)pm_object_alloc(vm, tp, sizeof(PmModule), 56 + PM_MODEL_GC_HEAD);
    if (m == NULL) return NULL;
    m->md_name = Pm_NewRef(name);
    m->md_dict = PmDict_New(vm);
    if (m->md_dict == NULL || init_dict(vm, m->md_dict, name, Pm_None(vm)) < 0) {
        Pm_DECREF(vm, (PmObject *)m);
        return NULL;
    }
    pm_gc_track(vm, (PmObject *)m);
    return (PmObject *)m;
}

PmObject *PmModule_New(PmVM *vm, const char *name)
{
    PmObject *n = PmStr_FromString(vm, name);
    if (n == NULL) return NULL;
    PmObject *m = module_new_object(vm, PMT(vm, MODULE), n);
    Pm_DECREF(vm, n);
    return m;
}

/* Objects a start-up import left in generation 0 after `last` go where CPython's start-up
 * objects are: the oldest generation. */
static void settle_startup_objects(PmVM *vm, PmGCHead *last)
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

PmObject *pm_module_make_as_startup(PmVM *vm, pm_module_initfunc create)
{
    int count0 = vm->gc.gen[0].count, enabled = vm->gc.enabled;
    PmGCHead *young = &vm->gc.gen[0].head;
    PmObject *last = young->gc_prev == young ? NULL : Pm_NewRef(Pm_FROM_GC(young->gc_prev));
    vm->gc.enabled = 0;
    PmObject *m = create(vm);
    vm->gc.enabled = enabled;
    if (m && (last == NULL || (pm_gc_is_tracked(last) && Pm_AS_GC(last)->gen == 0)))
        settle_startup_objects(vm, last ? Pm_AS_GC(last) : young);
    vm->gc.gen[0].count = count0;
    pm_eval_break(vm);
    Pm_XDECREF(vm, last);
    return m;
}

int pm_module_exec_source(PmVM *vm, PmObject *dict, const char *src, size_t len,
                          const char *filename)
{
    pmparse_options opt = {0};
    pmparse_result r;
    if (pmparse_source(&r, src, len, &opt) != 0) {
        PmErr_Format(vm, PME(vm, SystemError), "%s: %s: %s (line %d)", filename, r.error.type,
                     r.error.msg, r.error.lineno);
        pmparse_release(&r);
        return -1;
    }
    pmparse_error cerr = {0};
    PmObject *code = pm_compile_module(vm, r.module, filename, &cerr, NULL);
    pmparse_release(&r);
    if (code == NULL) {
        if (cerr.type)
            PmErr_Format(vm, PME(vm, SystemError), "%s: %s: %s (line %d)", filename, cerr.type,
                         cerr.msg, cerr.lineno);
        return -1;
    }
    PmObject *res = pm_eval_code(vm, code, dict, dict);
    Pm_DECREF(vm, code);
    if (res == NULL) return -1;
    Pm_DECREF(vm, res);
    return 0;
}

/* ------------------------------------------------------------------ dealloc, traverse, clear */

static void module_dealloc(PmVM *vm, PmObject *o)
{
    PmModule *m = (PmModule *)o;
    pm_gc_untrack(vm, o);
    if (m->md_weaklist) pm_weakref_clear_all(vm, o);
    Pm_CLEAR(vm, m->md_dict);
    Pm_CLEAR(vm, m->md_name);
    pm_object_free(vm, o);
}

static int module_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    Pm_VISIT(vm, ((PmModule *)o)->md_dict);
    return 0;
}

static int module_clear(PmVM *vm, PmObject *o)
{
    Pm_CLEAR(vm, ((PmModule *)o)->md_dict);
    return 0;
}

/* ------------------------------------------------------------------ repr */

static PmObject *dict_str_borrow(PmVM *vm, PmModule *m, PmObject *key)
{
    if (m->md_dict == NULL) return NULL;
    PmObject *v = PmDict_GetItem_Borrow(vm, m->md_dict, key);
    return v && PmStr_Check(v) ? v : NULL;
}

static PmObject *module_repr(PmVM *vm, PmObject *o)
{
    PmModule *m = (PmModule *)o;
    PmObject *name = dict_str_borrow(vm, m, PMID(vm, __name__));
    PmObject *file = dict_str_borrow(vm, m, PMID(vm, __file__));
    if (PmErr_Occurred(vm)) return NULL;
    PmObject *q = NULL;
    if (name == NULL && (name = q = PmStr_FromString(vm, "?")) == NULL) return NULL;
    PmObject *r;
    if (file) r = PmStr_FromFormat(vm, "<module %R from %R>", name, file);
    else if (m->md_builtin) r = PmStr_FromFormat(vm, "<module %R (built-in)>", name);
    else r = PmStr_FromFormat(vm, "<module %R>", name);
    Pm_XDECREF(vm, q);
    return r;
}

/* ------------------------------------------------------------------ attributes */

/* CPython's module_getattro: generic lookup, then the module's __getattr__ (PEP 562). */
static PmObject *module_getattro(PmVM *vm, PmObject *o, PmObject *name)
{
    PmModule *m = (PmModule *)o;
    PmObject *descr = PmType_Lookup(vm, Pm_TYPE(o), name);
    PmObject *found = NULL;
    if (descr == NULL && m->md_dict) found = PmDict_GetItem_Borrow(vm, m->md_dict, name);
    if (found) return Pm_NewRef(found);
    if (descr) return PmObject_GenericGetAttr(vm, o, name);
    if (PmErr_Occurred(vm)) return NULL;
    if (m->md_dict) {
        PmObject *hook = PmDict_GetItem_Borrow(vm, m->md_dict, PMID(vm, __getattr__));
        if (hook) return PmObject_CallOneArg(vm, hook, name);
        PmObject *mn = dict_str_borrow(vm, m, PMID(vm, __name__));
        if (mn)
            return PmErr_Format(vm, PME(vm, AttributeError), "module '%U' has no attribute '%U'",
                                mn, name);
    }
    return PmErr_Format(vm, PME(vm, AttributeError), "module has no attribute '%U'", name);
}

static PmObject *module_get_dict(PmVM *vm, PmObject *o)
{
    PmModule *m = (PmModule *)o;
    if (m->md_dict == NULL && (m->md_dict = PmDict_New(vm)) == NULL) return NULL;
    return Pm_NewRef(m->md_dict);
}

/* ------------------------------------------------------------------ methods */

/* module.__dir__: the keys of __dict__ (or what a __dir__ in it returns). */
static PmObject *module_dir(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmModule *m = (PmModule *)self;
    if (m->md_dict == NULL) return PmList_New(vm, 0);
    PmObject *hook = PmDict_GetItemString_Borrow(vm, m->md_dict, "__dir__");
    if (hook) return PmObject_CallNoArgs(vm, hook);
    return PmDict_Keys(vm, m->md_dict);
}

static const PmMethodDef module_methods[] = {
    {"__dir__", module_dir, PM_METH_NOARGS},
    {NULL, NULL, 0}
};

static const PmGetSetDef module_getset[] = {
    {"__dict__", module_get_dict, NULL},
    {NULL, NULL, NULL}
};

/* module(name, doc=None): CPython's module___init___impl argument rules. */
static PmObject *module_tp_new(PmVM *vm, PmType *tp, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    size_t nkw = kwnames ? (size_t)Pm_SIZE(kwnames) : 0;
    PmObject *name = nargs > 0 ? args[0] : NULL, *doc = nargs > 1 ? args[1] : NULL;
    if (nargs + nkw > 2)
        return PmErr_Format(vm, PME(vm, TypeError), "module() takes at most 2 arguments (%zu given)",
                            nargs + nkw);
    for (size_t i = 0; i < nkw; i++) {
        PmObject *k = PmTuple_GET_ITEM(kwnames, i);
        if (PmStr_EqualToASCII(k, "name") && name == NULL) name = args[nargs + i];
        else if (PmStr_EqualToASCII(k, "doc") && doc == NULL) doc = args[nargs + i];
        else
            return PmErr_Format(vm, PME(vm, TypeError),
                                "'%U' is an invalid keyword argument for module()", k);
    }
    if (name == NULL)
        return PmErr_Format(vm, PME(vm, TypeError),
                            "module() missing required argument 'name' (pos 1)");
    if (!PmStr_Check(name))
        return PmErr_Format(vm, PME(vm, TypeError),
                            "module() argument 'name' must be str, not %T", name);
    PmObject *m = module_new_object(vm, tp, name);
    if (m && doc && PmDict_SetItem(vm, ((PmModule *)m)->md_dict, PMID(vm, __doc__), doc) < 0)
        Pm_CLEAR(vm, m);
    return m;
}

/* ------------------------------------------------------------------ module functions */

int pm_module_add_functions(PmVM *vm, PmObject *module, const PmMethodDef *defs)
{
    PmModule *m = (PmModule *)module;
    for (const PmMethodDef *d = defs; d->name; d++) {
        PmObject *f = PmCFunction_New(vm, d, module, m->md_name);
        if (f == NULL) return -1;
        PmObject *key = PmStr_InternFromString(vm, d->name);
        int r = key ? PmDict_SetItem(vm, m->md_dict, key, f) : -1;
        Pm_XDECREF(vm, key);
        Pm_DECREF(vm, f);
        if (r < 0) return -1;
    }
    return 0;
}

int pm_module_add_object(PmVM *vm, PmObject *module, const char *name, PmObject *value)
{
    if (value == NULL) return -1;
    PmObject *key = PmStr_InternFromString(vm, name);
    int r = key ? PmDict_SetItem(vm, ((PmModule *)module)->md_dict, key, value) : -1;
    Pm_XDECREF(vm, key);
    Pm_DECREF(vm, value);
    return r;
}

/* ------------------------------------------------------------------ type template */

const PmType PmModule_Template = {
    .tp_name = "module",
    .tp_doc = "module(name, doc=None)\n"
              "--\n"
              "\n"
              "Create a module object.\n"
              "\n"
              "The name must be a string; the optional doc argument can have any type.",
    .tp_basicsize = 56,
    .tp_flags = PM_TPFLAGS_HAVE_GC | PM_TPFLAGS_BASETYPE,
    .tp_kind = PMT_MODULE,
    .tp_dealloc = module_dealloc,
    .tp_repr = module_repr,
    .tp_getattro = module_getattro,
    .tp_setattro = PmObject_GenericSetAttr,
    .tp_traverse = module_traverse,
    .tp_clear = module_clear,
    .tp_methods = module_methods,
    .tp_getset = module_getset,
    .tp_new = module_tp_new,
    .tp_weaklistoffset = offsetof(PmModule, md_weaklist),
};
