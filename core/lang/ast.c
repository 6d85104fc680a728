/*
 * ast.c -- kind names, child iteration, the text buffer and ast.dump() (see ast.h).
 */
#include "lang/ast.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/lexer.h"

static const char *const kind_names[PMAST_KIND_COUNT] = {
    "?", "Module",
    "FunctionDef", "AsyncFunctionDef", "ClassDef", "Return", "Delete", "Assign", "AugAssign",
    "AnnAssign", "For", "AsyncFor", "While", "If", "With", "AsyncWith", "Raise", "Try",
    "Assert", "Import", "ImportFrom", "Global", "Nonlocal", "Expr", "Pass", "Break",
    "Continue",
    "BoolOp", "NamedExpr", "BinOp", "UnaryOp", "Lambda", "IfExp", "Dict", "Set", "ListComp",
    "SetComp", "DictComp", "GeneratorExp", "Await", "Yield", "YieldFrom", "Compare", "Call",
    "FormattedValue", "JoinedStr", "Constant", "Attribute", "Subscript", "Starred", "Name",
    "List", "Tuple", "Slice",
    "comprehension", "ExceptHandler", "arguments", "arg", "keyword", "alias", "withitem"
};

const char *pmast_kind_name(int kind) {
    if (kind <= 0 || kind >= PMAST_KIND_COUNT) return "?";
    return kind_names[kind];
}

/* ---- children ---- */

static void each(const pmast_seq *s, pmast_visit_fn fn, void *ctx) {
    int i;
    for (i = 0; i < s->n; i++)
        if (s->items[i]) fn(ctx, s->items[i]);
}

#define ONE(x) do { if (x) fn(ctx, (x)); } while (0)
#define SEQ(s) each(&(s), fn, ctx)

static void stmt_children(pmast_node *n, pmast_visit_fn fn, void *ctx) {
    switch (n->kind) {
    case PMAST_FunctionDef: case PMAST_AsyncFunctionDef:
        SEQ(n->v.FunctionDef.decorator_list); ONE(n->v.FunctionDef.args);
        ONE(n->v.FunctionDef.returns); SEQ(n->v.FunctionDef.body); break;
    case PMAST_ClassDef:
        SEQ(n->v.ClassDef.decorator_list); SEQ(n->v.ClassDef.bases);
        SEQ(n->v.ClassDef.keywords); SEQ(n->v.ClassDef.body); break;
    case PMAST_Return: ONE(n->v.Return.value); break;
    case PMAST_Delete: SEQ(n->v.Delete.targets); break;
    case PMAST_Assign: SEQ(n->v.Assign.targets); ONE(n->v.Assign.value); break;
    case PMAST_AugAssign: ONE(n->v.AugAssign.target); ONE(n->v.AugAssign.value); break;
    case PMAST_AnnAssign:
        ONE(n->v.AnnAssign.target); ONE(n->v.AnnAssign.annotation);
        ONE(n->v.AnnAssign.value); break;
    case PMAST_For: case PMAST_AsyncFor:
        ONE(n->v.For.target); ONE(n->v.For.iter); SEQ(n->v.For.body);
        SEQ(n->v.For.orelse); break;
    case PMAST_While:
        ONE(n->v.While.test); SEQ(n->v.While.body); SEQ(n->v.While.orelse); break;
    case PMAST_If: ONE(n->v.If.test); SEQ(n->v.If.body); SEQ(n->v.If.orelse); break;
    case PMAST_With: case PMAST_AsyncWith: SEQ(n->v.With.items); SEQ(n->v.With.body); break;
    case PMAST_Raise: ONE(n->v.Raise.exc); ONE(n->v.Raise.cause); break;
    case PMAST_Try:
        SEQ(n->v.Try.body); SEQ(n->v.Try.handlers); SEQ(n->v.Try.orelse);
        SEQ(n->v.Try.finalbody); break;
    case PMAST_Assert: ONE(n->v.Assert.test); ONE(n->v.Assert.msg); break;
    case PMAST_Import: SEQ(n->v.Import.names); break;
    case PMAST_ImportFrom: SEQ(n->v.ImportFrom.names); break;
    case PMAST_Expr: ONE(n->v.Expr.value); break;
    default: break;
    }
}

