/*
 * parser_string.c -- number literals, string literals and f-strings
 * (CPython 3.11's Parser/string_parser.c and the NUMBER action).
 *
 * Adjacent STRING tokens are concatenated; when one of them is an f-string the result is a
 * JoinedStr of Constant and FormattedValue nodes, all carrying the position of the whole
 * group, while the expressions inside get their real positions (CPython parses each one as
 * "(expr)" with a sub-parser whose tokens are shifted to where the expression is).
 *
 * Decoded strings are UTF-8, with lone surrogates in generalised UTF-8 (3 bytes).
 */
#include "lang/parser_internal.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ================================================================ numbers */

#define INT_MAX_STR_DIGITS 4300

/* The token's text without underscores, in the arena. */
static char *clean_number(pmparser *P, const pmlex_token *t, size_t *len) {
    size_t i, n = 0;
    char *s = pmast_arena_alloc(P->arena, t->end - t->start + 1);
    if (!s) {
        pmparse_oom(P);
        return NULL;
    }
    for (i = t->start; i < t->end; i++)
        if (P->L.buf[i] != '_') s[n++] = P->L.buf[i];
    s[n] = '\0';
    *len = n;
    return s;
}

/* strtod with '.' whatever the C locale says. */
static double parse_double(const char *s) {
    const char *dp = localeconv()->decimal_point;
    char tmp[128], *buf = tmp;
    size_t n = strlen(s), i;
    double d;
    if (dp == NULL || (dp[0] == '.' && dp[1] == '\0')) return strtod(s, NULL);
    if (n + strlen(dp) >= sizeof tmp && !(buf = malloc(n + strlen(dp) + 1)))
        return strtod(s, NULL);
    for (i = 0; *s; s++) {
        if (*s == '.') {
            memcpy(buf + i, dp, strlen(dp));
            i += strlen(dp);
        } else {
            buf[i++] = *s;
        }
    }
    buf[i] = '\0';
    d = strtod(buf, NULL);
    if (buf != tmp) free(buf);
    return d;
}

static pmast_node *int_constant(pmparser *P, const pmlex_token *t, pmast_node *n, char *s,
                                size_t len) {
    int base = 10;
    size_t i;
    if (len > 1 && s[0] == '0' && strchr("xXoObB", s[1])) {
        base = (s[1] == 'x' || s[1] == 'X') ? 16 : (s[1] == 'o' || s[1] == 'O') ? 8 : 2;
        s += 2;
        len -= 2;
    }
    for (i = 0; i < len; i++)
        if (s[i] >= 'A' && s[i] <= 'F') s[i] = (char)(s[i] - 'A' + 'a');
    while (len > 1 && s[0] == '0') s++, len--;
    if (base == 10 && len > INT_MAX_STR_DIGITS) {
        P->action_error = !P->failed;
        pmparse_raise(P, "SyntaxError", t->lineno, 0, t->end_lineno, 0,
                      "Exceeds the limit (%d digits) for integer string conversion: value has "
                      "%lu digits; use sys.set_int_max_str_digits() to increase the limit - "
                      "Consider hexadecimal for huge integer literals to avoid decimal "
                      "conversion limits.", INT_MAX_STR_DIGITS, (unsigned long)len);
        return NULL;
    }
    n->v.Constant.ckind = PMAST_C_INT;
    n->v.Constant.base = (uint8_t)base;
    n->v.Constant.s = s;
    n->v.Constant.len = len;
    return n;
}

pmast_node *pmparse_number(pmparser *P, const pmlex_token *t) {
    pmpos start, end;
    size_t len;
    char *s = clean_number(P, t, &len);
    pmast_node *n;
    start.line = t->lineno;
    start.col = t->col;
    end.line = t->end_lineno;
    end.col = t->end_col;
    if (!s || !(n = pmparse_node_at(P, PMAST_Constant, start, end))) return NULL;
    if (s[len - 1] == 'j' || s[len - 1] == 'J') {
        s[len - 1] = '\0';
        pmparse_unsupported(P, "complex literal", start, end);
        n->v.Constant.ckind = PMAST_C_IMAG;
        n->v.Constant.d = parse_double(s);
        return n;
    }
    if (!(len > 1 && s[0] == '0' && strchr("xXoObB", s[1])) &&
        (strchr(s, '.') || strchr(s, 'e') || strchr(s, 'E'))) {
        n->v.Constant.ckind = PMAST_C_FLOAT;
        n->v.Constant.d = parse_double(s);
        return n;
    }
    return int_constant(P, t, n, s, len);
}

