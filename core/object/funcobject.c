/*
 * funcobject.c -- functions, cells, bound methods and builtin functions.
 *
 * Calling a Python function from C goes through pm_eval_call (vm/ceval.c), which copies
 * the (borrowed) arguments into a new frame with new references -- CPython's
 * _PyFunction_Vectorcall.  The eval loop's own CALL instead *moves* the caller's stack
 * references into the callee's frame, which is why an argument inside the callee counts
 * one reference fewer than a naive model would (corpus README 2).
 */
#include "pm.h"

/* ------------------------------------------------------------------ function */

PmObject *PmFunction_New(PmVM *vm, PmObject *code, PmObject *globals, PmObject *qualname)
{
    /* sizeof(PyFunctionObject) is 136 in CPython 3.11 (getsizeof 152) */
    PmFunction *f = (PmFunction *)pm_object_alloc(vm, PMT(vm, FUNCTION), sizeof(PmFunction),
                                                  136 + PM_MODEL_GC_HEAD);
    if (f == NULL) return NULL;
    PmCode *co = (PmCode *)code;
    f->func_code = Pm_NewRef(code);
    f->func_globals = Pm_NewRef(globals);
    PmObject *b = PmDict_GetItem_Borrow(vm, globals, PMID(vm, __builtins__));
    if (b && Pm_KIND(b) == PMT_MODULE) b = ((PmModule *)b)->md_dict;
    f->func_builtins = Pm_NewRef(b && PmDict_Check(b) ? b : vm->builtins);
    f->func_name = Pm_NewRef(co->co_name);
    f->func_qualname = Pm_NewRef(qualname ? qualname : co->co_qualname);
    PmObject *mod = PmDict_GetItem_Borrow(vm, globals, PMID(vm, __name__));
    f->func_module = Pm_XNewRef(mod);
    f->func_doc = Pm_NewRef(Pm_None(vm));
    pm_gc_track(vm, (PmObject *)f);
    return (PmObject *)f;
}

static void func_dealloc(PmVM *vm, PmObject *o)
{
    PmFunction *f = (PmFunction *)o;
    pm_gc_untrack(vm, o);
    if (f->func_weakreflist) pm_weakref_clear_all(vm, o);
    Pm_CLEAR(vm, f->func_globals);
    Pm_CLEAR(vm, f->func_builtins);
    Pm_CLEAR(vm, f->func_module);
    Pm_CLEAR(vm, f->func_defaults);
    Pm_CLEAR(vm, f->func_kwdefaults);
    Pm_CLEAR(vm, f->func_doc);
    Pm_CLEAR(vm, f->func_dict);
    Pm_CLEAR(vm, f->func_closure);
    Pm_CLEAR(vm, f->func_annotations);
    Pm_CLEAR(vm, f->func_code);
    Pm_CLEAR(vm, f->func_name);
    Pm_CLEAR(vm, f->func_qualname);
    pm_object_free(vm, o);
}

static int func_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    PmFunction *f = (PmFunction *)o;
    Pm_VISIT(vm, f->func_code);
    Pm_VISIT(vm, f->func_globals);
    Pm_VISIT(vm, f->func_builtins);
    Pm_VISIT(vm, f->func_module);
    Pm_VISIT(vm, f->func_defaults);
    Pm_VISIT(vm, f->func_kwdefaults);
    Pm_VISIT(vm, f->func_doc);
    Pm_VISIT(vm, f->func_name);
    Pm_VISIT(vm, f->func_dict);
    Pm_VISIT(vm, f->func_closure);
    Pm_VISIT(vm, f->func_annotations);
    Pm_VISIT(vm, f->func_qualname);
    return 0;
}

