// The page's exercise modules under node:test: the output diff (web/lib/diff.js), the
// progress store (web/lib/progress.js, over a stand-in localStorage) and the grader
// (web/lib/grader.js), which must give exactly what wasm/grading.mjs gives in Node for every
// exercise of every lesson (heap exercises: the whole trace too), while running its programs
// in a worker it can stop; and the C steps it runs for the lessons panel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { diffLines } from '../../web/lib/diff.js';
import {
  exerciseProgress, recordCheck, saveAnswer, saveHints, resetProgress, summarize, onProgressChange,
} from '../../web/lib/progress.js';
import { Grader, GradeStopped } from '../../web/lib/grader.js';
import { gradeExercise, DEFAULT_LIMITS } from '../../wasm/grading.mjs';
import { createLab } from '../../wasm/pymemlab.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

class MemoryStorage {
  constructor() { this.map = new Map(); this.broken = false; }
  getItem(k) { if (this.broken) throw new Error('blocked'); return this.map.has(k) ? this.map.get(k) : null; }
  setItem(k, v) { if (this.broken) throw new Error('blocked'); this.map.set(k, String(v)); }
  removeItem(k) { this.map.delete(k); }
}
const storage = new MemoryStorage();
globalThis.localStorage = storage;

test('diffLines pairs lines by position, as the grader counts them', () => {
  assert.deepEqual(diffLines(['3', '2', '1'], ['3', '4', '1']), [
    { line: 1, kind: 'same', expected: '3', given: '3' },
    { line: 2, kind: 'changed', expected: '2', given: '4' },
    { line: 3, kind: 'same', expected: '1', given: '1' },
  ]);
  assert.deepEqual(diffLines(['a', 'b'], ['a']).map((r) => r.kind), ['same', 'missing']);
  assert.deepEqual(diffLines(['a'], ['a', '', 'c']), [
    { line: 1, kind: 'same', expected: 'a', given: 'a' },
    { line: 2, kind: 'extra', given: '' },
    { line: 3, kind: 'extra', given: 'c' },
  ]);
  assert.deepEqual(diffLines([], []), []);
});

test('progress: attempted, then solved for good; drafts, hints, and resets of some or all', () => {
  const changes = [];
  const stop = onProgressChange((c) => changes.push(c));
  assert.deepEqual(exerciseProgress('x'), { status: null, attempts: 0, hints: 0, answer: null });
  recordCheck('x', false);
  assert.equal(exerciseProgress('x').status, 'attempted');
  recordCheck('x', true);
  recordCheck('x', false);                      // a later wrong check does not unsolve it
  assert.deepEqual(exerciseProgress('x'), { status: 'solved', attempts: 3, hints: 0, answer: null });
  saveAnswer('x', 'print(1)\n');
  saveHints('x', 2);
  saveAnswer('y', 2);
  recordCheck('y', false);
  assert.deepEqual(exerciseProgress('x'), { status: 'solved', attempts: 3, hints: 2, answer: 'print(1)\n' });
  assert.equal(exerciseProgress('y').answer, 2);
  assert.deepEqual(summarize(['x', 'y', 'z']), { solved: 1, attempted: 1, total: 3 });
  saveAnswer('x', 'a'.repeat(200_000));        // too long to keep: the last draft stays
  assert.equal(exerciseProgress('x').answer, 'print(1)\n');
  // it is all in the one localStorage key, as JSON
  assert.equal(JSON.parse(storage.getItem('pymemlab:progress')).exercises.x.status, 'solved');

  resetProgress(['y']);
  assert.deepEqual(changes.at(-1), { reset: ['y'] });
  assert.equal(exerciseProgress('y').status, null);
  assert.equal(exerciseProgress('x').status, 'solved');
  resetProgress();
  assert.deepEqual(changes.at(-1), { reset: 'all' });
  assert.deepEqual(summarize(['x', 'y']), { solved: 0, attempted: 0, total: 2 });
  stop();
  const n = changes.length;
  recordCheck('x', true);
  assert.equal(changes.length, n);
  resetProgress();
});

test('progress: a corrupt entry starts over; blocked storage keeps progress in memory', () => {
  storage.setItem('pymemlab:progress', '{not json');
  assert.equal(exerciseProgress('x').status, null);
  recordCheck('x', true);
  assert.equal(exerciseProgress('x').status, 'solved');
  storage.broken = true;
  recordCheck('q', true);
  assert.equal(exerciseProgress('q').status, 'solved');
  assert.equal(exerciseProgress('x').status, 'solved');
  storage.broken = false;
  resetProgress();
});

const lessons = JSON.parse(readFileSync(path.join(repo, 'lessons', 'index.json'), 'utf8'));

