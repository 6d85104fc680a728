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

/* Change the limits of a lab for its next runs: memory_limit, step_limit, recursion_limit
 * and output_limit as in pml_config (0 = the default); write and userdata are ignored. */
void pml_set_limits(pml_vm *vm, const pml_config *cfg);

/* Destroy a lab and everything it owns. */
void pml_free(pml_vm *vm);

/* pml_free, returning how many blocks of the lab's heap were still allocated when every
 * object should have been released (0 unless the core leaks: tests assert it). */
size_t pml_free_count_leaks(pml_vm *vm);

/* Blocks the lab's allocator holds right now (leak checks: compare before and after). */
size_t pml_live_blocks(pml_vm *vm);

/* ---- recording (core/trace/; the JSON is specified in core/trace/SNAPSHOT.md) ---- */

/* Options of pml_record.  Zero in any field means "the default". */
typedef struct pml_record_options {
    uint32_t max_steps;   /* steps kept; reaching it stops the run (status "limit"); 2000 */
    int events;           /* nonzero: keep the event log (alloc, free, gc, weakref, ...) */
    size_t max_objects;   /* objects per snapshot before it is cut; 2000 */
} pml_record_options;

/* Run `src` exactly like pml_run (same output, same status) while recording a step before
 * each new line of the program's own code, plus one at the end.  `opts` may be NULL. */
pml_status pml_record(pml_vm *vm, const char *src, size_t len, const char *filename,
                      const pml_record_options *opts);

/* The last recording as one JSON document (NUL-terminated, `*len` bytes without the NUL;
 * len may be NULL), or NULL if there is none.  Owned by the lab: valid until the next
 * pml_run/pml_record or pml_free. */
const char *pml_recording_json(pml_vm *vm, size_t *len);

/* A snapshot of the heap right now ({"line", "frames", "objects", "objectsTruncated",
 * "gc"}), same lifetime rules as pml_recording_json.  Between runs __main__ is gone, so it
 * shows only what is still alive.  NULL if the host is out of memory. */
const char *pml_snapshot_json(pml_vm *vm, size_t *len);

/* The core's version string, e.g. "0.1.0 (CPython 3.11 model)". */
const char *pml_version(void);

/* The last line of the report of the last run's uncaught exception, as the traceback ends:
 * "ZeroDivisionError: division by zero", "MemoryError", "mymod.Oops: bad", and for a
 * syntax error "SyntaxError: invalid syntax"; "SystemExit: N" after sys.exit(N) with N != 0.
 * NULL when the last run ended without one (status PML_OK or PML_LIMIT).  Valid until the
 * next pml_run or pml_free. */
const char *pml_last_exception(pml_vm *vm);

/* ---- Heap operations by hand (the "C extension author" lesson; core/lib/heapops.c) ----
 *
 * The host acts as C code holding object pointers.  pml_heap_new creates an int, str, list
 * or dict and returns a *handle* (> 0, never reused) together with one reference the host
 * owns.  The core counts the references the host owns per handle and refuses, with a
 * negative error code and a message (pml_heap_error), any call that would corrupt the heap
 * in C: decref of a reference the host does not own, any use of a freed object, unknown
 * handles.  No sequence of calls can crash the lab.  Handles survive pml_run; the objects
 * are not visible to programs (except through gc.get_objects()). */
enum {
    PML_HEAP_EUNKNOWN = -1,   /* no such handle */
    PML_HEAP_EFREED = -2,     /* the object was freed: a use after free in C */
    PML_HEAP_ENOTOWNED = -3,  /* decref (or steal) of a reference the host does not own */
    PML_HEAP_EKIND = -4,      /* wrong kind of object (link into an int, unknown kind) */
    PML_HEAP_EVALUE = -5,     /* bad int literal, unhashable key, item or key not found */
    PML_HEAP_ENOMEM = -6,     /* MemoryError (the lab's memory limit) or host out of memory */
    PML_HEAP_EBUSY = -7,      /* called while the lab runs a program (from an output callback) */
    PML_HEAP_ELIMIT = -8      /* too many handles (65536) */
};
enum { PML_HEAP_STEAL = 1 };  /* pml_heap_link: the container takes the host's reference */

/* kind "int" (value: a decimal literal, len bytes; small ints come from the cache), "str"
 * (value: UTF-8 text), "list" or "dict" (value ignored).  Returns the handle or an error. */
int pml_heap_new(pml_vm *vm, const char *kind, const char *value, size_t len);
/* Py_INCREF / Py_DECREF.  Return the new reference count (0: the object was freed). */
int pml_heap_incref(pml_vm *vm, int handle);
int pml_heap_decref(pml_vm *vm, int handle);
/* list: append item (key must be 0); dict: container[key] = item.  The container takes a
 * new reference, or with PML_HEAP_STEAL the one the host owned.  0 or an error. */
int pml_heap_link(pml_vm *vm, int container, int item, int key, int flags);
/* list: remove the first occurrence of item (by identity); dict: del container[item]. */
int pml_heap_unlink(pml_vm *vm, int container, int item);
/* gc.collect(): the number of unreachable objects found. */
int pml_heap_collect(pml_vm *vm);
/* The object's reference count, or an error. */
int pml_heap_refcount(pml_vm *vm, int handle);
/* 1 alive, 0 freed, or PML_HEAP_EUNKNOWN. */
int pml_heap_alive(pml_vm *vm, int handle);
/* Drop every reference the host still owns (the end of the C function); returns how many. */
int pml_heap_release_all(pml_vm *vm);
/* The message of the last failed pml_heap_* call ("" after a success). */
const char *pml_heap_error(pml_vm *vm);
/* Every handle as JSON (wasm/pymemlab.d.ts HeapObject[]): handle, type, id, alive, freed
 * ("refcount" | "gc" | null), owned, refcount, size, tracked, gen, static, repr, refs
 * ([label, handle | null, id]).  NUL-terminated, *len bytes; valid until the next call. */
const char *pml_heap_json(pml_vm *vm, size_t *len);

#ifdef __cplusplus
}
#endif
#endif /* PYMEMLAB_H */
