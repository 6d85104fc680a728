/*
 * test_mem.c -- the pymalloc model (core/mem/obmalloc.*): every size class, the pool and
 * arena state machines, realloc's rules, the memory limit, the statistics report, and a
 * fill-and-drain of 1,000,000 blocks.  pmmem_check runs after every phase; every test
 * ends with no live block and pmmem_fini, so ASan/LSan see any leak.
 */
#include "mem/obmalloc.h"
#include "check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FILL_DRAIN_BLOCKS
#define FILL_DRAIN_BLOCKS 1000000
#endif

static void check_mem(PmMem *m, const char *file, int line)
{
    if (pmmem_check(m) != 0) {
        fprintf(stderr, "%s:%d: pmmem_check failed: %s\n", file, line,
                pmmem_check_message(m));
        exit(1);
    }
}
#define CHECK_MEM(m) check_mem((m), __FILE__, __LINE__)

/* xorshift64*: a fixed-seed PRNG, the same sequence on every platform. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * UINT64_C(2685821657736338717);
}

static PmMemStats stats(const PmMem *m)
{
    PmMemStats s;
    pmmem_stats(m, &s);
    return s;
}

typedef struct FindPool {
    uintptr_t address;
    PmPoolInfo info;
    int found;
} FindPool;

static int find_pool(void *ctx, const PmPoolInfo *pi)
{
    FindPool *f = ctx;
    if (pi->address != f->address)
        return 0;
    f->info = *pi;
    f->found = 1;
    return 1;
}

/* The visitor's view of the pool holding p. */
static PmPoolInfo pool_info_of(const PmMem *m, const void *p)
{
    FindPool f;
    memset(&f, 0, sizeof f);
    f.address = (uintptr_t)p & ~(uintptr_t)PMMEM_POOL_SIZE_MASK;
    pmmem_visit_pools(m, find_pool, &f);
    CHECK(f.found);
    return f.info;
}

static void test_constants(void)
{
    CHECK(PMMEM_NUMBLOCKS(0) == 1021);
    CHECK(PMMEM_NUMBLOCKS(1) == 510);
    CHECK(PMMEM_NUMBLOCKS(31) == 31);
    CHECK(PMMEM_SIZE2INDEX(1) == 0 && PMMEM_SIZE2INDEX(16) == 0);
    CHECK(PMMEM_SIZE2INDEX(17) == 1 && PMMEM_SIZE2INDEX(512) == 31);
}

/* Every request size 1..512 lands in class (n-1)>>4, 16-aligned; 0 and 513+ do not. */
static void test_every_class(void)
{
    PmMem m;
    void *blocks[PMMEM_SMALL_REQUEST_THRESHOLD + 1];
    pmmem_init(&m, 0);
    for (size_t n = 1; n <= PMMEM_SMALL_REQUEST_THRESHOLD; n++) {
        unsigned char *p = pmmem_malloc(&m, n);
        CHECK(p != NULL);
        CHECK(((uintptr_t)p & (PMMEM_ALIGNMENT - 1)) == 0);
        CHECK(pmmem_size_class_of(&m, p) == (int)((n - 1) >> 4));
        CHECK(pmmem_block_size(&m, p) == ((n + 15) & ~(size_t)15));
        CHECK(pmmem_address_in_range(&m, p));
        memset(p, (int)n, n);
        blocks[n] = p;
    }
    CHECK(pmmem_live_blocks(&m) == PMMEM_SMALL_REQUEST_THRESHOLD);
    CHECK_MEM(&m);
    PmClassStats cs[PMMEM_NB_SMALL_SIZE_CLASSES];
    pmmem_class_stats(&m, cs);
    for (unsigned c = 0; c < PMMEM_NB_SMALL_SIZE_CLASSES; c++)
        CHECK(cs[c].pools == 1 && cs[c].blocks_in_use == 16 &&
              cs[c].avail_blocks == PMMEM_NUMBLOCKS(c) - 16);
    for (size_t n = 1; n <= PMMEM_SMALL_REQUEST_THRESHOLD; n++) {
        unsigned char *p = blocks[n];
        CHECK(p[0] == (unsigned char)n && p[n - 1] == (unsigned char)n);
        pmmem_free(&m, p);
    }
    CHECK(pmmem_live_blocks(&m) == 0);
    CHECK_MEM(&m);

    /* 0 bytes: CPython 3.11 sends it to PyMem_RawMalloc, i.e. malloc(1). */
    void *z = pmmem_malloc(&m, 0);
    CHECK(z != NULL && pmmem_size_class_of(&m, z) == -1 && pmmem_block_size(&m, z) == 1);
    void *big = pmmem_malloc(&m, 513);
    CHECK(big != NULL && pmmem_size_class_of(&m, big) == -1);
    CHECK(pmmem_block_size(&m, big) == 513);
    PmMemStats s = stats(&m);
    CHECK(s.large_blocks == 2 && s.large_bytes == 514 && s.small_blocks == 0);
    CHECK(pmmem_live_blocks(&m) == 2);
    CHECK_MEM(&m);
    pmmem_free(&m, z);
    pmmem_free(&m, big);
    pmmem_free(&m, NULL);
    CHECK(pmmem_live_blocks(&m) == 0 && pmmem_bytes_held(&m) == PMMEM_ARENA_SIZE);
    CHECK_MEM(&m);
    pmmem_fini(&m);
}