static int func_clear(PmVM *vm, PmObject *o)
{
    PmFunction *f = (PmFunction *)o;
    Pm_CLEAR(vm, f->func_globals);
    Pm_CLEAR(vm, f->func_builtins);
    Pm_CLEAR(vm, f->func_module);
    Pm_CLEAR(vm, f->func_defaults);
    Pm_CLEAR(vm, f->func_kwdefaults);
    Pm_CLEAR(vm, f->func_doc);
    Pm_CLEAR(vm, f->func_dict);
    Pm_CLEAR(vm, f->func_closure);
    Pm_CLEAR(vm, f->func_annotations);
    return 0;
}

static PmObject *func_repr(PmVM *vm, PmObject *o)
{
    return PmStr_FromFormat(vm, "<function %U at %p>", ((PmFunction *)o)->func_qualname,
                            (void *)o);
}

static PmObject *func_call(PmVM *vm, PmObject *callable, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    return pm_eval_call(vm, callable, args, nargs, kwnames);
}

static PmObject *func_descr_get(PmVM *vm, PmObject *self, PmObject *obj, PmObject *type)
{
    (void)type;
    if (obj == NULL || obj == Pm_None(vm)) return Pm_NewRef(self);
    return PmMethod_New(vm, self, obj);
}

#define FUNC_FIELD_GETTER(NAME, FIELD) \
    static PmObject *NAME(PmVM *vm, PmObject *o) \
    { PmObject *v = ((PmFunction *)o)->FIELD; return Pm_NewRef(v ? v : Pm_None(vm)); }
FUNC_FIELD_GETTER(func_get_name, func_name)
FUNC_FIELD_GETTER(func_get_qualname, func_qualname)
FUNC_FIELD_GETTER(func_get_doc, func_doc)
FUNC_FIELD_GETTER(func_get_code, func_code)
FUNC_FIELD_GETTER(func_get_defaults, func_defaults)
FUNC_FIELD_GETTER(func_get_kwdefaults, func_kwdefaults)
FUNC_FIELD_GETTER(func_get_closure, func_closure)
FUNC_FIELD_GETTER(func_get_globals, func_globals)
FUNC_FIELD_GETTER(func_get_module, func_module)
#undef FUNC_FIELD_GETTER

static int func_set_str_field(PmVM *vm, PmObject **field, PmObject *value, const char *what)
{
    if (value == NULL || !PmStr_Check(value)) {
        PmErr_Format(vm, PME(vm, TypeError), "%s must be set to a string object", what);
        return -1;
    }
    Pm_SETREF(vm, *field, Pm_NewRef(value));
    return 0;
}

static int func_set_name(PmVM *vm, PmObject *o, PmObject *v)
{
    return func_set_str_field(vm, &((PmFunction *)o)->func_name, v, "__name__");
}

static int func_set_qualname(PmVM *vm, PmObject *o, PmObject *v)
{
    return func_set_str_field(vm, &((PmFunction *)o)->func_qualname, v, "__qualname__");
}

static int func_set_doc(PmVM *vm, PmObject *o, PmObject *v)
{
    Pm_SETREF(vm, ((PmFunction *)o)->func_doc, Pm_NewRef(v ? v : Pm_None(vm)));
    return 0;
}

static PmObject *func_get_dict(PmVM *vm, PmObject *o)
{
    PmFunction *f = (PmFunction *)o;
    if (f->func_dict == NULL && (f->func_dict = PmDict_New(vm)) == NULL) return NULL;
    return Pm_NewRef(f->func_dict);
}

/* __annotations__: a dict made on first access (the compiler records no annotations), which
 * a program may replace with a dict, or None / del to drop it. */
static PmObject *func_get_annotations(PmVM *vm, PmObject *o)
{
    PmFunction *f = (PmFunction *)o;
    if (f->func_annotations == NULL && (f->func_annotations = PmDict_New(vm)) == NULL) return NULL;
    return Pm_NewRef(f->func_annotations);
}

