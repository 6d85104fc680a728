/*
 * test_fuzz_regressions.c -- every tests/fuzz/regressions/NAME.py through the fuzz harness.
 *
 * Each file is an input that once crashed, leaked, hung or broke the next run (see
 * tests/fuzz/README.md).  It goes through tests/fuzz/fuzz_run.c's LLVMFuzzerTestOneInput,
 * compiled in here: a fresh lab with the fuzzing limits, then a second program in the same
 * lab, then pml_free_count_leaks == 0; any failure aborts.  In the asan build ASan and UBSan
 * watch it too, and in the stress build the collector runs at every allocation.
 */
#include "../fuzz/fuzz_run.c"

#include <dirent.h>
#include <string.h>

#include "check.h"

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
    if (buf) *len = (size_t)n;
    return buf;
}

int main(int argc, char **argv)
{
    char dir[4096];
    if (argc > 1) {
        snprintf(dir, sizeof dir, "%s", argv[1]);
    } else {   /* tests/fuzz/regressions next to this file (CMake gives an absolute path) */
        snprintf(dir, sizeof dir, "%s", __FILE__);
        char *slash = strrchr(dir, '/');
        if (slash) *slash = 0;
        size_t l = strlen(dir);
        snprintf(dir + l, sizeof dir - l, "/../fuzz/regressions");
    }
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 4 || strcmp(e->d_name + l - 3, ".py") != 0) continue;
        char path[8300];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len = 0;
        char *src = slurp(path, &len);
        CHECK(src != NULL);
        printf("%s\n", e->d_name);
        fflush(stdout);
        CHECK(LLVMFuzzerTestOneInput((const uint8_t *)src, len) == 0);
        free(src);
        n++;
    }
    closedir(d);
    printf("%d fuzz regressions ran\n", n);
    CHECK(n > 0);
    return 0;
}
