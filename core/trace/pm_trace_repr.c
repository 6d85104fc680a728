/*
 * pm_trace_repr.c -- the short reprs of heap snapshots, computed from the objects' fields.
 *
 * A snapshot must not run Python code (pm_trace.h), so this is not PmObject_Repr: instances
 * of the program's classes show as "<ClassName object>" whatever their __repr__ says;
 * containers are written by this walker with a depth cut (nested containers beyond
 * MAX_DEPTH show as "[…]"), self-references as "[...]" like CPython, and everything stops
 * at `max` code points with a trailing "…".  Builtin values (int, float, str, bool, None,
 * tuples, lists, dicts, sets, ranges, slices) read exactly as repr() shows them in 3.11;
 * objects whose CPython repr contains an address ("<function f at 0x...>") drop it.
 */
#include "pm.h"
#include "trace/pm_trace.h"
#include "lib/fmt.h"

enum { MAX_DEPTH = 3, INT_MAX_DIGITS = 1000 };

/* ------------------------------------------------------------------ output */

static bool full(PmTraceRepr *r)
{
    return r->chars >= r->max;
}

/* One code point (as UTF-8 bytes). */
static void put_cp(PmTraceRepr *r, uint32_t ch)
{
    if (full(r)) {
        r->cut = true;
        return;
    }
    char tmp[4];
    size_t n = pm_str_utf8_encode_char(tmp, ch);
    memcpy(r->buf + r->len, tmp, n);
    r->len += n;
    r->chars++;
}

static void put(PmTraceRepr *r, const char *s)
{
    /* ASCII or UTF-8 text from the core: count code points, not bytes */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (full(r)) {
            r->cut = true;
            return;
        }
        size_t n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : 4;
        for (size_t k = 1; k < n; k++)
            if (p[k] == 0) n = k;
        memcpy(r->buf + r->len, p, n);
        r->len += n;
        r->chars++;
        p += n - 1;
    }
}

static void put_str_obj(PmTraceRepr *r, PmObject *s)
{
    for (Pm_ssize_t i = 0; i < PmStr_GET_LENGTH(s) && !r->cut; i++) put_cp(r, PmStr_READ(s, i));
}

/* ------------------------------------------------------------------ str */

static void put_escaped(PmTraceRepr *r, uint32_t ch, uint32_t quote)
{
    static const char hex[] = "0123456789abcdef";
    char esc[12];
    if (ch == quote || ch == '\\') {
        esc[0] = '\\'; esc[1] = (char)ch; esc[2] = 0;
    } else if (ch == '\t' || ch == '\n' || ch == '\r') {
        esc[0] = '\\'; esc[1] = ch == '\t' ? 't' : ch == '\n' ? 'n' : 'r'; esc[2] = 0;
    } else if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && !pm_unicode_isprintable(ch))) {
        int digits = ch < 0x100 ? 2 : ch < 0x10000 ? 4 : 8;
        esc[0] = '\\';
        esc[1] = digits == 2 ? 'x' : digits == 4 ? 'u' : 'U';
        for (int i = 0; i < digits; i++) esc[2 + i] = hex[(ch >> (4 * (digits - 1 - i))) & 15];
        esc[2 + digits] = 0;
    } else {
        put_cp(r, ch);
        return;
    }
    /* an escape is all or nothing */
    if (r->chars + (int)strlen(esc) > r->max) {
        r->cut = true;
        r->chars = r->max;
        return;
    }
    put(r, esc);
}

void pm_trace_repr_str_body(PmObject *s, PmTraceRepr *r)
{
    for (Pm_ssize_t i = 0; i < PmStr_GET_LENGTH(s) && !r->cut; i++)
        put_escaped(r, PmStr_READ(s, i), 0);
}

/* CPython's unicode_repr: single quotes unless the text has ' and no ". */
static void repr_str(PmTraceRepr *r, PmObject *s)
{
    bool sq = false, dq = false;
    for (Pm_ssize_t i = 0; i < PmStr_GET_LENGTH(s); i++) {
        uint32_t c = PmStr_READ(s, i);
        if (c == '\'') sq = true;
        else if (c == '"') dq = true;
    }
    uint32_t quote = sq && !dq ? '"' : '\'';
    put_cp(r, quote);
    for (Pm_ssize_t i = 0; i < PmStr_GET_LENGTH(s) && !r->cut; i++)
        put_escaped(r, PmStr_READ(s, i), quote);
    put_cp(r, quote);
}

/* ------------------------------------------------------------------ int */

