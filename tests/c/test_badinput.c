/*
 * test_badinput.c -- after each bad input the lab runs the next program (issue 11).
 *
 * One lab runs, in turn, every tests/badinput/NAME.py (with the limits of NAME.args) and a
 * set of big inputs made here (like the NAME.gen cases of tests/badinput for the CLI runner:
 * 10,000-deep brackets and blocks, a 100,000-digit int, a 10 MB string literal, a
 * 1,000,000-line program).  After each one it checks how the run ended (the status, and the
 * last line of NAME.err as pml_last_exception reports it), then runs a small program that
 * must print exactly "45\n" with PML_OK, and that the heap went back to where it was.  At
 * the end the lab must be destroyed with no block left (pml_free_count_leaks).
 * tests/badinput/run.sh checks the same inputs through the CLI, byte for byte.
 */
#include "pymemlab.h"
#include "check.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct out_buf {
    char data[256];
    size_t len;
} out_buf;

static void capture(void *ud, int stream, const char *data, size_t len)
{
    out_buf *b = ud;
    if (stream != PML_STDOUT) return;
    if (len > sizeof b->data - 1 - b->len) len = sizeof b->data - 1 - b->len;
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
    fclose(f);
    if (buf) { buf[n] = 0; *len = (size_t)n; }
    return buf;
}

/* A growable string for the generated programs. */
typedef struct text {
    char *p;
    size_t len, cap;
} text;

static void put(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->p = realloc(t->p, t->cap);
        CHECK(t->p != NULL);
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = 0;
}

static void puts_(text *t, const char *s) { put(t, s, strlen(s)); }

static void repeat(text *t, const char *s, int n)
{
    for (int i = 0; i < n; i++) puts_(t, s);
}

static pml_config base_config(out_buf *out)
{
    pml_config cfg = { 0 };
    cfg.write = capture;
    cfg.userdata = out;
    cfg.step_limit = 100000000;   /* a safety net: no case needs this many */
    return cfg;
}

static size_t baseline;
static int cases;

/* want_status for an exception raised either while compiling or while running */
#define EXC_ANY ((pml_status)-1)

/* Run one bad input, check its end, then the next program and the heap. */
static void run_case(pml_vm *vm, out_buf *out, const char *name, const char *src, size_t len,
                     pml_status want_status, const char *want_exc)
{
    out->len = 0;
    pml_status st = pml_run(vm, src, len, name);
    const char *exc = pml_last_exception(vm);
    bool status_ok = want_status == EXC_ANY ? (st == PML_EXCEPTION || st == PML_SYNTAX_ERROR)
                                            : st == want_status;
    if (!status_ok || (want_exc && (!exc || strcmp(exc, want_exc) != 0)) ||
        (!want_exc && exc)) {
        fprintf(stderr, "%s: status %d, exception \"%s\"; expected %d, \"%s\"\n", name, (int)st,
                exc ? exc : "(none)", (int)want_status, want_exc ? want_exc : "(none)");
        CHECK(0);
    }
    static const char next[] = "print(sum(range(10)))\n";
    out->len = 0;
    out->data[0] = 0;
    st = pml_run(vm, next, sizeof next - 1, "next.py");
    if (st != PML_OK || strcmp(out->data, "45\n") != 0) {
        fprintf(stderr, "%s: the next program ended with status %d and printed \"%s\"\n", name,
                (int)st, out->data);
        CHECK(0);
    }
    size_t live = pml_live_blocks(vm);
    if (live != baseline) {
        fprintf(stderr, "%s: %zu heap blocks after the next program, %zu before the case\n",
                name, live, baseline);
        CHECK(live == baseline);
    }
    cases++;
}

/* NAME.args: "--max-steps N" and/or "--max-output BYTES", as the CLI takes them. */
static void set_case_limits(pml_vm *vm, const char *args_path)
{
    pml_config lim = { 0 };
    lim.step_limit = 100000000;
    size_t len;
    char *args = slurp(args_path, &len);
    if (args) {
        char *p;
        if ((p = strstr(args, "--max-steps ")) != NULL) lim.step_limit = strtoull(p + 12, NULL, 10);
        if ((p = strstr(args, "--max-output ")) != NULL) lim.output_limit = strtoull(p + 13, NULL, 10);
        free(args);
    }
    pml_set_limits(vm, &lim);
}

/* The last non-empty line of NAME.err, or NULL when there is no such file. */
static char *expected_exception(const char *err_path)
{
    size_t len;
    char *e = slurp(err_path, &len);
    if (e == NULL) return NULL;
    while (len && (e[len - 1] == '\n' || e[len - 1] == ' ')) e[--len] = 0;
    char *nl = strrchr(e, '\n');
    if (nl) memmove(e, nl + 1, strlen(nl + 1) + 1);
    return e;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_directory(pml_vm *vm, out_buf *out, const char *dir)
{
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    char *names[256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 256) {
        size_t l = strlen(e->d_name);
        if (l > 3 && strcmp(e->d_name + l - 3, ".py") == 0) {
            names[n] = malloc(l + 1);
            memcpy(names[n++], e->d_name, l + 1);
        }
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], by_name);
    for (int i = 0; i < n; i++) {
        char path[8300], stem[8200];
        names[i][strlen(names[i]) - 3] = 0;             /* NAME.py -> NAME */
        snprintf(stem, sizeof stem, "%s/%s", dir, names[i]);
        snprintf(path, sizeof path, "%s.py", stem);
        size_t len = 0;
        char *src = slurp(path, &len);
        CHECK(src != NULL);
        snprintf(path, sizeof path, "%s.args", stem);
        set_case_limits(vm, path);
        snprintf(path, sizeof path, "%s.err", stem);
        char *want = expected_exception(path);
        pml_status want_status = PML_OK;
        const char *want_exc = want;
        if (want && strncmp(want, "PyMemLab: ", 10) == 0) {
            want_status = PML_LIMIT;   /* a limit message, not an exception */
            want_exc = NULL;
        } else if (want) {
            want_status = strncmp(want, "SyntaxError", 11) == 0 ||
                          strncmp(want, "IndentationError", 16) == 0
                          ? PML_SYNTAX_ERROR : EXC_ANY;
        }
        /* the file name as the CLI gives it (the UTF-8 errors name the file) */
        snprintf(path, sizeof path, "%s.py", names[i]);
        run_case(vm, out, path, src, len, want_status, want_exc);
        pml_config reset = { 0 };
        reset.step_limit = 100000000;
        pml_set_limits(vm, &reset);
        free(want);
        free(src);
        free(names[i]);
    }
    CHECK(n >= 20);
}

