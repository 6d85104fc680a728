// End-to-end: the playground page (web/index.html) in Debian's Chromium via playwright-core,
// running programs through the real core in its Web Worker.
// Needs build/emscripten and build/web (make test builds both) and /usr/bin/chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openBrowser, waitReady, runProgram, setCode, badge, artifacts } from './helpers.mjs';

const CYCLE = `class Node:
    pass
a = Node()
b = Node()
a.n = b
b.n = a
del a, b
import gc
print(gc.collect())
`;

let b, page;
const lab = () => page.locator('pymem-lab');

before(async () => {
  b = await openBrowser();
  page = b.page;
  await page.goto(b.server.url);
  await waitReady(page);
});

after(async () => { await b?.close(); });

async function seekLine(line, kind = 'line') {
  const index = await lab().evaluate((el, [l, k]) => el.recording.steps.findIndex((s) => s.line === l && s.kind === k), [line, kind]);
  assert.ok(index >= 0, `a step before line ${line}`);
  await lab().evaluate((el, i) => el.seek(i), index);
  return index;
}

async function varTarget(name) {
  return page.locator(`pymem-lab pml-heap .var[data-target]`, { hasText: name }).first().getAttribute('data-target');
}

test('the page loads the core in a worker and shows its version', async () => {
  assert.match(await page.locator('#version').textContent(), /\d+\.\d+\.\d+/);
  assert.equal(await lab().evaluate((el) => el.client.kind), 'worker');
  const ms = await page.evaluate(() => performance.getEntriesByName('pymemlab:ready')[0]?.startTime);
  assert.ok(ms > 0 && ms < 5000, `ready after ${ms} ms`);
});