static void expr_children(pmast_node *n, pmast_visit_fn fn, void *ctx) {
    switch (n->kind) {
    case PMAST_BoolOp: SEQ(n->v.BoolOp.values); break;
    case PMAST_NamedExpr: ONE(n->v.NamedExpr.target); ONE(n->v.NamedExpr.value); break;
    case PMAST_BinOp: ONE(n->v.BinOp.left); ONE(n->v.BinOp.right); break;
    case PMAST_UnaryOp: ONE(n->v.UnaryOp.operand); break;
    case PMAST_Lambda: ONE(n->v.Lambda.args); ONE(n->v.Lambda.body); break;
    case PMAST_IfExp:
        ONE(n->v.IfExp.test); ONE(n->v.IfExp.body); ONE(n->v.IfExp.orelse); break;
    case PMAST_Dict: {
        int i;
        for (i = 0; i < n->v.Dict.values.n; i++) {
            ONE(n->v.Dict.keys.items[i]);
            ONE(n->v.Dict.values.items[i]);
        }
        break;
    }
    case PMAST_Set: SEQ(n->v.Set.elts); break;
    case PMAST_ListComp: case PMAST_SetComp: case PMAST_GeneratorExp:
        ONE(n->v.ListComp.elt); SEQ(n->v.ListComp.generators); break;
    case PMAST_DictComp:
        ONE(n->v.DictComp.key); ONE(n->v.DictComp.value);
        SEQ(n->v.DictComp.generators); break;
    case PMAST_Await: case PMAST_Yield: case PMAST_YieldFrom: ONE(n->v.Await.value); break;
    case PMAST_Compare: ONE(n->v.Compare.left); SEQ(n->v.Compare.comparators); break;
    case PMAST_Call: ONE(n->v.Call.func); SEQ(n->v.Call.args); SEQ(n->v.Call.keywords); break;
    case PMAST_FormattedValue:
        ONE(n->v.FormattedValue.value); ONE(n->v.FormattedValue.format_spec); break;
    case PMAST_JoinedStr: SEQ(n->v.JoinedStr.values); break;
    case PMAST_Attribute: ONE(n->v.Attribute.value); break;
    case PMAST_Subscript: ONE(n->v.Subscript.value); ONE(n->v.Subscript.slice); break;
    case PMAST_Starred: ONE(n->v.Starred.value); break;
    case PMAST_List: case PMAST_Tuple: SEQ(n->v.List.elts); break;
    case PMAST_Slice:
        ONE(n->v.Slice.lower); ONE(n->v.Slice.upper); ONE(n->v.Slice.step); break;
    default: break;
    }
}

static void helper_children(pmast_node *n, pmast_visit_fn fn, void *ctx) {
    switch (n->kind) {
    case PMAST_Module: SEQ(n->v.Module.body); break;
    case PMAST_comprehension:
        ONE(n->v.comprehension.target); ONE(n->v.comprehension.iter);
        SEQ(n->v.comprehension.ifs); break;
    case PMAST_ExceptHandler: ONE(n->v.ExceptHandler.type); SEQ(n->v.ExceptHandler.body); break;
    case PMAST_arguments:
        SEQ(n->v.arguments.posonlyargs); SEQ(n->v.arguments.args);
        ONE(n->v.arguments.vararg); SEQ(n->v.arguments.kwonlyargs);
        SEQ(n->v.arguments.kw_defaults); ONE(n->v.arguments.kwarg);
        SEQ(n->v.arguments.defaults); break;
    case PMAST_arg: ONE(n->v.arg.annotation); break;
    case PMAST_keyword: ONE(n->v.keyword.value); break;
    case PMAST_withitem:
        ONE(n->v.withitem.context_expr); ONE(n->v.withitem.optional_vars); break;
    default: break;
    }
}

