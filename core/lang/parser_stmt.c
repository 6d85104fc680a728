/*
 * parser_stmt.c -- simple statements (assignment forms, import, del, ...) and parameter
 * lists of def and lambda.  Compound statements are in parser.c.
 */
#include "lang/parser_internal.h"

#include <string.h>

static pmpos tok_end(const pmlex_token *t) {
    pmpos p;
    p.line = t->end_lineno;
    p.col = t->end_col;
    return p;
}

/* A keyword statement without operands: pass, break, continue. */
static pmast_node *bare(pmparser *P, int kind) {
    pmpos start = pmparse_start(P);
    pmparse_advance(P);
    return pmparse_node(P, kind, start);
}

static pmast_node *return_stmt(pmparser *P) {
    pmpos start = pmparse_start(P);
    pmast_node *v = NULL, *n;
    pmparse_advance(P);
    if ((pmparse_is(P, PMTOK_STAR) || pmparse_starts_expression(P)) &&
        !(v = pmparse_star_expressions(P)))
        return NULL;
    if (P->failed || !(n = pmparse_node(P, PMAST_Return, start))) return NULL;
    n->v.Return.value = v;
    return n;
}

static pmast_node *raise_stmt(pmparser *P) {
    pmpos start = pmparse_start(P);
    pmast_node *exc = NULL, *cause = NULL, *n;
    pmparse_advance(P);
    if (pmparse_starts_expression(P)) {
        if (!(exc = pmparse_expression(P))) return NULL;
        if (pmparse_accept_kw(P, PMKW_from) && !(cause = pmparse_expression(P))) return NULL;
    }
    if (P->failed || !(n = pmparse_node(P, PMAST_Raise, start))) return NULL;
    n->v.Raise.exc = exc;
    n->v.Raise.cause = cause;
    return n;
}

static pmast_node *assert_stmt(pmparser *P) {
    pmpos start = pmparse_start(P);
    pmast_node *test, *msg = NULL, *n;
    pmparse_advance(P);
    if (!(test = pmparse_expression(P))) return NULL;
    if (pmparse_accept(P, PMTOK_COMMA) && !(msg = pmparse_expression(P))) return NULL;
    if (!(n = pmparse_node(P, PMAST_Assert, start))) return NULL;
    n->v.Assert.test = test;
    n->v.Assert.msg = msg;
    return n;
}

static pmast_node *global_stmt(pmparser *P, int kind) {
    pmpos start = pmparse_start(P);
    size_t base = P->sp, i;
    const char **names;
    int count;
    pmast_node *n;
    pmparse_advance(P);
    do {
        const char *id;
        if (!pmparse_is_name(P)) {
            P->sp = base;
            return pmparse_invalid_syntax(P);
        }
        id = pmparse_ident(P, pmparse_tok(P));
        pmparse_advance(P);
        if (!id || !pmparse_push(P, (void *)id)) return NULL;
    } while (pmparse_accept(P, PMTOK_COMMA));
    names = pmast_arena_alloc(P->arena, (P->sp - base) * sizeof *names);
    if (!names) pmparse_oom(P);
    for (i = base; names && i < P->sp; i++) names[i - base] = P->stk[i];
    count = (int)(P->sp - base);
    P->sp = base;
    if (P->failed || !(n = pmparse_node(P, kind, start))) return NULL;
    n->v.Global.names.n = count;
    n->v.Global.names.items = names;
    return n;
}

/* invalid_del_stmt: 'del' star_expressions -- "cannot delete X" when that parses. */
static void del_error(pmparser *P, size_t after_del) {
    pmspec s;
    pmast_node *a;
    const pmast_node *bad = NULL;
    size_t here = pmparse_mark(P);
    pmparse_spec_begin(P, &s, 0);
    pmparse_reset(P, after_del);
    a = (pmparse_is(P, PMTOK_STAR) || pmparse_starts_expression(P))
        ? pmparse_star_expressions(P) : NULL;
    if (a && !P->failed) bad = pmparse_invalid_target(a, PMT_DEL);
    if (pmparse_spec_end(P, &s, 1)) return;
    pmparse_reset(P, here);
    if (bad) pmparse_error_node(P, bad, "cannot delete %s", pmparse_expr_name(bad));
    else pmparse_invalid_syntax(P);
}

/* del_targets: ','.del_target+ [','] &(';' | NEWLINE); a del_target is a primary (name,
 * attribute, subscript, or a parenthesised/bracketed list of targets). */
