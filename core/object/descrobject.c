/*
 * descrobject.c -- descriptors: methods, getsets, __slots__ members and slot wrappers of
 * types; property, staticmethod, classmethod; super; mappingproxy (type.__dict__).
 */
#include "pm.h"

/* ------------------------------------------------------------------ common descriptor */

static PmObject *descr_new(PmVM *vm, PmType *dtype, PmType *tp, const char *name)
{
    /* CPython's sizes: PyMethodDescrObject and PyWrapperDescrObject 56, PyGetSetDescrObject
     * and PyMemberDescrObject 48 (the templates' tp_basicsize) */
    PmDescr *d = (PmDescr *)pm_object_alloc(vm, dtype, sizeof(PmDescr),
                                            (size_t)dtype->tp_basicsize + PM_MODEL_GC_HEAD);
    if (d == NULL) return NULL;
    d->d_type = (PmType *)Pm_NewRef((PmObject *)tp);
    d->d_name = PmStr_InternFromString(vm, name);
    if (d->d_name == NULL) { Pm_DECREF(vm, (PmObject *)d); return NULL; }
    pm_gc_track(vm, (PmObject *)d);
    return (PmObject *)d;
}

PmObject *PmDescr_NewMethod(PmVM *vm, PmType *tp, const PmMethodDef *ml)
{
    PmType *dt = ml->flags & PM_METH_CLASS ? PMT(vm, CLASSMETHOD_DESCR) : PMT(vm, METHOD_DESCR);
    PmDescr *d = (PmDescr *)descr_new(vm, dt, tp, ml->name);
    if (d) d->u.d_method = ml;
    return (PmObject *)d;
}

PmObject *PmDescr_NewGetSet(PmVM *vm, PmType *tp, const PmGetSetDef *gs)
{
    PmDescr *d = (PmDescr *)descr_new(vm, PMT(vm, GETSET_DESCR), tp, gs->name);
    if (d) d->u.d_getset = gs;
    return (PmObject *)d;
}

PmObject *PmDescr_NewWrapper(PmVM *vm, PmType *tp, const PmWrapperDef *def)
{
    PmDescr *d = (PmDescr *)descr_new(vm, PMT(vm, WRAPPER_DESCR), tp, def->name);
    if (d) d->u.d_wrapper = def;
    return (PmObject *)d;
}

PmObject *PmDescr_NewMember(PmVM *vm, PmType *tp, PmObject *name, Pm_ssize_t index)
{
    PmDescr *d = (PmDescr *)pm_object_alloc(vm, PMT(vm, MEMBER_DESCR), sizeof(PmDescr),
                                            48 + PM_MODEL_GC_HEAD);
    if (d == NULL) return NULL;
    d->d_type = (PmType *)Pm_NewRef((PmObject *)tp);
    d->d_name = Pm_NewRef(name);
    d->u.d_member_index = index;
    pm_gc_track(vm, (PmObject *)d);
    return (PmObject *)d;
}

static void descr_dealloc(PmVM *vm, PmObject *o)
{
    PmDescr *d = (PmDescr *)o;
    pm_gc_untrack(vm, o);
    Pm_CLEAR(vm, d->d_type);
    Pm_CLEAR(vm, d->d_name);
    pm_object_free(vm, o);
}

static int descr_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    Pm_VISIT(vm, ((PmDescr *)o)->d_type);
    return 0;
}

static int descr_check(PmVM *vm, PmDescr *d, PmObject *obj)
{
    if (PmType_IsSubtype(Pm_TYPE(obj), d->d_type)) return 0;
    PmErr_Format(vm, PME(vm, TypeError),
                 "descriptor '%U' for '%.100s' objects doesn't apply to a '%.100s' object",
                 d->d_name, d->d_type->tp_name, Pm_TYPE(obj)->tp_name);
    return -1;
}

static PmObject *descr_get_name(PmVM *vm, PmObject *o)
{
    (void)vm;
    return Pm_NewRef(((PmDescr *)o)->d_name);
}

static PmObject *descr_get_objclass(PmVM *vm, PmObject *o)
{
    (void)vm;
    return Pm_NewRef((PmObject *)((PmDescr *)o)->d_type);
}

static const PmGetSetDef descr_getset[] = {
    {"__name__", descr_get_name, NULL},
    {"__qualname__", descr_get_name, NULL},
    {"__objclass__", descr_get_objclass, NULL},
    {NULL, NULL, NULL}
};

/* ------------------------------------------------------------------ method descriptors */

static PmObject *method_get(PmVM *vm, PmObject *self, PmObject *obj, PmObject *type)
{
    (void)type;
    PmDescr *d = (PmDescr *)self;
    if (obj == NULL) return Pm_NewRef(self);
    if (descr_check(vm, d, obj)) return NULL;
    return PmCFunction_New(vm, d->u.d_method, obj, NULL);
}

