/*
 * int.c -- int and bool: arbitrary precision integers exactly as CPython 3.11 stores them.
 *
 * struct PmLong (types.h): ob_size is the number of 30-bit digits with the sign of the value
 * (0 for zero), ob_digit[] the digits, least significant first, the top one non-zero.  Every
 * int object has room for at least one digit, so CPython's sizes are 24 + 4 * max(1, |size|)
 * bytes: that is what we ask the allocator for (the model size) and what __sizeof__ says.
 *
 * Identity rules (what a learner sees with `is`):
 *   - -5..256 are per-VM static objects (vm->small_ints), created by pm_int_init_small();
 *     every constructor and every arithmetic result in that range is the cached object,
 *     as in CPython 3.11 (maybe_small: results are normalised, then swapped for the cache).
 *   - Results outside the range are new objects, except where CPython returns an operand
 *     itself: +x, abs(x) for x >= 0, int(x), x.real, round(x), x % y when |x| < |y|, and
 *     x >> 0 for negative x (long_long on an exact int).
 *   - True and False are static bool objects (pm_bool_init) with ob_size 1 and 0.
 *
 * The algorithms (and the sizes of the objects they allocate on the way) follow
 * Objects/longobject.c of 3.11; the digit loops live in longarith.c.  Karatsuba is not
 * used: products are grade-school, which only changes the temporaries of huge products.
 */
#include <float.h>
#include <limits.h>
#include <math.h>

#include "pm.h"
#include "object/longarith.h"
#include "lib/fmt.h"

/* sys.get_int_max_str_digits() default and CPython's threshold below which it is not checked */
enum { MAX_STR_DIGITS = 4300, MAX_STR_DIGITS_THRESHOLD = 640 };
#define MODEL_HEAD 24                      /* offsetof(PyLongObject, ob_digit), 64-bit */
#define REAL_HEAD offsetof(PmLong, ob_digit)
#define MAX_LONG_DIGITS ((INT64_MAX - MODEL_HEAD) / 4)
#define DIG(o) (((PmLong *)(o))->ob_digit)
#define LIMIT_TO_STR "Exceeds the limit (%d digits) for integer string conversion; " \
    "use sys.set_int_max_str_digits() to increase the limit"
#define LIMIT_TO_INT "Exceeds the limit (%d digits) for integer string conversion: value " \
    "has %zd digits; use sys.set_int_max_str_digits() to increase the limit"

static inline Pm_ssize_t abs_size(PmObject *o)
{
    Pm_ssize_t n = Pm_SIZE(o);
    return n < 0 ? -n : n;
}
static inline bool is_medium(PmObject *o) { return (size_t)Pm_SIZE(o) + 1U < 3U; }
static inline pm_stwodigits medium_value(PmObject *o)
{
    return (pm_stwodigits)Pm_SIZE(o) * (pm_stwodigits)DIG(o)[0];
}
static inline bool is_small(pm_stwodigits v) { return -PM_NSMALLNEG <= v && v < PM_NSMALLPOS; }
static inline PmObject *small_int(PmVM *vm, pm_stwodigits v)
{
    return Pm_NewRef(vm->small_ints[v + PM_NSMALLNEG]);
}
static inline bool is_exact_int(PmVM *vm, PmObject *o) { return Pm_TYPE(o) == PMT(vm, INT); }
static PmObject *not_implemented(PmVM *vm) { return Pm_NewRef(Pm_NotImplemented(vm)); }
#define CHECK_BINOP(vm, a, b) do { \
        if (!PmLong_Check(a) || !PmLong_Check(b)) return not_implemented(vm); } while (0)

/* ====================================================================== constructors */

/* An int with room for `size` digits (at least one), ob_size = size, for which CPython
 * requests `model` bytes (0: _PyLong_New's offsetof(ob_digit) + 4 per digit). */
static PmObject *long_alloc(PmVM *vm, Pm_ssize_t size, size_t model)
{
    if ((int64_t)size > MAX_LONG_DIGITS) {
        PmErr_SetString(vm, PME(vm, OverflowError), "too many digits in integer");
        return NULL;
    }
    if ((uint64_t)size > (SIZE_MAX - MODEL_HEAD) / sizeof(pm_digit)) return PmErr_NoMemory(vm);
    size_t nd = size ? (size_t)size : 1;
    PmObject *o = pm_object_alloc(vm, PMT(vm, INT), REAL_HEAD + nd * sizeof(pm_digit),
                                  model ? model : MODEL_HEAD + nd * sizeof(pm_digit));
    if (o) Pm_SIZE(o) = size;
    return o;
}

/* CPython's _PyLong_New: an int with room for `size` digits (at least one), ob_size = size. */
PmObject *PmLong_New(PmVM *vm, Pm_ssize_t size)
{
    return long_alloc(vm, size, 0);
}

/* Drop leading zero digits (the memory is kept, as in CPython). */
static PmObject *long_normalize(PmObject *v)
{
    Pm_ssize_t j = abs_size(v);
    Pm_ssize_t i = pmla_normalize(DIG(v), j);
    if (i != j) Pm_SIZE(v) = Pm_SIZE(v) < 0 ? -i : i;
    return v;
}

/* Swap a fresh result in -5..256 for the cached object (CPython's maybe_small_long). */
static PmObject *maybe_small(PmVM *vm, PmObject *v)
{
    if (v && is_medium(v)) {
        pm_stwodigits ival = medium_value(v);
        if (is_small(ival)) {
            Pm_DECREF(vm, v);
            return small_int(vm, ival);
        }
    }
    return v;
}

/* CPython's _PyLong_FromMedium: |x| < 2**30, allocated as sizeof(PyLongObject) -- 32
 * bytes, where _PyLong_New(1) asks for 28 (tracemalloc shows the difference). */
static PmObject *from_medium(PmVM *vm, pm_stwodigits x)
{
    PmObject *v = long_alloc(vm, 1, MODEL_HEAD + 8);
    if (v == NULL) return NULL;
    Pm_SIZE(v) = x < 0 ? -1 : 1;
    DIG(v)[0] = (pm_digit)(x < 0 ? -x : x);
    return v;
}

static PmObject *from_large(PmVM *vm, pm_stwodigits ival)
{
    pm_twodigits a = ival < 0 ? 0U - (pm_twodigits)ival : (pm_twodigits)ival;
    Pm_ssize_t n = 2;
    for (pm_twodigits t = a >> (2 * PM_LONG_SHIFT); t; t >>= PM_LONG_SHIFT) n++;
    PmObject *v = PmLong_New(vm, n);
    if (v == NULL) return NULL;
    Pm_SIZE(v) = ival < 0 ? -n : n;
    for (pm_digit *p = DIG(v); a; a >>= PM_LONG_SHIFT) *p++ = (pm_digit)(a & PM_LONG_MASK);
    return v;
}

/* CPython's _PyLong_FromSTwoDigits: |x| < 2**62. */
static PmObject *from_stwodigits(PmVM *vm, pm_stwodigits x)
{
    if (is_small(x)) return small_int(vm, x);
    pm_twodigits plus_mask = (pm_twodigits)x + PM_LONG_MASK;
    if (plus_mask < (pm_twodigits)PM_LONG_MASK + PM_LONG_BASE) return from_medium(vm, x);
    return from_large(vm, x);
}

/* Negate a result the caller owns: in place when nobody else holds it. */
static void long_negate(PmVM *vm, PmObject **p)
{
    PmObject *x = *p;
    if (Pm_REFCNT(x) == 1) {
        Pm_SIZE(x) = -Pm_SIZE(x);
        return;
    }
    *p = from_stwodigits(vm, -medium_value(x));
    Pm_DECREF(vm, x);
}

/* CPython's _PyLong_Copy: an exact int with the value of src (small ints from the cache). */
static PmObject *long_copy(PmVM *vm, PmObject *src)
{
    Pm_ssize_t n = abs_size(src);
    if (n < 2) {
        pm_stwodigits ival = medium_value(src);
        if (is_small(ival)) return small_int(vm, ival);
    }
    PmObject *r = PmLong_New(vm, n);
    if (r == NULL) return NULL;
    Pm_SIZE(r) = Pm_SIZE(src);
    memcpy(DIG(r), DIG(src), (size_t)n * sizeof(pm_digit));
    return r;
}

/* int(x) for an int x: x itself when exact, else an exact copy (CPython's long_long). */
static PmObject *long_long(PmVM *vm, PmObject *v)
{
    return is_exact_int(vm, v) ? Pm_NewRef(v) : long_copy(vm, v);
}

PmObject *PmLong_FromLongLong(PmVM *vm, long long ival)
{
    if (is_small(ival)) return small_int(vm, ival);
    if (-(long long)PM_LONG_MASK <= ival && ival <= (long long)PM_LONG_MASK)
        return from_medium(vm, ival);
    unsigned long long a = ival < 0 ? (unsigned long long)(-1 - ival) + 1 : (unsigned long long)ival;
    Pm_ssize_t n = 0;
    for (unsigned long long t = a; t; t >>= PM_LONG_SHIFT) n++;
    PmObject *v = PmLong_New(vm, n);
    if (v == NULL) return NULL;
    Pm_SIZE(v) = ival < 0 ? -n : n;
    for (pm_digit *p = DIG(v); a; a >>= PM_LONG_SHIFT) *p++ = (pm_digit)(a & PM_LONG_MASK);
    return v;
}

PmObject *PmLong_FromSsize_t(PmVM *vm, Pm_ssize_t v) { return PmLong_FromLongLong(vm, v); }

PmObject *PmLong_FromUnsignedLongLong(PmVM *vm, unsigned long long ival)
{
    if (ival < PM_NSMALLPOS) return small_int(vm, (pm_stwodigits)ival);
    if (ival <= PM_LONG_MASK) return from_medium(vm, (pm_stwodigits)ival);
    Pm_ssize_t n = 0;
    for (unsigned long long t = ival; t; t >>= PM_LONG_SHIFT) n++;
    PmObject *v = PmLong_New(vm, n);
    if (v == NULL) return NULL;
    for (pm_digit *p = DIG(v); ival; ival >>= PM_LONG_SHIFT) *p++ = (pm_digit)(ival & PM_LONG_MASK);
    return v;
}

PmObject *PmLong_FromDouble(PmVM *vm, double dval)
{
    const double int_max = 9223372036854775808.0;   /* LONG_MAX + 1 on 64-bit CPython */
    if (-int_max < dval && dval < int_max) return PmLong_FromLongLong(vm, (long long)dval);
    if (isinf(dval)) {
        PmErr_SetString(vm, PME(vm, OverflowError), "cannot convert float infinity to integer");
        return NULL;
    }
    if (isnan(dval)) {
        PmErr_SetString(vm, PME(vm, ValueError), "cannot convert float NaN to integer");
        return NULL;
    }
    bool neg = dval < 0.0;
    int expo;
    double frac = frexp(neg ? -dval : dval, &expo);
    Pm_ssize_t ndig = (expo - 1) / PM_LONG_SHIFT + 1;
    PmObject *v = PmLong_New(vm, ndig);
    if (v == NULL) return NULL;
    frac = ldexp(frac, (expo - 1) % PM_LONG_SHIFT + 1);
    for (Pm_ssize_t i = ndig; --i >= 0;) {
        pm_digit bits = (pm_digit)frac;
        DIG(v)[i] = bits;
        frac = ldexp(frac - (double)bits, PM_LONG_SHIFT);
    }
    if (neg) Pm_SIZE(v) = -Pm_SIZE(v);
    return v;
}

PmObject *PmBool_FromLong(PmVM *vm, long v) { return Pm_Bool(vm, v != 0); }

static PmObject *static_int(PmVM *vm, PmType *tp, long v)
{
    PmObject *o = pm_static_alloc(vm, tp, REAL_HEAD + sizeof(pm_digit));
    if (o == NULL) return NULL;
    Pm_SIZE(o) = v < 0 ? -1 : v > 0;
    DIG(o)[0] = (pm_digit)(v < 0 ? -v : v);
    return o;
}

