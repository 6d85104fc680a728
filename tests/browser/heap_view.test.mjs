// The heap picture and the panels, drawn from recordings given to <pymem-lab>.loadRecording:
// the hand-written fixture of tests/browser/fixtures/ and recordings built here (weak
// references, 250 objects, tracemalloc, the pool map).  Independent of the core's recorder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openBrowser, waitReady, badge, artifacts, repo } from './helpers.mjs';

const fixture = JSON.parse(readFileSync(path.join(repo, 'tests/browser/fixtures/two-node-cycle.recording.json'), 'utf8'));
let b, page;
const lab = () => page.locator('pymem-lab');
const load = (rec, index) => lab().evaluate((el, [r, i]) => { el.loadRecording(r, { index: i }); }, [rec, index]);

function obj(type, repr, refs = [], extra = {}) {
  return { type, repr, refcount: 1, size: 56, gen: 0, tracked: true, shared: null, refs, weak: false, ...extra };
}
function step(index, objects, vars, extra = {}) {
  return {
    index, line: index + 1, kind: 'line', stdoutLength: 0, stderrLength: 0,
    frames: [{ name: '<module>', line: index + 1, vars }], objects, freed: [],
    gc: { count: [0, 0, 0], threshold: [700, 10, 10], enabled: true, collections: [] },
    tracemalloc: null, events: [], ...extra,
  };
}
function recording(steps, extra = {}) {
  return { version: 1, filename: 'main.py', status: 'ok', truncated: false, stdout: '', stderr: '', steps, ...extra };
}

before(async () => {
  b = await openBrowser();
  page = b.page;
  await page.goto(b.server.url);
  await waitReady(page);
});

after(async () => { await b?.close(); });

test('cards, labelled arrows, badges and cycles of the fixture', async () => {
  await load(fixture, 5);
  const heap = page.locator('pymem-lab pml-heap');
  // internals hidden (the default): no mro tuple, no __class__ arrows
  assert.equal(await heap.locator('.card').count(), 3);
  assert.deepEqual((await heap.locator('text.edge-label').allTextContents()).sort(), ['.n', '.n']);
  assert.match(await heap.locator('.heap-note').textContent(), /1 internal objects are hidden/);
  await page.locator('pymem-lab .toggle input').check();
  assert.equal(await heap.locator('.card').count(), 4);
  assert.equal(await heap.locator('path.var-edge').count(), 3);
  const labels = await heap.locator('text.edge-label').allTextContents();
  assert.ok(labels.includes('.n') && labels.includes('__class__') && labels.includes('__mro__'), labels.join(','));
  assert.equal(await badge(page, 2000).getAttribute('data-delta'), '1');
  assert.equal(await badge(page, 3000).getAttribute('data-delta'), '');
  for (const id of [2000, 3000]) assert.equal(await heap.locator(`[data-id="${id}"].in-cycle`).count(), 1);
  assert.ok(await heap.locator('path.edge.cycle').count() >= 2);
  assert.match(await heap.locator('[data-id="2000"]').getAttribute('aria-label'), /Node object 2000.*refcount 2.*\(a\).*cycle/);
  await page.locator('pymem-lab .toggle input').uncheck();
  assert.equal(await heap.locator('.card').count(), 3);
});

test('layout is stable from step to step', async () => {
  await load(fixture, 2);
  const pos = () => page.locator('pymem-lab pml-heap [data-id="1000"]').evaluate((el) => [el.style.left, el.style.top]);
  const early = await pos();
  await lab().evaluate((el) => el.seek(8));
  assert.deepEqual(await pos(), early);
});

