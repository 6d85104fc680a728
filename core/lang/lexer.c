/*
 * lexer.c -- CPython 3.11's tokenizer, function for function where it matters for errors.
 *
 * The structure follows Parser/tokenizer.c: nextc/backup over the current line, tok_get's
 * phases (indentation at the beginning of a line, pending INDENT/DEDENT, spaces and comments,
 * then one token), and the same error messages at the same cursor positions.  See lexer.h.
 */
#include "lang/lexer.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define EOF_ (-1)
#define TABSIZE 8

static void detect_cookie(pmlex *L);

/* ---- source normalisation ---- */

int pmlex_init(pmlex *L, const char *src, size_t len, pmast_arena *arena, pmparse_error *err,
               const char *filename) {
    char *b;
    size_t i = 0, n = 0;
    memset(L, 0, sizeof *L);
    L->arena = arena;
    L->err = err;
    L->filename = filename ? filename : "<string>";
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) {
        i = 3;
        L->had_bom = 1;
    }
    b = pmast_arena_alloc(arena, len - i + 2);
    if (b == NULL) return -1;
    for (; i < len; i++) {
        if (src[i] == '\r') {
            b[n++] = '\n';
            if (i + 1 < len && src[i + 1] == '\n') i++;
        } else {
            b[n++] = src[i];
        }
    }
    if (n > 0 && b[n - 1] != '\n') {
        b[n++] = '\n';
        L->final_newline_added = 1;
    }
    b[n] = '\0';
    L->buf = b;
    L->len = n;
    L->atbol = 1;
    detect_cookie(L);
    return 0;
}

/* PEP 263: "coding[:=]name" in a comment on line 1, or on line 2 after a comment or blank
 * line 1.  CPython then reports parser errors in characters instead of bytes. */
static int cookie_line(const char *s, size_t n) {
    size_t i = 0, j;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\f')) i++;
    if (i >= n || s[i] != '#') return 0;
    for (j = i; j + 7 < n; j++) {
        if (memcmp(s + j, "coding", 6) == 0 && (s[j + 6] == ':' || s[j + 6] == '=')) return 1;
    }
    return 0;
}

static int blank_or_comment(const char *s, size_t n) {
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\f')) i++;
    return i >= n || s[i] == '#' || s[i] == '\n';
}

static void detect_cookie(pmlex *L) {
    const char *nl = memchr(L->buf, '\n', L->len);
    size_t n1 = nl ? (size_t)(nl - L->buf) : L->len;
    if (cookie_line(L->buf, n1)) L->has_cookie = 1;
    else if (nl && blank_or_comment(L->buf, n1)) {
        const char *l2 = nl + 1, *nl2 = memchr(l2, '\n', L->len - (size_t)(l2 - L->buf));
        size_t n2 = nl2 ? (size_t)(nl2 - l2) : L->len - (size_t)(l2 - L->buf);
        if (cookie_line(l2, n2)) L->has_cookie = 1;
    }
}

/* ---- UTF-8 ---- */

int pmlex_utf8(const unsigned char *s, size_t n, uint32_t *c) {
    uint32_t v;
    int len, i;
    if (n == 0) return 0;
    if (s[0] < 0x80) { *c = s[0]; return 1; }
    if (s[0] >= 0xC2 && s[0] <= 0xDF) { len = 2; v = s[0] & 0x1F; }
    else if (s[0] >= 0xE0 && s[0] <= 0xEF) { len = 3; v = s[0] & 0x0F; }
    else if (s[0] >= 0xF0 && s[0] <= 0xF4) { len = 4; v = s[0] & 0x07; }
    else return 0;
    if ((size_t)len > n) return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && v < 0x800) || (len == 4 && (v < 0x10000 || v > 0x10FFFF))) return 0;
    if (v >= 0xD800 && v <= 0xDFFF) return 0;
    *c = v;
    return len;
}

int pmlex_chars(const char *s, size_t n) {
    int count = 0;
    size_t i;
    for (i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) count++;
    return count;
}

