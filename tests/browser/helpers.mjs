// helpers.mjs -- shared set-up of the browser tests: the static server, Debian's Chromium
// through playwright-core (never a downloaded browser), and small page helpers.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../web/serve.mjs';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const artifacts = path.join(repo, 'build', 'test-artifacts', 'browser');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Start the server and a browser; returns { server, context, page, problems, close }. */
export async function openBrowser({ viewport = { width: 1440, height: 900 } } = {}) {
  mkdirSync(artifacts, { recursive: true });
  const server = await startServer({ port: 0 });
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'pymemlab-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 60_000, viewport,
  });
  const problems = { dialogs: [], pageErrors: [], csp: [], console: [] };
  const watch = (page) => {
    page.on('dialog', (d) => { problems.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
    page.on('pageerror', (err) => problems.pageErrors.push(String(err.stack ?? err)));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.console.push(msg.text());
      if (/Content Security Policy|Refused to/i.test(msg.text())) problems.csp.push(msg.text());
    });
  };
  context.on('page', watch);
  const page = context.pages()[0] ?? await context.newPage();
  watch(page);
  return {
    server, context, page, problems,
    async close() {
      await context.close().catch(() => {});
      await server.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Wait until the lab on the page has loaded the core. */
export async function waitReady(page, selector = 'pymem-lab') {
  await page.locator(`${selector}[ready]`).waitFor({ timeout: 30_000 });
}

/** Replace the editor's text (CodeMirror) with `code`. */
export async function setCode(page, code, selector = 'pymem-lab') {
  await page.locator(selector).evaluate((lab, c) => { lab.code = c; }, code);
}

/** Run the program and wait for the recording to finish. */
export async function runProgram(page, code, selector = 'pymem-lab') {
  if (code != null) await setCode(page, code, selector);
  await page.locator(`${selector} pml-stepper button.run`).click();
  await page.waitForFunction((sel) => {
    const lab = document.querySelector(sel);
    return lab && !lab.hasAttribute('running') && lab.recording;
  }, selector, { timeout: 30_000 });
}

/** The refcount badge of object `id` in the heap picture. */
export function badge(page, id, selector = 'pymem-lab') {
  return page.locator(`${selector} pml-heap [data-id="${id}"] .badge`);
}
