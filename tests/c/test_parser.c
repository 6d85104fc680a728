/*
 * test_parser.c -- the tokenizer and parser against CPython 3.11's goldens.
 *
 *   test_parser [DIR]      DIR: the tests/parser directory (default: found from __FILE__)
 *
 * For every DIR/NAME.py:
 *   NAME.ast    (CPython's ast.dump, plain and with positions)  parse and compare both dumps;
 *               without a NAME.pmerr the default mode must accept the file too
 *   NAME.err    (CPython's stderr for `python3 NAME.py`)  the error, formatted, must match
 *   NAME.pmerr  (PyMemLab's own error, hand-written)      likewise, in the default mode
 *   NAME.warn   (CPython's compile-time warnings for an accepted file; none if absent)
 * Then: random byte mutations of every snippet (fixed seed; must never crash, leak or
 * break an invariant), allocation failures at every step of a parse, the memory cap, and
 * programs built to be huge or deep (1,000,000 lines, long operator chains, deep nesting).
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/parser.h"

static int failures, passes;

#define EXPECT(cond, ...)                                                   \
    do {                                                                    \
        if (cond) passes++;                                                 \
        else {                                                              \
            failures++;                                                     \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);            \
            fprintf(stderr, __VA_ARGS__);                                   \
            fputc('\n', stderr);                                            \
        }                                                                   \
    } while (0)

/* ---------------------------------------------------------------- files */

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        if (len) *len = (size_t)n;
    }
    return buf;
}

static char *path_of(const char *dir, const char *name, const char *ext) {
    size_t n = strlen(dir) + strlen(name) + strlen(ext) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s%s", dir, name, ext);
    return p;
}

static void show_diff(const char *what, const char *want, const char *got) {
    size_t i = 0;
    while (want[i] && want[i] == got[i]) i++;
    fprintf(stderr, "  %s differs at byte %lu\n  want: %.400s\n  got:  %.400s\n", what,
            (unsigned long)i, want + (i > 60 ? i - 60 : 0), got + (i > 60 ? i - 60 : 0));
}

/* ---------------------------------------------------------------- goldens */

static void check_ast(const char *name, const char *src, size_t len, const char *golden,
                      int default_mode_ok) {
    pmparse_options opt = {0};
    pmparse_result r;
    const char *nl = strchr(golden, '\n');
    pmast_buf plain = {0}, pos = {0};
    opt.flags = PMPARSE_ALLOW_UNSUPPORTED;
    if (pmparse_source(&r, src, len, &opt) != 0) {
        pmast_buf e = {0};
        pmparse_format_error(&e, &r.error, name);
        EXPECT(0, "%s: should parse, got:\n%s", name, e.data ? e.data : "");
        pmast_buf_free(&e);
        pmparse_release(&r);
        return;
    }
    pmast_dump(&plain, r.module, 0);
    pmast_dump(&pos, r.module, 1);
    pmast_buf_put(&plain, "\n", 1);
    pmast_buf_put(&pos, "\n", 1);
    if (nl && strncmp(plain.data, golden, (size_t)(nl - golden) + 1) == 0 &&
        strcmp(pos.data, nl + 1) == 0) {
        passes++;
    } else {
        failures++;
        fprintf(stderr, "FAIL %s: ast.dump differs\n", name);
        if (nl) show_diff("with positions", nl + 1, pos.data);
    }
    pmast_buf_free(&plain);
    pmast_buf_free(&pos);
    pmparse_release(&r);
    if (default_mode_ok) {
        int rc = pmparse_source(&r, src, len, NULL);
        EXPECT(rc == 0, "%s: should parse in the default mode (%s: %s)", name,
               r.error.type ? r.error.type : "", r.error.msg);
        pmparse_release(&r);
    }
}

static void add_warnings(pmast_buf *out, const pmparse_result *r, const char *file) {
    int i;
    for (i = 0; i < r->nwarnings; i++) pmparse_format_warning(out, file, &r->warnings[i]);
}

