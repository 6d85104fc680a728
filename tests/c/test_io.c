/*
 * test_io.c -- output through the host callback (lib/io.c): the order in which stdout and
 * stderr reach the host, stdout's 8192-byte chunks, the output limit, and that the pending
 * buffer is emptied at the end of every run.
 */
#include "pymemlab.h"
#include "check.h"

#include <string.h>

/* Every write the host receives, in order: "1:" or "2:" then the bytes, one per line. */
typedef struct events {
    char log[65536];
    size_t len;
    int writes[3];
    size_t bytes[3];
} events;

static void record(void *userdata, int stream, const char *data, size_t len)
{
    events *e = userdata;
    e->writes[stream]++;
    e->bytes[stream] += len;
    size_t room = sizeof e->log - 1 - e->len;
    size_t n = len + 3 > room ? 0 : len;
    if (n == 0 && len) return;
    e->log[e->len++] = (char)('0' + stream);
    e->log[e->len++] = ':';
    memcpy(e->log + e->len, data, n);
    e->len += n;
    e->log[e->len++] = '|';
    e->log[e->len] = '\0';
}

static pml_vm *new_lab(events *e, size_t output_limit)
{
    pml_config cfg = { 0 };
    cfg.write = record;
    cfg.userdata = e;
    cfg.output_limit = output_limit;
    cfg.step_limit = 5000000;       /* a safety net: a broken limit fails instead of hanging */
    memset(e, 0, sizeof *e);
    pml_vm *vm = pml_new(&cfg);
    CHECK(vm != NULL);
    return vm;
}

static pml_status run(pml_vm *vm, events *e, const char *src)
{
    memset(e, 0, sizeof *e);
    return pml_run(vm, src, strlen(src), "io.py");
}

/* stdout is buffered, but what it holds is shown before anything written to stderr. */
static void test_order(void)
{
    events e;
    pml_vm *vm = new_lab(&e, 0);
    CHECK(run(vm, &e, "import sys\nprint('a')\nprint('e', file=sys.stderr)\nprint('b')\n")
          == PML_OK);
    CHECK_STR(e.log, "1:a\n|2:e\n|1:b\n|");
    /* a partial stderr line waits for its newline (stderr is line-buffered) */
    CHECK(run(vm, &e, "import sys\nsys.stderr.write('x')\nprint('o')\nsys.stderr.write('y\\n')\n")
          == PML_OK);
    CHECK_STR(e.log, "1:o\n|2:xy\n|");
    pml_free(vm);
}

/* 20000 bytes of prints reach the host in CPython's chunks: flushes when 8192 is reached. */
static void test_chunks(void)
{
    events e;
    pml_vm *vm = new_lab(&e, 0);
    CHECK(run(vm, &e, "for i in range(2000):\n    print('123456789')\n") == PML_OK);
    CHECK(e.bytes[1] == 20000);
    CHECK(e.writes[1] == 3);
    pml_free(vm);
}

static void test_limit(void)
{
    events e;
    pml_vm *vm = new_lab(&e, 100);
    CHECK(run(vm, &e, "while True:\n    print('x' * 9)\n") == PML_LIMIT);
    CHECK(e.bytes[1] == 100);
    CHECK(strstr(e.log, "output limit") != NULL);
    /* the lab stays usable, with a fresh budget */
    CHECK(run(vm, &e, "print('ok')\n") == PML_OK);
    CHECK_STR(e.log, "1:ok\n|");
    /* the limit also stops a program that catches the exception */
    CHECK(run(vm, &e, "while True:\n    try:\n        print('y' * 50)\n    except BaseException:\n"
                      "        pass\n") == PML_LIMIT);
    CHECK(e.bytes[1] == 100);
    CHECK(strstr(e.log, "output limit") != NULL);
    pml_free(vm);
}

/* Runs one after the other: nothing stays pending between them, nothing leaks. */
static void test_runs_and_teardown(void)
{
    events e;
    pml_vm *vm = new_lab(&e, 0);
    CHECK(run(vm, &e, "s = 'abc'\nprint(s, end='')\n") == PML_OK);
    CHECK_STR(e.log, "1:abc|");
    CHECK(run(vm, &e, "print('é')\n") == PML_OK);
    CHECK_STR(e.log, "1:\xc3\xa9\n|");
    CHECK(run(vm, &e, "print('x')\n1/0\n") == PML_EXCEPTION);
    CHECK(strncmp(e.log, "1:x\n|2:", 7) == 0);
    pml_free(vm);
}

int main(void)
{
    test_order();
    test_chunks();
    test_limit();
    test_runs_and_teardown();
    puts("test_io: ok");
    return 0;
}
