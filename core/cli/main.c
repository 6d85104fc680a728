/*
 * main.c -- the command-line front end, built natively and as a WASI command.
 *
 *     pymemlab [OPTIONS] run FILE.py   run a file (its name, as given, appears in tracebacks)
 *     pymemlab [OPTIONS] -c CODE       run CODE as the program "<string>"
 *     pymemlab --version               print the core's version
 *
 * OPTIONS set the lab's limits (pml_config; none by default, as in CPython):
 *     --max-steps N        stop the run after N bytecode instructions
 *     --max-output BYTES   stop the run once it has printed more than BYTES bytes
 *
 * Program output goes to stdout/stderr unchanged.  Exit status: 0 when the program ran to
 * its end, 1 on an uncaught exception, a syntax error or a limit, 2 on bad arguments or an
 * unreadable file.  Only host I/O lives here; the core itself performs none.
 */
#include "pymemlab.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: pymemlab [OPTIONS] run FILE.py\n"
    "       pymemlab [OPTIONS] -c CODE\n"
    "       pymemlab --version\n"
    "options (limits of the run; none by default):\n"
    "  --max-steps N        stop the program after N bytecode instructions\n"
    "  --max-output BYTES   stop the program once it has printed more than BYTES bytes\n";

/* The limits given on the command line (0: none). */
static pml_config limits;

/* Output callback: keep stdout and stderr in program order when both go to one place. */
static void write_out(void *userdata, int stream, const char *data, size_t len)
{
    (void)userdata;
    if (stream == PML_STDERR) {
        fflush(stdout);
        fwrite(data, 1, len, stderr);
    } else {
        fwrite(data, 1, len, stdout);
    }
}

/* Read a whole file into a malloc'd buffer.  Returns NULL with errno set on failure. */
static char *read_file(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0;
    if (!f)
        return NULL;
    for (;;) {
        size_t n;
        if (len == cap) {
            char *grown;
            cap = cap ? cap * 2 : 8192;
            grown = realloc(buf, cap);
            if (!grown) {
                free(buf);
                fclose(f);
                errno = ENOMEM;
                return NULL;
            }
            buf = grown;
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        int saved = errno ? errno : EIO;
        free(buf);
        fclose(f);
        errno = saved;
        return NULL;
    }
    fclose(f);
    *len_out = len;
    return buf;
}

static int run_source(const char *src, size_t len, const char *filename)
{
    pml_config cfg = limits;
    pml_vm *vm;
    pml_status status;

    cfg.write = write_out;
    vm = pml_new(&cfg);
    if (!vm) {
        fputs("pymemlab: out of memory\n", stderr);
        return 1;
    }
    status = pml_run(vm, src, len, filename);
    int code = pml_exit_code(vm);
    pml_free(vm);
    fflush(stdout);
    (void)status;
    return code;
}

/* CPython 3.11 shows the script as getcwd() + "/" + the name given, not normalised
 * ("/tmp/./a.py"), when the name is relative. */
static char *copy_of(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

static char *script_path(const char *name)
{
    char cwd[4096];
#ifdef __wasi__
    /* WASI has no real working directory: the host (wasm/cli.mjs) passes its own as PWD */
    const char *pwd = getenv("PWD");
    if (name[0] == '/' || pwd == NULL || strlen(pwd) >= sizeof cwd) return copy_of(name);
    strcpy(cwd, pwd);
#else
    if (name[0] == '/' || getcwd(cwd, sizeof cwd) == NULL) return copy_of(name);
#endif
    size_t n = strlen(cwd) + strlen(name) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s%s%s", cwd, strcmp(cwd, "/") ? "/" : "", name);
    return p;
}

static int usage(void)
{
    fputs(usage_text, stderr);
    return 2;
}

/* A positive decimal count for OPTION, or 0 after printing why it is not one. */
static unsigned long long parse_count(const char *option, const char *text)
{
    char *end;
    unsigned long long n;
    errno = 0;
    n = strtoull(text, &end, 10);
    if (text[0] < '0' || text[0] > '9' || *end != '\0' || errno != 0 || n == 0 ||
        n > (unsigned long long)SIZE_MAX) {
        fprintf(stderr, "pymemlab: %s needs a positive whole number, not '%s'\n", option, text);
        return 0;
    }
    return n;
}

/* Consume the limit options at the front of argv; -1 after a bad one. */
static int parse_limits(int *argc, char ***argv)
{
    while (*argc >= 3) {
        const char *opt = (*argv)[1];
        unsigned long long n;
        if (strcmp(opt, "--max-steps") != 0 && strcmp(opt, "--max-output") != 0)
            break;
        n = parse_count(opt, (*argv)[2]);
        if (n == 0)
            return -1;
        if (strcmp(opt, "--max-steps") == 0)
            limits.step_limit = n;
        else
            limits.output_limit = (size_t)n;
        (*argv)[2] = (*argv)[0];
        *argv += 2;
        *argc -= 2;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (parse_limits(&argc, &argv) < 0)
        return usage();
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("pymemlab %s\n", pml_version());
        return 0;
    }
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "-c") == 0)
        return run_source(argv[2], strlen(argv[2]), "<string>");
    if (argc == 3 && strcmp(argv[1], "run") == 0) {
        size_t len = 0;
        char *src = read_file(argv[2], &len);
        int rc;
        if (!src) {
            fprintf(stderr, "pymemlab: can't open file '%s': %s\n", argv[2], strerror(errno));
            return 2;
        }
        char *path = script_path(argv[2]);
        rc = run_source(src, len, path ? path : argv[2]);
        free(path);
        free(src);
        return rc;
    }
    return usage();
}
