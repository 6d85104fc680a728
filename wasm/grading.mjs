// grading.mjs -- grade a lesson exercise by running the core.  Used by the page, by
// wasm/grade.mjs (course pipelines) and by the lesson tests, so all grade alike.
// The exercise format and the rules: EXERCISES.md.  Types: grading.d.ts.
//
//   import { gradeExercise } from './wasm/grading.mjs';
//   const { passed, feedback, details } = await gradeExercise(exercise, submission, { lang: 'zh' });

const KINDS = {
  predict: ['code'],
  fix: ['starter', 'check'],
  choice: ['question', 'choices', 'code', 'explanation'],
};
const COMMON = ['id', 'kind', 'title', 'prompt', 'hints'];
const I18N = ['title', 'prompt', 'question', 'explanation'];
const LANGS = ['en', 'zh'];

export const DEFAULT_LIMITS = Object.freeze({ steps: 20_000_000, memoryBytes: 128 << 20, outputBytes: 1 << 20 });

const TEXT = {
  en: {
    predictRight: 'Right: that is exactly what the program prints.',
    predictEmpty: 'Type the output you expect, one line per printed line.',
    predictLine: (n, total, have) => `Line ${n} is not what the program prints (${have} of ${total} lines are right).`,
    predictMissing: (n, total) => `The program prints ${total} line${total === 1 ? '' : 's'}; your answer stops after ${n}.`,
    predictExtra: (total) => `The program prints only ${total} line${total === 1 ? '' : 's'}; your answer has more.`,
    choiceRight: (why) => `Right. ${why}`,
    choiceWrong: 'Not this one. Trace the program once more, reference by reference.',
    choiceUnknown: (s) => `"${s}" is not one of the choices.`,
    fixPass: (line) => line,
    fixFail: 'Not yet: the check did not print PASS.',
    fixAssert: (msg) => msg ? `Not yet: ${msg}` : 'Not yet: an assertion of the check failed.',
    fixOwnError: (e) => `Your code raised ${e} before the check ran.`,
    fixCheckError: (e) => `The check raised ${e}.`,
    syntax: (e) => `Your code does not compile: ${e}.`,
    limit: 'The program was stopped by a limit (too many steps, or too much output).',
    broken: (why) => `This exercise is broken: ${why}`,
  },
  zh: {
    predictRight: '正确：程序打印的正是这些内容。',
    predictEmpty: '请输入你预期的输出，每打印一行写一行。',
    predictLine: (n, total, have) => `第 ${n} 行与程序的输出不同（共 ${total} 行，你写对了 ${have} 行）。`,
    predictMissing: (n, total) => `程序打印 ${total} 行；你的答案只写到第 ${n} 行。`,
    predictExtra: (total) => `程序只打印 ${total} 行；你的答案多写了。`,
    choiceRight: (why) => `正确。${why}`,
    choiceWrong: '不是这个。请再逐个引用地跟踪一遍程序。',
    choiceUnknown: (s) => `“${s}”不是选项之一。`,
    fixPass: (line) => line,
    fixFail: '还没通过：检查没有打印 PASS。',
    fixAssert: (msg) => msg ? `还没通过：${msg}` : '还没通过：检查中的一个断言失败了。',
    fixOwnError: (e) => `你的代码在检查运行之前抛出了 ${e}。`,
    fixCheckError: (e) => `检查抛出了 ${e}。`,
    syntax: (e) => `你的代码无法编译：${e}。`,
    limit: '程序被限制终止了（步数过多或输出过多）。',
    broken: (why) => `这道练习有问题：${why}`,
  },
};

