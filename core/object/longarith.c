/*
 * longarith.c -- digit-vector kernels (see longarith.h).  The loops are CPython 3.11's
 * (Objects/longobject.c), lifted out of the functions that allocate the result objects.
 */
#include "object/longarith.h"

int pmla_bit_length_digit(pm_digit x)
{
    int n = 0;
    while (x) {
        n++;
        x >>= 1;
    }
    return n;
}

Pm_ssize_t pmla_normalize(const pm_digit *a, Pm_ssize_t n)
{
    while (n > 0 && a[n - 1] == 0) n--;
    return n;
}

int pmla_cmp(const pm_digit *a, Pm_ssize_t na, const pm_digit *b, Pm_ssize_t nb)
{
    if (na != nb) return na < nb ? -1 : 1;
    while (--na >= 0) {
        if (a[na] != b[na]) return a[na] < b[na] ? -1 : 1;
    }
    return 0;
}

pm_digit pmla_iadd(pm_digit *x, Pm_ssize_t m, const pm_digit *y, Pm_ssize_t n)
{
    Pm_ssize_t i;
    pm_digit carry = 0;
    for (i = 0; i < n; ++i) {
        carry += x[i] + y[i];
        x[i] = carry & PM_LONG_MASK;
        carry >>= PM_LONG_SHIFT;
    }
    for (; carry && i < m; ++i) {
        carry += x[i];
        x[i] = carry & PM_LONG_MASK;
        carry >>= PM_LONG_SHIFT;
    }
    return carry;
}

pm_digit pmla_isub(pm_digit *x, Pm_ssize_t m, const pm_digit *y, Pm_ssize_t n)
{
    Pm_ssize_t i;
    pm_digit borrow = 0;
    for (i = 0; i < n; ++i) {
        borrow = x[i] - y[i] - borrow;
        x[i] = borrow & PM_LONG_MASK;
        borrow = (borrow >> PM_LONG_SHIFT) & 1;
    }
    for (; borrow && i < m; ++i) {
        borrow = x[i] - borrow;
        x[i] = borrow & PM_LONG_MASK;
        borrow = (borrow >> PM_LONG_SHIFT) & 1;
    }
    return borrow;
}

void pmla_add(pm_digit *z, const pm_digit *a, Pm_ssize_t na, const pm_digit *b, Pm_ssize_t nb)
{
    Pm_ssize_t i;
    pm_digit carry = 0;
    for (i = 0; i < nb; ++i) {
        carry += a[i] + b[i];
        z[i] = carry & PM_LONG_MASK;
        carry >>= PM_LONG_SHIFT;
    }
    for (; i < na; ++i) {
        carry += a[i];
        z[i] = carry & PM_LONG_MASK;
        carry >>= PM_LONG_SHIFT;
    }
    z[i] = carry;
}

void pmla_sub(pm_digit *z, const pm_digit *a, Pm_ssize_t na, const pm_digit *b, Pm_ssize_t nb)
{
    Pm_ssize_t i;
    pm_digit borrow = 0;
    for (i = 0; i < nb; ++i) {
        borrow = a[i] - b[i] - borrow;
        z[i] = borrow & PM_LONG_MASK;
        borrow = (borrow >> PM_LONG_SHIFT) & 1;
    }
    for (; i < na; ++i) {
        borrow = a[i] - borrow;
        z[i] = borrow & PM_LONG_MASK;
        borrow = (borrow >> PM_LONG_SHIFT) & 1;
    }
}

void pmla_mul(pm_digit *z, const pm_digit *a, Pm_ssize_t na, const pm_digit *b, Pm_ssize_t nb)
{
    memset(z, 0, (size_t)(na + nb) * sizeof(pm_digit));
    for (Pm_ssize_t i = 0; i < na; ++i) {
        pm_twodigits carry = 0, f = a[i];
        pm_digit *pz = z + i;
        for (Pm_ssize_t j = 0; j < nb; ++j) {
            carry += *pz + b[j] * f;
            *pz++ = (pm_digit)(carry & PM_LONG_MASK);
            carry >>= PM_LONG_SHIFT;
        }
        if (carry) *pz += (pm_digit)(carry & PM_LONG_MASK);
    }
}

void pmla_sqr(pm_digit *z, const pm_digit *a, Pm_ssize_t na)
{
    memset(z, 0, (size_t)(2 * na) * sizeof(pm_digit));
    const pm_digit *paend = a + na;
    for (Pm_ssize_t i = 0; i < na; ++i) {
        pm_twodigits f = a[i];
        pm_digit *pz = z + (i << 1);
        const pm_digit *pa = a + i + 1;
        pm_twodigits carry = *pz + f * f;
        *pz++ = (pm_digit)(carry & PM_LONG_MASK);
        carry >>= PM_LONG_SHIFT;
        f <<= 1;                      /* every other product appears twice */
        while (pa < paend) {
            carry += *pz + *pa++ * f;
            *pz++ = (pm_digit)(carry & PM_LONG_MASK);
            carry >>= PM_LONG_SHIFT;
        }
        if (carry) {
            carry += *pz;
            *pz = (pm_digit)(carry & PM_LONG_MASK);
            carry >>= PM_LONG_SHIFT;
            if (carry) pz[1] = (pm_digit)carry;
        }
    }
}

