/*
 * strformat.c -- building strings piece by piece: CPython 3.11's _PyUnicodeWriter, and
 * the three formatters built on it: PmStr_FromFormatV (the C-side printf used by error
 * messages and reprs), the % operator (PyUnicode_Format) and str.format / format_map
 * (stringlib/unicode_format.h), plus str.__format__.
 *
 * The writer is modelled closely because it decides object identity and allocation:
 *   - the buffer is a real str object, over-allocated by 1/4 while `overallocate` is set,
 *     grown with realloc and shrunk to size at the end (as CPython's, so tracemalloc and
 *     the arena map see the same blocks);
 *   - when the first non-empty piece is a whole str written while `overallocate` is off
 *     (formatters turn it off for their last piece), the writer keeps a reference to that
 *     str ("read-only" mode): "%s" % s and "{}".format(s) return s itself;
 *   - finishing turns a length-0 or one-latin-1-character result into the singleton.
 */
#include "pm.h"
#include "lib/fmt.h"

#define STR(o) ((PmStr *)(o))
#define LEN(o) (STR(o)->length)
#define READ(o, i) PmStr_READ((o), (i))


/* ====================================================================== the writer */

void PmStrWriter_Init(PmStrWriter *w)
{
    memset(w, 0, sizeof *w);
    w->min_char = 127;
}

static void writer_update(PmStrWriter *w)
{
    w->maxchar = pm_str_max_char_value(w->buffer);
    w->data = PmStr_DATA(w->buffer);
    if (!w->readonly) {
        w->kind = STR(w->buffer)->kind;
        w->size = LEN(w->buffer);
    } else {
        w->kind = 0;       /* forces a copy before any write */
        w->size = 0;
    }
}

/* _PyUnicodeWriter_PrepareInternal: room for `length` more code points up to maxchar. */
static int prepare_internal(PmVM *vm, PmStrWriter *w, Pm_ssize_t length, uint32_t maxchar)
{
    if (length > PM_SSIZE_MAX - w->pos) { PmErr_NoMemory(vm); return -1; }
    Pm_ssize_t newlen = w->pos + length;
    if (maxchar < w->min_char) maxchar = w->min_char;
    if (w->buffer == NULL || newlen > w->size) {
        if (w->overallocate && newlen <= PM_SSIZE_MAX - newlen / 4) newlen += newlen / 4;
        if (newlen < w->min_length) newlen = w->min_length;
    }
    PmObject *nb;
    if (w->buffer == NULL) {
        nb = PmStr_New(vm, newlen, maxchar);
    } else if (newlen > w->size && !(maxchar > w->maxchar || w->readonly)) {
        nb = pm_str_resize(vm, w->buffer, newlen);
        if (nb == NULL) return -1;
        w->buffer = nb;
        writer_update(w);
        return 0;
    } else if (newlen > w->size || maxchar > w->maxchar) {
        if (newlen <= w->size) newlen = w->size;
        if (w->maxchar > maxchar) maxchar = w->maxchar;
        nb = PmStr_New(vm, newlen, maxchar);
        if (nb) pm_str_copy_chars(STR(nb)->kind, PmStr_DATA(nb), 0, STR(w->buffer)->kind,
                                  PmStr_DATA(w->buffer), 0, w->pos);
        if (nb) Pm_DECREF(vm, w->buffer);
        w->readonly = 0;
    } else {
        return 0;
    }
    if (nb == NULL) return -1;
    w->buffer = nb;
    writer_update(w);
    return 0;
}

/* _PyUnicodeWriter_Prepare (the macro). */
int PmStrWriter_Prepare(PmVM *vm, PmStrWriter *w, Pm_ssize_t length, uint32_t maxchar)
{
    if (maxchar <= w->maxchar && length <= w->size - w->pos) return 0;
    if (length == 0) return 0;
    return prepare_internal(vm, w, length, maxchar);
}

static inline void writer_put(PmStrWriter *w, uint32_t ch)
{
    if (w->kind == 1) ((uint8_t *)w->data)[w->pos] = (uint8_t)ch;
    else if (w->kind == 2) ((uint16_t *)w->data)[w->pos] = (uint16_t)ch;
    else ((uint32_t *)w->data)[w->pos] = ch;
    w->pos++;
}

int PmStrWriter_WriteChar(PmVM *vm, PmStrWriter *w, uint32_t ch)
{
    if (PmStrWriter_Prepare(vm, w, 1, ch) < 0) return -1;
    writer_put(w, ch);
    return 0;
}

static void writer_fill(PmStrWriter *w, uint32_t ch, Pm_ssize_t n)
{
    while (n-- > 0) writer_put(w, ch);
}

/* Copy s[start:end] after Prepare (never the read-only shortcut). */
static int writer_copy(PmVM *vm, PmStrWriter *w, PmObject *s, Pm_ssize_t start, Pm_ssize_t end)
{
    if (end <= start) return 0;
    uint32_t m = pm_str_max_char_value(s) > w->maxchar ? pm_str_find_max_char(s, start, end)
                                                       : w->maxchar;
    if (PmStrWriter_Prepare(vm, w, end - start, m) < 0) return -1;
    pm_str_copy_chars(w->kind, w->data, w->pos, STR(s)->kind, PmStr_DATA(s), start, end - start);
    w->pos += end - start;
    return 0;
}

int PmStrWriter_WriteStr(PmVM *vm, PmStrWriter *w, PmObject *s)
{
    Pm_ssize_t n = LEN(s);
    if (n == 0) return 0;
    uint32_t m = pm_str_max_char_value(s);
    if ((m > w->maxchar || n > w->size - w->pos) && w->buffer == NULL && !w->overallocate) {
        w->readonly = 1;
        w->buffer = Pm_NewRef(s);
        writer_update(w);
        w->pos += n;
        return 0;
    }
    if (PmStrWriter_Prepare(vm, w, n, m) < 0) return -1;
    pm_str_copy_chars(w->kind, w->data, w->pos, STR(s)->kind, PmStr_DATA(s), 0, n);
    w->pos += n;
    return 0;
}

int PmStrWriter_WriteSubstring(PmVM *vm, PmStrWriter *w, PmObject *s, Pm_ssize_t start,
                               Pm_ssize_t end)
{
    if (end == 0) return 0;
    if (start == 0 && end == LEN(s)) return PmStrWriter_WriteStr(vm, w, s);
    return writer_copy(vm, w, s, start, end);
}

int PmStrWriter_WriteASCII(PmVM *vm, PmStrWriter *w, const char *p, Pm_ssize_t n)
{
    if (w->buffer == NULL && !w->overallocate) {
        PmObject *s = PmStr_FromASCII(vm, p, n);
        if (s == NULL) return -1;
        w->readonly = 1;
        w->buffer = s;
        writer_update(w);
        w->pos += n;
        return 0;
    }
    if (PmStrWriter_Prepare(vm, w, n, 127) < 0) return -1;
    for (Pm_ssize_t i = 0; i < n; i++) writer_put(w, (uint8_t)p[i]);
    return 0;
}

/* UTF-8 text (from the format module) written through Prepare, as CPython's formatters
 * write their output. */
