#!/usr/bin/env node
// grade.mjs -- grade one exercise submission for a course pipeline (EXERCISES.md).
//
//   node wasm/grade.mjs [--lang=en|zh] EXERCISE SUBMISSION
//
// EXERCISE    path/to/exercises.json#ID
// SUBMISSION  a file, or - for standard input: the edited program (fix), the predicted
//             output (predict), the chosen text or 0-based index, e.g. #2 (choice)
// Prints one line of JSON, { "passed", "feedback", "details" }, and exits 0 when passed,
// 1 when not, 2 when the arguments or the exercise are wrong.  PYMEMLAB_EMSCRIPTEN_DIR
// overrides where the Emscripten build is found.
import { existsSync, readFileSync } from 'node:fs';
import { gradeExercise, loadExercise, validateExercise } from './grading.mjs';
import { createLab } from './pymemlab.mjs';

const USAGE = 'usage: node wasm/grade.mjs [--lang=en|zh] EXERCISES.json#ID SUBMISSION\n';

async function main(argv) {
  let lang = 'en';
  const rest = [];
  for (const a of argv) {
    if (a.startsWith('--lang=')) lang = a.slice(7);
    else if (a === '-h' || a === '--help') { process.stdout.write(USAGE); return 0; }
    else rest.push(a);
  }
  if (rest.length !== 2 || !['en', 'zh'].includes(lang)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const [ref, file] = rest;
  let exercise, submission;
  try {
    exercise = await loadExercise(ref);
  } catch (err) {
    process.stderr.write(`grade: ${ref}: ${err.message}\n`);
    return 2;
  }
  const problems = validateExercise(exercise);
  if (problems.length) {
    process.stderr.write(`grade: ${ref}: ${problems.join('; ')}\n`);
    return 2;
  }
  try {
    submission = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    process.stderr.write(`grade: ${file}: ${err.message}\n`);
    return 2;
  }
  const repo = new URL('../build/emscripten/', import.meta.url);
  const buildDir = process.env.PYMEMLAB_EMSCRIPTEN_DIR ||
    (existsSync(new URL('pymemlab.wasm', repo)) ? repo : undefined);
  const result = await gradeExercise(exercise, submission, {
    lang, createLab: (opts) => createLab({ ...opts, buildDir }),
  });
  process.stdout.write(JSON.stringify(result) + '\n');
  if (result.details?.broken) return 2;
  return result.passed ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