static pmast_node *del_stmt(pmparser *P) {
    pmpos start = pmparse_start(P);
    size_t base = P->sp, after_del, i;
    pmast_node *n;
    int ok = 1;
    pmparse_advance(P);
    after_del = pmparse_mark(P);
    do {
        pmast_node *t;
        if (!pmparse_starts_expression(P) || pmparse_is_kw(P, PMKW_not) ||
            pmparse_is_kw(P, PMKW_lambda) || pmparse_is(P, PMTOK_MINUS) ||
            pmparse_is(P, PMTOK_PLUS) || pmparse_is(P, PMTOK_TILDE)) {
            ok = P->sp > base && !pmparse_is(P, PMTOK_STAR);
            break;
        }
        if (!(t = pmparse_primary(P, 1)) || !pmparse_push(P, t)) {
            P->sp = base;
            return NULL;
        }
    } while (pmparse_accept(P, PMTOK_COMMA));
    for (i = base; ok && i < P->sp; i++)
        if (!pmparse_set_ctx(P, P->stk[i], PMAST_DEL)) ok = 0;
    if (!ok || (!pmparse_is(P, PMTOK_NEWLINE) && !pmparse_is(P, PMTOK_SEMI))) {
        P->sp = base;
        if (!P->failed) del_error(P, after_del);
        return NULL;
    }
    if (!(n = pmparse_node(P, PMAST_Delete, start))) return NULL;
    n->v.Delete.targets = pmparse_seq_from(P, base);
    return n;
}

/* ---- import ---- */

/* NAME ('.' NAME)* as one string "a.b.c" */
static const char *dotted_name(pmparser *P) {
    size_t len = 0, cap = 64;
    char *s = pmast_arena_alloc(P->arena, cap);
    do {
        pmlex_token *t = pmparse_tok(P);
        size_t n = t->end - t->start;
        if (!pmparse_is_name(P)) return pmparse_invalid_syntax(P);
        if (!s) break;
        if (len + n + 2 > cap) {
            char *g;
            while (len + n + 2 > cap) cap *= 2;
            if (!(g = pmast_arena_alloc(P->arena, cap))) { s = NULL; break; }
            memcpy(g, s, len);
            s = g;
        }
        if (len) s[len++] = '.';
        memcpy(s + len, P->L.buf + t->start, n);
        len += n;
        s[len] = '\0';
        pmparse_advance(P);
    } while (pmparse_accept(P, PMTOK_DOT));
    if (!s) pmparse_oom(P);
    return P->failed ? NULL : s;
}

static pmast_node *alias(pmparser *P, int dotted) {
    pmpos start = pmparse_start(P);
    const char *name, *asname = NULL;
    pmast_node *n;
    if (dotted) name = dotted_name(P);
    else if (!pmparse_is_name(P)) return pmparse_invalid_syntax(P);
    else {
        name = pmparse_ident(P, pmparse_tok(P));
        pmparse_advance(P);
    }
    if (!name) return NULL;
    if (pmparse_accept_kw(P, PMKW_as)) {
        if (!pmparse_is_name(P)) return pmparse_invalid_syntax(P);
        asname = pmparse_ident(P, pmparse_tok(P));
        pmparse_advance(P);
    }
    if (P->failed || !(n = pmparse_node(P, PMAST_alias, start))) return NULL;
    n->v.alias.name = name;
    n->v.alias.asname = asname;
    return n;
}

static pmast_node *import_stmt(pmparser *P) {
    pmpos start = pmparse_start(P);
    size_t base = P->sp;
    pmast_node *n;
    pmparse_advance(P);
    do {
        pmast_node *a = alias(P, 1);
        if (!a || !pmparse_push(P, a)) {
            P->sp = base;
            return NULL;
        }
    } while (pmparse_accept(P, PMTOK_COMMA));
    if (!(n = pmparse_node(P, PMAST_Import, start))) return NULL;
    n->v.Import.names = pmparse_seq_from(P, base);
    return n;
}

