// <pml-heap-table> -- the heap of one step as a table: the same facts as the picture, in
// an order a screen reader can walk (names first, then every object, then what was freed).
//
// properties: recording (a Recording), index (the step shown), selected (an id or null)
// events out: pml-select-object { id }
import { emit, EVENTS } from '../events.js';
import { h } from '../lib/dom.js';
import { reachOrder } from '../lib/layout.js';
import { t, onLanguageChange } from '../i18n.js';

export class PmlHeapTable extends HTMLElement {
  constructor() {
    super();
    this._recording = null;
    this._index = 0;
    this._selected = null;
  }

  connectedCallback() {
    if (this.built) return;
    this.built = true;
    this.unlisten = onLanguageChange(() => this.render());
    this.render();
  }

  disconnectedCallback() { this.unlisten?.(); this.built = false; }

  set recording(r) { this._recording = r; this.render(); }
  set index(i) { this._index = i; this.render(); }
  set selected(id) { this._selected = id == null ? null : String(id); this.render(); }

  render() {
    if (!this.built) return;
    const rec = this._recording;
    if (!rec || !rec.length || rec.data.outputOnly) {
      this.replaceChildren(h('p', { class: 'heap-empty' }, t('heap.empty')));
      return;
    }
    const index = Math.min(this._index, rec.length - 1);
    const view = rec.view(index);
    const { order } = reachOrder(view.step);
    const ids = [...order, ...Object.keys(view.objects).filter((id) => !order.includes(id))];
    const yes = t('table.yes');
    const cols = ['table.id', 'table.type', 'table.value', 'table.refcount', 'table.size', 'table.gen',
      'table.shared', 'table.cycle', 'table.names', 'table.refs'];
    const head = h('tr', {}, cols.map((k) => h('th', { scope: 'col' }, t(k))));
    const rows = ids.map((id) => {
      const o = view.objects[id];
      const delta = view.deltas.get(id);
      const refs = (o.refs ?? []).map(([label, tgt]) => `${label} → #${tgt}`).join(', ');
      return h('tr', { dataset: { id }, class: this._selected === id ? 'selected' : null },
        h('th', { scope: 'row' }, h('button', {
          type: 'button', class: 'link', 'aria-pressed': this._selected === id ? 'true' : 'false',
          onclick: () => emit(this, EVENTS.SELECT_OBJECT, { id: this._selected === id ? null : id }),
        }, `#${id}`)),
        h('td', {}, o.type),
        h('td', { class: 'mono' }, o.repr),
        h('td', { class: 'num' }, String(o.refcount), delta ? ` (${delta > 0 ? '+' : '−'}${Math.abs(delta)})` : ''),
        h('td', { class: 'num' }, String(o.size)),
        h('td', {}, o.tracked ? String(o.gen ?? '') : t('heap.untracked')),
        h('td', {}, o.shared ? t(`heap.shared.${o.shared}`) : ''),
        h('td', {}, view.cycles.has(id) ? yes : ''),
        h('td', { class: 'mono' }, (view.names.get(id) ?? []).join(', ')),
        h('td', { class: 'mono' }, refs));
    });
    const parts = [h('table', { class: 'data heap-table' },
      h('caption', {}, t('table.caption', { index: index + 1 })),
      h('thead', {}, head), h('tbody', {}, rows))];
    if (view.freed.length) {
      parts.push(h('table', { class: 'data freed-table' },
        h('caption', {}, t('table.freedCaption')),
        h('thead', {}, h('tr', {}, ['table.id', 'table.type', 'table.value', 'table.cause'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, view.freed.map((f) => h('tr', {},
          h('th', { scope: 'row' }, `#${f.id}`), h('td', {}, f.type), h('td', { class: 'mono' }, f.obj?.repr ?? ''),
          h('td', {}, t(`heap.freed.${f.cause}`)))))));
    }
    this.replaceChildren(...parts);
  }
}

customElements.define('pml-heap-table', PmlHeapTable);
