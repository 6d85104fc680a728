/*
 * fmt.h -- number and string formatting, modelled byte for byte on CPython 3.11.
 *
 * Internal to the core (not part of pymemlab.h).  Pure C11, no global mutable state,
 * no I/O, no locale: every result is computed with our own exact decimal arithmetic,
 * so native (glibc), Emscripten and wasi-libc builds give the same bytes.  The printf
 * family and strtod are never used for numbers.
 *
 * What is here, and the CPython function each part follows:
 *
 *   PmFmtBuf                growable output buffer (_PyUnicodeWriter's role)
 *   pmfmt_float_repr        float_repr()                       Objects/floatobject.c
 *   pmfmt_double_to_string  PyOS_double_to_string()            Python/pystrtod.c
 *   pmfmt_parse_spec        parse_internal_render_format_spec() + the per-type checks
 *                           of format_long/float/string_internal()
 *                                                              Python/formatter_unicode.c
 *   pmfmt_format_int/float/str   format_long/float/string_internal()
 *   pmfmt_round_double      double_round() and float.__round__  Objects/floatobject.c
 *   pmfmt_round_half_even   the ndigits=None branch of float.__round__
 *   pmfmt_parse_float       float(str): PyFloat_FromString() and _Py_dg_strtod()
 *
 * Error protocol.  Functions return a PmFmtStatus.  PMFMT_ERR_SPEC carries a message
 * the caller raises as ValueError; the other codes have fixed meanings listed at the
 * enum.  A buffer that hits its limit or cannot grow is marked `failed`; every
 * function that writes to it then returns PMFMT_ERR_MEMORY (the caller raises
 * MemoryError, or its own output-limit error when failed == PMFMT_FAIL_LIMIT).
 *
 * Typical caller of format(obj, spec) / f'{obj:spec}':
 *
 *     if (spec_len == 0) -> str(obj)                    (bool: 'True'/'False')
 *     st = pmfmt_parse_spec(spec, spec_len, KIND, Py_TYPE(obj)->tp_name, &s, &err);
 *     if (st) raise ValueError(err.data)
 *     int:   b = pmfmt_int_base(&s);
 *            b > 0  : digits of |v| in base b -> pmfmt_format_int(d, n, v < 0, &s, out)
 *            b == 0 : x = float(v) (may raise OverflowError "int too large to convert
 *                     to float") -> pmfmt_format_float(x, &s, out)
 *            b == -1: 'c'.  v must fit a C long, else OverflowError("Python int too
 *                     large to convert to C long"); 0 <= v <= 0x10ffff, else
 *                     OverflowError(PMFMT_MSG_C_RANGE); pass the UTF-8 encoding of
 *                     chr(v) as digits (negative = 0) to pmfmt_format_int.
 *     float: pmfmt_format_float(x, &s, out)   (may return PMFMT_ERR_PRECISION)
 *     str:   pmfmt_format_str(utf8, nbytes, ncodepoints, &s, out)
 *     bool:  exactly the int path with type name "bool" (empty spec gives str(obj)).
 *
 * Ownership: a PmFmtBuf owns `data`; nothing else here allocates except temporaries
 * that are freed before returning.
 */
#ifndef PYMEMLAB_FMT_H
#define PYMEMLAB_FMT_H

#include <stddef.h>
#include <stdint.h>

/* ---- status codes ---------------------------------------------------------------- */

typedef enum PmFmtStatus {
    PMFMT_OK = 0,
    PMFMT_ERR_SPEC = 1,      /* ValueError; the message is in the `err` buffer */
    PMFMT_ERR_PRECISION = 2, /* ValueError("precision too big") from pmfmt_format_float */
    PMFMT_ERR_OVERFLOW = 3,  /* OverflowError("rounded value too large to represent") */
    PMFMT_ERR_PARSE = 4,     /* ValueError("could not convert string to float: %R") --
                                the caller formats it with repr() of its str object */
    PMFMT_ERR_MEMORY = 5     /* an output buffer failed (see PmFmtBuf.failed) or a
                                temporary could not be allocated */
} PmFmtStatus;

