#!/usr/bin/env node
// cli.mjs -- the PyMemLab command line on top of the wasm builds.
//
//   node wasm/cli.mjs [--engine=emscripten|wasi] run FILE.py
//   node wasm/cli.mjs [--engine=emscripten|wasi] -c CODE
//   node wasm/cli.mjs [--engine=emscripten|wasi] --version
//
// Same stdout/stderr bytes and exit status as the native build/native/pymemlab.
//   emscripten (default)  build/emscripten/ through wasm/pymemlab.mjs; override the folder
//                         with PYMEMLAB_EMSCRIPTEN_DIR
//   wasi                  build/wasi/pymemlab.wasm (core/cli/main.c) under node:wasi, with
//                         the current directory and the file's directory preopened; override
//                         the file with PYMEMLAB_WASI_WASM
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const USAGE = 'usage: pymemlab run FILE.py\n       pymemlab -c CODE\n       pymemlab --version\n';
const ERRORS = { ENOENT: 'No such file or directory', EACCES: 'Permission denied', EISDIR: 'Is a directory' };

function parseArgs(argv) {
  let engine = 'emscripten';
  const rest = [];
  for (const a of argv) {
    if (a.startsWith('--engine=') && rest.length === 0) engine = a.slice('--engine='.length);
    else rest.push(a);
  }
  return { engine, rest };
}

// Write bytes to stdout/stderr.  process.stdout/stderr are synchronous for files and pipes on
// Linux, so the two streams keep the order the program wrote them in.
function emit(stream, bytes) {
  (stream === 1 ? process.stdout : process.stderr).write(bytes);
}

async function runEmscripten(args) {
  const { createLab } = await import('./pymemlab.mjs');
  const buildDir = process.env.PYMEMLAB_EMSCRIPTEN_DIR || path.join(here, '..', 'build', 'emscripten');
  let source, filename;
  if (args.length === 1 && args[0] === '--version') {
    const lab = await createLab({ buildDir });
    process.stdout.write(`pymemlab ${lab.version}\n`);
    lab.destroy();
    return 0;
  }
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.length === 2 && args[0] === '-c') {
    source = args[1];
    filename = '<string>';
  } else if (args.length === 2 && args[0] === 'run') {
    filename = args[1];
    try {
      source = readFileSync(filename);
    } catch (err) {
      process.stderr.write(`pymemlab: can't open file '${filename}': ${ERRORS[err.code] ?? err.message}\n`);
      return 2;
    }
  } else {
    process.stderr.write(USAGE);
    return 2;
  }
  // CPython 3.11 names the script getcwd() + '/' + the name given (not normalised)
  if (filename !== '<string>' && !filename.startsWith('/')) filename = `${process.cwd()}/${filename}`;
  const lab = await createLab({ buildDir });
  const { exitCode } = lab.run(source, { filename, onWrite: emit });
  lab.destroy();
  return exitCode;
}

async function runWasi(args) {
  // node:wasi announces itself as experimental on stderr; that would change the program's
  // stderr bytes, so that one warning is dropped.
  const emitWarning = process.emitWarning;
  process.emitWarning = function (warning, ...rest) {
    const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
    if (type === 'ExperimentalWarning' && String(warning).includes('WASI')) return;
    return emitWarning.call(process, warning, ...rest);
  };
  const { WASI } = await import('node:wasi');
  const wasmPath = process.env.PYMEMLAB_WASI_WASM || path.join(here, '..', 'build', 'wasi', 'pymemlab.wasm');
  // The program opens FILE as given, so preopen the current directory and FILE's directory
  // under the name FILE uses for it (wasi-libc resolves paths against preopen names).
  const preopens = { '.': process.cwd() };
  if (args[0] === 'run' && args.length === 2) {
    const dir = path.dirname(args[1]);
    if (dir !== '.') preopens[dir] = path.resolve(dir);
  }
  const wasi = new WASI({ version: 'preview1', args: ['pymemlab', ...args], env: { PWD: process.cwd() }, preopens, returnOnExit: true });
  const module = await WebAssembly.compile(readFileSync(wasmPath));
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  return wasi.start(instance);
}

const { engine, rest } = parseArgs(process.argv.slice(2));
if (engine === 'emscripten') process.exitCode = await runEmscripten(rest);
else if (engine === 'wasi') process.exitCode = await runWasi(rest);
else {
  process.stderr.write(`cli.mjs: unknown engine '${engine}' (emscripten or wasi)\n`);
  process.exitCode = 2;
}