pm_digit pmla_lshift(pm_digit *z, const pm_digit *a, Pm_ssize_t m, int d)
{
    pm_digit carry = 0;
    for (Pm_ssize_t i = 0; i < m; i++) {
        pm_twodigits acc = (pm_twodigits)a[i] << d | carry;
        z[i] = (pm_digit)acc & PM_LONG_MASK;
        carry = (pm_digit)(acc >> PM_LONG_SHIFT);
    }
    return carry;
}

pm_digit pmla_rshift(pm_digit *z, const pm_digit *a, Pm_ssize_t m, int d)
{
    pm_digit carry = 0;
    pm_digit mask = ((pm_digit)1 << d) - 1U;
    for (Pm_ssize_t i = m; i-- > 0;) {
        pm_twodigits acc = (pm_twodigits)carry << PM_LONG_SHIFT | a[i];
        carry = (pm_digit)acc & mask;
        z[i] = (pm_digit)(acc >> d);
    }
    return carry;
}

pm_digit pmla_divrem1(pm_digit *pout, const pm_digit *pin, Pm_ssize_t size, pm_digit n)
{
    pm_twodigits rem = 0;
    while (--size >= 0) {
        rem = (rem << PM_LONG_SHIFT) | pin[size];
        pm_digit hi = (pm_digit)(rem / n);
        pout[size] = hi;
        rem -= (pm_twodigits)hi * n;
    }
    return (pm_digit)rem;
}

void pmla_complement(pm_digit *z, const pm_digit *a, Pm_ssize_t m)
{
    pm_digit carry = 1;
    for (Pm_ssize_t i = 0; i < m; ++i) {
        carry += a[i] ^ PM_LONG_MASK;
        z[i] = carry & PM_LONG_MASK;
        carry >>= PM_LONG_SHIFT;
    }
}

/* One step of algorithm D: divide vk[0:size_w+1] by w, return the quotient digit. */
static pm_digit knuth_step(pm_digit *vk, const pm_digit *w0, Pm_ssize_t size_w)
{
    pm_digit wm1 = w0[size_w - 1], wm2 = w0[size_w - 2];
    pm_digit vtop = vk[size_w];
    pm_twodigits vv = ((pm_twodigits)vtop << PM_LONG_SHIFT) | vk[size_w - 1];
    pm_digit q = (pm_digit)(vv / wm1);
    pm_digit r = (pm_digit)(vv - (pm_twodigits)wm1 * q);
    while ((pm_twodigits)wm2 * q > (((pm_twodigits)r << PM_LONG_SHIFT) | vk[size_w - 2])) {
        --q;
        r += wm1;
        if (r >= PM_LONG_BASE) break;
    }
    /* subtract q * w from vk[0:size_w+1] */
    int32_t zhi = 0;
    for (Pm_ssize_t i = 0; i < size_w; ++i) {
        pm_stwodigits z = (int32_t)vk[i] + zhi - (pm_stwodigits)q * (pm_stwodigits)w0[i];
        vk[i] = (pm_digit)z & PM_LONG_MASK;
        /* arithmetic shift of a negative value, written portably */
        zhi = (int32_t)(z < 0 ? -(pm_stwodigits)(((pm_twodigits)-(z + 1)) >> PM_LONG_SHIFT) - 1
                              : z >> PM_LONG_SHIFT);
    }
    if ((int32_t)vtop + zhi < 0) {      /* q was one too large: add w back */
        pm_digit carry = 0;
        for (Pm_ssize_t i = 0; i < size_w; ++i) {
            carry += vk[i] + w0[i];
            vk[i] = carry & PM_LONG_MASK;
            carry >>= PM_LONG_SHIFT;
        }
        --q;
    }
    return q;
}

void pmla_divrem_knuth(pm_digit *v, Pm_ssize_t size_v, const pm_digit *w, Pm_ssize_t size_w,
                       pm_digit *q)
{
    Pm_ssize_t k = size_v - size_w;
    pm_digit *ak = q + k;
    for (pm_digit *vk = v + k; vk-- > v;) *--ak = knuth_step(vk, w, size_w);
}

Pm_ssize_t pmla_decimal_bound(Pm_ssize_t size_a)
{
    int d = (33 * PMLA_DECIMAL_SHIFT) / (10 * PM_LONG_SHIFT - 33 * PMLA_DECIMAL_SHIFT);
    return 1 + size_a + size_a / d;
}

