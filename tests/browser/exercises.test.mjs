// Lesson exercises in the playground's lessons panel: answered and graded in the page
// through wasm/grading.mjs in a worker, with progress kept in localStorage.
// Expected outputs are what the core prints for the exercise's code in Node at test time,
// and the page's verdicts are compared with wasm/grading.mjs run in Node: the two graders
// must agree.  Needs build/emscripten (or wasm/dist), build/web and /usr/bin/chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openBrowser, waitReady, artifacts, repo } from './helpers.mjs';
import { createLab } from '../../wasm/pymemlab.mjs';
import { gradeExercise, DEFAULT_LIMITS } from '../../wasm/grading.mjs';

const L1 = '01-names-and-refcounts';
const L4 = '04-cycles-and-the-collector';
const exercisesOf = (lesson) => JSON.parse(readFileSync(path.join(repo, 'lessons', lesson, 'exercises.json'), 'utf8'));
const find = (lesson, id) => exercisesOf(lesson).find((e) => e.id === id);
const PREDICT = find(L1, '01-count-the-holders');
const CHOICE = find(L1, '01-alias-of-a-container');
const FIX = find(L4, '04-tree-without-garbage');
const SOLUTION = readFileSync(path.join(repo, 'lessons', L4, 'solutions', `${FIX.id}.py`), 'utf8');
const index = JSON.parse(readFileSync(path.join(repo, 'lessons', 'index.json'), 'utf8'));

let b, page, nodeLab;
const lab = () => page.locator('pymem-lab');
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

function stdoutOf(code) {
  nodeLab.reset();
  const r = nodeLab.run(code, { filename: 'exercise.py' });
  assert.equal(r.status, 'ok', r.stderr);
  return r.stdout;
}

async function openLessonList() {
  await page.locator('pymem-lab [role=tab][data-for=lessons]').click();
  const back = page.locator('pymem-lab pml-lessons > button.link');
  if (await back.count()) await back.click();
  await page.locator('pymem-lab pml-lessons .lesson-list').waitFor();
}

async function openLesson(id) {
  await openLessonList();
  const n = index.findIndex((l) => l.id === id);
  await page.locator('pymem-lab pml-lessons .lesson-open').nth(n).click();
  await page.locator('pymem-lab pml-exercise').first().waitFor();
}

/** Press Check (or run `trigger`) and wait for the verdict; returns its text. */
async function check(id, trigger) {
  const ex = exercise(id);
  const before = await ex.evaluate((el) => el.checks);
  if (trigger) await trigger(); else await ex.locator('button.check').click();
  await page.waitForFunction(([sel, n]) => {
    const el = document.querySelector('pymem-lab').shadowRoot.querySelector(sel);
    return el && !el.hasAttribute('checking') && el.checks > n;
  }, [`pml-exercise[data-exercise="${id}"]`, before], { timeout: 60_000 }).catch(async (err) => {
    throw new Error(`no verdict for ${id}: ${await ex.locator('.verdict').textContent()} (${err.message})`);
  });
  return (await ex.locator('.verdict').textContent()).trim();
}

async function progressOf(lessonId) {
  await openLessonList();
  const n = index.findIndex((l) => l.id === lessonId);
  const span = page.locator('pymem-lab pml-lessons .lesson-list li').nth(n).locator('.lesson-progress');
  await span.waitFor();
  return (await span.textContent()).trim();
}

test('the lesson list shows how many exercises of each lesson are solved', async () => {
  await openLessonList();
  const spans = page.locator('pymem-lab pml-lessons .lesson-progress:not([hidden])');
  await page.waitForFunction((n) => document.querySelector('pymem-lab').shadowRoot
    .querySelectorAll('pml-lessons .lesson-progress:not([hidden])').length === n, index.length);
  const texts = await spans.allTextContents();
  assert.deepEqual(texts, index.map((l) => `0/${exercisesOf(l.path).length} solved`));
});

