// Lesson 9 in the playground's lessons panel: C API calls (```steps blocks) run on the
// grading worker's heap and shown as a table of reference counts, and the `heap` exercises
// checked in the page.  Everything the page shows is compared with wasm/heapsteps.mjs and
// wasm/grading.mjs run in Node at test time; nothing is typed in.  Needs build/emscripten
// (or wasm/dist), build/web and /usr/bin/chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openBrowser, waitReady, artifacts, repo } from './helpers.mjs';
import { createLab } from '../../wasm/pymemlab.mjs';
import { gradeExercise, DEFAULT_LIMITS } from '../../wasm/grading.mjs';
import { runSteps, FUNCTIONS } from '../../wasm/heapsteps.mjs';

const L9 = '09-c-extension-view';
const dir = path.join(repo, 'lessons', L9);
const index = JSON.parse(readFileSync(path.join(repo, 'lessons', 'index.json'), 'utf8'));
const exercises = JSON.parse(readFileSync(path.join(dir, 'exercises.json'), 'utf8'));
const LEAK = exercises.find((e) => e.id === '09-plug-the-leak');
const SOLUTION = readFileSync(path.join(dir, 'solutions', `${LEAK.id}.steps`), 'utf8');
const blocks = [...readFileSync(path.join(dir, 'lesson.en.md'), 'utf8').matchAll(/^```steps[ \t]*(\S*)\n([\s\S]*?)^```$/gm)]
  .map((m) => ({ outcome: m[1], code: m[2] }));

let b, page, nodeLab;
const panel = () => page.locator('pymem-lab pml-lessons');
const exercise = (id) => page.locator(`pymem-lab pml-exercise[data-exercise="${id}"]`);

before(async () => {
  nodeLab = await createLab({ limits: DEFAULT_LIMITS });
  b = await openBrowser({ viewport: { width: 1440, height: 1000 } });
  page = b.page;
  await page.goto(b.server.url);
  await waitReady(page);
  await page.evaluate(() => {
    window.passed = [];
    document.addEventListener('pymemlab:exercise-passed', (e) => window.passed.push(e.detail));
  });
});

after(async () => { nodeLab?.destroy(); await b?.close(); });

async function openLesson9() {
  await page.locator('pymem-lab [role=tab][data-for=lessons]').click();
  const back = page.locator('pymem-lab pml-lessons > button.link');
  if (await back.count()) await back.click();
  const items = panel().locator('.lesson-list li');
  await items.first().waitFor();
  assert.equal(await items.count(), index.length);
  assert.equal(await items.last().locator('.lesson-open').textContent(), index.at(-1).title.en);
  await items.last().locator('.lesson-open').click();
  await page.locator('pymem-lab pml-exercise').first().waitFor();
}

async function check(id, trigger) {
  const ex = exercise(id);
  const n = await ex.evaluate((el) => el.checks);
  if (trigger) await trigger(); else await ex.locator('button.check').click();
  await page.waitForFunction(([sel, k]) => {
    const el = document.querySelector('pymem-lab').shadowRoot.querySelector(sel);
    return el && !el.hasAttribute('checking') && el.checks > k;
  }, [`pml-exercise[data-exercise="${id}"]`, n], { timeout: 60_000 });
  return (await ex.locator('.verdict').textContent()).trim();
}

test('lesson 9 is listed after lesson 8, with its call table rendered as a table', async () => {
  assert.equal(index.at(-1).id, L9);
  assert.equal(index.at(-2).id, '08-pymalloc');
  // lesson 8's pipe table is a table too
  await page.locator('pymem-lab [role=tab][data-for=lessons]').click();
  await panel().locator('.lesson-open').nth(index.length - 2).click();
  await panel().locator('article.lesson table.md-table').waitFor();
  assert.equal(await panel().locator('article.lesson table.md-table thead th').count(), 3);
  await openLesson9();
  assert.equal(await panel().locator('article.lesson h2').first().textContent(), index.at(-1).title.en);
  const table = panel().locator('article.lesson table.md-table');
  assert.equal(await table.count(), 1);
  assert.deepEqual(await table.locator('thead th').allTextContents(), ['C API call', 'the reference', 'lab.heap']);
  assert.match(await table.locator('tbody tr').nth(6).textContent(), /PyList_SetItem\(list, i, x\)the list steals yours/);
  assert.equal(await panel().locator('.run-steps').count(), blocks.length);
  assert.equal(await exercise(LEAK.id).locator('.exercise-title').evaluate((el) => el.textContent),
    `Exercise 3 · Reference counting by hand${LEAK.title.en}`);
});

