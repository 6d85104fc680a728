#!/usr/bin/env node
// size_startup.mjs -- a benchmark, not a test: size and start-up of the Emscripten build.
//
//   node tests/bench/size_startup.mjs [BUILD_DIR]        (default build/emscripten/)
//
// Reports the size of pymemlab.wasm + pymemlab.mjs (the Emscripten output) raw and gzipped
// (level 9), and the time of createLab() + run('print(1)') in Node once the files are read:
//   cold   the first lab: compiling and instantiating the wasm module from its bytes,
//          creating the lab, running print(1)
//   warm   another lab on the already instantiated module (what every later lab costs)
// Targets (issue 8): wasm + JS <= 300 KB raw and <= 120 KB gzip; createLab() + run <= 15 ms.
// Exit status 0 whatever the numbers: it reports, it does not judge.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = path.resolve(process.argv[2] ?? path.join(repo, 'build', 'emscripten'));
const files = ['pymemlab.wasm', 'pymemlab.mjs'].map((f) => [f, readFileSync(path.join(dir, f))]);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let raw = 0;
let gz = 0;
console.log(`build: ${dir}`);
for (const [name, bytes] of files) {
  const z = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gz += z;
  console.log(`  ${name.padEnd(14)} ${kb(bytes.length).padStart(10)} raw ${kb(z).padStart(10)} gzip`);
}
console.log(`  ${'total'.padEnd(14)} ${kb(raw).padStart(10)} raw ${kb(gz).padStart(10)} gzip` +
  `   (target <= 300 KB raw, <= 120 KB gzip: ${raw <= 300 * 1024 && gz <= 120 * 1024 ? 'met' : 'NOT met'})`);

// Start-up.  The loader reads the .wasm file itself, so the cold figure subtracts the time of
// one such read, measured just before.
const { createLab } = await import(pathToFileURL(path.join(repo, 'wasm', 'pymemlab.mjs')).href);
const wasmBytes = files[0][1];

let t = performance.now();
const compiled = await WebAssembly.compile(wasmBytes);
const compileMs = performance.now() - t;
void compiled;

// cold: the loader's first lab for this folder (it reads the .wasm again: subtract that read)
t = performance.now();
readFileSync(path.join(dir, 'pymemlab.wasm'));
const readMs = performance.now() - t;
t = performance.now();
const first = await createLab({ buildDir: dir });
const r = first.run('print(1)\n');
const coldMs = performance.now() - t - readMs;
if (r.stdout !== '1\n') throw new Error(`print(1) printed ${JSON.stringify(r.stdout)}`);

// warm: more labs on the same module
const samples = [];
for (let i = 0; i < 30; i++) {
  t = performance.now();
  const lab = await createLab({ buildDir: dir });
  lab.run('print(1)\n');
  samples.push(performance.now() - t);
  lab.destroy();
}
first.destroy();
samples.sort((a, b) => a - b);
const median = samples[samples.length >> 1];
console.log(`startup (Node ${process.versions.node}):`);
console.log(`  WebAssembly.compile alone        ${compileMs.toFixed(1)} ms`);
console.log(`  cold: first createLab() + run    ${coldMs.toFixed(1)} ms (file read excluded)`);
console.log(`  warm: createLab() + run, median  ${median.toFixed(2)} ms (min ${samples[0].toFixed(2)}, max ${samples.at(-1).toFixed(2)})`);
console.log(`  (target <= 15 ms: cold ${coldMs <= 15 ? 'met' : 'NOT met'}, warm ${median <= 15 ? 'met' : 'NOT met'})`);