static int func_set_annotations(PmVM *vm, PmObject *o, PmObject *value)
{
    if (value == Pm_None(vm)) value = NULL;
    if (value && !PmDict_Check(value)) {
        PmErr_SetString(vm, PME(vm, TypeError), "__annotations__ must be set to a dict object");
        return -1;
    }
    Pm_SETREF(vm, ((PmFunction *)o)->func_annotations, Pm_XNewRef(value));
    return 0;
}

static PmObject *func_get_builtins(PmVM *vm, PmObject *o)
{
    PmObject *b = ((PmFunction *)o)->func_builtins;
    return Pm_NewRef(b ? b : Pm_None(vm));
}

static const PmGetSetDef func_getset[] = {
    {"__name__", func_get_name, func_set_name},
    {"__qualname__", func_get_qualname, func_set_qualname},
    {"__doc__", func_get_doc, func_set_doc},
    {"__code__", func_get_code, NULL},
    {"__defaults__", func_get_defaults, NULL},
    {"__kwdefaults__", func_get_kwdefaults, NULL},
    {"__closure__", func_get_closure, NULL},
    {"__globals__", func_get_globals, NULL},
    {"__module__", func_get_module, NULL},
    {"__dict__", func_get_dict, NULL},
    {"__annotations__", func_get_annotations, func_set_annotations},
    {"__builtins__", func_get_builtins, NULL},
    {NULL, NULL, NULL}
};

const PmType PmFunction_Template = {
    .tp_name = "function",
    .tp_doc = "function(code, globals, name=None, argdefs=None, closure=None)\n"
              "--\n"
              "\n"
              "Create a function object.\n"
              "\n"
              "  code\n"
              "    a code object\n"
              "  globals\n"
              "    the globals dictionary\n"
              "  name\n"
              "    a string that overrides the name from the code object\n"
              "  argdefs\n"
              "    a tuple that specifies the default argument values\n"
              "  closure\n"
              "    a tuple that supplies the bindings for free variables",
    .tp_basicsize = 136,
    .tp_flags = PM_TPFLAGS_HAVE_GC,
    .tp_kind = PMT_FUNCTION,
    .tp_dealloc = func_dealloc,
    .tp_repr = func_repr,
    .tp_call = func_call,                 /* getattr/setattr: object's, inherited */
    .tp_traverse = func_traverse,
    .tp_clear = func_clear,
    .tp_getset = func_getset,
    .tp_descr_get = func_descr_get,
    .tp_weaklistoffset = offsetof(PmFunction, func_weakreflist),
};

/* ------------------------------------------------------------------ cell */

PmObject *PmCell_New(PmVM *vm, PmObject *ref)
{
    PmCell *c = (PmCell *)pm_object_alloc(vm, PMT(vm, CELL), sizeof(PmCell), 24 + PM_MODEL_GC_HEAD);
    if (c == NULL) return NULL;
    c->ob_ref = Pm_XNewRef(ref);
    pm_gc_track(vm, (PmObject *)c);
    return (PmObject *)c;
}

static void cell_dealloc(PmVM *vm, PmObject *o)
{
    pm_gc_untrack(vm, o);
    Pm_CLEAR(vm, ((PmCell *)o)->ob_ref);
    pm_object_free(vm, o);
}

static int cell_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    Pm_VISIT(vm, ((PmCell *)o)->ob_ref);
    return 0;
}

static int cell_clear(PmVM *vm, PmObject *o)
{
    Pm_CLEAR(vm, ((PmCell *)o)->ob_ref);
    return 0;
}

static PmObject *cell_repr(PmVM *vm, PmObject *o)
{
    PmObject *r = ((PmCell *)o)->ob_ref;
    if (r == NULL) return PmStr_FromFormat(vm, "<cell at %p: empty>", (void *)o);
    return PmStr_FromFormat(vm, "<cell at %p: %s object at %p>", (void *)o,
                            Pm_TYPE(r)->tp_name, (void *)r);
}

static PmObject *cell_get_contents(PmVM *vm, PmObject *o)
{
    PmObject *r = ((PmCell *)o)->ob_ref;
    if (r == NULL) return PmErr_Format(vm, PME(vm, ValueError), "Cell is empty");
    return Pm_NewRef(r);
}

