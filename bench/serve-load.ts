/**
 * The model server under load (issue 16): `shendu serve` of a LeNet-5 MNIST run in a child process, driven by
 * autocannon over loopback with 50 connections for 30 s, once with max batch 1 (each request alone) and once
 * with dynamic batching (max batch 32, max wait 5 ms). Each request posts one of 16 real MNIST test digits as
 * PNG. Reported per mode: p50/p99 latency, requests per second, errors (connection errors, timeouts, non-2xx),
 * the server's resident memory after warm-up and at the end (from its /metrics), and its mean batch size.
 *
 *   node dist/bench/serve-load.js [--run DIR] [--duration 30] [--connections 50] [--threads 1] [--out bench/results/serve-load.json]
 *
 * --threads sets the server's kernel threads (default 1: autocannon runs on the same cores, and kernel threads
 * that wait for a busy core cost more than they give; on this 2-core machine a LeNet-5 forward of 32 samples took
 * 34 ms with one thread and 60 ms with two while other work ran).
 *
 * Without --run it trains a LeNet-5 run first (`shendu train lenet5`, one epoch on 2,048 digits: the load test
 * measures serving, not accuracy).
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { encode } from 'fast-png';
import { mnist } from '../src/node/index.js';
import { scriptArgs } from '../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  run: { type: 'string' }, duration: { type: 'string', default: '30' }, connections: { type: 'string', default: '50' },
  threads: { type: 'string', default: '1' }, out: { type: 'string' },
});
const duration = Number(a.duration);
const connections = Number(a.connections);
const cli = new URL('../src/cli/main.js', import.meta.url).pathname;

let scratch: string | null = null;
let runDir = a.run;
if (!runDir) {
  scratch = mkdtempSync(join(tmpdir(), 'shendu-serve-load-'));
  runDir = join(scratch, 'lenet5');
  console.log(`training a LeNet-5 run in ${runDir} ...`);
  const t = spawnSync(process.execPath, [cli, 'train', 'lenet5', '--limit', '2048', '--epochs', '1', '--test-limit', '500', '--seed', '0', '--out', runDir], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  if (t.status !== 0) throw new Error(`shendu train failed: ${t.stderr}`);
  console.log(t.stdout.trim().split('\n').slice(-2).join('\n'));
}
if (!existsSync(join(runDir, 'last.safetensors'))) throw new Error(`${runDir} holds no last.safetensors`);

const [x] = mnist({ train: false }).batch(Array.from({ length: 16 }, (_, i) => i));
const bodies = Array.from({ length: 16 }, (_, i) => Buffer.from(encode({ width: 28, height: 28, channels: 1, data: Uint8Array.from(x.select(0, i).toTypedArray(), (v) => Math.round(v * 255)) })));

async function metric(base: string, re: RegExp): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(re.exec(text)?.[1] ?? NaN);
}

/** One load run against `shendu serve --max-batch maxBatch`. */
async function load(mode: string, maxBatch: number) {
  const child = spawn(process.execPath, [cli, 'serve', runDir!, '--port', '0', '--max-batch', String(maxBatch), '--max-wait-ms', '5', '--threads', a.threads!], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+):/.exec(out);
      if (m) resolve(m[1]);
    });
    void exited.then((c) => reject(new Error(`shendu serve exited ${c}`)));
  });
  const requests = bodies.map((body) => ({ method: 'POST', path: '/v1/predict', headers: { 'content-type': 'image/png' }, body }));
  // warm-up: kernels compiled, pools and caches filled, so the memory at the start is the steady state's
  await autocannon({ url: base, connections, duration: 3, requests });
  const rssStart = await metric(base, /^process_resident_memory_bytes (\d+)$/m);
  // the resident memory every 5 s of the run: a trend, not just two points
  const rssEvery5s: number[] = [];
  const sampler = setInterval(() => void metric(base, /^process_resident_memory_bytes (\d+)$/m).then((v) => rssEvery5s.push(Math.round(v / 2 ** 20 * 10) / 10)), 5000);
  const r = await autocannon({ url: base, connections, duration, requests });
  clearInterval(sampler);
  const rssEnd = await metric(base, /^process_resident_memory_bytes (\d+)$/m);
  const batches = await metric(base, /^shendu_batch_size_count (\d+)$/m);
  const samples = await metric(base, /^shendu_batch_size_sum (\d+)$/m);
  child.kill('SIGTERM');
  const code = await exited;
  const row = {
    mode, maxBatch, maxWaitMs: 5, kernelThreads: Number(a.threads), connections, seconds: duration,
    requests: r.requests.total, requestsPerSecond: r.requests.average,
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, mean: r.latency.mean },
    errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx,
    rssMiB: { start: rssStart / 2 ** 20, end: rssEnd / 2 ** 20, every5s: rssEvery5s },
    meanBatch: samples / batches, exitCode: code,
  };
  console.log(`${mode}: ${row.requestsPerSecond.toFixed(1)} req/s, p50 ${row.latencyMs.p50} ms, p99 ${row.latencyMs.p99} ms, errors ${row.errors + row.timeouts + row.non2xx}, ` +
    `RSS ${row.rssMiB.start.toFixed(1)} -> ${row.rssMiB.end.toFixed(1)} MiB, mean batch ${row.meanBatch.toFixed(2)}, exit ${code}`);
  return row;
}

const rows = [await load('batch 1', 1), await load('dynamic batching', 32)];
const result = {
  generator: 'bench/serve-load.ts', date: new Date().toISOString(), node: process.version, cpus: cpus().length,
  note: 'shendu serve in a child process, autocannon in this one, on one shared machine: the two compete for the same cores',
  run: a.run ?? 'lenet5, one epoch on 2,048 MNIST digits (trained by this script)', body: '16 MNIST test digits as 28x28 PNG', rows,
};
if (a.out) writeFileSync(a.out, `${JSON.stringify(result, null, 2)}\n`);
if (scratch) rmSync(scratch, { recursive: true, force: true });