int PmStrWriter_WriteUTF8(PmVM *vm, PmStrWriter *w, const char *p, size_t nbytes)
{
    PmObject *s = PmStr_FromUTF8(vm, p, nbytes);
    if (s == NULL) return -1;
    int r = writer_copy(vm, w, s, 0, LEN(s));
    Pm_DECREF(vm, s);
    return r;
}

PmObject *PmStrWriter_Finish(PmVM *vm, PmStrWriter *w)
{
    if (w->pos == 0) {
        Pm_CLEAR(vm, w->buffer);
        return Pm_NewRef(vm->empty_str);
    }
    PmObject *s = w->buffer;
    w->buffer = NULL;
    if (w->readonly) return s;
    if (LEN(s) != w->pos) {
        PmObject *r = pm_str_resize(vm, s, w->pos);
        if (r == NULL) { Pm_DECREF(vm, s); return NULL; }
        s = r;
    }
    return pm_str_result(vm, s);
}

void PmStrWriter_Dealloc(PmVM *vm, PmStrWriter *w)
{
    Pm_CLEAR(vm, w->buffer);
}

/* ====================================================================== PmStr_FromFormatV */

/* unicode_fromformat_write_str: width pads on the left, precision truncates. */
static int fromformat_str(PmVM *vm, PmStrWriter *w, PmObject *s, Pm_ssize_t width, Pm_ssize_t prec)
{
    Pm_ssize_t n = LEN(s);
    if ((prec == -1 || prec >= n) && width <= n) return PmStrWriter_WriteStr(vm, w, s);
    if (prec != -1 && prec < n) n = prec;
    Pm_ssize_t total = n > width ? n : width;
    uint32_t m = pm_str_max_char_value(s) > w->maxchar ? pm_str_find_max_char(s, 0, n) : w->maxchar;
    if (PmStrWriter_Prepare(vm, w, total, m) < 0) return -1;
    writer_fill(w, ' ', width - n);
    pm_str_copy_chars(w->kind, w->data, w->pos, STR(s)->kind, PmStr_DATA(s), 0, n);
    w->pos += n;
    return 0;
}

static int fromformat_cstr(PmVM *vm, PmStrWriter *w, const char *p, Pm_ssize_t width,
                           Pm_ssize_t prec)
{
    size_t n = 0;
    if (p == NULL) p = "(null)";
    while (p[n] && (prec < 0 || (Pm_ssize_t)n < prec)) n++;
    PmObject *s = PmStr_FromUTF8(vm, p, n);
    if (s == NULL) return -1;
    int r = fromformat_str(vm, w, s, width, -1);
    Pm_DECREF(vm, s);
    return r;
}

static int fromformat_obj(PmVM *vm, PmStrWriter *w, PmObject *s, Pm_ssize_t width, Pm_ssize_t prec)
{
    if (s == NULL) return -1;
    int r = fromformat_str(vm, w, s, width, prec);
    Pm_DECREF(vm, s);
    return r;
}

/* A number already printed as ASCII: zero-filled to `prec` digits, padded to `width`. */
static int fromformat_number(PmVM *vm, PmStrWriter *w, const char *buf, Pm_ssize_t len,
                             Pm_ssize_t width, Pm_ssize_t prec, bool zeropad)
{
    if (prec < len) prec = len;
    if (PmStrWriter_Prepare(vm, w, prec > width ? prec : width, 127) < 0) return -1;
    writer_fill(w, zeropad ? '0' : ' ', width - prec);
    writer_fill(w, '0', prec - len);
    for (Pm_ssize_t i = 0; i < len; i++) writer_put(w, (uint8_t)buf[i]);
    return 0;
}

static int fromformat_int(PmVM *vm, PmStrWriter *w, char conv, int size, va_list *ap,
                          Pm_ssize_t width, Pm_ssize_t prec, bool zeropad)
{
    char buf[48];
    int len;
    if (conv == 'x')
        len = size == 2 ? snprintf(buf, sizeof buf, "%llx", va_arg(*ap, unsigned long long))
            : size == 1 ? snprintf(buf, sizeof buf, "%lx", va_arg(*ap, unsigned long))
            : size == 3 ? snprintf(buf, sizeof buf, "%zx", va_arg(*ap, size_t))
            : snprintf(buf, sizeof buf, "%x", va_arg(*ap, unsigned int));
    else if (conv == 'u')
        len = size == 2 ? snprintf(buf, sizeof buf, "%llu", va_arg(*ap, unsigned long long))
            : size == 1 ? snprintf(buf, sizeof buf, "%lu", va_arg(*ap, unsigned long))
            : size == 3 ? snprintf(buf, sizeof buf, "%zu", va_arg(*ap, size_t))
            : snprintf(buf, sizeof buf, "%u", va_arg(*ap, unsigned int));
    else
        len = size == 2 ? snprintf(buf, sizeof buf, "%lld", va_arg(*ap, long long))
            : size == 1 ? snprintf(buf, sizeof buf, "%ld", va_arg(*ap, long))
            : size == 3 ? snprintf(buf, sizeof buf, "%lld", (long long)va_arg(*ap, Pm_ssize_t))
            : snprintf(buf, sizeof buf, "%d", va_arg(*ap, int));
    return fromformat_number(vm, w, buf, len, width, prec, zeropad);
}

static int fromformat_ptr(PmVM *vm, PmStrWriter *w, void *p)
{
    char buf[32];
    int len = snprintf(buf, sizeof buf, "0x%llx", (unsigned long long)(uintptr_t)p);
    return PmStrWriter_WriteASCII(vm, w, buf, len);
}

/* One %-directive of PmStr_FromFormatV; returns the position after it, NULL on error. */
static const char *fromformat_arg(PmVM *vm, PmStrWriter *w, const char *f, va_list *ap)
{
    const char *p = f++;
    if (*f == '%') return PmStrWriter_WriteChar(vm, w, '%') < 0 ? NULL : f + 1;
    bool zeropad = *f == '0';
    if (zeropad) f++;
    Pm_ssize_t width = -1, prec = -1;
    if (*f >= '0' && *f <= '9') for (width = 0; *f >= '0' && *f <= '9'; f++) width = width * 10 + (*f - '0');
    if (*f == '.') for (prec = 0, f++; *f >= '0' && *f <= '9'; f++) prec = prec * 10 + (*f - '0');
    int size = 0;
    if (*f == 'l' && f[1] == 'l' && strchr("diux", f[2])) { size = 2; f += 2; }
    else if (*f == 'l' && strchr("diux", f[1])) { size = 1; f++; }
    else if (*f == 'z' && strchr("diux", f[1])) { size = 3; f++; }
    if (f[0] && f[1] == '\0') w->overallocate = 0;
    int r;
    switch (*f) {
    case 'c': {
        int ch = va_arg(*ap, int);
        if (ch < 0 || ch > 0x10ffff) {
            PmErr_SetString(vm, PME(vm, OverflowError), "character argument not in range(0x110000)");
            return NULL;
        }
        r = PmStrWriter_WriteChar(vm, w, (uint32_t)ch);
        break;
    }
    case 'd': case 'i': case 'u': case 'x':
        r = fromformat_int(vm, w, *f, size, ap, width, prec, zeropad);
        break;
    case 'p': r = fromformat_ptr(vm, w, va_arg(*ap, void *)); break;
    case 's': r = fromformat_cstr(vm, w, va_arg(*ap, const char *), width, prec); break;
    case 'U': r = fromformat_obj(vm, w, Pm_NewRef(va_arg(*ap, PmObject *)), width, prec); break;
    case 'S': r = fromformat_obj(vm, w, PmObject_Str(vm, va_arg(*ap, PmObject *)), width, prec); break;
    case 'R': r = fromformat_obj(vm, w, PmObject_Repr(vm, va_arg(*ap, PmObject *)), width, prec); break;
    case 'T':
        r = fromformat_cstr(vm, w, Pm_TYPE(va_arg(*ap, PmObject *))->tp_name, width, prec);
        break;
    default: {
        /* unknown code: copy the rest of the format (the arguments cannot be skipped) */
        size_t n = strlen(p);
        PmObject *s = PmStr_FromUTF8(vm, p, n);
        r = s ? writer_copy(vm, w, s, 0, LEN(s)) : -1;
        Pm_XDECREF(vm, s);
        return r < 0 ? NULL : p + n;
    }
    }
    return r < 0 ? NULL : f + 1;
}

