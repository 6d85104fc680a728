// The Lab API of wasm/pymemlab.mjs: isolation, limits, recovery, callbacks, exceptions, leaks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLab, parseExceptionLine } from '../../wasm/pymemlab.mjs';

test('two labs in one process share nothing', async () => {
  const a = await createLab();
  const b = await createLab();
  // state that outlives a run: the objects made through lab.heap
  const list = a.heap.new('list');
  const marker = a.heap.new('str', 'marker-of-lab-a');
  a.heap.link(list, marker);
  // (the marker is built at run time: the program's own constants are in gc.get_objects() too)
  const probe = 'import gc\nm = "".join(["marker-of-", "lab-a"])\nprint(any(type(o) is list and m in o for o in gc.get_objects()))\n';
  assert.equal(a.run(probe).stdout, 'True\n');
  assert.equal(b.run(probe).stdout, 'False\n');
  assert.throws(() => b.heap.alive(list), { name: 'HeapError', code: 'unknown-handle' });
  // limits are per lab
  a.setLimits({ steps: 10_000 });
  assert.equal(a.run('for i in range(100000): pass\n').status, 'limit');
  assert.equal(b.run('for i in range(100000): pass\nprint("done")\n').stdout, 'done\n');
  // output goes to the lab that wrote it
  const seen = { a: '', b: '' };
  const c = await createLab({ onStdout: (t) => { seen.a += t; } });
  const d = await createLab({ onStdout: (t) => { seen.b += t; } });
  c.run('print("from c")\n');
  d.run('print("from d")\n');
  assert.deepEqual(seen, { a: 'from c\n', b: 'from d\n' });
  // a recursion limit set by one lab's program is not another's
  a.setLimits({ steps: 0 });
  a.run('import sys\nsys.setrecursionlimit(60)\n');
  assert.equal(b.run('import sys\nprint(sys.getrecursionlimit())\n').stdout, '1000\n');
  for (const lab of [a, b, c, d]) lab.destroy();
});

test('while True: pass stops with status "limit" in bounded time, and the lab carries on', async () => {
  const lab = await createLab({ limits: { steps: 2_000_000 } });
  const started = performance.now();
  const r = lab.run('while True: pass\n', { filename: 'loop.py' });
  const ms = performance.now() - started;
  assert.equal(r.status, 'limit');
  assert.equal(r.exitCode, 1);
  assert.equal(r.exception, null);
  assert.match(r.stderr, /stopped after 2000000 steps/);
  assert.ok(ms < 10_000, `took ${ms} ms`);
  const next = lab.run('print(sum(range(10)))\n');
  assert.deepEqual([next.status, next.stdout, next.stderr], ['ok', '45\n', '']);
  lab.destroy();
});

test('an output limit stops a printing loop', async () => {
  const lab = await createLab({ limits: { outputBytes: 1000 } });
  const r = lab.run('while True: print("spam")\n');
  assert.equal(r.status, 'limit');
  assert.ok(r.stdout.length <= 1000, `stdout is ${r.stdout.length} bytes`);
  assert.equal(lab.run('print("ok")\n').stdout, 'ok\n');
  lab.destroy();
});

test('a memory bomb raises MemoryError and the same lab runs the next program', async () => {
  const lab = await createLab({ limits: { memoryBytes: 32 << 20 } });
  const bomb = lab.run('x = []\nwhile True:\n    x.append([0] * 100000)\n', { filename: 'bomb.py' });
  assert.equal(bomb.status, 'exception');
  assert.deepEqual(bomb.exception, { type: 'MemoryError', message: '' });
  assert.equal(bomb.stderr.trimEnd().split('\n').at(-1), 'MemoryError');
  const big = lab.run("s = 'a' * 10**9\n");
  assert.equal(big.exception?.type, 'MemoryError');
  const next = lab.run('x = [0] * 100000\nprint(len(x))\n');
  assert.deepEqual([next.status, next.stdout], ['ok', '100000\n']);
  lab.destroy();
});

