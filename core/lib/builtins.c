/*
 * builtins.c -- the builtins module (CPython's Python/bltinmodule.c).
 *
 * Each function follows the CPython 3.11 function of the same name: its argument rules
 * and messages (Argument Clinic's for most), the order it calls things in, and the
 * references it takes.  Those references are visible to a learner: max(a, b) holds its
 * arguments in a tuple and each candidate twice (item and value), print(*args) packs its
 * arguments into a tuple too, and print writes through sys.stdout.write, which may keep
 * the printed str (see lib/io.c).  METH_VARARGS functions of CPython (dir, vars, min, max)
 * receive a tuple of their arguments; they build one here as well.
 *
 * Types (int, list, range, ...) are the VM's type objects; calling them runs their tp_new.
 */
#include <limits.h>

#include "pm.h"

/* ------------------------------------------------------------------ argument parsing */

static PmObject *find_keyword(PmObject *kwnames, PmObject *const *kwstack, const char *name)
{
    for (Pm_ssize_t i = 0; i < Pm_SIZE(kwnames); i++)
        if (PmStr_EqualToASCII(PmTuple_GET_ITEM(kwnames, i), name)) return kwstack[i];
    return NULL;
}

static bool is_param(const char *const *names, int n, PmObject *key)
{
    for (int i = 0; i < n; i++)
        if (PmStr_EqualToASCII(key, names[i])) return true;
    return false;
}

static int unexpected_keyword(PmVM *vm, const char *fname, PmObject *kwnames,
                              const char *const *names, int posonly, int n)
{
    for (Pm_ssize_t i = 0; i < Pm_SIZE(kwnames); i++) {
        PmObject *k = PmTuple_GET_ITEM(kwnames, i);
        if (!is_param(names + posonly, n - posonly, k)) {
            PmErr_Format(vm, PME(vm, TypeError), "'%U' is an invalid keyword argument for %s()",
                         k, fname);
            return -1;
        }
    }
    PmErr_Format(vm, PME(vm, TypeError), "invalid keyword argument for %s()", fname);
    return -1;
}

static int too_many(PmVM *vm, const char *f, int maxargs, size_t nargs, size_t total)
{
    PmErr_Format(vm, PME(vm, TypeError), "%s() takes at most %d %sargument%s (%zu given)", f,
                 maxargs, nargs == 0 ? "keyword " : "", maxargs == 1 ? "" : "s", total);
    return -1;
}

static int positional_count_error(PmVM *vm, const char *f, const char *how, int n, size_t given)
{
    PmErr_Format(vm, PME(vm, TypeError), "%s() takes %s %d positional argument%s (%zu given)",
                 f, how, n, n == 1 ? "" : "s", given);
    return -1;
}

/*
 * CPython's _PyArg_UnpackKeywords (minkw 0): parameters names[0..n), the first `posonly`
 * positional-only, `minpos` of them required, at most `maxpos` given positionally.
 * out[i] is the (borrowed) argument of parameter i or NULL.  0 or -1 with CPython's error.
 */
int pm_builtins_unpack(PmVM *vm, const char *fname, PmObject *const *args, size_t nargs,
                       PmObject *kwnames, const char *const *names, int n, int posonly,
                       int minpos, int maxpos, PmObject **out)
{
    size_t nkw = kwnames ? (size_t)Pm_SIZE(kwnames) : 0;
    PmObject *const *kwstack = args + nargs;
    int minposonly = posonly < minpos ? posonly : minpos;
    for (int i = 0; i < n; i++) out[i] = NULL;
    if (nargs + nkw > (size_t)n) return too_many(vm, fname, n, nargs, nargs + nkw);
    if (nargs > (size_t)maxpos)
        return positional_count_error(vm, fname, minpos < maxpos ? "at most" : "exactly",
                                      maxpos, nargs);
    if (nargs < (size_t)minposonly)
        return positional_count_error(vm, fname, minposonly < maxpos ? "at least" : "exactly",
                                      minposonly, nargs);
    for (size_t i = 0; i < nargs; i++) out[i] = args[i];
    size_t left = nkw;
    for (int i = (int)nargs > posonly ? (int)nargs : posonly; i < n; i++) {
        PmObject *a = left ? find_keyword(kwnames, kwstack, names[i]) : NULL;
        out[i] = a;
        if (a) {
            left--;
        } else if (i < minpos) {
            PmErr_Format(vm, PME(vm, TypeError), "%s() missing required argument '%s' (pos %d)",
                         fname, names[i], i + 1);
            return -1;
        }
    }
    if (left == 0) return 0;
    for (int i = posonly; i < (int)nargs; i++) {
        if (find_keyword(kwnames, kwstack, names[i])) {
            PmErr_Format(vm, PME(vm, TypeError),
                         "argument for %s() given by name ('%s') and position (%d)", fname,
                         names[i], i + 1);
            return -1;
        }
    }
    return unexpected_keyword(vm, fname, kwnames, names, posonly, n);
}

/* ------------------------------------------------------------------ frames: globals, locals */

PmObject *pm_builtins_globals_borrow(PmVM *vm)
{
    return vm->frame ? vm->frame->f_globals : vm->main_dict;
}

/* The frame's locals as a dict (CPython's PyFrame_FastToLocals view), new reference. */
PmObject *pm_builtins_locals(PmVM *vm)
{
    PmFrame *f = vm->frame;
    if (f == NULL) return Pm_NewRef(vm->main_dict);
    if (f->f_locals) return Pm_NewRef(f->f_locals);
    PmCode *co = f->f_code;
    PmObject *d = PmDict_New(vm);
    if (d == NULL) return NULL;
    for (int i = 0; i < co->co_nlocalsplus; i++) {
        uint8_t kind = co->co_localspluskinds[i];
        PmObject *v = f->localsplus[i];
        if (v && (kind & (PM_CO_FAST_CELL | PM_CO_FAST_FREE)) && Pm_KIND(v) == PMT_CELL)
            v = ((PmCell *)v)->ob_ref;
        if (v == NULL) continue;
        if (PmDict_SetItem(vm, d, PmTuple_GET_ITEM(co->co_localsplusnames, i), v) < 0) {
            Pm_DECREF(vm, d);
            return NULL;
        }
    }
    return d;
}

/* ------------------------------------------------------------------ __build_class__ */

/* type_new_set_classcell, if the type machinery did not do it, then the checks that
 * CPython's __build_class__ makes on the cell returned by the class body. */