test('freed objects fade out with their cause; shared objects sit on the shelf', async () => {
  await load(fixture, 8);
  const heap = page.locator('pymem-lab pml-heap');
  const ghosts = heap.locator('.card.freed');
  assert.equal(await ghosts.count(), 2);
  assert.match(await ghosts.first().textContent(), /collected by the gc/);
  assert.equal(await heap.locator('.chip[data-shared="small-int"]').count(), 1);
  assert.match(await heap.locator('.shelf').textContent(), /Shared objects/);
  await page.locator('pymem-lab [role=tab][data-for=gc]').click();
  assert.equal(await page.locator('pymem-lab pml-gc .freed-count').getAttribute('data-freed'), '2');
  const rows = await page.locator('pymem-lab pml-gc table.gc-refs tbody tr').allTextContents();
  assert.equal(rows.length, 5);
  assert.ok(rows.some((r) => /Node #2000/.test(r) && /unreachable/.test(r)));
  await page.locator('pymem-lab pml-gc .collections button').first().click();
  assert.equal(await lab().evaluate((el) => el.index), 8);
  await page.screenshot({ path: path.join(artifacts, 'fixture-gc.png') });
});

test('events at a step, filterable by kind', async () => {
  await load(fixture, 8);
  await page.locator('pymem-lab [role=tab][data-for=events]').click();
  const rows = page.locator('pymem-lab pml-events .event-list li');
  assert.equal(await rows.count(), 6);
  await page.locator('pymem-lab pml-events label.kind-decref input').uncheck();
  assert.equal(await rows.count(), 4);
  await page.locator('pymem-lab pml-events label.kind-decref input').check();
  await page.locator('pymem-lab [role=tab][data-for=output]').click();
});

test('weak references are dashed', async () => {
  const rec = recording([step(0, {
    10: obj('Thing', '<__main__.Thing object at 0xa>'),
    20: obj('weakref.ReferenceType', "<weakref at 0x14; to 'Thing'>", [['weak', 10]], { weak: true, tracked: false, gen: null }),
  }, [['t', 10], ['r', 20]])]);
  await load(rec, 0);
  assert.equal(await page.locator('pymem-lab pml-heap path.edge.weak').count(), 1);
  assert.equal(await page.locator('pymem-lab pml-heap path.edge.cycle').count(), 0);
  assert.deepEqual(await page.locator('pymem-lab pml-heap text.edge-label.weak').allTextContents(), ['weak reference']);
});

test('beyond 200 objects, the rest are grouped by type and can be expanded', async () => {
  const objects = {};
  const items = [];
  for (let i = 0; i < 250; i++) {
    objects[1000 + i] = obj(i % 2 ? 'list' : 'dict', i % 2 ? '[]' : '{}');
    items.push([`[${i}]`, 1000 + i]);
  }
  objects[1] = obj('list', '[...]', items, { size: 2056 });
  const started = Date.now();
  await load(recording([step(0, objects, [['big', 1]])]), 0);
  const ms = Date.now() - started;
  const heap = page.locator('pymem-lab pml-heap');
  assert.equal(await heap.locator('.card').count(), 200);
  assert.equal(await heap.locator('.heap-note').isVisible(), true);
  const groups = heap.locator('.group-chip');
  assert.equal(await groups.count(), 2);
  assert.match(await groups.first().textContent(), /\+\d+ more (list|dict)/);
  await groups.first().click();
  assert.ok(await heap.locator('.card').count() > 200);
  assert.ok(ms < 3000, `drawing 251 objects took ${ms} ms`);
  await page.screenshot({ path: path.join(artifacts, 'heap-250.png') });
});

test('keyboard: arrow keys move between cards, Enter selects and highlights arrows', async () => {
  await load(fixture, 5);
  const canvas = page.locator('pymem-lab pml-heap .heap-canvas');
  await canvas.focus();
  await page.keyboard.press('ArrowDown');
  const first = await lab().evaluate((el) => el.shadowRoot.activeElement?.dataset.id);
  assert.ok(first);
  await page.keyboard.press('ArrowDown');
  const second = await lab().evaluate((el) => el.shadowRoot.activeElement?.dataset.id);
  assert.ok(second && second !== first);
  await page.keyboard.press('Enter');
  const selected = page.locator(`pymem-lab pml-heap [data-id="${second}"]`);
  assert.equal(await selected.getAttribute('aria-pressed'), 'true');
  assert.ok(await page.locator('pymem-lab pml-heap path.edge.hl').count() >= 1);
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('pymem-lab pml-heap path.edge.hl').count(), 0);
});

test('memory: tracemalloc across steps and the pool map by size class', async () => {
  const pools = { arenas: [{ index: 0, pools: [[0, 100, 1021, 2], [1, 510, 510, 3], [3, 0, 255, 1],
    ...Array.from({ length: 61 }, () => [-1, 0, 0, 0])] }], large: { blocks: 0, bytes: 0 } };
  const steps = [0, 1, 2].map((i) => step(i, { 5: obj('list', '[]') }, [['x', 5]],
    { tracemalloc: { current: 1000 * (i + 1), peak: 1500 * (i + 1) }, pools }));
  await load(recording(steps), 1);
  await page.locator('pymem-lab [role=tab][data-for=memory]').click();
  const mem = page.locator('pymem-lab pml-memory');
  assert.match(await mem.locator('.tm-numbers').textContent(), /current 2\.0 KiB.*peak 2\.9 KiB/);
  assert.equal(await mem.locator('.pool').count(), 64);
  assert.equal(await mem.locator('.pool.full').count(), 1);
  assert.match(await mem.locator('.pool.used').getAttribute('title'), /size class 0 \(16 B blocks\), 100 of 1021/);
  await page.screenshot({ path: path.join(artifacts, 'memory-panel.png') });
  await page.locator('pymem-lab [role=tab][data-for=output]').click();
});

test('the table view has the freed objects too', async () => {
  await load(fixture, 8);
  await page.locator('pymem-lab .segmented .seg').nth(1).click();
  const freed = page.locator('pymem-lab pml-heap-table table.freed-table tbody tr');
  assert.equal(await freed.count(), 2);
  assert.match(await freed.first().textContent(), /collected by the gc/);
  await page.locator('pymem-lab .segmented .seg').nth(0).click();
});

test('no script errors', () => {
  assert.deepEqual(b.problems.pageErrors, []);
  assert.deepEqual(b.problems.csp, []);
});
