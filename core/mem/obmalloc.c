/*
 * obmalloc.c -- a model of CPython 3.11's object allocator (Objects/obmalloc.c), with
 * CPython's 64-bit parameters whatever the host's pointer size.
 *
 * Layers
 * ======
 * The core allocates every object through a stack of allocators that share one vtable
 * (PmAllocator, obmalloc.h), as CPython's PyMemAllocatorEx domains do:
 *
 *       objects, frames, buffers of the VM (core/object, core/lang, ...)
 *                  |
 *     [ tracemalloc layer ]    (optional; records traces, core/mem, later)
 *                  |
 *     [ debug layer ]          (optional; debugmem.c: 0xCD/0xDD/0xFD fills, guards,
 *                  |            fail-the-Nth-allocation, live-block count)
 *     [ pymalloc layer ]       (this file: PmMem; requests of 1..512 bytes)
 *           |            \
 *     1 MiB arenas        requests of 0 or > 512 bytes ("large blocks")
 *           |            /
 *     [ system allocator: C malloc/calloc/realloc/free ]
 *                  |
 *     OS pages (native) or WebAssembly linear memory (Emscripten, wasi-libc)
 *
 * Where arenas come from.  CPython mmaps each 1 MiB arena.  This model takes it from
 * malloc(ARENA_SIZE), as CPython itself does on systems without mmap: on wasm there is
 * no mmap, and the arenas are carved from linear memory by the libc's malloc, which
 * grows the memory with memory.grow.  A freed arena goes back to malloc's free lists
 * (linear memory never shrinks).  malloc only promises 16-byte alignment, so, exactly
 * like CPython with an unaligned mmap, the first pool starts at the arena's address
 * rounded up to 16 KiB and the arena then holds 63 pools instead of 64; the 16 KiB
 * lost is the "# bytes lost to arena alignment" of the statistics (real CPython on
 * Linux shows the same).
 *
 * Size classes
 * ============
 * A request of n bytes, 1 <= n <= 512, gets a block of the next multiple of 16.  Blocks
 * of one class share pools; a pool is 16 KiB whose first 48 bytes are its header
 * (POOL_OVERHEAD), so a pool holds (16384 - 48) / size blocks:
 *
 *   request   block  class  blocks/pool  bytes left over per pool
 *     1-16       16      0      1021        0
 *    17-32       32      1       510       16
 *    33-48       48      2       340       16
 *    49-64       64      3       255       16
 *    65-80       80      4       204       16
 *    81-96       96      5       170       16
 *    97-112     112      6       145       96
 *   113-128     128      7       127       80
 *   ...         ...    ...       ...      ...
 *   481-496     496     30        32      464
 *   497-512     512     31        31      464
 *
 * A request of 0 bytes is not a pool request: CPython 3.11's pymalloc_alloc declines
 * it and _PyObject_Malloc hands it to PyMem_RawMalloc, which asks malloc for 1 byte.
 * The model does the same (a large block of size 1).
 *
 * Pools
 * =====
 * A pool is carved from its arena the first time it is needed and is then in one of
 * three states (the invariants above struct PmPool in obmalloc.h say exactly what):
 *
 *   used   some blocks allocated, some free; linked in usedpools[class].  Allocation
 *          takes the head pool of usedpools[class] and pops its free list, which holds
 *          freed blocks and, once those run out, one more virgin block carved at
 *          nextoffset.  New and newly non-full pools go to the front of the list.
 *   full   every block allocated; on no list.  Freeing one block makes it used again.
 *   empty  no block allocated; on its arena's freepools list.  Freeing the last block
 *          of a used pool makes it empty.  An empty pool is reused for any class; if
 *          it is the class it last held, its free list is reused as it is.
 *
 *                         last free block taken
 *     carved --alloc--> used ----------------------> full
 *                       |  ^ <---------------------- |
 *     last block freed  |  |     one block freed
 *                       v  |  alloc (any class)
 *                      empty
 *
 * A pool never goes back to its arena uncarved; an empty pool leaves with its arena.
 *
 * Arenas
 * ======
 * The arena table (arenas[], grown by doubling) holds one arena_object per slot.  An
 * arena is
 *   unused   (slot only)     on unused_arena_objects;
 *   usable   (has free or uncarved pools) on usable_arenas, sorted by the number of
 *            free pools ascending, so allocation packs the fullest arenas and the
 *            emptiest ones can drain; nfp2lasta[n] is the last usable arena with n free
 *            pools, which keeps the list sorted in O(1) per pool (bpo-37029);
 *   full     (every pool carved and used or full) on no list.
 * A new arena is allocated only when usable_arenas is empty.  When its last pool
 * becomes empty the arena is given back to the system, except when it is the last
 * arena of usable_arenas: CPython keeps that one to avoid thrashing (bpo-37257).
 * pmmem_trim gives it back as well.
 *
 * Whose pointer is it?
 * ====================
 * free and realloc must tell pool blocks from large blocks.  CPython 3.11 (64-bit)
 * keeps a radix tree over the address space whose leaves record, per 1 MiB-aligned
 * "ideal arena", which part of it a real arena covers (arena_map_mark_used /
 * arena_map_is_used).  The model keeps the same leaves in a small open-addressing hash
 * table keyed by the ideal arena number (at most two entries per arena): O(1), no scan,
 * and it never reads memory that is not ours.  Large blocks carry a small header
 * (PmLarge: links, size, a magic word) and live on a list so that pmmem_fini can free
 * them; their alignment is malloc's, as CPython's raw blocks' is.  A pointer that is
 * neither (its header's magic is wrong) is counted in bad_frees and left alone.
 *
 * Memory limit
 * ============
 * The bytes held from the system (arenas * 1 MiB + large blocks' sizes) may not exceed
 * the limit.  A small request whose arena cannot be had falls back to the system
 * allocator, as in CPython; it fails only if that, too, would pass the limit.  Failure
 * returns NULL and changes nothing observable.  Bookkeeping (the arena table, the map)
 * is not counted, as CPython's is not part of its arenas.
 */
