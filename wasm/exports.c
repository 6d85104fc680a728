/*
 * exports.c -- the ABI the Emscripten build exports to JavaScript, a thin layer over
 * pymemlab.h.  wasm/pymemlab.mjs is its only intended caller.
 *
 *   pml_wasm_new(id, memory_limit, step_limit, recursion_limit, output_limit) -> lab | 0
 *   pml_wasm_run(lab, src, len, filename)  -> pml_status (0 ok .. 4 internal)
 *   pml_wasm_free(lab)
 *   pml_wasm_version()                      -> NUL-terminated UTF-8
 *   pml_wasm_exit_code(lab), pml_wasm_last_exception(lab) -> "Type: message" | 0
 *   pml_wasm_set_limits(lab, memory_limit, step_limit, recursion_limit, output_limit)
 *   pml_wasm_live_blocks(lab)
 *   pml_wasm_heap_*                         (pml_heap_* of pymemlab.h, see the end)
 *   pml_wasm_record(lab, src, len, filename, max_steps, events, max_objects) -> pml_status
 *   pml_wasm_recording_json(lab, &len), pml_wasm_snapshot_json(lab, &len)
 *                                           -> UTF-8 JSON owned by the lab (core/trace/SNAPSHOT.md)
 *   malloc, free                            (for passing source and file names in)
 *
 * Output: every write the core makes is passed at once to the JavaScript function
 * Module.pmlWrite(id, stream, bytes), with `id` the number the loader chose for the lab and
 * `bytes` a copy (a Uint8Array that stays valid after memory grows).  Limits arrive as
 * doubles because JavaScript numbers cross the boundary without BigInt that way; 0 means
 * "the default" as in pml_config.
 */
#include "pymemlab.h"

#include <emscripten.h>
#include <stdint.h>

EM_JS(void, pml_js_write, (int id, int stream, const char *data, size_t len), {
    Module.pmlWrite(id, stream, HEAPU8.slice(data, data + len));
});

static void write_to_js(void *userdata, int stream, const char *data, size_t len)
{
    pml_js_write((int)(intptr_t)userdata, stream, data, len);
}

/* A JavaScript number as a size: negative or NaN is 0 (default), too large is SIZE_MAX. */
static size_t to_size(double v)
{
    if (!(v > 0))
        return 0;
    return v >= (double)SIZE_MAX ? SIZE_MAX : (size_t)v;
}

static pml_config limits(double memory_limit, double step_limit, int recursion_limit,
                         double output_limit)
{
    pml_config cfg = { 0 };
    cfg.memory_limit = to_size(memory_limit);
    cfg.step_limit = !(step_limit > 0) ? 0
                     : step_limit >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)step_limit;
    cfg.recursion_limit = recursion_limit > 0 ? recursion_limit : 0;
    cfg.output_limit = to_size(output_limit);
    return cfg;
}

EMSCRIPTEN_KEEPALIVE
pml_vm *pml_wasm_new(int id, double memory_limit, double step_limit, int recursion_limit,
                     double output_limit)
{
    pml_config cfg = limits(memory_limit, step_limit, recursion_limit, output_limit);
    cfg.write = write_to_js;
    cfg.userdata = (void *)(intptr_t)id;
    return pml_new(&cfg);
}

EMSCRIPTEN_KEEPALIVE
void pml_wasm_set_limits(pml_vm *vm, double memory_limit, double step_limit,
                         int recursion_limit, double output_limit)
{
    pml_config cfg = limits(memory_limit, step_limit, recursion_limit, output_limit);
    pml_set_limits(vm, &cfg);
}

EMSCRIPTEN_KEEPALIVE
int pml_wasm_run(pml_vm *vm, const char *src, size_t len, const char *filename)
{
    return (int)pml_run(vm, src, len, filename);
}

EMSCRIPTEN_KEEPALIVE
int pml_wasm_exit_code(pml_vm *vm)
{
    return pml_exit_code(vm);
}

