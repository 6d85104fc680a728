/*
 * test_exceptions.c -- the exception classes (object/exceptions.c) and the traceback printer
 * (vm/traceback.c) from the inside: the class table, PmExc_New, pm_format_exception_only,
 * pm_write_unraisable, and the full stderr of uncaught exceptions (whose expected text was
 * taken from python3 3.11 running the same source as t.py).
 */
#include "pm.h"
#include "check.h"

typedef struct capture {
    char out[8192], err[8192];
    size_t out_len, err_len;
} capture;

static void capture_write(void *userdata, int stream, const char *data, size_t len)
{
    capture *c = userdata;
    char *buf = stream == PML_STDOUT ? c->out : c->err;
    size_t *n = stream == PML_STDOUT ? &c->out_len : &c->err_len;
    size_t room = sizeof c->out - 1 - *n;
    if (len > room) len = room;
    memcpy(buf + *n, data, len);
    *n += len;
    buf[*n] = '\0';
}

static capture cap;

static PmVM *new_vm(void)
{
    pml_config cfg = {0};
    cfg.write = capture_write;
    cfg.userdata = &cap;
    PmVM *vm = (PmVM *)pml_new(&cfg);
    CHECK(vm != NULL);
    return vm;
}

static pml_status run(PmVM *vm, const char *src)
{
    memset(&cap, 0, sizeof cap);
    return pml_run((pml_vm *)vm, src, strlen(src), "t.py");
}

/* pm_format_exception_only of TYPE(*args) as a C string compared with `want`. */
static void check_only(PmVM *vm, PmType *type, PmObject *arg, const char *want)
{
    PmObject *e = PmExc_New(vm, type, arg ? &arg : NULL, arg ? 1 : 0);
    CHECK(e != NULL);
    PmObject *s = pm_format_exception_only(vm, e);
    CHECK(s != NULL);
    CHECK_STR(PmStr_AsUTF8(vm, s, NULL), want);
    Pm_DECREF(vm, s);
    Pm_DECREF(vm, e);
}

static void test_classes(void)
{
    PmVM *vm = new_vm();
    CHECK(vm->exc_types[PME_BaseException] == vm->types[PMT_BASE_EXCEPTION]);
    for (int i = 1; i < PME__COUNT; i++) {
        PmType *tp = vm->exc_types[i];
        CHECK(tp != NULL);
        CHECK(PmType_HasFeature(tp, PM_TPFLAGS_BASE_EXC_SUBCLASS));
        CHECK(PmType_IsSubtype(tp, PME(vm, BaseException)));
        CHECK(tp->tp_kind == PMT_BASE_EXCEPTION);
    }
    CHECK(PME(vm, KeyError)->tp_base == PME(vm, LookupError));
    CHECK(PME(vm, TabError)->tp_base == PME(vm, IndentationError));
    CHECK(PME(vm, SyntaxError)->tp_basicsize == 136);
    CHECK(PME(vm, ValueError)->tp_basicsize == 72);
    pml_free((pml_vm *)vm);
}

static void test_format_only(void)
{
    PmVM *vm = new_vm();
    PmObject *k = PmStr_FromString(vm, "k"), *empty = PmStr_FromString(vm, "");
    check_only(vm, PME(vm, KeyError), k, "KeyError: 'k'");
    check_only(vm, PME(vm, KeyError), empty, "KeyError: ''");
    check_only(vm, PME(vm, ValueError), NULL, "ValueError");
    check_only(vm, PME(vm, ValueError), empty, "ValueError");
    check_only(vm, PME(vm, RuntimeError), k, "RuntimeError: k");
    Pm_DECREF(vm, k);
    Pm_DECREF(vm, empty);
    PmErr_SetString(vm, PME(vm, ZeroDivisionError), "division by zero");
    PmObject *e = PmErr_Fetch(vm);
    PmObject *s = pm_format_exception_only(vm, e);
    CHECK_STR(PmStr_AsUTF8(vm, s, NULL), "ZeroDivisionError: division by zero");
    Pm_DECREF(vm, s);
    /* the unraisable report clears the error */
    memset(&cap, 0, sizeof cap);
    PmErr_Restore(vm, e);
    pm_write_unraisable(vm, NULL, NULL, NULL);
    CHECK(!PmErr_Occurred(vm));
    CHECK_STR(cap.err, "ZeroDivisionError: division by zero\n");
    pml_free((pml_vm *)vm);
}

static void test_tracebacks(void)
{
    PmVM *vm = new_vm();
    CHECK(run(vm, "def f(x):\n    return x[1] + 2\n\nf([1])\n") == PML_EXCEPTION);
    CHECK_STR(cap.err,
              "Traceback (most recent call last):\n"
              "  File \"t.py\", line 4, in <module>\n"
              "    f([1])\n"
              "  File \"t.py\", line 2, in f\n"
              "    return x[1] + 2\n"
              "           ~^^^\n"
              "IndexError: list index out of range\n");
    CHECK(run(vm, "try:\n    {}['a']\nexcept KeyError as e:\n"
                  "    raise ValueError('v') from e\n") == PML_EXCEPTION);
    CHECK_STR(cap.err,
              "Traceback (most recent call last):\n"
              "  File \"t.py\", line 2, in <module>\n"
              "    {}['a']\n"
              "    ~~^^^^^\n"
              "KeyError: 'a'\n"
              "\n"
              "The above exception was the direct cause of the following exception:\n"
              "\n"
              "Traceback (most recent call last):\n"
              "  File \"t.py\", line 4, in <module>\n"
              "    raise ValueError('v') from e\n"
              "ValueError: v\n");
    CHECK(run(vm, "x = 1\nprint(xx)\n") == PML_EXCEPTION);
    CHECK_STR(cap.err,
              "Traceback (most recent call last):\n"
              "  File \"t.py\", line 2, in <module>\n"
              "    print(xx)\n"
              "          ^^\n"
              "NameError: name 'xx' is not defined. Did you mean: 'x'?\n");
    CHECK(run(vm, "class C:\n    def __del__(self):\n        1/0\nc = C()\ndel c\nprint('ok')\n")
          == PML_OK);
    CHECK_STR(cap.out, "ok\n");
    CHECK(strncmp(cap.err, "Exception ignored in: <function C.__del__ at 0x", 47) == 0);
    CHECK(strstr(cap.err, ">\nTraceback (most recent call last):\n"
                          "  File \"t.py\", line 3, in __del__\n"
                          "    1/0\n"
                          "    ~^~\n"
                          "ZeroDivisionError: division by zero\n") != NULL);
    pml_free((pml_vm *)vm);
}

int main(void)
{
    test_classes();
    test_format_only();
    test_tracebacks();
    return 0;
}
