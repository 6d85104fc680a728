// wasm/package.json: `npm pack` makes a tarball that works once installed: the exports map
// resolves, the loader finds the wasm build inside the package (dist/), and the worker and
// grading entry points load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const wasmDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'wasm');
const noDist = !existsSync(path.join(wasmDir, 'dist', 'pymemlab.wasm')) && 'wasm/dist/ not built (make emscripten)';

test('the packed package installs and runs from node_modules', { skip: noDist, timeout: 120_000 }, () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'pymemlab-pack-'));
  const pack = spawnSync('npm', ['pack', '--silent', '--pack-destination', tmp], { cwd: wasmDir, encoding: 'utf8' });
  assert.equal(pack.status, 0, pack.stderr);
  const tarball = path.join(tmp, pack.stdout.trim().split('\n').at(-1));
  const pkg = path.join(tmp, 'node_modules', 'pymemlab');
  mkdirSync(pkg, { recursive: true });
  const untar = spawnSync('tar', ['-xzf', tarball, '-C', pkg, '--strip-components=1']);
  assert.equal(untar.status, 0);
  const manifest = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8'));
  for (const f of manifest.files) assert.ok(existsSync(path.join(pkg, f)), `${f} is in the tarball`);
  writeFileSync(path.join(tmp, 'package.json'), '{"type": "module"}\n');
  writeFileSync(path.join(tmp, 'check.mjs'), `
import { createLab } from 'pymemlab';
import { createWorkerLab } from 'pymemlab/worker';
import { validateExercise } from 'pymemlab/grading';
const lab = await createLab();
const r = lab.run('import sys\\nx = []\\nprint(sys.getrefcount(x))\\n');
lab.destroy();
const w = await createWorkerLab();
const wr = await w.run('print(7)\\n');
w.destroy();
console.log(JSON.stringify([r.stdout, wr.stdout, validateExercise({}).length > 0]));
`);
  const run = spawnSync(process.execPath, ['check.mjs'], { cwd: tmp, encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), ['2\n', '7\n', true]);
  const cli = spawnSync(process.execPath, [path.join(pkg, 'cli.mjs'), '-c', 'print(1 + 1)'], { cwd: tmp, encoding: 'utf8' });
  assert.deepEqual([cli.status, cli.stdout], [0, '2\n']);
});
