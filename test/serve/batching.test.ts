/**
 * Dynamic batching on a real loopback port: concurrent requests share model forwards (the batch-size histogram
 * of /metrics shows batches above 1, never above --max-batch) and get the same answers as alone; max batch 1
 * runs each alone. Also the batcher by itself, the Prometheus page and the per-client rate limit.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValueError, tensor, zeros } from '../../src/index.js';
import { DynamicBatcher } from '../../src/serve/index.js';
import { digit, serverOn, tinyRun } from './helpers.js';

const { dir } = tinyRun('shendu-serve-batch-');
const pngs = Array.from({ length: 16 }, (_, i) => digit(i).png);

/** Sends every PNG at once to `base`; returns the answers' probabilities in order. */
async function burst(base: string): Promise<number[][]> {
  const answers = await Promise.all(pngs.map(async (png) => {
    const r = await fetch(`${base}/v1/predict`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: png });
    assert.equal(r.status, 200, await r.clone().text());
    return (await r.json()) as { predictions: { probabilities: number[] }[] };
  }));
  return answers.map((a) => a.predictions[0].probabilities);
}

/** The batch-size histogram's count, sum and cumulative bucket counts from /metrics text. */
function batchSizes(text: string): { count: number; sum: number; le: Record<string, number> } {
  const le: Record<string, number> = {};
  for (const m of text.matchAll(/^shendu_batch_size_bucket\{le="([^"]+)"\} (\d+)$/gm)) le[m[1]] = Number(m[2]);
  const count = Number(/^shendu_batch_size_count (\d+)$/m.exec(text)?.[1]);
  const sum = Number(/^shendu_batch_size_sum (\d+)$/m.exec(text)?.[1]);
  return { count, sum, le };
}

describe('concurrent requests on a loopback port', () => {
  const batched = serverOn(dir, { maxBatch: 8, maxWaitMs: 100 });
  const single = serverOn(dir, { maxBatch: 1 });
  let alone: number[][] = [];

  test('with max batch 1 every request runs alone', async () => {
    const base = await single.listen({ port: 0 });
    alone = await burst(base);
    const h = batchSizes(await (await fetch(`${base}/metrics`)).text());
    assert.equal(h.count, 16);
    assert.equal(h.sum, 16);
    assert.equal(h.le['1'], 16);
  });

  test('with max batch 8 they share forwards of at most 8, and get the same answers', async () => {
    const base = await batched.listen({ port: 0 });
    const got = await burst(base);
    const h = batchSizes(await (await fetch(`${base}/metrics`)).text());
    assert.equal(h.sum, 16, 'every sample went through a forward once');
    assert.ok(h.count < 16, `fewer forwards than requests: ${h.count}`);
    assert.ok(h.le['1'] < h.count, 'some batch held more than one sample');
    assert.equal(h.le['8'], h.count, 'no batch above max batch');
    got.forEach((p, i) => p.forEach((v, k) => assert.ok(Math.abs(v - alone[i][k]) < 1e-6, `request ${i} class ${k}: ${v} batched, ${alone[i][k]} alone`)));
  });

  test('/metrics is Prometheus text: counters, histograms, in-flight and memory', async () => {
    const r = await batched.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    const text = r.body;
    assert.match(text, /^# TYPE shendu_http_requests_total counter$/m);
    assert.match(text, /^shendu_http_requests_total\{method="POST",route="\/v1\/predict",status="200"\} 16$/m);
    assert.match(text, /^# TYPE shendu_http_request_duration_seconds histogram$/m);
    assert.match(text, /^shendu_http_request_duration_seconds_bucket\{route="\/v1\/predict",le="\+Inf"\} 16$/m);
    assert.match(text, /^shendu_http_request_duration_seconds_count\{route="\/v1\/predict"\} 16$/m);
    assert.match(text, /^shendu_http_requests_in_flight 1$/m, 'this request');
    assert.match(text, /^shendu_forward_duration_seconds_count \d+$/m);
    assert.match(text, /^shendu_queued_samples 0$/m);
    assert.ok(Number(/^process_resident_memory_bytes (\d+)$/m.exec(text)?.[1]) > 1e6);
    for (const line of text.trim().split('\n')) assert.match(line, /^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? [\d.e+-]+)$/, line);
  });
});

test('a client over --rate-limit gets 429 with Retry-After; /healthz is not limited', async () => {
  const s = serverOn(dir, { rateLimit: 2 });
  const send = () => s.app.inject({ method: 'POST', url: '/v1/predict', headers: { 'content-type': 'image/png' }, payload: Buffer.from(pngs[0]) });
  const codes = [];
  for (let i = 0; i < 3; i++) codes.push((await send()).statusCode);
  assert.deepEqual(codes, [200, 200, 429]);
  const r = await send();
  assert.equal(r.statusCode, 429);
  assert.equal(r.json().error, 'rate_limited');
  assert.match(r.json().message, /over the limit of 2 requests per second from 127\.0\.0\.1/);
  assert.ok(Number(r.headers['retry-after']) >= 1);
  assert.equal((await s.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  await new Promise((res) => setTimeout(res, 600));
  assert.equal((await send()).statusCode, 200, 'a token again after half a second');
});

describe('DynamicBatcher', () => {
  const double = (sizes: number[]) => (x: ReturnType<typeof zeros>) => {
    sizes.push(x.shape[0]);
    return x.reshape([x.shape[0], -1]).mul(2);
  };

  test('batches never exceed maxBatch, and each caller gets its own rows', async () => {
    const sizes: number[] = [];
    const b = new DynamicBatcher(double(sizes), { maxBatch: 4, maxWaitMs: 20 });
    const reqs = [[1, 2, 3], [4, 5, 6], [7], [8, 9, 10]].map((v) => b.submit(tensor(Float32Array.from(v), { shape: [v.length, 1] })));
    const rows = await Promise.all(reqs);
    assert.deepEqual(rows.map((r) => r.map((x) => x[0])), [[2, 4, 6], [8, 10, 12], [14], [16, 18, 20]]);
    assert.deepEqual(sizes, [3, 4, 3]);
  });

  test('a failing forward rejects its batch; the next batch runs', async () => {
    let fail = true;
    const b = new DynamicBatcher((x) => {
      if (fail) throw new ValueError('boom');
      return x;
    }, { maxBatch: 2, maxWaitMs: 0 });
    await assert.rejects(b.submit(zeros([1, 3])), /boom/);
    fail = false;
    assert.equal((await b.submit(zeros([2, 3]))).length, 2);
  });

  test('close runs what is queued and refuses more; bad options and sizes are refused', async () => {
    const sizes: number[] = [];
    const b = new DynamicBatcher(double(sizes), { maxBatch: 8, maxWaitMs: 60_000 });
    const p = b.submit(zeros([3, 1]));
    await b.close();
    assert.equal((await p).length, 3);
    await assert.rejects(b.submit(zeros([1, 1])), /the batcher is closed/);
    const c = new DynamicBatcher(double(sizes), { maxBatch: 2, maxWaitMs: 0 });
    await assert.rejects(c.submit(zeros([3, 1])), /a request holds 1 to 2 samples \(the largest batch\), got 3/);
    assert.throws(() => new DynamicBatcher(double(sizes), { maxBatch: 0, maxWaitMs: 0 }), /maxBatch must be a positive integer, got 0/);
    assert.throws(() => new DynamicBatcher(double(sizes), { maxBatch: 1, maxWaitMs: -1 }), /maxWaitMs must be a finite number >= 0, got -1/);
  });
});