static PmObject *method_call(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    PmDescr *d = (PmDescr *)self;
    if (nargs < 1) {
        return PmErr_Format(vm, PME(vm, TypeError),
                            "unbound method %s.%U() needs an argument", d->d_type->tp_name,
                            d->d_name);
    }
    if (descr_check(vm, d, args[0])) return NULL;
    /* argument errors name the descriptor's class (CPython's method_vectorcall_*), where a
     * bound method would name the class of self */
    int flags = d->u.d_method->flags;
    const char *tn = d->d_type->tp_name;
    if (kwnames && Pm_SIZE(kwnames) && !(flags & PM_METH_KEYWORDS))
        return PmErr_Format(vm, PME(vm, TypeError), "%s.%U() takes no keyword arguments", tn,
                            d->d_name);
    if ((flags & PM_METH_NOARGS) && nargs != 1)
        return PmErr_Format(vm, PME(vm, TypeError), "%s.%U() takes no arguments (%zu given)", tn,
                            d->d_name, nargs - 1);
    if ((flags & PM_METH_O) && nargs != 2)
        return PmErr_Format(vm, PME(vm, TypeError), "%s.%U() takes exactly one argument (%zu given)",
                            tn, d->d_name, nargs - 1);
    return pm_call_methoddef(vm, d->u.d_method, args[0], args + 1, nargs - 1, kwnames);
}

static PmObject *method_repr(PmVM *vm, PmObject *o)
{
    PmDescr *d = (PmDescr *)o;
    return PmStr_FromFormat(vm, "<method '%U' of '%s' objects>", d->d_name, d->d_type->tp_name);
}

static PmObject *classmethod_get(PmVM *vm, PmObject *self, PmObject *obj, PmObject *type)
{
    PmDescr *d = (PmDescr *)self;
    if (type == NULL) type = (PmObject *)Pm_TYPE(obj);
    return PmCFunction_New(vm, d->u.d_method, type, NULL);
}

static PmObject *classmethod_call(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                  PmObject *kwnames)
{
    PmDescr *d = (PmDescr *)self;
    if (nargs < 1 || !PmType_Check(args[0])) {
        return PmErr_Format(vm, PME(vm, TypeError), "descriptor '%U' needs a type", d->d_name);
    }
    return pm_call_methoddef(vm, d->u.d_method, args[0], args + 1, nargs - 1, kwnames);
}

/* ------------------------------------------------------------------ wrapper descriptors */

static PmObject *wrapper_call(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    PmDescr *d = (PmDescr *)self;
    if (nargs < 1) {
        return PmErr_Format(vm, PME(vm, TypeError),
                            "descriptor '%U' of '%.100s' object needs an argument", d->d_name,
                            d->d_type->tp_name);
    }
    if (!PmType_IsSubtype(Pm_TYPE(args[0]), d->d_type)) {   /* CPython's wrapperdescr_call */
        return PmErr_Format(vm, PME(vm, TypeError),
                            "descriptor '%U' requires a '%.100s' object but received a '%.100s'",
                            d->d_name, d->d_type->tp_name, Pm_TYPE(args[0])->tp_name);
    }
    const PmWrapperDef *w = d->u.d_wrapper;
    return w->wrapper(vm, d->d_type, args[0], args + 1, nargs - 1, kwnames, w);
}

static PmObject *wrapper_get(PmVM *vm, PmObject *self, PmObject *obj, PmObject *type)
{
    (void)type;
    if (obj == NULL) return Pm_NewRef(self);
    if (descr_check(vm, (PmDescr *)self, obj)) return NULL;
    return PmMethod_New(vm, self, obj);
}

static PmObject *wrapper_repr(PmVM *vm, PmObject *o)
{
    PmDescr *d = (PmDescr *)o;
    return PmStr_FromFormat(vm, "<slot wrapper '%U' of '%s' objects>", d->d_name,
                            d->d_type->tp_name);
}

/* ------------------------------------------------------------------ getset and member */

static PmObject *getset_get(PmVM *vm, PmObject *self, PmObject *obj, PmObject *type)
{
    (void)type;
    PmDescr *d = (PmDescr *)self;
    if (obj == NULL) return Pm_NewRef(self);
    if (descr_check(vm, d, obj)) return NULL;
    if (d->u.d_getset->get == NULL) {
        return PmErr_Format(vm, PME(vm, AttributeError), "attribute '%U' of '%.100s' objects is not readable",
                            d->d_name, d->d_type->tp_name);
    }
    return d->u.d_getset->get(vm, obj);
}

static int getset_set(PmVM *vm, PmObject *self, PmObject *obj, PmObject *value)
{
    PmDescr *d = (PmDescr *)self;
    if (descr_check(vm, d, obj)) return -1;
    if (d->u.d_getset->set == NULL) {
        PmErr_Format(vm, PME(vm, AttributeError),
                     "attribute '%U' of '%.100s' objects is not writable", d->d_name,
                     d->d_type->tp_name);
        return -1;
    }
    return d->u.d_getset->set(vm, obj, value);
}

static PmObject *member_get(PmVM *vm, PmObject *self, PmObject *obj, PmObject *type)
{
    (void)type;
    PmDescr *d = (PmDescr *)self;
    if (obj == NULL) return Pm_NewRef(self);
    if (descr_check(vm, d, obj)) return NULL;
    PmObject *v = PmInstance_SLOTS(obj)[d->u.d_member_index];
    if (v == NULL) {
        return PmErr_Format(vm, PME(vm, AttributeError), "'%.50s' object has no attribute '%U'",
                            Pm_TYPE(obj)->tp_name, d->d_name);
    }
    return Pm_NewRef(v);
}