test('a lesson shows its exercises after its text: title, prompt, code, hints, answer area', async () => {
  await openLesson(L1);
  const list = exercisesOf(L1);
  assert.equal(await page.locator('pymem-lab pml-exercise').count(), list.length);
  // after the lesson's text
  assert.equal(await page.locator('pymem-lab pml-lessons').evaluate((el) => {
    const article = el.querySelector('article.lesson');
    const section = el.querySelector('section.exercises');
    return Boolean(article.compareDocumentPosition(section) & Node.DOCUMENT_POSITION_FOLLOWING);
  }), true);
  const p = exercise(PREDICT.id);
  assert.match(await p.locator('.exercise-title').textContent(), new RegExp(`Predict the output.*${PREDICT.title.en}`));
  assert.equal(await p.locator('.exercise-prompt').textContent(), PREDICT.prompt.en);
  assert.equal(await p.locator('pre.code').textContent(), PREDICT.code);
  // the answer box has a label; hints come one at a time
  assert.equal(await p.getByLabel('What does the program print?').count(), 1);
  assert.equal(await p.locator('.hint').count(), 0);
  const hintButton = p.locator('button.hint-button');
  assert.equal(await hintButton.textContent(), `Show a hint (1 of ${PREDICT.hints.length})`);
  await hintButton.click();
  assert.deepEqual(await p.locator('.hint').allTextContents(), [`Hint 1${PREDICT.hints[0].en}`]);
  assert.equal(await hintButton.textContent(), `Show a hint (2 of ${PREDICT.hints.length})`);
  await hintButton.click();
  assert.equal(await p.locator('.hint').count(), 2);
  assert.equal(await hintButton.isVisible(), false);
  // choice: a radio button per choice inside a fieldset named by the question
  const c = exercise(CHOICE.id);
  assert.equal(await c.locator('fieldset legend').textContent(), CHOICE.question.en);
  assert.equal(await c.getByRole('radio').count(), CHOICE.choices.length);
  // the verdict area is a live region
  assert.equal(await p.locator('.verdict').getAttribute('aria-live'), 'polite');
});

test('predict: a wrong answer is marked wrong with a line diff, the right one passes', async () => {
  const expected = stdoutOf(PREDICT.code);
  const lines = expected.trimEnd().split('\n');
  assert.equal(lines.length, 3);
  const wrong = [lines[0], String(Number(lines[1]) + 1), lines[2]].join('\n');
  const p = exercise(PREDICT.id);
  await p.locator('textarea').fill(wrong);
  const verdict = await check(PREDICT.id);
  const inNode = await gradeExercise(PREDICT, wrong, { lab: nodeLab });
  assert.equal(inNode.passed, false);
  assert.equal(verdict, `✗ Incorrect${inNode.feedback}`);
  assert.match(verdict, /Line 2 is not what the program prints \(2 of 3 lines are right\)/);
  assert.equal(await p.getAttribute('verdict'), 'incorrect');
  assert.equal(await p.locator('.exercise-status').textContent(), 'Attempted');
  // the diff is behind a disclosure, since it shows the answer
  const details = p.locator('details.diff-details');
  assert.equal(await details.getAttribute('open'), null);
  await details.locator('summary').click();
  const rows = details.locator('tbody tr');
  assert.equal(await rows.count(), 3);
  assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.className)), ['diff-same', 'diff-changed', 'diff-same']);
  assert.deepEqual(await rows.nth(1).locator('td').allTextContents(), [lines[1], String(Number(lines[1]) + 1)]);
  assert.match(await rows.nth(1).locator('th').textContent(), /2\s*differs/);
  // a missing line shows as missing
  await p.locator('textarea').fill(lines.slice(0, 2).join('\n'));
  assert.match(await check(PREDICT.id), /your answer stops after 2/);
  await p.locator('details.diff-details summary').click();
  assert.equal(await p.locator('tbody tr').last().getAttribute('class'), 'diff-missing');

  // the right answer, checked from the keyboard; trailing spaces are forgiven
  await p.locator('textarea').fill(expected.replace(/\n/g, '  \n'));
  await p.locator('textarea').focus();
  const right = await check(PREDICT.id, () => page.keyboard.press('Control+Enter'));
  assert.equal(right, '✓ CorrectRight: that is exactly what the program prints.');
  assert.equal(await p.getAttribute('verdict'), 'correct');
  assert.equal(await p.locator('.exercise-status').textContent(), '✓ Solved');
  assert.equal(await p.locator('details.diff-details').count(), 0);
  // the main editor did not run: Ctrl+Enter in the answer belongs to the exercise
  assert.equal(await lab().evaluate((el) => el.recording), null);
  const passed = await page.evaluate(() => window.passed);
  assert.deepEqual(passed.map((d) => [d.type, d.lesson, d.exercise, d.kind]),
    [['pymemlab:exercise-passed', L1, PREDICT.id, 'predict']]);
});

