/*
 * strmethods.c -- the methods of str, following CPython 3.11's unicodeobject.c and
 * stringlib: same results, same error messages, and the same object identities (which
 * results are the receiver itself, which are the shared singletons, which are new).
 *
 * The method table pm_str_methods is used by PmStr_Template in str.c; format, format_map
 * and __format__ live in strformat.c.
 */
#include "pm.h"

#define STR(o) ((PmStr *)(o))
#define LEN(o) (STR(o)->length)
#define READ(o, i) PmStr_READ((o), (i))

/* ====================================================================== argument helpers */

/* CPython's _PyArg_UnpackKeywords for methods with keyword parameters: out[] gets borrowed
 * references (NULL when not given). */
int pm_str_parse_args(PmVM *vm, const char *fname, PmObject *const *args, size_t nargs,
                      PmObject *kwnames, const char *const *names, int n, PmObject **out)
{
    size_t nkw = kwnames ? (size_t)PmTuple_GET_SIZE(kwnames) : 0;
    if (nargs + nkw > (size_t)n) {
        PmErr_Format(vm, PME(vm, TypeError), "%s() takes at most %d argument%s (%zd given)",
                     fname, n, n == 1 ? "" : "s", (Pm_ssize_t)(nargs + nkw));
        return -1;
    }
    for (size_t i = 0; i < nargs; i++) out[i] = args[i];
    for (size_t k = 0; k < nkw; k++) {
        PmObject *key = PmTuple_GET_ITEM(kwnames, k);
        int j = 0;
        while (j < n && !PmStr_EqualToASCII(key, names[j])) j++;
        if (j == n) {
            PmErr_Format(vm, PME(vm, TypeError), "'%U' is an invalid keyword argument for %s()",
                         key, fname);
            return -1;
        }
        if ((size_t)j < nargs) {
            PmErr_Format(vm, PME(vm, TypeError),
                         "argument for %s() given by name ('%s') and position (%d)",
                         fname, names[j], j + 1);
            return -1;
        }
        out[j] = args[nargs + k];
    }
    return 0;
}

/* PyArg_ParseTuple's count check for "O|OO:name" style methods. */
static int check_tuple_args(PmVM *vm, const char *fname, size_t nargs, int min, int max)
{
    if ((int)nargs >= min && (int)nargs <= max) return 0;
    bool few = (int)nargs < min;
    int lim = few ? min : max;
    PmErr_Format(vm, PME(vm, TypeError), "%s() takes %s %d argument%s (%zd given)", fname,
                 min == max ? "exactly" : few ? "at least" : "at most", lim, lim == 1 ? "" : "s",
                 (Pm_ssize_t)nargs);
    return -1;
}

/* Argument Clinic's Py_ssize_t conversion: __index__, then OverflowError if too big. */
static int as_ssize(PmVM *vm, PmObject *o, Pm_ssize_t *out)
{
    PmObject *i = PmNumber_Index(vm, o);
    if (i == NULL) return -1;
    *out = PmLong_AsSsize_t(vm, i);
    Pm_DECREF(vm, i);
    return *out == -1 && PmErr_Occurred(vm) ? -1 : 0;
}

/* _PyArg_BadArgument: "NAME() argument N must be str, not T". */
static int need_str(PmVM *vm, const char *fname, const char *which, PmObject *o)
{
    if (PmStr_Check(o)) return 0;
    PmErr_Format(vm, PME(vm, TypeError), "%s() %s must be str, not %.50s", fname, which,
                 Pm_TYPE(o)->tp_name);
    return -1;
}

/* ensure_unicode: "must be str, not T". */
static int ensure_str(PmVM *vm, PmObject *o)
{
    if (PmStr_Check(o)) return 0;
    PmErr_Format(vm, PME(vm, TypeError), "must be str, not %.100s", Pm_TYPE(o)->tp_name);
    return -1;
}

/* ADJUST_INDICES */
static void adjust_indices(Pm_ssize_t *start, Pm_ssize_t *end, Pm_ssize_t len)
{
    if (*end > len) *end = len;
    else if (*end < 0) { *end += len; if (*end < 0) *end = 0; }
    if (*start < 0) { *start += len; if (*start < 0) *start = 0; }
}

/* stringlib_parse_args_finds: (sub[, start[, end]]) with None allowed for the bounds. */
static int parse_finds(PmVM *vm, const char *fname, PmObject *const *args, size_t nargs,
                       PmObject **sub, Pm_ssize_t *start, Pm_ssize_t *end)
{
    if (check_tuple_args(vm, fname, nargs, 1, 3) < 0) return -1;
    *sub = args[0];
    *start = 0;
    *end = PM_SSIZE_MAX;
    if (nargs > 1 && PmSlice_Index(vm, args[1], start) < 0) return -1;
    if (nargs > 2 && PmSlice_Index(vm, args[2], end) < 0) return -1;
    return 0;
}

/* A list presized like stringlib's split (PREALLOC_SIZE), filled by split_add. */
enum { MAX_PREALLOC = 12 };

typedef struct SplitList {
    PmObject *list;
    Pm_ssize_t count;
} SplitList;

static int split_init(PmVM *vm, SplitList *sl, Pm_ssize_t maxcount)
{
    sl->count = 0;
    sl->list = PmList_New(vm, maxcount >= MAX_PREALLOC ? MAX_PREALLOC : maxcount + 1);
    if (sl->list) Pm_SIZE(sl->list) = 0;
    return sl->list ? 0 : -1;
}

/* SPLIT_ADD with an item: steals `sub`. */
static int split_add_obj(PmVM *vm, SplitList *sl, PmObject *sub)
{
    if (sub == NULL) return -1;
    if (sl->count < MAX_PREALLOC) {
        PmList_SET_ITEM(sl->list, sl->count, sub);
        Pm_SIZE(sl->list) = sl->count + 1;
    } else {
        int r = PmList_Append(vm, sl->list, sub);
        Pm_DECREF(vm, sub);
        if (r < 0) return -1;
    }
    sl->count++;
    return 0;
}

static int split_add(PmVM *vm, SplitList *sl, PmObject *s, Pm_ssize_t i, Pm_ssize_t j)
{
    return split_add_obj(vm, sl, pm_str_new_sub(vm, s, i, j));
}

static PmObject *split_done(PmVM *vm, SplitList *sl, int ok, bool reverse)
{
    if (ok < 0 || (reverse && PmList_Reverse(vm, sl->list) < 0)) {
        Pm_DECREF(vm, sl->list);
        return NULL;
    }
    return sl->list;
}