static int member_set(PmVM *vm, PmObject *self, PmObject *obj, PmObject *value)
{
    PmDescr *d = (PmDescr *)self;
    if (descr_check(vm, d, obj)) return -1;
    PmObject **slot = &PmInstance_SLOTS(obj)[d->u.d_member_index];
    if (value == NULL && *slot == NULL) {
        PmErr_Format(vm, PME(vm, AttributeError), "'%.50s' object has no attribute '%U'",
                     Pm_TYPE(obj)->tp_name, d->d_name);
        return -1;
    }
    Pm_SETREF(vm, *slot, Pm_XNewRef(value));
    return 0;
}

static PmObject *member_repr(PmVM *vm, PmObject *o)
{
    PmDescr *d = (PmDescr *)o;
    return PmStr_FromFormat(vm, "<member '%U' of '%s' objects>", d->d_name, d->d_type->tp_name);
}

static PmObject *getset_repr(PmVM *vm, PmObject *o)
{
    PmDescr *d = (PmDescr *)o;
    return PmStr_FromFormat(vm, "<attribute '%U' of '%s' objects>", d->d_name,
                            d->d_type->tp_name);
}

#define DESCR_TEMPLATE(NAME, KIND, SIZE, GET, SET, CALL, REPR) { \
    .tp_name = NAME, .tp_basicsize = SIZE, \
    .tp_flags = PM_TPFLAGS_HAVE_GC, .tp_kind = KIND, \
    .tp_dealloc = descr_dealloc, .tp_traverse = descr_traverse, .tp_repr = REPR, \
    .tp_getattro = PmObject_GenericGetAttr, .tp_getset = descr_getset, \
    .tp_descr_get = GET, .tp_descr_set = SET, .tp_call = CALL }

const PmType PmMethodDescr_Template = DESCR_TEMPLATE("method_descriptor", PMT_METHOD_DESCR, 56,
                                                     method_get, NULL, method_call, method_repr);
const PmType PmClassMethodDescr_Template = DESCR_TEMPLATE(
    "classmethod_descriptor", PMT_CLASSMETHOD_DESCR, 56, classmethod_get, NULL, classmethod_call,
    method_repr);
const PmType PmGetSetDescr_Template = DESCR_TEMPLATE("getset_descriptor", PMT_GETSET_DESCR, 48,
                                                     getset_get, getset_set, NULL, getset_repr);
const PmType PmMemberDescr_Template = DESCR_TEMPLATE("member_descriptor", PMT_MEMBER_DESCR, 48,
                                                     member_get, member_set, NULL, member_repr);
const PmType PmWrapperDescr_Template = DESCR_TEMPLATE("wrapper_descriptor", PMT_WRAPPER_DESCR, 56,
                                                      wrapper_get, NULL, wrapper_call,
                                                      wrapper_repr);

/* ------------------------------------------------------------------ binding helpers */

PmObject *pm_bind(PmVM *vm, PmObject *attr, PmObject *self)
{
    pm_descrgetfunc get = Pm_TYPE(attr)->tp_descr_get;
    if (get == NULL) return Pm_NewRef(attr);
    return get(vm, attr, self, (PmObject *)Pm_TYPE(self));
}

PmObject *pm_call_unbound(PmVM *vm, PmObject *meth, PmObject *const *args, size_t nargs)
{
    switch (Pm_KIND(meth)) {
    case PMT_FUNCTION: case PMT_METHOD_DESCR: case PMT_WRAPPER_DESCR:
        return PmObject_Vectorcall(vm, meth, args, nargs, NULL);
    default: {
        PmObject *bound = pm_bind(vm, meth, args[0]);
        if (bound == NULL) return NULL;
        PmObject *r = PmObject_Vectorcall(vm, bound, args + 1, nargs - 1, NULL);
        Pm_DECREF(vm, bound);
        return r;
    }
    }
}

PmObject *pm_call_with_self(PmVM *vm, PmObject *callable, PmObject *self,
                            PmObject *const *args, size_t nargs, PmObject *kwnames)
{
    size_t total = nargs + (kwnames ? (size_t)Pm_SIZE(kwnames) : 0);
    PmObject *small[8];
    PmObject **stack = small;
    if (total + 1 > 8) {
        stack = malloc((total + 1) * sizeof(PmObject *));
        if (stack == NULL) return PmErr_NoMemory(vm);
    }
    stack[0] = self;
    if (total) memcpy(stack + 1, args, total * sizeof(PmObject *));
    PmObject *r;
    switch (Pm_KIND(callable)) {
    case PMT_FUNCTION: case PMT_METHOD_DESCR: case PMT_WRAPPER_DESCR: case PMT_CFUNCTION:
        r = PmObject_Vectorcall(vm, callable, stack, nargs + 1, kwnames);
        break;
    default: {
        PmObject *bound = pm_bind(vm, callable, self);
        r = bound ? PmObject_Vectorcall(vm, bound, args, nargs, kwnames) : NULL;
        Pm_XDECREF(vm, bound);
    }
    }
    if (stack != small) free(stack);
    return r;
}