static int finish_classcell(PmVM *vm, PmObject *cell, PmObject *cls, PmObject *name)
{
    if (!PmType_Check(cls) || Pm_KIND(cell) != PMT_CELL) return 0;
    PmCell *c = (PmCell *)cell;
    PmType *tp = (PmType *)cls;
    PmObject *key = PMID(vm, __classcell__);
    if (c->ob_ref == NULL && tp->tp_dict && PmDict_GetItem_Borrow(vm, tp->tp_dict, key) == cell) {
        c->ob_ref = Pm_NewRef(cls);
        int r = PmDict_DelItem(vm, tp->tp_dict, key);
        PmType_Modified(vm);
        if (r < 0) return -1;
    }
    if (c->ob_ref == cls) return 0;
    if (c->ob_ref == NULL)
        PmErr_Format(vm, PME(vm, RuntimeError),
                     "__class__ not set defining %R as %R. Was __classcell__ propagated to "
                     "type.__new__?", name, cls);
    else
        PmErr_Format(vm, PME(vm, TypeError), "__class__ set to %R defining %R as %R",
                     c->ob_ref, name, cls);
    return -1;
}

/* Split the class keywords: `metaclass=` (borrowed into *meta) and the rest, which go to
 * the metaclass call (new kwnames tuple or NULL in *rest_names, values in rest). */
static int class_keywords(PmVM *vm, PmObject *const *kwvals, PmObject *kwnames, PmObject **meta,
                          PmObject **rest, PmObject **rest_names, size_t *nrest)
{
    size_t nkw = kwnames ? (size_t)Pm_SIZE(kwnames) : 0, k = 0;
    *meta = NULL;
    *rest_names = NULL;
    *nrest = 0;
    PmObject *names[16];
    for (size_t i = 0; i < nkw; i++) {
        PmObject *key = PmTuple_GET_ITEM(kwnames, i);
        if (PmStr_EqualToASCII(key, "metaclass")) { *meta = kwvals[i]; continue; }
        if (k == 16) {
            PmErr_SetString(vm, PME(vm, TypeError), "too many class keywords");
            return -1;
        }
        names[k] = key;
        rest[k++] = kwvals[i];
    }
    if (k && (*rest_names = PmTuple_FromArray(vm, names, (Pm_ssize_t)k)) == NULL) return -1;
    *nrest = k;
    return 0;
}

static PmObject *call_meta(PmVM *vm, PmObject *meta, PmObject *name, PmObject *bases,
                           PmObject *ns, PmObject *const *kw, PmObject *kwnames, size_t nkw)
{
    PmObject *margs[3 + 16] = {name, bases, ns};
    for (size_t i = 0; i < nkw; i++) margs[3 + i] = kw[i];
    return PmObject_Vectorcall(vm, meta, margs, 3, kwnames);
}

/* CPython's update_bases: a base that is not a class but has __mro_entries__ (list[int])
 * is replaced by the tuple that method returns.  New reference: `bases` itself when
 * nothing was replaced. */
static PmObject *update_bases(PmVM *vm, PmObject *bases)
{
    PmObject *new_bases = NULL;
    Pm_ssize_t n = Pm_SIZE(bases);
    for (Pm_ssize_t i = 0; i < n; i++) {
        PmObject *base = PmTuple_GET_ITEM(bases, i);
        PmObject *meth = PmType_Check(base) ? NULL : PmObject_LookupAttr(vm, base, PMID(vm, __mro_entries__));
        if (meth == NULL) {
            if (PmErr_Occurred(vm)) goto error;
            if (new_bases && PmList_Append(vm, new_bases, base) < 0) goto error;
            continue;
        }
        PmObject *entries = PmObject_CallOneArg(vm, meth, bases);
        Pm_DECREF(vm, meth);
        if (entries == NULL) goto error;
        if (!PmTuple_Check(entries)) {
            PmErr_SetString(vm, PME(vm, TypeError), "__mro_entries__ must return a tuple");
            Pm_DECREF(vm, entries);
            goto error;
        }
        if (new_bases == NULL) {            /* the bases before this one, as they were */
            new_bases = PmList_New(vm, 0);
            for (Pm_ssize_t j = 0; new_bases && j < i; j++)
                if (PmList_Append(vm, new_bases, PmTuple_GET_ITEM(bases, j)) < 0) Pm_CLEAR(vm, new_bases);
            if (new_bases == NULL) {
                Pm_DECREF(vm, entries);
                goto error;
            }
        }
        int r = PmList_Extend(vm, new_bases, entries);
        Pm_DECREF(vm, entries);
        if (r < 0) goto error;
    }
    if (new_bases == NULL) return Pm_NewRef(bases);
    PmObject *t = PmList_AsTuple(vm, new_bases);
    Pm_DECREF(vm, new_bases);
    return t;
error:
    Pm_XDECREF(vm, new_bases);
    return NULL;
}

static PmObject *builtin_build_class(PmVM *vm, PmObject *self, PmObject *const *args,
                                     size_t nargs, PmObject *kwnames)
{
    (void)self;
    if (nargs < 2)
        return PmErr_Format(vm, PME(vm, TypeError), "__build_class__: not enough arguments");
    PmObject *func = args[0], *name = args[1];
    if (Pm_KIND(func) != PMT_FUNCTION)
        return PmErr_Format(vm, PME(vm, TypeError), "__build_class__: func must be a function");
    if (!PmStr_Check(name))
        return PmErr_Format(vm, PME(vm, TypeError), "__build_class__: name is not a string");
    PmObject *meta, *rest[16], *rest_names;
    size_t nrest;
    if (class_keywords(vm, args + nargs, kwnames, &meta, rest, &rest_names, &nrest) < 0)
        return NULL;
    PmObject *orig_bases = PmTuple_FromArray(vm, args + 2, (Pm_ssize_t)nargs - 2);
    PmObject *bases = orig_bases ? update_bases(vm, orig_bases) : NULL;
    PmObject *ns = bases ? PmDict_New(vm) : NULL, *cls = NULL;
    if (ns == NULL) goto done;
    if (meta == NULL)
        meta = Pm_SIZE(bases) == 0 ? (PmObject *)PMT(vm, TYPE)
                                   : (PmObject *)Pm_TYPE(PmTuple_GET_ITEM(bases, 0));
    Pm_INCREF(meta);
    PmObject *cell = pm_eval_class_body(vm, func, ns);
    if (cell && bases != orig_bases &&
        PmDict_SetItemString(vm, ns, "__orig_bases__", orig_bases) < 0)
        Pm_CLEAR(vm, cell);
    if (cell) {
        cls = call_meta(vm, meta, name, bases, ns, rest, rest_names, nrest);
        if (cls && finish_classcell(vm, cell, cls, name) < 0) Pm_CLEAR(vm, cls);
        Pm_DECREF(vm, cell);
    }
    Pm_DECREF(vm, meta);
done:
    Pm_XDECREF(vm, ns);
    Pm_XDECREF(vm, bases);
    Pm_XDECREF(vm, orig_bases);
    Pm_XDECREF(vm, rest_names);
    return cls;
}

