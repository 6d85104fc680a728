// <pml-lessons> -- the lessons installed next to the page, from lessons/index.json:
//
//   [ { "id": "01-names", "title": { "en": "...", "zh": "..." }, "path": "01-names" }, ... ]
//
// `path` is a folder under lessons/ holding lesson.en.md and lesson.zh.md (English is
// used when a translation is missing) and exercises.json (wasm/EXERCISES.md).  Choosing a
// lesson shows its text, where every ```python block gets a button that puts the snippet
// into the editor and every ```steps block (C API calls, wasm/heapsteps.mjs) a button that
// runs it on the grading lab's heap and shows the trace as a table (lib/steps-view.js), and
// then its exercises, one <pml-exercise> each, graded in the page.
// The list says how many exercises of each lesson are solved (lib/progress.js); progress
// can be reset per lesson or for all lessons.
//
// attributes: base (URL of the lessons/ folder), lesson (id of the lesson to show)
// properties: grader (lib/grader.js, handed to the exercises)
// events out: pml-lesson-open { id, path }, pml-load-code { code } (and the exercises' events)
import { emit, EVENTS } from '../events.js';
import { h } from '../lib/dom.js';
import { renderMarkdown } from '../lib/markdown.js';
import { renderTrace } from '../lib/steps-view.js';
import { onProgressChange, resetProgress, summarize } from '../lib/progress.js';
import { t, getLanguage, onLanguageChange } from '../i18n.js';
import './pml-exercise.js';

const KIND_FIELDS = {
  predict: ['code'], choice: ['code', 'question', 'choices'], fix: ['starter', 'check'], heap: ['starter', 'returns'],
};

// Enough of the format to show an exercise; the grader judges the rest (a broken exercise
// is reported as such when checked).
function usable(ex) {
  return ex && typeof ex.id === 'string' && KIND_FIELDS[ex.kind] && Array.isArray(ex.hints) &&
    ex.hints.every((hint) => hint && typeof hint === 'object') &&
    KIND_FIELDS[ex.kind].every((k) => ex[k] != null) &&
    (ex.kind !== 'choice' || Array.isArray(ex.choices));
}

let counter = 0;

export class PmlLessons extends HTMLElement {
  static observedAttributes = ['lesson', 'base'];

  constructor() {
    super();
    this.uid = `pml-lessons-${++counter}`;
    this.index = null;
    this.loading = null;
    this.exercises = new Map();   // lesson id -> Promise<exercise list, or null when unreadable>
    this.exerciseEls = new Map(); // exercise id -> its element, for the lesson shown
    this.shownLesson = null;
    this.progressTargets = [];    // [{ el, ids }]: "n/m solved" labels to keep up to date
    this.stepTraces = new Map();  // "lesson#n" -> the trace of the lesson's n-th steps block
    this._grader = null;
  }

  connectedCallback() {
    if (this.built) return;
    this.built = true;
    this.unlisten = [onLanguageChange(() => this.render()), onProgressChange(() => this.updateProgress())];
    this.render();
  }

  disconnectedCallback() { for (const stop of this.unlisten ?? []) stop(); this.built = false; }

  attributeChangedCallback(name) {
    if (name === 'base') { this.index = null; this.loading = null; this.exercises.clear(); }
    this.render();
  }

  set grader(g) {
    this._grader = g ?? null;
    for (const el of this.exerciseEls.values()) { el.grader = this._grader; if (el.built) el.renderBusy(); }
  }

  get grader() { return this._grader; }

  get base() {
    return new URL(this.getAttribute('base') || '../lessons/', document.baseURI);
  }

  loadIndex() {
    if (!this.loading) {
      this.loading = (async () => {
        try {
          const res = await fetch(new URL('index.json', this.base));
          if (!res.ok) throw new Error(String(res.status));
          const list = await res.json();
          this.index = Array.isArray(list) ? list.filter((l) => l && typeof l.id === 'string') : [];
        } catch {
          this.index = [];
        }
        return this.index;
      })();
    }
    return this.loading;
  }

  title(lesson) {
    const lang = getLanguage();
    return lesson.title?.[lang] ?? lesson.title?.en ?? lesson.id;
  }

  folder(lesson) {
    return new URL(`${String(lesson.path ?? lesson.id).replace(/\/?$/, '/')}`, this.base);
  }