/* ------------------------------------------------------------------ property */

static void property_dealloc(PmVM *vm, PmObject *o)
{
    PmProperty *p = (PmProperty *)o;
    pm_gc_untrack(vm, o);
    Pm_CLEAR(vm, p->prop_get);
    Pm_CLEAR(vm, p->prop_set);
    Pm_CLEAR(vm, p->prop_del);
    Pm_CLEAR(vm, p->prop_doc);
    Pm_CLEAR(vm, p->prop_name);
    pm_object_free(vm, o);
}

static int property_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    PmProperty *p = (PmProperty *)o;
    Pm_VISIT(vm, p->prop_get);
    Pm_VISIT(vm, p->prop_set);
    Pm_VISIT(vm, p->prop_del);
    Pm_VISIT(vm, p->prop_doc);
    return 0;
}

static PmObject *property_get(PmVM *vm, PmObject *self, PmObject *obj, PmObject *type)
{
    (void)type;
    PmProperty *p = (PmProperty *)self;
    if (obj == NULL || obj == Pm_None(vm)) return Pm_NewRef(self);
    if (p->prop_get == NULL) {
        if (p->prop_name)
            return PmErr_Format(vm, PME(vm, AttributeError), "property '%U' of '%.100s' object has no getter",
                                p->prop_name, Pm_TYPE(obj)->tp_name);
        return PmErr_Format(vm, PME(vm, AttributeError), "unreadable attribute");
    }
    return PmObject_CallOneArg(vm, p->prop_get, obj);
}

static int property_set(PmVM *vm, PmObject *self, PmObject *obj, PmObject *value)
{
    PmProperty *p = (PmProperty *)self;
    PmObject *f = value ? p->prop_set : p->prop_del;
    if (f == NULL) {
        if (p->prop_name)
            PmErr_Format(vm, PME(vm, AttributeError), "property '%U' of '%.100s' object has no %s",
                         p->prop_name, Pm_TYPE(obj)->tp_name, value ? "setter" : "deleter");
        else
            PmErr_SetString(vm, PME(vm, AttributeError), value ? "can't set attribute" : "can't delete attribute");
        return -1;
    }
    PmObject *args[2] = {obj, value};
    PmObject *r = PmObject_Vectorcall(vm, f, args, value ? 2 : 1, NULL);
    if (r == NULL) return -1;
    Pm_DECREF(vm, r);
    return 0;
}

static PmObject *property_alloc(PmVM *vm, PmType *tp, PmObject *get, PmObject *set,
                                PmObject *del, PmObject *doc, PmObject *name)
{
    /* CPython 3.11's propertyobject: five pointers and int getter_doc, 64 bytes */
    PmProperty *p = (PmProperty *)pm_object_alloc(vm, tp, sizeof(PmProperty), 64 + PM_MODEL_GC_HEAD);
    if (p == NULL) return NULL;
    p->prop_get = get && get != Pm_None(vm) ? Pm_NewRef(get) : NULL;
    p->prop_set = set && set != Pm_None(vm) ? Pm_NewRef(set) : NULL;
    p->prop_del = del && del != Pm_None(vm) ? Pm_NewRef(del) : NULL;
    p->prop_doc = doc && doc != Pm_None(vm) ? Pm_NewRef(doc) : NULL;
    p->prop_name = Pm_XNewRef(name);
    pm_gc_track(vm, (PmObject *)p);
    return (PmObject *)p;
}

static PmObject *property_new(PmVM *vm, PmType *tp, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    PmObject *v[4] = {NULL, NULL, NULL, NULL};
    static const char *const names[4] = {"fget", "fset", "fdel", "doc"};
    if (nargs > 4) {
        return PmErr_Format(vm, PME(vm, TypeError),
                            "property() takes at most 4 arguments (%zu given)", nargs);
    }
    for (size_t i = 0; i < nargs; i++) v[i] = args[i];
    for (Pm_ssize_t k = 0; kwnames && k < Pm_SIZE(kwnames); k++) {
        PmObject *kn = PmTuple_GET_ITEM(kwnames, k);
        int j = 0;
        while (j < 4 && !PmStr_EqualToASCII(kn, names[j])) j++;
        if (j == 4) {
            return PmErr_Format(vm, PME(vm, TypeError),
                                "property() got an unexpected keyword argument '%U'", kn);
        }
        v[j] = args[nargs + (size_t)k];
    }
    return property_alloc(vm, tp, v[0], v[1], v[2], v[3], NULL);
}

static int property_init(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                         PmObject *kwnames)
{
    (void)vm; (void)self; (void)args; (void)nargs; (void)kwnames;
    return 0;
}

static PmObject *property_copy(PmVM *vm, PmObject *self, PmObject *get, PmObject *set,
                               PmObject *del)
{
    PmProperty *p = (PmProperty *)self;
    return property_alloc(vm, Pm_TYPE(self), get ? get : p->prop_get, set ? set : p->prop_set,
                          del ? del : p->prop_del, p->prop_doc, p->prop_name);
}

static PmObject *property_getter(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                 PmObject *kw)
{
    (void)nargs; (void)kw;
    return property_copy(vm, self, args[0], NULL, NULL);
}

