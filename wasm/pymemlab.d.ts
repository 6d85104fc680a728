// Type declarations of pymemlab.mjs, the PyMemLab JavaScript API (Node >= 20 and browsers).
// The recording and snapshot types follow core/trace/SNAPSHOT.md, the contract between the
// core, this API and the page.

/** How a run ended. */
export type Status = 'ok' | 'exception' | 'syntax-error' | 'limit' | 'internal';

/** `STATUS[code]` is the status of a numeric result code (pml_status of the core). */
export declare const STATUS: readonly Status[];

/** Limits of a lab.  0 means the default; every field is optional where a partial is taken. */
export interface Limits {
  /** Bytecode instructions per run before it stops with status 'limit'; 0 = unlimited (default). */
  steps: number;
  /** Bytes the lab's allocator may hold (arenas and large blocks) before MemoryError; 0 = 256 MiB. */
  memoryBytes: number;
  /** sys.getrecursionlimit() at the start of every run; 0 = 1000. */
  recursion: number;
  /** Bytes of output per run before it stops with status 'limit'; 0 = unlimited (default). */
  outputBytes: number;
}

export interface LabOptions {
  /**
   * Where the Emscripten build (pymemlab.mjs + pymemlab.wasm) is: a URL, a URL string or, in
   * Node, a file path.  Default: `./dist/` next to pymemlab.mjs, else `../build/emscripten/`.
   */
  buildDir?: string | URL;
  /** The lab's limits (see Limits). */
  limits?: Partial<Limits>;
  /**
   * Called with the program's standard output as it is written (every run).  An exception a
   * callback throws is re-thrown by run()/record() once the program has ended.
   */
  onStdout?: (text: string) => void;
  /** Called with the program's standard error (tracebacks included) as it is written. */
  onStderr?: (text: string) => void;
  /** Raw output bytes as written: stream 1 is stdout, 2 is stderr. */
  onWrite?: (stream: 1 | 2, bytes: Uint8Array) => void;
  /** true: every run() records (like record()) and returns the recording too.  Default false. */
  tracing?: boolean;
  /** @deprecated use limits.memoryBytes */
  memoryLimit?: number;
  /** @deprecated use limits.steps */
  stepLimit?: number;
  /** @deprecated use limits.recursion */
  recursionLimit?: number;
  /** @deprecated use limits.outputBytes */
  outputLimit?: number;
}

export interface RunOptions {
  /** Shown in tracebacks and SyntaxErrors; default "<string>". */
  filename?: string;
  /** Output callbacks for this run only (in addition to the lab's). */
  onStdout?: (text: string) => void;
  onStderr?: (text: string) => void;
  onWrite?: (stream: 1 | 2, bytes: Uint8Array) => void;
}

export interface RecordOptions extends RunOptions {
  /** Steps kept; reaching it stops the run (status 'limit', truncated).  0 = 2000. */
  maxSteps?: number;
  /** Keep the event log (alloc, free, incref, decref, gc, weakref ...).  Default true. */
  events?: boolean;
  /** Objects per snapshot before it is cut.  0 = 2000. */
  maxObjects?: number;
}

/** The uncaught exception that ended a run: the last line of its traceback, split. */
export interface ExceptionInfo {
  /** As the traceback prints it: 'ZeroDivisionError', 'Oops' (a class of the program), 'SyntaxError'. */
  type: string;
  /** The message ('' when there is none, e.g. a bare MemoryError). */
  message: string;
}

export interface RunResult {
  status: Status;
  /** Index of status in STATUS. */
  code: number;
  /** What a command line would exit with: 0, 1, or N after sys.exit(N). */
  exitCode: number;
  stdout: string;
  /** Everything python3 would print on stderr: first the compile-time warnings CPython 3.11
   *  shows (`<lab>:2: SyntaxWarning: "is" with a literal. Did you mean "=="?`, followed by
   *  the stripped source line unless the filename is a pseudo-file like "<string>"), then
   *  tracebacks and other error output. */
  stderr: string;
  /** The uncaught exception (also SyntaxError, and SystemExit with a non-zero code), or null. */
  exception: ExceptionInfo | null;
  /** Only when the lab has tracing on: the run's recording. */
  recording?: Recording;
}

