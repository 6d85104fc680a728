// <pml-memory> -- memory as the allocator and tracemalloc see it: tracemalloc's current and
// peak traced bytes across the steps (when the program traces), and pymalloc's arenas, pools
// and blocks, each pool coloured by its size class and filled to its share of used blocks.
//
// properties: recording (a Recording), index (the step shown)
// events out: pml-seek { index } (clicking the chart)
//
// The pool map is the recording's "pools" (per step, or once for the end of the run):
//   { "arenas": [ { "index": 0, "pools": [ [szidx, used, capacity, state], ... ] } ] }
// state: 0 not carved, 1 empty, 2 used, 3 full; szidx -1 for a pool not carved yet.
import { emit, EVENTS } from '../events.js';
import { h, svg } from '../lib/dom.js';
import { t, formatBytes, onLanguageChange } from '../i18n.js';

const STATES = ['uncarved', 'empty', 'used', 'full'];

// viridis, a colour-blind-safe sequential map, sampled at 9 points and interpolated
const VIRIDIS = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'];
export function classColour(szidx) {
  const x = Math.max(0, Math.min(1, szidx / 31)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i], b = VIRIDIS[i + 1];
  const c = [1, 3, 5].map((k) => Math.round(parseInt(a.slice(k, k + 2), 16) * (1 - f) + parseInt(b.slice(k, k + 2), 16) * f));
  return `rgb(${c.join(',')})`;
}

export class PmlMemory extends HTMLElement {
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

  chart(rec, index) {
    const pts = rec.steps.map((s) => s.tracemalloc);
    const W = 520, H = 120, P = 6;
    const max = Math.max(1, ...pts.map((p) => p?.peak ?? p?.current ?? 0));
    const x = (i) => P + (rec.length > 1 ? (i / (rec.length - 1)) * (W - 2 * P) : 0);
    const y = (v) => H - P - (v / max) * (H - 2 * P);
    const line = (key) => {
      let d = '';
      pts.forEach((p, i) => {
        if (!p) return;
        d += `${d && pts[i - 1] ? 'L' : 'M'}${x(i).toFixed(1)},${y(p[key] ?? 0).toFixed(1)}`;
      });
      return d;
    };
    const cur = pts[index];
    const graph = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'tm-chart', role: 'img',
      'aria-label': cur ? `${t('mem.current', { n: formatBytes(cur.current) })}, ${t('mem.peak', { n: formatBytes(cur.peak) })}` : t('mem.tracemalloc') },
    svg('path', { d: line('peak'), class: 'tm-peak' }),
    svg('path', { d: line('current'), class: 'tm-current' }),
    svg('line', { x1: x(index), x2: x(index), y1: 0, y2: H, class: 'tm-cursor' }));
    graph.addEventListener('click', (e) => {
      const r = graph.getBoundingClientRect();
      const i = Math.round(((e.clientX - r.left) / r.width * W - P) / (W - 2 * P) * (rec.length - 1));
      emit(this, EVENTS.SEEK, { index: Math.max(0, Math.min(rec.length - 1, i)) });
    });
    return h('div', { class: 'tm' },
      h('p', { class: 'tm-numbers' },
        h('span', { class: 'swatch current' }), ` ${t('mem.current', { n: cur ? formatBytes(cur.current) : '—' })}  `,
        h('span', { class: 'swatch peak' }), ` ${t('mem.peak', { n: cur ? formatBytes(cur.peak) : '—' })}`),
      graph);
  }

  poolMap(pools) {
    let poolsInUse = 0, blocks = 0;
    const arenas = (pools.arenas ?? []).map((arena) => {
      const cells = (arena.pools ?? []).map(([szidx, used, capacity, state], j) => {
        const st = STATES[state] ?? 'uncarved';
        if (state >= 2) { poolsInUse++; blocks += used; }
        const title = state === 0 ? t('mem.poolUncarved', { pool: j })
          : t('mem.poolTitle', { pool: j, state: t(`mem.state.${st}`), cls: szidx, size: (szidx + 1) * 16, used, capacity });
        const fill = capacity ? Math.round((used / capacity) * 100) : 0;
        const cell = h('span', { class: `pool ${st}`, title, role: 'img', 'aria-label': title });
        if (state >= 1) {
          cell.style.setProperty('--pool-colour', classColour(szidx));
          cell.append(h('span', { class: 'pool-fill', style: { height: `${state === 1 ? 0 : Math.max(4, fill)}%` } }));
        }
        return cell;
      });
      return h('div', { class: 'arena' },
        h('span', { class: 'arena-label', title: t('mem.arenaTitle', { n: arena.index }) }, `#${arena.index}`),
        h('div', { class: 'pools' }, cells));
    });
    const legend = h('div', { class: 'pool-legend', 'aria-hidden': 'true' },
      h('span', {}, t('mem.legend')),
      ...[0, 3, 7, 15, 23, 31].map((i) => h('span', { class: 'legend-item' },
        h('span', { class: 'legend-swatch', style: { background: classColour(i) } }), `${(i + 1) * 16} B`)));
    return [
      h('p', { class: 'muted' }, t('mem.stats', { arenas: arenas.length, pools: poolsInUse, blocks })),
      legend,
      h('div', { class: 'arenas' }, arenas),
    ];
  }

  render() {
    if (!this.built) return;
    const rec = this._recording;
    if (!rec?.length || rec.data.outputOnly) { this.replaceChildren(h('p', { class: 'muted' }, t('heap.empty'))); return; }
    const index = Math.min(this._index, rec.length - 1);
    const parts = [h('h4', {}, t('mem.tracemalloc'))];
    if (rec.steps.some((s) => s.tracemalloc)) parts.push(this.chart(rec, index));
    else parts.push(h('p', { class: 'muted' }, t('mem.noTracemalloc')));
    parts.push(h('h4', {}, t('mem.arenas')));
    const stepPools = rec.steps[index].pools;
    const pools = stepPools ?? rec.data.pools;
    if (pools) {
      if (!stepPools) parts.push(h('p', { class: 'muted' }, t('mem.atEnd')));
      parts.push(...this.poolMap(pools));
    } else {
      parts.push(h('p', { class: 'muted' }, t('mem.noPools')));
    }
    this.replaceChildren(...parts);
  }
}

customElements.define('pml-memory', PmlMemory);
