/*
 * obmalloc_check.c -- pmmem_check: verifies, statement by statement, the invariants
 * written above struct PmPool, struct PmArena, PmArenaMapSlot, PmLarge and PmMem in
 * obmalloc.h (CPython's Py_DEBUG asserts and gcmodule's validate_list, in one place).
 *
 * Always compiled; linear in arenas + pools + free blocks, so tests call it after
 * every phase and the debug layer's stress switch after every allocation.  Every list
 * walk is bounded, so a corrupted (cyclic) list is reported, not looped on.
 */
#include "obmalloc.h"

#include <stdarg.h>
#include <stdio.h>      /* vsnprintf into m->errmsg only */
#include <string.h>

static int fail(PmMem *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->errmsg, sizeof m->errmsg, fmt, ap);
    va_end(ap);
    return 1;
}

static uintptr_t first_pool(const PmArena *ao)
{
    return (ao->address + PMMEM_POOL_SIZE_MASK) & ~(uintptr_t)PMMEM_POOL_SIZE_MASK;
}

/* Counts gathered while walking the arenas, compared with the lists afterwards. */
typedef struct Census {
    size_t allocated;               /* allocated arena slots */
    size_t with_free;               /* ... of which with nfreepools > 0 */
    size_t used_pools;              /* pools in state used */
    size_t blocks;                  /* sum of ref.count */
} Census;

/* ---- one pool -------------------------------------------------------------------- */

/* Free list: distinct block starts inside the carved part; its length is returned
 * through *len (a cycle makes it exceed `bound`). */
static int check_free_list(PmMem *m, const PmPool *pool, unsigned bound, unsigned *len)
{
    unsigned size = PMMEM_INDEX2SIZE(pool->szidx);
    uintptr_t lo = (uintptr_t)pool + PMMEM_POOL_OVERHEAD;
    uintptr_t hi = (uintptr_t)pool + pool->nextoffset;
    *len = 0;
    for (const PmBlock *b = pool->freeblock; b != NULL;) {
        uintptr_t a = (uintptr_t)b;
        if (a < lo || a >= hi || (a - lo) % size != 0)
            return fail(m, "pool %p: free block %p outside its carved blocks",
                        (void *)pool, (void *)b);
        if (++*len > bound)
            return fail(m, "pool %p: free list longer than its free blocks (cycle?)",
                        (void *)pool);
        PmBlock *next;
        memcpy(&next, b, sizeof next);
        b = next;
    }
    return 0;
}

static int check_pool(PmMem *m, unsigned ai, const PmPool *pool, Census *c)
{
    if (pool->arenaindex != ai)
        return fail(m, "pool %p: arenaindex %u, lies in arena %u", (void *)pool,
                    pool->arenaindex, ai);
    if (pool->szidx >= PMMEM_NB_SMALL_SIZE_CLASSES)
        return fail(m, "pool %p: size class %u", (void *)pool, pool->szidx);
    unsigned size = PMMEM_INDEX2SIZE(pool->szidx), cap = PMMEM_NUMBLOCKS(pool->szidx);
    if (pool->maxnextoffset != PMMEM_POOL_SIZE - size ||
        pool->nextoffset < PMMEM_POOL_OVERHEAD + 2 * size ||
        (pool->nextoffset - PMMEM_POOL_OVERHEAD) % size != 0 ||
        (pool->nextoffset - PMMEM_POOL_OVERHEAD) / size > cap)
        return fail(m, "pool %p: bad nextoffset %u / maxnextoffset %u", (void *)pool,
                    pool->nextoffset, pool->maxnextoffset);
    unsigned carved = (pool->nextoffset - PMMEM_POOL_OVERHEAD) / size, len;
    if (pool->ref.count > carved)
        return fail(m, "pool %p: %u blocks in use, %u carved", (void *)pool,
                    pool->ref.count, carved);
    if (check_free_list(m, pool, carved - pool->ref.count, &len))
        return 1;
    if (pool->ref.count + len != carved)
        return fail(m, "pool %p: %u in use + %u free != %u carved", (void *)pool,
                    pool->ref.count, len, carved);
    if ((pool->ref.count == cap) != (pool->freeblock == NULL))
        return fail(m, "pool %p: full iff free list empty violated", (void *)pool);
    if (pool->ref.count > 0 && pool->ref.count < cap)
        c->used_pools++;
    c->blocks += pool->ref.count;
    return 0;
}

/* ---- one arena ------------------------------------------------------------------- */