/* ================================================================ text buffers */

typedef struct sbuf {
    char *data;
    size_t len, cap;
    uint32_t maxchar;
    int nonascii;
    int used;                 /* CPython's last_str != NULL */
} sbuf;

static int sb_reserve(pmparser *P, sbuf *b, size_t extra) {
    size_t cap;
    char *d;
    if (b->cap - b->len > extra) return 1;
    cap = b->cap ? b->cap : 64;
    while (cap - b->len <= extra) cap *= 2;
    if (!(d = pmast_arena_big_resize(P->arena, b->data, b->cap, cap))) {
        pmparse_oom(P);
        return 0;
    }
    b->data = d;
    b->cap = cap;
    return 1;
}

static int sb_put(pmparser *P, sbuf *b, const char *s, size_t n) {
    if (!sb_reserve(P, b, n)) return 0;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    return 1;
}

/* Append code point c (0..0x10FFFF, surrogates included) as (generalised) UTF-8. */
static int sb_char(pmparser *P, sbuf *b, uint32_t c) {
    char u[4];
    size_t n;
    if (c < 0x80) { u[0] = (char)c; n = 1; }
    else if (c < 0x800) { u[0] = (char)(0xC0 | (c >> 6)); u[1] = (char)(0x80 | (c & 0x3F)); n = 2; }
    else if (c < 0x10000) {
        u[0] = (char)(0xE0 | (c >> 12)); u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[2] = (char)(0x80 | (c & 0x3F)); n = 3;
    } else {
        u[0] = (char)(0xF0 | (c >> 18)); u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((c >> 6) & 0x3F)); u[3] = (char)(0x80 | (c & 0x3F)); n = 4;
    }
    if (c > b->maxchar) b->maxchar = c;
    if (c >= 0x80) b->nonascii = 1;
    return sb_put(P, b, u, n);
}

static void sb_free(pmparser *P, sbuf *b) {
    pmast_arena_big_free(P->arena, b->data, b->cap);
    memset(b, 0, sizeof *b);
}

/* Append already valid UTF-8 text, tracking maxchar. */
static int sb_utf8(pmparser *P, sbuf *b, const char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        uint32_t c = (unsigned char)s[i];
        int k = 1;
        if (c >= 0x80) {
            k = pmlex_utf8((const unsigned char *)s + i, n - i, &c);
            if (k == 0) { k = 1; c = 0xFFFD; }
            if (c > b->maxchar) b->maxchar = c;
            b->nonascii = 1;
        } else if (c > b->maxchar) {
            b->maxchar = c;
        }
        i += (size_t)k;
    }
    return sb_put(P, b, s, n);
}

/* ================================================================ escapes */

/* A decoding error: "(unicode error) 'unicodeescape' codec can't decode ...".  Positions
 * count in CPython's intermediate buffer, where every non-ASCII character is 10 bytes. */
static void escape_error(pmparser *P, size_t start, size_t end, const char *why) {
    if (end - start == 1)
        pmparse_error_last(P, "SyntaxError", "(unicode error) 'unicodeescape' codec can't "
                           "decode byte 0x5c in position %lu: %s", (unsigned long)start, why);
    else
        pmparse_error_last(P, "SyntaxError", "(unicode error) 'unicodeescape' codec can't "
                           "decode bytes in position %lu-%lu: %s", (unsigned long)start,
                           (unsigned long)end - 1, why);
}

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* \x, \u, \U with `count` hex digits at s[*i]; vpos is the virtual position of the
 * backslash. */
static int hex_escape(pmparser *P, sbuf *b, const char *s, size_t n, size_t *i, int count,
                      size_t vpos) {
    static const char *const msgs[] = { "truncated \\xXX escape", "truncated \\uXXXX escape",
                                        "truncated \\UXXXXXXXX escape" };
    const char *msg = msgs[count == 2 ? 0 : count == 4 ? 1 : 2];
    uint32_t ch = 0;
    size_t k = 0;
    for (; (int)k < count; k++) {
        int h = *i + k < n ? hexval((unsigned char)s[*i + k]) : -1;
        if (h < 0) {
            escape_error(P, vpos, vpos + 2 + k, msg);
            return 0;
        }
        ch = (ch << 4) | (uint32_t)h;
    }
    *i += k;
    if (ch > 0x10FFFF) {
        escape_error(P, vpos, vpos + 2 + k, "illegal Unicode character");
        return 0;
    }
    return sb_char(P, b, ch);
}