static int cell_set_contents(PmVM *vm, PmObject *o, PmObject *v)
{
    Pm_SETREF(vm, ((PmCell *)o)->ob_ref, Pm_XNewRef(v));
    return 0;
}

static const PmGetSetDef cell_getset[] = {
    {"cell_contents", cell_get_contents, cell_set_contents},
    {NULL, NULL, NULL}
};

const PmType PmCell_Template = {
    .tp_name = "cell",
    .tp_doc = "cell([contents])\n"
              "--\n"
              "\n"
              "Create a new cell object.\n"
              "\n"
              "  contents\n"
              "    the contents of the cell. If not specified, the cell will be empty,\n"
              "    and \n"
              " further attempts to access its cell_contents attribute will\n"
              "    raise a ValueError.",
    .tp_basicsize = 24,
    .tp_flags = PM_TPFLAGS_HAVE_GC,
    .tp_kind = PMT_CELL,
    .tp_dealloc = cell_dealloc,
    .tp_repr = cell_repr,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_traverse = cell_traverse,
    .tp_clear = cell_clear,
    .tp_getset = cell_getset,
};

/* ------------------------------------------------------------------ bound method */

PmObject *PmMethod_New(PmVM *vm, PmObject *func, PmObject *self)
{
    PmMethod *m = (PmMethod *)pm_object_alloc(vm, PMT(vm, METHOD), sizeof(PmMethod),
                                              48 + PM_MODEL_GC_HEAD);
    if (m == NULL) return NULL;
    m->im_func = Pm_NewRef(func);
    m->im_self = Pm_NewRef(self);
    pm_gc_track(vm, (PmObject *)m);
    return (PmObject *)m;
}

static void method_dealloc(PmVM *vm, PmObject *o)
{
    PmMethod *m = (PmMethod *)o;
    pm_gc_untrack(vm, o);
    if (m->im_weakreflist) pm_weakref_clear_all(vm, o);
    Pm_CLEAR(vm, m->im_func);
    Pm_CLEAR(vm, m->im_self);
    pm_object_free(vm, o);
}

static int method_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    Pm_VISIT(vm, ((PmMethod *)o)->im_func);
    Pm_VISIT(vm, ((PmMethod *)o)->im_self);
    return 0;
}

static PmObject *method_call(PmVM *vm, PmObject *callable, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    PmMethod *m = (PmMethod *)callable;
    return pm_call_with_self(vm, m->im_func, m->im_self, args, nargs, kwnames);
}

static PmObject *method_repr(PmVM *vm, PmObject *o)
{
    PmMethod *m = (PmMethod *)o;
    PmObject *name = PmObject_LookupAttr(vm, m->im_func, PMID(vm, __qualname__));
    if (name == NULL) {
        if (PmErr_Occurred(vm)) return NULL;
        name = PmStr_FromString(vm, "?");
        if (name == NULL) return NULL;
    }
    PmObject *r = PmStr_FromFormat(vm, "<bound method %U of %R>", name, m->im_self);
    Pm_DECREF(vm, name);
    return r;
}

static PmObject *method_getattro(PmVM *vm, PmObject *o, PmObject *name)
{
    PmObject *descr = PmType_Lookup(vm, Pm_TYPE(o), name);
    if (descr) {
        pm_descrgetfunc get = Pm_TYPE(descr)->tp_descr_get;
        return get ? get(vm, descr, o, (PmObject *)Pm_TYPE(o)) : Pm_NewRef(descr);
    }
    return PmObject_GetAttr(vm, ((PmMethod *)o)->im_func, name);
}

static PmObject *method_get_func(PmVM *vm, PmObject *o)
{
    (void)vm;
    return Pm_NewRef(((PmMethod *)o)->im_func);
}

