// worker-client.mjs -- the PyMemLab API in a Web Worker (or a Node worker_threads Worker),
// promise-based, with a stop button.  Types: worker-client.d.ts.
//
//   import { createWorkerLab } from './wasm/worker-client.mjs';
//   const lab = await createWorkerLab({ limits: { steps: 5e6 }, onStdout: (t) => show(t) });
//   const r = await lab.run(source, { filename: 'main.py', timeoutMs: 5000 });
//   lab.stop();          // a runaway run: kill the worker, start a fresh one
//
// createWorkerLab(options) takes createLab's options (buildDir, limits, tracing, onStdout,
// onStderr; buildDir should be absolute: the worker resolves it from its own URL) plus:
//   workerUrl      URL of worker.mjs (default: next to this file)
//   createWorker(url)  makes the worker: anything with postMessage/terminate and either
//                  addEventListener('message') (Web Worker) or on('message') (worker_threads).
//                  Default: `new Worker(url, { type: 'module' })` in browsers, worker_threads
//                  in Node.
//   timeoutMs      default time limit of run()/record() in ms (0: none); when it passes, the
//                  worker is stopped and restarted and the call rejects (StoppedError, reason
//                  'timeout')
//   latestOnly     true (default): a new run()/record() makes earlier unanswered ones stale:
//                  they reject at once with a StaleError and their answers (and output) are
//                  dropped when they arrive.  false: every call gets its own answer.
//
// Every request carries a sequence number; an answer or output message whose number is not
// waiting for an answer (stale, or from a stopped worker) is dropped and counted in
// lab.droppedMessages.  Calls are answered in order, one at a time.
//
// WorkerLab: run, record, snapshot, reset, setLimits, stats, heap.{new, incref, decref, link,
// unlink, collect, refcount, alive, objects, releaseAll} -- as in pymemlab.mjs but returning
// promises -- plus version, limits, stop() (-> Promise, resolves when the new worker is
// ready), destroy(), generation (how many workers have been started) and ready (a Promise).
import { HeapError } from './pymemlab.mjs';

const isNode = typeof process === 'object' && process.versions != null && process.versions.node != null;

/** The call was stopped: stop() or destroy() was called, or its timeout passed. */
export class StoppedError extends Error {
  constructor(reason, message) {
    super(message ?? `pymemlab worker: the call was stopped (${reason})`);
    this.name = 'StoppedError';
    this.reason = reason;
  }
}

/** A newer run()/record() superseded this one (latestOnly); its answer will be dropped. */
export class StaleError extends Error {
  constructor(seq) {
    super(`pymemlab worker: request ${seq} was superseded by a newer run`);
    this.name = 'StaleError';
    this.seq = seq;
  }
}

async function defaultCreateWorker(url) {
  if (typeof Worker === 'function' && !isNode) return new Worker(url, { type: 'module' });
  const { Worker: NodeWorker } = await import('node:worker_threads');
  return new NodeWorker(url);
}

// The one interface the client needs, over either kind of worker.
function adapt(w) {
  if (typeof w.on === 'function') {
    return {
      post: (m) => w.postMessage(m),
      onMessage: (f) => w.on('message', f),
      onError: (f) => w.on('error', f),
      terminate: () => w.terminate(),
    };
  }
  return {
    post: (m) => w.postMessage(m),
    onMessage: (f) => w.addEventListener('message', (e) => f(e.data)),
    onError: (f) => w.addEventListener('error', (e) => {
      if (e.preventDefault) e.preventDefault();
      f(e.error ?? new Error(e.message || 'worker error'));
    }),
    terminate: () => w.terminate(),
  };
}

function reviveError(e) {
  if (e?.name === 'HeapError') return new HeapError(e.errno, e.message);
  const err = new Error(e?.message ?? 'worker error');
  err.name = e?.name ?? 'Error';
  if (e?.code != null) err.code = e.code;
  return err;
}

const LONG_CALLS = new Set(['run', 'record']);