/* import_from_targets: '(' names [','] ')' | names !',' | '*' */
static int import_targets(pmparser *P, pmast_seq *out) {
    size_t base = P->sp;
    int paren = pmparse_accept(P, PMTOK_LPAR);
    if (!paren && pmparse_is(P, PMTOK_STAR)) {
        pmlex_token *t = pmparse_tok(P);
        pmast_node *a = pmparse_node_at(P, PMAST_alias, pmparse_start(P), tok_end(t));
        if (!a) return 0;
        pmparse_unsupported(P, "'from ... import *'", pmparse_start(P), tok_end(t));
        pmparse_advance(P);
        a->v.alias.name = "*";
        *out = pmparse_seq1(P, a);
        return !P->failed;
    }
    do {
        pmast_node *a;
        if (paren && pmparse_is(P, PMTOK_RPAR)) break;
        if (!paren && P->sp > base && pmparse_is(P, PMTOK_NEWLINE)) {
            pmparse_error_last(P, "SyntaxError",
                               "trailing comma not allowed without surrounding parentheses");
            break;
        }
        if (!(a = alias(P, 0)) || !pmparse_push(P, a)) break;
    } while (pmparse_accept(P, PMTOK_COMMA));
    if (!P->failed && paren && !pmparse_accept(P, PMTOK_RPAR)) pmparse_invalid_syntax(P);
    if (P->failed) {
        P->sp = base;
        return 0;
    }
    *out = pmparse_seq_from(P, base);
    return !P->failed;
}

static pmast_node *from_stmt(pmparser *P) {
    pmpos start = pmparse_start(P);
    const char *module = NULL;
    int level = 0;
    pmast_seq names;
    pmast_node *n;
    pmparse_advance(P);
    for (;;) {
        if (pmparse_accept(P, PMTOK_DOT)) level += 1;
        else if (pmparse_accept(P, PMTOK_ELLIPSIS)) level += 3;
        else break;
    }
    if ((level == 0 || !pmparse_is_kw(P, PMKW_import)) && !(module = dotted_name(P)))
        return NULL;
    if (!pmparse_accept_kw(P, PMKW_import)) return pmparse_invalid_syntax(P);
    if (!import_targets(P, &names) || !(n = pmparse_node(P, PMAST_ImportFrom, start)))
        return NULL;
    n->v.ImportFrom.module = module;
    n->v.ImportFrom.names = names;
    n->v.ImportFrom.level = level;
    return n;
}

/* ---- assignment forms ---- */

static int augassign_op(int type) {
    switch (type) {
    case PMTOK_PLUSEQUAL: return PMAST_Add;
    case PMTOK_MINEQUAL: return PMAST_Sub;
    case PMTOK_STAREQUAL: return PMAST_Mult;
    case PMTOK_ATEQUAL: return PMAST_MatMult;
    case PMTOK_SLASHEQUAL: return PMAST_Div;
    case PMTOK_PERCENTEQUAL: return PMAST_Mod;
    case PMTOK_AMPEREQUAL: return PMAST_BitAnd;
    case PMTOK_VBAREQUAL: return PMAST_BitOr;
    case PMTOK_CIRCUMFLEXEQUAL: return PMAST_BitXor;
    case PMTOK_LEFTSHIFTEQUAL: return PMAST_LShift;
    case PMTOK_RIGHTSHIFTEQUAL: return PMAST_RShift;
    case PMTOK_DOUBLESTAREQUAL: return PMAST_Pow;
    case PMTOK_DOUBLESLASHEQUAL: return PMAST_FloorDiv;
    default: return 0;
    }
}

/* annotated_rhs / the right of '=': yield_expr | star_expressions */
static pmast_node *rhs(pmparser *P) {
    if (pmparse_is_kw(P, PMKW_yield)) return pmparse_yield_expr(P);
    if (!pmparse_is(P, PMTOK_STAR) && !pmparse_starts_expression(P))
        return pmparse_invalid_syntax(P);
    return pmparse_star_expressions(P);
}

static int single_target(const pmast_node *t) {
    return t->kind == PMAST_Name || t->kind == PMAST_Attribute || t->kind == PMAST_Subscript;
}

/* CPython's invalid_assignment alternatives 1-3: only raised when the annotation parses. */
static void ann_target_error(pmparser *P, pmast_node *target) {
    pmspec s;
    int ok;
    pmparse_spec_begin(P, &s, 0);
    pmparse_advance(P);
    ok = pmparse_expression(P) != NULL;
    if (pmparse_spec_end(P, &s, 1)) return;
    if (!ok) pmparse_invalid_syntax(P);
    else if ((target->kind == PMAST_Tuple || target->kind == PMAST_List) && target->paren)
        pmparse_error_node(P, target, "only single target (not %s) can be annotated",
                           target->kind == PMAST_Tuple ? "tuple" : "list");
    else if (target->kind == PMAST_Tuple && target->v.Tuple.elts.n > 0)
        pmparse_error_node(P, target->v.Tuple.elts.items[0],
                           "only single target (not tuple) can be annotated");
    else if (target->kind == PMAST_List)
        pmparse_error_node(P, target, "only single target (not list) can be annotated");
    else pmparse_error_node(P, target, "illegal target for annotation");
}