#include "obmalloc.h"

#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define LIKELY(x) (x)
#define UNLIKELY(x) (x)
#endif

#define ARENA_SIZE PMMEM_ARENA_SIZE
#define POOL_SIZE PMMEM_POOL_SIZE
#define POOL_OVERHEAD PMMEM_POOL_OVERHEAD
#define NCLASSES PMMEM_NB_SMALL_SIZE_CLASSES
#define INDEX2SIZE(i) PMMEM_INDEX2SIZE(i)
#define DUMMY_SIZE_IDX 0xffffu          /* a freshly carved pool: no class yet */
#define LARGE_MAGIC PMMEM_LARGE_MAGIC
#define LARGE_HDR \
    ((sizeof(PmLarge) + PMMEM_ALIGNMENT - 1) / PMMEM_ALIGNMENT * PMMEM_ALIGNMENT)
#define SIZE_LIMIT ((size_t)PTRDIFF_MAX)  /* CPython's PY_SSIZE_T_MAX */
#define MAP_MID_SHIFT (PMMEM_MAP_BOT_BITS + PMMEM_ARENA_BITS)
#define MAP_TOP_SHIFT (PMMEM_MAP_MID_BITS + MAP_MID_SHIFT)

_Static_assert(LARGE_HDR % PMMEM_ALIGNMENT == 0, "large header keeps alignment");

static PmPool *pool_of(const void *p)
{
    return (PmPool *)((uintptr_t)p & ~(uintptr_t)PMMEM_POOL_SIZE_MASK);
}

static uintptr_t first_pool(const PmArena *ao)
{
    return (ao->address + PMMEM_POOL_SIZE_MASK) & ~(uintptr_t)PMMEM_POOL_SIZE_MASK;
}

/* A free block's first bytes hold the next free block (memcpy: no aliasing games). */
static PmBlock *next_free(const PmBlock *bp)
{
    PmBlock *next;
    memcpy(&next, bp, sizeof next);
    return next;
}

static void set_next_free(PmBlock *bp, PmBlock *next)
{
    memcpy(bp, &next, sizeof next);
}

