// lab-client.js -- the page's one door to the core: record a program in a Web Worker.
//
// The worker wrapper (wasm/worker-client.mjs, createWorkerLab) runs the core off the main
// thread, so a runaway program never freezes the page and stop() can end it.  Every request
// carries a sequence number and an answer to an older request is dropped (STYLE.md 17):
// after Stop or a newer Run, a late answer never overwrites what is on screen.
//
// If the worker cannot start (an old build, a browser without module workers) the client
// falls back to a lab on the page's thread (no Stop), and if the core has no recorder it
// runs the program and makes a one-step recording of its output.

export class StaleResult extends Error {
  constructor() { super('stale result'); this.name = 'StaleResult'; }
}

export class StoppedError extends Error {
  constructor(reason = 'stopped') { super(reason); this.name = 'StoppedError'; this.reason = reason; }
}

function outputOnlyRecording(result, filename) {
  return {
    version: 1, filename, status: result.status, truncated: false,
    stdout: result.stdout ?? '', stderr: result.stderr ?? '',
    steps: [{
      index: 0, line: 0, kind: 'end',
      stdoutLength: new TextEncoder().encode(result.stdout ?? '').length,
      stderrLength: new TextEncoder().encode(result.stderr ?? '').length,
      frames: [], objects: {}, freed: [], gc: null, tracemalloc: null, events: [],
    }],
    outputOnly: true,
  };
}

export class LabClient {
  /** wasmBase: URL of the wasm/ folder (worker-client.mjs, pymemlab.mjs); limits as in
   *  createLab's `limits` ({ steps, memoryBytes, recursion, outputBytes }). */
  constructor({ wasmBase, limits = {} }) {
    this.wasmBase = new URL(wasmBase);
    this.limits = limits;
    this.seq = 0;
    this.lab = null;
    this.kind = null;
    this.version = '';
    this.pending = null; // { seq, reject }
  }

  async start() {
    if (this.lab) return this.version;
    this.starting ??= this.open().finally(() => { this.starting = null; });
    return this.starting;
  }

  async open() {
    const options = { limits: { ...this.limits } };
    let mod = null;
    try {
      mod = await import(new URL('worker-client.mjs', this.wasmBase).href);
    } catch { /* no worker wrapper in this build */ }
    if (mod?.createWorkerLab) {
      try {
        this.lab = await mod.createWorkerLab(options);
        this.kind = 'worker';
      } catch (err) {
        console.warn('pymemlab: the worker did not start, running on the page instead:', err);
      }
    }
    if (!this.lab) {
      const { createLab } = await import(new URL('pymemlab.mjs', this.wasmBase).href);
      this.lab = await createLab(options);
      this.kind = 'main-thread';
    }
    this.version = (await this.lab.version) ?? '';
    return this.version;
  }

  get canStop() { return this.kind === 'worker'; }

  /** Record `source`; resolves to a recording object, rejects StaleResult or StoppedError. */
  async record(source, { filename = 'main.py', maxSteps } = {}) {
    await this.start();
    const seq = ++this.seq;
    if (this.pending) this.pending.reject(new StaleResult());
    let rejectFn;
    const cancelled = new Promise((_, reject) => { rejectFn = reject; });
    this.pending = { seq, reject: rejectFn };
    const work = (async () => {
      try {
        const rec = await this.lab.record(source, { filename, maxSteps });
        return typeof rec === 'string' ? JSON.parse(rec) : rec;
      } catch (err) {
        if (!/no recorder/.test(err?.message ?? '')) throw err;
      }
      return outputOnlyRecording(await this.lab.run(source, { filename }), filename);
    })();
    try {
      const rec = await Promise.race([work, cancelled]);
      if (seq !== this.seq) throw new StaleResult();
      return rec;
    } catch (err) {
      if (err?.name === 'StaleError') throw new StaleResult();
      if (err?.name === 'StoppedError' && !(err instanceof StoppedError)) {
        throw new StoppedError(err.reason);
      }
      throw err;
    } finally {
      if (this.pending?.seq === seq) this.pending = null;
    }
  }

  /** Stop the running program (the worker is ended and a fresh one started). */
  async stop() {
    this.seq++;
    if (this.pending) { this.pending.reject(new StoppedError()); this.pending = null; }
    if (this.kind !== 'worker') return;
    await this.lab.stop();
  }
}
