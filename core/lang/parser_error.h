/*
 * parser_error.h -- filling a pmparse_error (internal to core/lang).
 */
#ifndef PMPARSE_ERROR_H
#define PMPARSE_ERROR_H

#include <stdarg.h>

#include "lang/ast_arena.h"
#include "lang/parser.h"

/* Set (or replace) *e.  offset/end_offset are final SyntaxError values (1-based characters);
 * lineno 0 means "no location" (CPython prints only the last line).  text/text_len: the
 * SyntaxError.text, copied into the arena (NULL: None). */
void pmparse_verror(pmparse_error *e, pmast_arena *a, const char *type, int lineno,
                    int offset, int end_lineno, int end_offset, const char *text,
                    size_t text_len, const char *fmt, va_list ap);
void pmparse_seterror(pmparse_error *e, pmast_arena *a, const char *type, int lineno,
                      int offset, int end_lineno, int end_offset, const char *text,
                      size_t text_len, const char *fmt, ...);

#endif /* PMPARSE_ERROR_H */