/* ==================================================================================
 * The arena map (CPython 3.11: arena_map_mark_used, arena_map_is_used)
 */

static size_t map_home(const PmMem *m, uintptr_t key)
{
    uint64_t h = (uint64_t)key * UINT64_C(0x9E3779B97F4A7C15);
    return (size_t)(h >> 32) & m->map_mask;
}

static PmArenaMapSlot *map_find(const PmMem *m, uintptr_t chunk)
{
    if (m->map == NULL)
        return NULL;
    uintptr_t key = chunk + 1;
    for (size_t i = map_home(m, key);; i = (i + 1) & m->map_mask) {
        PmArenaMapSlot *s = &m->map[i];
        if (s->key == key)
            return s;
        if (s->key == 0)
            return NULL;
    }
}

/* Find or add the slot of chunk; room must have been reserved. */
static PmArenaMapSlot *map_put(PmMem *m, uintptr_t chunk)
{
    uintptr_t key = chunk + 1;
    size_t i = map_home(m, key);
    while (m->map[i].key != 0 && m->map[i].key != key)
        i = (i + 1) & m->map_mask;
    if (m->map[i].key == 0) {
        m->map[i].key = key;
        m->map[i].tail_hi = m->map[i].tail_lo = 0;
        m->map_count++;
    }
    return &m->map[i];
}

/* Make room for `extra` more slots at a load factor of at most 1/2. */
static int map_reserve(PmMem *m, size_t extra)
{
    size_t cap = m->map ? m->map_mask + 1 : 0;
    if ((m->map_count + extra) * 2 <= cap)
        return 1;
    size_t ncap = cap ? cap * 2 : 32;
    while ((m->map_count + extra) * 2 > ncap)
        ncap *= 2;
    PmArenaMapSlot *old = m->map;
    PmArenaMapSlot *fresh = calloc(ncap, sizeof *fresh);
    if (fresh == NULL)
        return 0;
    m->map = fresh;
    m->map_mask = ncap - 1;
    m->map_count = 0;
    for (size_t i = 0; i < cap; i++) {
        if (old[i].key == 0)
            continue;
        PmArenaMapSlot *s = map_put(m, old[i].key - 1);
        s->tail_hi = old[i].tail_hi;
        s->tail_lo = old[i].tail_lo;
    }
    free(old);
    return 1;
}

/* Linear-probing deletion by backward shift: no tombstones. */
static void map_remove(PmMem *m, PmArenaMapSlot *s)
{
    size_t mask = m->map_mask, i = (size_t)(s - m->map), j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (m->map[j].key == 0)
            break;
        size_t k = map_home(m, m->map[j].key);
        int stays = (j > i) ? (k > i && k <= j) : (k > i || k <= j);
        if (!stays) {
            m->map[i] = m->map[j];
            i = j;
        }
    }
    m->map[i].key = 0;
    m->map[i].tail_hi = m->map[i].tail_lo = 0;
    m->map_count--;
}

static void map_set_tail(PmMem *m, uintptr_t chunk, int hi, int32_t value)
{
    PmArenaMapSlot *s = value ? map_put(m, chunk) : map_find(m, chunk);
    if (s == NULL)
        return;
    if (hi)
        s->tail_hi = value;
    else
        s->tail_lo = value;
    if (s->tail_hi == 0 && s->tail_lo == 0)
        map_remove(m, s);
}

/* CPython allocates radix-tree nodes on first use and never frees them; remember
 * which ones it would have made, for the statistics report. */
static void note_node(uint64_t *keys, unsigned *count, uint64_t key)
{
    for (unsigned i = 0; i < *count; i++)
        if (keys[i] == key)
            return;
    if (*count < PMMEM_MAP_NODES_TRACKED)
        keys[(*count)++] = key;
}

static void note_map_nodes(PmMem *m, uintptr_t addr)
{
    note_node(m->map_mid_keys, &m->map_mid_count, (uint64_t)addr >> MAP_TOP_SHIFT);
    note_node(m->map_bot_keys, &m->map_bot_count, (uint64_t)addr >> MAP_MID_SHIFT);
}

