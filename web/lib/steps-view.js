// steps-view.js -- a trace of C steps (wasm/heapsteps.mjs) as a table, for the lessons panel
// and the heap exercises.  One row per statement (then the caller's Py_DECREF and the
// collector, after a return): the line; the statement as C, the lab.heap calls that did it
// and what it did, in one cell; then one column per object with its reference count after the row, how
// many of those references the code owns (or leaked, once the function has returned), NULL
// slots, and "freed" with how.  Everything is text (textContent): reprs, names and the
// core's messages never become markup.
//
//   panel.append(renderTrace(trace));
import { h } from './dom.js';
import { t, getLanguage } from '../i18n.js';

const pick = (text) => text?.[getLanguage()] ?? text?.en ?? '';

/** The trace as a table and a one-line summary (or the syntax errors, when it did not parse). */
export function renderTrace(trace) {
  const box = h('div', { class: 'steps-trace' });
  if (trace.errors?.length) {
    box.append(h('ul', { class: 'steps-errors' },
      trace.errors.map((e) => h('li', {}, t('steps.error', { line: e.line, text: pick(e.text) })))));
    return box;
  }
  const label = (handle) => trace.objects.find((o) => o.handle === handle)?.label ?? `#${handle}`;
  const head = h('tr', {},
    h('th', { scope: 'col', class: 'step-line' }, t('steps.line')),
    h('th', { scope: 'col' }, t('steps.code')),
    trace.objects.map((o) => h('th', { scope: 'col', class: 'step-obj' },
      h('span', { class: 'obj-name' }, o.label), ' ', h('span', { class: 'obj-type' }, o.type))));
  let before = {};
  const rows = trace.steps.map((row) => {
    const tr = h('tr', { class: `phase-${row.phase}${row.error ? ' refused' : ''}` },
      h('th', { scope: 'row', class: 'step-line' }, row.phase === 'function' ? String(row.line)
        : h('span', { class: 'phase', title: t(`steps.phaseTitle.${row.phase}`) }, t(`steps.phase.${row.phase}`))),
      h('td', { class: 'step-code' }, h('code', { class: 'c' }, row.c),
        row.calls.length ? h('code', { class: 'js' }, row.calls.join('; ')) : null,
        h('span', { class: 'step-result' }, resultText(row, label))),
      trace.objects.map((o) => cell(row.state[o.handle], before[o.handle], row.phase)));
    before = row.state;
    return tr;
  });
  const table = h('table', { class: 'steps-table' },
    h('caption', {}, t('steps.caption')), h('thead', {}, head), h('tbody', {}, rows));
  box.append(h('div', { class: 'steps-scroll', tabindex: '0', role: 'region', 'aria-label': t('steps.region') }, table),
    outcome(trace, label));
  return box;
}

function resultText(row, label) {
  if (row.error) return [h('span', { class: 'refused-mark', 'aria-hidden': 'true' }, '✗ '), t('steps.r.refused', { code: row.error.code })];
  const r = row.result;
  const name = (handle) => (handle == null ? 'NULL' : label(handle));
  let text = '';
  switch (r?.kind) {
    case 'new': text = t('steps.r.new'); break;
    case 'newref': text = t('steps.r.newref', { name: name(r.handle) }); break;
    case 'borrowed': text = r.handle == null ? t('steps.r.borrowedNull') : t('steps.r.borrowed', { name: name(r.handle) }); break;
    case 'alias': text = r.handle == null ? 'NULL' : t('steps.r.alias', { name: name(r.handle) }); break;
    case 'incref': text = t('steps.r.refcount', { n: r.refcount }); break;
    case 'decref': text = r.refcount === 0 ? t('steps.r.zero') : t('steps.r.refcount', { n: r.refcount }); break;
    case 'clear': text = `${r.refcount === 0 ? t('steps.r.zero') : t('steps.r.refcount', { n: r.refcount })}; ${t('steps.r.cleared')}`; break;
    case 'null-noop': text = t('steps.r.nullNoop'); break;
    case 'append': text = t('steps.r.append'); break;
    case 'steal': text = t('steps.r.steal'); break;
    case 'dictset': text = t('steps.r.dictset'); break;
    case 'delitem': text = t('steps.r.delitem'); break;
    case 'refcnt': text = t('steps.r.refcnt', { n: r.refcount }); break;
    case 'collect': text = t('steps.r.collect', { n: r.found }); break;
    case 'return': text = t('steps.r.return'); break;
    default: text = '';
  }
  const freed = row.freed.length
    ? h('span', { class: 'freed-note' }, t('steps.r.freed', { names: row.freed.map((f) => label(f.handle)).join(', ') }))
    : null;
  return [text, freed && text ? ' · ' : null, freed];
}

function cell(s, before, phase) {
  if (!s) return h('td', { class: 'step-cell none' });
  if (!s.alive) {
    const just = before?.alive;
    return h('td', { class: `step-cell freed${just ? ' just-freed' : ''}` },
      s.freed === 'gc' ? t('steps.cell.freedGc') : t('steps.cell.freed'));
  }
  const parts = [h('span', { class: 'count' }, s.static ? t('steps.cell.static') : String(s.refcount))];
  if (!s.static && before?.alive && before.refcount !== s.refcount) {
    const d = s.refcount - before.refcount;
    parts.push(' ', h('span', { class: `delta ${d > 0 ? 'up' : 'down'}` }, d > 0 ? `+${d}` : `−${-d}`));
  }
  if (s.owned > 0) {
    parts.push(' · ', h('span', { class: phase === 'function' ? 'owned' : 'owned leaked' },
      t(phase === 'function' ? 'steps.cell.owned' : 'steps.cell.leaked', { n: s.owned })));
  }
  if (s.nulls > 0) parts.push(' · ', h('span', { class: 'nulls' }, t('steps.cell.nulls', { n: s.nulls })));
  return h('td', { class: 'step-cell alive', title: s.repr ?? '' }, parts);
}

function outcome(trace, label) {
  const names = (handles) => handles.map(label).join(', ');
  const refused = trace.refused;
  const end = trace.end;
  let text;
  let good = false;
  if (refused?.phase === 'function') text = t('steps.outcome.refused', { line: refused.line, text: pick(refused.text) });
  else if (refused) text = t('steps.outcome.callerRefused', { text: pick(refused.text) });
  else if (end?.leaks.length) {
    text = t('steps.outcome.leak', { list: end.leaks.map((l) => `${label(l.handle)} ×${l.count}`).join(', ') });
  } else if (end?.nullSlots.length) text = t('steps.outcome.nullSlots', { list: names(end.nullSlots.map((n) => n.handle)) });
  else if (end?.cycle.length) text = t('steps.outcome.cycle', { list: names(end.cycle) });
  else {
    good = true;
    text = trace.returned != null ? t('steps.outcome.okReturn') : t('steps.outcome.ok');
  }
  return h('p', { class: `steps-outcome ${good ? 'ok' : 'bad'}` }, text);
}