/* ---- errors ---- */

static size_t line_len_at(const pmlex *L, size_t start) {
    const char *nl = memchr(L->buf + start, '\n', L->len - start);
    return nl ? (size_t)(nl - (L->buf + start)) : L->len - start;
}

void pmlex_error(pmlex *L, int col, int end_col, const char *fmt, ...) {
    va_list ap;
    size_t cur = L->cur > L->line_start ? L->cur : L->line_start;
    size_t n = line_len_at(L, L->line_start);
    if (col == -1) col = pmlex_chars(L->buf + L->line_start, cur - L->line_start);
    if (end_col == -1) end_col = col;
    va_start(ap, fmt);
    pmparse_verror(L->err, L->arena, "SyntaxError", L->lineno + L->line_shift, col,
                   L->lineno + L->line_shift, end_col,
                   L->buf + L->line_start, n, fmt, ap);
    va_end(ap);
    L->done = PMLEX_E_ERROR;
}

/* A line fails CPython's reading checks: strict UTF-8 (message without location), then no
 * NUL byte. */
static int check_line(pmlex *L, size_t start, size_t end) {
    size_t i = start, nul = end;
    const char *z = memchr(L->buf + start, '\0', end - start);
    uint32_t c;
    if (z) nul = (size_t)(z - L->buf);
    while (i < nul) {
        int k = pmlex_utf8((const unsigned char *)L->buf + i, nul - i, &c);
        if (k == 0) {
            pmparse_seterror(L->err, L->arena, "SyntaxError", 0, 0, 0, 0, NULL, 0,
                             "Non-UTF-8 code starting with '\\x%02x' in file %s on line %d, "
                             "but no encoding declared; see https://peps.python.org/pep-0263/"
                             " for details", (unsigned char)L->buf[i], L->filename, L->lineno);
            return 0;
        }
        i += (size_t)k;
    }
    if (z) {
        pmparse_seterror(L->err, L->arena, "SyntaxError", L->lineno, 0, L->lineno, 0,
                         L->buf + start, nul - start, "source code cannot contain null bytes");
        return 0;
    }
    return 1;
}

/* ---- reading characters ---- */

static int read_line(pmlex *L) {
    size_t start = L->inp;
    const char *nl = memchr(L->buf + start, '\n', L->len - start);
    L->inp = nl ? (size_t)(nl - L->buf) + 1 : L->len;
    L->line_start = start;
    if (L->between_tokens) L->bufstart = start;
    L->lineno++;
    if (!check_line(L, start, L->inp)) {
        L->done = PMLEX_E_ERROR;
        L->cur = L->inp;
        return 0;
    }
    return 1;
}

static int nextc(pmlex *L) {
    if (L->cur < L->inp) return (unsigned char)L->buf[L->cur++];
    if (L->done) return EOF_;
    if (L->inp >= L->len) {
        L->done = PMLEX_E_EOF;
        if (L->between_tokens) L->eof_between_tokens = 1;
        return EOF_;
    }
    if (!read_line(L)) return EOF_;
    return (unsigned char)L->buf[L->cur++];
}