void pmast_foreach_child(pmast_node *n, pmast_visit_fn fn, void *ctx) {
    if (pmast_is_stmt(n->kind)) stmt_children(n, fn, ctx);
    else if (pmast_is_expr(n->kind)) expr_children(n, fn, ctx);
    else helper_children(n, fn, ctx);
}

/* ---- buffer ---- */

void pmast_buf_put(pmast_buf *b, const char *s, size_t n) {
    if (b->oom) return;
    if (b->cap - b->len <= n) {
        size_t cap = b->cap ? b->cap : 256;
        char *p;
        while (cap - b->len <= n) {
            if (cap > ((size_t)-1) / 2) { b->oom = 1; return; }
            cap *= 2;
        }
        p = realloc(b->data, cap);
        if (p == NULL) { b->oom = 1; return; }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void pmast_buf_puts(pmast_buf *b, const char *s) {
    pmast_buf_put(b, s, strlen(s));
}

void pmast_buf_free(pmast_buf *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->oom = 0;
}

/* ---- repr of constants ---- */

static void put_fmt_u(pmast_buf *b, const char *fmt, unsigned long v) {
    char tmp[32];
    snprintf(tmp, sizeof tmp, fmt, v);
    pmast_buf_puts(b, tmp);
}

/* Python's repr() of a str (UTF-8, generalised for lone surrogates) or bytes. */
static void put_repr(pmast_buf *b, const char *s, size_t n, int is_bytes) {
    size_t i;
    int q = '\'';
    if (memchr(s, '\'', n) && !memchr(s, '"', n)) q = '"';
    if (is_bytes) pmast_buf_put(b, "b", 1);
    pmast_buf_put(b, (const char *)&(char){(char)q}, 1);
    for (i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp = c;
        size_t k = 1;
        if (c >= 0x80 && !is_bytes) {
            if ((c & 0xF0) == 0xE0 && i + 2 < n) {
                cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) |
                     (uint32_t)(s[i + 2] & 0x3F);
                k = 3;
            } else if ((c & 0xE0) == 0xC0 && i + 1 < n) {
                cp = ((uint32_t)(c & 0x1F) << 6) | (uint32_t)(s[i + 1] & 0x3F);
                k = 2;
            } else if ((c & 0xF8) == 0xF0 && i + 3 < n) {
                cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[i + 1] & 0x3F) << 12) |
                     ((uint32_t)(s[i + 2] & 0x3F) << 6) | (uint32_t)(s[i + 3] & 0x3F);
                k = 4;
            }
        }
        if (cp == (uint32_t)q || cp == '\\') {
            pmast_buf_put(b, "\\", 1);
            pmast_buf_put(b, s + i, 1);
        } else if (cp == '\n') pmast_buf_puts(b, "\\n");
        else if (cp == '\r') pmast_buf_puts(b, "\\r");
        else if (cp == '\t') pmast_buf_puts(b, "\\t");
        else if (is_bytes ? (cp < 0x20 || cp >= 0x7F) : !pmlex_is_printable(cp)) {
            if (cp < 0x100) put_fmt_u(b, "\\x%02lx", cp);
            else if (cp < 0x10000) put_fmt_u(b, "\\u%04lx", cp);
            else put_fmt_u(b, "\\U%08lx", cp);
        } else {
            pmast_buf_put(b, s + i, k);
        }
        i += k;
    }
    pmast_buf_put(b, (const char *)&(char){(char)q}, 1);
}

