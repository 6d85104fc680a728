// The JavaScript API in Chromium, unchanged from Node: wasm/pymemlab.mjs on the page's thread,
// wasm/worker-client.mjs with a module Web Worker (stale answers dropped, stop()), and
// wasm/grading.mjs.  The test page is a blank page on the server's origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser } from './helpers.mjs';

let b, page;

before(async () => {
  b = await openBrowser();
  page = b.page;
  await b.context.route(`${b.server.url}api-test/**`, (route) => route.fulfill({
    contentType: 'text/html; charset=utf-8',
    body: '<!doctype html><html><head><meta charset="utf-8"><title>API</title></head><body></body></html>',
  }));
  await page.goto(`${b.server.url}api-test/index.html`);
});

after(async () => { await b?.close(); });

test('createLab runs in the page: output, exceptions, limits, heap operations, two labs', async () => {
  const r = await page.evaluate(async () => {
    const { createLab } = await import('/wasm/pymemlab.mjs');
    const seen = [];
    const a = await createLab({ limits: { steps: 1_000_000 }, onStdout: (t) => seen.push(t) });
    const b2 = await createLab();
    const ok = a.run('import sys\nx = []\nprint(sys.getrefcount(x), "<b>")\n');
    const bad = b2.run('1/0\n');
    const loop = a.run('while True: pass\n');
    const h = a.heap.new('list');
    a.heap.decref(h);
    let uaf = null;
    try { a.heap.incref(h); } catch (e) { uaf = e.code; }
    let other = null;
    try { b2.heap.alive(h); } catch (e) { other = e.code; }
    const after = a.run('print("again")\n').stdout;
    const out = { ok: [ok.status, ok.stdout], seen, bad: bad.exception, loop: loop.status, uaf, other, after, version: a.version };
    a.destroy();
    b2.destroy();
    return out;
  });
  assert.deepEqual(r.ok, ['ok', '2 <b>\n']);
  assert.deepEqual(r.seen, ['2 <b>\n', 'again\n']);
  assert.deepEqual(r.bad, { type: 'ZeroDivisionError', message: 'division by zero' });
  assert.equal(r.loop, 'limit');
  assert.equal(r.uaf, 'use-after-free');
  assert.equal(r.other, 'unknown-handle');
  assert.equal(r.after, 'again\n');
  assert.match(r.version, /^\d+\.\d+\.\d+/);
  assert.deepEqual(b.problems.pageErrors, []);
});

test('createWorkerLab in a module Web Worker: results, stale answers dropped, stop()', async () => {
  const r = await page.evaluate(async () => {
    const { createWorkerLab, StaleError, StoppedError } = await import('/wasm/worker-client.mjs');
    const out = [];
    const lab = await createWorkerLab({ onStdout: (t) => out.push(t) });
    const first = await lab.run('print(6 * 7)\n');
    const slow = lab.run('for i in range(3000000): pass\nprint("A")\n');
    await new Promise((res) => setTimeout(res, 50));
    const fast = lab.run('print("B")\n');
    const slowError = await slow.then(() => null, (e) => e instanceof StaleError);
    const fastResult = await fast;
    const runaway = lab.run('while True: pass\n').then(() => null, (e) => e instanceof StoppedError && e.reason);
    await new Promise((res) => setTimeout(res, 200));
    const t0 = performance.now();
    await lab.stop();
    const stopped = await runaway;
    const stopMs = performance.now() - t0;
    const next = await lab.run('print("fresh")\n');
    const rec = await lab.record('a = [1]\nb = a\n');
    const result = {
      first: first.stdout, slowError, fast: fastResult.stdout, out, stopped, stopMs,
      generation: lab.generation, next: next.stdout, dropped: lab.droppedMessages,
      steps: rec.steps.length,
    };
    lab.destroy();
    return result;
  });
  assert.equal(r.first, '42\n');
  assert.equal(r.slowError, true);
  assert.equal(r.fast, 'B\n');
  assert.deepEqual(r.out, ['42\n', 'B\n', 'fresh\n']);
  assert.equal(r.stopped, 'stopped');
  assert.ok(r.stopMs < 5000, `stop took ${r.stopMs} ms`);
  assert.equal(r.generation, 2);
  assert.equal(r.next, 'fresh\n');
  assert.ok(r.dropped >= 2);
  assert.ok(r.steps >= 2);
  assert.deepEqual(b.problems.pageErrors, []);
});

test('gradeExercise grades in the page with a worker lab', async () => {
  const r = await page.evaluate(async () => {
    const { gradeExercise } = await import('/wasm/grading.mjs');
    const { createWorkerLab } = await import('/wasm/worker-client.mjs');
    const lab = await createWorkerLab();
    const ex = {
      id: 'c', kind: 'choice', title: { en: 't', zh: 't' }, prompt: { en: 'p', zh: 'p' },
      hints: [{ en: 'h', zh: 'h' }], question: { en: 'q', zh: 'q' }, choices: ['1', '2', '3'],
      code: 'import sys\nx = []\nprint(sys.getrefcount(x))\n', explanation: { en: 'e', zh: '解释' },
    };
    const right = await gradeExercise(ex, '2', { lab, lang: 'zh' });
    const wrong = await gradeExercise(ex, 0, { lab });
    lab.destroy();
    return [right.passed, right.feedback, wrong.passed];
  });
  assert.deepEqual(r, [true, '正确。解释', false]);
});
