/*
 * test_weakref.c -- weak references across runs of one lab, and their memory:
 *   - weakref.finalize's at-exit pass runs at the end of every run (not only the first),
 *   - weakrefs, proxies, weak containers and their callbacks leave no block behind: a run
 *     repeated in one lab ends with the same number of live blocks each time,
 *   - a lab that used weakrefs frees cleanly (ASan/LSan in build/asan).
 */
#include "pymemlab.h"
#include "check.h"

#include <string.h>

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

static pml_status run(pml_vm *vm, capture *c, const char *src)
{
    memset(c, 0, sizeof *c);
    return pml_run(vm, src, strlen(src), "wr.py");
}

static const char finalize_prog[] =
    "import weakref\n"
    "class R:\n"
    "    pass\n"
    "r = R()\n"
    "weakref.finalize(r, print, 'at exit')\n"
    "gone = R()\n"
    "weakref.finalize(gone, print, 'dead')\n"
    "del gone\n"
    "print('end')\n";

static void test_finalize_every_run(void)
{
    capture c;
    pml_config cfg = {0};
    cfg.write = capture_write;
    cfg.userdata = &c;
    pml_vm *vm = pml_new(&cfg);
    CHECK(vm != NULL);
    for (int i = 0; i < 3; i++) {
        CHECK(run(vm, &c, finalize_prog) == PML_OK);
        CHECK_STR(c.out, "dead\nend\nat exit\n");
        CHECK_STR(c.err, "");
    }
    pml_free(vm);
}

static const char churn_prog[] =
    "import weakref, gc\n"
    "class N:\n"
    "    def m(self):\n"
    "        return 1\n"
    "log = []\n"
    "d = weakref.WeakValueDictionary()\n"
    "k = weakref.WeakKeyDictionary()\n"
    "s = weakref.WeakSet()\n"
    "for i in range(200):\n"
    "    n = N()\n"
    "    n.me = n if i % 3 == 0 else None\n"
    "    r = weakref.ref(n, log.append)\n"
    "    p = weakref.proxy(n)\n"
    "    wm = weakref.WeakMethod(n.m)\n"
    "    d[i] = n\n"
    "    k[n] = i\n"
    "    s.add(n)\n"
    "    f = weakref.finalize(n, log.append, i)\n"
    "    del n\n"
    "gc.collect()\n"
    "print(len(d), len(k), len(s), len(log) > 0)\n";

static void test_no_leak(void)
{
    capture c;
    pml_config cfg = {0};
    cfg.write = capture_write;
    cfg.userdata = &c;
    pml_vm *vm = pml_new(&cfg);
    CHECK(vm != NULL);
    CHECK(run(vm, &c, churn_prog) == PML_OK);     /* warm up: modules, free lists */
    CHECK_STR(c.err, "");
    CHECK(run(vm, &c, churn_prog) == PML_OK);
    size_t blocks = pml_live_blocks(vm);
    for (int i = 0; i < 3; i++) {
        CHECK(run(vm, &c, churn_prog) == PML_OK);
        CHECK_STR(c.out, "0 0 0 True\n");
        CHECK(pml_live_blocks(vm) == blocks);
    }
    pml_free(vm);
}

int main(void)
{
    test_finalize_every_run();
    test_no_leak();
    puts("test_weakref: ok");
    return 0;
}