/* repr() of an int given its digits in base 2, 8, 10 or 16. */
static void put_int(pmast_buf *b, const char *s, size_t n, int base) {
    uint32_t *limbs;
    size_t nl = 0, i, j;
    char tmp[16];
    if (base == 10) {
        pmast_buf_put(b, s, n);
        return;
    }
    limbs = malloc((n / 7 + 2) * sizeof *limbs);    /* base 1e9 limbs, little endian */
    if (limbs == NULL) { b->oom = 1; return; }
    for (i = 0; i < n; i++) {
        uint64_t carry = (uint64_t)(s[i] <= '9' ? s[i] - '0' : s[i] - 'a' + 10);
        for (j = 0; j < nl; j++) {
            uint64_t v = (uint64_t)limbs[j] * (uint64_t)base + carry;
            limbs[j] = (uint32_t)(v % 1000000000u);
            carry = v / 1000000000u;
        }
        if (carry) limbs[nl++] = (uint32_t)carry;
    }
    if (nl == 0) pmast_buf_put(b, "0", 1);
    for (i = nl; i-- > 0;) {
        snprintf(tmp, sizeof tmp, i == nl - 1 ? "%lu" : "%09lu", (unsigned long)limbs[i]);
        pmast_buf_puts(b, tmp);
    }
    free(limbs);
}

/* repr() of a finite or infinite non-negative double: the shortest round-tripping digits,
 * fixed notation for 1e-4 <= x < 1e16, else exponent notation (Python's 'r' format). */
static void put_float(pmast_buf *b, double d) {
    char tmp[64], digits[32], out[64];
    int prec, nd = 0, exp10, decpt, i;
    char *p;
    if (isinf(d)) { pmast_buf_puts(b, d > 0 ? "inf" : "-inf"); return; }
    if (isnan(d)) { pmast_buf_puts(b, "nan"); return; }
    if (d == 0) { pmast_buf_puts(b, signbit(d) ? "-0.0" : "0.0"); return; }
    for (prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
        if (strtod(tmp, NULL) == d) break;
    }
    p = tmp;
    if (*p == '-') { pmast_buf_put(b, "-", 1); p++; }
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9') digits[nd++] = *p;
    while (nd > 1 && digits[nd - 1] == '0') nd--;
    exp10 = atoi(p + 1);
    decpt = exp10 + 1;
    i = 0;
    if (decpt <= -4 || decpt > 16) {
        out[i++] = digits[0];
        if (nd > 1) {
            out[i++] = '.';
            memcpy(out + i, digits + 1, (size_t)nd - 1);
            i += nd - 1;
        }
        snprintf(out + i, sizeof out - (size_t)i, "e%c%02d", exp10 < 0 ? '-' : '+',
                 exp10 < 0 ? -exp10 : exp10);
        pmast_buf_puts(b, out);
        return;
    }
    if (decpt <= 0) {
        pmast_buf_puts(b, "0.");
        while (decpt++ < 0) pmast_buf_put(b, "0", 1);
        pmast_buf_put(b, digits, (size_t)nd);
    } else if (decpt < nd) {
        pmast_buf_put(b, digits, (size_t)decpt);
        pmast_buf_put(b, ".", 1);
        pmast_buf_put(b, digits + decpt, (size_t)(nd - decpt));
    } else {
        pmast_buf_put(b, digits, (size_t)nd);
        for (i = nd; i < decpt; i++) pmast_buf_put(b, "0", 1);
        pmast_buf_puts(b, ".0");
    }
}

/* repr() of a complex with zero real part: "1j", "1.5j", "1e+300j", "infj". */
static void put_imag(pmast_buf *b, double d) {
    pmast_buf buf = {0};
    put_float(&buf, d);
    if (buf.oom) { b->oom = 1; pmast_buf_free(&buf); return; }
    if (buf.len > 2 && strcmp(buf.data + buf.len - 2, ".0") == 0) buf.len -= 2;
    pmast_buf_put(b, buf.data, buf.len);
    pmast_buf_put(b, "j", 1);
    pmast_buf_free(&buf);
}