static PmObject *property_setter(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                 PmObject *kw)
{
    (void)nargs; (void)kw;
    return property_copy(vm, self, NULL, args[0], NULL);
}

static PmObject *property_deleter(PmVM *vm, PmObject *self, PmObject *const *args,
                                  size_t nargs, PmObject *kw)
{
    (void)nargs; (void)kw;
    return property_copy(vm, self, NULL, NULL, args[0]);
}

static PmObject *property_set_name(PmVM *vm, PmObject *self, PmObject *const *args,
                                   size_t nargs, PmObject *kw)
{
    (void)kw;
    if (nargs != 2) {
        return PmErr_Format(vm, PME(vm, TypeError), "__set_name__() takes 2 positional arguments but %zu were given", nargs);
    }
    Pm_SETREF(vm, ((PmProperty *)self)->prop_name, Pm_NewRef(args[1]));
    return Pm_RETURN_NONE(vm);
}

static const PmMethodDef property_methods[] = {
    {"getter", property_getter, PM_METH_O},
    {"setter", property_setter, PM_METH_O},
    {"deleter", property_deleter, PM_METH_O},
    {"__set_name__", property_set_name, PM_METH_VARARGS},
    {NULL, NULL, 0}
};

static PmObject *property_fget(PmVM *vm, PmObject *o)
{
    PmObject *f = ((PmProperty *)o)->prop_get;
    return Pm_NewRef(f ? f : Pm_None(vm));
}

static const PmGetSetDef property_getsets[] = {
    {"fget", property_fget, NULL},
    {NULL, NULL, NULL}
};

const PmType PmProperty_Template = {
    .tp_name = "property",
    .tp_doc = "property(fget=None, fset=None, fdel=None, doc=None)\n"
              "--\n"
              "\n"
              "Property attribute.\n"
              "\n"
              "  fget\n"
              "    function to be used for getting an attribute value\n"
              "  fset\n"
              "    function to be used for setting an attribute value\n"
              "  fdel\n"
              "    function to be used for del'ing an attribute\n"
              "  doc\n"
              "    docstring\n"
              "\n"
              "Typical use is to define a managed attribute x:\n"
              "\n"
              "class C(object):\n"
              "    def getx(self): return self._x\n"
              "    def setx(self, value): self._x = value\n"
              "    def delx(self): del self._x\n"
              "    x = property(getx, setx, delx, \"I'm the 'x' property.\")\n"
              "\n"
              "Decorators make defining new properties or modifying existing ones easy:\n"
              "\n"
              "class C(object):\n"
              "    @property\n"
              "    def x(self):\n"
              "        \"I am the 'x' property.\"\n"
              "        return self._x\n"
              "    @x.setter\n"
              "    def x(self, value):\n"
              "        self._x = value\n"
              "    @x.deleter\n"
              "    def x(self):\n"
              "        del self._x",
    .tp_basicsize = 64,
    .tp_flags = PM_TPFLAGS_HAVE_GC | PM_TPFLAGS_BASETYPE,
    .tp_kind = PMT_PROPERTY,
    .tp_dealloc = property_dealloc,
    .tp_traverse = property_traverse,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_methods = property_methods,
    .tp_getset = property_getsets,
    .tp_descr_get = property_get,
    .tp_descr_set = property_set,
    .tp_init = property_init,
    .tp_new = property_new,
};

/* ------------------------------------------------------------------ staticmethod, classmethod */

static PmObject *sm_alloc(PmVM *vm, PmType *tp, PmObject *callable)
{
    PmStaticOrClassMethod *sm = (PmStaticOrClassMethod *)pm_object_alloc(
        vm, tp, sizeof(PmStaticOrClassMethod), 32 + PM_MODEL_GC_HEAD);
    if (sm == NULL) return NULL;
    sm->sm_callable = Pm_NewRef(callable);
    pm_gc_track(vm, (PmObject *)sm);
    return (PmObject *)sm;
}

PmObject *pm_staticmethod_new(PmVM *vm, PmObject *callable)
{
    return sm_alloc(vm, PMT(vm, STATICMETHOD), callable);
}

PmObject *pm_classmethod_new(PmVM *vm, PmObject *callable)
{
    return sm_alloc(vm, PMT(vm, CLASSMETHOD), callable);
}

static PmObject *sm_new(PmVM *vm, PmType *tp, PmObject *const *args, size_t nargs,
                        PmObject *kwnames)
{
    if (pm_no_kwargs(vm, tp->tp_name, kwnames)) return NULL;
    if (nargs != 1) {
        return PmErr_Format(vm, PME(vm, TypeError), "%s expected 1 argument, got %zu",
                            tp->tp_name, nargs);
    }
    return sm_alloc(vm, tp, args[0]);
}

static int sm_init(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                   PmObject *kwnames)
{
    (void)vm; (void)self; (void)args; (void)nargs; (void)kwnames;
    return 0;
}

static void sm_dealloc(PmVM *vm, PmObject *o)
{
    PmStaticOrClassMethod *sm = (PmStaticOrClassMethod *)o;
    pm_gc_untrack(vm, o);
    Pm_CLEAR(vm, sm->sm_callable);
    Pm_CLEAR(vm, sm->sm_dict);
    pm_object_free(vm, o);
}

