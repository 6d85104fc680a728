/*
 * test_mem_json.c -- pmmem_pools_json (core/mem/obmalloc_json.c), the arena/pool map the
 * page's memory panel draws: its shape, that its numbers agree with pmmem_stats, and that
 * a short buffer gets a truncated, NUL-terminated prefix and the full length.
 */
#include "mem/obmalloc.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sum the pools' [szidx, used, capacity, state] entries of the JSON by scanning it. */
static void tally(const char *json, size_t *pools, size_t *used, size_t *full, size_t *arenas)
{
    *pools = *used = *full = *arenas = 0;
    for (const char *p = json; (p = strstr(p, "\"index\":")) != NULL; p++) (*arenas)++;
    const char *p = strstr(json, "\"pools\":[");
    while (p) {
        p += strlen("\"pools\":[");
        while (*p == '[') {
            int szidx, state;
            unsigned u, cap;
            int n = 0;
            if (sscanf(p, "[%d,%u,%u,%d]%n", &szidx, &u, &cap, &state, &n) != 4) return;
            (*pools)++;
            *used += u;
            if (state == PMMEM_POOL_FULL) (*full)++;
            p += n;
            if (*p == ',') p++;
        }
        p = strstr(p, "\"pools\":[");
    }
}

int main(void)
{
    PmMem m;
    pmmem_init(&m, 0);

    char buf[64 * 1024];
    size_t n = pmmem_pools_json(&m, buf, sizeof buf);
    CHECK(n == strlen(buf));
    CHECK_STR(buf, "{\"arenas\":[],\"large\":{\"blocks\":0,\"bytes\":0}}");

    /* 3000 blocks of 32 bytes (class 1: 510 per pool) and 100 of 512, one large block */
    void *small[3000], *big[100];
    for (int i = 0; i < 3000; i++) CHECK((small[i] = pmmem_malloc(&m, 32)) != NULL);
    for (int i = 0; i < 100; i++) CHECK((big[i] = pmmem_malloc(&m, 512)) != NULL);
    void *large = pmmem_malloc(&m, 4000);
    CHECK(large != NULL);

    n = pmmem_pools_json(&m, buf, sizeof buf);
    CHECK(n == strlen(buf) && n < sizeof buf);
    size_t pools, used, full, arenas;
    tally(buf, &pools, &used, &full, &arenas);
    PmMemStats st;
    pmmem_stats(&m, &st);
    CHECK(arenas == st.arenas_current && arenas >= 1);
    CHECK(pools >= arenas * 63 && pools <= arenas * 64);
    CHECK(used == 3100);
    CHECK(full == st.pools_full);
    CHECK(full == 3000 / PMMEM_NUMBLOCKS(1) + 100 / PMMEM_NUMBLOCKS(31));
    CHECK(strstr(buf, "[1,510,510,3]") != NULL);       /* a full pool of 32-byte blocks */
    CHECK(strstr(buf, "\"large\":{\"blocks\":1,\"bytes\":4000}") != NULL);
    CHECK(strstr(buf, "[-1,0,0,0]") != NULL);           /* pools not carved yet */

    /* a short buffer: a NUL-terminated prefix, the full length returned */
    char small_buf[16];
    size_t n2 = pmmem_pools_json(&m, small_buf, sizeof small_buf);
    CHECK(n2 == n);
    CHECK(strlen(small_buf) == sizeof small_buf - 1);
    CHECK(memcmp(small_buf, buf, sizeof small_buf - 1) == 0);
    CHECK(pmmem_pools_json(&m, NULL, 0) == n);

    for (int i = 0; i < 3000; i++) pmmem_free(&m, small[i]);
    for (int i = 0; i < 100; i++) pmmem_free(&m, big[i]);
    pmmem_free(&m, large);
    CHECK(pmmem_check(&m) == 0);
    CHECK(pmmem_live_blocks(&m) == 0);
    pmmem_fini(&m);
    return 0;
}
