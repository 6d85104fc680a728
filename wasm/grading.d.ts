// Type declarations of grading.mjs: grading lesson exercises (EXERCISES.md).
import type { ExceptionInfo, Lab, LabOptions, Limits, Status } from './pymemlab.js';
import type { WorkerLab } from './worker-client.js';
import type { StepsTrace } from './heapsteps.js';

export interface I18nText {
  en: string;
  zh: string;
}

interface ExerciseBase {
  id: string;
  title: I18nText;
  prompt: I18nText;
  hints: I18nText[];
}

/** Type what the program prints. */
export interface PredictExercise extends ExerciseBase {
  kind: 'predict';
  code: string;
}

/** Edit `starter` until `check` (run after it in the same program) prints a PASS line. */
export interface FixExercise extends ExerciseBase {
  kind: 'fix';
  starter: string;
  check: string;
}

/** The right choice is the one equal to the stripped stdout of `code`. */
export interface ChoiceExercise extends ExerciseBase {
  kind: 'choice';
  question: I18nText;
  choices: string[];
  code: string;
  explanation: I18nText;
}

/** Edit the C steps of `starter` (heapsteps.mjs) until the function returns `returns`
 *  without a leak, a use after free or a cycle. */
export interface HeapExercise extends ExerciseBase {
  kind: 'heap';
  starter: string;
  /** A Python expression; the repr the core prints for it is the expected result. */
  returns: string;
}

export type Exercise = PredictExercise | FixExercise | ChoiceExercise | HeapExercise;

export interface GradeDetails {
  kind: 'predict' | 'fix' | 'choice' | 'heap' | null;
  /** Status of the program the verdict came from (heap: the trace's outcome). */
  status?: Status | StepsTrace['outcome'];
  /** The exercise itself is wrong (bad format, or its code does not decide an answer). */
  broken?: boolean;
  problems?: string[];
  /** predict: the normalised expected and given output, and the first differing line (1-based). */
  expected?: string;
  actual?: string;
  firstDifference?: number | null;
  /** fix: the graded program's output and exception, and the part printed by the check. */
  stdout?: string;
  stderr?: string;
  exception?: ExceptionInfo | null;
  checkOutput?: string;
  /** choice */
  output?: string;
  correctIndex?: number;
  chosenIndex?: number;
  explanation?: string;
  /** heap: what the C steps did (expected/actual are the reprs of the result). */
  trace?: StepsTrace;
}

export interface GradeResult {
  passed: boolean;
  /** One short paragraph in the requested language. */
  feedback: string;
  details: GradeDetails;
}

export interface GradeOptions {
  /** Grade in this lab (reset before each program); default: a new lab for the call. */
  lab?: Lab | WorkerLab;
  /** Limits of the lab made for the call (default DEFAULT_LIMITS). */
  limits?: Partial<Limits>;
  lang?: 'en' | 'zh';
  /** How to make that lab (default createLab of pymemlab.mjs). */
  createLab?: (options: LabOptions) => Promise<Lab>;
}

/**
 * predict: the predicted output; fix: the edited program; choice: the chosen text, or a
 * 0-based index (a number, or "#N"); heap: the C steps.
 */
export declare function gradeExercise(exercise: Exercise, submission: string | number, options?: GradeOptions): Promise<GradeResult>;

/** Everything wrong with an exercise's format; empty when well formed. */
export declare function validateExercise(exercise: unknown): string[];

/** Normalised output lines (\r\n -> \n, trailing blanks and blank edge lines dropped). */
export declare function outputLines(text: string): string[];

export declare function findExercise(list: Exercise[], id: string): Exercise;

/** "path/to/exercises.json#ID" -> that exercise (Node only). */
export declare function loadExercise(ref: string): Promise<Exercise>;

export declare const DEFAULT_LIMITS: Readonly<Partial<Limits>>;