/* Mark [base, base + ARENA_SIZE) as ours or not; marking needs map_reserve(m, 2). */
static void arena_map_mark(PmMem *m, uintptr_t base, int used)
{
    uintptr_t chunk = base >> PMMEM_ARENA_BITS;
    int32_t tail = (int32_t)(base & PMMEM_ARENA_SIZE_MASK);
    map_set_tail(m, chunk, 1, used ? (tail ? tail : -1) : 0);
    if (tail != 0)
        map_set_tail(m, chunk + 1, 0, used ? tail : 0);
    if (used) {
        note_map_nodes(m, base);
        if (tail != 0)
            note_map_nodes(m, base + ARENA_SIZE);
    }
}

static int address_in_range(const PmMem *m, const void *p)
{
    uintptr_t a = (uintptr_t)p;
    const PmArenaMapSlot *s = map_find(m, a >> PMMEM_ARENA_BITS);
    if (s == NULL)
        return 0;
    int32_t tail = (int32_t)(a & PMMEM_ARENA_SIZE_MASK);
    return tail < s->tail_lo || (tail >= s->tail_hi && s->tail_hi != 0);
}

/* ==================================================================================
 * Arenas
 */

size_t pmmem_bytes_held(const PmMem *m)
{
    return m->narenas_currently_allocated * ARENA_SIZE + m->large_bytes;
}

static int limit_allows(const PmMem *m, size_t extra)
{
    return extra <= m->limit && pmmem_bytes_held(m) <= m->limit - extra;
}

static int mul_overflows(size_t a, size_t b)
{
    return b != 0 && a > SIZE_MAX / b;
}

/* Double the arena table.  Only called when usable_arenas is empty, so no pointer
 * into the old table survives (pools name their arena by index). */
static int grow_arena_table(PmMem *m)
{
    unsigned old = m->maxarenas;
    unsigned n = old ? old << 1 : PMMEM_INITIAL_ARENA_OBJECTS;
    if (n <= old || mul_overflows(n, sizeof(PmArena)))
        return 0;
    PmArena *a = realloc(m->arenas, n * sizeof *a);
    if (a == NULL)
        return 0;
    memset(a + old, 0, (n - old) * sizeof *a);
    for (unsigned i = old; i < n; i++)
        a[i].nextarena = i + 1 < n ? &a[i + 1] : NULL;
    m->arenas = a;
    m->unused_arena_objects = &a[old];
    m->maxarenas = n;
    return 1;
}

static PmArena *new_arena(PmMem *m)
{
    if (!limit_allows(m, ARENA_SIZE))
        return NULL;
    if (m->unused_arena_objects == NULL && !grow_arena_table(m))
        return NULL;
    if (!map_reserve(m, 2))
        return NULL;
    void *address = malloc(ARENA_SIZE);
    if (address == NULL)
        return NULL;
    PmArena *ao = m->unused_arena_objects;
    m->unused_arena_objects = ao->nextarena;
    ao->address = (uintptr_t)address;
    arena_map_mark(m, ao->address, 1);
    m->narenas_currently_allocated++;
    m->ntimes_arena_allocated++;
    if (m->narenas_currently_allocated > m->narenas_highwater)
        m->narenas_highwater = m->narenas_currently_allocated;
    ao->freepools = NULL;
    ao->pool_address = (PmBlock *)first_pool(ao);
    ao->nfreepools = PMMEM_MAX_POOLS_IN_ARENA;
    if ((ao->address & PMMEM_POOL_SIZE_MASK) != 0)
        ao->nfreepools--;           /* the partial pools at both ends are lost */
    ao->ntotalpools = ao->nfreepools;
    return ao;
}

/* Give a wholly free arena, already off usable_arenas, back to the system. */
static void release_arena(PmMem *m, PmArena *ao)
{
    arena_map_mark(m, ao->address, 0);
    free((void *)ao->address);
    ao->address = 0;
    ao->nextarena = m->unused_arena_objects;
    m->unused_arena_objects = ao;
    m->narenas_currently_allocated--;
}

