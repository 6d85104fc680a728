/*
 * tracemallocmodule.c -- the _tracemalloc and tracemalloc modules.
 *
 * _tracemalloc is CPython 3.11's Modules/_tracemalloc.c over the tracing layer of
 * mem/tracemalloc.c: is_tracing, clear_traces, _get_traces, _get_object_traceback, start,
 * stop, get_traceback_limit, get_tracemalloc_memory, get_traced_memory, reset_peak.
 *
 * tracemalloc is CPython's Lib/tracemalloc.py: a module whose namespace starts with
 * everything of _tracemalloc plus two helpers standing in for the modules tracemalloc.py
 * imports (_fnmatch for fnmatch.fnmatch, _getline for linecache.getline), then runs the
 * Python source of lib/tracemalloc_src.py (compiled in as lib/tracemalloc_py.h) for
 * Snapshot, Statistic, StatisticDiff, Traceback, Frame, Trace, Filter, DomainFilter and
 * take_snapshot.  Its code objects are named "/usr/lib/python3.11/tracemalloc.py", so its
 * frames in tracebacks and traces are named like CPython's (and `Filter(False,
 * "*tracemalloc.py")` hides them).
 *
 * CPython does not import tracemalloc at start-up, but what its import allocates is no part
 * of a lesson: like weakref (lib/weakrefmodule.c), the import leaves the collector's counts
 * alone and its objects in the oldest generation.  What the import does leave behind in
 * CPython is the state of the free lists (Lib/tracemalloc.py imports fnmatch, re,
 * linecache, tokenize, pickle, ... which make and drop thousands of objects): that decides
 * which of the program's next lists, dicts, tuples and floats are new allocations, and so
 * what tracemalloc sees.  prime_free_lists sets them to what `import tracemalloc` leaves
 * in CPython 3.11.7.
 */
#include "pm.h"
#include "lang/parser.h"
#include "lang/compile.h"
#include "gc/gc.h"
#include "lib/tracemalloc_py.h"

#define TRACEMALLOC_FILE "/usr/lib/python3.11/tracemalloc.py"

/* ------------------------------------------------------------------ _tracemalloc */

static PmObject *is_tracing(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    return Pm_Bool(vm, vm->tracemalloc.tracing);
}

static PmObject *clear_traces(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    pm_tracemalloc_clear_traces(vm);
    return Pm_RETURN_NONE(vm);
}

static PmObject *get_traces(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    return pm_tracemalloc_get_traces(vm);
}

static PmObject *get_object_traceback(PmVM *vm, PmObject *self, PmObject *const *args,
                                      size_t nargs, PmObject *kwnames)
{
    (void)self; (void)nargs; (void)kwnames;
    return pm_tracemalloc_object_traceback(vm, args[0]);
}

/* Argument Clinic's `nframe: int = 1` (positional only). */
static PmObject *start(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                       PmObject *kwnames)
{
    (void)self;
    if (pm_no_kwargs(vm, "_tracemalloc.start", kwnames) < 0) return NULL;
    if (pm_check_positional(vm, "start", nargs, 0, 1) < 0) return NULL;
    int nframe = 1;
    if (nargs == 1) {
        if (PmFloat_Check(args[0])) {
            return PmErr_Format(vm, PME(vm, TypeError),
                                "'float' object cannot be interpreted as an integer");
        }
        if (PmNumber_AsCInt(vm, args[0], &nframe) < 0) return NULL;
    }
    if (pm_tracemalloc_start(vm, (long)nframe) < 0) return NULL;
    return Pm_RETURN_NONE(vm);
}

static PmObject *stop(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                      PmObject *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    pm_tracemalloc_stop(vm);
    return Pm_RETURN_NONE(vm);
}

static PmObject *get_traceback_limit(PmVM *vm, PmObject *self, PmObject *const *args,
                                     size_t nargs, PmObject *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    return PmLong_FromSsize_t(vm, pm_tracemalloc_traceback_limit(vm));
}

static PmObject *get_tracemalloc_memory(PmVM *vm, PmObject *self, PmObject *const *args,
                                        size_t nargs, PmObject *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    return PmLong_FromUnsignedLongLong(vm, pm_tracemalloc_memory(vm));
}

