// recording.js -- a recording (core/trace/SNAPSHOT.md) with what the views derive from it:
// the fixed layout, refcount changes, freed objects' last known state, cycles, the names
// that point at each object and the output written before each step.
import { layoutRecording } from './layout.js';
import { cyclesOf } from './scc.js';

// What "hide internals" leaves out: the machinery every class, function and module carries
// (mro and bases, code objects, globals and builtins, names and docstrings, dunder entries
// of class dicts, instances' __class__), so that a beginner's picture shows the program's
// own objects.  Objects only reachable through hidden references are hidden; an object
// reachable from no variable at all (garbage awaiting the collector) is always shown.
const INTERNAL_LABELS = new Set(['__globals__', '__builtins__', '__code__', '__module__', '__doc__',
  '__name__', '__qualname__', '__mro__', '__bases__', '__base__', '__class__']);
const OPAQUE_TYPES = new Set(['module', 'code', 'builtin_function_or_method', 'getset_descriptor',
  'member_descriptor', 'method_descriptor', 'wrapper_descriptor', 'classmethod_descriptor']);
const DUNDER_ITEM = /^\['__\w+__'\]$/;

function visibleRefs(obj) {
  if (OPAQUE_TYPES.has(obj.type)) return [];
  const refs = obj.refs ?? [];
  if (obj.type === 'type') return refs.filter(([label]) => label === '__dict__');
  const out = [];
  for (let i = 0; i < refs.length; i++) {
    const [label] = refs[i];
    if (INTERNAL_LABELS.has(label)) continue;
    if (label === 'key→' && DUNDER_ITEM.test(refs[i + 1]?.[0] ?? '')) { i++; continue; }
    if (DUNDER_ITEM.test(label)) continue;
    out.push(refs[i]);
  }
  return out;
}

function reachable(objects, frames, refsOf) {
  const seen = new Set();
  const queue = [];
  for (const f of frames) {
    for (const [, id] of f.vars ?? []) {
      const key = String(id);
      if (objects[key] && !seen.has(key)) { seen.add(key); queue.push(key); }
    }
  }
  for (let i = 0; i < queue.length; i++) {
    for (const [, t] of refsOf(queue[i])) {
      const key = String(t);
      if (objects[key] && !seen.has(key)) { seen.add(key); queue.push(key); }
    }
  }
  return seen;
}

/** The step as drawn without internals: hidden objects and references removed. */
export function simplifyStep(step) {
  const all = step.objects;
  const full = reachable(all, step.frames, (id) => all[id].refs ?? []);
  const shown = reachable(all, step.frames, (id) => visibleRefs(all[id]));
  const objects = {};
  let hidden = 0;
  for (const [id, obj] of Object.entries(all)) {
    if (full.has(id) && !shown.has(id)) { hidden++; continue; }
    objects[id] = { ...obj, refs: visibleRefs(obj).filter(([, t]) => all[String(t)]) };
  }
  for (const obj of Object.values(objects)) obj.refs = obj.refs.filter(([, t]) => objects[String(t)]);
  return { ...step, objects, hiddenObjects: hidden };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function parseRecording(input) {
  const rec = typeof input === 'string' ? JSON.parse(input) : input;
  if (!rec || typeof rec !== 'object' || !Array.isArray(rec.steps)) {
    throw new Error('not a PyMemLab recording (no steps)');
  }
  if (rec.version !== 1) throw new Error(`unsupported recording version ${rec.version}`);
  for (const step of rec.steps) {
    step.frames ??= [];
    step.objects ??= {};
    step.freed ??= [];
    step.events ??= [];
    step.gc ??= null;
  }
  return rec;
}

export class Recording {
  /** input: the JSON (text or parsed); internals: draw classes' and functions' insides. */
  constructor(input, { internals = false } = {}) {
    this.data = input instanceof Recording ? input.data : parseRecording(input);
    this.internals = internals;
    this.steps = internals ? this.data.steps : this.data.steps.map(simplifyStep);
    this.layout = layoutRecording(this.steps);
    this.stdoutBytes = encoder.encode(this.data.stdout ?? '');
    this.stderrBytes = encoder.encode(this.data.stderr ?? '');
    this.views = new Map();
  }

  get length() { return this.steps.length; }

  /** The same recording with internals shown or hidden. */
  withInternals(internals) {
    return internals === this.internals ? this : new Recording(this, { internals });
  }
  get status() { return this.data.status; }

  /** Every collection of the run: [{ index, collection }]. */
  collections() {
    const out = [];
    this.steps.forEach((s, index) => {
      for (const c of s.gc?.collections ?? []) out.push({ index, collection: c });
    });
    return out;
  }

  /** The last state of object `id` seen at or before step `index`. */
  lastKnown(id, index) {
    const key = String(id);
    for (let i = Math.min(index, this.steps.length - 1); i >= 0; i--) {
      const obj = this.steps[i].objects[key];
      if (obj) return obj;
    }
    return null;
  }

  /** Output written before step `index` ({ stdout, stderr }), and whether more follows. */
  output(index) {
    const step = this.steps[index];
    const last = index === this.steps.length - 1;
    const so = last ? this.stdoutBytes.length : Math.min(step?.stdoutLength ?? 0, this.stdoutBytes.length);
    const se = last ? this.stderrBytes.length : Math.min(step?.stderrLength ?? 0, this.stderrBytes.length);
    return {
      stdout: decoder.decode(this.stdoutBytes.subarray(0, so)),
      stderr: decoder.decode(this.stderrBytes.subarray(0, se)),
      more: so < this.stdoutBytes.length || se < this.stderrBytes.length,
    };
  }

  /** Everything the heap views need for one step (cached). */
  view(index) {
    if (this.views.has(index)) return this.views.get(index);
    const step = this.steps[index];
    const prev = index > 0 ? this.steps[index - 1] : null;
    const objects = step.objects;
    const deltas = new Map();
    const fresh = new Set();
    for (const [id, obj] of Object.entries(objects)) {
      const before = prev?.objects[id];
      if (!before) fresh.add(id);
      else if (before.refcount !== obj.refcount) deltas.set(id, obj.refcount - before.refcount);
    }
    const names = new Map();
    step.frames.forEach((frame, fi) => {
      for (const [name, id] of frame.vars ?? []) {
        const key = String(id);
        if (!names.has(key)) names.set(key, []);
        names.get(key).push(step.frames.length > 1 ? `${frame.name}.${name}` : name);
      }
    });
    const strong = (id) => (objects[id]?.refs ?? [])
      .filter(([label, t]) => !(label === 'weak' && objects[id].weak) && objects[String(t)] && !objects[String(t)].shared)
      .map(([, t]) => String(t));
    const cycleIds = Object.keys(objects).filter((id) => !objects[id].shared);
    const cycles = cyclesOf(cycleIds, strong);
    const freed = step.freed.map((f) => ({ ...f, id: String(f.id), obj: this.lastKnown(f.id, index - 1) }));
    const view = { index, step, objects, deltas, fresh, names, cycles, freed };
    this.views.set(index, view);
    return view;
  }
}