test('"Run these steps" shows every line\'s reference counts, as heapsteps.mjs computes them', async () => {
  const n = blocks.findIndex((bl) => bl.outcome === 'leak');
  const expected = await runSteps(nodeLab, blocks[n].code);
  const runner = panel().locator('.steps-runner').nth(n);
  await runner.locator('button.run-steps').click();
  await runner.locator('table.steps-table').waitFor({ timeout: 30_000 });
  // one column per object, one row per step (then the caller and the collector)
  assert.deepEqual(await runner.locator('thead th.step-obj .obj-name').allTextContents(), expected.objects.map((o) => o.label));
  const rows = runner.locator('tbody tr');
  assert.equal(await rows.count(), expected.steps.length);
  for (const [i, step] of expected.steps.entries()) {
    const row = rows.nth(i);
    assert.equal(await row.locator('code.c').textContent(), step.c);
    assert.deepEqual(await row.locator('code.js').allTextContents(), step.calls.length ? [step.calls.join('; ')] : []);
    const cells = await row.locator('td.step-cell').allTextContents();
    expected.objects.forEach((o, k) => {
      const s = step.state[o.handle];
      if (!s) assert.equal(cells[k], '');
      else if (!s.alive) assert.match(cells[k], /^freed/);
      else assert.match(cells[k], new RegExp(`^${s.refcount}\\b`), `${step.c} ${o.label}`);
    });
  }
  assert.deepEqual(expected.steps.slice(-2).map((s) => s.phase), ['caller', 'collector']);
  assert.match(await rows.nth(expected.steps.length - 2).locator('th').textContent(), /caller/);
  const leaked = expected.objects.find((o) => o.handle === expected.end.leaks[0].handle);
  assert.match(await rows.last().locator('td.step-cell').nth(expected.objects.indexOf(leaked)).textContent(), /leaked 1/);
  assert.equal(await runner.locator('.steps-outcome').textContent(), `Leaked references, which nothing will ever release: ${leaked.label} ×1.`);
  assert.equal(await runner.locator('[role=status]').textContent(), await runner.locator('.steps-outcome').textContent());

  // a refused call: the row says so and the summary explains it, in the core's terms
  const u = blocks.findIndex((bl) => bl.outcome === 'use-after-free');
  const uaf = await runSteps(nodeLab, blocks[u].code);
  const r2 = panel().locator('.steps-runner').nth(u);
  await r2.locator('button.run-steps').click();
  await r2.locator('table.steps-table').waitFor({ timeout: 30_000 });
  assert.equal(await r2.locator('tbody tr.refused').count(), 1);
  assert.match(await r2.locator('tbody tr.refused .step-result').textContent(), /refused \(use-after-free\)/);
  assert.equal(await r2.locator('.steps-outcome').textContent(), `Stopped at line ${uaf.refused.line}. ${uaf.refused.text.en}`);
  await r2.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(artifacts, 'heap-lesson-steps.png') });
});

test('a heap exercise: the starter leaks and fails, the reference solution passes, both as in Node', async () => {
  const ex = exercise(LEAK.id);
  assert.equal(await ex.locator('textarea.steps-answer').inputValue(), LEAK.starter);
  assert.equal(await ex.getByLabel('Your C function, one C API call per line (editable)').count(), 1);
  // the calls it may use, from heapsteps.mjs
  await ex.locator('details.steps-calls summary').click();
  await page.waitForFunction(() => document.querySelector('pymem-lab').shadowRoot
    .querySelectorAll('pml-exercise .steps-calls-list li code').length > 1);
  assert.equal(await ex.locator('.steps-calls-list li').count(), Object.keys(FUNCTIONS).length + 1);
  assert.match(await ex.locator('.steps-calls-list li').filter({ hasText: 'PyList_SetItem' }).textContent(), /stealing your reference/);

  const wrong = await check(LEAK.id);
  const wrongInNode = await gradeExercise(LEAK, LEAK.starter, { lab: nodeLab });
  assert.equal(wrongInNode.passed, false);
  assert.equal(wrongInNode.details.status, 'leak');
  assert.equal(wrong, `✗ Incorrect${wrongInNode.feedback}`);
  assert.equal(await ex.getAttribute('verdict'), 'incorrect');
  assert.equal(await ex.locator('.exercise-status').textContent(), 'Attempted');
  const trace = ex.locator('details.trace-details');
  assert.equal(await trace.getAttribute('open'), '');
  assert.equal(await trace.locator('tbody tr').count(), wrongInNode.details.trace.steps.length);
  assert.match(await trace.locator('.steps-outcome').textContent(), /^Leaked references/);

  // the learner's edit, checked from the keyboard
  await ex.locator('textarea.steps-answer').fill(SOLUTION);
  await ex.locator('textarea.steps-answer').focus();
  const right = await check(LEAK.id, () => page.keyboard.press('Control+Enter'));
  const rightInNode = await gradeExercise(LEAK, SOLUTION, { lab: nodeLab });
  assert.equal(rightInNode.passed, true);
  assert.equal(right, `✓ Correct${rightInNode.feedback}`);
  assert.equal(await ex.locator('.exercise-status').textContent(), '✓ Solved');
  assert.equal(await ex.locator('details.trace-details').getAttribute('open'), null);
  assert.deepEqual((await page.evaluate(() => window.passed)).map((d) => [d.lesson, d.exercise, d.kind]), [[L9, LEAK.id, 'heap']]);
  assert.equal(await panel().locator('.exercises-progress').textContent(), `1/${exercises.length} solved`);
  // the draft is kept; Restore brings the starter back
  await page.reload();
  await waitReady(page);
  await openLesson9();
  assert.equal(await exercise(LEAK.id).locator('textarea.steps-answer').inputValue(), SOLUTION);
  await exercise(LEAK.id).locator('button.restore').click();
  assert.equal(await exercise(LEAK.id).locator('textarea.steps-answer').inputValue(), LEAK.starter);
  assert.equal(await exercise(LEAK.id).locator('.exercise-status').textContent(), '✓ Solved');
});