static int simple_escape(int c) {
    switch (c) {
    case '\\': return '\\'; case '\'': return '\''; case '"': return '"';
    case 'a': return 7; case 'b': return 8; case 'f': return 12; case 'n': return 10;
    case 'r': return 13; case 't': return 9; case 'v': return 11;
    default: return -1;
    }
}

/* \N{name}: malformed forms get CPython's message; a well-formed one is unsupported (no
 * Unicode name database here). */
static int named_escape(pmparser *P, const char *s, size_t n, size_t *i, size_t vpos) {
    size_t j = *i, start;
    if (j >= n || s[j] != '{') {
        escape_error(P, vpos, vpos + 2, "malformed \\N character escape");
        return 0;
    }
    start = ++j;
    while (j < n && s[j] != '}') j++;
    if (j >= n || j == start) {
        escape_error(P, vpos, vpos + 2 + (j - start) + 1, "malformed \\N character escape");
        return 0;
    }
    pmparse_error_last(P, "SyntaxError", "(unicode error) \\N{...} escapes are not "
                       "supported in PyMemLab");
    return 0;
}

/* One escape after a backslash at s[*i - 1]; *i points after the backslash.  *invalid is
 * set to 1 for an unknown escape (kept as it is) and to 2 for an octal escape above \377
 * (both deprecated in 3.11). */
static int one_escape(pmparser *P, sbuf *b, const char *s, size_t n, size_t *i, size_t vpos,
                      int bytes, int *invalid) {
    int c = (unsigned char)s[(*i)++], e;
    if (c == '\n') return 1;
    if ((e = simple_escape(c)) >= 0) return sb_char(P, b, (uint32_t)e);
    if (c >= '0' && c <= '7') {
        uint32_t v = (uint32_t)(c - '0');
        int k;
        for (k = 0; k < 2 && *i < n && s[*i] >= '0' && s[*i] <= '7'; k++)
            v = v * 8 + (uint32_t)(s[(*i)++] - '0');
        if (v > 0377) *invalid = 2;
        if (bytes) v &= 0xFF;
        return bytes ? sb_put(P, b, (char *)&(unsigned char){(unsigned char)v}, 1)
                     : sb_char(P, b, v);
    }
    if (c == 'x') {
        if (bytes) {
            int h1 = *i < n ? hexval((unsigned char)s[*i]) : -1;
            int h2 = *i + 1 < n ? hexval((unsigned char)s[*i + 1]) : -1;
            if (h1 < 0 || h2 < 0) {
                pmparse_error_last(P, "SyntaxError", "(value error) invalid \\x escape at "
                                   "position %lu", (unsigned long)vpos);
                return 0;
            }
            *i += 2;
            return sb_put(P, b, (char *)&(unsigned char){(unsigned char)(h1 * 16 + h2)}, 1);
        }
        return hex_escape(P, b, s, n, i, 2, vpos);
    }
    if (!bytes && c == 'u') return hex_escape(P, b, s, n, i, 4, vpos);
    if (!bytes && c == 'U') return hex_escape(P, b, s, n, i, 8, vpos);
    if (!bytes && c == 'N') return named_escape(P, s, n, i, vpos);
    (*i)--;
    *invalid = 1;
    return sb_char(P, b, '\\');     /* unknown escape: kept, the character follows */
}

/* string_parser.c's warn_invalid_escape_sequence: a DeprecationWarning at the line where the
 * string token starts; `at` is where the escape's character(s) start in the source. */
static void warn_escape(pmparser *P, const pmlex_token *t, const char *at, int octal) {
    char msg[64];
    if (P->strings_again) return;
    if (octal) snprintf(msg, sizeof msg, "invalid octal escape sequence '\\%.3s'", at);
    else snprintf(msg, sizeof msg, "invalid escape sequence '\\%c'", *at);
    pmparse_warn(P, "DeprecationWarning", t->lineno, msg);
}

/* Decode s[0..n) (UTF-8 source text with escapes of token t) into b.  The first invalid
 * escape, if any, is warned about once the text decoded without error (as CPython). */
