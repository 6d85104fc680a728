/*
 * test_int.c -- int, bool and float from C: the small-int cache, constructors and their
 * identity rules, C conversions at their boundaries, hashes, formatting, sizes and the float
 * free list.  Expected values were measured with CPython 3.11 (tests/py/int_*.py and
 * float_*.py check the same facts from Python).
 */
#include "pm.h"
#include "check.h"

static PmVM *vm;

static const char *U(PmObject *s)
{
    CHECK(s != NULL);
    const char *u = PmStr_AsUTF8(vm, s, NULL);
    CHECK(u != NULL);
    return u;
}

/* repr(o) compared with `want`; releases o. */
static void check_repr(PmObject *o, const char *want)
{
    CHECK(o != NULL);
    PmObject *r = PmObject_Repr(vm, o);
    CHECK_STR(U(r), want);
    Pm_DECREF(vm, r);
    Pm_DECREF(vm, o);
}

static PmObject *I(const char *text)
{
    PmObject *o = PmLong_FromString(vm, text, strlen(text), 10);
    CHECK(o != NULL);
    return o;
}

static void test_small_ints(void)
{
    for (long v = -5; v <= 256; v++) {
        PmObject *o = vm->small_ints[v + PM_NSMALLNEG];
        CHECK(PmLong_Check(o) && Pm_IS_TYPE(vm, o, INT));
        PmObject *a = PmLong_FromLongLong(vm, v), *b = PmLong_FromDouble(vm, (double)v + 0.25);
        long t = (long)((double)v + 0.25);              /* truncation towards zero */
        CHECK(a == o && b == vm->small_ints[t + PM_NSMALLNEG]);
        Pm_DECREF(vm, a);
        Pm_DECREF(vm, b);
    }
    PmObject *z = PmLong_FromUnsignedLongLong(vm, 256), *s = I("  +256 "), *d = PmLong_FromDigits(vm, "ff", 2, 16);
    CHECK(z == vm->small_ints[256 + PM_NSMALLNEG] && s == z && d == vm->small_ints[255 + PM_NSMALLNEG]);
    Pm_DECREF(vm, z); Pm_DECREF(vm, s); Pm_DECREF(vm, d);
    PmObject *a = PmLong_FromLongLong(vm, 257), *b = PmLong_FromLongLong(vm, 257);
    CHECK(a != b && Pm_REFCNT(a) == 1 && Pm_SIZE(a) == 1);
    Pm_DECREF(vm, a); Pm_DECREF(vm, b);
    CHECK(Pm_SIZE(vm->false_) == 0 && Pm_SIZE(vm->true_) == 1 && Pm_IS_TYPE(vm, vm->true_, BOOL));
    CHECK(Pm_SIZE(vm->small_ints[0]) == -1 && Pm_SIZE(vm->small_ints[PM_NSMALLNEG]) == 0);
}

static void test_sizes(void)
{
    static const struct { const char *v; Pm_ssize_t size, sizeof_; int64_t bits; } cases[] = {
        {"0", 0, 28, 0}, {"1", 1, 28, 1}, {"1073741823", 1, 28, 30}, {"1073741824", 2, 32, 31},
        {"-1073741824", -2, 32, 31}, {"1152921504606846975", 2, 32, 60},
        {"1152921504606846976", 3, 36, 61},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        PmObject *o = I(cases[i].v);
        CHECK(Pm_SIZE(o) == cases[i].size);
        CHECK(Pm_TYPE(o)->tp_sizeof(vm, o) == cases[i].sizeof_);
        CHECK(PmLong_NumBits(o) == cases[i].bits);
        Pm_DECREF(vm, o);
    }
    CHECK(vm->true_->ob_type->tp_sizeof(vm, vm->false_) == 28);
    PmObject *n = PmLong_New(vm, 5);
    CHECK(n != NULL && Pm_SIZE(n) == 5);
    memset(((PmLong *)n)->ob_digit, 0, 5 * sizeof(pm_digit));
    Pm_DECREF(vm, n);
}

static void test_c_conversions(void)
{
    int overflow;
    PmObject *o = I("9223372036854775807");
    CHECK(PmLong_AsLongLongAndOverflow(vm, o, &overflow) == INT64_MAX && overflow == 0);
    Pm_DECREF(vm, o);
    o = I("-9223372036854775808");
    CHECK(PmLong_AsLongLongAndOverflow(vm, o, &overflow) == INT64_MIN && overflow == 0);
    Pm_DECREF(vm, o);
    o = I("9223372036854775808");
    CHECK(PmLong_AsLongLongAndOverflow(vm, o, &overflow) == -1 && overflow == 1);
    CHECK(!PmErr_Occurred(vm));
    CHECK(PmLong_AsSsize_t(vm, o) == -1 && PmErr_Occurred(vm));
    CHECK_STR(U(PmObject_Str(vm, vm->exc)), "Python int too large to convert to C ssize_t");
    PmErr_Clear(vm);
    Pm_DECREF(vm, o);
    o = I("-9223372036854775809");
    CHECK(PmLong_AsLongLongAndOverflow(vm, o, &overflow) == -1 && overflow == -1);
    Pm_DECREF(vm, o);
    /* 2**53 + 1 rounds half to even; 2**1024 overflows */
    o = I("9007199254740993");
    CHECK(PmLong_AsDouble(vm, o) == 9007199254740992.0);
    Pm_DECREF(vm, o);
    o = I("9007199254740995");
    CHECK(PmLong_AsDouble(vm, o) == 9007199254740996.0);
    Pm_DECREF(vm, o);
    o = PmLong_FromDouble(vm, 1e300);
    CHECK(PmLong_AsDouble(vm, o) == 1e300 && PmLong_Sign(o) == 1);
    Pm_DECREF(vm, o);
    o = PmLong_FromDouble(vm, -1.0 / 0.0);
    CHECK(o == NULL && PmErr_Occurred(vm));
    CHECK_STR(U(PmObject_Str(vm, vm->exc)), "cannot convert float infinity to integer");
    PmErr_Clear(vm);
}

