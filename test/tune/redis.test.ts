/**
 * The Redis storage, against a `redis-server` each run starts on a free loopback port (skipped where Debian's
 * redis-server is not installed): a study reopened by another connection has every trial; a running trial is failed
 * once its process's heartbeat expires, never while the process lives; of two worker processes on one study, one
 * killed by SIGKILL mid-trial, the survivor fails its trial and completes the study without a duplicate or missing
 * trial number, and a fresh process reads all of it back. Plus the bad inputs, which need no server.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { DataError, ValueError } from '../../src/errors.js';
import { RedisStorage, parseRedisStudyUrl } from '../../src/node/tune-redis.js';
import * as tune from '../../src/tune/index.js';
import { command, freePort, redisMissing, startRedis, type TestRedis } from './redis-server.js';

const childScript = new URL('./redis-child.js', import.meta.url).pathname;
const fast = { heartbeatInterval: 100, gracePeriod: 500 };
let prefixes = 0;
const prefix = (): string => `t${process.pid}-${prefixes++}`;

type Dumped = Omit<tune.FrozenTrial, 'intermediateValues'> & { intermediateValues: [number, number][] };

function child(args: string[]) {
  const p = spawn(process.execPath, [childScript, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  p.stdout.on('data', (d) => (out += d));
  p.stderr.on('data', (d) => (out += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((res) => p.on('close', (code, signal) => res({ code, signal, out })));
  return { p, done, out: () => out };
}

async function dump(url: string, keyPrefix: string, study: string): Promise<Dumped[]> {
  const r = await child([url, keyPrefix, study, 'dump']).done;
  assert.equal(r.code, 0, r.out);
  return JSON.parse(r.out) as Dumped[];
}

const view = (t: tune.FrozenTrial) => [t.number, t.state, t.value, t.params, [...t.intermediateValues], t.worker];

describe('Redis storage', { skip: redisMissing ?? false }, () => {
  let redis: TestRedis;
  const open: RedisStorage[] = [];
  const connect = async (opts: { keyPrefix: string; heartbeatInterval?: number; gracePeriod?: number }) => {
    const s = await RedisStorage.connect(redis.url, opts);
    open.push(s);
    return s;
  };
  before(async () => { redis = await startRedis(); });
  after(async () => {
    await Promise.all(open.map((s) => s.close().catch(() => {})));
    await redis?.stop();
  });

  test('a study reopened by another connection has every trial; numbering goes on', async () => {
    const keyPrefix = prefix();
    const a = await connect({ keyPrefix });
    const study = tune.createStudy({ storage: a, studyName: 'r', sampler: new tune.RandomSampler({ seed: 3 }), pruner: 'none' });
    // Three trials at once: the writes of interleaved trials still land in call order.
    await study.optimize(async (t) => {
      const n = t.suggestInt('n', 1, 5);
      t.report(n / 10, 0);
      await new Promise((r) => setTimeout(r, 2));
      t.report(n / 20, 1);
      return n + (t.suggestCategorical('c', ['p', 'q']) === 'p' ? 0 : 10);
    }, { nTrials: 12, concurrency: 3 });
    assert.deepEqual(study.trials.map((t) => t.number), [...Array(12).keys()]);
    const b = await connect({ keyPrefix });
    const again = tune.createStudy({ storage: b, studyName: 'r', loadIfExists: true, sampler: 'random', pruner: 'none' });
    assert.deepEqual(again.trials.map(view), study.trials.map(view));
    assert.equal(again.bestValue, study.bestValue);
    await again.optimize((t) => t.suggestInt('n', 1, 5), { nTrials: 2 });
    await a.sync();
    assert.deepEqual(study.trials.map((t) => t.number), [...Array(14).keys()]);
    assert.throws(() => tune.createStudy({ storage: b, studyName: 'r' }), ValueError);
  });

  test('a running trial is failed once its process stops beating, not while it lives', async () => {
    const keyPrefix = prefix();
    const a = await connect({ keyPrefix, ...fast });
    const b = await connect({ keyPrefix, ...fast });
    const sa = tune.createStudy({ storage: a, studyName: 'h', pruner: 'none' });
    const id = (await a.createTrialAsync(0)) as number;
    const sb = tune.createStudy({ storage: b, studyName: 'h', loadIfExists: true, pruner: 'none' });
    // Three grace periods with the main thread blocked: the heartbeat thread keeps the trial alive.
    const until = Date.now() + 3 * fast.gracePeriod;
    while (Date.now() < until) { /* busy, as a synchronous training epoch */ }
    assert.deepEqual(await b.failStaleTrialsAsync(0), []);
    await a.close();
    assert.deepEqual(await b.failStaleTrialsAsync(0), [id]);
    assert.deepEqual(sb.trials.map((t) => t.state), ['fail']);
    assert.deepEqual(await b.failStaleTrialsAsync(0), []);
    assert.equal(sa.studyName, 'h');
  });

  test('a trial failed as stale stays failed when its process comes back', async () => {
    const keyPrefix = prefix();
    // a beats every 10 s: the key deleted below stays deleted while the test runs.
    const a = await connect({ keyPrefix, heartbeatInterval: 10000, gracePeriod: 20000 });
    const b = await connect({ keyPrefix, ...fast });
    tune.createStudy({ storage: a, studyName: 'z', pruner: 'none' });
    const id = (await a.createTrialAsync(0)) as number;
    a.setTrialParam(id, 'x', 0.5, tune.floatDistribution('t', 'x', 0, 1));
    await a.sync();
    // As if a's heartbeat had lapsed (a machine suspended longer than the grace period).
    assert.equal(await command(redis.port, `DEL ${keyPrefix}:hb:${a.token}`), ':1');
    await b.sync();
    assert.deepEqual(await b.failStaleTrialsAsync(0), [id]);
    assert.equal(await a.finishTrialAsync(id, 'complete', 1), false);
    const fresh = await connect({ keyPrefix });
    const t = tune.createStudy({ storage: fresh, studyName: 'z', loadIfExists: true }).trials[0];
    assert.deepEqual([t.state, t.value, t.params], ['fail', null, { x: 0.5 }]);
  });

  test('a study created first elsewhere with the other direction is a ValueError at the first trial', async () => {
    const keyPrefix = prefix();
    const a = await connect({ keyPrefix });
    const b = await connect({ keyPrefix });
    tune.createStudy({ storage: b, studyName: 'd', direction: 'maximize' });
    await b.sync();
    const sa = tune.createStudy({ storage: a, studyName: 'd', direction: 'minimize' });
    await assert.rejects(sa.optimize(() => 1, { nTrials: 1 }),
      (e: Error) => e instanceof ValueError && /^createStudy: study 'd' was created with direction 'maximize' by another process, got 'minimize'/.test(e.message));
    // An error of that study only: the storage goes on serving others.
    const other = tune.createStudy({ storage: a, studyName: 'e' });
    await other.optimize(() => 2, { nTrials: 1 });
    assert.equal(other.bestValue, 2);
  });

  test('creating or finishing a trial without await is a ValueError that says what to call; a closed storage refuses writes', async () => {
    const s = await RedisStorage.connect(redis.url, { keyPrefix: prefix() });
    const study = tune.createStudy({ storage: s, studyName: 's' });
    assert.throws(() => s.createTrial(0), (e: Error) => e instanceof ValueError && /^RedisStorage.createTrial: Redis is asynchronous; await createTrialAsync instead/.test(e.message));
    const id = (await s.createTrialAsync(0)) as number;
    assert.throws(() => s.finishTrial(id, 'complete', 1), (e: Error) => e instanceof ValueError && /^RedisStorage.finishTrial: Redis is asynchronous; await finishTrialAsync instead/.test(e.message));
    assert.equal(await s.finishTrialAsync(id, 'complete', 1), true);
    assert.equal(study.bestValue, 1);
    await s.close();
    assert.throws(() => s.setTrialParam(0, 'x', 0, tune.floatDistribution('t', 'x', 0, 1)), (e: Error) => e instanceof ValueError && /^RedisStorage: the storage of 127.0.0.1:\d+ was closed/.test(e.message));
  });

  test('a worker killed mid-trial: the survivor fails its trial and completes the study; a fresh process sees it all', async () => {
    const keyPrefix = prefix();
    const n = 14;
    const args = (sleepMs: number, hangAt?: number) => [redis.url, keyPrefix, 'k', 'work', 'max', String(n), String(sleepMs), String(fast.heartbeatInterval), String(fast.gracePeriod), ...(hangAt === undefined ? [] : [String(hangAt)])];
    // Worker 0 completes two trials, then its third announces itself and never ends, so the kill lands inside a
    // trial, not between two; worker 1 starts then (so the study cannot fill before worker 0 gets there), and the
    // kill waits until worker 1 has completed a trial too.
    const w0 = child(args(40, 3));
    const until = async (what: string, ok: () => Promise<boolean> | boolean) => {
      for (const giveUp = Date.now() + 60000; !(await ok());) {
        assert.ok(Date.now() < giveUp, what);
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    await until('worker 0 never reached its third trial', () => /inside \d+/.test(w0.out()));
    const hung = Number(/inside (\d+)/.exec(w0.out())![1]);
    const w1 = child(args(40));
    const observer = await connect({ keyPrefix });
    let snapshot: tune.FrozenTrial[] = [];
    await until('worker 1 never completed a trial', async () => {
      await observer.sync();
      snapshot = tune.createStudy({ storage: observer, studyName: 'k', loadIfExists: true }).trials;
      return snapshot.some((t) => t.state === 'complete' && t.worker!.pid === w1.p.pid);
    });
    w0.p.kill('SIGKILL');
    const [r0, r1] = await Promise.all([w0.done, w1.done]);
    assert.equal(r0.signal, 'SIGKILL');
    assert.equal(r1.code, 0, r1.out);
    const all = await dump(redis.url, keyPrefix, 'k');
    assert.deepEqual(all.map((t) => t.number), [...Array(all.length).keys()], 'numbers 0, 1, ... without gap or repeat');
    const failed = all.filter((t) => t.state === 'fail');
    assert.equal(failed.length, 1, 'exactly the dead worker\'s trial failed');
    assert.equal(failed[0].worker!.pid, w0.p.pid);
    assert.equal(failed[0].number, hung, 'the failed trial is the one worker 0 was inside');
    assert.equal(all.filter((t) => t.state === 'complete').length, n);
    assert.equal(all.length, n + 1);
    for (const t of snapshot.filter((s) => s.state === 'complete')) {
      assert.deepEqual([all[t.number].state, all[t.number].value, all[t.number].params], ['complete', t.value, t.params]);
    }
  });
});

