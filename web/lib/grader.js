// grader.js -- grade lesson exercises in the page, exactly as course pipelines do in Node.
//
// The grading rules are wasm/grading.mjs's gradeExercise, imported at run time from the
// wasm/ folder next to the core (like lib/lab-client.js imports the worker client), so the
// page and wasm/grade.mjs run the same code.  The programs run in a lab of their own, in a
// Web Worker started through wasm/worker-client.mjs with grading.mjs's DEFAULT_LIMITS (the
// limits wasm/grade.mjs grades under), apart from the playground's recording worker: a
// check never waits behind a long recording, and Stop in either never ends the other.  On
// top of the limits, a run that takes longer than `timeoutMs` (a builtin that never
// returns, e.g. sum(range(10**12))) is stopped and the worker replaced.  Checks run one at
// a time, in the order asked.
//
//   const grader = graderFor(wasmBaseUrl);
//   const { passed, feedback, details } = await grader.grade(exercise, submission, 'zh');
//   const trace = await grader.runSteps('x = PyList_New(0)\nPy_DECREF(x)\n');  // a lesson's C steps
//   grader.stop();   // the running check rejects with a StoppedError (reason 'stopped')
//
// runSteps runs C steps (wasm/heapsteps.mjs, also loaded from the wasm/ folder) on the same
// lab, in the same queue; `steps` is that module once start() has finished (its FUNCTIONS
// list the calls a learner can use).

const TIMEOUT_MS = 15_000;

/** A check was stopped: by stop() (reason 'stopped') or by the time limit ('timeout'). */
export class GradeStopped extends Error {
  constructor(reason) { super(`the check was stopped (${reason})`); this.name = 'GradeStopped'; this.reason = reason; }
}

export class Grader {
  constructor({ wasmBase, timeoutMs = TIMEOUT_MS }) {
    this.wasmBase = new URL(wasmBase);
    this._timeoutMs = timeoutMs;
    this.lab = null;
    this.kind = null;        // 'worker' | 'main-thread'
    this.grading = null;     // the grading.mjs module
    this.steps = null;       // the heapsteps.mjs module
    this.starting = null;
    this.queue = Promise.resolve();
  }

  /** Load grading.mjs and start the grading lab (once; later calls wait for the same). */
  start() {
    this.starting ??= this.open().catch((err) => { this.starting = null; throw err; });
    return this.starting;
  }

  async open() {
    [this.grading, this.steps] = await Promise.all([
      import(new URL('grading.mjs', this.wasmBase).href),
      import(new URL('heapsteps.mjs', this.wasmBase).href),
    ]);
    const options = { limits: { ...this.grading.DEFAULT_LIMITS } };
    try {
      const { createWorkerLab } = await import(new URL('worker-client.mjs', this.wasmBase).href);
      this.lab = await createWorkerLab({ ...options, timeoutMs: this._timeoutMs, latestOnly: false });
      this.kind = 'worker';
    } catch (err) {
      console.warn('pymemlab: the grading worker did not start, grading on the page instead:', err);
      const { createLab } = await import(new URL('pymemlab.mjs', this.wasmBase).href);
      this.lab = await createLab(options);
      this.kind = 'main-thread';
    }
  }

  /** Grade one submission: { passed, feedback, details } (wasm/EXERCISES.md); rejects
   *  GradeStopped when stopped or out of time. */
  grade(exercise, submission, lang = 'en') {
    return this.enqueue(() => this.grading.gradeExercise(exercise, submission, { lab: this.lab, lang }));
  }

  /** Run C steps on a fresh heap of the grading lab: the trace of wasm/heapsteps.mjs. */
  runSteps(source) {
    return this.enqueue(() => this.steps.runSteps(this.lab, source));
  }

  // One job after the other, in the order asked; a stopped worker rejects with GradeStopped.
  enqueue(work) {
    const job = this.queue.then(async () => {
      await this.start();
      try {
        return await work();
      } catch (err) {
        if (err?.name === 'StoppedError') throw new GradeStopped(err.reason === 'timeout' ? 'timeout' : 'stopped');
        throw err;
      }
    });
    this.queue = job.catch(() => {});
    return job;
  }

  get canStop() { return this.kind !== 'main-thread'; }

  /** The time limit of each run of a check, in ms. */
  get timeoutMs() { return this._timeoutMs; }
  set timeoutMs(ms) {
    this._timeoutMs = ms;
    if (this.kind === 'worker') this.lab.timeoutMs = ms;
  }

  /** Stop the check that is running (a fresh worker takes over for the next one). */
  async stop() {
    if (this.kind === 'worker') await this.lab.stop();
  }
}

const graders = new Map(); // wasm base -> Grader, shared by the labs of one page

export function graderFor(wasmBase) {
  const key = new URL(wasmBase).href;
  if (!graders.has(key)) graders.set(key, new Grader({ wasmBase: key }));
  return graders.get(key);
}
