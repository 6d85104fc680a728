#!/usr/bin/env node
// run.mjs -- the memory-workload benchmarks (tests/bench/*.py) on PyMemLab and on CPython.
//
//   node tests/bench/run.mjs [OPTIONS] [NAME ...]     time every program (or the NAMEs)
//   node tests/bench/run.mjs --check                  checksums only (tests/run_all.sh bench-check)
//
// Engines (--engines=LIST, comma-separated; default native,wasm,python3):
//   native    build/native/pymemlab run FILE          (PYMEMLAB_NATIVE=PATH: another binary)
//   wasm      node wasm/cli.mjs run FILE              (the Emscripten build; PYMEMLAB_EMSCRIPTEN_DIR
//                                                     selects another, see wasm/cli.mjs)
//   wasi      node wasm/cli.mjs --engine=wasi run FILE
//   python3   python3 FILE                            (CPython 3.11: the yardstick)
//
// Every program prints a checksum.  Each run's stdout must equal python3's and its exit
// status must be 0; any difference is reported and makes the exit status 1.
//
// Timing: ROUNDS rounds (--rounds=N, default 5); in each round every program runs once on
// every engine, the engine order rotating from round to round, so that a slow period of the
// machine hits all engines alike.  The time of a run is its CPU time (user + system of the
// process and its children, from bash's `times`; --metric=wall for elapsed time instead).
// CPU time is the steadier measure on a shared machine; it includes Node's background
// compiler threads for wasm.  Each engine's start-up is measured the same way on an empty
// program; the table shows per-program medians with that start-up subtracted ("net") and
// the ratio to python3's net time, then the geometric means of the ratios, net and gross
// (gross: start-up included, what `time` on the command line shows).
//
// Sizes: a program's size parameters are lines `NAME = VALUE  # bench: check=SMALL`.  The
// timed runs use VALUE; --check runs each program once per engine with SMALL (sized copies
// go to build/bench/), so that `make test` stays fast.  --size=check|full overrides either.
// BENCH_DEBUG=1 prints every run's CPU and wall time on stderr.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');

const ENGINES = {
  native: { cmd: [path.resolve(process.env.PYMEMLAB_NATIVE || path.join(repo, 'build/native/pymemlab')), 'run'],
            needs: process.env.PYMEMLAB_NATIVE ? null : 'build/native/pymemlab' },
  wasm: { cmd: [process.execPath, path.join(repo, 'wasm/cli.mjs'), 'run'], needs: 'build/emscripten/pymemlab.wasm' },
  wasi: { cmd: [process.execPath, path.join(repo, 'wasm/cli.mjs'), '--engine=wasi', 'run'], needs: 'build/wasi/pymemlab.wasm' },
  python3: { cmd: ['python3'] },
};

function usage(msg) {
  if (msg) process.stderr.write(`run.mjs: ${msg}\n`);
  process.stderr.write('usage: node tests/bench/run.mjs [--check] [--rounds=N] [--engines=a,b,c] ' +
    '[--metric=cpu|wall] [--size=check|full] [NAME ...]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { check: false, rounds: 5, engines: ['native', 'wasm', 'python3'], metric: 'cpu', size: null, names: [] };
  for (const a of argv) {
    const [k, v] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, null];
    if (k === '--check') o.check = true;
    else if (k === '--rounds' && /^[1-9]\d*$/.test(v)) o.rounds = Number(v);
    else if (k === '--engines' && v) o.engines = v.split(',');
    else if (k === '--metric' && (v === 'cpu' || v === 'wall')) o.metric = v;
    else if (k === '--size' && (v === 'check' || v === 'full')) o.size = v;
    else if (k === '--help' || k === '-h') usage();
    else if (!k.startsWith('-')) o.names.push(k.replace(/\.py$/, ''));
    else usage(`unknown option ${a}`);
  }
  for (const e of o.engines) if (!ENGINES[e]) usage(`unknown engine ${e}`);
  if (!o.engines.includes('python3')) o.engines.push('python3');   // the reference output
  o.size ??= o.check ? 'check' : 'full';
  return o;
}