static int decode_escapes(pmparser *P, sbuf *b, const char *s, size_t n, int bytes,
                          const pmlex_token *t) {
    size_t i = 0, vpos = 0;
    const char *first_invalid = NULL;
    int octal = 0;
    while (i < n && !P->failed) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\' && i + 1 < n && (unsigned char)s[i + 1] < 0x80) {
            size_t before;
            int invalid = 0;
            i++;
            before = i;
            if (!one_escape(P, b, s, n, &i, vpos, bytes, &invalid)) return 0;
            if (invalid && !first_invalid) {
                first_invalid = s + before;
                octal = invalid == 2;
            }
            vpos += 1 + (i - before);
        } else if (c == '\\') {
            if (!sb_char(P, b, '\\')) return 0;
            i++;
            vpos += 6;
        } else if (c >= 0x80) {
            uint32_t ch;
            int k = pmlex_utf8((const unsigned char *)s + i, n - i, &ch);
            if (k == 0) { k = 1; ch = 0xFFFD; }
            if (!sb_char(P, b, ch)) return 0;
            i += (size_t)k;
            vpos += 10;
        } else {
            if (!sb_char(P, b, c)) return 0;
            i++;
            vpos++;
        }
    }
    if (P->failed) return 0;
    if (first_invalid) warn_escape(P, t, first_invalid, octal);
    return 1;
}

/* ================================================================ one token */

typedef struct strtoken {
    const pmlex_token *t;
    int bytes, raw, fmode;
    const char *body;        /* between the quotes */
    size_t len;
} strtoken;

static void split_token(pmparser *P, const pmlex_token *t, strtoken *st) {
    const char *s = P->L.buf + t->start;
    size_t n = t->end - t->start;
    int q;
    memset(st, 0, sizeof *st);
    st->t = t;
    for (; *s != '"' && *s != '\''; s++, n--) {
        if (*s == 'b' || *s == 'B') st->bytes = 1;
        else if (*s == 'r' || *s == 'R') st->raw = 1;
        else if (*s == 'f' || *s == 'F') st->fmode = 1;
    }
    q = (n >= 6 && s[1] == s[0] && s[2] == s[0]) ? 3 : 1;
    st->body = s + q;
    st->len = n - 2 * (size_t)q;
}

/* ================================================================ f-strings */

typedef struct fstate {
    sbuf last;
    size_t base;             /* its expression list is P->stk[base..sp) */
    int fmode;
} fstate;

typedef struct fctx {
    const pmlex_token *first, *last;   /* the whole group */
    const strtoken *st;                  /* the token being parsed */
    int u_kind;
} fctx;

static pmast_node *make_str(pmparser *P, sbuf *b, const pmlex_token *first,
                            const pmlex_token *last, int u_kind) {
    pmpos start, end;
    pmast_node *n;
    char *s;
    start.line = first->lineno;
    start.col = first->col;
    end.line = last->end_lineno;
    end.col = last->end_col;
    if (!(n = pmparse_node_at(P, PMAST_Constant, start, end))) return NULL;
    if (!(s = pmast_arena_strndup(P->arena, b->data ? b->data : "", b->len))) {
        pmparse_oom(P);
        return NULL;
    }
    n->v.Constant.ckind = PMAST_C_STR;
    n->v.Constant.s = s;
    n->v.Constant.len = b->len;
    n->v.Constant.maxchar = b->maxchar;
    n->v.Constant.nonascii = (uint8_t)b->nonascii;
    n->v.Constant.u_prefix = (uint8_t)u_kind;
    b->len = 0;
    b->maxchar = 0;
    b->nonascii = 0;
    b->used = 0;
    return n;
}

/* FstringParser_ConcatAndDel: empty pieces are dropped. */
static int concat_text(pmparser *P, fstate *fs, const sbuf *piece) {
    if (piece->len == 0) return 1;
    fs->last.used = 1;
    if (piece->maxchar > fs->last.maxchar) fs->last.maxchar = piece->maxchar;
    if (piece->nonascii) fs->last.nonascii = 1;
    return sb_put(P, &fs->last, piece->data, piece->len);
}

/* Flush pending text into a Constant in the expression list. */
static int flush_text(pmparser *P, fstate *fs, const fctx *c) {
    pmast_node *n;
    if (!fs->last.used) return 1;
    n = make_str(P, &fs->last, c->first, c->last, c->u_kind);
    return n && pmparse_push(P, n);
}

