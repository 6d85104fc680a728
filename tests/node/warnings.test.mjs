// Compile-time warnings through the JavaScript API: a lab prints what python3 (3.11) prints
// when it compiles the same source under the same file name (taken at test time, never typed
// in), on stderr and before the program's output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLab } from '../../wasm/pymemlab.mjs';

const tmp = mkdtempSync(path.join(tmpdir(), 'pymemlab-warn-'));
const python = spawnSync('python3', ['-c', 'import sys; print(sys.version_info[:2] == (3, 11))'], { encoding: 'utf8' });
const noPython = python.stdout?.trim() !== 'True' && 'python3 3.11 is not available';

// CPython compiling (and, with run, running) `source` as `filename` with the default warning
// filters.  A real file name is written next to it, as the lab takes the source for that
// file's text.
function cpython(source, filename, { run = true } = {}) {
  const dir = mkdtempSync(path.join(tmp, 'case-'));
  if (!filename.startsWith('<')) writeFileSync(path.join(dir, filename), source);
  writeFileSync(path.join(dir, 'source.txt'), source);
  const driver = 'import sys\nsrc = open("source.txt", encoding="utf-8").read()\n'
    + 'code = compile(src, sys.argv[1], "exec")\n'
    + (run ? 'exec(code, {"__name__": "__main__"})\n' : '');
  const r = spawnSync('python3', ['-c', driver, filename], { encoding: 'utf8', cwd: dir });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SOURCE = [
  'x = 1000',
  'print(x is 1000, x is not "abc")',
  'def f(t):',
  '    return [t is 1, (1, 2)(3) if t else 0, 5[0] if t else 0, [1, 2]["a"] if t else 0]',
  'print(f(0))',
  'assert (x, "x is set")',
  'path = "C:\\data\\new"',
  'print(len(path), "\\d+")',
  'print(1if x else 2)',
  '',
].join('\n');

for (const filename of ['<lab>', 'main.py', '__main__.py']) {
  test(`the warnings of ${filename} are python3's, before the output`, { skip: noPython }, async () => {
    const want = cpython(SOURCE, filename);
    assert.equal(want.status, 0, want.stderr);
    assert.match(want.stderr, /SyntaxWarning/);
    const lab = await createLab();
    const writes = [];
    const r = lab.run(SOURCE, { filename, onWrite: (stream, bytes) => writes.push(stream) });
    assert.equal(r.status, 'ok');
    assert.equal(r.stderr, want.stderr);
    assert.equal(r.stdout, want.stdout);
    assert.equal(writes[0], 2, 'stderr is written first');
    const rec = lab.record(SOURCE, { filename });
    assert.equal(rec.stderr, want.stderr);
    assert.equal(rec.stdout, want.stdout);
    lab.destroy();
  });
}

test('without a file name the source is "<string>": warnings have no source line', { skip: noPython }, async () => {
  const want = cpython(SOURCE, '<string>');
  const lab = await createLab();
  assert.equal(lab.run(SOURCE).stderr, want.stderr);
  lab.destroy();
});

test('warnings, output, then an uncaught exception and its traceback', { skip: noPython }, async () => {
  const source = 'x = 5\nprint(x is 5)\nx[0]\n';
  const warnings = cpython(source, '<lab>', { run: false }).stderr;
  const ran = cpython(source, '<lab>');
  assert.match(warnings, /SyntaxWarning/);
  const lab = await createLab();
  const r = lab.run(source, { filename: '<lab>' });
  assert.equal(r.status, 'exception');
  assert.equal(r.exitCode, 1);
  assert.equal(r.stdout, ran.stdout);
  assert.ok(r.stderr.startsWith(warnings + 'Traceback (most recent call last):\n'), r.stderr);
  const last = ran.stderr.trimEnd().split('\n').pop();
  assert.equal(`${r.exception.type}: ${r.exception.message}`, last);
  assert.ok(r.stderr.endsWith(last + '\n'));
  lab.destroy();
});
