// The page's pure modules (web/lib/*, web/i18n.js, web/events.js) under node:test: the
// cycle finder, the stable layout, the recording model, permalinks and the string tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cyclesOf } from '../../web/lib/scc.js';
import { layoutRecording, reachOrder } from '../../web/lib/layout.js';
import { Recording, parseRecording } from '../../web/lib/recording.js';
import { encodeCode, decodeCode, readFragment, writeFragment } from '../../web/lib/permalink.js';
import { STRINGS, t, setLanguage } from '../../web/i18n.js';
import { EVENTS } from '../../web/events.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = () => JSON.parse(readFileSync(path.join(repo, 'tests/browser/fixtures/two-node-cycle.recording.json'), 'utf8'));

test('cyclesOf finds two-node cycles, self loops, and nothing in a DAG', () => {
  const g = { a: ['b'], b: ['a', 'c'], c: ['d'], d: [], e: ['e'], f: ['g'], g: ['h'], h: ['f'] };
  const cycles = cyclesOf(Object.keys(g), (v) => g[v]);
  assert.equal(cycles.get('a'), cycles.get('b'));
  assert.ok(!cycles.has('c') && !cycles.has('d'));
  assert.ok(cycles.has('e'));
  assert.equal(cycles.get('f'), cycles.get('h'));
  assert.notEqual(cycles.get('a'), cycles.get('f'));
});

test('cyclesOf walks a 100,000-long chain without overflowing the stack', () => {
  const n = 100_000;
  const cycles = cyclesOf(Array.from({ length: n }, (_, i) => i), (v) => [(v + 1) % n]);
  assert.equal(cycles.size, n);
});

test('reachOrder is breadth-first from the outermost frame', () => {
  const step = fixture().steps[5];
  const { depth, order } = reachOrder(step);
  assert.deepEqual(order.slice(0, 3), ['1000', '2000', '3000']);
  assert.equal(depth.get('1100'), 2);
});

test('the layout never moves an object and never overlaps two live ones', () => {
  const rec = fixture();
  const { pos } = layoutRecording(rec.steps);
  rec.steps.forEach((step) => {
    const seen = new Set();
    for (const id of Object.keys(step.objects)) {
      if (step.objects[id].shared) continue;
      const p = pos.get(id);
      assert.ok(p, `object ${id} has a place`);
      const key = `${p.col}:${p.row}`;
      assert.ok(!seen.has(key), `two objects at ${key} in step ${step.index}`);
      seen.add(key);
    }
  });
  assert.equal(pos.get('2000').col, 1);
  assert.equal(pos.get('1100').col, 2);
});

test('rows are reused once their object is gone', () => {
  const obj = (type) => ({ type, repr: type, refcount: 1, size: 56, gen: 0, tracked: true, shared: null, refs: [] });
  const steps = [
    { frames: [{ name: '<module>', vars: [['x', 1]] }], objects: { 1: obj('list') } },
    { frames: [{ name: '<module>', vars: [] }], objects: {}, freed: [{ id: 1, type: 'list', cause: 'refcount' }] },
    { frames: [{ name: '<module>', vars: [['y', 2]] }], objects: { 2: obj('dict') } },
  ];
  const { pos } = layoutRecording(steps);
  assert.deepEqual(pos.get('1'), pos.get('2'));
});

test('Recording: deltas, freed objects with their last state, cycles, names, output', () => {
  const rec = new Recording(fixture());
  const v5 = rec.view(5);
  assert.equal(v5.deltas.get('2000'), 1);
  assert.equal(v5.cycles.get('2000'), v5.cycles.get('3000'));
  assert.deepEqual(v5.names.get('2000'), ['a']);
  const v8 = rec.view(8);
  assert.deepEqual(v8.freed.map((f) => [f.id, f.cause, f.obj.type]), [['2000', 'gc', 'Node'], ['3000', 'gc', 'Node']]);
  assert.equal(rec.output(0).stdout, '');
  assert.equal(rec.output(8).stdout, '2\n');
  assert.equal(rec.collections().length, 1);
  assert.throws(() => parseRecording({ version: 2, steps: [] }), /version/);
  assert.throws(() => parseRecording('{}'), /no steps/);
});

test('Recording.output slices by UTF-8 bytes', () => {
  const rec = new Recording({
    version: 1, stdout: 'é€\nz\n', stderr: '', steps: [
      { stdoutLength: 0 }, { stdoutLength: 6 }, { stdoutLength: 8 },
    ],
  });
  assert.equal(rec.output(1).stdout, 'é€\n');
  assert.equal(rec.output(1).more, true);
  assert.equal(rec.output(2).stdout, 'é€\nz\n');
});

test('permalinks round-trip code (compressed) and step', async () => {
  const code = 'x = [1, 2, 3]\nprint("héllo ✓")\n' + '# padding\n'.repeat(50);
  const enc = await encodeCode(code);
  assert.match(enc, /^z[A-Za-z0-9_-]+$/);
  assert.ok(enc.length < code.length);
  assert.equal(await decodeCode(enc), code);
  assert.equal(await decodeCode('b' + Buffer.from('print(1)').toString('base64url')), 'print(1)');
  const hash = await writeFragment({ code, step: 4, lesson: '01-names' });
  const back = await readFragment(hash);
  assert.equal(back.code, code);
  assert.equal(back.step, 4);
  assert.equal(back.lesson, '01-names');
  const bad = await readFragment('#code=zzzz&step=-3');
  assert.equal(bad.code, undefined);
  assert.equal(bad.step, undefined);
});

test('every English string has a Chinese one, with the same placeholders', () => {
  for (const [key, en] of Object.entries(STRINGS.en)) {
    const zh = STRINGS.zh[key];
    assert.ok(zh, `zh is missing ${key}`);
    const names = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    assert.deepEqual(names(zh), names(en), `placeholders of ${key}`);
  }
  assert.deepEqual(Object.keys(STRINGS.zh).sort(), Object.keys(STRINGS.en).sort());
  setLanguage('zh', { persist: false });
  assert.equal(t('ctl.run'), '运行');
  setLanguage('en', { persist: false });
  assert.equal(t('ctl.position', { index: 2, total: 9 }), 'step 2 of 9');
});

test('the page uses only catalogued events and never parses markup', () => {
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(m?js)$/.test(e.name) && e.name !== 'serve.mjs' && e.name !== 'build.mjs') files.push(p);
    }
  };
  walk(path.join(repo, 'web'));
  const known = new Set(Object.values(EVENTS));
  for (const file of files) {
    const src = readFileSync(file, 'utf8');
    assert.doesNotMatch(src, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write\(|createContextualFragment/, file);
    for (const m of src.matchAll(/['"]((?:pml-|pymemlab:)[a-z-]+)['"]/g)) {
      if (/^pml-(editor|stepper|heap|heap-table|output|events|gc|memory|lessons|exercise$|tabs|arrow|gutter|current|tabs-)/.test(m[1])) continue;
      if (m[1].startsWith('pymemlab:') && !m[1].startsWith('pymemlab:exercise')) continue;
      assert.ok(known.has(m[1]), `${path.relative(repo, file)} uses ${m[1]}, which is not in web/events.js`);
    }
  }
});
