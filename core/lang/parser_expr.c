/*
 * parser_expr.c -- expressions (Grammar/python.gram of 3.11, "EXPRESSIONS" onwards).
 *
 * Shape (this is the file STYLE.md allows to be long):
 *   expression        lambda headers and "body if test else" prefixes are collected in a
 *                     loop and wrapped from the inside out, so chains do not recurse
 *   disjunction ...   or/and/not are loops; comparisons are flat
 *   binary            precedence climbing; recursion only goes up the 6 levels
 *   factor            unary operators and ** chains with an explicit frame stack
 *   primary, atom     trailers in a loop; atoms recurse only through brackets (<= 200)
 * so the C stack depth is bounded by the bracket nesting, whatever the input.
 */
#include "lang/parser_internal.h"

#include <string.h>

static pmast_node *atom(pmparser *P);
#define comprehension_clauses pmparse_comprehension_clauses

static pmpos end_pos(pmparser *P) {
    pmpos p;
    p.line = P->end_line;
    p.col = P->end_col;
    return p;
}

static pmpos node_start(const pmast_node *n) {
    pmpos p;
    p.line = n->lineno;
    p.col = n->col_offset;
    return p;
}

static pmpos node_end(const pmast_node *n) {
    pmpos p;
    p.line = n->end_lineno;
    p.col = n->end_col_offset;
    return p;
}

static pmast_node *name_node(pmparser *P, int ctx) {
    pmpos start = pmparse_start(P);
    const char *id = pmparse_ident(P, pmparse_tok(P));
    pmast_node *n;
    pmparse_advance(P);
    if (!id || !(n = pmparse_node(P, PMAST_Name, start))) return NULL;
    n->v.Name.id = id;
    n->ctx = (uint8_t)ctx;
    return n;
}

static pmast_node *constant(pmparser *P, int ckind) {
    pmpos start = pmparse_start(P);
    pmast_node *n;
    pmparse_advance(P);
    if (!(n = pmparse_node(P, PMAST_Constant, start))) return NULL;
    n->v.Constant.ckind = (uint8_t)ckind;
    return n;
}

static pmast_node *seq_node(pmparser *P, int kind, pmpos start, size_t base, int ctx) {
    pmast_seq s = pmparse_seq_from(P, base);
    pmast_node *n;
    if (P->failed || !(n = pmparse_node(P, kind, start))) return NULL;
    n->v.List.elts = s;
    n->ctx = (uint8_t)ctx;
    return n;
}

int pmparse_starts_expression(pmparser *P) {
    pmlex_token *t = pmparse_tok(P);
    if (P->failed) return 0;
    switch (t->type) {
    case PMTOK_NAME:
        return t->kw == 0 || t->kw == PMKW_not || t->kw == PMKW_lambda ||
               t->kw == PMKW_await || t->kw == PMKW_True || t->kw == PMKW_False ||
               t->kw == PMKW_None;
    case PMTOK_NUMBER: case PMTOK_STRING: case PMTOK_LPAR: case PMTOK_LSQB:
    case PMTOK_LBRACE: case PMTOK_MINUS: case PMTOK_PLUS: case PMTOK_TILDE:
    case PMTOK_ELLIPSIS:
        return 1;
    default:
        return 0;
    }
}

/* ================================================================ factor, power */

typedef struct frame {
    int op;             /* a unaryop, or 0 for "left ** ..." */
    pmpos start;
    pmast_node *left;
} frame;

static int unary_op(int type) {
    switch (type) {
    case PMTOK_MINUS: return PMAST_USub;
    case PMTOK_PLUS: return PMAST_UAdd;
    case PMTOK_TILDE: return PMAST_Invert;
    default: return 0;
    }
}


/* PEG backtracking: an operator whose operand fails plainly is not part of the expression
 * ("y+if x" in a comprehension is "y" followed by "+").  Inside a diagnostic look-ahead the
 * tokens fetched do not count for the place of a generic error; in the parse proper they do. */
static void try_begin(pmparser *P, pmspec *s) {
    if (P->lookahead) pmparse_spec_begin(P, s, 0);
    else pmparse_backtrack_begin(P, s);
}

/* await_primary: 'await' primary | primary */
static pmast_node *await_primary(pmparser *P) {
    pmpos start = pmparse_start(P);
    pmast_node *v, *n;
    if (!pmparse_is_kw(P, PMKW_await)) return pmparse_primary(P, 1);
    pmparse_advance(P);
    pmparse_unsupported(P, "'await'", start, end_pos(P));
    if (!(v = pmparse_primary(P, 1)) || !(n = pmparse_node(P, PMAST_Await, start)))
        return NULL;
    n->v.Await.value = v;
    return n;
}

static pmast_node *unwind_factor(pmparser *P, size_t base, pmast_node *result) {
    while (P->sp > base && result) {
        frame *f = P->stk[--P->sp];
        pmast_node *n;
        if (f->op) {
            if (!(n = pmparse_node(P, PMAST_UnaryOp, f->start))) return NULL;
            n->v.UnaryOp.op = (uint8_t)f->op;
            n->v.UnaryOp.operand = result;
        } else {
            if (!(n = pmparse_node(P, PMAST_BinOp, f->start))) return NULL;
            n->v.BinOp.left = f->left;
            n->v.BinOp.op = PMAST_Pow;
            n->v.BinOp.right = result;
        }
        result = n;
    }
    P->sp = base;
    return result;
}

/* After '**': does a factor follow (so that PEG would take the '**')? */
static int power_operand_follows(pmparser *P) {
    pmspec s;
    int ok;
    try_begin(P, &s);
    pmparse_advance(P);
    while (unary_op(pmparse_tok(P)->type) && !P->failed) pmparse_advance(P);
    ok = await_primary(P) != NULL;
    if (pmparse_spec_end(P, &s, 1)) return 0;
    return ok;
}

/* factor: ('+'|'-'|'~') factor | power;  power: await_primary ['**' factor] */
static pmast_node *factor(pmparser *P) {
    size_t base = P->sp;
    pmast_node *prim = NULL;
    for (;;) {
        int op;
        pmpos start;
        if (P->failed) break;
        while ((op = unary_op(pmparse_tok(P)->type)) != 0 && !P->failed) {
            frame *f = pmast_arena_alloc(P->arena, sizeof *f);
            if (!f) { pmparse_oom(P); return NULL; }
            f->op = op;
            f->start = pmparse_start(P);
            pmparse_advance(P);
            if (!pmparse_push(P, f)) return NULL;
        }
        start = pmparse_start(P);
        if (!(prim = await_primary(P))) {
            P->sp = base;
            return NULL;
        }
        if (!pmparse_is(P, PMTOK_DOUBLESTAR) || !power_operand_follows(P)) break;
        {
            frame *f = pmast_arena_alloc(P->arena, sizeof *f);
            if (!f) { pmparse_oom(P); return NULL; }
            f->op = 0;
            f->start = start;
            f->left = prim;
            pmparse_advance(P);
            if (!pmparse_push(P, f)) return NULL;
        }
    }
    if (P->failed) {
        P->sp = base;
        return NULL;
    }
    return unwind_factor(P, base, prim);
}