static void usable_unlink(PmMem *m, PmArena *ao)
{
    if (ao->prevarena != NULL)
        ao->prevarena->nextarena = ao->nextarena;
    else
        m->usable_arenas = ao->nextarena;
    if (ao->nextarena != NULL)
        ao->nextarena->prevarena = ao->prevarena;
}

static void usable_insert_after(PmArena *ao, PmArena *prev)
{
    ao->prevarena = prev;
    ao->nextarena = prev->nextarena;
    if (ao->nextarena != NULL)
        ao->nextarena->prevarena = ao;
    prev->nextarena = ao;
}

static void usable_push_front(PmMem *m, PmArena *ao)
{
    ao->prevarena = NULL;
    ao->nextarena = m->usable_arenas;
    if (m->usable_arenas != NULL)
        m->usable_arenas->prevarena = ao;
    m->usable_arenas = ao;
}

/* ao is leaving the group of usable arenas with nf free pools. */
static void finger_leave(PmMem *m, PmArena *ao, unsigned nf)
{
    if (m->nfp2lasta[nf] == ao) {
        PmArena *p = ao->prevarena;
        m->nfp2lasta[nf] = (p != NULL && p->nfreepools == nf) ? p : NULL;
    }
}

/* ==================================================================================
 * Pools
 */

/* The pool's free list ran out: carve one more virgin block, or, if none is left,
 * the pool is full and leaves usedpools. */
static void pool_extend(PmPool *pool, unsigned size)
{
    if (UNLIKELY(pool->nextoffset <= pool->maxnextoffset)) {
        pool->freeblock = (PmBlock *)pool + pool->nextoffset;
        pool->nextoffset += INDEX2SIZE(size);
        set_next_free(pool->freeblock, NULL);
        return;
    }
    PmPool *next = pool->nextpool, *prev = pool->prevpool;
    next->prevpool = prev;
    prev->nextpool = next;
}

/* Make usable_arenas non-empty: CPython's new_arena branch of allocate_from_new_pool. */
static int ensure_usable_arena(PmMem *m)
{
    if (LIKELY(m->usable_arenas != NULL))
        return 1;
    PmArena *ao = new_arena(m);
    if (ao == NULL)
        return 0;
    ao->nextarena = ao->prevarena = NULL;
    m->usable_arenas = ao;
    m->nfp2lasta[ao->nfreepools] = ao;
    return 1;
}

static PmPool *carve_pool(PmMem *m, PmArena *ao)
{
    PmPool *pool = (PmPool *)ao->pool_address;
    pool->arenaindex = (unsigned)(ao - m->arenas);
    pool->szidx = DUMMY_SIZE_IDX;
    ao->pool_address += POOL_SIZE;
    return pool;
}

/* Take a pool from the head of usable_arenas (the fullest arena): a cached empty pool
 * if it has one, else a newly carved one.  The head stays the head (its count only
 * drops), unless it has no free pool left and leaves the list. */
static PmPool *take_pool(PmMem *m)
{
    PmArena *ao = m->usable_arenas;
    unsigned nf = ao->nfreepools;
    if (m->nfp2lasta[nf] == ao)
        m->nfp2lasta[nf] = NULL;
    if (nf > 1)
        m->nfp2lasta[nf - 1] = ao;
    PmPool *pool = ao->freepools;
    if (pool != NULL)
        ao->freepools = pool->nextpool;
    else
        pool = carve_pool(m, ao);
    if (--ao->nfreepools == 0) {
        m->usable_arenas = ao->nextarena;
        if (m->usable_arenas != NULL)
            m->usable_arenas->prevarena = NULL;
    }
    return pool;
}

/* Set up a pool for class `size`: the first block is returned, the second is the
 * whole free list, the rest is virgin. */
static PmBlock *init_pool(PmPool *pool, unsigned size)
{
    unsigned bsize = INDEX2SIZE(size);
    PmBlock *bp = (PmBlock *)pool + POOL_OVERHEAD;
    pool->szidx = size;
    pool->nextoffset = POOL_OVERHEAD + (bsize << 1);
    pool->maxnextoffset = (unsigned)POOL_SIZE - bsize;
    pool->freeblock = bp + bsize;
    set_next_free(pool->freeblock, NULL);
    return bp;
}

