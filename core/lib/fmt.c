/*
 * fmt.c -- number and string formatting, byte for byte as CPython 3.11 (see fmt.h).
 *
 * Layers, bottom up:
 *
 *   buffer        PmFmtBuf: growable, limited, `failed` instead of crashing
 *   unicode       UTF-8 decoding, Unicode 14.0 decimal digits and whitespace
 *   exact decimal Big (base 1e9 bignum) -> Dec: the exact decimal expansion of
 *                 N * 2^k.  Every double is such a number, and so is every midpoint
 *                 between two neighbouring doubles, so comparing Decs decides all
 *                 rounding questions exactly without libc's printf or strtod.
 *   dtoa          digits of a double in David Gay's three modes, as CPython uses them:
 *                 0 shortest round-trip, 2 n significant digits, 3 n digits after the
 *                 point; correctly rounded, ties to even.
 *   strtod        decimal -> double, correctly rounded: a floating approximation, then
 *                 exact comparisons with the midpoints of its neighbours.
 *   layout        format_float_short() of Python/pystrtod.c over the dtoa digits.
 *   spec          the format-spec mini-language of Python/formatter_unicode.c.
 *   number        calc_number_widths() / fill_number() / thousands grouping.
 *
 * No function keeps state between calls; the only tables are const.
 */
#include "fmt.h"

#include <float.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* ==================================================================================
 * buffer
 * ================================================================================== */

#define NO_LIMIT (SIZE_MAX / 2)

void pmfmt_buf_init(PmFmtBuf *b, size_t limit, PmFmtReallocFn realloc_fn, void *ctx)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = PMFMT_FAIL_NONE;
    b->limit = (limit == 0 || limit > NO_LIMIT) ? NO_LIMIT : limit;
    b->realloc_fn = realloc_fn;
    b->alloc_ctx = ctx;
}

static void *buf_realloc(PmFmtBuf *b, void *p, size_t n)
{
    if (b->realloc_fn)
        return b->realloc_fn(b->alloc_ctx, p, n);
    if (n == 0) {
        free(p);
        return NULL;
    }
    return realloc(p, n);
}

void pmfmt_buf_free(PmFmtBuf *b)
{
    if (b->data)
        buf_realloc(b, b->data, 0);
    b->data = NULL;
    b->len = b->cap = 0;
}

void pmfmt_buf_reset(PmFmtBuf *b)
{
    b->len = 0;
    b->failed = PMFMT_FAIL_NONE;
    if (b->data)
        b->data[0] = '\0';
}

/* Room for n more bytes after len (plus the NUL); NULL once failed. len is unchanged:
 * the caller writes and then calls buf_commit(). */
static char *buf_room(PmFmtBuf *b, size_t n)
{
    size_t need, cap;
    char *p;

    if (b->failed)
        return NULL;
    if (n > b->limit - b->len) {
        b->failed = PMFMT_FAIL_LIMIT;
        return NULL;
    }
    need = b->len + n + 1;          /* cannot overflow: limit <= SIZE_MAX / 2 */
    if (need > b->cap) {
        cap = b->cap ? b->cap : 32;
        while (cap < need)
            cap *= 2;
        p = buf_realloc(b, b->data, cap);
        if (p == NULL) {
            b->failed = PMFMT_FAIL_NOMEM;
            return NULL;
        }
        b->data = p;
        b->cap = cap;
    }
    return b->data + b->len;
}

static void buf_commit(PmFmtBuf *b, size_t n)
{
    b->len += n;
    b->data[b->len] = '\0';
}

int pmfmt_buf_append(PmFmtBuf *b, const char *s, size_t n)
{
    char *p = buf_room(b, n);
    if (p == NULL)
        return -1;
    if (n)
        memcpy(p, s, n);
    buf_commit(b, n);
    return 0;
}

int pmfmt_buf_putc(PmFmtBuf *b, char c)
{
    return pmfmt_buf_append(b, &c, 1);
}

int pmfmt_buf_fill(PmFmtBuf *b, const char *unit, size_t unit_len, uint64_t count)
{
    char *p;
    size_t i, total;

    if (b->failed)
        return -1;
    if (count == 0 || unit_len == 0)
        return 0;
    if (count > (uint64_t)((b->limit - b->len) / unit_len)) {
        b->failed = PMFMT_FAIL_LIMIT;
        return -1;
    }
    total = (size_t)count * unit_len;
    p = buf_room(b, total);
    if (p == NULL)
        return -1;
    if (unit_len == 1)
        memset(p, unit[0], total);
    else
        for (i = 0; i < total; i += unit_len)
            memcpy(p + i, unit, unit_len);
    buf_commit(b, total);
    return 0;
}

static int buf_puts(PmFmtBuf *b, const char *s)
{
    return pmfmt_buf_append(b, s, strlen(s));
}

static int buf_zeros(PmFmtBuf *b, int64_t n)
{
    return n > 0 ? pmfmt_buf_fill(b, "0", 1, (uint64_t)n) : 0;
}

int pmfmt_buf_check(const PmFmtBuf *b)
{
    if ((b->data == NULL) != (b->cap == 0))
        return 0;
    if (b->len > b->limit || b->limit > NO_LIMIT)
        return 0;
    if (b->data && (b->len >= b->cap || b->data[b->len] != '\0'))
        return 0;
    if (b->data == NULL && b->len != 0)
        return 0;
    return b->failed == PMFMT_FAIL_NONE || b->failed == PMFMT_FAIL_NOMEM ||
           b->failed == PMFMT_FAIL_LIMIT;
}

const char *pmfmt_status_message(int status)
{
    switch (status) {
    case PMFMT_ERR_PRECISION: return PMFMT_MSG_PRECISION;
    case PMFMT_ERR_OVERFLOW: return PMFMT_MSG_ROUND_OVERFLOW;
    case PMFMT_ERR_PARSE: return PMFMT_MSG_PARSE_PREFIX;
    case PMFMT_ERR_MEMORY: return "out of memory";
    default: return "";
    }
}

/* ==================================================================================
 * unicode
 * ================================================================================== */

/* Decode the code point at s[0..n), n >= 1; returns its byte length.  A malformed
 * byte decodes as itself with length 1 (the core's strings are valid UTF-8). */
static size_t utf8_decode(const char *str, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t len, i;
    uint32_t c = s[0];

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c < 0xe0) {
        len = 2;
        c &= 0x1f;
    } else if (c >= 0xe0 && c < 0xf0) {
        len = 3;
        c &= 0x0f;
    } else if (c >= 0xf0 && c < 0xf5) {
        len = 4;
        c &= 0x07;
    } else {
        *cp = c;
        return 1;
    }
    if (len > n) {
        *cp = s[0];
        return 1;
    }
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *cp = s[0];
            return 1;
        }
        c = (c << 6) | (s[i] & 0x3f);
    }
    *cp = c;
    return len;
}

