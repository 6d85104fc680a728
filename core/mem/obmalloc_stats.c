/*
 * obmalloc_stats.c -- what the playground's arena map and the lessons read from a
 * PmMem: visitors over arenas and pools, per-class and global statistics, and the
 * report of CPython's sys._debugmallocstats() (_PyObject_DebugMallocStats).
 *
 * Nothing here is on the allocation path; everything walks the arena table, so the
 * cost is linear in the number of pools.  Full pools are on no list, which is why,
 * like CPython, we march over the arenas rather than the lists.
 */
#include "obmalloc.h"

#include <stdio.h>      /* snprintf into caller buffers only */
#include <string.h>

static uintptr_t first_pool(const PmArena *ao)
{
    return (ao->address + PMMEM_POOL_SIZE_MASK) & ~(uintptr_t)PMMEM_POOL_SIZE_MASK;
}

static unsigned carved_pools(const PmArena *ao)
{
    return (unsigned)(((uintptr_t)ao->pool_address - first_pool(ao)) / PMMEM_POOL_SIZE);
}

/* ---- visitors -------------------------------------------------------------------- */

static void arena_info(const PmMem *m, unsigned i, PmArenaInfo *out)
{
    const PmArena *ao = &m->arenas[i];
    out->index = i;
    out->address = ao->address;
    out->first_pool = first_pool(ao);
    out->ntotalpools = ao->ntotalpools;
    out->nfreepools = ao->nfreepools;
    out->ncarved = carved_pools(ao);
}

int pmmem_visit_arenas(const PmMem *m, PmArenaVisitor cb, void *ctx)
{
    for (unsigned i = 0; i < m->maxarenas; i++) {
        if (m->arenas[i].address == 0)
            continue;
        PmArenaInfo info;
        arena_info(m, i, &info);
        int r = cb(ctx, &info);
        if (r != 0)
            return r;
    }
    return 0;
}

static PmPoolState pool_state(const PmPool *pool)
{
    if (pool->ref.count == 0)
        return PMMEM_POOL_EMPTY;
    return pool->freeblock == NULL ? PMMEM_POOL_FULL : PMMEM_POOL_USED;
}

static void pool_info(const PmArena *ao, unsigned arena, unsigned j, PmPoolInfo *out)
{
    uintptr_t addr = first_pool(ao) + (uintptr_t)j * PMMEM_POOL_SIZE;
    memset(out, 0, sizeof *out);
    out->arena = arena;
    out->pool = j;
    out->address = addr;
    out->szidx = -1;
    out->state = PMMEM_POOL_UNCARVED;
    if (j >= carved_pools(ao))
        return;
    const PmPool *pool = (const PmPool *)addr;
    out->szidx = (int)pool->szidx;
    out->block_size = PMMEM_INDEX2SIZE(pool->szidx);
    out->used = pool->ref.count;
    out->capacity = PMMEM_NUMBLOCKS(pool->szidx);
    out->state = pool_state(pool);
}

int pmmem_visit_pools(const PmMem *m, PmPoolVisitor cb, void *ctx)
{
    for (unsigned i = 0; i < m->maxarenas; i++) {
        const PmArena *ao = &m->arenas[i];
        if (ao->address == 0)
            continue;
        for (unsigned j = 0; j < ao->ntotalpools; j++) {
            PmPoolInfo info;
            pool_info(ao, i, j, &info);
            int r = cb(ctx, &info);
            if (r != 0)
                return r;
        }
    }
    return 0;
}

/* ---- statistics ------------------------------------------------------------------ */

static int count_pool(void *ctx, const PmPoolInfo *pi)
{
    PmMemStats *s = ctx;
    switch (pi->state) {
    case PMMEM_POOL_UNCARVED: s->pools_uncarved++; break;
    case PMMEM_POOL_EMPTY: s->pools_empty++; break;
    case PMMEM_POOL_USED: s->pools_used++; break;
    case PMMEM_POOL_FULL: s->pools_full++; break;
    }
    if (pi->state == PMMEM_POOL_USED || pi->state == PMMEM_POOL_FULL) {
        s->small_bytes += (size_t)pi->used * pi->block_size;
        s->available_blocks += pi->capacity - pi->used;
    }
    return 0;
}

