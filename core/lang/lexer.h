/*
 * lexer.h -- CPython 3.11's tokenizer (Parser/tokenizer.c), for the parser only.
 *
 * The lexer works on a normalised copy of the source, read the way CPython reads a file:
 * a UTF-8 BOM is dropped, "\r\n" and a lone "\r" become "\n", and a final "\n" is added when
 * the last line lacks one.  Each physical line is checked (strict UTF-8, no NUL byte) when the
 * tokenizer first enters it, as CPython does when it reads the line, so such an error is
 * reported only if tokenizing gets that far.
 *
 * Tokens carry CPython's positions: 1-based lines and 0-based UTF-8 byte columns, with
 * col == -1 where CPython's token has no start (INDENT, DEDENT, ENDMARKER, errors).  A
 * STRING token starts on the line of its opening quote.  A NEWLINE token starts at the
 * comment before it, if any, and ends where the '\n' starts (CPython's quirk).
 *
 * Errors: a token of type PMTOK_ERRORTOKEN.  If `L->err` was filled, the error is final
 * (CPython raises it from the tokenizer); otherwise `L->done` says what went wrong and the
 * parser turns it into an exception using the parser's own position (E_TABSPACE, E_DEDENT,
 * E_TOODEEP, E_EOF, E_LINECONT), as CPython's _Pypegen_tokenizer_error does.
 */
#ifndef PMLEX_H
#define PMLEX_H

#include <stddef.h>
#include <stdint.h>

#include "lang/ast_arena.h"
#include "lang/parser.h"
#include "lang/parser_error.h"

typedef enum pmtok_type {
    PMTOK_ENDMARKER, PMTOK_NAME, PMTOK_NUMBER, PMTOK_STRING, PMTOK_NEWLINE, PMTOK_INDENT,
    PMTOK_DEDENT,
    PMTOK_LPAR, PMTOK_RPAR, PMTOK_LSQB, PMTOK_RSQB, PMTOK_COLON, PMTOK_COMMA, PMTOK_SEMI,
    PMTOK_PLUS, PMTOK_MINUS, PMTOK_STAR, PMTOK_SLASH, PMTOK_VBAR, PMTOK_AMPER, PMTOK_LESS,
    PMTOK_GREATER, PMTOK_EQUAL, PMTOK_DOT, PMTOK_PERCENT, PMTOK_LBRACE, PMTOK_RBRACE,
    PMTOK_EQEQUAL, PMTOK_NOTEQUAL, PMTOK_LESSEQUAL, PMTOK_GREATEREQUAL, PMTOK_TILDE,
    PMTOK_CIRCUMFLEX, PMTOK_LEFTSHIFT, PMTOK_RIGHTSHIFT, PMTOK_DOUBLESTAR, PMTOK_PLUSEQUAL,
    PMTOK_MINEQUAL, PMTOK_STAREQUAL, PMTOK_SLASHEQUAL, PMTOK_PERCENTEQUAL, PMTOK_AMPEREQUAL,
    PMTOK_VBAREQUAL, PMTOK_CIRCUMFLEXEQUAL, PMTOK_LEFTSHIFTEQUAL, PMTOK_RIGHTSHIFTEQUAL,
    PMTOK_DOUBLESTAREQUAL, PMTOK_DOUBLESLASH, PMTOK_DOUBLESLASHEQUAL, PMTOK_AT, PMTOK_ATEQUAL,
    PMTOK_RARROW, PMTOK_ELLIPSIS, PMTOK_COLONEQUAL,
    PMTOK_OP,            /* any other single character ('!', '$', '?', '`') */
    PMTOK_ERRORTOKEN
} pmtok_type;

/* Keywords (NAME tokens get kw != 0).  Soft keywords are not listed. */
typedef enum pmtok_kw {
    PMKW_NONE_ = 0,
    PMKW_False, PMKW_None, PMKW_True, PMKW_and, PMKW_as, PMKW_assert, PMKW_async, PMKW_await,
    PMKW_break, PMKW_class, PMKW_continue, PMKW_def, PMKW_del, PMKW_elif, PMKW_else,
    PMKW_except, PMKW_finally, PMKW_for, PMKW_from, PMKW_global, PMKW_if, PMKW_import, PMKW_in,
    PMKW_is, PMKW_lambda, PMKW_nonlocal, PMKW_not, PMKW_or, PMKW_pass, PMKW_raise,
    PMKW_return, PMKW_try, PMKW_while, PMKW_with, PMKW_yield
} pmtok_kw;