static pmast_node *fstring_parse(pmparser *P, const char **str, const char *end, int raw,
                                 int lvl, const fctx *c);

/* fstring_find_literal: text up to an undoubled '{' (or '}' ending a format spec).
 * Returns -1 error, 0 stopped at '{'/'}'/end, 1 stopped after a doubled brace. */
static int find_literal(pmparser *P, const char **str, const char *end, int raw, int lvl,
                        sbuf *lit, const pmlex_token *t) {
    const char *s = *str, *start = s;
    int result = 0;
    while (s < end) {
        char ch = *s++;
        if (!raw && ch == '\\' && s < end) {
            ch = *s++;
            if (ch == 'N') {
                if (s < end && *s++ == '{')
                    while (s < end && *s++ != '}') {}
                continue;
            }
            if (ch == '{') warn_escape(P, t, s - 1, 0);  /* f"\{" */
        }
        if (ch == '{' || ch == '}') {
            if (lvl == 0) {
                if (s < end && *s == ch) {
                    *str = s + 1;
                    result = 1;
                    goto done;
                }
                if (ch == '}') {
                    *str = s - 1;
                    pmparse_error_last(P, "SyntaxError", "f-string: single '}' is not allowed");
                    return -1;
                }
            }
            s--;
            break;
        }
    }
    *str = s;
done:
    if (s > start) {
        size_t n = (size_t)(s - start);
        if (raw ? !sb_utf8(P, lit, start, n) : !decode_escapes(P, lit, start, n, 0, t))
            return -1;
    }
    return result;
}

/* Inside a string literal of a replacement field: does ch at *str close it? */
static void scan_quote(const char **str, const char *end, char *quote, int *string_type) {
    char ch = **str;
    if (ch != *quote) return;
    if (*string_type == 3) {
        if (*str + 2 < end && (*str)[1] == ch && (*str)[2] == ch) {
            *str += 2;
            *string_type = 0;
            *quote = 0;
        }
    } else {
        *string_type = 0;
        *quote = 0;
    }
}

/* A closing bracket of a replacement field: 0 after reporting a mismatch. */
static int scan_close(pmparser *P, char ch, char *stack, int *depth) {
    int opening;
    if (!*depth) {
        pmparse_error_last(P, "SyntaxError", "f-string: unmatched '%c'", ch);
        return 0;
    }
    opening = stack[--*depth];
    if (!((opening == '(' && ch == ')') || (opening == '[' && ch == ']') ||
          (opening == '{' && ch == '}'))) {
        pmparse_error_last(P, "SyntaxError", "f-string: closing parenthesis '%c' does not match "
                           "opening parenthesis '%c'", ch, opening);
        return 0;
    }
    return 1;
}

/* Does the character at *str end the expression (at depth 0)?  Skips "!=", "==", "<=",
 * ">=" and single '<'/'>'. */
static int scan_stop(const char **str, const char *end) {
    char ch = **str;
    if (*str + 1 < end && (*str)[1] == '=' && (ch == '!' || ch == '=' || ch == '<' || ch == '>')) {
        (*str)++;
        return 0;
    }
    return ch != '<' && ch != '>';
}

/* Scan the expression of a replacement field (fstring_find_expr's loop); *str is after '{'
 * and ends at the '!', ':', '=' or '}' that ends the expression. */
static int scan_expr(pmparser *P, const char **str, const char *end) {
    char quote = 0, stack[200];
    int string_type = 0, depth = 0;
    for (; *str < end; (*str)++) {
        char ch = **str;
        if (ch == '\\') {
            pmparse_error_last(P, "SyntaxError",
                               "f-string expression part cannot include a backslash");
            return 0;
        }
        if (quote) {
            scan_quote(str, end, &quote, &string_type);
        } else if (ch == '\'' || ch == '"') {
            string_type = 1;
            if (*str + 2 < end && (*str)[1] == ch && (*str)[2] == ch) {
                string_type = 3;
                *str += 2;
            }
            quote = ch;
        } else if (ch == '[' || ch == '{' || ch == '(') {
            if (depth >= 200) {
                pmparse_error_last(P, "SyntaxError", "f-string: too many nested parenthesis");
                return 0;
            }
            stack[depth++] = ch;
        } else if (ch == '#') {
            pmparse_error_last(P, "SyntaxError", "f-string expression part cannot include '#'");
            return 0;
        } else if (depth == 0 && strchr("!:}=<>", ch)) {
            if (scan_stop(str, end)) break;
        } else if (ch == ']' || ch == '}' || ch == ')') {
            if (!scan_close(P, ch, stack, &depth)) return 0;
        }
    }
    if (quote) {
        pmparse_error_last(P, "SyntaxError", "f-string: unterminated string");
        return 0;
    }
    if (depth) {
        pmparse_error_last(P, "SyntaxError", "f-string: unmatched '%c'", stack[depth - 1]);
        return 0;
    }
    return 1;
}

