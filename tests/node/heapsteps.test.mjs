// C steps (wasm/heapsteps.mjs): C API calls, one per line, run on lab.heap, and the `heap`
// exercise kind of wasm/grading.mjs built on them.  Counts, frees and refusals come from the
// core at test time; the tests check how the steps map onto lab.heap and what they report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLab } from '../../wasm/pymemlab.mjs';
import { createWorkerLab } from '../../wasm/worker-client.mjs';
import { parseSteps, runSteps, FUNCTIONS } from '../../wasm/heapsteps.mjs';
import { gradeExercise, validateExercise, DEFAULT_LIMITS } from '../../wasm/grading.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let lab;
before(async () => { lab = await createLab({ limits: DEFAULT_LIMITS }); });
after(() => lab?.destroy());

const rows = (trace) => trace.steps.filter((s) => s.phase === 'function');
const stateOf = (trace, row, label) => row.state[trace.objects.find((o) => o.label === label).handle];

test('pasted C parses: PyObject *, semicolons, two statements on a line, comments', () => {
  const { statements, errors } = parseSteps([
    '/* build a pair */ PyObject *pair = PyList_New(0);',
    'PyObject *x = PyLong_FromLong(-42); PyList_Append(pair, x);  // the list takes its own',
    '/* a comment',
    '   over two lines */ Py_DECREF(x);',
    'PyObject *s = PyUnicode_FromString("a \\"quoted\\" word, with a comma");',
    'return pair;',
  ].join('\n'));
  assert.deepEqual(errors, []);
  assert.deepEqual(statements.map((s) => [s.line, s.source]), [
    [1, 'pair = PyList_New(0)'],
    [2, 'x = PyLong_FromLong(-42)'],
    [2, 'PyList_Append(pair, x)'],
    [4, 'Py_DECREF(x)'],
    [5, 's = PyUnicode_FromString("a \\"quoted\\" word, with a comma")'],
    [6, 'return pair'],
  ]);
  assert.equal(statements[4].node.expr.args[0].value, 'a "quoted" word, with a comma');
});

