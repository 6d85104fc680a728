/*
 * reduce.c -- object's side of the pickle protocol, as CPython 3.11's Objects/typeobject.c
 * has it: object.__reduce_ex__(protocol), object.__reduce__() and object.__getstate__().
 *
 *   __reduce_ex__(p)  calls an overriding __reduce__ if the class has one; otherwise
 *                     protocol >= 2 gives (copyreg.__newobj__, (cls, *newargs), state,
 *                     listitems, dictitems) and protocols 0 and 1 copyreg._reduce_ex(obj, p)
 *   __reduce__()      copyreg._reduce_ex(obj, 0)
 *   __getstate__()    None, the instance __dict__, or (dict, {slot: value}) with __slots__
 *
 * The copyreg module (lib/copyregmodule.c) is one CPython imports while starting up; its
 * _slotnames caches a class's slot names as the class attribute __slotnames__, so asking
 * for the state of an instance adds that name to the class, as it does in CPython.
 */
#include "pm.h"

/* ------------------------------------------------------------------ copyreg */

/* copyreg from sys.modules, imported (made) when a program removed it (CPython's
 * import_copyreg).  New reference. */
static PmObject *import_copyreg(PmVM *vm)
{
    PmObject *name = PmStr_InternFromString(vm, "copyreg");
    if (name == NULL) return NULL;
    PmObject *m = vm->modules ? PmDict_GetItem_Borrow(vm, vm->modules, name) : NULL;
    if (m) {
        Pm_DECREF(vm, name);
        return Pm_NewRef(m);
    }
    m = PmErr_Occurred(vm) ? NULL : pm_import_builtin_module(vm, name);
    if (m == NULL && !PmErr_Occurred(vm))
        PmErr_Format(vm, PME(vm, ModuleNotFoundError), "No module named '%U'", name);
    Pm_DECREF(vm, name);
    return m;
}

static PmObject *copyreg_attr(PmVM *vm, PmObject *name)
{
    PmObject *copyreg = import_copyreg(vm);
    if (copyreg == NULL) return NULL;
    PmObject *r = PmObject_GetAttr(vm, copyreg, name);
    Pm_DECREF(vm, copyreg);
    return r;
}

/* CPython's _PyType_GetSlotNames: cls.__dict__['__slotnames__'] or copyreg._slotnames(cls)
 * (which stores it there): a list or None. */
static PmObject *slot_names(PmVM *vm, PmType *cls)
{
    PmObject *names = PmDict_GetItem_Borrow(vm, cls->tp_dict, PMID(vm, __slotnames__));
    if (names) {
        if (names != Pm_None(vm) && !PmList_Check(names)) {
            return PmErr_Format(vm, PME(vm, TypeError),
                                "%.200s.__slotnames__ should be a list or None, not %.200s",
                                cls->tp_name, Pm_TYPE(names)->tp_name);
        }
        return Pm_NewRef(names);
    }
    if (PmErr_Occurred(vm)) return NULL;
    PmObject *f = copyreg_attr(vm, PMID(vm, _slotnames));
    if (f == NULL) return NULL;
    names = PmObject_CallOneArg(vm, f, (PmObject *)cls);
    Pm_DECREF(vm, f);
    if (names && names != Pm_None(vm) && !PmList_Check(names)) {
        Pm_DECREF(vm, names);
        PmErr_SetString(vm, PME(vm, TypeError), "copyreg._slotnames didn't return a list or None");
        return NULL;
    }
    return names;
}

/* ------------------------------------------------------------------ __getstate__ */

static bool values_empty(PmInlineValues *v)
{
    for (Pm_ssize_t i = 0; v && i < v->n; i++)
        if (v->vals[i]) return false;
    return true;
}

/* CPython's _PyObject_IsInstanceDictEmpty, without making an instance's dict. */
static int instance_dict_empty(PmVM *vm, PmObject *obj)
{
    PmType *tp = Pm_TYPE(obj);
    if (pm_type_model_dictoffset(vm, tp) == 0) return 1;
    PmObject *dict = NULL;
    if (tp->ht_extra_offset && tp->ht_has_dict) {
        PmInstanceExtra *x = PmInstance_EXTRA(obj);
        if (x->values) return values_empty(x->values);
        dict = x->dict;
    } else {
        switch (tp->tp_kind) {
        case PMT_BASE_EXCEPTION: dict = ((PmBaseException *)obj)->dict; break;
        case PMT_FUNCTION: dict = ((PmFunction *)obj)->func_dict; break;
        case PMT_MODULE: dict = ((PmModule *)obj)->md_dict; break;
        case PMT_TYPE: dict = ((PmType *)obj)->tp_dict; break;
        case PMT_STATICMETHOD: case PMT_CLASSMETHOD:
            dict = ((PmStaticOrClassMethod *)obj)->sm_dict;
            break;
        default: {
            PmObject *d = PmObject_LookupAttr(vm, obj, PMID(vm, __dict__));
            if (d == NULL) return PmErr_Occurred(vm) ? -1 : 1;
            int empty = !PmDict_Check(d) || PmDict_Size(d) == 0;
            Pm_DECREF(vm, d);
            return empty;
        }
        }
    }
    return dict == NULL || !PmDict_Check(dict) || PmDict_Size(dict) == 0;
}

