/**
 * The server's small parts on their own: the limits' spellings, the token bucket (with a fake clock) and the
 * Prometheus text of counters and histograms.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValueError } from '../../src/index.js';
import { Counter, Histogram, RateLimiter, Registry, parseByteSize, parseRate } from '../../src/serve/index.js';
import { expectError } from '../helpers/check-errors.js';

test('sizes and rates as the command line spells them', () => {
  assert.equal(parseByteSize('4mb'), 4 * 1024 * 1024);
  assert.equal(parseByteSize('512KiB'), 512 * 1024);
  assert.equal(parseByteSize('1.5k'), 1536);
  assert.equal(parseByteSize('1000'), 1000);
  assert.equal(parseRate('100/s'), 100);
  assert.equal(parseRate('600/min'), 10);
  assert.equal(parseRate('5'), 5);
  for (const bad of ['', 'lots', '-1mb', '0', '4 tb', '0.1']) expectError(() => parseByteSize(bad), ValueError, /^size: expected N, Nkb, Nmb or Ngb/, bad);
  for (const bad of ['', '0/s', 'fast', '10/h', '-3']) expectError(() => parseRate(bad), ValueError, /^rate limit: expected N, N\/s or N\/min with N > 0/, bad);
});

test('the token bucket allows a burst of the rate, then one request per 1/rate seconds, per client', () => {
  let now = 0;
  const r = new RateLimiter(2, () => now);
  assert.deepEqual([r.take('a'), r.take('a')], [0, 0]);
  assert.ok(Math.abs(r.take('a') - 0.5) < 1e-9, 'the next token in half a second');
  assert.equal(r.take('b'), 0, 'another client has its own bucket');
  now = 0.5;
  assert.equal(r.take('a'), 0);
  assert.ok(r.take('a') > 0);
  expectError(() => new RateLimiter(0), ValueError, /RateLimiter: perSecond must be a positive number, got 0/);
});

test('counters and histograms render as Prometheus text, label values escaped', () => {
  const reg = new Registry();
  const c = reg.register(new Counter('x_total', 'things', ['kind']));
  const h = reg.register(new Histogram('y_seconds', 'times', [], [0.1, 1]));
  c.inc({ kind: 'a"b\\c' });
  c.inc({ kind: 'a"b\\c' }, 2);
  for (const v of [0.05, 0.5, 5]) h.observe(v);
  assert.equal(reg.render(), [
    '# HELP x_total things', '# TYPE x_total counter', 'x_total{kind="a\\"b\\\\c"} 3',
    '# HELP y_seconds times', '# TYPE y_seconds histogram',
    'y_seconds_bucket{le="0.1"} 1', 'y_seconds_bucket{le="1"} 2', 'y_seconds_bucket{le="+Inf"} 3', 'y_seconds_sum 5.55', 'y_seconds_count 3', '',
  ].join('\n'));
  expectError(() => c.inc({}), ValueError, /x_total: labels must be exactly \{kind\}, got \{\}/);
  expectError(() => c.inc({ kind: 'a' }, -1), ValueError, /a counter only goes up, got -1/);
  expectError(() => reg.register(new Counter('x_total', 'again', [])), ValueError, /a metric named x_total exists already/);
  expectError(() => new Histogram('z', 'z', [], [1, 1]), ValueError, /buckets must be finite and increasing/);
  expectError(() => new Counter('bad name', 'z', []), ValueError, /invalid metric name "bad name"/);
});