static PmObject *get_traced_memory(PmVM *vm, PmObject *self, PmObject *const *args,
                                   size_t nargs, PmObject *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    size_t cur, peak;
    pm_tracemalloc_traced_memory(vm, &cur, &peak);
    PmObject *a = PmLong_FromUnsignedLongLong(vm, cur);
    PmObject *b = PmLong_FromUnsignedLongLong(vm, peak);
    PmObject *t = a && b ? PmTuple_Pack(vm, 2, a, b) : NULL;
    Pm_XDECREF(vm, a);
    Pm_XDECREF(vm, b);
    return t;
}

static PmObject *reset_peak(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    (void)self; (void)args; (void)nargs; (void)kwnames;
    pm_tracemalloc_reset_peak(vm);
    return Pm_RETURN_NONE(vm);
}

/* In CPython's order (module_methods of Modules/_tracemalloc.c). */
static const PmMethodDef tracemalloc_functions[] = {
    {"is_tracing", is_tracing, PM_METH_NOARGS},
    {"clear_traces", clear_traces, PM_METH_NOARGS},
    {"_get_traces", get_traces, PM_METH_NOARGS},
    {"_get_object_traceback", get_object_traceback, PM_METH_O},
    {"start", start, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"stop", stop, PM_METH_NOARGS},
    {"get_traceback_limit", get_traceback_limit, PM_METH_NOARGS},
    {"get_tracemalloc_memory", get_tracemalloc_memory, PM_METH_NOARGS},
    {"get_traced_memory", get_traced_memory, PM_METH_NOARGS},
    {"reset_peak", reset_peak, PM_METH_NOARGS},
    {NULL, NULL, 0}
};

PmObject *pm_tracemallocmodule_init_c(PmVM *vm)
{
    PmObject *m = PmModule_New(vm, "_tracemalloc");
    if (m == NULL) return NULL;
    ((PmModule *)m)->md_builtin = true;
    PmObject *doc = PmStr_FromString(vm, "Debug module to trace memory blocks allocated by Python.");
    if (pm_module_add_functions(vm, m, tracemalloc_functions) < 0 ||
        pm_module_add_object(vm, m, "__doc__", doc) < 0) {
        Pm_DECREF(vm, m);
        return NULL;
    }
    return m;
}

/* ------------------------------------------------------------------ helpers for the source */

/* One code point of a str. */
static uint32_t ch(PmObject *s, Pm_ssize_t i) { return PmStr_READ(s, i); }

/* Does pat[p] start a closed [...] set?  Returns the index of its closing ']', or -1.
 * As fnmatch.translate: a ']' right after '[' or '[!' is a member, not the end. */
static Pm_ssize_t set_end(PmObject *pat, Pm_ssize_t p, Pm_ssize_t np)
{
    Pm_ssize_t j = p + 1;
    if (j < np && ch(pat, j) == '!') j++;
    if (j < np && ch(pat, j) == ']') j++;
    while (j < np && ch(pat, j) != ']') j++;
    return j < np ? j : -1;
}

/* Is c in the set pat[p+1 .. end) ('!' negates; a-z ranges; reversed ranges are empty). */
static bool set_match(PmObject *pat, Pm_ssize_t p, Pm_ssize_t end, uint32_t c)
{
    Pm_ssize_t j = p + 1;
    bool neg = false;
    if (ch(pat, j) == '!') { neg = true; j++; }
    bool hit = false;
    while (j < end) {
        uint32_t lo = ch(pat, j);
        if (j + 2 < end && ch(pat, j + 1) == '-') {
            uint32_t hi = ch(pat, j + 2);
            if (lo <= c && c <= hi) hit = true;
            j += 3;
        } else {
            if (c == lo) hit = true;
            j++;
        }
    }
    return hit != neg;
}

/* fnmatch.fnmatchcase(name, pat) on a POSIX system (normcase is the identity): '*' any
 * run of characters ('/' included), '?' one character, [seq] / [!seq] one character in /
 * not in seq; an unclosed '[' is a literal.  Iterative with one backtrack point per '*'. */
