// pymemlab.mjs -- the PyMemLab JavaScript API: run Python in a lab over the Emscripten build
// of the core.  One ES module, unchanged in Node (>= 20) and in browsers (page or worker).
// Types and full documentation: pymemlab.d.ts.  Worker wrapper: worker-client.mjs.
//
//   import { createLab } from './wasm/pymemlab.mjs';
//   const lab = await createLab({ limits: { steps: 1e6 }, onStdout: (t) => console.log(t) });
//   const r = lab.run('import sys\nx = []\nprint(sys.getrefcount(x))\n', { filename: 'demo.py' });
//   // r: { status: 'ok', exitCode: 0, stdout: '2\n', stderr: '', exception: null, code: 0 }
//   lab.destroy();
//
// createLab(options) -> Promise<Lab>; every option is optional:
//   buildDir     where the Emscripten output (pymemlab.mjs + pymemlab.wasm) lives: a URL, a URL
//                string or (Node) a path.  Default: ./dist/ next to this file (what
//                `make emscripten` and the npm package provide), else ../build/emscripten/.
//   limits       { steps, memoryBytes, recursion, outputBytes }: bytecode instructions per run
//                (0 = unlimited), bytes the lab's allocator may hold (default 256 MiB),
//                sys.getrecursionlimit() at the start of each run (default 1000), bytes of
//                output per run (0 = unlimited).  Hitting steps/outputBytes ends the run with
//                status 'limit'; memory and recursion raise MemoryError / RecursionError.
//                (memoryLimit, stepLimit, recursionLimit, outputLimit are accepted too.)
//   onStdout(text), onStderr(text)
//                called with the program's output as it is written, for every run
//   onWrite(stream, bytes)
//                the same as raw UTF-8 bytes, stream 1 = stdout, 2 = stderr.  An exception
//                thrown by a callback is re-thrown by run()/record() once the program ended.
//   tracing      false (default): run() just runs.  true: run() records like record() and
//                its result carries the recording too (result.recording).
//
// A Lab:
//   run(source, { filename, onStdout, onStderr, onWrite })
//       -> { status, code, exitCode, stdout, stderr, exception }
//       status: 'ok' | 'exception' | 'syntax-error' | 'limit' | 'internal'; exitCode as a CLI
//       exits (0, 1, or N after sys.exit(N)); exception: { type, message } from the last line
//       of the traceback (type as printed, e.g. 'ZeroDivisionError', 'SyntaxError'), or null
//   record(source, { filename, maxSteps, events, maxObjects }) -> the recording of
//       core/trace/SNAPSHOT.md (steps with heap snapshots and, unless events is false, the
//       event log), plus exitCode and exception as in run()
//   snapshot()   the heap of the lab right now, as one STEP of SNAPSHOT.md
//   heap         hand-driven reference counting ("C extension author" lesson): new, incref,
//                decref, link, unlink, collect, refcount, alive, objects, releaseAll; misuse
//                throws a HeapError (code 'use-after-free', 'not-owned', ...)
//   reset()      a fresh lab in place (same options; heap handles are gone)
//   setLimits(partial limits), limits (the current ones), tracing (read/write)
//   version      the core's version string
//   stats()      { wasmMemoryBytes, liveBlocks } for leak checks
//   destroy()    frees the lab; any later call throws
//
// All labs made from one buildDir share one instance of the wasm module (its memory grows as
// needed and is shared); each lab is a separate pml_vm in the core, so labs never see each
// other's objects.  Calls are synchronous: a long run blocks the thread, so pages run labs in
// a worker (worker-client.mjs), which can also stop a runaway run.

export const STATUS = Object.freeze(['ok', 'exception', 'syntax-error', 'limit', 'internal']);

export const HEAP_ERRORS = Object.freeze({
  '-1': 'unknown-handle',
  '-2': 'use-after-free',
  '-3': 'not-owned',
  '-4': 'wrong-kind',
  '-5': 'bad-value',
  '-6': 'no-memory',
  '-7': 'busy',
  '-8': 'too-many-handles',
});

/** A refused heap operation: `code` names the misuse, `message` explains it. */
export class HeapError extends Error {
  constructor(errno, message) {
    super(message || HEAP_ERRORS[errno] || `heap error ${errno}`);
    this.name = 'HeapError';
    this.errno = errno;
    this.code = HEAP_ERRORS[errno] ?? 'unknown';
  }
}

