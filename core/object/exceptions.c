/*
 * exceptions.c -- BaseException and the standard exception classes (CPython 3.11's
 * Objects/exceptions.c, in small).
 *
 * One C struct (PmBaseException, runtime_types.h) serves every class; the classes that have
 * attributes of their own (StopIteration.value, SyntaxError.lineno, ...) keep them in
 * `fields`, and each such "layout" has its own init, traverse and clear in CPython's order.
 * The classes are made per VM by pm_exceptions_init from the PM_EXCEPTIONS table of vm.h,
 * each with exactly the dict entries CPython's has (`ValueError.__dict__` holds __new__,
 * __init__ and __doc__; `KeyError.__dict__` __str__, __init__ and __doc__).
 *
 * Construction follows type_call: tp_new stores the arguments as `args` (like
 * BaseException_new), tp_init stores them again and parses the layout's fields.  Instances
 * of classes defined in Python are laid out by typeobject.c (this struct, then their
 * PmInstanceExtra block); exc_new allocates them with their real size.
 */
#include "pm.h"

typedef PmBaseException Exc;
#define EXC(o) ((Exc *)(o))

static PmObject *exc_str(PmVM *vm, PmObject *self);

/* ------------------------------------------------------------------ layouts */

/* The builtin class an exception's layout comes from (skips classes defined in Python). */
static PmType *builtin_base(PmType *tp)
{
    while (tp && PmType_HasFeature(tp, PM_TPFLAGS_HEAPTYPE)) tp = tp->tp_base;
    return tp;
}

static bool derives_from(PmVM *vm, PmObject *o, int pme)
{
    return PmType_IsSubtype(builtin_base(Pm_TYPE(o)), vm->exc_types[pme]);
}

/* Store `args` as the args tuple, keeping the current one when it already holds exactly
 * these objects (type_call hands CPython's __new__ and __init__ the same tuple). */
static int set_args(PmVM *vm, Exc *e, PmObject *const *args, size_t nargs)
{
    PmObject *cur = e->args;
    if (cur && Pm_IS_TYPE(vm, cur, TUPLE) && (size_t)Pm_SIZE(cur) == nargs) {
        size_t i = 0;
        while (i < nargs && PmTuple_GET_ITEM(cur, i) == args[i]) i++;
        if (i == nargs) return 0;
    }
    PmObject *t = PmTuple_FromArray(vm, args, (Pm_ssize_t)nargs);
    if (t == NULL) return -1;
    Pm_SETREF(vm, e->args, t);
    return 0;
}

/* args, or () once a collection has cleared the exception (finalizers may still look). */
static PmObject *args_of(PmVM *vm, PmObject *o)
{
    return EXC(o)->args ? EXC(o)->args : vm->empty_tuple;
}

static void set_field(PmVM *vm, Exc *e, int i, PmObject *v)
{
    Pm_SETREF(vm, e->fields[i], Pm_XNewRef(v));
}

/* ------------------------------------------------------------------ constructors */

/* BaseException_new: allocate (real size of heap subclasses included), args = the arguments;
 * keyword arguments are left to __init__. */
static PmObject *exc_alloc(PmVM *vm, PmType *type)
{
    if (PmType_HasFeature(type, PM_TPFLAGS_HEAPTYPE)) return pm_instance_new(vm, type);
    PmObject *o = pm_object_alloc(vm, type, sizeof(Exc),
                                  (size_t)type->tp_basicsize + PM_MODEL_GC_HEAD);
    if (o != NULL) pm_gc_track(vm, o);
    return o;
}

static PmObject *exc_new(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs,
                         PmObject *kwnames)
{
    (void)kwnames;
    PmObject *o = exc_alloc(vm, type);
    if (o == NULL) return NULL;
    if (set_args(vm, EXC(o), args, nargs) < 0) {
        Pm_DECREF(vm, o);
        return NULL;
    }
    return o;
}

static int exc_init(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                    PmObject *kwnames)
{
    if (pm_no_kwargs(vm, Pm_TYPE(self)->tp_name, kwnames) < 0) return -1;
    return set_args(vm, EXC(self), args, nargs);
}

PmObject *PmExc_New(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs)
{
    if (PmType_HasFeature(type, PM_TPFLAGS_HEAPTYPE) || type->tp_new == NULL)
        return PmObject_Vectorcall(vm, (PmObject *)type, args, nargs, NULL);
    PmObject *o = type->tp_new(vm, type, args, nargs, NULL);
    if (o == NULL) return NULL;
    if (Pm_TYPE(o)->tp_init && Pm_TYPE(o)->tp_init(vm, o, args, nargs, NULL) < 0) {
        Pm_DECREF(vm, o);
        return NULL;
    }
    return o;
}

/* ------------------------------------------------------------------ dealloc, traverse, clear */

static void clear_base(PmVM *vm, Exc *e)
{
    Pm_CLEAR(vm, e->dict);
    Pm_CLEAR(vm, e->args);
    Pm_CLEAR(vm, e->notes);
    Pm_CLEAR(vm, e->traceback);
    Pm_CLEAR(vm, e->cause);
    Pm_CLEAR(vm, e->context);
}