export async function createWorkerLab(options = {}) {
  const {
    workerUrl = new URL('./worker.mjs', import.meta.url),
    createWorker = defaultCreateWorker,
    latestOnly = true,
    onStdout, onStderr,
  } = options;
  const initOptions = {
    buildDir: options.buildDir instanceof URL ? options.buildDir.href : options.buildDir,
    limits: options.limits ? { ...options.limits } : undefined,
    tracing: Boolean(options.tracing),
  };
  for (const k of ['memoryLimit', 'stepLimit', 'recursionLimit', 'outputLimit']) {
    if (options[k] != null) initOptions[k] = options[k];
  }
  let timeoutMs = options.timeoutMs ?? 0;
  let seq = 0;
  let generation = 0;
  let current = null;        // { worker, ready: Promise }
  let destroyed = false;
  let version = null;
  let limits = null;
  const pending = new Map(); // seq -> { resolve, reject, method, timer, onStdout, onStderr }
  const lab = { droppedMessages: 0 };

  function settle(id, fn) {
    const p = pending.get(id);
    if (!p) return null;
    pending.delete(id);
    if (p.timer) clearTimeout(p.timer);
    fn(p);
    return p;
  }

  function rejectAll(error) {
    for (const id of [...pending.keys()]) settle(id, (p) => p.reject(error(id)));
  }

  function onMessage(msg) {
    if (msg?.type === 'output') {
      const p = pending.get(msg.seq);
      if (!p) { lab.droppedMessages++; return; }
      const sinks = msg.stream === 1 ? [onStdout, p.onStdout] : [onStderr, p.onStderr];
      for (const f of sinks) if (f) f(msg.text);
      return;
    }
    if (msg?.type === 'result' || msg?.type === 'error') {
      const done = settle(msg.seq, (p) => {
        if (msg.type === 'result') {
          if (p.method === 'setLimits') limits = msg.value;
          p.resolve(msg.value);
        } else {
          p.reject(reviveError(msg.error));
        }
      });
      if (!done) lab.droppedMessages++;
    }
  }

  function start() {
    generation++;
    const rec = { worker: null, ready: null, isReady: false };
    rec.ready = Promise.resolve(createWorker(workerUrl)).then((raw) => {
      const worker = adapt(raw);
      if (current !== rec) { // stopped or destroyed while the worker was being made
        worker.terminate();
        throw new StoppedError(destroyed ? 'destroyed' : 'stopped');
      }
      rec.worker = worker;
      return new Promise((resolve, reject) => {
        worker.onMessage((msg) => {
          if (current !== rec) { lab.droppedMessages++; return; } // a stopped worker
          if (msg?.type === 'ready') {
            rec.isReady = true;
            version = msg.version;
            limits = msg.limits;
            resolve();
          } else if (msg?.type === 'init-error') {
            reject(reviveError(msg.error));
          } else {
            onMessage(msg);
          }
        });
        worker.onError((err) => {
          if (current !== rec) return;
          reject(err);
          rejectAll(() => err);
          if (rec.isReady) restart('crashed'); // the worker died: carry on with a fresh one
        });
        worker.post({ type: 'init', options: { ...initOptions, limits: limits ?? initOptions.limits } });
      });
    });
    rec.ready.catch(() => {});
    current = rec;
    return rec.ready;
  }

  function request(method, args, opts = {}) {
    if (destroyed) return Promise.reject(new Error('pymemlab worker: this lab was destroyed'));
    const id = ++seq;
    if (latestOnly && LONG_CALLS.has(method)) {
      for (const [other, p] of pending) {
        if (LONG_CALLS.has(p.method)) settle(other, (q) => q.reject(new StaleError(other)));
      }
    }
    return new Promise((resolve, reject) => {
      const entry = { resolve, reject, method, timer: null, onStdout: opts.onStdout, onStderr: opts.onStderr };
      pending.set(id, entry);
      const limitMs = LONG_CALLS.has(method) ? (opts.timeoutMs ?? timeoutMs) : 0;
      if (limitMs > 0) {
        entry.timer = setTimeout(() => {
          if (!pending.has(id)) return;
          settle(id, (p) => p.reject(new StoppedError('timeout', `pymemlab worker: the run took longer than ${limitMs} ms and was stopped`)));
          restart('timeout');
        }, limitMs);
      }
      const sent = current;
      sent.ready.then(() => {
        if (current !== sent || !pending.has(id)) return; // stopped or stale meanwhile
        sent.worker.post({ type: 'call', seq: id, method, args });
      }, (err) => settle(id, (p) => p.reject(err)));
    });
  }

  // Stop the current worker (whatever it is doing) and start a fresh one.
  function restart(reason) {
    const old = current;
    current = null;
    if (old?.worker) old.worker.terminate(); // not made yet: start() terminates it when it is
    rejectAll(() => new StoppedError(reason));
    return start();
  }

  function plainOptions(opts) {
    const { onStdout: _o, onStderr: _e, timeoutMs: _t, ...rest } = opts ?? {};
    return rest;
  }

  Object.defineProperties(lab, Object.getOwnPropertyDescriptors({
    get version() { return version; },
    get limits() { return limits ? { ...limits } : null; },
    get generation() { return generation; },
    get ready() { return current ? current.ready : Promise.reject(new Error('destroyed')); },

    run: (source, opts = {}) => request('run', [source, plainOptions(opts)], opts),
    record: (source, opts = {}) => request('record', [source, plainOptions(opts)], opts),
    snapshot: () => request('snapshot', []),
    reset: () => request('reset', []),
    setLimits: (partial = {}) => request('setLimits', [partial]),
    stats: () => request('stats', []),
    heap: Object.freeze(Object.fromEntries(
      ['new', 'incref', 'decref', 'link', 'unlink', 'collect', 'refcount', 'alive', 'objects', 'releaseAll']
        .map((op) => [op, (...args) => request('heap', [op, ...args])]),
    )),

    set timeoutMs(ms) { timeoutMs = ms; },
    get timeoutMs() { return timeoutMs; },

    /** Kill the worker (a runaway run), reject what is pending, start a fresh lab. */
    stop() {
      if (destroyed) return Promise.reject(new Error('pymemlab worker: this lab was destroyed'));
      return restart('stopped');
    },

    destroy() {
      if (destroyed) return;
      destroyed = true;
      const old = current;
      current = null;
      if (old?.worker) old.worker.terminate();
      rejectAll(() => new StoppedError('destroyed'));
    },
  }));

  try {
    await start();
  } catch (err) {
    lab.destroy();
    throw err;
  }
  return lab;
}
