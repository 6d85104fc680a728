// <pml-events> -- the events since the previous step (alloc, free, incref, decref, gc,
// weakref, finalize), filterable by kind.
//
// properties: recording (a Recording), index (the step shown)
// events out: pml-select-object { id } when an event's object is clicked
import { emit, EVENTS } from '../events.js';
import { h } from '../lib/dom.js';
import { t, onLanguageChange } from '../i18n.js';

export const KINDS = ['alloc', 'free', 'incref', 'decref', 'gc-start', 'gc-end', 'weakref-clear', 'weakref-callback', 'finalize'];
const MAX_ROWS = 500;

export class PmlEvents extends HTMLElement {
  constructor() {
    super();
    this._recording = null;
    this._index = 0;
    this.hidden_ = new Set();
  }

  connectedCallback() {
    if (this.built) return;
    this.built = true;
    this.filters = h('fieldset', { class: 'filters' });
    this.list = h('ol', { class: 'event-list' });
    this.foot = h('p', { class: 'muted' });
    this.append(this.filters, this.list, this.foot);
    this.unlisten = onLanguageChange(() => this.render());
    this.render();
  }

  disconnectedCallback() { this.unlisten?.(); this.built = false; this.replaceChildren(); }

  set recording(r) { this._recording = r; this.render(); }
  set index(i) { this._index = i; this.render(); }

  render() {
    if (!this.built) return;
    const rec = this._recording;
    const step = rec?.length ? rec.steps[Math.min(this._index, rec.length - 1)] : null;
    const events = step?.events ?? [];
    const counts = new Map();
    for (const e of events) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);

    this.filters.replaceChildren(h('legend', {}, t('events.filter')),
      ...KINDS.map((kind) => {
        const input = h('input', { type: 'checkbox', checked: !this.hidden_.has(kind) });
        input.addEventListener('change', () => {
          if (input.checked) this.hidden_.delete(kind); else this.hidden_.add(kind);
          this.render();
        });
        return h('label', { class: `filter kind-${kind}` }, input, ` ${t(`kind.${kind}`)} `,
          h('span', { class: 'count' }, String(counts.get(kind) ?? 0)));
      }));

    const shown = events.filter((e) => !this.hidden_.has(e.kind));
    const rows = shown.slice(0, MAX_ROWS).map((e) => {
      const parts = [h('span', { class: `kind kind-${e.kind}` }, t(`kind.${e.kind}`) ?? e.kind)];
      if (e.id != null) {
        parts.push(' ', h('button', {
          type: 'button', class: 'link', onclick: () => emit(this, EVENTS.SELECT_OBJECT, { id: String(e.id) }),
        }, `${e.type ?? ''} #${e.id}`));
      }
      if (e.old != null && e.new != null) parts.push(' ', h('span', { class: 'mono' }, `${e.old} → ${e.new}`));
      if (e.cause) parts.push(' ', h('span', { class: 'muted' }, `(${e.cause})`));
      if (e.line) parts.push(' ', h('span', { class: 'muted' }, t('events.line', { line: e.line })));
      return h('li', {}, parts);
    });
    if (!rows.length) rows.push(h('li', { class: 'muted' }, t('events.none')));
    this.list.replaceChildren(...rows);
    this.list.setAttribute('aria-label', `${t('events.label')}: ${t('events.count', { n: shown.length })}`);
    const notes = [];
    if (step?.eventsDropped) notes.push(t('events.dropped', { n: step.eventsDropped }));
    if (shown.length > MAX_ROWS) notes.push(t('events.more', { n: shown.length - MAX_ROWS }));
    this.foot.textContent = notes.join(' · ');
  }
}

customElements.define('pml-events', PmlEvents);