static void test_calloc(void)
{
    PmMem m;
    pmmem_init(&m, 0);
    unsigned char *p = pmmem_malloc(&m, 100);
    memset(p, 0xAB, 100);
    pmmem_free(&m, p);
    unsigned char *q = pmmem_calloc(&m, 10, 10);    /* the same block, zeroed */
    CHECK(q == p);
    for (int i = 0; i < 100; i++)
        CHECK(q[i] == 0);
    unsigned char *r = pmmem_calloc(&m, 100, 10);
    CHECK(r != NULL && pmmem_size_class_of(&m, r) == -1 && r[999] == 0);
    CHECK(pmmem_calloc(&m, SIZE_MAX / 2, 3) == NULL);
    pmmem_free(&m, q);
    pmmem_free(&m, r);
    CHECK_MEM(&m);
    pmmem_fini(&m);
}

/* used -> full -> used -> empty, and the list discipline of usedpools. */
static void test_pool_states(void)
{
    enum { C = 31, N = 31 };        /* 512-byte blocks, 31 per pool */
    PmMem m;
    void *b[N], *extra[N];
    pmmem_init(&m, 0);
    for (int i = 0; i < N; i++) {
        b[i] = pmmem_malloc(&m, 512);
        CHECK(pool_info_of(&m, b[i]).state == (i < N - 1 ? PMMEM_POOL_USED
                                                           : PMMEM_POOL_FULL));
        CHECK(pool_info_of(&m, b[i]).address == pool_info_of(&m, b[0]).address);
    }
    CHECK(m.usedpools[C].nextpool == &m.usedpools[C]);   /* a full pool is on no list */
    PmPoolInfo pi = pool_info_of(&m, b[0]);
    CHECK(pi.used == N && pi.capacity == N && pi.szidx == C && pi.block_size == 512);
    CHECK_MEM(&m);

    pmmem_free(&m, b[7]);           /* full -> used, at the front of usedpools */
    CHECK(pool_info_of(&m, b[0]).state == PMMEM_POOL_USED);
    CHECK((uintptr_t)m.usedpools[C].nextpool == pi.address);
    CHECK(pmmem_malloc(&m, 500) == b[7]);        /* LIFO free list, used -> full */
    CHECK(pool_info_of(&m, b[0]).state == PMMEM_POOL_FULL);

    /* A second pool; freeing one block in each puts the latest freed pool first. */
    for (int i = 0; i < N; i++)
        extra[i] = pmmem_malloc(&m, 512);
    uintptr_t second = pool_info_of(&m, extra[0]).address;
    CHECK(second != pi.address && pool_info_of(&m, extra[0]).state == PMMEM_POOL_FULL);
    pmmem_free(&m, b[3]);
    pmmem_free(&m, extra[3]);
    CHECK((uintptr_t)m.usedpools[C].nextpool == second);
    CHECK((uintptr_t)m.usedpools[C].nextpool->nextpool == pi.address);
    CHECK_MEM(&m);

    for (int i = 0; i < N; i++)     /* used -> empty */
        if (i != 3)
            pmmem_free(&m, b[i]);
    CHECK(pool_info_of(&m, (void *)pi.address).state == PMMEM_POOL_EMPTY);
    CHECK(stats(&m).pools_empty == 1);
    CHECK_MEM(&m);

    /* An empty pool is reused for another class, re-initialised. */
    void *other = pmmem_malloc(&m, 16);
    CHECK(pool_info_of(&m, other).address == pi.address);
    CHECK(pool_info_of(&m, other).szidx == 0 && pool_info_of(&m, other).used == 1);
    CHECK((uintptr_t)other == pi.address + PMMEM_POOL_OVERHEAD);
    pmmem_free(&m, other);
    for (int i = 0; i < N; i++)
        if (i != 3)
            pmmem_free(&m, extra[i]);
    CHECK(pmmem_live_blocks(&m) == 0);
    CHECK_MEM(&m);
    pmmem_fini(&m);
}