test('the page grader (worker) grades every lesson exercise exactly as wasm/grading.mjs in Node', async () => {
  const grader = new Grader({ wasmBase: pathToFileURL(path.join(repo, 'wasm') + '/') });
  const lab = await createLab({ limits: DEFAULT_LIMITS });
  try {
    let compared = 0;
    for (const lesson of lessons) {
      const dir = path.join(repo, 'lessons', lesson.path);
      for (const ex of JSON.parse(readFileSync(path.join(dir, 'exercises.json'), 'utf8'))) {
        const submissions = [];
        if (ex.kind === 'predict') {
          lab.reset();
          const out = lab.run(ex.code, { filename: 'exercise.py' }).stdout;
          submissions.push([out, true], ['0\n' + out, false], ['', false]);
        } else if (ex.kind === 'choice') {
          ex.choices.forEach((_, i) => submissions.push([i, null]));
        } else if (ex.kind === 'heap') {
          const solution = path.join(dir, 'solutions', `${ex.id}.steps`);
          assert.ok(existsSync(solution), solution);
          submissions.push([readFileSync(solution, 'utf8'), true], [ex.starter, false], ['Py_DECREF(', false]);
        } else {
          const solution = path.join(dir, 'solutions', `${ex.id}.py`);
          assert.ok(existsSync(solution), solution);
          submissions.push([readFileSync(solution, 'utf8'), true], [ex.starter, false]);
        }
        for (const lang of ['en', 'zh']) {
          const results = await Promise.all(submissions.map(([s]) => grader.grade(ex, s, lang))); // queued, one at a time
          for (const [i, [submission, passes]] of submissions.entries()) {
            const inNode = await gradeExercise(ex, submission, { lab, lang });
            assert.deepEqual(results[i], inNode, `${ex.id} ${lang} ${JSON.stringify(submission).slice(0, 60)}`);
            if (passes !== null) assert.equal(inNode.passed, passes, `${ex.id}: ${inNode.feedback}`);
            compared++;
          }
        }
        if (ex.kind === 'choice') {
          const right = await Promise.all(ex.choices.map((_, i) => grader.grade(ex, i, 'en')));
          assert.equal(right.filter((r) => r.passed).length, 1, ex.id);
        }
      }
    }
    assert.ok(compared >= lessons.length * 2 * 7, `${compared} comparisons`);
    assert.equal(grader.kind, 'worker');
  } finally {
    lab.destroy();
    grader.lab?.destroy();
  }
});

test('the page grader runs a lesson\'s C steps in its worker, as heapsteps.mjs does in Node', async () => {
  const grader = new Grader({ wasmBase: pathToFileURL(path.join(repo, 'wasm') + '/') });
  const lab = await createLab({ limits: DEFAULT_LIMITS });
  const { runSteps } = await import('../../wasm/heapsteps.mjs');
  try {
    const source = 'l = PyList_New(0)\nPyList_Append(l, l)\nPy_DECREF(l)\nPyGC_Collect()\nPy_REFCNT(l)\n';
    const [inWorker, again] = await Promise.all([grader.runSteps(source), grader.runSteps(source)]); // queued
    assert.equal(grader.kind, 'worker');
    assert.equal(inWorker.outcome, 'use-after-free');
    assert.deepEqual(inWorker, again);                       // each run starts from a fresh heap
    assert.deepEqual(inWorker, await runSteps(lab, source));
    assert.deepEqual(Object.keys(grader.steps.FUNCTIONS).sort(), Object.keys((await import('../../wasm/heapsteps.mjs')).FUNCTIONS).sort());
  } finally {
    lab.destroy();
    grader.lab?.destroy();
  }
});

test('the grader stops a check that never ends (time limit or stop()) and carries on', async () => {
  const grader = new Grader({ wasmBase: pathToFileURL(path.join(repo, 'wasm') + '/'), timeoutMs: 1500 });
  const fix = {
    id: 't-fix', kind: 'fix', title: { en: 't', zh: 't' }, prompt: { en: 'p', zh: 'p' },
    hints: [{ en: 'h', zh: 'h' }], starter: 'x = 1\n', check: 'assert x == 2, "x is not 2"\nprint("PASS")\n',
  };
  try {
    const t0 = Date.now();
    await assert.rejects(grader.grade(fix, 'print(sum(range(10 ** 12)))\n'),
      (err) => err instanceof GradeStopped && err.reason === 'timeout');
    assert.ok(Date.now() - t0 < 10_000);
    assert.equal((await grader.grade(fix, 'x = 2\n')).passed, true);
    const hanging = grader.grade(fix, 'print(sum(range(10 ** 12)))\n');
    const queued = grader.grade(fix, 'x = 3\n');
    grader.timeoutMs = 60_000;
    setTimeout(() => grader.stop(), 300);
    await assert.rejects(hanging, (err) => err instanceof GradeStopped && err.reason === 'stopped');
    const after = await queued;                  // the next check runs in the fresh worker
    assert.deepEqual([after.passed, after.feedback], [false, 'Not yet: x is not 2']);
  } finally {
    grader.lab?.destroy();
  }
});