test('choice: nothing chosen, a wrong choice, then the right one with its explanation', async () => {
  const c = exercise(CHOICE.id);
  await c.locator('button.check').click();
  assert.equal(await c.locator('.verdict').textContent(), 'Choose one of the answers first.');
  assert.equal(await c.evaluate((el) => el.checks), 0);
  const right = CHOICE.choices.indexOf(stdoutOf(CHOICE.code).trim());
  assert.ok(right >= 0);
  const wrong = (right + 1) % CHOICE.choices.length;
  await c.getByRole('radio').nth(wrong).check();
  const verdict = await check(CHOICE.id);
  assert.match(verdict, /^✗ Incorrect/);
  assert.equal(verdict, `✗ Incorrect${(await gradeExercise(CHOICE, wrong, { lab: nodeLab })).feedback}`);
  assert.doesNotMatch(verdict, new RegExp(CHOICE.explanation.en.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.equal(await c.locator('details.explanation p').textContent(), CHOICE.explanation.en);
  // choose with the keyboard: arrow keys move within the radio group
  await c.getByRole('radio').nth(wrong).focus();
  for (let i = wrong; i !== right; i = (i + 1) % CHOICE.choices.length) await page.keyboard.press('ArrowDown');
  assert.equal(await c.getByRole('radio').nth(right).isChecked(), true);
  const ok = await check(CHOICE.id, () => page.keyboard.press('Control+Enter'));
  assert.equal(ok, `✓ CorrectRight. ${CHOICE.explanation.en}`);
  assert.equal(await c.locator('.exercise-status').textContent(), '✓ Solved');
});

test('fix: the starter code fails, the reference solution passes, both as in Node', async () => {
  await openLesson(L4);
  const f = exercise(FIX.id);
  assert.equal(await f.locator('pml-editor').evaluate((ed) => ed.value), FIX.starter);
  const mainCode = await lab().evaluate((el) => el.code);
  const starter = await check(FIX.id);
  const starterInNode = await gradeExercise(FIX, FIX.starter, { lab: nodeLab });
  assert.equal(starterInNode.passed, false);
  assert.equal(starter, `✗ Incorrect${starterInNode.feedback}`);
  const found = f.locator('details.found');
  assert.equal(await found.getAttribute('open'), '');
  assert.match(await found.textContent(), /What the check found/);
  assert.match(await found.textContent(), /AssertionError/);

  // the learner's edit: the reference solution, checked with Ctrl+Enter inside the editor
  await f.locator('pml-editor').evaluate((ed, code) => { ed.value = code; }, SOLUTION);
  await f.locator('.cm-content').click();
  const solved = await check(FIX.id, () => page.keyboard.press('Control+Enter'));
  const solvedInNode = await gradeExercise(FIX, SOLUTION, { lab: nodeLab });
  assert.equal(solvedInNode.passed, true);
  assert.match(solvedInNode.feedback, /^PASS/);
  assert.equal(solved, `✓ Correct${solvedInNode.feedback}`);
  assert.equal(await f.locator('.exercise-status').textContent(), '✓ Solved');
  // the small editor drives neither the lab's editor nor its recording
  await page.waitForTimeout(400);
  assert.equal(await lab().evaluate((el) => el.code), mainCode);
  assert.equal(await lab().evaluate((el) => el.recording), null);
  // "Open in the editor" hands the code to the lab's editor, to step through
  await f.locator('button.open-code').click();
  assert.equal(await lab().evaluate((el) => el.code), SOLUTION);
  await lab().evaluate((el, code) => { el.code = code; }, mainCode);
  await page.screenshot({ path: path.join(artifacts, 'exercise-fix.png') });
});

test('a hanging answer can be stopped, a flood of output hits the limit, the page stays responsive', async () => {
  const f = exercise(FIX.id);
  const editor = f.locator('pml-editor');
  await editor.evaluate((ed) => { ed.value = 'print(sum(range(10 ** 12)))\n'; });
  await f.locator('button.check').click();
  await f.locator('button.stop-check').waitFor({ state: 'visible' });
  // the page answers while the check runs in the worker
  const t0 = Date.now();
  assert.equal(await page.evaluate(() => 1 + 1), 2);
  assert.ok(Date.now() - t0 < 1000);
  await f.locator('button.stop-check').click();
  await page.waitForFunction(() => !document.querySelector('pymem-lab').shadowRoot.querySelector('pml-exercise[checking]'));
  assert.equal(await f.locator('.verdict').textContent(), '⚠ Not checkedThe check was stopped.');

  // without Stop, the time limit ends it (15 s in the page; 2 s here)
  const attempts = () => f.evaluate((el) => JSON.parse(localStorage.getItem('pymemlab:progress')).exercises[el.exercise.id].attempts);
  const before = await attempts();
  await f.evaluate((el) => { el.grader.timeoutMs = 2000; });
  assert.equal(await check(FIX.id), '⚠ Not checkedThe check was stopped after 2 s: the program may never end.');
  assert.equal(await attempts(), before + 1);
  await f.evaluate((el) => { el.grader.timeoutMs = 15_000; });

  await editor.evaluate((ed) => { ed.value = "while True:\n    print('x' * 1000)\n"; });
  const flood = await check(FIX.id);
  assert.match(flood, /stopped by a limit/);

  await editor.evaluate((ed, code) => { ed.value = code; }, SOLUTION);
  assert.match(await check(FIX.id), /^✓ Correct/);
});

test('progress and answers survive a reload; the list counts solved exercises', async () => {
  assert.equal(await progressOf(L1), `2/${exercisesOf(L1).length} solved`);
  assert.equal(await progressOf(L4), `1/${exercisesOf(L4).length} solved`);
  await page.reload();
  await waitReady(page);
  assert.equal(await progressOf(L1), `2/${exercisesOf(L1).length} solved`);
  assert.equal(await progressOf(L4), `1/${exercisesOf(L4).length} solved`);
  await openLesson(L1);
  const p = exercise(PREDICT.id);
  assert.equal(await p.locator('.exercise-status').textContent(), '✓ Solved');
  assert.equal(await p.locator('.hint').count(), 2);
  assert.equal((await p.locator('textarea').inputValue()).replace(/[ \r]/g, ''), stdoutOf(PREDICT.code));
  assert.equal(await exercise(CHOICE.id).locator('.exercise-status').textContent(), '✓ Solved');
  const right = CHOICE.choices.indexOf(stdoutOf(CHOICE.code).trim());
  assert.equal(await exercise(CHOICE.id).getByRole('radio').nth(right).isChecked(), true);
  const fix = exercisesOf(L1).find((e) => e.kind === 'fix');
  assert.equal(await exercise(fix.id).locator('.exercise-status').isVisible(), false);
  assert.equal(await page.locator('pymem-lab pml-lessons .exercises-progress').textContent(), `2/${exercisesOf(L1).length} solved`);
});

test('progress can be reset per lesson (after confirming) and for all lessons', async () => {
  const reset = page.locator('pymem-lab pml-lessons .exercises-head button.reset');
  await reset.click();
  await page.locator('pymem-lab pml-lessons .exercises-head button.cancel-reset').click();  // changed my mind
  assert.equal(await exercise(PREDICT.id).locator('.exercise-status').textContent(), '✓ Solved');
  await reset.click();
  assert.match(await page.locator('pymem-lab pml-lessons .exercises-head .confirm').textContent(), /Forget your answers and progress in this lesson\?/);
  await page.locator('pymem-lab pml-lessons .exercises-head button.confirm-reset').click();
  assert.equal(await page.locator('pymem-lab pml-lessons .exercises-head .reset-note').textContent(), 'Progress reset.');
  assert.equal(await exercise(PREDICT.id).locator('textarea').inputValue(), '');
  assert.equal(await exercise(PREDICT.id).locator('.hint').count(), 0);
  assert.equal(await exercise(PREDICT.id).locator('.verdict').textContent(), '');
  assert.equal(await exercise(CHOICE.id).locator('.exercise-status').isVisible(), false);
  assert.equal(await progressOf(L1), `0/${exercisesOf(L1).length} solved`);
  assert.equal(await progressOf(L4), `1/${exercisesOf(L4).length} solved`);   // other lessons keep theirs

  await page.locator('pymem-lab pml-lessons .lessons-foot button.reset').click();
  await page.keyboard.press('Escape');                                            // Escape cancels too
  assert.equal(await progressOf(L4), `1/${exercisesOf(L4).length} solved`);
  await page.locator('pymem-lab pml-lessons .lessons-foot button.reset').click();
  await page.locator('pymem-lab pml-lessons .lessons-foot button.confirm-reset').click();
  assert.equal(await progressOf(L4), `0/${exercisesOf(L4).length} solved`);
  await page.reload();
  await waitReady(page);
  assert.equal(await progressOf(L4), `0/${exercisesOf(L4).length} solved`);
});

test('the Chinese UI: exercise texts, buttons, verdicts and feedback in Chinese', async () => {
  await openLesson(L1);
  const p = exercise(PREDICT.id);
  await p.locator('textarea').fill('0\n');
  assert.match(await check(PREDICT.id), /^✗ IncorrectLine 1 is not/);
  await page.selectOption('#lang', 'zh');
  // the feedback shown is graded again in the new language
  await page.waitForFunction(() => document.querySelector('pymem-lab').shadowRoot
    .querySelector('pml-exercise .verdict')?.textContent.includes('第 1 行'));
  assert.match(await p.locator('.verdict').textContent(), /^✗ 不正确第 1 行与程序的输出不同/);
  assert.match(await p.locator('.exercise-title').textContent(), new RegExp(`练习 1 · 预测输出${PREDICT.title.zh}`));
  assert.equal(await p.locator('.exercise-prompt').textContent(), PREDICT.prompt.zh);
  assert.equal(await p.locator('button.check').textContent(), '✓ 检查');
  assert.equal(await p.getByLabel('程序会打印什么？').count(), 1);
  assert.equal(await p.locator('button.hint-button').textContent(), `显示提示（第 1 条，共 ${PREDICT.hints.length} 条）`);
  await p.locator('button.hint-button').click();
  assert.deepEqual(await p.locator('.hint').allTextContents(), [`提示 1${PREDICT.hints[0].zh}`]);
  assert.equal(await p.locator('details.diff-details summary').textContent(), '与预期输出对比（会显示答案）');
  const c = exercise(CHOICE.id);
  assert.equal(await c.locator('fieldset legend').textContent(), CHOICE.question.zh);
  assert.match(await c.locator('.exercise-title').textContent(), /选择题/);
  const right = CHOICE.choices.indexOf(stdoutOf(CHOICE.code).trim());
  await c.getByRole('radio').nth(right).check();
  assert.equal(await check(CHOICE.id), `✓ 正确正确。${CHOICE.explanation.zh}`);
  assert.equal(await c.locator('.exercise-status').textContent(), '✓ 已完成');
  const fix = exercisesOf(L1).find((e) => e.kind === 'fix');
  assert.match(await exercise(fix.id).locator('.exercise-title').textContent(), /修复代码/);
  assert.equal(await exercise(fix.id).locator('button.restore').textContent(), '恢复初始代码');
  assert.equal(await page.locator('pymem-lab pml-lessons .exercises-head h3').textContent(), '练习');
  assert.equal(await page.locator('pymem-lab pml-lessons .exercises-progress').textContent(), `已完成 1/${exercisesOf(L1).length}`);
  await page.screenshot({ path: path.join(artifacts, 'exercises-zh.png') });
  await openLessonList();
  assert.equal(await page.locator('pymem-lab pml-lessons .lesson-progress').first().textContent(), `已完成 1/${exercisesOf(L1).length}`);
  assert.equal(await page.locator('pymem-lab pml-lessons .lessons-foot button.reset').textContent(), '重置全部进度…');
  await page.selectOption('#lang', 'en');
});

test('dark theme: the exercises use the theme colours', async () => {
  await openLesson(L1);
  const colours = () => exercise(PREDICT.id).evaluate((el) => [
    getComputedStyle(el.querySelector('section.exercise')).backgroundColor,
    getComputedStyle(el.querySelector('textarea')).backgroundColor,
    getComputedStyle(el.querySelector('textarea')).color,
  ]);
  assert.equal(await page.locator('html').getAttribute('data-theme'), 'light');
  // lab.css: --panel, --code-bg and --text of each theme
  assert.deepEqual(await colours(), ['rgb(255, 255, 255)', 'rgb(251, 252, 253)', 'rgb(27, 33, 48)']);
  await page.click('#theme');
  assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
  assert.deepEqual(await colours(), ['rgb(24, 28, 35)', 'rgb(20, 23, 29)', 'rgb(227, 231, 238)']);
  await page.screenshot({ path: path.join(artifacts, 'exercises-dark.png') });
  await page.click('#theme');
});

test('no script errors and no CSP violations while grading', () => {
  assert.deepEqual(b.problems.pageErrors, []);
  assert.deepEqual(b.problems.csp, []);
  assert.deepEqual(b.problems.dialogs, []);
});