PmObject *PmStr_FromFormatV(PmVM *vm, const char *fmt, va_list ap)
{
    PmStrWriter w;
    PmStrWriter_Init(&w);
    w.min_length = (Pm_ssize_t)strlen(fmt) + 100;
    w.overallocate = 1;
    va_list ap2;
    va_copy(ap2, ap);
    const char *f = fmt;
    while (f && *f) {
        if (*f == '%') {
            f = fromformat_arg(vm, &w, f, &ap2);
            continue;
        }
        const char *p = f;
        while (*p && *p != '%') p++;
        if (*p == '\0') w.overallocate = 0;
        bool ascii = true;
        for (const char *q = f; q < p; q++) ascii = ascii && (unsigned char)*q < 128;
        int r = ascii ? PmStrWriter_WriteASCII(vm, &w, f, p - f)
                      : PmStrWriter_WriteUTF8(vm, &w, f, (size_t)(p - f));
        f = r < 0 ? NULL : p;
    }
    va_end(ap2);
    if (f == NULL) {
        PmStrWriter_Dealloc(vm, &w);
        return NULL;
    }
    return PmStrWriter_Finish(vm, &w);
}

PmObject *PmStr_FromFormat(PmVM *vm, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    PmObject *r = PmStr_FromFormatV(vm, fmt, ap);
    va_end(ap);
    return r;
}

/* ====================================================================== ascii() */

/* PyObject_ASCII: repr(o) with non-ASCII characters escaped. */
PmObject *pm_str_ascii(PmVM *vm, PmObject *o)
{
    PmObject *r = PmObject_Repr(vm, o);
    if (r == NULL || STR(r)->ascii) return r;
    PmStrWriter w;
    PmStrWriter_Init(&w);
    w.overallocate = 1;
    w.min_length = LEN(r);
    char buf[16];
    int rc = 0;
    for (Pm_ssize_t i = 0; i < LEN(r) && rc == 0; i++) {
        uint32_t c = READ(r, i);
        if (c < 128) { rc = PmStrWriter_WriteChar(vm, &w, c); continue; }
        int n = c <= 0xff ? snprintf(buf, sizeof buf, "\\x%02x", (unsigned)c)
              : c <= 0xffff ? snprintf(buf, sizeof buf, "\\u%04x", (unsigned)c)
              : snprintf(buf, sizeof buf, "\\U%08x", (unsigned)c);
        rc = PmStrWriter_WriteASCII(vm, &w, buf, n);
    }
    Pm_DECREF(vm, r);
    if (rc < 0) { PmStrWriter_Dealloc(vm, &w); return NULL; }
    return PmStrWriter_Finish(vm, &w);
}

/* ====================================================================== the % operator */

enum { F_LJUST = 1, F_SIGN = 2, F_BLANK = 4, F_ALT = 8, F_ZERO = 16 };

typedef struct FormatCtx {
    PmObject *args;        /* the tuple, the single argument, or the looked-up value */
    bool args_owned;
    Pm_ssize_t arglen, argidx;
    PmObject *dict;
    PmObject *fmt;
    Pm_ssize_t fmtcnt, fmtpos;
    PmStrWriter w;
} FormatCtx;

typedef struct FormatArg {
    uint32_t ch;
    int flags;
    Pm_ssize_t width;
    int prec;
    int sign;
} FormatArg;

#define FREAD(c) READ((c)->fmt, (c)->fmtpos)

static PmObject *next_arg(PmVM *vm, FormatCtx *c)
{
    Pm_ssize_t i = c->argidx;
    if (i < c->arglen) {
        c->argidx++;
        return c->arglen < 0 ? c->args : PmTuple_GET_ITEM(c->args, i);
    }
    PmErr_SetString(vm, PME(vm, TypeError), "not enough arguments for format string");
    return NULL;
}

/* "%(key)..." */
static int parse_key(PmVM *vm, FormatCtx *c, FormatArg *a)
{
    if (c->dict == NULL) {
        PmErr_SetString(vm, PME(vm, TypeError), "format requires a mapping");
        return -1;
    }
    ++c->fmtpos;
    --c->fmtcnt;
    Pm_ssize_t keystart = c->fmtpos;
    int pcount = 1;
    while (pcount > 0 && --c->fmtcnt >= 0) {
        a->ch = FREAD(c);
        if (a->ch == ')') --pcount;
        else if (a->ch == '(') ++pcount;
        c->fmtpos++;
    }
    if (c->fmtcnt < 0 || pcount > 0) {
        PmErr_SetString(vm, PME(vm, ValueError), "incomplete format key");
        return -1;
    }
    PmObject *key = PmStr_Substring(vm, c->fmt, keystart, c->fmtpos - 1);
    if (key == NULL) return -1;
    if (c->args_owned) { c->args_owned = false; Pm_DECREF(vm, c->args); }
    c->args = PmObject_GetItem(vm, c->dict, key);
    Pm_DECREF(vm, key);
    if (c->args == NULL) return -1;
    c->args_owned = true;
    c->arglen = -1;
    c->argidx = -2;
    return 0;
}

/* "*" for a width or precision: the next argument, which must be an int. */
/* A `*` width (a Py_ssize_t) or precision (a C int, `as_c_int`) taken from the arguments. */
static int star_arg(PmVM *vm, FormatCtx *c, Pm_ssize_t *out, bool as_c_int)
{
    PmObject *v = next_arg(vm, c);
    if (v == NULL) return -1;
    if (!PmLong_Check(v)) {
        PmErr_SetString(vm, PME(vm, TypeError), "* wants int");
        return -1;
    }
    if (as_c_int) {
        int i;
        if (PmNumber_AsCInt(vm, v, &i) < 0) return -1;
        *out = i;
    } else {
        *out = PmLong_AsSsize_t(vm, v);
        if (*out == -1 && PmErr_Occurred(vm)) return -1;
    }
    if (--c->fmtcnt >= 0) { /* caller reads the next character */ }
    return 0;
}

