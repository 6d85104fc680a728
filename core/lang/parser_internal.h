/*
 * parser_internal.h -- what parser.c, parser_stmt.c, parser_expr.c, parser_target.c and
 * parser_string.c share.  Not for the compiler: it sees parser.h and ast.h only.
 *
 * The parser is recursive descent over a window of tokens, shaped after CPython 3.11's PEG
 * grammar (Grammar/python.gram).  Every parse function returns a node, or NULL with
 * P->failed set (an error is stored and everything unwinds; 2 means out of memory).
 * Positions follow CPython's EXTRA: a node starts at the first token of its rule and ends at
 * the last token consumed that is not NEWLINE/INDENT/DEDENT (P->end_line/end_col).
 *
 * Errors, the way CPython finds them:
 *   - a tokenizer error is raised when its token is fetched (pmlex + tokenizer_error);
 *   - a plain failure is "invalid syntax" at the furthest token the parse proper fetched
 *     (P->furthest), or "unexpected indent" when that token is an INDENT;
 *   - CPython's second pass ("invalid_*" rules) is re-created where the parse goes wrong:
 *     the specific diagnostics in parser_target.c and at their call sites, which may look
 *     ahead (pmspec: quiet = nested diagnostics off; loud = an error they raise is kept);
 *   - where a PEG alternative would backtrack (an operator or trailer whose operand fails,
 *     "d if c" without else) the parser backtracks too (pmparse_backtrack_begin);
 *   - after a parser error the rest of the file is tokenized, and a tokenizer error there
 *     (or a bracket never closed, opened on an earlier line) replaces it.
 *
 * Token window: toks[i] holds token number base + i; tokens before the current statement
 * are dropped (release_tokens), so indexes are absolute (size_t), and a token pointer is
 * only valid until the next fetch (the array may move).
 *
 * Scratch stack: sequences are built by pushing items and then copying them into the arena
 * (pmparse_seq_from); nested sequences nest on the stack.
 */
#ifndef PMPARSE_INTERNAL_H
#define PMPARSE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "lang/ast.h"
#include "lang/ast_arena.h"
#include "lang/lexer.h"
#include "lang/parser.h"
#include "lang/parser_error.h"

/* A source position (line 1-based, col 0-based bytes). */
typedef struct pmpos {
    int32_t line, col;
} pmpos;

typedef struct pmparser pmparser;

struct pmparser {
    pmlex L;
    pmast_arena *arena;
    pmparse_error *err;
    unsigned flags;
    int failed;                 /* an error is stored */
    int from_tokenizer;         /* ... and it came from the tokenizer */
    /* tokens */
    pmlex_token *toks;
    size_t base, fill, pos, cap;
    int32_t end_line, end_col;  /* end of the last consumed non-whitespace token */
    /* scratch stack */
    void **stk;
    size_t sp, stkcap;
    size_t furthest;            /* tokens fetched by the parse proper (not by diagnostics) */
    int lookahead;              /* inside a diagnostic look-ahead (parser_target.c) */
    int quiet;                  /* ... one that must not run diagnostics itself */
    int generic_error;          /* the stored error is the generic "invalid syntax" */
    int action_error;           /* ... or one raised while building a literal (kept even by
                                   a quiet look-ahead, as CPython's actions always raise) */
    int no_scan;                /* do not tokenize the rest after this error */
    int strings_again;          /* parsing a STRING+ group a second time: no warnings */
    /* nesting guard for the C recursion (brackets, blocks, f-strings) */
    int level;
    /* compile-time warnings (file parser only) */
    pmparse_warning *warnings;
    int nwarnings, capwarnings;
    pmparse_line_hint warn_hint;
    /* the first construct outside the subset */
    int unsup_line, unsup_col, unsup_end_line, unsup_end_col;
    const char *unsup_what;
    /* f-string sub-parsers */
    pmparser *parent;           /* NULL for the file parser */
    int fstring_col_shift;      /* CPython's starting_col_offset */
};

/* Bound on the parser's C recursion (pmparse_enter): each bracket, block, nested expression
 * and f-string field counts one.  200 brackets need about 400; beyond the bound (reachable
 * only by odd chains such as "lambda x=lambda x=...") the parse stops with a MemoryError,
 * as CPython 3.11's parser does when its own stack runs out. */
#define PMPARSE_MAX_LEVEL 500

/* ---- tokens (parser.c) ---- */
pmlex_token *pmparse_tok(pmparser *P);              /* current token */
pmlex_token *pmparse_peek(pmparser *P, size_t k);   /* k tokens ahead (0 = current) */
pmlex_token *pmparse_last_fetched(pmparser *P);     /* CPython's p->tokens[p->fill-1] */
void pmparse_advance(pmparser *P);
int pmparse_accept(pmparser *P, int type);          /* consume if current is type */
int pmparse_accept_kw(pmparser *P, int kw);
int pmparse_is(pmparser *P, int type);
int pmparse_is_kw(pmparser *P, int kw);
int pmparse_is_name(pmparser *P);                   /* NAME that is not a keyword */
pmpos pmparse_start(pmparser *P);                   /* position of the current token */
size_t pmparse_mark(pmparser *P);
void pmparse_reset(pmparser *P, size_t mark);

/* ---- nodes and sequences (parser.c) ---- */
pmast_node *pmparse_node(pmparser *P, int kind, pmpos start);  /* ends at P->end_* */
pmast_node *pmparse_node_at(pmparser *P, int kind, pmpos start, pmpos end);
const char *pmparse_ident(pmparser *P, const pmlex_token *t);
int pmparse_push(pmparser *P, void *item);
pmast_seq pmparse_seq_from(pmparser *P, size_t start);  /* pops items [start, sp) */
pmast_seq pmparse_seq1(pmparser *P, pmast_node *item);
int pmparse_enter(pmparser *P);                     /* recursion guard; 0 on error */
void pmparse_leave(pmparser *P);

