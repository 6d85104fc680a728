/*
 * parser.c -- the parser's machinery (tokens, nodes, errors), the statements, and the entry
 * point.  Expressions are in parser_expr.c, targets and diagnostics in parser_target.c,
 * literals in parser_string.c.
 *
 * Errors follow CPython 3.11's pegen: a tokenizer error is reported as soon as the token is
 * needed; a parser error is reported at the furthest token fetched ("invalid syntax") or by
 * one of the specific rules CPython's second pass would match (see parser_target.c); after a
 * parser error the rest of the file is still tokenized and a tokenizer error there (or a
 * bracket opened before the error line and never closed) replaces it.
 */
#include "lang/parser_internal.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_MEM_LIMIT ((size_t)256 * 1024 * 1024)
#define DEFAULT_MAX_DEPTH 3000

/* ================================================================ tokens */

static void tokenizer_error(pmparser *P);

/* Tokens of the current statement stay (the parser may look back); release_tokens drops
 * older ones between statements.  Growing moves the array: token pointers are only valid
 * until the next fetch. */
static int grow_tokens(pmparser *P) {
    size_t cap = P->cap ? P->cap * 2 : P->parent ? 16 : 256;
    pmlex_token *t = pmast_arena_big_resize(P->arena, P->toks, P->cap * sizeof *t,
                                            cap * sizeof *t);
    if (t == NULL) return 0;
    P->toks = t;
    P->cap = cap;
    return 1;
}

/* Fetch one more token; a tokenizer error is raised right away, as in CPython. */
static int fetch(pmparser *P) {
    pmlex_token *t;
    if (P->fill - P->base == P->cap && !grow_tokens(P)) {
        pmparse_oom(P);
        return 0;
    }
    t = &P->toks[P->fill - P->base];
    pmlex_next(&P->L, t);
    t->strings_done = 0;
    P->fill++;
    if (t->type == PMTOK_ERRORTOKEN) {
        tokenizer_error(P);
        return 0;
    }
    return 1;
}

pmlex_token *pmparse_peek(pmparser *P, size_t k) {
    while (P->pos + k >= P->fill) {
        pmlex_token *last = P->fill > P->base ? &P->toks[P->fill - 1 - P->base] : NULL;
        if (last && (last->type == PMTOK_ERRORTOKEN || last->type == PMTOK_ENDMARKER))
            return last;
        if (P->failed || !fetch(P)) {
            /* keep returning something valid: the last token fetched */
            if (P->fill == P->base) {
                static const pmlex_token none = { .type = PMTOK_ERRORTOKEN };
                return (pmlex_token *)&none;
            }
            return &P->toks[P->fill - 1 - P->base];
        }
    }
    if (!P->lookahead && P->pos + k + 1 > P->furthest) P->furthest = P->pos + k + 1;
    return &P->toks[P->pos + k - P->base];
}

pmlex_token *pmparse_tok(pmparser *P) {
    return pmparse_peek(P, 0);
}

pmlex_token *pmparse_last_fetched(pmparser *P) {
    if (P->fill == P->base) pmparse_tok(P);
    return &P->toks[P->fill - 1 - P->base];
}

void pmparse_advance(pmparser *P) {
    pmlex_token *t = pmparse_tok(P);
    if (P->failed || P->pos >= P->fill) return;
    if (t->type != PMTOK_NEWLINE && t->type != PMTOK_INDENT && t->type != PMTOK_DEDENT &&
        t->type != PMTOK_ENDMARKER) {
        P->end_line = t->end_lineno;
        P->end_col = t->end_col;
    }
    P->pos++;
}

int pmparse_is(pmparser *P, int type) {
    return !P->failed && pmparse_tok(P)->type == type;
}

int pmparse_is_kw(pmparser *P, int kw) {
    pmlex_token *t = pmparse_tok(P);
    return !P->failed && t->type == PMTOK_NAME && t->kw == kw;
}

int pmparse_is_name(pmparser *P) {
    pmlex_token *t = pmparse_tok(P);
    return !P->failed && t->type == PMTOK_NAME && t->kw == 0;
}

int pmparse_accept(pmparser *P, int type) {
    if (!pmparse_is(P, type)) return 0;
    pmparse_advance(P);
    return 1;
}

int pmparse_accept_kw(pmparser *P, int kw) {
    if (!pmparse_is_kw(P, kw)) return 0;
    pmparse_advance(P);
    return 1;
}

pmpos pmparse_start(pmparser *P) {
    pmlex_token *t = pmparse_tok(P);
    pmpos p;
    p.line = t->lineno;
    p.col = t->col;
    return p;
}

size_t pmparse_mark(pmparser *P) {
    return P->pos;
}

void pmparse_reset(pmparser *P, size_t mark) {
    if (mark >= P->base) P->pos = mark;
}

/* Forget tokens before the current one (statement boundaries). */
static void release_tokens(pmparser *P) {
    size_t drop;
    if (P->pos <= P->base + 1) return;
    drop = P->pos - P->base - 1;
    memmove(P->toks, P->toks + drop, (P->fill - P->base - drop) * sizeof *P->toks);
    P->base += drop;
}

/* ================================================================ nodes */

#define VSIZE(member) (offsetof(pmast_node, v) + sizeof(((pmast_node *)0)->v.member))