/* Fixed messages, for the caller's exceptions. */
#define PMFMT_MSG_PRECISION "precision too big"
#define PMFMT_MSG_ROUND_OVERFLOW "rounded value too large to represent"
#define PMFMT_MSG_C_RANGE "%c arg not in range(0x110000)"
#define PMFMT_MSG_PARSE_PREFIX "could not convert string to float: "

/* The fixed message of a status (PMFMT_ERR_PRECISION, _OVERFLOW, _PARSE prefix,
 * _MEMORY), or "" for PMFMT_OK / PMFMT_ERR_SPEC. */
const char *pmfmt_status_message(int status);

/* ---- output buffer ---------------------------------------------------------------- */

/* realloc-like hook: size 0 frees `ptr` and returns NULL. */
typedef void *(*PmFmtReallocFn)(void *ctx, void *ptr, size_t size);

enum { PMFMT_FAIL_NONE = 0, PMFMT_FAIL_NOMEM = 1, PMFMT_FAIL_LIMIT = 2 };

/*
 * Invariant: len <= limit; data == NULL iff cap == 0; when data != NULL, len < cap and
 * data[len] == '\0' (so data is always a C string, though it may contain NULs).
 * Once `failed` is non-zero every append is ignored until pmfmt_buf_reset().
 */
typedef struct PmFmtBuf {
    char *data;
    size_t len, cap;
    int failed;              /* PMFMT_FAIL_* */
    size_t limit;            /* most bytes `len` may reach */
    PmFmtReallocFn realloc_fn; /* NULL: the C library's realloc/free */
    void *alloc_ctx;
} PmFmtBuf;

/* limit 0 means "no limit" (SIZE_MAX / 2). realloc_fn may be NULL. */
void pmfmt_buf_init(PmFmtBuf *b, size_t limit, PmFmtReallocFn realloc_fn, void *ctx);
void pmfmt_buf_free(PmFmtBuf *b);              /* frees data; the buffer stays usable */
void pmfmt_buf_reset(PmFmtBuf *b);             /* len = 0, failed = 0, keeps memory */
int pmfmt_buf_append(PmFmtBuf *b, const char *s, size_t n); /* 0 ok, -1 failed */
int pmfmt_buf_putc(PmFmtBuf *b, char c);
/* `count` copies of the `unit_len` bytes at `unit`. */
int pmfmt_buf_fill(PmFmtBuf *b, const char *unit, size_t unit_len, uint64_t count);
/* Checks the debug invariant above; returns 1 when it holds. */
int pmfmt_buf_check(const PmFmtBuf *b);

/* ---- float -> text ----------------------------------------------------------------- */

/* repr(x) == str(x) == format(x, ''). */
int pmfmt_float_repr(double x, PmFmtBuf *out);

/* PyOS_double_to_string(): code is one of e E f F g G r (r ignores precision); any
 * other code returns PMFMT_ERR_SPEC with nothing written.  The printf-style '%'
 * operator calls it as pmfmt_double_to_string(x, c, prec < 0 ? 6 : prec,
 * alt ? PMFMT_DTSF_ALT : 0, out) and lays out sign and width itself; %r and %s use
 * pmfmt_float_repr. */
enum {
    PMFMT_DTSF_SIGN = 0x01,     /* always add the sign */
    PMFMT_DTSF_ADD_DOT_0 = 0x02,/* '.0' on integers in non-exponential form */
    PMFMT_DTSF_ALT = 0x04,      /* '#' alternate form */
    PMFMT_DTSF_NO_NEG_0 = 0x08  /* 'z': negative zero (after rounding) prints as 0 */
};
int pmfmt_double_to_string(double x, char code, int64_t precision, int flags, PmFmtBuf *out);

/* ---- format-spec mini-language --------------------------------------------------- */

typedef enum PmFmtKind { PMFMT_INT = 1, PMFMT_FLOAT = 2, PMFMT_STR = 3 } PmFmtKind;