/* ------------------------------------------------------------------ print and input */

/* CPython's PyFile_WriteObject(v, f, Py_PRINT_RAW): f.write(str(v)). */
int pm_builtins_write_object(PmVM *vm, PmObject *file, PmObject *v)
{
    PmObject *writer = PmObject_GetAttr(vm, file, PMID(vm, write));
    if (writer == NULL) return -1;
    PmObject *value = PmObject_Str(vm, v);
    if (value == NULL) {
        Pm_DECREF(vm, writer);
        return -1;
    }
    PmObject *r = PmObject_CallOneArg(vm, writer, value);
    Pm_DECREF(vm, value);
    Pm_DECREF(vm, writer);
    if (r == NULL) return -1;
    Pm_DECREF(vm, r);
    return 0;
}

/* PyFile_WriteString: a new str each time (" " and "\n" are the latin-1 singletons). */
static int write_string(PmVM *vm, PmObject *file, const char *s)
{
    PmObject *v = PmStr_FromString(vm, s);
    if (v == NULL) return -1;
    int r = pm_builtins_write_object(vm, file, v);
    Pm_DECREF(vm, v);
    return r;
}

/* sys.stdout / sys.stderr (borrowed) as CPython's _PySys_GetAttr; `name` is
 * PMID(vm, stdout) or PMID(vm, stderr). */
PmObject *pm_builtins_sys_stream(PmVM *vm, PmObject *name)
{
    return vm->sysdict ? PmDict_GetItem_Borrow(vm, vm->sysdict, name) : NULL;
}

static PmObject *check_str_or_none(PmVM *vm, PmObject *v, const char *what, bool *bad)
{
    *bad = false;
    if (v == NULL || v == Pm_None(vm)) return NULL;
    if (!PmStr_Check(v)) {
        *bad = true;
        PmErr_Format(vm, PME(vm, TypeError), "%s must be None or a string, not %.200s", what,
                     Pm_TYPE(v)->tp_name);
    }
    return v;
}

static int print_items(PmVM *vm, PmObject *file, PmObject *items, PmObject *sep, PmObject *end)
{
    for (Pm_ssize_t i = 0; i < Pm_SIZE(items); i++) {
        if (i > 0 && (sep ? pm_builtins_write_object(vm, file, sep)
                          : write_string(vm, file, " ")) < 0) return -1;
        if (pm_builtins_write_object(vm, file, PmTuple_GET_ITEM(items, i)) < 0) return -1;
    }
    return end ? pm_builtins_write_object(vm, file, end) : write_string(vm, file, "\n");
}

/* builtin_print_impl; `items` is the tuple of positional arguments. */
static PmObject *print_impl(PmVM *vm, PmObject *items, PmObject *sep, PmObject *end,
                            PmObject *file, bool flush)
{
    bool bad;
    if (file == NULL || file == Pm_None(vm)) {
        file = pm_builtins_sys_stream(vm, PMID(vm, stdout));
        if (file == NULL)
            return PmErr_Format(vm, PME(vm, RuntimeError), "lost sys.stdout");
        if (file == Pm_None(vm)) return Pm_RETURN_NONE(vm);
    }
    sep = check_str_or_none(vm, sep, "sep", &bad);
    if (bad) return NULL;
    end = check_str_or_none(vm, end, "end", &bad);
    if (bad) return NULL;
    Pm_INCREF(file);   /* a write may rebind sys.stdout: keep the file alive meanwhile */
    int r = print_items(vm, file, items, sep, end);
    if (r == 0 && flush) {
        PmObject *t = PmObject_CallMethod(vm, file, PMID(vm, flush), NULL, 0);
        if (t == NULL) r = -1;
        else Pm_DECREF(vm, t);
    }
    Pm_DECREF(vm, file);
    return r < 0 ? NULL : Pm_RETURN_NONE(vm);
}

static PmObject *builtin_print(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    (void)self;
    static const char *const kw[] = {"sep", "end", "file", "flush"};
    PmObject *opt[4] = {NULL, NULL, NULL, NULL};
    size_t nkw = kwnames ? (size_t)Pm_SIZE(kwnames) : 0;
    for (size_t i = 0; i < nkw; i++) {
        PmObject *key = PmTuple_GET_ITEM(kwnames, i);
        int j = 0;
        while (j < 4 && !PmStr_EqualToASCII(key, kw[j])) j++;
        if (j == 4)
            return PmErr_Format(vm, PME(vm, TypeError),
                                "'%U' is an invalid keyword argument for print()", key);
        opt[j] = args[nargs + i];
    }
    PmObject *items = PmTuple_FromArray(vm, args, (Pm_ssize_t)nargs);
    if (items == NULL) return NULL;
    int flush = opt[3] ? PmObject_IsTrue(vm, opt[3]) : 0;
    PmObject *r = flush < 0 ? NULL : print_impl(vm, items, opt[0], opt[1], opt[2], flush);
    Pm_DECREF(vm, items);
    return r;
}

/* stdin is always empty here (no tty, no data): the prompt is written, then EOFError. */
static PmObject *builtin_input(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    (void)self; (void)kwnames;
    if (pm_check_positional(vm, "input", nargs, 0, 1) < 0) return NULL;
    PmObject *err = pm_builtins_sys_stream(vm, PMID(vm, stderr));
    PmObject *out = pm_builtins_sys_stream(vm, PMID(vm, stdout));
    PmObject *names[2] = {err, out};
    for (int i = 0; i < 2; i++) {
        if (i == 1 && nargs == 1 && out && pm_builtins_write_object(vm, out, args[0]) < 0)
            return NULL;
        if (names[i] == NULL || names[i] == Pm_None(vm)) continue;
        PmObject *t = PmObject_CallMethod(vm, names[i], PMID(vm, flush), NULL, 0);
        if (t == NULL) PmErr_Clear(vm);
        else Pm_DECREF(vm, t);
    }
    return PmErr_Format(vm, PME(vm, EOFError), "EOF when reading a line");
}

/* ------------------------------------------------------------------ one-argument functions */

static PmObject *builtin_abs(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)self; (void)nargs; (void)kwnames;
    return PmNumber_Absolute(vm, args[0]);
}

/* all() and any(): stop at the first item whose truth is `stop`. */
static PmObject *all_any(PmVM *vm, PmObject *iterable, int stop)
{
    PmObject *it = PmObject_GetIter(vm, iterable);
    if (it == NULL) return NULL;
    for (;;) {
        PmObject *item = PmIter_Next(vm, it);
        if (item == NULL) break;
        int t = PmObject_IsTrue(vm, item);
        Pm_DECREF(vm, item);
        if (t < 0) { Pm_DECREF(vm, it); return NULL; }
        if (t == stop) { Pm_DECREF(vm, it); return Pm_Bool(vm, stop); }
    }
    Pm_DECREF(vm, it);
    if (PmErr_Occurred(vm)) return NULL;
    return Pm_Bool(vm, !stop);
}

