/*
 * parser_target.c -- assignment targets and the diagnostics of CPython's second pass.
 *
 * CPython parses a wrong file twice; the second time its "invalid_*" rules are active and
 * produce the specific messages.  This parser is single-pass; the rules are re-created at the
 * point where the parse goes wrong:
 *   invalid_named_expression   "if x = 1:" and "f() = 1"
 *   invalid_expression         "Perhaps you forgot a comma?" inside brackets, and
 *                              "expected 'else' after 'if' expression"
 *   invalid_legacy_expression  print "x"
 *   invalid_for_target         for f() in ...
 *   _PyPegen_get_invalid_target / _PyPegen_get_expr_name for "cannot assign to ...".
 * A rule that parses ahead (to see what follows) does so in a look-ahead (pmspec): parser
 * errors met on the way are dropped -- except, in a loud look-ahead, those raised by nested
 * diagnostics, as CPython's nested invalid_* rules would raise them -- and the token position
 * is restored.  Errors raised while building literals (f-strings, escapes) always stay, as
 * CPython's actions raise in both passes.
 */
#include "lang/parser_internal.h"

#include <string.h>

const char *pmparse_expr_name(const pmast_node *e) {
    switch (e->kind) {
    case PMAST_Attribute: return "attribute";
    case PMAST_Subscript: return "subscript";
    case PMAST_Starred: return "starred";
    case PMAST_Name: return "name";
    case PMAST_List: return "list";
    case PMAST_Tuple: return "tuple";
    case PMAST_Lambda: return "lambda";
    case PMAST_Call: return "function call";
    case PMAST_BoolOp: case PMAST_BinOp: case PMAST_UnaryOp: return "expression";
    case PMAST_GeneratorExp: return "generator expression";
    case PMAST_Yield: case PMAST_YieldFrom: return "yield expression";
    case PMAST_Await: return "await expression";
    case PMAST_ListComp: return "list comprehension";
    case PMAST_SetComp: return "set comprehension";
    case PMAST_DictComp: return "dict comprehension";
    case PMAST_Dict: return "dict literal";
    case PMAST_Set: return "set display";
    case PMAST_JoinedStr: case PMAST_FormattedValue: return "f-string expression";
    case PMAST_Constant:
        switch (e->v.Constant.ckind) {
        case PMAST_C_NONE: return "None";
        case PMAST_C_TRUE: return "True";
        case PMAST_C_FALSE: return "False";
        case PMAST_C_ELLIPSIS: return "ellipsis";
        default: return "literal";
        }
    case PMAST_Compare: return "comparison";
    case PMAST_IfExp: return "conditional expression";
    case PMAST_NamedExpr: return "named expression";
    default: return "expression";
    }
}

const pmast_node *pmparse_invalid_target(const pmast_node *e, int type) {
    int i;
    switch (e->kind) {
    case PMAST_List: case PMAST_Tuple:
        for (i = 0; i < e->v.List.elts.n; i++) {
            const pmast_node *bad = pmparse_invalid_target(e->v.List.elts.items[i], type);
            if (bad) return bad;
        }
        return NULL;
    case PMAST_Starred:
        if (type == PMT_DEL) return e;
        return pmparse_invalid_target(e->v.Starred.value, type);
    case PMAST_Compare:
        if (type == PMT_FOR) {
            if (e->v.Compare.ops[0] == PMAST_In)
                return pmparse_invalid_target(e->v.Compare.left, type);
            return NULL;
        }
        return e;
    case PMAST_Name: case PMAST_Subscript: case PMAST_Attribute:
        return NULL;
    default:
        return e;
    }
}

int pmparse_set_ctx(pmparser *P, pmast_node *e, int ctx) {
    int i, ok = 1;
    (void)P;
    switch (e->kind) {
    case PMAST_Name: case PMAST_Attribute: case PMAST_Subscript:
        e->ctx = (uint8_t)ctx;
        return 1;
    case PMAST_Starred:
        if (ctx == PMAST_DEL) return 0;
        e->ctx = (uint8_t)ctx;
        return pmparse_set_ctx(P, e->v.Starred.value, ctx);
    case PMAST_List: case PMAST_Tuple:
        e->ctx = (uint8_t)ctx;
        for (i = 0; i < e->v.List.elts.n; i++)
            if (!pmparse_set_ctx(P, e->v.List.elts.items[i], ctx)) ok = 0;
        return ok;
    default:
        return 0;
    }
}

/* ---- speculation ----
 * CPython's second pass re-parses with the invalid_* rules on.  A diagnostic here parses
 * ahead either quietly (expression_without_invalid: nested diagnostics off, any error
 * dropped) or loudly (nested diagnostics on: an error they raise is kept, a generic
 * "invalid syntax" is dropped).  Tokens fetched while looking ahead do not move the place
 * where a generic error is reported. */