void pmmem_stats(const PmMem *m, PmMemStats *out)
{
    memset(out, 0, sizeof *out);
    out->arenas_allocated_total = m->ntimes_arena_allocated;
    out->arenas_current = m->narenas_currently_allocated;
    out->arenas_reclaimed = m->ntimes_arena_allocated - m->narenas_currently_allocated;
    out->arenas_highwater = m->narenas_highwater;
    out->arena_slots = m->maxarenas;
    out->small_blocks = m->nsmall;
    out->large_blocks = m->nlarge;
    out->large_bytes = m->large_bytes;
    out->bytes_held = pmmem_bytes_held(m);
    out->limit = m->limit;
    out->bad_frees = m->bad_frees;
    pmmem_visit_pools(m, count_pool, out);
}

static int count_class(void *ctx, const PmPoolInfo *pi)
{
    PmClassStats *cs = ctx;
    if (pi->state != PMMEM_POOL_USED && pi->state != PMMEM_POOL_FULL)
        return 0;
    cs[pi->szidx].pools++;
    cs[pi->szidx].blocks_in_use += pi->used;
    cs[pi->szidx].avail_blocks += pi->capacity - pi->used;
    return 0;
}

void pmmem_class_stats(const PmMem *m, PmClassStats out[PMMEM_NB_SMALL_SIZE_CLASSES])
{
    memset(out, 0, PMMEM_NB_SMALL_SIZE_CLASSES * sizeof *out);
    for (unsigned i = 0; i < PMMEM_NB_SMALL_SIZE_CLASSES; i++) {
        out[i].size = PMMEM_INDEX2SIZE(i);
        out[i].blocks_per_pool = PMMEM_NUMBLOCKS(i);
    }
    pmmem_visit_pools(m, count_class, out);
}

/* ---- the sys._debugmallocstats() report ------------------------------------------ */

typedef struct Out {
    char *buf;
    size_t cap;
    size_t len;                     /* full length, even past cap */
} Out;