test('deep recursion raises RecursionError; the limit is restored for every run', async () => {
  const lab = await createLab({ limits: { recursion: 200 } });
  const r = lab.run('def f(n): return f(n + 1)\nf(0)\n');
  assert.deepEqual(r.exception, { type: 'RecursionError', message: 'maximum recursion depth exceeded' });
  assert.equal(lab.run('import sys\nsys.setrecursionlimit(5000)\nprint(sys.getrecursionlimit())\n').stdout, '5000\n');
  assert.equal(lab.run('import sys\nprint(sys.getrecursionlimit())\n').stdout, '200\n');
  lab.destroy();
});

test('the exception comes from the core: type and message of the last traceback line', async () => {
  const lab = await createLab();
  const cases = [
    ['print(1 // 0)\n', { type: 'ZeroDivisionError', message: 'integer division or modulo by zero' }],
    ['{}["k"]\n', { type: 'KeyError', message: "'k'" }],
    ['class Oops(Exception): pass\nraise Oops("a: b")\n', { type: 'Oops', message: 'a: b' }],
    ['x = undefined_name\n', { type: 'NameError', message: "name 'undefined_name' is not defined" }],
    ['raise MemoryError\n', { type: 'MemoryError', message: '' }],
    ['try:\n    1/0\nexcept ZeroDivisionError as e:\n    raise ValueError("v") from e\n', { type: 'ValueError', message: 'v' }],
    ['import sys\nsys.exit(3)\n', { type: 'SystemExit', message: '3' }],
  ];
  for (const [src, want] of cases) {
    const r = lab.run(src);
    assert.equal(r.status, 'exception', src);
    assert.deepEqual(r.exception, want, src);
    if (want.type !== 'SystemExit') {
      assert.equal(r.stderr.trimEnd().split('\n').at(-1), want.message ? `${want.type}: ${want.message}` : want.type);
    }
  }
  const syntax = lab.run('x = (\n', { filename: 'bad.py' });
  assert.equal(syntax.status, 'syntax-error');
  assert.deepEqual(syntax.exception, { type: 'SyntaxError', message: "'(' was never closed" });
  assert.equal(lab.run('import sys\nsys.exit(0)\n').exception, null);
  assert.equal(lab.run('print("fine")\n').exception, null);
  assert.equal(lab.run('import sys\nsys.exit(3)\n').exitCode, 3);
  assert.deepEqual(parseExceptionLine('E'), { type: 'E', message: '' });
  lab.destroy();
});

test('output callbacks: text as it is written, multi-byte characters intact', async () => {
  const lab = await createLab();
  const out = [];
  const err = [];
  const r = lab.run('print("héllo ✓ 🐍")\nimport sys\nprint("warn", file=sys.stderr)\nprint("bye")\n', {
    onStdout: (t) => out.push(t),
    onStderr: (t) => err.push(t),
  });
  assert.equal(out.join(''), 'héllo ✓ 🐍\nbye\n');
  assert.equal(err.join(''), 'warn\n');
  assert.equal(r.stdout, 'héllo ✓ 🐍\nbye\n');
  lab.destroy();
});

test('a callback cannot re-enter the module, and a lab destroyed from a callback is freed after the run', async () => {
  const other = await createLab();
  const lab = await createLab();
  let reentry;
  lab.run('print(1)\n', {
    onStdout: () => {
      try { other.run('print(2)\n'); } catch (e) { reentry = e; }
      lab.destroy();
    },
  });
  assert.match(String(reentry), /already running/);
  assert.throws(() => lab.run('print(1)\n'), /destroyed/);
  assert.equal(other.run('print(2)\n').stdout, '2\n');
  other.destroy();
});