void pmparse_spec_begin(pmparser *P, pmspec *s, int quiet) {
    s->pos = P->pos;
    s->sp = P->sp;
    s->level = P->level;
    s->end_line = P->end_line;
    s->end_col = P->end_col;
    s->quiet = quiet;
    s->look = 1;
    P->lookahead++;
    P->quiet += quiet;
}

void pmparse_backtrack_begin(pmparser *P, pmspec *s) {
    pmparse_spec_begin(P, s, 0);
    s->look = 0;
    P->lookahead--;
}

int pmparse_spec_end(pmparser *P, const pmspec *s, int keep_diagnostic) {
    P->lookahead -= s->look;
    P->quiet -= s->quiet;
    if (P->failed == 1 && !P->from_tokenizer && !P->action_error) {
        if (keep_diagnostic && !P->generic_error) return 1;
        P->failed = 0;
        P->generic_error = 0;
        P->no_scan = 0;
        P->err->type = NULL;
    }
    P->pos = s->pos;
    P->end_line = s->end_line;
    P->end_col = s->end_col;
    P->sp = s->sp;
    P->level = s->level;
    return P->failed != 0;
}

void pmparse_spec_commit(pmparser *P, const pmspec *s) {
    P->lookahead -= s->look;
    P->quiet -= s->quiet;
}

int pmparse_peg_clauses(pmparser *P) {
    pmspec s;
    pmast_seq gens;
    int ok;
    pmparse_spec_begin(P, &s, 0);
    ok = pmparse_comprehension_clauses(P, &gens) != NULL;
    if (pmparse_spec_end(P, &s, 1)) return -1;
    return ok;
}

static pmpos pos_of(const pmast_node *n, int end) {
    pmpos p;
    p.line = end ? n->end_lineno : n->lineno;
    p.col = end ? n->end_col_offset : n->col_offset;
    return p;
}

/* Is `a` (parsed from token `mark`) a bare NAME token? */
static int bare_name(pmparser *P, const pmast_node *a, size_t mark) {
    const pmlex_token *t = &P->toks[mark - P->base];
    return a->kind == PMAST_Name && !a->paren && t->type == PMTOK_NAME &&
           a->end_col_offset == t->end_col && a->end_lineno == t->end_lineno;
}

/* The kinds a bitwise_or can produce without parentheses. */
static int bitwise_or_level(const pmast_node *a) {
    if (a->paren) return 1;
    switch (a->kind) {
    case PMAST_BoolOp: case PMAST_Compare: case PMAST_IfExp: case PMAST_Lambda:
    case PMAST_NamedExpr: case PMAST_Starred: case PMAST_Yield: case PMAST_YieldFrom:
        return 0;
    case PMAST_UnaryOp:
        return a->v.UnaryOp.op != PMAST_Not;
    case PMAST_Tuple:
        return 0;
    default:
        return 1;
    }
}

/* CPython's !(list|tuple|genexp|'True'|'None'|'False') before alternative 3. */
static int excluded_start(pmparser *P, const pmast_node *a, size_t mark) {
    const pmlex_token *t = &P->toks[mark - P->base];
    if (t->type == PMTOK_LSQB) return 1;
    if (t->type == PMTOK_LPAR && a->paren &&
        (a->kind == PMAST_Tuple || a->kind == PMAST_GeneratorExp))
        return 1;
    return t->type == PMTOK_NAME &&
           (t->kw == PMKW_True || t->kw == PMKW_None || t->kw == PMKW_False);
}