static int sm_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    PmStaticOrClassMethod *sm = (PmStaticOrClassMethod *)o;
    Pm_VISIT(vm, sm->sm_callable);
    Pm_VISIT(vm, sm->sm_dict);
    return 0;
}

static PmObject *sm_get(PmVM *vm, PmObject *self, PmObject *obj, PmObject *type)
{
    (void)vm; (void)obj; (void)type;
    return Pm_NewRef(((PmStaticOrClassMethod *)self)->sm_callable);
}

static PmObject *sm_call(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                         PmObject *kwnames)
{
    return PmObject_Vectorcall(vm, ((PmStaticOrClassMethod *)self)->sm_callable, args, nargs,
                               kwnames);
}

static PmObject *cm_get(PmVM *vm, PmObject *self, PmObject *obj, PmObject *type)
{
    if (type == NULL) type = (PmObject *)Pm_TYPE(obj);
    return PmMethod_New(vm, ((PmStaticOrClassMethod *)self)->sm_callable, type);
}

static PmObject *sm_func(PmVM *vm, PmObject *o)
{
    (void)vm;
    return Pm_NewRef(((PmStaticOrClassMethod *)o)->sm_callable);
}

static const PmGetSetDef sm_getsets[] = {
    {"__func__", sm_func, NULL},
    {"__wrapped__", sm_func, NULL},
    {NULL, NULL, NULL}
};

const PmType PmStaticMethod_Template = {
    .tp_name = "staticmethod", .tp_basicsize = 32,
    .tp_doc = "staticmethod(function) -> method\n"
              "\n"
              "Convert a function to be a static method.\n"
              "\n"
              "A static method does not receive an implicit first argument.\n"
              "To declare a static method, use this idiom:\n"
              "\n"
              "     class C:\n"
              "         @staticmethod\n"
              "         def f(arg1, arg2, argN):\n"
              "             ...\n"
              "\n"
              "It can be called either on the class (e.g. C.f()) or on an instance\n"
              "(e.g. C().f()). Both the class and the instance are ignored, and\n"
              "neither is passed implicitly as the first argument to the method.\n"
              "\n"
              "Static methods in Python are similar to those found in Java or C++.\n"
              "For a more advanced concept, see the classmethod builtin.",
    .tp_flags = PM_TPFLAGS_HAVE_GC | PM_TPFLAGS_BASETYPE, .tp_kind = PMT_STATICMETHOD,
    .tp_dealloc = sm_dealloc, .tp_traverse = sm_traverse, .tp_call = sm_call,
    .tp_getattro = PmObject_GenericGetAttr, .tp_getset = sm_getsets,
    .tp_descr_get = sm_get, .tp_init = sm_init, .tp_new = sm_new,
};

const PmType PmClassMethod_Template = {
    .tp_name = "classmethod", .tp_basicsize = 32,
    .tp_doc = "classmethod(function) -> method\n"
              "\n"
              "Convert a function to be a class method.\n"
              "\n"
              "A class method receives the class as implicit first argument,\n"
              "just like an instance method receives the instance.\n"
              "To declare a class method, use this idiom:\n"
              "\n"
              "  class C:\n"
              "      @classmethod\n"
              "      def f(cls, arg1, arg2, argN):\n"
              "          ...\n"
              "\n"
              "It can be called either on the class (e.g. C.f()) or on an instance\n"
              "(e.g. C().f()).  The instance is ignored except for its class.\n"
              "If a class method is called for a derived class, the derived class\n"
              "object is passed as the implied first argument.\n"
              "\n"
              "Class methods are different than C++ or Java static methods.\n"
              "If you want those, see the staticmethod builtin.",
    .tp_flags = PM_TPFLAGS_HAVE_GC | PM_TPFLAGS_BASETYPE, .tp_kind = PMT_CLASSMETHOD,
    .tp_dealloc = sm_dealloc, .tp_traverse = sm_traverse,
    .tp_getattro = PmObject_GenericGetAttr, .tp_getset = sm_getsets,
    .tp_descr_get = cm_get, .tp_init = sm_init, .tp_new = sm_new,
};

/* ------------------------------------------------------------------ super */

PmObject *pm_super_lookup(PmVM *vm, PmSuper *su, PmObject *name)
{
    PmObject *mro = su->obj_type->tp_mro;
    Pm_ssize_t n = Pm_SIZE(mro), i = 0;
    while (i < n && PmTuple_GET_ITEM(mro, i) != (PmObject *)su->type) i++;
    for (i++; i < n; i++) {
        PmType *t = (PmType *)PmTuple_GET_ITEM(mro, i);
        PmObject *r = PmDict_GetItem_Borrow(vm, t->tp_dict, name);
        if (r == NULL) continue;
        pm_descrgetfunc get = Pm_TYPE(r)->tp_descr_get;
        if (get == NULL) return Pm_NewRef(r);
        PmObject *obj = su->obj == (PmObject *)su->obj_type ? NULL : su->obj;
        return get(vm, r, obj, (PmObject *)su->obj_type);
    }
    return NULL;
}