/* Why an ERRORTOKEN was returned without a final error (CPython's tok->done). */
enum { PMLEX_OK = 0, PMLEX_E_EOF, PMLEX_E_TABSPACE, PMLEX_E_DEDENT, PMLEX_E_TOODEEP,
       PMLEX_E_LINECONT, PMLEX_E_ERROR };

#define PMLEX_MAXINDENT 100
#define PMLEX_MAXLEVEL 200

typedef struct pmlex_token {
    uint8_t type;         /* pmtok_type */
    uint8_t kw;           /* pmtok_kw for NAME */
    uint8_t nonascii;     /* NAME with non-ASCII characters */
    uint8_t level;        /* bracket nesting level after the token (CPython's token->level) */
    uint8_t strings_done; /* parser: the STRING+ group starting here was parsed once (its
                             warnings given; CPython memoises the group, the parser here
                             may parse it again after looking ahead) */
    int32_t lineno, col, end_lineno, end_col;
    size_t start, end;    /* the token's bytes: buf[start..end) */
} pmlex_token;

typedef struct pmlex {
    /* the normalised source */
    const char *buf;
    size_t len;
    int final_newline_added;  /* the source's last line had no "\n" */
    int has_cookie;           /* a PEP 263 coding declaration (parser errors in characters) */
    int had_bom;              /* the source started with a UTF-8 BOM */
    /* CPython's tok_state */
    size_t cur, inp;          /* next byte; end of the lines read so far */
    size_t line_start;        /* start of the current line */
    size_t multi_line_start;  /* line_start where the current string began */
    size_t tok_start;         /* start of the current token */
    int lineno, first_lineno;
    int done;                 /* PMLEX_E_* */
    int atbol, pendin, indent, level;
    int indstack[PMLEX_MAXINDENT + 1], altindstack[PMLEX_MAXINDENT + 1];
    char parenstack[PMLEX_MAXLEVEL];
    int parenlinenostack[PMLEX_MAXLEVEL], parencolstack[PMLEX_MAXLEVEL];
    /* where CPython's buffer starts (its col for errors is cur - buf), and whether end of
     * file was met between tokens (CPython then has an empty buffer) */
    size_t bufstart;
    int between_tokens, eof_between_tokens;
    /* f-string expression lexers: added to every line; added to columns on line 1 */
    int line_shift, col_shift;
    /* warnings: called with the (shifted) line number and a static message */
    void (*warn)(void *ctx, int lineno, const char *msg);
    void *warn_ctx;
    /* errors */
    pmparse_error *err;       /* where final errors go (type != NULL once set) */
    pmast_arena *arena;
    const char *filename;     /* only for the non-UTF-8 message */
} pmlex;

/* Set up L over src (copied, normalised, into the arena).  Returns 0, or -1 (out of memory,
 * err set).  err must outlive L. */
int pmlex_init(pmlex *L, const char *src, size_t len, pmast_arena *arena, pmparse_error *err,
               const char *filename);

/* The next token.  After an ERRORTOKEN or ENDMARKER, keeps returning the same. */
void pmlex_next(pmlex *L, pmlex_token *t);

/* Keyword of a NAME spelled s[0..n), or 0. */
int pmlex_keyword(const char *s, size_t n);

/* Physical line `lineno` of the normalised source: start offset and length without "\n";
 * returns 0 if there is no such line. */
int pmlex_line(const pmlex *L, int lineno, size_t *start, size_t *len);

/* The same for any "\n"-separated text buf[0..n). */
int pmlex_text_line(const char *buf, size_t n, int lineno, size_t *start, size_t *len);

/* Number of characters in the first n bytes of s (CPython's byte to character offset, with
 * 'replace' decoding of a cut character). */
int pmlex_chars(const char *s, size_t n);

/* Decode one UTF-8 character at s (n bytes available); returns its length (0 if invalid,
 * strict: no overlong forms, surrogates or values above U+10FFFF) and stores it in *c. */
int pmlex_utf8(const unsigned char *s, size_t n, uint32_t *c);

/* Fill L->err: a SyntaxError-family error from the tokenizer at the current line, like
 * CPython's _syntaxerror_range (col/end_col: 1-based character offsets, -1: at cur). */
void pmlex_error(pmlex *L, int col, int end_col, const char *fmt, ...);

int pmlex_is_xid_start(uint32_t c);
int pmlex_is_xid_continue(uint32_t c);
int pmlex_is_printable(uint32_t c);

#endif /* PMLEX_H */
