// grading.mjs -- grade a lesson exercise by running the core.  Used by the page, by
// wasm/grade.mjs (course pipelines) and by the lesson tests, so all grade alike.
// The exercise format and the rules: EXERCISES.md.  Types: grading.d.ts.  `heap` exercises
// are C steps (heapsteps.mjs) run against the lab's hand-driven heap.
//
//   import { gradeExercise } from './wasm/grading.mjs';
//   const { passed, feedback, details } = await gradeExercise(exercise, submission, { lang: 'zh' });

import { runSteps } from './heapsteps.mjs';

const KINDS = {
  predict: ['code'],
  fix: ['starter', 'check'],
  choice: ['question', 'choices', 'code', 'explanation'],
  heap: ['starter', 'returns'],
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
    heapSyntax: (line, why) => `Line ${line}: ${why}.`,
    heapRefused: (line, code, why) => `Line ${line} was refused (${code}). ${why}`,
    heapNoReturn: 'The function never hands its result to the caller: end it with return and the object to return.',
    heapDangling: (line) => `The function returns a pointer to an object that was freed before it returned (freed at line ${line}): the caller's first use of it, even its Py_DECREF, is a use after free. Keep a reference of your own (Py_INCREF) for as long as you need the object.`,
    heapNullSlots: (name, slots) => `${name} still has NULL in slot${slots.length === 1 ? '' : 's'} ${slots.join(', ')} when the function returns: whoever reads the list next would crash. Fill every slot of PyList_New(n) with PyList_SetItem.`,
    heapWrong: (actual, expected) => `The function returns ${actual}, but it should return ${expected}.`,
    heapBorrowed: (name) => `The function returns a borrowed reference to ${name}. The caller owns what it gets back and will Py_DECREF it: one decref more than there are references, and the object would be freed while its owner still points to it. Return a reference of your own (Py_INCREF, or Py_NewRef).`,
    heapLeak: (list) => `Leak: when the function returns, nothing will ever release ${list}. Even the garbage collector cannot: it only frees groups of objects that refer to each other, and a leaked reference looks like a reference from outside. Py_DECREF each reference you own once you no longer need it (or hand it to a function that steals it).`,
    heapLeakItem: (name, repr, n) => `${n} reference${n === 1 ? '' : 's'} to ${name} (${repr})`,
    heapCycle: (n, names) => `After the caller drops the result, ${n} object${n === 1 ? '' : 's'} (${names}) stay${n === 1 ? 's' : ''} alive in a reference cycle, and only the garbage collector frees ${n === 1 ? 'it' : 'them'}. Build the result without a cycle.`,
    heapPass: (n) => `Right: no leak, no use after free. The function owns nothing when it returns, and the caller's one Py_DECREF frees all ${n} object${n === 1 ? '' : 's'}.`,
    and: ' and ',
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
    heapSyntax: (line, why) => `第 ${line} 行：${why}。`,
    heapRefused: (line, code, why) => `第 ${line} 行被拒绝（${code}）。${why}`,
    heapNoReturn: '这个函数从未把结果交给调用者：请以 return 加上要返回的对象结束。',
    heapDangling: (line) => `函数返回的指针指向一个在返回之前就已被释放的对象（在第 ${line} 行被释放）：调用者对它的第一次使用，哪怕只是 Py_DECREF，也是释放后使用。在需要这个对象期间，请持有你自己的引用（Py_INCREF）。`,
    heapNullSlots: (name, slots) => `函数返回时 ${name} 的第 ${slots.join('、')} 个槽位仍是 NULL：下一个读取这个列表的人会崩溃。请用 PyList_SetItem 填满 PyList_New(n) 的每个槽位。`,
    heapWrong: (actual, expected) => `函数返回的是 ${actual}，但应当返回 ${expected}。`,
    heapBorrowed: (name) => `函数返回的是 ${name} 的借用引用。调用者拥有它拿到的返回值，并会对它 Py_DECREF：这比实际的引用数多减了一次，对象会在它的拥有者仍指向它时被释放。请返回你自己拥有的引用（Py_INCREF 或 Py_NewRef）。`,
    heapLeak: (list) => `泄漏：函数返回后，再也没有谁会释放${list}。连垃圾回收器也不行：它只回收互相引用的一组对象，而泄漏的引用看起来就像来自外部的引用。请在不再需要时对你拥有的每个引用 Py_DECREF（或者把它交给会窃取引用的函数）。`,
    heapLeakItem: (name, repr, n) => ` ${name}（${repr}）的 ${n} 个引用`,
    heapCycle: (n, names) => `调用者放弃结果之后，有 ${n} 个对象（${names}）因为处在引用循环中而继续存活，只有垃圾回收器才能释放它们。请构造一个没有循环的结果。`,
    heapPass: (n) => `正确：没有泄漏，也没有释放后使用。函数返回时不再拥有任何引用，调用者的一次 Py_DECREF 就释放了全部 ${n} 个对象。`,
    and: '，以及',
  },
};