void pm_int_init_small(PmVM *vm)
{
    for (long v = -PM_NSMALLNEG; v < PM_NSMALLPOS; v++)
        vm->small_ints[v + PM_NSMALLNEG] = static_int(vm, PMT(vm, INT), v);
}

void pm_bool_init(PmVM *vm)
{
    vm->false_ = static_int(vm, PMT(vm, BOOL), 0);
    vm->true_ = static_int(vm, PMT(vm, BOOL), 1);
}

/* ====================================================================== conversions */

int PmLong_Sign(PmObject *o) { return Pm_SIZE(o) == 0 ? 0 : Pm_SIZE(o) < 0 ? -1 : 1; }

/* Number of bits of |v| (CPython's _PyLong_NumBits, 64-bit on every build). */
int64_t PmLong_NumBits(PmObject *v)
{
    Pm_ssize_t n = abs_size(v);
    if (n == 0) return 0;
    return (int64_t)(n - 1) * PM_LONG_SHIFT + pmla_bit_length_digit(DIG(v)[n - 1]);
}

long long PmLong_AsLongLongAndOverflow(PmVM *vm, PmObject *vv, int *overflow)
{
    *overflow = 0;
    PmObject *v = vv;
    if (!PmLong_Check(vv)) {
        v = PmNumber_Index(vm, vv);
        if (v == NULL) return -1;
    }
    long long res = -1;
    Pm_ssize_t i = Pm_SIZE(v);
    if (i >= -1 && i <= 1) {
        res = (long long)medium_value(v);
    } else {
        int sign = i < 0 ? -1 : 1;
        unsigned long long x = 0;
        for (i = abs_size(v); --i >= 0;) {
            unsigned long long prev = x;
            x = (x << PM_LONG_SHIFT) | DIG(v)[i];
            if ((x >> PM_LONG_SHIFT) != prev) { *overflow = sign; goto done; }
        }
        if (x <= (unsigned long long)LLONG_MAX) res = (long long)x * sign;
        else if (sign < 0 && x == 0 - (unsigned long long)LLONG_MIN) res = LLONG_MIN;
        else *overflow = sign;
    }
done:
    if (v != vv) Pm_DECREF(vm, v);
    return res;
}

Pm_ssize_t PmLong_AsSsize_t(PmVM *vm, PmObject *o)
{
    if (!PmLong_Check(o)) {
        PmErr_SetString(vm, PME(vm, TypeError), "an integer is required");
        return -1;
    }
    int overflow;
    long long v = PmLong_AsLongLongAndOverflow(vm, o, &overflow);
    if (overflow) {
        PmErr_SetString(vm, PME(vm, OverflowError), "Python int too large to convert to C ssize_t");
        return -1;
    }
    return (Pm_ssize_t)v;
}

/* a = x * 2**e with 0.5 <= |x| < 1 rounded half-even to 53 bits (CPython's _PyLong_Frexp). */
static double long_frexp(PmObject *a, int64_t *e)
{
    static const int half_even_correction[8] = {0, -1, -2, 1, 0, -1, 2, 1};
    pm_digit x_digits[2 + (DBL_MANT_DIG + 1) / PM_LONG_SHIFT] = {0};
    Pm_ssize_t a_size = abs_size(a), x_size;
    if (a_size == 0) { *e = 0; return 0.0; }
    int64_t a_bits = PmLong_NumBits(a);
    if (a_bits <= DBL_MANT_DIG + 2) {
        Pm_ssize_t shift_digits = (Pm_ssize_t)((DBL_MANT_DIG + 2 - a_bits) / PM_LONG_SHIFT);
        int shift_bits = (int)((DBL_MANT_DIG + 2 - a_bits) % PM_LONG_SHIFT);
        x_size = shift_digits;
        pm_digit rem = pmla_lshift(x_digits + x_size, DIG(a), a_size, shift_bits);
        x_size += a_size;
        x_digits[x_size++] = rem;
    } else {
        Pm_ssize_t shift_digits = (Pm_ssize_t)((a_bits - DBL_MANT_DIG - 2) / PM_LONG_SHIFT);
        int shift_bits = (int)((a_bits - DBL_MANT_DIG - 2) % PM_LONG_SHIFT);
        pm_digit rem = pmla_rshift(x_digits, DIG(a) + shift_digits, a_size - shift_digits,
                                   shift_bits);
        x_size = a_size - shift_digits;
        if (rem) x_digits[0] |= 1;           /* sticky bit for correct rounding */
        else
            while (shift_digits > 0)
                if (DIG(a)[--shift_digits]) { x_digits[0] |= 1; break; }
    }
    x_digits[0] += half_even_correction[x_digits[0] & 7];
    double dx = x_digits[--x_size];
    while (x_size > 0) dx = dx * PM_LONG_BASE + x_digits[--x_size];
    dx /= 4.0 * 9007199254740992.0;           /* 2**(DBL_MANT_DIG + 2) */
    if (dx == 1.0) { dx = 0.5; a_bits += 1; }
    *e = a_bits;
    return Pm_SIZE(a) < 0 ? -dx : dx;
}

double PmLong_AsDouble(PmVM *vm, PmObject *v)
{
    if (!PmLong_Check(v)) {
        PmErr_SetString(vm, PME(vm, TypeError), "an integer is required");
        return -1.0;
    }
    if (is_medium(v)) return (double)medium_value(v);
    int64_t e;
    double x = long_frexp(v, &e);
    if (e > DBL_MAX_EXP) {
        PmErr_SetString(vm, PME(vm, OverflowError), "int too large to convert to float");
        return -1.0;
    }
    return ldexp(x, (int)e);
}

/* ====================================================================== text -> int */

/* The digits of s[0:n] (underscores skipped) in a power-of-two base, as a new int. */
static PmObject *digits_binary_base(PmVM *vm, const char *s, Pm_ssize_t n, Pm_ssize_t ndigits,
                                    int base)
{
    int bits_per_char = 0;
    while ((1 << (bits_per_char + 1)) <= base) bits_per_char++;
    Pm_ssize_t size = (ndigits * bits_per_char + PM_LONG_SHIFT - 1) / PM_LONG_SHIFT;
    PmObject *z = PmLong_New(vm, size);
    if (z == NULL) return NULL;
    pm_twodigits accum = 0;
    int bits_in_accum = 0;
    pm_digit *pdigit = DIG(z);
    for (const char *p = s + n; --p >= s;) {
        if (*p == '_') continue;
        accum |= (pm_twodigits)pmla_digit_value((unsigned char)*p) << bits_in_accum;
        bits_in_accum += bits_per_char;
        if (bits_in_accum >= PM_LONG_SHIFT) {
            *pdigit++ = (pm_digit)(accum & PM_LONG_MASK);
            accum >>= PM_LONG_SHIFT;
            bits_in_accum -= PM_LONG_SHIFT;
        }
    }
    if (bits_in_accum) *pdigit++ = (pm_digit)accum;
    while (pdigit - DIG(z) < size) *pdigit++ = 0;
    return long_normalize(z);
}

/* z = z * mult + c in place; grows z (CPython's "extremely rare" copy) when it is full. */
static int mul_add_digit(PmVM *vm, PmObject **pz, Pm_ssize_t *size_z, pm_twodigits mult,
                         pm_twodigits c)
{
    PmObject *z = *pz;
    pm_digit *pzd = DIG(z), *stop = pzd + Pm_SIZE(z);
    for (; pzd < stop; ++pzd) {
        c += (pm_twodigits)*pzd * mult;
        *pzd = (pm_digit)(c & PM_LONG_MASK);
        c >>= PM_LONG_SHIFT;
    }
    if (!c) return 0;
    if (Pm_SIZE(z) < *size_z) {
        *pzd = (pm_digit)c;
        Pm_SIZE(z)++;
        return 0;
    }
    PmObject *tmp = PmLong_New(vm, *size_z + 1);
    if (tmp == NULL) return -1;
    memcpy(DIG(tmp), DIG(z), (size_t)*size_z * sizeof(pm_digit));
    DIG(tmp)[*size_z] = (pm_digit)c;
    ++*size_z;
    Pm_DECREF(vm, z);
    *pz = tmp;
    return 0;
}

/* The digits of s[0:n] (underscores skipped) in any other base: quadratic, as CPython. */
static PmObject *digits_other_base(PmVM *vm, const char *s, Pm_ssize_t n, Pm_ssize_t ndigits,
                                   int base)
{
    pm_twodigits convmax = (pm_twodigits)base;
    int convwidth = 1;
    while (convmax * (pm_twodigits)base <= PM_LONG_BASE) { convmax *= (pm_twodigits)base; convwidth++; }
    double fsize_z = (double)ndigits * (log((double)base) / log((double)PM_LONG_BASE)) + 1.0;
    if (fsize_z > (double)MAX_LONG_DIGITS) {
        PmErr_SetString(vm, PME(vm, OverflowError), "too many digits in integer");
        return NULL;
    }
    Pm_ssize_t size_z = (Pm_ssize_t)fsize_z;
    PmObject *z = PmLong_New(vm, size_z);
    if (z == NULL) return NULL;
    Pm_SIZE(z) = 0;
    const char *str = s, *scan = s + n;
    while (str < scan) {
        if (*str == '_') { str++; continue; }
        pm_twodigits c = (pm_twodigits)pmla_digit_value((unsigned char)*str++);
        int i = 1;
        for (; i < convwidth && str != scan; ++str) {
            if (*str == '_') continue;
            i++;
            c = c * (pm_twodigits)base + (pm_twodigits)pmla_digit_value((unsigned char)*str);
        }
        pm_twodigits convmult = convmax;
        if (i != convwidth)
            for (convmult = (pm_twodigits)base; i > 1; --i) convmult *= (pm_twodigits)base;
        if (mul_add_digit(vm, &z, &size_z, convmult, c) < 0) { Pm_DECREF(vm, z); return NULL; }
    }
    return z;
}

static PmObject *digits_to_int(PmVM *vm, const char *s, Pm_ssize_t n, Pm_ssize_t ndigits,
                               int base)
{
    if ((base & (base - 1)) == 0) return digits_binary_base(vm, s, n, ndigits, base);
    if (ndigits > MAX_STR_DIGITS_THRESHOLD && ndigits > MAX_STR_DIGITS) {
        PmErr_Format(vm, PME(vm, ValueError), LIMIT_TO_INT, (int)MAX_STR_DIGITS, ndigits);
        return NULL;
    }
    return digits_other_base(vm, s, n, ndigits, base);
}

/*
 * CPython's PyLong_FromString over the ASCII text s[0:len] (which must be followed by a
 * readable byte).  Returns the int; NULL without an exception when the text is not a
 * literal of the base; NULL with one for the digit limit or memory.
 */
static PmObject *parse_int(PmVM *vm, const char *str, size_t len, int base)
{
    const char *end = str + len;
    int sign = 1;
    bool error_if_nonzero = false;
    while (str < end && pmla_is_space((unsigned char)*str)) str++;
    if (str < end && (*str == '+' || *str == '-')) sign = *str++ == '-' ? -1 : 1;
    char c0 = str < end ? str[0] : 0, c1 = str + 1 < end ? str[1] : 0;
    if (base == 0) {
        if (c0 != '0') base = 10;
        else if (c1 == 'x' || c1 == 'X') base = 16;
        else if (c1 == 'o' || c1 == 'O') base = 8;
        else if (c1 == 'b' || c1 == 'B') base = 2;
        else { error_if_nonzero = true; base = 10; }
    }
    if (c0 == '0' && ((base == 16 && (c1 == 'x' || c1 == 'X')) ||
                      (base == 8 && (c1 == 'o' || c1 == 'O')) ||
                      (base == 2 && (c1 == 'b' || c1 == 'B')))) {
        str += 2;
        if (str < end && *str == '_') ++str;       /* one underscore allowed here */
    }
    if (str < end && *str == '_') return NULL;
    const char *start = str, *stop = str;
    Pm_ssize_t ndigits = pmla_scan_digits(str, end, base, &stop);
    if (ndigits < 0) return NULL;
    PmObject *z = digits_to_int(vm, start, stop - start, ndigits, base);
    if (z == NULL) return NULL;
    str = stop;
    if ((error_if_nonzero && Pm_SIZE(z) != 0) || str == start) goto syntax;
    if (sign < 0) Pm_SIZE(z) = -Pm_SIZE(z);
    while (str < end && pmla_is_space((unsigned char)*str)) str++;
    if (str != end) goto syntax;
    return maybe_small(vm, long_normalize(z));
syntax:
    Pm_DECREF(vm, z);
    return NULL;
}