/* fstring_find_expr_location: lines before the '{' and the column shift of the text after
 * it (0 when only whitespace follows the brace on its line). */
static void expr_location(const char *tok_text, const char *start, const char *stop,
                          int *lines, int *cols) {
    const char *s, *nl;
    int newline_after_brace = 1;
    *lines = *cols = 0;
    for (s = start; s < stop + 1 && *s != '}' && *s != '\n'; s++)
        if (*s != ' ' && *s != '\t' && *s != '\f') { newline_after_brace = 0; break; }
    for (s = tok_text; s < start - 1; s++)
        if (*s == '\n') (*lines)++;
    if (!newline_after_brace) {
        for (nl = start - 1; nl > tok_text && *nl != '\n'; nl--) {}
        *cols = (int)(start - 1 - nl) - (*nl == '\n');
    }
}

/* fstring_compile_expr: parse "(expr)" with a sub-parser placed where the text is. */
static pmast_node *compile_expr(pmparser *P, const char *start, const char *stop,
                                const fctx *c) {
    const char *s, *tok_text = P->L.buf + c->st->t->start;
    size_t len = (size_t)(stop - start);
    int lines, cols, ok;
    char *src;
    pmparser *S;
    pmast_node *e = NULL;
    for (s = start; s < stop; s++)
        if (!(*s == ' ' || *s == '\t' || *s == '\n' || *s == '\f')) break;
    if (s == stop) {
        if (*stop == '!' || *stop == ':' || *stop == '=')
            pmparse_error_last(P, "SyntaxError", "f-string: expression required before '%c'",
                               *stop);
        else pmparse_error_last(P, "SyntaxError", "f-string: empty expression not allowed");
        return NULL;
    }
    expr_location(tok_text, start, stop, &lines, &cols);
    src = pmast_arena_big(P->arena, len + 3);
    S = src ? pmast_arena_big(P->arena, sizeof *S) : NULL;
    if (!S) {
        pmast_arena_big_free(P->arena, src, len + 3);
        pmparse_oom(P);
        return NULL;
    }
    src[0] = '(';
    memcpy(src + 1, start, len);
    src[len + 1] = ')';
    ok = pmparse_init_sub(S, P, src, len + 2, c->st->t->lineno + lines - 1,
                          (lines == 0 ? c->st->t->col : 0) + cols);
    if (ok) e = pmparse_star_expressions(S);
    if (ok && S->failed) {
        if (S->failed == 2) pmparse_oom(P);
        else P->failed = 1;
        P->from_tokenizer = 0;
        e = NULL;
    }
    pmparse_free_sub(S);
    pmast_arena_big_free(P->arena, src, len + 3);
    return e;
}

/* After the expression: [=] [!conv] [:spec] '}' (fstring_find_expr's second half). */
static pmast_node *expr_suffix(pmparser *P, const char **str, const char *end, int raw,
                               int lvl, const fctx *c, pmast_node *e, const char *expr_start,
                               sbuf *expr_text) {
    int conversion = -1;
    pmast_node *spec = NULL, *n;
    pmpos a, b;
    if (**str == '=') {
        (*str)++;
        while (*str < end && (**str == ' ' || **str == '\t' || **str == '\n' || **str == '\r' ||
                              **str == '\f' || **str == '\v'))
            (*str)++;
        if (*str >= end) goto unexpected_end;
        expr_text->used = 1;
        if (!sb_utf8(P, expr_text, expr_start, (size_t)(*str - expr_start))) return NULL;
    }
    if (**str == '!') {
        (*str)++;
        if (*str >= end) goto unexpected_end;
        conversion = (unsigned char)**str;
        (*str)++;
        if (!(conversion == 's' || conversion == 'r' || conversion == 'a')) {
            pmparse_error_last(P, "SyntaxError", "f-string: invalid conversion character: "
                               "expected 's', 'r', or 'a'");
            return NULL;
        }
    }
    if (*str < end && **str == ':') {
        (*str)++;
        if (*str >= end) goto unexpected_end;
        if (!(spec = fstring_parse(P, str, end, raw, lvl + 1, c))) return NULL;
    }
    if (*str >= end || **str != '}') goto unexpected_end;
    (*str)++;
    if (expr_text->used && !spec && conversion == -1) conversion = 'r';
    a.line = c->first->lineno;
    a.col = c->first->col;
    b.line = c->last->end_lineno;
    b.col = c->last->end_col;
    if (!(n = pmparse_node_at(P, PMAST_FormattedValue, a, b))) return NULL;
    n->v.FormattedValue.value = e;
    n->v.FormattedValue.conversion = conversion;
    n->v.FormattedValue.format_spec = spec;
    return n;
unexpected_end:
    pmparse_error_last(P, "SyntaxError", "f-string: expecting '}'");
    return NULL;
}