/* Allocate 512-byte blocks until `narenas` arenas exist; returns the count. */
static size_t fill_arenas(PmMem *m, void **out, size_t cap, size_t narenas)
{
    size_t n = 0;
    while (n < cap) {
        void *p = pmmem_malloc(m, 512);
        CHECK(p != NULL && pmmem_size_class_of(m, p) == 31);
        out[n++] = p;
        if (stats(m).arenas_current == narenas)
            break;
    }
    return n;
}

static unsigned arena_of(const PmMem *m, const void *p)
{
    PmBlockInfo bi;
    pmmem_locate(m, p, &bi);
    CHECK(bi.small);
    return bi.arena;
}

static void test_arena_lifecycle(void)
{
    enum { CAP = 4096 };
    PmMem m;
    void **b = malloc(CAP * sizeof *b);
    pmmem_init(&m, 0);

    /* One arena, drained: CPython keeps the last wholly free arena (bpo-37257). */
    size_t n = fill_arenas(&m, b, CAP, 1);
    for (size_t i = 0; i < n; i++)
        pmmem_free(&m, b[i]);
    PmMemStats s = stats(&m);
    CHECK(s.arenas_current == 1 && s.arenas_allocated_total == 1);
    CHECK(s.pools_empty + s.pools_uncarved == 64 || s.pools_empty + s.pools_uncarved == 63);
    CHECK_MEM(&m);
    CHECK(pmmem_trim(&m) == 1 && stats(&m).arenas_current == 0);
    CHECK(pmmem_trim(&m) == 0);
    CHECK_MEM(&m);

    /* Two arenas: the first is full, the second holds one block. */
    n = fill_arenas(&m, b, CAP, 2);
    void *last = b[n - 1];
    unsigned a0 = arena_of(&m, b[0]), a1 = arena_of(&m, last);
    CHECK(a0 != a1);
    CHECK(n - 1 == 31 * (size_t)(stats(&m).pools_full));
    pmmem_free(&m, last);           /* second arena wholly free, but last: kept */
    CHECK(stats(&m).arenas_current == 2);
    CHECK_MEM(&m);
    for (size_t i = 0; i + 1 < n; i++) {
        pmmem_free(&m, b[i]);
        CHECK(stats(&m).arenas_current == (i + 2 < n ? 2u : 1u));
        if (i % 97 == 0)
            CHECK_MEM(&m);
    }
    s = stats(&m);                  /* the first arena went back to the system */
    CHECK(s.arenas_current == 1 && s.arenas_reclaimed == 2 && s.arenas_highwater == 2);
    CHECK(s.arenas_allocated_total == 3);
    CHECK_MEM(&m);
    pmmem_fini(&m);
    CHECK(pmmem_live_blocks(&m) == 0 && pmmem_bytes_held(&m) == 0);
    free(b);
}

