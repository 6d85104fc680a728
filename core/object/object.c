/*
 * object.c -- deallocation, the trashcan, recursion guards, argument helpers, and the
 * simplest types: object, NoneType, NotImplementedType and ellipsis.
 */
#include "pm.h"
#include "trace/pm_trace.h"

/* ------------------------------------------------------------------ deallocation */

void pm_dealloc(PmVM *vm, PmObject *o)
{
    if (PM_UNLIKELY(vm->heapops != NULL)) pm_heapops_forget(vm, o);
    if (PM_UNLIKELY(vm->trace != NULL)) pm_trace_dealloc(vm, o);
    Pm_TYPE(o)->tp_dealloc(vm, o);
}

/* CPython's _PyTrash_begin: past PM_TRASH_DEPTH nested container deallocs, deposit the
 * object (linked through its GC head's gc_prev) and skip the deallocator body. */
bool pm_trash_begin(PmVM *vm, PmObject *o)
{
    if (vm->trash_depth >= PM_TRASH_DEPTH) {
        PmGCHead *g = Pm_AS_GC(o);
        g->gc_prev = vm->trash_list;
        vm->trash_list = g;
        return false;
    }
    vm->trash_depth++;
    return true;
}

/* CPython's _PyTrash_end and _PyTrash_thread_destroy_chain: when the outermost deallocator
 * finishes, destroy the deposited objects, newest first. */
void pm_trash_end(PmVM *vm)
{
    vm->trash_depth--;
    if (vm->trash_list == NULL || vm->trash_depth > 0) return;
    vm->trash_depth++;
    while (vm->trash_list) {
        PmGCHead *g = vm->trash_list;
        vm->trash_list = g->gc_prev;
        PmObject *o = Pm_FROM_GC(g);
        Pm_TYPE(o)->tp_dealloc(vm, o);
    }
    vm->trash_depth--;
}

/* ------------------------------------------------------------------ recursion guards */

int pm_enter_c_recursion(PmVM *vm, const char *where)
{
    if (vm->c_recursion + PM_C_DEPTH_WEIGHT * vm->c_depth >= PM_MAX_C_RECURSION) {
        PmErr_Format(vm, PME(vm, RecursionError), "maximum recursion depth exceeded%s", where);
        return -1;
    }
    vm->c_recursion++;
    return 0;
}

void pm_leave_c_recursion(PmVM *vm)
{
    vm->c_recursion--;
}

int pm_enter_recursive_call(PmVM *vm, const char *where)
{
    if (++vm->recursion_depth > vm->recursion_limit) {
        vm->recursion_depth--;
        PmErr_Format(vm, PME(vm, RecursionError), "maximum recursion depth exceeded%s", where);
        return -1;
    }
    if (pm_enter_c_recursion(vm, where) < 0) {
        vm->recursion_depth--;
        return -1;
    }
    return 0;
}

void pm_leave_recursive_call(PmVM *vm)
{
    vm->recursion_depth--;
    vm->c_recursion--;
}

int pm_repr_enter(PmVM *vm, PmObject *o)
{
    if (vm->repr_stack == NULL) {
        /* CPython keeps this list in the thread state's dict, which Py_ReprEnter creates on
         * first use: model both (the collector's counts see two new objects) */
        vm->tstate_dict = PmDict_New(vm);
        vm->repr_stack = PmList_New(vm, 0);
        if (vm->repr_stack == NULL || vm->tstate_dict == NULL) return -1;
        if (PmDict_SetItemString(vm, vm->tstate_dict, "Py_Repr", vm->repr_stack) < 0) return -1;
    }
    Pm_ssize_t n = Pm_SIZE(vm->repr_stack);
    for (Pm_ssize_t i = 0; i < n; i++)
        if (PmList_GET_ITEM(vm->repr_stack, i) == o) return 1;
    return PmList_Append(vm, vm->repr_stack, o) < 0 ? -1 : 0;
}

void pm_repr_leave(PmVM *vm, PmObject *o)
{
    PmList *l = (PmList *)vm->repr_stack;
    for (Pm_ssize_t i = Pm_SIZE(l) - 1; i >= 0; i--) {
        if (l->ob_item[i] == o) {
            PmObject *item = l->ob_item[i];
            memmove(&l->ob_item[i], &l->ob_item[i + 1],
                    (size_t)(Pm_SIZE(l) - i - 1) * sizeof(PmObject *));
            Pm_SIZE(l)--;
            Pm_DECREF(vm, item);
            return;
        }
    }
}