static bool glob_match(PmObject *name, PmObject *pat)
{
    Pm_ssize_t nn = PmStr_GET_LENGTH(name), np = PmStr_GET_LENGTH(pat);
    Pm_ssize_t n = 0, p = 0, star_p = -1, star_n = 0;
    while (n < nn) {
        if (p < np) {
            uint32_t pc = ch(pat, p);
            if (pc == '*') {
                star_p = ++p;
                star_n = n;
                continue;
            }
            if (pc == '?') { p++; n++; continue; }
            if (pc == '[') {
                Pm_ssize_t end = set_end(pat, p, np);
                if (end >= 0) {
                    if (set_match(pat, p, end, ch(name, n))) { p = end + 1; n++; continue; }
                } else if (ch(name, n) == '[') {
                    p++; n++; continue;
                }
            } else if (pc == ch(name, n)) {
                p++; n++; continue;
            }
        }
        if (star_p < 0) return false;
        p = star_p;
        n = ++star_n;
    }
    while (p < np && ch(pat, p) == '*') p++;
    return p == np;
}

static PmObject *fnmatch_(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                          PmObject *kwnames)
{
    (void)self;
    if (pm_check_positional(vm, "_fnmatch", nargs, 2, 2) < 0) return NULL;
    (void)kwnames;
    if (!PmStr_Check(args[0]) || !PmStr_Check(args[1])) {
        return PmErr_Format(vm, PME(vm, TypeError), "expected str arguments, got %T and %T",
                            args[0], args[1]);
    }
    return Pm_Bool(vm, glob_match(args[0], args[1]));
}

/* linecache.getline(filename, lineno) for the program's own source (the only file the lab
 * has); '' for any other file or a line out of range. */