test('the two-node cycle: output 2, refcount badges step by step, the collector frees 2', async () => {
  await runProgram(page, CYCLE);
  assert.equal(await page.locator('pymem-lab pml-output pre').textContent(), '2\n');
  assert.equal(await lab().evaluate((el) => el.recording.status), 'ok');

  await seekLine(5);                                   // a.n = b is about to run
  const a = await varTarget('a');
  const bId = await varTarget('b');
  assert.ok(a && bId && a !== bId);
  assert.equal(await badge(page, a).getAttribute('data-refcount'), '1');
  assert.equal(await badge(page, bId).getAttribute('data-refcount'), '1');
  // the current line is highlighted in the editor
  assert.equal((await page.locator('pymem-lab .cm-pml-current').textContent()).trim(), 'a.n = b');

  await page.locator('pymem-lab pml-stepper button.step').click();   // now before b.n = a
  assert.equal(await badge(page, bId).getAttribute('data-refcount'), '2');
  assert.equal(await badge(page, bId).getAttribute('data-delta'), '1');
  assert.match(await badge(page, bId).textContent(), /\+1/);
  assert.equal(await page.locator(`pymem-lab pml-heap path.edge`).count() > 0, true);

  await page.locator('pymem-lab pml-stepper button.step').click();   // before del a, b
  assert.equal(await badge(page, a).getAttribute('data-refcount'), '2');
  assert.equal(await page.locator(`pymem-lab pml-heap [data-id="${a}"].in-cycle`).count(), 1);
  assert.equal(await page.locator(`pymem-lab pml-heap [data-id="${bId}"].in-cycle`).count(), 1);
  await page.screenshot({ path: path.join(artifacts, 'cycle-before-del.png') });

  await page.locator('pymem-lab pml-stepper button.step').click();   // after del: unreachable
  assert.equal(await badge(page, a).getAttribute('data-refcount'), '1');
  assert.equal(await badge(page, a).getAttribute('data-delta'), '-1');
  assert.match(await badge(page, a).textContent(), /−1/);

  await page.locator('pymem-lab pml-stepper button.back').click();
  assert.equal(await badge(page, a).getAttribute('data-refcount'), '2');

  // the last step: both freed by the collector, and the GC panel's replay says so
  await lab().evaluate((el) => el.seek(Infinity));
  for (const id of [a, bId]) {
    const ghost = page.locator(`pymem-lab pml-heap [data-id="${id}"].freed`);
    assert.equal(await ghost.count(), 1);
    assert.match(await ghost.textContent(), /collected by the gc/);
  }
  await page.locator('pymem-lab [role=tab][data-for=gc]').click();
  const stepOfGc = await lab().evaluate((el) => el.recording.collections().at(-1).index);
  await lab().evaluate((el, i) => el.seek(i), stepOfGc);
  const freed = page.locator('pymem-lab pml-gc .freed-count').last();
  assert.equal(await freed.getAttribute('data-freed'), '2');
  assert.match(await freed.textContent(), /2 objects freed/);
  assert.match(await page.locator('pymem-lab pml-gc').textContent(), /unreachable/);
  await page.screenshot({ path: path.join(artifacts, 'cycle-collected.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(artifacts, 'cycle-collected-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.locator('pymem-lab [role=tab][data-for=output]').click();
});

test('program output is shown as text, never as markup', async () => {
  await runProgram(page, "s = '<img src=x onerror=alert(1)>'\nprint(s)\nprint('<b>bold</b>')\n");
  const out = await page.locator('pymem-lab pml-output pre').textContent();
  assert.ok(out.startsWith('<img src=x onerror=alert(1)>\n<b>bold</b>\n'), out);
  assert.equal(await lab().evaluate((el) => el.shadowRoot.querySelectorAll('img, b').length), 0);
  // the string's card shows its repr as text as well
  assert.match(await page.locator('pymem-lab pml-heap').textContent(), /<img src=x onerror=alert\(1\)>/);
  await page.waitForTimeout(200);
  assert.deepEqual(b.problems.dialogs, []);
});

test('an uncaught exception is shown on the error stream', async () => {
  await runProgram(page, 'x = 1\nprint(x // 0)\n');
  const err = page.locator('pymem-lab pml-output pre .stderr');
  assert.match(await err.textContent(), /ZeroDivisionError: integer division or modulo by zero/);
  assert.match(await page.locator('pymem-lab pml-stepper .status').textContent(), /exception/);
});

test('keyboard: Ctrl+Enter runs, Alt+arrows step, from the editor', async () => {
  await setCode(page, 'x = [1, 2]\ny = x\nz = 3\n');
  await page.locator('pymem-lab .cm-content').click();
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction(() => document.querySelector('pymem-lab').recording?.length > 1);
  const last = await lab().evaluate((el) => el.index);
  assert.equal(last, await lab().evaluate((el) => el.recording.length - 1));
  await page.keyboard.press('Alt+Home');
  assert.equal(await lab().evaluate((el) => el.index), 0);
  await page.keyboard.press('Alt+ArrowRight');
  assert.equal(await lab().evaluate((el) => el.index), 1);
  await page.keyboard.press('Alt+ArrowLeft');
  assert.equal(await lab().evaluate((el) => el.index), 0);
});

test('Step on new code records and starts at the first line; Reset forgets', async () => {
  await setCode(page, 'a = 1\nb = [a]\n');
  await page.locator('pymem-lab pml-stepper button.step').click();
  await page.waitForFunction(() => !document.querySelector('pymem-lab').hasAttribute('running') && document.querySelector('pymem-lab').recording);
  assert.equal(await lab().evaluate((el) => el.index), 0);
  assert.match(await page.locator('pymem-lab pml-stepper .position').textContent(), /step 1 of \d+ · line 1/);
  await page.locator('pymem-lab pml-stepper button.reset').click();
  assert.equal(await lab().evaluate((el) => el.recording), null);
  assert.match(await page.locator('pymem-lab pml-heap').textContent(), /Run or step/);
});

test('the heap table lists the same objects for screen readers', async () => {
  await runProgram(page, 'x = [1, 2]\ny = x\nd = {"k": x}\n');
  await page.locator('pymem-lab .segmented .seg').nth(1).click();
  const table = page.locator('pymem-lab pml-heap-table table.heap-table');
  assert.equal(await table.isVisible(), true);
  const rows = await table.locator('tbody tr').allTextContents();
  assert.ok(rows.some((r) => /list/.test(r) && /\[1, 2\]/.test(r) && /x, y/.test(r)), rows.join('\n'));
  await page.locator('pymem-lab .segmented .seg').nth(0).click();
  assert.equal(await table.isVisible(), false);
});

test('a runaway program: a clear message, Stop works, and the next run is fine', async () => {
  await setCode(page, 'n = 0\nprint(sum(range(10 ** 12)))\n');
  await page.locator('pymem-lab pml-stepper button.run').click();
  await page.locator('pymem-lab[running]').waitFor();
  assert.equal(await page.locator('pymem-lab pml-stepper .spinner').isVisible(), true);
  await page.locator('pymem-lab pml-output .note.warn').waitFor({ timeout: 10_000 });
  assert.match(await page.locator('pymem-lab pml-output').textContent(), /Still running after \d+ s/);
  await page.locator('pymem-lab pml-stepper button.stop').click();
  await page.waitForFunction(() => !document.querySelector('pymem-lab').hasAttribute('running'), null, { timeout: 10_000 });
  assert.match(await page.locator('pymem-lab pml-stepper .status').textContent(), /stopped/);
  await runProgram(page, 'print(1 + 1)\n');
  assert.equal(await page.locator('pymem-lab pml-output pre').textContent(), '2\n');
});

test('a permalink restores the code and the step; the code survives a reload', async () => {
  const code = 'x = [1, 2, 3]\ny = x\nprint(len(y))\n';
  await runProgram(page, code);
  await lab().evaluate((el) => el.seek(1));
  const url = await lab().evaluate((el) => el.permalink());
  assert.match(url, /#code=z[\w-]+&step=1/);
  const other = await b.context.newPage();
  await other.goto(url);
  await waitReady(other);
  await other.waitForFunction(() => document.querySelector('pymem-lab').recording);
  assert.equal(await other.locator('pymem-lab').evaluate((el) => el.code), code);
  assert.equal(await other.locator('pymem-lab').evaluate((el) => el.index), 1);
  await other.close();

  await setCode(page, 'kept = "after reload"\n');
  await page.waitForTimeout(400); // the editor saves after 250 ms
  await page.goto(b.server.url);
  await waitReady(page);
  assert.equal(await lab().evaluate((el) => el.code), 'kept = "after reload"\n');
});

test('language and theme switches', async () => {
  await page.selectOption('#lang', 'zh');
  assert.equal(await page.locator('pymem-lab pml-stepper button.run').textContent(), '▶ 运行');
  assert.equal(await page.locator('pymem-lab [role=tab][data-for=output]').textContent(), '输出');
  await page.screenshot({ path: path.join(artifacts, 'playground-zh.png') });
  await page.selectOption('#lang', 'en');
  assert.equal(await page.locator('pymem-lab pml-stepper button.run').textContent(), '▶ Run');
  const before = await page.locator('html').getAttribute('data-theme');
  await page.click('#theme');
  const afterTheme = await page.locator('html').getAttribute('data-theme');
  assert.notEqual(before, afterTheme);
  assert.equal(await lab().getAttribute('theme'), afterTheme);
  await page.click('#theme');
});

test('lessons are listed from lessons/index.json in both languages', async () => {
  const index = await (await fetch(new URL('lessons/index.json', b.server.url))).json();
  await page.locator('pymem-lab [role=tab][data-for=lessons]').click();
  const items = page.locator('pymem-lab pml-lessons .lesson-list li');
  await items.first().waitFor();
  assert.equal(await items.count(), index.length);
  assert.equal(await items.first().locator('button.lesson-open').textContent(), index[0].title.en);
  await page.selectOption('#lang', 'zh');
  assert.equal(await items.first().locator('button.lesson-open').textContent(), index[0].title.zh);
  await page.selectOption('#lang', 'en');
  await items.first().locator('button').click();
  await page.locator('pymem-lab pml-lessons article.lesson h2, pymem-lab pml-lessons article.lesson p').first().waitFor();
  const tryIt = page.locator('pymem-lab pml-lessons .try-it').first();
  if (await tryIt.count()) {
    await tryIt.click();
    const code = await lab().evaluate((el) => el.code);
    assert.ok(code.length > 0);
  }
  await page.locator('pymem-lab pml-lessons button.link').first().click(); // back to the list
  await page.locator('pymem-lab [role=tab][data-for=output]').click();
});

test('no script errors and no CSP violations on the page', () => {
  assert.deepEqual(b.problems.pageErrors, []);
  assert.deepEqual(b.problems.csp, []);
});