/** Everything wrong with an exercise's format (an empty list when it is well formed). */
export function validateExercise(ex) {
  const errors = [];
  if (ex == null || typeof ex !== 'object') return ['an exercise must be an object'];
  const id = typeof ex.id === 'string' && ex.id ? ex.id : '(no id)';
  if (id === '(no id)') errors.push('id must be a non-empty string');
  const fields = KINDS[ex.kind];
  if (!fields) return [...errors, `${id}: kind must be predict, fix, choice or heap, not ${JSON.stringify(ex.kind)}`];
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
  for (const k of ['code', 'starter', 'check', 'returns']) {
    if (k in ex && typeof ex[k] !== 'string') errors.push(`${id}: ${k} must be a string`);
  }
  if (typeof ex.returns === 'string' && !ex.returns.trim()) errors.push(`${id}: returns must be a Python expression`);
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

// The repr the lab shows for an object (lab.heap.objects(): at most 60 code points).
function shortRepr(text) {
  const cps = [...text];
  return cps.length > 60 ? cps.slice(0, 59).join('') + '…' : text;
}

async function gradeHeap(ex, submission, lab, t, lang) {
  const probe = await runFresh(lab, `print(repr((\n${ex.returns}\n)))\n`, 'exercise.py');
  if (probe.status !== 'ok') {
    const why = `its returns expression does not run (${exceptionText(probe.exception) || probe.status})`;
    return { passed: false, feedback: t.broken(why), details: { kind: 'heap', status: probe.status, broken: true } };
  }
  const expected = shortRepr(probe.stdout.replace(/\n$/, ''));
  const trace = await runSteps(lab, String(submission ?? ''));
  const details = { kind: 'heap', status: trace.outcome, expected, actual: null, trace };
  const fail = (feedback) => ({ passed: false, feedback, details });
  const pick = (text) => text[lang] ?? text.en;
  const label = (h) => trace.objects.find((o) => o.handle === h)?.label ?? `#${h}`;
  if (trace.outcome === 'syntax') return fail(t.heapSyntax(trace.errors[0].line, pick(trace.errors[0].text).replace(/\.$/, '')));
  const refused = trace.refused;
  if (refused && refused.phase === 'function') return fail(t.heapRefused(refused.line, refused.code, pick(refused.text)));
  const back = trace.steps.find((s) => s.result?.kind === 'return');
  if (trace.returned == null || !back) return fail(t.heapNoReturn);
  const at = back.state[trace.returned];
  if (!at?.alive) {
    const freedAt = trace.steps.find((s) => s.freed.some((f) => f.handle === trace.returned));
    return fail(t.heapDangling(freedAt?.line ?? back.line));
  }
  const { end } = trace;
  if (end.nullSlots.length) return fail(t.heapNullSlots(label(end.nullSlots[0].handle), end.nullSlots[0].slots));
  details.actual = at.repr;
  if (at.repr !== expected) return fail(t.heapWrong(at.repr, expected));
  if (end.borrowedReturn) return fail(t.heapBorrowed(label(trace.returned)));
  if (end.leaks.length) {
    const items = end.leaks.map(({ handle, count }) => t.heapLeakItem(label(handle), back.state[handle]?.repr ?? '?', count));
    return fail(t.heapLeak(items.join(t.and)));
  }
  if (refused) return fail(t.heapRefused(refused.line, refused.code, pick(refused.text)));
  if (end.cycle.length) return fail(t.heapCycle(end.cycle.length, end.cycle.map(label).join(', ')));
  return { passed: true, feedback: t.heapPass(trace.objects.length), details };
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
      case 'heap': return await gradeHeap(exercise, submission, lab, t, lang);
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