static pmast_node *ann_assign(pmparser *P, pmpos start, pmast_node *target, int paren_start) {
    pmast_node *ann, *value = NULL, *n;
    if (!single_target(target)) {
        ann_target_error(P, target);
        return NULL;
    }
    pmparse_advance(P);
    if (!(ann = pmparse_expression(P))) return NULL;
    if (pmparse_accept(P, PMTOK_EQUAL) && !(value = rhs(P))) return NULL;
    pmparse_set_ctx(P, target, PMAST_STORE);
    if (!(n = pmparse_node(P, PMAST_AnnAssign, start))) return NULL;
    n->v.AnnAssign.target = target;
    n->v.AnnAssign.annotation = ann;
    n->v.AnnAssign.value = value;
    n->v.AnnAssign.simple = target->kind == PMAST_Name && !paren_start;
    return n;
}

/* invalid_assignment: star_expressions augassign (yield_expr | star_expressions) */
static void aug_target_error(pmparser *P, pmast_node *target) {
    pmspec s;
    int ok;
    pmparse_spec_begin(P, &s, 0);
    pmparse_advance(P);
    ok = pmparse_is_kw(P, PMKW_yield) ? pmparse_yield_expr(P) != NULL
         : (pmparse_is(P, PMTOK_STAR) || pmparse_starts_expression(P)) &&
           pmparse_star_expressions(P) != NULL;
    if (pmparse_spec_end(P, &s, 1)) return;
    if (ok) pmparse_error_node(P, target, "'%s' is an illegal expression for augmented "
                               "assignment", pmparse_expr_name(target));
    else pmparse_invalid_syntax(P);
}

static pmast_node *aug_assign(pmparser *P, pmpos start, pmast_node *target, int op) {
    pmast_node *value, *n;
    if (!single_target(target)) {
        aug_target_error(P, target);
        return NULL;
    }
    pmparse_advance(P);
    if (!(value = rhs(P))) return NULL;
    pmparse_set_ctx(P, target, PMAST_STORE);
    if (!(n = pmparse_node(P, PMAST_AugAssign, start))) return NULL;
    n->v.AugAssign.target = target;
    n->v.AugAssign.op = (uint8_t)op;
    n->v.AugAssign.value = value;
    return n;
}

/* Some target is invalid: CPython's invalid_named_expression on the last item of the first
 * target (alternatives 2 and 3), else "cannot assign to X" for the first invalid target. */
static void assign_error(pmparser *P, size_t base, size_t first_mark, size_t eq_mark) {
    pmast_node *first = P->stk[base], *x = first;
    size_t x_mark = first_mark, i;
    if (first->kind == PMAST_Tuple && !first->paren && first->v.Tuple.elts.n > 0) {
        size_t m;
        x = first->v.Tuple.elts.items[first->v.Tuple.elts.n - 1];
        for (m = first_mark; m < eq_mark; m++) {
            pmlex_token *t = &P->toks[m - P->base];
            if (t->lineno == x->lineno && t->col == x->col_offset) {
                x_mark = m;
                break;
            }
        }
    }
    if (x->kind != PMAST_Starred) {
        size_t save = pmparse_mark(P);
        pmparse_reset(P, eq_mark);
        pmparse_invalid_named(P, x, x_mark);
        if (P->failed) return;
        pmparse_reset(P, save);
    }
    for (i = base; i < P->sp; i++) {
        pmast_node *t = P->stk[i];
        const pmast_node *bad;
        if (t->kind == PMAST_Yield || t->kind == PMAST_YieldFrom) {
            pmparse_error_node(P, t, "assignment to yield expression not possible");
            return;
        }
        bad = pmparse_invalid_target(t, PMT_STAR);
        if (bad) {
            pmparse_error_node(P, bad, "cannot assign to %s", pmparse_expr_name(bad));
            return;
        }
    }
    pmparse_invalid_syntax(P);
}