// The programs, as files to run: the originals (full size) or sized copies.
function programs(opts) {
  let names = readdirSync(here).filter((f) => f.endsWith('.py')).map((f) => f.slice(0, -3)).sort();
  if (opts.names.length) {
    for (const n of opts.names) if (!names.includes(n)) usage(`no program tests/bench/${n}.py`);
    names = opts.names;
  }
  const outDir = path.join(repo, 'build', 'bench', opts.size);
  mkdirSync(outDir, { recursive: true });
  const list = names.map((name) => {
    const src = readFileSync(path.join(here, `${name}.py`), 'utf8');
    if (opts.size === 'full') return { name, file: path.join(here, `${name}.py`) };
    const sized = src.replace(/^(\w+) = [^#\n]*?(\s*# bench: check=(\S+))/gm, '$1 = $3$2');
    const file = path.join(outDir, `${name}.py`);
    writeFileSync(file, sized);
    return { name, file };
  });
  return list;
}

// One run: { out, err, status, wall, cpu } (seconds).
function runOnce(engine, file) {
  const cmd = [...ENGINES[engine].cmd, file];
  const t0 = process.hrtime.bigint();
  // bash's `times` prints the shell's and then its children's user and system time.
  const r = spawnSync('bash', ['-c', '"$@"; s=$?; times >&2; exit $s', 'bench', ...cmd], {
    cwd: path.dirname(file), encoding: 'utf8', maxBuffer: 64 << 20, timeout: 600_000,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const lines = (r.stderr ?? '').split('\n');
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  const times = lines.splice(-2);
  const secs = (s) => { const m = /^(\d+)m([\d.]+)s$/.exec(s); return m ? Number(m[1]) * 60 + Number(m[2]) : NaN; };
  const [user, sys] = (times[1] ?? '').split(/\s+/).map(secs);
  return { out: r.stdout ?? '', err: lines.join('\n'), status: r.error ? String(r.error.code ?? r.error) : r.status,
           wall, cpu: user + sys };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
const geomean = (xs) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);

function main() {
  const opts = parseArgs(process.argv.slice(2));
  for (const e of opts.engines) {
    const needs = ENGINES[e].needs;
    if (needs && !existsSync(path.join(repo, needs))) {
      process.stderr.write(`run.mjs: ${needs} is missing: build it first (make native / make emscripten / make wasi)\n`);
      process.exit(2);
    }
  }
  const progs = programs(opts);
  const engines = opts.engines;
  const rounds = opts.check ? 1 : opts.rounds;
  const empty = path.join(repo, 'build', 'bench', 'empty.py');
  writeFileSync(empty, 'pass\n');
  const jobs = [...(opts.check ? [] : [{ name: '(start-up)', file: empty }]), ...progs];
  const times = {};           // name -> engine -> [seconds]
  const bad = new Map();      // name -> reasons
  const reference = {};       // name -> python3 stdout
  for (let round = 0; round < rounds; round++) {
    if (!opts.check) process.stderr.write(`round ${round + 1}/${rounds}\n`);
    for (const [i, job] of jobs.entries()) {
      const order = engines.map((_, k) => engines[(k + round + i) % engines.length]);
      for (const e of order) {
        const r = runOnce(e, job.file);
        ((times[job.name] ??= {})[e] ??= []).push(r[opts.metric]);
        if (process.env.BENCH_DEBUG) process.stderr.write(`${job.name} ${e} cpu ${r.cpu} wall ${r.wall.toFixed(3)}\n`);
        if (job.file === empty) continue;
        const why = [];
        if (r.status !== 0 && !(bad.get(job.name) ?? []).some((w) => w.startsWith(`${e}: exit status`)))
          why.push(`${e}: exit status ${r.status}${r.err ? `\n    ${r.err.split('\n').slice(0, 12).join('\n    ')}` : ''}`);
        if (e === 'python3') reference[job.name] ??= r.out;
        (job.outs ??= {})[e] = r.out;
        if (why.length) bad.set(job.name, [...(bad.get(job.name) ?? []), ...why]);
      }
      if (job.file === empty) continue;
      for (const e of engines) {
        if (e !== 'python3' && job.outs[e] !== reference[job.name]) {
          const why = `${e} printed ${JSON.stringify(job.outs[e].slice(0, 300))}, python3 ${JSON.stringify(reference[job.name].slice(0, 300))}`;
          const prev = bad.get(job.name) ?? [];
          if (!prev.includes(why)) bad.set(job.name, [...prev, why]);
        }
      }
      if (opts.check) {
        const ok = !bad.has(job.name);
        console.log(`${ok ? 'ok  ' : 'FAIL'} ${job.name}${ok ? '' : `\n  ${bad.get(job.name).join('\n  ')}`}`);
      }
    }
  }
  if (!opts.check) report(opts, progs, times);
  for (const [name, why] of bad) if (!opts.check) console.log(`FAIL ${name}\n  ${why.join('\n  ')}`);
  console.log(`bench: ${progs.length - bad.size} passed, ${bad.size} failed`);
  process.exit(bad.size ? 1 : 0);
}

function report(opts, progs, times) {
  const others = opts.engines.filter((e) => e !== 'python3');
  const start = Object.fromEntries(opts.engines.map((e) => [e, median(times['(start-up)'][e])]));
  const ms = (s) => (s * 1000).toFixed(0);
  const head = ['program', 'python3 ms', ...others.flatMap((e) => [`${e} ms`, `${e} ×`])];
  const rows = [];
  const net = {}, gross = {};
  for (const p of progs) {
    const t = times[p.name];
    const py = median(t.python3), pyNet = Math.max(py - start.python3, 1e-3);
    const row = [p.name, ms(pyNet)];
    for (const e of others) {
      const m = median(t[e]), mNet = Math.max(m - start[e], 1e-3);
      (net[e] ??= []).push(mNet / pyNet);
      (gross[e] ??= []).push(m / py);
      row.push(ms(mNet), (mNet / pyNet).toFixed(2));
    }
    rows.push(row);
  }
  rows.push(['**geomean (net)**', '', ...others.flatMap((e) => ['', `**${geomean(net[e]).toFixed(2)}**`])]);
  rows.push(['geomean (gross)', '', ...others.flatMap((e) => ['', geomean(gross[e]).toFixed(2)])]);
  rows.push(['start-up (empty program)', ms(start.python3), ...others.flatMap((e) => [ms(start[e]), ''])]);
  console.log(`\n${opts.metric === 'cpu' ? 'CPU' : 'wall'} time, median of ${opts.rounds} rounds, ` +
    'start-up subtracted; × = time / python3 time\n');
  const line = (cells) => `| ${cells.join(' | ')} |`;
  console.log(line(head));
  console.log(line(head.map((_, i) => (i ? '---:' : '---'))));
  for (const r of rows) console.log(line(r));
  console.log('');
}

main();