/* ------------------------------------------------------------------ argument helpers */

int pm_no_kwargs(PmVM *vm, const char *name, PmObject *kwnames)
{
    if (kwnames == NULL || Pm_SIZE(kwnames) == 0) return 0;
    PmErr_Format(vm, PME(vm, TypeError), "%s() takes no keyword arguments", name);
    return -1;
}

int pm_check_positional(PmVM *vm, const char *name, size_t nargs, Pm_ssize_t min,
                        Pm_ssize_t max)
{
    if ((Pm_ssize_t)nargs < min) {
        PmErr_Format(vm, PME(vm, TypeError), "%s expected %s%zd argument%s, got %zu", name,
                     min == max ? "" : "at least ", min, min == 1 ? "" : "s", nargs);
        return -1;
    }
    if (max >= 0 && (Pm_ssize_t)nargs > max) {
        PmErr_Format(vm, PME(vm, TypeError), "%s expected %s%zd argument%s, got %zu", name,
                     min == max ? "" : "at most ", max, max == 1 ? "" : "s", nargs);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ object */

static void object_dealloc(PmVM *vm, PmObject *o)
{
    pm_object_free(vm, o);
}

static PmObject *object_repr(PmVM *vm, PmObject *o)
{
    PmType *tp = Pm_TYPE(o);
    PmObject *mod = tp->tp_dict ? PmDict_GetItem_Borrow(vm, tp->tp_dict, PMID(vm, __module__)) : NULL;
    if (mod && PmStr_Check(mod) && !PmStr_EqualToASCII(mod, "builtins"))
        return PmStr_FromFormat(vm, "<%U.%s object at %p>", mod,
                                tp->ht_qualname ? PmStr_AsUTF8(vm, tp->ht_qualname, NULL) : tp->tp_name, (void *)o);
    return PmStr_FromFormat(vm, "<%s object at %p>", tp->tp_name, (void *)o);
}

static PmObject *object_str(PmVM *vm, PmObject *o)
{
    pm_reprfunc f = Pm_TYPE(o)->tp_repr;
    return f ? f(vm, o) : object_repr(vm, o);
}

Pm_hash_t pm_hash_pointer(const void *p)
{
    uint64_t y = (uint64_t)(uintptr_t)p;
    y = (y >> 4) | (y << 60);
    Pm_hash_t h = (Pm_hash_t)y;
    return h == -1 ? -2 : h;
}

Pm_hash_t pm_hash_pointer_slot(PmVM *vm, PmObject *o)
{
    (void)vm;
    return pm_hash_pointer(o);
}
#define object_hash pm_hash_pointer_slot

/* object.__eq__ is identity; object.__ne__ inverts __eq__ (CPython's object_richcompare). */
static PmObject *object_richcompare(PmVM *vm, PmObject *a, PmObject *b, int op)
{
    if (op == Pm_EQ)
        return Pm_NewRef(a == b ? Pm_True(vm) : Pm_NotImplemented(vm));
    if (op == Pm_NE && Pm_TYPE(a)->tp_richcompare) {
        PmObject *r = Pm_TYPE(a)->tp_richcompare(vm, a, b, Pm_EQ);
        if (r == NULL || r == Pm_NotImplemented(vm)) return r;
        int t = PmObject_IsTrue(vm, r);
        Pm_DECREF(vm, r);
        if (t < 0) return NULL;
        return Pm_Bool(vm, !t);
    }
    return Pm_NewRef(Pm_NotImplemented(vm));
}

static bool excess_args(size_t nargs, PmObject *kwnames)
{
    return nargs > 0 || (kwnames && Pm_SIZE(kwnames) > 0);
}

static PmObject *object_new(PmVM *vm, PmType *tp, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    (void)args;
    if (excess_args(nargs, kwnames) && tp->tp_init == PmBaseObject_Template.tp_init) {
        PmErr_Format(vm, PME(vm, TypeError), "%s() takes no arguments", tp->tp_name);
        return NULL;
    }
    if (tp->tp_flags & PM_TPFLAGS_IS_ABSTRACT) return pm_type_abstract_error(vm, tp);
    if (PmType_HasFeature(tp, PM_TPFLAGS_HEAPTYPE))
        return pm_instance_new(vm, tp);
    return pm_object_alloc(vm, tp, sizeof(PmObject), PM_MODEL_OBJECT);
}

static int object_init(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                       PmObject *kwnames)
{
    (void)args;
    PmType *tp = Pm_TYPE(self);
    if (excess_args(nargs, kwnames)) {
        if (tp->tp_init != PmBaseObject_Template.tp_init) {
            PmErr_SetString(vm, PME(vm, TypeError),
                            "object.__init__() takes exactly one argument (the instance to initialize)");
            return -1;
        }
        if (tp->tp_new == PmBaseObject_Template.tp_new) {
            PmErr_Format(vm, PME(vm, TypeError), "%s() takes no arguments", tp->tp_name);
            return -1;
        }
    }
    return 0;
}

static PmObject *object_get_class(PmVM *vm, PmObject *o)
{
    (void)vm;
    return Pm_NewRef((PmObject *)Pm_TYPE(o));
}

static PmObject *object_sizeof_meth(PmVM *vm, PmObject *self, PmObject *const *args,
                                    size_t nargs, PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmType *tp = Pm_TYPE(self);
    if (tp->tp_sizeof) return PmLong_FromSsize_t(vm, tp->tp_sizeof(vm, self));
    Pm_ssize_t n = tp->tp_basicsize;
    if (tp->tp_itemsize) {
        Pm_ssize_t sz = Pm_SIZE(self);
        n += (sz < 0 ? -sz : sz) * tp->tp_itemsize;
    }
    return PmLong_FromSsize_t(vm, n);
}

static PmObject *object_format_meth(PmVM *vm, PmObject *self, PmObject *const *args,
                                    size_t nargs, PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    PmObject *spec = args[0];
    if (!PmStr_Check(spec)) {
        PmErr_Format(vm, PME(vm, TypeError), "format() argument 2 must be str, not %T", spec);
        return NULL;
    }
    if (PmStr_GET_LENGTH(spec) > 0) {
        PmErr_Format(vm, PME(vm, TypeError), "unsupported format string passed to %s.__format__",
                     Pm_TYPE(self)->tp_name);
        return NULL;
    }
    return PmObject_Str(vm, self);
}

static PmObject *object_init_subclass(PmVM *vm, PmObject *self, PmObject *const *args,
                                      size_t nargs, PmObject *kwnames)
{
    (void)self; (void)args;
    if (nargs || (kwnames && Pm_SIZE(kwnames))) {
        PmErr_SetString(vm, PME(vm, TypeError),
                        "__init_subclass__() takes no keyword arguments");
        return NULL;
    }
    return Pm_RETURN_NONE(vm);
}

/* object.__subclasshook__(*args): NotImplemented, leaving the decision to the usual
 * mechanism (abc overrides it). */
static PmObject *object_subclasshook(PmVM *vm, PmObject *self, PmObject *const *args,
                                     size_t nargs, PmObject *kwnames)
{
    (void)self; (void)args; (void)nargs;
    /* a METH_VARARGS function in CPython: its error names it without the class */
    if (pm_no_kwargs(vm, "__subclasshook__", kwnames) < 0) return NULL;
    return Pm_NewRef(Pm_NotImplemented(vm));
}

/* object.__dir__: a copy of __dict__ (asking for it materialises an instance's dict, as in
 * CPython) merged with the attributes of its __class__ and that class's bases. */
static PmObject *object_dir(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmObject *d = PmObject_LookupAttr(vm, self, PMID(vm, __dict__));
    if (d == NULL && PmErr_Occurred(vm)) return NULL;
    PmObject *dict = d && PmDict_Check(d) ? PmDict_Copy(vm, d) : PmDict_New(vm);
    Pm_XDECREF(vm, d);
    if (dict == NULL) return NULL;
    PmObject *cls = PmObject_LookupAttr(vm, self, PMID(vm, __class__));
    int r = cls ? pm_merge_class_dict(vm, dict, cls) : (PmErr_Occurred(vm) ? -1 : 0);
    Pm_XDECREF(vm, cls);
    PmObject *keys = r < 0 ? NULL : PmDict_Keys(vm, dict);
    Pm_DECREF(vm, dict);
    return keys;
}

/* In CPython's order: __reduce_ex__, __reduce__ and __getstate__ are object/reduce.c's. */
static const PmMethodDef object_methods[] = {
    {"__reduce_ex__", pm_reduce_object_reduce_ex, PM_METH_O},
    {"__reduce__", pm_reduce_object_reduce, PM_METH_NOARGS},
    {"__getstate__", pm_reduce_object_getstate, PM_METH_NOARGS},
    {"__subclasshook__", object_subclasshook, PM_METH_CLASS | PM_METH_KEYWORDS},
    {"__init_subclass__", object_init_subclass, PM_METH_CLASS | PM_METH_KEYWORDS},
    {"__format__", object_format_meth, PM_METH_O},
    {"__sizeof__", object_sizeof_meth, PM_METH_NOARGS},
    {"__dir__", object_dir, PM_METH_NOARGS},
    {NULL, NULL, 0}
};

static const PmGetSetDef object_getset[] = {
    {"__class__", object_get_class, NULL},
    {NULL, NULL, NULL}
};

const PmType PmBaseObject_Template = {
    .tp_name = "object",
    .tp_doc = "object()\n--\n\n"
              "The base class of the class hierarchy.\n\n"
              "When called, it accepts no arguments and returns a new featureless\n"
              "instance that has no instance attributes and cannot be given any.\n",
    .tp_basicsize = PM_MODEL_OBJECT,
    .tp_flags = PM_TPFLAGS_BASETYPE,
    .tp_kind = PMT_OBJECT,
    .tp_dealloc = object_dealloc,
    .tp_repr = object_repr,
    .tp_str = object_str,
    .tp_hash = object_hash,
    .tp_richcompare = object_richcompare,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_setattro = PmObject_GenericSetAttr,
    .tp_methods = object_methods,
    .tp_getset = object_getset,
    .tp_init = object_init,
    .tp_new = object_new,
};

/* ------------------------------------------------------------------ None, NotImplemented, Ellipsis */

static void static_dealloc(PmVM *vm, PmObject *o)
{
    /* Static objects never reach refcount zero (PM_STATIC_REFCNT); if an unbalanced decref
     * ever gets here, keep the object alive rather than free static memory. */
    (void)vm;
    o->ob_refcnt = PM_STATIC_REFCNT;
}

static PmObject *none_repr(PmVM *vm, PmObject *o)
{
    (void)o;
    return PmStr_InternFromString(vm, "None");
}

static int none_bool(PmVM *vm, PmObject *o)
{
    (void)vm; (void)o;
    return 0;
}

static PmObject *singleton_new(PmVM *vm, PmType *tp, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    (void)args;
    if (excess_args(nargs, kwnames)) {
        PmErr_Format(vm, PME(vm, TypeError), "%s takes no arguments", tp->tp_name);
        return NULL;
    }
    if (tp->tp_kind == PMT_NONE) return Pm_RETURN_NONE(vm);
    if (tp->tp_kind == PMT_NOTIMPL) return Pm_NewRef(Pm_NotImplemented(vm));
    return Pm_NewRef(Pm_Ellipsis(vm));
}

const PmType PmNone_Template = {
    .tp_name = "NoneType",
    .tp_basicsize = PM_MODEL_OBJECT,
    .tp_kind = PMT_NONE,
    .tp_dealloc = static_dealloc,
    .tp_repr = none_repr,
    .tp_as_number = { .nb_bool = none_bool },
    .tp_new = singleton_new,              /* hash: object's, inherited (as CPython's) */
};

static PmObject *notimpl_repr(PmVM *vm, PmObject *o)
{
    (void)o;
    return PmStr_FromString(vm, "NotImplemented");
}

const PmType PmNotImplemented_Template = {
    .tp_name = "NotImplementedType",
    .tp_basicsize = PM_MODEL_OBJECT,
    .tp_kind = PMT_NOTIMPL,
    .tp_dealloc = static_dealloc,
    .tp_repr = notimpl_repr,
    .tp_new = singleton_new,
};

static PmObject *ellipsis_repr(PmVM *vm, PmObject *o)
{
    (void)o;
    return PmStr_FromString(vm, "Ellipsis");
}

const PmType PmEllipsis_Template = {
    .tp_name = "ellipsis",
    .tp_basicsize = PM_MODEL_OBJECT,
    .tp_kind = PMT_ELLIPSIS,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_dealloc = static_dealloc,
    .tp_repr = ellipsis_repr,
    .tp_new = singleton_new,
};
