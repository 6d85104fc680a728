/*
 * pymemlab.h -- the one public header of the PyMemLab core.
 *
 * Embedders (the native CLI, wasm/exports.c, the C tests) see only this file.  A lab
 * (`pml_vm`) is an opaque handle that owns everything: its allocator arenas, its type
 * objects, its singletons, its module table.  Two labs never share state, so a page may
 * hold several and a process may create and destroy them in a loop.
 *
 * The core performs no I/O.  Everything the running program writes to sys.stdout or
 * sys.stderr (tracebacks included) reaches the host through `pml_config.write`.
 */
#ifndef PYMEMLAB_H
#define PYMEMLAB_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PML_VERSION "0.1.0"

/* Streams passed to the write callback. */
enum { PML_STDOUT = 1, PML_STDERR = 2 };

/* Result of pml_run. */
typedef enum pml_status {
    PML_OK = 0,          /* the program ran to its end */
    PML_EXCEPTION = 1,   /* an uncaught exception; its traceback went to PML_STDERR */
    PML_SYNTAX_ERROR = 2,/* the source did not compile; the SyntaxError went to PML_STDERR */
    PML_LIMIT = 3,       /* a step, output or time limit stopped the run; message on PML_STDERR */
    PML_INTERNAL = 4     /* the core could not even start the run (out of host memory) */
} pml_status;

typedef void (*pml_write_fn)(void *userdata, int stream, const char *data, size_t len);

/* Configuration.  Zero in any field means "the default". */
typedef struct pml_config {
    pml_write_fn write;        /* NULL: output is discarded */
    void *userdata;            /* passed back to write */
    size_t memory_limit;       /* bytes the lab's allocator may hold; default 256 MiB */
    uint64_t step_limit;       /* bytecode instructions per run; default unlimited (0) */
    int recursion_limit;       /* sys.getrecursionlimit() at start; default 1000 */
    size_t output_limit;       /* bytes of output per run; default unlimited (0) */
} pml_config;

typedef struct pml_vm pml_vm;

/* Create a lab.  `cfg` may be NULL.  Returns NULL only if the host is out of memory. */
pml_vm *pml_new(const pml_config *cfg);

/* Compile and run `src` (UTF-8, `len` bytes, may contain NUL bytes) as the module
 * __main__.  `filename` appears in tracebacks and SyntaxErrors (NULL: "<string>").
 * Each run starts from a fresh __main__ namespace; the lab stays usable after any
 * status. */
pml_status pml_run(pml_vm *vm, const char *src, size_t len, const char *filename);

/* The process exit status a CLI should use for the last run: 0 when it ended normally,
 * 1 after an uncaught exception, a syntax error or a limit, N after sys.exit(N). */
int pml_exit_code(pml_vm *vm);

/* Destroy a lab and everything it owns. */
void pml_free(pml_vm *vm);

/* Blocks the lab's allocator holds right now (leak checks: compare before and after). */
size_t pml_live_blocks(pml_vm *vm);

/* The core's version string, e.g. "0.1.0 (CPython 3.11 model)". */
const char *pml_version(void);

#ifdef __cplusplus
}
#endif
#endif /* PYMEMLAB_H */