/* Bytes a node of this kind needs: the header and its own member of the union. */
static size_t node_size(int kind) {
    switch (kind) {
    case PMAST_Module: return VSIZE(Module);
    case PMAST_FunctionDef: case PMAST_AsyncFunctionDef: return VSIZE(FunctionDef);
    case PMAST_ClassDef: return VSIZE(ClassDef);
    case PMAST_Return: case PMAST_Expr: case PMAST_Await: case PMAST_Yield:
    case PMAST_YieldFrom: case PMAST_Starred: case PMAST_Name: return VSIZE(Return);
    case PMAST_Delete: case PMAST_Set: case PMAST_List: case PMAST_Tuple:
    case PMAST_JoinedStr: case PMAST_Import: return VSIZE(Delete);
    case PMAST_Assign: return VSIZE(Assign);
    case PMAST_AugAssign: return VSIZE(AugAssign);
    case PMAST_AnnAssign: return VSIZE(AnnAssign);
    case PMAST_For: case PMAST_AsyncFor: return VSIZE(For);
    case PMAST_While: case PMAST_If: return VSIZE(If);
    case PMAST_With: case PMAST_AsyncWith: return VSIZE(With);
    case PMAST_Try: return VSIZE(Try);
    case PMAST_Raise: case PMAST_Assert: case PMAST_NamedExpr: return VSIZE(Raise);
    case PMAST_ImportFrom: return VSIZE(ImportFrom);
    case PMAST_Global: case PMAST_Nonlocal: return VSIZE(Global);
    case PMAST_Pass: case PMAST_Break: case PMAST_Continue: return offsetof(pmast_node, v);
    case PMAST_BoolOp: return VSIZE(BoolOp);
    case PMAST_BinOp: return VSIZE(BinOp);
    case PMAST_UnaryOp: return VSIZE(UnaryOp);
    case PMAST_Lambda: return VSIZE(Lambda);
    case PMAST_IfExp: case PMAST_Slice: return VSIZE(IfExp);
    case PMAST_Dict: return VSIZE(Dict);
    case PMAST_ListComp: case PMAST_SetComp: case PMAST_GeneratorExp: return VSIZE(ListComp);
    case PMAST_DictComp: return VSIZE(DictComp);
    case PMAST_Compare: return VSIZE(Compare);
    case PMAST_Call: return VSIZE(Call);
    case PMAST_FormattedValue: return VSIZE(FormattedValue);
    case PMAST_Constant: return VSIZE(Constant);
    case PMAST_Attribute: return VSIZE(Attribute);
    case PMAST_Subscript: return VSIZE(Subscript);
    case PMAST_comprehension: return VSIZE(comprehension);
    case PMAST_ExceptHandler: return VSIZE(ExceptHandler);
    case PMAST_arguments: return VSIZE(arguments);
    case PMAST_arg: return VSIZE(arg);
    case PMAST_keyword: return VSIZE(keyword);
    case PMAST_alias: return VSIZE(alias);
    case PMAST_withitem: return VSIZE(withitem);
    default: return sizeof(pmast_node);
    }
}

pmast_node *pmparse_node_at(pmparser *P, int kind, pmpos start, pmpos end) {
    pmast_node *n = pmast_arena_alloc(P->arena, node_size(kind));
    if (n == NULL) {
        pmparse_oom(P);
        return NULL;
    }
    n->kind = (uint8_t)kind;
    n->lineno = start.line;
    n->col_offset = start.col;
    n->end_lineno = end.line;
    n->end_col_offset = end.col;
    return n;
}

pmast_node *pmparse_node(pmparser *P, int kind, pmpos start) {
    pmpos end;
    end.line = P->end_line;
    end.col = P->end_col;
    return pmparse_node_at(P, kind, start, end);
}

const char *pmparse_ident(pmparser *P, const pmlex_token *t) {
    char *s = pmast_arena_strndup(P->arena, P->L.buf + t->start, t->end - t->start);
    if (s == NULL) pmparse_oom(P);
    return s;
}

int pmparse_push(pmparser *P, void *item) {
    if (P->sp == P->stkcap) {
        size_t cap = P->stkcap ? P->stkcap * 2 : P->parent ? 16 : 256;
        void **s = pmast_arena_big_resize(P->arena, P->stk, P->stkcap * sizeof *s,
                                          cap * sizeof *s);
        if (s == NULL) {
            pmparse_oom(P);
            return 0;
        }
        P->stk = s;
        P->stkcap = cap;
    }
    P->stk[P->sp++] = item;
    return 1;
}

pmast_seq pmparse_seq_from(pmparser *P, size_t start) {
    pmast_seq s;
    size_t n = P->sp - start;
    s.n = 0;
    s.items = NULL;
    if (n > 0x7FFFFFFF) {
        pmparse_oom(P);
    } else if (n > 0) {
        s.items = pmast_arena_alloc(P->arena, n * sizeof *s.items);
        if (s.items == NULL) pmparse_oom(P);
        else {
            memcpy(s.items, P->stk + start, n * sizeof *s.items);
            s.n = (int)n;
        }
    }
    P->sp = start;
    return s;
}

pmast_seq pmparse_seq1(pmparser *P, pmast_node *item) {
    size_t base = P->sp;
    if (item) pmparse_push(P, item);
    return pmparse_seq_from(P, base);
}

int pmparse_enter(pmparser *P) {
    if (++P->level > PMPARSE_MAX_LEVEL) {
        pmparse_oom(P);
        return 0;
    }
    return 1;
}

void pmparse_leave(pmparser *P) {
    P->level--;
}

/* ================================================================ errors */

void pmparse_oom(pmparser *P) {
    if (P->failed == 2) return;
    P->err->type = "MemoryError";
    P->err->msg[0] = '\0';
    P->err->lineno = P->err->offset = P->err->end_lineno = P->err->end_offset = 0;
    P->err->text = NULL;
    P->err->text_len = 0;
    P->failed = 2;
}

/* Line 1 of a file with a BOM: CPython re-reads the raw file, BOM included. */
static int bom_line(pmparser *P, size_t start, size_t full, const char **s, size_t *n) {
    char *t = pmast_arena_alloc(P->arena, full + 4);
    if (!t) return 0;
    memcpy(t, "\xEF\xBB\xBF", 3);
    memcpy(t + 3, P->L.buf + start, full);
    t[full + 3] = '\0';
    *s = t;
    *n = full + 3;
    return 1;
}

/* The text CPython shows for line `lineno`: the file's line as err_programtext reads it
 * (in 999-byte pieces, keeping the last piece); for an f-string expression, the
 * expression's own source. */
static int error_line(pmparser *P, int lineno, const char **s, size_t *n) {
    size_t start, len, off = 0, full;
    if (P->parent) {
        *s = P->L.buf;
        *n = P->L.inp ? P->L.inp : P->L.len;
        return 1;
    }
    if (!pmlex_line(&P->L, lineno, &start, &len)) {
        *s = "";
        *n = 0;
        return 1;
    }
    full = len + 1;
    if (P->L.final_newline_added && start + len + 1 >= P->L.len) full = len;
    if (lineno == 1 && P->L.had_bom) return bom_line(P, start, full, s, n);
    while (full - off >= 999 && P->L.buf[start + off + 998] != '\n') {
        off += 999;
        if (off >= full) return 0;
    }
    *s = P->L.buf + start + off;
    *n = full - off;
    return 1;
}

