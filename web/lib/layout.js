// layout.js -- where each object of a recording is drawn, fixed for the whole recording so
// that stepping never moves a card.
//
// Non-shared objects go into columns by their distance from the frames' variables when
// they first appear (column 1: named directly; 2: one reference further; ...).  Inside a
// column, an object takes the first row that no other object occupies during its lifetime
// (first step it is seen .. the step it is freed), so rows are reused once their owner is
// gone and an object keeps its row from birth to death.  Shared objects (small ints,
// interned strings, singletons) are packed the same way into the slots of the shelf.

export const MAX_COLUMN = 6;
/** A depth with more rows than this wraps into further columns (a grid, not a tower). */
export const ROWS_PER_COLUMN = 14;

/** Objects reachable from the frames of a step, in breadth-first order, with depths. */
export function reachOrder(step) {
  const depth = new Map();
  const queue = [];
  for (const frame of step.frames ?? []) {
    for (const [, id] of frame.vars ?? []) {
      const key = String(id);
      if (!depth.has(key) && step.objects?.[key]) { depth.set(key, 1); queue.push(key); }
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i];
    const obj = step.objects[id];
    for (const [, target] of obj.refs ?? []) {
      const key = String(target);
      if (!depth.has(key) && step.objects[key]) { depth.set(key, depth.get(id) + 1); queue.push(key); }
    }
  }
  return { depth, order: queue };
}

function overlaps(intervals, first, last) {
  for (const [a, b] of intervals) if (first <= b && a <= last) return true;
  return false;
}

function firstFreeLane(lanes, first, last) {
  let r = 0;
  while (r < lanes.length && overlaps(lanes[r], first, last)) r++;
  if (r === lanes.length) lanes.push([]);
  lanes[r].push([first, last]);
  return r;
}

/**
 * layoutRecording(steps) -> { pos: Map id -> { col, row, depth }, shelf: Map id -> slot,
 *                             columns, rows, shelfSlots }
 * col counts from 1 (the frames are column 0); a depth whose objects need more than
 * ROWS_PER_COLUMN rows takes several adjacent columns.
 */
export function layoutRecording(steps) {
  const life = new Map(); // id -> { first, last, depth, seq, shared }
  let seq = 0;
  steps.forEach((step, i) => {
    const { depth, order } = reachOrder(step);
    const ids = [...order, ...Object.keys(step.objects ?? {}).filter((id) => !depth.has(id))];
    for (const id of ids) {
      const obj = step.objects[id];
      const known = life.get(id);
      if (known) { known.last = i; continue; }
      let d = depth.get(id);
      if (d === undefined) {
        // not reachable from a variable (garbage awaiting the collector): next to a parent
        d = 1;
        for (const [pid, p] of Object.entries(step.objects)) {
          if (p.refs?.some(([, t]) => String(t) === id) && life.has(pid)) {
            d = Math.min(MAX_COLUMN, (life.get(pid).depth ?? 0) + 1);
            break;
          }
        }
      }
      life.set(id, { first: i, last: i, depth: Math.min(d, MAX_COLUMN), seq: seq++, shared: !!obj.shared });
    }
    for (const f of step.freed ?? []) {
      const known = life.get(String(f.id));
      if (known) known.last = i;
    }
  });

  const entries = [...life.entries()].sort((a, b) => a[1].seq - b[1].seq);
  const depthLanes = new Map();
  const shelfLanes = [];
  const lane = new Map();
  const shelf = new Map();
  for (const [id, l] of entries) {
    if (l.shared) {
      shelf.set(id, firstFreeLane(shelfLanes, l.first, l.last));
      continue;
    }
    if (!depthLanes.has(l.depth)) depthLanes.set(l.depth, []);
    lane.set(id, [l.depth, firstFreeLane(depthLanes.get(l.depth), l.first, l.last)]);
  }
  // depth d starts after all the columns of the depths before it
  const firstColumn = new Map();
  let columns = 0;
  for (let d = 1; d <= MAX_COLUMN; d++) {
    firstColumn.set(d, columns + 1);
    const lanes = depthLanes.get(d)?.length ?? 0;
    columns += lanes ? Math.ceil(lanes / ROWS_PER_COLUMN) : 0;
  }
  const pos = new Map();
  let rows = 0;
  for (const [id, [d, r]] of lane) {
    const row = r % ROWS_PER_COLUMN;
    pos.set(id, { col: firstColumn.get(d) + Math.floor(r / ROWS_PER_COLUMN), row, depth: d });
    rows = Math.max(rows, row + 1);
  }
  return { pos, shelf, columns, rows, shelfSlots: shelfLanes.length };
}
