// <pml-exercise> -- one lesson exercise (wasm/EXERCISES.md), answered and graded in the page.
//
//   predict  the program (read-only) and a text area for what it prints
//   choice   the program (read-only), the question and one radio button per choice
//   fix      the starter code in an editor of its own (pml-editor), to edit until the
//            check passes; "Open in the editor" copies it to the lab's editor to step through
//   heap     the starter C function (C steps, wasm/heapsteps.mjs) in a text area, with the
//            list of C API calls it may use; the verdict shows the grader's trace as a table
//            of reference counts after every line (lib/steps-view.js)
// Hints are revealed one at a time.  Check (or Ctrl+Enter in the answer) grades through
// `grader` (lib/grader.js: wasm/grading.mjs in a worker) and shows the verdict in a live
// region, the grader's feedback, and per kind a line diff of expected and given output
// (predict, behind a disclosure since it shows the answer), the explanation (choice), what
// the check printed and raised (fix) or what the lab did, step by step (heap).  Drafts, hints shown and solved/attempted are kept in
// localStorage (lib/progress.js).  Every text is set with textContent.
//
// properties: exercise (one object of exercises.json), grader ({ grade(ex, submission,
//             lang), stop(), canStop }), number (its 1-based place in the lesson);
//             read: submission, checks (how many checks finished), last (what is shown)
// attributes: lesson (the lesson id, passed on in events)
// events out: pml-exercise-result { lesson, exercise, kind, passed, attempts },
//             pml-load-code { code }
import { emit, EVENTS } from '../events.js';
import { h } from '../lib/dom.js';
import { diffLines } from '../lib/diff.js';
import { renderTrace } from '../lib/steps-view.js';
import { exerciseProgress, recordCheck, saveAnswer, saveHints, onProgressChange } from '../lib/progress.js';
import { t, getLanguage, onLanguageChange } from '../i18n.js';
import './pml-editor.js';

const MAX_DIFF_ROWS = 200;
const DIFF_MARK = { same: '=', changed: '≠', missing: '−', extra: '+' };
let counter = 0;

export class PmlExercise extends HTMLElement {
  constructor() {
    super();
    this.uid = `pml-ex-${++counter}`;
    this._exercise = null;
    this.grader = null;
    this.number = 1;
    this.checking = false;
    this.checks = 0;  // checks finished since the element was made
    this.last = null; // { submission, result?, error?, lang } of the last check shown
    // The fix editor's events are the exercise's: they must not drive the lab's editor.
    for (const name of [EVENTS.CODE_CHANGE, EVENTS.RUN, EVENTS.STEP, EVENTS.SEEK]) {
      this.addEventListener(name, (e) => this.onEditorEvent(e));
    }
  }

  set exercise(ex) { this._exercise = ex; this.built = false; if (this.isConnected) this.build(); }
  get exercise() { return this._exercise; }

  /** The current answer as the grader takes it: predicted text, choice index, edited code. */
  get submission() {
    const ex = this._exercise;
    if (!ex || !this.built) return null;
    if (ex.kind === 'predict') return this.answerBox.value;
    if (ex.kind === 'fix') return this.editor.value;
    if (ex.kind === 'heap') return this.stepsBox.value;
    const picked = this.radios.findIndex((r) => r.checked);
    return picked < 0 ? null : picked;
  }

  connectedCallback() {
    this.unlisten ??= [
      onLanguageChange(() => this.onLanguage()),
      onProgressChange((change) => this.onProgress(change)),
    ];
    if (!this.built && this._exercise) this.build();
  }

  disconnectedCallback() {
    for (const stop of this.unlisten ?? []) stop();
    this.unlisten = null;
    if (this.saveTimer) this.saveDraft();
  }

  // ---- building ------------------------------------------------------------------------