test('program text stays text: markup in a string is shown, never parsed', async () => {
  const ex = exercise(LEAK.id);
  const evil = 'result = PyUnicode_FromString("<img src=x onerror=alert(1)><b>bold</b>")\nreturn result\n';
  await ex.locator('textarea.steps-answer').fill(evil);
  const verdict = await check(LEAK.id);
  const inNode = await gradeExercise(LEAK, evil, { lab: nodeLab });
  assert.equal(verdict, `✗ Incorrect${inNode.feedback}`);
  assert.match(verdict, /<img src=x onerror=alert\(1\)><b>bold<\/b>/);
  assert.equal(await page.evaluate(() => document.querySelector('pymem-lab').shadowRoot.querySelectorAll('pml-lessons img, pml-lessons b').length), 0);
  assert.match(await ex.locator('details.trace-details code.c').first().textContent(), /"<img src=x/);
  await ex.locator('button.restore').click();
});

async function runBlock(outcome) {
  const runner = panel().locator('.steps-runner').nth(blocks.findIndex((bl) => bl.outcome === outcome));
  await runner.locator('button.run-steps').click();
  await runner.locator('table.steps-table').waitFor({ timeout: 30_000 });
  return runner;
}

test('the Chinese UI, and the dark theme', async () => {
  const ex = exercise(LEAK.id);
  await check(LEAK.id);
  await runBlock('leak');
  await runBlock('use-after-free');
  await page.selectOption('#lang', 'zh');
  const zh = (await gradeExercise(LEAK, LEAK.starter, { lab: nodeLab, lang: 'zh' })).feedback;
  await page.waitForFunction((text) => document.querySelector('pymem-lab').shadowRoot
    .querySelector('pml-exercise[data-exercise="09-plug-the-leak"] .verdict')?.textContent.includes(text), zh);
  assert.equal((await ex.locator('.verdict').textContent()).trim(), `✗ 不正确${zh}`);
  assert.match(await ex.locator('.exercise-title').textContent(), /手动引用计数/);
  assert.equal(await ex.locator('details.trace-details summary').textContent(), '本实验逐步做了什么');
  assert.equal(await panel().locator('.run-steps').first().textContent(), '▶ 运行这些步骤');
  assert.equal(await panel().locator('article.lesson h2').first().textContent(), index.at(-1).title.zh);
  // a steps table drawn before the switch is drawn again in Chinese
  assert.match(await panel().locator('.steps-runner .steps-outcome').first().textContent(), /泄漏的引用/);
  await page.click('#theme');
  assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
  // lab.css: --code-bg and --down-soft of the dark theme
  assert.equal(await panel().locator('.steps-scroll').first().evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(20, 23, 29)');
  const refused = panel().locator('tr.refused td').first();
  assert.notEqual(await refused.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgba(0, 0, 0, 0)');
  await page.screenshot({ path: path.join(artifacts, 'heap-lesson-dark-zh.png') });
  await page.click('#theme');
  await page.selectOption('#lang', 'en');
});

test('no script errors and no CSP violations', () => {
  assert.deepEqual(b.problems.pageErrors, []);
  assert.deepEqual(b.problems.csp, []);
  assert.deepEqual(b.problems.dialogs, []);
});