/* CPython's _PyPegen_byte_offset_to_character_offset (col: 1-based byte offset). */
static int byte_to_char(const char *s, size_t n, int col) {
    if (col <= 0) return col;
    if ((size_t)col > n + 1) col = (int)n + 1;
    if ((size_t)col == n + 1) return pmlex_chars(s, n) + 1;
    return pmlex_chars(s, (size_t)col);
}

static void vraise(pmparser *P, const char *type, int lineno, int col1, int end_lineno,
                   int end_col1, const char *fmt, va_list ap) {
    const char *text = NULL;
    size_t n = 0;
    char msg[sizeof P->err->msg];
    int has_text;
    if (P->failed) return;
    vsnprintf(msg, sizeof msg, fmt, ap);
    has_text = error_line(P, lineno, &text, &n);
    if (P->parent) {
        col1 -= P->fstring_col_shift;
        if (end_col1 > 0) end_col1 -= P->fstring_col_shift;
    }
    if (has_text && (P->L.has_cookie || P->L.had_bom)) {   /* CPython: tok->encoding set */
        col1 = byte_to_char(text, n, col1);
        if (end_col1 > 0) end_col1 = byte_to_char(text, n, end_col1);
    }
    pmparse_seterror(P->err, P->arena, type, lineno, col1, end_lineno, end_col1,
                     has_text ? text : NULL, n, P->parent ? "f-string: %s" : "%s", msg);
    P->failed = 1;
}

void pmparse_raise(pmparser *P, const char *type, int lineno, int col1, int end_lineno,
                   int end_col1, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vraise(P, type, lineno, col1, end_lineno, end_col1, fmt, ap);
    va_end(ap);
}

void pmparse_raise_to_cursor(pmparser *P, int lineno, int col1, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vraise(P, "SyntaxError", lineno, col1, P->L.lineno + P->L.line_shift,
           (int)(P->L.cur - P->L.line_start), fmt, ap);
    va_end(ap);
}

void pmparse_error_node(pmparser *P, const pmast_node *n, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vraise(P, "SyntaxError", n->lineno, n->col_offset + 1, n->end_lineno,
           n->end_col_offset + 1, fmt, ap);
    va_end(ap);
}

void pmparse_error_range(pmparser *P, pmpos a, pmpos b_end, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vraise(P, "SyntaxError", a.line, a.col + 1, b_end.line, b_end.col + 1, fmt, ap);
    va_end(ap);
}

/* Columns of a token CPython knows no start for: where the tokenizer is now. */
static int nopos_col(pmparser *P) {
    if (P->L.eof_between_tokens) return 0;
    return (int)(P->L.cur - P->L.line_start);
}

static void vraise_token(pmparser *P, const char *type, const pmlex_token *t,
                         const char *fmt, va_list ap) {
    int col = t->col == -1 ? nopos_col(P) : t->col + 1;
    int end = t->end_col == -1 ? -1 : t->end_col + 1;
    vraise(P, type, t->lineno, col, t->end_lineno, end, fmt, ap);
}

void pmparse_error_token(pmparser *P, const pmlex_token *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vraise(P, "SyntaxError", t->lineno, t->col + 1, t->end_lineno, t->end_col + 1, fmt, ap);
    va_end(ap);
}

void pmparse_error_last(pmparser *P, const char *type, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vraise_token(P, type, pmparse_last_fetched(P), fmt, ap);
    va_end(ap);
}

void *pmparse_invalid_syntax(pmparser *P) {
    pmlex_token *t;
    if (P->failed) return NULL;
    t = P->furthest > P->base ? &P->toks[P->furthest - 1 - P->base] : pmparse_last_fetched(P);
    if (t->type == PMTOK_INDENT || t->type == PMTOK_DEDENT) {
        pmparse_error_last(P, "IndentationError", t->type == PMTOK_INDENT
                           ? "unexpected indent" : "unexpected unindent");
        P->no_scan = 1;
    } else if (t->col == -1) {
        pmparse_raise(P, "SyntaxError", t->lineno, 0, t->end_lineno, 0, "invalid syntax");
    } else {
        pmparse_error_token(P, t, "invalid syntax");
    }
    P->generic_error = 1;
    return NULL;
}

static void unclosed_bracket(pmparser *P) {
    int i = P->L.level - 1;
    pmparse_raise(P, "SyntaxError", P->L.parenlinenostack[i] + P->L.line_shift,
                  P->L.parencolstack[i] + 1, P->L.parenlinenostack[i] + P->L.line_shift, 0,
                  "'%c' was never closed", P->L.parenstack[i]);
}

/* CPython's _Pypegen_tokenizer_error. */
static void tokenizer_error(pmparser *P) {
    pmlex *L = &P->L;
    int line = L->lineno + L->line_shift;
    if (P->failed) return;
    P->from_tokenizer = 1;
    if (P->err->type) {
        P->failed = 1;
        return;
    }
    switch (L->done) {
    case PMLEX_E_EOF:
        if (L->level) unclosed_bracket(P);
        else pmparse_error_last(P, "SyntaxError", "unexpected EOF while parsing");
        break;
    case PMLEX_E_DEDENT:
        pmparse_error_last(P, "IndentationError",
                           "unindent does not match any outer indentation level");
        break;
    case PMLEX_E_TABSPACE:
        pmparse_raise(P, "TabError", line, 1, line, 0,
                      "inconsistent use of tabs and spaces in indentation");
        break;
    case PMLEX_E_TOODEEP:
        pmparse_raise(P, "IndentationError", line, 1, line, 0,
                      "too many levels of indentation");
        break;
    case PMLEX_E_LINECONT:
        pmparse_raise(P, "SyntaxError", line, (int)(L->cur - L->bufstart), line, 0,
                      "unexpected character after line continuation character");
        break;
    default:
        pmparse_raise(P, "SyntaxError", line, 1, line, 0, "unknown parsing error");
        break;
    }
}