/* ================================================================ binary operators */

static int binop(int type, int *op) {
    switch (type) {
    case PMTOK_VBAR: *op = PMAST_BitOr; return 1;
    case PMTOK_CIRCUMFLEX: *op = PMAST_BitXor; return 2;
    case PMTOK_AMPER: *op = PMAST_BitAnd; return 3;
    case PMTOK_LEFTSHIFT: *op = PMAST_LShift; return 4;
    case PMTOK_RIGHTSHIFT: *op = PMAST_RShift; return 4;
    case PMTOK_PLUS: *op = PMAST_Add; return 5;
    case PMTOK_MINUS: *op = PMAST_Sub; return 5;
    case PMTOK_STAR: *op = PMAST_Mult; return 6;
    case PMTOK_SLASH: *op = PMAST_Div; return 6;
    case PMTOK_DOUBLESLASH: *op = PMAST_FloorDiv; return 6;
    case PMTOK_PERCENT: *op = PMAST_Mod; return 6;
    case PMTOK_AT: *op = PMAST_MatMult; return 6;
    default: return 0;
    }
}

static pmast_node *binary(pmparser *P, int min_prec) {
    pmpos start = pmparse_start(P);
    pmast_node *left = factor(P);
    for (;;) {
        int op = 0, prec = binop(pmparse_tok(P)->type, &op);
        pmast_node *right, *n;
        pmspec s;
        if (!left || P->failed || prec == 0 || prec < min_prec) return left;
        try_begin(P, &s);
        pmparse_advance(P);
        if (!(right = binary(P, prec + 1))) return pmparse_spec_end(P, &s, 1) ? NULL : left;
        pmparse_spec_commit(P, &s);
        if (!(n = pmparse_node(P, PMAST_BinOp, start))) return NULL;
        n->v.BinOp.left = left;
        n->v.BinOp.op = (uint8_t)op;
        n->v.BinOp.right = right;
        left = n;
    }
}

pmast_node *pmparse_bitwise_or(pmparser *P) {
    return binary(P, 1);
}

/* ================================================================ comparison, not, and, or */

/* A comparison operator at the current token (consumed), or 0. */
static int compare_op(pmparser *P) {
    pmlex_token *t = pmparse_tok(P);
    int op = 0;
    switch (t->type) {
    case PMTOK_EQEQUAL: op = PMAST_Eq; break;
    case PMTOK_NOTEQUAL:
        if (t->end - t->start == 2 && P->L.buf[t->start] == '<') return 0;  /* <> */
        op = PMAST_NotEq; break;
    case PMTOK_LESS: op = PMAST_Lt; break;
    case PMTOK_LESSEQUAL: op = PMAST_LtE; break;
    case PMTOK_GREATER: op = PMAST_Gt; break;
    case PMTOK_GREATEREQUAL: op = PMAST_GtE; break;
    case PMTOK_NAME:
        if (t->kw == PMKW_in) op = PMAST_In;
        else if (t->kw == PMKW_is) {
            pmparse_advance(P);
            return pmparse_accept_kw(P, PMKW_not) ? PMAST_IsNot : PMAST_Is;
        } else if (t->kw == PMKW_not && pmparse_peek(P, 1)->type == PMTOK_NAME &&
                   pmparse_peek(P, 1)->kw == PMKW_in) {
            pmparse_advance(P);
            pmparse_advance(P);
            return PMAST_NotIn;
        }
        break;
    default: break;
    }
    if (op) pmparse_advance(P);
    return op;
}

static pmast_node *comparison(pmparser *P) {
    pmpos start = pmparse_start(P);
    pmast_node *left = pmparse_bitwise_or(P), *n;
    size_t base = P->sp, count, i;
    uint8_t *ops;
    int op;
    if (!left) return NULL;
    for (;;) {
        pmast_node *right;
        pmspec s;
        try_begin(P, &s);
        if ((op = compare_op(P)) == 0) {
            pmparse_spec_end(P, &s, 0);
            break;
        }
        if (!(right = pmparse_bitwise_or(P))) {
            if (pmparse_spec_end(P, &s, 1)) {
                P->sp = base;
                return NULL;
            }
            break;
        }
        pmparse_spec_commit(P, &s);
        if (!pmparse_push(P, (void *)(uintptr_t)op) || !right || !pmparse_push(P, right)) {
            P->sp = base;
            return NULL;
        }
    }
    if (P->failed) return NULL;
    if (P->sp == base) return left;
    count = (P->sp - base) / 2;
    ops = pmast_arena_alloc(P->arena, count);
    if (!ops || !(n = pmparse_node(P, PMAST_Compare, start))) {
        pmparse_oom(P);
        return NULL;
    }
    for (i = 0; i < count; i++) {
        ops[i] = (uint8_t)(uintptr_t)P->stk[base + 2 * i];
        P->stk[base + i] = P->stk[base + 2 * i + 1];
    }
    P->sp = base + count;
    n->v.Compare.left = left;
    n->v.Compare.ops = ops;
    n->v.Compare.comparators = pmparse_seq_from(P, base);
    return n;
}

/* inversion: 'not' inversion | comparison  (iterative) */
static pmast_node *inversion(pmparser *P) {
    size_t base = P->sp;
    pmast_node *result;
    while (pmparse_is_kw(P, PMKW_not)) {
        frame *f = pmast_arena_alloc(P->arena, sizeof *f);
        if (!f) { pmparse_oom(P); return NULL; }
        f->op = PMAST_Not;
        f->start = pmparse_start(P);
        pmparse_advance(P);
        if (!pmparse_push(P, f)) return NULL;
    }
    if (!(result = comparison(P))) {
        P->sp = base;
        return NULL;
    }
    return unwind_factor(P, base, result);
}

/* conjunction / disjunction: flat BoolOp of two or more values */
static pmast_node *boolop(pmparser *P, int kw) {
    pmpos start = pmparse_start(P);
    size_t base = P->sp;
    pmast_node *first = kw == PMKW_and ? inversion(P) : boolop(P, PMKW_and), *n;
    if (!first || !pmparse_is_kw(P, kw)) return first;
    pmparse_push(P, first);
    while (pmparse_is_kw(P, kw)) {
        pmast_node *v;
        pmspec s;
        try_begin(P, &s);
        pmparse_advance(P);
        v = kw == PMKW_and ? inversion(P) : boolop(P, PMKW_and);
        if (!v) {
            if (pmparse_spec_end(P, &s, 1)) {
                P->sp = base;
                return NULL;
            }
            break;
        }
        pmparse_spec_commit(P, &s);
        if (!v || !pmparse_push(P, v)) {
            P->sp = base;
            return NULL;
        }
    }
    if (P->sp == base + 1) return P->stk[--P->sp];
    if (P->failed || !(n = pmparse_node(P, PMAST_BoolOp, start))) {
        P->sp = base;
        return NULL;
    }
    n->v.BoolOp.op = kw == PMKW_and ? PMAST_And : PMAST_Or;
    n->v.BoolOp.values = pmparse_seq_from(P, base);
    return n;
}