describe('Redis storage: bad input', () => {
  test('an unreachable server is a DataError naming host:port', async () => {
    const port = await freePort();
    await assert.rejects(RedisStorage.connect(`redis://127.0.0.1:${port}`, { connectTimeout: 2000 }),
      (e: Error) => e instanceof DataError && new RegExp(`^RedisStorage.connect: cannot reach Redis at 127.0.0.1:${port}: `).test(e.message));
  });

  const rejects: [string, () => Promise<unknown>, RegExp][] = [
    ['http url', () => RedisStorage.connect('http://localhost:6379'), /^RedisStorage.connect: url must be redis:\/\/host:port, got "http:\/\/localhost:6379"/],
    ['not a url', () => RedisStorage.connect('localhost'), /^RedisStorage.connect: url must be redis:\/\/host:port, got "localhost"/],
    ['url with a study path', () => RedisStorage.connect('redis://localhost:6379/study'), /^RedisStorage.connect: url must be redis:\/\/host:port without a path \(split a study URL with parseRedisStudyUrl\)/],
    ['key prefix with a space', () => RedisStorage.connect('redis://localhost:1', { keyPrefix: 'my study' }), /^RedisStorage.connect: keyPrefix must be 1 to 200 characters .* got "my study"/],
    ['zero heartbeat', () => RedisStorage.connect('redis://localhost:1', { heartbeatInterval: 0 }), /^RedisStorage.connect: heartbeatInterval must be a number of milliseconds > 0, got 0/],
    ['grace within a beat', () => RedisStorage.connect('redis://localhost:1', { heartbeatInterval: 100, gracePeriod: 100 }), /^RedisStorage.connect: gracePeriod must be longer than heartbeatInterval \(100 ms\), got 100/],
  ];
  for (const [label, call, message] of rejects) {
    test(`connect: ${label} is a ValueError`, async () => {
      await assert.rejects(call(), (e: Error) => e instanceof ValueError && message.test(e.message));
    });
  }

  const throws: [string, () => unknown, RegExp][] = [
    ['study URL with another scheme', () => parseRedisStudyUrl('http://h:1/s'), /^parseRedisStudyUrl: scheme must be redis: or rediss:, got "http:"/],
    ['study URL that is not a URL', () => parseRedisStudyUrl('h:1/s'), /^parseRedisStudyUrl: scheme must be redis: or rediss:, got "h:"/],
    ['study URL without host', () => parseRedisStudyUrl('redis:///s'), /^parseRedisStudyUrl: (no host|expected redis:\/\/host:port\/studyName)/],
    ['bad percent-encoding', () => parseRedisStudyUrl('redis://h:1/a%ZZ'), /^parseRedisStudyUrl: study name "a%ZZ" is not valid percent-encoding/],
    ['control character in the study name', () => parseRedisStudyUrl('redis://h:1/a%0Ab'), /^parseRedisStudyUrl: studyName must not contain control characters, got "a\\nb"/],
    ['empty study name', () => tune.createStudy({ studyName: '' }), /^createStudy: studyName must be a string of 1 to 512 characters, got 0 characters/],
    ['newline in a study name', () => tune.createStudy({ studyName: 'a\nb' }), /^createStudy: studyName must not contain control characters, got "a\\nb" \(at index 1\)/],
  ];
  for (const [label, call, message] of throws) {
    test(`${label} is a ValueError`, () => {
      assert.throws(call, (e: Error) => e instanceof ValueError && message.test(e.message));
    });
  }

  test('a study URL splits into server and study name', () => {
    assert.deepEqual(parseRedisStudyUrl('redis://u:p@h:7000/my%20study'), { url: 'redis://u:p@h:7000', studyName: 'my study' });
    assert.deepEqual(parseRedisStudyUrl('redis://h'), { url: 'redis://h', studyName: null });
  });
});