static void run_generated(pml_vm *vm, out_buf *out)
{
    text t = { 0 };
    char line[64];

    puts_(&t, "x = "); repeat(&t, "(", 10000); puts_(&t, "1"); repeat(&t, ")", 10000);
    run_case(vm, out, "parens.py", t.p, t.len, PML_SYNTAX_ERROR,
             "SyntaxError: too many nested parentheses");
    t.len = 0;
    puts_(&t, "x = "); repeat(&t, "[", 10000); repeat(&t, "]", 10000);
    run_case(vm, out, "brackets.py", t.p, t.len, PML_SYNTAX_ERROR,
             "SyntaxError: too many nested parentheses");
    t.len = 0;
    puts_(&t, "x = 1\n");
    for (int i = 0; i < 10000; i++) { repeat(&t, " ", i); puts_(&t, "if x:\n"); }
    repeat(&t, " ", 10000); puts_(&t, "pass\n");
    run_case(vm, out, "blocks.py", t.p, t.len, PML_SYNTAX_ERROR,
             "IndentationError: too many levels of indentation");
    t.len = 0;
    puts_(&t, "x = "); repeat(&t, "a.", 10000); puts_(&t, "b\n");
    run_case(vm, out, "attrs.py", t.p, t.len, PML_SYNTAX_ERROR,
             "RecursionError: maximum recursion depth exceeded during compilation");
    t.len = 0;
    puts_(&t, "x = "); repeat(&t, "7", 100000); puts_(&t, "\n");
    run_case(vm, out, "bigint.py", t.p, t.len, PML_SYNTAX_ERROR,
             "SyntaxError: Exceeds the limit (4300 digits) for integer string conversion: "
             "value has 100000 digits; use sys.set_int_max_str_digits() to increase the limit "
             "- Consider hexadecimal for huge integer literals to avoid decimal conversion "
             "limits.");
    t.len = 0;
    puts_(&t, "x = 0x"); repeat(&t, "f", 100000); puts_(&t, "\ny = x * x\n");
    run_case(vm, out, "bighex.py", t.p, t.len, PML_OK, NULL);
    t.len = 0;
    puts_(&t, "x = '"); repeat(&t, "abcdefghij", 1024 * 1024); puts_(&t, "'\ny = x + x\n");
    run_case(vm, out, "bigstr.py", t.p, t.len, PML_OK, NULL);
    t.len = 0;
    for (int i = 0; i < 1000000; i++) {
        snprintf(line, sizeof line, "x = %d\n", i);
        puts_(&t, line);
    }
    run_case(vm, out, "million.py", t.p, t.len, PML_OK, NULL);
    t.len = 0;
    put(&t, "x = 1\0\n", 7);
    run_case(vm, out, "nul.py", t.p, t.len, PML_SYNTAX_ERROR,
             "SyntaxError: source code cannot contain null bytes");
    t.len = 0;
    puts_(&t, "x = '\xff'\n");
    run_case(vm, out, "utf8.py", t.p, t.len, PML_SYNTAX_ERROR,
             "SyntaxError: Non-UTF-8 code starting with '\\xff' in file utf8.py on line 1, "
             "but no encoding declared; see https://peps.python.org/pep-0263/ for details");
    free(t.p);
}

int main(int argc, char **argv)
{
    char dir[4096];
    if (argc > 1) {
        snprintf(dir, sizeof dir, "%s", argv[1]);
    } else {   /* tests/badinput next to this file (CMake compiles it with an absolute path) */
        snprintf(dir, sizeof dir, "%s", __FILE__);
        char *slash = strrchr(dir, '/');
        if (slash) *slash = 0;
        size_t l = strlen(dir);
        snprintf(dir + l, sizeof dir - l, "/../badinput");
    }
    out_buf out = { .len = 0 };
    pml_config cfg = base_config(&out);
    pml_vm *vm = pml_new(&cfg);
    CHECK(vm != NULL);
    /* state a lab creates once, on first use, is made before the baseline is taken:
     * the thread-state dict behind container repr */
    static const char warm[] = "repr([[1], {2: 3}])\nprint(sum(range(10)))\n";
    CHECK(pml_run(vm, warm, sizeof warm - 1, "next.py") == PML_OK);
    baseline = pml_live_blocks(vm);
    run_generated(vm, &out);
    run_directory(vm, &out, dir);
    size_t leaks = pml_free_count_leaks(vm);
    printf("%d bad inputs, each followed by a normal run; %zu blocks leaked\n", cases, leaks);
    CHECK(leaks == 0);
    return 0;
}