static PmBlock *allocate_from_new_pool(PmMem *m, unsigned size)
{
    if (UNLIKELY(!ensure_usable_arena(m)))
        return NULL;
    PmPool *pool = take_pool(m);
    PmPool *head = &m->usedpools[size];
    pool->nextpool = pool->prevpool = head;
    head->nextpool = head->prevpool = pool;
    pool->ref.count = 1;
    if (pool->szidx != size)
        return init_pool(pool, size);
    PmBlock *bp = pool->freeblock;   /* same class as before: free list is ready */
    pool->freeblock = next_free(bp);
    return bp;
}

/* CPython's pymalloc_alloc: NULL for 0 or > 512 bytes and when no arena can be had. */
static inline void *pymalloc_alloc(PmMem *m, size_t nbytes)
{
    if (UNLIKELY(nbytes - 1 >= PMMEM_SMALL_REQUEST_THRESHOLD))
        return NULL;
    unsigned size = PMMEM_SIZE2INDEX(nbytes);
    PmPool *pool = m->usedpools[size].nextpool;
    PmBlock *bp;
    if (LIKELY(pool != &m->usedpools[size])) {
        ++pool->ref.count;
        bp = pool->freeblock;
        if (UNLIKELY((pool->freeblock = next_free(bp)) == NULL))
            pool_extend(pool, size);
    } else {
        bp = allocate_from_new_pool(m, size);
        if (UNLIKELY(bp == NULL))
            return NULL;
    }
    m->nsmall++;
    return bp;
}

/* A full pool got a free block: to the front of its usedpools list. */
static void insert_to_usedpool(PmMem *m, PmPool *pool)
{
    PmPool *head = &m->usedpools[pool->szidx];
    PmPool *next = head->nextpool;
    pool->nextpool = next;
    pool->prevpool = head;
    next->prevpool = pool;
    head->nextpool = pool;
}

/* The arena gained a free pool (now nf): free it, put it on usable_arenas, or slide
 * it right past the arenas that now have fewer free pools.  lastnf was the last
 * usable arena with nf - 1 free pools before the change. */
static void arena_gained_pool(PmMem *m, PmArena *ao, PmArena *lastnf)
{
    unsigned nf = ao->nfreepools;
    if (nf == ao->ntotalpools && ao->nextarena != NULL) {
        usable_unlink(m, ao);       /* wholly free, and not the last: give it back */
        release_arena(m, ao);
        return;
    }
    if (nf == 1) {                  /* it was full: on no list until now */
        usable_push_front(m, ao);
        if (m->nfp2lasta[1] == NULL)
            m->nfp2lasta[1] = ao;
        return;
    }
    if (m->nfp2lasta[nf] == NULL)
        m->nfp2lasta[nf] = ao;
    if (ao == lastnf)               /* already right of every arena with fewer */
        return;
    usable_unlink(m, ao);
    usable_insert_after(ao, lastnf);
}

/* A used pool became empty: onto its arena's freepools, then arena bookkeeping. */
static void insert_to_freepool(PmMem *m, PmPool *pool)
{
    PmPool *next = pool->nextpool, *prev = pool->prevpool;
    next->prevpool = prev;
    prev->nextpool = next;
    PmArena *ao = &m->arenas[pool->arenaindex];
    pool->nextpool = ao->freepools;
    ao->freepools = pool;
    unsigned nf = ao->nfreepools;
    PmArena *lastnf = m->nfp2lasta[nf];
    if (nf > 0)
        finger_leave(m, ao, nf);
    ao->nfreepools = nf + 1;
    arena_gained_pool(m, ao, lastnf);
}

/* CPython's pymalloc_free, for a p known to be in one of our arenas. */
static inline void pymalloc_free(PmMem *m, void *p)
{
    PmPool *pool = pool_of(p);
    PmBlock *lastfree = pool->freeblock;
    set_next_free((PmBlock *)p, lastfree);
    pool->freeblock = (PmBlock *)p;
    pool->ref.count--;
    m->nsmall--;
    if (UNLIKELY(lastfree == NULL)) {
        insert_to_usedpool(m, pool);    /* was full */
        return;
    }
    if (LIKELY(pool->ref.count != 0))
        return;
    insert_to_freepool(m, pool);
}