/* NAME.warn: the warnings CPython prints when compiling a file that is accepted. */
static void check_warnings(const char *name, const char *src, size_t len, const char *golden) {
    pmparse_result r;
    pmast_buf out = {0};
    pmparse_options opt = {0};
    char file[512];
    snprintf(file, sizeof file, "%s.py", name);
    opt.flags = PMPARSE_ALLOW_UNSUPPORTED;
    pmparse_source(&r, src, len, &opt);
    add_warnings(&out, &r, file);
    pmast_buf_put(&out, "", 0);
    EXPECT(strcmp(out.data ? out.data : "", golden ? golden : "") == 0,
           "%s: warnings differ\n--- want:\n%s--- got:\n%s", name, golden ? golden : "",
           out.data ? out.data : "");
    pmast_buf_free(&out);
    pmparse_release(&r);
}

static void check_err(const char *name, const char *src, size_t len, const char *golden) {
    pmparse_result r;
    pmast_buf out = {0};
    pmparse_options opt = {0};
    char file[512];
    snprintf(file, sizeof file, "%s.py", name);
    opt.filename = file;
    if (pmparse_source(&r, src, len, &opt) == 0) {
        EXPECT(0, "%s: should fail with\n%s", name, golden);
        pmparse_release(&r);
        return;
    }
    add_warnings(&out, &r, file);
    pmparse_format_error(&out, &r.error, file);
    if (out.data && strcmp(out.data, golden) == 0) {
        passes++;
    } else {
        failures++;
        fprintf(stderr, "FAIL %s: error differs\n--- want:\n%s--- got:\n%s", name, golden,
                out.data ? out.data : "(nothing)\n");
    }
    pmast_buf_free(&out);
    pmparse_release(&r);
}