/* ValueError "invalid literal for int() with base B: %.200R". */
static PmObject *invalid_literal(PmVM *vm, PmObject *text, int base)
{
    PmObject *r = PmObject_Repr(vm, text);
    if (r == NULL) return NULL;
    if (PmStr_GET_LENGTH(r) > 200) {
        PmObject *cut = PmStr_Substring(vm, r, 0, 200);
        Pm_DECREF(vm, r);
        if (cut == NULL) return NULL;
        r = cut;
    }
    PmErr_Format(vm, PME(vm, ValueError), "invalid literal for int() with base %d: %U", base, r);
    Pm_DECREF(vm, r);
    return NULL;
}

/* Code points of a str transformed to ASCII (NUL-terminated, malloc'd); NULL: no memory. */
static char *ascii_of_str(PmObject *u, size_t *len)
{
    Pm_ssize_t n = PmStr_GET_LENGTH(u), i;
    char *buf = malloc((size_t)n + 1);
    if (buf == NULL) return NULL;
    for (i = 0; i < n; i++) {
        int c = pmla_transform_char(PmStr_READ(u, i));
        if (c < 0) { buf[i++] = '?'; break; }
        buf[i] = (char)c;
    }
    buf[i] = 0;
    *len = (size_t)i;
    return buf;
}

/* int(u, base) for a str u (CPython's PyLong_FromUnicodeObject). */
static PmObject *long_from_unicode(PmVM *vm, PmObject *u, int base)
{
    PmStr *s = (PmStr *)u;
    PmObject *r;
    if (s->ascii) {
        r = parse_int(vm, (const char *)PmStr_DATA(u), (size_t)s->length, base);
    } else {
        size_t len;
        char *buf = ascii_of_str(u, &len);
        if (buf == NULL) return PmErr_NoMemory(vm);
        r = parse_int(vm, buf, len, base);
        free(buf);
    }
    if (r == NULL && !PmErr_Occurred(vm)) return invalid_literal(vm, u, base);
    return r;
}

PmObject *PmLong_FromString(PmVM *vm, const char *s, size_t len, int base)
{
    if ((base != 0 && base < 2) || base > 36) {
        PmErr_SetString(vm, PME(vm, ValueError), "int() arg 2 must be >= 2 and <= 36");
        return NULL;
    }
    PmObject *u = PmStr_FromUTF8(vm, s, len);
    if (u == NULL) return NULL;
    PmObject *r = long_from_unicode(vm, u, base);
    Pm_DECREF(vm, u);
    return r;
}

PmObject *PmLong_FromDigits(PmVM *vm, const char *digits, size_t len, int base)
{
    PmObject *z = digits_to_int(vm, digits, (Pm_ssize_t)len, (Pm_ssize_t)len, base);
    return maybe_small(vm, z ? long_normalize(z) : NULL);
}

/* ====================================================================== dealloc */

/* Also the dealloc of heap subclasses of int (they inherit it): those are GC types. */
static void long_dealloc(PmVM *vm, PmObject *o)
{
    if (PmObject_IS_GC(o)) pm_gc_untrack(vm, o);
    pm_object_free(vm, o);
}

/* ====================================================================== int -> text */

static PmObject *limit_to_str(PmVM *vm)
{
    return PmErr_Format(vm, PME(vm, ValueError), LIMIT_TO_STR, (int)MAX_STR_DIGITS);
}

/* A text buffer: a caller's stack array, or malloc'd when that is too small. */
typedef struct TextBuf {
    char *p;
    char small[64];
} TextBuf;

static char *textbuf_get(PmVM *vm, TextBuf *b, size_t n)
{
    b->p = n <= sizeof b->small ? b->small : malloc(n);
    if (b->p == NULL) PmErr_NoMemory(vm);
    return b->p;
}
static void textbuf_free(TextBuf *b) { if (b->p != b->small) free(b->p); }

/* Decimal text of a (with '-' when `sign` and a < 0), CPython's
 * long_to_decimal_string_internal with its digit limit; returns the start, NULL + exc. */
static char *long_decimal(PmVM *vm, PmObject *a, bool sign, TextBuf *tb, Pm_ssize_t *plen)
{
    Pm_ssize_t size_a = abs_size(a);
    bool negative = sign && Pm_SIZE(a) < 0;
    if (size_a >= 10 * MAX_STR_DIGITS_THRESHOLD / (3 * PM_LONG_SHIFT) + 2 &&
        MAX_STR_DIGITS / (3 * PM_LONG_SHIFT) <= (size_a - 11) / 10) {
        limit_to_str(vm);
        return NULL;
    }
    Pm_ssize_t bound = pmla_decimal_bound(size_a);
    pm_digit *scratch = pm_mem_alloc(vm, (size_t)bound * sizeof(pm_digit),
                                     MODEL_HEAD + (size_t)bound * sizeof(pm_digit));
    if (scratch == NULL) return NULL;
    Pm_ssize_t size = pmla_to_decimal(scratch, DIG(a), size_a);
    Pm_ssize_t ndig = pmla_decimal_length(scratch, size);
    if (ndig + negative > MAX_STR_DIGITS_THRESHOLD && ndig > MAX_STR_DIGITS) {
        pm_mem_free(vm, scratch);
        limit_to_str(vm);
        return NULL;
    }
    char *buf = textbuf_get(vm, tb, (size_t)(ndig + negative + 1));
    if (buf == NULL) { pm_mem_free(vm, scratch); return NULL; }
    char *p = pmla_write_decimal(buf + ndig + negative, scratch, size);
    if (negative) *--p = '-';
    buf[ndig + negative] = 0;
    pm_mem_free(vm, scratch);
    *plen = ndig + negative;
    return buf;
}

/* Text of a in base 2, 8 or 16 (CPython's long_format_binary); `sign`: '-' for negatives;
 * `prefix`: 0b/0o/0x. */
static char *long_binary(PmVM *vm, PmObject *a, int base, bool sign, bool prefix, TextBuf *tb,
                         Pm_ssize_t *plen)
{
    int bits = base == 16 ? 4 : base == 8 ? 3 : 1;
    Pm_ssize_t size_a = abs_size(a);
    bool negative = sign && Pm_SIZE(a) < 0;
    int64_t nbits = PmLong_NumBits(a);
    size_t sz = negative + (size_a == 0 ? 1 : (size_t)((nbits + bits - 1) / bits)) + (prefix ? 2 : 0);
    char *buf = textbuf_get(vm, tb, sz + 1);
    if (buf == NULL) return NULL;
    char *p = buf + sz;
    *p = 0;
    p = pmla_write_binary(p, DIG(a), size_a, bits);
    if (prefix) {
        *--p = base == 16 ? 'x' : base == 8 ? 'o' : 'b';
        *--p = '0';
    }
    if (negative) *--p = '-';
    *plen = (Pm_ssize_t)sz;
    return buf;
}

static char *long_text(PmVM *vm, PmObject *a, int base, bool sign, bool prefix, TextBuf *tb,
                       Pm_ssize_t *plen)
{
    if (base == 10) return long_decimal(vm, a, sign, tb, plen);
    return long_binary(vm, a, base, sign, prefix, tb, plen);
}

PmObject *PmLong_Format(PmVM *vm, PmObject *o, int base, bool prefix)
{
    TextBuf tb;
    Pm_ssize_t n;
    char *s = long_text(vm, o, base, true, prefix, &tb, &n);
    if (s == NULL) return NULL;
    /* CPython's long_to_decimal_string / long_format_binary return the PyUnicode_New
     * they filled: a new str even for one digit (str(3) is not the cached "3"; it is a
     * 50-byte allocation tracemalloc sees) */
    PmObject *r = PmStr_New(vm, n, 127);
    if (r) memcpy(PmStr_DATA(r), s, (size_t)n);
    textbuf_free(&tb);
    return r;
}

static PmObject *long_repr(PmVM *vm, PmObject *o) { return PmLong_Format(vm, o, 10, false); }

static PmObject *bool_repr(PmVM *vm, PmObject *o)
{
    return PmStr_InternFromString(vm, o == Pm_True(vm) ? "True" : "False");
}

/* ====================================================================== hash, compare */

#define HASH_BITS 61
#define HASH_MODULUS (((uint64_t)1 << HASH_BITS) - 1)

Pm_hash_t PmLong_Hash(PmObject *v)
{
    Pm_ssize_t i = Pm_SIZE(v);
    switch (i) {
    case -1: return DIG(v)[0] == 1 ? -2 : -(Pm_hash_t)DIG(v)[0];
    case 0: return 0;
    case 1: return DIG(v)[0];
    }
    int sign = i < 0 ? -1 : 1;
    uint64_t x = 0;
    for (i = abs_size(v); --i >= 0;) {
        x = ((x << PM_LONG_SHIFT) & HASH_MODULUS) | (x >> (HASH_BITS - PM_LONG_SHIFT));
        x += DIG(v)[i];
        if (x >= HASH_MODULUS) x -= HASH_MODULUS;
    }
    x = sign < 0 ? 0 - x : x;
    if (x == (uint64_t)-1) x = (uint64_t)-2;
    return (Pm_hash_t)x;
}

static Pm_hash_t long_hash(PmVM *vm, PmObject *o)
{
    (void)vm;
    return PmLong_Hash(o);
}

static Pm_ssize_t long_compare(PmObject *a, PmObject *b)
{
    Pm_ssize_t sign = Pm_SIZE(a) - Pm_SIZE(b);
    if (sign == 0) {
        Pm_ssize_t i = abs_size(a);
        int64_t diff = 0;
        while (--i >= 0) {
            diff = (int64_t)DIG(a)[i] - (int64_t)DIG(b)[i];
            if (diff) break;
        }
        sign = (Pm_ssize_t)(Pm_SIZE(a) < 0 ? -diff : diff);
    }
    return sign;
}

static bool compare_result(Pm_ssize_t c, int op)
{
    switch (op) {
    case Pm_LT: return c < 0;
    case Pm_LE: return c <= 0;
    case Pm_EQ: return c == 0;
    case Pm_NE: return c != 0;
    case Pm_GT: return c > 0;
    default: return c >= 0;
    }
}

static PmObject *long_richcompare(PmVM *vm, PmObject *a, PmObject *b, int op)
{
    CHECK_BINOP(vm, a, b);
    Pm_ssize_t c = a == b ? 0 : long_compare(a, b);
    return Pm_Bool(vm, compare_result(c, op));
}

/* ====================================================================== + - * */

/* |a| + |b| */
static PmObject *x_add(PmVM *vm, PmObject *a, PmObject *b)
{
    Pm_ssize_t size_a = abs_size(a), size_b = abs_size(b);
    if (size_a < size_b) {
        PmObject *t = a; a = b; b = t;
        Pm_ssize_t s = size_a; size_a = size_b; size_b = s;
    }
    PmObject *z = PmLong_New(vm, size_a + 1);
    if (z == NULL) return NULL;
    pmla_add(DIG(z), DIG(a), size_a, DIG(b), size_b);
    return long_normalize(z);
}

