// progress.js -- what the learner did with each exercise, kept in localStorage so it
// survives reloads (and is shared by every lab of the page and by other tabs).
//
// One key, 'pymemlab:progress', holds
//   { "v": 1, "exercises": { ID: { "status": "solved" | "attempted", "attempts": N,
//                                   "hints": N, "answer": ... } } }
// status: 'attempted' after a check that failed, 'solved' after one that passed (solved
// stays solved; later wrong checks only count as attempts).  hints: how many hints are
// shown.  answer: the learner's draft (predicted output, the chosen index, the edited code),
// so a reload does not lose it.  Exercise ids are unique across lessons (EXERCISES.md).
//
// When storage is blocked (a sandboxed iframe, privacy settings) the progress lives in
// memory for the page's lifetime.

const KEY = 'pymemlab:progress';
const MAX_ANSWER = 100_000; // characters; a longer draft is not kept
const listeners = new Set();
let cache = null;      // the progress last read or written
let unsaved = false;   // the last write failed: cache is newer than what storage holds

function storage() {
  try { return globalThis.localStorage ?? null; } catch { return null; }
}

function empty() { return { v: 1, exercises: {} }; }

function parse(raw) {
  try {
    const data = raw == null ? null : JSON.parse(raw);
    if (data && typeof data === 'object' && data.exercises && typeof data.exercises === 'object') return data;
  } catch { /* corrupt: start over */ }
  return empty();
}

// Storage is read every time, so a change made in another tab is seen.
function read() {
  const s = unsaved ? null : storage();
  if (s) {
    try { cache = parse(s.getItem(KEY)); return cache; } catch { /* blocked */ }
  }
  return cache ?? empty();
}

function write(data, change = {}) {
  cache = data;
  try {
    const s = storage();
    if (!s) throw new Error('no storage');
    s.setItem(KEY, JSON.stringify(data));
    unsaved = false;
  } catch {
    unsaved = true; // full or blocked: keep it in memory for this page
  }
  for (const fn of [...listeners]) fn(change);
}

/** The record of one exercise: { status: null | 'attempted' | 'solved', attempts, hints, answer }. */
export function exerciseProgress(id) {
  const e = read().exercises[id];
  return {
    status: e?.status === 'solved' || e?.status === 'attempted' ? e.status : null,
    attempts: Number.isInteger(e?.attempts) ? e.attempts : 0,
    hints: Number.isInteger(e?.hints) ? e.hints : 0,
    answer: e?.answer ?? null,
  };
}

function update(id, change) {
  const data = read();
  const next = { ...(data.exercises[id] ?? {}) };
  change(next);
  data.exercises = { ...data.exercises, [id]: next };
  write(data);
}

/** Note a check of exercise `id`: passed or not. */
export function recordCheck(id, passed) {
  update(id, (e) => {
    e.attempts = (Number.isInteger(e.attempts) ? e.attempts : 0) + 1;
    e.status = passed || e.status === 'solved' ? 'solved' : 'attempted';
  });
}

/** Keep the learner's draft answer (a string or a number; null forgets it). */
export function saveAnswer(id, answer) {
  if (typeof answer === 'string' && answer.length > MAX_ANSWER) return;
  if (exerciseProgress(id).answer === answer) return;
  update(id, (e) => { if (answer == null) delete e.answer; else e.answer = answer; });
}

/** Keep how many hints are shown. */
export function saveHints(id, n) {
  if (exerciseProgress(id).hints === n) return;
  update(id, (e) => { e.hints = n; });
}

/** Forget the progress of these exercises (all of them when ids is omitted). */
export function resetProgress(ids) {
  const data = read();
  if (ids == null) data.exercises = {};
  else {
    data.exercises = { ...data.exercises };
    for (const id of ids) delete data.exercises[id];
  }
  write(data, { reset: ids == null ? 'all' : [...ids] });
}

/** { solved, attempted, total } over the given exercise ids. */
export function summarize(ids) {
  let solved = 0;
  let attempted = 0;
  for (const id of ids) {
    const { status } = exerciseProgress(id);
    if (status === 'solved') solved++;
    else if (status === 'attempted') attempted++;
  }
  return { solved, attempted, total: ids.length };
}

/** Call fn(change) after every change (here or, through the storage event, in another tab).
 *  change.reset is 'all' or the list of ids when resetProgress() forgot them, else absent. */
export function onProgressChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

globalThis.addEventListener?.('storage', (e) => {
  if (e.key === KEY || e.key === null) for (const fn of [...listeners]) fn({});
});
