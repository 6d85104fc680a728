/*
 * ast_arena.c -- chunked bump allocator with a byte cap (see ast_arena.h).
 */
#include "lang/ast_arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE ((size_t)64 * 1024)
#define ALIGN ((size_t)8)     /* enough for pointers, size_t, int32 and double */
#define ROUND(n) (((n) + ALIGN - 1) & ~(ALIGN - 1))

/* Chunk and big-block headers are padded to ALIGN so what follows is aligned. */
typedef union chunk {
    struct { union chunk *next; size_t size; } h;
    char pad[ALIGN];
} chunk;

typedef union big {
    struct { union big *prev, *next; } h;
    char pad[ALIGN];
} big;

struct pmast_arena {
    pmast_alloc_fn alloc;
    pmast_release_fn release;
    void *ud;
    size_t cap, used;
    chunk *chunks;          /* newest first */
    char *cur, *limit;      /* free space in the newest chunk */
    big *bigs;              /* live big blocks */
    int failed;
};

static void *raw_alloc(pmast_arena *a, size_t n) {
    void *p;
    if (n > a->cap - a->used) { a->failed = 1; return NULL; }
    p = a->alloc ? a->alloc(a->ud, n) : malloc(n);
    if (p == NULL) { a->failed = 1; return NULL; }
    a->used += n;
    return p;
}

static void raw_free(pmast_arena *a, void *p, size_t n) {
    if (p == NULL) return;
    a->used -= n;
    if (a->release) a->release(a->ud, p); else free(p);
}

pmast_arena *pmast_arena_new(size_t cap, pmast_alloc_fn alloc, pmast_release_fn release,
                             void *ud) {
    pmast_arena *a;
    if (cap < sizeof *a) return NULL;
    a = alloc ? alloc(ud, sizeof *a) : malloc(sizeof *a);
    if (a == NULL) return NULL;
    memset(a, 0, sizeof *a);
    a->alloc = alloc;
    a->release = release;
    a->ud = ud;
    a->cap = cap;
    a->used = sizeof *a;
    return a;
}

void pmast_arena_free(pmast_arena *a) {
    chunk *c, *next;
    if (a == NULL) return;
    for (c = a->chunks; c; c = next) {
        next = c->h.next;
        raw_free(a, c, c->h.size);
    }
    while (a->bigs) {
        big *b = a->bigs;
        a->bigs = b->h.next;
        if (a->release) a->release(a->ud, b); else free(b);
    }
    if (a->release) a->release(a->ud, a); else free(a);
}

static int new_chunk(pmast_arena *a, size_t need) {
    size_t size = sizeof(chunk) + (need > CHUNK_SIZE ? need : CHUNK_SIZE);
    chunk *c;
    if (size < need) { a->failed = 1; return 0; }
    c = raw_alloc(a, size);
    if (c == NULL) return 0;
    c->h.size = size;
    c->h.next = a->chunks;
    a->chunks = c;
    a->cur = (char *)(c + 1);
    a->limit = (char *)c + size;
    return 1;
}

void *pmast_arena_alloc(pmast_arena *a, size_t n) {
    char *p;
    if (n > SIZE_MAX / 2) { a->failed = 1; return NULL; }
    n = ROUND(n ? n : 1);
    if ((size_t)(a->limit - a->cur) < n && !new_chunk(a, n)) return NULL;
    p = a->cur;
    a->cur += n;
    memset(p, 0, n);
    return p;
}

char *pmast_arena_strndup(pmast_arena *a, const char *s, size_t n) {
    char *p;
    if (n == SIZE_MAX) { a->failed = 1; return NULL; }
    p = pmast_arena_alloc(a, n + 1);
    if (p == NULL) return NULL;
    if (n) memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void *pmast_arena_big(pmast_arena *a, size_t n) {
    big *b;
    if (n > SIZE_MAX - sizeof(big)) { a->failed = 1; return NULL; }
    b = raw_alloc(a, sizeof(big) + n);
    if (b == NULL) return NULL;
    b->h.prev = NULL;
    b->h.next = a->bigs;
    if (a->bigs) a->bigs->h.prev = b;
    a->bigs = b;
    return b + 1;
}

void pmast_arena_big_free(pmast_arena *a, void *p, size_t n) {
    big *b;
    if (p == NULL) return;
    b = (big *)p - 1;
    if (b->h.prev) b->h.prev->h.next = b->h.next; else a->bigs = b->h.next;
    if (b->h.next) b->h.next->h.prev = b->h.prev;
    raw_free(a, b, sizeof(big) + n);
}

void *pmast_arena_big_resize(pmast_arena *a, void *p, size_t old, size_t n) {
    void *q = pmast_arena_big(a, n);
    if (q == NULL) return NULL;
    if (p) {
        memcpy(q, p, old < n ? old : n);
        pmast_arena_big_free(a, p, old);
    }
    return q;
}

int pmast_arena_failed(const pmast_arena *a) {
    return a->failed;
}