/* |a| - |b| */
static PmObject *x_sub(PmVM *vm, PmObject *a, PmObject *b)
{
    Pm_ssize_t size_a = abs_size(a), size_b = abs_size(b);
    int sign = 1;
    if (size_a < size_b) {
        sign = -1;
        PmObject *t = a; a = b; b = t;
        Pm_ssize_t s = size_a; size_a = size_b; size_b = s;
    } else if (size_a == size_b) {
        Pm_ssize_t i = size_a;
        while (--i >= 0 && DIG(a)[i] == DIG(b)[i]) {}
        if (i < 0) return small_int(vm, 0);
        if (DIG(a)[i] < DIG(b)[i]) {
            sign = -1;
            PmObject *t = a; a = b; b = t;
        }
        size_a = size_b = i + 1;
    }
    PmObject *z = PmLong_New(vm, size_a);
    if (z == NULL) return NULL;
    pmla_sub(DIG(z), DIG(a), size_a, DIG(b), size_b);
    if (sign < 0) Pm_SIZE(z) = -Pm_SIZE(z);
    return maybe_small(vm, long_normalize(z));
}

static PmObject *long_add_ints(PmVM *vm, PmObject *a, PmObject *b)
{
    if (is_medium(a) && is_medium(b)) return from_stwodigits(vm, medium_value(a) + medium_value(b));
    PmObject *z;
    if (Pm_SIZE(a) < 0) {
        if (Pm_SIZE(b) < 0) {
            z = x_add(vm, a, b);
            if (z) Pm_SIZE(z) = -Pm_SIZE(z);
        } else {
            z = x_sub(vm, b, a);
        }
    } else {
        z = Pm_SIZE(b) < 0 ? x_sub(vm, a, b) : x_add(vm, a, b);
    }
    return z;
}

static PmObject *long_sub_ints(PmVM *vm, PmObject *a, PmObject *b)
{
    if (is_medium(a) && is_medium(b)) return from_stwodigits(vm, medium_value(a) - medium_value(b));
    PmObject *z;
    if (Pm_SIZE(a) < 0) {
        if (Pm_SIZE(b) < 0) {
            z = x_sub(vm, b, a);
        } else {
            z = x_add(vm, a, b);
            if (z) Pm_SIZE(z) = -Pm_SIZE(z);
        }
    } else {
        z = Pm_SIZE(b) < 0 ? x_add(vm, a, b) : x_sub(vm, a, b);
    }
    return z;
}

static PmObject *long_add(PmVM *vm, PmObject *a, PmObject *b)
{
    CHECK_BINOP(vm, a, b);
    return long_add_ints(vm, a, b);
}

static PmObject *long_sub(PmVM *vm, PmObject *a, PmObject *b)
{
    CHECK_BINOP(vm, a, b);
    return long_sub_ints(vm, a, b);
}

/* |a| * |b| (grade school; squaring when a is b). */
static PmObject *k_mul(PmVM *vm, PmObject *a, PmObject *b)
{
    Pm_ssize_t size_a = abs_size(a), size_b = abs_size(b);
    if (size_a > size_b) {
        PmObject *t = a; a = b; b = t;
        Pm_ssize_t s = size_a; size_a = size_b; size_b = s;
    }
    if (size_a == 0) return small_int(vm, 0);
    PmObject *z = PmLong_New(vm, size_a + size_b);
    if (z == NULL) return NULL;
    if (a == b) pmla_sqr(DIG(z), DIG(a), size_a);
    else pmla_mul(DIG(z), DIG(a), size_a, DIG(b), size_b);
    return long_normalize(z);
}

static PmObject *long_mul_ints(PmVM *vm, PmObject *a, PmObject *b)
{
    if (is_medium(a) && is_medium(b)) return from_stwodigits(vm, medium_value(a) * medium_value(b));
    PmObject *z = k_mul(vm, a, b);
    if (z && ((Pm_SIZE(a) ^ Pm_SIZE(b)) < 0)) long_negate(vm, &z);
    return z;
}

static PmObject *long_mul(PmVM *vm, PmObject *a, PmObject *b)
{
    CHECK_BINOP(vm, a, b);
    return long_mul_ints(vm, a, b);
}

/* ====================================================================== division */

/* |a| / n for one digit n: quotient (normalised) and remainder. */
static PmObject *divrem1(PmVM *vm, PmObject *a, pm_digit n, pm_digit *prem)
{
    Pm_ssize_t size = abs_size(a);
    PmObject *z = PmLong_New(vm, size);
    if (z == NULL) return NULL;
    *prem = pmla_divrem1(DIG(z), DIG(a), size, n);
    return long_normalize(z);
}

static pm_digit rem1_digit(PmObject *a, pm_digit n)
{
    pm_twodigits rem = 0;
    for (Pm_ssize_t i = abs_size(a); --i >= 0;)
        rem = ((rem << PM_LONG_SHIFT) | DIG(a)[i]) % n;
    return (pm_digit)rem;
}

/* |v1| divmod |w1| by Knuth's algorithm D; 2 <= |w1| digits <= |v1| digits. */
static PmObject *x_divrem(PmVM *vm, PmObject *v1, PmObject *w1, PmObject **prem)
{
    Pm_ssize_t size_v = abs_size(v1), size_w = abs_size(w1);
    *prem = NULL;
    PmObject *v = PmLong_New(vm, size_v + 1);
    if (v == NULL) return NULL;
    PmObject *w = PmLong_New(vm, size_w);
    if (w == NULL) { Pm_DECREF(vm, v); return NULL; }
    int d = PM_LONG_SHIFT - pmla_bit_length_digit(DIG(w1)[size_w - 1]);
    pmla_lshift(DIG(w), DIG(w1), size_w, d);
    pm_digit carry = pmla_lshift(DIG(v), DIG(v1), size_v, d);
    if (carry != 0 || DIG(v)[size_v - 1] >= DIG(w)[size_w - 1]) DIG(v)[size_v++] = carry;
    Pm_ssize_t k = size_v - size_w;
    PmObject *a = PmLong_New(vm, k);
    if (a == NULL) { Pm_DECREF(vm, w); Pm_DECREF(vm, v); return NULL; }
    pmla_divrem_knuth(DIG(v), size_v, DIG(w), size_w, DIG(a));
    pmla_rshift(DIG(w), DIG(v), size_w, d);      /* the remainder, unshifted, into w */
    Pm_DECREF(vm, v);
    *prem = long_normalize(w);
    return long_normalize(a);
}

static PmObject *zero_division(PmVM *vm, const char *msg)
{
    PmErr_SetString(vm, PME(vm, ZeroDivisionError), msg);
    return NULL;
}

static bool abs_less(PmObject *a, PmObject *b)
{
    Pm_ssize_t size_a = abs_size(a), size_b = abs_size(b);
    return size_a < size_b || (size_a == size_b && DIG(a)[size_a - 1] < DIG(b)[size_b - 1]);
}

/* Truncating division: quotient with the sign of a*b, remainder with the sign of a. */
static int long_divrem(PmVM *vm, PmObject *a, PmObject *b, PmObject **pdiv, PmObject **prem)
{
    PmObject *z;
    if (Pm_SIZE(b) == 0) {
        zero_division(vm, "integer division or modulo by zero");
        return -1;
    }
    if (abs_less(a, b)) {
        if ((*prem = long_long(vm, a)) == NULL) return -1;
        *pdiv = small_int(vm, 0);
        return 0;
    }
    if (abs_size(b) == 1) {
        pm_digit rem = 0;
        if ((z = divrem1(vm, a, DIG(b)[0], &rem)) == NULL) return -1;
        if ((*prem = PmLong_FromLongLong(vm, rem)) == NULL) { Pm_DECREF(vm, z); return -1; }
    } else {
        z = x_divrem(vm, a, b, prem);
        *prem = maybe_small(vm, *prem);
        if (z == NULL) return -1;
    }
    if ((Pm_SIZE(a) < 0) != (Pm_SIZE(b) < 0)) {
        long_negate(vm, &z);
        if (z == NULL) { Pm_CLEAR(vm, *prem); return -1; }
    }
    if (Pm_SIZE(a) < 0 && Pm_SIZE(*prem) != 0) {
        long_negate(vm, prem);
        if (*prem == NULL) { Pm_DECREF(vm, z); return -1; }
    }
    *pdiv = maybe_small(vm, z);
    return 0;
}

/* Truncating remainder only (CPython 3.11's long_rem). */
static int long_rem(PmVM *vm, PmObject *a, PmObject *b, PmObject **prem)
{
    if (Pm_SIZE(b) == 0) {
        zero_division(vm, "integer modulo by zero");
        return -1;
    }
    if (abs_less(a, b)) return -((*prem = long_long(vm, a)) == NULL);
    if (abs_size(b) == 1) {
        *prem = PmLong_FromLongLong(vm, rem1_digit(a, DIG(b)[0]));
    } else {
        PmObject *q = x_divrem(vm, a, b, prem);
        Pm_XDECREF(vm, q);
        *prem = maybe_small(vm, *prem);
    }
    if (*prem == NULL) return -1;
    if (Pm_SIZE(a) < 0 && Pm_SIZE(*prem) != 0) {
        long_negate(vm, prem);
        if (*prem == NULL) return -1;
    }
    return 0;
}

static PmObject *fast_mod(PmVM *vm, PmObject *a, PmObject *b)
{
    int32_t left = (int32_t)DIG(a)[0], right = (int32_t)DIG(b)[0], mod;
    if (Pm_SIZE(a) == Pm_SIZE(b)) mod = left % right;
    else mod = right - 1 - (left - 1) % right;
    return PmLong_FromLongLong(vm, (long long)mod * (long long)Pm_SIZE(b));
}

static PmObject *fast_floor_div(PmVM *vm, PmObject *a, PmObject *b)
{
    int32_t left = (int32_t)DIG(a)[0], right = (int32_t)DIG(b)[0], div;
    if (Pm_SIZE(a) == Pm_SIZE(b)) div = left / right;
    else div = -1 - (left - 1) / right;
    return PmLong_FromLongLong(vm, div);
}

static bool one_digit(PmObject *o) { return abs_size(o) == 1; }

/* Floor division and modulo: *pdiv, *pmod = divmod(v, w); either may be NULL. */
static int l_divmod(PmVM *vm, PmObject *v, PmObject *w, PmObject **pdiv, PmObject **pmod)
{
    PmObject *div, *mod;
    if (one_digit(v) && one_digit(w)) {
        div = NULL;
        if (pdiv && (div = fast_floor_div(vm, v, w)) == NULL) return -1;
        if (pmod) {
            if ((mod = fast_mod(vm, v, w)) == NULL) { Pm_XDECREF(vm, div); return -1; }
            *pmod = mod;
        }
        if (pdiv) *pdiv = div;
        return 0;
    }
    if (long_divrem(vm, v, w, &div, &mod) < 0) return -1;
    if ((Pm_SIZE(mod) < 0 && Pm_SIZE(w) > 0) || (Pm_SIZE(mod) > 0 && Pm_SIZE(w) < 0)) {
        PmObject *t = long_add_ints(vm, mod, w);
        Pm_DECREF(vm, mod);
        mod = t;
        if (mod == NULL) { Pm_DECREF(vm, div); return -1; }
        t = long_sub_ints(vm, div, vm->small_ints[1 + PM_NSMALLNEG]);
        Pm_DECREF(vm, div);
        div = t;
        if (div == NULL) { Pm_DECREF(vm, mod); return -1; }
    }
    if (pdiv) *pdiv = div; else Pm_DECREF(vm, div);
    if (pmod) *pmod = mod; else Pm_DECREF(vm, mod);
    return 0;
}

static int l_mod(PmVM *vm, PmObject *v, PmObject *w, PmObject **pmod)
{
    if (one_digit(v) && one_digit(w)) return -((*pmod = fast_mod(vm, v, w)) == NULL);
    PmObject *mod;
    if (long_rem(vm, v, w, &mod) < 0) return -1;
    if ((Pm_SIZE(mod) < 0 && Pm_SIZE(w) > 0) || (Pm_SIZE(mod) > 0 && Pm_SIZE(w) < 0)) {
        PmObject *t = long_add_ints(vm, mod, w);
        Pm_DECREF(vm, mod);
        if ((mod = t) == NULL) return -1;
    }
    *pmod = mod;
    return 0;
}