/* STRINGLIB_NEW(data + i, j - i): a new substring (singletons for lengths 0 and 1). */
PmObject *pm_str_new_sub(PmVM *vm, PmObject *s, Pm_ssize_t i, Pm_ssize_t j)
{
    int kind = STR(s)->kind;
    const char *d = (const char *)PmStr_DATA(s) + (size_t)i * kind;
    if (STR(s)->ascii) return PmStr_FromASCII(vm, d, j - i);
    return PmStr_FromKindAndData(vm, kind, d, j - i);
}

static bool isspace_cp(uint32_t c) { return pm_unicode_isspace(c); }

/* ====================================================================== split family */

static PmObject *split_whitespace(PmVM *vm, PmObject *s, Pm_ssize_t maxcount)
{
    SplitList sl;
    if (split_init(vm, &sl, maxcount) < 0) return NULL;
    Pm_ssize_t n = LEN(s), i = 0, j = 0;
    int ok = 0;
    while (ok == 0 && maxcount-- > 0) {
        while (i < n && isspace_cp(READ(s, i))) i++;
        if (i == n) break;
        j = i++;
        while (i < n && !isspace_cp(READ(s, i))) i++;
        if (j == 0 && i == n && Pm_IS_TYPE(vm, s, STR)) {
            ok = split_add_obj(vm, &sl, Pm_NewRef(s));
            break;
        }
        ok = split_add(vm, &sl, s, j, i);
    }
    if (ok == 0 && i < n) {
        while (i < n && isspace_cp(READ(s, i))) i++;
        if (i != n) ok = split_add(vm, &sl, s, i, n);
    }
    return split_done(vm, &sl, ok, false);
}

static PmObject *rsplit_whitespace(PmVM *vm, PmObject *s, Pm_ssize_t maxcount)
{
    SplitList sl;
    if (split_init(vm, &sl, maxcount) < 0) return NULL;
    Pm_ssize_t n = LEN(s), i = n - 1, j = n - 1;
    int ok = 0;
    while (ok == 0 && maxcount-- > 0) {
        while (i >= 0 && isspace_cp(READ(s, i))) i--;
        if (i < 0) break;
        j = i--;
        while (i >= 0 && !isspace_cp(READ(s, i))) i--;
        if (j == n - 1 && i < 0 && Pm_IS_TYPE(vm, s, STR)) {
            ok = split_add_obj(vm, &sl, Pm_NewRef(s));
            break;
        }
        ok = split_add(vm, &sl, s, i + 1, j + 1);
    }
    if (ok == 0 && i >= 0) {
        while (i >= 0 && isspace_cp(READ(s, i))) i--;
        if (i >= 0) ok = split_add(vm, &sl, s, 0, i + 1);
    }
    return split_done(vm, &sl, ok, true);
}

/* split by a separator (split_char and split are the same loop here). */
static PmObject *split_sep(PmVM *vm, PmObject *s, PmObject *sep, Pm_ssize_t maxcount)
{
    Pm_ssize_t n = LEN(s), m = LEN(sep), i = 0;
    SplitList sl;
    if (split_init(vm, &sl, maxcount) < 0) return NULL;
    int ok = 0;
    while (ok == 0 && maxcount-- > 0) {
        Pm_ssize_t pos = pm_str_find(s, sep, i, n, 1);
        if (pos < 0) break;
        ok = split_add(vm, &sl, s, i, pos);
        i = pos + m;
    }
    if (ok == 0) {
        if (sl.count == 0 && Pm_IS_TYPE(vm, s, STR)) ok = split_add_obj(vm, &sl, Pm_NewRef(s));
        else ok = split_add(vm, &sl, s, i, n);
    }
    return split_done(vm, &sl, ok, false);
}

static PmObject *rsplit_sep(PmVM *vm, PmObject *s, PmObject *sep, Pm_ssize_t maxcount)
{
    Pm_ssize_t m = LEN(sep), j = LEN(s);
    SplitList sl;
    if (split_init(vm, &sl, maxcount) < 0) return NULL;
    int ok = 0;
    while (ok == 0 && maxcount-- > 0) {
        Pm_ssize_t pos = pm_str_find(s, sep, 0, j, -1);
        if (pos < 0) break;
        ok = split_add(vm, &sl, s, pos + m, j);
        j = pos;
    }
    if (ok == 0) {
        if (sl.count == 0 && Pm_IS_TYPE(vm, s, STR)) ok = split_add_obj(vm, &sl, Pm_NewRef(s));
        else ok = split_add(vm, &sl, s, 0, j);
    }
    return split_done(vm, &sl, ok, true);
}

static PmObject *do_split(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                          PmObject *kwnames, const char *fname, bool right)
{
    static const char *const names[] = {"sep", "maxsplit"};
    PmObject *a[2] = {NULL, NULL};
    Pm_ssize_t maxcount = -1;
    if (pm_str_parse_args(vm, fname, args, nargs, kwnames, names, 2, a) < 0) return NULL;
    PmObject *sep = a[0] && a[0] != Pm_None(vm) ? a[0] : NULL;
    if (sep && !PmStr_Check(sep))
        return PmErr_Format(vm, PME(vm, TypeError), "must be str or None, not %.50s",
                            Pm_TYPE(sep)->tp_name);
    if (a[1] && as_ssize(vm, a[1], &maxcount) < 0) return NULL;
    if (maxcount < 0) maxcount = PM_SSIZE_MAX;
    if (sep == NULL) return right ? rsplit_whitespace(vm, self, maxcount)
                                  : split_whitespace(vm, self, maxcount);
    if (STR(self)->kind < STR(sep)->kind || LEN(self) < LEN(sep)) {
        PmObject *out = PmList_New(vm, 1);
        if (out) PmList_SET_ITEM(out, 0, Pm_NewRef(self));
        return out;
    }
    if (LEN(sep) == 0) {
        PmErr_SetString(vm, PME(vm, ValueError), "empty separator");
        return NULL;
    }
    return right ? rsplit_sep(vm, self, sep, maxcount) : split_sep(vm, self, sep, maxcount);
}

static PmObject *str_split(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    return do_split(vm, self, args, nargs, kwnames, "split", false);
}

static PmObject *str_rsplit(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    return do_split(vm, self, args, nargs, kwnames, "rsplit", true);
}