test('what does not parse is reported by line, in both languages, and nothing runs', async () => {
  const cases = [
    ['PyList_Remove(x)', 1, /PyList_Remove is not one of the calls this lab knows/],
    ['x = PyList_New(0)\nPyList_Append(x)', 2, /PyList_Append takes 2 arguments, not 1/],
    ['Py_INCREF(y)', 1, /y is not defined yet/],
    ['x = PyLong_FromLong("7")', 1, /argument 1 of PyLong_FromLong must be an integer/],
    ['x = PyLong_FromLong(99999999999999999999)', 1, /out of range for PyLong_FromLong/],
    ['x = PyList_New(0)\nreturn x\nPy_DECREF(x)', 3, /nothing runs after return/],
    ['x = PyList_New(0)\ny = Py_DECREF(x)', 2, /Py_DECREF returns no object/],
    ['x = PyUnicode_FromString("open', 1, /no closing "/],
    ['x = PyList_New(0) + 1', 1, /unexpected "\+/],
    ['// nothing but a comment', 1, /there are no statements/],
  ];
  for (const [source, line, message] of cases) {
    const trace = await runSteps(lab, source);
    assert.equal(trace.outcome, 'syntax', source);
    assert.equal(trace.steps.length, 0);
    assert.equal(trace.errors[0].line, line, source);
    assert.match(trace.errors[0].text.en, message, source);
    assert.ok(trace.errors[0].text.zh && trace.errors[0].text.zh !== trace.errors[0].text.en);
  }
  assert.equal(FUNCTIONS.PyList_SetItem.params.length, 3);
});

test('each statement is one or two lab.heap calls, and the state after it is the core\'s', async () => {
  const trace = await runSteps(lab, [
    'items = PyList_New(0)',
    'n = PyLong_FromLong(1000)',
    'PyList_Append(items, n)',
    'Py_REFCNT(n)',
    'Py_DECREF(n)',
    'PyList_Append(items, PyUnicode_FromString("temp"))',
    'Py_DECREF(items)',
  ].join('\n'));
  assert.equal(trace.outcome, 'leak');         // the temporary string's new reference is never released
  const r = rows(trace);
  assert.deepEqual(r.map((s) => s.c), [
    'PyObject *items = PyList_New(0);', 'PyObject *n = PyLong_FromLong(1000);', 'PyList_Append(items, n);',
    'printf("%zd\\n", Py_REFCNT(n));', 'Py_DECREF(n);', 'PyList_Append(items, PyUnicode_FromString("temp"));', 'Py_DECREF(items);',
  ]);
  assert.deepEqual(r.map((s) => s.calls), [
    ["items = heap.new('list')"], ["n = heap.new('int', '1000')"], ['heap.link(items, n)'], ['heap.refcount(n)'],
    ['heap.decref(n)'], ["tmp1 = heap.new('str', 'temp')", 'heap.link(items, tmp1)'], ['heap.decref(items)'],
  ]);
  // what the core says, step by step
  const check = await createLab();
  const { heap } = check;
  const items = heap.new('list');
  const n = heap.new('int', '1000');
  heap.link(items, n);
  assert.equal(r[3].result.refcount, heap.refcount(n));
  assert.deepEqual([stateOf(trace, r[2], 'n').refcount, stateOf(trace, r[2], 'n').owned], [heap.refcount(n), 1]);
  heap.decref(n);
  assert.deepEqual([stateOf(trace, r[4], 'n').refcount, stateOf(trace, r[4], 'n').owned], [heap.refcount(n), 0]);
  check.destroy();
  // the list's death frees the int with it, but not the leaked string
  assert.deepEqual(r[6].freed.map((f) => [f.handle, f.how]), [[1, 'refcount'], [2, 'refcount']]);
  assert.equal(trace.objects[2].label, 'PyUnicode_FromString("temp")');
  assert.deepEqual(trace.end.leaks, [{ handle: 3, count: 1 }]);
});

test('the core refuses a use after free and a decref of a reference the code does not own', async () => {
  const uaf = await runSteps(lab, 'a = PyLong_FromLong(5000)\nPy_DECREF(a)\nPy_INCREF(a)');
  assert.equal(uaf.outcome, 'use-after-free');
  assert.deepEqual([uaf.refused.line, uaf.refused.code], [3, 'use-after-free']);
  const row = uaf.steps.at(-1);
  assert.equal(row.error.core, true);
  assert.match(row.error.message, /use after free/);             // the core's own message
  assert.match(row.error.text.en, /^a points to an int that was already freed \(line 2, when its reference count reached 0\)/);
  assert.match(row.error.text.zh, /第 2 行/);
  assert.deepEqual(row.calls, []);                                // nothing was done

  const over = await runSteps(lab, 'l = PyList_New(0)\nx = PyLong_FromLong(7000)\nPyList_SetItem(l, 0, x)');
  assert.equal(over.outcome, 'index');                            // PyList_New(0) has no slot 0
  const steal = await runSteps(lab, 'l = PyList_New(1)\nm = PyList_New(0)\nx = PyLong_FromLong(7000)\nPyList_Append(m, x)\nPy_DECREF(x)\nPyList_SetItem(l, 0, PyList_GetItem(m, 0))');
  assert.equal(steal.outcome, 'not-owned');
  assert.match(steal.refused.text.en, /PyList_SetItem steals a reference to x, but you own none/);
  const twice = await runSteps(lab, 'l = PyList_New(0)\nx = PyLong_FromLong(7000)\nPyList_Append(l, x)\nPy_DECREF(x)\nPy_DECREF(x)');
  assert.equal(twice.outcome, 'not-owned');
  assert.match(twice.refused.text.en, /You own no reference to x: its only reference belongs to another object/);
  assert.equal(twice.steps.at(-1).state[2].refcount, 1);          // refused: nothing changed
});

test('NULL, slots and kinds are checked by the step language', async () => {
  const cleared = await runSteps(lab, 'x = PyLong_FromLong(5000)\nPy_CLEAR(x)\nPy_XDECREF(x)\nPy_INCREF(x)');
  assert.equal(cleared.outcome, 'null');
  assert.deepEqual(cleared.steps.map((s) => s.result?.kind ?? null), ['new', 'clear', 'null-noop', null]);
  assert.match(cleared.refused.text.en, /x is NULL: in C, Py_INCREF would dereference a NULL pointer/);
  assert.equal((await runSteps(lab, 'l = PyList_New(2)\nPyList_SetItem(l, 1, PyLong_FromLong(9000))')).outcome, 'slot-order');
  assert.equal((await runSteps(lab, 'l = PyList_New(1)\nPyList_Append(l, PyLong_FromLong(9000))')).outcome, 'slots-first');
  assert.equal((await runSteps(lab, 'd = PyDict_New()\nPyList_Append(d, d)')).outcome, 'wrong-kind');
  const slots = await runSteps(lab, 'l = PyList_New(2)\nPyList_SetItem(l, 0, PyLong_FromLong(9000))\nreturn l');
  assert.equal(slots.outcome, 'null-slots');
  assert.deepEqual(slots.end.nullSlots, [{ handle: 1, slots: [1] }]);
});

test('dicts take their own references; deleting items drops the container\'s', async () => {
  const trace = await runSteps(lab, [
    'd = PyDict_New()', 'k = PyUnicode_FromString("size")', 'v = PyLong_FromLong(4096)', 'PyDict_SetItem(d, k, v)',
    'Py_REFCNT(k)', 'Py_REFCNT(v)', 'Py_DECREF(k)', 'PyDict_DelItem(d, k)', 'l = PyList_New(0)', 'PyList_Append(l, v)',
    'PySequence_DelItem(l, 0)', 'Py_DECREF(v)', 'Py_DECREF(l)', 'return d',
  ].join('\n'));
  assert.equal(trace.outcome, 'ok');
  const r = rows(trace);
  assert.deepEqual([r[4].result.refcount, r[5].result.refcount], [2, 2]);
  assert.deepEqual(r[7].freed.map((f) => f.handle), [2]);          // the key: the dict held the last reference
  assert.deepEqual(r[11].freed.map((f) => f.handle), [3]);
  assert.equal(trace.steps.at(-1).phase, 'caller');
});

test('after return the caller drops the result: leaks survive the collector, cycles need it', async () => {
  const leak = await runSteps(lab, 'l = PyList_New(0)\nn = PyLong_FromLong(1000)\nPyList_Append(l, n)\nreturn l');
  assert.deepEqual(leak.steps.slice(-2).map((s) => [s.phase, s.c, s.calls.join()]),
    [['caller', 'Py_DECREF(result);', 'heap.decref(l)'], ['collector', 'PyGC_Collect();', 'heap.collect()']]);
  assert.deepEqual([leak.end.collected, leak.end.survivors, leak.end.leaks], [0, [2], [{ handle: 2, count: 1 }]]);
  const cycle = await runSteps(lab, 'l = PyList_New(0)\nPyList_Append(l, l)\nreturn l');
  assert.equal(cycle.outcome, 'cycle');
  assert.deepEqual([cycle.end.collected, cycle.end.cycle, cycle.end.survivors], [1, [1], []]);
  const borrowed = await runSteps(lab, 'l = PyList_New(0)\nPyList_Append(l, l)\nfirst = PyList_GetItem(l, 0)\nPy_DECREF(l)\nreturn first');
  assert.equal(borrowed.outcome, 'borrowed-return');
  assert.equal(borrowed.refused.phase, 'caller');
});

test('a worker lab gives the same trace as a lab on this thread', async () => {
  const source = 'items = PyList_New(2)\nPyList_SetItem(items, 0, PyLong_FromLong(1000))\nfirst = PyList_GetItem(items, 0)\nPy_DECREF(items)\nPy_REFCNT(first)';
  const worker = await createWorkerLab({ latestOnly: false });
  try {
    const there = await runSteps(worker, source);
    assert.equal(there.outcome, 'use-after-free');
    assert.deepEqual(there, await runSteps(lab, source));
  } finally {
    worker.destroy();
  }
});

const EXERCISE = {
  id: '99-pair', kind: 'heap', title: { en: 'A pair', zh: '一对' }, prompt: { en: 'Return [1, "one"].', zh: '返回 [1, "one"]。' },
  hints: [{ en: 'Two items.', zh: '两个元素。' }],
  starter: 'pair = PyList_New(0)\nreturn pair\n',
  returns: '[10 ** 3, "one"]',
};
const SOLUTION = 'pair = PyList_New(2)\nPyList_SetItem(pair, 0, PyLong_FromLong(1000))\nPyList_SetItem(pair, 1, PyUnicode_FromString("one"))\nreturn pair\n';

test('heap exercises: the format, and each way of getting it wrong has its own feedback', async () => {
  assert.deepEqual(validateExercise(EXERCISE), []);
  const { returns: _, ...noReturns } = EXERCISE;
  assert.deepEqual(validateExercise(noReturns), ['99-pair: missing field returns']);
  assert.deepEqual(validateExercise({ ...EXERCISE, returns: 7 }), ['99-pair: returns must be a string']);
  assert.deepEqual(validateExercise({ ...EXERCISE, code: 'x' }), ['99-pair: unexpected field code']);
  const grade = (s, lang) => gradeExercise(EXERCISE, s, { lab, lang });
  const right = await grade(SOLUTION);
  assert.equal(right.passed, true, right.feedback);
  assert.equal(right.feedback, 'Right: no leak, no use after free. The function owns nothing when it returns, and the caller\'s one Py_DECREF frees all 3 objects.');
  assert.deepEqual([right.details.kind, right.details.status, right.details.expected, right.details.actual], ['heap', 'ok', "[1000, 'one']", "[1000, 'one']"]);
  const wrong = {
    syntax: ['pair = PyList_New(2', /^Line 1: expected "," or "\)" after 2\.$/],
    refused: [SOLUTION.replace('return pair', 'Py_DECREF(pair)\nPy_DECREF(pair)\nreturn pair'), /^Line 5 was refused \(use-after-free\)\. pair points to a list that was already freed \(line 4/],
    noReturn: [SOLUTION.replace('return pair\n', ''), /never hands its result to the caller/],
    value: [EXERCISE.starter, /^The function returns \[\], but it should return \[1000, 'one'\]\.$/],
    borrowed: [SOLUTION.replace('return pair', 'keep = PyList_New(0)\nPyList_Append(keep, pair)\nPy_DECREF(pair)\nreturn pair'), /returns a borrowed reference to pair/],
    dangling: [SOLUTION.replace('return pair', 'Py_DECREF(pair)\nreturn pair'), /freed before it returned \(freed at line 4\)/],
    leak: [SOLUTION.replace('return pair', 'Py_INCREF(pair)\nreturn pair'), /^Leak: when the function returns, nothing will ever release 1 reference to pair \(\[1000, 'one'\]\)\./],
    nulls: ['pair = PyList_New(3)\nPyList_SetItem(pair, 0, PyLong_FromLong(1000))\nreturn pair', /pair still has NULL in slots 1, 2/],
    selfInside: ['pair = PyList_New(0)\nPyList_Append(pair, PyLong_FromLong(1000))\nx = PyUnicode_FromString("one")\nPyList_Append(pair, x)\nPy_DECREF(x)\nPyList_Append(pair, pair)\nreturn pair', /but it should return/],
  };
  for (const [name, [submission, feedback]] of Object.entries(wrong)) {
    const r = await grade(submission);
    assert.equal(r.passed, false, name);
    assert.match(r.feedback, feedback, `${name}: ${r.feedback}`);
    assert.ok(!r.details.broken, name);
  }
  const zh = await grade(EXERCISE.starter, 'zh');
  assert.equal(zh.feedback, "函数返回的是 []，但应当返回 [1000, 'one']。");
  const broken = await gradeExercise({ ...EXERCISE, returns: 'undefined_name' }, SOLUTION, { lab });
  assert.equal(broken.details.broken, true);
  assert.match(broken.feedback, /NameError/);
});

test('a cycle the caller cannot free fails even when the value is right', async () => {
  // l holds d and d holds l: the value is right, but only the collector can free it
  const ex = { ...EXERCISE, id: '99-cycle', returns: '(lambda l: (l.append({"back": l}), l)[1])([])' };
  const r = await gradeExercise(ex, [
    'l = PyList_New(0)', 'd = PyDict_New()', 'k = PyUnicode_FromString("back")', 'PyDict_SetItem(d, k, l)',
    'Py_DECREF(k)', 'PyList_Append(l, d)', 'Py_DECREF(d)', 'return l',
  ].join('\n'), { lab });
  assert.equal(r.passed, false);
  assert.equal(r.details.actual, "[{'back': [...]}]");
  assert.equal(r.details.status, 'cycle');
  assert.match(r.feedback, /^After the caller drops the result, 3 objects \(l, d, k\) stay alive in a reference cycle/);
  assert.equal(r.details.trace.end.collected, 2);               // the list and the dict; the str is not tracked
});

test('wasm/grade.mjs grades a heap exercise from the command line', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pymemlab-heap-'));
  writeFileSync(path.join(dir, 'exercises.json'), JSON.stringify([EXERCISE]));
  writeFileSync(path.join(dir, 'right.steps'), SOLUTION);
  writeFileSync(path.join(dir, 'wrong.steps'), EXERCISE.starter);
  const grade = (file) => spawnSync(process.execPath, [path.join(repo, 'wasm', 'grade.mjs'), `${dir}/exercises.json#99-pair`, path.join(dir, file)], { encoding: 'utf8' });
  const ok = grade('right.steps');
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).passed, true);
  const bad = grade('wrong.steps');
  assert.equal(bad.status, 1, bad.stderr);
  assert.equal(JSON.parse(bad.stdout).details.status, 'ok');
});