static int check_freepools(PmMem *m, unsigned ai, const PmArena *ao, unsigned carved,
                           unsigned *len)
{
    uintptr_t lo = first_pool(ao), hi = (uintptr_t)ao->pool_address;
    *len = 0;
    for (const PmPool *p = ao->freepools; p != NULL; p = p->nextpool) {
        uintptr_t a = (uintptr_t)p;
        if (a < lo || a >= hi || (a - lo) % PMMEM_POOL_SIZE != 0)
            return fail(m, "arena %u: freepools holds %p, not one of its carved pools",
                        ai, (void *)p);
        if (p->ref.count != 0)
            return fail(m, "arena %u: pool %p on freepools has %u blocks in use", ai,
                        (void *)p, p->ref.count);
        if (++*len > carved)
            return fail(m, "arena %u: freepools longer than its pools (cycle?)", ai);
    }
    return 0;
}

static int check_arena(PmMem *m, unsigned ai, Census *c)
{
    const PmArena *ao = &m->arenas[ai];
    uintptr_t fp = first_pool(ao), pa = (uintptr_t)ao->pool_address;
    unsigned total = (unsigned)PMMEM_MAX_POOLS_IN_ARENA -
                     ((ao->address & PMMEM_POOL_SIZE_MASK) != 0);
    if (ao->ntotalpools != total)
        return fail(m, "arena %u: ntotalpools %u, expected %u", ai, ao->ntotalpools,
                    total);
    if (pa < fp || pa > fp + total * PMMEM_POOL_SIZE || (pa - fp) % PMMEM_POOL_SIZE)
        return fail(m, "arena %u: pool_address outside the arena", ai);
    unsigned carved = (unsigned)((pa - fp) / PMMEM_POOL_SIZE), nempty = 0, nfree;
    if (check_freepools(m, ai, ao, carved, &nfree))
        return 1;
    for (unsigned j = 0; j < carved; j++) {
        const PmPool *pool = (const PmPool *)(fp + j * PMMEM_POOL_SIZE);
        if (check_pool(m, ai, pool, c))
            return 1;
        nempty += pool->ref.count == 0;
    }
    if (nempty != nfree)
        return fail(m, "arena %u: %u empty pools, %u on freepools", ai, nempty, nfree);
    if (ao->nfreepools != nfree + (total - carved))
        return fail(m, "arena %u: nfreepools %u != %u empty + %u uncarved", ai,
                    ao->nfreepools, nfree, total - carved);
    if (!pmmem_address_in_range(m, (void *)ao->address) ||
        !pmmem_address_in_range(m, (void *)(ao->address + PMMEM_ARENA_SIZE - 1)))
        return fail(m, "arena %u: not covered by the arena map", ai);
    c->allocated++;
    c->with_free += ao->nfreepools > 0;
    return 0;
}

/* ---- the lists ------------------------------------------------------------------- */

static int check_unused(PmMem *m, const Census *c)
{
    size_t n = 0, expect = m->maxarenas - c->allocated;
    for (const PmArena *a = m->unused_arena_objects; a != NULL; a = a->nextarena) {
        if (a < m->arenas || a >= m->arenas + m->maxarenas || a->address != 0)
            return fail(m, "unused_arena_objects holds an allocated or foreign slot");
        if (++n > expect)
            return fail(m, "unused_arena_objects too long (cycle?)");
    }
    if (n != expect)
        return fail(m, "unused_arena_objects has %zu slots, %zu are unused", n, expect);
    return 0;
}

static int check_fingers(PmMem *m)
{
    const PmArena *last[PMMEM_MAX_POOLS_IN_ARENA + 1] = {NULL};
    for (const PmArena *a = m->usable_arenas; a != NULL; a = a->nextarena)
        last[a->nfreepools] = a;
    for (unsigned n = 0; n <= PMMEM_MAX_POOLS_IN_ARENA; n++)
        if (m->nfp2lasta[n] != last[n])
            return fail(m, "nfp2lasta[%u] is not the last usable arena with %u free "
                        "pools", n, n);
    return 0;
}

static int check_usable(PmMem *m, const Census *c)
{
    size_t n = 0;
    const PmArena *prev = NULL;
    for (const PmArena *a = m->usable_arenas; a != NULL; prev = a, a = a->nextarena) {
        if (a < m->arenas || a >= m->arenas + m->maxarenas || a->address == 0)
            return fail(m, "usable_arenas holds an unallocated or foreign slot");
        if (a->prevarena != prev)
            return fail(m, "usable_arenas: arena %u has a wrong prevarena",
                        (unsigned)(a - m->arenas));
        if (a->nfreepools == 0 || (prev && prev->nfreepools > a->nfreepools))
            return fail(m, "usable_arenas not sorted by free pools at arena %u",
                        (unsigned)(a - m->arenas));
        if (a->nfreepools == a->ntotalpools && a->nextarena != NULL)
            return fail(m, "wholly free arena %u is kept but is not the last usable",
                        (unsigned)(a - m->arenas));
        if (++n > c->with_free)
            return fail(m, "usable_arenas too long (cycle?)");
    }
    if (n != c->with_free)
        return fail(m, "usable_arenas has %zu arenas, %zu have free pools", n,
                    c->with_free);
    return check_fingers(m);
}

