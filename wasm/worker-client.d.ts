// Type declarations of worker-client.mjs: the PyMemLab API in a worker, promise-based.
import type {
  HeapObject, LabOptions, LabStats, Limits, Recording, RecordOptions, RunOptions, RunResult, Snapshot,
} from './pymemlab.js';

export { HeapError } from './pymemlab.js';

/** What createWorkerLab needs of a worker: a Web Worker or a Node worker_threads Worker. */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): unknown;
  addEventListener?(type: 'message' | 'error', listener: (event: any) => void): void;
  on?(type: 'message' | 'error', listener: (value: any) => void): unknown;
}

export interface WorkerLabOptions extends Omit<LabOptions, 'onWrite' | 'buildDir'> {
  /** Absolute URL (or absolute path in Node) of the Emscripten build; the worker resolves it. */
  buildDir?: string | URL;
  /** URL of worker.mjs; default: next to worker-client.mjs. */
  workerUrl?: string | URL;
  /** Make the worker.  Default: a module Web Worker in browsers, worker_threads in Node. */
  createWorker?: (url: string | URL) => WorkerLike | Promise<WorkerLike>;
  /** Default time limit of run()/record() in ms; 0 = none.  On expiry the worker is restarted. */
  timeoutMs?: number;
  /**
   * true (default): a new run()/record() makes earlier unanswered ones stale; they reject at
   * once with a StaleError and their answers are dropped.  false: every call is answered.
   */
  latestOnly?: boolean;
}

export interface WorkerRunOptions extends Omit<RunOptions, 'onWrite'> {
  /** Time limit of this call in ms (overrides WorkerLabOptions.timeoutMs). */
  timeoutMs?: number;
}

export interface WorkerRecordOptions extends Omit<RecordOptions, 'onWrite'> {
  timeoutMs?: number;
}

/** Lab.heap with promises. */
export interface WorkerHeap {
  'new'(kind: 'int' | 'str' | 'list' | 'dict', value?: string | number | bigint): Promise<number>;
  incref(handle: number): Promise<number>;
  decref(handle: number): Promise<number>;
  link(container: number, item: number, options?: { key?: number; steal?: boolean }): Promise<void>;
  unlink(container: number, item: number): Promise<void>;
  collect(): Promise<number>;
  refcount(handle: number): Promise<number>;
  alive(handle: number): Promise<boolean>;
  objects(): Promise<HeapObject[]>;
  releaseAll(): Promise<number>;
}

export interface WorkerLab {
  /** The core's version (known once the first worker is ready). */
  readonly version: string;
  readonly limits: Limits;
  /** How many workers have been started (1 + restarts). */
  readonly generation: number;
  /** Resolves when the current worker is ready. */
  readonly ready: Promise<void>;
  /** Answers and output messages dropped as stale or as coming from a stopped worker. */
  readonly droppedMessages: number;
  timeoutMs: number;
  run(source: string | Uint8Array, options?: WorkerRunOptions): Promise<RunResult>;
  record(source: string | Uint8Array, options?: WorkerRecordOptions): Promise<Recording>;
  snapshot(): Promise<Snapshot>;
  reset(): Promise<void>;
  setLimits(limits: Partial<Limits>): Promise<Limits>;
  stats(): Promise<LabStats>;
  readonly heap: WorkerHeap;
  /**
   * Terminate the worker whatever it is doing, reject every pending call with a StoppedError
   * and start a fresh worker with the same options and limits (heap handles are gone).
   * Resolves when the new worker is ready.
   */
  stop(): Promise<void>;
  /** Terminate the worker; pending and later calls reject. */
  destroy(): void;
}

/** A pending call was stopped: by stop() ('stopped'), destroy() ('destroyed'), its timeout ('timeout') or a crash. */
export declare class StoppedError extends Error {
  constructor(reason: string, message?: string);
  name: 'StoppedError';
  reason: 'stopped' | 'destroyed' | 'timeout' | 'crashed' | string;
}

/** A run()/record() superseded by a newer one (latestOnly). */
export declare class StaleError extends Error {
  constructor(seq: number);
  name: 'StaleError';
  seq: number;
}

export declare function createWorkerLab(options?: WorkerLabOptions): Promise<WorkerLab>;
