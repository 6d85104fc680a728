/*
 * parser_error.c -- storing a syntax error and printing it the way CPython 3.11 does.
 *
 * pmparse_format_error follows Python/pythonrun.c (print_exception, print_error_text) of
 * 3.11, which prints an uncaught SyntaxError of `python3 FILE`:
 *   - "  File \"NAME\", line N" unless the error has no location;
 *   - the text with leading spaces/tabs/form feeds stripped, indented by 4;
 *   - a caret line unless the offset points left of the stripped text; the carets run from
 *     offset to end_offset (at least one); subclasses (IndentationError, TabError) always get
 *     one caret; an error spanning lines is highlighted to the end of the first line.
 */
#include "lang/parser_error.h"

#include <stdio.h>
#include <string.h>

#include "lang/ast_arena.h"

void pmparse_verror(pmparse_error *e, pmast_arena *a, const char *type, int lineno,
                    int offset, int end_lineno, int end_offset, const char *text,
                    size_t text_len, const char *fmt, va_list ap) {
    e->type = type;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    e->lineno = lineno;
    e->offset = offset;
    e->end_lineno = end_lineno;
    e->end_offset = end_offset;
    e->text = NULL;
    e->text_len = 0;
    if (text && a) {
        e->text = pmast_arena_strndup(a, text, text_len);
        if (e->text) e->text_len = text_len;
    }
}

void pmparse_seterror(pmparse_error *e, pmast_arena *a, const char *type, int lineno,
                      int offset, int end_lineno, int end_offset, const char *text,
                      size_t text_len, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    pmparse_verror(e, a, type, lineno, offset, end_lineno, end_offset, text, text_len, fmt,
                   ap);
    va_end(ap);
}

/* ---- formatting ---- */

static void put_int(pmast_buf *b, long v) {
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%ld", v);
    pmast_buf_puts(b, tmp);
}

static void put_spaces(pmast_buf *b, long n) {
    while (n-- > 0) pmast_buf_put(b, " ", 1);
}

/* print_error_text of pythonrun.c; text is NUL-free (cut at the first NUL like C). */
static void error_text(pmast_buf *b, long offset, long end_offset, const char *text,
                       size_t n) {
    long carets = (end_offset > 0 && end_offset > offset) ? end_offset - offset : 1;
    long len;
    offset--;
    while (n > 0 && (*text == ' ' || *text == '\t' || *text == '\f')) {
        text++, n--;
        offset--;
    }
    len = (long)n;
    if (len > 0 && text[len - 1] == '\n') len--;
    if (offset > len) offset = len;
    for (;;) {
        const char *nl = memchr(text, '\n', n);
        long inl;
        if (nl == NULL) break;
        inl = (long)(nl - text);
        if (inl >= offset) break;
        inl += 1;
        text += inl, n -= (size_t)inl;
        len -= inl;
        offset -= inl;
    }
    pmast_buf_puts(b, "    ");
    pmast_buf_put(b, text, n);
    if (len < 0 || (size_t)len >= n || text[len] != '\n') pmast_buf_puts(b, "\n");
    if (offset < 0) return;
    pmast_buf_puts(b, "    ");
    put_spaces(b, offset);
    while (carets-- > 0) pmast_buf_put(b, "^", 1);
    pmast_buf_puts(b, "\n");
}

int pmparse_format_error(pmast_buf *out, const pmparse_error *e, const char *filename) {
    const char *type = e->type ? e->type : "SyntaxError";
    int is_syntax = strcmp(type, "SyntaxError") == 0;
    int has_loc = e->lineno > 0 && (is_syntax || strcmp(type, "IndentationError") == 0 ||
                                    strcmp(type, "TabError") == 0);
    if (has_loc) {
        pmast_buf_puts(out, "  File \"");
        pmast_buf_puts(out, filename ? filename : "<string>");
        pmast_buf_puts(out, "\", line ");
        put_int(out, e->lineno);
        pmast_buf_puts(out, "\n");
    }
    if (has_loc && e->text) {
        size_t n = strlen(e->text);      /* C string semantics */
        long end_offset = is_syntax ? e->end_offset : -1;
        long end_lineno = is_syntax ? e->end_lineno : e->lineno;
        if (end_lineno > e->lineno) end_offset = (long)n;
        if (end_offset > (long)n + 1) end_offset = (long)n + 1;
        if (n > e->text_len) n = e->text_len;
        error_text(out, e->offset, end_offset, e->text, n);
    }
    pmast_buf_puts(out, type);
    if (e->msg[0]) {
        pmast_buf_puts(out, ": ");
        pmast_buf_puts(out, e->msg);
    }
    pmast_buf_puts(out, "\n");
    return out->oom ? -1 : 0;
}

/* warnings.py's default filters in a release build of 3.11 without -W options:
 * default::DeprecationWarning:__main__, then ignore:: DeprecationWarning,
 * PendingDeprecationWarning, ImportWarning, ResourceWarning; the rest gets the "default"
 * action (shown; a compile-time warning has no registry, so every one is shown).  The
 * module of a compile-time warning is its file name without ".py" (normalize_module). */
static int shown_by_default(const char *filename, const char *category) {
    size_t n = strlen(filename);
    if (strcmp(category, "DeprecationWarning") == 0) {
        if (n >= 3 && strcmp(filename + n - 3, ".py") == 0) n -= 3;
        return n == 8 && memcmp(filename, "__main__", 8) == 0;
    }
    return strcmp(category, "PendingDeprecationWarning") != 0 &&
           strcmp(category, "ImportWarning") != 0 && strcmp(category, "ResourceWarning") != 0;
}

int pmparse_format_warning(pmast_buf *out, const char *filename, const pmparse_warning *w) {
    size_t n;
    if (!filename) filename = "<string>";
    if (!shown_by_default(filename, w->category)) return out->oom ? -1 : 0;
    pmast_buf_puts(out, filename);
    pmast_buf_puts(out, ":");
    put_int(out, w->lineno);
    pmast_buf_puts(out, ": ");
    pmast_buf_puts(out, w->category);
    pmast_buf_puts(out, ": ");
    pmast_buf_puts(out, w->msg);
    pmast_buf_puts(out, "\n");
    /* linecache.getline gives nothing for "" and "<...>"; a line it finds is never empty
     * (it keeps its "\n"), so even one that strips to nothing is shown */
    n = strlen(filename);
    if (w->line && n > 0 && !(filename[0] == '<' && filename[n - 1] == '>')) {
        pmast_buf_puts(out, "  ");
        pmast_buf_puts(out, w->line);
        pmast_buf_puts(out, "\n");
    }
    return out->oom ? -1 : 0;
}