static int has_suffix(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The NAME of every NAME.py in dir, sorted; *count set. */
static char **list_cases(const char *dir, int *count) {
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    int n = 0, cap = 0;
    if (!d) return NULL;
    while ((e = readdir(d)) != NULL) {
        if (!has_suffix(e->d_name, ".py") || strcmp(e->d_name, "record.py") == 0 ||
            strcmp(e->d_name, "gen_unicode.py") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            names = realloc(names, (size_t)cap * sizeof *names);
        }
        names[n] = malloc(strlen(e->d_name) - 2);
        memcpy(names[n], e->d_name, strlen(e->d_name) - 3);
        names[n][strlen(e->d_name) - 3] = '\0';
        n++;
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, cmp_names);
    *count = n;
    return names;
}

static void run_case(const char *dir, const char *name) {
    char *py = path_of(dir, name, ".py"), *astp = path_of(dir, name, ".ast");
    char *errp = path_of(dir, name, ".err"), *pmp = path_of(dir, name, ".pmerr");
    char *warnp = path_of(dir, name, ".warn");
    size_t len = 0;
    char *src = read_file(py, &len), *ast = read_file(astp, NULL);
    char *err = read_file(errp, NULL), *pmerr = read_file(pmp, NULL);
    char *warn = read_file(warnp, NULL);
    EXPECT(src != NULL, "%s: cannot read", py);
    EXPECT(ast || err || pmerr, "%s: no golden (run tests/parser/record.py)", name);
    if (src && ast) check_ast(name, src, len, ast, pmerr == NULL);
    if (src && ast) check_warnings(name, src, len, warn);
    if (src && err) check_err(name, src, len, err);
    if (src && pmerr) check_err(name, src, len, pmerr);
    free(src), free(ast), free(err), free(pmerr), free(warn);
    free(py), free(astp), free(errp), free(pmp), free(warnp);
}

/* ---------------------------------------------------------------- counting allocator */

typedef struct counter {
    long live, total, fail_at;   /* fail_at: refuse the n-th allocation (1-based); 0: never */
} counter;

static void *count_alloc(void *ud, size_t n) {
    counter *c = ud;
    if (c->fail_at && ++c->total >= c->fail_at) return NULL;
    if (!c->fail_at) c->total++;
    c->live++;
    return malloc(n);
}

static void count_release(void *ud, void *p) {
    counter *c = ud;
    c->live--;
    free(p);
}

/* Parse with every option combination; check the result's invariants. */
static void parse_checked(const char *src, size_t len, const char *what) {
    int flags;
    for (flags = 0; flags <= 1; flags++) {
        pmparse_options opt = {0};
        pmparse_result r;
        pmast_buf b = {0};
        counter c = {0, 0, 0};
        opt.flags = flags ? PMPARSE_ALLOW_UNSUPPORTED : 0;
        opt.alloc = count_alloc;
        opt.release = count_release;
        opt.ud = &c;
        if (pmparse_source(&r, src, len, &opt) == 0) {
            if (r.module == NULL || r.max_depth < 0 || r.max_depth > 3000) {
                EXPECT(0, "%s: bad success result", what);
            } else {
                pmast_dump(&b, r.module, 1);
                pmast_dump(&b, r.module, 0);
            }
        } else if (r.error.type == NULL || r.module != NULL) {
            EXPECT(0, "%s: error without a type", what);
        } else {
            pmparse_format_error(&b, &r.error, "fuzz.py");
            if (!b.data || !strstr(b.data, r.error.type)) EXPECT(0, "%s: bad error text", what);
        }
        pmast_buf_free(&b);
        pmparse_release(&r);
        if (c.live != 0) EXPECT(0, "%s: %ld blocks leaked", what, c.live);
    }
}

/* ---------------------------------------------------------------- fuzzing */

static uint32_t next_rand(uint32_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static const char interesting[] = "()[]{}:;,.=+-*/'\"\\\n\t #fbr0123456789abcxyzeEjJ_!@%<>";

static size_t mutate(char *buf, size_t len, size_t cap, uint32_t *seed) {
    int k, n = 1 + (int)(next_rand(seed) % 6);
    for (k = 0; k < n; k++) {
        uint32_t r = next_rand(seed);
        size_t at = len ? next_rand(seed) % (len + 1) : 0;
        char c = (r & 64) ? interesting[next_rand(seed) % (sizeof interesting - 1)]
                          : (char)(next_rand(seed) & 0xFF);
        switch (r % 5) {
        case 0: case 1:
            if (len < cap) {
                memmove(buf + at + 1, buf + at, len - at);
                buf[at] = c;
                len++;
            }
            break;
        case 2:
            if (at < len) buf[at] = c;
            break;
        case 3:
            if (at < len) {
                size_t m = 1 + next_rand(seed) % 8;
                if (m > len - at) m = len - at;
                memmove(buf + at, buf + at + m, len - at - m);
                len -= m;
            }
            break;
        default:
            if (at < len) {
                size_t m = 1 + next_rand(seed) % 16, dst = next_rand(seed) % (len + 1);
                if (m > len - at) m = len - at;
                if (len + m <= cap) {
                    memmove(buf + dst + m, buf + dst, len - dst);
                    memmove(buf + dst, buf + (at >= dst ? at + m : at), m);
                    len += m;
                }
            }
            break;
        }
    }
    return len;
}

static void run_fuzz(const char *dir, char **names, int count, int rounds) {
    uint32_t seed = 0x9E3779B9u;
    int i, before = failures;
    for (i = 0; i < rounds && failures - before < 10; i++) {
        char *py = path_of(dir, names[i % count], ".py");
        size_t len = 0, cap;
        char *src = read_file(py, &len), *buf;
        char what[300];
        free(py);
        if (!src) continue;
        if (len > 4096) len = 4096;
        cap = len + 64;
        buf = malloc(cap);
        memcpy(buf, src, len);
        len = mutate(buf, len, cap, &seed);
        snprintf(what, sizeof what, "fuzz round %d (%s)", i, names[i % count]);
        parse_checked(buf, len, what);
        free(buf);
        free(src);
    }
    passes++;
}

/* ---------------------------------------------------------------- limits */

static void check_alloc_failures(void) {
    static const char src[] =
        "class A(B):\n    def f(self, x=1, *a, **k):\n        return [y for y in x if y]\n"
        "s = f'{a!r:>{w}} and {b}' 'tail'\nfor i in range(3):\n    d = {i: (i, 'x')}\n";
    long n;
    for (n = 1; n < 200; n++) {
        pmparse_options opt = {0};
        pmparse_result r;
        counter c = {0, 0, 0};
        int rc;
        c.fail_at = n;
        opt.alloc = count_alloc;
        opt.release = count_release;
        opt.ud = &c;
        rc = pmparse_source(&r, src, sizeof src - 1, &opt);
        if (rc != 0) EXPECT(r.error.type && strcmp(r.error.type, "MemoryError") == 0,
                            "failing allocation %ld: got %s", n, r.error.type);
        pmparse_release(&r);
        EXPECT(c.live == 0, "failing allocation %ld: %ld blocks leaked", n, c.live);
        if (rc == 0) break;
    }
}

static void check_mem_cap(void) {
    pmparse_options opt = {0};
    pmparse_result r;
    size_t n = 200000, i;
    char *src = malloc(n * 6 + 1);
    pmast_buf b = {0};
    for (i = 0; i < n; i++) memcpy(src + i * 6, "x = 1\n", 6);
    opt.mem_limit = 1 << 20;
    EXPECT(pmparse_source(&r, src, n * 6, &opt) != 0, "1 MiB cap should be hit");
    EXPECT(r.error.type && strcmp(r.error.type, "MemoryError") == 0, "cap: %s", r.error.type);
    pmparse_format_error(&b, &r.error, "big.py");
    EXPECT(b.data && strcmp(b.data, "MemoryError\n") == 0, "cap text: %s", b.data);
    pmast_buf_free(&b);
    pmparse_release(&r);
    free(src);
}

/* A generated program: `n` copies of `piece`, between `head` and `tail`. */
static char *repeat(const char *head, const char *piece, size_t n, const char *tail,
                    size_t *len) {
    size_t hl = strlen(head), pl = strlen(piece), tl = strlen(tail), i;
    char *s = malloc(hl + pl * n + tl + 1);
    memcpy(s, head, hl);
    for (i = 0; i < n; i++) memcpy(s + hl + i * pl, piece, pl);
    memcpy(s + hl + pl * n, tail, tl + 1);
    *len = hl + pl * n + tl;
    return s;
}

static void expect_parse(const char *what, const char *head, const char *piece, size_t n,
                         const char *tail, const char *err_type, int depth) {
    size_t len;
    char *src = repeat(head, piece, n, tail, &len);
    pmparse_result r;
    int rc = pmparse_source(&r, src, len, NULL);
    if (err_type) {
        EXPECT(rc != 0 && strcmp(r.error.type, err_type) == 0, "%s: want %s, got %s %s",
               what, err_type, rc ? r.error.type : "success", rc ? r.error.msg : "");
    } else {
        EXPECT(rc == 0, "%s: %s %s", what, rc ? r.error.type : "", rc ? r.error.msg : "");
        if (rc == 0 && depth) EXPECT(r.max_depth == depth, "%s: depth %d, want %d", what,
                                     r.max_depth, depth);
    }
    pmparse_release(&r);
    free(src);
}

static void check_big_and_deep(void) {
    expect_parse("1,000,000 lines", "", "x = 1\n", 1000000, "", NULL, 2);
    expect_parse("1,000,000 statements on one line", "", "x=1;", 1000000, "\n", NULL, 2);
    expect_parse("2998 additions", "x = ", "1+", 2998, "1\n", NULL, 3000);
    expect_parse("2999 additions", "x = ", "1+", 2999, "1\n", "RecursionError", 0);
    expect_parse("100,000 additions", "x = ", "1+", 100000, "1\n", "RecursionError", 0);
    expect_parse("100,000 unary minus", "x = ", "-", 100000, "1\n", "RecursionError", 0);
    expect_parse("100,000 not", "x = ", "not ", 100000, "1\n", "RecursionError", 0);
    expect_parse("100,000 powers", "x = ", "2**", 100000, "1\n", "RecursionError", 0);
    expect_parse("100,000 attributes", "x = a", ".b", 100000, "\n", "RecursionError", 0);
    expect_parse("100,000 calls", "x = a", "()", 100000, "\n", "RecursionError", 0);
    expect_parse("100,000 subscripts", "x = a", "[0]", 100000, "\n", "RecursionError", 0);
    expect_parse("100,000 elifs", "if x: pass\n", "elif x: pass\n", 100000, "",
                 "RecursionError", 0);
    expect_parse("100,000 conditionals", "x = ", "1 if a else ", 100000, "1\n",
                 "RecursionError", 0);
    expect_parse("100,000 lambdas", "x = ", "lambda: ", 100000, "1\n", "RecursionError", 0);
    expect_parse("100,000 comparisons", "x = 1", " < 1", 100000, "\n", NULL, 3);
    expect_parse("100,000 and", "x = 1", " and 1", 100000, "\n", NULL, 3);
    expect_parse("100,000-element list", "x = [", "1, ", 100000, "]\n", NULL, 3);
    expect_parse("100,000 strings", "x = ", "'a' ", 100000, "\n", NULL, 2);
    expect_parse("201 parens", "x = ", "(", 201, "1\n", "SyntaxError", 0);
    expect_parse("10,000 brackets", "x = ", "[", 10000, "\n", "SyntaxError", 0);
    expect_parse("10,000 open parens, no close", "", "(", 10000, "", "SyntaxError", 0);
    expect_parse("200 f-string braces", "x = f'{", "(", 199, "'\n", "SyntaxError", 0);
    expect_parse("nested f-strings", "x = ", "f'{", 50, "'\n", "SyntaxError", 0);
    expect_parse("10,000 lambda defaults", "f = ", "lambda x=", 10000, "0: 0\n", "MemoryError",
                 0);
    expect_parse("300 nested lists and calls", "x = ", "f([", 100, "\n", "SyntaxError", 0);
    expect_parse("10,000 decorators", "", "@d\n", 10000, "def f(): pass\n", NULL, 2);
    expect_parse("100,000 keyword args", "f(", "a=1, ", 100000, ")\n", NULL, 3);
}

/* ---------------------------------------------------------------- main */

static const char *default_dir(void) {
    static char buf[4096];
    const char *f = __FILE__;
    const char *cut = strstr(f, "tests/c/test_parser.c");
    if (!cut) return "tests/parser";
    snprintf(buf, sizeof buf, "%.*stests/parser", (int)(cut - f), f);
    return buf;
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : default_dir();
    int count = 0, i, golden_fail;
    char **names = list_cases(dir, &count);
    if (!names || count == 0) {
        fprintf(stderr, "test_parser: no cases in %s\n", dir);
        return 1;
    }
    for (i = 0; i < count; i++) run_case(dir, names[i]);
    golden_fail = failures;
    printf("test_parser: %d cases, %d golden checks passed, %d failed\n", count, passes,
           failures);
    run_fuzz(dir, names, count, argc > 2 ? atoi(argv[2]) : 4000);
    check_alloc_failures();
    check_mem_cap();
    check_big_and_deep();
    printf("test_parser: %d checks passed, %d failed (%d in goldens)\n", passes, failures,
           golden_fail);
    for (i = 0; i < count; i++) free(names[i]);
    free(names);
    return failures ? 1 : 0;
}
