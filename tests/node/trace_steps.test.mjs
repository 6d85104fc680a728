// Line stepping against CPython: record a 20-line program and check, at every line that
// prints sys.getrefcount(a), that the snapshot taken just before that line shows the count
// CPython 3.11 printed (minus getrefcount's own +1).  The expected numbers are
// fixtures/trace20.out, recorded by running python3 3.11 on fixtures/trace20.py.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { createLab } from '../../wasm/pymemlab.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const source = readFileSync(path.join(here, 'fixtures', 'trace20.py'), 'utf8');
const expected = readFileSync(path.join(here, 'fixtures', 'trace20.out'), 'utf8').trim().split('\n').map(Number);

test('each step of a 20-line program shows the refcounts sys.getrefcount prints', async () => {
  const lab = await createLab();
  try {
    const rec = lab.record(source, { filename: 'trace20.py' });
    assert.equal(rec.status, 'ok');
    assert.equal(rec.stdout.trim().split('\n').map(Number).join(','), expected.join(','));
    const lines = source.split('\n');
    const printLines = lines.map((l, i) => (l.startsWith('print(sys.getrefcount(a))') ? i + 1 : 0)).filter(Boolean);
    assert.equal(printLines.length, expected.length);
    let checked = 0;
    printLines.forEach((line, k) => {
      const step = rec.steps.find((s) => s.line === line && s.frames.length === 1);
      assert.ok(step, `a step before line ${line}`);
      const frame = step.frames[0];
      const a = frame.vars.find(([name]) => name === 'a');
      assert.ok(a, `variable a at line ${line}`);
      const obj = step.objects[String(a[1])];
      assert.ok(obj, `object of a at line ${line}`);
      assert.equal(obj.refcount + 1, expected[k], `line ${line}: refcount ${obj.refcount} + 1 vs CPython ${expected[k]}`);
      checked++;
    });
    assert.equal(checked, 9);
    // every step is consistent: the objects its variables name are in its snapshot
    for (const s of rec.steps) {
      for (const f of s.frames) for (const [, id] of f.vars) assert.ok(s.objects[String(id)], `step ${s.index}: object ${id}`);
    }
  } finally {
    lab.destroy();
  }
});