static void put_constant(pmast_buf *b, const pmast_constant *c) {
    switch (c->ckind) {
    case PMAST_C_NONE: pmast_buf_puts(b, "None"); break;
    case PMAST_C_TRUE: pmast_buf_puts(b, "True"); break;
    case PMAST_C_FALSE: pmast_buf_puts(b, "False"); break;
    case PMAST_C_ELLIPSIS: pmast_buf_puts(b, "Ellipsis"); break;
    case PMAST_C_INT: put_int(b, c->s, c->len, c->base); break;
    case PMAST_C_FLOAT: put_float(b, c->d); break;
    case PMAST_C_IMAG: put_imag(b, c->d); break;
    case PMAST_C_STR: put_repr(b, c->s, c->len, 0); break;
    case PMAST_C_BYTES: put_repr(b, c->s, c->len, 1); break;
    default: pmast_buf_puts(b, "?"); break;
    }
}

/* ---- dump ---- */

typedef struct dumper {
    pmast_buf *b;
    int pos;         /* with positions */
    int first;       /* no field written yet in the current node */
} dumper;

static void dump_node(dumper *d, const pmast_node *n);

static void field(dumper *d, const char *name) {
    if (!d->first) pmast_buf_puts(d->b, ", ");
    d->first = 0;
    pmast_buf_puts(d->b, name);
    pmast_buf_put(d->b, "=", 1);
}

static void f_node(dumper *d, const char *name, const pmast_node *n) {
    int first;
    if (n == NULL) return;       /* optional field absent: omitted like ast.dump */
    field(d, name);
    first = d->first;
    dump_node(d, n);
    d->first = first;
}

static void f_seq(dumper *d, const char *name, const pmast_seq *s) {
    int i, first;
    field(d, name);
    first = d->first;
    pmast_buf_put(d->b, "[", 1);
    for (i = 0; i < s->n; i++) {
        if (i) pmast_buf_puts(d->b, ", ");
        if (s->items[i]) dump_node(d, s->items[i]);
        else pmast_buf_puts(d->b, "None");
    }
    pmast_buf_put(d->b, "]", 1);
    d->first = first;
}

static void f_id(dumper *d, const char *name, const char *id) {
    if (id == NULL) return;
    field(d, name);
    put_repr(d->b, id, strlen(id), 0);
}

static void f_names(dumper *d, const char *name, const pmast_names *s) {
    int i;
    field(d, name);
    pmast_buf_put(d->b, "[", 1);
    for (i = 0; i < s->n; i++) {
        if (i) pmast_buf_puts(d->b, ", ");
        put_repr(d->b, s->items[i], strlen(s->items[i]), 0);
    }
    pmast_buf_put(d->b, "]", 1);
}

static void f_int(dumper *d, const char *name, long v) {
    char tmp[32];
    field(d, name);
    snprintf(tmp, sizeof tmp, "%ld", v);
    pmast_buf_puts(d->b, tmp);
}

static void f_word(dumper *d, const char *name, const char *word) {
    field(d, name);
    pmast_buf_puts(d->b, word);
    pmast_buf_puts(d->b, "()");
}

static const char *op_name(int op) {
    static const char *const names[] = {
        "?", "Add", "Sub", "Mult", "MatMult", "Div", "Mod", "Pow", "LShift", "RShift",
        "BitOr", "BitXor", "BitAnd", "FloorDiv"
    };
    return op > 0 && op <= PMAST_FloorDiv ? names[op] : "?";
}

static const char *unary_name(int op) {
    static const char *const names[] = { "?", "Invert", "Not", "UAdd", "USub" };
    return op > 0 && op <= PMAST_USub ? names[op] : "?";
}

static const char *cmp_name(int op) {
    static const char *const names[] = {
        "?", "Eq", "NotEq", "Lt", "LtE", "Gt", "GtE", "Is", "IsNot", "In", "NotIn"
    };
    return op > 0 && op <= PMAST_NotIn ? names[op] : "?";
}