EMSCRIPTEN_KEEPALIVE
void pml_wasm_free(pml_vm *vm)
{
    pml_free(vm);
}

EMSCRIPTEN_KEEPALIVE
const char *pml_wasm_version(void)
{
    return pml_version();
}

EMSCRIPTEN_KEEPALIVE
const char *pml_wasm_last_exception(pml_vm *vm)
{
    return pml_last_exception(vm);
}

EMSCRIPTEN_KEEPALIVE
double pml_wasm_live_blocks(pml_vm *vm)
{
    return (double)pml_live_blocks(vm);
}

/* ---- heap operations by hand (pml_heap_* in pymemlab.h; wasm/pymemlab.mjs lab.heap) ---- */

EMSCRIPTEN_KEEPALIVE
int pml_wasm_heap_new(pml_vm *vm, const char *kind, const char *value, size_t len)
{
    return pml_heap_new(vm, kind, value, len);
}

EMSCRIPTEN_KEEPALIVE
int pml_wasm_heap_incref(pml_vm *vm, int h) { return pml_heap_incref(vm, h); }

EMSCRIPTEN_KEEPALIVE
int pml_wasm_heap_decref(pml_vm *vm, int h) { return pml_heap_decref(vm, h); }

EMSCRIPTEN_KEEPALIVE
int pml_wasm_heap_link(pml_vm *vm, int container, int item, int key, int flags)
{
    return pml_heap_link(vm, container, item, key, flags);
}

EMSCRIPTEN_KEEPALIVE
int pml_wasm_heap_unlink(pml_vm *vm, int container, int item)
{
    return pml_heap_unlink(vm, container, item);
}

EMSCRIPTEN_KEEPALIVE
int pml_wasm_heap_collect(pml_vm *vm) { return pml_heap_collect(vm); }

EMSCRIPTEN_KEEPALIVE
int pml_wasm_heap_refcount(pml_vm *vm, int h) { return pml_heap_refcount(vm, h); }

EMSCRIPTEN_KEEPALIVE
int pml_wasm_heap_alive(pml_vm *vm, int h) { return pml_heap_alive(vm, h); }

EMSCRIPTEN_KEEPALIVE
int pml_wasm_heap_release_all(pml_vm *vm) { return pml_heap_release_all(vm); }

EMSCRIPTEN_KEEPALIVE
const char *pml_wasm_heap_error(pml_vm *vm) { return pml_heap_error(vm); }

/* The JSON text; its length in bytes is stored at *len (a wasm32 size_t). */
EMSCRIPTEN_KEEPALIVE
const char *pml_wasm_heap_json(pml_vm *vm, size_t *len)
{
    return pml_heap_json(vm, len);
}

/* ---- recording (core/trace/SNAPSHOT.md) ---- */

/* pml_record with its options as plain arguments (0: the default); max_objects is a double
 * for the same reason as the limits above. */
EMSCRIPTEN_KEEPALIVE
int pml_wasm_record(pml_vm *vm, const char *src, size_t len, const char *filename,
                    int max_steps, int events, double max_objects)
{
    pml_record_options o = { 0 };
    o.max_steps = max_steps > 0 ? (uint32_t)max_steps : 0;
    o.events = events != 0;
    o.max_objects = to_size(max_objects);
    return (int)pml_record(vm, src, len, filename, &o);
}

/* The JSON text (or 0 when there is no recording); its length in bytes at *len. Valid until
 * the next run/record on this lab. */
EMSCRIPTEN_KEEPALIVE
const char *pml_wasm_recording_json(pml_vm *vm, size_t *len)
{
    return pml_recording_json(vm, len);
}

EMSCRIPTEN_KEEPALIVE
const char *pml_wasm_snapshot_json(pml_vm *vm, size_t *len)
{
    return pml_snapshot_json(vm, len);
}
