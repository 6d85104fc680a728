/*
 * obmalloc_json.c -- the arena/pool map as JSON, for the page's memory panel.
 *
 *   {"arenas":[{"index":0,"pools":[[szidx,used,capacity,state],...]},...],
 *    "large":{"blocks":N,"bytes":B}}
 *
 * One entry per pool of every allocated arena, arenas by slot and pools in address order
 * (pmmem_visit_pools); state is PmPoolState (0 not carved, 1 empty, 2 used, 3 full);
 * szidx is -1 and used and capacity are 0 for a pool not carved yet.  core/trace/SNAPSHOT.md
 * describes the same shape ("pools").  Like pmmem_debugmallocstats, it writes into a
 * caller buffer and returns the length the whole document needs.
 */
#include "obmalloc.h"

#include <stdarg.h>
#include <stdio.h>      /* vsnprintf into caller buffers only */
#include <string.h>

typedef struct JsonOut {
    char *buf;
    size_t cap;         /* bytes of buf, the NUL included */
    size_t len;         /* bytes the whole document needs so far, even past cap */
    long arena;         /* slot of the arena being written, -1 before the first */
} JsonOut;

static void put(JsonOut *o, const char *fmt, ...)
{
    char tmp[96];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    if (o->cap > 0 && o->len < o->cap - 1) {
        size_t room = o->cap - 1 - o->len;
        memcpy(o->buf + o->len, tmp, (size_t)n < room ? (size_t)n : room);
    }
    o->len += (size_t)n;
}

static int json_pool(void *ctx, const PmPoolInfo *pi)
{
    JsonOut *o = ctx;
    int first_of_arena = (long)pi->arena != o->arena;
    if (first_of_arena) {
        put(o, "%s{\"index\":%u,\"pools\":[", o->arena < 0 ? "" : "]},", pi->arena);
        o->arena = (long)pi->arena;
    }
    put(o, "%s[%d,%u,%u,%d]", first_of_arena ? "" : ",", pi->szidx, pi->used, pi->capacity,
        (int)pi->state);
    return 0;
}

size_t pmmem_pools_json(const PmMem *m, char *buf, size_t cap)
{
    JsonOut o = { buf, cap, 0, -1 };
    put(&o, "{\"arenas\":[");
    pmmem_visit_pools(m, json_pool, &o);
    PmMemStats st;
    pmmem_stats(m, &st);
    put(&o, "%s],\"large\":{\"blocks\":%zu,\"bytes\":%zu}}", o.arena < 0 ? "" : "]}",
        st.large_blocks, st.large_bytes);
    if (cap > 0)
        buf[o.len < cap ? o.len : cap - 1] = '\0';
    return o.len;
}
