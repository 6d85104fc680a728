// <pml-lessons> -- the lessons installed next to the page, from lessons/index.json:
//
//   [ { "id": "01-names", "title": { "en": "...", "zh": "..." }, "path": "01-names" }, ... ]
//
// `path` is a folder under lessons/ holding lesson.en.md and lesson.zh.md (English is
// used when a translation is missing).  Choosing a lesson shows its text; every ```python
// block gets a button that puts the snippet into the editor.
//
// attributes: base (URL of the lessons/ folder), lesson (id of the lesson to show)
// events out: pml-lesson-open { id, path }, pml-load-code { code }
import { emit, EVENTS } from '../events.js';
import { h } from '../lib/dom.js';
import { renderMarkdown } from '../lib/markdown.js';
import { t, getLanguage, onLanguageChange } from '../i18n.js';

export class PmlLessons extends HTMLElement {
  static observedAttributes = ['lesson', 'base'];

  constructor() { super(); this.index = null; this.loading = null; }

  connectedCallback() {
    if (this.built) return;
    this.built = true;
    this.unlisten = onLanguageChange(() => this.render());
    this.render();
  }

  disconnectedCallback() { this.unlisten?.(); this.built = false; }

  attributeChangedCallback(name) {
    if (name === 'base') { this.index = null; this.loading = null; }
    this.render();
  }

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

  async render() {
    if (!this.built) return;
    const token = (this.token = {});
    const list = await this.loadIndex();
    if (token !== this.token) return;
    const id = this.getAttribute('lesson');
    const lesson = id && list.find((l) => l.id === id);
    if (!lesson) { this.renderList(list); return; }
    const lang = getLanguage();
    const folder = new URL(`${String(lesson.path ?? lesson.id).replace(/\/?$/, '/')}`, this.base);
    let text = null;
    for (const l of [lang, 'en']) {
      try {
        const res = await fetch(new URL(`lesson.${l}.md`, folder));
        if (res.ok) { text = await res.text(); break; }
      } catch { /* try the next */ }
    }
    if (token !== this.token) return;
    const back = h('button', { type: 'button', class: 'link', onclick: () => this.open(null) }, `← ${t('lessons.back')}`);
    if (text == null) {
      this.replaceChildren(back, h('p', { class: 'error' }, t('lessons.loadFailed')));
      return;
    }
    const body = renderMarkdown(text, {
      onCode: (language, code) => (/^(python|py)$/i.test(language)
        ? h('button', { type: 'button', class: 'try-it', onclick: () => emit(this, EVENTS.LOAD_CODE, { code }) }, `▶ ${t('lessons.tryIt')}`)
        : null),
    });
    this.replaceChildren(back, h('article', { class: 'lesson', lang: lang === 'zh' ? 'zh-Hans' : 'en' }, body));
  }

  renderList(list) {
    if (!list.length) { this.replaceChildren(h('p', { class: 'muted' }, t('lessons.none'))); return; }
    this.replaceChildren(h('ol', { class: 'lesson-list' }, list.map((l) => h('li', {},
      h('button', { type: 'button', class: 'link', onclick: () => this.open(l.id) }, this.title(l))))));
  }

  open(id) {
    if (id) this.setAttribute('lesson', id); else this.removeAttribute('lesson');
    const lesson = this.index?.find((l) => l.id === id);
    emit(this, EVENTS.LESSON_OPEN, { id: id ?? null, path: lesson?.path ?? null });
  }
}

customElements.define('pml-lessons', PmlLessons);
