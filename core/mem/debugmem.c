/*
 * debugmem.c -- the debug layer (see debugmem.h for the block layout and the error
 * policy).  Mirrors CPython's _PyMem_DebugRawAlloc / _PyMem_DebugRawFree /
 * _PyMem_DebugRawRealloc / _PyMem_DebugCheckAddress, minus the fatal errors.
 */
#include "debugmem.h"

#include <stdio.h>      /* snprintf into d->message only */
#include <string.h>

#define SST PMMEM_DEBUG_SST
#define EXTRA PMMEM_DEBUG_EXTRA_BYTES
#define SIZE_LIMIT ((size_t)PTRDIFF_MAX)

enum { BLOCK_OK = 0, BAD_HEAD = 1, BAD_TAIL = 2 };

/* The size word: 8 bytes, big-endian, as CPython's write_size_t on 64-bit. */
static void write_size(unsigned char *p, size_t n)
{
    uint64_t v = (uint64_t)n;
    for (int i = SST - 1; i >= 0; i--) {
        p[i] = (unsigned char)(v & 0xff);
        v >>= 8;
    }
}

static uint64_t read_size(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < SST; i++)
        v = (v << 8) | p[i];
    return v;
}

static void decorate(const PmDebugMem *d, unsigned char *head, size_t n)
{
    write_size(head, n);
    head[SST] = (unsigned char)d->api_id;
    memset(head + SST + 1, PMMEM_FORBIDDENBYTE, SST - 1);
    memset(head + 2 * SST + n, PMMEM_FORBIDDENBYTE, SST);
}

static void report(PmDebugMem *d, const char *func, const char *what)
{
    d->errors++;
    snprintf(d->message, sizeof d->message, "%s: %s", func, what);
}

static void run_check(PmDebugMem *d, const char *func)
{
    if (d->check == NULL)
        return;
    const char *msg = d->check(d->check_ctx);
    if (msg != NULL)
        report(d, func, msg);
}

/* The fail-the-Nth-allocation countdown. */
static int take_allocation(PmDebugMem *d)
{
    if (d->fail_after == 0 || --d->fail_after != 0)
        return 1;
    d->failed++;
    return 0;
}

static int is_dead(const unsigned char *head)
{
    for (int i = SST; i < 2 * SST; i++)
        if (head[i] != PMMEM_DEADBYTE)
            return 0;
    return 1;
}

/* Check the header first: if it is damaged the size may be nonsense, and reading the
 * trailer could run off the block. */
static int check_head(PmDebugMem *d, const char *func, const unsigned char *data)
{
    const unsigned char *head = data - 2 * SST;
    char what[96];
    if (is_dead(head)) {
        report(d, func, "double free or use of a freed block (header is DEADBYTE)");
        return BAD_HEAD;
    }
    if (head[SST] != (unsigned char)d->api_id) {
        snprintf(what, sizeof what, "bad ID: Allocated using API '\\x%02x', verified "
                 "using API '%c'", head[SST], d->api_id);
        report(d, func, what);
        return BAD_HEAD;
    }
    for (int i = 1; i < SST; i++) {
        if (data[-i] != PMMEM_FORBIDDENBYTE) {
            report(d, func, "bad leading pad byte");
            return BAD_HEAD;
        }
    }
    if (read_size(head) > SIZE_LIMIT - EXTRA) {
        report(d, func, "bad size word");
        return BAD_HEAD;
    }
    return BLOCK_OK;
}

static int check_block(PmDebugMem *d, const char *func, const unsigned char *data)
{
    int r = check_head(d, func, data);
    if (r != BLOCK_OK)
        return r;
    const unsigned char *tail = data + (size_t)read_size(data - 2 * SST);
    for (int i = 0; i < SST; i++) {
        if (tail[i] != PMMEM_FORBIDDENBYTE) {
            report(d, func, "bad trailing pad byte");
            return BAD_TAIL;
        }
    }
    return BLOCK_OK;
}

