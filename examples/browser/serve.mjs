// Serves the repository so examples/browser/index.html can load shendu from dist/ in a browser:
//   npm run build && node examples/browser/serve.mjs [port] [--not-isolated]
// then open http://localhost:8765/examples/browser/index.html. By default the page is cross-origin isolated
// (COOP/COEP headers), so the wasm backend gets shared memory and worker threads; --not-isolated shows the
// single-threaded fallback.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const port = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 8765);
const isolated = !process.argv.includes('--not-isolated');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname));
  const file = join(root, path);
  if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end('not found');
    return;
  }
  const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' };
  if (isolated) Object.assign(headers, { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
  res.writeHead(200, headers);
  createReadStream(file).pipe(res);
}).listen(port, () => console.log(`http://localhost:${port}/examples/browser/index.html (${isolated ? 'cross-origin isolated: worker threads' : 'not isolated: one thread'})`));