static void backup(pmlex *L, int c) {
    if (c != EOF_) L->cur--;
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_xdigit(int c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static int ident_start(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 128;
}
static int ident_char(int c) { return ident_start(c) || is_digit(c); }

/* ---- tokens ---- */

static void make(pmlex *L, pmlex_token *t, int type, size_t start, size_t end) {
    int is_str = type == PMTOK_STRING;
    size_t ls = is_str ? L->multi_line_start : L->line_start;
    t->type = (uint8_t)type;
    t->kw = 0;
    t->nonascii = 0;
    t->level = (uint8_t)L->level;
    t->start = start;
    t->end = end;
    t->lineno = (is_str ? L->first_lineno : L->lineno) + L->line_shift;
    t->end_lineno = L->lineno + L->line_shift;
    t->col = (int32_t)(start - ls);
    t->end_col = (int32_t)(end - L->line_start);
    if (L->lineno == 1 && L->col_shift) {
        t->col += L->col_shift;
        t->end_col += L->col_shift;
    }
}

/* A token without a start (INDENT, DEDENT, ENDMARKER, ERRORTOKEN): col == -1. */
static void make_nopos(pmlex *L, pmlex_token *t, int type) {
    make(L, t, type, L->cur, L->cur);
    t->col = -1;
    t->end_col = -1;
}

static int continuation_line(pmlex *L) {
    int c = nextc(L);
    if (c != '\n') {
        if (!L->err->type) L->done = PMLEX_E_LINECONT;
        return -1;
    }
    c = nextc(L);
    if (c == EOF_) {
        if (!L->err->type) L->done = PMLEX_E_EOF;
        L->cur = L->inp;
        return -1;
    }
    backup(L, c);
    return c;
}

static int indent_error(pmlex *L) {
    L->done = PMLEX_E_TABSPACE;
    L->cur = L->inp;
    return -1;
}

/* Compare the new line's indentation with the stack; queue INDENT/DEDENTs. */
static int apply_indent(pmlex *L, int col, int altcol) {
    if (col == L->indstack[L->indent]) {
        if (altcol != L->altindstack[L->indent]) return indent_error(L);
    } else if (col > L->indstack[L->indent]) {
        if (L->indent + 1 >= PMLEX_MAXINDENT) {
            L->done = PMLEX_E_TOODEEP;
            L->cur = L->inp;
            return -1;
        }
        if (altcol <= L->altindstack[L->indent]) return indent_error(L);
        L->pendin++;
        L->indstack[++L->indent] = col;
        L->altindstack[L->indent] = altcol;
    } else {
        while (L->indent > 0 && col < L->indstack[L->indent]) {
            L->pendin--;
            L->indent--;
        }
        if (col != L->indstack[L->indent]) {
            L->done = PMLEX_E_DEDENT;
            L->cur = L->inp;
            return -1;
        }
        if (altcol != L->altindstack[L->indent]) return indent_error(L);
    }
    return 0;
}

/* At the beginning of a line: measure indentation.  Returns -1 (error), 0, or 1 for a
 * blank line (only spaces and/or a comment). */
static int indentation(pmlex *L) {
    int col = 0, altcol = 0, cont_line_col = 0, c;
    L->atbol = 0;
    L->between_tokens = 1;
    for (;;) {
        c = nextc(L);
        if (c == ' ') {
            col++, altcol++;
        } else if (c == '\t') {
            col = (col / TABSIZE + 1) * TABSIZE;
            altcol = altcol + 1;
        } else if (c == '\f') {
            col = altcol = 0;
        } else if (c == '\\') {
            cont_line_col = cont_line_col ? cont_line_col : col;
            if (continuation_line(L) == -1) return -1;
        } else {
            break;
        }
    }
    L->between_tokens = 0;
    backup(L, c);
    if (c == '#' || c == '\n') return 1;
    if (L->level == 0) {
        if (cont_line_col) col = altcol = cont_line_col;
        if (apply_indent(L, col, altcol) < 0) return -1;
    }
    return 0;
}

/* ---- numbers ---- */

static int lookahead(pmlex *L, const char *test) {
    const char *s = test;
    for (;;) {
        int c = nextc(L), res = 0;
        if (*s == 0) {
            res = !ident_char(c);
        } else if (c == *s) {
            s++;
            continue;
        }
        backup(L, c);
        while (s != test) backup(L, *--s);
        return res;
    }
}

/* Numbers followed by a keyword (1if x else y) are accepted with a warning in 3.11; by an
 * identifier character they are an error. */
static int verify_end_of_number(pmlex *L, int c, const char *kind) {
    int r = 0;
    if (c == 'a') r = lookahead(L, "nd");
    else if (c == 'e') r = lookahead(L, "lse");
    else if (c == 'f') r = lookahead(L, "or");
    else if (c == 'i') {
        int c2 = nextc(L);
        r = c2 == 'f' || c2 == 'n' || c2 == 's';
        backup(L, c2);
    } else if (c == 'o') r = lookahead(L, "r");
    else if (c == 'n') r = lookahead(L, "ot");
    if (r) {
        if (L->warn) {
            static const char *const msgs[] = {
                "invalid decimal literal", "invalid hexadecimal literal",
                "invalid octal literal", "invalid binary literal", "invalid imaginary literal"
            };
            int i = kind[0] == 'd' ? 0 : kind[0] == 'h' ? 1 : kind[0] == 'o' ? 2
                  : kind[0] == 'b' ? 3 : 4;
            L->warn(L->warn_ctx, L->lineno + L->line_shift, msgs[i]);
        }
        return 1;
    }
    if (c < 128 && ident_char(c)) {
        backup(L, c);
        pmlex_error(L, -1, -1, "invalid %s literal", kind);
        return 0;
    }
    return 1;
}

/* Digits with single underscores between them; returns the first other character, or 0
 * after an error. */
static int decimal_tail(pmlex *L) {
    int c;
    for (;;) {
        do c = nextc(L); while (is_digit(c));
        if (c != '_') break;
        c = nextc(L);
        if (!is_digit(c)) {
            backup(L, c);
            pmlex_error(L, -1, -1, "invalid decimal literal");
            return 0;
        }
    }
    return c;
}

static int number_hex(pmlex *L) {
    int c = nextc(L);
    do {
        if (c == '_') c = nextc(L);
        if (!is_xdigit(c)) {
            backup(L, c);
            pmlex_error(L, -1, -1, "invalid hexadecimal literal");
            return -1;
        }
        do c = nextc(L); while (is_xdigit(c));
    } while (c == '_');
    return verify_end_of_number(L, c, "hexadecimal") ? c : -1;
}

/* Octal (base 8) or binary (base 2) digits after the prefix. */
static int number_radix(pmlex *L, int base) {
    const char *kind = base == 8 ? "octal" : "binary";
    int top = base == 8 ? '8' : '2';
    int c = nextc(L);
    do {
        if (c == '_') c = nextc(L);
        if (c < '0' || c >= top) {
            if (is_digit(c)) {
                pmlex_error(L, -1, -1, "invalid digit '%c' in %s literal", c, kind);
            } else {
                backup(L, c);
                pmlex_error(L, -1, -1, "invalid %s literal", kind);
            }
            return -1;
        }
        do c = nextc(L); while (c >= '0' && c < top);
    } while (c == '_');
    if (is_digit(c)) {
        pmlex_error(L, -1, -1, "invalid digit '%c' in %s literal", c, kind);
        return -1;
    }
    return verify_end_of_number(L, c, kind) ? c : -1;
}

/* The fraction/exponent/imaginary part; c is the character after the integer part (after
 * the '.' when dot is set).  Returns the character after the number, or -1. */
static int number_tail(pmlex *L, int c, int dot) {
    if (dot && is_digit(c)) {
        c = decimal_tail(L);
        if (c == 0) return -1;
    }
    if (c == 'e' || c == 'E') {
        int e = c;
        c = nextc(L);
        if (c == '+' || c == '-') {
            c = nextc(L);
            if (!is_digit(c)) {
                backup(L, c);
                pmlex_error(L, -1, -1, "invalid decimal literal");
                return -1;
            }
        } else if (!is_digit(c)) {
            backup(L, c);
            if (!verify_end_of_number(L, e, "decimal")) return -1;
            backup(L, e);
            return -2;      /* the number ends before the 'e' (1else); cur is set */
        }
        c = decimal_tail(L);
        if (c == 0) return -1;
    }
    if (c == 'j' || c == 'J') {
        c = nextc(L);
        return verify_end_of_number(L, c, "imaginary") ? c : -1;
    }
    return verify_end_of_number(L, c, "decimal") ? c : -1;
}

/* A number starting with '0' (c is the character after it). */
static int number_zero(pmlex *L, int c) {
    int nonzero = 0;
    size_t zeros_end;
    if (c == 'x' || c == 'X') return number_hex(L);
    if (c == 'o' || c == 'O') return number_radix(L, 8);
    if (c == 'b' || c == 'B') return number_radix(L, 2);
    for (;;) {
        if (c == '_') {
            c = nextc(L);
            if (!is_digit(c)) {
                backup(L, c);
                pmlex_error(L, -1, -1, "invalid decimal literal");
                return -1;
            }
        }
        if (c != '0') break;
        c = nextc(L);
    }
    zeros_end = L->cur;
    if (is_digit(c)) {
        nonzero = 1;
        c = decimal_tail(L);
        if (c == 0) return -1;
    }
    if (c == '.') return number_tail(L, nextc(L), 1);
    if (c == 'e' || c == 'E' || c == 'j' || c == 'J') return number_tail(L, c, 0);
    if (nonzero) {
        backup(L, c);
        pmlex_error(L, (int)(L->tok_start + 1 - L->line_start),
                    (int)(zeros_end - L->line_start),
                    "leading zeros in decimal integer literals are not permitted; "
                    "use an 0o prefix for octal integers");
        return -1;
    }
    return verify_end_of_number(L, c, "decimal") ? c : -1;
}

/* c: the first character (a digit, or '.' already followed by a digit when dot is set). */
static int number(pmlex *L, pmlex_token *t, int c, int dot) {
    if (dot) c = number_tail(L, c, 1);
    else if (c == '0') c = number_zero(L, nextc(L));
    else {
        c = decimal_tail(L);
        if (c == 0) c = -1;
        else if (c == '.') c = number_tail(L, nextc(L), 1);
        else c = number_tail(L, c, 0);
    }
    if (c == -1) {
        make_nopos(L, t, PMTOK_ERRORTOKEN);
        return 0;
    }
    if (c != -2) backup(L, c);
    make(L, t, PMTOK_NUMBER, L->tok_start, L->cur);
    return 1;
}

/* ---- strings ---- */

static int string(pmlex *L, pmlex_token *t, int quote) {
    int quote_size = 1, end_quote_size = 0, c;
    L->first_lineno = L->lineno;
    L->multi_line_start = L->line_start;
    c = nextc(L);
    if (c == quote) {
        c = nextc(L);
        if (c == quote) quote_size = 3;
        else end_quote_size = 1;
    }
    if (c != quote) backup(L, c);
    while (end_quote_size != quote_size) {
        c = nextc(L);
        if (L->err->type) break;
        if (c == EOF_ || (quote_size == 1 && c == '\n')) {
            int detected = L->lineno;
            L->cur = L->tok_start + 1;
            L->line_start = L->multi_line_start;
            L->lineno = L->first_lineno;
            pmlex_error(L, -1, -1, quote_size == 3
                        ? "unterminated triple-quoted string literal (detected at line %d)"
                        : "unterminated string literal (detected at line %d)", detected);
            break;
        }
        if (c == quote) {
            end_quote_size++;
        } else {
            end_quote_size = 0;
            if (c == '\\') nextc(L);
        }
    }
    if (L->err->type) {
        make_nopos(L, t, PMTOK_ERRORTOKEN);
        return 0;
    }
    make(L, t, PMTOK_STRING, L->tok_start, L->cur);
    return 1;
}

/* ---- identifiers ---- */

/* The first character of a non-ASCII identifier that is not XID; reports it like CPython's
 * verify_identifier. */
static int verify_identifier(pmlex *L) {
    size_t i = L->tok_start, end = L->cur;
    int first = 1;
    while (i < end) {
        uint32_t ch = 0;
        int k = pmlex_utf8((const unsigned char *)L->buf + i, end - i, &ch);
        if (k == 0) { k = 1; ch = 0xFFFD; }
        if (first ? !(pmlex_is_xid_start(ch) || ch == '_') : !pmlex_is_xid_continue(ch)) {
            L->cur = i + (size_t)k;
            if (pmlex_is_printable(ch))
                pmlex_error(L, -1, -1, "invalid character '%.*s' (U+%04X)", k, L->buf + i,
                            (unsigned)ch);
            else
                pmlex_error(L, -1, -1, "invalid non-printable character U+%04X",
                            (unsigned)ch);
            return 0;
        }
        first = 0;
        i += (size_t)k;
    }
    return 1;
}

/* A NAME, or a string with a prefix.  c is the first character. */
static int name_or_string(pmlex *L, pmlex_token *t, int c) {
    int saw_b = 0, saw_r = 0, saw_u = 0, saw_f = 0, nonascii = 0;
    for (;;) {
        if (!(saw_b || saw_u || saw_f) && (c == 'b' || c == 'B')) saw_b = 1;
        else if (!(saw_b || saw_u || saw_r || saw_f) && (c == 'u' || c == 'U')) saw_u = 1;
        else if (!(saw_r || saw_u) && (c == 'r' || c == 'R')) saw_r = 1;
        else if (!(saw_f || saw_b || saw_u) && (c == 'f' || c == 'F')) saw_f = 1;
        else break;
        c = nextc(L);
        if (c == '"' || c == '\'') return string(L, t, c);
    }
    while (ident_char(c)) {
        if (c >= 128) nonascii = 1;
        c = nextc(L);
    }
    backup(L, c);
    if (nonascii && !verify_identifier(L)) {
        make_nopos(L, t, PMTOK_ERRORTOKEN);
        return 0;
    }
    make(L, t, PMTOK_NAME, L->tok_start, L->cur);
    t->kw = (uint8_t)pmlex_keyword(L->buf + t->start, t->end - t->start);
    t->nonascii = (uint8_t)nonascii;
    return 1;
}

/* ---- operators ---- */

static int one_char(int c) {
    switch (c) {
    case '%': return PMTOK_PERCENT;   case '&': return PMTOK_AMPER;
    case '(': return PMTOK_LPAR;      case ')': return PMTOK_RPAR;
    case '*': return PMTOK_STAR;      case '+': return PMTOK_PLUS;
    case ',': return PMTOK_COMMA;     case '-': return PMTOK_MINUS;
    case '.': return PMTOK_DOT;       case '/': return PMTOK_SLASH;
    case ':': return PMTOK_COLON;     case ';': return PMTOK_SEMI;
    case '<': return PMTOK_LESS;      case '=': return PMTOK_EQUAL;
    case '>': return PMTOK_GREATER;   case '@': return PMTOK_AT;
    case '[': return PMTOK_LSQB;      case ']': return PMTOK_RSQB;
    case '^': return PMTOK_CIRCUMFLEX; case '{': return PMTOK_LBRACE;
    case '|': return PMTOK_VBAR;      case '}': return PMTOK_RBRACE;
    case '~': return PMTOK_TILDE;
    default: return PMTOK_OP;
    }
}

static int two_chars(int c1, int c2) {
    if (c2 == '=') {
        switch (c1) {
        case '!': return PMTOK_NOTEQUAL;      case '%': return PMTOK_PERCENTEQUAL;
        case '&': return PMTOK_AMPEREQUAL;    case '*': return PMTOK_STAREQUAL;
        case '+': return PMTOK_PLUSEQUAL;     case '-': return PMTOK_MINEQUAL;
        case '/': return PMTOK_SLASHEQUAL;    case ':': return PMTOK_COLONEQUAL;
        case '<': return PMTOK_LESSEQUAL;     case '=': return PMTOK_EQEQUAL;
        case '>': return PMTOK_GREATEREQUAL;  case '@': return PMTOK_ATEQUAL;
        case '^': return PMTOK_CIRCUMFLEXEQUAL; case '|': return PMTOK_VBAREQUAL;
        default: return PMTOK_OP;
        }
    }
    if (c1 == '*' && c2 == '*') return PMTOK_DOUBLESTAR;
    if (c1 == '/' && c2 == '/') return PMTOK_DOUBLESLASH;
    if (c1 == '<' && c2 == '<') return PMTOK_LEFTSHIFT;
    if (c1 == '>' && c2 == '>') return PMTOK_RIGHTSHIFT;
    if (c1 == '<' && c2 == '>') return PMTOK_NOTEQUAL;
    if (c1 == '-' && c2 == '>') return PMTOK_RARROW;
    return PMTOK_OP;
}

static int three_chars(int c1, int c2, int c3) {
    if (c3 == '=') {
        if (c1 == '*' && c2 == '*') return PMTOK_DOUBLESTAREQUAL;
        if (c1 == '/' && c2 == '/') return PMTOK_DOUBLESLASHEQUAL;
        if (c1 == '<' && c2 == '<') return PMTOK_LEFTSHIFTEQUAL;
        if (c1 == '>' && c2 == '>') return PMTOK_RIGHTSHIFTEQUAL;
    }
    if (c1 == '.' && c2 == '.' && c3 == '.') return PMTOK_ELLIPSIS;
    return PMTOK_OP;
}

/* Brackets: keep the nesting stack; errors for too deep or mismatched. */
static int bracket(pmlex *L, int c) {
    if (c == '(' || c == '[' || c == '{') {
        if (L->level >= PMLEX_MAXLEVEL) {
            pmlex_error(L, -1, -1, "too many nested parentheses");
            return 0;
        }
        L->parenstack[L->level] = (char)c;
        L->parenlinenostack[L->level] = L->lineno;
        L->parencolstack[L->level] = (int)(L->tok_start - L->line_start);
        L->level++;
    } else if (c == ')' || c == ']' || c == '}') {
        int opening;
        if (!L->level) {
            pmlex_error(L, -1, -1, "unmatched '%c'", c);
            return 0;
        }
        opening = L->parenstack[--L->level];
        if (!((opening == '(' && c == ')') || (opening == '[' && c == ']') ||
              (opening == '{' && c == '}'))) {
            if (L->parenlinenostack[L->level] != L->lineno)
                pmlex_error(L, -1, -1, "closing parenthesis '%c' does not match opening "
                            "parenthesis '%c' on line %d", c, opening,
                            L->parenlinenostack[L->level]);
            else
                pmlex_error(L, -1, -1, "closing parenthesis '%c' does not match opening "
                            "parenthesis '%c'", c, opening);
            return 0;
        }
    }
    return 1;
}

static int operator(pmlex *L, pmlex_token *t, int c) {
    int c2 = nextc(L), type = two_chars(c, c2);
    if (type != PMTOK_OP) {
        int c3 = nextc(L), type3 = three_chars(c, c2, c3);
        if (type3 != PMTOK_OP) type = type3;
        else backup(L, c3);
        make(L, t, type, L->tok_start, L->cur);
        return 1;
    }
    backup(L, c2);
    if (!bracket(L, c)) {
        make_nopos(L, t, PMTOK_ERRORTOKEN);
        return 0;
    }
    if (c < 128 && !pmlex_is_printable((uint32_t)c)) {
        pmlex_error(L, -1, -1, "invalid non-printable character U+%04X", (unsigned)c);
        make_nopos(L, t, PMTOK_ERRORTOKEN);
        return 0;
    }
    make(L, t, one_char(c), L->tok_start, L->cur);
    return 1;
}

/* ---- tok_get ---- */

static void error_token(pmlex *L, pmlex_token *t) {
    make_nopos(L, t, PMTOK_ERRORTOKEN);
}

/* Spaces, then a comment; returns the first character of the token (or '\n', EOF_). */
static int skip_space(pmlex *L) {
    int c;
    do c = nextc(L); while (c == ' ' || c == '\t' || c == '\f');
    L->tok_start = L->cur - (c == EOF_ ? 0 : 1);
    if (c == '#') {
        while (c != EOF_ && c != '\n') c = nextc(L);
    }
    return c;
}

/* One token after spaces: 0 for "read the next line" (blank line / newline in brackets),
 * 1 when *t is set. */
static int one_token(pmlex *L, pmlex_token *t, int blankline) {
    int c = skip_space(L);
    if (c == EOF_) {
        if (L->err->type || L->level || L->done != PMLEX_E_EOF) error_token(L, t);
        else make_nopos(L, t, PMTOK_ENDMARKER);
        return 1;
    }
    if (ident_start(c)) return name_or_string(L, t, c), 1;
    if (c == '\n') {
        L->atbol = 1;
        if (blankline || L->level > 0) return 0;
        make(L, t, PMTOK_NEWLINE, L->tok_start, L->cur - 1);
        return 1;
    }
    if (c == '.') {
        int c2 = nextc(L);
        if (is_digit(c2)) return number(L, t, c2, 1), 1;
        if (c2 == '.') {
            int c3 = nextc(L);
            if (c3 == '.') {
                make(L, t, PMTOK_ELLIPSIS, L->tok_start, L->cur);
                return 1;
            }
            backup(L, c3);
        }
        backup(L, c2);
        make(L, t, PMTOK_DOT, L->tok_start, L->cur);
        return 1;
    }
    if (is_digit(c)) return number(L, t, c, 0), 1;
    if (c == '\'' || c == '"') return string(L, t, c), 1;
    if (c == '\\') {
        if (continuation_line(L) == -1) {
            error_token(L, t);
            return 1;
        }
        return -1;   /* same line continues */
    }
    return operator(L, t, c), 1;
}

void pmlex_next(pmlex *L, pmlex_token *t) {
    int blankline = 0, r;
    if (L->err->type || (L->done && L->done != PMLEX_E_EOF)) {
        error_token(L, t);
        return;
    }
    for (;;) {
        if (L->atbol) {
            blankline = indentation(L);
            if (blankline < 0 || L->err->type) {
                error_token(L, t);
                return;
            }
        }
        L->tok_start = L->cur;
        if (L->pendin != 0) {
            make_nopos(L, t, L->pendin < 0 ? PMTOK_DEDENT : PMTOK_INDENT);
            L->pendin += L->pendin < 0 ? 1 : -1;
            return;
        }
        do r = one_token(L, t, blankline); while (r == -1);
        if (r == 1) return;
        blankline = 0;
    }
}

/* ---- keywords and lines ---- */

int pmlex_keyword(const char *s, size_t n) {
    static const char *const kws[] = {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from",
        "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass",
        "raise", "return", "try", "while", "with", "yield"
    };
    size_t i;
    if (n < 2 || n > 8) return 0;
    for (i = 0; i < sizeof kws / sizeof kws[0]; i++)
        if (strlen(kws[i]) == n && memcmp(kws[i], s, n) == 0) return (int)i + 1;
    return 0;
}

int pmlex_line(const pmlex *L, int lineno, size_t *start, size_t *len) {
    return pmlex_text_line(L->buf, L->len, lineno, start, len);
}

int pmlex_text_line(const char *buf, size_t n, int lineno, size_t *start, size_t *len) {
    size_t pos = 0;
    int line = 1;
    const char *nl;
    if (lineno < 1 || buf == NULL) return 0;
    while (line < lineno) {
        nl = memchr(buf + pos, '\n', n - pos);
        if (nl == NULL) return 0;
        pos = (size_t)(nl - buf) + 1;
        line++;
    }
    if (pos >= n) return 0;
    nl = memchr(buf + pos, '\n', n - pos);
    *start = pos;
    *len = nl ? (size_t)(nl - (buf + pos)) : n - pos;
    return 1;
}
