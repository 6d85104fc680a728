/*
 * str.c -- the str type: CPython 3.11's compact (PEP 393) strings.
 *
 * ## Representation (see PmStr in types.h)
 *
 *     [ PmStr: refcnt type length hash kind ascii interned is_static utf8 | chars... | 0 ]
 *
 * A string stores `length` code points inline, one, two or four bytes each, in the narrowest
 * kind that holds its largest code point ("canonical" form: every str the core makes is
 * canonical, as in CPython, so two equal strings always have the same kind and equal bytes).
 * `ascii` is set when every code point is < 128.
 *
 * Sizes are CPython 3.11 64-bit's: an ASCII string is a 48-byte PyASCIIObject followed by
 * its characters and a NUL (getsizeof 49 + n); any other string has the 72-byte
 * PyCompactUnicodeObject header (latin-1 73 + n, UCS-2 74 + 2n, UCS-4 76 + 4n).  The
 * allocation's modelled size is exactly that, so the block lands in CPython's size class.
 * On 64-bit hosts PmStr is 48 bytes too, so real == model for ASCII strings.
 *
 * ## Which strings are shared
 *
 * - The empty string and the 256 one-character latin-1 strings are static singletons per VM
 *   (vm->empty_str, vm->latin1[]) with the static refcount (sys.getrefcount shows them as
 *   CPython 3.11 shows its statically allocated strings, 999999999 + references).
 *   Results of length 0 are always the empty singleton.  Results of length 1 are the latin-1
 *   singleton when CPython's code path goes through unicode_result()/get_latin1_char()
 *   (indexing, iteration, slicing with step 1, strip, split, partition, the writer used by
 *   % and str.format, decoding) and a new object where it does not (case methods,
 *   replace, join of two or more items, extended slices, padding methods).
 * - No-op operations return the object itself where CPython does (unicode_result_unchanged).
 * - Interned strings live in vm->interned (a dict mapping the string to itself) whose two
 *   references are not counted in the refcount (CPython 3.11's SSTATE_INTERNED_MORTAL):
 *   an interned string dies like any other and removes itself from the dict in dealloc.
 *
 * ## The UTF-8 cache
 *
 * PmStr_AsUTF8 of a non-ASCII string caches the encoding in host memory (not the modelled
 * heap, not counted by getsizeof): CPython builds this cache only in rare paths, so showing
 * it would mislead.  ASCII strings are their own UTF-8.
 *
 * The methods live in strmethods.c, % formatting and str.format in strformat.c, and the
 * per-code-point properties in unicodectype.c (generated from CPython 3.11's tables).
 */
#include "pm.h"

#define STR(o) ((PmStr *)(o))

/* ====================================================================== layout helpers */

int pm_str_kind_for(uint32_t maxchar)
{
    return maxchar < 256 ? 1 : maxchar < 65536 ? 2 : 4;
}

/* PyUnicode_MAX_CHAR_VALUE: the largest code point the string's kind could hold. */
uint32_t pm_str_max_char_value(PmObject *s)
{
    if (STR(s)->ascii) return 127;
    return STR(s)->kind == 1 ? 255 : STR(s)->kind == 2 ? 65535 : 0x10ffff;
}

/* What CPython 3.11 64-bit requests from pymalloc (and getsizeof reports). */
static size_t model_size(Pm_ssize_t n, uint32_t maxchar)
{
    if (maxchar < 128) return 48 + (size_t)n + 1;
    return 72 + ((size_t)n + 1) * (size_t)pm_str_kind_for(maxchar);
}

static size_t real_size(Pm_ssize_t n, int kind)
{
    return sizeof(PmStr) + ((size_t)n + 1) * (size_t)kind;
}

static inline void write_cp(int kind, void *data, Pm_ssize_t i, uint32_t ch)
{
    if (kind == 1) ((uint8_t *)data)[i] = (uint8_t)ch;
    else if (kind == 2) ((uint16_t *)data)[i] = (uint16_t)ch;
    else ((uint32_t *)data)[i] = ch;
}

static inline uint32_t read_cp(int kind, const void *data, Pm_ssize_t i)
{
    return kind == 1 ? ((const uint8_t *)data)[i]
         : kind == 2 ? ((const uint16_t *)data)[i] : ((const uint32_t *)data)[i];
}

uint32_t pm_str_find_max_char(PmObject *s, Pm_ssize_t start, Pm_ssize_t end)
{
    uint32_t m = 0;
    const void *d = PmStr_DATA(s);
    for (Pm_ssize_t i = start; i < end; i++) {
        uint32_t c = read_cp(STR(s)->kind, d, i);
        if (c > m) m = c;
    }
    return m;
}

/* Copy n code points from (skind, sdata)[sstart..] into (dkind, ddata)[dstart..]. */
void pm_str_copy_chars(int dkind, void *ddata, Pm_ssize_t dstart, int skind,
                       const void *sdata, Pm_ssize_t sstart, Pm_ssize_t n)
{
    if (n <= 0) return;
    if (dkind == skind) {
        memcpy((char *)ddata + (size_t)dstart * dkind, (const char *)sdata + (size_t)sstart * skind,
               (size_t)n * dkind);
        return;
    }
    for (Pm_ssize_t i = 0; i < n; i++)
        write_cp(dkind, ddata, dstart + i, read_cp(skind, sdata, sstart + i));
}

/* ====================================================================== constructors */

/* PyUnicode_New: an uninitialised string of n code points able to hold maxchar (NUL set).
 * n == 0 gives the empty singleton. */
