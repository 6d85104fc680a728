/*
 * test_fmt.c -- core/lib/fmt.c against CPython 3.11's own answers.
 *
 * The cases are recorded by tests/fmt/gen.py (run under CPython 3.11) in
 * tests/fmt/cases.txt; see gen.py for the line format.  Usage:
 *
 *     test_fmt [cases.txt]
 *
 * Without an argument the file is found relative to this source file (__FILE__), so
 * the test works from the repository root or when __FILE__ is absolute (CMake).
 *
 * The test plays the caller's part of the protocol in fmt.h (empty spec, 'c' range,
 * int -> float conversion) and checks that no buffer memory is leaked.
 * Prints "N passed, N failed"; exits 1 on any failure.
 */
#include "lib/fmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- allocation accounting (every buffer goes through this hook) --------------- */

typedef struct Alloc {
    long live;          /* blocks currently allocated */
    long fail_after;    /* fail the allocation after this many more; -1 never */
} Alloc;

static void *counting_realloc(void *ctx, void *ptr, size_t size)
{
    Alloc *a = ctx;
    void *p;
    if (size == 0) {
        if (ptr)
            a->live--;
        free(ptr);
        return NULL;
    }
    if (a->fail_after == 0)
        return NULL;
    if (a->fail_after > 0)
        a->fail_after--;
    p = realloc(ptr, size);
    if (p && !ptr)
        a->live++;
    return p;
}

static Alloc g_alloc = {0, -1};     /* test-program state, not library state */
static long g_pass, g_fail;

static void buf_new(PmFmtBuf *b)
{
    pmfmt_buf_init(b, 0, counting_realloc, &g_alloc);
}

/* ---- small helpers --------------------------------------------------------------- */

