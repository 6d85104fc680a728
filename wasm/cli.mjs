#!/usr/bin/env node
// cli.mjs -- the PyMemLab command line on top of the wasm builds.
//
//   node wasm/cli.mjs [--engine=emscripten|wasi] [OPTIONS] run FILE.py
//   node wasm/cli.mjs [--engine=emscripten|wasi] [OPTIONS] -c CODE
//   node wasm/cli.mjs [--engine=emscripten|wasi] --version
//
// Same stdout/stderr bytes and exit status as the native build/native/pymemlab, and the same
// OPTIONS (core/cli/main.c): --max-steps N, --max-output BYTES.
//   emscripten (default)  build/emscripten/ (else wasm/dist/, as in the npm package) through
//                         wasm/pymemlab.mjs; override the folder with PYMEMLAB_EMSCRIPTEN_DIR
//   wasi                  build/wasi/pymemlab.wasm (core/cli/main.c) under node:wasi, with
//                         the current directory and the file's directory preopened; override
//                         the file with PYMEMLAB_WASI_WASM
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const USAGE = 'usage: pymemlab [OPTIONS] run FILE.py\n       pymemlab [OPTIONS] -c CODE\n       pymemlab --version\n' +
  'options (limits of the run; none by default):\n' +
  '  --max-steps N        stop the program after N bytecode instructions\n' +
  '  --max-output BYTES   stop the program once it has printed more than BYTES bytes\n';
const LIMIT_OPTIONS = { '--max-steps': 'steps', '--max-output': 'outputBytes' };
const ERRORS = { ENOENT: 'No such file or directory', EACCES: 'Permission denied', EISDIR: 'Is a directory' };

// build/NAME/ of a checkout when it has been built; otherwise undefined, and the loader
// uses its default (./dist/ next to it, which the npm package ships).
function repoBuild(name, file) {
  const dir = path.join(here, '..', 'build', name);
  return existsSync(path.join(dir, file)) ? dir : undefined;
}

// --engine=, then the limit options (kept in limitArgs too, for the wasi command), then the
// command.  badLimit: an option's value was not a positive whole number.
function parseArgs(argv) {
  let engine = 'emscripten';
  const rest = [];
  const limits = {};
  const limitArgs = [];
  let badLimit = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--engine=') && rest.length === 0 && limitArgs.length === 0) {
      engine = a.slice('--engine='.length);
    } else if (rest.length === 0 && LIMIT_OPTIONS[a] && i + 1 < argv.length && argv.length - i >= 3) {
      const text = argv[++i];
      if (!/^[0-9]+$/.test(text) || Number(text) <= 0 || !Number.isSafeInteger(Number(text))) {
        process.stderr.write(`pymemlab: ${a} needs a positive whole number, not '${text}'\n`);
        badLimit = true;
        break;
      }
      limits[LIMIT_OPTIONS[a]] = Number(text);
      limitArgs.push(a, text);
    } else {
      rest.push(a);
    }
  }
  return { engine, rest, limits, limitArgs, badLimit };
}

// Write bytes to stdout/stderr.  process.stdout/stderr are synchronous for files and pipes on
// Linux, so the two streams keep the order the program wrote them in.
function emit(stream, bytes) {
  (stream === 1 ? process.stdout : process.stderr).write(bytes);
}

async function runEmscripten(args, limits) {
  const { createLab } = await import('./pymemlab.mjs');
  const buildDir = process.env.PYMEMLAB_EMSCRIPTEN_DIR || repoBuild('emscripten', 'pymemlab.wasm');
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
  const lab = await createLab({ buildDir, limits });
  const { exitCode } = lab.run(source, { filename, onWrite: emit });
  lab.destroy();
  return exitCode;
}

async function runWasi(args, limitArgs) {
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
  if (!existsSync(wasmPath)) {
    process.stderr.write(`pymemlab: ${wasmPath} is missing: build it with \`make wasi\` or set PYMEMLAB_WASI_WASM\n`);
    return 2;
  }
  // The program opens FILE as given, so preopen the current directory and FILE's directory
  // under the name FILE uses for it (wasi-libc resolves paths against preopen names).
  const preopens = { '.': process.cwd() };
  if (args[0] === 'run' && args.length === 2) {
    const dir = path.dirname(args[1]);
    if (dir !== '.') preopens[dir] = path.resolve(dir);
  }
  const wasi = new WASI({ version: 'preview1', args: ['pymemlab', ...limitArgs, ...args], env: { PWD: process.cwd() }, preopens, returnOnExit: true });
  const module = await WebAssembly.compile(readFileSync(wasmPath));
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  return wasi.start(instance);
}

const { engine, rest, limits, limitArgs, badLimit } = parseArgs(process.argv.slice(2));
if (badLimit) {
  process.stderr.write(USAGE);
  process.exitCode = 2;
} else if (engine === 'emscripten') process.exitCode = await runEmscripten(rest, limits);
else if (engine === 'wasi') process.exitCode = await runWasi(rest, limitArgs);
else {
  process.stderr.write(`cli.mjs: unknown engine '${engine}' (emscripten or wasi)\n`);
  process.exitCode = 2;
}