pmast_node *pmparse_disjunction(pmparser *P) {
    return boolop(P, PMKW_or);
}

/* ================================================================ expression */

typedef struct xframe {
    int is_lambda;
    pmpos start;
    pmast_node *a, *b;      /* lambda: args; if-expression: body, test */
} xframe;

static pmast_node *unwind_expression(pmparser *P, size_t base, pmast_node *result) {
    while (P->sp > base && result) {
        xframe *f = P->stk[--P->sp];
        pmast_node *n = pmparse_node(P, f->is_lambda ? PMAST_Lambda : PMAST_IfExp, f->start);
        if (!n) break;
        if (f->is_lambda) {
            n->v.Lambda.args = f->a;
            n->v.Lambda.body = result;
        } else {
            n->v.IfExp.body = f->a;
            n->v.IfExp.test = f->b;
            n->v.IfExp.orelse = result;
        }
        result = n;
    }
    P->sp = base;
    return P->failed ? NULL : result;
}

static xframe *new_xframe(pmparser *P, int is_lambda, pmpos start) {
    xframe *f = pmast_arena_alloc(P->arena, sizeof *f);
    if (!f) pmparse_oom(P);
    else {
        f->is_lambda = is_lambda;
        f->start = start;
    }
    return f;
}

/* 'lambda' [params] ':' -- pushed as a frame */
static int lambda_header(pmparser *P) {
    xframe *f = new_xframe(P, 1, pmparse_start(P));
    if (!f) return 0;
    pmparse_advance(P);
    if (!(f->a = pmparse_arguments_node(P, 1))) return 0;
    if (!pmparse_accept(P, PMTOK_COLON)) {
        pmparse_invalid_syntax(P);
        return 0;
    }
    return pmparse_push(P, f);
}

/* After a disjunction `d` (parsed from `mark`): CPython's invalid_expression and
 * invalid_legacy_expression, tried only when something that starts an expression follows. */
static void after_disjunction(pmparser *P, pmast_node *d, size_t mark) {
    if (!pmparse_starts_expression(P)) return;
    pmparse_invalid_expression(P, d, mark);
}

/* In a look-ahead, PEG semantics: "d if c" without else is just d. */
static int conditional_follows(pmparser *P) {
    pmspec s;
    int ok;
    pmparse_spec_begin(P, &s, 1);
    pmparse_advance(P);
    ok = pmparse_disjunction(P) && pmparse_is_kw(P, PMKW_else);
    pmparse_spec_end(P, &s, 0);
    return ok && !P->failed;
}

/* invalid_expression alternative 2 in a loud look-ahead: disjunction 'if' disjunction
 * !('else'|':') */
static void missing_else(pmparser *P, pmast_node *d) {
    pmspec s;
    pmast_node *b;
    pmpos b_end = { 0, 0 };
    int ok;
    pmparse_spec_begin(P, &s, 0);
    pmparse_advance(P);
    b = pmparse_disjunction(P);
    ok = b && !P->failed && !pmparse_is_kw(P, PMKW_else) && !pmparse_is(P, PMTOK_COLON);
    if (ok) b_end = node_end(b);
    if (pmparse_spec_end(P, &s, 1) || !ok) return;
    pmparse_error_range(P, node_start(d), b_end, "expected 'else' after 'if' expression");
}

pmast_node *pmparse_expression(pmparser *P) {
    size_t base = P->sp;
    pmast_node *d = NULL;
    if (!pmparse_enter(P)) return NULL;
    for (;;) {
        pmpos start;
        size_t mark;
        xframe *f;
        if (pmparse_is_kw(P, PMKW_lambda)) {
            if (!lambda_header(P)) break;
            continue;
        }
        start = pmparse_start(P);
        mark = pmparse_mark(P);
        if (!(d = pmparse_disjunction(P))) break;
        if (!pmparse_is_kw(P, PMKW_if)) {
            after_disjunction(P, d, mark);
            break;
        }
        if (P->lookahead && !conditional_follows(P)) {
            if (!P->quiet) missing_else(P, d);
            break;
        }
        if (!(f = new_xframe(P, 0, start))) break;
        f->a = d;
        pmparse_advance(P);
        if (!(f->b = pmparse_disjunction(P))) break;
        if (!pmparse_accept_kw(P, PMKW_else)) {
            if (!P->failed && !pmparse_is(P, PMTOK_COLON))
                pmparse_error_range(P, node_start(d), node_end(f->b),
                                    "expected 'else' after 'if' expression");
            else pmparse_invalid_syntax(P);
            break;
        }
        if (!pmparse_push(P, f)) break;
    }
    pmparse_leave(P);
    if (P->failed) {
        P->sp = base;
        return NULL;
    }
    return unwind_expression(P, base, d);
}

/* named_expression: NAME ':=' expression | expression !':=' */
pmast_node *pmparse_named_expression(pmparser *P) {
    size_t mark = pmparse_mark(P);
    pmast_node *e;
    if (pmparse_is_name(P) && pmparse_peek(P, 1)->type == PMTOK_COLONEQUAL) {
        pmpos start = pmparse_start(P);
        pmast_node *target = name_node(P, PMAST_STORE), *value, *n;
        pmlex_token *op = pmparse_tok(P);
        pmpos ostart = pmparse_start(P), oend;
        oend.line = op->end_lineno;
        oend.col = op->end_col;
        pmparse_unsupported(P, "':='", ostart, oend);
        pmparse_advance(P);
        if (!target || !(value = pmparse_expression(P))) return NULL;
        if (!(n = pmparse_node(P, PMAST_NamedExpr, start))) return NULL;
        n->v.NamedExpr.target = target;
        n->v.NamedExpr.value = value;
        return n;
    }
    if (!(e = pmparse_expression(P))) return NULL;
    if (pmparse_is(P, PMTOK_COLONEQUAL)) {
        pmparse_invalid_walrus(P, e);
        return NULL;
    }
    if (pmparse_is(P, PMTOK_EQUAL)) pmparse_invalid_named(P, e, mark);
    return P->failed ? NULL : e;
}

