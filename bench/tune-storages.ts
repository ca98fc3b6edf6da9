/**
 * What a trial costs in each tune storage: trials per second of a trivial objective (one float, one report) in
 * memory, in a journal file and in Redis (a `redis-server` this script starts on a free loopback port; skipped
 * without one), and how long `RedisStorage.connect` takes. Usage: node dist/bench/tune-storages.js [nTrials]
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JournalFileStorage } from '../src/node/tune-journal.js';
import { RedisStorage } from '../src/node/tune-redis.js';
import * as tune from '../src/tune/index.js';

const nTrials = Number(process.argv[2] ?? 200);
const dir = mkdtempSync(join(tmpdir(), 'shendu-tune-bench-'));

async function trialsPerSecond(storage: tune.InMemoryStorage, name: string): Promise<number> {
  const study = tune.createStudy({ storage, studyName: name, sampler: new tune.RandomSampler({ seed: 0 }), pruner: 'none' });
  const t0 = performance.now();
  await study.optimize((t) => {
    const x = t.suggestFloat('x', -1, 1);
    t.report(x, 0);
    return x * x;
  }, { nTrials });
  return nTrials / ((performance.now() - t0) / 1000);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForRedis(port: number): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((res) => {
      const s = connect({ host: '127.0.0.1', port });
      s.on('error', () => res(false));
      s.on('connect', () => { s.destroy(); res(true); });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const rows: [string, string][] = [];
rows.push(['in memory, trials/s', (await trialsPerSecond(new tune.InMemoryStorage(), 'm')).toFixed(0)]);
rows.push(['journal file, trials/s', (await trialsPerSecond(new JournalFileStorage(join(dir, 'j.jsonl')), 'j')).toFixed(0)]);
if (spawnSync('redis-server', ['--version']).status === 0) {
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  try {
    await waitForRedis(port);
    const url = `redis://127.0.0.1:${port}`;
    const connects: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const s = await RedisStorage.connect(url, { keyPrefix: `c${i}` });
      connects.push(performance.now() - t0);
      await s.close();
    }
    rows.push(['RedisStorage.connect, ms (first, then warm)', connects.map((c) => c.toFixed(0)).join(', ')]);
    const storage = await RedisStorage.connect(url, { keyPrefix: 'bench' });
    rows.push(['Redis, trials/s', (await trialsPerSecond(storage, 'r')).toFixed(0)]);
    const t0 = performance.now();
    const again = await RedisStorage.connect(url, { keyPrefix: 'bench' });
    rows.push([`Redis, connect and replay ${nTrials} trials, ms`, (performance.now() - t0).toFixed(0)]);
    await Promise.all([storage.close(), again.close()]);
  } finally {
    server.kill('SIGKILL');
  }
} else {
  rows.push(['Redis', 'skipped: redis-server is not on PATH']);
}
rmSync(dir, { recursive: true, force: true });
for (const [k, v] of rows) process.stdout.write(`${k.padEnd(48)} ${v}\n`);
