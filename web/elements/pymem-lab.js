// <pymem-lab> -- the whole lab in one element: editor, stepper, heap (picture or table) and
// the panels, talking to the core through a Web Worker.  The playground page is one of
// these; a course site embeds one with a script tag (README: "Embedding").
//
// attributes
//   code         the program to show (default: a short example)
//   lesson       a lesson id from lessons/index.json to open in the lessons panel
//   panels       comma list of heap, output, events, gc, memory, lessons
//                (default: heap,output,events,gc,memory; the playground adds lessons)
//   height       the element's height: a number of pixels or any CSS length
//   read-only    the editor cannot be changed (Run and stepping still work)
//   autorun      record the program as soon as the core is loaded
//   step         with autorun: the step to show (0-based; default the last)
//   theme        light | dark (default: the system's setting)
//   lang         en | zh (default: the page's choice, then the browser's)
//   persist      keep the code in localStorage and the code and step in the URL fragment
//   wasm-base    URL of the wasm/ folder (default: ../../wasm/ next to this script)
//   lessons-base URL of the lessons/ folder (default: ../../lessons/ next to this script)
//
// methods: run(), step(delta), seek(index), reset(), stop(), loadRecording(json),
//          permalink() -> URL string, reportExercisePassed(detail) (also called when a
//          lesson exercise is checked in the lessons panel and passes)
// properties: code (get/set), index, recording (the Recording shown, or null), version
// events out: pml-ready, pml-step-change, pml-recorded, pymemlab:exercise-passed (events.js)
import css from '../lab.css';
import { emit, EVENTS } from '../events.js';
import { h } from '../lib/dom.js';
import { Recording } from '../lib/recording.js';
import { LabClient, StaleResult, StoppedError } from '../lib/lab-client.js';
import { graderFor } from '../lib/grader.js';
import { readFragment, writeFragment } from '../lib/permalink.js';
import { t, setLanguage, getLanguage, onLanguageChange } from '../i18n.js';
import './pml-editor.js';
import './pml-stepper.js';
import './pml-heap.js';
import './pml-heap-table.js';
import './pml-output.js';
import './pml-events.js';
import './pml-gc.js';
import './pml-memory.js';
import './pml-lessons.js';
import './pml-tabs.js';

const SCRIPT_URL = import.meta.url;
const DEFAULT_CODE = `class Node:
    pass

a = Node()
b = Node()
a.n = b
b.n = a
del a, b

import gc
print(gc.collect())
`;
const ALL_PANELS = ['heap', 'output', 'events', 'gc', 'memory', 'lessons'];
const DEFAULT_PANELS = 'heap,output,events,gc,memory';
const CODE_KEY = 'pymemlab:code';
const VIEW_KEY = 'pymemlab:heap-view';
const INTERNALS_KEY = 'pymemlab:internals';
const SLOW_SECONDS = 5;
const LIMITS = { steps: 50_000_000, outputBytes: 1 << 20 };

let sheet = null;
function styleSheet() {
  if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(css); }
  return sheet;
}

const clients = new Map(); // wasm base -> LabClient, shared by the labs of one page
function clientFor(base) {
  if (!clients.has(base)) clients.set(base, new LabClient({ wasmBase: base, limits: LIMITS }));
  return clients.get(base);
}

function storage() {
  try { return globalThis.localStorage ?? null; } catch { return null; }
}

