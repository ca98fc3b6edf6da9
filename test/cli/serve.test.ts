/**
 * `shendu serve` as a user runs it: it prints where it listens, answers, and on SIGTERM (or SIGINT) stops
 * accepting connections, finishes the request in flight and exits 0; bad limits are usage errors (exit 2).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { digit, tinyRun } from '../serve/helpers.js';
import { cli, run } from './helpers.js';

const { work, dir } = tinyRun('shendu-serve-cli-');
const png = digit(0).png;

/** Starts `shendu serve dir ...extra` on a free port; resolves when it says where it listens. */
function start(...extra: string[]) {
  const child = spawn(process.execPath, [cli, 'serve', dir, '--port', '0', ...extra], { env: { ...process.env, CI: 'true' } });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const base = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`shendu serve exited ${code}: ${err}`)));
  });
  return { child, base, exited, output: () => out, errors: () => err };
}

const predict = (base: string) => fetch(`${base}/v1/predict`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: png });

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal} finishes the request in flight, refuses new connections and exits 0`, async () => {
    // a long max wait keeps the request in the batcher while the signal arrives
    const s = start('--max-wait-ms', '1500');
    const base = await s.base;
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    const inFlight = predict(base);
    await new Promise((r) => setTimeout(r, 300));
    s.child.kill(signal);
    const r = await inFlight;
    assert.equal(r.status, 200);
    const body = (await r.json()) as { predictions: { top: unknown[] }[] };
    assert.equal(body.predictions[0].top.length, 5);
    const answered = Date.now();
    assert.equal(await s.exited, 0, s.errors());
    // the answer ends its keep-alive connection, so the server does not wait out the idle timeout (72 s)
    assert.ok(Date.now() - answered < 5000, `exited ${Date.now() - answered} ms after the answer`);
    assert.match(s.output(), new RegExp(`${signal}: no new connections; finishing 1 request\\(s\\) in flight\\nstopped\\n$`));
    await assert.rejects(fetch(`${base}/healthz`), 'the port is closed');
  });
}

test('it prints the run it serves and the address; answers on the default host 127.0.0.1', async () => {
  const s = start('--max-batch', '1');
  const base = await s.base;
  assert.match(s.output(), /^serving lenet5 \(mnist, inputs \[1, 28, 28\], 10 classes\) from .*run\/last\.safetensors\nlistening on http:\/\/127\.0\.0\.1:\d+: POST \/v1\/predict, GET \/healthz, GET \/metrics \(max batch 1, max wait 5 ms\)/);
  assert.equal((await predict(base)).status, 200);
  s.child.kill('SIGTERM');
  assert.equal(await s.exited, 0);
});

test('bad options are usage errors; a missing run or a checkpoint outside it is a runtime error', () => {
  const cases: [string[], number, RegExp][] = [
    [['--body-limit', 'lots'], 2, /^shendu serve: --body-limit: size: expected N, Nkb, Nmb or Ngb \(at least 1 byte\), got "lots"\n$/],
    [['--rate-limit', '0/s'], 2, /^shendu serve: --rate-limit: rate limit: expected N, N\/s or N\/min with N > 0/],
    [['--threads', '0'], 2, /^shendu serve: --threads must be at least 1, got 0\n$/],
    [['--max-wait-ms', '-1'], 2, /^shendu serve: --max-wait-ms must be from 0 to 60000, got -1\n$/],
    [['--checkpoint', '../../etc/passwd'], 1, /^shendu serve: ValueError: serve: checkpoint: file name "\.\.\/\.\.\/etc\/passwd" must be a relative path/],
  ];
  for (const [extra, code, re] of cases) {
    const r = run('serve', dir, ...extra);
    assert.equal(r.code, code, `${extra.join(' ')}: ${r.err}`);
    assert.match(r.err, re);
  }
  const missing = run('serve', join(work, 'no-such-run'));
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^shendu serve: DataError: serve: no run directory at .*no-such-run/);
});