/* ==================================================================================
 * Large blocks: the system allocator, with a header (CPython: PyMem_RawMalloc and
 * raw_allocated_blocks)
 */

static PmLarge *large_of(const void *p)
{
    return (PmLarge *)((unsigned char *)p - LARGE_HDR);
}

static void *large_link(PmMem *m, PmLarge *h, size_t size)
{
    h->size = size;
    h->magic = LARGE_MAGIC;
    h->prev = NULL;
    h->next = m->large;
    if (m->large != NULL)
        m->large->prev = h;
    m->large = h;
    m->nlarge++;
    m->large_bytes += size;
    return (unsigned char *)h + LARGE_HDR;
}

static void *large_alloc(PmMem *m, size_t n, int zeroed)
{
    size_t size = n ? n : 1;        /* PyMem_RawMalloc(0) means malloc(1) */
    if (size > SIZE_LIMIT - LARGE_HDR || !limit_allows(m, size))
        return NULL;
    PmLarge *h = zeroed ? calloc(1, LARGE_HDR + size) : malloc(LARGE_HDR + size);
    if (h == NULL)
        return NULL;
    return large_link(m, h, size);
}

static void large_free(PmMem *m, void *p)
{
    PmLarge *h = large_of(p);
    if (h->magic != LARGE_MAGIC) {
        m->bad_frees++;             /* not ours: leave it alone */
        return;
    }
    if (h->prev != NULL)
        h->prev->next = h->next;
    else
        m->large = h->next;
    if (h->next != NULL)
        h->next->prev = h->prev;
    m->nlarge--;
    m->large_bytes -= h->size;
    h->magic = 0;
    free(h);
}

/* The system keeps managing a large block, whatever the new size (CPython punts the
 * same way: a system block never moves into a pool). */
static void *large_realloc(PmMem *m, void *p, size_t n)
{
    PmLarge *h = large_of(p);
    size_t size = n ? n : 1, old = h->size;
    if (h->magic != LARGE_MAGIC || size > SIZE_LIMIT - LARGE_HDR)
        return NULL;
    if (size > old && !limit_allows(m, size - old))
        return NULL;
    PmLarge *prev = h->prev, *next = h->next;
    PmLarge *nh = realloc(h, LARGE_HDR + size);
    if (nh == NULL)
        return NULL;
    if (prev != NULL)
        prev->next = nh;
    else
        m->large = nh;
    if (next != NULL)
        next->prev = nh;
    nh->size = size;
    m->large_bytes = m->large_bytes - old + size;
    return (unsigned char *)nh + LARGE_HDR;
}

/* ==================================================================================
 * Public entry points
 */

void pmmem_init(PmMem *m, size_t limit_bytes)
{
    memset(m, 0, sizeof *m);
    for (unsigned i = 0; i < NCLASSES; i++) {
        m->usedpools[i].nextpool = m->usedpools[i].prevpool = &m->usedpools[i];
        m->usedpools[i].szidx = i;
    }
    m->limit = limit_bytes ? limit_bytes : PMMEM_NO_LIMIT;
}

void pmmem_fini(PmMem *m)
{
    size_t limit = m->limit;
    PmLarge *h = m->large;
    while (h != NULL) {
        PmLarge *next = h->next;
        free(h);
        h = next;
    }
    for (unsigned i = 0; i < m->maxarenas; i++)
        if (m->arenas[i].address != 0)
            free((void *)m->arenas[i].address);
    free(m->arenas);
    free(m->map);
    pmmem_init(m, limit);
}

void pmmem_set_limit(PmMem *m, size_t limit_bytes)
{
    m->limit = limit_bytes ? limit_bytes : PMMEM_NO_LIMIT;
}

size_t pmmem_limit(const PmMem *m)
{
    return m->limit;
}

