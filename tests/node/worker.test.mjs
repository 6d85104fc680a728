// wasm/worker-client.mjs + wasm/worker.mjs under node:worker_threads: the same API with
// promises, stale answers dropped, stop() and timeouts restarting a runaway worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { createWorkerLab, StaleError, StoppedError } from '../../wasm/worker-client.mjs';
import { HeapError } from '../../wasm/pymemlab.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The Worker constructor is injected: count the workers made.
function countingFactory() {
  const made = [];
  return {
    made,
    createWorker(url) {
      const w = new Worker(url);
      made.push(w);
      return w;
    },
  };
}

test('the worker lab runs, records output and reports exceptions like a Lab', async () => {
  const out = [];
  const lab = await createWorkerLab({ onStdout: (t) => out.push(t), limits: { steps: 1e6 } });
  assert.match(lab.version, /^\d+\.\d+\.\d+/);
  assert.deepEqual(lab.limits, { steps: 1e6, memoryBytes: 0, recursion: 0, outputBytes: 0 });
  const ok = await lab.run('print(6 * 7)\n');
  assert.deepEqual([ok.status, ok.stdout, ok.exception], ['ok', '42\n', null]);
  assert.deepEqual(out, ['42\n']);
  const bad = await lab.run('{}["k"]\n', { filename: 'w.py' });
  assert.deepEqual(bad.exception, { type: 'KeyError', message: "'k'" });
  assert.match(bad.stderr, /File "w\.py", line 1/);
  const loop = await lab.run('while True: pass\n');
  assert.equal(loop.status, 'limit');
  const perCall = [];
  await lab.run('print("x")\n', { onStdout: (t) => perCall.push(t) });
  assert.deepEqual(perCall, ['x\n']);
  lab.destroy();
});

test('heap operations and HeapErrors cross the worker boundary', async () => {
  const lab = await createWorkerLab();
  const l = await lab.heap.new('list');
  const x = await lab.heap.new('int', 4096);
  await lab.heap.link(l, x);
  assert.equal(await lab.heap.decref(x), 1);
  await assert.rejects(lab.heap.decref(x), (e) => e instanceof HeapError && e.code === 'not-owned');
  assert.equal(await lab.heap.decref(l), 0);
  await assert.rejects(lab.heap.incref(x), (e) => e instanceof HeapError && e.code === 'use-after-free');
  const objs = await lab.heap.objects();
  assert.deepEqual(objs.map((o) => o.alive), [false, false]);
  assert.deepEqual(await lab.setLimits({ outputBytes: 10 }), { steps: 0, memoryBytes: 0, recursion: 0, outputBytes: 10 });
  lab.destroy();
});

test('a newer run makes an older one stale: it rejects and its answer and output are dropped', async () => {
  const out = [];
  const lab = await createWorkerLab({ onStdout: (t) => out.push(t) });
  const slow = lab.run('for i in range(3000000): pass\nprint("A")\n');
  await sleep(30);                                       // A is in the worker now
  const fast = lab.run('print("B")\n');
  await assert.rejects(slow, (e) => e instanceof StaleError);
  const b = await fast;
  assert.equal(b.stdout, 'B\n');
  assert.deepEqual(out, ['B\n']);                        // A's output never reached us
  assert.ok(lab.droppedMessages >= 2, `dropped ${lab.droppedMessages}`); // A's output + answer
  lab.destroy();
});

test('latestOnly: false answers every call, in order', async () => {
  const lab = await createWorkerLab({ latestOnly: false });
  const results = await Promise.all([1, 2, 3].map((n) => lab.run(`print(${n})\n`)));
  assert.deepEqual(results.map((r) => r.stdout), ['1\n', '2\n', '3\n']);
  assert.equal(lab.droppedMessages, 0);
  lab.destroy();
});

test('stop() kills a runaway run and a fresh worker carries on with the same limits', async () => {
  const factory = countingFactory();
  const lab = await createWorkerLab({ createWorker: factory.createWorker });
  await lab.setLimits({ recursion: 150 });
  const handle = await lab.heap.new('list');
  const runaway = assert.rejects(lab.run('while True:\n    pass\n'),   // no step limit
    (e) => e instanceof StoppedError && e.reason === 'stopped');
  const other = assert.rejects(lab.stats(), StoppedError);                // queued behind it
  await sleep(100);
  const started = performance.now();
  await lab.stop();
  await runaway;
  await other;
  assert.ok(performance.now() - started < 5000);
  assert.equal(lab.generation, 2);
  assert.equal(factory.made.length, 2);
  const next = await lab.run('import sys\nprint(sys.getrecursionlimit())\n');
  assert.equal(next.stdout, '150\n');
  await assert.rejects(lab.heap.alive(handle), { code: 'unknown-handle' });  // a new lab
  lab.destroy();
  await assert.rejects(lab.run('print(1)\n'), /destroyed/);
});

test('a timeout stops the worker and the next call runs in a new one', async () => {
  const lab = await createWorkerLab({ timeoutMs: 300 });
  await assert.rejects(lab.run('while True: pass\n'), (e) => e instanceof StoppedError && e.reason === 'timeout');
  const r = await lab.run('print("alive")\n');
  assert.equal(r.stdout, 'alive\n');
  assert.equal(lab.generation, 2);
  lab.destroy();
});

test('a bad build folder rejects createWorkerLab', async () => {
  await assert.rejects(createWorkerLab({ buildDir: '/nonexistent/pymemlab' }), /make emscripten/);
});
