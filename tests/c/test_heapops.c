/*
 * test_heapops.c -- pml_heap_* (core/lib/heapops.c): reference counting by hand, and every
 * misuse reported as an error, never a crash (this test also runs under ASan/UBSan), plus
 * pml_last_exception and pml_set_limits.
 */
#include "pymemlab.h"
#include "check.h"

#include <stdint.h>
#include <string.h>

static pml_vm *new_lab(void)
{
    pml_vm *vm = pml_new(NULL);
    CHECK(vm != NULL);
    return vm;
}

static pml_status run(pml_vm *vm, const char *src)
{
    return pml_run(vm, src, strlen(src), "t.py");
}

static int heap_new(pml_vm *vm, const char *kind, const char *value)
{
    return pml_heap_new(vm, kind, value, value ? strlen(value) : 0);
}

static void test_counts_and_free(void)
{
    pml_vm *vm = new_lab();
    int l = heap_new(vm, "list", NULL);
    int x = heap_new(vm, "int", "123456789");
    CHECK(l > 0 && x > l);
    CHECK(pml_heap_refcount(vm, l) == 1);
    CHECK(pml_heap_link(vm, l, x, 0, 0) == 0);          /* PyList_Append: x has 2 refs */
    CHECK(pml_heap_refcount(vm, x) == 2);
    CHECK(pml_heap_decref(vm, x) == 1);                 /* ours is gone, the list's remains */
    CHECK(pml_heap_alive(vm, x) == 1);
    /* over-decref: the remaining reference is the list's */
    CHECK(pml_heap_decref(vm, x) == PML_HEAP_ENOTOWNED);
    CHECK(strstr(pml_heap_error(vm), "owns no reference") != NULL);
    CHECK(pml_heap_refcount(vm, x) == 1);
    CHECK(pml_heap_incref(vm, l) == 2);
    CHECK(pml_heap_decref(vm, l) == 1);
    CHECK(pml_heap_decref(vm, l) == 0);                 /* frees the list, and x with it */
    CHECK(pml_heap_alive(vm, l) == 0 && pml_heap_alive(vm, x) == 0);
    /* use after free */
    CHECK(pml_heap_incref(vm, x) == PML_HEAP_EFREED);
    CHECK(strstr(pml_heap_error(vm), "use after free") != NULL);
    CHECK(pml_heap_decref(vm, l) == PML_HEAP_EFREED);
    CHECK(pml_heap_link(vm, l, x, 0, 0) == PML_HEAP_EFREED);
    CHECK(pml_heap_refcount(vm, x) == PML_HEAP_EFREED);
    /* unknown handles */
    CHECK(pml_heap_incref(vm, 0) == PML_HEAP_EUNKNOWN);
    CHECK(pml_heap_decref(vm, 99) == PML_HEAP_EUNKNOWN);
    CHECK(pml_heap_alive(vm, -3) == PML_HEAP_EUNKNOWN);
    pml_free(vm);
}

static void test_cycle_and_collect(void)
{
    pml_vm *vm = new_lab();
    int a = heap_new(vm, "list", NULL);
    int b = heap_new(vm, "list", NULL);
    CHECK(pml_heap_link(vm, a, b, 0, 0) == 0);
    CHECK(pml_heap_link(vm, b, a, 0, 0) == 0);
    CHECK(pml_heap_decref(vm, a) == 1);
    CHECK(pml_heap_decref(vm, b) == 1);                 /* a leaked cycle */
    CHECK(pml_heap_alive(vm, a) == 1 && pml_heap_alive(vm, b) == 1);
    size_t len = 0;
    const char *json = pml_heap_json(vm, &len);
    CHECK(json != NULL && len == strlen(json));
    CHECK(strstr(json, "\"owned\":0") != NULL);
    CHECK(pml_heap_collect(vm) == 2);
    CHECK(pml_heap_alive(vm, a) == 0 && pml_heap_alive(vm, b) == 0);
    json = pml_heap_json(vm, &len);
    CHECK(strstr(json, "\"freed\":\"gc\"") != NULL);
    CHECK(pml_heap_unlink(vm, a, b) == PML_HEAP_EFREED);
    pml_free(vm);
}

