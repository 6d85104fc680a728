/*
 * test_str.c -- the str type from C: representation, singletons, sizes, interning, the
 * writer's identity rules and the formatters.  Expected values were measured with CPython
 * 3.11 (see tests/py/str_*.py for the same facts from Python).
 */
#include "pm.h"
#include "check.h"

static PmVM *vm;

static PmObject *S(const char *utf8)
{
    PmObject *s = PmStr_FromString(vm, utf8);
    CHECK(s != NULL);
    return s;
}

static const char *U(PmObject *s)
{
    CHECK(s != NULL);
    const char *u = PmStr_AsUTF8(vm, s, NULL);
    CHECK(u != NULL);
    return u;
}

static Pm_ssize_t sizeof_str(PmObject *s) { return Pm_TYPE(s)->tp_sizeof(vm, s); }

/* Call a str method by name with positional arguments. */
static PmObject *call(PmObject *self, const char *name, int n, PmObject *a0, PmObject *a1)
{
    PmObject *args[2] = {a0, a1};
    PmObject *nm = PmStr_FromString(vm, name);
    PmObject *r = PmObject_CallMethod(vm, self, nm, args, (size_t)n);
    Pm_DECREF(vm, nm);
    return r;
}

static void test_singletons_and_sizes(void)
{
    PmObject *e = S(""), *a = S("a"), *ea = S("\xc3\xa9");
    CHECK(e == vm->empty_str && a == vm->latin1['a'] && ea == vm->latin1[0xe9]);
    CHECK(PmStr_Hash(e) == 0);
    PmObject *abc = S("abc"), *lat = S("ab\xc3\xa9"), *bmp = S("ab\xe2\x82\xac"),
             *astral = S("ab\xf0\x9f\x98\x80");
    CHECK(sizeof_str(e) == 49 && sizeof_str(a) == 50 && sizeof_str(ea) == 74);
    CHECK(sizeof_str(abc) == 52 && sizeof_str(lat) == 76 && sizeof_str(bmp) == 80);
    CHECK(sizeof_str(astral) == 88);
    CHECK(((PmStr *)abc)->ascii && ((PmStr *)lat)->kind == 1 && !((PmStr *)lat)->ascii);
    CHECK(((PmStr *)bmp)->kind == 2 && ((PmStr *)astral)->kind == 4);
    CHECK_STR(U(astral), "ab\xf0\x9f\x98\x80");
    /* a lone surrogate from the parser round-trips as generalized UTF-8 */
    PmObject *sur = S("\xed\xa0\x80");
    CHECK(PmStr_GET_LENGTH(sur) == 1 && PmStr_READ(sur, 0) == 0xd800);
    CHECK(PmStr_CheckEncodable(vm, sur) < 0);
    CHECK_STR(U(PmObject_Str(vm, vm->exc)),
              "'utf-8' codec can't encode character '\\ud800' in position 0: surrogates not allowed");
    PmErr_Clear(vm);
    Pm_DECREF(vm, e); Pm_DECREF(vm, a); Pm_DECREF(vm, ea); Pm_DECREF(vm, abc);
    Pm_DECREF(vm, lat); Pm_DECREF(vm, bmp); Pm_DECREF(vm, astral); Pm_DECREF(vm, sur);
}

static void test_identity(void)
{
    PmObject *s = S("abcdef");
    PmObject *r = PmStr_Concat(vm, s, vm->empty_str);
    CHECK(r == s);
    Pm_DECREF(vm, r);
    r = PmStr_Repeat(vm, s, 1);
    CHECK(r == s);
    Pm_DECREF(vm, r);
    r = PmStr_Substring(vm, s, 2, 3);
    CHECK(r == vm->latin1['c']);
    Pm_DECREF(vm, r);
    r = PmStr_Substring(vm, s, 0, 6);
    CHECK(r == s);
    Pm_DECREF(vm, r);
    r = call(s, "upper", 0, NULL, NULL);
    CHECK_STR(U(r), "ABCDEF");
    PmObject *one = PmStr_Substring(vm, r, 0, 1), *low = call(one, "lower", 0, NULL, NULL);
    CHECK(low != vm->latin1['a'] && PmStr_EqualToASCII(low, "a"));    /* case ops: new object */
    Pm_DECREF(vm, one); Pm_DECREF(vm, low); Pm_DECREF(vm, r);
    r = call(s, "strip", 0, NULL, NULL);
    CHECK(r == s);
    Pm_DECREF(vm, r);
    Pm_DECREF(vm, s);
}