static PmObject *builtin_all(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)self; (void)nargs; (void)kwnames;
    return all_any(vm, args[0], 0);
}

static PmObject *builtin_any(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)self; (void)nargs; (void)kwnames;
    return all_any(vm, args[0], 1);
}

static PmObject *builtin_ascii(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    (void)self; (void)nargs; (void)kwnames;
    return pm_str_ascii(vm, args[0]);
}

/* PyNumber_ToBase */
static PmObject *to_base(PmVM *vm, PmObject *n, int base)
{
    PmObject *i = PmNumber_Index(vm, n);
    if (i == NULL) return NULL;
    PmObject *r = PmLong_Format(vm, i, base, true);
    Pm_DECREF(vm, i);
    return r;
}

static PmObject *builtin_bin(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)self; (void)nargs; (void)kwnames;
    return to_base(vm, args[0], 2);
}

static PmObject *builtin_oct(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)self; (void)nargs; (void)kwnames;
    return to_base(vm, args[0], 8);
}

static PmObject *builtin_hex(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)self; (void)nargs; (void)kwnames;
    return to_base(vm, args[0], 16);
}

static PmObject *builtin_callable(PmVM *vm, PmObject *self, PmObject *const *args,
                                  size_t nargs, PmObject *kwnames)
{
    (void)self; (void)nargs; (void)kwnames;
    return Pm_Bool(vm, Pm_TYPE(args[0])->tp_call != NULL);
}

/* Argument Clinic's `int` converter (_PyLong_AsInt). */
static int as_c_int(PmVM *vm, PmObject *o, int *out)
{
    PmObject *i = PmNumber_Index(vm, o);
    if (i == NULL) return -1;
    int overflow = 0;
    long long v = PmLong_AsLongLongAndOverflow(vm, i, &overflow);
    Pm_DECREF(vm, i);
    if (v == -1 && PmErr_Occurred(vm)) return -1;
    if (overflow || v > INT32_MAX || v < INT32_MIN) {
        PmErr_SetString(vm, PME(vm, OverflowError), "Python int too large to convert to C int");
        return -1;
    }
    *out = (int)v;
    return 0;
}

static PmObject *builtin_chr(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)self; (void)nargs; (void)kwnames;
    int v;
    if (as_c_int(vm, args[0], &v) < 0) return NULL;
    if (v < 0 || v > 0x10ffff)
        return PmErr_Format(vm, PME(vm, ValueError), "chr() arg not in range(0x110000)");
    return PmStr_FromChar(vm, (uint32_t)v);
}

static PmObject *builtin_ord(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)self; (void)nargs; (void)kwnames;
    PmObject *c = args[0];
    if (!PmStr_Check(c))
        return PmErr_Format(vm, PME(vm, TypeError),
                            "ord() expected string of length 1, but %.200s found",
                            Pm_TYPE(c)->tp_name);
    if (PmStr_GET_LENGTH(c) != 1)
        return PmErr_Format(vm, PME(vm, TypeError),
                            "ord() expected a character, but string of length %zd found",
                            PmStr_GET_LENGTH(c));
    return PmLong_FromLongLong(vm, PmStr_READ(c, 0));
}

static PmObject *builtin_hash(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    (void)self; (void)nargs; (void)kwnames;
    Pm_hash_t h = PmObject_Hash(vm, args[0]);
    if (h == -1) return NULL;
    return PmLong_FromLongLong(vm, h);
}

static PmObject *builtin_id(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    (void)self; (void)nargs; (void)kwnames;
    return PmLong_FromUnsignedLongLong(vm, (unsigned long long)(uintptr_t)args[0]);
}

static PmObject *builtin_len(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)self; (void)nargs; (void)kwnames;
    Pm_ssize_t n = PmObject_Length(vm, args[0]);
    if (n < 0) return NULL;
    return PmLong_FromSsize_t(vm, n);
}

static PmObject *builtin_repr(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    (void)self; (void)nargs; (void)kwnames;
    return PmObject_Repr(vm, args[0]);
}

/* ------------------------------------------------------------------ attributes */

static PmObject *builtin_getattr(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                 PmObject *kwnames)
{
    (void)self; (void)kwnames;
    if (pm_check_positional(vm, "getattr", nargs, 2, 3) < 0) return NULL;
    if (nargs == 2) return PmObject_GetAttr(vm, args[0], args[1]);
    PmObject *r = PmObject_LookupAttr(vm, args[0], args[1]);
    if (r || PmErr_Occurred(vm)) return r;
    return Pm_NewRef(args[2]);
}

static PmObject *builtin_hasattr(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                 PmObject *kwnames)
{
    (void)self; (void)kwnames;
    if (pm_check_positional(vm, "hasattr", nargs, 2, 2) < 0) return NULL;
    PmObject *r = PmObject_LookupAttr(vm, args[0], args[1]);
    if (r == NULL) return PmErr_Occurred(vm) ? NULL : Pm_Bool(vm, 0);
    Pm_DECREF(vm, r);
    return Pm_Bool(vm, 1);
}

static PmObject *builtin_setattr(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                 PmObject *kwnames)
{
    (void)self; (void)kwnames;
    if (pm_check_positional(vm, "setattr", nargs, 3, 3) < 0) return NULL;
    if (PmObject_SetAttr(vm, args[0], args[1], args[2]) < 0) return NULL;
    return Pm_RETURN_NONE(vm);
}

static PmObject *builtin_delattr(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                 PmObject *kwnames)
{
    (void)self; (void)kwnames;
    if (pm_check_positional(vm, "delattr", nargs, 2, 2) < 0) return NULL;
    if (PmObject_SetAttr(vm, args[0], args[1], NULL) < 0) return NULL;
    return Pm_RETURN_NONE(vm);
}

/* ------------------------------------------------------------------ namespaces */

static PmObject *builtin_globals(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                 PmObject *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    PmObject *g = pm_builtins_globals_borrow(vm);
    return Pm_NewRef(g ? g : Pm_None(vm));
}

static PmObject *builtin_locals(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                PmObject *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    return pm_builtins_locals(vm);
}

static PmObject *vars_impl(PmVM *vm, PmObject *args)
{
    if (Pm_SIZE(args) == 0) return pm_builtins_locals(vm);
    PmObject *d = PmObject_LookupAttr(vm, PmTuple_GET_ITEM(args, 0), PMID(vm, __dict__));
    if (d == NULL && !PmErr_Occurred(vm))
        PmErr_SetString(vm, PME(vm, TypeError), "vars() argument must have __dict__ attribute");
    return d;
}