/* usable_arenas is sorted by free pools: a new pool comes from the fullest arena. */
static void test_usable_order(void)
{
    enum { CAP = 8192 };
    PmMem m;
    void **b = malloc(CAP * sizeof *b);
    pmmem_init(&m, 0);
    size_t n = fill_arenas(&m, b, CAP, 3), k = 0;
    unsigned a0 = arena_of(&m, b[0]), a2 = arena_of(&m, b[n - 1]);
    while (arena_of(&m, b[k]) == a0)
        k++;
    unsigned a1 = arena_of(&m, b[k]);
    for (size_t i = 0; i < 31 * 40; i++) {      /* 40 pools of a0 become empty */
        pmmem_free(&m, b[i]);
        b[i] = NULL;
    }
    for (size_t i = k; i < k + 31 * 5; i++) {   /* 5 pools of a1 become empty */
        pmmem_free(&m, b[i]);
        b[i] = NULL;
    }
    CHECK_MEM(&m);
    CHECK(m.usable_arenas == &m.arenas[a1] && m.usable_arenas->nfreepools == 5);
    CHECK(m.usable_arenas->nextarena == &m.arenas[a0]);
    CHECK(m.usable_arenas->nextarena->nextarena == &m.arenas[a2]);
    void *p = pmmem_malloc(&m, 16);             /* class 0 needs a new pool */
    CHECK(arena_of(&m, p) == a1 && m.arenas[a1].nfreepools == 4);
    pmmem_free(&m, p);
    for (size_t i = 0; i < n; i++)
        pmmem_free(&m, b[i]);
    CHECK(pmmem_live_blocks(&m) == 0);
    CHECK(stats(&m).arenas_current == 1);
    CHECK_MEM(&m);
    pmmem_fini(&m);
    free(b);
}

static void test_realloc(void)
{
    PmMem m;
    pmmem_init(&m, 0);
    unsigned char *p = pmmem_realloc(&m, NULL, 20);
    CHECK(p != NULL && pmmem_size_class_of(&m, p) == 1);
    for (int i = 0; i < 20; i++)
        p[i] = (unsigned char)i;
    CHECK(pmmem_realloc(&m, p, 32) == p);        /* grows within its block */
    CHECK(pmmem_realloc(&m, p, 25) == p);        /* shrinks by less than 1/4 */
    unsigned char *q = pmmem_realloc(&m, p, 100);
    CHECK(q != p && pmmem_size_class_of(&m, q) == 6);
    for (int i = 0; i < 20; i++)
        CHECK(q[i] == i);

    unsigned char *r = pmmem_malloc(&m, 512);
    memset(r, 7, 512);
    CHECK(pmmem_realloc(&m, r, 385) == r);       /* 4*385 > 3*512: in place */
    unsigned char *r2 = pmmem_realloc(&m, r, 384);   /* 4*384 == 3*512: moves */
    CHECK(r2 != r && pmmem_size_class_of(&m, r2) == 23 && r2[383] == 7);

    /* small -> large -> larger -> small: a system block stays a system block */
    unsigned char *l = pmmem_realloc(&m, q, 1000);
    CHECK(l != NULL && pmmem_size_class_of(&m, l) == -1 && pmmem_block_size(&m, l) == 1000);
    for (int i = 0; i < 20; i++)
        CHECK(l[i] == i);
    memset(l + 20, 9, 980);
    l = pmmem_realloc(&m, l, 100000);
    CHECK(l != NULL && l[999] == 9 && l[19] == 19 && stats(&m).large_bytes == 100000);
    l = pmmem_realloc(&m, l, 100);
    CHECK(l != NULL && pmmem_size_class_of(&m, l) == -1 && pmmem_block_size(&m, l) == 100);
    CHECK(l[5] == 5 && l[99] == 9);
    CHECK(stats(&m).large_bytes == 100);

    /* realloc(small, 0) moves to a 1-byte system block, as CPython's does */
    unsigned char *e = pmmem_realloc(&m, r2, 0);
    CHECK(e != NULL && pmmem_size_class_of(&m, e) == -1 && pmmem_block_size(&m, e) == 1);
    CHECK(pmmem_live_blocks(&m) == 2);
    CHECK_MEM(&m);
    pmmem_free(&m, e);
    pmmem_free(&m, l);
    CHECK(pmmem_live_blocks(&m) == 0);
    CHECK_MEM(&m);
    pmmem_fini(&m);
}