/* (star_targets '=')+ (yield_expr | star_expressions): each target is checked as soon as
 * its '=' is seen, before the right side is parsed, as CPython's grammar does. */
static pmast_node *assign(pmparser *P, pmpos start, pmast_node *first, size_t first_mark) {
    size_t base = P->sp, eq_mark = pmparse_mark(P);
    pmast_node *value = first, *n;
    while (pmparse_is(P, PMTOK_EQUAL)) {
        if (!pmparse_push(P, value)) return NULL;
        if (!pmparse_set_ctx(P, value, PMAST_STORE)) {
            assign_error(P, base, first_mark, eq_mark);
            P->sp = base;
            return NULL;
        }
        pmparse_advance(P);
        if (!(value = rhs(P))) {
            P->sp = base;
            return NULL;
        }
    }
    if (!(n = pmparse_node(P, PMAST_Assign, start))) return NULL;
    n->v.Assign.targets = pmparse_seq_from(P, base);
    n->v.Assign.value = value;
    return n;
}

static pmast_node *expr_stmt(pmparser *P) {
    pmpos start = pmparse_start(P);
    size_t mark = pmparse_mark(P);
    int paren_start = pmparse_is(P, PMTOK_LPAR), op;
    pmast_node *e, *n;
    if (!pmparse_is(P, PMTOK_STAR) && !pmparse_starts_expression(P))
        return pmparse_invalid_syntax(P);
    if (!(e = pmparse_star_expressions(P))) return NULL;
    if (pmparse_is(P, PMTOK_COLON)) return ann_assign(P, start, e, paren_start);
    if (pmparse_is(P, PMTOK_COLONEQUAL) && e->kind != PMAST_Tuple &&
        !(e->kind == PMAST_Name && !e->paren)) {
        pmparse_invalid_walrus(P, e);
        return NULL;
    }
    if (pmparse_is(P, PMTOK_EQUAL)) return assign(P, start, e, mark);
    if ((op = augassign_op(pmparse_tok(P)->type)) != 0) return aug_assign(P, start, e, op);
    if (P->failed || !(n = pmparse_node(P, PMAST_Expr, start))) return NULL;
    n->v.Expr.value = e;
    return n;
}

static pmast_node *yield_stmt(pmparser *P) {
    pmpos start = pmparse_start(P);
    pmast_node *y = pmparse_yield_expr(P), *n;
    if (!y) return NULL;
    if (pmparse_is(P, PMTOK_EQUAL)) {
        pmparse_error_node(P, y, "assignment to yield expression not possible");
        return NULL;
    }
    if (!(n = pmparse_node(P, PMAST_Expr, start))) return NULL;
    n->v.Expr.value = y;
    return n;
}

pmast_node *pmparse_simple_stmt(pmparser *P) {
    pmlex_token *t = pmparse_tok(P);
    if (P->failed) return NULL;
    if (t->type == PMTOK_NAME) {
        switch (t->kw) {
        case PMKW_return: return return_stmt(P);
        case PMKW_import: return import_stmt(P);
        case PMKW_from: return from_stmt(P);
        case PMKW_raise: return raise_stmt(P);
        case PMKW_pass: return bare(P, PMAST_Pass);
        case PMKW_break: return bare(P, PMAST_Break);
        case PMKW_continue: return bare(P, PMAST_Continue);
        case PMKW_del: return del_stmt(P);
        case PMKW_yield: return yield_stmt(P);
        case PMKW_assert: return assert_stmt(P);
        case PMKW_global: return global_stmt(P, PMAST_Global);
        case PMKW_nonlocal: return global_stmt(P, PMAST_Nonlocal);
        default: break;
        }
    }
    return expr_stmt(P);
}

/* ================================================================ parameters */

/* A growable list of nodes in the arena (parameter lists are short). */
typedef struct nvec {
    pmast_node **items;
    int n, cap;
} nvec;

static int nvec_push(pmparser *P, nvec *v, pmast_node *x) {
    if (v->n == v->cap) {
        int cap = v->cap ? v->cap * 2 : 8;
        pmast_node **p = pmast_arena_alloc(P->arena, (size_t)cap * sizeof *p);
        if (!p) { pmparse_oom(P); return 0; }
        if (v->n) memcpy(p, v->items, (size_t)v->n * sizeof *p);
        v->items = p;
        v->cap = cap;
    }
    v->items[v->n++] = x;
    return 1;
}