PmObject *PmStr_New(PmVM *vm, Pm_ssize_t n, uint32_t maxchar)
{
    if (n == 0) return Pm_NewRef(vm->empty_str);
    int kind = pm_str_kind_for(maxchar);
    if (n < 0 || (uint64_t)n > (SIZE_MAX / 2 - 128) / (size_t)kind - 1)
        return PmErr_NoMemory(vm);
    PmObject *o = pm_object_alloc(vm, PMT(vm, STR), real_size(n, kind), model_size(n, maxchar));
    if (o == NULL) return NULL;
    PmStr *s = STR(o);
    s->length = n;
    s->hash = -1;
    s->kind = (uint8_t)kind;
    s->ascii = maxchar < 128;
    s->interned = 0;
    s->is_static = 0;
    s->utf8 = NULL;
    write_cp(kind, PmStr_DATA(o), n, 0);
    return o;
}

static PmObject *latin1_char(PmVM *vm, uint32_t ch)
{
    return Pm_NewRef(vm->latin1[ch]);
}

/* unicode_result: a freshly built string of length 0 or a one-character latin-1 string is
 * replaced by the singleton.  Steals `s`. */
PmObject *pm_str_result(PmVM *vm, PmObject *s)
{
    if (s == NULL) return NULL;
    Pm_ssize_t n = STR(s)->length;
    if (n == 0 && s != vm->empty_str) {
        Pm_DECREF(vm, s);
        return Pm_NewRef(vm->empty_str);
    }
    if (n == 1 && STR(s)->kind == 1) {
        PmObject *c = vm->latin1[((uint8_t *)PmStr_DATA(s))[0]];
        if (c != s) {
            Pm_INCREF(c);
            Pm_DECREF(vm, s);
        }
        return c;
    }
    return s;
}

/* _PyUnicode_Copy: a new exact str with the same characters. */
PmObject *pm_str_copy(PmVM *vm, PmObject *s)
{
    Pm_ssize_t n = STR(s)->length;
    PmObject *r = PmStr_New(vm, n, pm_str_max_char_value(s));
    if (r == NULL) return NULL;
    memcpy(PmStr_DATA(r), PmStr_DATA(s), (size_t)n * STR(s)->kind);
    return r;
}

/* unicode_result_unchanged: s itself when it is an exact str, else an exact copy. */
PmObject *pm_str_unchanged(PmVM *vm, PmObject *s)
{
    if (Pm_IS_TYPE(vm, s, STR)) return Pm_NewRef(s);
    return pm_str_copy(vm, s);
}

/* unicode_char: the latin-1 singleton, or a new one-character string. */
PmObject *PmStr_FromChar(PmVM *vm, uint32_t ch)
{
    if (ch < 256) return latin1_char(vm, ch);
    PmObject *s = PmStr_New(vm, 1, ch);
    if (s) write_cp(STR(s)->kind, PmStr_DATA(s), 0, ch);
    return s;
}

/* PyUnicode_FromKindAndData (_PyUnicode_FromUCS1/2/4): narrowest kind, singletons for
 * lengths 0 and 1. */
PmObject *PmStr_FromKindAndData(PmVM *vm, int kind, const void *data, Pm_ssize_t n)
{
    if (n == 0) return Pm_NewRef(vm->empty_str);
    if (n == 1) return PmStr_FromChar(vm, read_cp(kind, data, 0));
    uint32_t m = 0;
    for (Pm_ssize_t i = 0; i < n; i++) {
        uint32_t c = read_cp(kind, data, i);
        if (c > m) m = c;
    }
    PmObject *s = PmStr_New(vm, n, m);
    if (s == NULL) return NULL;
    pm_str_copy_chars(STR(s)->kind, PmStr_DATA(s), 0, kind, data, 0, n);
    return s;
}

/* _PyUnicode_FromASCII. */
PmObject *PmStr_FromASCII(PmVM *vm, const char *p, Pm_ssize_t n)
{
    if (n == 0) return Pm_NewRef(vm->empty_str);
    if (n == 1) return latin1_char(vm, (uint8_t)p[0]);
    PmObject *s = PmStr_New(vm, n, 127);
    if (s) memcpy(PmStr_DATA(s), p, (size_t)n);
    return s;
}

PmObject *PmStr_FromCodepoints(PmVM *vm, const uint32_t *cp, Pm_ssize_t n)
{
    return PmStr_FromKindAndData(vm, 4, cp, n);
}

/* ------------------------------------------------------------------ UTF-8 decoding */

/* Decode one sequence at p (< end).  Generalized UTF-8: encoded surrogates are accepted.
 * Invalid or truncated sequences decode as U+FFFD consuming one byte (the "replace" error
 * handler), so decoding never fails: every producer of UTF-8 in the core (the lexer, C
 * literals, the format module) hands over valid text. */
static uint32_t utf8_next(const unsigned char **pp, const unsigned char *end)
{
    const unsigned char *p = *pp;
    uint32_t c = *p;
    int n = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2
          : (c & 0xf8) == 0xf0 ? 3 : -1;
    if (n == 0) { *pp = p + 1; return c; }
    if (n < 0 || end - p <= n) { *pp = p + 1; return 0xfffd; }
    uint32_t v = c & (0x3f >> n);
    for (int i = 1; i <= n; i++) {
        if ((p[i] & 0xc0) != 0x80) { *pp = p + 1; return 0xfffd; }
        v = (v << 6) | (p[i] & 0x3f);
    }
    static const uint32_t minv[4] = {0, 0x80, 0x800, 0x10000};
    if (v < minv[n] || v > 0x10ffff) { *pp = p + 1; return 0xfffd; }
    *pp = p + n + 1;
    return v;
}

