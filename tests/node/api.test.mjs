// The JavaScript API (wasm/pymemlab.mjs) over the Emscripten build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLab, STATUS } from '../../wasm/pymemlab.mjs';

test('print(1+1) runs and prints 2', async () => {
  const lab = await createLab();
  const result = lab.run('print(1+1)\n');
  assert.equal(result.status, 'ok');
  assert.equal(result.code, 0);
  assert.equal(result.stdout, '2\n');
  assert.equal(result.stderr, '');
  lab.destroy();
});

test('the version string is the core version', async () => {
  const lab = await createLab();
  assert.match(lab.version, /^\d+\.\d+\.\d+/);
  lab.destroy();
});

test('onWrite sees the raw output bytes as they are written', async () => {
  const lab = await createLab();
  const seen = [];
  const result = lab.run('print(1+1)\n', { onWrite: (stream, bytes) => seen.push([stream, new TextDecoder().decode(bytes)]) });
  assert.equal(result.stdout, '2\n');
  assert.equal(seen.filter(([s]) => s === 1).map(([, t]) => t).join(''), '2\n');
  lab.destroy();
});

test('two labs in one process do not interfere', async () => {
  const a = await createLab();
  const b = await createLab();
  assert.equal(a.run('print(1+1)\n').stdout, '2\n');
  const fail = b.run('print(1//0)\n');
  assert.equal(fail.status, 'exception');
  assert.equal(fail.stdout, '');
  const ra = a.run('print(2+3)\n');
  assert.equal(ra.stdout, '5\n');
  assert.equal(ra.stderr, '');
  b.destroy();
  assert.equal(a.run('print(1+1)\n').stdout, '2\n');
  a.destroy();
});

test('an uncaught exception gives status "exception" and a traceback on stderr', async () => {
  const lab = await createLab();
  const result = lab.run("print('before')\nprint(1//0)\n", { filename: 'boom.py' });
  assert.equal(result.status, 'exception');
  assert.equal(result.code, STATUS.indexOf('exception'));
  assert.equal(result.stdout, 'before\n');
  assert.match(result.stderr, /^Traceback \(most recent call last\):\n/);
  assert.match(result.stderr, /File "boom\.py", line 2/);
  assert.equal(result.stderr.trimEnd().split('\n').at(-1), 'ZeroDivisionError: integer division or modulo by zero');
  // The lab stays usable.
  assert.equal(lab.run('print(1+1)\n').stdout, '2\n');
  lab.destroy();
});

test('a syntax error gives status "syntax-error"', async () => {
  const lab = await createLab();
  const result = lab.run('print(1 +\n', { filename: 'bad.py' });
  assert.equal(result.status, 'syntax-error');
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /bad\.py/);
  assert.match(result.stderr, /SyntaxError/);
  lab.destroy();
});

test('a destroyed lab refuses to run', async () => {
  const lab = await createLab();
  lab.destroy();
  assert.throws(() => lab.run('print(1)\n'), /destroyed/);
});