static PmObject *method_get_self(PmVM *vm, PmObject *o)
{
    (void)vm;
    return Pm_NewRef(((PmMethod *)o)->im_self);
}

static PmObject *method_richcompare(PmVM *vm, PmObject *a, PmObject *b, int op)
{
    if ((op != Pm_EQ && op != Pm_NE) || Pm_KIND(b) != PMT_METHOD)
        return Pm_NewRef(Pm_NotImplemented(vm));
    PmMethod *x = (PmMethod *)a, *y = (PmMethod *)b;
    bool eq = x->im_self == y->im_self;
    if (eq) {
        int r = PmObject_RichCompareBool(vm, x->im_func, y->im_func, Pm_EQ);
        if (r < 0) return NULL;
        eq = r;
    }
    return Pm_Bool(vm, op == Pm_EQ ? eq : !eq);
}

static Pm_hash_t method_hash(PmVM *vm, PmObject *o)
{
    PmMethod *m = (PmMethod *)o;
    Pm_hash_t x = pm_hash_pointer(m->im_self);
    Pm_hash_t y = PmObject_Hash(vm, m->im_func);
    if (y == -1) return -1;
    x = x ^ y;
    return x == -1 ? -2 : x;
}

static const PmGetSetDef method_getset[] = {
    {"__func__", method_get_func, NULL},
    {"__self__", method_get_self, NULL},
    {NULL, NULL, NULL}
};

const PmType PmMethod_Template = {
    .tp_name = "method",
    .tp_doc = "method(function, instance, /)\n"
              "--\n"
              "\n"
              "Create a bound instance method object.",
    .tp_basicsize = 48,
    .tp_flags = PM_TPFLAGS_HAVE_GC,
    .tp_kind = PMT_METHOD,
    .tp_dealloc = method_dealloc,
    .tp_repr = method_repr,
    .tp_hash = method_hash,
    .tp_richcompare = method_richcompare,
    .tp_call = method_call,
    .tp_getattro = method_getattro,
    .tp_traverse = method_traverse,
    .tp_getset = method_getset,
    .tp_weaklistoffset = offsetof(PmMethod, im_weakreflist),
};

/* ------------------------------------------------------------------ builtin functions */

PmObject *PmCFunction_New(PmVM *vm, const PmMethodDef *ml, PmObject *self, PmObject *module)
{
    PmCFunction *f = (PmCFunction *)pm_object_alloc(vm, PMT(vm, CFUNCTION), sizeof(PmCFunction),
                                                    56 + PM_MODEL_GC_HEAD);
    if (f == NULL) return NULL;
    f->m_ml = ml;
    f->m_self = Pm_XNewRef(self);
    f->m_module = Pm_XNewRef(module);
    pm_gc_track(vm, (PmObject *)f);
    return (PmObject *)f;
}

/* "list.append" for methods of instances, "len" for module functions. */
static void qualified_name(PmObject *self, const PmMethodDef *ml, char *buf, size_t cap)
{
    if (self == NULL) {
        snprintf(buf, cap, "%s", ml->name);
    } else if (Pm_KIND(self) == PMT_MODULE) {
        /* "sys.getrefcount", but plain "len" for builtins */
        PmObject *mn = ((PmModule *)self)->md_name;
        const char *m = mn && PmStr_Check(mn) && ((PmStr *)mn)->ascii ? (const char *)PmStr_DATA(mn) : NULL;
        if (m && strcmp(m, "builtins") != 0) snprintf(buf, cap, "%s.%s", m, ml->name);
        else snprintf(buf, cap, "%s", ml->name);
    } else {
        const char *tn = (ml->flags & PM_METH_CLASS) && PmType_Check(self)
                             ? ((PmType *)self)->tp_name : Pm_TYPE(self)->tp_name;
        snprintf(buf, cap, "%s.%s", tn, ml->name);
    }
}