/* star_expression: '*' bitwise_or | expression   (also star_named_expression) */
static pmast_node *star_item(pmparser *P, int named) {
    pmpos start;
    pmast_node *v, *n;
    if (!pmparse_is(P, PMTOK_STAR))
        return named ? pmparse_named_expression(P) : pmparse_expression(P);
    start = pmparse_start(P);
    pmparse_advance(P);
    if (!(v = pmparse_bitwise_or(P)) || !(n = pmparse_node(P, PMAST_Starred, start)))
        return NULL;
    n->v.Starred.value = v;
    n->ctx = PMAST_LOAD;
    return n;
}

/* starred_expression: '*' expression (call arguments) */
static pmast_node *starred_expression(pmparser *P) {
    pmpos start = pmparse_start(P);
    pmast_node *v, *n;
    pmparse_advance(P);
    if (!(v = pmparse_expression(P)) || !(n = pmparse_node(P, PMAST_Starred, start)))
        return NULL;
    n->v.Starred.value = v;
    n->ctx = PMAST_LOAD;
    return n;
}

/* A starred display item followed by something that starts an expression: CPython's
 * invalid_comprehension re-reads it as '*' expression, whose diagnostics then apply. */
static void starred_junk(pmparser *P, pmast_node *item, size_t value_mark) {
    if (item->kind == PMAST_Starred && pmparse_starts_expression(P))
        pmparse_invalid_expression(P, item->v.Starred.value, value_mark);
}

/* Items separated by commas; a single item without a comma is returned as is, otherwise a
 * Tuple (ending after a trailing comma, as CPython's). */
static pmast_node *star_list(pmparser *P, int named) {
    pmpos start = pmparse_start(P);
    size_t base = P->sp;
    pmast_node *first = star_item(P, named);
    if (!first || !pmparse_is(P, PMTOK_COMMA)) return first;
    pmparse_push(P, first);
    while (pmparse_accept(P, PMTOK_COMMA)) {
        pmast_node *e;
        if (!pmparse_is(P, PMTOK_STAR) && !pmparse_starts_expression(P)) break;
        if (!(e = star_item(P, named)) || !pmparse_push(P, e)) {
            P->sp = base;
            return NULL;
        }
    }
    return seq_node(P, PMAST_Tuple, start, base, PMAST_LOAD);
}

pmast_node *pmparse_star_expressions(pmparser *P) {
    return star_list(P, 0);
}

pmast_node *pmparse_star_named_expressions_tuple(pmparser *P) {
    return star_list(P, 1);
}

/* yield_expr: 'yield' 'from' expression | 'yield' [star_expressions] */
pmast_node *pmparse_yield_expr(pmparser *P) {
    pmpos start = pmparse_start(P);
    pmast_node *v = NULL, *n;
    pmparse_advance(P);
    if (pmparse_accept_kw(P, PMKW_from)) {
        pmparse_unsupported(P, "'yield from'", start, end_pos(P));
        if (!(v = pmparse_expression(P)) || !(n = pmparse_node(P, PMAST_YieldFrom, start)))
            return NULL;
        n->v.YieldFrom.value = v;
        return n;
    }
    if ((pmparse_is(P, PMTOK_STAR) || pmparse_starts_expression(P)) &&
        !(v = pmparse_star_expressions(P)))
        return NULL;
    if (P->failed || !(n = pmparse_node(P, PMAST_Yield, start))) return NULL;
    n->v.Yield.value = v;
    return n;
}

/* ================================================================ targets */

static pmast_node *check_target(pmparser *P, pmast_node *t, int for_target) {
    if (t && !pmparse_set_ctx(P, t, PMAST_STORE)) {
        const pmast_node *bad = pmparse_invalid_target(t, for_target ? PMT_FOR : PMT_STAR);
        if (bad) pmparse_error_node(P, bad, "cannot assign to %s", pmparse_expr_name(bad));
        else pmparse_invalid_syntax(P);
        return NULL;
    }
    return t;
}

/* star_targets for `for` and comprehensions: items are parsed as bitwise_or expressions
 * and then checked. */
/* star_target: '*' target | t_primary.NAME | t_primary[...] | NAME | ( ... ) | [ ... ] --
 * parsed as a primary; NULL without an error when nothing here can start a target. */
static int starts_target(pmparser *P) {
    return pmparse_is_name(P) || pmparse_is(P, PMTOK_LPAR) || pmparse_is(P, PMTOK_LSQB) ||
           pmparse_is(P, PMTOK_STAR);
}

static pmast_node *target_item(pmparser *P) {
    pmpos start = pmparse_start(P);
    pmast_node *v, *n;
    if (!starts_target(P)) return NULL;
    if (!pmparse_is(P, PMTOK_STAR)) return pmparse_primary(P, 1);
    pmparse_advance(P);
    if (!(v = target_item(P)) || !(n = pmparse_node(P, PMAST_Starred, start))) return NULL;
    n->v.Starred.value = v;
    return n;
}

/* star_targets of `for` and comprehensions, not yet checked: NULL (maybe without an error)
 * when they do not parse; the caller then runs pmparse_for_target_error. */
pmast_node *pmparse_star_targets(pmparser *P) {
    pmpos start = pmparse_start(P);
    size_t base = P->sp;
    int tuple = 0;
    for (;;) {
        pmast_node *item = target_item(P);
        if (!item || !pmparse_push(P, item)) {
            P->sp = base;
            return NULL;
        }
        if (!pmparse_accept(P, PMTOK_COMMA)) break;
        tuple = 1;
        if (!starts_target(P)) break;
    }
    if (tuple) return seq_node(P, PMAST_Tuple, start, base, PMAST_STORE);
    return P->stk[--P->sp];
}

/* One star_target (with ... as TARGET). */
pmast_node *pmparse_star_target(pmparser *P) {
    pmast_node *t = target_item(P);
    if (!t && !P->failed) return pmparse_invalid_syntax(P);
    return t ? check_target(P, t, 0) : NULL;
}

/* 'for' TARGETS 'in': the targets, checked, with CPython's invalid_for_target on failure. */
pmast_node *pmparse_for_targets(pmparser *P) {
    size_t mark = pmparse_mark(P);
    pmast_node *t = pmparse_star_targets(P);
    if (P->failed) return NULL;
    if (!t || !pmparse_set_ctx(P, t, PMAST_STORE) || !pmparse_accept_kw(P, PMKW_in)) {
        pmparse_for_target_error(P, mark);
        return NULL;
    }
    return t;
}

/* ================================================================ primary */

/* slice: [expression] ':' [expression] [':' [expression]] | named_expression */
static pmast_node *slice(pmparser *P) {
    pmpos start = pmparse_start(P);
    pmast_node *lower = NULL, *upper = NULL, *step = NULL, *n;
    if (!pmparse_is(P, PMTOK_COLON)) {
        if (!(lower = pmparse_named_expression(P))) return NULL;
        if (!pmparse_is(P, PMTOK_COLON)) return lower;
        if (lower->kind == PMAST_NamedExpr && !lower->paren) return pmparse_invalid_syntax(P);
    }
    pmparse_advance(P);
    if (pmparse_starts_expression(P) && !(upper = pmparse_expression(P))) return NULL;
    if (pmparse_accept(P, PMTOK_COLON) && pmparse_starts_expression(P) &&
        !(step = pmparse_expression(P)))
        return NULL;
    if (P->failed || !(n = pmparse_node(P, PMAST_Slice, start))) return NULL;
    n->v.Slice.lower = lower;
    n->v.Slice.upper = upper;
    n->v.Slice.step = step;
    return n;
}