static PmObject *str_splitlines(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                PmObject *kwnames)
{
    static const char *const names[] = {"keepends"};
    PmObject *a[1] = {NULL};
    Pm_ssize_t keepends = 0;
    if (pm_str_parse_args(vm, "splitlines", args, nargs, kwnames, names, 1, a) < 0) return NULL;
    if (a[0] && as_ssize(vm, a[0], &keepends) < 0) return NULL;
    PmObject *list = PmList_New(vm, 0);
    if (list == NULL) return NULL;
    Pm_ssize_t n = LEN(self), i = 0, j = 0;
    while (i < n) {
        while (i < n && !pm_unicode_islinebreak(READ(self, i))) i++;
        Pm_ssize_t eol = i;
        if (i < n) {
            i += READ(self, i) == '\r' && i + 1 < n && READ(self, i + 1) == '\n' ? 2 : 1;
            if (keepends) eol = i;
        }
        PmObject *sub = j == 0 && eol == n && Pm_IS_TYPE(vm, self, STR)
                      ? Pm_NewRef(self) : pm_str_new_sub(vm, self, j, eol);
        int r = sub ? PmList_Append(vm, list, sub) : -1;
        Pm_XDECREF(vm, sub);
        if (r < 0) { Pm_DECREF(vm, list); return NULL; }
        if (j == 0 && eol == n) break;
        j = i;
    }
    return list;
}

/* PySequence_Fast: a list or tuple holding the items of `o` (new reference). */
static PmObject *sequence_fast(PmVM *vm, PmObject *o, const char *msg)
{
    if (PmList_Check(o) || PmTuple_Check(o)) return Pm_NewRef(o);
    PmObject *it = PmObject_GetIter(vm, o);
    if (it == NULL) {
        if (PmErr_ExceptionMatches(vm, PME(vm, TypeError))) PmErr_SetString(vm, PME(vm, TypeError), msg);
        return NULL;
    }
    PmObject *list = PmList_New(vm, 0);
    if (list && PmList_Extend(vm, list, it) < 0) Pm_CLEAR(vm, list);
    Pm_DECREF(vm, it);
    return list;
}

/* _PyUnicode_JoinArray. */
PmObject *pm_str_join_array(PmVM *vm, PmObject *sep, PmObject *const *items, Pm_ssize_t n)
{
    if (n == 0) return Pm_NewRef(vm->empty_str);
    if (n == 1 && Pm_IS_TYPE(vm, items[0], STR)) return Pm_NewRef(items[0]);
    Pm_ssize_t seplen = n == 1 ? 0 : LEN(sep), size = 0;
    uint32_t maxchar = n == 1 ? 0 : pm_str_max_char_value(sep);
    for (Pm_ssize_t i = 0; i < n; i++) {
        PmObject *item = items[i];
        if (!PmStr_Check(item))
            return PmErr_Format(vm, PME(vm, TypeError),
                                "sequence item %zd: expected str instance, %.80s found", i,
                                Pm_TYPE(item)->tp_name);
        Pm_ssize_t add = LEN(item) + (i ? seplen : 0);
        if (add > PM_SSIZE_MAX - size)
            return PmErr_Format(vm, PME(vm, OverflowError),
                                "join() result is too long for a Python string");
        size += add;
        uint32_t m = pm_str_max_char_value(item);
        if (m > maxchar) maxchar = m;
    }
    PmObject *r = PmStr_New(vm, size, maxchar);
    if (r == NULL || size == 0) return r;
    int kind = STR(r)->kind;
    void *d = PmStr_DATA(r);
    Pm_ssize_t o = 0;
    for (Pm_ssize_t i = 0; i < n; i++) {
        if (i && seplen) {
            pm_str_copy_chars(kind, d, o, STR(sep)->kind, PmStr_DATA(sep), 0, seplen);
            o += seplen;
        }
        pm_str_copy_chars(kind, d, o, STR(items[i])->kind, PmStr_DATA(items[i]), 0, LEN(items[i]));
        o += LEN(items[i]);
    }
    return r;
}

PmObject *PmStr_Join(PmVM *vm, PmObject *sep, PmObject *iterable)
{
    PmObject *seq = sequence_fast(vm, iterable, "can only join an iterable");
    if (seq == NULL) return NULL;
    PmObject *const *items = PmList_Check(seq) ? ((PmList *)seq)->ob_item : ((PmTuple *)seq)->ob_item;
    PmObject *r = pm_str_join_array(vm, sep, items, Pm_SIZE(seq));
    Pm_DECREF(vm, seq);
    return r;
}

static PmObject *str_join(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                          PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    return PmStr_Join(vm, self, args[0]);
}

/* ====================================================================== strip family */

enum { LEFTSTRIP, RIGHTSTRIP, BOTHSTRIP };
static const char *const strip_names[] = {"lstrip", "rstrip", "strip"};

static bool in_chars(PmObject *chars, uint32_t c)
{
    for (Pm_ssize_t k = 0; k < LEN(chars); k++)
        if (READ(chars, k) == c) return true;
    return false;
}

static PmObject *do_strip(PmVM *vm, PmObject *self, PmObject *chars, int type)
{
    Pm_ssize_t n = LEN(self), i = 0, j = n;
    if (type != RIGHTSTRIP)
        while (i < n && (chars ? in_chars(chars, READ(self, i)) : isspace_cp(READ(self, i)))) i++;
    if (type != LEFTSTRIP) {
        j--;
        while (j >= i && (chars ? in_chars(chars, READ(self, j)) : isspace_cp(READ(self, j)))) j--;
        j++;
    }
    return PmStr_Substring(vm, self, i, j);
}

static PmObject *strip_method(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              int type)
{
    if (pm_check_positional(vm, strip_names[type], nargs, 0, 1) < 0) return NULL;
    PmObject *chars = nargs ? args[0] : NULL;
    if (chars == Pm_None(vm)) chars = NULL;
    if (chars && !PmStr_Check(chars))
        return PmErr_Format(vm, PME(vm, TypeError), "%s arg must be None or str", strip_names[type]);
    return do_strip(vm, self, chars, type);
}

static PmObject *str_strip(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    (void)kwnames;
    return strip_method(vm, self, args, nargs, BOTHSTRIP);
}

static PmObject *str_lstrip(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    (void)kwnames;
    return strip_method(vm, self, args, nargs, LEFTSTRIP);
}

static PmObject *str_rstrip(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    (void)kwnames;
    return strip_method(vm, self, args, nargs, RIGHTSTRIP);
}

/* ====================================================================== searching */

static PmObject *find_method(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             const char *fname, int dir, bool raise)
{
    PmObject *sub;
    Pm_ssize_t start, end;
    if (parse_finds(vm, fname, args, nargs, &sub, &start, &end) < 0) return NULL;
    if (ensure_str(vm, sub) < 0) return NULL;
    adjust_indices(&start, &end, LEN(self));
    Pm_ssize_t r = end - start < LEN(sub) ? -1 : pm_str_find(self, sub, start, end, dir);
    if (r < 0 && raise) {
        PmErr_SetString(vm, PME(vm, ValueError), "substring not found");
        return NULL;
    }
    return PmLong_FromSsize_t(vm, r);
}