PmObject *PmStr_FromUTF8(PmVM *vm, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    Pm_ssize_t n = 0;
    uint32_t m = 0;
    while (p < end) {
        uint32_t c = utf8_next(&p, end);
        if (c > m) m = c;
        n++;
    }
    if (n == 0) return Pm_NewRef(vm->empty_str);
    if (m < 128) return PmStr_FromASCII(vm, s, n);
    if (n == 1 && m < 256) return latin1_char(vm, m);
    PmObject *r = PmStr_New(vm, n, m);
    if (r == NULL) return NULL;
    int kind = STR(r)->kind;
    void *d = PmStr_DATA(r);
    p = (const unsigned char *)s;
    for (Pm_ssize_t i = 0; i < n; i++) write_cp(kind, d, i, utf8_next(&p, end));
    return r;
}

PmObject *PmStr_FromString(PmVM *vm, const char *cstr)
{
    return PmStr_FromUTF8(vm, cstr, strlen(cstr));
}

/* ------------------------------------------------------------------ UTF-8 encoding */

static size_t utf8_put(char *out, uint32_t c)
{
    if (c < 0x80) { out[0] = (char)c; return 1; }
    if (c < 0x800) {
        out[0] = (char)(0xc0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3f));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xe0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        out[2] = (char)(0x80 | (c & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
    out[3] = (char)(0x80 | (c & 0x3f));
    return 4;
}

size_t pm_str_utf8_encode_char(char *out, uint32_t ch) { return utf8_put(out, ch); }

/* The UTF-8 caches live in host memory, each in a doubly linked list whose head is kept in
 * the empty string's (otherwise unused) utf8 field, so that pm_str_clear_interned can free
 * the caches of strings that are still alive when the VM is destroyed. */
typedef struct Utf8Cache {
    struct Utf8Cache *next, *prev;
    PmObject *owner;
    Pm_ssize_t len;              /* the bytes and a NUL follow */
} Utf8Cache;

static Utf8Cache *cache_head(PmVM *vm) { return (Utf8Cache *)(void *)STR(vm->empty_str)->utf8; }
static void set_cache_head(PmVM *vm, Utf8Cache *c) { STR(vm->empty_str)->utf8 = (char *)(void *)c; }

static bool build_utf8(PmVM *vm, PmObject *o)
{
    PmStr *s = STR(o);
    size_t n = 0;
    for (Pm_ssize_t i = 0; i < s->length; i++) {
        uint32_t c = PmStr_READ(o, i);
        n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    }
    Utf8Cache *c = malloc(sizeof(Utf8Cache) + n + 1);
    if (c == NULL) return false;
    char *q = (char *)(c + 1);
    for (Pm_ssize_t i = 0; i < s->length; i++) q += utf8_put(q, PmStr_READ(o, i));
    *q = '\0';
    c->len = (Pm_ssize_t)n;
    c->owner = o;
    c->prev = NULL;
    c->next = cache_head(vm);
    if (c->next) c->next->prev = c;
    set_cache_head(vm, c);
    s->utf8 = (char *)(void *)c;
    return true;
}

static void free_utf8(PmVM *vm, PmObject *o)
{
    Utf8Cache *c = (Utf8Cache *)(void *)STR(o)->utf8;
    if (c == NULL) return;
    if (c->prev) c->prev->next = c->next;
    else set_cache_head(vm, c->next);
    if (c->next) c->next->prev = c->prev;
    free(c);
    STR(o)->utf8 = NULL;
}

const char *PmStr_AsUTF8(PmVM *vm, PmObject *o, Pm_ssize_t *len)
{
    PmStr *s = STR(o);
    if (s->ascii) {
        if (len) *len = s->length;
        return (const char *)PmStr_DATA(o);
    }
    if (s->utf8 == NULL && !build_utf8(vm, o)) {
        PmErr_NoMemory(vm);
        return NULL;
    }
    Utf8Cache *c = (Utf8Cache *)(void *)s->utf8;
    if (len) *len = c->len;
    return (const char *)(c + 1);
}

/* For the output path: CPython's stdout encoder refuses lone surrogates.  0, or -1 with
 * "'utf-8' codec can't encode character '\ud800' in position 0: surrogates not allowed". */
int PmStr_CheckEncodable(PmVM *vm, PmObject *s)
{
    if (STR(s)->kind == 1) return 0;
    Pm_ssize_t n = STR(s)->length;
    for (Pm_ssize_t i = 0; i < n; i++) {
        uint32_t c = PmStr_READ(s, i);
        if (c < 0xd800 || c > 0xdfff) continue;
        Pm_ssize_t j = i + 1;
        while (j < n && PmStr_READ(s, j) >= 0xd800 && PmStr_READ(s, j) <= 0xdfff) j++;
        if (j == i + 1)
            PmErr_Format(vm, PME(vm, UnicodeError), "'utf-8' codec can't encode character "
                         "'\\u%x' in position %zd: surrogates not allowed", (unsigned)c, i);
        else
            PmErr_Format(vm, PME(vm, UnicodeError), "'utf-8' codec can't encode characters "
                         "in position %zd-%zd: surrogates not allowed", i, j - 1);
        return -1;
    }
    return 0;
}

/* ====================================================================== singletons, interning */

static PmObject *static_str(PmVM *vm, uint32_t ch, Pm_ssize_t n)
{
    int kind = 1;
    PmObject *o = pm_static_alloc(vm, PMT(vm, STR), real_size(n, kind));
    if (o == NULL) return NULL;
    PmStr *s = STR(o);
    s->length = n;
    s->hash = -1;
    s->kind = 1;
    s->ascii = ch < 128;
    s->is_static = 1;
    uint8_t *d = PmStr_DATA(o);
    d[0] = (uint8_t)ch;
    d[n] = 0;
    return o;
}

/* Called by vm/init.c once the str type exists: the empty string and chr(0)..chr(255). */
int pm_str_init_singletons(PmVM *vm)
{
    vm->empty_str = static_str(vm, 0, 0);
    if (vm->empty_str == NULL) return -1;
    STR(vm->empty_str)->hash = 0;
    for (uint32_t c = 0; c < 256; c++) {
        vm->latin1[c] = static_str(vm, c, 1);
        if (vm->latin1[c] == NULL) return -1;
    }
    return 0;
}

/* One-character identifiers that CPython 3.11 has as static (deep-frozen / _Py_ID)
 * strings interned at start-up, so the literal "x" is not chr(120) while "g" is chr(103). */
static const char static_one_char_names[] = "BCLST_abcdefhijklmnopqrstvwxy";

/* Called after the dict type exists: creates vm->interned and pre-interns the static
 * strings above.  0 or -1. */
int pm_str_init_interned(PmVM *vm)
{
    if (vm->interned == NULL) {
        vm->interned = PmDict_New(vm);
        if (vm->interned == NULL) return -1;
    }
    for (const char *p = static_one_char_names; *p; p++) {
        PmObject *s = static_str(vm, (uint8_t)*p, 1);
        if (s == NULL) return -1;
        s->ob_refcnt += 2;       /* shown like CPython's static strings: 999999999 + refs */
        PmStr_InternInPlace(vm, &s);
        if (PmErr_Occurred(vm)) return -1;
    }
    return 0;
}

/* PyUnicode_InternInPlace (3.11): the first equal string interned wins; its two references
 * from the dict are not counted. */
void PmStr_InternInPlace(PmVM *vm, PmObject **p)
{
    PmObject *s = *p;
    if (s == NULL || !Pm_IS_TYPE(vm, s, STR) || STR(s)->interned) return;
    if (vm->interned == NULL) {
        vm->interned = PmDict_New(vm);
        if (vm->interned == NULL) { PmErr_Clear(vm); return; }
    }
    PmObject *t = PmDict_GetItem_Borrow(vm, vm->interned, s);
    if (t != NULL) {
        Pm_INCREF(t);
        *p = t;
        Pm_DECREF(vm, s);
        return;
    }
    if (PmErr_Occurred(vm) || PmDict_SetItem(vm, vm->interned, s, s) < 0) {
        PmErr_Clear(vm);
        return;
    }
    s->ob_refcnt -= 2;
    STR(s)->interned = 1;
}

PmObject *PmStr_InternFromString(PmVM *vm, const char *cstr)
{
    PmObject *s = PmStr_FromString(vm, cstr);
    if (s) PmStr_InternInPlace(vm, &s);
    return s;
}

/* sys.intern(s). */
PmObject *PmStr_SysIntern(PmVM *vm, PmObject *s)
{
    if (!PmStr_Check(s))
        return PmErr_Format(vm, PME(vm, TypeError), "intern() argument must be str, not %.50s",
                            Pm_TYPE(s)->tp_name);
    if (!Pm_IS_TYPE(vm, s, STR))
        return PmErr_Format(vm, PME(vm, TypeError), "can't intern %.400s", Pm_TYPE(s)->tp_name);
    Pm_INCREF(s);
    PmStr_InternInPlace(vm, &s);
    return s;
}

/* VM teardown (CPython's _PyUnicode_ClearInterned): give every interned string its two
 * references back, forget the interned state, then drop the dict.  Last of all, free the
 * UTF-8 caches of strings still alive (their memory goes with the heap): call it after
 * everything else that could use a str. */
void pm_str_clear_interned(PmVM *vm)
{
    if (vm->interned) {
        Pm_ssize_t pos = 0;
        PmObject *k, *v;
        while (PmDict_Next(vm->interned, &pos, &k, &v)) {
            k->ob_refcnt += 2;
            STR(k)->interned = 0;
        }
        Pm_CLEAR(vm, vm->interned);
    }
    if (vm->empty_str == NULL) return;
    for (Utf8Cache *c = cache_head(vm), *next; c; c = next) {
        next = c->next;
        STR(c->owner)->utf8 = NULL;
        free(c);
    }
    set_cache_head(vm, NULL);
}

/* ====================================================================== dealloc */

static void str_dealloc(PmVM *vm, PmObject *o)
{
    PmStr *s = STR(o);
    if (s->is_static) {          /* never freed: an unbalanced decref got here */
        o->ob_refcnt = PM_STATIC_REFCNT;
        return;
    }
    if (s->interned && vm->interned) {
        o->ob_refcnt = 3;        /* the dict's key and value, plus one to work with */
        if (PmDict_DelItem(vm, vm->interned, o) < 0) PmErr_Clear(vm);
        o->ob_refcnt = 0;
        s->interned = 0;
        PmType_Modified(vm);     /* it may key type cache entries (abstract.c) */
    }
    free_utf8(vm, o);
    pm_object_free(vm, o);
}

/* ====================================================================== repr */

static int repr_escape_len(uint32_t ch, uint32_t *max)
{
    if (ch == '\\' || ch == '\t' || ch == '\r' || ch == '\n') return 2;
    if (ch < ' ' || ch == 0x7f) return 4;
    if (ch < 0x7f) return 1;
    if (pm_unicode_isprintable(ch)) {
        if (ch > *max) *max = ch;
        return 1;
    }
    return ch < 0x100 ? 4 : ch < 0x10000 ? 6 : 10;
}

static Pm_ssize_t repr_put_hex(int kind, void *d, Pm_ssize_t o, uint32_t ch, int digits)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = digits - 1; i >= 0; i--) write_cp(kind, d, o++, (uint8_t)hex[(ch >> (4 * i)) & 0xf]);
    return o;
}