/* slices: slice !',' | ','.(slice | starred_expression)+ [','] */
static pmast_node *slices(pmparser *P) {
    pmpos start = pmparse_start(P);
    size_t base = P->sp;
    int comma = 0;
    for (;;) {
        pmast_node *s = pmparse_is(P, PMTOK_STAR) ? star_item(P, 0) : slice(P);
        if (!s || !pmparse_push(P, s)) {
            P->sp = base;
            return NULL;
        }
        if (!pmparse_accept(P, PMTOK_COMMA)) break;
        comma = 1;
        if (pmparse_is(P, PMTOK_RSQB)) break;
    }
    if (!comma && ((pmast_node *)P->stk[base])->kind != PMAST_Starred) return P->stk[--P->sp];
    return seq_node(P, PMAST_Tuple, start, base, PMAST_LOAD);
}

static pmast_node *trailer_attr(pmparser *P, pmast_node *value, pmpos start) {
    pmast_node *n;
    const char *attr;
    pmparse_advance(P);
    if (!pmparse_is_name(P)) return pmparse_invalid_syntax(P);
    attr = pmparse_ident(P, pmparse_tok(P));
    pmparse_advance(P);
    if (!attr || !(n = pmparse_node(P, PMAST_Attribute, start))) return NULL;
    n->v.Attribute.value = value;
    n->v.Attribute.attr = attr;
    n->ctx = PMAST_LOAD;
    return n;
}

static pmast_node *trailer_subscript(pmparser *P, pmast_node *value, pmpos start) {
    pmast_node *s, *n;
    pmparse_advance(P);
    if (!pmparse_enter(P)) return NULL;
    s = slices(P);
    pmparse_leave(P);
    if (!s) return NULL;
    if (!pmparse_accept(P, PMTOK_RSQB)) return pmparse_invalid_syntax(P);
    if (!(n = pmparse_node(P, PMAST_Subscript, start))) return NULL;
    n->v.Subscript.value = value;
    n->v.Subscript.slice = s;
    n->ctx = PMAST_LOAD;
    return n;
}

pmast_node *pmparse_primary(pmparser *P, int trailers) {
    pmpos start = pmparse_start(P);
    pmast_node *n = atom(P);
    while (trailers && n && !P->failed) {
        int type = pmparse_tok(P)->type;
        pmast_node *t;
        pmspec s;
        if (type != PMTOK_DOT && type != PMTOK_LPAR && type != PMTOK_LSQB) break;
        /* PEG: a trailer that fails plainly leaves the primary without it ("a[1][]" is
         * "a[1]" followed by "[]"), so the diagnostics after it get their chance. */
        try_begin(P, &s);
        if (type == PMTOK_DOT) t = trailer_attr(P, n, start);
        else if (type == PMTOK_LPAR) t = pmparse_call_args(P, n, start);
        else t = trailer_subscript(P, n, start);
        if (!t) return pmparse_spec_end(P, &s, 1) ? NULL : n;
        pmparse_spec_commit(P, &s);
        n = t;
    }
    return P->failed ? NULL : n;
}

/* ================================================================ call arguments */

typedef struct argstate {
    size_t args_base;        /* positional args are pushed on the scratch stack... */
    pmast_node **kw;         /* ...keywords go to a second list in the arena */
    int nkw, kwcap;
    int seen_kw, seen_kwunpack, positional_after_kw;
    pmast_node *genexp_elt;  /* an unparenthesised generator argument */
    pmast_seq genexp_gens;
} argstate;

static int add_keyword(pmparser *P, argstate *st, pmast_node *k) {
    if (st->nkw == st->kwcap) {
        int cap = st->kwcap ? st->kwcap * 2 : 8;
        pmast_node **p = pmast_arena_alloc(P->arena, (size_t)cap * sizeof *p);
        if (!p) { pmparse_oom(P); return 0; }
        if (st->nkw) memcpy(p, st->kw, (size_t)st->nkw * sizeof *p);
        st->kw = p;
        st->kwcap = cap;
    }
    st->kw[st->nkw++] = k;
    return 1;
}

static pmast_node *last_comprehension_item(const pmast_seq *gens) {
    const pmast_node *c = gens->items[gens->n - 1];
    if (c->v.comprehension.ifs.n == 0) return c->v.comprehension.iter;
    return c->v.comprehension.ifs.items[c->v.comprehension.ifs.n - 1];
}

/* keyword: NAME '=' expression | '**' expression */
static pmast_node *keyword_arg(pmparser *P, argstate *st) {
    pmpos start = pmparse_start(P);
    const char *name = NULL;
    size_t eq_index = pmparse_mark(P) + 1;
    pmast_node *v, *k;
    if (pmparse_accept(P, PMTOK_DOUBLESTAR)) {
        st->seen_kwunpack = 1;
    } else {
        name = pmparse_ident(P, pmparse_tok(P));
        pmparse_advance(P);
        pmparse_advance(P);
        st->seen_kw = 1;
    }
    if (!(v = pmparse_expression(P))) return NULL;
    if (name && pmparse_is_kw(P, PMKW_for)) {
        pmpos eq_end = start;
        pmspec s;
        pmast_seq gens;
        int ok;
        eq_end.col = P->toks[eq_index - P->base].end_col;
        eq_end.line = P->toks[eq_index - P->base].end_lineno;
        pmparse_spec_begin(P, &s, 0);
        ok = comprehension_clauses(P, &gens) != NULL;
        if (pmparse_spec_end(P, &s, 1)) return NULL;
        if (ok) pmparse_error_range(P, start, eq_end, "invalid syntax. Maybe you meant '==' or "
                                    "':=' instead of '='?");
        else pmparse_invalid_syntax(P);
        return NULL;
    }
    if (!(k = pmparse_node(P, PMAST_keyword, start))) return NULL;
    k->v.keyword.arg = name;
    k->v.keyword.value = v;
    return k;
}