size_t pmmem_trim(PmMem *m)
{
    PmArena *ao = m->usable_arenas;
    if (ao == NULL)
        return 0;
    while (ao->nextarena != NULL)
        ao = ao->nextarena;
    if (ao->nfreepools != ao->ntotalpools)
        return 0;
    finger_leave(m, ao, ao->nfreepools);
    usable_unlink(m, ao);
    release_arena(m, ao);
    return 1;
}

void *pmmem_malloc(PmMem *m, size_t n)
{
    void *p = pymalloc_alloc(m, n);
    if (LIKELY(p != NULL))
        return p;
    return large_alloc(m, n, 0);
}

void *pmmem_calloc(PmMem *m, size_t nelem, size_t elsize)
{
    if (elsize != 0 && nelem > SIZE_LIMIT / elsize)
        return NULL;
    size_t n = nelem * elsize;
    void *p = pymalloc_alloc(m, n);
    if (LIKELY(p != NULL)) {
        memset(p, 0, n);
        return p;
    }
    return large_alloc(m, n, 1);
}

/* CPython's pymalloc_realloc: stay in place when growing within the block, or when
 * shrinking by less than a quarter; else move (to a pool block or the system). */
static void *small_realloc(PmMem *m, void *p, size_t nbytes)
{
    size_t size = INDEX2SIZE(pool_of(p)->szidx);
    if (nbytes <= size) {
        if (4 * nbytes > 3 * size)
            return p;
        size = nbytes;
    }
    void *bp = pmmem_malloc(m, nbytes);
    if (bp != NULL) {
        memcpy(bp, p, size);
        pymalloc_free(m, p);
    }
    return bp;
}

void *pmmem_realloc(PmMem *m, void *p, size_t n)
{
    if (p == NULL)
        return pmmem_malloc(m, n);
    if (LIKELY(address_in_range(m, p)))
        return small_realloc(m, p, n);
    return large_realloc(m, p, n);
}

void pmmem_free(PmMem *m, void *p)
{
    if (p == NULL)
        return;
    if (LIKELY(address_in_range(m, p)))
        pymalloc_free(m, p);
    else
        large_free(m, p);
}

static void *vt_malloc(void *ctx, size_t n)
{
    return pmmem_malloc(ctx, n);
}

static void *vt_calloc(void *ctx, size_t nelem, size_t elsize)
{
    return pmmem_calloc(ctx, nelem, elsize);
}

static void *vt_realloc(void *ctx, void *p, size_t n)
{
    return pmmem_realloc(ctx, p, n);
}

static void vt_free(void *ctx, void *p)
{
    pmmem_free(ctx, p);
}

PmAllocator pmmem_allocator(PmMem *m)
{
    PmAllocator a = {m, vt_malloc, vt_calloc, vt_realloc, vt_free};
    return a;
}

/* ==================================================================================
 * Queries
 */

int pmmem_address_in_range(const PmMem *m, const void *p)
{
    return p != NULL && address_in_range(m, p);
}

size_t pmmem_block_size(const PmMem *m, const void *p)
{
    if (p == NULL)
        return 0;
    if (address_in_range(m, p))
        return INDEX2SIZE(pool_of(p)->szidx);
    return large_of(p)->size;
}

int pmmem_size_class_of(const PmMem *m, const void *p)
{
    if (p != NULL && address_in_range(m, p))
        return (int)pool_of(p)->szidx;
    return -1;
}

size_t pmmem_live_blocks(const PmMem *m)
{
    return m->nsmall + m->nlarge;
}

void pmmem_locate(const PmMem *m, const void *p, PmBlockInfo *out)
{
    memset(out, 0, sizeof *out);
    out->szidx = -1;
    out->size = pmmem_block_size(m, p);
    if (p == NULL || !address_in_range(m, p))
        return;
    const PmPool *pool = pool_of(p);
    const PmArena *ao = &m->arenas[pool->arenaindex];
    uintptr_t off = (uintptr_t)p - (uintptr_t)pool - POOL_OVERHEAD;
    out->small = 1;
    out->arena = pool->arenaindex;
    out->pool = (unsigned)(((uintptr_t)pool - first_pool(ao)) / POOL_SIZE);
    out->block = (unsigned)(off / INDEX2SIZE(pool->szidx));
    out->szidx = (int)pool->szidx;
}