export class PymemLab extends HTMLElement {
  static observedAttributes = ['read-only', 'height', 'theme', 'lang', 'panels', 'lesson', 'code'];

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    this.root.adoptedStyleSheets = [styleSheet()];
    this.rec = null;
    this.recordedCode = null;
    this._index = 0;
    this.selectedId = null;
    this.running = false;
    this.ready = false;
    this.timer = 0;
    this.started = 0;
  }

  // ---- lifecycle ------------------------------------------------------------------------

  connectedCallback() {
    if (this.built) return;
    this.built = true;
    if (this.hasAttribute('lang')) setLanguage(this.getAttribute('lang'), { persist: false });
    this.build();
    this.applyAttributes();
    this.unlisten = onLanguageChange((lang) => { this.renderChrome(); this.setAttribute('lang-shown', lang); });
    this.init();
  }

  disconnectedCallback() {
    this.unlisten?.();
    clearInterval(this.timer);
  }

  attributeChangedCallback(name, old, value) {
    if (!this.built || old === value) return;
    if (name === 'lang') setLanguage(value, { persist: false });
    if (name === 'code' && value != null) { this.code = value; this.resetRecording(); }
    if (name === 'lesson') this.lessons?.setAttribute('lesson', value ?? '');
    this.applyAttributes();
  }

  get client() {
    const base = new URL(this.getAttribute('wasm-base') || '../../wasm/', SCRIPT_URL).href;
    return clientFor(base);
  }

  panels() {
    const list = (this.getAttribute('panels') || (this.hasAttribute('persist') ? `${DEFAULT_PANELS},lessons` : DEFAULT_PANELS))
      .split(',').map((s) => s.trim()).filter((s) => ALL_PANELS.includes(s));
    return new Set(list);
  }

  build() {
    this.editor = h('pml-editor', {});
    this.stepper = h('pml-stepper', {});
    this.heap = h('pml-heap', {});
    this.table = h('pml-heap-table', {});
    this.output = h('pml-output', { 'data-tab': 'output', 'data-label': 'panel.output' });
    this.events = h('pml-events', { 'data-tab': 'events', 'data-label': 'panel.events' });
    this.gc = h('pml-gc', { 'data-tab': 'gc', 'data-label': 'panel.gc' });
    this.memory = h('pml-memory', { 'data-tab': 'memory', 'data-label': 'panel.memory' });
    this.lessons = h('pml-lessons', {
      'data-tab': 'lessons', 'data-label': 'panel.lessons',
      base: new URL(this.getAttribute('lessons-base') || '../../lessons/', SCRIPT_URL).href,
    });
    if (this.getAttribute('lesson')) this.lessons.setAttribute('lesson', this.getAttribute('lesson'));
    this.lessons.grader = graderFor(new URL(this.getAttribute('wasm-base') || '../../wasm/', SCRIPT_URL).href);
    this.tabs = h('pml-tabs', {});
    this.graphBtn = h('button', { type: 'button', class: 'seg', onclick: () => this.setHeapView('graph') });
    this.tableBtn = h('button', { type: 'button', class: 'seg', onclick: () => this.setHeapView('table') });
    this.heapTitle = h('h2', { class: 'pane-title' });
    this.internalsBox = h('input', { type: 'checkbox' });
    this.internalsBox.checked = this.internals;
    this.internalsBox.addEventListener('change', () => this.setInternals(this.internalsBox.checked));
    this.internalsLabel = h('span', {});
    this.internalsToggle = h('label', { class: 'toggle' }, this.internalsBox, this.internalsLabel);
    this.legend = h('div', { class: 'legend', 'aria-hidden': 'true' });
    this.heapScroll = h('div', { class: 'heap-scroll' }, this.heap, this.table);
    this.heapPane = h('section', { class: 'pane heap-pane' },
      h('div', { class: 'pane-head' }, this.heapTitle, this.legend,
        h('div', { class: 'segmented', role: 'group' }, this.graphBtn, this.tableBtn), this.internalsToggle),
      this.heapScroll);
    this.editorPane = h('section', { class: 'pane editor-pane' },
      h('div', { class: 'editor-wrap' }, this.editor), this.stepper);
    this.panelsPane = h('section', { class: 'pane panels-pane' }, this.tabs);
    this.grid = h('div', { class: 'lab' },
      h('div', { class: 'left' }, this.editorPane, this.panelsPane), this.heapPane);
    this.root.append(this.grid);

    const on = (name, fn) => this.root.addEventListener(name, (e) => { e.stopPropagation(); fn(e.detail ?? {}, e); });
    on(EVENTS.RUN, () => this.run());
    on(EVENTS.STEP, ({ delta }) => this.step(delta));
    on(EVENTS.SEEK, ({ index }) => this.seek(index < 0 ? Infinity : index));
    on(EVENTS.RESET, () => this.reset());
    on(EVENTS.STOP, () => this.stop());
    on(EVENTS.CODE_CHANGE, ({ code }) => this.codeChanged(code));
    on(EVENTS.SELECT_OBJECT, ({ id }) => this.select(id));
    on(EVENTS.LOAD_CODE, ({ code }) => { this.code = code; this.codeChanged(code); this.resetRecording(); this.editor.focus(); });
    on(EVENTS.LESSON_OPEN, ({ id }) => { if (this.hasAttribute('persist')) this.updateFragment({ lesson: id }); });
    on(EVENTS.EXERCISE_RESULT, ({ exercise, kind, passed, attempts }) => {
      if (passed) this.reportExercisePassed({ exercise, kind, attempts });
    });
    on(EVENTS.HEAP_EXPAND, () => {});
    this.grid.addEventListener('keydown', (e) => this.onKey(e));
  }

  applyAttributes() {
    const height = this.getAttribute('height');
    this.style.height = height ? (/^\d+$/.test(height) ? `${height}px` : height) : '';
    const theme = this.getAttribute('theme');
    if (theme === 'light' || theme === 'dark') this.grid.dataset.theme = theme;
    else delete this.grid.dataset.theme;
    if (this.hasAttribute('read-only')) this.editor.setAttribute('read-only', '');
    else this.editor.removeAttribute('read-only');
    const panels = this.panels();
    this.heapPane.hidden = !panels.has('heap');
    this.grid.classList.toggle('no-heap', !panels.has('heap'));
    const tabbed = [this.output, this.events, this.gc, this.memory, this.lessons]
      .filter((el) => panels.has(el.dataset.tab));
    for (const el of [this.output, this.events, this.gc, this.memory, this.lessons]) {
      if (!tabbed.includes(el)) el.remove();
    }
    this.tabs.append(...tabbed);
    this.panelsPane.hidden = tabbed.length === 0;
    if (this.getAttribute('lesson') && panels.has('lessons')) this.tabs.select('lessons');
    this.tabs.render?.();
  }

  renderChrome() {
    this.heapTitle.textContent = t('heap.label');
    this.graphBtn.textContent = t('heap.graph');
    this.tableBtn.textContent = t('heap.table');
    this.graphBtn.parentElement.setAttribute('aria-label', t('heap.view'));
    const view = this.heapView;
    this.graphBtn.setAttribute('aria-pressed', String(view === 'graph'));
    this.tableBtn.setAttribute('aria-pressed', String(view === 'table'));
    this.heap.hidden = view !== 'graph';
    this.table.hidden = view !== 'table';
    this.legend.replaceChildren(
      h('span', { class: 'lg lg-ref' }, t('heap.legendRef')),
      h('span', { class: 'lg lg-weak' }, t('heap.legendWeak')),
      h('span', { class: 'lg lg-cycle' }, t('heap.legendCycle')),
      h('span', { class: 'lg lg-freed' }, t('heap.legendFreed')));
    this.editor.setAttribute('label', t('editor.label'));
    this.internalsLabel.textContent = t('heap.internals');
    this.internalsToggle.title = t('heap.internalsTitle');
    this.updateStatus();
  }

  get internals() {
    return this._internals ?? storage()?.getItem(INTERNALS_KEY) === '1';
  }

  /** Draw (or hide) classes' and functions' insides; the layout is recomputed. */
  setInternals(on) {
    this._internals = !!on;
    this.internalsBox.checked = !!on;
    try { storage()?.setItem(INTERNALS_KEY, on ? '1' : '0'); } catch { /* ignore */ }
    if (!this.rec) return;
    this.rec = this.rec.withInternals(!!on);
    for (const el of [this.heap, this.table, this.output, this.events, this.gc, this.memory]) el.recording = this.rec;
    this.pushIndex();
  }

  get heapView() {
    return this._heapView ?? (storage()?.getItem(VIEW_KEY) === 'table' ? 'table' : 'graph');
  }

  setHeapView(view) {
    this._heapView = view;
    try { storage()?.setItem(VIEW_KEY, view); } catch { /* ignore */ }
    this.renderChrome();
    this.pushIndex();
  }

  async init() {
    this.renderChrome();
    let code = this.getAttribute('code');
    let fragment = {};
    if (this.hasAttribute('persist')) {
      fragment = await readFragment(location.hash);
      if (fragment.lesson) { this.setAttribute('lesson', fragment.lesson); this.lessons.setAttribute('lesson', fragment.lesson); this.tabs.select('lessons'); }
      code = fragment.code ?? storage()?.getItem(CODE_KEY) ?? code;
    }
    this.code = code ?? DEFAULT_CODE;
    this.status = { text: t('app.loading'), kind: 'busy' };
    this.updateStatus();
    try {
      this.version = await this.client.start();
      this.ready = true;
      this.status = { text: t('app.ready'), kind: '' };
      this.setAttribute('ready', '');
      performance.mark?.('pymemlab:ready');
    } catch (err) {
      this.status = { text: t('app.loadFailed'), kind: 'error' };
      this.output.message = { text: `${t('app.loadFailed')}\n${err?.message ?? err}\n${t('app.loadHint')}\n`, kind: 'error' };
    }
    this.updateStatus();
    emit(this, EVENTS.READY, { version: this.version ?? null, error: !this.ready });
    if (!this.ready) return;
    if (fragment.step !== undefined) await this.record(fragment.step);
    else if (this.hasAttribute('autorun')) {
      const s = this.getAttribute('step');
      await this.record(s != null && /^\d+$/.test(s) ? Number(s) : Infinity);
    }
  }

  // ---- state ---------------------------------------------------------------------------

  get code() { return this.editor.value; }
  set code(v) { this.editor.value = v; }
  get recording() { return this.rec; }
  get index() { return this._index; }

  codeChanged(code) {
    if (this.hasAttribute('persist')) {
      try { storage()?.setItem(CODE_KEY, code); } catch { /* full or blocked */ }
      this.updateFragment();
    }
    this.updateStatus();
  }

  updateStatus() {
    const total = this.rec?.length ?? 0;
    const line = this.rec ? this.rec.steps[this._index]?.line : 0;
    this.stepper.state = {
      total, index: this._index, line, running: this.running, ready: this.ready,
      canStop: this.client.canStop || !this.ready,
    };
    let status = this.status ?? { text: '', kind: '' };
    if (this.rec && !this.running && this.recordedCode !== null && this.recordedCode !== this.code) {
      status = { text: t('status.changed'), kind: 'warn' };
    }
    this.stepper.status = status;
    this.toggleAttribute('running', this.running);
  }

  setRecording(rec, code, ms) {
    this.rec = rec;
    this.recordedCode = code;
    this.selectedId = null;
    for (const el of [this.heap, this.table, this.output, this.events, this.gc, this.memory]) {
      el.selected = null;
      el.recording = rec;
    }
    if (rec) {
      const n = rec.length;
      const key = `status.${rec.status}`;
      let text = t(key, { steps: n, ms: Math.round(ms ?? 0) });
      if (rec.data.truncated) text += ` · ${t('status.truncated', { steps: n })}`;
      this.status = { text, kind: rec.status === 'ok' ? 'ok' : 'error' };
      emit(this, EVENTS.RECORDED, { status: rec.status, steps: n, truncated: !!rec.data.truncated });
    } else {
      this.status = { text: this.ready ? t('app.ready') : '', kind: '' };
    }
  }

  /** Show a recording made elsewhere (a lesson's precomputed run, tests). */
  loadRecording(json, { index = Infinity, code } = {}) {
    const rec = new Recording(json, { internals: this.internals });
    if (code != null) this.code = code;
    this.setRecording(rec, this.code, 0);
    this.seek(index);
    return rec;
  }

  // ---- commands ------------------------------------------------------------------------

  async record(target) {
    if (!this.ready) return;
    const code = this.code;
    this.running = true;
    this.started = performance.now();
    this.output.message = null;
    this.status = { text: t('status.recording', { seconds: '0.0' }), kind: 'busy' };
    this.updateStatus();
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      const s = (performance.now() - this.started) / 1000;
      this.status = { text: t('status.recording', { seconds: s.toFixed(1) }), kind: 'busy' };
      if (s >= SLOW_SECONDS) this.output.message = { text: t('status.slow', { seconds: Math.floor(s) }), kind: 'warn' };
      this.updateStatus();
    }, 100);
    try {
      const json = await this.client.record(code, { filename: 'main.py' });
      const ms = performance.now() - this.started;
      this.finishRunning();
      this.output.message = null;
      this.setRecording(new Recording(json, { internals: this.internals }), code, ms);
      this.seek(target);
    } catch (err) {
      if (err instanceof StaleResult) return;
      this.finishRunning();
      if (err instanceof StoppedError) {
        this.setRecording(null, null);
        this.status = { text: t('status.stopped'), kind: 'error' };
        const s = Math.floor((performance.now() - this.started) / 1000);
        this.output.message = { text: `${t('status.stopped')} (${s} s)\n`, kind: 'warn' };
      } else {
        this.setRecording(null, null);
        this.status = { text: t('status.internal'), kind: 'error' };
        this.output.message = { text: `${err?.message ?? err}\n`, kind: 'error' };
      }
      this.pushIndex();
    }
  }

  finishRunning() {
    clearInterval(this.timer);
    this.running = false;
  }

  fresh() {
    return this.rec && this.recordedCode === this.code;
  }

  run() {
    if (this.running) return;
    return this.record(Infinity);
  }

  step(delta = 1) {
    if (this.running) return;
    if (!this.fresh()) return this.record(0);
    return this.seek(this._index + delta);
  }

  seek(index) {
    if (!this.rec) return;
    const n = this.rec.length;
    const i = Math.max(0, Math.min(n - 1, Number.isFinite(index) ? index : n - 1));
    this.heap.noteFocus?.();
    this._index = i;
    this.pushIndex();
    const step = this.rec.steps[i];
    emit(this, EVENTS.STEP_CHANGE, { index: i, total: n, line: step?.line ?? 0 });
    if (this.hasAttribute('persist')) this.updateFragment();
  }

  pushIndex() {
    const i = this._index;
    for (const el of [this.heap, this.table, this.output, this.events, this.gc, this.memory]) el.index = i;
    const step = this.rec?.steps[i];
    this.editor.line = this.rec && this.fresh() ? step?.line ?? 0 : 0;
    const counts = {};
    if (step?.events?.length) counts.events = step.events.length;
    if (step?.gc?.collections?.length) counts.gc = step.gc.collections.length;
    this.tabs.badges = counts;
    this.updateStatus();
  }

  reset() {
    if (this.running) return;
    this.resetRecording();
    this.editor.focus();
  }

  resetRecording() {
    this.setRecording(null, null);
    this._index = 0;
    this.output.message = null;
    this.pushIndex();
  }

  async stop() {
    if (!this.running) return;
    await this.client.stop();
  }

  select(id) {
    this.selectedId = id ?? null;
    for (const el of [this.heap, this.table]) el.selected = this.selectedId;
    if (id && this.heapView === 'graph') {
      const card = this.heap.querySelector(`[data-id="${CSS.escape(String(id))}"]`);
      card?.scrollIntoView({ block: 'nearest', inline: 'nearest', behavior: 'smooth' });
    }
  }

  onKey(e) {
    if (e.defaultPrevented) return;
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); this.run(); return; }
    if (!e.altKey || e.ctrlKey || e.metaKey) return;
    const map = { ArrowRight: () => this.step(1), ArrowLeft: () => this.step(-1), Home: () => this.seek(0), End: () => this.seek(Infinity) };
    if (map[e.key]) { e.preventDefault(); map[e.key](); }
  }

  // ---- sharing and exercises -----------------------------------------------------------

  async permalink() {
    const base = location.href.replace(/#.*$/, '');
    const lesson = this.lessons?.getAttribute('lesson') || undefined;
    return base + await writeFragment({ code: this.code, step: this.rec ? this._index : undefined, lesson });
  }

  updateFragment(extra = {}) {
    clearTimeout(this.fragTimer);
    this.fragTimer = setTimeout(async () => {
      const lesson = 'lesson' in extra ? extra.lesson : this.lessons?.getAttribute('lesson');
      const hash = await writeFragment({
        code: this.code, step: this.rec && this.fresh() ? this._index : undefined, lesson: lesson || undefined,
      });
      if (hash !== location.hash) history.replaceState(history.state, '', hash);
    }, 300);
  }

  /** Tell the host that an exercise was passed: a DOM event, and a message to the parent
   *  window when the lab runs in an iframe. */
  reportExercisePassed(detail = {}) {
    const data = { type: EVENTS.EXERCISE_PASSED, lesson: this.lessons?.getAttribute('lesson') ?? null, ...detail };
    emit(this, EVENTS.EXERCISE_PASSED, data);
    if (globalThis.parent && globalThis.parent !== globalThis) globalThis.parent.postMessage(data, '*');
    return data;
  }

  get language() { return getLanguage(); }
}

customElements.define('pymem-lab', PymemLab);