/** Everything wrong with an exercise's format (an empty list when it is well formed). */
export function validateExercise(ex) {
  const errors = [];
  if (ex == null || typeof ex !== 'object') return ['an exercise must be an object'];
  const id = typeof ex.id === 'string' && ex.id ? ex.id : '(no id)';
  if (id === '(no id)') errors.push('id must be a non-empty string');
  const fields = KINDS[ex.kind];
  if (!fields) return [...errors, `${id}: kind must be predict, fix or choice, not ${JSON.stringify(ex.kind)}`];
  const want = new Set([...COMMON, ...fields]);
  for (const k of want) if (!(k in ex)) errors.push(`${id}: missing field ${k}`);
  for (const k of Object.keys(ex)) if (!want.has(k)) errors.push(`${id}: unexpected field ${k}`);
  for (const k of I18N) {
    if (!(k in ex)) continue;
    const v = ex[k];
    if (!v || typeof v !== 'object' || LANGS.some((l) => typeof v[l] !== 'string' || !v[l])) {
      errors.push(`${id}: ${k} needs non-empty en and zh`);
    }
  }
  if (!Array.isArray(ex.hints) || ex.hints.length === 0 ||
      ex.hints.some((h) => !h || LANGS.some((l) => typeof h[l] !== 'string' || !h[l]))) {
    errors.push(`${id}: hints must be a non-empty list of { en, zh }`);
  }
  for (const k of ['code', 'starter', 'check']) {
    if (k in ex && typeof ex[k] !== 'string') errors.push(`${id}: ${k} must be a string`);
  }
  if ('choices' in ex) {
    if (!Array.isArray(ex.choices) || ex.choices.length < 2 || ex.choices.some((c) => typeof c !== 'string')) {
      errors.push(`${id}: choices must be a list of at least two strings`);
    } else if (new Set(ex.choices).size !== ex.choices.length) {
      errors.push(`${id}: choices must all be different`);
    }
  }
  return errors;
}

/** Normalised lines: \r\n -> \n, trailing spaces dropped, blank lines at both ends dropped. */
export function outputLines(text) {
  const lines = String(text).replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/[ \t]+$/, ''));
  while (lines.length && lines[0] === '') lines.shift();
  while (lines.length && lines.at(-1) === '') lines.pop();
  return lines;
}

// What a program "prints": stdout, plus the traceback's last line after an uncaught exception.
function printed(result) {
  if (result.status === 'exception' || result.status === 'syntax-error') {
    const last = result.stderr.trimEnd().split('\n').at(-1) ?? '';
    return result.stdout + (result.stdout && !result.stdout.endsWith('\n') ? '\n' : '') + last + '\n';
  }
  return result.stdout;
}

function exceptionText(e) {
  return e ? (e.message ? `${e.type}: ${e.message}` : e.type) : 'an error';
}

async function runFresh(lab, source, filename) {
  await lab.reset();
  return await lab.run(source, { filename });
}

function choiceIndex(ex, submission) {
  if (typeof submission === 'number') return Number.isInteger(submission) ? submission : -1;
  const s = String(submission).trim();
  const byText = ex.choices.indexOf(s);
  if (byText >= 0) return byText;
  const m = /^#?(\d+)$/.exec(s);
  return m ? Number(m[1]) : -1;
}

async function gradePredict(ex, submission, lab, t) {
  const result = await runFresh(lab, ex.code, 'exercise.py');
  if (result.status === 'limit' || result.status === 'syntax-error' || result.status === 'internal') {
    const why = result.status === 'limit' ? t.limit : exceptionText(result.exception) || result.status;
    return { passed: false, feedback: t.broken(why), details: { kind: 'predict', status: result.status, broken: true } };
  }
  const expected = outputLines(printed(result));
  const actual = outputLines(submission ?? '');
  const details = { kind: 'predict', status: result.status, expected: expected.join('\n') + '\n', actual: actual.join('\n') + (actual.length ? '\n' : ''), firstDifference: null };
  let first = -1;
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    if (expected[i] !== actual[i]) { first = i; break; }
  }
  if (first < 0) return { passed: true, feedback: t.predictRight, details };
  details.firstDifference = first + 1;
  let feedback;
  if (actual.length === 0) feedback = t.predictEmpty;
  else if (first >= actual.length) feedback = t.predictMissing(actual.length, expected.length);
  else if (first >= expected.length) feedback = t.predictExtra(expected.length);
  else feedback = t.predictLine(first + 1, expected.length, expected.filter((l, i) => l === actual[i]).length);
  return { passed: false, feedback, details };
}

