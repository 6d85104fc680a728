/*
 * obmalloc.h -- PyMemLab's model of CPython 3.11's small-object allocator (pymalloc),
 * and the allocator vtable that every memory layer of the core speaks.
 *
 * Internal to core/: embedders use core/include/pymemlab.h.  The layer diagram, the
 * size-class table and the pool/arena state machines are explained at the top of
 * obmalloc.c; this header holds the constants, the structures with their invariants
 * (verified by pmmem_check) and the API.
 *
 * Everything lives in a PmMem the caller embeds (no global or static mutable state), so
 * two labs never share an arena.  A PmMem is self-referential (the usedpools list heads
 * point at themselves): do not copy or move it between pmmem_init and pmmem_fini.
 */
#ifndef PML_MEM_OBMALLOC_H
#define PML_MEM_OBMALLOC_H

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------------------------
 * The allocator vtable (STYLE.md item 10; CPython's PyMemAllocatorEx).  Every layer
 * (pymalloc, the debug hooks in debugmem.h, a later tracemalloc) is a PmAllocator, and
 * every layer above pymalloc holds a `PmAllocator base` it forwards to.
 * Contract, as CPython's: malloc(0) and realloc(p, 0) return a unique non-NULL pointer
 * (or NULL on failure); free(NULL) does nothing; on failure NULL and nothing changed.
 */
typedef struct PmAllocator {
    void *ctx;
    void *(*malloc)(void *ctx, size_t n);
    void *(*calloc)(void *ctx, size_t nelem, size_t elsize);
    void *(*realloc)(void *ctx, void *p, size_t n);
    void (*free)(void *ctx, void *p);
} PmAllocator;

/* ------------------------------------------------------------------------------------
 * CPython 3.11's 64-bit parameters (Objects/obmalloc.c with WITH_PYMALLOC_RADIX_TREE,
 * hence USE_LARGE_ARENAS and USE_LARGE_POOLS).  They are the model's, not the host's:
 * a wasm32 build uses the same numbers.
 */
#define PMMEM_ALIGNMENT 16                 /* block alignment and size-class step */
#define PMMEM_ALIGNMENT_SHIFT 4
#define PMMEM_SMALL_REQUEST_THRESHOLD 512  /* larger requests go to the system */
#define PMMEM_NB_SMALL_SIZE_CLASSES (PMMEM_SMALL_REQUEST_THRESHOLD / PMMEM_ALIGNMENT)
#define PMMEM_ARENA_BITS 20
#define PMMEM_ARENA_SIZE ((size_t)1 << PMMEM_ARENA_BITS)      /* 1 MiB */
#define PMMEM_ARENA_SIZE_MASK (PMMEM_ARENA_SIZE - 1)
#define PMMEM_POOL_BITS 14
#define PMMEM_POOL_SIZE ((size_t)1 << PMMEM_POOL_BITS)        /* 16 KiB */
#define PMMEM_POOL_SIZE_MASK (PMMEM_POOL_SIZE - 1)
#define PMMEM_MAX_POOLS_IN_ARENA (PMMEM_ARENA_SIZE / PMMEM_POOL_SIZE)  /* 64 */
/* sizeof(struct pool_header) on 64-bit CPython rounded up to ALIGNMENT.  The model's
 * header is smaller on 32-bit hosts but always occupies these 48 bytes, so every
 * pool holds exactly as many blocks as CPython's. */
#define PMMEM_POOL_OVERHEAD 48
#define PMMEM_INITIAL_ARENA_OBJECTS 16     /* first size of the arena table */

/* Size class i holds blocks of INDEX2SIZE(i) bytes; a request of n bytes (1..512)
 * uses class (n - 1) >> 4.  NUMBLOCKS(i) blocks fit in one pool. */
#define PMMEM_INDEX2SIZE(i) (((unsigned)(i) + 1u) << PMMEM_ALIGNMENT_SHIFT)
#define PMMEM_SIZE2INDEX(n) ((unsigned)((n) - 1u) >> PMMEM_ALIGNMENT_SHIFT)
#define PMMEM_NUMBLOCKS(i) \
    ((unsigned)((PMMEM_POOL_SIZE - PMMEM_POOL_OVERHEAD) / PMMEM_INDEX2SIZE(i)))

/* 3.11's arena map (a radix tree on 64-bit CPython): what its nodes would cost,
 * for the "arena map counts" part of the statistics report. */
#define PMMEM_MAP_BOT_BITS 14
#define PMMEM_MAP_MID_BITS 15
#define PMMEM_MAP_TOP_BITS 15
#define PMMEM_MAP_ROOT_BYTES ((size_t)8 << PMMEM_MAP_TOP_BITS)   /* 262,144 */
#define PMMEM_MAP_MID_BYTES ((size_t)8 << PMMEM_MAP_MID_BITS)    /* 262,144 */
#define PMMEM_MAP_BOT_BYTES ((size_t)8 << PMMEM_MAP_BOT_BITS)    /* 131,072 */
#define PMMEM_MAP_NODES_TRACKED 8

typedef unsigned char PmBlock;
typedef struct PmPool PmPool;
typedef struct PmArena PmArena;

/* ------------------------------------------------------------------------------------
 * Pool header: the first PMMEM_POOL_OVERHEAD bytes of every 16 KiB pool, laid out as
 * CPython's struct pool_header.  Blocks start at pool + POOL_OVERHEAD.
 *
 * Invariants of a carved pool (one inside [first pool of its arena, pool_address)):
 *   - arenaindex is the index of its arena in PmMem.arenas; szidx < 32 and the pool
 *     holds blocks of INDEX2SIZE(szidx) bytes; capacity = NUMBLOCKS(szidx).
 *   - carved blocks = (nextoffset - POOL_OVERHEAD) / size <= capacity; the blocks
 *     beyond nextoffset are virgin; ref.count + length(freeblock list) == carved
 *     blocks, and the free list holds distinct block-aligned addresses in the pool.
 *   - exactly one state:
 *       used   0 < ref.count < capacity: freeblock != NULL; the pool is on the
 *              circular doubly-linked list usedpools[szidx] (nextpool/prevpool);
 *       full   ref.count == capacity: freeblock == NULL; on no list;
 *       empty  ref.count == 0: on its arena's singly-linked freepools list (via
 *              nextpool; prevpool unused); szidx keeps the class it last served,
 *              so reusing it for that class needs no re-initialisation.
 * A pool of an arena not yet carved (at or above pool_address) has no header yet.
 */
struct PmPool {
    union {
        PmBlock *padding_;
        unsigned int count;         /* number of allocated blocks */
    } ref;
    PmBlock *freeblock;             /* head of the pool's free list */
    PmPool *nextpool;               /* next pool of this size class (or freepools) */
    PmPool *prevpool;               /* previous pool of this size class */
    unsigned int arenaindex;        /* index into PmMem.arenas */
    unsigned int szidx;             /* size class index */
    unsigned int nextoffset;        /* bytes to the first virgin block */
    unsigned int maxnextoffset;     /* largest valid nextoffset */
};

/* ------------------------------------------------------------------------------------
 * Arena object: CPython's struct arena_object, one per slot of PmMem.arenas.
 *
 * Invariants:
 *   - a slot is allocated iff address != 0; then [address, address + ARENA_SIZE) came
 *     from malloc, the map (below) covers exactly that range, and narenas_currently_
 *     allocated counts the allocated slots.  The first pool starts at address rounded
 *     up to POOL_SIZE; ntotalpools is 64, or 63 if address was not pool-aligned.
 *   - nfreepools = (empty pools on freepools) + (pools not yet carved, from
 *     pool_address up); pool_address stays within the arena.
 *   - unallocated slots form the NULL-terminated unused_arena_objects list (nextarena).
 *   - allocated arenas with nfreepools > 0 form usable_arenas, a NULL-terminated
 *     doubly-linked list sorted by nfreepools ascending (fullest first, so that nearly
 *     empty arenas get a chance to drain); an arena with nfreepools == 0 is on no
 *     list.  nfp2lasta[n] is the last arena of usable_arenas with n free pools, or
 *     NULL if there is none.
 *   - a wholly free arena (nfreepools == ntotalpools) is returned to the system unless
 *     it is the last one of usable_arenas (bpo-37257), so there is at most one, and it
 *     is the last of the list.
 */
struct PmArena {
    uintptr_t address;              /* malloc's result; 0: slot unused */
    PmBlock *pool_address;          /* next pool to carve */
    unsigned int nfreepools;
    unsigned int ntotalpools;
    PmPool *freepools;              /* empty pools, singly linked via nextpool */
    PmArena *nextarena;
    PmArena *prevarena;
};

/* One entry of the arena map: CPython 3.11's radix-tree leaf (arena_coverage_t) kept
 * in an open-addressing hash table keyed by the 1 MiB-aligned "ideal arena" number
 * (address >> ARENA_BITS).  key = ideal number + 1 (0 = empty slot).  tail_hi != 0:
 * an arena starts in this chunk at offset tail_hi (-1: exactly at its start) and covers
 * the rest of it; tail_lo != 0: an arena that started in the previous chunk covers this
 * one below offset tail_lo.  A slot with both zero is removed. */
typedef struct PmArenaMapSlot {
    uintptr_t key;
    int32_t tail_hi;
    int32_t tail_lo;
} PmArenaMapSlot;

/* Header of a large (system-allocated) block, in front of the user's bytes.  All live
 * large blocks form the doubly-linked list PmMem.large; nlarge and large_bytes count
 * them and the sizes they asked of the system. */
typedef struct PmLarge PmLarge;
#define PMMEM_LARGE_MAGIC ((size_t)0x4c415247u)
struct PmLarge {
    PmLarge *prev;
    PmLarge *next;
    size_t size;                    /* bytes asked of the system (0 became 1) */
    size_t magic;
};

/* The allocator state.  Fields are private to obmalloc.c; read them through the API. */
typedef struct PmMem {
    /* usedpools[c] is the list head (a sentinel header, never a real pool) of the
     * circular list of used pools of class c.  Empty list: nextpool == itself. */
    PmPool usedpools[PMMEM_NB_SMALL_SIZE_CLASSES];
    PmArena *arenas;                /* the arena table, maxarenas slots */
    unsigned int maxarenas;
    PmArena *unused_arena_objects;
    PmArena *usable_arenas;
    PmArena *nfp2lasta[PMMEM_MAX_POOLS_IN_ARENA + 1];
    size_t narenas_currently_allocated;
    size_t ntimes_arena_allocated;
    size_t narenas_highwater;
    PmArenaMapSlot *map;            /* arena map: map_mask + 1 slots, or NULL */
    size_t map_mask;
    size_t map_count;               /* occupied slots, at most half of them */
    uint64_t map_mid_keys[PMMEM_MAP_NODES_TRACKED];  /* radix-tree nodes 64-bit */
    uint64_t map_bot_keys[PMMEM_MAP_NODES_TRACKED];  /* CPython would have made */
    unsigned int map_mid_count;
    unsigned int map_bot_count;
    PmLarge *large;                 /* live large blocks */
    size_t nlarge;
    size_t large_bytes;
    size_t nsmall;                  /* allocated blocks in pools */
    size_t limit;                   /* cap on bytes held from the system */
    size_t bad_frees;               /* frees of pointers that were not ours */
    char errmsg[192];               /* pmmem_check's last complaint */
} PmMem;

#define PMMEM_NO_LIMIT SIZE_MAX

/* ---- lifetime ------------------------------------------------------------------- */

/* limit_bytes caps arenas * ARENA_SIZE + large blocks' bytes; 0 means no limit. */
void pmmem_init(PmMem *m, size_t limit_bytes);
/* Return every arena and large block to the system.  m is then as after pmmem_init
 * (same limit) and may be reused.  Call pmmem_live_blocks first to count leaks. */
void pmmem_fini(PmMem *m);
void pmmem_set_limit(PmMem *m, size_t limit_bytes);
size_t pmmem_limit(const PmMem *m);
/* Return the wholly free arena CPython keeps (bpo-37257), if any; returns the
 * number of arenas freed (0 or 1). */
size_t pmmem_trim(PmMem *m);

/* ---- allocation (CPython's _PyObject_Malloc/Calloc/Realloc/Free) ----------------- */

void *pmmem_malloc(PmMem *m, size_t n);
void *pmmem_calloc(PmMem *m, size_t nelem, size_t elsize);
void *pmmem_realloc(PmMem *m, void *p, size_t n);
void pmmem_free(PmMem *m, void *p);
/* The pymalloc layer as a vtable (ctx = m). */
PmAllocator pmmem_allocator(PmMem *m);

/* ---- queries -------------------------------------------------------------------- */

/* Usable size: the block size for a pool block, the requested size for a large one. */
size_t pmmem_block_size(const PmMem *m, const void *p);
/* Size class of p's pool, or -1 if p is a large (system) block. */
int pmmem_size_class_of(const PmMem *m, const void *p);
/* Nonzero iff p lies in one of m's arenas (CPython's address_in_range). */
int pmmem_address_in_range(const PmMem *m, const void *p);
/* Live blocks: pool blocks + large blocks (CPython's sys.getallocatedblocks()). */
size_t pmmem_live_blocks(const PmMem *m);
/* Bytes held from the system: arenas * ARENA_SIZE + large blocks' bytes. */
size_t pmmem_bytes_held(const PmMem *m);

typedef struct PmBlockInfo {
    int small;                      /* 1: pool block; 0: large block */
    unsigned int arena;             /* arena table index */
    unsigned int pool;              /* pool index within the arena, address order */
    unsigned int block;             /* block index within the pool */
    int szidx;                      /* -1 for a large block */
    size_t size;                    /* as pmmem_block_size */
} PmBlockInfo;
void pmmem_locate(const PmMem *m, const void *p, PmBlockInfo *out);

typedef struct PmMemStats {
    size_t arenas_allocated_total;  /* times an arena was malloc'ed */
    size_t arenas_reclaimed;        /* ... and given back */
    size_t arenas_highwater;
    size_t arenas_current;
    size_t arena_slots;             /* size of the arena table */
    size_t pools_used, pools_full, pools_empty, pools_uncarved;
    size_t small_blocks;            /* allocated pool blocks */
    size_t small_bytes;             /* their sizes (block sizes) */
    size_t available_blocks;        /* free blocks in used pools */
    size_t large_blocks;
    size_t large_bytes;
    size_t bytes_held;
    size_t limit;
    size_t bad_frees;               /* frees of pointers that were not ours (ignored) */
} PmMemStats;
void pmmem_stats(const PmMem *m, PmMemStats *out);

typedef struct PmClassStats {
    unsigned int size;              /* block size */
    unsigned int blocks_per_pool;
    size_t pools;                   /* used + full pools of this class */
    size_t blocks_in_use;
    size_t avail_blocks;            /* free blocks in those pools */
} PmClassStats;
void pmmem_class_stats(const PmMem *m, PmClassStats out[PMMEM_NB_SMALL_SIZE_CLASSES]);

typedef struct PmArenaInfo {
    unsigned int index;             /* arena table slot */
    uintptr_t address;
    uintptr_t first_pool;           /* address rounded up to POOL_SIZE */
    unsigned int ntotalpools;
    unsigned int nfreepools;        /* empty + uncarved */
    unsigned int ncarved;
} PmArenaInfo;
/* Visitors return nonzero to stop; the visit returns that value (0 if it ran out). */
typedef int (*PmArenaVisitor)(void *ctx, const PmArenaInfo *info);
int pmmem_visit_arenas(const PmMem *m, PmArenaVisitor cb, void *ctx);

typedef enum PmPoolState {
    PMMEM_POOL_UNCARVED = 0,        /* not yet carved from the arena */
    PMMEM_POOL_EMPTY = 1,           /* on the arena's freepools */
    PMMEM_POOL_USED = 2,            /* on usedpools[szidx] */
    PMMEM_POOL_FULL = 3             /* on no list */
} PmPoolState;

typedef struct PmPoolInfo {
    unsigned int arena;             /* arena table slot */
    unsigned int pool;              /* 0 .. ntotalpools-1, address order */
    int szidx;                      /* -1 for an uncarved pool; last class if empty */
    unsigned int block_size;        /* 0 for an uncarved pool */
    unsigned int used;              /* allocated blocks */
    unsigned int capacity;          /* NUMBLOCKS(szidx), 0 if uncarved */
    PmPoolState state;
    uintptr_t address;
} PmPoolInfo;
typedef int (*PmPoolVisitor)(void *ctx, const PmPoolInfo *info);
/* Every pool of every allocated arena, arenas by slot, pools by address. */
int pmmem_visit_pools(const PmMem *m, PmPoolVisitor cb, void *ctx);

/* Write the report of CPython's sys._debugmallocstats() (its obmalloc part, from
 * "Small block threshold" to the arena map's "Total" line) into buf, truncated and
 * NUL-terminated if cap > 0.  Returns the report's full length (excluding the NUL). */
size_t pmmem_debugmallocstats(const PmMem *m, char *buf, size_t cap);

/* The arena/pool map as JSON (obmalloc_json.c; format in core/trace/SNAPSHOT.md, "pools"),
 * written like pmmem_debugmallocstats: truncated and NUL-terminated if cap > 0; returns the
 * document's full length (excluding the NUL). */
size_t pmmem_pools_json(const PmMem *m, char *buf, size_t cap);

/* ---- invariants ----------------------------------------------------------------- */

/* Verify every invariant written above the structures.  Returns 0 if all hold, else
 * nonzero with a description in pmmem_check_message(m).  Cost: linear in arenas,
 * pools and free blocks. */
int pmmem_check(PmMem *m);
const char *pmmem_check_message(const PmMem *m);
/* The same as a check hook for the debug layer's stress switch: NULL if all is
 * well, else the message.  ctx is a PmMem *. */
const char *pmmem_check_hook(void *ctx);

/* ---- compile-time facts --------------------------------------------------------- */

_Static_assert(PMMEM_ALIGNMENT == 1 << PMMEM_ALIGNMENT_SHIFT, "ALIGNMENT is 2^SHIFT");
_Static_assert(PMMEM_NB_SMALL_SIZE_CLASSES == 32, "32 size classes");
_Static_assert(PMMEM_INDEX2SIZE(PMMEM_NB_SMALL_SIZE_CLASSES - 1) ==
               PMMEM_SMALL_REQUEST_THRESHOLD, "the last class is the threshold");
_Static_assert(PMMEM_MAX_POOLS_IN_ARENA == 64, "64 pools of 16 KiB in a 1 MiB arena");
_Static_assert(PMMEM_POOL_OVERHEAD % PMMEM_ALIGNMENT == 0, "blocks stay aligned");
_Static_assert(sizeof(PmPool) <= PMMEM_POOL_OVERHEAD, "the header fits its 48 bytes");
_Static_assert(PMMEM_ARENA_BITS < 31, "arena offsets fit the map's int32 tails");
_Static_assert(PMMEM_MAP_TOP_BITS + PMMEM_MAP_MID_BITS + PMMEM_MAP_BOT_BITS +
               PMMEM_ARENA_BITS == 64, "CPython's 64-bit radix tree splits 64 bits");

#endif /* PML_MEM_OBMALLOC_H */
