/*
 * debugmem.h -- the debug layer: CPython's memory debug hooks (PYTHONMALLOC=debug,
 * _PyMem_DebugRawAlloc and friends in Objects/obmalloc.c) as a PmAllocator that wraps
 * any other PmAllocator, plus the stress switches of STYLE.md item 12.
 *
 * Every block is asked of the layer below with 3 * 8 extra bytes, laid out as CPython's
 * on 64-bit (S = 8, the model's sizeof(size_t), whatever the host's):
 *
 *     [SSSSSSSS I FFFFFFF][CCCC ... CCCC][FFFFFFFF]
 *      ^ head              ^ data         ^ data + n
 *
 *   S  the requested size n, big-endian          C  0xCD (CLEANBYTE) when fresh;
 *   I  the API id ('o' by default)                  0xDD (DEADBYTE) once freed
 *   F  0xFD (FORBIDDENBYTE) guard bytes: 7 before, 8 after
 *
 * so the debug layer moves a block into a larger size class (n + 24), as CPython's
 * does.  Free checks the guards and the id, fills the whole block with 0xDD and
 * forwards.  Realloc checks, marks the old header and trailer dead (restored if the
 * layer below fails), forwards, redecorates and fills growth with 0xCD.
 *
 * Errors (bad id, a guard byte overwritten, a double free) never abort: they bump
 * `errors` and leave a message; a block whose header is damaged or dead is not passed
 * down (so a double free does not corrupt the pool's free list).  Like CPython's, the
 * double-free check reads the freed block's header: it is reliable while the block sits
 * in a pymalloc pool (memory the model still owns) and is not reused; a freed large
 * block went back to the C library, and reading it is a use after free.
 *
 * Invariant: live_blocks == blocks returned by malloc/calloc/realloc(NULL, n) and not
 * yet freed; every live block is decorated as above.
 */
#ifndef PML_MEM_DEBUGMEM_H
#define PML_MEM_DEBUGMEM_H

#include "obmalloc.h"

#define PMMEM_DEBUG_SST 8
#define PMMEM_DEBUG_EXTRA_BYTES (3 * PMMEM_DEBUG_SST)
#define PMMEM_CLEANBYTE 0xCD
#define PMMEM_DEADBYTE 0xDD
#define PMMEM_FORBIDDENBYTE 0xFD

/* A consistency check run after every operation when set (the "check invariants at
 * every allocation" stress switch): returns NULL if all is well, else a message.
 * pmmem_check_hook (obmalloc.h) is one, for a PmMem. */
typedef const char *(*PmCheckHook)(void *ctx);

typedef struct PmDebugMem {
    PmAllocator base;               /* the layer below */
    char api_id;                    /* stored in every block, checked on free */
    size_t live_blocks;
    unsigned long fail_after;       /* 0: off; N: the Nth allocation from now fails */
    unsigned long failed;           /* allocations failed on purpose so far */
    int errors;                     /* corruption / double free / check failures */
    char message[192];              /* the latest error */
    PmCheckHook check;              /* NULL: off */
    void *check_ctx;
} PmDebugMem;

void pmmem_debug_init(PmDebugMem *d, PmAllocator base);
/* The layer as a vtable (ctx = d). */
PmAllocator pmmem_debug_allocator(PmDebugMem *d);

/* Stress switches, all off after init. */
/* Make the nth allocation (malloc, calloc or realloc) from now fail, once; 0: off. */
void pmmem_debug_fail_after(PmDebugMem *d, unsigned long n);
void pmmem_debug_set_check(PmDebugMem *d, PmCheckHook hook, void *ctx);

int pmmem_debug_errors(const PmDebugMem *d);
const char *pmmem_debug_message(const PmDebugMem *d);
size_t pmmem_debug_live_blocks(const PmDebugMem *d);
/* Check a live block's id and guard bytes; 0 if intact, else an error is recorded. */
int pmmem_debug_check_block(PmDebugMem *d, const void *p);
/* The size originally requested for a live block of the debug layer. */
size_t pmmem_debug_requested_size(const void *p);

#endif /* PML_MEM_DEBUGMEM_H */