static int traverse_base(PmVM *vm, Exc *e, pm_visitproc visit, void *arg)
{
    Pm_VISIT(vm, e->dict);
    Pm_VISIT(vm, e->args);
    Pm_VISIT(vm, e->notes);
    Pm_VISIT(vm, e->traceback);
    Pm_VISIT(vm, e->cause);
    Pm_VISIT(vm, e->context);
    return 0;
}

/* Field orders of CPython's *_traverse / *_clear functions (-1 ends). */
static const int8_t order_one[] = {0, -1};
static const int8_t order_attr[] = {1, 0, -1};                 /* obj, name */
static const int8_t order_import[] = {0, 1, 2, -1};
static const int8_t order_os[] = {0, 1, 2, 3, -1};
static const int8_t order_syntax[] = {0, 1, 2, 3, 5, 6, 4, 7, -1};

static void clear_fields(PmVM *vm, Exc *e, const int8_t *order)
{
    for (; *order >= 0; order++) Pm_CLEAR(vm, e->fields[*order]);
}

static int visit_fields(PmVM *vm, Exc *e, const int8_t *order, pm_visitproc visit, void *arg)
{
    for (; *order >= 0; order++) Pm_VISIT(vm, e->fields[*order]);
    return 0;
}

static int exc_clear(PmVM *vm, PmObject *o)
{
    clear_base(vm, EXC(o));
    return 0;
}

static int exc_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    return traverse_base(vm, EXC(o), visit, arg);
}

#define LAYOUT(NAME, ORDER) \
    static int NAME##_clear(PmVM *vm, PmObject *o) \
    { clear_fields(vm, EXC(o), ORDER); clear_base(vm, EXC(o)); return 0; } \
    static int NAME##_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg) \
    { int r = visit_fields(vm, EXC(o), ORDER, visit, arg); \
      return r ? r : traverse_base(vm, EXC(o), visit, arg); }
LAYOUT(one, order_one)
LAYOUT(attr, order_attr)
LAYOUT(import, order_import)
LAYOUT(os, order_os)
LAYOUT(syntax, order_syntax)
#undef LAYOUT

static void exc_release(PmVM *vm, PmObject *o)
{
    builtin_base(Pm_TYPE(o))->tp_clear(vm, o);
    pm_object_free(vm, o);
}

/* BaseException_dealloc, with the trashcan (chains of __context__ can be long).  Instances
 * of Python subclasses arrive here from pm_instance_dealloc, which already holds the
 * trashcan and has released their attributes (CPython's _PyTrash_cond skips the base's
 * trashcan for them the same way). */
static void exc_dealloc(PmVM *vm, PmObject *o)
{
    if (pm_gc_is_tracked(o)) pm_gc_untrack(vm, o);
    if (Pm_TYPE(o)->tp_dealloc != exc_dealloc) {
        exc_release(vm, o);
        return;
    }
    PM_TRASHCAN_BEGIN(vm, o)
    exc_release(vm, o);
    PM_TRASHCAN_END(vm)
}

/* ------------------------------------------------------------------ repr, str */

static PmObject *exc_repr(PmVM *vm, PmObject *self)
{
    const char *name = Pm_TYPE(self)->tp_name;
    const char *dot = strrchr(name, '.');
    if (dot) name = dot + 1;
    PmObject *args = args_of(vm, self);
    if (Pm_SIZE(args) == 1)
        return PmStr_FromFormat(vm, "%s(%R)", name, PmTuple_GET_ITEM(args, 0));
    return PmStr_FromFormat(vm, "%s%R", name, args);
}

static PmObject *exc_str(PmVM *vm, PmObject *self)
{
    PmObject *args = args_of(vm, self);
    switch (Pm_SIZE(args)) {
    case 0: return Pm_NewRef(vm->empty_str);
    case 1: return PmObject_Str(vm, PmTuple_GET_ITEM(args, 0));
    default: return PmObject_Str(vm, args);
    }
}

/* KeyError_str: the repr of a single argument, so KeyError('') does not print as nothing. */
static PmObject *keyerror_str(PmVM *vm, PmObject *self)
{
    PmObject *args = args_of(vm, self);
    if (Pm_SIZE(args) == 1) return PmObject_Repr(vm, PmTuple_GET_ITEM(args, 0));
    return exc_str(vm, self);
}

/* ------------------------------------------------------------------ attributes of BaseException */

/* Classes defined in Python keep their attributes in a real dict from the first assignment
 * on, as CPython's exceptions do (the dict counts as an object for the collector). */
static int exc_setattro(PmVM *vm, PmObject *o, PmObject *name, PmObject *value)
{
    PmType *tp = Pm_TYPE(o);
    if (value && tp->ht_extra_offset && tp->ht_has_dict && PmInstance_EXTRA(o)->dict == NULL) {
        PmObject *descr = PmType_Lookup(vm, tp, name);
        if ((descr == NULL || Pm_TYPE(descr)->tp_descr_set == NULL) &&
            pm_instance_get_dict(vm, o) == NULL) return -1;
    }
    return PmObject_GenericSetAttr(vm, o, name, value);
}

static PmObject *get_dict(PmVM *vm, PmObject *o)
{
    Exc *e = EXC(o);
    if (e->dict == NULL && (e->dict = PmDict_New(vm)) == NULL) return NULL;
    return Pm_NewRef(e->dict);
}