/* METH_VARARGS functions: CPython hands them a tuple of their arguments. */
static PmObject *call_with_tuple(PmVM *vm, PmObject *const *args, size_t nargs,
                                 PmObject *(*impl)(PmVM *, PmObject *))
{
    PmObject *t = PmTuple_FromArray(vm, args, (Pm_ssize_t)nargs);
    if (t == NULL) return NULL;
    PmObject *r = impl(vm, t);
    Pm_DECREF(vm, t);
    return r;
}

static PmObject *builtin_vars(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    (void)self; (void)kwnames;
    if (pm_check_positional(vm, "vars", nargs, 0, 1) < 0) return NULL;
    return call_with_tuple(vm, args, nargs, vars_impl);
}

/* type(o).__dir__(o) (CPython's _dir_object; object and type define one). */
static PmObject *dir_names(PmVM *vm, PmObject *o)
{
    PmObject *meth = PmType_Lookup(vm, Pm_TYPE(o), PMID(vm, __dir__));
    if (meth) return pm_call_unbound(vm, meth, &o, 1);
    PmErr_SetString(vm, PME(vm, TypeError), "object does not provide __dir__");
    return NULL;
}

PmObject *pm_builtins_dir(PmVM *vm, PmObject *o)
{
    PmObject *r = dir_names(vm, o);
    if (r == NULL) return NULL;
    PmObject *names = PmSequence_List(vm, r);
    Pm_DECREF(vm, r);
    if (names && PmList_Sort(vm, names, NULL, false) < 0) Pm_CLEAR(vm, names);
    return names;
}

static PmObject *dir_impl(PmVM *vm, PmObject *args)
{
    if (Pm_SIZE(args)) return pm_builtins_dir(vm, PmTuple_GET_ITEM(args, 0));
    PmObject *locals = pm_builtins_locals(vm);
    if (locals == NULL) return NULL;
    PmObject *names = PmDict_Keys(vm, locals);
    Pm_DECREF(vm, locals);
    if (names && PmList_Sort(vm, names, NULL, false) < 0) Pm_CLEAR(vm, names);
    return names;
}

static PmObject *builtin_dir(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)self; (void)kwnames;
    if (pm_check_positional(vm, "dir", nargs, 0, 1) < 0) return NULL;
    return call_with_tuple(vm, args, nargs, dir_impl);
}

/* ------------------------------------------------------------------ types and formatting */

static PmObject *builtin_isinstance(PmVM *vm, PmObject *self, PmObject *const *args,
                                    size_t nargs, PmObject *kwnames)
{
    (void)self; (void)kwnames;
    if (pm_check_positional(vm, "isinstance", nargs, 2, 2) < 0) return NULL;
    int r = PmObject_IsInstance(vm, args[0], args[1]);
    return r < 0 ? NULL : Pm_Bool(vm, r);
}

/* CPython's object_issubclass / recursive_issubclass, with their two messages. */
static int issubclass_impl(PmVM *vm, PmObject *derived, PmObject *cls)
{
    PmObject *uargs = pm_union_args_borrow(cls);   /* int | str: as the tuple (int, str) */
    if (uargs) cls = uargs;
    if (!PmType_Check(cls) && !Pm_IS_TYPE(vm, cls, TUPLE)) {
        PmObject *checker = PmType_Lookup(vm, Pm_TYPE(cls), PMID(vm, __subclasscheck__));
        if (checker) {
            if (pm_enter_recursive_call(vm, " in __subclasscheck__")) return -1;
            PmObject *args[2] = {cls, derived};
            Pm_INCREF(checker);
            PmObject *r = pm_call_unbound(vm, checker, args, 2);
            Pm_DECREF(vm, checker);
            pm_leave_recursive_call(vm);
            int t = r ? PmObject_IsTrue(vm, r) : -1;
            Pm_XDECREF(vm, r);
            return t;
        }
    }
    if (Pm_IS_TYPE(vm, cls, TUPLE)) {
        if (pm_enter_recursive_call(vm, " in __subclasscheck__")) return -1;
        int r = 0;
        for (Pm_ssize_t i = 0; i < Pm_SIZE(cls) && r == 0; i++)
            r = issubclass_impl(vm, derived, PmTuple_GET_ITEM(cls, i));
        pm_leave_recursive_call(vm);
        return r;
    }
    if (!PmType_Check(derived)) {
        PmErr_SetString(vm, PME(vm, TypeError), "issubclass() arg 1 must be a class");
        return -1;
    }
    if (!PmType_Check(cls)) {
        PmErr_SetString(vm, PME(vm, TypeError),
                        "issubclass() arg 2 must be a class, a tuple of classes, or a union");
        return -1;
    }
    return PmType_IsSubtype((PmType *)derived, (PmType *)cls);
}

static PmObject *builtin_issubclass(PmVM *vm, PmObject *self, PmObject *const *args,
                                    size_t nargs, PmObject *kwnames)
{
    (void)self; (void)kwnames;
    if (pm_check_positional(vm, "issubclass", nargs, 2, 2) < 0) return NULL;
    int r = issubclass_impl(vm, args[0], args[1]);
    return r < 0 ? NULL : Pm_Bool(vm, r);
}

static PmObject *builtin_format(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                PmObject *kwnames)
{
    (void)self; (void)kwnames;
    if (pm_check_positional(vm, "format", nargs, 1, 2) < 0) return NULL;
    PmObject *spec = nargs > 1 ? args[1] : NULL;
    if (spec && !PmStr_Check(spec))
        return PmErr_Format(vm, PME(vm, TypeError), "format() argument 2 must be str, not %s",
                            spec == Pm_None(vm) ? "None" : Pm_TYPE(spec)->tp_name);
    return PmObject_Format(vm, args[0], spec);
}

/* ------------------------------------------------------------------ iteration */

static PmObject *builtin_iter(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    (void)self; (void)kwnames;
    if (pm_check_positional(vm, "iter", nargs, 1, 2) < 0) return NULL;
    if (nargs == 1) return PmObject_GetIter(vm, args[0]);
    if (Pm_TYPE(args[0])->tp_call == NULL)
        return PmErr_Format(vm, PME(vm, TypeError), "iter(v, w): v must be callable");
    return pm_calliter_new(vm, args[0], args[1]);
}

static PmObject *builtin_next(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    (void)self; (void)kwnames;
    if (pm_check_positional(vm, "next", nargs, 1, 2) < 0) return NULL;
    PmObject *it = args[0];
    if (Pm_TYPE(it)->tp_iternext == NULL)
        return PmErr_Format(vm, PME(vm, TypeError), "'%.200s' object is not an iterator",
                            Pm_TYPE(it)->tp_name);
    PmObject *r = Pm_TYPE(it)->tp_iternext(vm, it);
    if (r) return r;
    if (nargs > 1) {
        if (PmErr_Occurred(vm)) {
            if (!PmErr_ExceptionMatches(vm, PME(vm, StopIteration))) return NULL;
            PmErr_Clear(vm);
        }
        return Pm_NewRef(args[1]);
    }
    if (!PmErr_Occurred(vm)) PmErr_SetObject(vm, PME(vm, StopIteration), NULL);
    return NULL;
}