  /** The usable exercises of a lesson ([] when it has none), or null when unreadable. */
  loadExercises(lesson) {
    if (!this.exercises.has(lesson.id)) {
      const load = (async () => {
        try {
          const res = await fetch(new URL('exercises.json', this.folder(lesson)));
          if (res.status === 404) return [];
          if (!res.ok) throw new Error(String(res.status));
          const list = await res.json();
          if (!Array.isArray(list)) throw new Error('exercises.json is not a list');
          return list.filter(usable);
        } catch {
          this.exercises.delete(lesson.id); // try again next time
          return null;
        }
      })();
      this.exercises.set(lesson.id, load);
    }
    return this.exercises.get(lesson.id);
  }

  async loadText(lesson, lang) {
    for (const l of [lang, 'en']) {
      try {
        const res = await fetch(new URL(`lesson.${l}.md`, this.folder(lesson)));
        if (res.ok) return await res.text();
      } catch { /* try the next */ }
    }
    return null;
  }

  async render() {
    if (!this.built) return;
    const token = (this.token = {});
    const list = await this.loadIndex();
    if (token !== this.token) return;
    const id = this.getAttribute('lesson');
    const lesson = id && list.find((l) => l.id === id);
    if (lesson?.id !== this.shownLesson) { this.exerciseEls.clear(); this.shownLesson = lesson?.id ?? null; }
    if (!lesson) { this.renderList(list, token); return; }
    const lang = getLanguage();
    const [text, exercises] = await Promise.all([this.loadText(lesson, lang), this.loadExercises(lesson)]);
    if (token !== this.token) return;
    const back = h('button', { type: 'button', class: 'link', onclick: () => this.open(null) }, `← ${t('lessons.back')}`);
    if (text == null) {
      this.replaceChildren(back, h('p', { class: 'error' }, t('lessons.loadFailed')));
      return;
    }
    let stepsBlock = 0;
    const body = renderMarkdown(text, {
      onCode: (language, code) => {
        if (/^(python|py)$/i.test(language)) {
          return h('button', { type: 'button', class: 'try-it', onclick: () => emit(this, EVENTS.LOAD_CODE, { code }) }, `▶ ${t('lessons.tryIt')}`);
        }
        return language === 'steps' ? this.stepsRunner(`${lesson.id}#${stepsBlock++}`, code) : null;
      },
    });
    this.progressTargets = [];
    this.replaceChildren(back, h('article', { class: 'lesson', lang: lang === 'zh' ? 'zh-Hans' : 'en' }, body),
      this.renderExercises(lesson, exercises));
    this.updateProgress();
  }

  // "Run these steps" under a ```steps block, and the trace it showed last (kept across
  // re-renders, drawn again in the language of the moment).
  stepsRunner(key, code) {
    const out = h('div', { class: 'steps-out' });
    const status = h('p', { class: 'sr-only', role: 'status' }); // the outcome, read out once
    const draw = (into, trace) => {
      const view = renderTrace(trace);
      into.replaceChildren(view);
      return view.querySelector('.steps-outcome, .steps-errors')?.textContent ?? '';
    };
    const button = h('button', {
      type: 'button', class: 'run-steps', title: t('lessons.runStepsTitle'),
      onclick: async () => {
        if (!this._grader) { out.replaceChildren(h('p', { class: 'error' }, t('exercises.noGrader'))); return; }
        button.disabled = true;
        out.setAttribute('aria-busy', 'true');
        out.replaceChildren(h('p', { class: 'muted' }, t('lessons.running')));
        try {
          const trace = await this._grader.runSteps(code);
          this.stepTraces.set(key, trace);
          // the lesson may have been drawn again meanwhile (a change of language)
          const runner = out.isConnected ? out.parentElement : this.querySelector(`.steps-runner[data-steps="${CSS.escape(key)}"]`);
          if (runner) runner.querySelector('[role=status]').textContent = draw(runner.querySelector('.steps-out'), trace);
        } catch (err) {
          out.replaceChildren(h('p', { class: 'error' }, t('lessons.runFailed', { message: err?.message ?? String(err) })));
        } finally {
          button.disabled = false;
          out.removeAttribute('aria-busy');
        }
      },
    }, `▶ ${t('lessons.runSteps')}`);
    if (this.stepTraces.has(key)) draw(out, this.stepTraces.get(key));
    return h('div', { class: 'steps-runner', dataset: { steps: key } }, button, status, out);
  }