static Pm_ssize_t repr_put(int kind, void *d, Pm_ssize_t o, uint32_t ch, uint32_t quote)
{
    static const char esc[] = {'t', 'n', 'r'};
    int e = ch == '\t' ? 0 : ch == '\n' ? 1 : ch == '\r' ? 2 : -1;
    if (ch == quote || ch == '\\') {
        write_cp(kind, d, o++, '\\');
        write_cp(kind, d, o++, ch);
    } else if (e >= 0) {
        write_cp(kind, d, o++, '\\');
        write_cp(kind, d, o++, (uint8_t)esc[e]);
    } else if (ch < ' ' || ch == 0x7f || (ch > 0x7f && !pm_unicode_isprintable(ch))) {
        write_cp(kind, d, o++, '\\');
        int nd = ch <= 0xff ? 2 : ch <= 0xffff ? 4 : 8;
        write_cp(kind, d, o++, nd == 2 ? 'x' : nd == 4 ? 'u' : 'U');
        o = repr_put_hex(kind, d, o, ch, nd);
    } else {
        write_cp(kind, d, o++, ch);
    }
    return o;
}

/* unicode_repr: quote choice and escapes exactly as CPython 3.11. */
PmObject *PmStr_Repr(PmVM *vm, PmObject *s)
{
    Pm_ssize_t n = STR(s)->length, osize = 0, squote = 0, dquote = 0;
    uint32_t max = 127;
    for (Pm_ssize_t i = 0; i < n; i++) {
        uint32_t ch = PmStr_READ(s, i);
        if (ch == '\'') squote++;
        else if (ch == '"') dquote++;
        osize += ch == '\'' || ch == '"' ? 1 : repr_escape_len(ch, &max);
    }
    uint32_t quote = '\'';
    if (squote) {
        if (dquote) osize += squote;
        else quote = '"';
    }
    PmObject *r = PmStr_New(vm, osize + 2, max);
    if (r == NULL) return NULL;
    int kind = STR(r)->kind;
    void *d = PmStr_DATA(r);
    Pm_ssize_t o = 0;
    write_cp(kind, d, o++, quote);
    for (Pm_ssize_t i = 0; i < n; i++) o = repr_put(kind, d, o, PmStr_READ(s, i), quote);
    write_cp(kind, d, o, quote);
    return r;
}