static const char *ctx_name(int ctx) {
    return ctx == PMAST_STORE ? "Store" : ctx == PMAST_DEL ? "Del" : "Load";
}

static void f_ops(dumper *d, const pmast_node *n) {
    int i;
    field(d, "ops");
    pmast_buf_put(d->b, "[", 1);
    for (i = 0; i < n->v.Compare.comparators.n; i++) {
        if (i) pmast_buf_puts(d->b, ", ");
        pmast_buf_puts(d->b, cmp_name(n->v.Compare.ops[i]));
        pmast_buf_puts(d->b, "()");
    }
    pmast_buf_put(d->b, "]", 1);
}

static void dump_stmt(dumper *d, const pmast_node *n) {
    switch (n->kind) {
    case PMAST_FunctionDef: case PMAST_AsyncFunctionDef:
        f_id(d, "name", n->v.FunctionDef.name); f_node(d, "args", n->v.FunctionDef.args);
        f_seq(d, "body", &n->v.FunctionDef.body);
        f_seq(d, "decorator_list", &n->v.FunctionDef.decorator_list);
        f_node(d, "returns", n->v.FunctionDef.returns); break;
    case PMAST_ClassDef:
        f_id(d, "name", n->v.ClassDef.name); f_seq(d, "bases", &n->v.ClassDef.bases);
        f_seq(d, "keywords", &n->v.ClassDef.keywords); f_seq(d, "body", &n->v.ClassDef.body);
        f_seq(d, "decorator_list", &n->v.ClassDef.decorator_list); break;
    case PMAST_Return: f_node(d, "value", n->v.Return.value); break;
    case PMAST_Delete: f_seq(d, "targets", &n->v.Delete.targets); break;
    case PMAST_Assign:
        f_seq(d, "targets", &n->v.Assign.targets); f_node(d, "value", n->v.Assign.value); break;
    case PMAST_AugAssign:
        f_node(d, "target", n->v.AugAssign.target);
        f_word(d, "op", op_name(n->v.AugAssign.op));
        f_node(d, "value", n->v.AugAssign.value); break;
    case PMAST_AnnAssign:
        f_node(d, "target", n->v.AnnAssign.target);
        f_node(d, "annotation", n->v.AnnAssign.annotation);
        f_node(d, "value", n->v.AnnAssign.value); f_int(d, "simple", n->v.AnnAssign.simple);
        break;
    case PMAST_For: case PMAST_AsyncFor:
        f_node(d, "target", n->v.For.target); f_node(d, "iter", n->v.For.iter);
        f_seq(d, "body", &n->v.For.body); f_seq(d, "orelse", &n->v.For.orelse); break;
    case PMAST_While:
        f_node(d, "test", n->v.While.test); f_seq(d, "body", &n->v.While.body);
        f_seq(d, "orelse", &n->v.While.orelse); break;
    case PMAST_If:
        f_node(d, "test", n->v.If.test); f_seq(d, "body", &n->v.If.body);
        f_seq(d, "orelse", &n->v.If.orelse); break;
    case PMAST_With: case PMAST_AsyncWith:
        f_seq(d, "items", &n->v.With.items); f_seq(d, "body", &n->v.With.body); break;
    case PMAST_Raise:
        f_node(d, "exc", n->v.Raise.exc); f_node(d, "cause", n->v.Raise.cause); break;
    case PMAST_Try:
        f_seq(d, "body", &n->v.Try.body); f_seq(d, "handlers", &n->v.Try.handlers);
        f_seq(d, "orelse", &n->v.Try.orelse); f_seq(d, "finalbody", &n->v.Try.finalbody);
        break;
    case PMAST_Assert:
        f_node(d, "test", n->v.Assert.test); f_node(d, "msg", n->v.Assert.msg); break;
    case PMAST_Import: f_seq(d, "names", &n->v.Import.names); break;
    case PMAST_ImportFrom:
        f_id(d, "module", n->v.ImportFrom.module); f_seq(d, "names", &n->v.ImportFrom.names);
        f_int(d, "level", n->v.ImportFrom.level); break;
    case PMAST_Global: case PMAST_Nonlocal: f_names(d, "names", &n->v.Global.names); break;
    case PMAST_Expr: f_node(d, "value", n->v.Expr.value); break;
    default: break;
    }
}

