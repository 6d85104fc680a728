// <pml-heap> -- the heap as a picture: frames with their names on the left, object cards in
// columns to the right, shared objects (cached small ints, interned strings, singletons) on
// a shelf above, SVG arrows for references (labelled; dashed for weak references), reference
// cycles outlined, refcount badges that flash +1/−1, and the objects freed at this step
// fading out with their cause.  Positions come from the recording's fixed layout
// (lib/layout.js), so stepping never moves a card.
//
// properties: recording (a Recording), index (the step shown), selected (an id or null)
// events out: pml-select-object { id }, pml-heap-expand { type }
//
// Keyboard: the picture is one tab stop; arrow keys move between cards, Enter selects a
// card (its arrows are highlighted), Escape clears the selection.
import { emit, EVENTS } from '../events.js';
import { h, svg } from '../lib/dom.js';
import { reachOrder } from '../lib/layout.js';
import { t, onLanguageChange } from '../i18n.js';

export const LIMIT = 200;
const MAX_ARROWS = 24; // outgoing arrows drawn per object; the rest are counted
const PAD = 16;
const FRAME_W = 184;
const VAR_H = 26;
const FRAME_HEAD = 30;
const CARD_W = 184;
const CARD_H = 80;
const GAP_X = 84;
const GAP_Y = 18;
const CHIP_W = 120;
const CHIP_H = 34;
const CHIP_GAP = 8;
const SHELF_HEAD = 24;

/** A refcount as a badge shows it: exact below 100,000, then 123k / 1.0G (title is exact). */
function compact(n) {
  if (Math.abs(n) < 100_000) return String(n);
  if (Math.abs(n) < 1e9) return `${Math.round(n / 1000)}k`;
  return `${(n / 1e9).toFixed(1)}G`;
}

function colX(col) { return PAD + FRAME_W + GAP_X + (col - 1) * (CARD_W + GAP_X); }

export class PmlHeap extends HTMLElement {
  constructor() {
    super();
    this._recording = null;
    this._index = 0;
    this._selected = null;
    this.expanded = new Set();
    this.focusId = null;
  }

  connectedCallback() {
    if (this.built) return;
    this.built = true;
    this.setAttribute('role', 'region');
    this.canvas = h('div', { class: 'heap-canvas', tabindex: '0', role: 'group' });
    this.summary = h('p', { class: 'heap-summary sr-only', 'aria-live': 'polite' });
    this.note = h('p', { class: 'heap-note', hidden: true });
    this.append(this.summary, this.note, this.canvas);
    this.canvas.addEventListener('keydown', (e) => this.onKey(e));
    this.canvas.addEventListener('click', (e) => {
      const card = e.target.closest?.('[data-id]');
      if (card) this.select(card.dataset.id);
    });
    this.unlisten = onLanguageChange(() => this.render());
    this.render();
  }

  disconnectedCallback() {
    this.unlisten?.();
    this.built = false;
    this.replaceChildren();
  }

  set recording(r) { this._recording = r; this.expanded.clear(); this.focusId = null; this.render(); }
  get recording() { return this._recording; }
  set index(i) { this._index = i; this.render(); }
  get index() { return this._index; }
  set selected(id) { this._selected = id == null ? null : String(id); this.render(); }
  get selected() { return this._selected; }

  expand(type) { this.expanded.add(type); this.render(); }

  select(id) {
    const next = id === this._selected ? null : id;
    this.focusId = id ?? this.focusId;
    emit(this, EVENTS.SELECT_OBJECT, { id: next });
  }

  // ---- which objects are drawn --------------------------------------------------------

  visibleIds(view) {
    const { order } = reachOrder(view.step);
    const all = [...order, ...Object.keys(view.objects).filter((id) => !order.includes(id))]
      .filter((id) => !view.objects[id].shared);
    if (all.length <= LIMIT) return { shown: all, groups: [] };
    const shown = [];
    const grouped = new Map();
    for (const id of all) {
      const type = view.objects[id].type;
      if (shown.length < LIMIT || this.expanded.has(type)) shown.push(id);
      else grouped.set(type, (grouped.get(type) ?? 0) + 1);
    }
    return { shown, groups: [...grouped.entries()] };
  }

  // ---- drawing ----------------------------------------------------------------------------