static void advance(FormatCtx *c, FormatArg *a)
{
    a->ch = FREAD(c);
    c->fmtpos++;
}

static int parse_digits(PmVM *vm, FormatCtx *c, FormatArg *a, Pm_ssize_t *out, Pm_ssize_t limit,
                        const char *msg)
{
    *out = a->ch - '0';
    while (--c->fmtcnt >= 0) {
        advance(c, a);
        if (a->ch < '0' || a->ch > '9') break;
        if (*out > (limit - (Pm_ssize_t)(a->ch - '0')) / 10) {
            PmErr_SetString(vm, PME(vm, ValueError), msg);
            return -1;
        }
        *out = *out * 10 + (a->ch - '0');
    }
    return 0;
}

/* unicode_format_arg_parse: flags, width, precision, length modifier. */
static int arg_parse(PmVM *vm, FormatCtx *c, FormatArg *a)
{
    if (a->ch == '(' && parse_key(vm, c, a) < 0) return -1;
    while (--c->fmtcnt >= 0) {
        advance(c, a);
        int fl = a->ch == '-' ? F_LJUST : a->ch == '+' ? F_SIGN : a->ch == ' ' ? F_BLANK
               : a->ch == '#' ? F_ALT : a->ch == '0' ? F_ZERO : 0;
        if (!fl) break;
        a->flags |= fl;
    }
    if (a->ch == '*') {
        if (star_arg(vm, c, &a->width, false) < 0) return -1;
        if (a->width < 0) { a->flags |= F_LJUST; a->width = -a->width; }
        if (c->fmtcnt >= 0) advance(c, a);
    } else if (a->ch >= '0' && a->ch <= '9') {
        if (parse_digits(vm, c, a, &a->width, PM_SSIZE_MAX, "width too big") < 0) return -1;
    }
    if (a->ch == '.') {
        a->prec = 0;
        if (--c->fmtcnt >= 0) advance(c, a);
        Pm_ssize_t p = 0;
        if (a->ch == '*') {
            if (star_arg(vm, c, &p, true) < 0) return -1;
            a->prec = p < 0 ? 0 : (int)p;
            if (c->fmtcnt >= 0) advance(c, a);
        } else if (a->ch >= '0' && a->ch <= '9') {
            if (parse_digits(vm, c, a, &p, INT32_MAX, "precision too big") < 0) return -1;
            a->prec = (int)p;
        }
    }
    if (c->fmtcnt >= 0 && (a->ch == 'h' || a->ch == 'l' || a->ch == 'L')) {
        if (--c->fmtcnt >= 0) advance(c, a);
    }
    if (c->fmtcnt < 0) {
        PmErr_SetString(vm, PME(vm, ValueError), "incomplete format");
        return -1;
    }
    return 0;
}

/* Write an int's digits into the writer through Prepare (_PyLong_FormatWriter). */
static int write_long(PmVM *vm, PmStrWriter *w, PmObject *v, int base, bool alt)
{
    PmObject *s = PmLong_Format(vm, v, base, alt);
    if (s == NULL) return -1;
    int r = writer_copy(vm, w, s, 0, LEN(s));
    Pm_DECREF(vm, s);
    return r;
}

/* _PyUnicode_FormatLong: digits of an int for d/i/u/o/x/X with precision and '#'. */
static PmObject *format_long(PmVM *vm, PmObject *val, bool alt, int prec, uint32_t type)
{
    if (prec > INT32_MAX - 3) {
        PmErr_SetString(vm, PME(vm, OverflowError), "precision too large");
        return NULL;
    }
    int base = type == 'o' ? 8 : type == 'x' || type == 'X' ? 16 : 10;
    PmObject *s = PmLong_Format(vm, val, base, base != 10);
    if (s == NULL) return NULL;
    Pm_ssize_t n = LEN(s);
    size_t size = (size_t)n + (size_t)(prec > 0 ? prec : 0) + 4;
    char *buf = size <= pm_host_buffer_limit(vm) ? malloc(size) : NULL;
    if (buf == NULL) { Pm_DECREF(vm, s); return PmErr_NoMemory(vm); }
    const char *d = PmStr_DATA(s);
    int sign = d[0] == '-', nondig = sign + (base != 10 ? 2 : 0);
    Pm_ssize_t len = 0;
    if (sign) buf[len++] = '-';
    if (base != 10 && alt) { buf[len++] = '0'; buf[len++] = (char)type; }
    if (base != 10 && !alt) nondig -= 2;
    Pm_ssize_t ndig = n - sign - (base != 10 ? 2 : 0);
    for (Pm_ssize_t i = ndig; i < prec; i++) buf[len++] = '0';
    memcpy(buf + len, d + n - ndig, (size_t)ndig);
    len += ndig;
    if (type == 'X')
        for (Pm_ssize_t i = 0; i < len; i++) if (buf[i] >= 'a' && buf[i] <= 'x') buf[i] -= 32;
    (void)nondig;
    PmObject *r = PmStr_FromASCII(vm, buf, len);
    free(buf);
    Pm_DECREF(vm, s);
    return r;
}

static bool number_check(PmObject *v)
{
    const PmNumberMethods *nb = &Pm_TYPE(v)->tp_as_number;
    return nb->nb_index || nb->nb_int || nb->nb_float;
}

/* mainformatlong: 1 written into the writer, 0 *out set, -1 error. */
static int main_format_long(PmVM *vm, FormatCtx *c, PmObject *v, FormatArg *a, PmObject **out)
{
    uint32_t t = a->ch;
    bool xo = t == 'o' || t == 'x' || t == 'X';
    if (!number_check(v)) goto wrongtype;
    PmObject *iobj;
    if (PmLong_Check(v)) iobj = Pm_NewRef(v);
    else {
        iobj = xo ? PmNumber_Index(vm, v) : PmLong_FromObject(vm, v);
        if (iobj == NULL) {
            if (PmErr_ExceptionMatches(vm, PME(vm, TypeError))) goto wrongtype;
            return -1;
        }
    }
    if (Pm_IS_TYPE(vm, v, INT) && a->width == -1 && a->prec == -1
        && !(a->flags & (F_SIGN | F_BLANK)) && t != 'X') {
        int base = t == 'o' ? 8 : t == 'x' ? 16 : 10;
        int r = write_long(vm, &c->w, v, base, base != 10 && (a->flags & F_ALT));
        Pm_DECREF(vm, iobj);
        return r < 0 ? -1 : 1;
    }
    *out = format_long(vm, iobj, (a->flags & F_ALT) != 0, a->prec, t);
    Pm_DECREF(vm, iobj);
    return *out ? 0 : -1;
wrongtype:
    PmErr_Format(vm, PME(vm, TypeError), xo ? "%%%c format: an integer is required, not %.200s"
                                            : "%%%c format: a real number is required, not %.200s",
                 (int)t, Pm_TYPE(v)->tp_name);
    return -1;
}