/* fstring_find_expr: *str is at '{'. */
static pmast_node *find_expr(pmparser *P, const char **str, const char *end, int raw, int lvl,
                             const fctx *c, sbuf *expr_text) {
    const char *expr_start;
    pmast_node *e;
    if (lvl >= 2) {
        pmparse_error_last(P, "SyntaxError", "f-string: expressions nested too deeply");
        return NULL;
    }
    (*str)++;
    expr_start = *str;
    if (!scan_expr(P, str, end)) return NULL;
    if (*str >= end) {
        pmparse_error_last(P, "SyntaxError", "f-string: expecting '}'");
        return NULL;
    }
    if (!pmparse_enter(P)) return NULL;
    e = compile_expr(P, expr_start, *str, c);
    pmparse_leave(P);
    if (!e) return NULL;
    return expr_suffix(P, str, end, raw, lvl, c, e, expr_start, expr_text);
}

/* _PyPegen_FstringParser_ConcatFstring */
static int concat_fstring(pmparser *P, fstate *fs, const char **str, const char *end, int raw,
                          int lvl, const fctx *c) {
    fs->fmode = 1;
    for (;;) {
        sbuf lit, expr_text;
        pmast_node *e = NULL;
        int r;
        memset(&lit, 0, sizeof lit);
        memset(&expr_text, 0, sizeof expr_text);
        r = find_literal(P, str, end, raw, lvl, &lit, c->st->t);
        if (r == 0 && *str < end && **str != '}')
            e = find_expr(P, str, end, raw, lvl, c, &expr_text);
        if (r < 0 || P->failed || !concat_text(P, fs, &lit) ||
            !concat_text(P, fs, &expr_text)) {
            sb_free(P, &lit);
            sb_free(P, &expr_text);
            return 0;
        }
        sb_free(P, &lit);
        sb_free(P, &expr_text);
        if (r == 1) continue;
        if (!e) break;
        if (!flush_text(P, fs, c) || !pmparse_push(P, e)) return 0;
    }
    if (lvl == 0 && *str < end - 1) {
        pmparse_error_last(P, "SyntaxError", "f-string: unexpected end of string");
        return 0;
    }
    if (lvl != 0 && (*str >= end || **str != '}')) {
        pmparse_error_last(P, "SyntaxError", "f-string: expecting '}'");
        return 0;
    }
    return 1;
}

/* _PyPegen_FstringParser_Finish: a Constant, or a JoinedStr positioned first..last. */
static pmast_node *finish(pmparser *P, fstate *fs, const pmlex_token *first,
                          const pmlex_token *last, int u_kind) {
    pmpos a, b;
    pmast_node *n;
    if (!fs->fmode) {
        n = make_str(P, &fs->last, first, last, u_kind);
        sb_free(P, &fs->last);
        return n;
    }
    if (fs->last.used) {
        n = make_str(P, &fs->last, first, last, u_kind);
        if (!n || !pmparse_push(P, n)) return NULL;
    }
    sb_free(P, &fs->last);
    a.line = first->lineno;
    a.col = first->col;
    b.line = last->end_lineno;
    b.col = last->end_col;
    if (!(n = pmparse_node_at(P, PMAST_JoinedStr, a, b))) return NULL;
    n->v.JoinedStr.values = pmparse_seq_from(P, fs->base);
    return n;
}

