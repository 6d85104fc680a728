/*
 * sysmodule.c -- the sys module (CPython's Python/sysmodule.c) and the table of the
 * builtin modules `import` can find.
 *
 * What is here: getrefcount, getsizeof, intern, getrecursionlimit, setrecursionlimit,
 * exc_info, exception, exit, getdefaultencoding, get_int_max_str_digits, getallocatedblocks
 * (the lab's heap), _getframe, _clear_type_cache, _debugmallocstats; maxsize, maxunicode,
 * version, version_info, float_info, int_info, float_repr_style, hexversion, api_version,
 * platform, byteorder, argv, path, modules, stdout/stderr (lib/io.c) and
 * __stdout__/__stderr__.
 *
 * Known divergences (documented for the page):
 * - getrefcount of a static object (small ints, the empty str and tuple, latin-1
 *   characters, identifiers, None, True, types...) is not a count of real references: the
 *   core gives static objects a huge refcount.  For ints, strs and tuples we report
 *   999999999 + the references the program's objects hold, the form CPython 3.11 shows for
 *   its statically allocated ("immortal") objects; for the other singletons and types,
 *   whose CPython count depends on everything the interpreter has loaded, 1000 + those
 *   references.
 * - set_int_max_str_digits is absent: int.c's limit is the fixed default 4300.
 * - Left out as meaningless here (no installation, files, threads, interactive mode,
 *   tracing or import system): stdin, flags, implementation, hash_info (str hashes are not
 *   SipHash), thread_info, executable and the prefixes, the hooks (displayhook, excepthook,
 *   breakpointhook, unraisablehook, audit), settrace/setprofile, switch intervals,
 *   meta_path/path_hooks, builtin_module_names, stdlib_module_names, warnoptions.
 */
#include <float.h>

#include "pm.h"

/* ------------------------------------------------------------------ argument checks */

/* Module functions other than builtins' name themselves "sys.NAME()" in these errors
 * (CPython's _PyObject_FunctionStr). */