static void *debug_alloc(PmDebugMem *d, size_t n, int zeroed, const char *func)
{
    unsigned char *head = NULL;
    if (n <= SIZE_LIMIT - EXTRA && take_allocation(d))
        head = zeroed ? d->base.calloc(d->base.ctx, 1, n + EXTRA)
                      : d->base.malloc(d->base.ctx, n + EXTRA);
    if (head != NULL) {
        decorate(d, head, n);
        if (!zeroed && n > 0)
            memset(head + 2 * SST, PMMEM_CLEANBYTE, n);
        d->live_blocks++;
    }
    run_check(d, func);
    return head ? head + 2 * SST : NULL;
}

static void *debug_malloc(void *ctx, size_t n)
{
    return debug_alloc(ctx, n, 0, "pmmem_debug_malloc");
}

static void *debug_calloc(void *ctx, size_t nelem, size_t elsize)
{
    if (elsize != 0 && nelem > SIZE_LIMIT / elsize)
        return NULL;
    return debug_alloc(ctx, nelem * elsize, 1, "pmmem_debug_calloc");
}

static void debug_free(void *ctx, void *p)
{
    PmDebugMem *d = ctx;
    if (p == NULL)
        return;
    unsigned char *data = p, *head = data - 2 * SST;
    if (check_block(d, "pmmem_debug_free", data) == BAD_HEAD)
        return;
    memset(head, PMMEM_DEADBYTE, (size_t)read_size(head) + EXTRA);
    d->live_blocks--;
    d->base.free(d->base.ctx, head);
    run_check(d, "pmmem_debug_free");
}

/* Resize below with the old header and trailer marked dead, so that a stale pointer
 * to a block that moved is caught; on failure put them back. */
static unsigned char *resize(PmDebugMem *d, unsigned char *head, size_t n)
{
    size_t old = (size_t)read_size(head);
    unsigned char *tail = head + 2 * SST + old;
    unsigned char saved_head[2 * SST], saved_tail[SST];
    memcpy(saved_head, head, sizeof saved_head);
    memcpy(saved_tail, tail, sizeof saved_tail);
    memset(head, PMMEM_DEADBYTE, sizeof saved_head);
    memset(tail, PMMEM_DEADBYTE, sizeof saved_tail);
    unsigned char *r = d->base.realloc(d->base.ctx, head, n + EXTRA);
    if (r == NULL) {
        memcpy(head, saved_head, sizeof saved_head);
        memcpy(tail, saved_tail, sizeof saved_tail);
        return NULL;
    }
    decorate(d, r, n);
    if (n > old)
        memset(r + 2 * SST + old, PMMEM_CLEANBYTE, n - old);
    return r;
}

static void *debug_realloc(void *ctx, void *p, size_t n)
{
    PmDebugMem *d = ctx;
    if (p == NULL)
        return debug_alloc(d, n, 0, "pmmem_debug_realloc");
    unsigned char *data = p, *r = NULL;
    if (check_block(d, "pmmem_debug_realloc", data) == BAD_HEAD)
        return NULL;
    if (n <= SIZE_LIMIT - EXTRA && take_allocation(d))
        r = resize(d, data - 2 * SST, n);
    run_check(d, "pmmem_debug_realloc");
    return r ? r + 2 * SST : NULL;
}

void pmmem_debug_init(PmDebugMem *d, PmAllocator base)
{
    memset(d, 0, sizeof *d);
    d->base = base;
    d->api_id = 'o';                /* CPython's PYMEM_DOMAIN_OBJ */
}

PmAllocator pmmem_debug_allocator(PmDebugMem *d)
{
    PmAllocator a = {d, debug_malloc, debug_calloc, debug_realloc, debug_free};
    return a;
}

void pmmem_debug_fail_after(PmDebugMem *d, unsigned long n)
{
    d->fail_after = n;
}

void pmmem_debug_set_check(PmDebugMem *d, PmCheckHook hook, void *ctx)
{
    d->check = hook;
    d->check_ctx = ctx;
}

int pmmem_debug_errors(const PmDebugMem *d)
{
    return d->errors;
}

const char *pmmem_debug_message(const PmDebugMem *d)
{
    return d->message;
}

size_t pmmem_debug_live_blocks(const PmDebugMem *d)
{
    return d->live_blocks;
}

int pmmem_debug_check_block(PmDebugMem *d, const void *p)
{
    return p == NULL ? 0 : check_block(d, "pmmem_debug_check_block", p);
}

size_t pmmem_debug_requested_size(const void *p)
{
    return (size_t)read_size((const unsigned char *)p - 2 * SST);
}
