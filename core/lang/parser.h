/*
 * parser.h -- source text to AST (ast.h), with CPython 3.11's syntax errors.
 *
 *   pmparse_options opt = {0};            // defaults; opt.filename = "t.py" is worth setting
 *   pmparse_result r;
 *   int rc = pmparse_source(&r, src, len, &opt);
 *   if (rc == 0)
 *       compile(r.module);                 // r.max_depth <= opt.max_depth; the compiler
 *                                          // adds its warnings: pmparse_add_warning(&r, ..)
 *   for (i = 0; i < r.nwarnings; i++)      // CPython prints these first, error or not
 *       pmparse_format_warning(&b, "t.py", &r.warnings[i]);
 *   if (rc != 0) {
 *       pmast_buf b = {0};
 *       pmparse_format_error(&b, &r.error, "t.py");   // exactly what python3 t.py prints
 *       ...                                // (any type: SyntaxError ... MemoryError)
 *       pmast_buf_free(&b);
 *   }
 *   pmparse_release(&r);                   // always, success or not
 *
 * The source is read as CPython reads a file: UTF-8 (a coding declaration is accepted and
 * only changes how columns are counted in errors, as in CPython), BOM dropped, "\r\n" and
 * "\r" are newlines, NUL bytes and invalid UTF-8 are errors when tokenizing reaches them.
 *
 * Reentrant: no global or static mutable state; two parses may run at once in one process.
 * All memory (nodes, strings, the token buffer, the error text) comes from one arena owned by
 * the result and capped by opt.mem_limit; exceeding the cap or a failing allocator gives a
 * MemoryError result, never a crash.  (A parse needs about 150 bytes per simple statement
 * and up to ~20x the source size for dense code on 64-bit; less on wasm32.)
 *
 * Limits (CPython 3.11's):
 *   200 nested brackets        SyntaxError "too many nested parentheses"
 *   100 indentation levels     IndentationError "too many levels of indentation"
 *   tree depth > max_depth     RecursionError "maximum recursion depth exceeded during
 *                              compilation" (CPython: 3 * recursion limit = 3000 stmt/expr
 *                              levels, counted as described in ast.h)
 *   4300-digit decimal ints    SyntaxError "Exceeds the limit (4300 digits) ..."
 * Operator chains, unary/not chains, ** chains, elif chains, lambda/conditional chains and
 * statement lists are parsed iteratively; the parser's C recursion is bounded by the bracket
 * and indentation limits (and a guard that stops odd chains like "lambda x=lambda x=..."
 * with a MemoryError, as CPython 3.11's parser does).  Measured worst case (200 nested
 * brackets): under 192 KiB of C stack natively at -O2 and in wasm at -O1, so the 8 MiB wasm
 * stack is ample.  The compiler may recurse over the tree knowing its depth is
 * r.max_depth <= opt.max_depth.
 */
#ifndef PMPARSE_H
#define PMPARSE_H

#include "lang/ast.h"

enum {
    PMPARSE_ALLOW_UNSUPPORTED = 1   /* build With, async, walrus, ... instead of an error */
};

typedef struct pmparse_options {
    size_t mem_limit;      /* arena bytes; 0: 256 MiB */
    int max_depth;         /* 0: 3000 (CPython: 3 * sys.getrecursionlimit()) */
    unsigned flags;        /* PMPARSE_* */
    const char *filename;  /* only for CPython's non-UTF-8 message; NULL: "<string>" */
    /* Optional allocator for the arena's chunks (both or neither); default malloc/free. */
    void *(*alloc)(void *ud, size_t n);
    void (*release)(void *ud, void *p);
    void *ud;
} pmparse_options;

/* An error as CPython 3.11 raises it when running a file, with the same attribute values:
 *   type       static string: "SyntaxError", "IndentationError", "TabError",
 *              "RecursionError" or "MemoryError" (for the last two only msg matters; a
 *              MemoryError has an empty msg, as CPython's)
 *   msg        SyntaxError.msg
 *   lineno     1-based; 0 when CPython gives no location (e.g. the non-UTF-8 message)
 *   offset, end_offset   SyntaxError.offset/end_offset: 1-based; for parser errors UTF-8
 *              byte columns (CPython counts characters only when the file has a coding
 *              declaration), for tokenizer errors characters -- whatever CPython reports;
 *              0 or -1 where CPython has 0 or -1
 *   text, text_len   SyntaxError.text (the line, usually with its "\n"), in the arena;
 *              NULL for None
 * Use pmparse_format_error to print it; the compiler may fill one the same way. */