static int sys_args(PmVM *vm, const char *name, size_t nargs, PmObject *kwnames, int want)
{
    if (kwnames && Pm_SIZE(kwnames)) {
        PmErr_Format(vm, PME(vm, TypeError), "sys.%s() takes no keyword arguments", name);
        return -1;
    }
    if (want == 0 && nargs != 0) {
        PmErr_Format(vm, PME(vm, TypeError), "sys.%s() takes no arguments (%zu given)", name,
                     nargs);
        return -1;
    }
    if (want == 1 && nargs != 1) {
        PmErr_Format(vm, PME(vm, TypeError), "sys.%s() takes exactly one argument (%zu given)",
                     name, nargs);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ objects and sizes */

static PmObject *sys_getrefcount(PmVM *vm, PmObject *self, PmObject *const *args,
                                 size_t nargs, PmObject *kwnames)
{
    (void)self;
    if (sys_args(vm, "getrefcount", nargs, kwnames, 1) < 0) return NULL;
    PmObject *o = args[0];
    Pm_ssize_t n = Pm_REFCNT(o);
    if (pm_is_static(o)) {
        int k = Pm_KIND(o);
        bool immortal = k == PMT_INT || k == PMT_STR || k == PMT_TUPLE;
        n = n - PM_STATIC_REFCNT + (immortal ? 999999999 : 1000);
    }
    return PmLong_FromSsize_t(vm, n);
}

static PmObject *getsizeof_impl(PmVM *vm, PmObject *o, PmObject *dflt)
{
    Pm_ssize_t n = PmObject_SizeOf(vm, o);
    if (n >= 0) return PmLong_FromSsize_t(vm, n);
    if (dflt && PmErr_ExceptionMatches(vm, PME(vm, TypeError))) {
        PmErr_Clear(vm);
        return Pm_NewRef(dflt);
    }
    return NULL;
}

/* METH_VARARGS | METH_KEYWORDS in CPython: its arguments arrive in a tuple. */
static PmObject *sys_getsizeof(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    (void)self;
    static const char *const names[] = {"object", "default"};
    PmObject *a[2];
    if (pm_builtins_unpack(vm, "getsizeof", args, nargs, kwnames, names, 2, 0, 1, 2, a) < 0)
        return NULL;
    PmObject *t = PmTuple_FromArray(vm, args, (Pm_ssize_t)nargs);
    if (t == NULL) return NULL;
    PmObject *r = getsizeof_impl(vm, a[0], a[1]);
    Pm_DECREF(vm, t);
    return r;
}

static PmObject *sys_intern(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    (void)self;
    if (sys_args(vm, "intern", nargs, kwnames, 1) < 0) return NULL;
    if (args[0] == Pm_None(vm))   /* Argument Clinic says "None", not "NoneType" */
        return PmErr_Format(vm, PME(vm, TypeError), "intern() argument must be str, not None");
    return PmStr_SysIntern(vm, args[0]);
}

/* ------------------------------------------------------------------ recursion */

static PmObject *sys_getrecursionlimit(PmVM *vm, PmObject *self, PmObject *const *args,
                                       size_t nargs, PmObject *kwnames)
{
    (void)self; (void)args;
    if (sys_args(vm, "getrecursionlimit", nargs, kwnames, 0) < 0) return NULL;
    return PmLong_FromLongLong(vm, vm->recursion_limit);
}

/* The depth CPython 3.11 compares with: Python frames and C recursion guards, including
 * the one the call of this builtin function entered (PmObject_Vectorcall, like CPython). */
static int current_depth(PmVM *vm)
{
    return vm->recursion_depth;
}

static PmObject *sys_setrecursionlimit(PmVM *vm, PmObject *self, PmObject *const *args,
                                       size_t nargs, PmObject *kwnames)
{
    (void)self;
    int limit, depth;
    if (sys_args(vm, "setrecursionlimit", nargs, kwnames, 1) < 0) return NULL;
    if (PmNumber_AsCInt(vm, args[0], &limit) < 0) return NULL;
    if (limit < 1)
        return PmErr_Format(vm, PME(vm, ValueError),
                            "recursion limit must be greater or equal than 1");
    if ((depth = current_depth(vm)) >= limit)
        return PmErr_Format(vm, PME(vm, RecursionError),
                            "cannot set the recursion limit to %d at the recursion depth %d: "
                            "the limit is too low", limit, depth);
    vm->recursion_limit = limit;
    return Pm_RETURN_NONE(vm);
}

/* ------------------------------------------------------------------ exceptions, exit */

static PmObject *sys_exc_info(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    (void)self; (void)args;
    if (sys_args(vm, "exc_info", nargs, kwnames, 0) < 0) return NULL;
    PmObject *e = vm->exc_info;
    if (e == NULL || e == Pm_None(vm))
        return PmTuple_Pack(vm, 3, Pm_None(vm), Pm_None(vm), Pm_None(vm));
    PmObject *tb = PmExc_Check(e) ? ((PmBaseException *)e)->traceback : NULL;
    return PmTuple_Pack(vm, 3, (PmObject *)Pm_TYPE(e), e, tb ? tb : Pm_None(vm));
}

static PmObject *sys_exit(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                          PmObject *kwnames)
{
    (void)self;
    if (sys_args(vm, "exit", 0, kwnames, -1) < 0) return NULL;
    if (pm_check_positional(vm, "exit", nargs, 0, 1) < 0) return NULL;
    PmErr_SetObject(vm, PME(vm, SystemExit), nargs ? args[0] : NULL);
    return NULL;
}

static PmObject *sys_exception(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    (void)self; (void)args;
    if (sys_args(vm, "exception", nargs, kwnames, 0) < 0) return NULL;
    PmObject *e = vm->exc_info;
    return Pm_NewRef(e ? e : Pm_None(vm));
}

/* sys._getframe(depth=0): the frame object of the caller, or of the depth-th frame above. */
static PmObject *sys_getframe(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    (void)self;
    if (sys_args(vm, "_getframe", 0, kwnames, -1) < 0) return NULL;
    if (pm_check_positional(vm, "_getframe", nargs, 0, 1) < 0) return NULL;
    int depth = 0;
    if (nargs && PmNumber_AsCInt(vm, args[0], &depth) < 0) return NULL;
    PmFrame *f = vm->frame;
    while (depth > 0 && f) {
        f = f->previous;
        depth--;
    }
    if (f == NULL) {
        PmErr_SetString(vm, PME(vm, ValueError), "call stack is not deep enough");
        return NULL;
    }
    return Pm_XNewRef(pm_frame_get_object(vm, f));   /* the frame keeps its own reference */
}

/* ------------------------------------------------------------------ small queries */

static PmObject *sys_getdefaultencoding(PmVM *vm, PmObject *self, PmObject *const *args,
                                        size_t nargs, PmObject *kwnames)
{
    (void)self; (void)args;
    if (sys_args(vm, "getdefaultencoding", nargs, kwnames, 0) < 0) return NULL;
    return PmStr_FromString(vm, "utf-8");
}

/* The pymalloc blocks (and large blocks) in use, as CPython counts them: the lab's heap. */
static PmObject *sys_getallocatedblocks(PmVM *vm, PmObject *self, PmObject *const *args,
                                        size_t nargs, PmObject *kwnames)
{
    (void)self; (void)args;
    if (sys_args(vm, "getallocatedblocks", nargs, kwnames, 0) < 0) return NULL;
    return PmLong_FromSsize_t(vm, (Pm_ssize_t)pmmem_live_blocks(&vm->mem));
}

/* CPython's PyType_ClearCache: the attribute cache is emptied (3.11 leaves the types'
 * version tags as they are). */
static PmObject *sys_clear_type_cache(PmVM *vm, PmObject *self, PmObject *const *args,
                                      size_t nargs, PmObject *kwnames)
{
    (void)self; (void)args;
    if (sys_args(vm, "_clear_type_cache", nargs, kwnames, 0) < 0) return NULL;
    pm_type_cache_clear(vm);
    return Pm_RETURN_NONE(vm);
}

static PmObject *sys_get_int_max_str_digits(PmVM *vm, PmObject *self, PmObject *const *args,
                                            size_t nargs, PmObject *kwnames)
{
    (void)self; (void)args;
    if (sys_args(vm, "get_int_max_str_digits", nargs, kwnames, 0) < 0) return NULL;
    return PmLong_FromLongLong(vm, 4300);
}

/* ------------------------------------------------------------------ _debugmallocstats */

/* CPython's printone: "msg<pad to 35>=" and the value with thousands separators in 22. */
static size_t printone(char *out, size_t cap, const char *msg, size_t value)
{
    char num[32], grouped[48];
    int n = snprintf(num, sizeof num, "%zu", value), g = 0;
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) grouped[g++] = ',';
        grouped[g++] = num[i];
    }
    grouped[g] = '\0';
    int w = snprintf(out, cap, "%-35s=%21s\n", msg, grouped);
    return w < 0 ? 0 : (size_t)w < cap ? (size_t)w : cap ? cap - 1 : 0;
}