static void test_repr(void)
{
    PmObject *s = S("it's \"q\"\t\xc2\xa0\xc3\xa9\xe2\x80\x8b\xf0\x9f\x98\x80\x7f");
    PmObject *r = PmObject_Repr(vm, s);
    CHECK_STR(U(r), "'it\\'s \"q\"\\t\\xa0\xc3\xa9\\u200b\xf0\x9f\x98\x80\\x7f'");
    Pm_DECREF(vm, r); Pm_DECREF(vm, s);
    s = S("it's");
    r = PmObject_Repr(vm, s);
    CHECK_STR(U(r), "\"it's\"");
    Pm_DECREF(vm, r); Pm_DECREF(vm, s);
}

static void test_fromformat(void)
{
    PmObject *o = S("xy\xc3\xa9");
    PmObject *r = PmStr_FromFormat(vm, "%s|%d|%5d|%05d|%.2s|%U|%R|%S|%T|%c|%x|%zd|%lld|%%|%.1U", "hey",
                                   -3, 42, 42, "abc", o, o, o, o, 0x20ac, 255, (Pm_ssize_t)7,
                                   -9000000000LL, o);
    CHECK_STR(U(r), "hey|-3|   42|00042|ab|xy\xc3\xa9|'xy\xc3\xa9'|xy\xc3\xa9|str|\xe2\x82\xac|ff|7|-9000000000|%|x");
    Pm_DECREF(vm, r);
    r = PmStr_FromFormat(vm, "%.3d|%3s|", 5, "a");
    CHECK_STR(U(r), "005|  a|");
    Pm_DECREF(vm, r);
    r = PmStr_FromFormat(vm, "x");
    CHECK(r == vm->latin1['x']);
    Pm_DECREF(vm, r);
    Pm_DECREF(vm, o);
}

static void test_percent(void)
{
    PmObject *f = S("%s=%5.2f|%-4d|%#x|%c"), *name = S("pi"), *pi = PmFloat_FromDouble(vm, 3.14159),
             *n = PmLong_FromLongLong(vm, 7), *h = PmLong_FromLongLong(vm, 255), *c = S("z");
    PmObject *t = PmTuple_Pack(vm, 5, name, pi, n, h, c);
    PmObject *r = PmStr_Format(vm, f, t);
    CHECK_STR(U(r), "pi= 3.14|7   |0xff|z");
    Pm_DECREF(vm, r); Pm_DECREF(vm, t); Pm_DECREF(vm, f);
    f = S("%s");
    r = PmStr_Format(vm, f, name);           /* the argument itself */
    CHECK(r == name);
    Pm_DECREF(vm, r);
    r = PmStr_Format(vm, f, n);              /* digits through the writer: the singleton */
    CHECK(r == vm->latin1['7']);
    Pm_DECREF(vm, r); Pm_DECREF(vm, f);
    Pm_DECREF(vm, name); Pm_DECREF(vm, pi); Pm_DECREF(vm, n); Pm_DECREF(vm, h); Pm_DECREF(vm, c);
}

static void test_format_method(void)
{
    PmObject *f = S("{0}-{x!r:>6}-{1:03d}"), *a = S("A"), *n = PmLong_FromLongLong(vm, 5);
    PmObject *x = S("\xc3\xa9"), *kw = PmTuple_Pack(vm, 1, PmStr_InternFromString(vm, "x"));
    Pm_DECREF(vm, PmTuple_GET_ITEM(kw, 0));
    PmObject *args[3] = {a, n, x};
    PmObject *r = pm_str_format_method(vm, f, args, 2, kw);
    CHECK_STR(U(r), "A-   '\xc3\xa9'-005");
    Pm_DECREF(vm, r); Pm_DECREF(vm, f);
    f = S("{}");
    r = pm_str_format_method(vm, f, args, 1, NULL);
    CHECK(r == a);
    Pm_DECREF(vm, r); Pm_DECREF(vm, f);
    Pm_DECREF(vm, a); Pm_DECREF(vm, n); Pm_DECREF(vm, x); Pm_DECREF(vm, kw);
}

