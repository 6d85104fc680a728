// Embedding: <pymem-lab> on a course site's page from one script tag, and the iframe page
// embed.html#... posting 'pymemlab:exercise-passed' to its parent.  The host pages are
// served on the same origin by intercepting two made-up URLs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openBrowser, artifacts } from './helpers.mjs';

let b, page;

const ELEMENT_HOST = `<!doctype html>
<html><head><meta charset="utf-8"><title>A course</title>
<script type="module" src="/build/web/pymem-lab.js"></script>
<style>body { font-family: sans-serif; margin: 24px; } </style></head>
<body>
<h1>Lesson page</h1>
<p>Some text of the course around the lab.</p>
<pymem-lab id="lab" code="x = [1, 2, 3]&#10;y = x&#10;print(len(y))" panels="heap,output"
           height="460" read-only autorun theme="light"></pymem-lab>
<p id="after">Text after the lab.</p>
</body></html>`;

before(async () => {
  b = await openBrowser({ viewport: { width: 1200, height: 900 } });
  page = b.page;
  await b.context.route(`${b.server.url}course/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/course/element.html') {
      await route.fulfill({ body: ELEMENT_HOST, contentType: 'text/html; charset=utf-8' });
    } else if (url.pathname === '/course/iframe.html') {
      const frag = url.searchParams.get('frag') ?? '';
      await route.fulfill({
        contentType: 'text/html; charset=utf-8',
        body: `<!doctype html><html><head><meta charset="utf-8"><title>iframe host</title></head><body>
<iframe id="frame" title="PyMemLab" src="/embed.html${frag}" width="1000" height="560" style="border:1px solid #ccc"></iframe>
</body></html>`,
      });
    } else {
      await route.fulfill({ status: 404, body: 'no' });
    }
  });
});

after(async () => { await b?.close(); });

test('one script tag: <pymem-lab> with code, panels, height, read-only and autorun', async () => {
  await page.goto(`${b.server.url}course/element.html`);
  const lab = page.locator('#lab');
  await page.waitForFunction(() => document.querySelector('#lab')?.recording?.length > 0, null, { timeout: 30_000 });
  assert.equal(await lab.evaluate((el) => el.getBoundingClientRect().height), 460);
  assert.equal(await page.locator('#lab pml-output pre').textContent(), '3\n');
  // only the panels asked for
  assert.deepEqual(await page.locator('#lab [role=tab]').evaluateAll((tabs) => tabs.map((t) => t.dataset.for)), ['output']);
  assert.equal(await page.locator('#lab .heap-pane').isVisible(), true);
  // read-only: typing changes nothing
  await page.locator('#lab .cm-content').click();
  await page.keyboard.type('zzz');
  assert.equal(await lab.evaluate((el) => el.code), 'x = [1, 2, 3]\ny = x\nprint(len(y))');
  assert.equal(await page.locator('#lab .cm-content').getAttribute('contenteditable'), 'false');
  // the host page's own styles do not leak in, nor the lab's out
  assert.notEqual(await page.locator('h1').evaluate((el) => getComputedStyle(el).fontFamily), '');
  // the lab reports passed exercises to its host as a DOM event
  const detail = await lab.evaluate((el) => new Promise((resolve) => {
    document.addEventListener('pymemlab:exercise-passed', (e) => resolve(e.detail), { once: true });
    el.reportExercisePassed({ exercise: 'demo-1' });
  }));
  assert.equal(detail.type, 'pymemlab:exercise-passed');
  assert.equal(detail.exercise, 'demo-1');
  await page.screenshot({ path: path.join(artifacts, 'embed-element.png'), fullPage: true });
});

test('the iframe page takes its state from the fragment and posts to its parent', async () => {
  const code = 'a = [1]\nb = [a, a]\nprint(len(b))\n';
  const frag = await page.evaluate(async (c) => {
    const bytes = new TextEncoder().encode(c);
    const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
    const buf = new Uint8Array(await new Response(stream).arrayBuffer());
    let bin = '';
    for (const x of buf) bin += String.fromCharCode(x);
    const z = 'z' + btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    return `#code=${z}&panels=heap,output,gc&step=1&theme=dark&lang=zh`;
  }, code);
  await page.goto(`${b.server.url}course/iframe.html?frag=${encodeURIComponent(frag)}`);
  const frame = page.frameLocator('#frame');
  const lab = frame.locator('pymem-lab');
  await lab.locator('pml-stepper .position').filter({ hasText: '第 2 步' }).waitFor({ timeout: 30_000 });
  assert.equal(await lab.evaluate((el) => el.code), code);
  assert.equal(await lab.evaluate((el) => el.index), 1);
  assert.deepEqual(await lab.locator('[role=tab]').evaluateAll((tabs) => tabs.map((t) => t.dataset.for)), ['output', 'gc']);
  assert.equal(await lab.locator('pml-stepper button.run').textContent(), '▶ 运行');
  const message = await page.evaluate(() => new Promise((resolve) => {
    window.addEventListener('message', (e) => resolve(e.data), { once: true });
    document.querySelector('#frame').contentDocument.querySelector('pymem-lab')
      .reportExercisePassed({ lesson: '04-cycles', exercise: 'break-the-cycle', attempts: 2 });
  }));
  assert.deepEqual(message, { type: 'pymemlab:exercise-passed', lesson: '04-cycles', exercise: 'break-the-cycle', attempts: 2 });
  await page.screenshot({ path: path.join(artifacts, 'embed-iframe.png') });
});

test('no script errors in either host', () => {
  assert.deepEqual(b.problems.pageErrors, []);
  assert.deepEqual(b.problems.dialogs, []);
});