static PmObject *super_getattro(PmVM *vm, PmObject *self, PmObject *name)
{
    PmSuper *su = (PmSuper *)self;
    if (su->obj_type && !PmStr_EqualToASCII(name, "__class__")) {
        PmObject *r = pm_super_lookup(vm, su, name);
        if (r || PmErr_Occurred(vm)) return r;
    }
    return PmObject_GenericGetAttr(vm, self, name);
}

static PmType *supercheck(PmVM *vm, PmType *type, PmObject *obj)
{
    if (PmType_Check(obj) && PmType_IsSubtype((PmType *)obj, type)) return (PmType *)obj;
    if (PmType_IsSubtype(Pm_TYPE(obj), type)) return Pm_TYPE(obj);
    PmErr_SetString(vm, PME(vm, TypeError),
                    "super(type, obj): obj must be an instance or subtype of type");
    return NULL;
}

PmObject *pm_super_new(PmVM *vm, PmType *type, PmObject *obj)
{
    PmType *obj_type = obj ? supercheck(vm, type, obj) : NULL;
    if (obj && obj_type == NULL) return NULL;
    PmSuper *su = (PmSuper *)pm_object_alloc(vm, PMT(vm, SUPER), sizeof(PmSuper), 40 + PM_MODEL_GC_HEAD);
    if (su == NULL) return NULL;
    su->type = (PmType *)Pm_NewRef((PmObject *)type);
    su->obj = Pm_XNewRef(obj);
    su->obj_type = obj_type ? (PmType *)Pm_NewRef((PmObject *)obj_type) : NULL;
    pm_gc_track(vm, (PmObject *)su);
    return (PmObject *)su;
}

static PmObject *super_new(PmVM *vm, PmType *tp, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    (void)tp;
    if (pm_no_kwargs(vm, "super", kwnames)) return NULL;
    if (nargs == 0) return pm_super_zero_args(vm);
    if (!PmType_Check(args[0])) {
        return PmErr_Format(vm, PME(vm, TypeError), "super() argument 1 must be a type, not %.200s",
                            Pm_TYPE(args[0])->tp_name);
    }
    return pm_super_new(vm, (PmType *)args[0], nargs > 1 ? args[1] : NULL);
}

static void super_dealloc(PmVM *vm, PmObject *o)
{
    PmSuper *su = (PmSuper *)o;
    pm_gc_untrack(vm, o);
    Pm_CLEAR(vm, su->obj);
    Pm_CLEAR(vm, su->type);
    Pm_CLEAR(vm, su->obj_type);
    pm_object_free(vm, o);
}

static int super_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    PmSuper *su = (PmSuper *)o;
    Pm_VISIT(vm, su->obj);
    Pm_VISIT(vm, su->type);
    Pm_VISIT(vm, su->obj_type);
    return 0;
}

static PmObject *super_repr(PmVM *vm, PmObject *o)
{
    PmSuper *su = (PmSuper *)o;
    if (su->obj_type)
        return PmStr_FromFormat(vm, "<super: <class '%s'>, <%s object>>", su->type->tp_name,
                                su->obj_type->tp_name);
    return PmStr_FromFormat(vm, "<super: <class '%s'>, NULL>", su->type->tp_name);
}

static int super_init(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                      PmObject *kwnames)
{
    (void)vm; (void)self; (void)args; (void)nargs; (void)kwnames;
    return 0;
}

const PmType PmSuper_Template = {
    .tp_name = "super", .tp_basicsize = 40,
    .tp_doc = "super() -> same as super(__class__, <first argument>)\n"
              "super(type) -> unbound super object\n"
              "super(type, obj) -> bound super object; requires isinstance(obj, type)\n"
              "super(type, type2) -> bound super object; requires issubclass(type2, type)\n"
              "Typical use to call a cooperative superclass method:\n"
              "class C(B):\n"
              "    def meth(self, arg):\n"
              "        super().meth(arg)\n"
              "This works for class methods too:\n"
              "class C(B):\n"
              "    @classmethod\n"
              "    def cmeth(cls, arg):\n"
              "        super().cmeth(arg)\n",
    .tp_flags = PM_TPFLAGS_HAVE_GC | PM_TPFLAGS_BASETYPE, .tp_kind = PMT_SUPER,
    .tp_dealloc = super_dealloc, .tp_traverse = super_traverse, .tp_repr = super_repr,
    .tp_getattro = super_getattro, .tp_init = super_init, .tp_new = super_new,
};

/* ------------------------------------------------------------------ mappingproxy */

PmObject *pm_mappingproxy_new(PmVM *vm, PmObject *mapping)
{
    PmMappingProxy *mp = (PmMappingProxy *)pm_object_alloc(vm, PMT(vm, MAPPINGPROXY),
                                                           sizeof(PmMappingProxy), 24 + PM_MODEL_GC_HEAD);
    if (mp == NULL) return NULL;
    mp->mapping = Pm_NewRef(mapping);
    pm_gc_track(vm, (PmObject *)mp);
    return (PmObject *)mp;
}

static void mp_dealloc(PmVM *vm, PmObject *o)
{
    pm_gc_untrack(vm, o);
    Pm_CLEAR(vm, ((PmMappingProxy *)o)->mapping);
    pm_object_free(vm, o);
}

