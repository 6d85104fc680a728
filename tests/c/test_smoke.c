/*
 * test_smoke.c -- the public API end to end: create a lab, run a program, read its output
 * through the write callback, destroy the lab; create and destroy many labs.
 * Built in every native configuration, so ASan/LSan (build/asan) catch leaks here.
 */
#include "pymemlab.h"
#include "check.h"

#include <string.h>

/* Output captured per stream, NUL-terminated, truncated at the buffer size. */
typedef struct capture {
    char out[4096], err[4096];
    size_t out_len, err_len;
} capture;

static void capture_write(void *userdata, int stream, const char *data, size_t len)
{
    capture *c = userdata;
    char *buf = stream == PML_STDOUT ? c->out : c->err;
    size_t *n = stream == PML_STDOUT ? &c->out_len : &c->err_len;
    size_t room = sizeof c->out - 1 - *n;
    if (len > room)
        len = room;
    memcpy(buf + *n, data, len);
    *n += len;
    buf[*n] = '\0';
}

static pml_status run(pml_vm *vm, capture *c, const char *src)
{
    memset(c, 0, sizeof *c);
    return pml_run(vm, src, strlen(src), "smoke.py");
}

static void test_print(void)
{
    capture c;
    pml_config cfg = { 0 };
    pml_vm *vm;
    cfg.write = capture_write;
    cfg.userdata = &c;
    vm = pml_new(&cfg);
    CHECK(vm != NULL);
    CHECK(run(vm, &c, "print(1+1)\n") == PML_OK);
    CHECK_STR(c.out, "2\n");
    CHECK_STR(c.err, "");
    /* The lab stays usable after an exception. */
    CHECK(run(vm, &c, "print(1//0)\n") == PML_EXCEPTION);
    CHECK(strstr(c.err, "ZeroDivisionError: integer division or modulo by zero\n") != NULL);
    CHECK(run(vm, &c, "print(1+1)\n") == PML_OK);
    CHECK_STR(c.out, "2\n");
    pml_free(vm);
}

static void test_many_labs(void)
{
    int i;
    for (i = 0; i < 100; i++) {
        pml_vm *vm = pml_new(NULL);
        CHECK(vm != NULL);
        pml_free(vm);
    }
}

static void test_null_config_discards_output(void)
{
    pml_vm *vm = pml_new(NULL);
    CHECK(vm != NULL);
    CHECK(pml_run(vm, "print(1+1)\n", 11, NULL) == PML_OK);
    pml_free(vm);
}

int main(void)
{
    CHECK(pml_version() != NULL && pml_version()[0] != '\0');
    test_print();
    test_many_labs();
    test_null_config_discards_output();
    puts("test_smoke: ok");
    return 0;
}