int pmparse_unsupported(pmparser *P, const char *what, pmpos start, pmpos end) {
    pmparser *top = P;
    while (top->parent) top = top->parent;
    if (top->flags & PMPARSE_ALLOW_UNSUPPORTED) return 1;
    if (top->unsup_what == NULL) {
        top->unsup_what = what;
        top->unsup_line = start.line;
        top->unsup_col = start.col;
        top->unsup_end_line = end.line;
        top->unsup_end_col = end.col;
    }
    return 1;
}

/* ================================================================ statements */

static int parse_statement(pmparser *P);
static int parse_simple_stmts(pmparser *P);

/* `what` names the statement in "expected an indented block after %s on line %d". */
static pmast_seq parse_block(pmparser *P, const char *what, int line) {
    pmast_seq empty = { 0, NULL };
    size_t base = P->sp;
    if (!pmparse_accept(P, PMTOK_NEWLINE)) {
        if (P->failed || !parse_simple_stmts(P)) return empty;
        return pmparse_seq_from(P, base);
    }
    if (!pmparse_is(P, PMTOK_INDENT)) {
        pmparse_error_last(P, "IndentationError",
                           "expected an indented block after %s on line %d", what, line);
        return empty;
    }
    if (!pmparse_enter(P)) return empty;
    pmparse_advance(P);
    while (!P->failed && !pmparse_is(P, PMTOK_DEDENT)) {
        if (!parse_statement(P)) break;
    }
    pmparse_leave(P);
    if (P->failed) {
        P->sp = base;
        return empty;
    }
    pmparse_advance(P);
    return pmparse_seq_from(P, base);
}

/* ':' where CPython writes &&':' (forced: error at the current token) or ':' after which a
 * NEWLINE means "expected ':'" (at the last token fetched). */
static int expect_colon(pmparser *P, int forced) {
    if (pmparse_accept(P, PMTOK_COLON)) return 1;
    if (P->failed) return 0;
    if (forced) pmparse_error_token(P, pmparse_tok(P), "expected ':'");
    else if (pmparse_is(P, PMTOK_NEWLINE))
        pmparse_error_last(P, "SyntaxError", "expected ':'");
    else pmparse_invalid_syntax(P);
    return 0;
}

static pmast_seq parse_else_block(pmparser *P) {
    pmlex_token *t = pmparse_tok(P);
    int line = t->lineno;
    pmparse_advance(P);
    if (!expect_colon(P, 1)) {
        pmast_seq empty = { 0, NULL };
        return empty;
    }
    return parse_block(P, "'else' statement", line);
}

/* if/elif chains are built iteratively: (start, test, body) triples on the stack. */
static pmast_node *parse_if(pmparser *P) {
    size_t base = P->sp;
    pmast_seq orelse = { 0, NULL };
    pmast_node *node = NULL;
    int first = 1;
    while (first || pmparse_is_kw(P, PMKW_elif)) {
        const char *what = first ? "'if' statement" : "'elif' statement";
        pmpos *start = pmast_arena_alloc(P->arena, sizeof *start);
        pmast_node *test;
        pmast_seq *body = pmast_arena_alloc(P->arena, sizeof *body);
        if (!start || !body) { pmparse_oom(P); break; }
        *start = pmparse_start(P);
        pmparse_advance(P);
        first = 0;
        test = pmparse_named_expression(P);
        if (!test || !expect_colon(P, 0)) break;
        *body = parse_block(P, what, test->lineno);
        if (P->failed) break;
        pmparse_push(P, start);
        pmparse_push(P, test);
        pmparse_push(P, body);
    }
    if (!P->failed && pmparse_is_kw(P, PMKW_else)) orelse = parse_else_block(P);
    while (!P->failed && P->sp > base) {
        pmast_seq *body = P->stk[--P->sp];
        pmast_node *test = P->stk[--P->sp];
        pmpos *start = P->stk[--P->sp];
        node = pmparse_node(P, PMAST_If, *start);
        if (!node) break;
        node->v.If.test = test;
        node->v.If.body = *body;
        node->v.If.orelse = orelse;
        if (P->sp > base) orelse = pmparse_seq1(P, node);
    }
    P->sp = base;
    return P->failed ? NULL : node;
}

static pmast_node *parse_while(pmparser *P) {
    pmpos start = pmparse_start(P);
    int line = pmparse_tok(P)->lineno;
    pmast_node *test, *n;
    pmast_seq body, orelse = { 0, NULL };
    pmparse_advance(P);
    test = pmparse_named_expression(P);
    if (!test || !expect_colon(P, 0)) return NULL;
    body = parse_block(P, "'while' statement", line);
    if (P->failed) return NULL;
    if (pmparse_is_kw(P, PMKW_else)) orelse = parse_else_block(P);
    if (P->failed || !(n = pmparse_node(P, PMAST_While, start))) return NULL;
    n->v.While.test = test;
    n->v.While.body = body;
    n->v.While.orelse = orelse;
    return n;
}

static pmast_node *parse_for(pmparser *P, pmpos start, int is_async) {
    int line = pmparse_tok(P)->lineno;
    pmast_node *target, *iter, *n;
    pmast_seq body, orelse = { 0, NULL };
    pmparse_advance(P);
    if (!(target = pmparse_for_targets(P))) return NULL;
    iter = pmparse_star_expressions(P);
    if (!iter || !expect_colon(P, 0)) return NULL;
    body = parse_block(P, "'for' statement", line);
    if (P->failed) return NULL;
    if (pmparse_is_kw(P, PMKW_else)) orelse = parse_else_block(P);
    if (P->failed) return NULL;
    n = pmparse_node(P, is_async ? PMAST_AsyncFor : PMAST_For, start);
    if (!n) return NULL;
    n->v.For.target = target;
    n->v.For.iter = iter;
    n->v.For.body = body;
    n->v.For.orelse = orelse;
    return n;
}

static pmast_node *parse_withitem(pmparser *P) {
    pmast_node *item = pmparse_node(P, PMAST_withitem, pmparse_start(P));
    if (!item || !(item->v.withitem.context_expr = pmparse_expression(P))) return NULL;
    if (pmparse_accept_kw(P, PMKW_as)) {
        pmast_node *t = pmparse_star_target(P);
        if (!t) return NULL;
        item->v.withitem.optional_vars = t;
    }
    item->lineno = item->col_offset = item->end_lineno = item->end_col_offset = 0;
    return item;
}

