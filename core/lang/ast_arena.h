/*
 * ast_arena.h -- the bump allocator behind every parse (internal to core/lang).
 *
 * An arena is a list of chunks obtained from the host allocator (malloc by default).  Nodes,
 * sequences and strings are carved from the newest chunk and are never freed one by one;
 * pmast_arena_free releases everything at once.  Besides the chunks, an arena hands out
 * "big blocks" that can be freed individually (the token buffer, the parser's scratch
 * stack); they count against the same byte cap.
 *
 * Invariant: used <= cap, where used is the sum of the sizes of all live chunks and big
 * blocks.  An allocation that would break it, or that the host allocator refuses, returns
 * NULL and sets `failed`; the arena stays valid and can still be freed.
 */
#ifndef PMAST_ARENA_H
#define PMAST_ARENA_H

#include <stddef.h>

typedef struct pmast_arena pmast_arena;

typedef void *(*pmast_alloc_fn)(void *ud, size_t n);
typedef void (*pmast_release_fn)(void *ud, void *p);

/* alloc/release may be NULL (malloc/free).  Returns NULL if the first chunk fails. */
pmast_arena *pmast_arena_new(size_t cap, pmast_alloc_fn alloc, pmast_release_fn release,
                             void *ud);
void pmast_arena_free(pmast_arena *a);

/* n bytes aligned for any AST field, zero-filled; NULL on failure. */
void *pmast_arena_alloc(pmast_arena *a, size_t n);
/* A NUL-terminated copy of s[0..n). */
char *pmast_arena_strndup(pmast_arena *a, const char *s, size_t n);

/* Individually freeable blocks (not zero-filled).  resize keeps the first min(old, n)
 * bytes; on failure it returns NULL and the old block stays valid. */
void *pmast_arena_big(pmast_arena *a, size_t n);
void *pmast_arena_big_resize(pmast_arena *a, void *p, size_t old, size_t n);
void pmast_arena_big_free(pmast_arena *a, void *p, size_t n);

int pmast_arena_failed(const pmast_arena *a);

#endif /* PMAST_ARENA_H */