static PmObject *str_repr(PmVM *vm, PmObject *s) { return PmStr_Repr(vm, s); }

static PmObject *str_str(PmVM *vm, PmObject *s) { return pm_str_unchanged(vm, s); }

/* ====================================================================== hash, compare */

/* Any good hash will do (CPython's is randomized per process); equal strings hash equal
 * whatever their kind since code points are hashed, and hash("") == 0 as in CPython. */
Pm_hash_t PmStr_Hash(PmObject *o)
{
    PmStr *s = STR(o);
    if (s->hash != -1) return s->hash;
    if (s->length == 0) return s->hash = 0;
    uint64_t h = 0xcbf29ce484222325ull;
    for (Pm_ssize_t i = 0; i < s->length; i++) {
        h ^= PmStr_READ(o, i);
        h *= 0x100000001b3ull;
    }
    h ^= (uint64_t)s->length;
    h ^= h >> 33; h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33; h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    Pm_hash_t r = (Pm_hash_t)h;
    if (r == -1) r = -2;
    return s->hash = r;
}

static Pm_hash_t str_hash(PmVM *vm, PmObject *o) { (void)vm; return PmStr_Hash(o); }

bool PmStr_Equal(PmObject *a, PmObject *b)
{
    if (a == b) return true;
    PmStr *x = STR(a), *y = STR(b);
    if (x->length != y->length || x->kind != y->kind) return false;
    if (x->hash != -1 && y->hash != -1 && x->hash != y->hash) return false;
    return memcmp(PmStr_DATA(a), PmStr_DATA(b), (size_t)x->length * x->kind) == 0;
}

bool PmStr_EqualToASCII(PmObject *s, const char *ascii)
{
    size_t n = strlen(ascii);
    if (!STR(s)->ascii || (size_t)STR(s)->length != n) return false;
    return memcmp(PmStr_DATA(s), ascii, n) == 0;
}

int PmStr_Compare(PmObject *a, PmObject *b)
{
    Pm_ssize_t n1 = STR(a)->length, n2 = STR(b)->length, n = n1 < n2 ? n1 : n2;
    if (STR(a)->kind == 1 && STR(b)->kind == 1) {
        int c = memcmp(PmStr_DATA(a), PmStr_DATA(b), (size_t)n);
        if (c) return c < 0 ? -1 : 1;
    } else {
        for (Pm_ssize_t i = 0; i < n; i++) {
            uint32_t x = PmStr_READ(a, i), y = PmStr_READ(b, i);
            if (x != y) return x < y ? -1 : 1;
        }
    }
    return n1 < n2 ? -1 : n1 > n2 ? 1 : 0;
}

static PmObject *str_richcompare(PmVM *vm, PmObject *a, PmObject *b, int op)
{
    if (!PmStr_Check(a) || !PmStr_Check(b)) return Pm_NewRef(Pm_NotImplemented(vm));
    int c;
    if (a == b) c = 0;
    else if (op == Pm_EQ || op == Pm_NE) c = PmStr_Equal(a, b) ? 0 : 1;
    else c = PmStr_Compare(a, b);
    bool r = op == Pm_LT ? c < 0 : op == Pm_LE ? c <= 0 : op == Pm_EQ ? c == 0
           : op == Pm_NE ? c != 0 : op == Pm_GT ? c > 0 : c >= 0;
    return Pm_Bool(vm, r);
}