static void test_dict_steal_and_kinds(void)
{
    pml_vm *vm = new_lab();
    int d = heap_new(vm, "dict", NULL);
    int k = heap_new(vm, "str", "key");
    int v = heap_new(vm, "str", "a value \"quoted\"\n");
    int l = heap_new(vm, "list", NULL);
    CHECK(pml_heap_link(vm, d, v, k, PML_HEAP_STEAL) == 0);   /* the dict took our ref to v */
    CHECK(pml_heap_refcount(vm, v) == 1);
    CHECK(pml_heap_link(vm, d, v, k, PML_HEAP_STEAL) == PML_HEAP_ENOTOWNED);
    CHECK(pml_heap_decref(vm, v) == PML_HEAP_ENOTOWNED);
    CHECK(pml_heap_link(vm, d, v, l, 0) == PML_HEAP_EVALUE); /* unhashable key */
    CHECK(strstr(pml_heap_error(vm), "unhashable type: 'list'") != NULL);
    CHECK(pml_heap_link(vm, k, v, 0, 0) == PML_HEAP_EKIND);
    CHECK(pml_heap_link(vm, l, v, k, 0) == PML_HEAP_EVALUE);  /* a list takes no key */
    CHECK(pml_heap_unlink(vm, l, v) == PML_HEAP_EVALUE);      /* not in the list */
    CHECK(heap_new(vm, "tuple", NULL) == PML_HEAP_EKIND);
    CHECK(heap_new(vm, "int", "12x") == PML_HEAP_EVALUE);
    CHECK(strstr(pml_heap_error(vm), "ValueError") != NULL);
    size_t len;
    const char *json = pml_heap_json(vm, &len);
    CHECK(json && strstr(json, "\\\"quoted\\\"\\\\n") != NULL);   /* escaped repr */
    CHECK(pml_heap_unlink(vm, d, k) == 0);                    /* del d[k]: frees v */
    CHECK(pml_heap_alive(vm, v) == 0);
    /* small ints are shared and never die */
    int s = heap_new(vm, "int", "7");
    CHECK(s > 0 && pml_heap_decref(vm, s) > 1);
    CHECK(pml_heap_alive(vm, s) == 1);
    CHECK(pml_heap_release_all(vm) == 3);                     /* d, k and l */
    CHECK(pml_heap_alive(vm, d) == 0 && pml_heap_alive(vm, l) == 0);
    pml_free(vm);
}

static void test_heap_survives_runs(void)
{
    pml_vm *vm = new_lab();
    int l = heap_new(vm, "list", NULL);
    CHECK(pml_heap_link(vm, l, l, 0, 0) == 0);
    CHECK(run(vm, "x = [1, 2]\nprint(x)\n") == PML_OK);
    CHECK(pml_heap_refcount(vm, l) == 2);
    /* a program that finds the object through gc and empties it */
    const char *src = "import gc\nfor o in gc.get_objects():\n"
                      "    if type(o) is list and len(o) == 1 and o[0] is o: o.clear()\n";
    CHECK(run(vm, src) == PML_OK);
    CHECK(pml_heap_refcount(vm, l) == 1);
    CHECK(pml_heap_decref(vm, l) == 0);
    pml_free(vm);
    /* destroying a lab releases what the host still owns */
    vm = new_lab();
    int a = heap_new(vm, "list", NULL);
    int b = heap_new(vm, "dict", NULL);
    CHECK(pml_heap_link(vm, a, b, 0, 0) == 0);
    CHECK(pml_heap_link(vm, a, a, 0, 0) == 0);
    CHECK(pml_free_count_leaks(vm) == 0);
}