static PmObject *builtin_sorted(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                PmObject *kwnames)
{
    (void)self;
    if (pm_check_positional(vm, "sorted", nargs, 1, 1) < 0) return NULL;
    PmObject *list = PmSequence_List(vm, args[0]);
    if (list == NULL) return NULL;
    PmObject *sort = PmObject_GetAttr(vm, list, PMID(vm, sort));
    PmObject *r = sort ? PmObject_Vectorcall(vm, sort, args + 1, 0, kwnames) : NULL;
    Pm_XDECREF(vm, sort);
    if (r == NULL) {
        Pm_DECREF(vm, list);
        return NULL;
    }
    Pm_DECREF(vm, r);
    return list;
}

/* ------------------------------------------------------------------ min, max */

typedef struct MinMax {
    const char *name;
    int op;
    PmObject *key, *dflt;
} MinMax;

static int minmax_keywords(PmVM *vm, MinMax *mm, PmObject *const *kwvals, PmObject *kwnames)
{
    for (Pm_ssize_t i = 0; kwnames && i < Pm_SIZE(kwnames); i++) {
        PmObject *k = PmTuple_GET_ITEM(kwnames, i);
        if (PmStr_EqualToASCII(k, "key")) mm->key = kwvals[i];
        else if (PmStr_EqualToASCII(k, "default")) mm->dflt = kwvals[i];
        else {
            PmErr_Format(vm, PME(vm, TypeError), "'%U' is an invalid keyword argument for %s()",
                         k, mm->name);
            return -1;
        }
    }
    if (mm->key == Pm_None(vm)) mm->key = NULL;
    return 0;
}

/* The loop of CPython's min_max: each candidate is held as item and as value. */
static PmObject *minmax_loop(PmVM *vm, MinMax *mm, PmObject *it)
{
    PmObject *maxitem = NULL, *maxval = NULL, *item;
    while ((item = PmIter_Next(vm, it)) != NULL) {
        PmObject *val = mm->key ? PmObject_CallOneArg(vm, mm->key, item) : Pm_NewRef(item);
        if (val == NULL) { Pm_DECREF(vm, item); goto fail; }
        if (maxval == NULL) {
            maxitem = item;
            maxval = val;
            continue;
        }
        int cmp = PmObject_RichCompareBool(vm, val, maxval, mm->op);
        if (cmp < 0) { Pm_DECREF(vm, item); Pm_DECREF(vm, val); goto fail; }
        if (cmp > 0) {
            Pm_DECREF(vm, maxval);
            Pm_DECREF(vm, maxitem);
            maxval = val;
            maxitem = item;
        } else {
            Pm_DECREF(vm, item);
            Pm_DECREF(vm, val);
        }
    }
    if (PmErr_Occurred(vm)) goto fail;
    if (maxval == NULL) {
        if (mm->dflt) return Pm_NewRef(mm->dflt);
        return PmErr_Format(vm, PME(vm, ValueError), "%s() arg is an empty sequence", mm->name);
    }
    Pm_DECREF(vm, maxval);
    return maxitem;
fail:
    Pm_XDECREF(vm, maxval);
    Pm_XDECREF(vm, maxitem);
    return NULL;
}

static PmObject *min_max(PmVM *vm, PmObject *const *args, size_t nargs, PmObject *kwnames,
                         const char *name, int op)
{
    MinMax mm = {name, op, NULL, NULL};
    if (nargs == 0)
        return PmErr_Format(vm, PME(vm, TypeError), "%s expected at least 1 argument, got 0",
                            name);
    if (minmax_keywords(vm, &mm, args + nargs, kwnames) < 0) return NULL;
    if (nargs > 1 && mm.dflt)
        return PmErr_Format(vm, PME(vm, TypeError),
                            "Cannot specify a default for %s() with multiple positional "
                            "arguments", name);
    PmObject *tuple = PmTuple_FromArray(vm, args, (Pm_ssize_t)nargs);
    if (tuple == NULL) return NULL;
    PmObject *it = PmObject_GetIter(vm, nargs > 1 ? tuple : args[0]);
    PmObject *r = it ? minmax_loop(vm, &mm, it) : NULL;
    Pm_XDECREF(vm, it);
    Pm_DECREF(vm, tuple);
    return r;
}

static PmObject *builtin_min(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)self;
    return min_max(vm, args, nargs, kwnames, "min", Pm_LT);
}

static PmObject *builtin_max(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)self;
    return min_max(vm, args, nargs, kwnames, "max", Pm_GT);
}

/* ------------------------------------------------------------------ sum */

/* The int fast path: a C 64-bit sum while every item is an exact int or a bool.  Returns
 * the final object, or sets *result to the object to continue with (NULL on error). */
static PmObject *sum_ints(PmVM *vm, PmObject *it, long long acc, PmObject **result, bool *done)
{
    *done = false;
    for (;;) {
        PmObject *item = PmIter_Next(vm, it);
        if (item == NULL) {
            *done = true;
            return PmErr_Occurred(vm) ? NULL : PmLong_FromLongLong(vm, acc);
        }
        if (Pm_IS_TYPE(vm, item, INT) || Pm_IS_TYPE(vm, item, BOOL)) {
            int overflow = 0;
            Pm_ssize_t size = Pm_SIZE(item);
            long long b = size == 0 ? 0
                        : size == 1 ? (long long)((PmLong *)item)->ob_digit[0]
                        : size == -1 ? -(long long)((PmLong *)item)->ob_digit[0]
                        : PmLong_AsLongLongAndOverflow(vm, item, &overflow);
            if (overflow == 0 && (acc >= 0 ? b <= LLONG_MAX - acc : b >= LLONG_MIN - acc)) {
                acc += b;
                Pm_DECREF(vm, item);
                continue;
            }
        }
        PmObject *r = PmLong_FromLongLong(vm, acc);
        PmObject *t = r ? PmNumber_BinaryOp(vm, r, item, PM_BINOP_ADD) : NULL;
        Pm_XDECREF(vm, r);
        Pm_DECREF(vm, item);
        *result = t;
        return NULL;
    }
}