typedef struct PmFmtSpec {
    uint32_t fill;           /* fill code point, default ' ' */
    char fill_utf8[4];       /* its UTF-8 encoding ... */
    unsigned char fill_len;  /* ... and length */
    char align;              /* '<' '>' '=' '^' (defaults: '<' for str, '>' otherwise) */
    char sign;               /* 0, '+', '-' or ' ' */
    unsigned char no_neg_0;  /* 'z' */
    unsigned char alternate; /* '#' */
    char grouping;           /* 0, ',' or '_' */
    unsigned char group4;    /* '_' with b/o/x/X: groups of four digits */
    int64_t width;           /* -1 when absent */
    int64_t precision;       /* -1 when absent */
    uint32_t type;           /* presentation type (default 'd', 0 for float, 's') */
    PmFmtKind kind;
} PmFmtSpec;

/* Parse `spec` (UTF-8, `len` bytes) for an object of the given kind whose
 * type(obj).__name__ is `type_name` ("int", "bool", "float", "str", "MyInt", ...).
 * Runs every check CPython makes before looking at the value, in CPython's order,
 * so a later pmfmt_format_* call can only fail for memory (or, for float, precision
 * too big).  On PMFMT_ERR_SPEC, `err` (reset first) holds the ValueError message. */
int pmfmt_parse_spec(const char *spec, size_t len, PmFmtKind kind, const char *type_name,
                     PmFmtSpec *out, PmFmtBuf *err);

/* For a parsed PMFMT_INT spec: 10 for d, n; 2 b; 8 o; 16 x, X; 0 when the int must be
 * converted to float and given to pmfmt_format_float (e E f F g G %); -1 for 'c'. */
int pmfmt_int_base(const PmFmtSpec *spec);

/* Appends format(v, spec) for an int v.  `digits` are |v| in pmfmt_int_base(spec)
 * (no sign, no prefix, no leading zeros except "0" itself; hex in either case), or,
 * for 'c', the UTF-8 encoding of the one character. */
int pmfmt_format_int(const char *digits, size_t ndigits, int negative,
                     const PmFmtSpec *spec, PmFmtBuf *out);

/* Appends format(x, spec) for a float (also the float presentation types of int). */
int pmfmt_format_float(double x, const PmFmtSpec *spec, PmFmtBuf *out);

/* Appends format(s, spec) for a str given as UTF-8 with its code point count. */
int pmfmt_format_str(const char *utf8, size_t nbytes, size_t ncodepoints,
                     const PmFmtSpec *spec, PmFmtBuf *out);

/* ---- rounding --------------------------------------------------------------------- */

/* round(x, ndigits) for a float x; the caller clamps a Python int ndigits into the int
 * range (any |ndigits| > 400 behaves the same).  Infinities, nan and zeros are returned
 * unchanged.  Returns PMFMT_ERR_OVERFLOW when the rounded value is too large. */
int pmfmt_round_double(double x, int ndigits, double *result);

/* round(x) before the int conversion: the nearest integer, ties to even.  The caller
 * then raises OverflowError("cannot convert float infinity to integer") or
 * ValueError("cannot convert float NaN to integer") as int(x) would. */
double pmfmt_round_half_even(double x);

/* ---- text -> float ------------------------------------------------------------------ */

/* float(s) for a str given as UTF-8: surrounding whitespace (Unicode whitespace too),
 * sign, digits (any Unicode decimal digits) with single '_' between digits, '.',
 * exponent, inf/infinity/nan in any case.  Correctly rounded, overflow gives +-inf,
 * "-0" gives -0.0, "-nan" a nan with the sign bit set.  Returns PMFMT_OK or
 * PMFMT_ERR_PARSE, never allocates; on PMFMT_ERR_PARSE the caller raises
 * ValueError(PMFMT_MSG_PARSE_PREFIX + repr(s)) with its own str repr.
 * float(n) of a Python int is correctly rounded in the same way, so the int type may
 * pass n's decimal digits here; an infinite result then means OverflowError("int too
 * large to convert to float"). */
int pmfmt_parse_float(const char *s, size_t len, double *out);

#endif /* PYMEMLAB_FMT_H */