/* _PyDebugAllocatorStats: "%d %ss * %zd bytes each" right-aligned in 48 columns. */
static size_t alloc_stats(char *out, size_t cap, const char *what, int num, size_t size)
{
    char b1[128], b2[176];
    snprintf(b1, sizeof b1, "%d %ss * %zu bytes each", num, what, size);
    snprintf(b2, sizeof b2, "%48s ", b1);
    return printone(out, cap, b2, (size_t)num * size);
}

/* _PyObject_DebugTypeStats: the free lists (CPython 3.11 64-bit struct sizes). */
static size_t type_stats(PmVM *vm, char *out, size_t cap)
{
    size_t n = 0;
    n += alloc_stats(out + n, cap - n, "free PyDictObject", vm->dict_numfree, 48);
    n += alloc_stats(out + n, cap - n, "free PyFloatObject", vm->float_numfree, 24);
    n += alloc_stats(out + n, cap - n, "free PyListObject", vm->list_numfree, 40);
    for (int i = 0; i < PM_TUPLE_MAXSAVESIZE; i++) {
        char what[64];
        snprintf(what, sizeof what, "free %d-sized PyTupleObject", i + 1);
        n += alloc_stats(out + n, cap - n, what, vm->tuple_numfree[i], 24 + 8 * (size_t)(i + 1));
    }
    return n;
}

