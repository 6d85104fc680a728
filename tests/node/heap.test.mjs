// lab.heap: reference counting by hand ("C extension author" lesson).  Every misuse is a
// HeapError from the core, and the lab keeps working afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLab, HeapError } from '../../wasm/pymemlab.mjs';

function byHandle(lab) {
  return Object.fromEntries(lab.heap.objects().map((o) => [o.handle, o]));
}

test('new, incref, decref and link count references as CPython does', async () => {
  const lab = await createLab();
  const { heap } = lab;
  const list = heap.new('list');
  const item = heap.new('int', 10n ** 20n);
  assert.equal(heap.refcount(list), 1);
  heap.link(list, item);                       // PyList_Append: the list takes a reference
  assert.equal(heap.refcount(item), 2);
  assert.equal(heap.incref(item), 3);
  assert.equal(heap.decref(item), 2);
  assert.equal(heap.decref(item), 1);           // our reference is gone, the list's remains
  let objs = byHandle(lab);
  assert.equal(objs[item].owned, 0);
  assert.equal(objs[item].repr, '100000000000000000000');
  assert.deepEqual(objs[list].refs, [['[0]', item, objs[item].id]]);
  assert.equal(objs[list].repr, '[100000000000000000000]');
  assert.equal(objs[list].size, 88);            // appended once: capacity 4
  assert.equal(heap.decref(list), 0);           // frees the list, and the int with it
  assert.equal(heap.alive(list), false);
  assert.equal(heap.alive(item), false);
  objs = byHandle(lab);
  assert.equal(objs[item].freed, 'refcount');
  lab.destroy();
});

test('misuse is refused with a HeapError and changes nothing', async () => {
  const lab = await createLab();
  const { heap } = lab;
  const list = heap.new('list');
  const item = heap.new('str', 'payload');
  heap.link(list, item);
  heap.decref(item);
  // decref below what we own: the list's reference is not ours to drop
  const notOwned = (() => { try { heap.decref(item); } catch (e) { return e; } })();
  assert.ok(notOwned instanceof HeapError);
  assert.equal(notOwned.code, 'not-owned');
  assert.match(notOwned.message, /owns no reference/);
  assert.equal(heap.refcount(item), 1);
  // use after free
  heap.decref(list);
  for (const op of [() => heap.incref(item), () => heap.decref(list), () => heap.refcount(item),
    () => heap.link(list, item), () => heap.unlink(list, item)]) {
    assert.throws(op, (e) => e instanceof HeapError && e.code === 'use-after-free' && /use after free/.test(e.message));
  }
  // unknown handles, wrong kinds, bad values
  assert.throws(() => heap.incref(9999), { code: 'unknown-handle' });
  assert.throws(() => heap.decref(0), { code: 'unknown-handle' });
  assert.throws(() => heap.new('tuple'), { code: 'wrong-kind' });
  assert.throws(() => heap.new('int', 'twelve'), { code: 'bad-value', message: /ValueError/ });
  const n = heap.new('int', 5000);
  const d = heap.new('dict');
  const l2 = heap.new('list');
  assert.throws(() => heap.link(n, d), { code: 'wrong-kind' });
  assert.throws(() => heap.link(d, n, { key: l2 }), { code: 'bad-value', message: /unhashable type: 'list'/ });
  assert.throws(() => heap.link(d, n), { code: 'unknown-handle' });           // a dict needs a key
  assert.throws(() => heap.unlink(l2, n), { code: 'bad-value' });             // not in the list
  assert.throws(() => heap.unlink(d, n), { code: 'bad-value', message: /KeyError/ });
  // the lab is fine afterwards
  assert.equal(lab.run('print("still fine")\n').stdout, 'still fine\n');
  assert.equal(heap.refcount(n), 1);
  lab.destroy();
});

test('a stealing link hands our reference to the container', async () => {
  const lab = await createLab();
  const { heap } = lab;
  const d = heap.new('dict');
  const key = heap.new('str', 'k');
  const value = heap.new('list');
  heap.link(d, value, { key, steal: true });   // like PyList_SetItem: steals
  assert.equal(heap.refcount(value), 1);
  assert.equal(byHandle(lab)[value].owned, 0);
  assert.throws(() => heap.link(d, value, { key, steal: true }), { code: 'not-owned' });
  assert.throws(() => heap.decref(value), { code: 'not-owned' });
  heap.unlink(d, key);                          // del d['k']: the value dies
  assert.equal(heap.alive(value), false);
  assert.equal(heap.alive(key), true);
  lab.destroy();
});

test('a leaked cycle survives decref and is found by collect()', async () => {
  const lab = await createLab();
  const { heap } = lab;
  const a = heap.new('list');
  const b = heap.new('list');
  heap.link(a, b);
  heap.link(b, a);
  heap.decref(a);
  heap.decref(b);                               // the leak: nobody outside holds them
  assert.equal(heap.alive(a), true);
  assert.deepEqual(lab.heap.objects().map((o) => [o.owned, o.refcount]), [[0, 1], [0, 1]]);
  assert.equal(heap.collect(), 2);
  assert.equal(heap.alive(a), false);
  assert.deepEqual(lab.heap.objects().map((o) => o.freed), ['gc', 'gc']);
  assert.throws(() => heap.incref(b), { code: 'use-after-free', message: /garbage collector/ });
  lab.destroy();
});

test('small ints and one-character strings are shared and never die', async () => {
  const lab = await createLab();
  const { heap } = lab;
  const five = heap.new('int', 5);
  const big = heap.refcount(five);
  assert.ok(big > 100);
  assert.equal(heap.decref(five), big - 1);
  assert.equal(heap.alive(five), true);
  const c = heap.new('str', 'x');
  assert.equal(byHandle(lab)[c].static, true);
  lab.destroy();
});

test('releaseAll drops what we own; destroy with objects still held leaks nothing', async () => {
  const probe = await createLab();
  const lab = await createLab();
  const { heap } = lab;
  const a = heap.new('list');
  const d = heap.new('dict');
  const k = heap.new('str', 'key');
  heap.link(a, d);
  heap.link(d, a, { key: k });
  heap.incref(a);
  assert.equal(heap.releaseAll(), 4);
  assert.equal(heap.alive(k), true);             // d still holds its key
  assert.equal(heap.alive(a), true);             // the cycle a <-> d is left for the collector
  assert.equal(heap.collect(), 2);
  assert.equal(heap.alive(k), false);
  const before = probe.stats();
  for (let i = 0; i < 50; i++) {
    const l = await createLab();
    const x = l.heap.new('list');
    l.heap.link(x, x);
    l.heap.link(x, l.heap.new('int', 123456));
    l.destroy();
  }
  assert.equal(probe.stats().wasmMemoryBytes, before.wasmMemoryBytes);
  lab.destroy();
  probe.destroy();
});

test('heap calls are refused while a program runs', async () => {
  const lab = await createLab();
  let error;
  lab.run('print(1)\n', { onStdout: () => { try { lab.heap.new('list'); } catch (e) { error = e; } } });
  assert.match(String(error), /already running/);
  lab.destroy();
});