typedef struct pmparse_error {
    const char *type;
    char msg[240];
    int lineno, offset, end_lineno, end_offset;
    char *text;
    size_t text_len;
} pmparse_error;

/* A compile-time warning, in the order CPython 3.11 issues them: the tokenizer's
 * SyntaxWarning "invalid decimal literal" (for "1if x else y") and the string parser's
 * DeprecationWarning "invalid escape sequence '\d'" while parsing, then the compiler's
 * SyntaxWarnings ('"is" with a literal', "'tuple' object is not callable; ...", ...) as it
 * compiles (pmparse_add_warning).  Whether one is printed is pmparse_format_warning's
 * business (CPython's default warning filters). */
typedef struct pmparse_warning {
    const char *category;  /* static: "SyntaxWarning" or "DeprecationWarning" */
    const char *msg;       /* in the result's arena */
    int lineno;
    const char *line;      /* the source line, stripped as Python's str.strip() (in the
                              arena), or NULL when the source has no line `lineno` */
} pmparse_warning;

/* Where the last warning's line starts (warnings come mostly in line order: finding the
 * next one's line starts there). */
typedef struct pmparse_line_hint {
    int line;
    size_t pos;
} pmparse_line_hint;

typedef struct pmparse_result {
    pmast_node *module;    /* the Module node, NULL on error */
    int max_depth;         /* depth of the tree (stmt/expr levels, ast.h), on success */
    pmparse_error error;   /* on error */
    int nwarnings;         /* warnings, success or not (CPython prints them first) */
    pmparse_warning *warnings;
    /* for pmparse_add_warning: */
    int capwarnings;
    const char *src;       /* the normalised source ("\n" line ends, no BOM), in the arena */
    size_t src_len;
    pmparse_line_hint hint;
    struct pmast_arena *arena;
} pmparse_result;

/* Parse `len` bytes of UTF-8 source (may contain NUL bytes: an error, as in CPython).
 * opt may be NULL.  Returns 0 on success, -1 with r->error set.  Always call
 * pmparse_release(r) afterwards. */
int pmparse_source(pmparse_result *r, const char *src, size_t len, const pmparse_options *opt);

/* Free everything the result owns (the tree and the error text). */
void pmparse_release(pmparse_result *r);

/* Append to out exactly what CPython 3.11 prints on stderr for this error when running
 * `python3 FILENAME`, e.g.
 *     File "t.py", line 1
 *       print(1 +)
 *                ^
 *   SyntaxError: invalid syntax
 * Returns 0, or -1 if out ran out of memory. */
int pmparse_format_error(pmast_buf *out, const pmparse_error *e, const char *filename);

/* Append a warning found after parsing (the compiler's), with a copy of msg and of line
 * `lineno` of r's source, after those already in r.  Returns 0, or -1 when the arena is
 * out of memory (the warning is dropped: warnings never make a program fail). */
int pmparse_add_warning(pmparse_result *r, const char *category, int lineno, const char *msg);

/* Append copies of r's warnings [from, to) (code compiled twice warns twice).  Returns 0, or
 * -1 when out of memory (nothing is added). */
int pmparse_repeat_warnings(pmparse_result *r, int from, int to);

/* Append what CPython 3.11's warnings module prints on stderr for a compile-time warning of
 * `python3 FILENAME` (or of source compiled under that name), with the default filters:
 *   FILENAME:LINENO: CATEGORY: MSG
 *     LINE
 * The second line is what linecache finds: none for a pseudo-file such as "<string>" (a
 * real file name is taken to hold the program's source, as tracebacks do).  Nothing at
 * all for a warning the default filters ignore: a DeprecationWarning whose module (the
 * file name without ".py") is not "__main__" -- so `python3 t.py` never shows one.
 * Returns 0, or -1 if out ran out of memory. */
int pmparse_format_warning(pmast_buf *out, const char *filename, const pmparse_warning *w);

#endif /* PMPARSE_H */
