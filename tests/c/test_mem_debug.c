/*
 * test_mem_debug.c -- the debug layer (core/mem/debugmem.*) stacked on the pymalloc
 * layer: fill bytes, guard bytes, guard corruption and double free reported (never
 * aborted on), fail-the-Nth-allocation, the live-block count and the invariant-check
 * stress switch.  Every test ends with no live block and pmmem_check passing.
 */
#include "mem/debugmem.h"
#include "mem/obmalloc.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Stack {
    PmMem mem;
    PmDebugMem dbg;
    PmAllocator a;                  /* the top of the stack */
} Stack;

static void stack_init(Stack *s)
{
    pmmem_init(&s->mem, 0);
    pmmem_debug_init(&s->dbg, pmmem_allocator(&s->mem));
    pmmem_debug_set_check(&s->dbg, pmmem_check_hook, &s->mem);  /* stress switch on */
    s->a = pmmem_debug_allocator(&s->dbg);
}

static void stack_fini(Stack *s)
{
    if (pmmem_check(&s->mem) != 0) {
        fprintf(stderr, "pmmem_check: %s\n", pmmem_check_message(&s->mem));
        exit(1);
    }
    CHECK(pmmem_debug_live_blocks(&s->dbg) == 0);
    CHECK(pmmem_live_blocks(&s->mem) == 0);
    pmmem_fini(&s->mem);
}

static void *xmalloc(Stack *s, size_t n)
{
    return s->a.malloc(s->a.ctx, n);
}

static void xfree(Stack *s, void *p)
{
    s->a.free(s->a.ctx, p);
}

static int all(const unsigned char *p, size_t n, unsigned char byte)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != byte)
            return 0;
    return 1;
}

static void test_layout(void)
{
    Stack s;
    stack_init(&s);
    unsigned char *p = xmalloc(&s, 10);
    CHECK(p != NULL && ((uintptr_t)p & 15) == 0);
    CHECK(all(p, 10, PMMEM_CLEANBYTE));
    CHECK(all(p - 7, 7, PMMEM_FORBIDDENBYTE) && p[-8] == 'o');
    CHECK(all(p + 10, 8, PMMEM_FORBIDDENBYTE));
    CHECK(all(p - 16, 7, 0) && p[-9] == 10);     /* big-endian size word */
    CHECK(pmmem_debug_requested_size(p) == 10);
    /* the layer below sees 10 + 24 bytes: class 2 (48-byte blocks) */
    CHECK(pmmem_size_class_of(&s.mem, p - 16) == 2);
    CHECK(pmmem_debug_live_blocks(&s.dbg) == 1 && pmmem_live_blocks(&s.mem) == 1);
    CHECK(pmmem_debug_check_block(&s.dbg, p) == 0);

    unsigned char *z = s.a.calloc(s.a.ctx, 5, 100);  /* 524 bytes: a large block */
    CHECK(z != NULL && all(z, 500, 0) && all(z + 500, 8, PMMEM_FORBIDDENBYTE));
    CHECK(pmmem_size_class_of(&s.mem, z - 16) == -1);
    unsigned char *e = xmalloc(&s, 0);
    CHECK(e != NULL && all(e, 8, PMMEM_FORBIDDENBYTE));
    xfree(&s, e);
    xfree(&s, z);
    xfree(&s, p);
    xfree(&s, NULL);
    CHECK(pmmem_debug_errors(&s.dbg) == 0);
    stack_fini(&s);
}

static void test_free_fills_deadbyte(void)
{
    Stack s;
    stack_init(&s);
    unsigned char *p = xmalloc(&s, 40);
    memset(p, 0x11, 40);
    xfree(&s, p);
    /* The block sits in its pool again; pymalloc's free-list link overwrote the first
     * pointer-size bytes, everything after them is DEADBYTE. */
    CHECK(all(p - 16 + sizeof(void *), 64 - sizeof(void *), PMMEM_DEADBYTE));
    CHECK(pmmem_debug_errors(&s.dbg) == 0);
    stack_fini(&s);
}

static void test_guard_corruption(void)
{
    Stack s;
    stack_init(&s);
    unsigned char *p = xmalloc(&s, 10);
    p[10] = 0;                      /* overrun by one byte */
    CHECK(pmmem_debug_check_block(&s.dbg, p) != 0);
    CHECK(pmmem_debug_errors(&s.dbg) == 1);
    CHECK(strstr(pmmem_debug_message(&s.dbg), "bad trailing pad byte") != NULL);
    xfree(&s, p);                   /* reported again; the block is still freed */
    CHECK(pmmem_debug_errors(&s.dbg) == 2 && pmmem_live_blocks(&s.mem) == 0);

    unsigned char *q = xmalloc(&s, 100);
    q[-1] = 0x42;                   /* underrun: the header can't be trusted */
    xfree(&s, q);
    CHECK(pmmem_debug_errors(&s.dbg) == 3);
    CHECK(strstr(pmmem_debug_message(&s.dbg), "pmmem_debug_free: bad leading pad byte"));
    CHECK(pmmem_live_blocks(&s.mem) == 1);      /* not passed down */
    CHECK(s.a.realloc(s.a.ctx, q, 200) == NULL);
    CHECK(pmmem_debug_errors(&s.dbg) == 4);
    q[-1] = PMMEM_FORBIDDENBYTE;    /* repair, then it frees normally */
    q[-8] = 'r';                    /* wrong API id */
    xfree(&s, q);
    CHECK(pmmem_debug_errors(&s.dbg) == 5 && strstr(pmmem_debug_message(&s.dbg), "bad ID"));
    q[-8] = 'o';
    xfree(&s, q);
    CHECK(pmmem_debug_errors(&s.dbg) == 5);
    stack_fini(&s);
}