static pmast_seq nvec_seq(const nvec *v, int from, int to) {
    pmast_seq s;
    s.n = to - from;
    s.items = s.n ? v->items + from : NULL;
    return s;
}

typedef struct params {
    nvec pos, defaults, kwonly, kwdefaults;
    int nposonly, seen_slash, seen_star;
    pmast_node *vararg, *kwarg;
    int is_lambda, close;
} params;

/* param: NAME [':' expression]  (no annotation in lambdas) */
static pmast_node *param(pmparser *P, int is_lambda) {
    pmpos start = pmparse_start(P);
    const char *name;
    pmast_node *ann = NULL, *a;
    if (!pmparse_is_name(P)) return pmparse_invalid_syntax(P);
    name = pmparse_ident(P, pmparse_tok(P));
    pmparse_advance(P);
    if (!is_lambda && pmparse_accept(P, PMTOK_COLON) && !(ann = pmparse_expression(P)))
        return NULL;
    if (P->failed || !(a = pmparse_node(P, PMAST_arg, start))) return NULL;
    a->v.arg.arg = name;
    a->v.arg.annotation = ann;
    return a;
}

static int at_close(pmparser *P, const params *ps) {
    return pmparse_is(P, ps->close);
}

/* default: '=' expression; "expected default value expression" when nothing follows. */
static int param_default(pmparser *P, const params *ps, pmast_node **out) {
    pmlex_token eq = *pmparse_tok(P);
    *out = NULL;
    if (!pmparse_accept(P, PMTOK_EQUAL)) return 1;
    if (pmparse_is(P, PMTOK_COMMA) || at_close(P, ps)) {
        pmparse_error_token(P, &eq, "expected default value expression");
        return 0;
    }
    return (*out = pmparse_expression(P)) != NULL;
}

static int param_slash(pmparser *P, params *ps) {
    pmlex_token *t = pmparse_tok(P);
    if (ps->seen_star) pmparse_error_token(P, t, "/ must be ahead of *");
    else if (ps->seen_slash) pmparse_error_token(P, t, "/ may appear only once");
    else if (ps->pos.n == 0) {
        pmlex_token slash = *t;
        int comma;
        P->lookahead++;
        comma = pmparse_peek(P, 1)->type == PMTOK_COMMA;
        P->lookahead--;
        if (comma)
            pmparse_error_token(P, &slash, "at least one argument must precede /");
        else pmparse_invalid_syntax(P);
    }
    if (P->failed) return 0;
    ps->seen_slash = 1;
    ps->nposonly = ps->pos.n;
    pmparse_advance(P);
    if (pmparse_is(P, PMTOK_STAR)) {
        pmparse_error_token(P, pmparse_tok(P), "expected comma between / and *");
        return 0;
    }
    return 1;
}

static int param_star(pmparser *P, params *ps) {
    pmlex_token star = *pmparse_tok(P);
    if (ps->seen_star) {
        pmparse_error_token(P, &star, "* argument may appear only once");
        return 0;
    }
    pmparse_advance(P);
    ps->seen_star = 1;
    if (at_close(P, ps) || (pmparse_is(P, PMTOK_COMMA) &&
                            (pmparse_peek(P, 1)->type == (unsigned)ps->close ||
                             pmparse_peek(P, 1)->type == PMTOK_DOUBLESTAR))) {
        if (ps->is_lambda) pmparse_error_last(P, "SyntaxError", "named arguments must follow "
                                              "bare *");
        else pmparse_error_token(P, &star, "named arguments must follow bare *");
        return 0;
    }
    if (pmparse_is(P, PMTOK_COMMA)) return 1;
    if (!(ps->vararg = param(P, ps->is_lambda))) return 0;
    if (pmparse_is(P, PMTOK_EQUAL)) {
        pmparse_error_token(P, pmparse_tok(P), "var-positional argument cannot have default value");
        return 0;
    }
    return 1;
}

static int param_kwargs(pmparser *P, params *ps) {
    pmparse_advance(P);
    if (!(ps->kwarg = param(P, ps->is_lambda))) return 0;
    if (pmparse_is(P, PMTOK_EQUAL)) {
        pmparse_error_token(P, pmparse_tok(P), "var-keyword argument cannot have default value");
        return 0;
    }
    if (pmparse_accept(P, PMTOK_COMMA) && !at_close(P, ps)) {
        pmlex_token *t = pmparse_tok(P);
        if (t->type == PMTOK_STAR || t->type == PMTOK_DOUBLESTAR || t->type == PMTOK_SLASH) {
            pmparse_error_token(P, t, "arguments cannot follow var-keyword argument");
        } else if (pmparse_is_name(P)) {
            pmast_node *a = param(P, ps->is_lambda);
            if (a) pmparse_error_node(P, a, "arguments cannot follow var-keyword argument");
        } else {
            pmparse_invalid_syntax(P);
        }
        return 0;
    }
    return 1;
}