  render() {
    if (!this.built) return;
    this.setAttribute('aria-label', t('heap.view'));
    const rec = this._recording;
    if (!rec || rec.length === 0 || rec.data.outputOnly) {
      this.canvas.replaceChildren(h('p', { class: 'heap-empty' }, t('heap.empty')));
      this.canvas.style.width = '';
      this.canvas.style.height = '';
      this.summary.textContent = '';
      this.note.hidden = true;
      return;
    }
    const index = Math.min(this._index, rec.length - 1);
    const view = rec.view(index);
    const { layout } = rec;
    const { shown, groups } = this.visibleIds(view);
    const shownSet = new Set(shown);

    // geometry: the shelf on top, frames and columns under it
    const columns = Math.max(1, layout.columns);
    const width = colX(columns) + CARD_W + PAD + 40;
    const perRow = Math.max(4, Math.floor((width - 2 * PAD + CHIP_GAP) / (CHIP_W + CHIP_GAP)));
    const sharedHere = Object.keys(view.objects).filter((id) => view.objects[id].shared);
    // the shelf's size is the recording's, not the step's, so nothing below it ever moves
    const shelfRows = Math.ceil(layout.shelfSlots / perRow);
    const shelfH = shelfRows ? SHELF_HEAD + shelfRows * (CHIP_H + CHIP_GAP) + 14 : 0;
    const top = PAD + shelfH;

    const boxes = new Map(); // id -> { x, y, w, h, kind }
    for (const id of [...shown, ...view.freed.map((f) => f.id)]) {
      const p = layout.pos.get(id);
      if (p) boxes.set(id, { x: colX(p.col), y: top + p.row * (CARD_H + GAP_Y), w: CARD_W, h: CARD_H, kind: 'card' });
    }
    for (const id of sharedHere) {
      const slot = layout.shelf.get(id) ?? 0;
      boxes.set(id, {
        x: PAD + (slot % perRow) * (CHIP_W + CHIP_GAP),
        y: PAD + SHELF_HEAD + Math.floor(slot / perRow) * (CHIP_H + CHIP_GAP),
        w: CHIP_W, h: CHIP_H, kind: 'chip',
      });
    }

    const layer = h('div', { class: 'heap-layer' });
    const arrows = svg('svg', { class: 'heap-arrows', 'aria-hidden': 'true' });
    arrows.append(this.markers());
    const edgeLayer = svg('g');
    const labelLayer = svg('g', { class: 'edge-labels' });
    arrows.append(edgeLayer, labelLayer);

    if (shelfRows) {
      const shelfW = Math.max(560, Math.min(perRow, layout.shelfSlots) * (CHIP_W + CHIP_GAP) - CHIP_GAP + 16);
      layer.append(h('div', {
        class: 'shelf', style: { left: `${PAD - 8}px`, top: `${PAD - 6}px`, width: `${shelfW}px`, height: `${shelfH - 8}px` },
      }, h('span', { class: 'shelf-title' }, t('heap.shelf'))));
    }

    // frames
    let fy = top;
    const varPoints = [];
    view.step.frames.forEach((frame, fi) => {
      const vars = frame.vars ?? [];
      const fh = FRAME_HEAD + Math.max(1, vars.length) * VAR_H + 8;
      const rows = vars.map(([name, id], vi) => {
        const target = view.objects[String(id)];
        const label = t('heap.varLabel', { name, type: target?.type ?? '?', id });
        varPoints.push({ from: [PAD + FRAME_W - 10, fy + FRAME_HEAD + vi * VAR_H + VAR_H / 2], to: String(id), name });
        return h('div', { class: 'var', 'aria-label': label, dataset: { target: String(id) } },
          h('span', { class: 'var-name' }, name), h('span', { class: 'var-dot', 'aria-hidden': 'true' }));
      });
      const isTop = fi === view.step.frames.length - 1;
      layer.append(h('div', {
        class: `frame${isTop ? ' active' : ''}`,
        style: { left: `${PAD}px`, top: `${fy}px`, width: `${FRAME_W}px`, height: `${fh}px` },
      },
      h('div', { class: 'frame-head' }, h('span', {}, frame.name), frame.line ? h('span', { class: 'frame-line' }, `:${frame.line}`) : null),
      ...rows));
      fy += fh + 14;
    });

    // cards and chips
    const sel = this._selected;
    const related = new Set();
    if (sel) {
      related.add(sel);
      for (const [, tgt] of view.objects[sel]?.refs ?? []) related.add(String(tgt));
      for (const [id, o] of Object.entries(view.objects)) {
        if (o.refs?.some(([, tgt]) => String(tgt) === sel)) related.add(id);
      }
    }
    let maxY = fy;
    const cards = [];
    for (const id of shown) {
      const box = boxes.get(id);
      if (!box) continue;
      const el = this.card(id, view.objects[id], view, box, false);
      if (sel && !related.has(id)) el.classList.add('dim');
      cards.push(el);
      maxY = Math.max(maxY, box.y + box.h);
    }
    for (const f of view.freed) {
      const box = boxes.get(f.id);
      if (!box || !f.obj) continue;
      cards.push(this.card(f.id, f.obj, view, box, f.cause));
      maxY = Math.max(maxY, box.y + box.h);
    }
    for (const id of sharedHere) cards.push(this.chip(id, view.objects[id], view, boxes.get(id)));
    layer.append(...cards);

    // collapsed groups
    let gy = maxY + 24;
    groups.forEach(([type, n], i) => {
      const x = colX(1) + (i % 4) * (CARD_W + 12);
      const y = gy + Math.floor(i / 4) * 44;
      layer.append(h('button', {
        type: 'button', class: 'group-chip', title: t('heap.moreTitle', { n, type }),
        style: { left: `${x}px`, top: `${y}px`, width: `${CARD_W}px` },
        onclick: () => { this.expand(type); emit(this, EVENTS.HEAP_EXPAND, { type }); },
      }, t('heap.more', { n, type })));
    });
    if (groups.length) maxY = gy + Math.ceil(groups.length / 4) * 44;

    // arrows
    const drawn = new Set([...shown, ...sharedHere]);
    for (const v of varPoints) {
      const box = boxes.get(v.to);
      if (!box || !drawn.has(v.to)) continue;
      const cls = `edge var-edge${sel && sel === v.to ? ' hl' : ''}${sel && sel !== v.to ? ' dim' : ''}`;
      edgeLayer.append(this.edge(v.from, box, cls, false));
    }
    for (const id of shown) {
      const obj = view.objects[id];
      const box = boxes.get(id);
      if (!box) continue;
      // arrows into the shelf come from variables; from objects only for the selected one
      // (a list of 1,000 small ints would otherwise hide everything behind 1,000 arrows)
      const all = (obj.refs ?? []).filter(([, tgt]) => drawn.has(String(tgt))
        && (boxes.get(String(tgt))?.kind !== 'chip' || sel === id || sel === String(tgt)));
      const refs = all.length > MAX_ARROWS ? all.slice(0, MAX_ARROWS) : all;
      if (all.length > refs.length) {
        labelLayer.append(svg('text', { x: box.x + box.w + 6, y: box.y + box.h + 12, class: 'edge-label' },
          t('heap.moreRefs', { n: all.length - refs.length })));
      }
      refs.forEach(([label, tgt], i) => {
        const to = String(tgt);
        const tb = boxes.get(to);
        const n = refs.length;
        const sy = box.y + (n === 1 ? box.h / 2 : 16 + i * ((box.h - 28) / (n - 1)));
        const weak = obj.weak && label === 'weak';
        const cycle = !weak && view.cycles.has(id) && view.cycles.get(id) === view.cycles.get(to);
        let cls = 'edge';
        if (weak) cls += ' weak';
        if (cycle) cls += ' cycle';
        if (sel) cls += (sel === id || sel === to) ? ' hl' : ' dim';
        edgeLayer.append(this.edge([box.x + box.w, sy], tb, cls, to === id, box));
        if (label && !weak) {
          labelLayer.append(svg('text', { x: box.x + box.w + 6, y: sy - 5, class: `edge-label${sel && sel !== id && sel !== to ? ' dim' : ''}` }, label));
        } else if (weak) {
          labelLayer.append(svg('text', { x: box.x + box.w + 6, y: sy - 5, class: 'edge-label weak' }, t('heap.weak')));
        }
      });
    }

    const height = Math.max(maxY, fy) + PAD + 20;
    arrows.setAttribute('width', width);
    arrows.setAttribute('height', height);
    arrows.setAttribute('viewBox', `0 0 ${width} ${height}`);
    layer.prepend(arrows);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.canvas.replaceChildren(layer);

    const cycleCount = [...view.cycles.keys()].length;
    const text = t('heap.summary', {
      objects: Object.keys(view.objects).length, shared: sharedHere.length, cycles: cycleCount, freed: view.freed.length,
    });
    this.summary.textContent = text;
    this.canvas.setAttribute('aria-label', `${t('heap.view')}: ${text}`);
    const notes = [];
    if (groups.length) notes.push(t('heap.hidden', { limit: LIMIT }));
    if (view.step.objectsTruncated) notes.push(t('heap.truncated'));
    if (view.step.hiddenObjects) notes.push(t('heap.internalsHidden', { n: view.step.hiddenObjects }));
    this.note.hidden = notes.length === 0;
    this.note.textContent = notes.join(' ');

    // roving focus: keep the focused card focusable (and focused) across steps
    const focusables = [...this.canvas.querySelectorAll('[data-id]')];
    const keep = focusables.find((el) => el.dataset.id === this.focusId);
    if (keep) {
      keep.tabIndex = 0;
      if (this.hadFocus) keep.focus({ preventScroll: false });
    }
    this.hadFocus = false;
  }