static size_t unescape(char *s)
{
    char *r = s, *w = s;
    while (*r) {
        if (r[0] == '\\' && r[1] == '\\') {
            *w++ = '\\';
            r += 2;
        } else if (r[0] == '\\' && r[1] == 'x') {
            char hex[3] = {r[2], r[3], 0};
            *w++ = (char)strtol(hex, NULL, 16);
            r += 4;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

static double from_hex(const char *h)
{
    unsigned long long u = strtoull(h, NULL, 16);
    double x;
    uint64_t v = u;
    memcpy(&x, &v, sizeof x);
    return x;
}

static void hex_of(double x, char out[17])
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    if (x != x)
        u = (u >> 63) ? 0xfff8000000000000ull : 0x7ff8000000000000ull;
    snprintf(out, 17, "%016llx", (unsigned long long)u);
}

static size_t utf8_len(const char *s, size_t n)
{
    size_t i, count = 0;
    for (i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            count++;
    return count;
}

static void set(PmFmtBuf *b, const char *s)
{
    pmfmt_buf_reset(b);
    pmfmt_buf_append(b, s, strlen(s));
}

static void set2(PmFmtBuf *b, const char *a, const char *c, size_t clen)
{
    set(b, a);
    pmfmt_buf_append(b, c, clen);
}

static void check(long line, const char *what, const PmFmtBuf *got, const char *exp,
                  size_t explen)
{
    if (!got->failed && got->len == explen && memcmp(got->data, exp, explen) == 0) {
        g_pass++;
        return;
    }
    g_fail++;
    if (g_fail <= 60)
        fprintf(stderr, "line %ld: %s\n   expected [%.*s]\n   got      [%.*s]%s\n", line,
                what, (int)explen, exp, (int)got->len, got->data ? got->data : "",
                got->failed ? " (buffer failed)" : "");
}

static void check_true(const char *what, int ok)
{
    if (ok) {
        g_pass++;
    } else {
        g_fail++;
        fprintf(stderr, "api check failed: %s\n", what);
    }
}

/* |decimal| in base 2, 8 or 16 (lower case). */
static char *to_base(const char *dec, size_t n, int base)
{
    size_t nl = n / 9 + 2, used = 1, i, j, nbits, k;
    int shift = base == 2 ? 1 : base == 8 ? 3 : 4;
    uint32_t *limbs = calloc(nl, sizeof *limbs);
    char *out;
    for (i = 0; i < n; i++) {
        uint64_t carry = (uint64_t)(dec[i] - '0');
        for (j = 0; j < used; j++) {
            uint64_t t = (uint64_t)limbs[j] * 10 + carry;
            limbs[j] = (uint32_t)t;
            carry = t >> 32;
        }
        if (carry)
            limbs[used++] = (uint32_t)carry;
    }
    nbits = used * 32;
    out = malloc(nbits / (size_t)shift + 3);
    k = 0;
    for (i = (nbits + (size_t)shift - 1) / (size_t)shift; i-- > 0;) {
        unsigned d = 0;
        for (j = (size_t)shift; j-- > 0;) {
            size_t bit = i * (size_t)shift + j;
            d = d * 2 + (bit < nbits ? (limbs[bit / 32] >> (bit % 32)) & 1 : 0);
        }
        if (k == 0 && d == 0)
            continue;
        out[k++] = "0123456789abcdef"[d];
    }
    if (k == 0)
        out[k++] = '0';
    out[k] = '\0';
    free(limbs);
    return out;
}

static size_t utf8_encode(uint32_t c, char *o)
{
    if (c < 0x80) { o[0] = (char)c; return 1; }
    if (c < 0x800) { o[0] = (char)(0xc0 | c >> 6); o[1] = (char)(0x80 | (c & 63)); return 2; }
    if (c < 0x10000) {
        o[0] = (char)(0xe0 | c >> 12); o[1] = (char)(0x80 | ((c >> 6) & 63));
        o[2] = (char)(0x80 | (c & 63)); return 3;
    }
    o[0] = (char)(0xf0 | c >> 18); o[1] = (char)(0x80 | ((c >> 12) & 63));
    o[2] = (char)(0x80 | ((c >> 6) & 63)); o[3] = (char)(0x80 | (c & 63)); return 4;
}

/* ---- the caller's side of format() ------------------------------------------------- */

static void format_int_case(const char *tname, const char *value, const char *spec,
                            size_t slen, PmFmtBuf *got, PmFmtBuf *err)
{
    PmFmtSpec s;
    int neg = value[0] == '-', st, base;
    const char *dig = value + neg;
    size_t n = strlen(dig);

    if (slen == 0) {        /* format(v, '') is str(v) */
        if (strcmp(tname, "bool") == 0)
            set(got, strcmp(value, "0") ? "True" : "False");
        else
            set(got, value);
        return;
    }
    if (pmfmt_parse_spec(spec, slen, PMFMT_INT, tname, &s, err) != PMFMT_OK) {
        set2(got, "!ValueError: ", err->data, err->len);
        return;
    }
    base = pmfmt_int_base(&s);
    if (base == -1) {
        char ch[4];
        unsigned long long v = 0;
        size_t i;
        if (n > 19 || (n == 19 && strcmp(dig, "9223372036854775807") > 0)) {
            set(got, "!OverflowError: Python int too large to convert to C long");
            return;
        }
        for (i = 0; i < n; i++)
            v = v * 10 + (unsigned)(dig[i] - '0');
        if (neg || v > 0x10ffff) {
            set(got, "!OverflowError: " PMFMT_MSG_C_RANGE);
            return;
        }
        st = pmfmt_format_int(ch, utf8_encode((uint32_t)v, ch), 0, &s, got);
    } else if (base == 0) {
        double x;
        pmfmt_parse_float(value, strlen(value), &x);
        if (x - x != 0) {
            set(got, "!OverflowError: int too large to convert to float");
            return;
        }
        st = pmfmt_format_float(x, &s, got);
    } else if (base == 10) {
        st = pmfmt_format_int(dig, n, neg, &s, got);
    } else {
        char *d = to_base(dig, n, base);
        st = pmfmt_format_int(d, strlen(d), neg, &s, got);
        free(d);
    }
    if (st == PMFMT_ERR_PRECISION)
        set(got, "!ValueError: " PMFMT_MSG_PRECISION);
}

static void run_fmt(long line, char **f, size_t *flen, PmFmtBuf *got, PmFmtBuf *err)
{
    char kind = f[1][0];
    const char *tname = f[2], *value = f[3], *spec = f[4];
    size_t slen = flen[4];
    PmFmtSpec s;
    int st = PMFMT_OK;

    pmfmt_buf_reset(got);
    if (kind == 'i') {
        format_int_case(tname, value, spec, slen, got, err);
    } else if (kind == 'f') {
        double x = from_hex(value);
        if (slen == 0)
            st = pmfmt_float_repr(x, got);
        else if (pmfmt_parse_spec(spec, slen, PMFMT_FLOAT, tname, &s, err))
            set2(got, "!ValueError: ", err->data, err->len);
        else if ((st = pmfmt_format_float(x, &s, got)) == PMFMT_ERR_PRECISION)
            set(got, "!ValueError: " PMFMT_MSG_PRECISION);
    } else {
        if (slen == 0)
            pmfmt_buf_append(got, value, flen[3]);
        else if (pmfmt_parse_spec(spec, slen, PMFMT_STR, tname, &s, err))
            set2(got, "!ValueError: ", err->data, err->len);
        else
            st = pmfmt_format_str(value, flen[3], utf8_len(value, flen[3]), &s, got);
    }
    (void)st;
    if (f[5][0] == '=') {
        check(line, "fmt", got, f[5] + 1, flen[5] - 1);
    } else {
        /* errors are compared with the '!' included */
        check(line, "fmt", got, f[5], flen[5]);
    }
}

static void run_line(long line, char **f, size_t *flen, int nf, PmFmtBuf *got,
                     PmFmtBuf *err)
{
    char hex[17];
    pmfmt_buf_reset(got);
    if (strcmp(f[0], "repr") == 0 && nf == 3) {
        pmfmt_float_repr(from_hex(f[1]), got);
        check(line, "repr", got, f[2], flen[2]);
    } else if (strcmp(f[0], "dts") == 0 && nf == 6) {
        pmfmt_double_to_string(from_hex(f[1]), f[2][0], atoi(f[3]),
                               atoi(f[4]) ? PMFMT_DTSF_ALT : 0, got);
        check(line, "dts", got, f[5] + 1, flen[5] - 1);
    } else if (strcmp(f[0], "fmt") == 0 && nf == 6) {
        run_fmt(line, f, flen, got, err);
    } else if (strcmp(f[0], "round") == 0 && nf == 4) {
        double r;
        if (pmfmt_round_double(from_hex(f[1]), atoi(f[2]), &r) == PMFMT_ERR_OVERFLOW) {
            set(got, "!OverflowError: " PMFMT_MSG_ROUND_OVERFLOW);
        } else {
            hex_of(r, hex);
            set2(got, "=", hex, 16);
        }
        check(line, "round", got, f[3], flen[3]);
    } else if (strcmp(f[0], "round0") == 0 && nf == 3) {
        double r = pmfmt_round_half_even(from_hex(f[1]));
        hex_of(r == 0 ? 0.0 : r, hex);          /* float(int) has no negative zero */
        set(got, hex);
        check(line, "round0", got, f[2], flen[2]);
    } else if (strcmp(f[0], "parse") == 0 && nf == 3) {
        double x;
        const char *exp = f[2];
        size_t elen = flen[2];
        if (pmfmt_parse_float(f[1], flen[1], &x) == PMFMT_OK) {
            hex_of(x, hex);
            set2(got, "=", hex, 16);
        } else {
            /* the caller appends repr(s); compare the part we are responsible for */
            set(got, "!ValueError: " PMFMT_MSG_PARSE_PREFIX);
            if (elen > got->len && exp[0] == '!')
                elen = got->len;
        }
        check(line, "parse", got, exp, elen);
    } else {
        g_fail++;
        fprintf(stderr, "line %ld: malformed case\n", line);
    }
}

/* ---- API checks that need no CPython answer ------------------------------------- */

static void api_checks(void)
{
    PmFmtBuf b, err;
    PmFmtSpec s;
    Alloc tight = {0, 0};

    /* limit: the buffer stops at the limit and says so */
    pmfmt_buf_init(&b, 5, counting_realloc, &g_alloc);
    pmfmt_buf_init(&err, 0, counting_realloc, &g_alloc);
    pmfmt_parse_spec("", 0, PMFMT_INT, "int", &s, &err);
    check_true("limit: status", pmfmt_format_int("1234567", 7, 0, &s, &b) == PMFMT_ERR_MEMORY);
    check_true("limit: failed", b.failed == PMFMT_FAIL_LIMIT && b.len <= 5);
    check_true("limit: invariant", pmfmt_buf_check(&b));
    pmfmt_buf_reset(&b);
    check_true("reset", b.failed == 0 && b.len == 0 && pmfmt_float_repr(0.5, &b) == 0 &&
                            strcmp(b.data, "0.5") == 0);
    pmfmt_buf_free(&b);

    /* allocation failure: failed, no crash, nothing leaked */
    pmfmt_buf_init(&b, 0, counting_realloc, &tight);
    check_true("nomem: status", pmfmt_float_repr(1.5, &b) == PMFMT_ERR_MEMORY);
    check_true("nomem: failed", b.failed == PMFMT_FAIL_NOMEM && pmfmt_buf_check(&b));
    tight.fail_after = 1;   /* float formatting uses a temporary: fail the second */
    pmfmt_buf_reset(&b);
    pmfmt_parse_spec("20.3e", 5, PMFMT_FLOAT, "float", &s, &err);
    check_true("nomem: temporary", pmfmt_format_float(1.5, &s, &b) == PMFMT_ERR_MEMORY);
    pmfmt_buf_free(&b);
    check_true("nomem: no leak", tight.live == 0);

    /* a huge width fails fast instead of looping */
    pmfmt_buf_init(&b, 1 << 20, counting_realloc, &g_alloc);
    pmfmt_parse_spec("0999999999999,", 14, PMFMT_INT, "int", &s, &err);
    check_true("huge width", pmfmt_format_int("5", 1, 0, &s, &b) == PMFMT_ERR_MEMORY &&
                                 b.failed == PMFMT_FAIL_LIMIT);
    pmfmt_buf_reset(&b);
    pmfmt_parse_spec(".999999999f", 11, PMFMT_FLOAT, "float", &s, &err);
    check_true("huge precision", pmfmt_format_float(1.0, &s, &b) == PMFMT_ERR_MEMORY);
    pmfmt_buf_reset(&b);
    check_true("fill", pmfmt_buf_fill(&b, "ab", 2, 3) == 0 && strcmp(b.data, "ababab") == 0);
    pmfmt_buf_free(&b);
    pmfmt_buf_free(&err);
    check_true("messages", strcmp(pmfmt_status_message(PMFMT_ERR_OVERFLOW),
                                  "rounded value too large to represent") == 0);
}

/* ---- driver ------------------------------------------------------------------------ */

static char *default_path(void)
{
    const char *src = __FILE__, *slash = strrchr(src, '/');
    size_t dir = slash ? (size_t)(slash - src + 1) : 0;
    const char *rel = "../fmt/cases.txt";
    char *p = malloc(dir + strlen(rel) + 1);
    memcpy(p, src, dir);
    strcpy(p + dir, rel);
    return p;
}

int main(int argc, char **argv)
{
    char *path = argc > 1 ? argv[1] : default_path();
    FILE *fp = fopen(path, "rb");
    char *text, *p, *end;
    long size, line = 0;
    PmFmtBuf got, err;

    if (fp == NULL) {
        fprintf(stderr, "test_fmt: cannot open %s (pass the path of cases.txt)\n", path);
        if (argc <= 1)
            free(path);
        return 2;
    }
    fseek(fp, 0, SEEK_END);
    size = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    text = malloc((size_t)size + 1);
    if (fread(text, 1, (size_t)size, fp) != (size_t)size) {
        fprintf(stderr, "test_fmt: cannot read %s\n", path);
        return 2;
    }
    text[size] = '\0';
    fclose(fp);
    printf("test_fmt: cases from %s\n", path);

    buf_new(&got);
    buf_new(&err);
    for (p = text, end = text + size; p < end;) {
        char *f[8], *nl = memchr(p, '\n', (size_t)(end - p)), *next = nl ? nl + 1 : end;
        size_t flen[8];
        int nf = 0, i;
        if (nl)
            *nl = '\0';
        line++;
        if (*p) {
            f[nf++] = p;
            while (nf < 8 && (p = strchr(p, '\t')) != NULL) {
                *p++ = '\0';
                f[nf++] = p;
            }
            for (i = 0; i < nf; i++)
                flen[i] = unescape(f[i]);
            run_line(line, f, flen, nf, &got, &err);
        }
        p = next;
    }
    pmfmt_buf_free(&got);
    pmfmt_buf_free(&err);
    api_checks();
    check_true("no buffer leaked", g_alloc.live == 0);
    free(text);
    if (argc <= 1)
        free(path);
    printf("%ld passed, %ld failed\n", g_pass, g_fail);
    return g_fail ? 1 : 0;
}