/* {name: value} of the slots that have a value (a missing one is no error). */
static PmObject *slot_values(PmVM *vm, PmObject *obj, PmObject *names)
{
    PmObject *slots = PmDict_New(vm);
    Pm_ssize_t n = Pm_SIZE(names);
    for (Pm_ssize_t i = 0; slots && i < n; i++) {
        PmObject *name = Pm_NewRef(PmList_GET_ITEM(names, i));
        PmObject *value = PmObject_LookupAttr(vm, obj, name);
        int err = value ? PmDict_SetItem(vm, slots, name, value) : PmErr_Occurred(vm) ? -1 : 0;
        Pm_DECREF(vm, name);
        Pm_XDECREF(vm, value);
        if (err == 0 && n != Pm_SIZE(names)) {   /* the list lives on the class */
            PmErr_SetString(vm, PME(vm, RuntimeError), "__slotsname__ changed size during iteration");
            err = -1;
        }
        if (err) Pm_CLEAR(vm, slots);
    }
    return slots;
}

/* CPython's object_getstate_default.  `required`: the object cannot be rebuilt from __new__
 * arguments, so a C layout bigger than its dict and slots account for cannot be pickled. */
static PmObject *getstate_default(PmVM *vm, PmObject *obj, bool required)
{
    PmType *tp = Pm_TYPE(obj);
    if (required && tp->tp_itemsize)
        return PmErr_Format(vm, PME(vm, TypeError), "cannot pickle %.200s objects", tp->tp_name);
    int empty = instance_dict_empty(vm, obj);
    if (empty < 0) return NULL;
    PmObject *state = empty ? Pm_RETURN_NONE(vm) : PmObject_GetAttr(vm, obj, PMID(vm, __dict__));
    if (state == NULL) return NULL;
    PmObject *names = slot_names(vm, tp);
    if (names == NULL) {
        Pm_DECREF(vm, state);
        return NULL;
    }
    if (required) {
        Pm_ssize_t size = PM_MODEL_OBJECT;
        if (pm_type_model_dictoffset(vm, tp) && !PmType_HasFeature(tp, PM_TPFLAGS_MANAGED_DICT))
            size += PM_MODEL_PTR;
        if (pm_type_model_weaklistoffset(vm, tp)) size += PM_MODEL_PTR;
        if (names != Pm_None(vm)) size += PM_MODEL_PTR * Pm_SIZE(names);
        if (tp->tp_basicsize > size) {
            Pm_DECREF(vm, names);
            Pm_DECREF(vm, state);
            return PmErr_Format(vm, PME(vm, TypeError), "cannot pickle '%.200s' object", tp->tp_name);
        }
    }
    if (names != Pm_None(vm) && Pm_SIZE(names) > 0) {
        PmObject *slots = slot_values(vm, obj, names);
        if (slots && PmDict_Size(slots) > 0) {
            PmObject *both = PmTuple_Pack(vm, 2, state, slots);
            Pm_SETREF(vm, state, both);
        }
        if (slots == NULL) Pm_CLEAR(vm, state);
        Pm_XDECREF(vm, slots);
    }
    Pm_DECREF(vm, names);
    return state;
}

PmObject *pm_reduce_object_getstate(PmVM *vm, PmObject *self, PmObject *const *args,
                                    size_t nargs, PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    return getstate_default(vm, self, false);
}

static bool is_default_getstate(PmObject *getstate, PmObject *obj)
{
    return Pm_KIND(getstate) == PMT_CFUNCTION && ((PmCFunction *)getstate)->m_self == obj &&
           ((PmCFunction *)getstate)->m_ml->meth == pm_reduce_object_getstate;
}

/* CPython's object_getstate: obj.__getstate__(), passing `required` on when it is
 * object's own. */
