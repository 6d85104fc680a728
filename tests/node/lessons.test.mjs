// The lessons (lessons/): every snippet prints through the core what CPython 3.11 printed
// (lessons/NN/outputs.json, recorded by lessons/build_outputs.py), and every exercise is
// gradable: predict and choice programs run, a choice program's output is exactly one of
// the choices, a fix exercise's starter fails its check and the reference solution
// (lessons/NN/solutions/ID.py) passes it, and a heap exercise's starter fails while its
// reference solution (lessons/NN/solutions/ID.steps) passes and stops passing when any one
// of its Py_INCREF / Py_DECREF lines is taken out.  The ```steps blocks of a lesson (C API
// calls run on the lab's heap, wasm/heapsteps.mjs) end as the word after `steps` says.  The core runs through the JS API
// (wasm/pymemlab.mjs over the Emscripten build; PYMEMLAB_EMSCRIPTEN_DIR overrides the folder).
// The python3 side (goldens fresh, solutions pass under CPython) runs when python3 is 3.11.
//
// Known core gaps: tests/lessons_known_failures.txt lists snippets ("LESSON#N") and
// exercises ("ID"), one per line, first word (lines starting with # are comments), that fail
// today because of the core.  A listed item must still fail (so
// the list only shrinks: remove an entry once the core is fixed); an unlisted one must pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLab } from '../../wasm/pymemlab.mjs';
import { gradeExercise } from '../../wasm/grading.mjs';
import { runSteps } from '../../wasm/heapsteps.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lessonsDir = path.join(root, 'lessons');
const buildDir = process.env.PYMEMLAB_EMSCRIPTEN_DIR || path.join(root, 'build', 'emscripten');
const FENCE = /^```python[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;
const STEPS = /^```steps[ \t]*(\S*)[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;
const OUTCOMES = ['ok', 'leak', 'cycle', 'null-slots', 'use-after-free', 'not-owned', 'borrowed-return', 'dangling-return'];
const KINDS = {
  predict: ['code'], fix: ['starter', 'check'], choice: ['question', 'choices', 'code', 'explanation'], heap: ['starter', 'returns'],
};
const I18N = ['title', 'prompt', 'question', 'explanation'];

const index = JSON.parse(readFileSync(path.join(lessonsDir, 'index.json'), 'utf8'));
const knownFile = path.join(root, 'tests', 'lessons_known_failures.txt');
const known = new Set(existsSync(knownFile)
  ? readFileSync(knownFile, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.trim().split(/\s+/)[0])
  : []);

const read = (...p) => readFileSync(path.join(lessonsDir, ...p), 'utf8');
const snippetsOf = (text) => [...text.matchAll(FENCE)].map((m) => m[1]);
const stepBlocksOf = (text) => [...text.matchAll(STEPS)].map((m) => ({ outcome: m[1], code: m[2] }));

// One fresh lab per program: a run shares the lab's gc counters and interned strings with
// the runs before it, and CPython starts each program in a fresh process.
async function run(source) {
  const lab = await createLab({ buildDir, stepLimit: 200_000_000 });
  try {
    return lab.run(source, { filename: 'snippet.py' });
  } finally {
    lab.destroy();
  }
}

async function grade(ex, submission) {
  return gradeExercise(ex, submission, { createLab: (opts) => createLab({ ...opts, buildDir }) });
}

const program = (submission, check) => submission + (submission.endsWith('\n') ? '' : '\n') + check;
const passes = (r) => r.status === 'ok' && r.stdout.split('\n').some((l) => l.startsWith('PASS'));

// Run fn; a known gap must fail, anything else must pass.
async function expectUnlessKnown(key, fn) {
  if (!known.has(key)) return fn();
  let failed = false;
  try { await fn(); } catch { failed = true; }
  assert.ok(failed, `${key} is listed in tests/lessons_known_failures.txt but passes now: remove it from the list`);
}

test('lessons/index.json lists lesson folders with en and zh titles', () => {
  assert.ok(index.length >= 8);
  const ids = new Set();
  for (const entry of index) {
    assert.equal(typeof entry.id, 'string');
    assert.ok(!ids.has(entry.id), `duplicate lesson id ${entry.id}`);
    ids.add(entry.id);
    assert.ok(entry.title.en && entry.title.zh, `${entry.id}: title needs en and zh`);
    for (const f of ['lesson.en.md', 'lesson.zh.md', 'exercises.json', 'outputs.json'])
      assert.ok(existsSync(path.join(lessonsDir, entry.path, f)), `${entry.path}/${f} is missing`);
  }
});

test('every entry of tests/lessons_known_failures.txt names a snippet or an exercise', () => {
  const names = new Set();
  for (const entry of index) {
    snippetsOf(read(entry.path, 'lesson.en.md')).forEach((_, i) => names.add(`${entry.id}#${i}`));
    for (const ex of JSON.parse(read(entry.path, 'exercises.json'))) names.add(ex.id);
  }
  for (const k of known) assert.ok(names.has(k), `unknown entry ${k}`);
});

const seenIds = new Set();
for (const entry of index) {
  const en = snippetsOf(read(entry.path, 'lesson.en.md'));
  const zh = snippetsOf(read(entry.path, 'lesson.zh.md'));
  const outputs = JSON.parse(read(entry.path, 'outputs.json'));
  const exercises = JSON.parse(read(entry.path, 'exercises.json'));

  test(`${entry.id}: the Chinese text has the same snippets, and outputs.json covers them`, () => {
    assert.ok(en.length >= 3, 'a lesson needs runnable snippets');
    assert.deepEqual(zh, en);
    assert.deepEqual(Object.keys(outputs).sort(), en.map((_, i) => String(i)).sort());
  });

  en.forEach((code, i) => {
    const key = `${entry.id}#${i}`;
    test(`${key}: the core prints what CPython 3.11 printed`, async () => {
      await expectUnlessKnown(key, async () => {
        const r = await run(code);
        assert.equal(r.stderr, '', `stderr:\n${r.stderr}`);
        assert.equal(r.status, 'ok');
        assert.equal(r.stdout, outputs[String(i)]);
      });
    });
  });

  const steps = stepBlocksOf(read(entry.path, 'lesson.en.md'));
  if (steps.length) {
    test(`${entry.id}: the Chinese text has the same steps blocks`, () => {
      assert.deepEqual(stepBlocksOf(read(entry.path, 'lesson.zh.md')), steps);
    });
  }
  steps.forEach(({ outcome, code }, i) => {
    test(`${entry.id} steps block ${i}: runs on the lab's heap and ends "${outcome}"`, async () => {
      assert.ok(OUTCOMES.includes(outcome), `the word after \`\`\`steps must be one of ${OUTCOMES.join(', ')}`);
      const lab = await createLab({ buildDir });
      try {
        const trace = await runSteps(lab, code);
        assert.deepEqual(trace.errors, []);
        assert.equal(trace.outcome, outcome, JSON.stringify(trace.refused ?? trace.end));
        assert.equal(trace.steps.filter((s) => s.phase === 'function').length, code.trim().split('\n').length);
      } finally {
        lab.destroy();
      }
    });
  });

  test(`${entry.id}: exercises have the format of wasm/EXERCISES.md`, () => {
    assert.ok(exercises.length >= 3);
    const kinds = new Set(exercises.map((e) => e.kind));
    assert.ok(kinds.size >= 3, `at least three kinds of exercise, not ${[...kinds]}`);
    for (const k of kinds) assert.ok(k in KINDS, `unknown kind ${k}`);
    for (const ex of exercises) {
      assert.ok(!seenIds.has(ex.id), `duplicate exercise id ${ex.id}`);
      seenIds.add(ex.id);
      assert.ok(ex.id.startsWith(entry.id.slice(0, 3)), `${ex.id} should start with the lesson number`);
      assert.deepEqual(Object.keys(ex).sort(), ['id', 'kind', 'title', 'prompt', 'hints', ...KINDS[ex.kind]].sort());
      for (const f of I18N.filter((f) => f in ex)) assert.ok(ex[f].en && ex[f].zh, `${ex.id}: ${f} needs en and zh`);
      assert.ok(ex.hints.length >= 1 && ex.hints.every((h) => h.en && h.zh), `${ex.id}: hints need en and zh`);
      if (ex.kind === 'choice') assert.equal(new Set(ex.choices).size, ex.choices.length);
      if (ex.kind === 'fix') assert.ok(existsSync(path.join(lessonsDir, entry.path, 'solutions', `${ex.id}.py`)), `${ex.id}: no reference solution`);
      if (ex.kind === 'heap') assert.ok(existsSync(path.join(lessonsDir, entry.path, 'solutions', `${ex.id}.steps`)), `${ex.id}: no reference solution`);
    }
  });

  for (const ex of exercises) {
    test(`${ex.id} (${ex.kind}): the core computes the answer and grades it`, async () => {
      await expectUnlessKnown(ex.id, async () => {
        if (ex.kind === 'predict') {
          const r = await run(ex.code);
          assert.equal(r.status, 'ok', r.stderr);
          assert.ok(r.stdout.trim().length > 0, 'the program prints nothing to predict');
        } else if (ex.kind === 'choice') {
          const r = await run(ex.code);
          assert.equal(r.status, 'ok', r.stderr);
          const hits = ex.choices.filter((c) => c === r.stdout.trim());
          assert.equal(hits.length, 1, `output ${JSON.stringify(r.stdout.trim())} matches ${hits.length} choices`);
        } else if (ex.kind === 'heap') {
          const solution = read(entry.path, 'solutions', `${ex.id}.steps`);
          const bad = await grade(ex, ex.starter);
          assert.equal(bad.passed, false, 'the starter passes');
          assert.ok(!bad.details.broken, bad.feedback);
          const good = await grade(ex, solution);
          assert.equal(good.passed, true, `the reference solution fails: ${good.feedback}`);
          // every Py_INCREF / Py_DECREF of the solution is needed: without it, a leak or a use after free
          const lines = solution.split('\n');
          const counting = lines.map((l, i) => [l, i]).filter(([l]) => /^\s*Py_(INCREF|DECREF)\(/.test(l));
          assert.ok(counting.length > 0, 'the solution counts references by hand');
          for (const [line, i] of counting) {
            const without = await grade(ex, lines.filter((_, k) => k !== i).join('\n'));
            assert.equal(without.passed, false, `the solution still passes without line ${i + 1}: ${line}`);
            assert.match(without.details.status, /^(leak|dangling-return|use-after-free|not-owned|borrowed-return)$/);
          }
        } else {
          const solution = read(entry.path, 'solutions', `${ex.id}.py`);
          const bad = await run(program(ex.starter, ex.check));
          assert.ok(!passes(bad), 'the starter passes the check');
          assert.match(bad.stderr, /AssertionError/, 'the starter should fail with the check\'s AssertionError');
          const good = await run(program(solution, ex.check));
          assert.ok(passes(good), `the reference solution fails:\n${good.stdout}${good.stderr}`);
        }
      });
    });
  }
}

// The python3 side: outputs.json is what CPython 3.11 prints now, and the exercises hold under
// CPython too (the scripts say what they check).
const py = spawnSync('python3', ['-c', 'import sys; print(sys.version_info[:2] == (3, 11))'], { encoding: 'utf8' });
const havePython311 = py.status === 0 && py.stdout.trim() === 'True';

test('python3: lessons/*/outputs.json are up to date', { skip: !havePython311 && 'python3 3.11 not found' }, () => {
  const r = spawnSync('python3', [path.join(lessonsDir, 'build_outputs.py'), '--check'], { encoding: 'utf8', timeout: 600_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('python3: every exercise is consistent under CPython 3.11', { skip: !havePython311 && 'python3 3.11 not found' }, () => {
  const r = spawnSync('python3', [path.join(lessonsDir, 'check_exercises.py')], { encoding: 'utf8', timeout: 600_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
