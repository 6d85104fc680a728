/*
 * longarith.h -- the parts of int.c that touch no object: digit-vector kernels (CPython's
 * v_iadd, v_isub, x_mul, the x_divrem inner loop, inplace_divrem1, the base-10**9
 * conversion) and the character scanning of int(str, base).
 *
 * A digit vector is an array of pm_digit (30 significant bits each), least significant first,
 * with an explicit length.  These functions never allocate, never touch objects and never
 * raise: int.c allocates the PmLong objects (with CPython's sizes, so tracemalloc sees the
 * same blocks) and calls these on their ob_digit arrays.
 */
#ifndef PM_LONGARITH_H
#define PM_LONGARITH_H

#include "pm.h"

/* CPython's _PyLong_DECIMAL_SHIFT / _PyLong_DECIMAL_BASE for 30-bit digits. */
#define PMLA_DECIMAL_SHIFT 9
#define PMLA_DECIMAL_BASE ((pm_digit)1000000000)

/* Number of significant bits of a digit (0 for 0). */
int pmla_bit_length_digit(pm_digit x);
/* Length of a[0:n] without its most significant zero digits. */
Pm_ssize_t pmla_normalize(const pm_digit *a, Pm_ssize_t n);
/* -1, 0, 1: compare magnitudes of two normalized vectors. */
int pmla_cmp(const pm_digit *a, Pm_ssize_t na, const pm_digit *b, Pm_ssize_t nb);

/* x[0:m] += y[0:n] (m >= n); returns the carry out of x[m-1]. */
pm_digit pmla_iadd(pm_digit *x, Pm_ssize_t m, const pm_digit *y, Pm_ssize_t n);
/* x[0:m] -= y[0:n] (m >= n); returns the borrow out of x[m-1]. */
pm_digit pmla_isub(pm_digit *x, Pm_ssize_t m, const pm_digit *y, Pm_ssize_t n);
/* z[0:na+1] = a[0:na] + b[0:nb], na >= nb. */
void pmla_add(pm_digit *z, const pm_digit *a, Pm_ssize_t na, const pm_digit *b, Pm_ssize_t nb);
/* z[0:na] = a[0:na] - b[0:nb], requires a >= b as magnitudes, na >= nb. */
void pmla_sub(pm_digit *z, const pm_digit *a, Pm_ssize_t na, const pm_digit *b, Pm_ssize_t nb);
/* z[0:na+nb] = a * b (grade school; z must not overlap a or b). */
void pmla_mul(pm_digit *z, const pm_digit *a, Pm_ssize_t na, const pm_digit *b, Pm_ssize_t nb);
/* z[0:2*na] = a * a (HAC 14.16 squaring). */
void pmla_sqr(pm_digit *z, const pm_digit *a, Pm_ssize_t na);

/* z[0:m] = a[0:m] << d (0 <= d < 30); returns the bits shifted out of the top. */
pm_digit pmla_lshift(pm_digit *z, const pm_digit *a, Pm_ssize_t m, int d);
/* z[0:m] = a[0:m] >> d (0 <= d < 30); returns the bits shifted out of the bottom. */
pm_digit pmla_rshift(pm_digit *z, const pm_digit *a, Pm_ssize_t m, int d);
/* pout[0:size] = pin[0:size] / n, returns the remainder (0 < n < 2**30; pout may be pin). */
pm_digit pmla_divrem1(pm_digit *pout, const pm_digit *pin, Pm_ssize_t size, pm_digit n);
/* z[0:m] = two's complement of a[0:m] (a not all zero; z may be a). */
void pmla_complement(pm_digit *z, const pm_digit *a, Pm_ssize_t m);

/* Knuth's algorithm D on normalized operands: v[0:size_v] (top digit < w's top digit, which is
 * >= 2**29), w[0:size_w] with size_w >= 2.  Writes the k = size_v - size_w quotient digits to
 * q[0:k] and leaves the remainder in v[0:size_w]. */
void pmla_divrem_knuth(pm_digit *v, Pm_ssize_t size_v, const pm_digit *w, Pm_ssize_t size_w,
                       pm_digit *q);

/* Digits of base 10**9 needed at most for a size_a-digit magnitude (CPython's bound). */
Pm_ssize_t pmla_decimal_bound(Pm_ssize_t size_a);
/* Convert pin[0:size_a] to base 10**9 digits in pout (least significant first; room for
 * pmla_decimal_bound(size_a)); returns their number (>= 1; a single 0 for zero). */
Pm_ssize_t pmla_to_decimal(pm_digit *pout, const pm_digit *pin, Pm_ssize_t size_a);
/* Number of decimal characters of the base-10**9 vector (no sign). */
Pm_ssize_t pmla_decimal_length(const pm_digit *pout, Pm_ssize_t size);
/* Write the decimal characters of pout[0:size] ending just before `end`; returns the start. */
char *pmla_write_decimal(char *end, const pm_digit *pout, Pm_ssize_t size);

/* Write the digits of a[0:size_a] in base 2**bits (1, 3 or 4 bits) ending just before `end`
 * ("0" for zero, lowercase); returns the start. */
char *pmla_write_binary(char *end, const pm_digit *a, Pm_ssize_t size_a, int bits);

/* ---- text scanning (int(str, base)) ---- */

/* Value of an ASCII digit in bases up to 36 ('a'/'A' = 10 ...); 37 for anything else. */
int pmla_digit_value(unsigned char c);
/* C isspace() in the "C" locale: space, \t \n \v \f \r. */
bool pmla_is_space(unsigned char c);
/* CPython's _PyUnicode_TransformDecimalAndSpaceToASCII for one code point: ASCII stays,
 * Unicode whitespace becomes ' ', a Unicode decimal digit (Nd) its ASCII digit; -1 for
 * anything else (CPython writes '?' and stops there). */
int pmla_transform_char(uint32_t ch);
/* Scan digits of `base` with single underscores between them from p (before end): *stop is
 * the first character after the run; returns the digit count, -1 on a misplaced '_'. */
Pm_ssize_t pmla_scan_digits(const char *p, const char *end, int base, const char **stop);
/* UTF-8 encoding of code point c (< 0x110000) into out[0:4]; returns its length. */
size_t pmla_utf8_encode(uint32_t c, char *out);

#endif /* PM_LONGARITH_H */
