// <pml-stepper> -- Run, Stop, Back, Step, the step slider and Reset, with the position and
// the run's status.
//
// properties: state = { total, index, line, running, canStop, ready }
//             status = { text, kind }   kind: '' | 'ok' | 'error' | 'busy'
// events out: pml-run, pml-stop, pml-step { delta }, pml-seek { index }, pml-reset
import { emit, EVENTS } from '../events.js';
import { h } from '../lib/dom.js';
import { t, onLanguageChange } from '../i18n.js';

export class PmlStepper extends HTMLElement {
  constructor() {
    super();
    this._state = { total: 0, index: 0, line: 0, running: false, canStop: true, ready: false };
    this._status = { text: '', kind: '' };
  }

  connectedCallback() {
    if (this.built) return;
    this.built = true;
    const button = (cls, onclick) => h('button', { type: 'button', class: cls, onclick });
    this.runBtn = button('run primary', () => emit(this, EVENTS.RUN));
    this.stopBtn = button('stop danger', () => emit(this, EVENTS.STOP));
    this.backBtn = button('back', () => emit(this, EVENTS.STEP, { delta: -1 }));
    this.stepBtn = button('step', () => emit(this, EVENTS.STEP, { delta: 1 }));
    this.resetBtn = button('reset quiet', () => emit(this, EVENTS.RESET));
    this.slider = h('input', { type: 'range', class: 'slider', min: 0, max: 0, value: 0, step: 1 });
    this.slider.addEventListener('input', () => emit(this, EVENTS.SEEK, { index: Number(this.slider.value) }));
    this.position = h('span', { class: 'position', 'aria-live': 'polite' });
    this.statusEl = h('span', { class: 'status', role: 'status' });
    this.spinner = h('span', { class: 'spinner', 'aria-hidden': 'true' });
    this.append(
      h('div', { class: 'stepper-buttons', role: 'toolbar' },
        this.runBtn, this.stopBtn, this.backBtn, this.stepBtn, this.slider, this.resetBtn),
      h('div', { class: 'stepper-info' }, this.position, this.spinner, this.statusEl),
    );
    this.unlisten = onLanguageChange(() => this.render());
    this.render();
  }

  disconnectedCallback() {
    this.unlisten?.();
    this.built = false;
    this.replaceChildren();
  }

  set state(s) { this._state = { ...this._state, ...s }; this.render(); }
  get state() { return this._state; }
  set status(s) { this._status = s; this.render(); }

  render() {
    if (!this.built) return;
    const { total, index, line, running, canStop, ready } = this._state;
    const label = (btn, text, title) => {
      btn.textContent = text;
      btn.title = title;
      btn.setAttribute('aria-label', title);
    };
    label(this.runBtn, `▶ ${t('ctl.run')}`, t('ctl.runTitle'));
    label(this.stopBtn, `■ ${t('ctl.stop')}`, t('ctl.stopTitle'));
    label(this.backBtn, `◀ ${t('ctl.back')}`, t('ctl.backTitle'));
    label(this.stepBtn, `${t('ctl.step')} ▶`, t('ctl.stepTitle'));
    label(this.resetBtn, `↺ ${t('ctl.reset')}`, t('ctl.resetTitle'));
    this.slider.setAttribute('aria-label', t('ctl.slider'));
    this.runBtn.hidden = running;
    this.stopBtn.hidden = !running;
    this.stopBtn.disabled = !canStop;
    this.runBtn.disabled = !ready;
    this.stepBtn.disabled = !ready || running || (total > 0 && index >= total - 1);
    this.backBtn.disabled = !ready || running || total === 0 || index <= 0;
    this.resetBtn.disabled = running || total === 0;
    this.slider.disabled = running || total <= 1;
    this.slider.max = String(Math.max(0, total - 1));
    this.slider.value = String(index);
    const text = total === 0 ? t('ctl.noRecording')
      : line ? t('ctl.positionLine', { index: index + 1, total, line })
        : t('ctl.position', { index: index + 1, total });
    this.position.textContent = text;
    this.slider.setAttribute('aria-valuetext', text);
    this.spinner.hidden = !running;
    this.statusEl.textContent = this._status.text;
    this.statusEl.className = `status ${this._status.kind}`;
  }
}

customElements.define('pml-stepper', PmlStepper);