/* with: outside the subset; the parenthesised-items form is not parsed. */
static pmast_node *parse_with(pmparser *P, pmpos start, int is_async) {
    int line = pmparse_tok(P)->lineno;
    size_t base = P->sp;
    pmast_node *n;
    pmast_seq items, body;
    pmlex_token *kw = pmparse_tok(P);
    pmpos kend;
    kend.line = kw->end_lineno;
    kend.col = kw->end_col;
    pmparse_unsupported(P, "'with'", start, kend);
    pmparse_advance(P);
    do {
        pmast_node *item = parse_withitem(P);
        if (!item || !pmparse_push(P, item)) return NULL;
    } while (pmparse_accept(P, PMTOK_COMMA));
    items = pmparse_seq_from(P, base);
    if (P->failed || !expect_colon(P, 0)) return NULL;
    body = parse_block(P, "'with' statement", line);
    if (P->failed) return NULL;
    n = pmparse_node(P, is_async ? PMAST_AsyncWith : PMAST_With, start);
    if (!n) return NULL;
    n->v.With.items = items;
    n->v.With.body = body;
    return n;
}

/* except A, B: -- CPython's error runs from A to where the tokenizer is after the ':'. */
static void except_tuple_error(pmparser *P, pmast_node *type) {
    while (pmparse_accept(P, PMTOK_COMMA))
        if (!pmparse_expression(P)) return;
    if (pmparse_accept_kw(P, PMKW_as) && !pmparse_accept(P, PMTOK_NAME)) {
        pmparse_invalid_syntax(P);
        return;
    }
    if (!pmparse_is(P, PMTOK_COLON)) {
        pmparse_invalid_syntax(P);
        return;
    }
    pmparse_raise_to_cursor(P, type->lineno, type->col_offset + 1,
                            "multiple exception types must be parenthesized");
}

static pmast_node *parse_except(pmparser *P) {
    pmpos start = pmparse_start(P);
    int line = pmparse_tok(P)->lineno;
    pmast_node *h = NULL, *type = NULL;
    const char *name = NULL;
    pmast_seq body;
    pmparse_advance(P);
    if (pmparse_is(P, PMTOK_STAR)) {
        pmparse_error_token(P, pmparse_tok(P), "'except*' is not supported in PyMemLab");
        return NULL;
    }
    if (!pmparse_is(P, PMTOK_COLON)) {
        if (pmparse_is(P, PMTOK_NEWLINE)) {
            pmparse_error_last(P, "SyntaxError", "expected ':'");
            return NULL;
        }
        if (!(type = pmparse_expression(P))) return NULL;
        if (pmparse_is(P, PMTOK_COMMA)) {
            except_tuple_error(P, type);
            return NULL;
        }
        if (pmparse_accept_kw(P, PMKW_as)) {
            if (!pmparse_is_name(P)) return pmparse_invalid_syntax(P);
            name = pmparse_ident(P, pmparse_tok(P));
            pmparse_advance(P);
        }
    }
    if (!expect_colon(P, 0)) return NULL;
    body = parse_block(P, "'except' statement", line);
    if (P->failed || !(h = pmparse_node(P, PMAST_ExceptHandler, start))) return NULL;
    h->v.ExceptHandler.type = type;
    h->v.ExceptHandler.name = name;
    h->v.ExceptHandler.body = body;
    return h;
}

static pmast_node *parse_try(pmparser *P) {
    pmpos start = pmparse_start(P);
    int line = pmparse_tok(P)->lineno;
    size_t base = P->sp;
    pmast_node *n;
    pmast_seq body, handlers, orelse = { 0, NULL }, finalbody = { 0, NULL };
    pmparse_advance(P);
    if (!expect_colon(P, 1)) return NULL;
    body = parse_block(P, "'try' statement", line);
    while (!P->failed && pmparse_is_kw(P, PMKW_except)) {
        pmast_node *h = parse_except(P);
        if (!h || !pmparse_push(P, h)) break;
    }
    handlers = pmparse_seq_from(P, base);
    if (P->failed) return NULL;
    if (handlers.n == 0 && !pmparse_is_kw(P, PMKW_finally)) {
        pmparse_error_last(P, "SyntaxError", "expected 'except' or 'finally' block");
        return NULL;
    }
    if (handlers.n && pmparse_is_kw(P, PMKW_else)) orelse = parse_else_block(P);
    if (!P->failed && pmparse_is_kw(P, PMKW_finally)) {
        int fline = pmparse_tok(P)->lineno;
        pmparse_advance(P);
        if (!expect_colon(P, 1)) return NULL;
        finalbody = parse_block(P, "'finally' statement", fline);
    }
    if (P->failed || !(n = pmparse_node(P, PMAST_Try, start))) return NULL;
    n->v.Try.body = body;
    n->v.Try.handlers = handlers;
    n->v.Try.orelse = orelse;
    n->v.Try.finalbody = finalbody;
    return n;
}

static pmast_node *parse_funcdef(pmparser *P, pmast_seq decorators, pmpos start,
                                 int is_async) {
    int line = pmparse_tok(P)->lineno;
    const char *name;
    pmast_node *args, *returns = NULL, *n;
    pmast_seq body;
    pmparse_advance(P);
    if (!pmparse_is_name(P)) return pmparse_invalid_syntax(P);
    name = pmparse_ident(P, pmparse_tok(P));
    pmparse_advance(P);
    if (!pmparse_is(P, PMTOK_LPAR)) {
        if (!P->failed) pmparse_error_token(P, pmparse_tok(P), "expected '('");
        return NULL;
    }
    pmparse_advance(P);
    if (!(args = pmparse_arguments_node(P, 0))) return NULL;
    if (!pmparse_accept(P, PMTOK_RPAR)) return pmparse_invalid_syntax(P);
    if (pmparse_is(P, PMTOK_RARROW)) {
        pmspec s;      /* ['->' expression]: when it fails, &&':' is checked at the '->' */
        pmparse_backtrack_begin(P, &s);
        pmparse_advance(P);
        if (!(returns = pmparse_expression(P))) {
            if (pmparse_spec_end(P, &s, 1)) return NULL;
        } else {
            pmparse_spec_commit(P, &s);
        }
    }
    if (!expect_colon(P, 1)) return NULL;
    body = parse_block(P, "function definition", line);
    if (P->failed) return NULL;
    n = pmparse_node(P, is_async ? PMAST_AsyncFunctionDef : PMAST_FunctionDef, start);
    if (!n) return NULL;
    n->v.FunctionDef.name = name;
    n->v.FunctionDef.args = args;
    n->v.FunctionDef.body = body;
    n->v.FunctionDef.decorator_list = decorators;
    n->v.FunctionDef.returns = returns;
    return n;
}