/* ====================================================================== operators */

static Pm_ssize_t str_length(PmVM *vm, PmObject *s) { (void)vm; return STR(s)->length; }

PmObject *PmStr_Concat(PmVM *vm, PmObject *a, PmObject *b)
{
    if (!PmStr_Check(b))
        return PmErr_Format(vm, PME(vm, TypeError),
                            "can only concatenate str (not \"%.200s\") to str", Pm_TYPE(b)->tp_name);
    if (a == vm->empty_str) return pm_str_unchanged(vm, b);
    if (b == vm->empty_str) return pm_str_unchanged(vm, a);
    Pm_ssize_t n1 = STR(a)->length, n2 = STR(b)->length;
    if (n1 > PM_SSIZE_MAX - n2)
        return PmErr_Format(vm, PME(vm, OverflowError), "strings are too large to concat");
    uint32_t m1 = pm_str_max_char_value(a), m2 = pm_str_max_char_value(b);
    PmObject *r = PmStr_New(vm, n1 + n2, m1 > m2 ? m1 : m2);
    if (r == NULL) return NULL;
    int k = STR(r)->kind;
    pm_str_copy_chars(k, PmStr_DATA(r), 0, STR(a)->kind, PmStr_DATA(a), 0, n1);
    pm_str_copy_chars(k, PmStr_DATA(r), n1, STR(b)->kind, PmStr_DATA(b), 0, n2);
    return r;
}

static bool modifiable(PmVM *vm, PmObject *s)
{
    return s->ob_refcnt == 1 && STR(s)->hash == -1 && !STR(s)->interned
        && !STR(s)->is_static && Pm_IS_TYPE(vm, s, STR);
}

/* resize_compact: realloc the object (it may move, as CPython's may). */
PmObject *pm_str_resize(PmVM *vm, PmObject *s, Pm_ssize_t n)
{
    int kind = STR(s)->kind;
    if ((uint64_t)n > (SIZE_MAX / 2 - 128) / (size_t)kind - 1) return PmErr_NoMemory(vm);
    uint32_t m = pm_str_max_char_value(s);
    free_utf8(vm, s);
    PmObject *r = pm_mem_realloc(vm, s, real_size(n, kind), model_size(n, m));
    if (r == NULL) return NULL;
    STR(r)->length = n;
    write_cp(kind, PmStr_DATA(r), n, 0);
    return r;
}

/* PyUnicode_Append: *pleft += right, resizing in place when CPython would (refcount 1, no
 * hash yet, not interned, same or wider kind).  0, or -1 with *pleft cleared. */
int PmStr_Append(PmVM *vm, PmObject **pleft, PmObject *right)
{
    PmObject *left = *pleft;
    if (left == vm->empty_str) {
        Pm_DECREF(vm, left);
        *pleft = Pm_NewRef(right);
        return 0;
    }
    if (right == vm->empty_str) return 0;
    Pm_ssize_t n1 = STR(left)->length, n2 = STR(right)->length;
    if (n1 > PM_SSIZE_MAX - n2) {
        PmErr_Format(vm, PME(vm, OverflowError), "strings are too large to concat");
        Pm_CLEAR(vm, *pleft);
        return -1;
    }
    if (modifiable(vm, left) && Pm_IS_TYPE(vm, right, STR) && STR(right)->kind <= STR(left)->kind
        && !(STR(left)->ascii && !STR(right)->ascii)) {
        PmObject *r = pm_str_resize(vm, left, n1 + n2);
        if (r == NULL) { Pm_CLEAR(vm, *pleft); return -1; }
        pm_str_copy_chars(STR(r)->kind, PmStr_DATA(r), n1, STR(right)->kind, PmStr_DATA(right), 0, n2);
        *pleft = r;
        return 0;
    }
    PmObject *r = PmStr_Concat(vm, left, right);
    Pm_DECREF(vm, left);
    *pleft = r;
    return r ? 0 : -1;
}

/* unicode_repeat. */
PmObject *PmStr_Repeat(PmVM *vm, PmObject *s, Pm_ssize_t times)
{
    if (times < 1) return Pm_NewRef(vm->empty_str);
    if (times == 1) return pm_str_unchanged(vm, s);
    Pm_ssize_t n = STR(s)->length;
    if (n > PM_SSIZE_MAX / times)
        return PmErr_Format(vm, PME(vm, OverflowError), "repeated string is too long");
    PmObject *r = PmStr_New(vm, n * times, pm_str_max_char_value(s));
    if (r == NULL || n == 0) return r;
    size_t unit = (size_t)n * STR(s)->kind, total = unit * (size_t)times;
    char *d = PmStr_DATA(r);
    memcpy(d, PmStr_DATA(s), unit);
    for (size_t done = unit; done < total; done *= 2)
        memcpy(d + done, d, total - done < done ? total - done : done);
    return r;
}

static PmObject *str_repeat(PmVM *vm, PmObject *s, Pm_ssize_t n) { return PmStr_Repeat(vm, s, n); }

/* PyUnicode_Substring. */
PmObject *PmStr_Substring(PmVM *vm, PmObject *s, Pm_ssize_t start, Pm_ssize_t end)
{
    Pm_ssize_t n = STR(s)->length;
    if (end > n) end = n;
    if (start == 0 && end == n) return pm_str_unchanged(vm, s);
    if (start < 0 || end < 0) {
        PmErr_SetString(vm, PME(vm, IndexError), "string index out of range");
        return NULL;
    }
    if (start >= n || end < start) return Pm_NewRef(vm->empty_str);
    int kind = STR(s)->kind;
    const char *d = (const char *)PmStr_DATA(s) + (size_t)start * kind;
    if (STR(s)->ascii) return PmStr_FromASCII(vm, d, end - start);
    return PmStr_FromKindAndData(vm, kind, d, end - start);
}