static PmObject *getline_(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                          PmObject *kwnames)
{
    (void)self; (void)kwnames;
    if (pm_check_positional(vm, "_getline", nargs, 2, 2) < 0) return NULL;
    PmObject *fn = args[0];
    Pm_ssize_t lineno = PmLong_Check(args[1]) ? PmLong_AsSsize_t(vm, args[1]) : 0;
    if (lineno == -1 && PmErr_Occurred(vm)) PmErr_Clear(vm);
    if (vm->src_text == NULL || vm->src_filename == NULL || !PmStr_Check(fn) || lineno < 1)
        return PmStr_FromString(vm, "");
    PmObject *src_name = PmStr_FromUTF8(vm, vm->src_filename, strlen(vm->src_filename));
    if (src_name == NULL) return NULL;
    bool same = PmStr_Equal(fn, src_name);
    Pm_DECREF(vm, src_name);
    if (!same) return PmStr_FromString(vm, "");
    const char *p = vm->src_text, *end = p + vm->src_len;
    for (Pm_ssize_t l = 1; l < lineno && p < end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    if (p >= end) return PmStr_FromString(vm, "");
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *stop = nl ? nl + 1 : end;
    return PmStr_FromUTF8(vm, p, (size_t)(stop - p));
}

static const PmMethodDef tracemalloc_py_helpers[] = {
    {"_fnmatch", fnmatch_, PM_METH_VARARGS},
    {"_getline", getline_, PM_METH_VARARGS},
    {NULL, NULL, 0}
};

/* ------------------------------------------------------------------ tracemalloc */

static int import_from_c_module(PmVM *vm, PmObject *dict)
{
    PmObject *name = PmStr_InternFromString(vm, "_tracemalloc");
    if (name == NULL) return -1;
    PmObject *cmod = PmDict_GetItem_Borrow(vm, vm->modules, name);
    if (cmod) Pm_INCREF(cmod);
    else if (!PmErr_Occurred(vm)) cmod = pm_import_builtin_module(vm, name);
    Pm_DECREF(vm, name);
    if (cmod == NULL) {
        if (!PmErr_Occurred(vm)) PmErr_SetString(vm, PME(vm, ImportError), "no _tracemalloc");
        return -1;
    }
    int r = 0;
    for (int i = 0; tracemalloc_functions[i].name && r == 0; i++) {
        const char *n = tracemalloc_functions[i].name;
        PmObject *v = PmObject_GetAttrString(vm, cmod, n);
        r = v ? PmDict_SetItemString(vm, dict, n, v) : -1;
        Pm_XDECREF(vm, v);
    }
    Pm_DECREF(vm, cmod);
    return r;
}

static PmObject *compile_source(PmVM *vm)
{
    pmparse_options opt = {0};
    pmparse_result r;
    if (pmparse_source(&r, pm_tracemalloc_py_src, sizeof pm_tracemalloc_py_src - 1, &opt) != 0) {
        PmErr_Format(vm, PME(vm, SystemError), "tracemalloc source: %s: %s (line %d)",
                     r.error.type, r.error.msg, r.error.lineno);
        pmparse_release(&r);
        return NULL;
    }
    pmparse_error cerr = {0};
    PmObject *code = pm_compile_module(vm, r.module, TRACEMALLOC_FILE, &cerr, NULL);
    pmparse_release(&r);
    if (code == NULL && cerr.type) {
        PmErr_Format(vm, PME(vm, SystemError), "tracemalloc source: %s: %s (line %d)",
                     cerr.type, cerr.msg, cerr.lineno);
    }
    return code;
}

static PmObject *tracemallocmodule_create(PmVM *vm)
{
    PmObject *m = PmModule_New(vm, "tracemalloc");
    if (m == NULL) return NULL;
    PmObject *d = ((PmModule *)m)->md_dict;
    PmObject *file = PmStr_FromString(vm, TRACEMALLOC_FILE);
    int r = file ? 0 : -1;
    if (r == 0) r = PmDict_SetItem(vm, d, PMID(vm, __doc__), Pm_None(vm));
    if (r == 0) r = PmDict_SetItem(vm, d, PMID(vm, __file__), file);
    if (r == 0) r = PmDict_SetItem(vm, d, PMID(vm, __builtins__), vm->builtins);
    Pm_XDECREF(vm, file);
    if (r == 0) r = import_from_c_module(vm, d);
    if (r == 0) r = pm_module_add_functions(vm, m, tracemalloc_py_helpers);
    PmObject *code = r == 0 ? compile_source(vm) : NULL;
    PmObject *res = code ? pm_eval_code(vm, code, d, d) : NULL;
    Pm_XDECREF(vm, code);
    if (res == NULL) {
        Pm_DECREF(vm, m);
        return NULL;
    }
    Pm_DECREF(vm, res);
    return m;
}

/* ------------------------------------------------------------------ free lists */

/* The free lists right after `import tracemalloc` in CPython 3.11.7 (64-bit Linux), from
 * sys._debugmallocstats() and from which new dicts got a key table of their own (probes
 * with tracemalloc running: 74 of 100 new one-key dicts reused a table). */
enum { AFTER_IMPORT_DICTS = 4, AFTER_IMPORT_DICTKEYS = 74, AFTER_IMPORT_FLOATS = 4,
       AFTER_IMPORT_LISTS = 34 };
static const unsigned char after_import_tuples[PM_TUPLE_MAXSAVESIZE] = {
    /* 1-sized .. 20-sized tuples */
    4, 16, 4, 5, 1, 0, 0, 4, 2, 3, 3, 3, 4, 2, 1, 1, 1, 2, 1, 6
};

/* Release the objects made by the caller (NULL entries skipped), all alive until now, so
 * that each lands on its type's free list; the array is left all NULL. */
static void release_all(PmVM *vm, PmObject **objs, int n)
{
    for (int i = 0; i < n; i++) Pm_CLEAR(vm, objs[i]);
}

static void trim_dicts(PmVM *vm, int keep)
{
    while (vm->dict_numfree > keep) pm_object_free(vm, vm->dict_free[--vm->dict_numfree]);
}

static int prime_dicts(PmVM *vm)
{
    enum { N = PM_DICT_MAXFREELIST };
    PmObject *objs[N] = {0};
    int r = 0;
    /* dicts with one str key, dropped: their 8-slot key tables go to the keys free list */
    PmDict_ClearFreeList(vm);
    for (int i = 0; i < AFTER_IMPORT_DICTKEYS && r == 0; i++) {
        objs[i] = PmDict_New(vm);
        r = objs[i] ? PmDict_SetItem(vm, objs[i], PMID(vm, name), Pm_None(vm)) : -1;
    }
    release_all(vm, objs, N);
    trim_dicts(vm, AFTER_IMPORT_DICTS);
    /* made together (the free list first), released together: exactly that many free */
    for (int i = 0; i < AFTER_IMPORT_DICTS && r == 0; i++)
        if ((objs[i] = PmDict_New(vm)) == NULL) r = -1;
    release_all(vm, objs, N);
    return r;
}

static int prime_lists_and_floats(PmVM *vm)
{
    enum { N = PM_FLOAT_MAXFREELIST > PM_LIST_MAXFREELIST ? PM_FLOAT_MAXFREELIST : PM_LIST_MAXFREELIST };
    PmObject *objs[N] = {0};
    int r = 0;
    PmList_ClearFreeList(vm);
    for (int i = 0; i < AFTER_IMPORT_LISTS && r == 0; i++)
        if ((objs[i] = PmList_New(vm, 0)) == NULL) r = -1;
    release_all(vm, objs, N);
    PmFloat_ClearFreeList(vm);
    for (int i = 0; i < AFTER_IMPORT_FLOATS && r == 0; i++)
        if ((objs[i] = PmFloat_FromDouble(vm, 0.0)) == NULL) r = -1;
    release_all(vm, objs, N);
    return r;
}

static int prime_tuples(PmVM *vm)
{
    enum { N = 32 };
    PmObject *objs[N] = {0};
    int r = 0;
    PmTuple_ClearFreeList(vm);
    for (int size = 1; size <= PM_TUPLE_MAXSAVESIZE && r == 0; size++) {
        int want = after_import_tuples[size - 1];
        for (int i = 0; i < want && i < N && r == 0; i++) {
            objs[i] = PmTuple_New(vm, size);
            if (objs[i] == NULL) { r = -1; break; }
            for (int k = 0; k < size; k++) PmTuple_SET_ITEM(objs[i], k, Pm_NewRef(Pm_None(vm)));
        }
        release_all(vm, objs, N);
    }
    return r;
}

/* The interpreter's one cached slice object is there too (the import sliced things). */
static int prime_slice_cache(PmVM *vm)
{
    if (vm->slice_cache != NULL) return 0;
    PmObject *s = PmSlice_New(vm, Pm_None(vm), Pm_None(vm), Pm_None(vm));
    if (s == NULL) return -1;
    Pm_DECREF(vm, s);
    return 0;
}

static int prime_free_lists(PmVM *vm)
{
    if (prime_dicts(vm) < 0 || prime_lists_and_floats(vm) < 0 || prime_tuples(vm) < 0 ||
        prime_slice_cache(vm) < 0)
        return -1;
    return 0;
}

/* Objects the import left in generation 0 after `last` go to the oldest generation. */
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

void pm_tracemalloc_end_run(PmVM *vm)
{
    pm_tracemalloc_stop(vm);
    if (vm->modules == NULL) return;
    static const char *const names[] = {"tracemalloc", "_tracemalloc"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (PmDict_GetItemString_Borrow(vm, vm->modules, names[i]) == NULL) {
            PmErr_Clear(vm);
            continue;
        }
        PmObject *key = PmStr_FromString(vm, names[i]);
        if (key == NULL || PmDict_DelItem(vm, vm->modules, key) < 0) PmErr_Clear(vm);
        Pm_XDECREF(vm, key);
    }
}

PmObject *pm_tracemallocmodule_init(PmVM *vm)
{
    int count0 = vm->gc.gen[0].count, enabled = vm->gc.enabled;
    PmGCHead *young = &vm->gc.gen[0].head;
    PmObject *last = young->gc_prev == young ? NULL : Pm_NewRef(Pm_FROM_GC(young->gc_prev));
    vm->gc.enabled = 0;
    PmObject *m = tracemallocmodule_create(vm);
    if (m && prime_free_lists(vm) < 0) Pm_CLEAR(vm, m);
    vm->gc.enabled = enabled;
    if (m && (last == NULL || (pm_gc_is_tracked(last) && Pm_AS_GC(last)->gen == 0)))
        settle_import_objects(vm, last ? Pm_AS_GC(last) : young);
    vm->gc.gen[0].count = count0;
    pm_eval_break(vm);
    Pm_XDECREF(vm, last);
    return m;
}