/* A failed allocation changes nothing: same statistics, same report, same check. */
static void test_limit(void)
{
    enum { CAP = 8192 };
    static char before[8192], after[8192];
    PmMem m;
    void **b = malloc(CAP * sizeof *b);
    pmmem_init(&m, 2 * PMMEM_ARENA_SIZE);
    size_t n = 0;
    while ((b[n] = pmmem_malloc(&m, 512)) != NULL)
        n++;
    CHECK(n > 0 && n < CAP);
    PmMemStats s0 = stats(&m);
    CHECK(s0.arenas_current == 2 && s0.bytes_held == 2 * PMMEM_ARENA_SIZE);
    CHECK(s0.large_blocks == 0);
    pmmem_debugmallocstats(&m, before, sizeof before);
    memset(b[0], 0x5A, 512);

    CHECK(pmmem_malloc(&m, 16) == NULL);
    CHECK(pmmem_malloc(&m, 0) == NULL);
    CHECK(pmmem_malloc(&m, 100000) == NULL);
    CHECK(pmmem_calloc(&m, 1, 16) == NULL);
    CHECK(pmmem_realloc(&m, b[0], 4096) == NULL);
    CHECK(pmmem_realloc(&m, b[0], 100) == NULL);     /* would need a new pool */
    PmMemStats s1 = stats(&m);
    CHECK(memcmp(&s0, &s1, sizeof s0) == 0);
    pmmem_debugmallocstats(&m, after, sizeof after);
    CHECK_STR(after, before);
    CHECK(((unsigned char *)b[0])[511] == 0x5A);
    CHECK_MEM(&m);

    pmmem_free(&m, b[--n]);          /* room again */
    b[n] = pmmem_malloc(&m, 500);
    CHECK(b[n] != NULL);
    n++;
    pmmem_set_limit(&m, 2 * PMMEM_ARENA_SIZE + 4096);
    void *big = pmmem_malloc(&m, 4096);
    CHECK(big != NULL && pmmem_malloc(&m, 1) == NULL);
    CHECK(pmmem_realloc(&m, big, 4097) == NULL);
    big = pmmem_realloc(&m, big, 2000);
    CHECK(big != NULL && pmmem_block_size(&m, big) == 2000);
    /* A small request whose arena is refused falls back to the system allocator
     * (CPython's _PyObject_Malloc does the same). */
    void *fb = pmmem_malloc(&m, 64);
    CHECK(fb != NULL && pmmem_size_class_of(&m, fb) == -1);
    CHECK_MEM(&m);
    pmmem_free(&m, fb);
    pmmem_free(&m, pmmem_realloc(&m, big, 10));
    for (size_t i = 0; i < n; i++)
        pmmem_free(&m, b[i]);
    CHECK(pmmem_live_blocks(&m) == 0 && pmmem_limit(&m) == 2 * PMMEM_ARENA_SIZE + 4096);
    CHECK_MEM(&m);
    pmmem_fini(&m);
    free(b);
}

/* Fill with a million random-size blocks, drain in random order: every arena returns. */
static void test_fill_and_drain(void)
{
    PmMem m;
    unsigned char **b = malloc(FILL_DRAIN_BLOCKS * sizeof *b);
    uint16_t *size = malloc(FILL_DRAIN_BLOCKS * sizeof *size);
    CHECK(b != NULL && size != NULL);
    pmmem_init(&m, 0);
    for (size_t i = 0; i < FILL_DRAIN_BLOCKS; i++) {
        size[i] = (uint16_t)(1 + rng() % PMMEM_SMALL_REQUEST_THRESHOLD);
        b[i] = pmmem_malloc(&m, size[i]);
        CHECK(b[i] != NULL);
        b[i][0] = (unsigned char)i;
        b[i][size[i] - 1] = (unsigned char)(i >> 8);
    }
    PmMemStats s = stats(&m);
    CHECK(s.small_blocks == FILL_DRAIN_BLOCKS && s.large_blocks == 0);
    CHECK(pmmem_live_blocks(&m) == FILL_DRAIN_BLOCKS);
    CHECK_MEM(&m);
    for (size_t i = FILL_DRAIN_BLOCKS - 1; i > 0; i--) {    /* Fisher-Yates */
        size_t j = (size_t)(rng() % (i + 1));
        unsigned char *t = b[i];
        uint16_t ts = size[i];
        b[i] = b[j], size[i] = size[j];
        b[j] = t, size[j] = ts;
    }
    size_t highwater = s.arenas_current;
    for (size_t i = 0; i < FILL_DRAIN_BLOCKS; i++) {
        CHECK(pmmem_block_size(&m, b[i]) >= size[i]);
        pmmem_free(&m, b[i]);
        if (i % (FILL_DRAIN_BLOCKS / 4) == 0)
            CHECK_MEM(&m);
    }
    s = stats(&m);
    CHECK(pmmem_live_blocks(&m) == 0 && s.small_bytes == 0);
    CHECK(s.arenas_current == 1 && s.arenas_highwater == highwater);
    CHECK(s.arenas_reclaimed == s.arenas_allocated_total - 1);
    CHECK_MEM(&m);
    CHECK(pmmem_trim(&m) == 1);
    CHECK(stats(&m).arenas_current == 0 && pmmem_bytes_held(&m) == 0);
    CHECK_MEM(&m);
    pmmem_fini(&m);
    free(b);
    free(size);
}