static void out_mem(Out *o, const char *s, size_t n)
{
    if (o->len + 1 < o->cap) {
        size_t room = o->cap - 1 - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
    if (o->cap > 0)
        o->buf[o->len < o->cap ? o->len : o->cap - 1] = '\0';
}

static void out_str(Out *o, const char *s)
{
    out_mem(o, s, strlen(s));
}

/* CPython's printone: the label padded to 35 columns, '=', then the value with
 * thousands separators right-aligned in 21 columns. */
static size_t printone(Out *o, const char *msg, size_t value)
{
    char num[32];
    int i = (int)sizeof num - 1, k = 0;
    size_t v = value;
    num[i] = '\0';
    do {
        if (k == 3) {
            num[--i] = ',';
            k = 0;
        }
        num[--i] = (char)('0' + v % 10);
        v /= 10;
        k++;
    } while (v != 0);
    char line[128];
    snprintf(line, sizeof line, "%-35s=%21s\n", msg, num + i);
    out_str(o, line);
    return value;
}

typedef struct Tally {
    size_t numpools[PMMEM_NB_SMALL_SIZE_CLASSES];
    size_t numblocks[PMMEM_NB_SMALL_SIZE_CLASSES];
    size_t numfreeblocks[PMMEM_NB_SMALL_SIZE_CLASSES];
    size_t numfreepools;            /* empty + never carved */
    size_t arena_alignment;         /* bytes lost to rounding arenas up to pools */
    size_t narenas;
} Tally;

static int tally_arena(void *ctx, const PmArenaInfo *ai)
{
    Tally *t = ctx;
    t->narenas++;
    t->numfreepools += ai->nfreepools;
    if (ai->address & PMMEM_POOL_SIZE_MASK)
        t->arena_alignment += PMMEM_POOL_SIZE;
    return 0;
}

static int tally_pool(void *ctx, const PmPoolInfo *pi)
{
    Tally *t = ctx;
    if (pi->state != PMMEM_POOL_USED && pi->state != PMMEM_POOL_FULL)
        return 0;
    t->numpools[pi->szidx]++;
    t->numblocks[pi->szidx] += pi->used;
    t->numfreeblocks[pi->szidx] += pi->capacity - pi->used;
    return 0;
}

typedef struct Totals {
    size_t allocated_bytes, available_bytes, pool_header_bytes, quantization;
} Totals;

static void report_classes(Out *o, const Tally *t, Totals *tot)
{
    char line[96];
    out_str(o, "\nclass   size   num pools   blocks in use  avail blocks\n"
               "-----   ----   ---------   -------------  ------------\n");
    for (unsigned i = 0; i < PMMEM_NB_SMALL_SIZE_CLASSES; i++) {
        size_t p = t->numpools[i], b = t->numblocks[i], f = t->numfreeblocks[i];
        unsigned size = PMMEM_INDEX2SIZE(i);
        if (p == 0)
            continue;
        snprintf(line, sizeof line, "%5u %6u %11zu %15zu %13zu\n", i, size, p, b, f);
        out_str(o, line);
        tot->allocated_bytes += b * size;
        tot->available_bytes += f * size;
        tot->pool_header_bytes += p * PMMEM_POOL_OVERHEAD;
        tot->quantization += p * ((PMMEM_POOL_SIZE - PMMEM_POOL_OVERHEAD) % size);
    }
    out_str(o, "\n");
}

static void report_arenas(Out *o, const PmMem *m, const Tally *t, const Totals *tot)
{
    char label[64];
    printone(o, "# arenas allocated total", m->ntimes_arena_allocated);
    printone(o, "# arenas reclaimed", m->ntimes_arena_allocated - t->narenas);
    printone(o, "# arenas highwater mark", m->narenas_highwater);
    printone(o, "# arenas allocated current", t->narenas);
    snprintf(label, sizeof label, "%zu arenas * %d bytes/arena", t->narenas,
             (int)PMMEM_ARENA_SIZE);
    printone(o, label, t->narenas * PMMEM_ARENA_SIZE);
    out_str(o, "\n");
    size_t total = printone(o, "# bytes in allocated blocks", tot->allocated_bytes);
    total += printone(o, "# bytes in available blocks", tot->available_bytes);
    snprintf(label, sizeof label, "%u unused pools * %d bytes",
             (unsigned)t->numfreepools, (int)PMMEM_POOL_SIZE);
    total += printone(o, label, t->numfreepools * PMMEM_POOL_SIZE);
    total += printone(o, "# bytes lost to pool headers", tot->pool_header_bytes);
    total += printone(o, "# bytes lost to quantization", tot->quantization);
    total += printone(o, "# bytes lost to arena alignment", t->arena_alignment);
    printone(o, "Total", total);
}

static void report_map(Out *o, const PmMem *m)
{
    out_str(o, "\narena map counts\n");
    printone(o, "# arena map mid nodes", m->map_mid_count);
    printone(o, "# arena map bot nodes", m->map_bot_count);
    out_str(o, "\n");
    size_t total = printone(o, "# bytes lost to arena map root", PMMEM_MAP_ROOT_BYTES);
    total += printone(o, "# bytes lost to arena map mid",
                      PMMEM_MAP_MID_BYTES * m->map_mid_count);
    total += printone(o, "# bytes lost to arena map bot",
                      PMMEM_MAP_BOT_BYTES * m->map_bot_count);
    printone(o, "Total", total);
}

size_t pmmem_debugmallocstats(const PmMem *m, char *buf, size_t cap)
{
    Out o = {buf, cap, 0};
    Tally t;
    Totals tot;
    char line[80];
    memset(&t, 0, sizeof t);
    memset(&tot, 0, sizeof tot);
    if (cap > 0)
        buf[0] = '\0';
    pmmem_visit_arenas(m, tally_arena, &t);
    pmmem_visit_pools(m, tally_pool, &t);
    snprintf(line, sizeof line, "Small block threshold = %d, in %u size classes.\n",
             PMMEM_SMALL_REQUEST_THRESHOLD, (unsigned)PMMEM_NB_SMALL_SIZE_CLASSES);
    out_str(&o, line);
    report_classes(&o, &t, &tot);
    report_arenas(&o, m, &t, &tot);
    report_map(&o, m);
    return o.len;
}