PmObject *pm_call_methoddef(PmVM *vm, const PmMethodDef *ml, PmObject *self,
                            PmObject *const *args, size_t nargs, PmObject *kwnames)
{
    int flags = ml->flags;
    bool has_kw = kwnames && Pm_SIZE(kwnames) > 0;
    bool bad_kw = has_kw && !(flags & PM_METH_KEYWORDS);
    if (PM_UNLIKELY(bad_kw || ((flags & PM_METH_NOARGS) && nargs != 0) ||
                    ((flags & PM_METH_O) && nargs != 1))) {
        char name[128];   /* formatted only for the error: calls are hot */
        qualified_name(self, ml, name, sizeof name);
        if (bad_kw)
            return PmErr_Format(vm, PME(vm, TypeError), "%s() takes no keyword arguments", name);
        if (flags & PM_METH_NOARGS)
            return PmErr_Format(vm, PME(vm, TypeError), "%s() takes no arguments (%zu given)",
                                name, nargs);
        return PmErr_Format(vm, PME(vm, TypeError),
                            "%s() takes exactly one argument (%zu given)", name, nargs);
    }
    return ml->meth(vm, self, args, nargs, kwnames);
}

static void cfunc_dealloc(PmVM *vm, PmObject *o)
{
    PmCFunction *f = (PmCFunction *)o;
    pm_gc_untrack(vm, o);
    if (f->m_weakreflist) pm_weakref_clear_all(vm, o);
    Pm_CLEAR(vm, f->m_self);
    Pm_CLEAR(vm, f->m_module);
    pm_object_free(vm, o);
}

static int cfunc_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    Pm_VISIT(vm, ((PmCFunction *)o)->m_self);
    Pm_VISIT(vm, ((PmCFunction *)o)->m_module);
    return 0;
}

static PmObject *cfunc_call(PmVM *vm, PmObject *callable, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    PmCFunction *f = (PmCFunction *)callable;
    return pm_call_methoddef(vm, f->m_ml, f->m_self, args, nargs, kwnames);
}

static PmObject *cfunc_repr(PmVM *vm, PmObject *o)
{
    PmCFunction *f = (PmCFunction *)o;
    if (f->m_self == NULL || Pm_KIND(f->m_self) == PMT_MODULE)
        return PmStr_FromFormat(vm, "<built-in function %s>", f->m_ml->name);
    return PmStr_FromFormat(vm, "<built-in method %s of %s object at %p>", f->m_ml->name,
                            Pm_TYPE(f->m_self)->tp_name, (void *)f->m_self);
}

static PmObject *cfunc_get_name(PmVM *vm, PmObject *o)
{
    return PmStr_FromString(vm, ((PmCFunction *)o)->m_ml->name);
}

static PmObject *cfunc_get_qualname(PmVM *vm, PmObject *o)
{
    PmCFunction *f = (PmCFunction *)o;
    char name[128];
    qualified_name(f->m_self, f->m_ml, name, sizeof name);
    return PmStr_FromString(vm, name);
}

static PmObject *cfunc_get_self(PmVM *vm, PmObject *o)
{
    PmObject *s = ((PmCFunction *)o)->m_self;
    return Pm_NewRef(s ? s : Pm_None(vm));
}

static const PmGetSetDef cfunc_getset[] = {
    {"__name__", cfunc_get_name, NULL},
    {"__qualname__", cfunc_get_qualname, NULL},
    {"__self__", cfunc_get_self, NULL},
    {NULL, NULL, NULL}
};

const PmType PmCFunction_Template = {
    .tp_name = "builtin_function_or_method",
    .tp_basicsize = 56,
    .tp_flags = PM_TPFLAGS_HAVE_GC,
    .tp_kind = PMT_CFUNCTION,
    .tp_dealloc = cfunc_dealloc,
    .tp_repr = cfunc_repr,
    .tp_call = cfunc_call,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_traverse = cfunc_traverse,
    .tp_getset = cfunc_getset,
    .tp_weaklistoffset = offsetof(PmCFunction, m_weakreflist),
};