/* Read the value of a printone line of the report. */
static size_t report_value(const char *report, const char *label)
{
    const char *line = strstr(report, label);
    CHECK(line != NULL);
    while (line > report && line[-1] != '\n')
        line--;
    const char *eq = strchr(line, '=');
    CHECK(eq != NULL && eq - line == 35);
    size_t v = 0;
    for (const char *c = eq + 1; *c != '\n'; c++)
        if (*c >= '0' && *c <= '9')
            v = v * 10 + (size_t)(*c - '0');
    return v;
}

static void test_report(void)
{
    static char buf[16384];
    PmMem m;
    void *p[106];
    pmmem_init(&m, 0);
    size_t len = pmmem_debugmallocstats(&m, buf, sizeof buf);
    CHECK(len == strlen(buf));
    const char *head = "Small block threshold = 512, in 32 size classes.\n\n"
                       "class   size   num pools   blocks in use  avail blocks\n"
                       "-----   ----   ---------   -------------  ------------\n\n";
    CHECK(strncmp(buf, head, strlen(head)) == 0);
    CHECK(report_value(buf, "# arenas allocated current") == 0);
    for (int i = 0; i < 106; i++)
        p[i] = pmmem_malloc(&m, 10);
    len = pmmem_debugmallocstats(&m, buf, sizeof buf);
    CHECK(len == strlen(buf));
    CHECK(strstr(buf, "\n    0     16           1             106           915\n"));
    CHECK(strstr(buf, "\n# arenas allocated total           =                    1\n"));
    CHECK(strstr(buf, "\n1 arenas * 1048576 bytes/arena     =            1,048,576\n"));
    CHECK(strstr(buf, "\n# bytes in allocated blocks        =                1,696\n"));
    CHECK(strstr(buf, "\n# bytes lost to pool headers       =                   48\n"));
    CHECK(strstr(buf, "\narena map counts\n# arena map mid nodes              ="));
    CHECK(report_value(buf, "# arena map bot nodes") >= 1);
    CHECK(report_value(buf, "# bytes lost to arena map root") == 262144);
    /* the accounting adds up to the arenas' bytes, as CPython asserts */
    const char *tot = strstr(buf, "\nTotal");
    CHECK(tot != NULL && report_value(tot, "Total") == PMMEM_ARENA_SIZE);
    size_t unused = report_value(buf, "unused pools * 16384 bytes");
    CHECK(unused == 63 * PMMEM_POOL_SIZE || unused == 62 * PMMEM_POOL_SIZE);

    char small[40];
    CHECK(pmmem_debugmallocstats(&m, small, sizeof small) == len);
    CHECK(strlen(small) == sizeof small - 1 && strncmp(small, buf, sizeof small - 1) == 0);
    CHECK(pmmem_debugmallocstats(&m, NULL, 0) == len);
    for (int i = 0; i < 106; i++)
        pmmem_free(&m, p[i]);
    CHECK_MEM(&m);
    pmmem_fini(&m);
}

typedef struct Census {
    size_t arenas, pools, states[4], blocks;
} Census;

static int census_arena(void *ctx, const PmArenaInfo *ai)
{
    Census *c = ctx;
    c->arenas++;
    CHECK(ai->ntotalpools == 63 || ai->ntotalpools == 64);
    CHECK(ai->first_pool % PMMEM_POOL_SIZE == 0 && ai->ncarved <= ai->ntotalpools);
    return 0;
}

static int census_pool(void *ctx, const PmPoolInfo *pi)
{
    Census *c = ctx;
    c->pools++;
    c->states[pi->state]++;
    c->blocks += pi->used;
    CHECK(pi->used <= pi->capacity);
    return 0;
}