async function gradeChoice(ex, submission, lab, t, lang) {
  const result = await runFresh(lab, ex.code, 'exercise.py');
  const output = result.stdout.trim();
  const matches = ex.choices.map((c, i) => (c === output ? i : -1)).filter((i) => i >= 0);
  const explanation = ex.explanation[lang] ?? ex.explanation.en;
  if (result.status !== 'ok' || matches.length !== 1) {
    const why = `its code printed ${JSON.stringify(output)} (status ${result.status}), which matches ${matches.length} choices`;
    return { passed: false, feedback: t.broken(why), details: { kind: 'choice', status: result.status, output, broken: true } };
  }
  const chosen = choiceIndex(ex, submission);
  const details = { kind: 'choice', status: result.status, output, correctIndex: matches[0], chosenIndex: chosen, explanation };
  if (chosen < 0 || chosen >= ex.choices.length) {
    return { passed: false, feedback: t.choiceUnknown(String(submission).trim()), details };
  }
  const passed = chosen === matches[0];
  return { passed, feedback: passed ? t.choiceRight(explanation) : t.choiceWrong, details };
}

async function gradeFix(ex, submission, lab, t) {
  const code = String(submission ?? '');
  const program = code + (code.endsWith('\n') || code === '' ? '' : '\n') + ex.check;
  const alone = await runFresh(lab, code, 'exercise.py');
  const full = await runFresh(lab, program, 'exercise.py');
  const checkOutput = full.stdout.startsWith(alone.stdout) ? full.stdout.slice(alone.stdout.length) : full.stdout;
  const details = {
    kind: 'fix', status: full.status, stdout: full.stdout, stderr: full.stderr,
    exception: full.exception, checkOutput,
  };
  if (full.status === 'syntax-error' || alone.status === 'syntax-error') {
    const r = alone.status === 'syntax-error' ? alone : full;
    return { passed: false, feedback: t.syntax(exceptionText(r.exception)), details };
  }
  if (full.status === 'limit') return { passed: false, feedback: t.limit, details };
  const passLine = outputLines(checkOutput).find((l) => l.startsWith('PASS'));
  if (full.status === 'ok' && passLine) return { passed: true, feedback: t.fixPass(passLine), details };
  if (full.status === 'ok') return { passed: false, feedback: t.fixFail, details };
  const e = full.exception;
  const submissionRaised = alone.status !== 'ok' && exceptionText(alone.exception) === exceptionText(e);
  if (submissionRaised) return { passed: false, feedback: t.fixOwnError(exceptionText(e)), details };
  if (e && e.type === 'AssertionError') return { passed: false, feedback: t.fixAssert(e.message), details };
  return { passed: false, feedback: t.fixCheckError(exceptionText(e)), details };
}

/**
 * Grade one submission.  Returns { passed, feedback, details } (EXERCISES.md).
 * options: { lab, limits, lang, createLab }.
 */
export async function gradeExercise(exercise, submission, options = {}) {
  const lang = LANGS.includes(options.lang) ? options.lang : 'en';
  const t = TEXT[lang];
  const problems = validateExercise(exercise);
  if (problems.length) {
    return { passed: false, feedback: t.broken(problems.join('; ')), details: { kind: exercise?.kind ?? null, broken: true, problems } };
  }
  let lab = options.lab;
  let own = false;
  if (!lab) {
    const make = options.createLab ?? (await import('./pymemlab.mjs')).createLab;
    lab = await make({ limits: { ...DEFAULT_LIMITS, ...(options.limits ?? {}) } });
    own = true;
  }
  try {
    switch (exercise.kind) {
      case 'predict': return await gradePredict(exercise, submission, lab, t);
      case 'choice': return await gradeChoice(exercise, submission, lab, t, lang);
      default: return await gradeFix(exercise, submission, lab, t);
    }
  } finally {
    if (own) lab.destroy();
  }
}

/** Find an exercise by id in a parsed exercises.json. */
export function findExercise(list, id) {
  if (!Array.isArray(list)) throw new Error('an exercises file holds a JSON list');
  const ex = list.find((e) => e && e.id === id);
  if (!ex) throw new Error(`no exercise with id ${JSON.stringify(id)} (ids: ${list.map((e) => e?.id).join(', ')})`);
  return ex;
}

/** 'path/to/exercises.json#ID' -> the exercise (Node only). */
export async function loadExercise(ref) {
  const hash = ref.lastIndexOf('#');
  if (hash < 0) throw new Error(`expected FILE#ID, got ${JSON.stringify(ref)}`);
  const { readFile } = await import('node:fs/promises');
  const list = JSON.parse(await readFile(ref.slice(0, hash), 'utf8'));
  return findExercise(list, ref.slice(hash + 1));
}