/* formatfloat: into the writer (fast path) or a new str. */
static int format_float(PmVM *vm, PmObject *v, FormatArg *a, PmObject **out, PmStrWriter *w)
{
    double x = PmFloat_AsDouble(vm, v);
    if (x == -1.0 && PmErr_Occurred(vm)) return -1;
    PmFmtBuf b;
    pmfmt_buf_init(&b, pm_host_buffer_limit(vm), NULL, NULL);
    int st = pmfmt_double_to_string(x, (char)a->ch, a->prec < 0 ? 6 : a->prec,
                                    (a->flags & F_ALT) ? PMFMT_DTSF_ALT : 0, &b);
    int r = -1;
    if (st != PMFMT_OK) {
        if (st == PMFMT_ERR_MEMORY) PmErr_NoMemory(vm);
        else PmErr_SetString(vm, PME(vm, ValueError), pmfmt_status_message(st));
    } else if (w) {
        r = PmStrWriter_WriteASCII(vm, w, b.data, (Pm_ssize_t)b.len);
    } else {
        *out = PmStr_FromASCII(vm, b.data, (Pm_ssize_t)b.len);
        r = *out ? 0 : -1;
    }
    pmfmt_buf_free(&b);
    return r;
}

/* formatchar: the code point for %c. */
static int format_char(PmVM *vm, PmObject *v, uint32_t *ch)
{
    if (PmStr_Check(v)) {
        if (LEN(v) == 1) { *ch = READ(v, 0); return 0; }
        goto bad;
    }
    PmObject *i = PmLong_Check(v) ? Pm_NewRef(v) : PmIndex_Check(v) ? PmNumber_Index(vm, v) : NULL;
    if (i == NULL) {
        if (PmErr_Occurred(vm) && !PmErr_ExceptionMatches(vm, PME(vm, TypeError))) return -1;
        PmErr_Clear(vm);
        goto bad;
    }
    int overflow = 0;
    long long x = PmLong_AsLongLongAndOverflow(vm, i, &overflow);
    Pm_DECREF(vm, i);
    if (overflow || x < 0 || x > 0x10ffff) {
        PmErr_SetString(vm, PME(vm, OverflowError), "%c arg not in range(0x110000)");
        return -1;
    }
    *ch = (uint32_t)x;
    return 0;
bad:
    PmErr_SetString(vm, PME(vm, TypeError), "%c requires int or char");
    return -1;
}

/* unicode_format_arg_format: 1 written, 0 *out set, -1 error. */
static int arg_format(PmVM *vm, FormatCtx *c, FormatArg *a, PmObject **out)
{
    if (c->fmtcnt == 0) c->w.overallocate = 0;
    PmObject *v = next_arg(vm, c);
    if (v == NULL) return -1;
    switch (a->ch) {
    case 's': case 'r': case 'a':
        if (Pm_IS_TYPE(vm, v, INT) && a->width == -1 && a->prec == -1)
            return write_long(vm, &c->w, v, 10, false) < 0 ? -1 : 1;
        if (Pm_IS_TYPE(vm, v, STR) && a->ch == 's') *out = Pm_NewRef(v);
        else *out = a->ch == 's' ? PmObject_Str(vm, v) : a->ch == 'r' ? PmObject_Repr(vm, v)
                  : pm_str_ascii(vm, v);
        return *out ? 0 : -1;
    case 'i': case 'd': case 'u': case 'o': case 'x': case 'X': {
        int r = main_format_long(vm, c, v, a, out);
        if (r == 0) a->sign = 1;
        return r;
    }
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
        if (a->width == -1 && a->prec == -1 && !(a->flags & (F_SIGN | F_BLANK)))
            return format_float(vm, v, a, NULL, &c->w) < 0 ? -1 : 1;
        a->sign = 1;
        return format_float(vm, v, a, out, NULL);
    case 'c': {
        uint32_t ch;
        if (format_char(vm, v, &ch) < 0) return -1;
        if (a->width == -1 && a->prec == -1)
            return PmStrWriter_WriteChar(vm, &c->w, ch) < 0 ? -1 : 1;
        *out = PmStr_FromChar(vm, ch);
        return *out ? 0 : -1;
    }
    default:
        PmErr_Format(vm, PME(vm, ValueError), "unsupported format character '%c' (0x%x) at index %zd",
                     (31 <= a->ch && a->ch <= 126) ? (int)a->ch : '?', (unsigned)a->ch, c->fmtpos - 1);
        return -1;
    }
}

/* unicode_format_arg_output: sign, '#' prefix, padding. */
static int arg_output(PmVM *vm, FormatCtx *c, FormatArg *a, PmObject *str)
{
    PmStrWriter *w = &c->w;
    uint32_t fill = a->sign && (a->flags & F_ZERO) ? '0' : ' ';
    Pm_ssize_t len = LEN(str);
    if ((a->width == -1 || a->width <= len) && (a->prec == -1 || a->prec >= len)
        && !(a->flags & (F_SIGN | F_BLANK)))
        return PmStrWriter_WriteStr(vm, w, str);
    if ((a->ch == 's' || a->ch == 'r' || a->ch == 'a') && a->prec >= 0 && len > a->prec) len = a->prec;
    Pm_ssize_t pindex = 0;
    uint32_t signchar = 0;
    if (a->sign) {
        uint32_t ch = READ(str, 0);
        if (ch == '-' || ch == '+') { signchar = ch; len--; pindex++; }
        else if (a->flags & F_SIGN) signchar = '+';
        else if (a->flags & F_BLANK) signchar = ' ';
        else a->sign = 0;
    }
    if (a->width < len) a->width = len;
    uint32_t maxchar = w->maxchar;
    if (!(a->flags & F_LJUST) && (a->sign ? a->width - 1 > len : a->width > len) && fill > maxchar)
        maxchar = fill;
    if (pm_str_max_char_value(str) > maxchar) {
        uint32_t m = pm_str_find_max_char(str, 0, pindex + len);
        if (m > maxchar) maxchar = m;
    }
    Pm_ssize_t buflen = a->width + (a->sign && len == a->width ? 1 : 0);
    if (PmStrWriter_Prepare(vm, w, buflen, maxchar) < 0) return -1;
    bool alt = (a->flags & F_ALT) && (a->ch == 'x' || a->ch == 'X' || a->ch == 'o');
    if (a->sign) {
        if (fill != ' ') writer_put(w, signchar);
        if (a->width > len) a->width--;
    }
    if (alt) {
        if (fill != ' ') { writer_put(w, '0'); writer_put(w, a->ch); pindex += 2; }
        a->width -= 2;
        if (a->width < 0) a->width = 0;
        len -= 2;
    }
    if (a->width > len && !(a->flags & F_LJUST)) {
        writer_fill(w, fill, a->width - len);
        a->width = len;
    }
    if (fill == ' ') {
        if (a->sign) writer_put(w, signchar);
        if (alt) { writer_put(w, '0'); writer_put(w, a->ch); pindex += 2; }
    }
    pm_str_copy_chars(w->kind, w->data, w->pos, STR(str)->kind, PmStr_DATA(str), pindex, len);
    w->pos += len > 0 ? len : 0;
    if (a->width > len) writer_fill(w, ' ', a->width - len);
    return 0;
}