test('reset() gives a fresh lab; setLimits() returns and keeps the limits', async () => {
  const lab = await createLab({ limits: { steps: 1000 } });
  const h = lab.heap.new('list');
  lab.reset();
  assert.throws(() => lab.heap.alive(h), { code: 'unknown-handle' });
  assert.equal(lab.run('for i in range(10000): pass\n').status, 'limit');
  assert.deepEqual(lab.setLimits({ steps: 0, outputBytes: 50 }), { steps: 0, memoryBytes: 0, recursion: 0, outputBytes: 50 });
  assert.equal(lab.run('for i in range(10000): pass\n').status, 'ok');
  assert.equal(lab.run('for i in range(100): print("x" * 10)\n').status, 'limit');
  assert.throws(() => lab.setLimits({ steps: -1 }), RangeError);
  lab.destroy();
});

test('1,000 create/destroy cycles grow no wasm memory and leave the heap as it was', async () => {
  const probe = await createLab();
  // warm up: let the allocator reach its steady state
  for (let i = 0; i < 20; i++) {
    const lab = await createLab();
    lab.run('x = [list(range(100)) for i in range(50)]\n');
    lab.destroy();
  }
  const before = probe.stats();
  for (let i = 0; i < 1000; i++) {
    const lab = await createLab();
    if (i % 10 === 0) lab.run('x = {i: str(i) for i in range(200)}\n');
    lab.destroy();
  }
  const after = probe.stats();
  assert.equal(after.wasmMemoryBytes, before.wasmMemoryBytes);
  assert.equal(after.liveBlocks, before.liveBlocks);
  probe.destroy();
});

test('a destroyed lab refuses every call', async () => {
  const lab = await createLab();
  lab.destroy();
  lab.destroy();
  assert.throws(() => lab.run('print(1)\n'), /destroyed/);
  assert.throws(() => lab.heap.new('list'), /destroyed/);
  assert.throws(() => lab.reset(), /destroyed/);
  assert.throws(() => lab.stats(), /destroyed/);
});

test('a missing build gives a clear error', async () => {
  await assert.rejects(createLab({ buildDir: '/nonexistent/pymemlab-build' }), /make emscripten/);
});

test('record() and tracing return the recording of SNAPSHOT.md', async (t) => {
  const lab = await createLab();
  let rec;
  try {
    rec = lab.record('a = [1]\nb = a\nprint(len(b))\n', { filename: 'rec.py' });
  } catch (err) {
    if (/no recorder/.test(err.message)) { t.skip('this build has no recorder yet'); lab.destroy(); return; }
    throw err;
  }
  assert.equal(rec.version, 1);
  assert.equal(rec.status, 'ok');
  assert.equal(rec.stdout, '1\n');
  assert.equal(rec.exitCode, 0);
  assert.equal(rec.exception, null);
  assert.ok(rec.steps.length >= 3);
  assert.deepEqual(rec.steps.slice(0, 3).map((s) => s.line), [1, 2, 3]);
  const last = rec.steps.at(-1);
  const names = Object.fromEntries(last.frames[0].vars);
  assert.equal(names.a, names.b);
  assert.equal(last.objects[String(names.a)].type, 'list');
  const failing = lab.record('x = 1\n1/0\n');
  assert.equal(failing.status, 'exception');
  assert.deepEqual(failing.exception, { type: 'ZeroDivisionError', message: 'division by zero' });
  lab.tracing = true;
  const r = lab.run('x = [1, 2]\n');
  assert.equal(r.status, 'ok');
  assert.ok(r.recording && r.recording.steps.length >= 1);
  const snap = lab.snapshot();
  assert.ok(snap && typeof snap.objects === 'object');
  lab.destroy();
});

test('an output callback that throws: run() re-throws it after the program, the lab is intact', async () => {
  const lab = await createLab();
  let calls = 0;
  assert.throws(() => lab.run('print(1)\nprint(2)\n', { onStdout: () => { calls++; throw new Error('callback broke'); } }),
    /callback broke/);
  assert.equal(calls, 1);                       // print(1) and print(2) were flushed together
  assert.equal(lab.run('print(3)\n').stdout, '3\n');
  lab.destroy();
});
