/*
 * exports.c -- the ABI the Emscripten build exports to JavaScript, a thin layer over
 * pymemlab.h.  wasm/pymemlab.mjs is its only intended caller.
 *
 *   pml_wasm_new(id, memory_limit, step_limit, recursion_limit, output_limit) -> lab | 0
 *   pml_wasm_run(lab, src, len, filename)  -> pml_status (0 ok .. 4 internal)
 *   pml_wasm_free(lab)
 *   pml_wasm_version()                      -> NUL-terminated UTF-8
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

EMSCRIPTEN_KEEPALIVE
pml_vm *pml_wasm_new(int id, double memory_limit, double step_limit, int recursion_limit,
                     double output_limit)
{
    pml_config cfg = { 0 };
    cfg.write = write_to_js;
    cfg.userdata = (void *)(intptr_t)id;
    cfg.memory_limit = to_size(memory_limit);
    cfg.step_limit = !(step_limit > 0) ? 0
                     : step_limit >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)step_limit;
    cfg.recursion_limit = recursion_limit > 0 ? recursion_limit : 0;
    cfg.output_limit = to_size(output_limit);
    return pml_new(&cfg);
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