static int format_one(PmVM *vm, FormatCtx *c)
{
    FormatArg a = {FREAD(c), 0, -1, -1, 0};
    if (a.ch == '%') {
        c->fmtpos++;
        c->fmtcnt--;
        return PmStrWriter_WriteChar(vm, &c->w, '%');
    }
    PmObject *str = NULL;
    if (arg_parse(vm, c, &a) < 0) return -1;
    int r = arg_format(vm, c, &a, &str);
    if (r < 0) return -1;
    if (r == 0) {
        r = arg_output(vm, c, &a, str);
        Pm_DECREF(vm, str);
        if (r < 0) return -1;
    }
    if (c->dict && c->argidx < c->arglen) {
        PmErr_SetString(vm, PME(vm, TypeError), "not all arguments converted during string formatting");
        return -1;
    }
    return 0;
}

static int format_loop(PmVM *vm, FormatCtx *c)
{
    while (--c->fmtcnt >= 0) {
        if (FREAD(c) != '%') {
            Pm_ssize_t start = c->fmtpos++;
            while (c->fmtcnt >= 0 && FREAD(c) != '%') { c->fmtpos++; c->fmtcnt--; }
            if (c->fmtcnt < 0) { c->fmtpos--; c->w.overallocate = 0; }
            if (PmStrWriter_WriteSubstring(vm, &c->w, c->fmt, start, c->fmtpos) < 0) return -1;
        } else {
            c->fmtpos++;
            if (format_one(vm, c) < 0) return -1;
        }
    }
    if (c->argidx < c->arglen && !c->dict) {
        PmErr_SetString(vm, PME(vm, TypeError), "not all arguments converted during string formatting");
        return -1;
    }
    return 0;
}

/* PyUnicode_Format: fmt % args. */
PmObject *PmStr_Format(PmVM *vm, PmObject *fmt, PmObject *args)
{
    FormatCtx c;
    memset(&c, 0, sizeof c);
    c.fmt = fmt;
    c.fmtcnt = LEN(fmt);
    PmStrWriter_Init(&c.w);
    c.w.min_length = c.fmtcnt + 100;
    c.w.overallocate = 1;
    bool tuple = PmTuple_Check(args);
    c.arglen = tuple ? PmTuple_GET_SIZE(args) : -1;
    c.argidx = tuple ? 0 : -2;
    if (Pm_TYPE(args)->tp_as_mapping.mp_subscript && !tuple && !PmStr_Check(args)) c.dict = args;
    c.args = args;
    int r = format_loop(vm, &c);
    if (c.args_owned) Pm_DECREF(vm, c.args);
    if (r < 0) {
        PmStrWriter_Dealloc(vm, &c.w);
        return NULL;
    }
    return PmStrWriter_Finish(vm, &c.w);
}

/* ====================================================================== str.__format__ */

/* A str field under a non-empty spec (format_string_internal); 0 or -1. */
static int format_str_spec(PmVM *vm, PmStrWriter *w, PmObject *value, PmObject *spec,
                           Pm_ssize_t start, Pm_ssize_t end)
{
    PmObject *sub = PmStr_Substring(vm, spec, start, end);
    if (sub == NULL) return -1;
    Pm_ssize_t slen, vlen;
    const char *s = PmStr_AsUTF8(vm, sub, &slen);
    PmFmtSpec fs;
    PmFmtBuf err, out;
    pmfmt_buf_init(&err, 0, NULL, NULL);
    pmfmt_buf_init(&out, pm_host_buffer_limit(vm), NULL, NULL);
    int r = -1;
    int st = s ? pmfmt_parse_spec(s, (size_t)slen, PMFMT_STR, Pm_TYPE(value)->tp_name, &fs, &err) : -1;
    if (st == PMFMT_ERR_SPEC) {
        PmErr_SetString(vm, PME(vm, ValueError), err.data ? err.data : "");
    } else if (st == PMFMT_ERR_MEMORY) {
        PmErr_NoMemory(vm);
    } else if (st == PMFMT_OK) {
        Pm_ssize_t n = LEN(value);
        if ((fs.width == -1 || fs.width <= n) && (fs.precision == -1 || fs.precision >= n)) {
            r = PmStrWriter_WriteStr(vm, w, value);
        } else {
            const char *v = PmStr_AsUTF8(vm, value, &vlen);
            st = v ? pmfmt_format_str(v, (size_t)vlen, (size_t)n, &fs, &out) : PMFMT_ERR_MEMORY;
            if (st == PMFMT_OK) r = PmStrWriter_WriteUTF8(vm, w, out.data ? out.data : "", out.len);
            else if (!PmErr_Occurred(vm)) PmErr_NoMemory(vm);
        }
    }
    pmfmt_buf_free(&err);
    pmfmt_buf_free(&out);
    Pm_DECREF(vm, sub);
    return r;
}

/* _PyUnicode_FormatAdvancedWriter. */
static int format_advanced_str(PmVM *vm, PmStrWriter *w, PmObject *value, PmObject *spec,
                               Pm_ssize_t start, Pm_ssize_t end)
{
    if (start == end) {
        if (Pm_IS_TYPE(vm, value, STR)) return PmStrWriter_WriteStr(vm, w, value);
        PmObject *s = PmObject_Str(vm, value);
        if (s == NULL) return -1;
        int r = PmStrWriter_WriteStr(vm, w, s);
        Pm_DECREF(vm, s);
        return r;
    }
    return format_str_spec(vm, w, value, spec, start, end);
}

PmObject *pm_str_format_spec_method(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                    PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    PmObject *spec = args[0];
    if (!PmStr_Check(spec))
        return PmErr_Format(vm, PME(vm, TypeError), "__format__() argument must be str, not %.50s",
                            Pm_TYPE(spec)->tp_name);
    PmStrWriter w;
    PmStrWriter_Init(&w);
    if (format_advanced_str(vm, &w, self, spec, 0, LEN(spec)) < 0) {
        PmStrWriter_Dealloc(vm, &w);
        return NULL;
    }
    return PmStrWriter_Finish(vm, &w);
}

/* ====================================================================== str.format */

typedef struct Sub {          /* SubString: str[start:end] */
    PmObject *str;
    Pm_ssize_t start, end;
} Sub;

enum { ANS_INIT, ANS_AUTO, ANS_MANUAL };
typedef struct AutoNumber {
    int state;
    Pm_ssize_t field_number;
} AutoNumber;

typedef struct FormatCall {
    PmObject *args;             /* tuple, or NULL for format_map */
    PmObject *kwargs;           /* mapping or NULL */
    AutoNumber an;
} FormatCall;

static PmObject *sub_object(PmVM *vm, const Sub *s)
{
    if (s->str == NULL) return Pm_NewRef(vm->empty_str);
    return PmStr_Substring(vm, s->str, s->start, s->end);
}