static int set_dict(PmVM *vm, PmObject *o, PmObject *value)
{
    if (value == NULL) {
        PmErr_SetString(vm, PME(vm, TypeError), "cannot delete __dict__");
        return -1;
    }
    if (!PmDict_Check(value)) {
        PmErr_Format(vm, PME(vm, TypeError), "__dict__ must be set to a dictionary, not a '%.200s'",
                     Pm_TYPE(value)->tp_name);
        return -1;
    }
    Pm_SETREF(vm, EXC(o)->dict, Pm_NewRef(value));
    return 0;
}

static PmObject *get_args(PmVM *vm, PmObject *o)
{
    PmObject *a = EXC(o)->args;
    return Pm_NewRef(a ? a : Pm_None(vm));
}

static int set_args_attr(PmVM *vm, PmObject *o, PmObject *value)
{
    if (value == NULL) {
        PmErr_SetString(vm, PME(vm, TypeError), "args may not be deleted");
        return -1;
    }
    PmObject *t = PmSequence_Tuple(vm, value);
    if (t == NULL) return -1;
    Pm_SETREF(vm, EXC(o)->args, t);
    return 0;
}

static PmObject *get_tb(PmVM *vm, PmObject *o)
{
    PmObject *tb = EXC(o)->traceback;
    return Pm_NewRef(tb ? tb : Pm_None(vm));
}

static int set_tb(PmVM *vm, PmObject *o, PmObject *tb)
{
    if (tb == NULL) {
        PmErr_SetString(vm, PME(vm, TypeError), "__traceback__ may not be deleted");
        return -1;
    }
    if (Pm_IS_TYPE(vm, tb, TRACEBACK)) {
        Pm_SETREF(vm, EXC(o)->traceback, Pm_NewRef(tb));
    } else if (tb == Pm_None(vm)) {
        Pm_CLEAR(vm, EXC(o)->traceback);
    } else {
        PmErr_SetString(vm, PME(vm, TypeError), "__traceback__ must be a traceback or None");
        return -1;
    }
    return 0;
}

static PmObject *get_context(PmVM *vm, PmObject *o)
{
    PmObject *c = EXC(o)->context;
    return Pm_NewRef(c ? c : Pm_None(vm));
}

/* Shared by __context__ and __cause__: None or an exception instance. */
static int check_chain_value(PmVM *vm, PmObject *v, const char *what)
{
    if (v == NULL) {
        PmErr_Format(vm, PME(vm, TypeError), "__%s__ may not be deleted", what);
        return -1;
    }
    if (v != Pm_None(vm) && !PmExc_Check(v)) {
        PmErr_Format(vm, PME(vm, TypeError),
                     "exception %s must be None or derive from BaseException", what);
        return -1;
    }
    return 0;
}

static int set_context(PmVM *vm, PmObject *o, PmObject *v)
{
    if (check_chain_value(vm, v, "context") < 0) return -1;
    Pm_SETREF(vm, EXC(o)->context, v == Pm_None(vm) ? NULL : Pm_NewRef(v));
    return 0;
}

static PmObject *get_cause(PmVM *vm, PmObject *o)
{
    PmObject *c = EXC(o)->cause;
    return Pm_NewRef(c ? c : Pm_None(vm));
}

/* PyException_SetCause: setting __cause__ (even to None) sets __suppress_context__. */
static int set_cause(PmVM *vm, PmObject *o, PmObject *v)
{
    if (check_chain_value(vm, v, "cause") < 0) return -1;
    EXC(o)->suppress_context = 1;
    Pm_SETREF(vm, EXC(o)->cause, v == Pm_None(vm) ? NULL : Pm_NewRef(v));
    return 0;
}

/* __suppress_context__ is a T_BOOL member. */
static PmObject *get_suppress(PmVM *vm, PmObject *o)
{
    return Pm_Bool(vm, EXC(o)->suppress_context);
}

static int set_suppress(PmVM *vm, PmObject *o, PmObject *v)
{
    if (v == NULL) {
        PmErr_SetString(vm, PME(vm, TypeError), "can't delete numeric/char attribute");
        return -1;
    }
    if (!Pm_IS_TYPE(vm, v, BOOL)) {
        PmErr_SetString(vm, PME(vm, TypeError), "attribute value type must be bool");
        return -1;
    }
    EXC(o)->suppress_context = v == Pm_True(vm);
    return 0;
}

/* ------------------------------------------------------------------ methods of BaseException */

static PmObject *exc_reduce(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    Exc *e = EXC(self);
    if (e->args && e->dict) return PmTuple_Pack(vm, 3, (PmObject *)Pm_TYPE(self), e->args, e->dict);
    return PmTuple_Pack(vm, 2, (PmObject *)Pm_TYPE(self), e->args ? e->args : Pm_None(vm));
}

static PmObject *exc_setstate(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    PmObject *state = args[0];
    if (state == Pm_None(vm)) return Pm_RETURN_NONE(vm);
    if (!PmDict_Check(state)) {
        PmErr_SetString(vm, PME(vm, TypeError), "state is not a dictionary");
        return NULL;
    }
    Pm_ssize_t pos = 0;
    PmObject *k, *v;
    while (PmDict_Next(state, &pos, &k, &v)) {
        Pm_INCREF(k);
        Pm_INCREF(v);
        int r = PmObject_SetAttr(vm, self, k, v);
        Pm_DECREF(vm, v);
        Pm_DECREF(vm, k);
        if (r < 0) return NULL;
    }
    return Pm_RETURN_NONE(vm);
}