static pmast_node *parse_classdef(pmparser *P, pmast_seq decorators) {
    pmpos start = pmparse_start(P);
    int line = pmparse_tok(P)->lineno;
    const char *name;
    pmast_node *n, *call = NULL;
    pmast_seq body;
    pmparse_advance(P);
    if (!pmparse_is_name(P)) return pmparse_invalid_syntax(P);
    name = pmparse_ident(P, pmparse_tok(P));
    pmparse_advance(P);
    if (pmparse_is(P, PMTOK_LPAR) && !(call = pmparse_call_args(P, NULL, start)))
        return NULL;
    if (!expect_colon(P, 0)) return NULL;
    body = parse_block(P, "class definition", line);
    if (P->failed || !(n = pmparse_node(P, PMAST_ClassDef, start))) return NULL;
    n->v.ClassDef.name = name;
    if (call) {
        n->v.ClassDef.bases = call->v.Call.args;
        n->v.ClassDef.keywords = call->v.Call.keywords;
    }
    n->v.ClassDef.body = body;
    n->v.ClassDef.decorator_list = decorators;
    return n;
}

static pmpos token_end(const pmlex_token *t) {
    pmpos p;
    p.line = t->end_lineno;
    p.col = t->end_col;
    return p;
}

/* async def / async for / async with: outside the subset. */
static pmast_node *parse_async(pmparser *P, pmast_seq decorators) {
    pmpos start = pmparse_start(P);
    pmparse_unsupported(P, "'async'", start, token_end(pmparse_tok(P)));
    pmparse_advance(P);
    if (pmparse_is_kw(P, PMKW_def)) return parse_funcdef(P, decorators, start, 1);
    if (decorators.n == 0 && pmparse_is_kw(P, PMKW_for)) return parse_for(P, start, 1);
    if (decorators.n == 0 && pmparse_is_kw(P, PMKW_with)) return parse_with(P, start, 1);
    return pmparse_invalid_syntax(P);
}

static pmast_node *parse_decorated(pmparser *P) {
    size_t base = P->sp;
    pmast_seq decorators;
    while (pmparse_accept(P, PMTOK_AT)) {
        pmast_node *d = pmparse_named_expression(P);
        if (!d || !pmparse_push(P, d)) return NULL;
        if (!pmparse_accept(P, PMTOK_NEWLINE)) return pmparse_invalid_syntax(P);
    }
    decorators = pmparse_seq_from(P, base);
    if (P->failed) return NULL;
    if (pmparse_is_kw(P, PMKW_def))
        return parse_funcdef(P, decorators, pmparse_start(P), 0);
    if (pmparse_is_kw(P, PMKW_class)) return parse_classdef(P, decorators);
    if (pmparse_is_kw(P, PMKW_async)) return parse_async(P, decorators);
    return pmparse_invalid_syntax(P);
}

/* `match` is a soft keyword: a statement "match <tokens> :" NEWLINE is a match statement. */
static int looks_like_match(pmparser *P) {
    pmlex_token *t = pmparse_tok(P), *n;
    size_t k;
    int depth = 0;
    if (t->type != PMTOK_NAME || t->kw || t->end - t->start != 5 ||
        memcmp(P->L.buf + t->start, "match", 5) != 0)
        return 0;
    n = pmparse_peek(P, 1);
    if (n->type == PMTOK_NEWLINE || n->type == PMTOK_COLON || n->type == PMTOK_EQUAL ||
        n->type == PMTOK_DOT || n->type == PMTOK_COMMA || n->type == PMTOK_RPAR)
        return 0;
    P->lookahead++;
    for (k = 1; !P->failed; k++) {
        n = pmparse_peek(P, k);
        if (n->type == PMTOK_NEWLINE || n->type == PMTOK_ENDMARKER ||
            n->type == PMTOK_ERRORTOKEN)
            break;
        if (n->type == PMTOK_LPAR || n->type == PMTOK_LSQB || n->type == PMTOK_LBRACE) depth++;
        if (n->type == PMTOK_RPAR || n->type == PMTOK_RSQB || n->type == PMTOK_RBRACE) depth--;
        if (depth == 0 && n->type == PMTOK_COLON) {
            P->lookahead--;
            return pmparse_peek(P, k + 1)->type == PMTOK_NEWLINE;
        }
    }
    P->lookahead--;
    return 0;
}

static pmast_node *parse_compound(pmparser *P) {
    pmlex_token *t = pmparse_tok(P);
    pmast_seq none = { 0, NULL };
    switch (t->kw) {
    case PMKW_if: return parse_if(P);
    case PMKW_while: return parse_while(P);
    case PMKW_for: return parse_for(P, pmparse_start(P), 0);
    case PMKW_try: return parse_try(P);
    case PMKW_with: return parse_with(P, pmparse_start(P), 0);
    case PMKW_def: return parse_funcdef(P, none, pmparse_start(P), 0);
    case PMKW_class: return parse_classdef(P, none);
    case PMKW_async: return parse_async(P, none);
    default: break;
    }
    if (t->type == PMTOK_AT) return parse_decorated(P);
    pmparse_error_token(P, t, "'match' is not supported in PyMemLab");
    return NULL;
}

static int is_compound_start(pmparser *P) {
    pmlex_token *t = pmparse_tok(P);
    if (t->type == PMTOK_AT) return 1;
    if (t->type == PMTOK_NAME) {
        switch (t->kw) {
        case PMKW_if: case PMKW_while: case PMKW_for: case PMKW_try: case PMKW_with:
        case PMKW_def: case PMKW_class: case PMKW_async:
            return 1;
        default:
            return looks_like_match(P);
        }
    }
    return 0;
}