/* The float fast path: plain double additions (CPython 3.11 has no compensated sum). */
static PmObject *sum_floats(PmVM *vm, PmObject *it, double acc, PmObject **result, bool *done)
{
    *done = false;
    for (;;) {
        PmObject *item = PmIter_Next(vm, it);
        if (item == NULL) {
            *done = true;
            return PmErr_Occurred(vm) ? NULL : PmFloat_FromDouble(vm, acc);
        }
        if (Pm_IS_TYPE(vm, item, FLOAT)) {
            acc += ((PmFloat *)item)->ob_fval;
            Pm_DECREF(vm, item);
            continue;
        }
        if (PmLong_Check(item)) {
            int overflow = 0;
            long long v = PmLong_AsLongLongAndOverflow(vm, item, &overflow);
            if (!overflow) {
                acc += (double)v;
                Pm_DECREF(vm, item);
                continue;
            }
        }
        PmObject *r = PmFloat_FromDouble(vm, acc);
        PmObject *t = r ? PmNumber_BinaryOp(vm, r, item, PM_BINOP_ADD) : NULL;
        Pm_XDECREF(vm, r);
        Pm_DECREF(vm, item);
        *result = t;
        return NULL;
    }
}

static PmObject *sum_impl(PmVM *vm, PmObject *it, PmObject *result)
{
    bool done;
    if (Pm_IS_TYPE(vm, result, INT)) {
        int overflow = 0;
        long long acc = PmLong_AsLongLongAndOverflow(vm, result, &overflow);
        if (!overflow) {
            Pm_DECREF(vm, result);
            PmObject *r = sum_ints(vm, it, acc, &result, &done);
            if (done || result == NULL) return r;
        }
    }
    if (Pm_IS_TYPE(vm, result, FLOAT)) {
        double acc = ((PmFloat *)result)->ob_fval;
        Pm_DECREF(vm, result);
        PmObject *r = sum_floats(vm, it, acc, &result, &done);
        if (done || result == NULL) return r;
    }
    for (;;) {
        PmObject *item = PmIter_Next(vm, it);
        if (item == NULL) {
            if (PmErr_Occurred(vm)) Pm_CLEAR(vm, result);
            return result;
        }
        PmObject *t = PmNumber_BinaryOp(vm, result, item, PM_BINOP_ADD);
        Pm_DECREF(vm, result);
        Pm_DECREF(vm, item);
        if ((result = t) == NULL) return NULL;
    }
}

static PmObject *builtin_sum(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)self;
    static const char *const names[] = {"iterable", "start"};
    PmObject *a[2];
    if (pm_builtins_unpack(vm, "sum", args, nargs, kwnames, names, 2, 1, 1, 2, a) < 0)
        return NULL;
    PmObject *it = PmObject_GetIter(vm, a[0]);
    if (it == NULL) return NULL;
    PmObject *start = a[1];
    if (start && PmStr_Check(start)) {
        Pm_DECREF(vm, it);
        return PmErr_Format(vm, PME(vm, TypeError),
                            "sum() can't sum strings [use ''.join(seq) instead]");
    }
    PmObject *result = start ? Pm_NewRef(start) : PmLong_FromLongLong(vm, 0);
    PmObject *r = result ? sum_impl(vm, it, result) : NULL;
    Pm_DECREF(vm, it);
    return r;
}

/* ------------------------------------------------------------------ numbers */

static PmObject *builtin_round(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    (void)self;
    static const char *const names[] = {"number", "ndigits"};
    PmObject *a[2];
    if (pm_builtins_unpack(vm, "round", args, nargs, kwnames, names, 2, 0, 1, 2, a) < 0)
        return NULL;
    PmObject *meth = PmType_Lookup(vm, Pm_TYPE(a[0]), PMID(vm, __round__));
    if (meth == NULL)
        return PmErr_Format(vm, PME(vm, TypeError), "type %.100s doesn't define __round__ method",
                            Pm_TYPE(a[0])->tp_name);
    PmObject *bound = pm_bind(vm, meth, a[0]);
    if (bound == NULL) return NULL;
    PmObject *r = a[1] == NULL || a[1] == Pm_None(vm) ? PmObject_CallNoArgs(vm, bound)
                                                      : PmObject_CallOneArg(vm, bound, a[1]);
    Pm_DECREF(vm, bound);
    return r;
}

static pm_binaryfunc divmod_slot(PmType *tp)
{
    return tp->tp_as_number.nb_divmod;
}

/* PyNumber_Divmod: binary_op1 on nb_divmod. */
static PmObject *builtin_divmod(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                PmObject *kwnames)
{
    (void)self; (void)kwnames;
    if (pm_check_positional(vm, "divmod", nargs, 2, 2) < 0) return NULL;
    PmObject *v = args[0], *w = args[1];
    pm_binaryfunc sv = divmod_slot(Pm_TYPE(v)), sw = NULL;
    if (Pm_TYPE(w) != Pm_TYPE(v) && (sw = divmod_slot(Pm_TYPE(w))) == sv) sw = NULL;
    PmObject *x;
    if (sv) {
        if (sw && PmType_IsSubtype(Pm_TYPE(w), Pm_TYPE(v))) {
            if ((x = sw(vm, v, w)) != Pm_NotImplemented(vm)) return x;
            Pm_DECREF(vm, x);
            sw = NULL;
        }
        if ((x = sv(vm, v, w)) != Pm_NotImplemented(vm)) return x;
        Pm_DECREF(vm, x);
    }
    if (sw) {
        if ((x = sw(vm, v, w)) != Pm_NotImplemented(vm)) return x;
        Pm_DECREF(vm, x);
    }
    return PmErr_Format(vm, PME(vm, TypeError),
                        "unsupported operand type(s) for divmod(): '%.100s' and '%.100s'",
                        Pm_TYPE(v)->tp_name, Pm_TYPE(w)->tp_name);
}

/* CPython's ternary_op for pow(v, w, z) with z not None. */
static PmObject *ternary_pow(PmVM *vm, PmObject *v, PmObject *w, PmObject *z)
{
    pm_ternaryfunc sv = Pm_TYPE(v)->tp_as_number.nb_power, sw = NULL, sz;
    if (Pm_TYPE(w) != Pm_TYPE(v) && (sw = Pm_TYPE(w)->tp_as_number.nb_power) == sv) sw = NULL;
    PmObject *x;
    if (sv) {
        if (sw && PmType_IsSubtype(Pm_TYPE(w), Pm_TYPE(v))) {
            if ((x = sw(vm, v, w, z)) != Pm_NotImplemented(vm)) return x;
            Pm_DECREF(vm, x);
            sw = NULL;
        }
        if ((x = sv(vm, v, w, z)) != Pm_NotImplemented(vm)) return x;
        Pm_DECREF(vm, x);
    }
    if (sw) {
        if ((x = sw(vm, v, w, z)) != Pm_NotImplemented(vm)) return x;
        Pm_DECREF(vm, x);
    }
    sz = Pm_TYPE(z)->tp_as_number.nb_power;
    if (sz && sz != sv && sz != sw) {
        if ((x = sz(vm, v, w, z)) != Pm_NotImplemented(vm)) return x;
        Pm_DECREF(vm, x);
    }
    return PmErr_Format(vm, PME(vm, TypeError),
                        "unsupported operand type(s) for ** or pow(): '%.100s', '%.100s', '%.100s'",
                        Pm_TYPE(v)->tp_name, Pm_TYPE(w)->tp_name, Pm_TYPE(z)->tp_name);
}