static PmObject *exc_with_traceback(PmVM *vm, PmObject *self, PmObject *const *args,
                                    size_t nargs, PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    if (set_tb(vm, self, args[0]) < 0) return NULL;
    return Pm_NewRef(self);
}

/* add_note (3.11): __notes__ is an ordinary attribute holding a list. */
static PmObject *exc_add_note(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    PmObject *note = args[0];
    if (!PmStr_Check(note)) {
        return PmErr_Format(vm, PME(vm, TypeError), "note must be a str, not '%s'",
                            Pm_TYPE(note)->tp_name);
    }
    PmObject *name = PmStr_InternFromString(vm, "__notes__");
    if (name == NULL) return NULL;
    PmObject *notes = PmObject_LookupAttr(vm, self, name);
    if (notes == NULL && !PmErr_Occurred(vm)) {
        notes = PmList_New(vm, 0);
        if (notes && PmObject_SetAttr(vm, self, name, notes) < 0) Pm_CLEAR(vm, notes);
    }
    Pm_DECREF(vm, name);
    if (notes == NULL) return NULL;
    if (!PmList_Check(notes)) {
        Pm_DECREF(vm, notes);
        PmErr_SetString(vm, PME(vm, TypeError), "Cannot add note: __notes__ is not a list");
        return NULL;
    }
    int r = PmList_Append(vm, notes, note);
    Pm_DECREF(vm, notes);
    if (r < 0) return NULL;
    return Pm_RETURN_NONE(vm);
}

static const PmMethodDef exc_methods[] = {
    {"__reduce__", exc_reduce, PM_METH_NOARGS},
    {"__setstate__", exc_setstate, PM_METH_O},
    {"with_traceback", exc_with_traceback, PM_METH_O},
    {"add_note", exc_add_note, PM_METH_O},
    {NULL, NULL, 0}
};

static const PmGetSetDef exc_getset[] = {
    {"__suppress_context__", get_suppress, set_suppress},
    {"__dict__", get_dict, set_dict},
    {"args", get_args, set_args_attr},
    {"__traceback__", get_tb, set_tb},
    {"__context__", get_context, set_context},
    {"__cause__", get_cause, set_cause},
    {NULL, NULL, NULL}
};

/* ------------------------------------------------------------------ member fields (T_OBJECT) */

/* Getter/setter pairs for fields[i]: None when unset; deletion unsets. */
#define MEMBER(I) \
    static PmObject *get_f##I(PmVM *vm, PmObject *o) \
    { PmObject *v = EXC(o)->fields[I]; return Pm_NewRef(v ? v : Pm_None(vm)); } \
    static int set_f##I(PmVM *vm, PmObject *o, PmObject *v) \
    { set_field(vm, EXC(o), I, v); return 0; }
MEMBER(0) MEMBER(1) MEMBER(2) MEMBER(3) MEMBER(4) MEMBER(5) MEMBER(6) MEMBER(7)
#undef MEMBER

static const PmGetSetDef stopiteration_getset[] = {{"value", get_f0, set_f0}, {NULL, NULL, NULL}};
static const PmGetSetDef systemexit_getset[] = {{"code", get_f0, set_f0}, {NULL, NULL, NULL}};
static const PmGetSetDef nameerror_getset[] = {{"name", get_f0, set_f0}, {NULL, NULL, NULL}};
static const PmGetSetDef attributeerror_getset[] = {
    {"name", get_f0, set_f0}, {"obj", get_f1, set_f1}, {NULL, NULL, NULL}
};
static const PmGetSetDef importerror_getset[] = {
    {"msg", get_f0, set_f0}, {"name", get_f1, set_f1}, {"path", get_f2, set_f2},
    {NULL, NULL, NULL}
};
static const PmGetSetDef syntaxerror_getset[] = {
    {"msg", get_f0, set_f0}, {"filename", get_f1, set_f1}, {"lineno", get_f2, set_f2},
    {"offset", get_f3, set_f3}, {"text", get_f4, set_f4}, {"end_lineno", get_f5, set_f5},
    {"end_offset", get_f6, set_f6}, {"print_file_and_line", get_f7, set_f7},
    {NULL, NULL, NULL}
};

static PmObject *os_get_written(PmVM *vm, PmObject *o)
{
    (void)o;
    PmErr_SetString(vm, PME(vm, AttributeError), "characters_written");
    return NULL;
}

static int os_set_written(PmVM *vm, PmObject *o, PmObject *v)
{
    (void)o; (void)v;
    PmErr_SetString(vm, PME(vm, AttributeError), "characters_written");
    return -1;
}

static const PmGetSetDef oserror_getset[] = {
    {"errno", get_f0, set_f0}, {"strerror", get_f1, set_f1}, {"filename", get_f2, set_f2},
    {"filename2", get_f3, set_f3}, {"characters_written", os_get_written, os_set_written},
    {NULL, NULL, NULL}
};

/* ------------------------------------------------------------------ StopIteration, SystemExit */

static int stopiteration_init(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    if (exc_init(vm, self, args, nargs, kwnames) < 0) return -1;
    set_field(vm, EXC(self), 0, nargs > 0 ? args[0] : Pm_None(vm));
    return 0;
}