static int param_plain(pmparser *P, params *ps) {
    pmast_node *a = param(P, ps->is_lambda), *d;
    if (!a || !param_default(P, ps, &d)) return 0;
    if (ps->seen_star) return nvec_push(P, &ps->kwonly, a) && nvec_push(P, &ps->kwdefaults, d);
    if (d) return nvec_push(P, &ps->pos, a) && nvec_push(P, &ps->defaults, d);
    if (ps->defaults.n > 0 && (pmparse_is(P, PMTOK_COMMA) || at_close(P, ps))) {
        pmparse_error_node(P, a, "non-default argument follows default argument");
        return 0;
    }
    return nvec_push(P, &ps->pos, a);
}

/* "(a, b)" as a parameter: CPython's "Function parameters cannot be parenthesized". */
static void param_paren(pmparser *P, params *ps) {
    pmpos start = pmparse_start(P);
    size_t k = 1;
    pmlex_token *t;
    P->lookahead++;
    while ((t = pmparse_peek(P, k))->type == PMTOK_NAME && t->kw == 0) {
        t = pmparse_peek(P, k + 1);
        if (t->type == PMTOK_COMMA) k += 2;
        else { k += 1; break; }
    }
    t = pmparse_peek(P, k);
    P->lookahead--;
    if (k > 1 && t->type == PMTOK_RPAR)
        pmparse_error_range(P, start, tok_end(t), ps->is_lambda
                            ? "Lambda expression parameters cannot be parenthesized"
                            : "Function parameters cannot be parenthesized");
    else pmparse_invalid_syntax(P);
}

static int one_param(pmparser *P, params *ps) {
    switch (pmparse_tok(P)->type) {
    case PMTOK_SLASH: return param_slash(P, ps);
    case PMTOK_STAR: return param_star(P, ps);
    case PMTOK_DOUBLESTAR: return param_kwargs(P, ps);
    case PMTOK_LPAR: param_paren(P, ps); return 0;
    default: return param_plain(P, ps);
    }
}

static pmast_node *params_node(pmparser *P, params *ps) {
    pmast_node *n = pmparse_node(P, PMAST_arguments, pmparse_start(P));
    if (!n) return NULL;
    n->lineno = n->col_offset = n->end_lineno = n->end_col_offset = 0;
    n->v.arguments.posonlyargs = nvec_seq(&ps->pos, 0, ps->nposonly);
    n->v.arguments.args = nvec_seq(&ps->pos, ps->nposonly, ps->pos.n);
    n->v.arguments.vararg = ps->vararg;
    n->v.arguments.kwonlyargs = nvec_seq(&ps->kwonly, 0, ps->kwonly.n);
    n->v.arguments.kw_defaults = nvec_seq(&ps->kwdefaults, 0, ps->kwdefaults.n);
    n->v.arguments.kwarg = ps->kwarg;
    n->v.arguments.defaults = nvec_seq(&ps->defaults, 0, ps->defaults.n);
    return n;
}

/* The parameters up to (not including) ')' for def or ':' for lambda. */
pmast_node *pmparse_arguments_node(pmparser *P, int is_lambda) {
    params ps;
    memset(&ps, 0, sizeof ps);
    ps.is_lambda = is_lambda;
    ps.close = is_lambda ? PMTOK_COLON : PMTOK_RPAR;
    while (!P->failed && !at_close(P, &ps)) {
        int was_kwargs = pmparse_is(P, PMTOK_DOUBLESTAR);
        if (!one_param(P, &ps)) return NULL;
        if (was_kwargs) break;
        if (!pmparse_accept(P, PMTOK_COMMA)) break;
    }
    if (P->failed) return NULL;
    if (!at_close(P, &ps)) return pmparse_invalid_syntax(P);
    if (ps.seen_star && !ps.vararg && ps.kwonly.n == 0) {
        pmparse_invalid_syntax(P);
        return NULL;
    }
    return params_node(P, &ps);
}
