// <pml-tabs> -- tabs over its child panels (WAI-ARIA tabs pattern: arrow keys, Home, End).
//
// children: one element per panel with data-tab="NAME" and data-label="i18n key"
// attributes: selected (the NAME shown)
// properties: badges = { NAME: text } small counts next to tab names
import { h } from '../lib/dom.js';
import { t, onLanguageChange } from '../i18n.js';

let counter = 0;

export class PmlTabs extends HTMLElement {
  static observedAttributes = ['selected'];

  constructor() { super(); this.uid = `pml-tabs-${++counter}`; this._badges = {}; }

  connectedCallback() {
    if (this.built) return;
    this.built = true;
    this.list = h('div', { class: 'tablist', role: 'tablist' });
    this.prepend(this.list);
    this.list.addEventListener('keydown', (e) => this.onKey(e));
    this.unlisten = onLanguageChange(() => this.render());
    this.render();
  }

  disconnectedCallback() { this.unlisten?.(); this.built = false; this.list?.remove(); }

  attributeChangedCallback() { this.render(); }

  set badges(b) { this._badges = b ?? {}; this.render(); }

  panels() { return [...this.children].filter((el) => el.dataset.tab); }

  get selected() {
    const names = this.panels().map((p) => p.dataset.tab);
    const want = this.getAttribute('selected');
    return names.includes(want) ? want : names[0];
  }

  select(name, focus = false) {
    this.setAttribute('selected', name);
    if (focus) this.list.querySelector(`[data-for="${CSS.escape(name)}"]`)?.focus();
  }

  render() {
    if (!this.built) return;
    const current = this.selected;
    this.list.setAttribute('aria-label', this.getAttribute('label') ?? t('panel.tabs'));
    this.list.replaceChildren(...this.panels().map((panel) => {
      const name = panel.dataset.tab;
      const id = `${this.uid}-${name}`;
      panel.id = `${id}-panel`;
      panel.setAttribute('role', 'tabpanel');
      panel.setAttribute('aria-labelledby', `${id}-tab`);
      panel.hidden = name !== current;
      const badge = this._badges[name];
      return h('button', {
        type: 'button', role: 'tab', id: `${id}-tab`, class: 'tab', 'aria-controls': panel.id,
        'aria-selected': name === current ? 'true' : 'false', tabindex: name === current ? '0' : '-1',
        dataset: { for: name }, onclick: () => this.select(name),
      }, t(panel.dataset.label), badge ? h('span', { class: 'tab-badge' }, String(badge)) : null);
    }));
  }

  onKey(e) {
    const names = this.panels().map((p) => p.dataset.tab);
    const i = names.indexOf(this.selected);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: names.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    this.select(names[(next + names.length) % names.length], true);
  }
}

customElements.define('pml-tabs', PmlTabs);