static void test_hash_and_format(void)
{
    static const struct { const char *v; Pm_hash_t h; } cases[] = {
        {"-1", -2}, {"-2", -2}, {"2305843009213693951", 0}, {"2305843009213693952", 1},
        {"-2305843009213693952", -2}, {"18446744073709551621", 13},
        {"10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", 910685213754167845},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        PmObject *o = I(cases[i].v);
        CHECK(PmLong_Hash(o) == cases[i].h);
        Pm_DECREF(vm, o);
    }
    CHECK(PmFloat_HashDouble(NULL, 1.5) == 1152921504606846977LL);
    CHECK(PmFloat_HashDouble(NULL, -1.0) == -2 && PmFloat_HashDouble(NULL, 1.0 / 0.0) == 314159);
    CHECK(PmFloat_HashDouble(NULL, 1e100) == 1822893315824342674LL);
    PmObject *o = I("-1267650600228229401496703205376");
    PmObject *h = PmLong_Format(vm, o, 16, true), *b = PmLong_Format(vm, o, 2, false);
    CHECK_STR(U(h), "-0x10000000000000000000000000");
    CHECK(strlen(U(b)) == 102);
    Pm_DECREF(vm, h); Pm_DECREF(vm, b); Pm_DECREF(vm, o);
    check_repr(PmLong_FromLongLong(vm, -0), "0");
    check_repr(PmFloat_FromDouble(vm, 0.1), "0.1");
    check_repr(PmFloat_FromDouble(vm, 1e16), "1e+16");
    check_repr(Pm_Bool(vm, 1), "True");
}

static void test_parse_errors(void)
{
    PmObject *o = PmLong_FromString(vm, " 1_2_3 ", 7, 0);
    CHECK(o != NULL && PmLong_AsSsize_t(vm, o) == 123);
    Pm_DECREF(vm, o);
    o = PmLong_FromString(vm, "\xd9\xa1\xd9\xa2", 4, 10);       /* Arabic-Indic 12 */
    CHECK(o != NULL && PmLong_AsSsize_t(vm, o) == 12);
    Pm_DECREF(vm, o);
    CHECK(PmLong_FromString(vm, "0x", 2, 16) == NULL);
    CHECK_STR(U(PmObject_Str(vm, vm->exc)), "invalid literal for int() with base 16: '0x'");
    PmErr_Clear(vm);
    CHECK(PmLong_FromString(vm, "1", 1, 37) == NULL);
    PmErr_Clear(vm);
    char digits[4302];
    memset(digits, '7', sizeof digits);
    CHECK(PmLong_FromDigits(vm, digits, 4301, 10) == NULL);
    CHECK_STR(U(PmObject_Str(vm, vm->exc)),
              "Exceeds the limit (4300 digits) for integer string conversion: value has 4301 "
              "digits; use sys.set_int_max_str_digits() to increase the limit");
    PmErr_Clear(vm);
    o = PmLong_FromDigits(vm, digits, 4300, 10);
    CHECK(o != NULL && PmLong_NumBits(o) == 14284);
    PmObject *s = PmObject_Repr(vm, o);
    CHECK(s != NULL && PmStr_GET_LENGTH(s) == 4300);
    Pm_DECREF(vm, s);
    Pm_DECREF(vm, o);
    o = PmLong_FromDigits(vm, digits, 4302, 16);                /* binary bases: no limit */
    CHECK(o != NULL && PmLong_NumBits(o) == 4302 * 4 - 1);
    Pm_DECREF(vm, o);
}

static void test_float_free_list(void)
{
    PmFloat_ClearFreeList(vm);
    CHECK(vm->float_free == NULL && vm->float_numfree == 0);
    PmObject *fs[150];
    for (int i = 0; i < 150; i++) CHECK((fs[i] = PmFloat_FromDouble(vm, i)) != NULL);
    for (int i = 0; i < 150; i++) Pm_DECREF(vm, fs[i]);
    CHECK(vm->float_numfree == PM_FLOAT_MAXFREELIST);
    CHECK(vm->float_free == fs[99]);                  /* last in, first out */
    PmObject *f = PmFloat_FromDouble(vm, 2.5);
    CHECK(f == fs[99] && Pm_REFCNT(f) == 1 && Pm_IS_TYPE(vm, f, FLOAT));
    CHECK(vm->float_numfree == PM_FLOAT_MAXFREELIST - 1);
    CHECK(PmFloat_AsDouble(vm, f) == 2.5);
    Pm_DECREF(vm, f);
    PmFloat_ClearFreeList(vm);
    CHECK(vm->float_free == NULL && vm->float_numfree == 0);
}

int main(void)
{
    pml_vm *lab = pml_new(NULL);
    CHECK(lab != NULL);
    vm = (PmVM *)lab;
    test_small_ints();
    test_sizes();
    test_c_conversions();
    test_hash_and_format();
    test_parse_errors();
    test_float_free_list();
    CHECK(!PmErr_Occurred(vm));
    pml_free(lab);
    puts("test_int: ok");
    return 0;
}