static void dump_expr(dumper *d, const pmast_node *n) {
    switch (n->kind) {
    case PMAST_BoolOp:
        f_word(d, "op", n->v.BoolOp.op == PMAST_And ? "And" : "Or");
        f_seq(d, "values", &n->v.BoolOp.values); break;
    case PMAST_NamedExpr:
        f_node(d, "target", n->v.NamedExpr.target); f_node(d, "value", n->v.NamedExpr.value);
        break;
    case PMAST_BinOp:
        f_node(d, "left", n->v.BinOp.left); f_word(d, "op", op_name(n->v.BinOp.op));
        f_node(d, "right", n->v.BinOp.right); break;
    case PMAST_UnaryOp:
        f_word(d, "op", unary_name(n->v.UnaryOp.op));
        f_node(d, "operand", n->v.UnaryOp.operand); break;
    case PMAST_Lambda:
        f_node(d, "args", n->v.Lambda.args); f_node(d, "body", n->v.Lambda.body); break;
    case PMAST_IfExp:
        f_node(d, "test", n->v.IfExp.test); f_node(d, "body", n->v.IfExp.body);
        f_node(d, "orelse", n->v.IfExp.orelse); break;
    case PMAST_Dict:
        f_seq(d, "keys", &n->v.Dict.keys); f_seq(d, "values", &n->v.Dict.values); break;
    case PMAST_Set: f_seq(d, "elts", &n->v.Set.elts); break;
    case PMAST_ListComp: case PMAST_SetComp: case PMAST_GeneratorExp:
        f_node(d, "elt", n->v.ListComp.elt);
        f_seq(d, "generators", &n->v.ListComp.generators); break;
    case PMAST_DictComp:
        f_node(d, "key", n->v.DictComp.key); f_node(d, "value", n->v.DictComp.value);
        f_seq(d, "generators", &n->v.DictComp.generators); break;
    case PMAST_Await: case PMAST_Yield: case PMAST_YieldFrom:
        f_node(d, "value", n->v.Await.value); break;
    case PMAST_Compare:
        f_node(d, "left", n->v.Compare.left); f_ops(d, n);
        f_seq(d, "comparators", &n->v.Compare.comparators); break;
    case PMAST_Call:
        f_node(d, "func", n->v.Call.func); f_seq(d, "args", &n->v.Call.args);
        f_seq(d, "keywords", &n->v.Call.keywords); break;
    case PMAST_FormattedValue:
        f_node(d, "value", n->v.FormattedValue.value);
        f_int(d, "conversion", n->v.FormattedValue.conversion);
        f_node(d, "format_spec", n->v.FormattedValue.format_spec); break;
    case PMAST_JoinedStr: f_seq(d, "values", &n->v.JoinedStr.values); break;
    case PMAST_Constant:
        field(d, "value");
        put_constant(d->b, &n->v.Constant);
        if (n->v.Constant.u_prefix) f_id(d, "kind", "u");
        break;
    case PMAST_Attribute:
        f_node(d, "value", n->v.Attribute.value); f_id(d, "attr", n->v.Attribute.attr);
        f_word(d, "ctx", ctx_name(n->ctx)); break;
    case PMAST_Subscript:
        f_node(d, "value", n->v.Subscript.value); f_node(d, "slice", n->v.Subscript.slice);
        f_word(d, "ctx", ctx_name(n->ctx)); break;
    case PMAST_Starred:
        f_node(d, "value", n->v.Starred.value); f_word(d, "ctx", ctx_name(n->ctx)); break;
    case PMAST_Name: f_id(d, "id", n->v.Name.id); f_word(d, "ctx", ctx_name(n->ctx)); break;
    case PMAST_List: case PMAST_Tuple:
        f_seq(d, "elts", &n->v.List.elts); f_word(d, "ctx", ctx_name(n->ctx)); break;
    case PMAST_Slice:
        f_node(d, "lower", n->v.Slice.lower); f_node(d, "upper", n->v.Slice.upper);
        f_node(d, "step", n->v.Slice.step); break;
    default: break;
    }
}