static size_t utf8_count(const char *s, size_t n)
{
    size_t i = 0, count = 0;
    uint32_t cp;
    while (i < n) {
        i += utf8_decode(s + i, n - i, &cp);
        count++;
    }
    return count;
}

/* First code point of each run of ten Unicode 14.0 decimal digits (category Nd), as
 * listed by unicodedata.decimal() of CPython 3.11.  Py_UNICODE_TODECIMAL. */
static const uint32_t decimal_starts[] = {
    0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66,
    0xce6, 0xd66, 0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810,
    0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620,
    0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10, 0x104a0, 0x10d30,
    0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650,
    0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60,
    0x16ac0, 0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140,
    0x1e2f0, 0x1e950, 0x1fbf0,
};

static int unicode_decimal(uint32_t c)
{
    size_t lo = 0, hi = sizeof decimal_starts / sizeof decimal_starts[0];
    while (lo < hi) {                    /* last start <= c */
        size_t mid = (lo + hi) / 2;
        if (decimal_starts[mid] <= c)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || c - decimal_starts[lo - 1] >= 10)
        return -1;
    return (int)(c - decimal_starts[lo - 1]);
}

/* Py_UNICODE_ISSPACE for c >= 127 (str.isspace()). */
static int unicode_space(uint32_t c)
{
    return c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
           c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

/* ==================================================================================
 * exact decimal
 * ================================================================================== */

/*
 * A Dec is a non-negative decimal 0.d[0]d[1]...d[n-1] * 10^decpt (dtoa's convention:
 * decpt is where the decimal point goes in the digit string).  Normalized: d[0] and
 * d[n-1] are not '0'; n == 0 means the value 0.  The one exception is dtoa's zero,
 * "0" with decpt 1, which only the layout code sees.
 *
 * Sizes: we expand N * 2^k with N < 2^56 and -1077 <= k <= 971.  For k < 0 that is
 * N * 5^-k / 10^-k with at most 16.9 + 1077 * 0.699 < 770 digits; for k >= 0 it is
 * below 2^1027, 310 digits.
 */
#define DEC_MAX 800
#define BIG_LIMBS 90
#define BIG_BASE 1000000000u

typedef struct Dec {
    char d[DEC_MAX];
    int n;
    int decpt;
} Dec;

typedef struct Big {            /* base 1e9, least significant limb first, n >= 1 */
    uint32_t w[BIG_LIMBS];
    int n;
} Big;

_Static_assert(BIG_LIMBS * 9 >= DEC_MAX - 9, "Big and Dec sizes agree");

static void big_mul(Big *b, uint32_t m)      /* m < 2^32 */
{
    uint64_t carry = 0;
    int i;
    for (i = 0; i < b->n; i++) {
        uint64_t t = (uint64_t)b->w[i] * m + carry;
        b->w[i] = (uint32_t)(t % BIG_BASE);
        carry = t / BIG_BASE;
    }
    while (carry) {
        b->w[b->n++] = (uint32_t)(carry % BIG_BASE);
        carry /= BIG_BASE;
    }
}

/* out = exact decimal expansion of N * 2^k, N > 0. */
static void dec_exact(uint64_t N, int k, Dec *out)
{
    static const uint32_t pow5[13] = {1, 5, 25, 125, 625, 3125, 15625, 78125, 390625,
                                      1953125, 9765625, 48828125, 244140625};
    Big b;
    int e10 = 0, i, j;
    char *p = out->d;

    b.n = 0;
    while (N) {
        b.w[b.n++] = (uint32_t)(N % BIG_BASE);
        N /= BIG_BASE;
    }
    if (k >= 0) {
        for (; k >= 31; k -= 31)
            big_mul(&b, UINT32_C(1) << 31);
        if (k)
            big_mul(&b, UINT32_C(1) << k);
    } else {
        e10 = k;
        for (j = -k; j >= 13; j -= 13)
            big_mul(&b, 1220703125u);              /* 5^13 */
        if (j)
            big_mul(&b, pow5[j]);
    }
    /* most significant limb without leading zeros, then 9 digits per limb */
    {
        uint32_t top = b.w[b.n - 1];
        char tmp[10];
        int t = 0;
        while (top) {
            tmp[t++] = (char)('0' + top % 10);
            top /= 10;
        }
        while (t)
            *p++ = tmp[--t];
    }
    for (i = b.n - 2; i >= 0; i--) {
        uint32_t w = b.w[i];
        for (j = 8; j >= 0; j--) {
            p[j] = (char)('0' + w % 10);
            w /= 10;
        }
        p += 9;
    }
    out->n = (int)(p - out->d);
    out->decpt = out->n + e10;
    while (out->n > 0 && out->d[out->n - 1] == '0')
        out->n--;
}

/* Compare two normalized decimals given as digit strings (no leading or trailing
 * zeros, n >= 1) and decimal point positions. */
static int digits_cmp(const char *a, size_t na, int64_t pa, const char *b, size_t nb,
                      int64_t pb)
{
    size_t i, n = na < nb ? na : nb;
    if (pa != pb)
        return pa < pb ? -1 : 1;
    for (i = 0; i < n; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return na == nb ? 0 : (na < nb ? -1 : 1);
}

/* Round to the first `keep` digits (keep may be <= 0), half to even; normalizes. */
static void dec_round(Dec *d, int64_t keep)
{
    int up, i;
    char r;

    if (keep >= d->n)
        return;
    if (keep < 0) {
        d->n = 0;
        return;
    }
    r = d->d[keep];
    if (r != '5')
        up = r > '5';
    else if (keep + 1 < d->n)               /* a non-zero digit follows the 5 */
        up = 1;
    else                                    /* exact tie: to even */
        up = keep > 0 && ((d->d[keep - 1] - '0') & 1);
    d->n = (int)keep;
    if (up) {
        for (i = d->n - 1; i >= 0 && d->d[i] == '9'; i--)
            ;
        if (i < 0) {
            d->d[0] = '1';
            d->n = 1;
            d->decpt++;
        } else {
            d->d[i]++;
            d->n = i + 1;
        }
    }
    while (d->n > 0 && d->d[d->n - 1] == '0')
        d->n--;
}

/* ==================================================================================
 * doubles as bits
 * ================================================================================== */

#define HIDDEN_BIT (UINT64_C(1) << 52)
#define SIGN_BIT (UINT64_C(1) << 63)

static uint64_t dbl_bits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static double bits_dbl(uint64_t u)
{
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

static int dbl_is_nan(double x)
{
    return (dbl_bits(x) & ~SIGN_BIT) > UINT64_C(0x7ff0000000000000);
}

static int dbl_is_finite(double x)
{
    return (dbl_bits(x) & UINT64_C(0x7ff0000000000000)) != UINT64_C(0x7ff0000000000000);
}

static double dbl_abs(double x)
{
    return bits_dbl(dbl_bits(x) & ~SIGN_BIT);
}

/* |x| = m * 2^e for finite non-zero x; returns the biased exponent (0: subnormal). */
static int dbl_decompose(double x, uint64_t *m, int *e)
{
    uint64_t u = dbl_bits(x) & ~SIGN_BIT;
    int be = (int)(u >> 52);
    uint64_t frac = u & (HIDDEN_BIT - 1);
    if (be == 0) {
        *m = frac;
        *e = -1074;
    } else {
        *m = frac | HIDDEN_BIT;
        *e = be - 1075;
    }
    return be;
}

/* Exact midpoints between x = m * 2^e (x > 0 finite) and its neighbours. */
static void mid_above(uint64_t m, int e, Dec *out)
{
    dec_exact(2 * m + 1, e - 1, out);
}

static void mid_below(uint64_t m, int e, int be, Dec *out)
{
    if (m == HIDDEN_BIT && be > 1)          /* the gap below a power of two is half */
        dec_exact(4 * m - 1, e - 2, out);
    else
        dec_exact(2 * m - 1, e - 1, out);
}

/* ==================================================================================
 * dtoa: digits of a double
 * ================================================================================== */

/* Shortest digits that read back as x (x > 0 finite), nearest to x among them, as
 * _Py_dg_dtoa mode 0: an end point of the rounding interval is allowed when the
 * mantissa is even, because strtod rounds half to even. */
static void dtoa_shortest(double x, Dec *out)
{
    uint64_t m;
    int e, be, p, i, even, lo_ok, hi_ok, hi_decpt, take_hi;
    Dec lo_b, hi_b;
    char hi[DEC_MAX];
    int hi_n;

    be = dbl_decompose(x, &m, &e);
    dec_exact(m, e, out);
    mid_below(m, e, be, &lo_b);
    mid_above(m, e, &hi_b);
    even = !(m & 1);

    for (p = 1; p < out->n; p++) {
        /* lo = first p digits (truncation), hi = lo + one unit in the last place */
        int lo_n = p;
        while (out->d[lo_n - 1] == '0')
            lo_n--;
        i = digits_cmp(out->d, (size_t)lo_n, out->decpt, lo_b.d, (size_t)lo_b.n,
                       lo_b.decpt);
        lo_ok = i > 0 || (i == 0 && even);

        memcpy(hi, out->d, (size_t)p);
        for (i = p - 1; i >= 0 && hi[i] == '9'; i--)
            ;
        if (i < 0) {
            hi[0] = '1';
            hi_n = 1;
            hi_decpt = out->decpt + 1;
        } else {
            hi[i]++;
            hi_n = i + 1;
            hi_decpt = out->decpt;
        }
        i = digits_cmp(hi, (size_t)hi_n, hi_decpt, hi_b.d, (size_t)hi_b.n, hi_b.decpt);
        hi_ok = i < 0 || (i == 0 && even);

        if (!lo_ok && !hi_ok)
            continue;
        if (lo_ok && hi_ok) {   /* the nearer one; on a tie the even last digit */
            char r = out->d[p];
            if (r != '5')
                take_hi = r > '5';
            else if (p + 1 < out->n)
                take_hi = 1;
            else
                take_hi = (out->d[p - 1] - '0') & 1;
        } else {
            take_hi = hi_ok;
        }
        if (take_hi) {
            memcpy(out->d, hi, (size_t)hi_n);
            out->n = hi_n;
            out->decpt = hi_decpt;
        } else {
            out->n = lo_n;
        }
        return;
    }
    /* p == n: the exact expansion itself */
}

/* Digits of |x| (finite) as _Py_dg_dtoa(x, mode, nd): mode 0 shortest, 2 max(1, nd)
 * significant digits, 3 nd digits after the point.  Zero gives "0" with decpt 1; in
 * mode 3 a value that rounds to zero gives no digits with decpt -nd. */
static void dtoa(double x, int mode, int64_t nd, Dec *out)
{
    x = dbl_abs(x);
    if (x == 0.0) {
        out->d[0] = '0';
        out->n = 1;
        out->decpt = 1;
        return;
    }
    if (mode == 0) {
        dtoa_shortest(x, out);
        return;
    }
    {
        uint64_t m;
        int e;
        dbl_decompose(x, &m, &e);
        dec_exact(m, e, out);
    }
    if (mode == 2) {
        dec_round(out, nd < 1 ? 1 : nd);
    } else {
        dec_round(out, out->decpt + nd);
        if (out->n == 0)
            out->decpt = (int)-nd;          /* only when nd <= -decpt, so it fits */
    }
}

/* ==================================================================================
 * strtod: decimal -> double
 * ================================================================================== */

static double scale10(double v, int64_t e)
{
    static const double p10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    if (e >= 0) {
        for (; e > 22; e -= 22)
            v *= 1e22;
        return v * p10[e];
    }
    for (e = -e; e > 22; e -= 22)
        v /= 1e22;
    return v / p10[e];
}

/* The double nearest to 0.d[0..n) * 10^decpt, ties to even; d normalized, n >= 1.
 * Returns +inf on overflow. */
static double dec_to_double(const char *d, size_t n, int64_t decpt)
{
    uint64_t u = 0, m;
    size_t i, k;
    double a;
    int e, be, c;
    Dec mid;

    if (decpt > 310)
        return bits_dbl(UINT64_C(0x7ff0000000000000));
    if (decpt < -324)                       /* below 1e-325 < 2^-1075 */
        return 0.0;

    /* An approximation within a few units in the last place ... */
    k = n < 19 ? n : 19;
    for (i = 0; i < k; i++)
        u = u * 10 + (uint64_t)(d[i] - '0');
    a = scale10((double)u, decpt - (int64_t)k);
    if (!(a >= bits_dbl(1)))
        a = bits_dbl(1);
    if (!(a <= DBL_MAX))
        a = DBL_MAX;

    /* ... then walk to the right double using exact midpoints. */
    for (;;) {
        be = dbl_decompose(a, &m, &e);
        mid_above(m, e, &mid);
        c = digits_cmp(d, n, decpt, mid.d, (size_t)mid.n, mid.decpt);
        if (c > 0 || (c == 0 && (m & 1))) {
            a = bits_dbl(dbl_bits(a) + 1);  /* DBL_MAX + 1 ulp is inf */
            if (!dbl_is_finite(a))
                return a;
            continue;
        }
        mid_below(m, e, be, &mid);
        c = digits_cmp(d, n, decpt, mid.d, (size_t)mid.n, mid.decpt);
        if (c < 0 || (c == 0 && (m & 1))) {
            a = bits_dbl(dbl_bits(a) - 1);
            if (a == 0.0)
                return a;
            continue;
        }
        return a;
    }
}

/* ==================================================================================
 * layout: PyOS_double_to_string / format_float_short
 * ================================================================================== */

static int put_exponent(PmFmtBuf *out, char e_char, int64_t exp)
{
    char tmp[24];
    int t = 0;
    uint64_t a = exp < 0 ? (uint64_t)-exp : (uint64_t)exp;
    pmfmt_buf_putc(out, e_char);
    pmfmt_buf_putc(out, exp < 0 ? '-' : '+');      /* "%+.02d" */
    do {
        tmp[t++] = (char)('0' + a % 10);
        a /= 10;
    } while (a);
    if (t < 2)
        tmp[t++] = '0';
    while (t)
        pmfmt_buf_putc(out, tmp[--t]);
    return 0;
}

int pmfmt_double_to_string(double val, char code, int64_t precision, int flags,
                           PmFmtBuf *out)
{
    int upper = 0, mode, use_exp = 0, neg;
    int alt = (flags & PMFMT_DTSF_ALT) != 0;
    int add_dot_0 = (flags & PMFMT_DTSF_ADD_DOT_0) != 0;
    int64_t decpt, digits_len, vdigits_start, vdigits_end, exp = 0;
    Dec D;

    switch (code) {
    case 'E': upper = 1; code = 'e'; /* fall through */
    case 'e': mode = 2; precision++; break;
    case 'F': upper = 1; code = 'f'; /* fall through */
    case 'f': mode = 3; break;
    case 'G': upper = 1; code = 'g'; /* fall through */
    case 'g':
        mode = 2;
        if (precision == 0)             /* precision 0 makes no sense for 'g' */
            precision = 1;
        break;
    case 'r': mode = 0; precision = 0; break;
    default: return PMFMT_ERR_SPEC;
    }
    if (precision < 0)
        precision = 0;

    neg = (dbl_bits(val) & SIGN_BIT) != 0;
    if (!dbl_is_finite(val)) {
        int nan = dbl_is_nan(val);
        if (nan)
            neg = 0;                    /* the sign of a nan is ignored */
        if (neg)
            pmfmt_buf_putc(out, '-');
        else if (flags & PMFMT_DTSF_SIGN)
            pmfmt_buf_putc(out, '+');
        buf_puts(out, nan ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf"));
        return out->failed ? PMFMT_ERR_MEMORY : PMFMT_OK;
    }

    dtoa(val, mode, precision, &D);
    decpt = D.decpt;
    digits_len = D.n;
    if ((flags & PMFMT_DTSF_NO_NEG_0) && neg &&
        (digits_len == 0 || (digits_len == 1 && D.d[0] == '0')))
        neg = 0;

    /* Output the slice vdigits[vdigits_start:vdigits_end] of the digits padded with
     * zeros on both sides, with the decimal point at decpt. */
    vdigits_end = digits_len;
    switch (code) {
    case 'e':
        use_exp = 1;
        vdigits_end = precision;
        break;
    case 'f':
        vdigits_end = decpt + precision;
        break;
    case 'g':
        if (decpt <= -4 || decpt > (add_dot_0 ? precision - 1 : precision))
            use_exp = 1;
        if (alt)
            vdigits_end = precision;
        break;
    case 'r':
        /* exponential from 1e16 on */
        if (decpt <= -4 || decpt > 16)
            use_exp = 1;
        break;
    }
    if (use_exp) {
        exp = decpt - 1;
        decpt = 1;
    }
    vdigits_start = decpt <= 0 ? decpt - 1 : 0;
    if (!use_exp && add_dot_0)
        vdigits_end = vdigits_end > decpt ? vdigits_end : decpt + 1;
    else
        vdigits_end = vdigits_end > decpt ? vdigits_end : decpt;

    if (neg)
        pmfmt_buf_putc(out, '-');
    else if (flags & PMFMT_DTSF_SIGN)
        pmfmt_buf_putc(out, '+');

    /* exactly one of the three places gets the decimal point */
    if (decpt <= 0) {
        buf_zeros(out, decpt - vdigits_start);
        pmfmt_buf_putc(out, '.');
        buf_zeros(out, -decpt);
    } else {
        buf_zeros(out, -vdigits_start);
    }
    if (0 < decpt && decpt <= digits_len) {
        pmfmt_buf_append(out, D.d, (size_t)decpt);
        pmfmt_buf_putc(out, '.');
        pmfmt_buf_append(out, D.d + decpt, (size_t)(digits_len - decpt));
    } else {
        pmfmt_buf_append(out, D.d, (size_t)digits_len);
    }
    if (digits_len < decpt) {
        buf_zeros(out, decpt - digits_len);
        pmfmt_buf_putc(out, '.');
        buf_zeros(out, vdigits_end - decpt);
    } else {
        buf_zeros(out, vdigits_end - digits_len);
    }
    if (!out->failed && out->data[out->len - 1] == '.' && !alt)
        out->data[--out->len] = '\0';
    if (use_exp)
        put_exponent(out, upper ? 'E' : 'e', exp);
    return out->failed ? PMFMT_ERR_MEMORY : PMFMT_OK;
}

int pmfmt_float_repr(double x, PmFmtBuf *out)
{
    return pmfmt_double_to_string(x, 'r', 0, PMFMT_DTSF_ADD_DOT_0, out);
}

/* ==================================================================================
 * rounding
 * ================================================================================== */

/* Extreme ndigits: beyond these x rounds to itself or to +-0.0 (floatobject.c). */
#define NDIGITS_MAX ((int)((DBL_MANT_DIG - DBL_MIN_EXP) * 0.30103))  /* 323 */
#define NDIGITS_MIN (-(int)((DBL_MAX_EXP + 1) * 0.30103))          /* -308 */

int pmfmt_round_double(double x, int ndigits, double *result)
{
    Dec D;
    double r;
    int neg = (dbl_bits(x) & SIGN_BIT) != 0;

    if (!dbl_is_finite(x) || ndigits > NDIGITS_MAX) {
        *result = x;
        return PMFMT_OK;
    }
    if (ndigits < NDIGITS_MIN) {
        *result = neg ? -0.0 : 0.0;
        return PMFMT_OK;
    }
    /* double_round(): correctly rounded decimal string, read back */
    dtoa(x, 3, ndigits, &D);
    if (D.n == 0 || D.d[0] == '0')
        r = 0.0;
    else
        r = dec_to_double(D.d, (size_t)D.n, D.decpt);
    if (!dbl_is_finite(r))
        return PMFMT_ERR_OVERFLOW;
    *result = neg ? -r : r;
    return PMFMT_OK;
}

double pmfmt_round_half_even(double x)
{
    double t, f, r;
    if (!(dbl_abs(x) < 4503599627370496.0))    /* >= 2^52: integral; or nan, inf */
        return x;
    t = (double)(int64_t)x;                     /* truncation, exact */
    f = x - t;                                  /* exact */
    if (f > 0.5 || (f == 0.5 && ((int64_t)t & 1)))
        r = t + 1.0;
    else if (f < -0.5 || (f == -0.5 && ((int64_t)t & 1)))
        r = t - 1.0;
    else
        r = t;
    if (r == 0.0)                               /* keep the sign, as C round() */
        r = (dbl_bits(x) & SIGN_BIT) ? -0.0 : 0.0;
    return r;
}

/* ==================================================================================
 * float(str)
 * ================================================================================== */

static int ascii_space(char c)                 /* Py_ISSPACE */
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * float(str) in one pass over the UTF-8 text, without a copy.  Each code point is
 * first mapped as _PyUnicode_TransformDecimalAndSpaceToASCII does (Unicode whitespace
 * to ' ', Unicode decimal digits to ASCII, anything else non-ASCII is an error); the
 * underscore rule of _Py_string_to_number_with_underscores is checked on the mapped
 * characters; then ASCII whitespace around the number is skipped and the rest must be
 * _Py_dg_strtod's grammar or _Py_parse_inf_or_nan's words.
 *
 * Only the first SIG_MAX significant digits are kept; any non-zero digit after them is
 * remembered as one extra '1'.  That is exact for rounding: every midpoint we compare
 * with has fewer than SIG_MAX digits.
 */
#define SIG_MAX 800

typedef struct Scan {
    const char *s;
    size_t len, pos;
    int prev;                   /* previous mapped character, '_' included */
    int bad;                    /* an error was seen while mapping */
} Scan;

/* Next mapped character with underscores checked and skipped; -1 at the end. */
static int scan_next(Scan *sc)
{
    for (;;) {
        uint32_t cp;
        int c, dv;
        if (sc->pos >= sc->len) {
            if (sc->prev == '_')
                sc->bad = 1;            /* underscores are not allowed at the end */
            return -1;
        }
        sc->pos += utf8_decode(sc->s + sc->pos, sc->len - sc->pos, &cp);
        if (cp < 127)
            c = (int)cp;
        else if (unicode_space(cp))
            c = ' ';
        else if ((dv = unicode_decimal(cp)) >= 0)
            c = '0' + dv;
        else
            c = 0;                      /* CPython maps it to '?': never valid */
        if (c == 0)
            sc->bad = 1;                /* no NULs either */
        if (c == '_') {
            if (!is_digit((char)sc->prev))
                sc->bad = 1;
            sc->prev = c;
            continue;
        }
        if (sc->prev == '_' && !is_digit((char)c))
            sc->bad = 1;
        sc->prev = c;
        return c;
    }
}

static int parse_word(Scan *sc, int c, double *v)
{
    char w[9];
    int n = 0;
    while (c >= 0 && c != ' ' && !ascii_space((char)c)) {
        if (n == 8)
            return -2;
        w[n++] = (char)(c | 0x20);
        c = scan_next(sc);
    }
    w[n] = '\0';
    if (strcmp(w, "inf") == 0 || strcmp(w, "infinity") == 0)
        *v = bits_dbl(UINT64_C(0x7ff0000000000000));
    else if (strcmp(w, "nan") == 0)
        *v = bits_dbl(UINT64_C(0x7ff8000000000000));
    else
        return -2;
    return c;
}

/* Returns the first character after the number (-1: end), -2 on a syntax error. */
static int parse_number_text(Scan *sc, int c, double *v)
{
    char digits[SIG_MAX + 1];
    size_t n = 0;
    int seen = 0, point = 0, sticky = 0;
    int64_t decpt = 0, exp = 0;

    for (;; c = scan_next(sc)) {
        if (c >= '0' && c <= '9') {
            seen = 1;
            if (n == 0 && c == '0') {           /* leading zero */
                if (point)
                    decpt--;
                continue;
            }
            if (!point)
                decpt++;
            if (n < SIG_MAX)
                digits[n++] = (char)c;
            else if (c != '0')
                sticky = 1;
        } else if (c == '.' && !point) {
            point = 1;
        } else {
            break;
        }
    }
    if (!seen)
        return -2;
    if (c == 'e' || c == 'E') {
        int eneg = 0, edigits = 0;
        c = scan_next(sc);
        if (c == '-' || c == '+') {
            eneg = c == '-';
            c = scan_next(sc);
        }
        for (; c >= '0' && c <= '9'; c = scan_next(sc)) {
            edigits = 1;
            if (exp < 1000000000)           /* past this the value is 0 or inf */
                exp = exp * 10 + (c - '0');
        }
        if (!edigits)
            return -2;
        if (eneg)
            exp = -exp;
    }
    if (sticky)
        digits[n++] = '1';
    while (n > 0 && digits[n - 1] == '0')
        n--;
    *v = n == 0 ? 0.0 : dec_to_double(digits, n, decpt + exp);
    return c;
}

int pmfmt_parse_float(const char *s, size_t len, double *out)
{
    Scan sc;
    int c, neg = 0;
    double v;

    sc.s = s;
    sc.len = len;
    sc.pos = 0;
    sc.prev = 0;
    sc.bad = 0;
    do
        c = scan_next(&sc);
    while (c >= 0 && ascii_space((char)c));
    if (c == '+' || c == '-') {
        neg = c == '-';
        c = scan_next(&sc);
    }
    if (is_digit((char)c) || c == '.')
        c = parse_number_text(&sc, c, &v);
    else if ((c | 0x20) == 'i' || (c | 0x20) == 'n')
        c = parse_word(&sc, c, &v);
    else
        return PMFMT_ERR_PARSE;
    while (c >= 0 && ascii_space((char)c))      /* trailing whitespace */
        c = scan_next(&sc);
    if (c != -1 || sc.bad)
        return PMFMT_ERR_PARSE;
    *out = neg ? -v : v;
    return PMFMT_OK;
}

/* ==================================================================================
 * spec: the format-spec mini-language
 * ================================================================================== */

/* type(obj).__name__ as "%.200s": at most 200 bytes, decoded with "replace", so a
 * sequence cut by the limit becomes U+FFFD. */
static void put_type_name(PmFmtBuf *b, const char *name)
{
    size_t n = 0, i = 0;
    while (n < 200 && name[n])
        n++;
    while (i < n) {
        uint32_t cp;
        size_t l = utf8_decode(name + i, n - i, &cp);
        if (l == 1 && (unsigned char)name[i] >= 0x80) {
            buf_puts(b, "\xef\xbf\xbd");
            for (i++; i < n && ((unsigned char)name[i] & 0xc0) == 0x80; i++)
                ;
            continue;
        }
        pmfmt_buf_append(b, name + i, l);
        i += l;
    }
}

static void put_hex(PmFmtBuf *b, uint32_t v)
{
    char tmp[8];
    int t = 0;
    do {
        tmp[t++] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    while (t)
        pmfmt_buf_putc(b, tmp[--t]);
}

/* "'%c'" for printable ASCII, else "'\x%x'" (as unknown_presentation_type()). */
static void put_code(PmFmtBuf *b, uint32_t c)
{
    pmfmt_buf_putc(b, '\'');
    if (c > 32 && c < 128) {
        pmfmt_buf_putc(b, (char)c);
    } else {
        buf_puts(b, "\\x");
        put_hex(b, c);
    }
    pmfmt_buf_putc(b, '\'');
}

static int spec_fail(PmFmtBuf *err, const char *msg)
{
    buf_puts(err, msg);
    return PMFMT_ERR_SPEC;
}

static int unknown_code(PmFmtBuf *err, uint32_t type, const char *type_name)
{
    buf_puts(err, "Unknown format code ");
    put_code(err, type);
    buf_puts(err, " for object of type '");
    put_type_name(err, type_name);
    pmfmt_buf_putc(err, '\'');
    return PMFMT_ERR_SPEC;
}

static int is_align(uint32_t c)
{
    return c == '<' || c == '>' || c == '=' || c == '^';
}

/* get_integer(): Unicode decimal digits; returns digits consumed or -1 on overflow
 * of Py_SSIZE_T_MAX (taken as 64-bit, as on the CPython we model). */
static int64_t get_integer(const char *s, size_t len, size_t *pos, int64_t *result)
{
    int64_t acc = 0, count = 0;
    while (*pos < len) {
        uint32_t cp;
        size_t l = utf8_decode(s + *pos, len - *pos, &cp);
        int dv = unicode_decimal(cp);
        if (dv < 0)
            break;
        if (acc > (INT64_MAX - dv) / 10)
            return -1;
        acc = acc * 10 + dv;
        *pos += l;
        count++;
    }
    *result = acc;
    return count;
}

/* The per-type checks of format_long/float/string_internal(), all value-independent
 * (the 'c' range check and "precision too big" excepted). */
static int check_kind(const PmFmtSpec *f, const char *type_name, PmFmtBuf *err)
{
    switch (f->kind) {
    case PMFMT_INT:
        switch (f->type) {
        case 'b': case 'c': case 'd': case 'o': case 'x': case 'X': case 'n':
            if (f->precision != -1)
                return spec_fail(err, "Precision not allowed in integer format specifier");
            if (f->no_neg_0)
                return spec_fail(err, "Negative zero coercion (z) not allowed in integer "
                                      "format specifier");
            if (f->type == 'c' && f->sign)
                return spec_fail(err, "Sign not allowed with integer format specifier 'c'");
            if (f->type == 'c' && f->alternate)
                return spec_fail(err, "Alternate form (#) not allowed with integer format "
                                      "specifier 'c'");
            return PMFMT_OK;
        case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%':
            return PMFMT_OK;
        default:
            return unknown_code(err, f->type, type_name);
        }
    case PMFMT_FLOAT:
        switch (f->type) {
        case 0: case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n':
        case '%':
            return PMFMT_OK;
        default:
            return unknown_code(err, f->type, type_name);
        }
    case PMFMT_STR:
        if (f->type != 's')
            return unknown_code(err, f->type, type_name);
        if (f->sign == ' ')
            return spec_fail(err, "Space not allowed in string format specifier");
        if (f->sign)
            return spec_fail(err, "Sign not allowed in string format specifier");
        if (f->no_neg_0)
            return spec_fail(err, "Negative zero coercion (z) not allowed in string "
                                  "format specifier");
        if (f->alternate)
            return spec_fail(err, "Alternate form (#) not allowed in string format "
                                  "specifier");
        if (f->align == '=')
            return spec_fail(err, "'=' alignment not allowed in string format specifier");
        return PMFMT_OK;
    }
    return spec_fail(err, "bad format kind");
}

int pmfmt_parse_spec(const char *spec, size_t len, PmFmtKind kind, const char *type_name,
                     PmFmtSpec *f, PmFmtBuf *err)
{
    size_t pos = 0, l0 = 0, l1 = 0;
    uint32_t c0 = 0, c1 = 0;
    int fill_given = 0, align_given = 0;
    char default_align = kind == PMFMT_STR ? '<' : '>';
    int64_t consumed;

    pmfmt_buf_reset(err);
    f->fill = ' ';
    f->fill_utf8[0] = ' ';
    f->fill_len = 1;
    f->align = default_align;
    f->sign = 0;
    f->no_neg_0 = 0;
    f->alternate = 0;
    f->grouping = 0;
    f->group4 = 0;
    f->width = -1;
    f->precision = -1;
    f->type = kind == PMFMT_INT ? 'd' : kind == PMFMT_STR ? 's' : 0;
    f->kind = kind;

    /* [[fill]align] */
    if (len > 0)
        l0 = utf8_decode(spec, len, &c0);
    if (l0 && l0 < len)
        l1 = utf8_decode(spec + l0, len - l0, &c1);
    if (l1 && is_align(c1)) {
        f->fill = c0;
        memcpy(f->fill_utf8, spec, l0);
        f->fill_len = (unsigned char)l0;
        f->align = (char)c1;
        fill_given = align_given = 1;
        pos = l0 + l1;
    } else if (l0 && is_align(c0)) {
        f->align = (char)c0;
        align_given = 1;
        pos = 1;
    }
    /* [sign][z][#][0] */
    if (pos < len && (spec[pos] == '+' || spec[pos] == '-' || spec[pos] == ' '))
        f->sign = spec[pos++];
    if (pos < len && spec[pos] == 'z') {
        f->no_neg_0 = 1;
        pos++;
    }
    if (pos < len && spec[pos] == '#') {
        f->alternate = 1;
        pos++;
    }
    if (!fill_given && pos < len && spec[pos] == '0') {
        f->fill = '0';
        f->fill_utf8[0] = '0';
        f->fill_len = 1;
        if (!align_given && default_align == '>')
            f->align = '=';
        pos++;
    }
    /* [width][grouping][.precision] */
    consumed = get_integer(spec, len, &pos, &f->width);
    if (consumed < 0)
        return spec_fail(err, "Too many decimal digits in format string");
    if (consumed == 0)
        f->width = -1;
    if (pos < len && spec[pos] == ',') {
        f->grouping = ',';
        pos++;
    }
    if (pos < len && spec[pos] == '_') {
        if (f->grouping)
            return spec_fail(err, "Cannot specify both ',' and '_'.");
        f->grouping = '_';
        pos++;
    }
    if (pos < len && spec[pos] == ',' && f->grouping == '_')
        return spec_fail(err, "Cannot specify both ',' and '_'.");
    if (pos < len && spec[pos] == '.') {
        pos++;
        consumed = get_integer(spec, len, &pos, &f->precision);
        if (consumed < 0)
            return spec_fail(err, "Too many decimal digits in format string");
        if (consumed == 0)
            return spec_fail(err, "Format specifier missing precision");
    }
    /* [type]: at most one code point may remain */
    if (pos < len) {
        uint32_t t;
        size_t l = utf8_decode(spec + pos, len - pos, &t);
        if (pos + l < len) {
            buf_puts(err, "Invalid format specifier '");
            pmfmt_buf_append(err, spec, len);
            buf_puts(err, "' for object of type '");
            put_type_name(err, type_name);
            pmfmt_buf_putc(err, '\'');
            return PMFMT_ERR_SPEC;
        }
        f->type = t;
    }
    if (f->grouping) {
        switch (f->type) {
        case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F':
        case 0:
            break;
        case 'b': case 'o': case 'x': case 'X':
            if (f->grouping == '_') {   /* every four digits in bin/oct/hex */
                f->group4 = 1;
                break;
            }
            /* fall through */
        default:
            buf_puts(err, "Cannot specify '");
            pmfmt_buf_putc(err, f->grouping);
            buf_puts(err, "' with ");
            put_code(err, f->type);
            pmfmt_buf_putc(err, '.');
            return PMFMT_ERR_SPEC;
        }
    }
    return check_kind(f, type_name, err);
}

int pmfmt_int_base(const PmFmtSpec *spec)
{
    switch (spec->type) {
    case 'b': return 2;
    case 'o': return 8;
    case 'x': case 'X': return 16;
    case 'c': return -1;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%': return 0;
    default: return 10;                 /* 'd', 'n' */
    }
}

/* ==================================================================================
 * number: calc_number_widths / fill_number / thousands grouping
 * ================================================================================== */

/*
 * A formatted number is, left to right (formatter_unicode.c):
 *
 *   <lpadding> <sign> <prefix> <spadding> <grouped digits> <decimal> <remainder> <rpadding>
 *
 * At most one of the paddings is non-empty.  With fill '0' and align '=' the digits
 * themselves are zero-extended to the width, separators included.
 */
typedef struct Number {
    const char *prefix;         /* "0x" etc. */
    size_t n_prefix;
    const char *digits;         /* the run of digits that is grouped */
    size_t n_digits;
    int has_decimal;
    const char *rem;            /* exponent, fraction, '%', "inf", the 'c' char */
    size_t n_rem;               /* bytes */
    size_t rem_cps;             /* code points */
    int group;                  /* 0, 3 or 4 */
    char sep;
    char letter_case;           /* 'A' upper-case prefix and digits, 'a' lower, 0 as is */
} Number;

static char set_case(char c, char letter_case)
{
    if (letter_case == 'A' && c >= 'a' && c <= 'z')
        return (char)(c - 'a' + 'A');
    if (letter_case == 'a' && c >= 'A' && c <= 'Z')
        return (char)(c - 'A' + 'a');
    return c;
}

/* Emit one chunk right to left: separator, n_chars digits, n_zeros zeros. */
static void group_chunk(char **dst, const char **dp, const Number *num, int use_sep,
                        int64_t n_chars, int64_t n_zeros)
{
    int64_t i;
    if (*dst == NULL)
        return;
    if (use_sep)
        *--*dst = num->sep;
    for (i = 0; i < n_chars; i++) {
        char c = *--*dp;
        *--*dst = set_case(c, num->letter_case);
    }
    for (i = 0; i < n_zeros; i++)
        *--*dst = '0';
}

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

/* _PyUnicode_InsertThousandsGrouping: count (dst == NULL) or write the grouped digits
 * right to left ending at dst.  Chunks of `group` digits from the right (the grouping
 * string "\3" or "\4" repeats forever; group 0 is the empty grouping), zero-extended
 * until min_width characters are produced. */
static int64_t group_digits(char *dst, const Number *num, int64_t min_width)
{
    int64_t count = 0, remaining = (int64_t)num->n_digits, len, n_zeros, n_chars;
    const char *dp = num->digits + num->n_digits;
    int use_sep = 0;

    min_width = max64(0, min_width);
    if (num->group > 0) {
        for (;;) {
            len = min64(num->group, max64(max64(remaining, min_width), 1));
            n_zeros = max64(0, len - remaining);
            n_chars = max64(0, min64(remaining, len));
            count += (use_sep ? 1 : 0) + n_zeros + n_chars;
            group_chunk(&dst, &dp, num, use_sep, n_chars, n_zeros);
            use_sep = 1;
            remaining -= n_chars;
            min_width -= len;
            if (remaining <= 0 && min_width <= 0)
                return count;
            min_width -= 1;             /* the separator's width */
        }
    }
    len = max64(max64(remaining, min_width), 1);
    n_zeros = max64(0, len - remaining);
    n_chars = max64(0, min64(remaining, len));
    count += n_zeros + n_chars;
    group_chunk(&dst, &dp, num, 0, n_chars, n_zeros);
    return count;
}

static int put_number(PmFmtBuf *out, const PmFmtSpec *spec, int negative,
                      const Number *num)
{
    int64_t n_sign = 0, non_digit, min_width, n_grouped = 0, n_padding;
    int64_t lpad = 0, spad = 0, rpad = 0;
    char sign = 0;
    size_t i;

    switch (spec->sign) {
    case '+': n_sign = 1; sign = negative ? '-' : '+'; break;
    case ' ': n_sign = 1; sign = negative ? '-' : ' '; break;
    default:
        if (negative) {
            n_sign = 1;
            sign = '-';
        }
    }
    non_digit = n_sign + (int64_t)num->n_prefix + num->has_decimal + (int64_t)num->rem_cps;
    min_width = (spec->fill == '0' && spec->align == '=') ? spec->width - non_digit : 0;
    if (min_width > (int64_t)(out->limit - out->len)) {
        if (!out->failed)
            out->failed = PMFMT_FAIL_LIMIT;
        return PMFMT_ERR_MEMORY;
    }
    /* Claim the zero padding before counting it: a huge width then fails at once
     * instead of looping through groups that could never be stored. */
    if (min_width > 0 && buf_room(out, (size_t)min_width) == NULL)
        return PMFMT_ERR_MEMORY;
    if (num->n_digits)
        n_grouped = group_digits(NULL, num, min_width);
    n_padding = spec->width - (non_digit + n_grouped);
    if (n_padding > 0) {
        switch (spec->align) {
        case '<': rpad = n_padding; break;
        case '^': lpad = n_padding / 2; rpad = n_padding - lpad; break;
        case '=': spad = n_padding; break;
        default: lpad = n_padding; break;
        }
    }

    pmfmt_buf_fill(out, spec->fill_utf8, spec->fill_len, (uint64_t)lpad);
    if (sign)
        pmfmt_buf_putc(out, sign);
    for (i = 0; i < num->n_prefix; i++)
        pmfmt_buf_putc(out, set_case(num->prefix[i], num->letter_case));
    pmfmt_buf_fill(out, spec->fill_utf8, spec->fill_len, (uint64_t)spad);
    if (n_grouped) {
        char *p = buf_room(out, (size_t)n_grouped);
        if (p) {
            group_digits(p + n_grouped, num, min_width);
            buf_commit(out, (size_t)n_grouped);
        }
    }
    if (num->has_decimal)
        pmfmt_buf_putc(out, '.');
    pmfmt_buf_append(out, num->rem, num->n_rem);
    pmfmt_buf_fill(out, spec->fill_utf8, spec->fill_len, (uint64_t)rpad);
    return out->failed ? PMFMT_ERR_MEMORY : PMFMT_OK;
}

static void set_grouping(Number *num, const PmFmtSpec *spec)
{
    num->group = 0;
    num->sep = 0;
    if (spec->type == 'n' || !spec->grouping)   /* 'n': the C locale, no grouping */
        return;
    num->group = spec->group4 ? 4 : 3;
    num->sep = spec->grouping;
}

int pmfmt_format_int(const char *digits, size_t ndigits, int negative,
                     const PmFmtSpec *spec, PmFmtBuf *out)
{
    Number num;
    memset(&num, 0, sizeof num);
    if (out->failed)
        return PMFMT_ERR_MEMORY;
    if (spec->type == 'c') {
        /* calc_number_widths is told the character is all "remainder" */
        num.rem = digits;
        num.n_rem = ndigits;
        num.rem_cps = utf8_count(digits, ndigits);
        return put_number(out, spec, 0, &num);
    }
    num.digits = digits;
    num.n_digits = ndigits;
    set_grouping(&num, spec);
    if (spec->alternate) {
        switch (spec->type) {
        case 'b': num.prefix = "0b"; num.n_prefix = 2; break;
        case 'o': num.prefix = "0o"; num.n_prefix = 2; break;
        case 'x': case 'X': num.prefix = "0x"; num.n_prefix = 2; break;
        }
    }
    num.letter_case = spec->type == 'X' ? 'A' : spec->type == 'x' ? 'a' : 0;
    return put_number(out, spec, negative, &num);
}

int pmfmt_format_float(double x, const PmFmtSpec *spec, PmFmtBuf *out)
{
    int flags = 0, add_pct = 0, st, negative = 0;
    char type = (char)spec->type;
    int64_t precision = spec->precision, default_precision = 6;
    PmFmtBuf tmp;
    Number num;
    const char *s, *end;

    if (out->failed)
        return PMFMT_ERR_MEMORY;
    if (precision > INT_MAX)
        return PMFMT_ERR_PRECISION;
    if (spec->alternate)
        flags |= PMFMT_DTSF_ALT;
    if (spec->no_neg_0)
        flags |= PMFMT_DTSF_NO_NEG_0;
    if (type == 0) {
        /* like repr() without precision, else like 'g' with at least one digit after
         * the point */
        flags |= PMFMT_DTSF_ADD_DOT_0;
        type = 'r';
        default_precision = 0;
    }
    if (type == 'n')
        type = 'g';
    if (type == '%') {
        type = 'f';
        x *= 100;
        add_pct = 1;
    }
    if (precision < 0)
        precision = default_precision;
    else if (type == 'r')
        type = 'g';

    pmfmt_buf_init(&tmp, out->limit, out->realloc_fn, out->alloc_ctx);
    pmfmt_double_to_string(x, type, precision, flags, &tmp);
    if (add_pct)
        pmfmt_buf_putc(&tmp, '%');
    if (tmp.failed) {
        out->failed = tmp.failed;
        pmfmt_buf_free(&tmp);
        return PMFMT_ERR_MEMORY;
    }

    /* sign, digits, optional decimal point, remainder (parse_number) */
    memset(&num, 0, sizeof num);
    s = tmp.data;
    end = tmp.data + tmp.len;
    if (s < end && *s == '-') {
        negative = 1;
        s++;
    }
    num.digits = s;
    while (s < end && is_digit(*s))
        s++;
    num.n_digits = (size_t)(s - num.digits);
    if (s < end && *s == '.') {
        num.has_decimal = 1;
        s++;
    }
    num.rem = s;
    num.n_rem = num.rem_cps = (size_t)(end - s);
    set_grouping(&num, spec);
    st = put_number(out, spec, negative, &num);
    pmfmt_buf_free(&tmp);
    return st;
}

int pmfmt_format_str(const char *utf8, size_t nbytes, size_t ncodepoints,
                     const PmFmtSpec *spec, PmFmtBuf *out)
{
    int64_t len = (int64_t)ncodepoints, total, lpad, rpad;
    size_t nb = nbytes;

    if (out->failed)
        return PMFMT_ERR_MEMORY;
    if ((spec->width == -1 || spec->width <= len) &&
        (spec->precision == -1 || spec->precision >= len)) {
        pmfmt_buf_append(out, utf8, nbytes);
        return out->failed ? PMFMT_ERR_MEMORY : PMFMT_OK;
    }
    if (spec->precision >= 0 && len >= spec->precision) {
        int64_t i;
        uint32_t cp;
        len = spec->precision;
        for (nb = 0, i = 0; i < len; i++)
            nb += utf8_decode(utf8 + nb, nbytes - nb, &cp);
    }
    /* calc_padding */
    total = spec->width > len ? spec->width : len;
    if (spec->align == '>')
        lpad = total - len;
    else if (spec->align == '^')
        lpad = (total - len) / 2;
    else
        lpad = 0;
    rpad = total - len - lpad;
    pmfmt_buf_fill(out, spec->fill_utf8, spec->fill_len, (uint64_t)lpad);
    pmfmt_buf_append(out, utf8, nb);
    pmfmt_buf_fill(out, spec->fill_utf8, spec->fill_len, (uint64_t)rpad);
    return out->failed ? PMFMT_ERR_MEMORY : PMFMT_OK;
}