/* A positional argument (maybe starred, maybe a bare generator expression). */
static int positional_arg(pmparser *P, argstate *st, int first) {
    pmast_node *e;
    int starred = pmparse_is(P, PMTOK_STAR);
    if (starred) {
        if (st->seen_kwunpack) {
            pmparse_error_token(P, pmparse_tok(P), "iterable argument unpacking follows "
                                "keyword argument unpacking");
            return 0;
        }
        e = starred_expression(P);
    } else if (pmparse_is_name(P) && pmparse_peek(P, 1)->type == PMTOK_COLONEQUAL) {
        e = pmparse_named_expression(P);
    } else {
        e = pmparse_expression(P);
    }
    if (!e) return 0;
    if (!starred && (pmparse_is_kw(P, PMKW_for) || pmparse_is_kw(P, PMKW_async))) {
        pmast_seq gens;
        if (!comprehension_clauses(P, &gens)) return 0;
        if (first && pmparse_is(P, PMTOK_RPAR)) {
            st->genexp_elt = e;
            st->genexp_gens = gens;
            return 1;
        }
        if (first && !pmparse_is(P, PMTOK_COMMA)) {
            pmparse_invalid_syntax(P);
            return 0;
        }
        pmparse_error_range(P, node_start(e), node_end(last_comprehension_item(&gens)),
                            "Generator expression must be parenthesized");
        return 0;
    }
    if (!starred && pmparse_is(P, PMTOK_EQUAL)) {
        pmlex_token *eq = pmparse_tok(P);
        pmpos eend;
        eend.line = eq->end_lineno;
        eend.col = eq->end_col;
        pmparse_error_range(P, node_start(e), eend,
                            "expression cannot contain assignment, perhaps you meant \"==\"?");
        return 0;
    }
    if (!starred && (st->seen_kw || st->seen_kwunpack)) st->positional_after_kw = 1;
    return pmparse_push(P, e);
}

static int one_argument(pmparser *P, argstate *st, int first) {
    pmlex_token *t = pmparse_tok(P), *n;
    if (t->type == PMTOK_DOUBLESTAR) {
        pmast_node *k = keyword_arg(P, st);
        return k && add_keyword(P, st, k);
    }
    if (t->type == PMTOK_NAME && (t->kw == 0 || t->kw == PMKW_True || t->kw == PMKW_False ||
                                  t->kw == PMKW_None) &&
        (n = pmparse_peek(P, 1))->type == PMTOK_EQUAL) {
        t = pmparse_tok(P);
        if (t->kw == PMKW_True || t->kw == PMKW_False || t->kw == PMKW_None) {
            pmpos a = pmparse_start(P), b;
            b.line = n->end_lineno;
            b.col = n->end_col;
            pmparse_error_range(P, a, b, "cannot assign to %.*s", (int)(t->end - t->start),
                                P->L.buf + t->start);
            return 0;
        }
        if (t->kw == 0) {
            pmast_node *k = keyword_arg(P, st);
            return k && add_keyword(P, st, k);
        }
    }
    if (!pmparse_is(P, PMTOK_STAR) && !pmparse_starts_expression(P)) {
        pmparse_invalid_syntax(P);
        return 0;
    }
    return positional_arg(P, st, first);
}

static pmast_node *finish_call(pmparser *P, argstate *st, pmast_node *func, pmpos start,
                               pmpos lpar) {
    pmast_node *n;
    pmast_seq kws;
    kws.n = st->nkw;
    kws.items = st->kw;
    if (st->genexp_elt) {
        pmast_node *g = pmparse_node(P, PMAST_GeneratorExp, lpar);
        if (!g) return NULL;
        g->v.GeneratorExp.elt = st->genexp_elt;
        g->v.GeneratorExp.generators = st->genexp_gens;
        if (!pmparse_push(P, g)) return NULL;
    }
    if (!(n = pmparse_node(P, PMAST_Call, start))) return NULL;
    n->v.Call.func = func;
    n->v.Call.args = pmparse_seq_from(P, st->args_base);
    n->v.Call.keywords = kws;
    return n;
}

/* '(' [arguments] ')' after `func` (NULL for a class's bases). */
pmast_node *pmparse_call_args(pmparser *P, pmast_node *func, pmpos start) {
    argstate st;
    pmpos lpar = pmparse_start(P);
    int first = 1;
    memset(&st, 0, sizeof st);
    st.args_base = P->sp;
    pmparse_advance(P);
    if (!pmparse_enter(P)) return NULL;
    while (!P->failed && !pmparse_is(P, PMTOK_RPAR)) {
        if (!one_argument(P, &st, first)) break;
        first = 0;
        if (st.genexp_elt || !pmparse_accept(P, PMTOK_COMMA)) break;
    }
    pmparse_leave(P);
    if (!P->failed && st.positional_after_kw) {
        pmparse_error_last(P, "SyntaxError", st.seen_kwunpack
                           ? "positional argument follows keyword argument unpacking"
                           : "positional argument follows keyword argument");
    }
    if (P->failed || !pmparse_accept(P, PMTOK_RPAR)) {
        P->sp = st.args_base;
        return pmparse_invalid_syntax(P);
    }
    return finish_call(P, &st, func, start, lpar);
}

/* ================================================================ comprehensions */

static pmast_node *one_comprehension(pmparser *P) {
    pmast_node *c = pmparse_node(P, PMAST_comprehension, pmparse_start(P));
    size_t base = P->sp;
    if (!c) return NULL;
    if (pmparse_is_kw(P, PMKW_async)) {
        pmpos s = pmparse_start(P);
        pmparse_advance(P);
        pmparse_unsupported(P, "'async'", s, end_pos(P));
        c->v.comprehension.is_async = 1;
    }
    if (!pmparse_accept_kw(P, PMKW_for)) return pmparse_invalid_syntax(P);
    if (!(c->v.comprehension.target = pmparse_for_targets(P))) return NULL;
    if (!(c->v.comprehension.iter = pmparse_disjunction(P))) return NULL;
    while (pmparse_accept_kw(P, PMKW_if)) {
        pmast_node *cond = pmparse_disjunction(P);
        if (!cond || !pmparse_push(P, cond)) {
            P->sp = base;
            return NULL;
        }
    }
    c->v.comprehension.ifs = pmparse_seq_from(P, base);
    c->lineno = c->col_offset = c->end_lineno = c->end_col_offset = 0;
    return P->failed ? NULL : c;
}

pmast_node *pmparse_comprehension_clauses(pmparser *P, pmast_seq *out) {
    size_t base = P->sp;
    while (pmparse_is_kw(P, PMKW_for) || pmparse_is_kw(P, PMKW_async)) {
        pmast_node *c = one_comprehension(P);
        if (!c || !pmparse_push(P, c)) {
            P->sp = base;
            return NULL;
        }
    }
    *out = pmparse_seq_from(P, base);
    return P->failed || out->n == 0 ? NULL : out->items[0];
}