static void test_intern(void)
{
    PmObject *a = S("not an identifier!"), *b = S("not an identifier!");
    CHECK(a != b);
    PmObject *ia = PmStr_SysIntern(vm, a);
    CHECK(ia == a && Pm_REFCNT(a) == 2);          /* the dict's references are not counted */
    Pm_DECREF(vm, ia);
    PmStr_InternInPlace(vm, &b);
    CHECK(b == a && Pm_REFCNT(a) == 2);
    Pm_DECREF(vm, b);
    Pm_ssize_t before = PmDict_Size(vm->interned);
    Pm_DECREF(vm, a);                            /* dies and leaves the table */
    CHECK(PmDict_Size(vm->interned) == before - 1);
    PmObject *x = S("x");
    PmStr_InternInPlace(vm, &x);
    CHECK(x != vm->latin1['x']);                 /* the static identifier "x" */
    Pm_DECREF(vm, x);
    PmObject *g = S("g");
    PmStr_InternInPlace(vm, &g);
    CHECK(g == vm->latin1['g']);
    Pm_DECREF(vm, g);
}

static void test_append(void)
{
    PmObject *s = PmStr_FromFormat(vm, "%s", "abc");    /* fresh, refcount 1 */
    PmObject *t = S("de");
    CHECK(Pm_REFCNT(s) == 1);
    CHECK(PmStr_Append(vm, &s, t) == 0);
    CHECK_STR(U(s), "abcde");
    PmObject *keep = Pm_NewRef(s);
    CHECK(PmStr_Append(vm, &s, t) == 0);               /* shared: a new object */
    CHECK(s != keep && PmStr_EqualToASCII(s, "abcdede"));
    Pm_DECREF(vm, keep); Pm_DECREF(vm, s); Pm_DECREF(vm, t);
}

static void test_case_tables(void)
{
    PmObject *s = S("stra\xc3\x9f" "e \xce\xa3\xce\x99\xce\xa3\xce\xa5\xce\xa6\xce\x9f\xce\xa3");
    PmObject *u = call(s, "upper", 0, NULL, NULL), *l = call(s, "lower", 0, NULL, NULL);
    CHECK_STR(U(u), "STRASSE \xce\xa3\xce\x99\xce\xa3\xce\xa5\xce\xa6\xce\x9f\xce\xa3");
    CHECK_STR(U(l), "stra\xc3\x9f" "e \xcf\x83\xce\xb9\xcf\x83\xcf\x85\xcf\x86\xce\xbf\xcf\x82");
    Pm_DECREF(vm, u); Pm_DECREF(vm, l); Pm_DECREF(vm, s);
    uint32_t m[3];
    CHECK(pm_unicode_upper_full(0xff, m) == 1 && m[0] == 0x178);
    CHECK(pm_unicode_upper_full(0xfb01, m) == 2 && m[0] == 'F' && m[1] == 'I');
    CHECK(pm_unicode_isprintable(0x20) && !pm_unicode_isprintable(0xa0) && pm_unicode_isprintable(0xe9));
    CHECK(pm_unicode_decimal(0x663) == 3 && pm_unicode_isspace(0x1c) && !pm_unicode_isspace(0x200b));
}

int main(void)
{
    pml_vm *lab = pml_new(NULL);
    CHECK(lab != NULL);
    vm = (PmVM *)lab;
    test_singletons_and_sizes();
    test_identity();
    test_repr();
    test_fromformat();
    test_percent();
    test_format_method();
    test_intern();
    test_append();
    test_case_tables();
    CHECK(!PmErr_Occurred(vm));
    pml_free(lab);
    puts("test_str: ok");
    return 0;
}