Pm_ssize_t pmla_to_decimal(pm_digit *pout, const pm_digit *pin, Pm_ssize_t size_a)
{
    Pm_ssize_t size = 0;
    for (Pm_ssize_t i = size_a; --i >= 0;) {
        pm_digit hi = pin[i];
        for (Pm_ssize_t j = 0; j < size; j++) {
            pm_twodigits z = (pm_twodigits)pout[j] << PM_LONG_SHIFT | hi;
            hi = (pm_digit)(z / PMLA_DECIMAL_BASE);
            pout[j] = (pm_digit)(z - (pm_twodigits)hi * PMLA_DECIMAL_BASE);
        }
        while (hi) {
            pout[size++] = hi % PMLA_DECIMAL_BASE;
            hi /= PMLA_DECIMAL_BASE;
        }
    }
    if (size == 0) pout[size++] = 0;
    return size;
}

Pm_ssize_t pmla_decimal_length(const pm_digit *pout, Pm_ssize_t size)
{
    Pm_ssize_t n = 1 + (size - 1) * PMLA_DECIMAL_SHIFT;
    pm_digit top = pout[size - 1];
    for (pm_digit tenpow = 10; top >= tenpow; tenpow *= 10) n++;   /* top < 10**9 */
    return n;
}

char *pmla_write_decimal(char *p, const pm_digit *pout, Pm_ssize_t size)
{
    Pm_ssize_t i;
    for (i = 0; i < size - 1; i++) {
        pm_digit rem = pout[i];
        for (int j = 0; j < PMLA_DECIMAL_SHIFT; j++) {
            *--p = (char)('0' + rem % 10);
            rem /= 10;
        }
    }
    pm_digit rem = pout[i];
    do {
        *--p = (char)('0' + rem % 10);
        rem /= 10;
    } while (rem != 0);
    return p;
}

char *pmla_write_binary(char *p, const pm_digit *a, Pm_ssize_t size_a, int bits)
{
    pm_digit mask = ((pm_digit)1 << bits) - 1;
    if (size_a == 0) *--p = '0';
    pm_twodigits accum = 0;
    int accumbits = 0;
    for (Pm_ssize_t i = 0; i < size_a; ++i) {
        accum |= (pm_twodigits)a[i] << accumbits;
        accumbits += PM_LONG_SHIFT;
        do {
            int d = (int)(accum & mask);
            *--p = (char)(d < 10 ? '0' + d : 'a' + d - 10);
            accumbits -= bits;
            accum >>= bits;
        } while (i < size_a - 1 ? accumbits >= bits : accum > 0);
    }
    return p;
}

int pmla_digit_value(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 37;
}

bool pmla_is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* The code point of the 0 of each run of Unicode decimal digits (Nd, Unicode 14.0, the
 * database of CPython 3.11); every run is ten code points long. */
static const uint32_t decimal_zeros[] = {
    0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66,
    0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90,
    0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0,
    0xff10, 0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0,
    0x11650, 0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0,
    0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0
};

static int unicode_decimal(uint32_t ch)
{
    for (size_t i = 0; i < sizeof decimal_zeros / sizeof decimal_zeros[0]; i++)
        if (ch >= decimal_zeros[i] && ch < decimal_zeros[i] + 10) return (int)(ch - decimal_zeros[i]);
    return -1;
}

/* str.isspace() above ASCII. */
static bool unicode_space(uint32_t ch)
{
    return ch == 0x85 || ch == 0xa0 || ch == 0x1680 || (ch >= 0x2000 && ch <= 0x200a) ||
           ch == 0x2028 || ch == 0x2029 || ch == 0x202f || ch == 0x205f || ch == 0x3000;
}

int pmla_transform_char(uint32_t ch)
{
    if (ch < 127) return (int)ch;
    if (unicode_space(ch)) return ' ';
    int d = unicode_decimal(ch);
    return d < 0 ? -1 : '0' + d;
}

Pm_ssize_t pmla_scan_digits(const char *p, const char *end, int base, const char **stop)
{
    Pm_ssize_t digits = 0;
    char prev = 0;
    while (p < end && (pmla_digit_value((unsigned char)*p) < base || *p == '_')) {
        if (*p == '_') {
            if (prev == '_') return -1;
        } else {
            ++digits;
        }
        prev = *p++;
    }
    if (prev == '_') return -1;
    *stop = p;
    return digits;
}

size_t pmla_utf8_encode(uint32_t c, char *u)
{
    if (c < 0x80) { u[0] = (char)c; return 1; }
    if (c < 0x800) {
        u[0] = (char)(0xc0 | c >> 6);
        u[1] = (char)(0x80 | (c & 0x3f));
        return 2;
    }
    if (c < 0x10000) {
        u[0] = (char)(0xe0 | c >> 12);
        u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        u[2] = (char)(0x80 | (c & 0x3f));
        return 3;
    }
    u[0] = (char)(0xf0 | c >> 18);
    u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
    u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
    u[3] = (char)(0x80 | (c & 0x3f));
    return 4;
}