static int systemexit_init(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    if (exc_init(vm, self, args, nargs, kwnames) < 0) return -1;
    if (nargs == 1) set_field(vm, EXC(self), 0, args[0]);
    else if (nargs > 1) set_field(vm, EXC(self), 0, EXC(self)->args);
    return 0;
}

/* ------------------------------------------------------------------ keyword-only fields */

/* PyArg_ParseTupleAndKeywords(empty, kwds, "|$OO:FUNC", names): store the keyword values in
 * out[] (NULL when absent). */
static int parse_kwonly(PmVM *vm, const char *func, const char *const *names, int n,
                        PmObject *const *kwvalues, PmObject *kwnames, PmObject **out)
{
    for (int i = 0; i < n; i++) out[i] = NULL;
    Pm_ssize_t nk = kwnames ? Pm_SIZE(kwnames) : 0;
    for (Pm_ssize_t k = 0; k < nk; k++) {
        PmObject *key = PmTuple_GET_ITEM(kwnames, k);
        int i = 0;
        while (i < n && !PmStr_EqualToASCII(key, names[i])) i++;
        if (i == n) {
            PmErr_Format(vm, PME(vm, TypeError), "'%U' is an invalid keyword argument for %s()",
                         key, func);
            return -1;
        }
        out[i] = kwvalues[k];
    }
    return 0;
}

static int nameerror_init(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                          PmObject *kwnames)
{
    static const char *const names[] = {"name"};
    PmObject *v[1];
    if (set_args(vm, EXC(self), args, nargs) < 0) return -1;
    if (parse_kwonly(vm, "NameError", names, 1, args + nargs, kwnames, v) < 0) return -1;
    set_field(vm, EXC(self), 0, v[0]);
    return 0;
}

static int attributeerror_init(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    static const char *const names[] = {"name", "obj"};
    PmObject *v[2];
    if (set_args(vm, EXC(self), args, nargs) < 0) return -1;
    if (parse_kwonly(vm, "AttributeError", names, 2, args + nargs, kwnames, v) < 0) return -1;
    set_field(vm, EXC(self), 0, v[0]);
    set_field(vm, EXC(self), 1, v[1]);
    return 0;
}

void pm_exc_attribute_error_context(PmVM *vm, PmObject *obj, PmObject *name)
{
    PmObject *exc = vm->exc;
    if (exc == NULL || !PmExc_Check(exc) || !derives_from(vm, exc, PME_AttributeError)) return;
    Exc *e = EXC(exc);
    if (e->fields[0] || e->fields[1]) return;
    set_field(vm, e, 0, name);
    set_field(vm, e, 1, obj);
}

/* ------------------------------------------------------------------ ImportError */

static int importerror_init(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    static const char *const names[] = {"name", "path"};
    PmObject *v[2];
    if (set_args(vm, EXC(self), args, nargs) < 0) return -1;
    if (parse_kwonly(vm, "ImportError", names, 2, args + nargs, kwnames, v) < 0) return -1;
    set_field(vm, EXC(self), 1, v[0]);
    set_field(vm, EXC(self), 2, v[1]);
    set_field(vm, EXC(self), 0, nargs == 1 ? args[0] : NULL);
    return 0;
}

static PmObject *importerror_str(PmVM *vm, PmObject *self)
{
    PmObject *msg = EXC(self)->fields[0];
    if (msg && Pm_IS_TYPE(vm, msg, STR)) return Pm_NewRef(msg);
    return exc_str(vm, self);
}

/* ImportError_reduce: (type, args[, state]) with name and path in the state dict. */
static PmObject *importerror_reduce(PmVM *vm, PmObject *self, PmObject *const *args,
                                    size_t nargs, PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    Exc *e = EXC(self);
    PmObject *state;
    if (e->fields[1] || e->fields[2]) {
        state = e->dict ? PmDict_Copy(vm, e->dict) : PmDict_New(vm);
        if (state == NULL) return NULL;
        if ((e->fields[1] && PmDict_SetItemString(vm, state, "name", e->fields[1]) < 0) ||
            (e->fields[2] && PmDict_SetItemString(vm, state, "path", e->fields[2]) < 0)) {
            Pm_DECREF(vm, state);
            return NULL;
        }
    } else {
        state = Pm_NewRef(e->dict ? e->dict : Pm_None(vm));
    }
    PmObject *a = args_of(vm, self);
    PmObject *r = state == Pm_None(vm)
        ? PmTuple_Pack(vm, 2, (PmObject *)Pm_TYPE(self), a)
        : PmTuple_Pack(vm, 3, (PmObject *)Pm_TYPE(self), a, state);
    Pm_DECREF(vm, state);
    return r;
}

static const PmMethodDef importerror_methods[] = {
    {"__reduce__", importerror_reduce, PM_METH_NOARGS},
    {NULL, NULL, 0}
};

/* ------------------------------------------------------------------ OSError */

static PmObject *oserror_new(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs,
                             PmObject *kwnames);
static int oserror_init(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                        PmObject *kwnames);

/* oserror_use_init: a subclass with its own __init__ (and our __new__) parses in __init__. */
static bool oserror_use_init(PmType *type)
{
    return type->tp_init != oserror_init && type->tp_new == oserror_new;
}

/* OSError(errno, strerror[, filename[, winerror[, filename2]]]): with a filename, args keeps
 * only the first two arguments. */