/* Decimal digits of |o| (CPython's long_to_decimal_string: base 2**30 -> base 10**9), in
 * host memory; NULL when it is too large to be worth it or there is no memory. */
static char *int_decimal(PmObject *o)
{
    Pm_ssize_t size = Pm_SIZE(o) < 0 ? -Pm_SIZE(o) : Pm_SIZE(o);
    if (size > INT_MAX_DIGITS) return NULL;
    const pm_digit *d = ((PmLong *)o)->ob_digit;
    size_t cap = (size_t)size * 2 + 2, n = 0;
    uint32_t *out = malloc(cap * sizeof *out);
    char *text = malloc(cap * 9 + 2);
    if (out == NULL || text == NULL) {
        free(out);
        free(text);
        return NULL;
    }
    for (Pm_ssize_t i = size - 1; i >= 0; i--) {
        uint64_t carry = d[i];
        for (size_t j = 0; j < n; j++) {
            uint64_t z = ((uint64_t)out[j] << PM_LONG_SHIFT) + carry;
            carry = z / 1000000000u;
            out[j] = (uint32_t)(z - carry * 1000000000u);
        }
        while (carry) {
            out[n++] = (uint32_t)(carry % 1000000000u);
            carry /= 1000000000u;
        }
    }
    size_t len = 0;
    if (n == 0) text[len++] = '0';
    else {
        len = (size_t)sprintf(text, "%u", (unsigned)out[n - 1]);
        for (size_t j = n - 1; j-- > 0;) len += (size_t)sprintf(text + len, "%09u", (unsigned)out[j]);
    }
    text[len] = 0;
    free(out);
    return text;
}

static void repr_int(PmTraceRepr *r, PmObject *o)
{
    if (Pm_SIZE(o) < 0) put(r, "-");
    char *text = int_decimal(o);
    if (text == NULL) {
        char msg[64];
        snprintf(msg, sizeof msg, "<int of %lld bits>", (long long)PmLong_NumBits(o));
        put(r, msg);
        return;
    }
    put(r, text);
    free(text);
}

/* ------------------------------------------------------------------ helpers */

typedef struct Ctx {
    PmVM *vm;
    PmObject *stack[MAX_DEPTH + 1];    /* containers being written (self-reference check) */
    int depth;
} Ctx;

static void repr_obj(Ctx *c, PmTraceRepr *r, PmObject *o);

static bool on_stack(Ctx *c, PmObject *o)
{
    for (int i = 0; i < c->depth; i++)
        if (c->stack[i] == o) return true;
    return false;
}

/* The value of a str-keyed entry of a dict, comparing str keys only (no __eq__ runs). */
static PmObject *dict_get_str(PmObject *d, const char *name)
{
    if (d == NULL || !PmDict_Check(d)) return NULL;
    Pm_ssize_t pos = 0;
    PmObject *k, *v;
    while (PmDict_Next(d, &pos, &k, &v))
        if (PmStr_Check(k) && PmStr_EqualToASCII(k, name)) return v;
    return NULL;
}

static const char *type_name(PmType *tp)
{
    return tp->tp_name ? tp->tp_name : "?";
}

static void put_items(Ctx *c, PmTraceRepr *r, PmObject *const *items, Pm_ssize_t n)
{
    for (Pm_ssize_t i = 0; i < n && !r->cut; i++) {
        if (i) put(r, ", ");
        if (items[i]) repr_obj(c, r, items[i]);
    }
}

/* Enter a container: false when it is already being written ("[...]") or too deep. */
static bool enter(Ctx *c, PmTraceRepr *r, PmObject *o, const char *recursive, const char *deep)
{
    if (on_stack(c, o)) {
        put(r, recursive);
        return false;
    }
    if (c->depth >= MAX_DEPTH) {
        put(r, deep);
        return false;
    }
    c->stack[c->depth++] = o;
    return true;
}

static void repr_dict(Ctx *c, PmTraceRepr *r, PmObject *o)
{
    if (!enter(c, r, o, "{...}", "{…}")) return;
    put(r, "{");
    Pm_ssize_t pos = 0;
    PmObject *k, *v;
    bool first = true;
    while (!r->cut && PmDict_Next(o, &pos, &k, &v)) {
        if (!first) put(r, ", ");
        first = false;
        repr_obj(c, r, k);
        put(r, ": ");
        repr_obj(c, r, v);
    }
    put(r, "}");
    c->depth--;
}

