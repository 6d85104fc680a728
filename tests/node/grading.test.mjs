// wasm/grading.mjs and the wasm/grade.mjs command line, on tests/node/fixtures/exercises.json.
// Correct predictions are what python3 (3.11) prints, taken at test time, never typed in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLab } from '../../wasm/pymemlab.mjs';
import { findExercise, gradeExercise, outputLines, validateExercise } from '../../wasm/grading.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const fixture = path.join(here, 'fixtures', 'exercises.json');
const exercises = JSON.parse(readFileSync(fixture, 'utf8'));
const tmp = mkdtempSync(path.join(tmpdir(), 'pymemlab-grade-'));
const python = spawnSync('python3', ['-c', 'import sys; print(sys.version_info[:2] == (3, 11))'], { encoding: 'utf8' });
const noPython = python.stdout?.trim() !== 'True' && 'python3 3.11 is not available';

function cpython(code) {
  const r = spawnSync('python3', ['-c', code], { encoding: 'utf8', cwd: tmp });
  return r.stdout;
}

function grade(ref, submission, ...flags) {
  const file = path.join(tmp, `submission-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(file, submission);
  const r = spawnSync(process.execPath, [path.join(repo, 'wasm', 'grade.mjs'), ...flags, `${fixture}#${ref}`, file], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, json: r.stdout ? JSON.parse(r.stdout) : null, stderr: r.stderr };
}

test('validateExercise accepts the fixtures and names what is wrong', () => {
  for (const id of ['predict-alias', 'fix-collect-zero', 'choice-refcount', 'choice-broken']) {
    assert.deepEqual(validateExercise(findExercise(exercises, id)), [], id);
  }
  const problems = validateExercise(findExercise(exercises, 'bad-format'));
  assert.ok(problems.some((p) => /unexpected field answer/.test(p)), problems.join('\n'));
  assert.ok(problems.some((p) => /prompt needs non-empty en and zh/.test(p)));
  assert.ok(problems.some((p) => /hints/.test(p)));
  assert.deepEqual(validateExercise({ kind: 'essay' }).length > 0, true);
  assert.throws(() => findExercise(exercises, 'nope'), /no exercise with id "nope"/);
});

test('outputLines normalises line endings, trailing blanks and blank edge lines only', () => {
  assert.deepEqual(outputLines('\r\n3  \r\n2\n\n'), ['3', '2']);
  assert.deepEqual(outputLines(' 3\n\n2'), [' 3', '', '2']);
});

test('grade.mjs: predict passes with what CPython prints and fails otherwise', { skip: noPython }, () => {
  const ex = findExercise(exercises, 'predict-alias');
  const right = cpython(ex.code);
  assert.ok(right.length > 0);
  const ok = grade('predict-alias', right.replace(/\n/g, '\r\n') + '\n');
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.json.passed, true);
  assert.equal(ok.json.details.expected, right);
  const lines = right.trimEnd().split('\n');
  const wrong = grade('predict-alias', [lines[0], String(Number(lines[1]) + 1)].join('\n'));
  assert.equal(wrong.status, 1);
  assert.equal(wrong.json.passed, false);
  assert.equal(wrong.json.details.firstDifference, 2);
  assert.match(wrong.json.feedback, /Line 2/);
  const short = grade('predict-alias', lines[0]);
  assert.match(short.json.feedback, /stops after 1/);
  const zh = grade('predict-alias', 'x\n', '--lang=zh');
  assert.match(zh.json.feedback, /第 1 行/);
});

test('grade.mjs: fix passes with the reference solution, fails with the starter and with a fake PASS', () => {
  const ex = findExercise(exercises, 'fix-collect-zero');
  const solution = readFileSync(path.join(here, 'fixtures', 'solutions', 'fix-collect-zero.py'), 'utf8');
  const ok = grade('fix-collect-zero', solution);
  assert.equal(ok.status, 0, JSON.stringify(ok.json));
  assert.deepEqual([ok.json.passed, ok.json.feedback], [true, 'PASS: the collector found nothing']);
  const starter = grade('fix-collect-zero', ex.starter);
  assert.equal(starter.status, 1);
  assert.equal(starter.json.passed, false);
  assert.equal(starter.json.feedback, 'Not yet: gc.collect() found 2 unreachable objects');
  assert.deepEqual(starter.json.details.exception, { type: 'AssertionError', message: 'gc.collect() found 2 unreachable objects' });
  // printing PASS in the submission gains nothing: only the check's output counts
  const fake = grade('fix-collect-zero', ex.starter + 'print("PASS")\n');
  assert.equal(fake.json.passed, false);
  // an exception in the submission itself
  const raising = grade('fix-collect-zero', 'x = 1 / 0\n');
  assert.equal(raising.json.feedback, 'Your code raised ZeroDivisionError: division by zero before the check ran.');
  const syntax = grade('fix-collect-zero', 'class Node(\n');
  assert.match(syntax.json.feedback, /does not compile: SyntaxError/);
  const loop = grade('fix-collect-zero', 'while True:\n    pass\n');
  assert.match(loop.json.feedback, /stopped by a limit/);
});

test('grade.mjs: choice by text or by index; the answer comes from the core', () => {
  assert.equal(grade('choice-refcount', '3\n').json.passed, true);
  assert.equal(grade('choice-refcount', '#2').json.passed, true);        // 0-based index
  assert.equal(grade('choice-refcount', '2').json.passed, false);        // the text "2", not index 2
  const wrong = grade('choice-refcount', '#0');
  assert.equal(wrong.status, 1);
  assert.deepEqual([wrong.json.details.correctIndex, wrong.json.details.chosenIndex], [2, 0]);
  assert.match(grade('choice-refcount', 'seven').json.feedback, /not one of the choices/);
  const right = grade('choice-refcount', '3', '--lang=zh');
  assert.match(right.json.feedback, /^正确。名字/);
});

test('grade.mjs: broken exercises and bad arguments exit 2', () => {
  const broken = grade('choice-broken', 'a');
  assert.equal(broken.status, 2);
  assert.match(broken.json.feedback, /exercise is broken/);
  const bad = grade('bad-format', '1');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unexpected field answer/);
  const missing = grade('no-such-id', '1');
  assert.equal(missing.status, 2);
  const usage = spawnSync(process.execPath, [path.join(repo, 'wasm', 'grade.mjs')], { encoding: 'utf8' });
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /^usage: /);
});

test('gradeExercise grades in a given lab and leaves it usable', async () => {
  const lab = await createLab({ limits: { steps: 1_000_000 } });
  const ex = findExercise(exercises, 'choice-refcount');
  const r = await gradeExercise(ex, 2, { lab });
  assert.equal(r.passed, true);
  assert.equal(lab.run('print("after")\n').stdout, 'after\n');
  lab.destroy();
});