  build() {
    const ex = this._exercise;
    const id = this.uid;
    this.built = true;
    const saved = exerciseProgress(ex.id);
    this.titleEl = h('h4', { id: `${id}-title`, class: 'exercise-title' });
    this.statusEl = h('span', { class: 'exercise-status' });
    this.promptEl = h('p', { class: 'exercise-prompt', id: `${id}-prompt` });
    this.hintList = h('ol', { class: 'hint-list', 'aria-live': 'polite' });
    this.hintButton = h('button', { type: 'button', class: 'hint-button', onclick: () => this.showHint() });
    this.hintsShown = Math.min(saved.hints, ex.hints.length);
    this.checkButton = h('button', { type: 'button', class: 'primary check', onclick: () => this.check() });
    this.stopButton = h('button', { type: 'button', class: 'stop-check', hidden: true, onclick: () => this.grader?.stop() });
    this.busy = h('span', { class: 'spinner', hidden: true, 'aria-hidden': 'true' });
    this.verdict = h('div', { class: 'verdict', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
    this.more = h('div', { class: 'verdict-more' });
    this.openButton = h('button', { type: 'button', class: 'open-code', onclick: () => this.openInEditor() });

    const body = [h('div', { class: 'exercise-head' }, this.titleEl, this.statusEl), this.promptEl];
    if (ex.kind === 'fix') body.push(this.buildFix(saved));
    else if (ex.kind === 'heap') body.push(this.buildSteps(saved));
    else body.push(this.buildCode());
    body.push(h('div', { class: 'hints' }, this.hintList, this.hintButton));
    if (ex.kind === 'predict') body.push(this.buildPredict(saved));
    if (ex.kind === 'choice') body.push(this.buildChoice(saved));
    body.push(h('div', { class: 'exercise-actions' }, this.checkButton, this.stopButton, this.busy),
      this.verdict, this.more);

    this.section = h('section', {
      class: `exercise kind-${ex.kind}`, 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-prompt`,
    }, body);
    this.section.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey) || e.defaultPrevented) return;
      e.preventDefault();
      this.check();
    });
    this.replaceChildren(this.section);
    this.renderText();
  }

  buildCode() {
    this.codeLabel = h('span', { class: 'code-label', id: `${this.uid}-code` });
    return h('div', { class: 'exercise-code' }, this.codeLabel,
      h('pre', { class: 'code', tabindex: '0', 'aria-labelledby': `${this.uid}-code` }, h('code', {}, this._exercise.code)),
      h('div', { class: 'code-tools' }, this.openButton));
  }

  buildFix(saved) {
    const ex = this._exercise;
    this.editor = h('pml-editor', {});
    this.editor.value = typeof saved.answer === 'string' ? saved.answer : ex.starter;
    this.restoreButton = h('button', { type: 'button', class: 'restore', onclick: () => this.restore() });
    this.codeLabel = h('span', { class: 'code-label' });
    return h('div', { class: 'exercise-code' }, this.codeLabel,
      h('div', { class: 'exercise-editor' }, this.editor),
      h('div', { class: 'code-tools' }, this.restoreButton, this.openButton));
  }

  buildSteps(saved) {
    const ex = this._exercise;
    const id = `${this.uid}-steps`;
    this.stepsBox = h('textarea', {
      id, class: 'predict-answer steps-answer', rows: String(Math.min(16, Math.max(5, ex.starter.split('\n').length))),
      spellcheck: 'false', autocomplete: 'off', autocapitalize: 'off', wrap: 'off',
    });
    this.stepsBox.value = typeof saved.answer === 'string' ? saved.answer : ex.starter;
    this.stepsBox.addEventListener('input', () => {
      clearTimeout(this.saveTimer);
      this.saveTimer = setTimeout(() => this.saveDraft(), 300);
    });
    this.restoreButton = h('button', { type: 'button', class: 'restore', onclick: () => this.restore() });
    this.codeLabel = h('label', { for: id, class: 'code-label' });
    this.callsSummary = h('summary', {});
    this.callsBody = h('ul', { class: 'steps-calls-list' });
    this.calls = h('details', { class: 'steps-calls' }, this.callsSummary, this.callsBody);
    this.calls.addEventListener('toggle', () => this.renderCalls());
    return h('div', { class: 'exercise-code' }, this.codeLabel, this.stepsBox,
      h('div', { class: 'code-tools' }, this.restoreButton), this.calls);
  }

  // The C API calls a heap exercise may use (heapsteps.mjs FUNCTIONS, loaded with the grader).
  renderCalls() {
    if (!this.calls?.open) return;
    const functions = this.grader?.steps?.FUNCTIONS;
    if (!functions) {
      this.callsBody.replaceChildren(h('li', { class: 'muted' }, this.grader ? t('app.loading') : t('exercises.noGrader')));
      this.grader?.start?.().then(() => { if (this.grader?.steps) this.renderCalls(); }, () => {});
      return;
    }
    const item = (example, key) => h('li', {}, h('code', {}, example), ` — ${t(key)}`);
    this.callsBody.replaceChildren(
      ...Object.entries(functions).map(([name, f]) => item(f.example, `steps.fn.${name}`)),
      item('return result', 'steps.fn.return'));
  }

  onEditorEvent(e) {
    if (!this.editor || e.target !== this.editor) return;
    e.stopPropagation();
    const ex = this._exercise;
    if (e.type === EVENTS.CODE_CHANGE) saveAnswer(ex.id, e.detail.code === ex.starter ? null : e.detail.code);
    if (e.type === EVENTS.RUN) this.check();
  }

  buildPredict(saved) {
    this.answerBox = h('textarea', {
      id: `${this.uid}-answer`, class: 'predict-answer', rows: String(Math.min(8, Math.max(3, this.expectedLines()))),
      spellcheck: 'false', autocomplete: 'off', autocapitalize: 'off',
    });
    this.answerBox.value = typeof saved.answer === 'string' ? saved.answer : '';
    this.answerBox.addEventListener('input', () => {
      clearTimeout(this.saveTimer);
      this.saveTimer = setTimeout(() => this.saveDraft(), 300);
    });
    this.answerLabel = h('label', { for: `${this.uid}-answer`, class: 'answer-label' });
    return h('div', { class: 'answer' }, this.answerLabel, this.answerBox);
  }

  saveDraft() {
    clearTimeout(this.saveTimer);
    this.saveTimer = 0;
    const value = (this.answerBox ?? this.stepsBox).value;
    saveAnswer(this._exercise.id, !value || value === this._exercise.starter ? null : value);
  }

  // A size for the text area: the number of print calls is a fair guess.
  expectedLines() {
    return (this._exercise.code.match(/\bprint\(/g) ?? []).length;
  }

  buildChoice(saved) {
    const ex = this._exercise;
    this.legend = h('legend', {});
    this.radios = ex.choices.map((_, i) => h('input', {
      type: 'radio', name: `${this.uid}-choice`, id: `${this.uid}-choice-${i}`, value: String(i),
      onchange: () => saveAnswer(ex.id, i),
    }));
    if (Number.isInteger(saved.answer) && this.radios[saved.answer]) this.radios[saved.answer].checked = true;
    return h('fieldset', { class: 'answer choices' }, this.legend,
      ex.choices.map((c, i) => h('label', { class: 'choice', for: `${this.uid}-choice-${i}` },
        this.radios[i], h('span', { class: 'choice-text' }, c))));
  }

  // ---- text (again on every change of language) ------------------------------------------

  renderText() {
    const ex = this._exercise;
    const lang = getLanguage();
    const pick = (v) => v?.[lang] ?? v?.en ?? '';
    this.section.lang = lang === 'zh' ? 'zh-Hans' : 'en';
    this.titleEl.replaceChildren(
      h('span', { class: 'exercise-kind' }, `${t('exercises.number', { n: this.number })} · ${t(`exercises.kind.${ex.kind}`)}`),
      h('span', { class: 'exercise-name' }, pick(ex.title)));
    this.promptEl.textContent = pick(ex.prompt);
    this.codeLabel.textContent = ex.kind === 'fix' ? t('exercises.fixLabel')
      : ex.kind === 'heap' ? t('exercises.stepsLabel') : t('exercises.code');
    if (this.calls) {
      this.callsSummary.textContent = t('exercises.calls');
      this.renderCalls();
    }
    if (this.editor) this.editor.setAttribute('label', `${pick(ex.title)}: ${t('exercises.fixLabel')}`);
    if (this.restoreButton) this.restoreButton.textContent = t('exercises.restore');
    this.openButton.textContent = t('exercises.openInEditor');
    this.openButton.title = t('exercises.openTitle');
    if (this.answerLabel) {
      this.answerLabel.textContent = t('exercises.predictLabel');
      this.answerBox.placeholder = t('exercises.predictPlaceholder');
    }
    if (this.legend) this.legend.textContent = pick(ex.question);
    this.checkButton.title = t('exercises.checkTitle');
    this.stopButton.textContent = t('exercises.stop');
    this.stopButton.title = t('exercises.stopTitle');
    this.renderHints();
    this.renderStatus();
    this.renderBusy();
  }

  renderHints() {
    const ex = this._exercise;
    const lang = getLanguage();
    const n = this.hintsShown;
    this.hintList.setAttribute('aria-label', t('exercises.hints'));
    this.hintList.hidden = n === 0;
    this.hintList.replaceChildren(...ex.hints.slice(0, n).map((hint, i) =>
      h('li', { class: 'hint' }, h('span', { class: 'hint-label' }, t('exercises.hint', { n: i + 1 })), hint[lang] ?? hint.en)));
    const left = n < ex.hints.length;
    this.hintButton.hidden = !left;
    this.hintButton.textContent = t('exercises.showHint', { n: n + 1, total: ex.hints.length });
  }

  renderStatus() {
    const { status } = exerciseProgress(this._exercise.id);
    this.statusEl.className = `exercise-status ${status ?? ''}`;
    this.statusEl.textContent = status === 'solved' ? `✓ ${t('exercises.status.solved')}`
      : status === 'attempted' ? t('exercises.status.attempted') : '';
    this.statusEl.hidden = !status;
    this.setAttribute('status', status ?? 'new');
    // predict/choice: stepping through the program shows the answer, so offer it once tried
    if (this._exercise.kind === 'predict' || this._exercise.kind === 'choice') this.openButton.hidden = !status && !this.last;
  }

  renderBusy() {
    this.checkButton.disabled = this.checking || !this.grader;
    this.checkButton.textContent = this.checking ? t('exercises.checking') : `✓ ${t('exercises.check')}`;
    this.stopButton.hidden = !this.checking || !this.grader?.canStop;
    this.busy.hidden = !this.checking;
    this.section.setAttribute('aria-busy', String(this.checking));
    this.toggleAttribute('checking', this.checking);
    if (!this.grader && !this.last) this.verdict.replaceChildren(h('p', { class: 'muted' }, t('exercises.noGrader')));
  }

  // A message in place of a verdict (nothing was checked).
  renderNotice() {
    this.verdict.replaceChildren(h('p', { class: 'verdict-head bad' }, t(this.notice)));
    this.more.replaceChildren();
    this.removeAttribute('verdict');
  }

  onLanguage() {
    if (!this.built) return;
    this.renderText();
    if (this.notice) this.renderNotice();
    if (this.last && !this.checking) {
      if (this.last.result) this.regrade();
      else this.showResult(this.last);
    }
  }

  onProgress(change) {
    if (!this.built) return;
    const id = this._exercise.id;
    if (change?.reset === 'all' || change?.reset?.includes?.(id)) this.clear();
    else this.renderStatus();
  }

  // ---- actions ----------------------------------------------------------------------------

  showHint() {
    const total = this._exercise.hints.length;
    if (this.hintsShown >= total) return;
    this.hintsShown++;
    saveHints(this._exercise.id, this.hintsShown);
    this.renderHints();
    if (this.hintsShown >= total) this.hintList.lastElementChild?.setAttribute('tabindex', '-1');
    // the button is gone with the last hint: keep the focus nearby
    if (this.hintButton.hidden) this.hintList.lastElementChild?.focus();
  }

  restore() {
    const box = this.editor ?? this.stepsBox;
    box.value = this._exercise.starter;
    saveAnswer(this._exercise.id, null);
    box.focus();
  }

  openInEditor() {
    const ex = this._exercise;
    emit(this, EVENTS.LOAD_CODE, { code: ex.kind === 'fix' ? this.editor.value : ex.code });
  }

  /** Back to a fresh start: no answer, no hints, no verdict (after a progress reset). */
  clear() {
    const ex = this._exercise;
    this.hintsShown = 0;
    this.last = null;
    this.notice = null;
    clearTimeout(this.saveTimer);
    this.saveTimer = 0;
    if (ex.kind === 'predict') this.answerBox.value = '';
    if (ex.kind === 'choice') for (const r of this.radios) r.checked = false;
    if (ex.kind === 'fix') this.editor.value = ex.starter;
    if (ex.kind === 'heap') this.stepsBox.value = ex.starter;
    this.verdict.replaceChildren();
    this.more.replaceChildren();
    this.renderHints();
    this.renderStatus();
    this.renderBusy();
  }

  async check() {
    const ex = this._exercise;
    if (!this.built || this.checking || !this.grader) return;
    const submission = this.submission;
    if (submission == null) {
      this.last = null;
      this.notice = 'exercises.chooseFirst';
      this.renderNotice();
      this.radios[0]?.focus();
      return;
    }
    this.notice = null;
    if (ex.kind !== 'choice') saveAnswer(ex.id, submission === (ex.starter ?? '') ? null : submission);
    this.checking = true;
    this.renderBusy();
    const lang = getLanguage();
    let shown;
    try {
      const result = await this.grader.grade(ex, submission, lang);
      if (!result.details?.broken) recordCheck(ex.id, result.passed);
      shown = { submission, result, lang };
    } catch (err) {
      if (err?.reason === 'timeout') recordCheck(ex.id, false);
      shown = { submission, error: err, lang };
    } finally {
      this.checking = false;
    }
    this.checks++;
    this.showResult(shown);
    this.renderBusy();
    if (shown.result && !shown.result.details?.broken) {
      emit(this, EVENTS.EXERCISE_RESULT, {
        lesson: this.getAttribute('lesson'), exercise: ex.id, kind: ex.kind,
        passed: shown.result.passed, attempts: exerciseProgress(ex.id).attempts,
      });
    }
    if (lang !== getLanguage()) this.regrade(); // the language changed while it ran
  }

  // The same submission again, quietly, for the feedback in the language now chosen.
  async regrade() {
    const { submission } = this.last ?? {};
    if (submission == null || this.checking) return;
    const lang = getLanguage();
    try {
      const result = await this.grader.grade(this._exercise, submission, lang);
      if (this.last?.submission === submission && lang === getLanguage()) this.showResult({ submission, result, lang });
    } catch { /* keep what is shown */ }
  }

  // ---- the verdict ----------------------------------------------------------------------

  showResult(shown) {
    this.last = shown;
    const { result, error } = shown;
    const head = (kind, text) => h('p', { class: `verdict-head ${kind}` }, text);
    if (error) {
      const text = error.name === 'GradeStopped'
        ? (error.reason === 'timeout' ? t('exercises.timeout', { seconds: Math.round((this.grader?.timeoutMs ?? 0) / 1000) }) : t('exercises.stopped'))
        : t('exercises.error', { message: error.message ?? String(error) });
      this.verdict.replaceChildren(head('bad', `⚠ ${t('exercises.notChecked')}`), h('p', { class: 'feedback' }, text));
      this.more.replaceChildren();
    } else if (result.details?.broken) {
      this.verdict.replaceChildren(head('bad', `⚠ ${t('exercises.broken')}`), h('p', { class: 'feedback' }, result.feedback));
      this.more.replaceChildren();
    } else {
      this.verdict.replaceChildren(
        head(result.passed ? 'ok' : 'bad', result.passed ? `✓ ${t('exercises.correct')}` : `✗ ${t('exercises.incorrect')}`),
        h('p', { class: 'feedback' }, result.feedback));
      this.more.replaceChildren(...this.extra(result));
    }
    this.setAttribute('verdict', error || result.details?.broken ? 'error' : result.passed ? 'correct' : 'incorrect');
    this.renderStatus();
  }

  extra(result) {
    const d = result.details ?? {};
    if (d.kind === 'predict' && !result.passed) return [this.diffDetails(d)];
    if (d.kind === 'choice' && !result.passed && d.explanation && d.chosenIndex >= 0 && d.chosenIndex < this._exercise.choices.length) {
      return [h('details', { class: 'explanation' }, h('summary', {}, t('exercises.showExplanation')), h('p', {}, d.explanation))];
    }
    if (d.kind === 'fix') return [this.fixDetails(d, result.passed)];
    if (d.kind === 'heap' && d.trace) {
      return [h('details', { class: 'found trace-details', open: !result.passed },
        h('summary', {}, t('exercises.trace')), renderTrace(d.trace))];
    }
    return [];
  }

  diffDetails(d) {
    const lines = (s) => (s ? s.replace(/\n$/, '').split('\n') : []);
    const rows = diffLines(lines(d.expected), lines(d.actual));
    const cell = (text) => (text === '' ? h('td', { class: 'blank' }, t('exercises.blankLine')) : h('td', {}, text ?? ''));
    const body = rows.slice(0, MAX_DIFF_ROWS).map((r) => h('tr', { class: `diff-${r.kind}` },
      h('th', { scope: 'row', class: 'diff-line' },
        h('span', { class: 'diff-mark', 'aria-hidden': 'true' }, DIFF_MARK[r.kind]), String(r.line),
        h('span', { class: 'sr-only' }, ` ${t(`exercises.diff.${r.kind}`)}`)),
      r.kind === 'extra' ? h('td', {}) : cell(r.expected),
      r.kind === 'missing' ? h('td', {}) : cell(r.given)));
    const table = h('table', { class: 'diff' },
      h('caption', { class: 'sr-only' }, t('exercises.diffCaption')),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', class: 'diff-line' }, t('exercises.diffLine')),
        h('th', { scope: 'col' }, t('exercises.diffExpected')),
        h('th', { scope: 'col' }, t('exercises.diffGiven')))),
      h('tbody', {}, body));
    const more = rows.length > MAX_DIFF_ROWS
      ? h('p', { class: 'muted' }, t('exercises.diffMore', { n: rows.length - MAX_DIFF_ROWS })) : null;
    return h('details', { class: 'diff-details' }, h('summary', {}, t('exercises.diff')), table, more);
  }

  fixDetails(d, passed) {
    const stdout = d.stdout ?? '';
    const checkOutput = d.checkOutput ?? '';
    const own = stdout.endsWith(checkOutput) ? stdout.slice(0, stdout.length - checkOutput.length) : '';
    const block = (label, text, cls = '') => (text
      ? [h('h5', {}, label), h('pre', { class: `code ${cls}`, tabindex: '0' }, text)] : []);
    const parts = [
      ...block(t('exercises.checkOutput'), checkOutput),
      ...block(t('exercises.yourOutput'), own),
      ...block(t('exercises.errorOutput'), d.stderr ?? '', 'stderr'),
    ];
    if (!parts.length) return h('div', {});
    return h('details', { class: 'found', open: !passed }, h('summary', {}, t('exercises.found')), parts);
  }
}

customElements.define('pml-exercise', PmlExercise);