static void repr_set(Ctx *c, PmTraceRepr *r, PmObject *o)
{
    bool exact = Pm_TYPE(o) == PMT(c->vm, SET);
    const char *name = type_name(Pm_TYPE(o));
    char head[64];
    if (PmSet_Size(o) == 0) {
        snprintf(head, sizeof head, "%s()", name);
        put(r, head);
        return;
    }
    snprintf(head, sizeof head, "%s(", name);
    if (!enter(c, r, o, exact ? "{...}" : "(...)", exact ? "{…}" : "(…)")) return;
    if (!exact) put(r, head);
    put(r, "{");
    Pm_ssize_t pos = 0;
    PmObject *k;
    Pm_hash_t h;
    bool first = true;
    while (!r->cut && PmSet_Next(o, &pos, &k, &h)) {
        if (!first) put(r, ", ");
        first = false;
        repr_obj(c, r, k);
    }
    put(r, "}");
    if (!exact) put(r, ")");
    c->depth--;
}

static void repr_exception(Ctx *c, PmTraceRepr *r, PmObject *o)
{
    put(r, type_name(Pm_TYPE(o)));
    put(r, "(");
    PmObject *args = ((PmBaseException *)o)->args;
    if (args && PmTuple_Check(args) && enter(c, r, o, "...", "…")) {
        put_items(c, r, ((PmTuple *)args)->ob_item, Pm_SIZE(args));
        c->depth--;
    }
    put(r, ")");
}

static void repr_type(Ctx *c, PmTraceRepr *r, PmType *tp)
{
    put(r, "<class '");
    if (PmType_HasFeature(tp, PM_TPFLAGS_HEAPTYPE)) {
        PmObject *mod = dict_get_str(tp->tp_dict, "__module__");
        if (mod && PmStr_Check(mod) && !PmStr_EqualToASCII(mod, "builtins")) {
            put_str_obj(r, mod);
            put(r, ".");
        }
        if (tp->ht_qualname && PmStr_Check(tp->ht_qualname)) put_str_obj(r, tp->ht_qualname);
        else put(r, type_name(tp));
    } else {
        put(r, type_name(tp));
    }
    put(r, "'>");
    (void)c;
}

static void put_name(PmTraceRepr *r, PmObject *s, const char *fallback)
{
    if (s && PmStr_Check(s)) put_str_obj(r, s);
    else put(r, fallback);
}

static void put_wrapped(PmTraceRepr *r, const char *a, const char *b, const char *z)
{
    put(r, a);
    put(r, b);
    put(r, z);
}