/* get_integer: the decimal value of s, -1 if it is not all digits. */
static Pm_ssize_t get_integer(PmVM *vm, const Sub *s)
{
    Pm_ssize_t acc = 0;
    if (s->start >= s->end) return -1;
    for (Pm_ssize_t i = s->start; i < s->end; i++) {
        int d = pm_unicode_decimal(READ(s->str, i));
        if (d < 0) return -1;
        if (acc > (PM_SSIZE_MAX - d) / 10) {
            PmErr_SetString(vm, PME(vm, ValueError), "Too many decimal digits in format string");
            return -1;
        }
        acc = acc * 10 + d;
    }
    return acc;
}

/* FieldNameIterator_next: 2 one more part, 1 done, 0 error. */
static int field_next(PmVM *vm, Sub *rest, bool *is_attr, Pm_ssize_t *idx, Sub *name)
{
    if (rest->start >= rest->end) return 1;
    uint32_t c = READ(rest->str, rest->start++);
    name->str = rest->str;
    name->start = rest->start;
    if (c == '.') {
        *is_attr = true;
        while (rest->start < rest->end) {
            uint32_t d = READ(rest->str, rest->start);
            if (d == '[' || d == '.') break;
            rest->start++;
        }
        name->end = rest->start;
        *idx = -1;
    } else if (c == '[') {
        *is_attr = false;
        bool seen = false;
        while (rest->start < rest->end && !seen) seen = READ(rest->str, rest->start++) == ']';
        if (!seen) {
            PmErr_SetString(vm, PME(vm, ValueError), "Missing ']' in format string");
            return 0;
        }
        name->end = rest->start - 1;
        *idx = get_integer(vm, name);
        if (*idx == -1 && PmErr_Occurred(vm)) return 0;
    } else {
        PmErr_SetString(vm, PME(vm, ValueError), "Only '.' or '[' may follow ']' in format field specifier");
        return 0;
    }
    if (name->start == name->end) {
        PmErr_SetString(vm, PME(vm, ValueError), "Empty attribute in format string");
        return 0;
    }
    return 2;
}

/* field_name_split + auto-numbering; *first_idx -1 means a keyword. */
static int field_split(PmVM *vm, const Sub *in, Sub *first, Pm_ssize_t *first_idx, Sub *rest,
                       AutoNumber *an)
{
    Pm_ssize_t i = in->start;
    while (i < in->end) {
        uint32_t c = READ(in->str, i);
        if (c == '[' || c == '.') break;
        i++;
    }
    *first = (Sub){in->str, in->start, i};
    *rest = (Sub){in->str, i, in->end};
    *first_idx = get_integer(vm, first);
    if (*first_idx == -1 && PmErr_Occurred(vm)) return -1;
    bool empty = first->start >= first->end, numeric = empty || *first_idx != -1;
    if (an->state == ANS_INIT && numeric) an->state = empty ? ANS_AUTO : ANS_MANUAL;
    if (numeric && an->state == ANS_MANUAL && empty) {
        PmErr_SetString(vm, PME(vm, ValueError),
                        "cannot switch from manual field specification to automatic field numbering");
        return -1;
    }
    if (numeric && an->state != ANS_MANUAL && !empty) {
        PmErr_SetString(vm, PME(vm, ValueError),
                        "cannot switch from automatic field numbering to manual field specification");
        return -1;
    }
    if (empty) *first_idx = an->field_number++;
    return 0;
}

static PmObject *field_first(PmVM *vm, FormatCall *fc, const Sub *first, Pm_ssize_t idx)
{
    if (idx == -1) {
        PmObject *key = sub_object(vm, first);
        if (key == NULL) return NULL;
        PmObject *obj = NULL;
        if (fc->kwargs == NULL) PmErr_SetObject(vm, PME(vm, KeyError), key);
        else obj = PmObject_GetItem(vm, fc->kwargs, key);
        Pm_DECREF(vm, key);
        return obj;
    }
    if (fc->args == NULL) {
        PmErr_SetString(vm, PME(vm, ValueError), "Format string contains positional fields");
        return NULL;
    }
    if (idx >= PmTuple_GET_SIZE(fc->args))
        return PmErr_Format(vm, PME(vm, IndexError),
                            "Replacement index %zd out of range for positional args tuple", idx);
    return Pm_NewRef(PmTuple_GET_ITEM(fc->args, idx));
}

static PmObject *field_part(PmVM *vm, PmObject *obj, bool is_attr, Pm_ssize_t idx, const Sub *name)
{
    if (is_attr || idx == -1) {
        PmObject *key = sub_object(vm, name);
        if (key == NULL) return NULL;
        PmObject *r = is_attr ? PmObject_GetAttr(vm, obj, key) : PmObject_GetItem(vm, obj, key);
        Pm_DECREF(vm, key);
        return r;
    }
    if (PmSequence_Check(obj)) return PmSequence_GetItem(vm, obj, idx);
    PmObject *key = PmLong_FromSsize_t(vm, idx);
    if (key == NULL) return NULL;
    PmObject *r = PmObject_GetItem(vm, obj, key);
    Pm_DECREF(vm, key);
    return r;
}

/* get_field_object. */
static PmObject *get_field(PmVM *vm, FormatCall *fc, const Sub *field_name)
{
    Sub first, rest, name;
    Pm_ssize_t idx;
    if (field_split(vm, field_name, &first, &idx, &rest, &fc->an) < 0) return NULL;
    PmObject *obj = field_first(vm, fc, &first, idx);
    bool is_attr;
    int ok = 1;
    while (obj && (ok = field_next(vm, &rest, &is_attr, &idx, &name)) == 2) {
        PmObject *t = field_part(vm, obj, is_attr, idx, &name);
        Pm_DECREF(vm, obj);
        obj = t;
    }
    if (ok == 0) Pm_CLEAR(vm, obj);
    return obj;
}

static PmObject *do_conversion(PmVM *vm, PmObject *obj, uint32_t conv)
{
    if (conv == 'r') return PmObject_Repr(vm, obj);
    if (conv == 's') return PmObject_Str(vm, obj);
    if (conv == 'a') return pm_str_ascii(vm, obj);
    if (conv > 32 && conv < 127)
        return PmErr_Format(vm, PME(vm, ValueError), "Unknown conversion specifier %c", (int)conv);
    return PmErr_Format(vm, PME(vm, ValueError), "Unknown conversion specifier \\x%x", (unsigned)conv);
}

/* render_field: exact str, int and float are formatted into the writer as CPython's
 * type-specific formatters do; anything else goes through format(). */
static int render_field(PmVM *vm, PmStrWriter *w, PmObject *obj, const Sub *spec)
{
    if (Pm_IS_TYPE(vm, obj, STR))
        return format_advanced_str(vm, w, obj, spec->str, spec->start, spec->str ? spec->end : spec->start);
    PmObject *specobj = sub_object(vm, spec);
    if (specobj == NULL) return -1;
    bool empty = LEN(specobj) == 0;
    PmObject *res = Pm_IS_TYPE(vm, obj, INT) && empty ? PmObject_Str(vm, obj)
                                                      : PmObject_Format(vm, obj, specobj);
    Pm_DECREF(vm, specobj);
    if (res == NULL) return -1;
    int r;
    if (!PmStr_Check(res)) {
        PmErr_Format(vm, PME(vm, TypeError), "__format__ must return a str, not %.200s",
                     Pm_TYPE(res)->tp_name);
        r = -1;
    } else if (Pm_IS_TYPE(vm, obj, INT) || (Pm_IS_TYPE(vm, obj, FLOAT) && !empty)) {
        r = writer_copy(vm, w, res, 0, LEN(res));
    } else {
        r = PmStrWriter_WriteStr(vm, w, res);
    }
    Pm_DECREF(vm, res);
    return r;
}