static PmObject *str_find(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                          PmObject *kwnames)
{
    (void)kwnames;
    return find_method(vm, self, args, nargs, "find", 1, false);
}

static PmObject *str_rfind(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    (void)kwnames;
    return find_method(vm, self, args, nargs, "rfind", -1, false);
}

static PmObject *str_index(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    (void)kwnames;
    return find_method(vm, self, args, nargs, "index", 1, true);
}

static PmObject *str_rindex(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    (void)kwnames;
    return find_method(vm, self, args, nargs, "rindex", -1, true);
}

static PmObject *str_count(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    (void)kwnames;
    PmObject *sub;
    Pm_ssize_t start, end;
    if (parse_finds(vm, "count", args, nargs, &sub, &start, &end) < 0) return NULL;
    if (ensure_str(vm, sub) < 0) return NULL;
    adjust_indices(&start, &end, LEN(self));
    Pm_ssize_t r = 0;
    if (end - start >= LEN(sub) && STR(sub)->kind <= STR(self)->kind)
        r = pm_str_count(self, sub, start, end, PM_SSIZE_MAX);
    return PmLong_FromSsize_t(vm, r);
}

/* tailmatch: does s[start:end] start (dir < 0) or end (dir > 0) with sub? */
static bool tailmatch(PmObject *s, PmObject *sub, Pm_ssize_t start, Pm_ssize_t end, int dir)
{
    adjust_indices(&start, &end, LEN(s));
    end -= LEN(sub);
    if (end < start) return false;
    Pm_ssize_t m = LEN(sub), at = dir < 0 ? start : end;
    for (Pm_ssize_t k = 0; k < m; k++)
        if (READ(s, at + k) != READ(sub, k)) return false;
    return true;
}

static PmObject *xswith(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                        const char *fname, int dir)
{
    PmObject *sub;
    Pm_ssize_t start, end;
    if (parse_finds(vm, fname, args, nargs, &sub, &start, &end) < 0) return NULL;
    if (PmTuple_Check(sub)) {
        for (Pm_ssize_t i = 0; i < PmTuple_GET_SIZE(sub); i++) {
            PmObject *t = PmTuple_GET_ITEM(sub, i);
            if (!PmStr_Check(t))
                return PmErr_Format(vm, PME(vm, TypeError),
                                    "tuple for %s must only contain str, not %.100s", fname,
                                    Pm_TYPE(t)->tp_name);
            if (tailmatch(self, t, start, end, dir)) return Pm_Bool(vm, true);
        }
        return Pm_Bool(vm, false);
    }
    if (!PmStr_Check(sub))
        return PmErr_Format(vm, PME(vm, TypeError),
                            "%s first arg must be str or a tuple of str, not %.100s", fname,
                            Pm_TYPE(sub)->tp_name);
    return Pm_Bool(vm, tailmatch(self, sub, start, end, dir));
}

static PmObject *str_startswith(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                PmObject *kwnames)
{
    (void)kwnames;
    return xswith(vm, self, args, nargs, "startswith", -1);
}

static PmObject *str_endswith(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    (void)kwnames;
    return xswith(vm, self, args, nargs, "endswith", 1);
}

static PmObject *str_removeprefix(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                  PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    if (need_str(vm, "removeprefix", "argument", args[0]) < 0) return NULL;
    if (tailmatch(self, args[0], 0, PM_SSIZE_MAX, -1))
        return PmStr_Substring(vm, self, LEN(args[0]), LEN(self));
    return pm_str_unchanged(vm, self);
}

static PmObject *str_removesuffix(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                  PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    if (need_str(vm, "removesuffix", "argument", args[0]) < 0) return NULL;
    if (LEN(args[0]) && tailmatch(self, args[0], 0, PM_SSIZE_MAX, 1))
        return PmStr_Substring(vm, self, 0, LEN(self) - LEN(args[0]));
    return pm_str_unchanged(vm, self);
}

/* ====================================================================== partition */

static PmObject *partition(PmVM *vm, PmObject *self, PmObject *sep, bool right)
{
    if (ensure_str(vm, sep) < 0) return NULL;
    PmObject *empty = vm->empty_str;
    if (STR(self)->kind < STR(sep)->kind || LEN(self) < LEN(sep))
        return right ? PmTuple_Pack(vm, 3, empty, empty, self) : PmTuple_Pack(vm, 3, self, empty, empty);
    if (LEN(sep) == 0) {
        PmErr_SetString(vm, PME(vm, ValueError), "empty separator");
        return NULL;
    }
    Pm_ssize_t pos = pm_str_find(self, sep, 0, LEN(self), right ? -1 : 1);
    if (pos < 0)
        return right ? PmTuple_Pack(vm, 3, empty, empty, self) : PmTuple_Pack(vm, 3, self, empty, empty);
    PmObject *out = PmTuple_New(vm, 3);
    if (out == NULL) return NULL;
    PmObject *a = pm_str_new_sub(vm, self, 0, pos);
    PmObject *c = a ? pm_str_new_sub(vm, self, pos + LEN(sep), LEN(self)) : NULL;
    if (c == NULL) {
        Pm_XDECREF(vm, a);
        Pm_DECREF(vm, out);
        return NULL;
    }
    PmTuple_SET_ITEM(out, 0, a);
    PmTuple_SET_ITEM(out, 1, Pm_NewRef(sep));
    PmTuple_SET_ITEM(out, 2, c);
    return out;
}

static PmObject *str_partition(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    return partition(vm, self, args[0], false);
}

static PmObject *str_rpartition(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    return partition(vm, self, args[0], true);
}

/* ====================================================================== replace */

/* unicode_adjust_maxchar: narrow a result whose widest characters were replaced. */
static PmObject *adjust_maxchar(PmVM *vm, PmObject *u)
{
    if (STR(u)->ascii) return u;
    uint32_t m = pm_str_find_max_char(u, 0, LEN(u));
    int lim = STR(u)->kind == 1 ? 128 : STR(u)->kind == 2 ? 256 : 65536;
    if (m >= (uint32_t)lim) return u;
    PmObject *c = PmStr_New(vm, LEN(u), m);
    if (c) pm_str_copy_chars(STR(c)->kind, PmStr_DATA(c), 0, STR(u)->kind, PmStr_DATA(u), 0, LEN(u));
    Pm_DECREF(vm, u);
    return c;
}