static PmObject *sys_debugmallocstats(PmVM *vm, PmObject *self, PmObject *const *args,
                                      size_t nargs, PmObject *kwnames)
{
    (void)self; (void)args;
    if (sys_args(vm, "_debugmallocstats", nargs, kwnames, 0) < 0) return NULL;
    size_t len = pmmem_debugmallocstats(&vm->mem, NULL, 0);
    size_t cap = len + 1 + 1 + 64 * 100;
    char *buf = malloc(cap);
    if (buf == NULL) return PmErr_NoMemory(vm);
    pmmem_debugmallocstats(&vm->mem, buf, len + 1);
    buf[len++] = '\n';
    len += type_stats(vm, buf + len, cap - len);
    int r = pm_write(vm, PML_STDERR, buf, len);
    free(buf);
    return r < 0 ? NULL : Pm_RETURN_NONE(vm);
}

static const PmMethodDef sys_functions[] = {
    {"_clear_type_cache", sys_clear_type_cache, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"_debugmallocstats", sys_debugmallocstats, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"_getframe", sys_getframe, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"exc_info", sys_exc_info, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"exception", sys_exception, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"exit", sys_exit, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"get_int_max_str_digits", sys_get_int_max_str_digits, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"getallocatedblocks", sys_getallocatedblocks, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"getdefaultencoding", sys_getdefaultencoding, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"getrecursionlimit", sys_getrecursionlimit, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"getrefcount", sys_getrefcount, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"getsizeof", sys_getsizeof, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"intern", sys_intern, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"setrecursionlimit", sys_setrecursionlimit, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {NULL, NULL, 0}
};

/* ------------------------------------------------------------------ struct sequences */

/* sys.version_info, sys.float_info and sys.int_info are struct sequences as in CPython: an
 * instance of a tuple subclass named sys.NAME whose repr names the fields, whose fields are
 * also attributes (listed in __match_args__, counted by n_fields), and which cannot be
 * instantiated again. */
#define SEQ_FIELD(i) \
    static PmObject *seq_field##i(PmVM *vm, PmObject *o) \
    { (void)vm; return Pm_NewRef(PmTuple_GET_ITEM(o, i)); }
SEQ_FIELD(0) SEQ_FIELD(1) SEQ_FIELD(2) SEQ_FIELD(3) SEQ_FIELD(4) SEQ_FIELD(5)
SEQ_FIELD(6) SEQ_FIELD(7) SEQ_FIELD(8) SEQ_FIELD(9) SEQ_FIELD(10)
#undef SEQ_FIELD

static const PmGetSetDef version_info_fields[] = {
    {"major", seq_field0, NULL}, {"minor", seq_field1, NULL}, {"micro", seq_field2, NULL},
    {"releaselevel", seq_field3, NULL}, {"serial", seq_field4, NULL}, {NULL, NULL, NULL}
};

static const PmGetSetDef float_info_fields[] = {
    {"max", seq_field0, NULL}, {"max_exp", seq_field1, NULL}, {"max_10_exp", seq_field2, NULL},
    {"min", seq_field3, NULL}, {"min_exp", seq_field4, NULL}, {"min_10_exp", seq_field5, NULL},
    {"dig", seq_field6, NULL}, {"mant_dig", seq_field7, NULL}, {"epsilon", seq_field8, NULL},
    {"radix", seq_field9, NULL}, {"rounds", seq_field10, NULL}, {NULL, NULL, NULL}
};

static const PmGetSetDef int_info_fields[] = {
    {"bits_per_digit", seq_field0, NULL}, {"sizeof_digit", seq_field1, NULL},
    {"default_max_str_digits", seq_field2, NULL}, {"str_digits_check_threshold", seq_field3, NULL},
    {NULL, NULL, NULL}
};

/* repr: "sys.NAME(field=repr, ...)", the names from the class's __match_args__. */
static PmObject *structseq_repr(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmType *tp = Pm_TYPE(self);
    PmObject *names = PmDict_GetItemString_Borrow(vm, tp->tp_dict, "__match_args__");
    if (names == NULL || !PmTuple_Check(names)) {
        if (!PmErr_Occurred(vm)) PmErr_SetString(vm, PME(vm, SystemError), "struct sequence without fields");
        return NULL;
    }
    PmStrWriter w;
    PmStrWriter_Init(&w);
    if (PmStrWriter_WriteASCII(vm, &w, tp->tp_name, (Pm_ssize_t)strlen(tp->tp_name)) < 0 ||
        PmStrWriter_WriteChar(vm, &w, '(') < 0)
        goto fail;
    for (Pm_ssize_t i = 0; i < Pm_SIZE(names) && i < Pm_SIZE(self); i++) {
        PmObject *r = PmObject_Repr(vm, PmTuple_GET_ITEM(self, i));
        if (r == NULL) goto fail;
        int e = (i && PmStrWriter_WriteASCII(vm, &w, ", ", 2) < 0) ||
                PmStrWriter_WriteStr(vm, &w, PmTuple_GET_ITEM(names, i)) < 0 ||
                PmStrWriter_WriteChar(vm, &w, '=') < 0 || PmStrWriter_WriteStr(vm, &w, r) < 0;
        Pm_DECREF(vm, r);
        if (e) goto fail;
    }
    if (PmStrWriter_WriteChar(vm, &w, ')') < 0) goto fail;
    return PmStrWriter_Finish(vm, &w);
fail:
    PmStrWriter_Dealloc(vm, &w);
    return NULL;
}

static const PmMethodDef structseq_repr_def = {"__repr__", structseq_repr, PM_METH_NOARGS};

static int ns_set(PmVM *vm, PmObject *ns, const char *key, PmObject *v)
{
    int r = v ? PmDict_SetItemString(vm, ns, key, v) : -1;
    Pm_XDECREF(vm, v);
    return r;
}

static PmObject *field_names(PmVM *vm, const PmGetSetDef *fields, Pm_ssize_t n)
{
    PmObject *t = PmTuple_New(vm, n);
    for (Pm_ssize_t i = 0; t && i < n; i++) {
        PmObject *s = PmStr_InternFromString(vm, fields[i].name);
        if (s == NULL) Pm_CLEAR(vm, t);
        else PmTuple_SET_ITEM(t, i, s);
    }
    return t;
}

static PmObject *structseq_type(PmVM *vm, const char *name, const PmGetSetDef *fields,
                                Pm_ssize_t n)
{
    PmType *tuple = PMT(vm, TUPLE);
    PmObject *ns = PmDict_New(vm);
    if (ns == NULL) return NULL;
    int e = ns_set(vm, ns, "__module__", PmStr_FromString(vm, "sys")) ||
            ns_set(vm, ns, "__slots__", Pm_NewRef(vm->empty_tuple)) ||
            ns_set(vm, ns, "__repr__", PmDescr_NewMethod(vm, tuple, &structseq_repr_def)) ||
            ns_set(vm, ns, "__match_args__", field_names(vm, fields, n)) ||
            ns_set(vm, ns, "n_sequence_fields", PmLong_FromSsize_t(vm, n)) ||
            ns_set(vm, ns, "n_fields", PmLong_FromSsize_t(vm, n)) ||
            ns_set(vm, ns, "n_unnamed_fields", PmLong_FromSsize_t(vm, 0));
    for (Pm_ssize_t i = 0; !e && i < n; i++)
        e = ns_set(vm, ns, fields[i].name, PmDescr_NewGetSet(vm, tuple, &fields[i]));
    PmObject *pyname = e ? NULL : PmStr_FromString(vm, name);
    PmObject *bases = pyname ? PmTuple_Pack(vm, 1, (PmObject *)tuple) : NULL;
    PmObject *cls = bases ? PmType_FromClassBody(vm, pyname, bases, ns, NULL) : NULL;
    Pm_XDECREF(vm, bases);
    Pm_XDECREF(vm, pyname);
    Pm_DECREF(vm, ns);
    return cls;
}

/* sys.float_info(sequence) and sys.int_info(sequence) (CPython's structseq_new): a new
 * instance from a sequence of exactly n_fields items. */
static PmObject *structseq_new(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    static const char *const names[] = {"sequence", "dict"};
    PmObject *a[2];
    if (pm_builtins_unpack(vm, "structseq", args, nargs, kwnames, names, 2, 0, 1, 2, a) < 0)
        return NULL;
    PmObject *n = PmDict_GetItemString_Borrow(vm, type->tp_dict, "n_fields");
    Pm_ssize_t want = n ? PmNumber_AsSsize_t(vm, n, NULL) : -1;
    if (want < 0) return NULL;
    if (!PmTuple_Check(a[0]) && !PmList_Check(a[0])) {
        PmErr_SetString(vm, PME(vm, TypeError), "constructor requires a sequence");
        return NULL;
    }
    PmObject *t = PmSequence_Tuple(vm, a[0]);
    if (t == NULL) return NULL;
    if (Pm_SIZE(t) != want) {
        PmErr_Format(vm, PME(vm, TypeError), "%.500s() takes a %zd-sequence (%zd-sequence given)",
                     type->tp_name, want, Pm_SIZE(t));
        Pm_DECREF(vm, t);
        return NULL;
    }
    PmObject *r = PMT(vm, TUPLE)->tp_new(vm, type, &t, 1, NULL);
    Pm_DECREF(vm, t);
    return r;
}

/* The one instance of sys.NAME with these values (stolen; NULL is an error already set);
 * `instantiable`: the class makes new instances from a sequence, else it refuses. */
static PmObject *make_structseq(PmVM *vm, const char *name, const char *tp_name,
                                const PmGetSetDef *fields, PmObject **values, bool instantiable)
{
    Pm_ssize_t n = 0;
    while (fields[n].name) n++;
    PmObject *v = PmTuple_New(vm, n), *inst = NULL;
    for (Pm_ssize_t i = 0; i < n; i++) {
        if (values[i] == NULL) Pm_CLEAR(vm, v);
        if (v) PmTuple_SET_ITEM(v, i, values[i]);
        else Pm_XDECREF(vm, values[i]);
    }
    PmObject *cls = v ? structseq_type(vm, name, fields, n) : NULL;
    if (cls) {
        inst = PmObject_CallOneArg(vm, cls, v);
        /* else "cannot create 'sys.NAME' instances" */
        ((PmType *)cls)->tp_new = instantiable ? structseq_new : NULL;
        ((PmType *)cls)->tp_name = tp_name;    /* CPython's struct-seq tp_name */
        Pm_DECREF(vm, cls);
    }
    Pm_XDECREF(vm, v);
    return inst;
}

static PmObject *make_version_info(PmVM *vm)
{
    PmObject *values[] = {
        PmLong_FromLongLong(vm, 3), PmLong_FromLongLong(vm, 11), PmLong_FromLongLong(vm, 7),
        PmStr_FromString(vm, "final"), PmLong_FromLongLong(vm, 0)
    };
    return make_structseq(vm, "version_info", "sys.version_info", version_info_fields, values,
                          false);
}

/* The C double of this build, which is IEEE 754 binary64 as on CPython's 64-bit Linux. */
static PmObject *make_float_info(PmVM *vm)
{
    PmObject *values[] = {
        PmFloat_FromDouble(vm, DBL_MAX), PmLong_FromLongLong(vm, DBL_MAX_EXP),
        PmLong_FromLongLong(vm, DBL_MAX_10_EXP), PmFloat_FromDouble(vm, DBL_MIN),
        PmLong_FromLongLong(vm, DBL_MIN_EXP), PmLong_FromLongLong(vm, DBL_MIN_10_EXP),
        PmLong_FromLongLong(vm, DBL_DIG), PmLong_FromLongLong(vm, DBL_MANT_DIG),
        PmFloat_FromDouble(vm, DBL_EPSILON), PmLong_FromLongLong(vm, FLT_RADIX),
        PmLong_FromLongLong(vm, 1)
    };
    return make_structseq(vm, "float_info", "sys.float_info", float_info_fields, values, true);
}

/* ints are CPython's: 30-bit digits in 4 bytes; int <-> str limited to 4300 digits. */
static PmObject *make_int_info(PmVM *vm)
{
    PmObject *values[] = {
        PmLong_FromLongLong(vm, 30), PmLong_FromLongLong(vm, 4), PmLong_FromLongLong(vm, 4300),
        PmLong_FromLongLong(vm, 640)
    };
    return make_structseq(vm, "int_info", "sys.int_info", int_info_fields, values, true);
}

/* ------------------------------------------------------------------ the module */

#define PM_SYS_VERSION "3.11.7 (pymemlab " PML_VERSION ") [CPython 3.11 memory model]"

static PmObject *str_list(PmVM *vm, const char *only)
{
    PmObject *l = PmList_New(vm, 0);
    if (l == NULL || only == NULL) return l;
    PmObject *s = PmStr_FromString(vm, only);
    if (s == NULL || PmList_Append(vm, l, s) < 0) Pm_CLEAR(vm, l);
    Pm_XDECREF(vm, s);
    return l;
}

static int add_values(PmVM *vm, PmObject *m)
{
    if (pm_module_add_object(vm, m, "maxsize", PmLong_FromLongLong(vm, INT64_MAX)) < 0 ||
        pm_module_add_object(vm, m, "version", PmStr_FromString(vm, PM_SYS_VERSION)) < 0 ||
        pm_module_add_object(vm, m, "hexversion", PmLong_FromLongLong(vm, 0x030b07f0)) < 0 ||
        pm_module_add_object(vm, m, "api_version", PmLong_FromLongLong(vm, 1013)) < 0 ||
        pm_module_add_object(vm, m, "version_info", make_version_info(vm)) < 0 ||
        pm_module_add_object(vm, m, "float_info", make_float_info(vm)) < 0 ||
        pm_module_add_object(vm, m, "int_info", make_int_info(vm)) < 0 ||
        pm_module_add_object(vm, m, "float_repr_style", PmStr_FromString(vm, "short")) < 0 ||
        pm_module_add_object(vm, m, "maxunicode", PmLong_FromLongLong(vm, 0x10FFFF)) < 0 ||
        pm_module_add_object(vm, m, "platform", PmStr_FromString(vm, "linux")) < 0 ||
        pm_module_add_object(vm, m, "byteorder", PmStr_FromString(vm, "little")) < 0 ||
        pm_module_add_object(vm, m, "argv", str_list(vm, "")) < 0 ||
        pm_module_add_object(vm, m, "path", str_list(vm, NULL)) < 0 ||
        pm_module_add_object(vm, m, "modules", Pm_NewRef(vm->modules)) < 0)
        return -1;
    return 0;
}

static int add_streams(PmVM *vm, PmObject *m)
{
    if ((vm->io_stdout = pm_io_new_stream(vm, PML_STDOUT)) == NULL) return -1;
    if ((vm->io_stderr = pm_io_new_stream(vm, PML_STDERR)) == NULL) return -1;
    if (pm_module_add_object(vm, m, "stdout", Pm_NewRef(vm->io_stdout)) < 0 ||
        pm_module_add_object(vm, m, "stderr", Pm_NewRef(vm->io_stderr)) < 0 ||
        pm_module_add_object(vm, m, "__stdout__", Pm_NewRef(vm->io_stdout)) < 0 ||
        pm_module_add_object(vm, m, "__stderr__", Pm_NewRef(vm->io_stderr)) < 0)
        return -1;
    return 0;
}

int pm_sys_init(PmVM *vm)
{
    if (vm->modules == NULL && (vm->modules = PmDict_New(vm)) == NULL) return -1;
    PmObject *m = PmModule_New(vm, "sys");
    if (m == NULL) return -1;
    ((PmModule *)m)->md_builtin = true;
    PmObject *builtins = pm_builtins_module_borrow(vm);
    if (pm_module_add_functions(vm, m, sys_functions) < 0 || add_streams(vm, m) < 0 ||
        add_values(vm, m) < 0 ||
        PmDict_SetItemString(vm, vm->modules, "sys", m) < 0 ||
        (builtins && PmDict_SetItemString(vm, vm->modules, "builtins", builtins) < 0)) {
        Pm_DECREF(vm, m);
        return -1;
    }
    Pm_SETREF(vm, vm->sysdict, Pm_NewRef(((PmModule *)m)->md_dict));
    Pm_DECREF(vm, m);
    return 0;
}

int pm_sys_set_argv(PmVM *vm, const char *filename)
{
    if (vm->sysdict == NULL) return 0;
    PmObject *argv = str_list(vm, filename ? filename : "");
    int r = argv ? PmDict_SetItemString(vm, vm->sysdict, "argv", argv) : -1;
    Pm_XDECREF(vm, argv);
    return r;
}

/* The module dicts are cleared first: sys.modules -> sys -> its dict -> sys.modules is a
 * cycle, and clearing breaks it without waiting for a collection. */
void pm_sys_fini(PmVM *vm)
{
    pm_io_reset(vm);
    if (vm->modules) PmDict_Clear(vm, vm->modules);
    if (vm->sysdict) PmDict_Clear(vm, vm->sysdict);
    Pm_CLEAR(vm, vm->io_stdout);
    Pm_CLEAR(vm, vm->io_stderr);
    Pm_CLEAR(vm, vm->sysdict);
    Pm_CLEAR(vm, vm->modules);
}

/* ------------------------------------------------------------------ builtin modules */

/* The sys module object: its functions are bound to it. */
static PmObject *sys_module(PmVM *vm)
{
    PmObject *f = vm->sysdict ? PmDict_GetItemString_Borrow(vm, vm->sysdict, "getrefcount") : NULL;
    if (f && Pm_KIND(f) == PMT_CFUNCTION) return Pm_NewRef(((PmCFunction *)f)->m_self);
    return PmErr_Format(vm, PME(vm, ImportError), "sys module lost");
}

static PmObject *builtins_module(PmVM *vm)
{
    PmObject *m = pm_builtins_module_borrow(vm);
    if (m) return Pm_NewRef(m);
    return PmErr_Format(vm, PME(vm, ImportError), "builtins module lost");
}

/*
 * The modules `import` finds, made on first import.  A module file adds its line here
 * (its `PmObject *pm_X_init(PmVM *)` returns a new module), e.g. for tracemalloc:
 *     {"tracemalloc", pm_tracemallocmodule_init},
 */
static const struct {
    const char *name;
    pm_module_initfunc init;
} builtin_modules[] = {
    {"sys", sys_module},
    {"builtins", builtins_module},
    {"gc", pm_gcmodule_init},                   /* gc/gcmodule.c */
    {"_weakref", pm_weakrefmodule_init_c},      /* lib/weakrefmodule.c */
    {"weakref", pm_weakrefmodule_init},         /* lib/weakrefmodule.c (Python source) */
    {"_tracemalloc", pm_tracemallocmodule_init_c},  /* lib/tracemallocmodule.c */
    {"tracemalloc", pm_tracemallocmodule_init},     /* lib/tracemallocmodule.c (Python source) */
    {"copyreg", pm_copyregmodule_init},             /* lib/copyregmodule.c (Python source) */
};

PmObject *pm_import_builtin_module(PmVM *vm, PmObject *name)
{
    for (size_t i = 0; i < sizeof builtin_modules / sizeof builtin_modules[0]; i++) {
        if (!PmStr_EqualToASCII(name, builtin_modules[i].name)) continue;
        PmObject *m = builtin_modules[i].init(vm);
        if (m == NULL) return NULL;
        if (Pm_KIND(m) == PMT_MODULE) ((PmModule *)m)->md_builtin = true;  /* __file__ wins */
        if (vm->modules && PmDict_SetItem(vm, vm->modules, name, m) < 0) {
            Pm_DECREF(vm, m);
            return NULL;
        }
        return m;
    }
    return NULL;
}