static void dump_helper(dumper *d, const pmast_node *n) {
    switch (n->kind) {
    case PMAST_Module:
        f_seq(d, "body", &n->v.Module.body);
        field(d, "type_ignores");
        pmast_buf_puts(d->b, "[]");
        break;
    case PMAST_comprehension:
        f_node(d, "target", n->v.comprehension.target);
        f_node(d, "iter", n->v.comprehension.iter);
        f_seq(d, "ifs", &n->v.comprehension.ifs);
        f_int(d, "is_async", n->v.comprehension.is_async); break;
    case PMAST_ExceptHandler:
        f_node(d, "type", n->v.ExceptHandler.type); f_id(d, "name", n->v.ExceptHandler.name);
        f_seq(d, "body", &n->v.ExceptHandler.body); break;
    case PMAST_arguments:
        f_seq(d, "posonlyargs", &n->v.arguments.posonlyargs);
        f_seq(d, "args", &n->v.arguments.args); f_node(d, "vararg", n->v.arguments.vararg);
        f_seq(d, "kwonlyargs", &n->v.arguments.kwonlyargs);
        f_seq(d, "kw_defaults", &n->v.arguments.kw_defaults);
        f_node(d, "kwarg", n->v.arguments.kwarg);
        f_seq(d, "defaults", &n->v.arguments.defaults); break;
    case PMAST_arg:
        f_id(d, "arg", n->v.arg.arg); f_node(d, "annotation", n->v.arg.annotation); break;
    case PMAST_keyword:
        f_id(d, "arg", n->v.keyword.arg); f_node(d, "value", n->v.keyword.value); break;
    case PMAST_alias:
        f_id(d, "name", n->v.alias.name); f_id(d, "asname", n->v.alias.asname); break;
    case PMAST_withitem:
        f_node(d, "context_expr", n->v.withitem.context_expr);
        f_node(d, "optional_vars", n->v.withitem.optional_vars); break;
    default: break;
    }
}

static int has_positions(int kind) {
    return pmast_is_stmt(kind) || pmast_is_expr(kind) || kind == PMAST_ExceptHandler ||
           kind == PMAST_arg || kind == PMAST_keyword || kind == PMAST_alias;
}

static void dump_node(dumper *d, const pmast_node *n) {
    pmast_buf_puts(d->b, pmast_kind_name(n->kind));
    pmast_buf_put(d->b, "(", 1);
    d->first = 1;
    if (pmast_is_stmt(n->kind)) dump_stmt(d, n);
    else if (pmast_is_expr(n->kind)) dump_expr(d, n);
    else dump_helper(d, n);
    if (d->pos && has_positions(n->kind)) {
        f_int(d, "lineno", n->lineno);
        f_int(d, "col_offset", n->col_offset);
        f_int(d, "end_lineno", n->end_lineno);
        f_int(d, "end_col_offset", n->end_col_offset);
    }
    pmast_buf_put(d->b, ")", 1);
}

int pmast_dump(pmast_buf *out, const pmast_node *node, int with_positions) {
    dumper d;
    d.b = out;
    d.pos = with_positions;
    d.first = 1;
    dump_node(&d, node);
    return out->oom ? -1 : 0;
}