/* fstring_parse: a format spec, positioned at the token being parsed. */
static pmast_node *fstring_parse(pmparser *P, const char **str, const char *end, int raw,
                                 int lvl, const fctx *c) {
    fstate fs;
    memset(&fs, 0, sizeof fs);
    fs.base = P->sp;
    if (!concat_fstring(P, &fs, str, end, raw, lvl, c)) {
        sb_free(P, &fs.last);
        P->sp = fs.base;
        return NULL;
    }
    return finish(P, &fs, c->st->t, c->st->t, c->u_kind);
}

/* ================================================================ the STRING+ group */

static int plain_piece(pmparser *P, fstate *fs, sbuf *bytes, const strtoken *st) {
    sbuf piece;
    int ok;
    size_t i;
    if (st->bytes) {
        for (i = 0; i < st->len; i++) {
            if ((unsigned char)st->body[i] >= 0x80) {
                pmparse_error_token(P, st->t, "bytes can only contain ASCII literal "
                                    "characters");
                return 0;
            }
        }
        if (st->raw || !memchr(st->body, '\\', st->len))
            return sb_put(P, bytes, st->body, st->len);
        return decode_escapes(P, bytes, st->body, st->len, 1, st->t);
    }
    memset(&piece, 0, sizeof piece);
    if (st->raw || !memchr(st->body, '\\', st->len)) ok = sb_utf8(P, &piece, st->body, st->len);
    else ok = decode_escapes(P, &piece, st->body, st->len, 0, st->t);
    ok = ok && concat_text(P, fs, &piece);
    sb_free(P, &piece);
    return ok;
}

static pmast_node *bytes_node(pmparser *P, sbuf *b, const pmlex_token *first,
                              const pmlex_token *last) {
    pmast_node *n = make_str(P, b, first, last, 0);
    pmpos a, e;
    if (!n) return NULL;
    n->v.Constant.ckind = PMAST_C_BYTES;
    n->v.Constant.maxchar = 0;
    n->v.Constant.nonascii = 0;
    a.line = first->lineno;
    a.col = first->col;
    e.line = last->end_lineno;
    e.col = last->end_col;
    pmparse_unsupported(P, "bytes literal", a, e);
    return n;
}

static pmast_node *concatenate(pmparser *P, size_t first_i, size_t last_i) {
    const pmlex_token *first = &P->toks[first_i - P->base], *last = &P->toks[last_i - P->base];
    fstate fs;
    sbuf bytes;
    fctx c;
    size_t i;
    int bytesmode = 0;
    memset(&fs, 0, sizeof fs);
    memset(&bytes, 0, sizeof bytes);
    fs.base = P->sp;
    c.first = first;
    c.last = last;
    c.u_kind = P->L.buf[first->start] == 'u';
    for (i = first_i; i <= last_i && !P->failed; i++) {
        strtoken st;
        split_token(P, &P->toks[i - P->base], &st);
        if (i != first_i && bytesmode != st.bytes) {
            pmparse_error_last(P, "SyntaxError", "cannot mix bytes and nonbytes literals");
            break;
        }
        bytesmode = st.bytes;
        c.st = &st;
        if (st.fmode) {
            const char *s = st.body;
            if (!concat_fstring(P, &fs, &s, st.body + st.len, st.raw, 0, &c)) break;
        } else if (!plain_piece(P, &fs, &bytes, &st)) {
            break;
        }
    }
    if (P->failed) {
        sb_free(P, &fs.last);
        sb_free(P, &bytes);
        P->sp = fs.base;
        return NULL;
    }
    if (bytesmode) {
        pmast_node *n = bytes_node(P, &bytes, first, last);
        sb_free(P, &bytes);
        sb_free(P, &fs.last);
        return n;
    }
    return finish(P, &fs, first, last, c.u_kind);
}

pmast_node *pmparse_strings(pmparser *P) {
    size_t first = pmparse_mark(P), last = first;
    pmast_node *n;
    int again;
    while (pmparse_is(P, PMTOK_STRING)) {
        last = pmparse_mark(P);
        pmparse_advance(P);
    }
    if (P->failed) return NULL;
    pmparse_tok(P);     /* CPython's STRING+ looks at the next token: errors are placed there */
    if (P->failed) return NULL;
    again = P->toks[first - P->base].strings_done;
    P->strings_again += again;
    n = concatenate(P, first, last);
    P->strings_again -= again;
    if (n) P->toks[first - P->base].strings_done = 1;
    if (P->failed == 1 && !P->from_tokenizer) P->action_error = 1;
    return n;
}