static PmObject *replace(PmVM *vm, PmObject *self, PmObject *s1, PmObject *s2, Pm_ssize_t maxcount)
{
    Pm_ssize_t slen = LEN(self), len1 = LEN(s1), len2 = LEN(s2);
    if (slen < len1 || maxcount == 0 || s1 == s2) return pm_str_unchanged(vm, self);
    if (maxcount < 0) maxcount = PM_SSIZE_MAX;
    uint32_t maxchar = pm_str_max_char_value(self), m1 = pm_str_max_char_value(s1);
    uint32_t m2 = pm_str_max_char_value(s2);
    if (maxchar < m1) return pm_str_unchanged(vm, self);
    bool mayshrink = m2 < m1 && maxchar == m1;
    if (m2 > maxchar) maxchar = m2;
    if (len1 == len2 && len1 == 0) return pm_str_unchanged(vm, self);
    Pm_ssize_t n = pm_str_count(self, s1, 0, slen, maxcount);
    if (n == 0) return pm_str_unchanged(vm, self);
    if (len1 < len2 && len2 - len1 > (PM_SSIZE_MAX - slen) / n)
        return PmErr_Format(vm, PME(vm, OverflowError), "replace string is too long");
    Pm_ssize_t size = slen + n * (len2 - len1);
    PmObject *u = PmStr_New(vm, size, maxchar);
    if (u == NULL || size == 0) return u;
    int k = STR(u)->kind;
    void *d = PmStr_DATA(u);
    Pm_ssize_t i = 0, o = 0;
    for (Pm_ssize_t done = 0; done < n; done++) {
        Pm_ssize_t j = len1 ? pm_str_find(self, s1, i, slen, 1) : i;
        pm_str_copy_chars(k, d, o, STR(self)->kind, PmStr_DATA(self), i, j - i);
        o += j - i;
        pm_str_copy_chars(k, d, o, STR(s2)->kind, PmStr_DATA(s2), 0, len2);
        o += len2;
        i = j + len1;
        if (len1 == 0 && done + 1 < n && i < slen) {   /* interleave: one char between */
            pm_str_copy_chars(k, d, o++, STR(self)->kind, PmStr_DATA(self), i, 1);
            i++;
        }
    }
    pm_str_copy_chars(k, d, o, STR(self)->kind, PmStr_DATA(self), i, slen - i);
    return mayshrink ? adjust_maxchar(vm, u) : u;
}

static PmObject *str_replace(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)kwnames;
    Pm_ssize_t count = -1;
    if (pm_check_positional(vm, "replace", nargs, 2, 3) < 0) return NULL;
    if (need_str(vm, "replace", "argument 1", args[0]) < 0) return NULL;
    if (need_str(vm, "replace", "argument 2", args[1]) < 0) return NULL;
    if (nargs > 2 && as_ssize(vm, args[2], &count) < 0) return NULL;
    return replace(vm, self, args[0], args[1], count);
}

/* ====================================================================== case mapping */

/* ascii_upper_or_lower: always a new string (no singleton normalisation), like CPython. */
static PmObject *ascii_case(PmVM *vm, PmObject *self, bool lower)
{
    Pm_ssize_t n = LEN(self);
    PmObject *r = PmStr_New(vm, n, 127);
    if (r == NULL) return NULL;
    const uint8_t *s = PmStr_DATA(self);
    uint8_t *d = PmStr_DATA(r);
    for (Pm_ssize_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        if (lower && c >= 'A' && c <= 'Z') c += 32;
        else if (!lower && c >= 'a' && c <= 'z') c -= 32;
        d[i] = c;
    }
    return r;
}

/* handle_capital_sigma: final sigma rule of str.lower(). */
static uint32_t capital_sigma(PmObject *s, Pm_ssize_t i)
{
    Pm_ssize_t j, n = LEN(s);
    uint32_t c = 0;
    for (j = i - 1; j >= 0; j--) {
        c = READ(s, j);
        if (!pm_unicode_iscaseignorable(c)) break;
    }
    bool final = j >= 0 && pm_unicode_iscased(c);
    if (final && i + 1 < n) {
        for (j = i + 1; j < n; j++) {
            c = READ(s, j);
            if (!pm_unicode_iscaseignorable(c)) break;
        }
        final = j == n || !pm_unicode_iscased(c);
    }
    return final ? 0x3c2 : 0x3c3;
}

static int lower_cp(PmObject *s, Pm_ssize_t i, uint32_t c, uint32_t *mapped)
{
    if (c == 0x3a3) {
        mapped[0] = capital_sigma(s, i);
        return 1;
    }
    return pm_unicode_lower_full(c, mapped);
}

enum { CASE_LOWER, CASE_UPPER, CASE_FOLD, CASE_TITLE, CASE_CAPITALIZE, CASE_SWAP };

static int map_one(PmObject *s, Pm_ssize_t i, int op, bool *prev_cased, uint32_t *mapped)
{
    uint32_t c = READ(s, i);
    switch (op) {
    case CASE_LOWER: return lower_cp(s, i, c, mapped);
    case CASE_UPPER: return pm_unicode_upper_full(c, mapped);
    case CASE_FOLD: return pm_unicode_fold_full(c, mapped);
    case CASE_CAPITALIZE:
        return i == 0 ? pm_unicode_title_full(c, mapped) : lower_cp(s, i, c, mapped);
    case CASE_TITLE: {
        int n = *prev_cased ? lower_cp(s, i, c, mapped) : pm_unicode_title_full(c, mapped);
        *prev_cased = pm_unicode_iscased(c);
        return n;
    }
    default:
        if (pm_unicode_isupper(c)) return lower_cp(s, i, c, mapped);
        if (pm_unicode_islower(c)) return pm_unicode_upper_full(c, mapped);
        mapped[0] = c;
        return 1;
    }
}

/* case_operation: maps into a temporary UCS-4 buffer of 3 * len code points (allocated like
 * CPython's PyMem_Malloc), then copies into a new string of the right kind. */
static PmObject *case_operation(PmVM *vm, PmObject *self, int op)
{
    Pm_ssize_t n = LEN(self), k = 0;
    if (n > PM_SSIZE_MAX / 12) {
        PmErr_SetString(vm, PME(vm, OverflowError), "string is too long");
        return NULL;
    }
    if ((uint64_t)n > SIZE_MAX / 12) return PmErr_NoMemory(vm);   /* wasm32 */
    uint32_t *tmp = pm_mem_alloc(vm, 12 * (size_t)n, 12 * (size_t)n), maxchar = 0;
    if (tmp == NULL) return NULL;
    bool prev_cased = false;
    for (Pm_ssize_t i = 0; i < n; i++) {
        uint32_t mapped[3];
        int m = map_one(self, i, op, &prev_cased, mapped);
        for (int j = 0; j < m; j++) {
            if (mapped[j] > maxchar) maxchar = mapped[j];
            tmp[k++] = mapped[j];
        }
    }
    PmObject *r = PmStr_New(vm, k, maxchar);
    if (r) pm_str_copy_chars(STR(r)->kind, PmStr_DATA(r), 0, 4, tmp, 0, k);
    pm_mem_free(vm, tmp);
    return r;
}

