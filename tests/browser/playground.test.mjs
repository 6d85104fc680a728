// End-to-end: the playground page in Debian's Chromium, driven by playwright-core.
// Needs build/emscripten (make test builds it) and /usr/bin/chromium (make test installs it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../web/serve.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const artifacts = path.join(repo, 'build', 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

let server, context, page, userDataDir;
const dialogs = [];
const pageErrors = [];

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startServer({ port: 0 });
  userDataDir = mkdtempSync(path.join(tmpdir(), 'pymemlab-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 60_000,
  });
  page = context.pages()[0] ?? await context.newPage();
  page.on('dialog', (dialog) => { dialogs.push(dialog.message()); dialog.dismiss().catch(() => {}); });
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  await page.goto(server.url);
  await page.locator('#run:not([disabled])').waitFor({ timeout: 30_000 });
});

after(async () => {
  await context?.close();
  await server?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

async function runProgram(code) {
  await page.fill('#source', '');
  await page.locator('#source').pressSequentially(code);
  await page.click('#run');
  await page.locator('#status.ok, #status.error').waitFor();
  return page.locator('#output').textContent();
}

test('the page loads the core and shows its version', async () => {
  assert.match(await page.locator('#version').textContent(), /core \d+\.\d+\.\d+/);
});

test('typing print(1+1) and clicking Run shows 2', async () => {
  const out = await runProgram('print(1+1)');
  assert.equal(out, '2\n');
  assert.match(await page.locator('#status').textContent(), /finished/);
  await page.screenshot({ path: path.join(artifacts, 'playground.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(artifacts, 'playground-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
});

test('program output is shown as text, never as markup', async () => {
  const out = await runProgram("print('<img src=x onerror=alert(1)>')");
  assert.equal(out, '<img src=x onerror=alert(1)>\n');
  assert.equal(await page.locator('#output img').count(), 0);
  await page.waitForTimeout(200);
  assert.deepEqual(dialogs, []);
});

test('an uncaught exception is shown on the error stream', async () => {
  const out = await runProgram('print(1//0)');
  assert.match(out, /ZeroDivisionError: integer division or modulo by zero/);
  assert.equal(await page.locator('#output .stderr').count(), 1);
  assert.match(await page.locator('#status').textContent(), /exception/);
});

test('no script errors on the page', () => {
  assert.deepEqual(pageErrors, []);
});