/* ---- errors (parser.c) ---- */
/* CPython's RAISE_ERROR_KNOWN_LOCATION with 1-based byte columns (end_col1 <= 0 kept). */
void pmparse_raise(pmparser *P, const char *type, int lineno, int col1, int end_lineno,
                   int end_col1, const char *fmt, ...);
/* RAISE_SYNTAX_ERROR_STARTING_FROM: from (lineno, col1) to where the tokenizer is. */
void pmparse_raise_to_cursor(pmparser *P, int lineno, int col1, const char *fmt, ...);
/* RAISE_SYNTAX_ERROR_KNOWN_LOCATION(node) / KNOWN_RANGE(a, b) */
void pmparse_error_node(pmparser *P, const pmast_node *n, const char *fmt, ...);
void pmparse_error_range(pmparser *P, pmpos a, pmpos b_end, const char *fmt, ...);
void pmparse_error_token(pmparser *P, const pmlex_token *t, const char *fmt, ...);
/* RAISE_SYNTAX_ERROR / RAISE_INDENTATION_ERROR: at the last token fetched */
void pmparse_error_last(pmparser *P, const char *type, const char *fmt, ...);
/* The generic "invalid syntax" (at the furthest token fetched). */
void *pmparse_invalid_syntax(pmparser *P);
void pmparse_oom(pmparser *P);
/* Record a compile-time warning of the parse (parser.h) with the file parser.  An
 * allocation failure drops it. */
void pmparse_warn(pmparser *P, const char *category, int lineno, const char *msg);
/* Remember a construct outside the subset (first one wins); returns 1 when allowed. */
int pmparse_unsupported(pmparser *P, const char *what, pmpos start, pmpos end);

/* ---- expressions (parser_expr.c) ---- */
pmast_node *pmparse_expression(pmparser *P);
pmast_node *pmparse_named_expression(pmparser *P);
pmast_node *pmparse_star_expressions(pmparser *P);
pmast_node *pmparse_star_named_expressions_tuple(pmparser *P);
pmast_node *pmparse_bitwise_or(pmparser *P);
pmast_node *pmparse_disjunction(pmparser *P);
pmast_node *pmparse_yield_expr(pmparser *P);
pmast_node *pmparse_star_targets(pmparser *P);
pmast_node *pmparse_for_targets(pmparser *P);
pmast_node *pmparse_star_target(pmparser *P);
pmast_node *pmparse_primary(pmparser *P, int trailers);
pmast_node *pmparse_arguments_node(pmparser *P, int is_lambda);
pmast_node *pmparse_call_args(pmparser *P, pmast_node *func, pmpos start);
int pmparse_starts_expression(pmparser *P);
pmast_node *pmparse_comprehension_clauses(pmparser *P, pmast_seq *out);

/* ---- targets and diagnostics (parser_target.c) ---- */
/* Look-ahead for diagnostics: quiet turns nested diagnostics off.  spec_end restores the
 * position and drops a parser error, except (keep_diagnostic) one raised by a nested
 * diagnostic, and returns 1 if an error remains. */
typedef struct pmspec {
    size_t pos, sp;
    int level, quiet, look;
    int32_t end_line, end_col;
} pmspec;
void pmparse_spec_begin(pmparser *P, pmspec *s, int quiet);
/* The same for PEG backtracking inside the parse proper: tokens it fetches count for the
 * place of a generic error. */
void pmparse_backtrack_begin(pmparser *P, pmspec *s);
int pmparse_spec_end(pmparser *P, const pmspec *s, int keep_diagnostic);
/* Leave a look-ahead keeping its position (it succeeded). */
void pmparse_spec_commit(pmparser *P, const pmspec *s);
/* Do comprehension clauses parse here?  1 yes, 0 no, -1 a diagnostic raised inside them. */
int pmparse_peg_clauses(pmparser *P);
enum { PMT_STAR = 1, PMT_FOR, PMT_DEL };
const char *pmparse_expr_name(const pmast_node *e);
const pmast_node *pmparse_invalid_target(const pmast_node *e, int type);
int pmparse_set_ctx(pmparser *P, pmast_node *e, int ctx);   /* 0 if e is not a target */
/* After `first` (parsed from `mark`) the current token is '=' in a named-expression place. */
void pmparse_invalid_named(pmparser *P, pmast_node *a, size_t mark);
/* `a` was parsed and is followed by something that starts an expression. */
void pmparse_invalid_expression(pmparser *P, pmast_node *a, size_t a_mark);
int pmparse_is_legacy_print(pmparser *P, const pmast_node *a);
void pmparse_for_target_error(pmparser *P, size_t target_mark);
void pmparse_invalid_walrus(pmparser *P, pmast_node *a);

/* ---- strings (parser_string.c) ---- */
pmast_node *pmparse_strings(pmparser *P);
pmast_node *pmparse_number(pmparser *P, const pmlex_token *t);

/* ---- statements entry (parser.c) ---- */
/* An f-string expression's parser: S is a big block (pmast_arena_big) released with
 * pmparse_free_sub, which also frees its token buffer and stack; nodes stay in the arena. */
int pmparse_init_sub(pmparser *S, pmparser *P, const char *src, size_t len, int line_shift,
                     int col_shift);
void pmparse_free_sub(pmparser *S);

#endif /* PMPARSE_INTERNAL_H */