#define CASE_METHOD(fn, op, ascii_fast)                                                     \
    static PmObject *fn(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,      \
                        PmObject *kwnames)                                                  \
    {                                                                                       \
        (void)args; (void)nargs; (void)kwnames;                                             \
        if ((ascii_fast) && STR(self)->ascii) return ascii_case(vm, self, op != CASE_UPPER); \
        return case_operation(vm, self, op);                                                \
    }
CASE_METHOD(str_lower, CASE_LOWER, true)
CASE_METHOD(str_upper, CASE_UPPER, true)
CASE_METHOD(str_casefold, CASE_FOLD, true)
CASE_METHOD(str_title, CASE_TITLE, false)
CASE_METHOD(str_swapcase, CASE_SWAP, false)
#undef CASE_METHOD

static PmObject *str_capitalize(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    if (LEN(self) == 0) return pm_str_unchanged(vm, self);
    return case_operation(vm, self, CASE_CAPITALIZE);
}

/* ====================================================================== predicates */

typedef bool (*cp_pred)(uint32_t);

static bool isalnum_cp(uint32_t c)
{
    return pm_unicode_isalpha(c) || pm_unicode_isdecimal(c) || pm_unicode_isdigit(c)
        || pm_unicode_isnumeric(c);
}

static PmObject *all_chars(PmVM *vm, PmObject *self, cp_pred pred)
{
    Pm_ssize_t n = LEN(self);
    if (n == 0) return Pm_Bool(vm, false);
    for (Pm_ssize_t i = 0; i < n; i++)
        if (!pred(READ(self, i))) return Pm_Bool(vm, false);
    return Pm_Bool(vm, true);
}

#define PRED_METHOD(fn, pred)                                                          \
    static PmObject *fn(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs, \
                        PmObject *kwnames)                                             \
    {                                                                                  \
        (void)args; (void)nargs; (void)kwnames;                                        \
        return all_chars(vm, self, pred);                                              \
    }
PRED_METHOD(str_isspace, pm_unicode_isspace)
PRED_METHOD(str_isalpha, pm_unicode_isalpha)
PRED_METHOD(str_isalnum, isalnum_cp)
PRED_METHOD(str_isdecimal, pm_unicode_isdecimal)
PRED_METHOD(str_isdigit, pm_unicode_isdigit)
PRED_METHOD(str_isnumeric, pm_unicode_isnumeric)
#undef PRED_METHOD

/* islower / isupper: no character of the other case (or titlecase), at least one cased. */
static PmObject *case_pred(PmVM *vm, PmObject *self, cp_pred want, cp_pred other)
{
    bool cased = false;
    for (Pm_ssize_t i = 0; i < LEN(self); i++) {
        uint32_t c = READ(self, i);
        if (other(c) || pm_unicode_istitle(c)) return Pm_Bool(vm, false);
        if (want(c)) cased = true;
    }
    return Pm_Bool(vm, cased);
}

static PmObject *str_islower(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    return case_pred(vm, self, pm_unicode_islower, pm_unicode_isupper);
}

static PmObject *str_isupper(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    return case_pred(vm, self, pm_unicode_isupper, pm_unicode_islower);
}

static PmObject *str_istitle(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    bool cased = false, prev = false;
    for (Pm_ssize_t i = 0; i < LEN(self); i++) {
        uint32_t c = READ(self, i);
        if (pm_unicode_isupper(c) || pm_unicode_istitle(c)) {
            if (prev) return Pm_Bool(vm, false);
            prev = cased = true;
        } else if (pm_unicode_islower(c)) {
            if (!prev) return Pm_Bool(vm, false);
            prev = cased = true;
        } else {
            prev = false;
        }
    }
    return Pm_Bool(vm, cased);
}

static PmObject *str_isascii(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    return Pm_Bool(vm, STR(self)->ascii);
}

static PmObject *str_isprintable(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                 PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    for (Pm_ssize_t i = 0; i < LEN(self); i++)
        if (!pm_unicode_isprintable(READ(self, i))) return Pm_Bool(vm, false);
    return Pm_Bool(vm, true);
}

bool PmStr_IsIdentifier(PmObject *s)
{
    Pm_ssize_t n = LEN(s);
    if (n == 0) return false;
    uint32_t c = READ(s, 0);
    if (!pm_unicode_isxidstart(c) && c != '_') return false;
    for (Pm_ssize_t i = 1; i < n; i++)
        if (!pm_unicode_isxidcontinue(READ(s, i))) return false;
    return true;
}

static PmObject *str_isidentifier(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                  PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    return Pm_Bool(vm, PmStr_IsIdentifier(self));
}

/* ====================================================================== padding */

/* convert_uc: the fill character argument of center/ljust/rjust. */
static int fill_char(PmVM *vm, PmObject *const *args, size_t nargs, uint32_t *fill)
{
    *fill = ' ';
    if (nargs < 2) return 0;
    PmObject *f = args[1];
    if (!PmStr_Check(f)) {
        PmErr_Format(vm, PME(vm, TypeError), "The fill character must be a unicode character, not %.100s",
                     Pm_TYPE(f)->tp_name);
        return -1;
    }
    if (LEN(f) != 1) {
        PmErr_SetString(vm, PME(vm, TypeError), "The fill character must be exactly one character long");
        return -1;
    }
    *fill = READ(f, 0);
    return 0;
}

static PmObject *pad(PmVM *vm, PmObject *self, Pm_ssize_t left, Pm_ssize_t right, uint32_t fill)
{
    if (left < 0) left = 0;
    if (right < 0) right = 0;
    if (left == 0 && right == 0) return pm_str_unchanged(vm, self);
    Pm_ssize_t n = LEN(self);
    if (left > PM_SSIZE_MAX - n || right > PM_SSIZE_MAX - (left + n))
        return PmErr_Format(vm, PME(vm, OverflowError), "padded string is too long");
    uint32_t m = pm_str_max_char_value(self);
    PmObject *u = PmStr_New(vm, left + n + right, m > fill ? m : fill);
    if (u == NULL) return NULL;
    int k = STR(u)->kind;
    void *d = PmStr_DATA(u);
    for (Pm_ssize_t i = 0; i < left; i++) pm_str_copy_chars(k, d, i, 4, &fill, 0, 1);
    for (Pm_ssize_t i = 0; i < right; i++) pm_str_copy_chars(k, d, left + n + i, 4, &fill, 0, 1);
    pm_str_copy_chars(k, d, left, STR(self)->kind, PmStr_DATA(self), 0, n);
    return u;
}