static PmObject *build_string(PmVM *vm, const Sub *input, FormatCall *fc, int depth);

static int output_markup(PmVM *vm, PmStrWriter *w, FormatCall *fc, const Sub *field_name,
                         const Sub *spec, bool expand, uint32_t conv, int depth)
{
    PmObject *obj = get_field(vm, fc, field_name), *tmp = NULL;
    if (obj == NULL) return -1;
    if (conv) {
        tmp = do_conversion(vm, obj, conv);
        Pm_DECREF(vm, obj);
        if (tmp == NULL) return -1;
        obj = tmp;
        tmp = NULL;
    }
    Sub actual = *spec;
    if (expand) {
        tmp = build_string(vm, spec, fc, depth - 1);
        if (tmp == NULL) { Pm_DECREF(vm, obj); return -1; }
        actual = (Sub){tmp, 0, LEN(tmp)};
    }
    int r = render_field(vm, w, obj, &actual);
    Pm_DECREF(vm, obj);
    Pm_XDECREF(vm, tmp);
    return r;
}

/* parse_field: after '{', the field name, conversion and spec up to the matching '}'. */
static int parse_field(PmVM *vm, Sub *in, Sub *name, Sub *spec, bool *expand, uint32_t *conv)
{
    uint32_t c = 0;
    *conv = 0;
    *spec = (Sub){NULL, 0, 0};
    name->str = in->str;
    name->start = in->start;
    while (in->start < in->end) {
        c = READ(in->str, in->start++);
        if (c == '{') {
            PmErr_SetString(vm, PME(vm, ValueError), "unexpected '{' in field name");
            return -1;
        }
        if (c == '[') {
            while (in->start < in->end && READ(in->str, in->start) != ']') in->start++;
            continue;
        }
        if (c == '}' || c == ':' || c == '!') break;
    }
    name->end = in->start - 1;
    if (c != '!' && c != ':') {
        if (c == '}') return 0;
        PmErr_SetString(vm, PME(vm, ValueError), "expected '}' before end of string");
        return -1;
    }
    if (c == '!') {
        if (in->start >= in->end) {
            PmErr_SetString(vm, PME(vm, ValueError), "end of string while looking for conversion specifier");
            return -1;
        }
        *conv = READ(in->str, in->start++);
        if (in->start < in->end) {
            c = READ(in->str, in->start++);
            if (c == '}') return 0;
            if (c != ':') {
                PmErr_SetString(vm, PME(vm, ValueError), "expected ':' after conversion specifier");
                return -1;
            }
        }
    }
    spec->str = in->str;
    spec->start = in->start;
    int count = 1;
    while (in->start < in->end) {
        c = READ(in->str, in->start++);
        if (c == '{') { *expand = true; count++; }
        else if (c == '}' && --count == 0) { spec->end = in->start - 1; return 0; }
    }
    PmErr_SetString(vm, PME(vm, ValueError), "unmatched '{' in format spec");
    return -1;
}

/* do_markup: the MarkupIterator loop. */
static int do_markup(PmVM *vm, const Sub *input, FormatCall *fc, PmStrWriter *w, int depth)
{
    Sub in = *input;
    while (in.start < in.end) {
        Pm_ssize_t start = in.start;
        uint32_t c = 0;
        bool markup = false;
        while (in.start < in.end) {
            c = READ(in.str, in.start++);
            if (c == '{' || c == '}') { markup = true; break; }
        }
        bool at_end = in.start >= in.end;
        Pm_ssize_t len = in.start - start;
        if (c == '}' && (at_end || c != READ(in.str, in.start))) {
            PmErr_SetString(vm, PME(vm, ValueError), "Single '}' encountered in format string");
            return -1;
        }
        if (at_end && c == '{') {
            PmErr_SetString(vm, PME(vm, ValueError), "Single '{' encountered in format string");
            return -1;
        }
        if (!at_end) {
            if (markup && c == READ(in.str, in.start)) { in.start++; markup = false; }
            else if (markup) len--;
        }
        Sub name, spec;
        bool expand = false;
        uint32_t conv = 0;
        if (markup && parse_field(vm, &in, &name, &spec, &expand, &conv) < 0) return -1;
        if (len) {
            if (!markup && in.start == in.end) w->overallocate = 0;
            if (PmStrWriter_WriteSubstring(vm, w, in.str, start, start + len) < 0) return -1;
        }
        if (markup) {
            if (in.start == in.end) w->overallocate = 0;
            if (output_markup(vm, w, fc, &name, &spec, expand, conv, depth) < 0) return -1;
        }
    }
    return 0;
}

static PmObject *build_string(PmVM *vm, const Sub *input, FormatCall *fc, int depth)
{
    if (depth <= 0) {
        PmErr_SetString(vm, PME(vm, ValueError), "Max string recursion exceeded");
        return NULL;
    }
    PmStrWriter w;
    PmStrWriter_Init(&w);
    w.overallocate = 1;
    w.min_length = LEN(input->str) + 100;
    if (do_markup(vm, input, fc, &w, depth) < 0) {
        PmStrWriter_Dealloc(vm, &w);
        return NULL;
    }
    return PmStrWriter_Finish(vm, &w);
}

static PmObject *do_string_format(PmVM *vm, PmObject *self, PmObject *args, PmObject *kwargs)
{
    FormatCall fc = {args, kwargs, {ANS_INIT, 0}};
    Sub input = {self, 0, LEN(self)};
    return build_string(vm, &input, &fc, 2);
}

/* str.format(*args, **kwargs): the arguments become a tuple and (if any) a dict, as
 * CPython's METH_VARARGS | METH_KEYWORDS calling convention makes them. */
PmObject *pm_str_format_method(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    PmObject *tuple = PmTuple_FromArray(vm, args, (Pm_ssize_t)nargs), *kw = NULL;
    if (tuple == NULL) return NULL;
    Pm_ssize_t nkw = kwnames ? PmTuple_GET_SIZE(kwnames) : 0;
    if (nkw) {
        kw = PmDict_New(vm);
        for (Pm_ssize_t i = 0; kw && i < nkw; i++)
            if (PmDict_SetItem(vm, kw, PmTuple_GET_ITEM(kwnames, i), args[nargs + i]) < 0)
                Pm_CLEAR(vm, kw);
        if (kw == NULL) { Pm_DECREF(vm, tuple); return NULL; }
    }
    PmObject *r = do_string_format(vm, self, tuple, kw);
    Pm_XDECREF(vm, kw);
    Pm_DECREF(vm, tuple);
    return r;
}

PmObject *pm_str_format_map_method(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                   PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    return do_string_format(vm, self, NULL, args[0]);
}