static PmObject *builtin_pow(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)self;
    static const char *const names[] = {"base", "exp", "mod"};
    PmObject *a[3];
    if (pm_builtins_unpack(vm, "pow", args, nargs, kwnames, names, 3, 0, 2, 3, a) < 0)
        return NULL;
    if (a[2] == NULL || a[2] == Pm_None(vm))
        return PmNumber_BinaryOp(vm, a[0], a[1], PM_BINOP_POWER);
    return ternary_pow(vm, a[0], a[1], a[2]);
}

/* ------------------------------------------------------------------ the module */

static const PmMethodDef builtin_functions[] = {
    {"__build_class__", builtin_build_class, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"abs", builtin_abs, PM_METH_O},
    {"all", builtin_all, PM_METH_O},
    {"any", builtin_any, PM_METH_O},
    {"ascii", builtin_ascii, PM_METH_O},
    {"bin", builtin_bin, PM_METH_O},
    {"callable", builtin_callable, PM_METH_O},
    {"chr", builtin_chr, PM_METH_O},
    {"delattr", builtin_delattr, PM_METH_VARARGS},
    {"dir", builtin_dir, PM_METH_VARARGS},
    {"divmod", builtin_divmod, PM_METH_VARARGS},
    {"format", builtin_format, PM_METH_VARARGS},
    {"getattr", builtin_getattr, PM_METH_VARARGS},
    {"globals", builtin_globals, PM_METH_NOARGS},
    {"hasattr", builtin_hasattr, PM_METH_VARARGS},
    {"hash", builtin_hash, PM_METH_O},
    {"hex", builtin_hex, PM_METH_O},
    {"id", builtin_id, PM_METH_O},
    {"input", builtin_input, PM_METH_VARARGS},
    {"isinstance", builtin_isinstance, PM_METH_VARARGS},
    {"issubclass", builtin_issubclass, PM_METH_VARARGS},
    {"iter", builtin_iter, PM_METH_VARARGS},
    {"len", builtin_len, PM_METH_O},
    {"locals", builtin_locals, PM_METH_NOARGS},
    {"max", builtin_max, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"min", builtin_min, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"next", builtin_next, PM_METH_VARARGS},
    {"oct", builtin_oct, PM_METH_O},
    {"ord", builtin_ord, PM_METH_O},
    {"pow", builtin_pow, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"print", builtin_print, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"repr", builtin_repr, PM_METH_O},
    {"round", builtin_round, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"setattr", builtin_setattr, PM_METH_VARARGS},
    {"sorted", builtin_sorted, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"sum", builtin_sum, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"vars", builtin_vars, PM_METH_VARARGS},
    {NULL, NULL, 0}
};

static const char builtins_doc[] =
    "Built-in functions, exceptions, and other objects.\n\n"
    "Noteworthy: None is the `nil' object; Ellipsis represents `...' in slices.";

/* Names bound to the VM's builtin types, in CPython's order. */
static const struct { const char *name; int kind; } builtin_types[] = {
    {"bool", PMT_BOOL}, {"classmethod", PMT_CLASSMETHOD}, {"dict", PMT_DICT},
    {"enumerate", PMT_ENUMERATE}, {"filter", PMT_FILTER}, {"float", PMT_FLOAT},
    {"frozenset", PMT_FROZENSET}, {"property", PMT_PROPERTY}, {"int", PMT_INT},
    {"list", PMT_LIST}, {"map", PMT_MAP}, {"object", PMT_OBJECT}, {"range", PMT_RANGE},
    {"reversed", PMT_REVERSED}, {"set", PMT_SET}, {"slice", PMT_SLICE},
    {"staticmethod", PMT_STATICMETHOD}, {"str", PMT_STR}, {"super", PMT_SUPER},
    {"tuple", PMT_TUPLE}, {"type", PMT_TYPE}, {"zip", PMT_ZIP},
};

static int add(PmVM *vm, PmObject *m, const char *name, PmObject *v)
{
    return pm_module_add_object(vm, m, name, Pm_NewRef(v));
}

static int add_constants(PmVM *vm, PmObject *m)
{
    if (add(vm, m, "None", Pm_None(vm)) < 0 || add(vm, m, "Ellipsis", Pm_Ellipsis(vm)) < 0 ||
        add(vm, m, "NotImplemented", Pm_NotImplemented(vm)) < 0 ||
        add(vm, m, "False", Pm_False(vm)) < 0 || add(vm, m, "True", Pm_True(vm)) < 0)
        return -1;
    for (size_t i = 0; i < sizeof builtin_types / sizeof builtin_types[0]; i++) {
        PmType *tp = vm->types[builtin_types[i].kind];
        if (tp && add(vm, m, builtin_types[i].name, (PmObject *)tp) < 0) return -1;
    }
    if (add(vm, m, "__debug__", Pm_True(vm)) < 0) return -1;
    for (int i = 0; i < PME__COUNT; i++) {
        PmType *e = vm->exc_types[i];
        if (e && add(vm, m, e->tp_name, (PmObject *)e) < 0) return -1;
    }
    return 0;
}

int pm_builtins_init(PmVM *vm)
{
    PmObject *m = PmModule_New(vm, "builtins");
    if (m == NULL) return -1;
    ((PmModule *)m)->md_builtin = true;
    PmObject *doc = PmStr_FromString(vm, builtins_doc);
    if (doc == NULL || pm_module_add_object(vm, m, "__doc__", doc) < 0 ||
        pm_module_add_functions(vm, m, builtin_functions) < 0 || add_constants(vm, m) < 0) {
        Pm_DECREF(vm, m);
        return -1;
    }
    Pm_SETREF(vm, vm->builtins, Pm_NewRef(((PmModule *)m)->md_dict));
    Pm_DECREF(vm, m);   /* the module lives on: its functions' __self__ */
    return 0;
}

/* The builtins module object (its functions are bound to it). */
PmObject *pm_builtins_module_borrow(PmVM *vm)
{
    PmObject *f = vm->builtins ? PmDict_GetItemString_Borrow(vm, vm->builtins, "len") : NULL;
    if (f && Pm_KIND(f) == PMT_CFUNCTION) return ((PmCFunction *)f)->m_self;
    return NULL;
}