enum { PAD_CENTER, PAD_LJUST, PAD_RJUST };
static const char *const pad_names[] = {"center", "ljust", "rjust"};

static PmObject *pad_method(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs, int how)
{
    Pm_ssize_t width;
    uint32_t fill;
    if (pm_check_positional(vm, pad_names[how], nargs, 1, 2) < 0) return NULL;
    if (as_ssize(vm, args[0], &width) < 0 || fill_char(vm, args, nargs, &fill) < 0) return NULL;
    Pm_ssize_t n = LEN(self);
    if (n >= width) return pm_str_unchanged(vm, self);
    Pm_ssize_t marg = width - n;
    if (how == PAD_LJUST) return pad(vm, self, 0, marg, fill);
    if (how == PAD_RJUST) return pad(vm, self, marg, 0, fill);
    Pm_ssize_t left = marg / 2 + (marg & width & 1);
    return pad(vm, self, left, marg - left, fill);
}

static PmObject *str_center(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    (void)kwnames;
    return pad_method(vm, self, args, nargs, PAD_CENTER);
}

static PmObject *str_ljust(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    (void)kwnames;
    return pad_method(vm, self, args, nargs, PAD_LJUST);
}

static PmObject *str_rjust(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    (void)kwnames;
    return pad_method(vm, self, args, nargs, PAD_RJUST);
}

static PmObject *str_zfill(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    Pm_ssize_t width;
    if (as_ssize(vm, args[0], &width) < 0) return NULL;
    if (LEN(self) >= width) return pm_str_unchanged(vm, self);
    Pm_ssize_t fill = width - LEN(self);
    PmObject *u = pad(vm, self, fill, 0, '0');
    if (u == NULL) return NULL;
    uint32_t c = READ(u, fill);
    if (c == '+' || c == '-') {
        uint32_t zero = '0';
        pm_str_copy_chars(STR(u)->kind, PmStr_DATA(u), 0, 4, &c, 0, 1);
        pm_str_copy_chars(STR(u)->kind, PmStr_DATA(u), fill, 4, &zero, 0, 1);
    }
    return u;
}

static PmObject *str_expandtabs(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                PmObject *kwnames)
{
    static const char *const names[] = {"tabsize"};
    PmObject *a[1] = {NULL};
    Pm_ssize_t n = LEN(self), j = 0, col = 0;
    int tabsize = 8;
    if (pm_str_parse_args(vm, "expandtabs", args, nargs, kwnames, names, 1, a) < 0) return NULL;
    if (a[0] && PmNumber_AsCInt(vm, a[0], &tabsize) < 0) return NULL;
    bool found = false;
    for (Pm_ssize_t i = 0; i < n; i++) {
        uint32_t c = READ(self, i);
        if (c == '\t') {
            found = true;
            if (tabsize > 0) {
                Pm_ssize_t incr = tabsize - col % tabsize;
                if (incr > PM_SSIZE_MAX - j)
                    return PmErr_Format(vm, PME(vm, OverflowError), "new string is too long");
                col += incr;
                j += incr;
            }
        } else {
            col++;
            j++;
            if (c == '\n' || c == '\r') col = 0;
        }
    }
    if (!found) return pm_str_unchanged(vm, self);
    PmObject *u = PmStr_New(vm, j, pm_str_max_char_value(self));
    if (u == NULL) return NULL;
    int k = STR(u)->kind;
    void *d = PmStr_DATA(u);
    Pm_ssize_t o = 0;
    col = 0;
    for (Pm_ssize_t i = 0; i < n; i++) {
        uint32_t c = READ(self, i), sp = ' ';
        if (c == '\t') {
            if (tabsize > 0) {
                Pm_ssize_t incr = tabsize - col % tabsize;
                col += incr;
                while (incr-- > 0) pm_str_copy_chars(k, d, o++, 4, &sp, 0, 1);
            }
        } else {
            col++;
            pm_str_copy_chars(k, d, o++, 4, &c, 0, 1);
            if (c == '\n' || c == '\r') col = 0;
        }
    }
    return pm_str_result(vm, u);
}

/* ====================================================================== translate */

/* One character through the table: 1 mapped (*out set), 0 unmapped, -1 error.
 * *out is a str, or None to delete. */
static int translate_lookup(PmVM *vm, PmObject *table, uint32_t c, PmObject **out)
{
    PmObject *key = PmLong_FromLongLong(vm, c);
    if (key == NULL) return -1;
    PmObject *v = PmObject_GetItem(vm, table, key);
    Pm_DECREF(vm, key);
    if (v == NULL) {
        if (!PmErr_ExceptionMatches(vm, PME(vm, LookupError))) return -1;
        PmErr_Clear(vm);
        return 0;
    }
    if (v == Pm_None(vm) || PmStr_Check(v)) { *out = v; return 1; }
    if (PmLong_Check(v)) {
        int overflow = 0;
        long long x = PmLong_AsLongLongAndOverflow(vm, v, &overflow);
        Pm_DECREF(vm, v);
        if (overflow || x < 0 || x > 0x10ffff) {
            PmErr_SetString(vm, PME(vm, ValueError), "character mapping must be in range(0x110000)");
            return -1;
        }
        *out = PmStr_FromChar(vm, (uint32_t)x);
        return *out ? 1 : -1;
    }
    Pm_DECREF(vm, v);
    PmErr_SetString(vm, PME(vm, TypeError), "character mapping must return integer, None or str");
    return -1;
}

static PmObject *str_translate(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    PmStrWriter w;
    PmStrWriter_Init(&w);
    w.overallocate = 1;
    w.min_length = LEN(self);
    for (Pm_ssize_t i = 0; i < LEN(self); i++) {
        uint32_t c = READ(self, i);
        PmObject *m = NULL;
        int r = translate_lookup(vm, args[0], c, &m);
        if (r == 0) r = PmStrWriter_WriteChar(vm, &w, c);
        else if (r > 0) {
            r = m == Pm_None(vm) ? 0 : PmStrWriter_WriteStr(vm, &w, m);
            Pm_DECREF(vm, m);
        }
        if (r < 0) { PmStrWriter_Dealloc(vm, &w); return NULL; }
    }
    return PmStrWriter_Finish(vm, &w);
}