/* Push the statement(s) of one logical line or one compound statement. */
static int parse_statement(pmparser *P) {
    release_tokens(P);
    if (P->failed) return 0;
    if (is_compound_start(P)) {
        pmast_node *s = parse_compound(P);
        return s && pmparse_push(P, s);
    }
    if (P->failed) return 0;
    return parse_simple_stmts(P);
}

/* ---- simple statements ---- */

pmast_node *pmparse_simple_stmt(pmparser *P);

static int parse_simple_stmts(pmparser *P) {
    for (;;) {
        pmast_node *s;
        release_tokens(P);
        s = pmparse_simple_stmt(P);
        if (!s || !pmparse_push(P, s)) return 0;
        if (pmparse_accept(P, PMTOK_NEWLINE)) return 1;
        if (!pmparse_accept(P, PMTOK_SEMI)) {
            pmparse_invalid_syntax(P);
            return 0;
        }
        if (pmparse_accept(P, PMTOK_NEWLINE)) return 1;
    }
}

/* ================================================================ entry */

static void file_statements(pmparser *P) {
    while (!P->failed && !pmparse_is(P, PMTOK_ENDMARKER)) {
        if (!parse_statement(P)) break;
    }
}

/* After a parser error: tokenize the rest; a tokenizer error there wins, and so does a
 * bracket left open on a line before the error. */
static void scan_rest(pmparser *P) {
    pmparse_error scratch;
    pmlex_token t;
    int err_line = pmparse_last_fetched(P)->lineno;
    memset(&scratch, 0, sizeof scratch);
    P->L.err = &scratch;
    do pmlex_next(&P->L, &t);
    while (t.type != PMTOK_ENDMARKER && t.type != PMTOK_ERRORTOKEN);
    P->L.err = P->err;
    if (t.type != PMTOK_ERRORTOKEN) return;
    if (scratch.type) {
        *P->err = scratch;
    } else if (P->L.level && err_line > P->L.parenlinenostack[P->L.level - 1]) {
        P->failed = 0;
        unclosed_bracket(P);
    }
}

typedef struct depth_item {
    pmast_node *node;
    int depth;
} depth_item;

typedef struct depth_walk {
    depth_item *items;
    size_t n, cap;
    int depth, failed;
    pmast_arena *arena;
} depth_walk;

static void depth_push(void *ctx, pmast_node *child) {
    depth_walk *w = ctx;
    if (w->failed) return;
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 1024;
        depth_item *p = pmast_arena_big_resize(w->arena, w->items, w->cap * sizeof *p,
                                               cap * sizeof *p);
        if (p == NULL) { w->failed = 1; return; }
        w->items = p;
        w->cap = cap;
    }
    w->items[w->n].node = child;
    w->items[w->n].depth = w->depth + (pmast_is_stmt(child->kind) ||
                                       pmast_is_expr(child->kind));
    w->n++;
}

/* The deepest stmt/expr nesting (CPython's symtable count), iteratively; -1 on OOM. */
static int tree_depth(pmast_arena *arena, pmast_node *root) {
    depth_walk w;
    int max = 0;
    memset(&w, 0, sizeof w);
    w.arena = arena;
    w.depth = 0;
    depth_push(&w, root);
    while (w.n > 0 && !w.failed) {
        depth_item it = w.items[--w.n];
        if (it.depth > max) max = it.depth;
        w.depth = it.depth;
        pmast_foreach_child(it.node, depth_push, &w);
    }
    pmast_arena_big_free(arena, w.items, w.cap * sizeof *w.items);
    return w.failed ? -1 : max;
}

static void finish(pmparser *P, pmparse_result *r, pmast_node *mod, int max_depth) {
    int depth;
    if (P->failed) return;
    depth = tree_depth(P->arena, mod);
    if (depth < 0) {
        pmparse_oom(P);
        return;
    }
    if (depth > max_depth) {
        pmparse_seterror(P->err, P->arena, "RecursionError", 0, 0, 0, 0, NULL, 0,
                         "maximum recursion depth exceeded during compilation");
        P->failed = 1;
        return;
    }
    if (P->unsup_what) {
        pmparse_raise(P, "SyntaxError", P->unsup_line, P->unsup_col + 1, P->unsup_end_line,
                      P->unsup_end_col + 1, "%s is not supported in PyMemLab",
                      P->unsup_what);
        return;
    }
    r->module = mod;
    r->max_depth = depth;
}

/* ---- warnings ---- */

/* Bytes of the character at s[0..n) when Python's str.isspace() holds for it, else 0. */
static size_t space_at(const unsigned char *s, size_t n) {
    uint32_t c;
    int k;
    if (n == 0) return 0;
    if (s[0] < 0x80)
        return (s[0] >= 0x09 && s[0] <= 0x0D) || (s[0] >= 0x1C && s[0] <= 0x20);
    k = pmlex_utf8(s, n, &c);
    if (k == 0) return 0;
    if (c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
        c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000)
        return (size_t)k;
    return 0;
}

/* The same for the character ending at s[n-1]. */
static size_t space_before(const unsigned char *s, size_t n) {
    size_t k = 1;
    while (k < n && k < 4 && (s[n - k] & 0xC0) == 0x80) k++;
    return space_at(s + n - k, k) == k ? k : 0;
}

/* linecache.getline(file, lineno).strip() when the file holds src: in the arena, "" for
 * no such line -- *none is set then -- and NULL when out of memory.  The search goes from
 * *hint (backwards first if the line is before it) and leaves it at the line found. */
static const char *stripped_line(pmast_arena *a, const char *src, size_t n, int lineno,
                                 pmparse_line_hint *hint, int *none) {
    size_t start, len, k, from = 0;
    const unsigned char *s;
    int first = 1;
    if (hint->line >= 1 && lineno >= 1) {
        first = hint->line;
        from = hint->pos;
        while (first > lineno && from > 0) {    /* to the start of the line before */
            from--;
            while (from > 0 && src[from - 1] != '\n') from--;
            first--;
        }
    }
    *none = lineno < first ||
            !pmlex_text_line(src + from, n - from, lineno - first + 1, &start, &len);
    if (*none) return "";
    start += from;
    hint->line = lineno;
    hint->pos = start;
    s = (const unsigned char *)src + start;
    while ((k = space_at(s, len)) != 0) s += k, len -= k;
    while ((k = space_before(s, len)) != 0) len -= k;
    return pmast_arena_strndup(a, (const char *)s, len);
}