static void test_last_exception_and_limits(void)
{
    pml_vm *vm = new_lab();
    CHECK(run(vm, "print(1)\n") == PML_OK);
    CHECK(pml_last_exception(vm) == NULL);
    CHECK(run(vm, "1/0\n") == PML_EXCEPTION);
    CHECK_STR(pml_last_exception(vm), "ZeroDivisionError: division by zero");
    const char *chained = "try:\n    {}['k']\nexcept KeyError as e:\n    raise ValueError('v') from e\n";
    CHECK(run(vm, chained) == PML_EXCEPTION);
    CHECK_STR(pml_last_exception(vm), "ValueError: v");
    CHECK(run(vm, "x = (\n") == PML_SYNTAX_ERROR);
    CHECK(strncmp(pml_last_exception(vm), "SyntaxError: ", 13) == 0);
    CHECK(run(vm, "import sys\nsys.exit(3)\n") == PML_EXCEPTION);
    CHECK_STR(pml_last_exception(vm), "SystemExit: 3");
    CHECK(run(vm, "raise MemoryError\n") == PML_EXCEPTION);
    CHECK_STR(pml_last_exception(vm), "MemoryError");
    pml_config cfg = { 0 };
    cfg.step_limit = 1000;
    pml_set_limits(vm, &cfg);
    CHECK(run(vm, "while True: pass\n") == PML_LIMIT);
    CHECK(pml_last_exception(vm) == NULL);
    pml_set_limits(vm, NULL);
    CHECK(run(vm, "for i in range(10000): pass\n") == PML_OK);
    pml_free(vm);
}

static int next_random(uint32_t *seed, int n)
{
    *seed = *seed * 1103515245u + 12345u;
    return (int)((*seed >> 16) % (uint32_t)n);
}

/* Random sequences of calls, valid and not, with random handles: every result is a valid
 * value or an error code, and the lab's own checks (heap_check under PML_DEBUG, ASan) hold. */
static void test_random_calls(void)
{
    static const char *const kinds[] = { "int", "str", "list", "dict", "tuple" };
    static const char *const values[] = { "7", "123456789012345678901234567890", "x", "",
                                          "hello", "-5", "nope" };
    uint32_t seed = 12345;
#define RAND(n) next_random(&seed, (n))
    for (int round = 0; round < 20; round++) {
        pml_vm *vm = new_lab();
        int made = 0;
        for (int i = 0; i < 1500; i++) {
            int h1 = RAND(made + 3) - 1, h2 = RAND(made + 3) - 1, h3 = RAND(made + 3) - 1;
            int r = 0;
            switch (RAND(11)) {
            case 0: case 1:
                r = heap_new(vm, kinds[RAND(5)], values[RAND(7)]);
                if (r > 0) made = r;
                break;
            case 2: r = pml_heap_incref(vm, h1); break;
            case 3: case 4: r = pml_heap_decref(vm, h1); break;
            case 5: case 6: r = pml_heap_link(vm, h1, h2, h3, RAND(2)); break;
            case 7: r = pml_heap_unlink(vm, h1, h2); break;
            case 8: r = RAND(20) == 0 ? pml_heap_collect(vm) : pml_heap_alive(vm, h1); break;
            case 9: {
                size_t len = 0;
                const char *json = RAND(10) == 0 ? pml_heap_json(vm, &len) : NULL;
                CHECK(json == NULL || strlen(json) == len);
                break;
            }
            default:
                if (RAND(50) == 0) r = run(vm, "import gc\nx = [[i] for i in range(50)]\n"
                                               "gc.collect()\n");
                else r = pml_heap_refcount(vm, h1);
                break;
            }
            CHECK(r >= PML_HEAP_ELIMIT);
            if (r < 0) CHECK(pml_heap_error(vm)[0] != 0);
        }
        if (round % 2) pml_heap_release_all(vm);
        CHECK(pml_free_count_leaks(vm) == 0);
    }
#undef RAND
}

int main(void)
{
    test_random_calls();
    test_counts_and_free();
    test_cycle_and_collect();
    test_dict_steal_and_kinds();
    test_heap_survives_runs();
    test_last_exception_and_limits();
    return 0;
}