static int oserror_parse(PmVM *vm, Exc *e, PmObject *const *args, size_t nargs)
{
    size_t keep = nargs;
    if (nargs >= 2 && nargs <= 5) {
        PmObject *filename = nargs >= 3 ? args[2] : NULL;
        PmObject *filename2 = nargs >= 5 ? args[4] : NULL;
        if (filename && filename != Pm_None(vm)) {
            set_field(vm, e, 2, filename);
            if (filename2 && filename2 != Pm_None(vm)) set_field(vm, e, 3, filename2);
            keep = 2;
        }
        set_field(vm, e, 0, args[0]);
        set_field(vm, e, 1, args[1]);
    }
    return set_args(vm, e, args, keep);
}

static PmObject *oserror_new(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    bool use_init = oserror_use_init(type);
    if (!use_init && pm_no_kwargs(vm, type->tp_name, kwnames) < 0) return NULL;
    PmObject *o = exc_alloc(vm, type);
    if (o == NULL) return NULL;
    int r = use_init ? set_args(vm, EXC(o), NULL, 0) : oserror_parse(vm, EXC(o), args, nargs);
    if (r < 0) {
        Pm_DECREF(vm, o);
        return NULL;
    }
    return o;
}

static int oserror_init(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                        PmObject *kwnames)
{
    if (!oserror_use_init(Pm_TYPE(self))) return 0;
    if (pm_no_kwargs(vm, Pm_TYPE(self)->tp_name, kwnames) < 0) return -1;
    return oserror_parse(vm, EXC(self), args, nargs);
}

static PmObject *oserror_str(PmVM *vm, PmObject *self)
{
    Exc *e = EXC(self);
    PmObject *no = e->fields[0] ? e->fields[0] : Pm_None(vm);
    PmObject *se = e->fields[1] ? e->fields[1] : Pm_None(vm);
    if (e->fields[2]) {
        if (e->fields[3])
            return PmStr_FromFormat(vm, "[Errno %S] %S: %R -> %R", no, se, e->fields[2],
                                    e->fields[3]);
        return PmStr_FromFormat(vm, "[Errno %S] %S: %R", no, se, e->fields[2]);
    }
    if (e->fields[0] && e->fields[1])
        return PmStr_FromFormat(vm, "[Errno %S] %S", e->fields[0], e->fields[1]);
    return exc_str(vm, self);
}

static PmObject *oserror_reduce(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    Exc *e = EXC(self);
    PmObject *a;
    if (e->args && Pm_SIZE(e->args) == 2 && e->fields[2]) {
        PmObject *items[5] = {PmTuple_GET_ITEM(e->args, 0), PmTuple_GET_ITEM(e->args, 1),
                              e->fields[2], Pm_None(vm), e->fields[3]};
        a = PmTuple_FromArray(vm, items, e->fields[3] ? 5 : 3);
        if (a == NULL) return NULL;
    } else {
        a = Pm_NewRef(args_of(vm, self));
    }
    PmObject *r = e->dict ? PmTuple_Pack(vm, 3, (PmObject *)Pm_TYPE(self), a, e->dict)
                          : PmTuple_Pack(vm, 2, (PmObject *)Pm_TYPE(self), a);
    Pm_DECREF(vm, a);
    return r;
}

static const PmMethodDef oserror_methods[] = {
    {"__reduce__", oserror_reduce, PM_METH_NOARGS},
    {NULL, NULL, 0}
};

/* ------------------------------------------------------------------ SyntaxError */

/* SyntaxError(msg, (filename, lineno, offset, text[, end_lineno, end_offset])) */
static int syntaxerror_init(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    Exc *e = EXC(self);
    if (exc_init(vm, self, args, nargs, kwnames) < 0) return -1;
    if (nargs >= 1) set_field(vm, e, 0, args[0]);
    if (nargs != 2) return 0;
    PmObject *info = PmSequence_Tuple(vm, args[1]);
    if (info == NULL) return -1;
    Pm_ssize_t n = Pm_SIZE(info);
    if (n < 4 || n > 6) {
        PmErr_Format(vm, PME(vm, TypeError), "function takes %s %d arguments (%zd given)",
                     n < 4 ? "at least" : "at most", n < 4 ? 4 : 6, n);
        Pm_DECREF(vm, info);
        return -1;
    }
    static const int8_t slot[6] = {1, 2, 3, 4, 5, 6};
    set_field(vm, e, 5, NULL);
    set_field(vm, e, 6, NULL);
    for (Pm_ssize_t i = 0; i < n; i++) set_field(vm, e, slot[i], PmTuple_GET_ITEM(info, i));
    Pm_DECREF(vm, info);
    if (n == 5) {
        PmErr_SetString(vm, PME(vm, TypeError),
                        "end_offset must be provided when end_lineno is provided");
        return -1;
    }
    return 0;
}

/* The part of a path after its last '/' (my_basename). */
static PmObject *basename_of(PmVM *vm, PmObject *name)
{
    Pm_ssize_t n = PmStr_GET_LENGTH(name), off = 0;
    for (Pm_ssize_t i = 0; i < n; i++)
        if (PmStr_READ(name, i) == '/') off = i + 1;
    if (off == 0) return Pm_NewRef(name);
    return PmStr_Substring(vm, name, off, n);
}