  markers() {
    const defs = svg('defs');
    for (const kind of ['normal', 'weak', 'cycle', 'hl']) {
      defs.append(svg('marker', {
        id: `pml-arrow-${kind}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7,
        orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse',
      }, svg('path', { d: 'M0,0 L10,5 L0,10 z', class: `arrowhead ${kind}` })));
    }
    return defs;
  }

  edge([sx, sy], box, cls, self = false, from = null) {
    let d;
    if (self && from) {
      const x = from.x + from.w;
      d = `M${sx},${sy} C${x + 46},${sy - 44} ${x + 46},${from.y - 30} ${x - 24},${from.y}`;
    } else if (box.kind === 'chip') {
      const tx = box.x + box.w / 2;
      const ty = box.y + box.h;
      d = `M${sx},${sy} C${sx + 60},${sy} ${tx},${ty + 70} ${tx},${ty + 1}`;
    } else if (box.x > sx + 16) {
      const tx = box.x - 1;
      const ty = box.y + box.h / 2;
      const dx = Math.max(30, (tx - sx) / 2);
      d = `M${sx},${sy} C${sx + dx},${sy} ${tx - dx},${ty} ${tx},${ty}`;
    } else {
      // to the same column or back to the left: come into the target's right side
      const tx = box.x + box.w + 1;
      const ty = box.y + box.h / 2 + (box.y + box.h / 2 > sy ? -10 : 10);
      const bend = 48 + Math.min(80, Math.abs(ty - sy) / 6);
      d = `M${sx},${sy} C${sx + bend},${sy} ${tx + bend},${ty} ${tx},${ty}`;
    }
    const kind = cls.includes(' hl') ? 'hl' : cls.includes('cycle') ? 'cycle' : cls.includes('weak') ? 'weak' : 'normal';
    return svg('path', { d, class: cls, 'marker-end': `url(#pml-arrow-${kind})` });
  }

  badge(id, obj, view, freed) {
    const delta = freed ? null : view.deltas.get(id);
    const b = h('span', {
      class: `badge${delta > 0 ? ' up' : delta < 0 ? ' down' : ''}`,
      title: t('heap.refcount', { n: obj.refcount }),
      dataset: { refcount: String(obj.refcount), delta: delta ? String(delta) : '' },
    }, compact(obj.refcount));
    if (delta) {
      b.append(h('span', { class: 'delta', 'aria-label': t('heap.delta', { delta: delta > 0 ? `+${delta}` : `−${-delta}` }) },
        delta > 0 ? `+${delta}` : `−${-delta}`));
    }
    return b;
  }

  card(id, obj, view, box, freedCause) {
    const inCycle = !freedCause && view.cycles.has(id);
    const names = view.names.get(id) ?? [];
    const meta = [t('heap.size', { n: obj.size })];
    meta.push(obj.tracked ? t('heap.gen', { n: obj.gen ?? '?' }) : t('heap.untracked'));
    const label = t('heap.cardLabel', { type: obj.type, id, repr: obj.repr, refcount: obj.refcount, size: obj.size })
      + (names.length ? ` (${names.join(', ')})` : '')
      + (inCycle ? `, ${t('heap.inCycle')}` : '')
      + (freedCause ? `, ${t(`heap.freed.${freedCause}`)}` : '');
    const el = h('div', {
      class: `card${inCycle ? ' in-cycle' : ''}${freedCause ? ' freed' : ''}${view.fresh.has(id) && view.index > 0 ? ' fresh' : ''}${this._selected === id ? ' selected' : ''}`,
      role: 'button', tabindex: '-1', 'aria-label': label, 'aria-pressed': this._selected === id ? 'true' : 'false',
      dataset: { id, type: obj.type },
      style: { left: `${box.x}px`, top: `${box.y}px`, width: `${box.w}px`, height: `${box.h}px` },
    },
    h('div', { class: 'card-head' },
      h('span', { class: 'card-type' }, obj.type),
      inCycle ? h('span', { class: 'cycle-tag', title: t('heap.inCycle') }, `↻ ${t('heap.cycle')}`) : null,
      this.badge(id, obj, view, freedCause)),
    h('div', { class: 'card-repr', title: obj.repr }, obj.repr),
    h('div', { class: 'card-meta' },
      h('span', {}, meta.join(' · ')),
      h('span', { class: `tracked-dot${obj.tracked ? ' on' : ''}`, title: obj.tracked ? t('heap.tracked') : t('heap.notTracked') }, obj.tracked ? '●' : '○'),
      h('span', { class: 'card-id', title: `id ${id}` }, `…${id.slice(-4)}`)),
    freedCause ? h('div', { class: `freed-cause ${freedCause}` }, t(`heap.freed.${freedCause}`)) : null);
    return el;
  }

  chip(id, obj, view, box) {
    const kind = t(`heap.shared.${obj.shared}`);
    return h('div', {
      class: `chip${this._selected === id ? ' selected' : ''}`, role: 'button', tabindex: '-1',
      'aria-label': `${kind}: ${t('heap.cardLabel', { type: obj.type, id, repr: obj.repr, refcount: obj.refcount, size: obj.size })}`,
      title: `${kind} · ${obj.type} · ${t('heap.refcount', { n: obj.refcount })}`,
      dataset: { id, type: obj.type, shared: obj.shared },
      style: { left: `${box.x}px`, top: `${box.y}px`, width: `${box.w}px`, height: `${box.h}px` },
    }, h('span', { class: 'chip-repr' }, obj.repr), this.badge(id, obj, view, false));
  }

  // ---- keyboard -------------------------------------------------------------------------

  onKey(e) {
    const items = [...this.canvas.querySelectorAll('[data-id]')];
    if (!items.length) return;
    const current = this.shadowActive();
    const cur = items.includes(current) ? current : null;
    const dirs = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key in dirs) {
      e.preventDefault();
      const next = cur ? this.nearest(cur, items, dirs[e.key]) : items[0];
      if (next) this.focusItem(next, items);
    } else if ((e.key === 'Enter' || e.key === ' ') && cur) {
      e.preventDefault();
      this.hadFocus = true;
      this.select(cur.dataset.id);
    } else if (e.key === 'Escape' && this._selected) {
      e.preventDefault();
      emit(this, EVENTS.SELECT_OBJECT, { id: null });
    } else if (e.key === 'Home') {
      e.preventDefault();
      this.focusItem(items[0], items);
    }
  }

  shadowActive() {
    const root = this.getRootNode();
    return root.activeElement ?? document.activeElement;
  }

  focusItem(el, items) {
    for (const it of items) it.tabIndex = -1;
    el.tabIndex = 0;
    el.focus();
    this.focusId = el.dataset.id;
  }

  nearest(cur, items, [dx, dy]) {
    const c = cur.getBoundingClientRect();
    let best = null, bestScore = Infinity;
    for (const el of items) {
      if (el === cur) continue;
      const r = el.getBoundingClientRect();
      const vx = (r.left + r.width / 2) - (c.left + c.width / 2);
      const vy = (r.top + r.height / 2) - (c.top + c.height / 2);
      const along = vx * dx + vy * dy;
      if (along <= 1) continue;
      const across = Math.abs(vx * dy) + Math.abs(vy * dx);
      const score = along + across * 2;
      if (score < bestScore) { bestScore = score; best = el; }
    }
    return best;
  }

  /** Remember that focus was inside before a re-render caused by stepping. */
  noteFocus() {
    this.hadFocus = this.canvas?.contains(this.shadowActive()) ?? false;
  }
}

customElements.define('pml-heap', PmlHeap);
