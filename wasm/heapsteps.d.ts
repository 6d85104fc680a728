// Type declarations of heapsteps.mjs: C API calls, one per line, run on lab.heap.
import type { Lab } from './pymemlab.js';
import type { WorkerLab } from './worker-client.js';

/** A text in both languages of the page. */
export interface StepsText {
  en: string;
  zh: string;
}

export interface StepsSyntaxError {
  /** 1-based line of the source. */
  line: number;
  code: 'syntax';
  text: StepsText;
}

export type StepsNode =
  | { type: 'name'; name: string }
  | { type: 'int'; value: string }
  | { type: 'str'; value: string }
  | { type: 'call'; fn: keyof typeof FUNCTIONS; args: StepsNode[] };

export interface StepsStatement {
  line: number;
  /** The statement as parsed (no comments, no PyObject *, no ;). */
  source: string;
  node: { type: 'assign'; name: string; expr: StepsNode } | { type: 'call'; expr: StepsNode } | { type: 'return'; expr: StepsNode };
}

export interface StepsObjectState {
  alive: boolean;
  freed: 'refcount' | 'gc' | null;
  /** References the function owns (new + incref - decref - stolen). */
  owned: number;
  refcount?: number;
  repr?: string;
  /** A shared object (small int, one-character str) that is never freed. */
  static?: boolean;
  /** NULL slots left in a list made by PyList_New(n). */
  nulls?: number;
}

export interface StepsRow {
  line: number;
  /** 'caller': the caller's Py_DECREF of the result; 'collector': PyGC_Collect() after it. */
  phase: 'function' | 'caller' | 'collector';
  source: string;
  /** The statement as C. */
  c: string;
  /** The lab.heap calls that did it, as JavaScript. */
  calls: string[];
  result: { kind: 'new' | 'newref' | 'borrowed' | 'alias' | 'incref' | 'decref' | 'clear' | 'null-noop' | 'append'
    | 'steal' | 'dictset' | 'delitem' | 'refcnt' | 'collect' | 'return'; handle?: number | null; [more: string]: unknown } | null;
  /** A refused statement: code is a HeapError code ('use-after-free', 'not-owned', ...; core: true)
   *  or one of the step language's ('null', 'index', 'slot-order', 'slots-first', 'wrong-kind'). */
  error: { code: string; core: boolean; text: StepsText; message: string | null } | null;
  /** Objects freed by this row. */
  freed: { handle: number; how: 'refcount' | 'gc' }[];
  /** Every object after this row, by handle. */
  state: Record<number, StepsObjectState>;
}

export interface StepsTrace {
  version: 1;
  errors: StepsSyntaxError[];
  outcome: 'syntax' | 'ok' | 'leak' | 'null-slots' | 'cycle' | 'borrowed-return' | 'dangling-return' | string;
  /** In order of creation; label: the first variable the object was assigned to, or the call. */
  objects: { handle: number; label: string; type: 'int' | 'str' | 'list' | 'dict'; name: string | null }[];
  steps: StepsRow[];
  refused: { line: number; phase: StepsRow['phase']; code: string; text: StepsText } | null;
  returned: number | null;
  end: {
    leaks: { handle: number; count: number }[];
    nullSlots: { handle: number; slots: number[] }[];
    borrowedReturn: boolean;
    collected: number | null;
    cycle: number[];
    survivors: number[];
  } | null;
}

export declare const LIMITS: Readonly<{ statements: number; objects: number; listSize: number; string: number }>;

export declare const FUNCTIONS: Readonly<Record<string, {
  params: ('int' | 'str' | 'obj' | 'obj?' | 'var')[];
  returns: 'new' | 'borrowed' | null;
  makes?: 'int' | 'str' | 'list' | 'dict';
  example: string;
}>>;

export declare function parseSteps(source: string): { statements: StepsStatement[]; errors: StepsSyntaxError[] };

/** Run C steps on lab.heap (the lab is reset first unless reset is false). */
export declare function runSteps(lab: Lab | WorkerLab, source: string | ReturnType<typeof parseSteps>,
  options?: { reset?: boolean }): Promise<StepsTrace>;

export declare function describeLabel(trace: StepsTrace, handle: number): string;