static void repr_obj(Ctx *c, PmTraceRepr *r, PmObject *o)
{
    PmVM *vm = c->vm;
    if (r->cut) return;
    if (o == vm->none) { put(r, "None"); return; }
    if (o == vm->true_) { put(r, "True"); return; }
    if (o == vm->false_) { put(r, "False"); return; }
    if (o == vm->ellipsis) { put(r, "Ellipsis"); return; }
    if (o == vm->notimpl) { put(r, "NotImplemented"); return; }
    PmType *tp = Pm_TYPE(o);
    int kind = tp->tp_kind;
    bool heap = PmType_HasFeature(tp, PM_TPFLAGS_HEAPTYPE);
    char tmp[160];
    switch (kind) {
    case PMT_INT: case PMT_BOOL:
        repr_int(r, o);
        return;
    case PMT_FLOAT: {
        PmFmtBuf b;
        pmfmt_buf_init(&b, 0, NULL, NULL);
        if (pmfmt_float_repr(((PmFloat *)o)->ob_fval, &b) == 0 && b.data) put(r, b.data);
        else put(r, "<float>");
        pmfmt_buf_free(&b);
        return;
    }
    case PMT_STR:
        repr_str(r, o);
        return;
    case PMT_TUPLE:
        if (!enter(c, r, o, "(...)", "(…)")) return;
        put(r, "(");
        put_items(c, r, ((PmTuple *)o)->ob_item, Pm_SIZE(o));
        if (Pm_SIZE(o) == 1) put(r, ",");
        put(r, ")");
        c->depth--;
        return;
    case PMT_LIST:
        if (!enter(c, r, o, "[...]", "[…]")) return;
        put(r, "[");
        put_items(c, r, ((PmList *)o)->ob_item, Pm_SIZE(o));
        put(r, "]");
        c->depth--;
        return;
    case PMT_DICT:
        repr_dict(c, r, o);
        return;
    case PMT_SET: case PMT_FROZENSET:
        repr_set(c, r, o);
        return;
    case PMT_BASE_EXCEPTION:
        repr_exception(c, r, o);
        return;
    default:
        break;
    }
    if (heap && kind == PMT_INSTANCE) {
        put_wrapped(r, "<", type_name(tp), " object>");
        return;
    }
    switch (kind) {
    case PMT_TYPE:
        repr_type(c, r, (PmType *)o);
        return;
    case PMT_RANGE: {
        PmRange *rg = (PmRange *)o;
        put(r, "range(");
        repr_obj(c, r, rg->start);
        put(r, ", ");
        repr_obj(c, r, rg->stop);
        if (!(PmLong_Check(rg->step) && Pm_SIZE(rg->step) == 1 &&
              ((PmLong *)rg->step)->ob_digit[0] == 1)) {
            put(r, ", ");
            repr_obj(c, r, rg->step);
        }
        put(r, ")");
        return;
    }
    case PMT_SLICE: {
        PmSlice *s = (PmSlice *)o;
        put(r, "slice(");
        repr_obj(c, r, s->start);
        put(r, ", ");
        repr_obj(c, r, s->stop);
        put(r, ", ");
        repr_obj(c, r, s->step);
        put(r, ")");
        return;
    }
    case PMT_FUNCTION:
        put(r, "<function ");
        put_name(r, ((PmFunction *)o)->func_qualname, "?");
        put(r, ">");
        return;
    case PMT_CODE:
        put(r, "<code object ");
        put_name(r, ((PmCode *)o)->co_name, "?");
        put(r, ">");
        return;
    case PMT_CELL: {
        PmObject *ref = ((PmCell *)o)->ob_ref;
        if (ref == NULL) put(r, "<cell: empty>");
        else put_wrapped(r, "<cell: ", type_name(Pm_TYPE(ref)), " object>");
        return;
    }
    case PMT_METHOD: {
        PmMethod *m = (PmMethod *)o;
        put(r, "<bound method ");
        if (m->im_func && Pm_KIND(m->im_func) == PMT_FUNCTION)
            put_name(r, ((PmFunction *)m->im_func)->func_qualname, "?");
        else put(r, "?");
        put(r, " of ");
        if (c->depth < MAX_DEPTH && m->im_self) {
            c->stack[c->depth++] = o;
            repr_obj(c, r, m->im_self);
            c->depth--;
        } else {
            put(r, "…");
        }
        put(r, ">");
        return;
    }
    case PMT_CFUNCTION: {
        PmCFunction *f = (PmCFunction *)o;
        const char *name = f->m_ml && f->m_ml->name ? f->m_ml->name : "?";
        if (f->m_self == NULL || Pm_KIND(f->m_self) == PMT_MODULE)
            snprintf(tmp, sizeof tmp, "<built-in function %s>", name);
        else
            snprintf(tmp, sizeof tmp, "<built-in method %s of %s object>", name,
                     type_name(Pm_TYPE(f->m_self)));
        put(r, tmp);
        return;
    }
    case PMT_MODULE:
        put(r, "<module '");
        put_name(r, ((PmModule *)o)->md_name, "?");
        put(r, ((PmModule *)o)->md_builtin ? "' (built-in)>" : "'>");
        return;
    case PMT_GENERATOR:
        put(r, "<generator object ");
        put_name(r, ((PmGen *)o)->gi_qualname, "?");
        put(r, ">");
        return;
    case PMT_WEAKREF: case PMT_WEAKPROXY: case PMT_WEAKCALLABLEPROXY: {
        PmObject *ref = ((PmWeakRef *)o)->wr_object;
        const char *what = kind == PMT_WEAKREF ? "weakref" : "weakproxy";
        if (ref == NULL) snprintf(tmp, sizeof tmp, "<%s; dead>", what);
        else snprintf(tmp, sizeof tmp, "<%s to '%.60s'>", what, type_name(Pm_TYPE(ref)));
        put(r, tmp);
        return;
    }
    default:
        put_wrapped(r, "<", type_name(tp), " object>");
        return;
    }
}

void pm_trace_repr(PmVM *vm, PmObject *o, PmTraceRepr *r, int max_chars)
{
    memset(r, 0, sizeof *r);
    r->max = max_chars > 0 && max_chars <= PM_TRACE_REPR_CHARS ? max_chars : PM_TRACE_REPR_CHARS;
    Ctx c = {vm, {0}, 0};
    repr_obj(&c, r, o);
    if (r->cut) {
        /* make room for the ellipsis: drop whole code points from the end */
        while (r->len > 0 && r->chars > r->max - 1) {
            do r->len--;
            while (r->len > 0 && ((unsigned char)r->buf[r->len] & 0xc0) == 0x80);
            r->chars--;
        }
        memcpy(r->buf + r->len, "\xe2\x80\xa6", 3);
        r->len += 3;
        r->chars++;
    }
    r->buf[r->len] = 0;
}