static pmast_node *comprehension_node(pmparser *P, int kind, pmpos start, pmast_node *elt,
                                      int close) {
    pmast_seq gens;
    pmast_node *n;
    if (elt->kind == PMAST_Starred) {
        int r = pmparse_peg_clauses(P);
        if (r > 0) pmparse_error_node(P, elt, "iterable unpacking cannot be used in comprehension");
        else if (r == 0) pmparse_invalid_syntax(P);
        return NULL;
    }
    if (!comprehension_clauses(P, &gens)) return NULL;
    if (!pmparse_accept(P, close)) return pmparse_invalid_syntax(P);
    if (!(n = pmparse_node(P, kind, start))) return NULL;
    n->v.ListComp.elt = elt;
    n->v.ListComp.generators = gens;
    return n;
}

static int is_comp_start(pmparser *P) {
    return pmparse_is_kw(P, PMKW_for) || pmparse_is_kw(P, PMKW_async);
}

/* ================================================================ displays */

/* The rest of a list/set/tuple display after its first item. */
/* invalid_comprehension: ('[' | '{') a=star_named_expression b=',' for_if_clauses */
static void comma_comprehension(pmparser *P, pmast_node *a) {
    pmlex_token comma = P->toks[P->pos - 1 - P->base];
    pmpos end;
    int r = pmparse_peg_clauses(P);
    end.line = comma.end_lineno;
    end.col = comma.end_col;
    if (r > 0)
        pmparse_error_range(P, node_start(a), end,
                            "did you forget parentheses around the comprehension target?");
    else if (r == 0) pmparse_invalid_syntax(P);
}

/* The token index where a Starred item's value starts (just after its '*'). */
static size_t value_mark_of(pmparser *P, const pmast_node *item) {
    size_t m;
    if (item->kind != PMAST_Starred) return 0;
    for (m = P->pos; m-- > P->base;) {
        const pmlex_token *t = &P->toks[m - P->base];
        if (t->type == PMTOK_STAR && t->lineno == item->lineno && t->col == item->col_offset)
            return m + 1;
    }
    return 0;
}

static pmast_node *display_rest(pmparser *P, int kind, pmpos start, size_t base, int close) {
    while (pmparse_accept(P, PMTOK_COMMA)) {
        pmast_node *e;
        if (pmparse_is(P, close)) break;
        if (kind != PMAST_Tuple && P->sp - base == 1 && is_comp_start(P)) {
            comma_comprehension(P, P->stk[base]);
            P->sp = base;
            return NULL;
        }
        if (!(e = star_item(P, 1)) || !pmparse_push(P, e)) {
            P->sp = base;
            return NULL;
        }
        starred_junk(P, e, value_mark_of(P, e));
        if (P->failed) {
            P->sp = base;
            return NULL;
        }
    }
    if (kind != PMAST_Tuple && is_comp_start(P) && P->sp - base > 1) {
        pmast_node *first = P->stk[base], *last = P->stk[P->sp - 1];
        int r = pmparse_peg_clauses(P);
        if (r > 0)
            pmparse_error_range(P, node_start(first), node_end(last),
                                "did you forget parentheses around the comprehension target?");
        else if (r == 0) pmparse_invalid_syntax(P);
        P->sp = base;
        return NULL;
    }
    if (!pmparse_accept(P, close)) {
        P->sp = base;
        return pmparse_invalid_syntax(P);
    }
    return seq_node(P, kind, start, base, PMAST_LOAD);
}

static pmast_node *list_display(pmparser *P) {
    pmpos start = pmparse_start(P);
    size_t base = P->sp;
    pmast_node *first;
    pmparse_advance(P);
    if (pmparse_accept(P, PMTOK_RSQB)) return seq_node(P, PMAST_List, start, base, PMAST_LOAD);
    if (!(first = star_item(P, 1))) return NULL;
    starred_junk(P, first, value_mark_of(P, first));
    if (P->failed) return NULL;
    if (is_comp_start(P)) return comprehension_node(P, PMAST_ListComp, start, first, PMTOK_RSQB);
    if (!pmparse_push(P, first)) return NULL;
    return display_rest(P, PMAST_List, start, base, PMTOK_RSQB);
}

/* invalid_group: '(' a=starred_expression ')' -- at the '*' (token index star). */
static void starred_group(pmparser *P, size_t star) {
    pmspec s;
    pmast_node *a;
    size_t here = pmparse_mark(P);
    int ok;
    pmparse_spec_begin(P, &s, 0);
    pmparse_reset(P, star);
    a = starred_expression(P);
    ok = a && pmparse_is(P, PMTOK_RPAR);
    if (pmparse_spec_end(P, &s, 1)) return;
    pmparse_reset(P, here);
    if (ok) pmparse_error_node(P, a, "cannot use starred expression here");
    else pmparse_invalid_syntax(P);
}

/* '(' ... ')': empty tuple, (yield), group, tuple or generator expression. */
static pmast_node *paren_display(pmparser *P) {
    pmpos start = pmparse_start(P);
    size_t base = P->sp;
    pmast_node *first, *n;
    pmparse_advance(P);
    if (pmparse_is(P, PMTOK_RPAR)) {
        pmparse_advance(P);
        n = seq_node(P, PMAST_Tuple, start, base, PMAST_LOAD);
        if (n) n->paren = 1;
        return n;
    }
    if (pmparse_is_kw(P, PMKW_yield)) first = pmparse_yield_expr(P);
    else if (pmparse_is(P, PMTOK_DOUBLESTAR)) {
        pmlex_token stars = *pmparse_tok(P);
        pmspec s;
        int ok;
        pmparse_spec_begin(P, &s, 0);
        pmparse_advance(P);
        ok = pmparse_expression(P) && pmparse_is(P, PMTOK_RPAR);
        if (pmparse_spec_end(P, &s, 1)) return NULL;
        if (ok) pmparse_error_token(P, &stars, "cannot use double starred expression here");
        else pmparse_invalid_syntax(P);
        return NULL;
    } else first = star_item(P, 1);
    if (!first) return NULL;
    if (first->kind != PMAST_Yield && first->kind != PMAST_YieldFrom && is_comp_start(P)) {
        n = comprehension_node(P, PMAST_GeneratorExp, start, first, PMTOK_RPAR);
    } else if (first->kind == PMAST_Starred && !pmparse_is(P, PMTOK_COMMA)) {
        starred_group(P, value_mark_of(P, first) - 1);
        return NULL;
    } else if (pmparse_is(P, PMTOK_RPAR)) {
        pmparse_advance(P);
        n = first;
    } else if (first->kind != PMAST_Yield && first->kind != PMAST_YieldFrom &&
               pmparse_is(P, PMTOK_COMMA)) {
        if (!pmparse_push(P, first)) return NULL;
        n = display_rest(P, PMAST_Tuple, start, base, PMTOK_RPAR);
    } else {
        return pmparse_invalid_syntax(P);
    }
    if (n) n->paren = 1;
    return n;
}