static void test_double_free(void)
{
    Stack s;
    stack_init(&s);
    void *keep = xmalloc(&s, 24);   /* keeps the pool in use */
    void *p = xmalloc(&s, 24);
    xfree(&s, p);
    CHECK(pmmem_debug_errors(&s.dbg) == 0 && pmmem_debug_live_blocks(&s.dbg) == 1);
    xfree(&s, p);
    CHECK(pmmem_debug_errors(&s.dbg) == 1);
    CHECK(strstr(pmmem_debug_message(&s.dbg), "double free") != NULL);
    CHECK(pmmem_debug_live_blocks(&s.dbg) == 1 && pmmem_live_blocks(&s.mem) == 1);
    /* the pool's free list was not corrupted: two allocations get two blocks */
    void *a = xmalloc(&s, 24), *b = xmalloc(&s, 24);
    CHECK(a != b && a != keep && b != keep);
    xfree(&s, a);
    xfree(&s, b);
    xfree(&s, keep);
    CHECK(pmmem_debug_errors(&s.dbg) == 1);
    stack_fini(&s);
}

static void test_fail_after(void)
{
    Stack s;
    stack_init(&s);
    pmmem_debug_fail_after(&s.dbg, 3);
    void *a = xmalloc(&s, 8);
    void *b = s.a.calloc(s.a.ctx, 2, 8);
    PmMemStats before;
    pmmem_stats(&s.mem, &before);
    void *c = xmalloc(&s, 8);       /* the 3rd allocation fails */
    PmMemStats after;
    pmmem_stats(&s.mem, &after);
    CHECK(a != NULL && b != NULL && c == NULL && s.dbg.failed == 1);
    CHECK(memcmp(&before, &after, sizeof before) == 0);
    c = xmalloc(&s, 8);             /* once only */
    CHECK(c != NULL);

    pmmem_debug_fail_after(&s.dbg, 1);  /* a failing realloc leaves the block intact */
    memset(a, 0x33, 8);
    CHECK(s.a.realloc(s.a.ctx, a, 1000) == NULL);
    CHECK(pmmem_debug_check_block(&s.dbg, a) == 0 && all(a, 8, 0x33));
    xfree(&s, a);
    xfree(&s, b);
    xfree(&s, c);
    CHECK(pmmem_debug_errors(&s.dbg) == 0 && s.dbg.failed == 2);
    stack_fini(&s);
}

static void test_realloc(void)
{
    Stack s;
    stack_init(&s);
    unsigned char *p = xmalloc(&s, 8);
    memcpy(p, "abcdefgh", 8);
    unsigned char *q = s.a.realloc(s.a.ctx, p, 300);     /* moves to another class */
    CHECK(q != NULL && q != p && memcmp(q, "abcdefgh", 8) == 0);
    CHECK(all(q + 8, 292, PMMEM_CLEANBYTE) && all(q + 300, 8, PMMEM_FORBIDDENBYTE));
    CHECK(pmmem_debug_requested_size(q) == 300);
    /* the old block is dead: using the stale pointer is caught */
    CHECK(pmmem_debug_check_block(&s.dbg, p) != 0);
    CHECK(strstr(pmmem_debug_message(&s.dbg), "freed block") != NULL);
    unsigned char *r = s.a.realloc(s.a.ctx, q, 290);     /* shrinks in place */
    CHECK(r == q && all(r + 290, 8, PMMEM_FORBIDDENBYTE));
    unsigned char *l = s.a.realloc(s.a.ctx, r, 5000);    /* to a large block */
    CHECK(l != NULL && memcmp(l, "abcdefgh", 8) == 0 && all(l + 290, 4710, PMMEM_CLEANBYTE));
    CHECK(pmmem_debug_check_block(&s.dbg, l) == 0);
    unsigned char *n = s.a.realloc(s.a.ctx, NULL, 16);
    CHECK(n != NULL && pmmem_debug_live_blocks(&s.dbg) == 2);
    xfree(&s, l);
    xfree(&s, n);
    CHECK(pmmem_debug_errors(&s.dbg) == 1);
    stack_fini(&s);
}

/* Many operations with the invariant check after each, and a memory limit. */
static void test_stress_with_limit(void)
{
    enum { N = 3000 };
    Stack s;
    void *p[N];
    uint64_t x = 12345;
    stack_init(&s);
    pmmem_set_limit(&s.mem, 3 * PMMEM_ARENA_SIZE);
    size_t got = 0;
    for (int i = 0; i < N; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        p[i] = xmalloc(&s, (size_t)(x >> 33) % 2000);
        got += p[i] != NULL;
    }
    CHECK(got > 0 && got < N);      /* the limit was reached, cleanly */
    for (int i = 0; i < N; i += 2)
        xfree(&s, p[i]);
    for (int i = 1; i < N; i += 2) {
        if (p[i] != NULL)
            CHECK(pmmem_debug_check_block(&s.dbg, p[i]) == 0);
        xfree(&s, p[i]);
    }
    CHECK(pmmem_debug_errors(&s.dbg) == 0);
    stack_fini(&s);
}

int main(void)
{
    static const struct {
        const char *name;
        void (*fn)(void);
    } tests[] = {
        {"layout", test_layout},
        {"free_fills_deadbyte", test_free_fills_deadbyte},
        {"guard_corruption", test_guard_corruption},
        {"double_free", test_double_free},
        {"fail_after", test_fail_after},
        {"realloc", test_realloc},
        {"stress_with_limit", test_stress_with_limit},
    };
    size_t n = sizeof tests / sizeof tests[0];
    for (size_t i = 0; i < n; i++) {
        tests[i].fn();
        printf("ok %s\n", tests[i].name);
    }
    printf("test_mem_debug: %zu passed, 0 failed\n", n);
    return 0;
}
