#!/usr/bin/env node
// build.mjs -- bundle the page with esbuild into build/web/ (make web runs it).
//
//   node web/build.mjs            one build (minified, with source maps)
//   node web/build.mjs --watch    rebuild on every change
//
// Entries: main.mjs (the playground, index.html), embed.mjs (embed.html) and pymem-lab.mjs
// (the element for course sites).  CodeMirror is bundled in; the core (wasm/) is not: the
// bundles import wasm/worker-client.mjs or wasm/pymemlab.mjs at run time from ../../wasm/.
import * as esbuild from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const options = {
  absWorkingDir: repo,
  entryPoints: { main: 'web/main.mjs', embed: 'web/embed.mjs', 'pymem-lab': 'web/pymem-lab.mjs' },
  outdir: 'build/web',
  bundle: true,
  format: 'esm',
  target: ['es2022', 'chrome105', 'firefox110', 'safari16'],
  minify: !process.argv.includes('--dev'),
  sourcemap: 'linked',
  loader: { '.css': 'text' },
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
};

if (process.argv.includes('--watch')) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  console.log('web/build.mjs: watching web/ (Ctrl+C to stop)');
} else {
  const result = await esbuild.build(options);
  const sizes = Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith('.js'))
    .map(([file, out]) => `${path.basename(file)} ${(out.bytes / 1024).toFixed(0)} KB`);
  console.log(`web: build/web/ (${sizes.join(', ')})`);
}
