#!/usr/bin/env node
// page_ready.mjs -- a benchmark, not a test: how long the playground takes from navigation
// to "ready to run" (the Run button enabled: the core is loaded in its worker) in headless
// Chromium from a localhost server.  Target: <= 300 ms.
//
//   node tests/bench/page_ready.mjs [RUNS]        (default 10 measured runs after 2 warm-ups)
//
// Each run is a fresh navigation (served with Cache-Control: no-cache).  The time is the
// page's own performance mark 'pymemlab:ready', relative to navigation start.
import { openBrowser } from '../browser/helpers.mjs';

const runs = Number(process.argv[2] ?? 10);
const b = await openBrowser();
const times = [];
try {
  for (let i = 0; i < runs + 2; i++) {
    await b.page.goto(`${b.server.url}?bench=${i}`);
    await b.page.locator('pymem-lab[ready]').waitFor({ timeout: 30_000 });
    const ms = await b.page.evaluate(() => performance.getEntriesByName('pymemlab:ready')[0]?.startTime);
    if (i >= 2) times.push(ms);
  }
} finally {
  await b.close();
}
times.sort((a, c) => a - c);
const median = times[Math.floor(times.length / 2)];
console.log(`page ready (navigation -> Run enabled), ${times.length} runs: ` +
  `median ${median.toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times.at(-1).toFixed(0)} ms ` +
  `(target <= 300 ms: ${median <= 300 ? 'met' : 'NOT met'})`);
