/*
 * pm_trace_util.c -- host-memory helpers of the trace files: an address map and a JSON
 * buffer.  Nothing here touches the modelled heap (see pm_trace.h).
 */
#include "pm.h"
#include "trace/pm_trace.h"

#include <stdarg.h>

/* ------------------------------------------------------------------ address map */

static size_t addr_hash(uintptr_t p)
{
    uint64_t x = (uint64_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x;
}

static int map_grow(PmTraceMap *m)
{
    size_t cap = m->mask ? (m->mask + 1) * 2 : 64;
    uintptr_t *keys = calloc(cap, sizeof *keys);
    uint32_t *vals = malloc(cap * sizeof *vals);
    if (keys == NULL || vals == NULL) {
        free(keys);
        free(vals);
        return -1;
    }
    for (size_t i = 0; m->mask && i <= m->mask; i++) {
        if (m->keys[i] == 0) continue;
        size_t h = addr_hash(m->keys[i]) & (cap - 1);
        while (keys[h]) h = (h + 1) & (cap - 1);
        keys[h] = m->keys[i];
        vals[h] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->mask = cap - 1;
    return 0;
}

int pm_trace_map_put(PmTraceMap *m, uintptr_t key, uint32_t val)
{
    if ((m->count + 1) * 2 > m->mask + 1 && map_grow(m) < 0) return -1;
    size_t h = addr_hash(key) & m->mask;
    while (m->keys[h] && m->keys[h] != key) h = (h + 1) & m->mask;
    if (m->keys[h] == 0) {
        m->keys[h] = key;
        m->count++;
    }
    m->vals[h] = val;
    return 0;
}

bool pm_trace_map_get(const PmTraceMap *m, uintptr_t key, uint32_t *val)
{
    if (m->count == 0) return false;
    for (size_t h = addr_hash(key) & m->mask;; h = (h + 1) & m->mask) {
        if (m->keys[h] == 0) return false;
        if (m->keys[h] == key) {
            if (val) *val = m->vals[h];
            return true;
        }
    }
}

void pm_trace_map_clear(PmTraceMap *m)
{
    if (m->keys) memset(m->keys, 0, (m->mask + 1) * sizeof *m->keys);
    m->count = 0;
}

void pm_trace_map_free(PmTraceMap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* ------------------------------------------------------------------ JSON buffer */

void pm_trace_buf_put(PmTraceBuf *b, const char *s, size_t n)
{
    if (b->failed) return;
    if (b->limit && b->len + n > b->limit) {
        b->failed = true;
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1) cap *= 2;
        char *d = realloc(b->data, cap);
        if (d == NULL) {
            b->failed = true;
            return;
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void pm_trace_buf_puts(PmTraceBuf *b, const char *s)
{
    pm_trace_buf_put(b, s, strlen(s));
}

void pm_trace_buf_printf(PmTraceBuf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof small) {
        pm_trace_buf_put(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (big == NULL) {
        b->failed = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    pm_trace_buf_put(b, big, (size_t)n);
    free(big);
}

/* Valid UTF-8 passes through; control characters, quotes and backslashes are escaped, and
 * bytes that are not valid UTF-8 become U+FFFD so the document always parses. */
void pm_trace_buf_json_str(PmTraceBuf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    pm_trace_buf_put(b, "\"", 1);
    size_t i = 0, run = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3
                   : (c & 0xf8) == 0xf0 ? 4 : 0;
        bool ok = len > 0 && i + len <= n;
        for (size_t k = 1; ok && k < len; k++)
            if (((unsigned char)s[i + k] & 0xc0) != 0x80) ok = false;
        if (ok && len == 2 && c < 0xc2) ok = false;
        if (ok && len == 3 && c == 0xed && (unsigned char)s[i + 1] >= 0xa0) ok = false; /* surrogate */
        if (ok && c >= 0x80 && c != '"' && c != '\\') {
            run += len;
            i += len;
            continue;
        }
        if (ok && c >= 0x20 && c != '"' && c != '\\') {
            run++;
            i++;
            continue;
        }
        pm_trace_buf_put(b, s + i - run, run);
        run = 0;
        if (!ok) {
            pm_trace_buf_put(b, "\\ufffd", 6);
            i++;
            continue;
        }
        char esc[7] = {'\\', (char)c, 0};
        size_t elen = 2;
        switch (c) {
        case '"': case '\\': break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            elen = 6;
        }
        pm_trace_buf_put(b, esc, elen);
        i++;
    }
    pm_trace_buf_put(b, s + i - run, run);
    pm_trace_buf_put(b, "\"", 1);
}

void pm_trace_buf_free(PmTraceBuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}
