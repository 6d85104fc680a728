// worker.mjs -- the worker side of worker-client.mjs: one Lab (pymemlab.mjs) inside a Web
// Worker, or inside a Node worker_threads Worker.  Start it as a module worker; it answers
// the messages of worker-client.mjs and nothing else:
//
//   in:  { type: 'init', options: { buildDir, limits, tracing } }           (first, once)
//        { type: 'call', seq, method, args }
//          method: 'run' | 'record' | 'snapshot' | 'reset' | 'setLimits' | 'heap' | 'stats'
//          ('heap': args = [operation, ...its arguments])
//   out: { type: 'ready', version, limits }  or  { type: 'init-error', error }
//        { type: 'output', seq, stream: 1 | 2, text }   while call `seq` runs
//        { type: 'result', seq, value }  or  { type: 'error', seq, error: { name, message, code, errno } }
//
// Calls are handled one at a time, in the order they arrive.
import { createLab } from './pymemlab.mjs';

async function connect() {
  if (typeof WorkerGlobalScope !== 'undefined' && globalThis instanceof WorkerGlobalScope) {
    return {
      post: (m) => globalThis.postMessage(m),
      listen: (f) => globalThis.addEventListener('message', (e) => f(e.data)),
    };
  }
  const { parentPort } = await import('node:worker_threads');
  if (!parentPort) throw new Error('worker.mjs must run in a worker');
  return { post: (m) => parentPort.postMessage(m), listen: (f) => parentPort.on('message', f) };
}

function serializeError(err) {
  return {
    name: err?.name ?? 'Error',
    message: err?.message ?? String(err),
    code: err?.code ?? null,
    errno: err?.errno ?? null,
  };
}

const port = await connect();
let lab = null;
let ready = null; // Promise<Lab>

function call(lab, seq, method, args) {
  const output = {
    onStdout: (text) => port.post({ type: 'output', seq, stream: 1, text }),
    onStderr: (text) => port.post({ type: 'output', seq, stream: 2, text }),
  };
  switch (method) {
    case 'run': return lab.run(args[0], { ...(args[1] ?? {}), ...output });
    case 'record': return lab.record(args[0], { ...(args[1] ?? {}), ...output });
    case 'snapshot': return lab.snapshot();
    case 'reset': return lab.reset();
    case 'setLimits': return lab.setLimits(args[0] ?? {});
    case 'stats': return lab.stats();
    case 'heap': {
      const [op, ...rest] = args;
      if (!Object.hasOwn(lab.heap, op)) throw new Error(`worker: no heap operation '${op}'`);
      return lab.heap[op](...rest);
    }
    default: throw new Error(`worker: no method '${method}'`);
  }
}

port.listen(async (msg) => {
  if (msg?.type === 'init' && ready == null) {
    ready = createLab({ ...msg.options });
    try {
      lab = await ready;
      port.post({ type: 'ready', version: lab.version, limits: lab.limits });
    } catch (err) {
      port.post({ type: 'init-error', error: serializeError(err) });
    }
    return;
  }
  if (msg?.type !== 'call') return;
  try {
    await ready;
  } catch {
    port.post({ type: 'error', seq: msg.seq, error: { name: 'Error', message: 'worker: the lab failed to load' } });
    return;
  }
  try {
    const value = call(lab, msg.seq, msg.method, msg.args ?? []);
    port.post({ type: 'result', seq: msg.seq, value: value === undefined ? null : value });
  } catch (err) {
    port.post({ type: 'error', seq: msg.seq, error: serializeError(err) });
  }
});