const isNode = typeof process === 'object' && process.versions != null && process.versions.node != null;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const instances = new Map(); // buildDir href -> Promise<instance>

function dirUrl(s, base) {
  return new URL(s.endsWith('/') ? s : s + '/', base);
}

async function resolveBuildDirs(buildDir) {
  if (buildDir == null) {
    return [new URL('./dist/', import.meta.url), new URL('../build/emscripten/', import.meta.url)];
  }
  if (buildDir instanceof URL) return [dirUrl(buildDir.href)];
  const s = String(buildDir);
  if (/^(file|https?|blob|data):/i.test(s)) return [dirUrl(s)];
  if (isNode) {
    const { pathToFileURL } = await import('node:url');
    const { resolve } = await import('node:path');
    return [pathToFileURL(resolve(s) + '/')];
  }
  return [dirUrl(s, globalThis.location?.href)];
}

async function instantiate(base) {
  const { default: factory } = await import(new URL('pymemlab.mjs', base).href);
  const sinks = new Map(); // lab id -> function(stream, bytes)
  const args = {
    pmlWrite(id, stream, bytes) {
      const sink = sinks.get(id);
      if (sink) sink(stream, bytes);
    },
    print() {},
    printErr() {},
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
  return { module, sinks, nextId: 1, broken: false, busy: false, pendingFree: [], base };
}

// One instance per build folder; the default tries ./dist/ and then ../build/emscripten/.
async function loadInstance(bases) {
  let lastError;
  for (const base of bases) {
    let p = instances.get(base.href);
    if (!p) {
      p = instantiate(base);
      instances.set(base.href, p);
      p.catch(() => instances.delete(base.href));
    }
    try {
      return await p;
    } catch (err) {
      lastError = err;
    }
  }
  throw new Error(`pymemlab: could not load the wasm build from ${bases.map((b) => b.href).join(' or ')}` +
    ` (build it with \`make emscripten\`): ${lastError?.message ?? lastError}`);
}

function cString(M, ptr) {
  if (!ptr) return null;
  const end = M.HEAPU8.indexOf(0, ptr);
  return decoder.decode(M.HEAPU8.subarray(ptr, end < 0 ? M.HEAPU8.length : end));
}

// Copy bytes into a fresh malloc'd block, NUL-terminated; the caller frees it.
function toHeap(M, bytes) {
  const ptr = M._malloc(bytes.length + 1);
  if (!ptr) throw new Error('pymemlab: out of wasm memory');
  M.HEAPU8.set(bytes, ptr); // read HEAPU8 after malloc: memory may have grown
  M.HEAPU8[ptr + bytes.length] = 0;
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

/** "ZeroDivisionError: division by zero" -> { type, message }; null stays null. */
export function parseExceptionLine(line) {
  if (line == null) return null;
  const i = line.indexOf(': ');
  return i < 0 ? { type: line, message: '' } : { type: line.slice(0, i), message: line.slice(i + 2) };
}

const LIMIT_NAMES = { steps: 'stepLimit', memoryBytes: 'memoryLimit', recursion: 'recursionLimit', outputBytes: 'outputLimit' };

function normalizeLimits(options) {
  const limits = { steps: 0, memoryBytes: 0, recursion: 0, outputBytes: 0 };
  for (const [key, legacy] of Object.entries(LIMIT_NAMES)) {
    if (options[legacy] != null) limits[key] = options[legacy];
  }
  return mergeLimits(limits, options.limits ?? {});
}

function mergeLimits(current, partial) {
  const next = { ...current };
  for (const key of Object.keys(LIMIT_NAMES)) {
    if (partial[key] === undefined) continue;
    const v = partial[key] === null ? 0 : Number(partial[key]);
    if (!(v >= 0)) throw new RangeError(`pymemlab: limits.${key} must be a number >= 0, not ${partial[key]}`);
    next[key] = Math.floor(v);
  }
  return next;
}

export async function createLab(options = {}) {
  const inst = await loadInstance(await resolveBuildDirs(options.buildDir));
  const M = inst.module;
  const id = inst.nextId++;
  let limits = normalizeLimits(options);
  let tracing = Boolean(options.tracing);
  let vm = newVm();
  let alive = true;

  function newVm() {
    const v = M._pml_wasm_new(id, limits.memoryBytes, limits.steps, limits.recursion, limits.outputBytes);
    if (!v) throw new Error('pymemlab: could not create a lab (out of memory)');
    return v;
  }

  function check() {
    if (!alive) throw new Error('pymemlab: this lab was destroyed');
    if (inst.broken) throw new Error('pymemlab: the wasm module crashed; create a new lab');
    if (inst.busy) throw new Error('pymemlab: a lab is already running on this module (called from an output callback?)');
  }

  // Run `body(ptrs)` with `strings` copied into wasm memory, catching traps.  A trap (abort,
  // out of bounds, stack overflow) leaves the module unusable: every lab on it is then dead.
  function call(strings, body, onTrap) {
    const ptrs = [];
    try {
      for (const s of strings) ptrs.push(toHeap(M, typeof s === 'string' ? encoder.encode(s) : s));
    } catch (err) {
      for (const p of ptrs) M._free(p);
      throw err; // out of wasm memory: the module is fine, this call is refused
    }
    inst.busy = true;
    try {
      return body(ptrs);
    } catch (err) {
      inst.broken = true;
      instances.delete(inst.base.href);
      if (onTrap) return onTrap(err);
      throw new Error(`pymemlab: internal error: ${err && err.message ? err.message : err}`);
    } finally {
      inst.busy = false;
      if (!inst.broken) {
        for (const p of ptrs) M._free(p);
        // labs destroyed from an output callback are freed once the module is idle
        for (const v of inst.pendingFree.splice(0)) M._pml_wasm_free(v);
      }
    }
  }

  // Collect a run's output, passing it on as it is written.
  function capture(opts) {
    const chunks = { 1: [], 2: [] };
    const textSinks = {
      1: [options.onStdout, opts.onStdout].filter(Boolean),
      2: [options.onStderr, opts.onStderr].filter(Boolean),
    };
    const writeSinks = [options.onWrite, opts.onWrite].filter(Boolean);
    const streams = { 1: new TextDecoder(), 2: new TextDecoder() };
    // A callback that throws must not unwind through the running core: the first error is
    // kept and thrown once the run is over (the lab stays usable).
    let callbackError = null;
    const safely = (f, ...args) => {
      try { f(...args); } catch (err) { callbackError ??= err; }
    };
    const emit = (stream, data) => {
      (chunks[stream] ?? chunks[2]).push(data);
      for (const f of writeSinks) safely(f, stream, data);
      const sinks = textSinks[stream] ?? textSinks[2];
      if (sinks.length) {
        const text = (streams[stream] ?? streams[2]).decode(data, { stream: true });
        if (text) for (const f of sinks) safely(f, text);
      }
    };
    inst.sinks.set(id, emit);
    return {
      emit,
      finish() {
        inst.sinks.delete(id);
        for (const s of [1, 2]) {
          const rest = streams[s].decode();
          if (rest) for (const f of textSinks[s]) safely(f, rest);
        }
        if (callbackError) throw callbackError;
        return { stdout: decoder.decode(joinBytes(chunks[1])), stderr: decoder.decode(joinBytes(chunks[2])) };
      },
    };
  }

  function trapResult(out, err) {
    const msg = `pymemlab: internal error: ${err && err.message ? err.message : err}\n`;
    out.emit(2, encoder.encode(msg));
    return 4;
  }

  function outcome(code) {
    if (inst.broken) return { exitCode: 1, exception: null };
    return {
      exitCode: M._pml_wasm_exit_code(vm),
      exception: parseExceptionLine(cString(M, M._pml_wasm_last_exception(vm))),
    };
  }

  function readJson(fnName) {
    const fn = M[`_${fnName}`];
    if (typeof fn !== 'function') throw new Error(`pymemlab: this build has no ${fnName} (rebuild with \`make emscripten\`)`);
    const text = call([new Uint8Array(4)], ([lenPtr]) => {
      const ptr = fn(vm, lenPtr);
      if (!ptr) return null;
      const len = M.HEAPU32[lenPtr >> 2];
      return decoder.decode(M.HEAPU8.subarray(ptr, ptr + len));
    });
    return text == null ? null : JSON.parse(text);
  }

  function restoreLimits() {
    // a program may have called sys.setrecursionlimit(); each run starts from the lab's limits
    M._pml_wasm_set_limits(vm, limits.memoryBytes, limits.steps, limits.recursion, limits.outputBytes);
  }

  function doRun(source, opts) {
    const { filename = '<string>' } = opts;
    const bytes = typeof source === 'string' ? encoder.encode(source) : source;
    const out = capture(opts);
    const code = call([bytes, filename], ([src, name]) => {
      restoreLimits();
      return M._pml_wasm_run(vm, src, bytes.length, name);
    }, (err) => trapResult(out, err));
    const { stdout, stderr } = out.finish();
    return { status: STATUS[code] ?? 'internal', code, ...outcome(code), stdout, stderr };
  }

  function doRecord(source, opts) {
    const { filename = '<string>', maxSteps = 0, events = true, maxObjects = 0 } = opts;
    if (typeof M._pml_wasm_record !== 'function') {
      throw new Error('pymemlab: this build has no recorder (pml_wasm_record); rebuild with `make emscripten`');
    }
    const bytes = typeof source === 'string' ? encoder.encode(source) : source;
    const out = capture(opts);
    const code = call([bytes, filename], ([src, name]) => {
      restoreLimits();
      return M._pml_wasm_record(vm, src, bytes.length, name, maxSteps, events ? 1 : 0, maxObjects);
    }, (err) => trapResult(out, err));
    const { stdout, stderr } = out.finish();
    const recording = inst.broken ? null : readJson('pml_wasm_recording_json');
    const result = recording ?? {
      version: 1, filename, status: STATUS[code] ?? 'internal', truncated: false, stdout, stderr, steps: [],
    };
    return Object.assign(result, outcome(code));
  }

  function heapCall(fn, ...args) {
    check();
    const r = call([], () => fn(vm, ...args));
    if (r < 0) throw new HeapError(r, cString(M, M._pml_wasm_heap_error(vm)));
    return r;
  }

  const heap = Object.freeze({
    /** Create an int, str, list or dict; returns its handle (you own one reference). */
    new(kind, value) {
      check();
      const text = value == null ? '' : String(value);
      const bytes = encoder.encode(text);
      const r = call([String(kind), bytes], ([k, v]) => M._pml_wasm_heap_new(vm, k, value == null ? 0 : v, bytes.length));
      if (r < 0) throw new HeapError(r, cString(M, M._pml_wasm_heap_error(vm)));
      return r;
    },
    incref: (h) => heapCall(M._pml_wasm_heap_incref, h | 0),
    decref: (h) => heapCall(M._pml_wasm_heap_decref, h | 0),
    link(container, item, { key = 0, steal = false } = {}) {
      heapCall(M._pml_wasm_heap_link, container | 0, item | 0, key | 0, steal ? 1 : 0);
    },
    unlink(container, item) {
      heapCall(M._pml_wasm_heap_unlink, container | 0, item | 0);
    },
    collect: () => heapCall(M._pml_wasm_heap_collect),
    refcount: (h) => heapCall(M._pml_wasm_heap_refcount, h | 0),
    alive: (h) => heapCall(M._pml_wasm_heap_alive, h | 0) === 1,
    releaseAll: () => heapCall(M._pml_wasm_heap_release_all),
    objects() {
      check();
      const list = readJson('pml_wasm_heap_json');
      if (list == null) throw new HeapError(-6, cString(M, M._pml_wasm_heap_error(vm)));
      return list;
    },
  });

  const lab = {
    version: cString(M, M._pml_wasm_version()),

    run(source, opts = {}) {
      check();
      if (tracing) {
        const recording = doRecord(source, opts);
        const { status, exitCode, exception, stdout, stderr } = recording;
        return { status, code: STATUS.indexOf(status), exitCode, stdout, stderr, exception, recording };
      }
      return doRun(source, opts);
    },

    record(source, opts = {}) {
      check();
      return doRecord(source, opts);
    },

    snapshot() {
      check();
      return readJson('pml_wasm_snapshot_json');
    },

    heap,

    reset() {
      check();
      M._pml_wasm_free(vm);
      vm = 0;
      try {
        vm = newVm();
      } catch (err) {
        alive = false; // no state to fall back on: the lab is gone
        throw err;
      }
    },

    setLimits(partial = {}) {
      check();
      limits = mergeLimits(limits, partial);
      restoreLimits();
      return { ...limits };
    },

    get limits() { return { ...limits }; },
    get tracing() { return tracing; },
    set tracing(on) { tracing = Boolean(on); },

    stats() {
      check();
      return { wasmMemoryBytes: M.HEAPU8.byteLength, liveBlocks: M._pml_wasm_live_blocks(vm) };
    },

    destroy() {
      if (!alive) return;
      alive = false;
      if (inst.broken) return;
      if (inst.busy) inst.pendingFree.push(vm);
      else M._pml_wasm_free(vm);
      vm = 0;
    },
  };
  return lab;
}