static PmObject *object_getstate(PmVM *vm, PmObject *obj, bool required)
{
    PmObject *getstate = PmObject_GetAttr(vm, obj, PMID(vm, __getstate__));
    if (getstate == NULL) return NULL;
    PmObject *state = is_default_getstate(getstate, obj) ? getstate_default(vm, obj, required)
                                                         : PmObject_CallNoArgs(vm, getstate);
    Pm_DECREF(vm, getstate);
    return state;
}

PmObject *pm_reduce_getstate(PmVM *vm, PmObject *obj)
{
    return object_getstate(vm, obj, false);
}

/* ------------------------------------------------------------------ __reduce_ex__ */

/* type(obj).NAME bound to obj, NULL without an exception when missing
 * (_PyObject_LookupSpecial). */
static PmObject *lookup_special(PmVM *vm, PmObject *obj, PmObject *name)
{
    PmObject *f = PmType_Lookup(vm, Pm_TYPE(obj), name);
    return f ? pm_bind(vm, f, obj) : NULL;
}

/* CPython's _PyObject_GetNewArguments: __getnewargs_ex__() or __getnewargs__(), checked;
 * *args and *kwargs stay NULL when the object has neither. */
static int new_arguments(PmVM *vm, PmObject *obj, PmObject **args, PmObject **kwargs)
{
    *args = *kwargs = NULL;
    PmObject *f = lookup_special(vm, obj, PMID(vm, __getnewargs_ex__));
    if (f) {
        PmObject *r = PmObject_CallNoArgs(vm, f);
        Pm_DECREF(vm, f);
        if (r == NULL) return -1;
        if (!PmTuple_Check(r)) {
            PmErr_Format(vm, PME(vm, TypeError), "__getnewargs_ex__ should return a tuple, not '%.200s'",
                         Pm_TYPE(r)->tp_name);
        } else if (Pm_SIZE(r) != 2) {
            PmErr_Format(vm, PME(vm, ValueError),
                         "__getnewargs_ex__ should return a tuple of length 2, not %zd", Pm_SIZE(r));
        } else if (!PmTuple_Check(PmTuple_GET_ITEM(r, 0))) {
            PmErr_Format(vm, PME(vm, TypeError),
                         "first item of the tuple returned by __getnewargs_ex__ must be a tuple, not '%.200s'",
                         Pm_TYPE(PmTuple_GET_ITEM(r, 0))->tp_name);
        } else if (!PmDict_Check(PmTuple_GET_ITEM(r, 1))) {
            PmErr_Format(vm, PME(vm, TypeError),
                         "second item of the tuple returned by __getnewargs_ex__ must be a dict, not '%.200s'",
                         Pm_TYPE(PmTuple_GET_ITEM(r, 1))->tp_name);
        } else {
            *args = Pm_NewRef(PmTuple_GET_ITEM(r, 0));
            *kwargs = Pm_NewRef(PmTuple_GET_ITEM(r, 1));
        }
        Pm_DECREF(vm, r);
        return *args ? 0 : -1;
    }
    if (PmErr_Occurred(vm)) return -1;
    f = lookup_special(vm, obj, PMID(vm, __getnewargs__));
    if (f == NULL) return PmErr_Occurred(vm) ? -1 : 0;
    PmObject *r = PmObject_CallNoArgs(vm, f);
    Pm_DECREF(vm, f);
    if (r == NULL) return -1;
    if (!PmTuple_Check(r)) {
        PmErr_Format(vm, PME(vm, TypeError), "__getnewargs__ should return a tuple, not '%.200s'",
                     Pm_TYPE(r)->tp_name);
        Pm_DECREF(vm, r);
        return -1;
    }
    *args = r;
    return 0;
}

/* CPython's _PyObject_GetItemsIter: iter(list) and iter(dict.items()) for the list and dict
 * parts of the state, None for other objects. */
static int items_iters(PmVM *vm, PmObject *obj, PmObject **listitems, PmObject **dictitems)
{
    *listitems = PmList_Check(obj) ? PmObject_GetIter(vm, obj) : Pm_RETURN_NONE(vm);
    if (*listitems == NULL) return -1;
    if (!PmDict_Check(obj)) {
        *dictitems = Pm_RETURN_NONE(vm);
        return 0;
    }
    PmObject *items = PmObject_CallMethod(vm, obj, PMID(vm, items), NULL, 0);
    *dictitems = items ? PmObject_GetIter(vm, items) : NULL;
    Pm_XDECREF(vm, items);
    if (*dictitems == NULL) Pm_CLEAR(vm, *listitems);
    return *dictitems ? 0 : -1;
}