static PmObject *str_item(PmVM *vm, PmObject *s, Pm_ssize_t i)
{
    if (i < 0 || i >= STR(s)->length) {
        PmErr_SetString(vm, PME(vm, IndexError), "string index out of range");
        return NULL;
    }
    return PmStr_FromChar(vm, PmStr_READ(s, i));
}

static PmObject *extended_slice(PmVM *vm, PmObject *s, Pm_ssize_t start, Pm_ssize_t step,
                                Pm_ssize_t n)
{
    uint32_t m = 127;
    if (!STR(s)->ascii) {
        m = 0;
        for (Pm_ssize_t i = 0, cur = start; i < n; i++, cur += step) {
            uint32_t c = PmStr_READ(s, cur);
            if (c > m) m = c;
        }
    }
    PmObject *r = PmStr_New(vm, n, m);
    if (r == NULL) return NULL;
    for (Pm_ssize_t i = 0, cur = start; i < n; i++, cur += step)
        write_cp(STR(r)->kind, PmStr_DATA(r), i, PmStr_READ(s, cur));
    return r;
}

static PmObject *str_subscript(PmVM *vm, PmObject *s, PmObject *item)
{
    if (PmIndex_Check(item)) {
        Pm_ssize_t i = PmNumber_AsSsize_t(vm, item, PME(vm, IndexError));
        if (i == -1 && PmErr_Occurred(vm)) return NULL;
        if (i < 0) i += STR(s)->length;
        return str_item(vm, s, i);
    }
    if (!PmSlice_Check(item))
        return PmErr_Format(vm, PME(vm, TypeError), "string indices must be integers, not '%.200s'",
                            Pm_TYPE(item)->tp_name);
    Pm_ssize_t start, stop, step;
    if (PmSlice_Unpack(vm, item, &start, &stop, &step) < 0) return NULL;
    Pm_ssize_t n = PmSlice_AdjustIndices(STR(s)->length, &start, &stop, step);
    if (n <= 0) return Pm_NewRef(vm->empty_str);
    if (start == 0 && step == 1 && n == STR(s)->length) return pm_str_unchanged(vm, s);
    if (step == 1) return PmStr_Substring(vm, s, start, start + n);
    return extended_slice(vm, s, start, step, n);
}

/* PyUnicode_Contains. */
int PmStr_Contains(PmVM *vm, PmObject *s, PmObject *sub)
{
    if (!PmStr_Check(sub)) {
        PmErr_Format(vm, PME(vm, TypeError), "'in <string>' requires string as left operand, not %.100s",
                     Pm_TYPE(sub)->tp_name);
        return -1;
    }
    return pm_str_find(s, sub, 0, STR(s)->length, 1) >= 0;
}

static int str_contains(PmVM *vm, PmObject *s, PmObject *sub) { return PmStr_Contains(vm, s, sub); }

static PmObject *str_mod(PmVM *vm, PmObject *a, PmObject *b)
{
    if (!PmStr_Check(a)) return Pm_NewRef(Pm_NotImplemented(vm));
    return PmStr_Format(vm, a, b);
}

static Pm_ssize_t str_sizeof(PmVM *vm, PmObject *s)
{
    (void)vm;
    return (Pm_ssize_t)model_size(STR(s)->length, pm_str_max_char_value(s));
}

/* ====================================================================== searching */

/* Index of the first (dir > 0) or last (dir < 0) occurrence of `sub` in s[start:end], or -1.
 * start/end are already clamped to the string. */
Pm_ssize_t pm_str_find(PmObject *s, PmObject *sub, Pm_ssize_t start, Pm_ssize_t end, int dir)
{
    Pm_ssize_t m = STR(sub)->length;
    if (end - start < m) return -1;
    if (STR(sub)->kind > STR(s)->kind) return -1;
    Pm_ssize_t last = end - m;
    if (dir > 0 && m > 0 && STR(s)->kind == 1 && STR(sub)->kind == 1) {
        const uint8_t *h = PmStr_DATA(s), *nd = PmStr_DATA(sub), *p = h + start;
        while ((p = memchr(p, nd[0], (size_t)(last - (p - h) + 1))) != NULL) {
            if (memcmp(p, nd, (size_t)m) == 0) return p - h;
            if (++p > h + last) break;
        }
        return -1;
    }
    for (Pm_ssize_t k = 0; k <= last - start; k++) {
        Pm_ssize_t i = dir > 0 ? start + k : last - k, j = 0;
        while (j < m && PmStr_READ(s, i + j) == PmStr_READ(sub, j)) j++;
        if (j == m) return i;
    }
    return -1;
}

/* Non-overlapping occurrences of `sub` in s[start:end] (clamped), at most maxcount. */
Pm_ssize_t pm_str_count(PmObject *s, PmObject *sub, Pm_ssize_t start, Pm_ssize_t end,
                        Pm_ssize_t maxcount)
{
    Pm_ssize_t m = STR(sub)->length, count = 0;
    if (end - start < m) return 0;
    if (m == 0) {
        Pm_ssize_t c = end - start + 1;
        return c < maxcount ? c : maxcount;
    }
    while (count < maxcount) {
        Pm_ssize_t i = pm_str_find(s, sub, start, end, 1);
        if (i < 0) break;
        count++;
        start = i + m;
    }
    return count;
}