static void test_visitors_and_locate(void)
{
    PmMem m, other;
    void *p[3000];
    pmmem_init(&m, 0);
    pmmem_init(&other, 0);
    for (int i = 0; i < 3000; i++)
        p[i] = pmmem_malloc(&m, (size_t)(1 + i % 512));
    Census c;
    memset(&c, 0, sizeof c);
    pmmem_visit_arenas(&m, census_arena, &c);
    pmmem_visit_pools(&m, census_pool, &c);
    PmMemStats s = stats(&m);
    CHECK(c.arenas == s.arenas_current && c.blocks == 3000);
    CHECK(c.states[PMMEM_POOL_USED] == s.pools_used && c.states[PMMEM_POOL_FULL] == s.pools_full);
    CHECK(c.states[PMMEM_POOL_UNCARVED] == s.pools_uncarved);

    PmBlockInfo bi;
    pmmem_locate(&m, p[0], &bi);
    CHECK(bi.small && bi.szidx == 0 && bi.size == 16 && bi.block == 0 && bi.pool == 0);
    pmmem_locate(&m, p[1], &bi);        /* 2 bytes: the second block of class 0 */
    CHECK(bi.small && bi.szidx == 0 && bi.block == 1);
    pmmem_locate(&m, p[512], &bi);      /* the 17th request of class 0 */
    CHECK(bi.small && bi.szidx == 0 && bi.block == 16 && bi.size == 16);
    /* Two PmMem never share arenas. */
    void *q = pmmem_malloc(&other, 16);
    CHECK(!pmmem_address_in_range(&m, q) && !pmmem_address_in_range(&other, p[0]));
    pmmem_free(&other, q);
    for (int i = 0; i < 3000; i++)
        pmmem_free(&m, p[i]);
    CHECK_MEM(&m);
    CHECK_MEM(&other);
    pmmem_fini(&m);
    pmmem_fini(&other);
}

/* pmmem_fini frees what is still live (LSan would report a leak otherwise). */
static void test_fini_with_live_blocks(void)
{
    PmMem m;
    pmmem_init(&m, 0);
    for (int i = 0; i < 5000; i++)
        (void)pmmem_malloc(&m, (size_t)(i % 700));
    CHECK(pmmem_live_blocks(&m) == 5000);
    CHECK_MEM(&m);
    pmmem_fini(&m);
    CHECK(pmmem_live_blocks(&m) == 0 && pmmem_bytes_held(&m) == 0);
    CHECK_MEM(&m);
    void *p = pmmem_malloc(&m, 8);      /* usable again after fini */
    CHECK(p != NULL);
    pmmem_free(&m, p);
    pmmem_fini(&m);
}

/* The pymalloc layer through its vtable. */
static void test_vtable(void)
{
    PmMem m;
    pmmem_init(&m, 0);
    PmAllocator a = pmmem_allocator(&m);
    void *p = a.malloc(a.ctx, 40);
    p = a.realloc(a.ctx, p, 80);
    void *q = a.calloc(a.ctx, 4, 4);
    CHECK(p && q && pmmem_size_class_of(&m, p) == 4 && pmmem_size_class_of(&m, q) == 0);
    a.free(a.ctx, p);
    a.free(a.ctx, q);
    CHECK(pmmem_live_blocks(&m) == 0);
    pmmem_fini(&m);
}

int main(void)
{
    static const struct {
        const char *name;
        void (*fn)(void);
    } tests[] = {
        {"constants", test_constants},
        {"every_class", test_every_class},
        {"calloc", test_calloc},
        {"pool_states", test_pool_states},
        {"arena_lifecycle", test_arena_lifecycle},
        {"usable_order", test_usable_order},
        {"realloc", test_realloc},
        {"limit", test_limit},
        {"fill_and_drain", test_fill_and_drain},
        {"report", test_report},
        {"visitors_and_locate", test_visitors_and_locate},
        {"fini_with_live_blocks", test_fini_with_live_blocks},
        {"vtable", test_vtable},
    };
    size_t n = sizeof tests / sizeof tests[0];
    for (size_t i = 0; i < n; i++) {
        tests[i].fn();
        printf("ok %s\n", tests[i].name);
    }
    printf("test_mem: %zu passed, 0 failed\n", n);
    return 0;
}