/* CPython's reduce_newobj: protocol 2 and later. */
static PmObject *reduce_newobj(PmVM *vm, PmObject *obj)
{
    PmType *tp = Pm_TYPE(obj);
    if (tp->tp_new == NULL)
        return PmErr_Format(vm, PME(vm, TypeError), "cannot pickle '%.200s' object", tp->tp_name);
    PmObject *args, *kwargs;
    if (new_arguments(vm, obj, &args, &kwargs) < 0) return NULL;
    bool hasargs = args != NULL;
    PmObject *newobj, *newargs = NULL;
    if (kwargs == NULL || PmDict_Size(kwargs) == 0) {
        newobj = copyreg_attr(vm, PMID(vm, __newobj__));
        Pm_ssize_t n = args ? Pm_SIZE(args) : 0;
        if (newobj && (newargs = PmTuple_New(vm, n + 1)) != NULL) {
            PmTuple_SET_ITEM(newargs, 0, Pm_NewRef((PmObject *)tp));
            for (Pm_ssize_t i = 0; i < n; i++)
                PmTuple_SET_ITEM(newargs, i + 1, Pm_NewRef(PmTuple_GET_ITEM(args, i)));
        }
    } else {
        newobj = copyreg_attr(vm, PMID(vm, __newobj_ex__));
        if (newobj) newargs = PmTuple_Pack(vm, 3, (PmObject *)tp, args, kwargs);
    }
    Pm_XDECREF(vm, args);
    Pm_XDECREF(vm, kwargs);
    if (newargs == NULL) {
        Pm_XDECREF(vm, newobj);
        return NULL;
    }
    PmObject *result = NULL, *listitems, *dictitems;
    PmObject *state = object_getstate(vm, obj, !(hasargs || PmList_Check(obj) || PmDict_Check(obj)));
    if (state && items_iters(vm, obj, &listitems, &dictitems) == 0) {
        result = PmTuple_Pack(vm, 5, newobj, newargs, state, listitems, dictitems);
        Pm_DECREF(vm, listitems);
        Pm_DECREF(vm, dictitems);
    }
    Pm_XDECREF(vm, state);
    Pm_DECREF(vm, newobj);
    Pm_DECREF(vm, newargs);
    return result;
}

/* CPython's _common_reduce. */
static PmObject *common_reduce(PmVM *vm, PmObject *obj, int proto)
{
    if (proto >= 2) return reduce_newobj(vm, obj);
    PmObject *f = copyreg_attr(vm, PMID(vm, _reduce_ex));
    if (f == NULL) return NULL;
    PmObject *p = PmLong_FromLongLong(vm, proto);
    PmObject *args[2] = {obj, p};
    PmObject *r = p ? PmObject_Vectorcall(vm, f, args, 2, NULL) : NULL;
    Pm_XDECREF(vm, p);
    Pm_DECREF(vm, f);
    return r;
}

PmObject *pm_reduce_object_reduce(PmVM *vm, PmObject *self, PmObject *const *args,
                                  size_t nargs, PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    return common_reduce(vm, self, 0);
}

static bool is_object_reduce(PmVM *vm, PmObject *f)
{
    PmObject *objreduce = PmDict_GetItem_Borrow(vm, PMT(vm, OBJECT)->tp_dict, PMID(vm, __reduce__));
    return f == objreduce;
}

PmObject *pm_reduce_object_reduce_ex(PmVM *vm, PmObject *self, PmObject *const *args,
                                     size_t nargs, PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    int proto;
    if (PmNumber_AsCInt(vm, args[0], &proto) < 0) return NULL;
    PmObject *reduce = PmObject_LookupAttr(vm, self, PMID(vm, __reduce__));
    if (reduce == NULL && PmErr_Occurred(vm)) return NULL;
    if (reduce) {
        PmObject *clsreduce = PmObject_GetAttr(vm, (PmObject *)Pm_TYPE(self), PMID(vm, __reduce__));
        if (clsreduce == NULL) {
            Pm_DECREF(vm, reduce);
            return NULL;
        }
        bool override = !is_object_reduce(vm, clsreduce);
        Pm_DECREF(vm, clsreduce);
        if (override) {
            PmObject *r = PmObject_CallNoArgs(vm, reduce);
            Pm_DECREF(vm, reduce);
            return r;
        }
        Pm_DECREF(vm, reduce);
    }
    return common_reduce(vm, self, proto);
}