/* '**' bitwise_or  or  expression ':' expression; key NULL for '**'. */
static int dict_item(pmparser *P, pmast_node **key, pmast_node **value) {
    *key = NULL;
    if (pmparse_accept(P, PMTOK_DOUBLESTAR)) return (*value = pmparse_bitwise_or(P)) != NULL;
    if (!(*key = pmparse_expression(P))) return 0;
    if (!pmparse_is(P, PMTOK_COLON)) {
        if (!P->failed)
            pmparse_raise(P, "SyntaxError", (*key)->lineno, (*key)->end_col_offset,
                          (*key)->end_lineno, 0, "':' expected after dictionary key");
        return 0;
    }
    pmparse_advance(P);
    if (pmparse_is(P, PMTOK_RBRACE) || pmparse_is(P, PMTOK_COMMA)) {
        pmlex_token *colon = &P->toks[P->pos - 1 - P->base];
        pmparse_error_token(P, colon, "expression expected after dictionary key and ':'");
        return 0;
    }
    if (pmparse_is(P, PMTOK_STAR)) {
        pmlex_token *s = pmparse_tok(P);
        int line = s->lineno, col = s->col + 1;
        pmparse_advance(P);
        if (pmparse_bitwise_or(P) && !P->failed)
            pmparse_raise_to_cursor(P, line, col,
                                    "cannot use a starred expression in a dictionary value");
        return 0;
    }
    return (*value = pmparse_expression(P)) != NULL;
}

static pmast_node *dict_node(pmparser *P, pmpos start, size_t base) {
    size_t n = (P->sp - base) / 2, i;
    pmast_node *d = pmparse_node(P, PMAST_Dict, start);
    pmast_node **keys = pmast_arena_alloc(P->arena, (n ? n : 1) * sizeof *keys);
    pmast_node **values = pmast_arena_alloc(P->arena, (n ? n : 1) * sizeof *values);
    if (!d || !keys || !values) {
        pmparse_oom(P);
        return NULL;
    }
    for (i = 0; i < n; i++) {
        keys[i] = P->stk[base + 2 * i];
        values[i] = P->stk[base + 2 * i + 1];
    }
    P->sp = base;
    d->v.Dict.keys.n = d->v.Dict.values.n = (int)n;
    d->v.Dict.keys.items = n ? keys : NULL;
    d->v.Dict.values.items = n ? values : NULL;
    return d;
}

/* invalid_dict_comprehension: '{' '**' bitwise_or for_if_clauses '}' */
static void dict_unpack_comprehension(pmparser *P, size_t stars) {
    pmspec s;
    pmast_seq gens;
    int ok;
    pmparse_spec_begin(P, &s, 0);
    ok = comprehension_clauses(P, &gens) && pmparse_is(P, PMTOK_RBRACE);
    if (pmparse_spec_end(P, &s, 1)) return;
    if (ok) pmparse_error_token(P, &P->toks[stars - P->base],
                                "dict unpacking cannot be used in dict comprehension");
    else pmparse_invalid_syntax(P);
}

static pmast_node *dict_display(pmparser *P, pmpos start, size_t base) {
    size_t brace = pmparse_mark(P) - 1;
    for (;;) {
        pmast_node *k, *v;
        if (!dict_item(P, &k, &v) || !pmparse_push(P, k) || !pmparse_push(P, v)) break;
        if (P->sp - base == 2 && k && is_comp_start(P)) {
            pmast_seq gens;
            pmast_node *n;
            P->sp = base;
            if (!comprehension_clauses(P, &gens)) return NULL;
            if (!pmparse_accept(P, PMTOK_RBRACE)) return pmparse_invalid_syntax(P);
            if (!(n = pmparse_node(P, PMAST_DictComp, start))) return NULL;
            n->v.DictComp.key = k;
            n->v.DictComp.value = v;
            n->v.DictComp.generators = gens;
            return n;
        }
        if (!pmparse_accept(P, PMTOK_COMMA) || pmparse_is(P, PMTOK_RBRACE)) break;
    }
    if (P->failed) {
        P->sp = base;
        return NULL;
    }
    if (!pmparse_accept(P, PMTOK_RBRACE)) {
        if (P->sp - base == 2 && !P->stk[base] && is_comp_start(P)) {
            dict_unpack_comprehension(P, brace + 1);
            P->sp = base;
            return NULL;
        }
        P->sp = base;
        return pmparse_invalid_syntax(P);
    }
    return dict_node(P, start, base);
}

static pmast_node *brace_display(pmparser *P) {
    pmpos start = pmparse_start(P);
    size_t base = P->sp;
    pmast_node *first;
    pmparse_advance(P);
    if (pmparse_accept(P, PMTOK_RBRACE)) return dict_node(P, start, base);
    if (pmparse_is(P, PMTOK_DOUBLESTAR)) return dict_display(P, start, base);
    {
        size_t mark = pmparse_mark(P);
        if (!pmparse_is(P, PMTOK_STAR)) {
            if (!(first = pmparse_expression(P))) return NULL;
            if (pmparse_is(P, PMTOK_COLON)) {
                pmparse_reset(P, mark);
                return dict_display(P, start, base);
            }
            pmparse_reset(P, mark);
        }
    }
    if (!(first = star_item(P, 1))) return NULL;
    starred_junk(P, first, value_mark_of(P, first));
    if (P->failed) return NULL;
    if (is_comp_start(P)) return comprehension_node(P, PMAST_SetComp, start, first, PMTOK_RBRACE);
    if (!pmparse_push(P, first)) return NULL;
    return display_rest(P, PMAST_Set, start, base, PMTOK_RBRACE);
}

/* ================================================================ atom */

static pmast_node *bracketed(pmparser *P, pmast_node *(*fn)(pmparser *)) {
    pmast_node *n;
    if (!pmparse_enter(P)) return NULL;
    n = fn(P);
    pmparse_leave(P);
    return n;
}

static pmast_node *atom(pmparser *P) {
    pmlex_token *t = pmparse_tok(P);
    if (P->failed) return NULL;
    switch (t->type) {
    case PMTOK_NAME:
        switch (t->kw) {
        case 0: return name_node(P, PMAST_LOAD);
        case PMKW_True: return constant(P, PMAST_C_TRUE);
        case PMKW_False: return constant(P, PMAST_C_FALSE);
        case PMKW_None: return constant(P, PMAST_C_NONE);
        default: return pmparse_invalid_syntax(P);
        }
    case PMTOK_STRING: return pmparse_strings(P);
    case PMTOK_NUMBER: {
        pmast_node *n = pmparse_number(P, t);
        if (n) pmparse_advance(P);
        return n;
    }
    case PMTOK_LPAR: return bracketed(P, paren_display);
    case PMTOK_LSQB: return bracketed(P, list_display);
    case PMTOK_LBRACE: return bracketed(P, brace_display);
    case PMTOK_ELLIPSIS: return constant(P, PMAST_C_ELLIPSIS);
    default: return pmparse_invalid_syntax(P);
    }
}