static PmObject *long_div(PmVM *vm, PmObject *a, PmObject *b)
{
    CHECK_BINOP(vm, a, b);
    if (one_digit(a) && one_digit(b)) return fast_floor_div(vm, a, b);
    PmObject *div;
    return l_divmod(vm, a, b, &div, NULL) < 0 ? NULL : div;
}

static PmObject *long_mod(PmVM *vm, PmObject *a, PmObject *b)
{
    CHECK_BINOP(vm, a, b);
    PmObject *mod;
    return l_mod(vm, a, b, &mod) < 0 ? NULL : mod;
}

static PmObject *pair_steal(PmVM *vm, PmObject *a, PmObject *b)
{
    PmObject *t = PmTuple_New(vm, 2);
    if (t == NULL) {
        Pm_DECREF(vm, a);
        Pm_DECREF(vm, b);
        return NULL;
    }
    PmTuple_SET_ITEM(t, 0, a);
    PmTuple_SET_ITEM(t, 1, b);
    return t;
}

static PmObject *long_divmod(PmVM *vm, PmObject *a, PmObject *b)
{
    CHECK_BINOP(vm, a, b);
    PmObject *div, *mod;
    if (l_divmod(vm, a, b, &div, &mod) < 0) return NULL;
    return pair_steal(vm, div, mod);
}

PmObject *PmLong_DivMod(PmVM *vm, PmObject *a, PmObject *b) { return long_divmod(vm, a, b); }

/* x = |a| shifted so that x // |b| has DBL_MANT_DIG + 2 or 3 bits (long_true_divide step 2);
 * sets *inexact when bits were shifted out. */
static PmObject *truediv_shifted(PmVM *vm, PmObject *a, Pm_ssize_t shift, int *inexact)
{
    Pm_ssize_t a_size = abs_size(a);
    PmObject *x;
    if (shift <= 0) {
        Pm_ssize_t shift_digits = -shift / PM_LONG_SHIFT;
        if ((x = PmLong_New(vm, a_size + shift_digits + 1)) == NULL) return NULL;
        memset(DIG(x), 0, (size_t)shift_digits * sizeof(pm_digit));
        DIG(x)[a_size + shift_digits] =
            pmla_lshift(DIG(x) + shift_digits, DIG(a), a_size, (int)(-shift % PM_LONG_SHIFT));
    } else {
        Pm_ssize_t shift_digits = shift / PM_LONG_SHIFT;
        if ((x = PmLong_New(vm, a_size - shift_digits)) == NULL) return NULL;
        if (pmla_rshift(DIG(x), DIG(a) + shift_digits, a_size - shift_digits,
                        (int)(shift % PM_LONG_SHIFT)))
            *inexact = 1;
        while (!*inexact && shift_digits > 0)
            if (DIG(a)[--shift_digits]) *inexact = 1;
    }
    return long_normalize(x);
}

/* a / b correctly rounded (CPython's long_true_divide); NULL + exc, or *result. */
static int truediv_double(PmVM *vm, PmObject *a, PmObject *b, double *result)
{
    const Pm_ssize_t MANT_DIG_DIGITS = DBL_MANT_DIG / PM_LONG_SHIFT;
    const int MANT_DIG_BITS = DBL_MANT_DIG % PM_LONG_SHIFT;
    Pm_ssize_t a_size = abs_size(a), b_size = abs_size(b);
    bool negate = (Pm_SIZE(a) < 0) ^ (Pm_SIZE(b) < 0);
    if (b_size == 0) { zero_division(vm, "division by zero"); return -1; }
    if (a_size == 0) goto underflow_or_zero;
    bool a_small = a_size <= MANT_DIG_DIGITS ||
        (a_size == MANT_DIG_DIGITS + 1 && DIG(a)[MANT_DIG_DIGITS] >> MANT_DIG_BITS == 0);
    bool b_small = b_size <= MANT_DIG_DIGITS ||
        (b_size == MANT_DIG_DIGITS + 1 && DIG(b)[MANT_DIG_DIGITS] >> MANT_DIG_BITS == 0);
    if (a_small && b_small) {
        double da = DIG(a)[--a_size], db = DIG(b)[--b_size];
        while (a_size > 0) da = da * PM_LONG_BASE + DIG(a)[--a_size];
        while (b_size > 0) db = db * PM_LONG_BASE + DIG(b)[--b_size];
        *result = negate ? -(da / db) : da / db;
        return 0;
    }
    int64_t diff = PmLong_NumBits(a) - PmLong_NumBits(b);
    if (diff > DBL_MAX_EXP) goto overflow;
    if (diff < DBL_MIN_EXP - DBL_MANT_DIG - 1) goto underflow_or_zero;
    Pm_ssize_t shift = (Pm_ssize_t)((diff > DBL_MIN_EXP ? diff : DBL_MIN_EXP) - DBL_MANT_DIG - 2);
    int inexact = 0;
    PmObject *x = truediv_shifted(vm, a, shift, &inexact);
    if (x == NULL) return -1;
    if (b_size == 1) {
        pm_digit rem = pmla_divrem1(DIG(x), DIG(x), Pm_SIZE(x), DIG(b)[0]);
        long_normalize(x);
        if (rem) inexact = 1;
    } else {
        PmObject *rem, *div = x_divrem(vm, x, b, &rem);
        Pm_DECREF(vm, x);
        if ((x = div) == NULL) return -1;
        if (Pm_SIZE(rem)) inexact = 1;
        Pm_DECREF(vm, rem);
    }
    Pm_ssize_t x_size = abs_size(x);
    int64_t x_bits = PmLong_NumBits(x);
    int64_t extra_bits = (x_bits > DBL_MIN_EXP - shift ? x_bits : DBL_MIN_EXP - shift) - DBL_MANT_DIG;
    pm_digit mask = (pm_digit)1 << (extra_bits - 1);
    pm_digit low = DIG(x)[0] | (pm_digit)inexact;
    if ((low & mask) && (low & (3U * mask - 1U))) low += mask;
    DIG(x)[0] = low & ~(2U * mask - 1U);
    double dx = DIG(x)[--x_size];
    while (x_size > 0) dx = dx * PM_LONG_BASE + DIG(x)[--x_size];
    Pm_DECREF(vm, x);
    if (shift + x_bits >= DBL_MAX_EXP &&
        (shift + x_bits > DBL_MAX_EXP || dx == ldexp(1.0, (int)x_bits)))
        goto overflow;
    *result = ldexp(dx, (int)shift);
    if (negate) *result = -*result;
    return 0;
underflow_or_zero:
    *result = negate ? -0.0 : 0.0;
    return 0;
overflow:
    PmErr_SetString(vm, PME(vm, OverflowError), "integer division result too large for a float");
    return -1;
}

static PmObject *long_true_divide(PmVM *vm, PmObject *a, PmObject *b)
{
    CHECK_BINOP(vm, a, b);
    double r;
    if (truediv_double(vm, a, b, &r) < 0) return NULL;
    return PmFloat_FromDouble(vm, r);
}

/* ====================================================================== pow */

/* An inverse of a modulo n > 0 by the extended Euclidean algorithm. */
static PmObject *long_invmod(PmVM *vm, PmObject *a, PmObject *n)
{
    PmObject *b = small_int(vm, 1), *c = small_int(vm, 0);
    Pm_INCREF(a);
    Pm_INCREF(n);
    while (Pm_SIZE(n) != 0) {
        PmObject *q, *r, *s, *t;
        if (l_divmod(vm, a, n, &q, &r) < 0) goto error;
        Pm_DECREF(vm, a);
        a = n;
        n = r;
        t = long_mul_ints(vm, q, c);
        Pm_DECREF(vm, q);
        if (t == NULL) goto error;
        s = long_sub_ints(vm, b, t);
        Pm_DECREF(vm, t);
        if (s == NULL) goto error;
        Pm_DECREF(vm, b);
        b = c;
        c = s;
    }
    Pm_DECREF(vm, c);
    Pm_DECREF(vm, n);
    bool one = Pm_SIZE(a) == 1 && DIG(a)[0] == 1;
    Pm_DECREF(vm, a);
    if (one) return b;
    Pm_DECREF(vm, b);
    PmErr_SetString(vm, PME(vm, ValueError), "base is not invertible for the given modulus");
    return NULL;
error:
    Pm_DECREF(vm, a);
    Pm_DECREF(vm, b);
    Pm_DECREF(vm, c);
    Pm_DECREF(vm, n);
    return NULL;
}

/* State of one modular exponentiation; c == NULL means no modulus. */
typedef struct PowState {
    PmObject *c;
} PowState;

/* *x = *x % c (no-op without modulus); steals nothing, replaces *x. */
static int pow_reduce(PmVM *vm, PowState *st, PmObject **x)
{
    if (st->c == NULL) return 0;
    PmObject *m;
    if (l_divmod(vm, *x, st->c, NULL, &m) < 0) return -1;
    Pm_DECREF(vm, *x);
    *x = m;
    return 0;
}

/* *result = x * y % c */
static int pow_mult(PmVM *vm, PowState *st, PmObject *x, PmObject *y, PmObject **result)
{
    PmObject *t = long_mul_ints(vm, x, y);
    if (t == NULL) return -1;
    Pm_XDECREF(vm, *result);
    *result = t;
    return pow_reduce(vm, st, result);
}

#define EXP_WINDOW_SIZE 5
#define EXP_TABLE_LEN (1 << (EXP_WINDOW_SIZE - 1))
#define HUGE_EXP_CUTOFF 60

/* Left-to-right binary exponentiation (HAC 14.79) for exponents of at most 2 digits. */
static int pow_binary(PmVM *vm, PowState *st, PmObject *a, PmObject *b, PmObject **z)
{
    Pm_ssize_t i = Pm_SIZE(b);
    pm_digit bi = DIG(b)[i - 1], bit;
    Pm_DECREF(vm, *z);
    *z = Pm_NewRef(a);
    for (bit = 2;; bit <<= 1)
        if (bit > bi) { bit >>= 1; break; }
    for (--i, bit >>= 1;;) {
        for (; bit != 0; bit >>= 1) {
            if (pow_mult(vm, st, *z, *z, z) < 0) return -1;
            if ((bi & bit) && pow_mult(vm, st, *z, a, z) < 0) return -1;
        }
        if (--i < 0) break;
        bi = DIG(b)[i];
        bit = (pm_digit)1 << (PM_LONG_SHIFT - 1);
    }
    return 0;
}

/* Multiply the pending window into z (CPython's ABSORB_PENDING). */
static int pow_absorb(PmVM *vm, PowState *st, PmObject **table, int *pending, int *blen,
                      PmObject **z)
{
    int ntz = 0;
    while ((*pending & 1) == 0) { ++ntz; *pending >>= 1; }
    *blen -= ntz;
    do {
        if (pow_mult(vm, st, *z, *z, z) < 0) return -1;
    } while (--*blen);
    if (pow_mult(vm, st, *z, table[*pending >> 1], z) < 0) return -1;
    while (ntz-- > 0)
        if (pow_mult(vm, st, *z, *z, z) < 0) return -1;
    *pending = 0;
    return 0;
}

/* Left-to-right k-ary sliding window exponentiation (HAC 14.85). */
static int pow_window(PmVM *vm, PowState *st, PmObject *a, PmObject *b, PmObject **z)
{
    PmObject *table[EXP_TABLE_LEN], *a2 = NULL;
    int n = 1, rc = -1, pending = 0, blen = 0;
    table[0] = Pm_NewRef(a);
    if (pow_mult(vm, st, a, a, &a2) < 0) goto done;
    for (; n < EXP_TABLE_LEN; n++) {
        table[n] = NULL;
        if (pow_mult(vm, st, table[n - 1], a2, &table[n]) < 0) { Pm_XDECREF(vm, table[n]); goto done; }
    }
    for (Pm_ssize_t i = Pm_SIZE(b) - 1; i >= 0; --i) {
        pm_digit bi = DIG(b)[i];
        for (int j = PM_LONG_SHIFT - 1; j >= 0; --j) {
            pending = (pending << 1) | (int)((bi >> j) & 1);
            if (pending) {
                if (++blen == EXP_WINDOW_SIZE && pow_absorb(vm, st, table, &pending, &blen, z) < 0)
                    goto done;
            } else if (pow_mult(vm, st, *z, *z, z) < 0) {
                goto done;
            }
        }
    }
    if (pending && pow_absorb(vm, st, table, &pending, &blen, z) < 0) goto done;
    rc = 0;
done:
    for (int i = 0; i < n; i++) Pm_DECREF(vm, table[i]);
    Pm_XDECREF(vm, a2);
    return rc;
}

