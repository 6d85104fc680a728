// pymemlab.mjs -- load the Emscripten build of the PyMemLab core and run Python in a lab.
// The same module works in Node (>= 20) and in browsers.
//
//   import { createLab } from './wasm/pymemlab.mjs';
//   const lab = await createLab();
//   const { status, stdout, stderr } = lab.run('print(1 + 1)\n', { filename: 'demo.py' });
//   lab.destroy();
//
// createLab(options):
//   buildDir        where pymemlab.mjs + pymemlab.wasm live: a URL, a URL string, or (Node) a
//                   file path; default: build/emscripten/ next to this file's folder
//   memoryLimit, stepLimit, recursionLimit, outputLimit
//                   the lab's limits (pml_config in core/include/pymemlab.h); 0 = default
// lab.run(source, { filename, onWrite }):
//   source          a string or UTF-8 bytes (Uint8Array)
//   filename        shown in tracebacks; default "<string>"
//   onWrite(stream, bytes)  called for each write as it happens; stream 1 = stdout, 2 = stderr
//   returns { status, code, exitCode, stdout, stderr }, status one of STATUS (code is its
//   index); exitCode is what a CLI exits with (0, 1, or N after sys.exit(N))
// lab.version       the core's version string
// lab.destroy()     frees the lab; the lab may not be used afterwards
//
// All labs made from one buildDir share one instance of the wasm module; each lab has its own
// state in the core, so labs never see each other's objects.

export const STATUS = Object.freeze(['ok', 'exception', 'syntax-error', 'limit', 'internal']);

const isNode = typeof process === 'object' && process.versions != null && process.versions.node != null;
const encoder = new TextEncoder();
const instances = new Map(); // buildDir href -> Promise<instance>

async function resolveBuildDir(buildDir) {
  if (buildDir == null) return new URL('../build/emscripten/', import.meta.url);
  if (buildDir instanceof URL) return buildDir;
  const s = String(buildDir);
  if (/^(file|https?|blob):/i.test(s)) return new URL(s.endsWith('/') ? s : s + '/');
  if (isNode) {
    const { pathToFileURL } = await import('node:url');
    const { resolve } = await import('node:path');
    return pathToFileURL(resolve(s) + '/');
  }
  return new URL(s.endsWith('/') ? s : s + '/', globalThis.location?.href);
}

async function instantiate(base) {
  const { default: factory } = await import(new URL('pymemlab.mjs', base).href);
  const sinks = new Map(); // lab id -> function(stream, bytes)
  const args = {
    pmlWrite(id, stream, bytes) {
      const sink = sinks.get(id);
      if (sink) sink(stream, bytes);
    },
  };
  const wasmUrl = new URL('pymemlab.wasm', base);
  if (isNode && wasmUrl.protocol === 'file:') {
    // Emscripten's web glue would fetch() the file, which Node cannot do for file: URLs.
    const { readFile } = await import('node:fs/promises');
    args.wasmBinary = await readFile(wasmUrl);
  } else {
    args.locateFile = (path) => new URL(path, base).href;
  }
  const module = await factory(args);
  return { module, sinks, nextId: 1, broken: false };
}

function loadInstance(base) {
  let p = instances.get(base.href);
  if (!p) {
    p = instantiate(base);
    instances.set(base.href, p);
    p.catch(() => instances.delete(base.href));
  }
  return p;
}

function cString(M, ptr) {
  let end = ptr;
  while (M.HEAPU8[end] !== 0) end++;
  return new TextDecoder().decode(M.HEAPU8.subarray(ptr, end));
}

// Copy bytes into a fresh malloc'd block; the caller frees it.
function toHeap(M, bytes, nulTerminate) {
  const ptr = M._malloc(bytes.length + (nulTerminate ? 1 : 0) || 1);
  if (!ptr) throw new Error('pymemlab: out of wasm memory');
  M.HEAPU8.set(bytes, ptr); // read HEAPU8 after malloc: memory may have grown
  if (nulTerminate) M.HEAPU8[ptr + bytes.length] = 0;
  return ptr;
}

function joinBytes(chunks) {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  n = 0;
  for (const c of chunks) { out.set(c, n); n += c.length; }
  return out;
}

export async function createLab(options = {}) {
  const base = await resolveBuildDir(options.buildDir);
  const inst = await loadInstance(base);
  const M = inst.module;
  const id = inst.nextId++;
  const vm = M._pml_wasm_new(id, options.memoryLimit ?? 0, options.stepLimit ?? 0,
    options.recursionLimit ?? 0, options.outputLimit ?? 0);
  if (!vm) throw new Error('pymemlab: could not create a lab (out of memory)');
  let alive = true;

  function check() {
    if (!alive) throw new Error('pymemlab: this lab was destroyed');
    if (inst.broken) throw new Error('pymemlab: the wasm module crashed; create a new lab');
  }

  return {
    version: cString(M, M._pml_wasm_version()),

    run(source, { filename = '<string>', onWrite } = {}) {
      check();
      const bytes = typeof source === 'string' ? encoder.encode(source) : source;
      const chunks = { 1: [], 2: [] };
      inst.sinks.set(id, (stream, data) => {
        (chunks[stream] ?? chunks[2]).push(data);
        if (onWrite) onWrite(stream, data);
      });
      let src = 0, name = 0, code;
      try {
        src = toHeap(M, bytes, false);
        name = toHeap(M, encoder.encode(filename), true);
        code = M._pml_wasm_run(vm, src, bytes.length, name);
      } catch (err) {
        // A trap (abort, out of bounds, stack overflow) leaves the module unusable.
        inst.broken = true;
        instances.delete(base.href);
        const msg = `pymemlab: internal error: ${err && err.message ? err.message : err}\n`;
        const data = encoder.encode(msg);
        chunks[2].push(data);
        if (onWrite) onWrite(2, data);
        code = 4;
      } finally {
        inst.sinks.delete(id);
        if (!inst.broken) {
          if (src) M._free(src);
          if (name) M._free(name);
        }
      }
      const decoder = new TextDecoder();
      return {
        status: STATUS[code] ?? 'internal',
        code,
        exitCode: inst.broken ? 1 : M._pml_wasm_exit_code(vm),
        stdout: decoder.decode(joinBytes(chunks[1])),
        stderr: decoder.decode(joinBytes(chunks[2])),
      };
    },

    destroy() {
      if (!alive) return;
      alive = false;
      if (!inst.broken) M._pml_wasm_free(vm);
    },
  };
}