/** An object in a snapshot (SNAPSHOT.md "An object"), keyed by its id. */
export interface SnapshotObject {
  type: string;
  /** Short repr, at most 60 characters, ending with "…" when cut. */
  repr: string;
  /** What sys.getrefcount would print minus its own +1. */
  refcount: number;
  /** sys.getsizeof, CPython 3.11 64-bit. */
  size: number;
  gen: 0 | 1 | 2 | null;
  tracked: boolean;
  shared: null | 'small-int' | 'interned' | 'latin1-char' | 'singleton' | 'empty';
  /** Outgoing references: [label, id]; labels "[i]", "[key]", "key→", ".attr", "weak", ... */
  refs: [string, number][];
  weak: boolean;
  [more: string]: unknown;
}

export interface Frame {
  name: string;
  line: number;
  /** [name, object id] in the frame's order. */
  vars: [string, number][];
  [more: string]: unknown;
}

export interface Collection {
  generation: 0 | 1 | 2;
  examined: number;
  collected: number;
  uncollectable: number;
  /** gc_refs after subtract_refs: [id, gc_refs]. */
  gcRefs: [number, number][];
  unreachable: number[];
  finalized: number[];
  weakrefCallbacks: number[];
  freed: number[];
  promoted: number;
  [more: string]: unknown;
}

export interface TraceEvent {
  kind: 'alloc' | 'free' | 'incref' | 'decref' | 'gc-start' | 'gc-end' | 'weakref-clear'
    | 'weakref-callback' | 'finalize';
  id?: number;
  type?: string;
  old?: number;
  new?: number;
  cause?: 'name' | 'container' | 'arg' | 'stack' | 'attr' | 'other';
  line?: number;
  [more: string]: unknown;
}

export interface GcState {
  count: [number, number, number];
  threshold: [number, number, number];
  enabled: boolean;
  collections?: Collection[];
  [more: string]: unknown;
}

/** One step of a recording: the heap before a line runs, and what happened since. */
export interface Step {
  index: number;
  line: number;
  kind: 'line' | 'end' | 'exception';
  /** Bytes of stdout / stderr written before this step. */
  stdoutLength: number;
  stderrLength: number;
  /** Outermost first. */
  frames: Frame[];
  objects: Record<string, SnapshotObject>;
  freed: { id: number; type: string; cause: 'refcount' | 'gc' }[];
  gc: GcState;
  tracemalloc: null | { current: number; peak: number };
  events: TraceEvent[];
  [more: string]: unknown;
}

/** A recording (SNAPSHOT.md "A recording"), plus exitCode and exception as in RunResult. */
export interface Recording {
  version: number;
  filename: string;
  status: Status;
  truncated: boolean;
  stdout: string;
  stderr: string;
  steps: Step[];
  exitCode: number;
  exception: ExceptionInfo | null;
  [more: string]: unknown;
}

/** lab.snapshot(): the heap right now (between runs: what is still alive). */
export interface Snapshot {
  line?: number | null;
  frames: Frame[];
  objects: Record<string, SnapshotObject>;
  gc: GcState;
  [more: string]: unknown;
}

/** What a refused heap operation was (HeapError.code). */
export type HeapErrorCode = 'unknown-handle' | 'use-after-free' | 'not-owned' | 'wrong-kind'
  | 'bad-value' | 'no-memory' | 'busy' | 'too-many-handles';

/** Numeric error codes of the core (pml_heap_* in pymemlab.h) to HeapErrorCode. */
export declare const HEAP_ERRORS: Readonly<Record<string, HeapErrorCode>>;