  renderExercises(lesson, exercises) {
    if (exercises == null) return h('p', { class: 'error' }, t('exercises.loadFailed'));
    if (!exercises.length) return null;
    const els = exercises.map((ex, i) => {
      let el = this.exerciseEls.get(ex.id);
      if (!el) {
        el = document.createElement('pml-exercise');
        el.grader = this._grader;
        el.number = i + 1;
        el.setAttribute('lesson', lesson.id);
        el.dataset.exercise = ex.id;
        el.exercise = ex;
        this.exerciseEls.set(ex.id, el);
      }
      return el;
    });
    const ids = exercises.map((ex) => ex.id);
    const progress = h('span', { class: 'exercises-progress' });
    this.progressTargets.push({ el: progress, ids });
    this._grader?.start?.().catch(() => {}); // load the grading worker while the learner reads
    return h('section', { class: 'exercises', 'aria-labelledby': `${this.uid}-exercises` },
      h('div', { class: 'exercises-head' },
        h('h3', { id: `${this.uid}-exercises` }, t('exercises.title')), progress,
        this.resetControl('exercises.resetLesson', 'exercises.confirmLesson', ids)),
      els);
  }

  renderList(list, token) {
    this.progressTargets = [];
    if (!list.length) { this.replaceChildren(h('p', { class: 'muted' }, t('lessons.none'))); return; }
    const items = list.map((l) => {
      const progress = h('span', { class: 'lesson-progress', hidden: true });
      this.loadExercises(l).then((exercises) => {
        if (token !== this.token || !exercises?.length) return;
        this.progressTargets.push({ el: progress, ids: exercises.map((ex) => ex.id) });
        this.updateProgress();
      });
      return h('li', {}, h('button', { type: 'button', class: 'link lesson-open', onclick: () => this.open(l.id) }, this.title(l)), progress);
    });
    this.replaceChildren(h('ol', { class: 'lesson-list' }, items),
      h('div', { class: 'lessons-foot' }, this.resetControl('exercises.resetAll', 'exercises.confirmAll', null)));
  }

  /** Refresh every "n/m solved" label shown. */
  updateProgress() {
    for (const { el, ids } of this.progressTargets) {
      const { solved, total } = summarize(ids);
      el.hidden = false;
      el.textContent = t('exercises.progress', { solved, total });
      el.title = t('exercises.progressLabel', { solved, total });
      el.dataset.solved = String(solved);
      el.dataset.total = String(total);
      el.classList.toggle('complete', solved === total);
    }
  }

  // A "Reset progress…" button that asks first, in place (no dialog): ids null means all.
  resetControl(labelKey, confirmKey, ids) {
    const box = h('span', { class: 'reset-progress' });
    const note = h('span', { class: 'muted reset-note', role: 'status' });
    const button = h('button', { type: 'button', class: 'quiet reset', onclick: () => ask() }, t(labelKey));
    const show = (message = '') => {
      box.replaceChildren(button, note);
      note.textContent = message;
      button.focus();
    };
    const ask = () => {
      note.textContent = '';
      const question = h('span', { class: 'confirm-text', id: `${this.uid}-confirm-${++counter}` }, t(confirmKey));
      const yes = h('button', { type: 'button', class: 'danger confirm-reset', onclick: () => { resetProgress(ids ?? undefined); show(t('exercises.resetDone')); } }, t('exercises.resetYes'));
      const no = h('button', { type: 'button', class: 'cancel-reset', onclick: () => show() }, t('exercises.resetNo'));
      const group = h('span', { class: 'confirm', role: 'group', 'aria-labelledby': question.id }, question, yes, no);
      group.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); show(); } });
      box.replaceChildren(group, note);
      no.focus();
    };
    box.replaceChildren(button, note);
    return box;
  }

  open(id) {
    if (id) this.setAttribute('lesson', id); else this.removeAttribute('lesson');
    const lesson = this.index?.find((l) => l.id === id);
    emit(this, EVENTS.LESSON_OPEN, { id: id ?? null, path: lesson?.path ?? null });
  }
}

customElements.define('pml-lessons', PmlLessons);