void pmparse_invalid_named(pmparser *P, pmast_node *a, size_t mark) {
    pmspec s;
    pmast_node *b;
    int is_name, ok;
    pmpos b_end = { 0, 0 };
    if (P->failed || P->quiet || mark < P->base) return;
    is_name = bare_name(P, a, mark);
    if (!is_name && (excluded_start(P, a, mark) || !bitwise_or_level(a))) return;
    pmparse_spec_begin(P, &s, 0);
    pmparse_advance(P);
    b = pmparse_bitwise_or(P);
    ok = b && !P->failed && !pmparse_is(P, PMTOK_EQUAL) && !pmparse_is(P, PMTOK_COLONEQUAL);
    if (ok) b_end = pos_of(b, 1);
    if (pmparse_spec_end(P, &s, 1) || !ok) return;
    if (is_name)
        pmparse_error_range(P, pos_of(a, 0), b_end,
                            "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
    else
        pmparse_error_node(P, a, "cannot assign to %s here. Maybe you meant '==' instead of "
                           "'='?", pmparse_expr_name(a));
}

int pmparse_is_legacy_print(pmparser *P, const pmast_node *a) {
    const char *id;
    (void)P;
    if (a->kind != PMAST_Name || a->paren) return 0;
    id = a->v.Name.id;
    return strcmp(id, "print") == 0 || strcmp(id, "exec") == 0;
}

/* invalid_legacy_expression: a=NAME !'(' b=star_expressions, where b is parsed with the
 * diagnostics on (so "d {'a' 'b' c}" reports the missing comma inside the braces). */
static void legacy_expression(pmparser *P, pmast_node *a, size_t mark) {
    pmspec s;
    pmast_node *b;
    pmpos b_end = { 0, 0 };
    int ok, quiet;
    if (!bare_name(P, a, mark) || pmparse_is(P, PMTOK_LPAR)) return;
    /* CPython's memo of the quiet parse at the same place hides nested errors, except
     * (as observed) inside a display right after the name: "d {'a' 'b' c}". */
    quiet = !pmparse_is(P, PMTOK_LSQB) && !pmparse_is(P, PMTOK_LBRACE);
    pmparse_spec_begin(P, &s, quiet);
    b = pmparse_star_expressions(P);
    ok = b && !P->failed;
    if (ok) b_end = pos_of(b, 1);
    if (pmparse_spec_end(P, &s, !quiet) || !ok || !pmparse_is_legacy_print(P, a)) return;
    pmparse_error_range(P, pos_of(a, 0), b_end,
                        "Missing parentheses in call to '%s'. Did you mean %s(...)?",
                        a->v.Name.id, a->v.Name.id);
}

static int soft_keyword(pmparser *P, const pmlex_token *t) {
    size_t n = t->end - t->start;
    const char *s = P->L.buf + t->start;
    return t->type == PMTOK_NAME &&
           ((n == 5 && memcmp(s, "match", 5) == 0) || (n == 4 && memcmp(s, "case", 4) == 0) ||
            (n == 1 && s[0] == '_'));
}

/* expression_without_invalid for the comma check; like PEG, settle for a shorter
 * expression (a primary, an atom) when the whole one fails ("[1, 2 3-]" has b = 3). */
static pmast_node *quiet_expression(pmparser *P, int *level) {
    static const int tries[] = { 0, 1, 2 };
    size_t i;
    for (i = 0; i < sizeof tries / sizeof tries[0]; i++) {
        pmspec s;
        pmast_node *b;
        pmparse_spec_begin(P, &s, 1);
        b = tries[i] == 0 ? pmparse_expression(P) : pmparse_primary(P, tries[i] == 1);
        if (b && !P->failed) {
            *level = P->toks[P->pos - 1 - P->base].level;
            pmparse_spec_end(P, &s, 0);
            return b;
        }
        if (pmparse_spec_end(P, &s, 0)) return NULL;
    }
    return NULL;
}

void pmparse_invalid_expression(pmparser *P, pmast_node *a, size_t mark) {
    const pmlex_token *first;
    pmast_node *b;
    int level = 0;
    if (P->failed || P->quiet || mark < P->base) return;
    first = &P->toks[mark - P->base];
    if (!soft_keyword(P, first) && !pmparse_is_legacy_print(P, a) &&
        !(first->type == PMTOK_NAME && mark + 1 < P->fill &&
          P->toks[mark + 1 - P->base].type == PMTOK_STRING)) {
        b = quiet_expression(P, &level);
        if (P->failed) return;
        if (b && level != 0) {
            pmparse_error_range(P, pos_of(a, 0), pos_of(b, 1),
                                "invalid syntax. Perhaps you forgot a comma?");
            return;
        }
    }
    legacy_expression(P, a, mark);
}

/* invalid_for_target: 'for' a=star_expressions -- the targets did not reach 'in'. */
void pmparse_for_target_error(pmparser *P, size_t target_mark) {
    pmspec s;
    pmast_node *a;
    const pmast_node *bad = NULL;
    size_t here = pmparse_mark(P);
    if (P->failed) return;
    pmparse_spec_begin(P, &s, 0);
    pmparse_reset(P, target_mark);
    a = pmparse_star_expressions(P);
    if (a && !P->failed) bad = pmparse_invalid_target(a, PMT_FOR);
    if (pmparse_spec_end(P, &s, 1)) return;
    pmparse_reset(P, here);
    if (bad) pmparse_error_node(P, bad, "cannot assign to %s", pmparse_expr_name(bad));
    else pmparse_invalid_syntax(P);
}

/* invalid_named_expression alternative 1: a=expression ':=' expression (at ':='). */
void pmparse_invalid_walrus(pmparser *P, pmast_node *a) {
    pmspec s;
    int ok;
    if (P->failed) return;
    if (P->quiet) {
        pmparse_invalid_syntax(P);
        return;
    }
    pmparse_spec_begin(P, &s, 0);
    pmparse_advance(P);
    ok = pmparse_expression(P) != NULL;
    if (pmparse_spec_end(P, &s, 1)) return;
    if (ok) pmparse_error_node(P, a, "cannot use assignment expressions with %s",
                               pmparse_expr_name(a));
    else pmparse_invalid_syntax(P);
}