/** A heap operation the core refused: in C it would have corrupted the heap. */
export declare class HeapError extends Error {
  constructor(errno: number, message?: string);
  name: 'HeapError';
  /** The core's error number (negative). */
  errno: number;
  code: HeapErrorCode;
}

/** One object made with lab.heap.new, as lab.heap.objects() describes it. */
export interface HeapObject {
  handle: number;
  type: 'int' | 'str' | 'list' | 'dict';
  /** id() of the object (kept after it is freed). */
  id: number;
  alive: boolean;
  /** How it died, or null while alive. */
  freed: 'refcount' | 'gc' | null;
  /** References your code owns (new + incref - decref - stolen). */
  owned: number;
  /** Present while alive. */
  refcount?: number;
  size?: number;
  tracked?: boolean;
  gen?: 0 | 1 | 2 | null;
  /** A shared object (small int, one-character str, "") that never dies. */
  static?: boolean;
  repr?: string;
  /** [label, handle of the target or null, id of the target]. */
  refs?: [string, number | null, number][];
}

/**
 * Reference counting by hand, the way a C extension does it.  Every handle names one object;
 * your code owns the references it made (new, incref) and did not give away (decref, a
 * stealing link).  Misuse throws a HeapError and changes nothing.
 */
export interface Heap {
  /** PyLong_FromString / PyUnicode_FromString / PyList_New(0) / PyDict_New(): a new handle, one owned reference. */
  'new'(kind: 'int' | 'str' | 'list' | 'dict', value?: string | number | bigint): number;
  /** Py_INCREF; returns the new reference count. */
  incref(handle: number): number;
  /** Py_DECREF of a reference you own; returns the new count (0: the object was freed). */
  decref(handle: number): number;
  /**
   * list: PyList_Append(container, item); dict: PyDict_SetItem(container, key, item).
   * steal: the container takes your reference instead of a new one (like PyList_SetItem).
   */
  link(container: number, item: number, options?: { key?: number; steal?: boolean }): void;
  /** list: remove item (by identity); dict: del container[item] (item is the key). */
  unlink(container: number, item: number): void;
  /** gc.collect(): the number of unreachable objects found. */
  collect(): number;
  refcount(handle: number): number;
  /** false once the object has been freed. */
  alive(handle: number): boolean;
  /** Every handle, alive or freed. */
  objects(): HeapObject[];
  /** Drop every reference your code still owns; returns how many. */
  releaseAll(): number;
}

export interface LabStats {
  /** Size of the wasm memory all labs of this module share. */
  wasmMemoryBytes: number;
  /** Blocks this lab's allocator holds. */
  liveBlocks: number;
}

export interface Lab {
  /** The core's version, e.g. "0.1.0 (CPython 3.11 model)". */
  readonly version: string;
  /** Run a program in a fresh __main__; output also goes to the callbacks as it is written. */
  run(source: string | Uint8Array, options?: RunOptions): RunResult;
  /** Run while recording a step before each line (SNAPSHOT.md). */
  record(source: string | Uint8Array, options?: RecordOptions): Recording;
  /** The heap right now. */
  snapshot(): Snapshot;
  /** Hand-driven reference counting (the "C extension author" lesson). */
  readonly heap: Heap;
  /** Replace the lab's state with a fresh one (same options and limits; heap handles are gone). */
  reset(): void;
  /** Change some limits; they apply from the next run.  Returns all of them. */
  setLimits(limits: Partial<Limits>): Limits;
  readonly limits: Limits;
  /** Whether run() records (see LabOptions.tracing). */
  tracing: boolean;
  stats(): LabStats;
  /** Free the lab; later calls throw. */
  destroy(): void;
}

/** Create a lab.  Labs share one wasm instance per buildDir and nothing else. */
export declare function createLab(options?: LabOptions): Promise<Lab>;

/** "Type: message" -> { type, message }; null -> null. */
export declare function parseExceptionLine(line: string | null): ExceptionInfo | null;