/* Append a warning to list[0..*n) (capacity *cap, grown in the arena). */
static int push_warning(pmast_arena *a, pmparse_warning **list, int *n, int *cap,
                        const char *src, size_t srclen, pmparse_line_hint *hint,
                        const char *category, int lineno, const char *msg) {
    pmparse_warning *w;
    int none;
    if (*n == *cap) {
        int ncap = *cap ? *cap * 2 : 4;
        pmparse_warning *grown = pmast_arena_alloc(a, (size_t)ncap * sizeof *grown);
        if (!grown) return -1;
        if (*n) memcpy(grown, *list, (size_t)*n * sizeof *grown);
        *list = grown;
        *cap = ncap;
    }
    w = &(*list)[*n];
    w->category = category;
    w->lineno = lineno;
    w->msg = pmast_arena_strndup(a, msg, strlen(msg));
    w->line = stripped_line(a, src, srclen, lineno, hint, &none);
    if (!w->msg || !w->line) return -1;
    if (none) w->line = NULL;
    (*n)++;
    return 0;
}

void pmparse_warn(pmparser *P, const char *category, int lineno, const char *msg) {
    while (P->parent) P = P->parent;
    push_warning(P->arena, &P->warnings, &P->nwarnings, &P->capwarnings, P->L.buf, P->L.len,
                 &P->warn_hint, category, lineno, msg);
}

/* The tokenizer's warnings (lexer.h); ctx is the file parser. */
static void add_warning(void *ctx, int lineno, const char *msg) {
    pmparse_warn(ctx, "SyntaxWarning", lineno, msg);
}

int pmparse_repeat_warnings(pmparse_result *r, int from, int to) {
    int n = to - from, cap = r->capwarnings;
    pmparse_warning *list = r->warnings;
    if (from < 0 || n <= 0 || to > r->nwarnings) return 0;
    while (cap - r->nwarnings < n) cap = cap ? cap * 2 : 4;
    if (cap != r->capwarnings) {
        if (r->arena == NULL || (size_t)cap > SIZE_MAX / sizeof *list ||
            !(list = pmast_arena_alloc(r->arena, (size_t)cap * sizeof *list)))
            return -1;
        memcpy(list, r->warnings, (size_t)r->nwarnings * sizeof *list);
        r->warnings = list;
        r->capwarnings = cap;
    }
    memcpy(list + r->nwarnings, list + from, (size_t)n * sizeof *list);
    r->nwarnings += n;
    return 0;
}

int pmparse_add_warning(pmparse_result *r, const char *category, int lineno, const char *msg) {
    if (r->arena == NULL) return -1;
    return push_warning(r->arena, &r->warnings, &r->nwarnings, &r->capwarnings, r->src,
                        r->src_len, &r->hint, category, lineno, msg);
}

static void init_parser(pmparser *P, pmast_arena *arena, pmparse_error *err) {
    memset(P, 0, sizeof *P);
    P->arena = arena;
    P->err = err;
}

int pmparse_init_sub(pmparser *S, pmparser *P, const char *src, size_t len, int line_shift,
                     int col_shift) {
    init_parser(S, P->arena, P->err);
    S->parent = P;
    S->flags = P->flags;
    S->level = P->level;
    S->fstring_col_shift = col_shift;
    if (pmlex_init(&S->L, src, len, P->arena, P->err, P->L.filename) < 0) {
        pmparse_oom(P);
        return 0;
    }
    S->L.warn = P->L.warn;
    S->L.warn_ctx = P->L.warn_ctx;
    S->L.line_shift = line_shift;
    S->L.col_shift = col_shift;
    return 1;
}

void pmparse_free_sub(pmparser *S) {
    pmast_arena_big_free(S->arena, S->toks, S->cap * sizeof *S->toks);
    pmast_arena_big_free(S->arena, S->stk, S->stkcap * sizeof *S->stk);
    pmast_arena_big_free(S->arena, S, sizeof *S);
}

int pmparse_source(pmparse_result *r, const char *src, size_t len,
                   const pmparse_options *opt) {
    pmparse_options defaults;
    pmparser *P;
    pmast_node *mod = NULL;
    memset(r, 0, sizeof *r);
    if (opt == NULL) {
        memset(&defaults, 0, sizeof defaults);
        opt = &defaults;
    }
    r->arena = pmast_arena_new(opt->mem_limit ? opt->mem_limit : DEFAULT_MEM_LIMIT,
                               opt->alloc, opt->release, opt->ud);
    P = r->arena ? pmast_arena_alloc(r->arena, sizeof *P) : NULL;
    if (P == NULL) {
        r->error.type = "MemoryError";
        return -1;
    }
    init_parser(P, r->arena, &r->error);
    P->flags = opt->flags;
    if (pmlex_init(&P->L, src, len, P->arena, P->err, opt->filename) < 0) pmparse_oom(P);
    P->L.warn = add_warning;
    P->L.warn_ctx = P;
    if (!P->failed) {
        pmpos zero = { 0, 0 };
        file_statements(P);
        if (!P->failed && (mod = pmparse_node_at(P, PMAST_Module, zero, zero)))
            mod->v.Module.body = pmparse_seq_from(P, 0);
    }
    if (P->failed == 1 && !P->from_tokenizer && !P->no_scan && !P->L.done) scan_rest(P);
    finish(P, r, mod, opt->max_depth > 0 ? opt->max_depth : DEFAULT_MAX_DEPTH);
    if (P->failed == 2 || pmast_arena_failed(r->arena)) {
        if (P->failed != 2) pmparse_oom(P);
        r->module = NULL;
    }
    r->nwarnings = P->nwarnings;
    r->warnings = P->warnings;
    r->capwarnings = P->capwarnings;
    r->src = P->L.buf;
    r->src_len = P->L.len;
    r->hint = P->warn_hint;
    return r->module ? 0 : -1;
}

void pmparse_release(pmparse_result *r) {
    pmast_arena_free(r->arena);
    memset(r, 0, sizeof *r);
}
