#!/usr/bin/env node
// serve.mjs -- a tiny static server for the playground (development only; no dependencies).
//
//   node web/serve.mjs [--port N]        (PORT and HOST env vars work too; default 8000)
//
// The page needs no server of its own: any static host will do if it keeps these paths.
// URLs map onto the repository like this, so web/main.mjs can import ../wasm/pymemlab.mjs
// and the loader finds ../build/emscripten/ both when served and when read from the tree:
//
//   /build/emscripten/*  ->  build/emscripten/*   (the Emscripten build output)
//   /build/web/*         ->  build/web/*          (the page's bundles, made by web/build.mjs)
//   /wasm/*              ->  wasm/*               (the JS loader)
//   /lessons/*           ->  lessons/*            (lesson texts for the lessons panel)
//   /*                   ->  web/*                (the page)
//
// Nothing else in the repository is served.
import { createServer } from 'node:http';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const MOUNTS = [
  ['/build/emscripten/', 'build/emscripten'],
  ['/build/web/', 'build/web'],
  ['/wasm/', 'wasm'],
  ['/lessons/', 'lessons'],
  ['/', 'web'],
];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.py': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

// Map a URL path to a file inside one mount, or null.
function resolveFile(urlPath, root) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  for (const [prefix, dir] of MOUNTS) {
    if (!decoded.startsWith(prefix)) continue;
    const base = path.join(root, dir);
    const file = path.join(base, decoded.slice(prefix.length));
    if (file !== base && !file.startsWith(base + path.sep)) return null;
    return file;
  }
  return null;
}

async function handle(req, res, root) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const { pathname } = new URL(req.url, 'http://localhost');
  let file = resolveFile(pathname, root);
  let stat = file && (await fs.stat(file).catch(() => null));
  if (stat && stat.isDirectory()) {
    if (!pathname.endsWith('/')) {
      res.writeHead(301, { Location: pathname + '/' }).end();
      return;
    }
    file = path.join(file, 'index.html');
    stat = await fs.stat(file).catch(() => null);
  }
  if (!stat || !stat.isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  res.writeHead(200, {
    'Content-Type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': stat.size,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}

// Start serving; port 0 picks a free port.  Resolves to { url, port, close() }.
export function startServer({ port = 8000, host = '127.0.0.1', root = repo } = {}) {
  const server = createServer((req, res) => {
    handle(req, res, root).catch((err) => {
      if (!res.headersSent) res.writeHead(500).end();
      console.error(err);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolve({
        port: actual,
        url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}/`,
        close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }),
      });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--port');
  const port = Number(i > 0 ? process.argv[i + 1] : process.env.PORT || 8000);
  const host = process.env.HOST || '127.0.0.1';
  const server = await startServer({ port, host });
  const shown = host === '127.0.0.1' ? `http://localhost:${server.port}/` : server.url;
  console.log(`PyMemLab playground: ${shown}  (Ctrl+C to stop)`);
}