static PmObject *syntaxerror_str(PmVM *vm, PmObject *self)
{
    Exc *e = EXC(self);
    PmObject *msg = e->fields[0] ? e->fields[0] : Pm_None(vm);
    PmObject *filename = NULL;
    if (e->fields[1] && PmStr_Check(e->fields[1])) {
        filename = basename_of(vm, e->fields[1]);
        if (filename == NULL) return NULL;
    }
    bool have_lineno = e->fields[2] && Pm_IS_TYPE(vm, e->fields[2], INT);
    if (filename == NULL && !have_lineno) return PmObject_Str(vm, msg);
    long long lineno = 0;
    if (have_lineno) {
        int overflow;
        lineno = PmLong_AsLongLongAndOverflow(vm, e->fields[2], &overflow);
        if (overflow) lineno = -1;
    }
    PmObject *r;
    if (filename && have_lineno)
        r = PmStr_FromFormat(vm, "%S (%U, line %lld)", msg, filename, lineno);
    else if (filename)
        r = PmStr_FromFormat(vm, "%S (%U)", msg, filename);
    else
        r = PmStr_FromFormat(vm, "%S (line %lld)", msg, lineno);
    Pm_XDECREF(vm, filename);
    return r;
}

/* ------------------------------------------------------------------ the classes */

const PmType PmBaseException_Template = {
    .tp_name = "BaseException",
    .tp_basicsize = 72,
    .tp_flags = PM_TPFLAGS_BASETYPE | PM_TPFLAGS_HAVE_GC | PM_TPFLAGS_BASE_EXC_SUBCLASS,
    .tp_kind = PMT_BASE_EXCEPTION,
    .tp_dealloc = exc_dealloc,
    .tp_repr = exc_repr,
    .tp_str = exc_str,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_setattro = exc_setattro,
    .tp_traverse = exc_traverse,
    .tp_clear = exc_clear,
    .tp_methods = exc_methods,
    .tp_getset = exc_getset,
    .tp_init = exc_init,
    .tp_new = exc_new,
};

/* What a class defines itself (CPython's Simple/Middling/ComplexExtendsException).  Slots
 * left NULL are inherited from the base by PmType_Ready and get no entry in the dict. */
typedef struct ExcSpec {
    int basicsize;
    pm_newfunc new_;
    pm_initproc init;
    pm_reprfunc str;
    pm_traverseproc traverse;
    pm_inquiry clear;
    const PmMethodDef *methods;
    const PmGetSetDef *getset;
} ExcSpec;

static ExcSpec spec_for(int id)
{
    ExcSpec simple = {72, exc_new, exc_init, NULL, NULL, NULL, NULL, NULL};
    switch (id) {
    case PME_StopIteration:
        return (ExcSpec){80, NULL, stopiteration_init, NULL, one_traverse, one_clear, NULL,
                         stopiteration_getset};
    case PME_SystemExit:
        return (ExcSpec){80, NULL, systemexit_init, NULL, one_traverse, one_clear, NULL,
                         systemexit_getset};
    case PME_KeyError:
        return (ExcSpec){72, NULL, exc_init, keyerror_str, NULL, NULL, NULL, NULL};
    case PME_NameError:
        return (ExcSpec){80, NULL, nameerror_init, exc_str, one_traverse, one_clear, NULL,
                         nameerror_getset};
    case PME_UnboundLocalError:
        return (ExcSpec){80, NULL, nameerror_init, NULL, NULL, NULL, NULL, NULL};
    case PME_AttributeError:
        return (ExcSpec){88, NULL, attributeerror_init, exc_str, attr_traverse, attr_clear,
                         NULL, attributeerror_getset};
    case PME_ImportError:
        return (ExcSpec){96, NULL, importerror_init, importerror_str, import_traverse,
                         import_clear, importerror_methods, importerror_getset};
    case PME_ModuleNotFoundError:
        return (ExcSpec){96, NULL, importerror_init, NULL, NULL, NULL, NULL, NULL};
    case PME_OSError:
        return (ExcSpec){112, oserror_new, oserror_init, oserror_str, os_traverse, os_clear,
                         oserror_methods, oserror_getset};
    case PME_SyntaxError:
        return (ExcSpec){136, NULL, syntaxerror_init, syntaxerror_str, syntax_traverse,
                         syntax_clear, NULL, syntaxerror_getset};
    case PME_IndentationError: case PME_TabError:
        return (ExcSpec){136, NULL, syntaxerror_init, NULL, NULL, NULL, NULL, NULL};
    default:
        return simple;
    }
}