static int mp_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    Pm_VISIT(vm, ((PmMappingProxy *)o)->mapping);
    return 0;
}

static PmObject *mp_getitem(PmVM *vm, PmObject *o, PmObject *key)
{
    return PmObject_GetItem(vm, ((PmMappingProxy *)o)->mapping, key);
}

static Pm_ssize_t mp_len(PmVM *vm, PmObject *o)
{
    return PmObject_Length(vm, ((PmMappingProxy *)o)->mapping);
}

static int mp_contains(PmVM *vm, PmObject *o, PmObject *key)
{
    return PmSequence_Contains(vm, ((PmMappingProxy *)o)->mapping, key);
}

static PmObject *mp_iter(PmVM *vm, PmObject *o)
{
    return PmObject_GetIter(vm, ((PmMappingProxy *)o)->mapping);
}

static PmObject *mp_repr(PmVM *vm, PmObject *o)
{
    return PmStr_FromFormat(vm, "mappingproxy(%R)", ((PmMappingProxy *)o)->mapping);
}

static PmObject *mp_forward(PmVM *vm, PmObject *self, const char *name, PmObject *const *args,
                            size_t nargs)
{
    PmObject *n = PmStr_FromString(vm, name);
    if (n == NULL) return NULL;
    PmObject *r = PmObject_CallMethod(vm, ((PmMappingProxy *)self)->mapping, n, args, nargs);
    Pm_DECREF(vm, n);
    return r;
}

static PmObject *mp_keys(PmVM *vm, PmObject *s, PmObject *const *a, size_t n, PmObject *k)
{ (void)k; return mp_forward(vm, s, "keys", a, n); }
static PmObject *mp_values(PmVM *vm, PmObject *s, PmObject *const *a, size_t n, PmObject *k)
{ (void)k; return mp_forward(vm, s, "values", a, n); }
static PmObject *mp_items(PmVM *vm, PmObject *s, PmObject *const *a, size_t n, PmObject *k)
{ (void)k; return mp_forward(vm, s, "items", a, n); }
static PmObject *mp_get(PmVM *vm, PmObject *s, PmObject *const *a, size_t n, PmObject *k)
{ (void)k; return mp_forward(vm, s, "get", a, n); }
static PmObject *mp_copy(PmVM *vm, PmObject *s, PmObject *const *a, size_t n, PmObject *k)
{ (void)k; return mp_forward(vm, s, "copy", a, n); }

static const PmMethodDef mp_methods[] = {
    {"keys", mp_keys, PM_METH_NOARGS}, {"values", mp_values, PM_METH_NOARGS},
    {"items", mp_items, PM_METH_NOARGS}, {"get", mp_get, PM_METH_VARARGS},
    {"copy", mp_copy, PM_METH_NOARGS}, {NULL, NULL, 0}
};

const PmType PmMappingProxy_Template = {
    .tp_name = "mappingproxy", .tp_basicsize = 24,
    .tp_flags = PM_TPFLAGS_HAVE_GC, .tp_kind = PMT_MAPPINGPROXY,
    .tp_dealloc = mp_dealloc, .tp_traverse = mp_traverse, .tp_repr = mp_repr,
    .tp_getattro = PmObject_GenericGetAttr, .tp_iter = mp_iter, .tp_methods = mp_methods,
    .tp_as_mapping = {.mp_length = mp_len, .mp_subscript = mp_getitem},
    .tp_as_sequence = {.sq_contains = mp_contains},
};

/* super() without arguments: the __class__ cell and the first argument of the calling
 * Python frame (CPython's super_init_without_args). */
PmObject *pm_super_zero_args(PmVM *vm)
{
    PmFrame *f = vm->frame;
    if (f == NULL) return PmErr_Format(vm, PME(vm, RuntimeError), "super(): no current frame");
    PmCode *co = f->f_code;
    if (co->co_argcount == 0)
        return PmErr_Format(vm, PME(vm, RuntimeError), "super(): no arguments");
    PmObject *obj = f->localsplus[0];
    if (obj && (co->co_localspluskinds[0] & PM_CO_FAST_CELL)) obj = ((PmCell *)obj)->ob_ref;
    if (obj == NULL) return PmErr_Format(vm, PME(vm, RuntimeError), "super(): arg[0] deleted");
    for (int i = co->co_nlocalsplus - co->co_nfreevars; i < co->co_nlocalsplus; i++) {
        if (!PmStr_EqualToASCII(PmTuple_GET_ITEM(co->co_localsplusnames, i), "__class__")) continue;
        PmObject *type = ((PmCell *)f->localsplus[i])->ob_ref;
        if (type == NULL)
            return PmErr_Format(vm, PME(vm, RuntimeError), "super(): empty __class__ cell");
        if (!PmType_Check(type))
            return PmErr_Format(vm, PME(vm, RuntimeError), "super(): __class__ is not a type (%s)",
                                Pm_TYPE(type)->tp_name);
        return pm_super_new(vm, (PmType *)type, obj);
    }
    return PmErr_Format(vm, PME(vm, RuntimeError), "super(): __class__ cell not found");
}