/* ====================================================================== iterators */

/* CPython's unicodeiterobject: str_ascii_iterator for compact ASCII strings, str_iterator
 * otherwise (the VM has one slot, PMT_STR_ITER; both behave the same).  GC objects,
 * getsizeof 48. */
typedef struct PmStrIter {
    PmObject ob_base;
    Pm_ssize_t it_index;
    PmObject *it_seq;      /* NULL once exhausted */
} PmStrIter;

static PmObject *str_iter(PmVM *vm, PmObject *s)
{
    PmObject *o = pm_object_alloc(vm, PMT(vm, STR_ITER), sizeof(PmStrIter), 48);
    if (o == NULL) return NULL;
    PmStrIter *it = (PmStrIter *)o;
    it->it_index = 0;
    it->it_seq = Pm_NewRef(s);
    pm_gc_track(vm, o);
    return o;
}

static void striter_dealloc(PmVM *vm, PmObject *o)
{
    pm_gc_untrack(vm, o);
    Pm_XDECREF(vm, ((PmStrIter *)o)->it_seq);
    pm_object_free(vm, o);
}

static int striter_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    Pm_VISIT(vm, ((PmStrIter *)o)->it_seq);
    return 0;
}

static PmObject *striter_next(PmVM *vm, PmObject *o)
{
    PmStrIter *it = (PmStrIter *)o;
    PmObject *seq = it->it_seq;
    if (seq == NULL) return NULL;
    if (it->it_index < STR(seq)->length) return PmStr_FromChar(vm, PmStr_READ(seq, it->it_index++));
    it->it_seq = NULL;
    Pm_DECREF(vm, seq);
    return NULL;
}

static PmObject *striter_length_hint(PmVM *vm, PmObject *o, PmObject *const *args, size_t nargs,
                                     PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmStrIter *it = (PmStrIter *)o;
    Pm_ssize_t n = it->it_seq ? STR(it->it_seq)->length - it->it_index : 0;
    return PmLong_FromSsize_t(vm, n);
}

static const PmMethodDef striter_methods[] = {
    {"__length_hint__", striter_length_hint, PM_METH_NOARGS},
    {NULL, NULL, 0}
};

const PmType PmStrIter_Template = {
    .tp_name = "str_ascii_iterator",
    .tp_basicsize = 32,
    .tp_flags = PM_TPFLAGS_HAVE_GC,
    .tp_kind = PMT_STR_ITER,
    .tp_dealloc = striter_dealloc,
    .tp_traverse = striter_traverse,
    .tp_iter = PmObject_SelfIter,
    .tp_iternext = striter_next,
    .tp_methods = striter_methods,
};

/* ====================================================================== constructor */

/* str(object='', encoding=..., errors=...): only str(object) is supported; decoding needs
 * bytes, which the subset lacks. */
static PmObject *str_new(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs,
                         PmObject *kwnames)
{
    static const char *const names[] = {"object", "encoding", "errors"};
    PmObject *a[3] = {NULL, NULL, NULL};
    if (pm_str_parse_args(vm, "str", args, nargs, kwnames, names, 3, a) < 0) return NULL;
    for (int i = 1; i < 3; i++) {
        if (a[i] && !PmStr_Check(a[i]))
            return PmErr_Format(vm, PME(vm, TypeError), "str() argument '%s' must be str, not %.50s",
                                names[i], Pm_TYPE(a[i])->tp_name);
    }
    if ((a[1] || a[2]) && a[0])
        return PmErr_Format(vm, PME(vm, TypeError),
                            "decoding to str: need a bytes-like object, %.80s found",
                            Pm_TYPE(a[0])->tp_name);
    PmObject *r = a[0] ? PmObject_Str(vm, a[0]) : Pm_NewRef(vm->empty_str);
    if (r == NULL || type == PMT(vm, STR)) return r;
    Pm_DECREF(vm, r);
    return PmErr_Format(vm, PME(vm, TypeError), "subclasses of str are not supported (%s)",
                        type->tp_name);
}

/* ====================================================================== type template */

const PmType PmStr_Template = {
    .tp_name = "str",
    .tp_doc = "str(object='') -> str\n"
              "str(bytes_or_buffer[, encoding[, errors]]) -> str\n"
              "\n"
              "Create a new string object from the given object. If encoding or\n"
              "errors is specified, then the object must expose a data buffer\n"
              "that will be decoded using the given encoding and error handler.\n"
              "Otherwise, returns the result of object.__str__() (if defined)\n"
              "or repr(object).\n"
              "encoding defaults to sys.getdefaultencoding().\n"
              "errors defaults to 'strict'.",
    .tp_basicsize = 80,          /* sizeof(PyUnicodeObject) */
    .tp_itemsize = 0,
    .tp_flags = PM_TPFLAGS_BASETYPE | PM_TPFLAGS_UNICODE_SUBCLASS,
    .tp_kind = PMT_STR,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_dealloc = str_dealloc,
    .tp_repr = str_repr,
    .tp_str = str_str,
    .tp_hash = str_hash,
    .tp_richcompare = str_richcompare,
    .tp_iter = str_iter,
    .tp_as_number = { .nb_remainder = str_mod },
    .tp_as_sequence = {
        .sq_length = str_length,
        .sq_concat = PmStr_Concat,
        .sq_repeat = str_repeat,
        .sq_item = str_item,
        .sq_contains = str_contains,
    },
    .tp_as_mapping = { .mp_length = str_length, .mp_subscript = str_subscript },
    .tp_methods = pm_str_methods,
    .tp_new = str_new,
    .tp_sizeof = str_sizeof,
};
