// <pml-gc> -- the cycle collector at the shown step: each generation's count against its
// threshold, and a replay of every collection that ran during the step (gc_refs after
// subtract_refs, the unreachable set, finalizers, weakref callbacks, what was freed), plus
// links to every collection of the run.
//
// properties: recording (a Recording), index (the step shown)
// events out: pml-seek { index }, pml-select-object { id }
import { emit, EVENTS } from '../events.js';
import { h } from '../lib/dom.js';
import { t, onLanguageChange } from '../i18n.js';

export class PmlGc extends HTMLElement {
  constructor() { super(); this._recording = null; this._index = 0; }

  connectedCallback() {
    if (this.built) return;
    this.built = true;
    this.unlisten = onLanguageChange(() => this.render());
    this.render();
  }

  disconnectedCallback() { this.unlisten?.(); this.built = false; this.replaceChildren(); }

  set recording(r) { this._recording = r; this.render(); }
  set index(i) { this._index = i; this.render(); }

  objLink(id, index) {
    const obj = this._recording.lastKnown(id, index) ?? this._recording.lastKnown(id, index - 1);
    return h('button', { type: 'button', class: 'link', onclick: () => emit(this, EVENTS.SELECT_OBJECT, { id: String(id) }) },
      obj ? `${obj.type} #${id}` : `#${id}`);
  }

  idList(ids, index) {
    if (!ids?.length) return h('span', { class: 'muted' }, t('gc.none'));
    return h('span', { class: 'id-list' }, ids.flatMap((id, i) => (i ? [', ', this.objLink(id, index)] : [this.objLink(id, index)])));
  }

  collection(c, index) {
    const unreachable = new Set((c.unreachable ?? []).map(String));
    const table = h('table', { class: 'data gc-refs' },
      h('caption', {}, t('gc.gcRefs')),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('gc.object')), h('th', { scope: 'col' }, t('gc.refs')),
        h('th', { scope: 'col' }, t('gc.verdict')))),
      h('tbody', {}, (c.gcRefs ?? []).map(([id, refs]) => {
        const gone = unreachable.has(String(id));
        return h('tr', { class: gone ? 'unreachable' : '' },
          h('th', { scope: 'row' }, this.objLink(id, index)), h('td', { class: 'num' }, String(refs)),
          h('td', {}, gone ? `✗ ${t('gc.unreachable')}` : `✓ ${t('gc.reachable')}`));
      })));
    const freedN = c.freed?.length ?? c.collected ?? 0;
    return h('section', { class: 'collection' },
      h('h4', {}, t('gc.collection', { gen: c.generation }),
        h('span', { class: 'freed-count', dataset: { freed: String(freedN) } }, t('gc.freedCount', { n: freedN }))),
      h('p', { class: 'muted' }, t('gc.summary', {
        examined: c.examined ?? 0, collected: c.collected ?? 0, uncollectable: c.uncollectable ?? 0, promoted: c.promoted ?? 0,
      })),
      h('details', { open: true }, h('summary', {}, t('gc.replay')), h('p', { class: 'help' }, t('gc.gcRefsHelp')), table),
      h('dl', { class: 'gc-lists' },
        h('dt', {}, t('gc.unreachable')), h('dd', {}, this.idList(c.unreachable, index)),
        h('dt', {}, t('gc.finalized')), h('dd', {}, this.idList(c.finalized, index)),
        h('dt', {}, t('gc.callbacks')), h('dd', {}, this.idList(c.weakrefCallbacks, index)),
        h('dt', {}, t('gc.freed')), h('dd', {}, this.idList(c.freed, index))));
  }

  render() {
    if (!this.built) return;
    const rec = this._recording;
    if (!rec?.length || rec.data.outputOnly) { this.replaceChildren(h('p', { class: 'muted' }, t('heap.empty'))); return; }
    const index = Math.min(this._index, rec.length - 1);
    const gc = rec.steps[index].gc;
    const parts = [];
    if (gc) {
      parts.push(h('h4', {}, t('gc.counts')));
      const bars = (gc.count ?? []).map((count, g) => {
        const threshold = gc.threshold?.[g] ?? 0;
        const pct = threshold ? Math.min(100, (count / threshold) * 100) : 0;
        return h('div', { class: 'gen-bar' },
          h('span', { class: 'gen-name' }, t('gc.generation', { n: g })),
          h('div', {
            class: 'meter', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': String(threshold),
            'aria-valuenow': String(Math.min(count, threshold)), 'aria-label': t('gc.generation', { n: g }),
          }, h('div', { class: `meter-fill${pct >= 100 ? ' full' : ''}`, style: { width: `${pct}%` } })),
          h('span', { class: 'mono' }, t('gc.countOf', { count, threshold })));
      });
      parts.push(h('div', { class: 'gen-bars' }, bars));
      if (gc.enabled === false) parts.push(h('p', { class: 'warn' }, t('gc.disabled')));
      const here = gc.collections ?? [];
      if (here.length) parts.push(...here.map((c) => this.collection(c, index)));
      else parts.push(h('p', { class: 'muted' }, t('gc.noCollections')));
    }
    const all = rec.collections();
    parts.push(h('h4', {}, t('gc.allCollections')));
    if (!all.length) parts.push(h('p', { class: 'muted' }, t('gc.noneInRun')));
    else {
      parts.push(h('ul', { class: 'collections' }, all.slice(0, 200).map(({ index: i, collection: c }) => h('li', {},
        h('button', {
          type: 'button', class: `link${i === index ? ' current' : ''}`, onclick: () => emit(this, EVENTS.SEEK, { index: i }),
        }, t('gc.goto', { index: i + 1, gen: c.generation, collected: c.freed?.length ?? c.collected ?? 0 }))))));
    }
    this.replaceChildren(...parts);
  }
}

customElements.define('pml-gc', PmlGc);
