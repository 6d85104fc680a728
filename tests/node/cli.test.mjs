// wasm/cli.mjs with both engines, compared with the native CLI when it is built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(repo, 'wasm', 'cli.mjs');
const native = path.join(repo, 'build', 'native', 'pymemlab');
const dir = mkdtempSync(path.join(tmpdir(), 'pymemlab-cli-'));
writeFileSync(path.join(dir, 'ok.py'), 'print(1+1)\n');
writeFileSync(path.join(dir, 'boom.py'), "print('before')\nprint(1//0)\n");

function run(command, args, cwd = dir) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const engines = {
  emscripten: (...args) => run(process.execPath, [cli, ...args]),
  wasi: (...args) => run(process.execPath, [cli, '--engine=wasi', ...args]),
};

for (const [engine, pymemlab] of Object.entries(engines)) {
  test(`${engine}: run FILE.py prints and exits 0`, () => {
    assert.deepEqual(pymemlab('run', 'ok.py'), { status: 0, stdout: '2\n', stderr: '' });
  });

  test(`${engine}: an uncaught exception exits 1 with a traceback`, () => {
    const r = pymemlab('run', 'boom.py');
    assert.equal(r.status, 1);
    assert.equal(r.stdout, 'before\n');
    assert.match(r.stderr, /File "[^"]*boom\.py", line 2/);
    assert.equal(r.stderr.trimEnd().split('\n').at(-1), 'ZeroDivisionError: integer division or modulo by zero');
  });

  test(`${engine}: a file in another directory, given by a relative path`, () => {
    const r = run(process.execPath, [cli, `--engine=${engine}`, 'run', path.join('..', path.basename(dir), 'ok.py')]);
    assert.deepEqual(r, { status: 0, stdout: '2\n', stderr: '' });
  });

  test(`${engine}: -c, --version and usage`, () => {
    assert.deepEqual(pymemlab('-c', 'print(1+1)'), { status: 0, stdout: '2\n', stderr: '' });
    const v = pymemlab('--version');
    assert.equal(v.status, 0);
    assert.match(v.stdout, /^pymemlab \d+\.\d+\.\d+/);
    const u = pymemlab();
    assert.equal(u.status, 2);
    assert.match(u.stderr, /^usage: /);
    const missing = pymemlab('run', 'missing.py');
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr, "pymemlab: can't open file 'missing.py': No such file or directory\n");
  });

  test(`${engine}: same bytes and status as the native CLI`, { skip: !existsSync(native) && 'build/native not built' }, () => {
    for (const args of [['run', 'ok.py'], ['run', 'boom.py'], ['-c', 'print(1+1)'], ['--version'], [], ['run', 'missing.py']]) {
      assert.deepEqual(pymemlab(...args), run(native, args), `args: ${args.join(' ')}`);
    }
  });
}