static const char *const exc_docs[PME__COUNT] = {
    [PME_BaseException] = "Common base class for all exceptions",
    [PME_SystemExit] = "Request to exit from the interpreter.",
    [PME_KeyboardInterrupt] = "Program interrupted by user.",
    [PME_GeneratorExit] = "Request that a generator exit.",
    [PME_Exception] = "Common base class for all non-exit exceptions.",
    [PME_StopIteration] = "Signal the end from iterator.__next__().",
    [PME_ArithmeticError] = "Base class for arithmetic errors.",
    [PME_FloatingPointError] = "Floating point operation failed.",
    [PME_OverflowError] = "Result too large to be represented.",
    [PME_ZeroDivisionError] = "Second argument to a division or modulo operation was zero.",
    [PME_AssertionError] = "Assertion failed.",
    [PME_AttributeError] = "Attribute not found.",
    [PME_BufferError] = "Buffer error.",
    [PME_EOFError] = "Read beyond end of file.",
    [PME_ImportError] = "Import can't find module, or can't find name in module.",
    [PME_ModuleNotFoundError] = "Module not found.",
    [PME_LookupError] = "Base class for lookup errors.",
    [PME_IndexError] = "Sequence index out of range.",
    [PME_KeyError] = "Mapping key not found.",
    [PME_MemoryError] = "Out of memory.",
    [PME_NameError] = "Name not found globally.",
    [PME_UnboundLocalError] = "Local name referenced but not bound to a value.",
    [PME_OSError] = "Base class for I/O related errors.",
    [PME_ReferenceError] = "Weak ref proxy used after referent went away.",
    [PME_RuntimeError] = "Unspecified run-time error.",
    [PME_NotImplementedError] = "Method or function hasn't been implemented yet.",
    [PME_RecursionError] = "Recursion limit exceeded.",
    [PME_SyntaxError] = "Invalid syntax.",
    [PME_IndentationError] = "Improper indentation.",
    [PME_TabError] = "Improper mixture of spaces and tabs.",
    [PME_SystemError] = "Internal error in the Python interpreter.\n\nPlease report this to the "
                        "Python maintainer, along with the traceback,\nthe Python version, and "
                        "the hardware/OS platform and version.",
    [PME_TypeError] = "Inappropriate argument type.",
    [PME_ValueError] = "Inappropriate argument value (of correct type).",
    [PME_UnicodeError] = "Unicode related error.",
    [PME_UnicodeEncodeError] = "Unicode encoding error.",
    [PME_UnicodeDecodeError] = "Unicode decoding error.",
    [PME_Warning] = "Base class for warning categories.",
    [PME_UserWarning] = "Base class for warnings generated by user code.",
    [PME_DeprecationWarning] = "Base class for warnings about deprecated features.",
    [PME_RuntimeWarning] = "Base class for warnings about dubious runtime behavior.",
    [PME_ResourceWarning] = "Base class for warnings about resource usage.",
};

static const char *const exc_names[PME__COUNT] = {
#define PM_EXC_NAME(name, base) [PME_##name] = #name,
    PM_EXCEPTIONS(PM_EXC_NAME)
#undef PM_EXC_NAME
};

/* The base of each class, by name ("-1" for BaseException). */
static const char *const exc_base_names[PME__COUNT] = {
#define PM_EXC_BASE(name, base) [PME_##name] = #base,
    PM_EXCEPTIONS(PM_EXC_BASE)
#undef PM_EXC_BASE
};

static PmType *base_class(PmVM *vm, int id)
{
    for (int j = 0; j < id; j++)
        if (strcmp(exc_names[j], exc_base_names[id]) == 0) return vm->exc_types[j];
    return NULL;
}

static PmType *make_class(PmVM *vm, int id)
{
    PmType *tp = (PmType *)pm_static_alloc(vm, PMT(vm, TYPE), sizeof(PmType));
    if (tp == NULL) return NULL;
    memcpy((char *)tp + sizeof(PmVarObject), (const char *)&PmBaseException_Template +
           sizeof(PmVarObject), sizeof(PmType) - sizeof(PmVarObject));
    ExcSpec s = spec_for(id);
    tp->tp_name = exc_names[id];
    tp->tp_basicsize = s.basicsize;
    tp->tp_base = base_class(vm, id);
    tp->tp_repr = NULL;
    tp->tp_getattro = NULL;
    tp->tp_setattro = NULL;
    tp->tp_str = s.str;
    tp->tp_new = s.new_;
    tp->tp_init = s.init;
    tp->tp_traverse = s.traverse;
    tp->tp_clear = s.clear;
    tp->tp_methods = s.methods;
    tp->tp_getset = s.getset;
    return tp;
}

static int set_doc(PmVM *vm, PmType *tp, int id)
{
    PmObject *doc = PmStr_FromString(vm, exc_docs[id]);
    if (doc == NULL) return -1;
    int r = PmDict_SetItem(vm, tp->tp_dict, PMID(vm, __doc__), doc);
    PmType_Modified(vm);
    Pm_DECREF(vm, doc);
    return r;
}

int pm_exceptions_init(PmVM *vm)
{
    PmType *base = vm->types[PMT_BASE_EXCEPTION];
    if (base == NULL) {
        base = (PmType *)pm_static_alloc(vm, PMT(vm, TYPE), sizeof(PmType));
        if (base == NULL) return -1;
        memcpy((char *)base + sizeof(PmVarObject), (const char *)&PmBaseException_Template +
               sizeof(PmVarObject), sizeof(PmType) - sizeof(PmVarObject));
        if (PmType_Ready(vm, base) < 0) return -1;
        vm->types[PMT_BASE_EXCEPTION] = base;
    }
    vm->exc_types[PME_BaseException] = base;
    if (set_doc(vm, base, PME_BaseException) < 0) return -1;
    for (int id = 1; id < PME__COUNT; id++) {
        PmType *tp = make_class(vm, id);
        if (tp == NULL || PmType_Ready(vm, tp) < 0) return -1;
        vm->exc_types[id] = tp;
        if (set_doc(vm, tp, id) < 0) return -1;
    }
    return 0;
}