static int maketrans_dict(PmVM *vm, PmObject *x, PmObject *out)
{
    if (!PmDict_Check(x)) {
        PmErr_SetString(vm, PME(vm, TypeError),
                        "if you give only one argument to maketrans it must be a dict");
        return -1;
    }
    Pm_ssize_t pos = 0;
    PmObject *k, *v;
    while (PmDict_Next(x, &pos, &k, &v)) {
        PmObject *key;
        if (PmStr_Check(k)) {
            if (LEN(k) != 1) {
                PmErr_SetString(vm, PME(vm, ValueError), "string keys in translate table must be of length 1");
                return -1;
            }
            key = PmLong_FromLongLong(vm, READ(k, 0));
        } else if (PmLong_Check(k)) {
            key = Pm_NewRef(k);
        } else {
            PmErr_SetString(vm, PME(vm, TypeError), "keys in translate table must be strings or integers");
            return -1;
        }
        int r = key ? PmDict_SetItem(vm, out, key, v) : -1;
        Pm_XDECREF(vm, key);
        if (r < 0) return -1;
    }
    return 0;
}

static int set_cp(PmVM *vm, PmObject *d, uint32_t k, PmObject *v)
{
    PmObject *key = PmLong_FromLongLong(vm, k);
    int r = key && v ? PmDict_SetItem(vm, d, key, v) : -1;
    Pm_XDECREF(vm, key);
    return r;
}

static int maketrans_strs(PmVM *vm, PmObject *x, PmObject *y, PmObject *z, PmObject *out)
{
    if (need_str(vm, "maketrans", "argument 2", y) < 0
        || (z && need_str(vm, "maketrans", "argument 3", z) < 0))
        return -1;
    if (!PmStr_Check(x)) {
        PmErr_SetString(vm, PME(vm, TypeError),
                        "first maketrans argument must be a string if there is a second argument");
        return -1;
    }
    if (LEN(x) != LEN(y)) {
        PmErr_SetString(vm, PME(vm, ValueError), "the first two maketrans arguments must have equal length");
        return -1;
    }
    for (Pm_ssize_t i = 0; i < LEN(x); i++) {
        PmObject *v = PmLong_FromLongLong(vm, READ(y, i));
        int r = set_cp(vm, out, READ(x, i), v);
        Pm_XDECREF(vm, v);
        if (r < 0) return -1;
    }
    for (Pm_ssize_t i = 0; z && i < LEN(z); i++)
        if (set_cp(vm, out, READ(z, i), Pm_None(vm)) < 0) return -1;
    return 0;
}

static PmObject *str_maketrans(PmVM *vm, PmObject *cls, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    (void)cls; (void)kwnames;
    if (pm_check_positional(vm, "maketrans", nargs, 1, 3) < 0) return NULL;
    PmObject *d = PmDict_New(vm);
    if (d == NULL) return NULL;
    int r = nargs == 1 ? maketrans_dict(vm, args[0], d)
                       : maketrans_strs(vm, args[0], args[1], nargs > 2 ? args[2] : NULL, d);
    if (r < 0) Pm_CLEAR(vm, d);
    return d;
}

/* ====================================================================== misc */

static PmObject *str_sizeof_method(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                   PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    return PmLong_FromSsize_t(vm, Pm_TYPE(self)->tp_sizeof(vm, self));
}

static PmObject *str_getnewargs(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmObject *c = pm_str_copy(vm, self);
    if (c == NULL) return NULL;
    PmObject *t = PmTuple_Pack(vm, 1, c);
    Pm_DECREF(vm, c);
    return t;
}

/* ====================================================================== method table */

const PmMethodDef pm_str_methods[] = {
    {"replace", str_replace, PM_METH_VARARGS},
    {"split", str_split, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"rsplit", str_rsplit, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"join", str_join, PM_METH_O},
    {"capitalize", str_capitalize, PM_METH_NOARGS},
    {"casefold", str_casefold, PM_METH_NOARGS},
    {"title", str_title, PM_METH_NOARGS},
    {"center", str_center, PM_METH_VARARGS},
    {"count", str_count, PM_METH_VARARGS},
    {"expandtabs", str_expandtabs, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"find", str_find, PM_METH_VARARGS},
    {"partition", str_partition, PM_METH_O},
    {"index", str_index, PM_METH_VARARGS},
    {"ljust", str_ljust, PM_METH_VARARGS},
    {"lower", str_lower, PM_METH_NOARGS},
    {"lstrip", str_lstrip, PM_METH_VARARGS},
    {"rfind", str_rfind, PM_METH_VARARGS},
    {"rindex", str_rindex, PM_METH_VARARGS},
    {"rjust", str_rjust, PM_METH_VARARGS},
    {"rstrip", str_rstrip, PM_METH_VARARGS},
    {"rpartition", str_rpartition, PM_METH_O},
    {"splitlines", str_splitlines, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"strip", str_strip, PM_METH_VARARGS},
    {"swapcase", str_swapcase, PM_METH_NOARGS},
    {"translate", str_translate, PM_METH_O},
    {"upper", str_upper, PM_METH_NOARGS},
    {"startswith", str_startswith, PM_METH_VARARGS},
    {"endswith", str_endswith, PM_METH_VARARGS},
    {"removeprefix", str_removeprefix, PM_METH_O},
    {"removesuffix", str_removesuffix, PM_METH_O},
    {"isascii", str_isascii, PM_METH_NOARGS},
    {"islower", str_islower, PM_METH_NOARGS},
    {"isupper", str_isupper, PM_METH_NOARGS},
    {"istitle", str_istitle, PM_METH_NOARGS},
    {"isspace", str_isspace, PM_METH_NOARGS},
    {"isdecimal", str_isdecimal, PM_METH_NOARGS},
    {"isdigit", str_isdigit, PM_METH_NOARGS},
    {"isnumeric", str_isnumeric, PM_METH_NOARGS},
    {"isalpha", str_isalpha, PM_METH_NOARGS},
    {"isalnum", str_isalnum, PM_METH_NOARGS},
    {"isidentifier", str_isidentifier, PM_METH_NOARGS},
    {"isprintable", str_isprintable, PM_METH_NOARGS},
    {"zfill", str_zfill, PM_METH_O},
    {"format", pm_str_format_method, PM_METH_VARARGS | PM_METH_KEYWORDS},
    {"format_map", pm_str_format_map_method, PM_METH_O},
    {"__format__", pm_str_format_spec_method, PM_METH_O},
    {"maketrans", str_maketrans, PM_METH_VARARGS | PM_METH_STATIC},
    {"__sizeof__", str_sizeof_method, PM_METH_NOARGS},
    {"__getnewargs__", str_getnewargs, PM_METH_NOARGS},
    {NULL, NULL, 0}
};