/* z = a ** b (% c) with a, b, c >= 0 (a may be negative without modulus). */
static int pow_run(PmVM *vm, PowState *st, PmObject *a, PmObject *b, PmObject **z)
{
    Pm_ssize_t i = Pm_SIZE(b);
    pm_digit bi = i ? DIG(b)[i - 1] : 0;
    if (i <= 1 && bi <= 3) {
        if (bi >= 2) {
            if (pow_mult(vm, st, a, a, z) < 0) return -1;
            if (bi == 3 && pow_mult(vm, st, *z, a, z) < 0) return -1;
        } else if (bi == 1) {
            if (pow_mult(vm, st, a, *z, z) < 0) return -1;   /* int(a), reduced */
        }
        return 0;
    }
    if (i <= HUGE_EXP_CUTOFF / PM_LONG_SHIFT) return pow_binary(vm, st, a, b, z);
    return pow_window(vm, st, a, b, z);
}

/* The modulus part of pow(a, b, c): makes c positive, b non-negative, a reduced.
 * Returns 1 when the result is 0 (modulus 1), 0 to go on, -1 on error. */
static int pow_prepare_mod(PmVM *vm, PmObject **a, PmObject **b, PmObject **c, bool *neg_out)
{
    if (Pm_SIZE(*c) == 0) {
        PmErr_SetString(vm, PME(vm, ValueError), "pow() 3rd argument cannot be 0");
        return -1;
    }
    if (Pm_SIZE(*c) < 0) {
        *neg_out = true;
        PmObject *t = long_copy(vm, *c);
        if (t == NULL) return -1;
        Pm_DECREF(vm, *c);
        *c = t;
        long_negate(vm, c);
        if (*c == NULL) return -1;
    }
    if (Pm_SIZE(*c) == 1 && DIG(*c)[0] == 1) return 1;
    if (Pm_SIZE(*b) < 0) {
        PmObject *t = long_copy(vm, *b);
        if (t == NULL) return -1;
        Pm_DECREF(vm, *b);
        *b = t;
        long_negate(vm, b);
        if (*b == NULL) return -1;
        if ((t = long_invmod(vm, *a, *c)) == NULL) return -1;
        Pm_DECREF(vm, *a);
        *a = t;
    }
    if (Pm_SIZE(*a) < 0 || Pm_SIZE(*a) > Pm_SIZE(*c)) {
        PmObject *t;
        if (l_divmod(vm, *a, *c, NULL, &t) < 0) return -1;
        Pm_DECREF(vm, *a);
        *a = t;
    }
    return 0;
}

static PmObject *long_pow(PmVM *vm, PmObject *v, PmObject *w, PmObject *x)
{
    CHECK_BINOP(vm, v, w);
    PmObject *a, *b, *c = NULL, *z = NULL;
    if (x && PmLong_Check(x)) c = Pm_NewRef(x);
    else if (x && x != Pm_None(vm)) return not_implemented(vm);
    if (Pm_SIZE(w) < 0 && c == NULL)
        return PMT(vm, FLOAT)->tp_as_number.nb_power(vm, v, w, Pm_None(vm));
    a = Pm_NewRef(v);
    b = Pm_NewRef(w);
    bool negative_output = false;
    PowState st = {NULL};
    if (c) {
        int r = pow_prepare_mod(vm, &a, &b, &c, &negative_output);
        if (r < 0) goto done;
        if (r > 0) { z = small_int(vm, 0); goto done; }
    }
    st.c = c;
    z = small_int(vm, 1);
    if (pow_run(vm, &st, a, b, &z) < 0) { Pm_CLEAR(vm, z); goto done; }
    if (negative_output && Pm_SIZE(z) != 0) {
        PmObject *t = long_sub_ints(vm, z, c);
        Pm_DECREF(vm, z);
        z = t;
    }
done:
    Pm_XDECREF(vm, a);
    Pm_XDECREF(vm, b);
    Pm_XDECREF(vm, c);
    return z;
}

PmObject *PmLong_Pow(PmVM *vm, PmObject *a, PmObject *b, PmObject *mod)
{
    return long_pow(vm, a, b, mod ? mod : Pm_None(vm));
}

/* ====================================================================== unary */

static PmObject *long_invert(PmVM *vm, PmObject *v)
{
    if (is_medium(v)) return from_stwodigits(vm, ~medium_value(v));
    PmObject *x = long_add_ints(vm, v, vm->small_ints[1 + PM_NSMALLNEG]);
    if (x) long_negate(vm, &x);
    return x;
}

static PmObject *long_neg(PmVM *vm, PmObject *v)
{
    if (is_medium(v)) return from_stwodigits(vm, -medium_value(v));
    PmObject *z = long_copy(vm, v);
    if (z) Pm_SIZE(z) = -Pm_SIZE(v);
    return z;
}

static PmObject *long_abs(PmVM *vm, PmObject *v)
{
    return Pm_SIZE(v) < 0 ? long_neg(vm, v) : long_long(vm, v);
}

static int long_bool(PmVM *vm, PmObject *v)
{
    (void)vm;
    return Pm_SIZE(v) != 0;
}

static PmObject *long_float(PmVM *vm, PmObject *v)
{
    double d = PmLong_AsDouble(vm, v);
    if (d == -1.0 && PmErr_Occurred(vm)) return NULL;
    return PmFloat_FromDouble(vm, d);
}

/* ====================================================================== shifts, bitwise */

/* wordshift, remshift = divmod(shiftby, 30) for shiftby >= 0; huge shifts are clipped to
 * INT64_MAX / 4 digits (then >> gives 0 or -1 and << "too many digits in integer"). */
static void divmod_shift(PmObject *shiftby, int64_t *wordshift, pm_digit *remshift)
{
    const int64_t clip = INT64_MAX / (int64_t)sizeof(pm_digit);
    int64_t x = 0;
    for (Pm_ssize_t i = abs_size(shiftby); --i >= 0;) {
        if (x > (INT64_MAX >> PM_LONG_SHIFT)) { x = -1; break; }
        x = (x << PM_LONG_SHIFT) | DIG(shiftby)[i];
    }
    if (x >= 0 && x / PM_LONG_SHIFT < clip) {
        *wordshift = x / PM_LONG_SHIFT;
        *remshift = (pm_digit)(x % PM_LONG_SHIFT);
    } else {
        *wordshift = clip;
        *remshift = 0;
    }
}

static PmObject *long_rshift1(PmVM *vm, PmObject *a, int64_t wordshift, pm_digit remshift)
{
    if (is_medium(a)) {
        pm_stwodigits m = medium_value(a);
        int shift = wordshift == 0 ? (int)remshift : PM_LONG_SHIFT;
        return from_stwodigits(vm, m < 0 ? ~(~m >> shift) : m >> shift);
    }
    bool neg = Pm_SIZE(a) < 0;
    Pm_ssize_t size_a = abs_size(a);
    if (neg && remshift == 0) {
        if (wordshift == 0) return long_long(vm, a);
        remshift = PM_LONG_SHIFT;
        --wordshift;
    }
    if (wordshift >= size_a) return small_int(vm, neg ? -1 : 0);
    Pm_ssize_t newsize = size_a - (Pm_ssize_t)wordshift;
    PmObject *z = PmLong_New(vm, newsize);
    if (z == NULL) return NULL;
    int hishift = PM_LONG_SHIFT - (int)remshift;
    pm_twodigits accum = DIG(a)[wordshift];
    if (neg) {
        Pm_SIZE(z) = -newsize;
        pm_digit sticky = 0;
        for (Pm_ssize_t j = 0; j < (Pm_ssize_t)wordshift; j++) sticky |= DIG(a)[j];
        accum += (PM_LONG_MASK >> hishift) + (pm_digit)(sticky != 0);
    }
    accum >>= remshift;
    Pm_ssize_t i = 0;
    for (Pm_ssize_t j = (Pm_ssize_t)wordshift + 1; j < size_a; i++, j++) {
        accum += (pm_twodigits)DIG(a)[j] << hishift;
        DIG(z)[i] = (pm_digit)(accum & PM_LONG_MASK);
        accum >>= PM_LONG_SHIFT;
    }
    DIG(z)[newsize - 1] = (pm_digit)accum;
    return maybe_small(vm, long_normalize(z));
}

static PmObject *long_lshift1(PmVM *vm, PmObject *a, int64_t wordshift, pm_digit remshift)
{
    if (wordshift == 0 && is_medium(a)) {
        pm_stwodigits m = medium_value(a);
        return from_stwodigits(vm, m < 0 ? -(-m << remshift) : m << remshift);
    }
    Pm_ssize_t oldsize = abs_size(a);
    int64_t newsize64 = oldsize + wordshift + (remshift ? 1 : 0);
    if (newsize64 > MAX_LONG_DIGITS) {
        PmErr_SetString(vm, PME(vm, OverflowError), "too many digits in integer");
        return NULL;
    }
    if (newsize64 > INTPTR_MAX) return PmErr_NoMemory(vm);
    Pm_ssize_t newsize = (Pm_ssize_t)newsize64;
    PmObject *z = PmLong_New(vm, newsize);
    if (z == NULL) return NULL;
    if (Pm_SIZE(a) < 0) Pm_SIZE(z) = -Pm_SIZE(z);
    memset(DIG(z), 0, (size_t)wordshift * sizeof(pm_digit));
    pm_digit carry = pmla_lshift(DIG(z) + (Pm_ssize_t)wordshift, DIG(a), oldsize, (int)remshift);
    if (remshift) DIG(z)[newsize - 1] = carry;
    return maybe_small(vm, long_normalize(z));
}

/* The checks of a << b and a >> b: -1 error, 1 when *res is the answer, 0 to shift. */
static int shift_prepare(PmVM *vm, PmObject *a, PmObject *b, PmObject **res, int64_t *w,
                         pm_digit *r)
{
    if (Pm_SIZE(b) < 0) {
        PmErr_SetString(vm, PME(vm, ValueError), "negative shift count");
        return -1;
    }
    if (Pm_SIZE(a) == 0) {
        *res = small_int(vm, 0);
        return 1;
    }
    divmod_shift(b, w, r);
    return 0;
}

static PmObject *long_rshift(PmVM *vm, PmObject *a, PmObject *b)
{
    CHECK_BINOP(vm, a, b);
    int64_t wordshift;
    pm_digit remshift;
    PmObject *res = NULL;
    int st = shift_prepare(vm, a, b, &res, &wordshift, &remshift);
    if (st != 0) return res;
    return long_rshift1(vm, a, wordshift, remshift);
}

static PmObject *long_lshift(PmVM *vm, PmObject *a, PmObject *b)
{
    CHECK_BINOP(vm, a, b);
    int64_t wordshift;
    pm_digit remshift;
    PmObject *res = NULL;
    int st = shift_prepare(vm, a, b, &res, &wordshift, &remshift);
    if (st != 0) return res;
    return long_lshift1(vm, a, wordshift, remshift);
}

/* Two's complement of a negative operand as a new int (CPython's long_bitwise). */
static PmObject *complement_of(PmVM *vm, PmObject *a)
{
    Pm_ssize_t n = abs_size(a);
    PmObject *z = PmLong_New(vm, n);
    if (z) pmla_complement(DIG(z), DIG(a), n);
    return z;
}

