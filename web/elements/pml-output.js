// <pml-output> -- the program's stdout and stderr (tracebacks) up to the shown step.
// Everything a program prints is inserted with textContent: it is never markup.
//
// properties: recording (a Recording), index (the step shown)
import { h } from '../lib/dom.js';
import { t, onLanguageChange } from '../i18n.js';

export class PmlOutput extends HTMLElement {
  constructor() { super(); this._recording = null; this._index = 0; this._message = null; }

  connectedCallback() {
    if (this.built) return;
    this.built = true;
    this.pre = h('pre', { class: 'output', tabindex: '0' });
    this.more = h('p', { class: 'output-more', hidden: true });
    this.append(this.pre, this.more);
    this.unlisten = onLanguageChange(() => this.render());
    this.render();
  }

  disconnectedCallback() { this.unlisten?.(); this.built = false; this.replaceChildren(); }

  set recording(r) { this._recording = r; this._message = null; this.render(); }
  set index(i) { this._index = i; this.render(); }
  /** A message from the page itself (load failure, stopped run): { text, kind }. */
  set message(m) { this._message = m; this.render(); }

  render() {
    if (!this.built) return;
    this.pre.setAttribute('aria-label', t('output.label'));
    const parts = [];
    let more = false;
    const rec = this._recording;
    if (rec && rec.length) {
      const out = rec.output(Math.min(this._index, rec.length - 1));
      if (out.stdout) parts.push(h('span', { class: 'stdout' }, out.stdout));
      if (out.stderr) parts.push(h('span', { class: 'stderr' }, out.stderr));
      more = out.more;
    }
    if (this._message) parts.push(h('span', { class: `note ${this._message.kind ?? ''}` }, this._message.text));
    if (!parts.length) parts.push(h('span', { class: 'placeholder' }, t('output.empty')));
    this.pre.replaceChildren(...parts);
    this.more.hidden = !more;
    this.more.textContent = more ? t('output.future') : '';
  }

  /** The text shown (for tests and copy). */
  get text() { return this.pre?.textContent ?? ''; }
}

customElements.define('pml-output', PmlOutput);