static int check_usedpools(PmMem *m, const Census *c)
{
    size_t n = 0;
    for (unsigned i = 0; i < PMMEM_NB_SMALL_SIZE_CLASSES; i++) {
        const PmPool *head = &m->usedpools[i], *prev = head;
        for (const PmPool *p = head->nextpool; p != head; prev = p, p = p->nextpool) {
            if (!pmmem_address_in_range(m, p) || p->prevpool != prev)
                return fail(m, "usedpools[%u]: broken link at %p", i, (void *)p);
            if (p->szidx != i || p->ref.count == 0 || p->freeblock == NULL)
                return fail(m, "usedpools[%u]: pool %p is not a used pool of class %u",
                            i, (void *)p, i);
            if (++n > c->used_pools)
                return fail(m, "usedpools lists too long (cycle or stray pool)");
        }
        if (head->prevpool != prev)
            return fail(m, "usedpools[%u]: head's prevpool is not the last pool", i);
    }
    if (n != c->used_pools)
        return fail(m, "%zu used pools, %zu on usedpools lists", c->used_pools, n);
    return 0;
}

static int check_large(PmMem *m)
{
    size_t n = 0, bytes = 0;
    const PmLarge *prev = NULL;
    for (const PmLarge *h = m->large; h != NULL; prev = h, h = h->next) {
        if (h->magic != PMMEM_LARGE_MAGIC || h->prev != prev || h->size == 0)
            return fail(m, "large block list broken at %p", (void *)h);
        if (pmmem_address_in_range(m, h))
            return fail(m, "large block %p lies in an arena", (void *)h);
        if (++n > m->nlarge)
            return fail(m, "large block list longer than nlarge (cycle?)");
        bytes += h->size;
    }
    if (n != m->nlarge || bytes != m->large_bytes)
        return fail(m, "large blocks: %zu / %zu bytes listed, %zu / %zu counted", n,
                    bytes, m->nlarge, m->large_bytes);
    return 0;
}

static int check_map(PmMem *m, const Census *c)
{
    size_t tails = 0, expect = 0, slots = m->map ? m->map_mask + 1 : 0;
    for (size_t i = 0; i < slots; i++) {
        if (m->map[i].key == 0)
            continue;
        if (m->map[i].tail_hi == 0 && m->map[i].tail_lo == 0)
            return fail(m, "arena map: slot %zu is empty but kept", i);
        tails += (size_t)(m->map[i].tail_hi != 0) + (size_t)(m->map[i].tail_lo != 0);
    }
    for (unsigned i = 0; i < m->maxarenas; i++)
        if (m->arenas[i].address != 0)
            expect += (m->arenas[i].address & PMMEM_ARENA_SIZE_MASK) ? 2 : 1;
    if (tails != expect || m->map_count * 2 > slots)
        return fail(m, "arena map: %zu coverage entries for %zu arenas (%zu expected)",
                    tails, c->allocated, expect);
    return 0;
}

/* ---- entry points ---------------------------------------------------------------- */

int pmmem_check(PmMem *m)
{
    Census c;
    memset(&c, 0, sizeof c);
    m->errmsg[0] = '\0';
    for (unsigned i = 0; i < m->maxarenas; i++)
        if (m->arenas[i].address != 0 && check_arena(m, i, &c))
            return 1;
    if (c.allocated != m->narenas_currently_allocated)
        return fail(m, "%zu arenas allocated, narenas_currently_allocated says %zu",
                    c.allocated, m->narenas_currently_allocated);
    if (c.blocks != m->nsmall)
        return fail(m, "%zu blocks in pools, nsmall says %zu", c.blocks, m->nsmall);
    if (check_unused(m, &c) || check_usable(m, &c) || check_usedpools(m, &c))
        return 1;
    return check_large(m) || check_map(m, &c);
}

const char *pmmem_check_message(const PmMem *m)
{
    return m->errmsg;
}

const char *pmmem_check_hook(void *ctx)
{
    PmMem *m = ctx;
    return pmmem_check(m) ? m->errmsg : NULL;
}