static PmObject *long_bitwise(PmVM *vm, PmObject *a, char op, PmObject *b)
{
    Pm_ssize_t size_a = abs_size(a), size_b = abs_size(b), size_z, i;
    int nega = Pm_SIZE(a) < 0, negb = Pm_SIZE(b) < 0, negz;
    if ((a = nega ? complement_of(vm, a) : Pm_NewRef(a)) == NULL) return NULL;
    if ((b = negb ? complement_of(vm, b) : Pm_NewRef(b)) == NULL) { Pm_DECREF(vm, a); return NULL; }
    if (size_a < size_b) {
        PmObject *t = a; a = b; b = t;
        size_z = size_a; size_a = size_b; size_b = size_z;
        negz = nega; nega = negb; negb = negz;
    }
    switch (op) {
    case '^': negz = nega ^ negb; size_z = size_a; break;
    case '&': negz = nega & negb; size_z = negb ? size_a : size_b; break;
    default: negz = nega | negb; size_z = negb ? size_b : size_a; break;
    }
    PmObject *z = PmLong_New(vm, size_z + negz);
    if (z == NULL) { Pm_DECREF(vm, a); Pm_DECREF(vm, b); return NULL; }
    for (i = 0; i < size_b; ++i) {
        pm_digit x = DIG(a)[i], y = DIG(b)[i];
        DIG(z)[i] = op == '&' ? x & y : op == '|' ? x | y : x ^ y;
    }
    if (op == '^' && negb)
        for (; i < size_z; ++i) DIG(z)[i] = DIG(a)[i] ^ PM_LONG_MASK;
    else if (i < size_z)
        memcpy(&DIG(z)[i], &DIG(a)[i], (size_t)(size_z - i) * sizeof(pm_digit));
    if (negz) {
        Pm_SIZE(z) = -Pm_SIZE(z);
        DIG(z)[size_z] = PM_LONG_MASK;
        pmla_complement(DIG(z), DIG(z), size_z + 1);
    }
    Pm_DECREF(vm, a);
    Pm_DECREF(vm, b);
    return maybe_small(vm, long_normalize(z));
}

static PmObject *long_and(PmVM *vm, PmObject *a, PmObject *b)
{
    CHECK_BINOP(vm, a, b);
    if (is_medium(a) && is_medium(b)) return from_stwodigits(vm, medium_value(a) & medium_value(b));
    return long_bitwise(vm, a, '&', b);
}

static PmObject *long_xor(PmVM *vm, PmObject *a, PmObject *b)
{
    CHECK_BINOP(vm, a, b);
    if (is_medium(a) && is_medium(b)) return from_stwodigits(vm, medium_value(a) ^ medium_value(b));
    return long_bitwise(vm, a, '^', b);
}

static PmObject *long_or(PmVM *vm, PmObject *a, PmObject *b)
{
    CHECK_BINOP(vm, a, b);
    if (is_medium(a) && is_medium(b)) return from_stwodigits(vm, medium_value(a) | medium_value(b));
    return long_bitwise(vm, a, '|', b);
}

static bool is_bool(PmVM *vm, PmObject *o) { return o == Pm_True(vm) || o == Pm_False(vm); }

static PmObject *bool_and(PmVM *vm, PmObject *a, PmObject *b)
{
    if (!is_bool(vm, a) || !is_bool(vm, b)) return long_and(vm, a, b);
    return Pm_Bool(vm, a == Pm_True(vm) && b == Pm_True(vm));
}

static PmObject *bool_or(PmVM *vm, PmObject *a, PmObject *b)
{
    if (!is_bool(vm, a) || !is_bool(vm, b)) return long_or(vm, a, b);
    return Pm_Bool(vm, a == Pm_True(vm) || b == Pm_True(vm));
}

static PmObject *bool_xor(PmVM *vm, PmObject *a, PmObject *b)
{
    if (!is_bool(vm, a) || !is_bool(vm, b)) return long_xor(vm, a, b);
    return Pm_Bool(vm, (a == Pm_True(vm)) != (b == Pm_True(vm)));
}

/* ====================================================================== int(), bool() */

/* int(x) for any object (CPython's PyNumber_Long). */
PmObject *PmLong_FromObject(PmVM *vm, PmObject *o)
{
    if (is_exact_int(vm, o)) return Pm_NewRef(o);
    const PmNumberMethods *m = &Pm_TYPE(o)->tp_as_number;
    if (m->nb_int) {
        PmObject *r = m->nb_int(vm, o);
        if (r == NULL || is_exact_int(vm, r)) return r;
        if (!PmLong_Check(r)) {
            PmErr_Format(vm, PME(vm, TypeError), "__int__ returned non-int (type %.200s)",
                         Pm_TYPE(r)->tp_name);
            Pm_DECREF(vm, r);
            return NULL;
        }
        PmObject *c = long_copy(vm, r);
        Pm_DECREF(vm, r);
        return c;
    }
    if (m->nb_index) return PmNumber_Index(vm, o);
    if (PmType_Lookup(vm, Pm_TYPE(o), PMID(vm, __trunc__))) {
        PmObject *r = PmObject_CallMethod(vm, o, PMID(vm, __trunc__), NULL, 0);
        if (r == NULL || is_exact_int(vm, r)) return r;
        if (PmLong_Check(r)) {
            PmObject *c = long_copy(vm, r);
            Pm_DECREF(vm, r);
            return c;
        }
        if (Pm_TYPE(r)->tp_as_number.nb_index == NULL) {
            PmErr_Format(vm, PME(vm, TypeError), "__trunc__ returned non-Integral (type %.200s)",
                         Pm_TYPE(r)->tp_name);
            Pm_DECREF(vm, r);
            return NULL;
        }
        PmObject *i = PmNumber_Index(vm, r);
        Pm_DECREF(vm, r);
        return i;
    }
    if (PmStr_Check(o)) return long_from_unicode(vm, o, 10);
    return PmErr_Format(vm, PME(vm, TypeError),
                        "int() argument must be a string, a bytes-like object or a real number, "
                        "not '%.200s'", Pm_TYPE(o)->tp_name);
}

static PmObject *long_new_impl(PmVM *vm, PmType *type, PmObject *x, PmObject *obase);

/* An instance of a heap subclass of int with room for n digits, ob_size = n.  The instance
 * is the int struct alone (the class machinery gives these subclasses no attribute storage);
 * modelled as CPython's PyType_GenericAlloc(type, n): GC head + round8(basicsize + (n+1)*4). */
static PmObject *long_subtype_alloc(PmVM *vm, PmType *type, Pm_ssize_t n)
{
    size_t nd = n ? (size_t)n : 1;
    size_t model = ((size_t)type->tp_basicsize + (size_t)(n + 1) * sizeof(pm_digit) + 7) & ~(size_t)7;
    if (PmType_HasFeature(type, PM_TPFLAGS_HAVE_GC)) model += PM_MODEL_GC_HEAD;
    PmObject *o = pm_object_alloc(vm, type, REAL_HEAD + nd * sizeof(pm_digit), model);
    if (o) Pm_SIZE(o) = n;
    return o;
}

/* An instance of a subclass of int holding the value of tmp (CPython's long_subtype_new). */
static PmObject *long_subtype_new(PmVM *vm, PmType *type, PmObject *x, PmObject *obase)
{
    PmObject *tmp = long_new_impl(vm, PMT(vm, INT), x, obase);
    if (tmp == NULL) return NULL;
    Pm_ssize_t n = abs_size(tmp);
    PmObject *o = long_subtype_alloc(vm, type, n);
    if (o) {
        Pm_SIZE(o) = Pm_SIZE(tmp);
        memcpy(DIG(o), DIG(tmp), (size_t)n * sizeof(pm_digit));
        /* heap subclasses are GC types; tracked (as in CPython) once the class machinery
         * gives them a tp_traverse (it visits the type) */
        if (PmObject_IS_GC(o) && Pm_TYPE(o)->tp_traverse) pm_gc_track(vm, o);
    }
    Pm_DECREF(vm, tmp);
    return o;
}

static PmObject *long_new_impl(PmVM *vm, PmType *type, PmObject *x, PmObject *obase)
{
    if (type != PMT(vm, INT)) return long_subtype_new(vm, type, x, obase);
    if (x == NULL) {
        if (obase) {
            PmErr_SetString(vm, PME(vm, TypeError), "int() missing string argument");
            return NULL;
        }
        return small_int(vm, 0);
    }
    if (obase == NULL) return PmLong_FromObject(vm, x);
    Pm_ssize_t base = PmNumber_AsSsize_t(vm, obase, NULL);
    if (base == -1 && PmErr_Occurred(vm)) return NULL;
    if ((base != 0 && base < 2) || base > 36) {
        PmErr_SetString(vm, PME(vm, ValueError), "int() base must be >= 2 and <= 36, or 0");
        return NULL;
    }
    if (PmStr_Check(x)) return long_from_unicode(vm, x, (int)base);
    PmErr_SetString(vm, PME(vm, TypeError), "int() can't convert non-string with explicit base");
    return NULL;
}

/* int(x=0, /, base=10) */
static PmObject *long_new(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs,
                          PmObject *kwnames)
{
    size_t nkw = kwnames ? (size_t)PmTuple_GET_SIZE(kwnames) : 0;
    if (nargs + nkw > 2)
        return PmErr_Format(vm, PME(vm, TypeError), "int() takes at most 2 arguments (%zu given)",
                            nargs + nkw);
    PmObject *x = nargs > 0 ? args[0] : NULL, *obase = nargs > 1 ? args[1] : NULL;
    for (size_t i = 0; i < nkw; i++) {
        PmObject *k = PmTuple_GET_ITEM(kwnames, i);
        if (!PmStr_EqualToASCII(k, "base"))
            return PmErr_Format(vm, PME(vm, TypeError),
                                "'%U' is an invalid keyword argument for int()", k);
        if (obase)
            return PmErr_Format(vm, PME(vm, TypeError),
                                "argument for int() given by name ('base') and position (2)");
        obase = args[nargs + i];
    }
    return long_new_impl(vm, type, x, obase);
}

static PmObject *bool_new(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs,
                          PmObject *kwnames)
{
    (void)type;
    if (pm_no_kwargs(vm, "bool", kwnames) < 0) return NULL;
    if (pm_check_positional(vm, "bool", nargs, 0, 1) < 0) return NULL;
    if (nargs == 0) return Pm_Bool(vm, 0);
    int ok = PmObject_IsTrue(vm, args[0]);
    return ok < 0 ? NULL : Pm_Bool(vm, ok);
}

/* ====================================================================== methods */

static PmObject *int_self_meth(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    return long_long(vm, self);
}

static PmObject *int_bit_length(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    return PmLong_FromLongLong(vm, PmLong_NumBits(self));
}

static PmObject *int_bit_count(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    long long count = 0;
    for (Pm_ssize_t i = 0; i < abs_size(self); i++)
        for (pm_digit d = DIG(self)[i]; d; d &= d - 1) count++;
    return PmLong_FromLongLong(vm, count);
}

static PmObject *int_as_integer_ratio(PmVM *vm, PmObject *self, PmObject *const *args,
                                      size_t nargs, PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmObject *num = long_long(vm, self);
    if (num == NULL) return NULL;
    PmObject *r = PmTuple_Pack(vm, 2, num, vm->small_ints[1 + PM_NSMALLNEG]);
    Pm_DECREF(vm, num);
    return r;
}

/* q, r with a = b*q + r, |r| <= |b|/2, ties to even q (CPython's _PyLong_DivmodNear). */
static int divmod_near(PmVM *vm, PmObject *a, PmObject *b, PmObject **pq, PmObject **pr)
{
    PmObject *quo, *rem, *one = vm->small_ints[1 + PM_NSMALLNEG];
    bool quo_is_neg = (Pm_SIZE(a) < 0) != (Pm_SIZE(b) < 0);
    if (long_divrem(vm, a, b, &quo, &rem) < 0) return -1;
    PmObject *twice_rem = long_lshift(vm, rem, one);
    if (twice_rem && quo_is_neg) {
        PmObject *t = long_neg(vm, twice_rem);
        Pm_DECREF(vm, twice_rem);
        twice_rem = t;
    }
    if (twice_rem == NULL) goto error;
    Pm_ssize_t cmp = long_compare(twice_rem, b);
    Pm_DECREF(vm, twice_rem);
    bool quo_is_odd = Pm_SIZE(quo) != 0 && (DIG(quo)[0] & 1) != 0;
    if ((Pm_SIZE(b) < 0 ? cmp < 0 : cmp > 0) || (cmp == 0 && quo_is_odd)) {
        PmObject *t = quo_is_neg ? long_sub_ints(vm, quo, one) : long_add_ints(vm, quo, one);
        Pm_DECREF(vm, quo);
        if ((quo = t) == NULL) goto error;
        t = quo_is_neg ? long_add_ints(vm, rem, b) : long_sub_ints(vm, rem, b);
        Pm_DECREF(vm, rem);
        if ((rem = t) == NULL) goto error;
    }
    *pq = quo;
    *pr = rem;
    return 0;
error:
    Pm_XDECREF(vm, quo);
    Pm_XDECREF(vm, rem);
    return -1;
}

/* round(self, ndigits): self - divmod_near(self, 10**-ndigits)[1] for ndigits < 0. */
static PmObject *int_round(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    (void)kwnames;
    if (pm_check_positional(vm, "__round__", nargs, 0, 1) < 0) return NULL;
    if (nargs == 0) return long_long(vm, self);
    PmObject *ndigits = PmNumber_Index(vm, args[0]);
    if (ndigits == NULL) return NULL;
    if (Pm_SIZE(ndigits) >= 0) {
        Pm_DECREF(vm, ndigits);
        return long_long(vm, self);
    }
    PmObject *t = long_neg(vm, ndigits);
    Pm_DECREF(vm, ndigits);
    if (t == NULL) return NULL;
    PmObject *ten = small_int(vm, 10);
    PmObject *pow10 = long_pow(vm, ten, t, Pm_None(vm));
    Pm_DECREF(vm, t);
    Pm_DECREF(vm, ten);
    if (pow10 == NULL) return NULL;
    PmObject *q, *r;
    int rc = divmod_near(vm, self, pow10, &q, &r);
    Pm_DECREF(vm, pow10);
    if (rc < 0) return NULL;
    Pm_DECREF(vm, q);
    PmObject *res = long_sub_ints(vm, self, r);
    Pm_DECREF(vm, r);
    return res;
}

static PmObject *int_sizeof(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    Pm_ssize_t n = abs_size(self);
    return PmLong_FromSsize_t(vm, MODEL_HEAD + (n ? n : 1) * (Pm_ssize_t)sizeof(pm_digit));
}

static Pm_ssize_t long_sizeof(PmVM *vm, PmObject *self)
{
    (void)vm;
    Pm_ssize_t n = abs_size(self);
    return MODEL_HEAD + (n ? n : 1) * (Pm_ssize_t)sizeof(pm_digit);
}

/* Allocator of fmt.h buffers: the C library (results are copied into a str). */
static PmObject *fmtbuf_to_str(PmVM *vm, PmFmtBuf *b, int st)
{
    PmObject *r = NULL;
    if (st == PMFMT_ERR_MEMORY || b->failed) PmErr_NoMemory(vm);
    else if (st == PMFMT_ERR_PRECISION)
        PmErr_SetString(vm, PME(vm, ValueError), PMFMT_MSG_PRECISION);
    else r = PmStr_FromUTF8(vm, b->data ? b->data : "", b->len);
    pmfmt_buf_free(b);
    return r;
}

/* format(int, spec) with a parsed spec whose presentation type is a float one. */
static int format_int_as_float(PmVM *vm, PmObject *self, PmFmtSpec *s, PmFmtBuf *out)
{
    double x = PmLong_AsDouble(vm, self);
    if (x == -1.0 && PmErr_Occurred(vm)) return -1;
    return pmfmt_format_float(x, s, out);
}

/* format(int, spec) with the 'c' presentation type. */
static int format_int_as_char(PmVM *vm, PmObject *self, PmFmtSpec *s, PmFmtBuf *out)
{
    int overflow;
    long long v = PmLong_AsLongLongAndOverflow(vm, self, &overflow);
    if (overflow) {
        PmErr_SetString(vm, PME(vm, OverflowError), "Python int too large to convert to C long");
        return -1;
    }
    if (v < 0 || v > 0x10ffff) {
        PmErr_SetString(vm, PME(vm, OverflowError), PMFMT_MSG_C_RANGE);
        return -1;
    }
    char u[4];
    size_t n = pmla_utf8_encode((uint32_t)v, u);
    return pmfmt_format_int(u, n, 0, s, out);
}

static int format_int_digits(PmVM *vm, PmObject *self, int base, PmFmtSpec *s, PmFmtBuf *out)
{
    TextBuf tb;
    Pm_ssize_t n;
    char *d = long_text(vm, self, base, false, false, &tb, &n);
    if (d == NULL) return -1;
    int st = pmfmt_format_int(d, (size_t)n, Pm_SIZE(self) < 0, s, out);
    textbuf_free(&tb);
    return st;
}

/* format(self, spec) for int and bool (CPython's _PyLong_FormatAdvancedWriter). */
static PmObject *long_format_spec(PmVM *vm, PmObject *self, PmObject *spec)
{
    Pm_ssize_t len;
    const char *sp = PmStr_AsUTF8(vm, spec, &len);
    if (sp == NULL) return NULL;
    if (len == 0) return PmObject_Str(vm, self);
    PmFmtSpec s;
    PmFmtBuf err, out;
    pmfmt_buf_init(&err, 0, NULL, NULL);
    int st = pmfmt_parse_spec(sp, (size_t)len, PMFMT_INT, Pm_TYPE(self)->tp_name, &s, &err);
    if (st != PMFMT_OK) {
        if (st == PMFMT_ERR_SPEC) PmErr_SetString(vm, PME(vm, ValueError), err.data ? err.data : "");
        else PmErr_NoMemory(vm);
        pmfmt_buf_free(&err);
        return NULL;
    }
    pmfmt_buf_free(&err);
    pmfmt_buf_init(&out, pm_host_buffer_limit(vm), NULL, NULL);
    int base = pmfmt_int_base(&s);
    if (base > 0) st = format_int_digits(vm, self, base, &s, &out);
    else if (base == 0) st = format_int_as_float(vm, self, &s, &out);
    else st = format_int_as_char(vm, self, &s, &out);
    if (st < 0) { pmfmt_buf_free(&out); return NULL; }
    return fmtbuf_to_str(vm, &out, st);
}

static PmObject *int_format(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    if (!PmStr_Check(args[0]))
        return PmErr_Format(vm, PME(vm, TypeError), "__format__() argument must be str, not %.200s",
                            Pm_TYPE(args[0])->tp_name);
    return long_format_spec(vm, self, args[0]);
}

static PmObject *long_get0(PmVM *vm, PmObject *self) { (void)self; return small_int(vm, 0); }
static PmObject *long_get1(PmVM *vm, PmObject *self) { (void)self; return small_int(vm, 1); }
static PmObject *long_get_self(PmVM *vm, PmObject *self) { return long_long(vm, self); }

/* int.__getnewargs__(): (an exact copy of self,), for pickling (CPython's _PyLong_Copy). */
static PmObject *int_getnewargs(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmObject *v = long_copy(vm, self);
    if (v == NULL) return NULL;
    PmObject *t = PmTuple_Pack(vm, 1, v);
    Pm_DECREF(vm, v);
    return t;
}

static const PmMethodDef long_methods[] = {
    {"conjugate", int_self_meth, PM_METH_NOARGS},
    {"bit_length", int_bit_length, PM_METH_NOARGS},
    {"bit_count", int_bit_count, PM_METH_NOARGS},
    {"as_integer_ratio", int_as_integer_ratio, PM_METH_NOARGS},
    {"__trunc__", int_self_meth, PM_METH_NOARGS},
    {"__floor__", int_self_meth, PM_METH_NOARGS},
    {"__ceil__", int_self_meth, PM_METH_NOARGS},
    {"__round__", int_round, PM_METH_VARARGS},
    {"__getnewargs__", int_getnewargs, PM_METH_NOARGS},
    {"__format__", int_format, PM_METH_O},
    {"__sizeof__", int_sizeof, PM_METH_NOARGS},
    {NULL, NULL, 0}
};

static const PmGetSetDef long_getset[] = {
    {"real", long_get_self, NULL},
    {"imag", long_get0, NULL},
    {"numerator", long_get_self, NULL},
    {"denominator", long_get1, NULL},
    {NULL, NULL, NULL}
};

/* ====================================================================== type templates */

#define LONG_NUMBER_METHODS(AND, XOR, OR) { \
    .nb_add = long_add, .nb_subtract = long_sub, .nb_multiply = long_mul, \
    .nb_remainder = long_mod, .nb_divmod = long_divmod, .nb_power = long_pow, \
    .nb_negative = long_neg, .nb_positive = long_long, .nb_absolute = long_abs, \
    .nb_bool = long_bool, .nb_invert = long_invert, .nb_lshift = long_lshift, \
    .nb_rshift = long_rshift, .nb_and = AND, .nb_xor = XOR, .nb_or = OR, \
    .nb_int = long_long, .nb_float = long_float, .nb_floor_divide = long_div, \
    .nb_true_divide = long_true_divide, .nb_index = long_long }

const PmType PmLong_Template = {
    .tp_name = "int",
    .tp_doc = "int([x]) -> integer\n"
              "int(x, base=10) -> integer\n"
              "\n"
              "Convert a number or string to an integer, or return 0 if no arguments\n"
              "are given.  If x is a number, return x.__int__().  For floating point\n"
              "numbers, this truncates towards zero.\n"
              "\n"
              "If x is not a number or if base is given, then x must be a string,\n"
              "bytes, or bytearray instance representing an integer literal in the\n"
              "given base.  The literal can be preceded by '+' or '-' and be surrounded\n"
              "by whitespace.  The base defaults to 10.  Valid bases are 0 and 2-36.\n"
              "Base 0 means to interpret the base from the string as an integer literal.\n"
              ">>> int('0b100', base=0)\n"
              "4",
    .tp_basicsize = MODEL_HEAD,
    .tp_itemsize = sizeof(pm_digit),
    .tp_flags = PM_TPFLAGS_BASETYPE | PM_TPFLAGS_LONG_SUBCLASS,
    .tp_kind = PMT_INT,
    .tp_dealloc = long_dealloc,
    .tp_repr = long_repr,
    .tp_as_number = LONG_NUMBER_METHODS(long_and, long_xor, long_or),
    .tp_hash = long_hash,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_richcompare = long_richcompare,
    .tp_methods = long_methods,
    .tp_getset = long_getset,
    .tp_new = long_new,
    .tp_sizeof = long_sizeof,
};

const PmType PmBool_Template = {
    .tp_name = "bool",
    .tp_doc = "bool(x) -> bool\n"
              "\n"
              "Returns True when the argument x is true, False otherwise.\n"
              "The builtins True and False are the only two instances of the class bool.\n"
              "The class bool is a subclass of the class int, and cannot be subclassed.",
    .tp_basicsize = MODEL_HEAD + 8,    /* CPython's sizeof(struct _longobject), one digit padded */
    .tp_itemsize = sizeof(pm_digit),
    .tp_flags = PM_TPFLAGS_LONG_SUBCLASS,
    .tp_kind = PMT_BOOL,
    .tp_dealloc = long_dealloc,
    .tp_repr = bool_repr,
    /* bool defines only &, ^ and | (and repr, new): the rest comes from int, so that
     * bool.__dict__ lists what CPython's does */
    .tp_as_number = { .nb_and = bool_and, .nb_xor = bool_xor, .nb_or = bool_or },
    .tp_new = bool_new,
    .tp_sizeof = long_sizeof,
};
