/**
 * A tune storage in Redis, for studies shared by processes on several machines (as Optuna's journal storage with a
 * Redis backend, plus heartbeats). Every change is one operation appended (RPUSH, atomic) to one Redis list, and
 * every process replays the list into its local tables, so trial numbers and ids, assigned in list order, agree
 * everywhere and are never duplicated; a trial's end is one appended `finish`, and the first one in the list wins.
 * Each process keeps a heartbeat key alive (from a worker thread) while it is connected; a running trial whose
 * process's key has expired is marked failed by whichever process looks next, before it starts a trial.
 *
 * Redis is asynchronous, the storage interface synchronous: creating and finishing trials and failing stale ones
 * are awaited (`createTrialAsync`, ... — `Study.optimize` uses them); the changes made while a trial runs
 * (parameters, intermediate values, sampler bookkeeping) and study creation are applied to the local tables at once
 * and written in the background in call order; reads use the local tables, which a background read brings up to
 * date (`await storage.sync()` waits for it). A write that fails makes every later call throw.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DataError, ValueError, assertNever } from '../errors.js';
import { InMemoryStorage, checkStudyName, type StorageOp, type TrialState, type WorkerId } from '../tune/storage.js';
import type { HeartbeatJob } from './tune-redis-heartbeat.js';

/** The part of a node-redis v6 client this storage uses. */
interface Client {
  connect(): Promise<unknown>;
  close(): Promise<void>;
  destroy(): void;
  on(event: 'error', cb: (e: Error) => void): void;
  rPush(key: string, values: string | string[]): Promise<number>;
  lRange(key: string, start: number, stop: number): Promise<string[]>;
  exists(key: string): Promise<number>;
  set(key: string, value: string, opts: { expiration: { type: 'PX'; value: number } }): Promise<unknown>;
  del(key: string): Promise<number>;
}
type ReconnectStrategy = (retries: number, cause: Error) => false | Error | number;
type CreateClient = (o: { url: string; socket: { connectTimeout: number; reconnectStrategy: ReconnectStrategy } }) => Client;
let createClient: CreateClient | null = null;
/** The client package alone, loaded on first connect: `shendu/node` users without Redis do not pay for it, and the
 * 'redis' bundle would also load modules (search, JSON, ...) that take a second on a busy machine. */
function clientFactory(): CreateClient {
  if (createClient === null) {
    const requireHere = createRequire(import.meta.url);
    createClient = (createRequire(requireHere.resolve('redis'))('@redis/client') as { createClient: CreateClient }).createClient;
  }
  return createClient;
}

/** Options of `RedisStorage.connect`. */
export interface RedisStorageOptions {
  /** Prefix of the Redis keys: the log is `<prefix>:log`, heartbeats `<prefix>:hb:<process>` (default 'shendu:tune'). */
  keyPrefix?: string;
  /** Milliseconds between heartbeats (default 5000). */
  heartbeatInterval?: number;
  /** Milliseconds without a heartbeat after which a process's running trials are failed (default 3 intervals). */
  gracePeriod?: number;
  /** Milliseconds to wait for the connection before a DataError (default 5000). */
  connectTimeout?: number;
}

/** An operation as stored in the list: who wrote it, and studies by name (study ids are local to a process). */
type Entry = (Exclude<StorageOp, { op: 'createTrial' }> | (Omit<Extract<StorageOp, { op: 'createTrial' }>, 'studyId'> & { study: string })) & { by: string };

/** Operations applied locally before they are written: replaying this process's own is skipped. */
const LOCAL_FIRST = new Set(['setParam', 'report', 'setSystemAttr']);
const KNOWN_OPS = new Set(['createStudy', 'createTrial', 'setParam', 'report', 'setSystemAttr', 'finish']);
const HEARTBEAT_MAIN = new URL('./tune-redis-heartbeat.js', import.meta.url);

/**
 * Splits `redis://[user[:password]@]host[:port][/studyName]` (the CLI's `--storage`) into the URL of the server and
 * the study name (null when absent); a ValueError names what is wrong.
 */
export function parseRedisStudyUrl(text: string): { url: string; studyName: string | null } {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new ValueError(`parseRedisStudyUrl: expected redis://host:port/studyName, got ${JSON.stringify(text)}`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new ValueError(`parseRedisStudyUrl: scheme must be redis: or rediss:, got ${JSON.stringify(u.protocol)} in ${JSON.stringify(text)}`);
  if (u.hostname === '') throw new ValueError(`parseRedisStudyUrl: no host in ${JSON.stringify(text)}`);
  const auth = u.username === '' ? '' : `${u.username}${u.password === '' ? '' : `:${u.password}`}@`;
  const url = `${u.protocol}//${auth}${u.host}`;
  const path = u.pathname.replace(/^\//, '');
  if (path === '') return { url, studyName: null };
  let studyName: string;
  try {
    studyName = decodeURIComponent(path);
  } catch {
    throw new ValueError(`parseRedisStudyUrl: study name ${JSON.stringify(path)} is not valid percent-encoding`);
  }
  checkStudyName('parseRedisStudyUrl', studyName);
  return { url, studyName };
}

function positive(fn: string, name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ValueError(`${fn}: ${name} must be a number of milliseconds > 0, got ${v}`);
  return v;
}

/** A study storage in Redis that processes on several machines may share; open it with `RedisStorage.connect`. */
export class RedisStorage extends InMemoryStorage {
  /** URL of the Redis server. */
  readonly url: string;
  /** Prefix of this storage's keys. */
  readonly keyPrefix: string;
  /** Milliseconds between heartbeats. */
  readonly heartbeatInterval: number;
  /** Milliseconds without a heartbeat after which a process counts as dead. */
  readonly gracePeriod: number;
  /** This connection's identity in the log and in its heartbeat key (host, pid and a random part). */
  readonly token: string;
  private readonly where: string;
  private readonly client: Client;
  private readonly logKey: string;
  private readonly me: WorkerId = { host: hostname(), pid: process.pid };
  private thread: Worker | null = null;
  private offset = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private failure: Error | null = null;
  private pullQueued = false;
  /** The token of the connection that created each trial: its heartbeat says whether it lives. */
  private readonly creators = new Map<number, string>();
  /** Studies this process created locally whose creation it has not yet read back from the list. */
  private readonly unconfirmed = new Set<string>();
  /** Studies another process created first with another direction: name -> message. */
  private readonly conflicts = new Map<string, string>();

  private constructor(url: string, where: string, client: Client, keyPrefix: string, heartbeatInterval: number, gracePeriod: number) {
    super();
    this.url = url;
    this.where = where;
    this.client = client;
    this.keyPrefix = keyPrefix;
    this.logKey = `${keyPrefix}:log`;
    this.heartbeatInterval = heartbeatInterval;
    this.gracePeriod = gracePeriod;
    this.token = `${this.me.host}:${this.me.pid}:${randomUUID().slice(0, 8)}`;
  }

  /**
   * Connects to the Redis server at `url` (default redis://127.0.0.1:6379), starts this process's heartbeat and
   * reads the study log; a DataError names host:port when the server cannot be reached.
   */
  static async connect(url = 'redis://127.0.0.1:6379', opts: RedisStorageOptions = {}): Promise<RedisStorage> {
    const fn = 'RedisStorage.connect';
    let u: URL | null = null;
    try {
      u = new URL(url);
    } catch { /* reported below */ }
    if (u === null || (u.protocol !== 'redis:' && u.protocol !== 'rediss:') || u.hostname === '') {
      throw new ValueError(`${fn}: url must be redis://host:port, got ${JSON.stringify(url)}`);
    }
    if (u.pathname !== '' && u.pathname !== '/') {
      throw new ValueError(`${fn}: url must be redis://host:port without a path (split a study URL with parseRedisStudyUrl), got ${JSON.stringify(url)}`);
    }
    const keyPrefix = opts.keyPrefix ?? 'shendu:tune';
    if (typeof keyPrefix !== 'string' || !/^[A-Za-z0-9_.:{}-]{1,200}$/.test(keyPrefix)) {
      throw new ValueError(`${fn}: keyPrefix must be 1 to 200 characters of A-Z a-z 0-9 _ . : { } -, got ${JSON.stringify(keyPrefix)}`);
    }
    const heartbeatInterval = positive(fn, 'heartbeatInterval', opts.heartbeatInterval, 5000);
    const gracePeriod = positive(fn, 'gracePeriod', opts.gracePeriod, 3 * heartbeatInterval);
    if (gracePeriod <= heartbeatInterval) throw new ValueError(`${fn}: gracePeriod must be longer than heartbeatInterval (${heartbeatInterval} ms), got ${gracePeriod}`);
    const connectTimeout = positive(fn, 'connectTimeout', opts.connectTimeout, 5000);
    const where = `${u.hostname}:${u.port === '' ? 6379 : u.port}`;
    let connected = false;
    // Once connected, a dropped connection is retried (commands wait meanwhile); the first connection is not.
    const client = clientFactory()({ url, socket: { connectTimeout, reconnectStrategy: (n) => (connected ? Math.min(50 * (n + 1), 2000) : false) } });
    client.on('error', () => {});
    const s = new RedisStorage(url, where, client, keyPrefix, heartbeatInterval, gracePeriod);
    // The thread starts while the client connects: each takes a good part of a second on a busy machine.
    const beating = s.startHeartbeat();
    beating.catch(() => {});
    try {
      await client.connect();
    } catch (e) {
      await s.stopHeartbeat();
      client.destroy();
      throw new DataError(`${fn}: cannot reach Redis at ${where}: ${(e as Error).message}`);
    }
    connected = true;
    try {
      await beating;
      await s.sync();
    } catch (e) {
      await s.close().catch(() => {});
      throw e;
    }
    return s;
  }

  private heartbeatKey(token: string): string {
    return `${this.keyPrefix}:hb:${token}`;
  }

  private async startHeartbeat(): Promise<void> {
    const job: HeartbeatJob = { url: this.url, key: this.heartbeatKey(this.token), interval: this.heartbeatInterval, ttl: this.gracePeriod };
    const t = new Worker(HEARTBEAT_MAIN, { workerData: job });
    this.thread = t;
    // Started once the server acknowledged the first beat: no trial of this process exists before its key does.
    await new Promise<void>((resolve, reject) => {
      const fail = (why: string): void => reject(new DataError(`RedisStorage.connect: the heartbeat to ${this.where} failed: ${why}`));
      t.once('message', (m: unknown) => (m === 'started' ? resolve() : fail((m as { error: string }).error)));
      t.once('error', (e) => fail(e.message));
      t.once('exit', () => fail('its thread exited'));
      const timer = setTimeout(() => fail(`no reply within ${this.gracePeriod} ms`), Math.max(this.gracePeriod, 5000));
      timer.unref();
    });
    t.on('error', (e) => (this.failure ??= new DataError(`RedisStorage: heartbeat thread for ${this.where} failed: ${e.message}`)));
    // The thread must not keep a finished program alive; it dies with the process, and the key then expires.
    t.unref();
  }

  /** This process (host name and pid), recorded with each trial it creates. */
  protected override workerId(): WorkerId {
    return this.me;
  }

  /** Runs `job` after every earlier one (the list is read and written in call order); a failure sticks. */
  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.chain.then(async () => {
      if (this.failure !== null) throw this.failure;
      try {
        return await job();
      } catch (e) {
        this.failure ??= e instanceof DataError ? e : new DataError(`RedisStorage: Redis at ${this.where}: ${(e as Error).message}`);
        throw this.failure;
      }
    });
    this.chain = run.catch(() => {});
    return run;
  }

  /** Reads the entries appended since the last read (up to index `end`) and applies them; what each returned. */
  private async pull(end = -1): Promise<(number | null)[]> {
    const items = await this.client.lRange(this.logKey, this.offset, end);
    const results: (number | null)[] = [];
    for (const item of items) {
      let e: Entry;
      try {
        e = JSON.parse(item) as Entry;
      } catch {
        throw new DataError(`RedisStorage: entry ${this.offset} of ${this.logKey} at ${this.where} is not JSON: ${item.slice(0, 80)}`);
      }
      if (typeof e !== 'object' || e === null || !KNOWN_OPS.has(e.op) || typeof e.by !== 'string') {
        throw new DataError(`RedisStorage: entry ${this.offset} of ${this.logKey} at ${this.where} is not a tune operation: ${item.slice(0, 80)}`);
      }
      results.push(this.applyEntry(e));
      this.offset++;
    }
    return results;
  }

  private applyEntry(e: Entry): number | null {
    const mine = e.by === this.token;
    if (mine && LOCAL_FIRST.has(e.op)) return null;
    switch (e.op) {
      case 'createTrial': {
        const studyId = this.studyIdOf(e.study);
        if (studyId === undefined) throw new DataError(`RedisStorage: entry ${this.offset} of ${this.logKey} creates a trial of unknown study '${e.study}'`);
        const id = this.apply({ op: 'createTrial', studyId, time: e.time, worker: e.worker, ...(e.maxTrials === undefined ? {} : { maxTrials: e.maxTrials }) }) as number;
        if (id >= 0) this.creators.set(id, e.by);
        return id;
      }
      case 'createStudy': {
        if (mine) this.unconfirmed.delete(e.name);
        else if (this.unconfirmed.has(e.name)) {
          this.unconfirmed.delete(e.name);
          const local = this.studyInfo(this.studyIdOf(e.name) as number).direction;
          if (local !== e.direction) this.conflicts.set(e.name, `createStudy: study '${e.name}' was created with direction '${e.direction}' by another process, got '${local}'`);
        }
        return this.apply({ op: 'createStudy', name: e.name, direction: e.direction });
      }
      case 'setParam': return this.apply({ op: 'setParam', trialId: e.trialId, name: e.name, value: e.value, dist: e.dist });
      case 'report': return this.apply({ op: 'report', trialId: e.trialId, step: e.step, value: e.value });
      case 'setSystemAttr': return this.apply({ op: 'setSystemAttr', trialId: e.trialId, key: e.key, value: e.value });
      case 'finish': return this.apply({ op: 'finish', trialId: e.trialId, state: e.state, value: e.value, time: e.time });
      default: return assertNever(e, 'storage operation');
    }
  }

  /** Appends entries and reads the list up to the last of them; what applying each of them returned. */
  private async append(entries: Entry[]): Promise<(number | null)[]> {
    const len = await this.client.rPush(this.logKey, entries.map((e) => JSON.stringify(e)));
    return (await this.pull(len - 1)).slice(-entries.length);
  }

  /** Starts a read of what other processes appended, unless one is already waiting. */
  protected override refresh(): void {
    if (this.pullQueued || this.failure !== null) return;
    this.pullQueued = true;
    void this.enqueue(() => {
      this.pullQueued = false;
      return this.pull();
    }).catch(() => {});
  }

  /** Applies study creation and in-trial changes at once and writes them in the background; trial creation and ends must be awaited. */
  protected override commit(o: StorageOp): number | null {
    if (this.failure !== null) throw this.failure;
    switch (o.op) {
      case 'createTrial':
      case 'finish': {
        const fn = o.op === 'createTrial' ? 'createTrial' : 'finishTrial';
        throw new ValueError(`RedisStorage.${fn}: Redis is asynchronous; await ${fn}Async instead (Study.optimize does)`);
      }
      case 'createStudy': {
        const id = this.apply(o);
        this.unconfirmed.add(o.name);
        this.write({ ...o, by: this.token });
        return id;
      }
      case 'setParam':
      case 'report':
      case 'setSystemAttr':
        this.write({ ...o, by: this.token });
        return this.apply(o);
      default: return assertNever(o, 'storage operation');
    }
  }

  private write(e: Entry): void {
    void this.enqueue(() => this.client.rPush(this.logKey, JSON.stringify(e))).catch(() => {});
  }

  /** Starts, in the background, failing the running trials of dead processes (`failStaleTrialsAsync` awaits it). */
  override failStaleTrials(studyId: number): number[] {
    if (this.failure === null) void this.failStaleTrialsAsync(studyId).catch(() => {});
    return [];
  }

  /** Creates a running trial: one appended entry, numbered by its place in the list; null when the study is full. */
  override async createTrialAsync(studyId: number, maxTrials?: number): Promise<number | null> {
    const { name } = this.studyInfo(studyId);
    // Catch up first: a conflicting creation of this study by another process shows up here (an error of this
    // study only, so thrown outside the queue, whose errors stick).
    await this.enqueue(() => this.pull());
    const conflict = this.conflicts.get(name);
    if (conflict !== undefined) throw new ValueError(conflict);
    const e: Entry = { op: 'createTrial', study: name, time: Date.now(), worker: this.me, ...(maxTrials === undefined ? {} : { maxTrials }), by: this.token };
    const id = await this.enqueue(async () => (await this.append([e]))[0]);
    return id === null || id < 0 ? null : id;
  }

  /** Ends a trial with one appended entry; false when an earlier entry had ended it (e.g. failed as stale). */
  override async finishTrialAsync(trialId: number, state: Exclude<TrialState, 'running'>, value: number | null): Promise<boolean> {
    if (this.getTrial(trialId, false).state !== 'running') return false;
    const [r] = await this.enqueue(() => this.append([{ op: 'finish', trialId, state, value, time: Date.now(), by: this.token }]));
    return r === 1;
  }

  /** Marks failed the running trials of `studyId` whose process's heartbeat key has expired; their ids. */
  override async failStaleTrialsAsync(studyId: number): Promise<number[]> {
    return this.enqueue(async () => {
      await this.pull();
      const running = this.trialsOf(studyId).filter((t) => t.state === 'running' && this.creators.get(t.trialId) !== this.token);
      const tokens = [...new Set(running.map((t) => this.creators.get(t.trialId) as string))];
      const alive = await Promise.all(tokens.map((tok) => this.client.exists(this.heartbeatKey(tok))));
      const dead = new Set(tokens.filter((_, i) => alive[i] === 0));
      const stale = running.filter((t) => dead.has(this.creators.get(t.trialId) as string));
      if (stale.length === 0) return [];
      const now = Date.now();
      const ended = await this.append(stale.map((t) => ({ op: 'finish', trialId: t.trialId, state: 'fail', value: null, time: now, by: this.token })));
      // Only those this process's entries ended: another process may have failed some first.
      return stale.filter((_, i) => ended[i] === 1).map((t) => t.trialId);
    });
  }

  /** Waits for this process's pending writes, then reads everything appended before the call. */
  override async sync(): Promise<void> {
    await this.enqueue(async () => {
      await this.pull();
    });
  }

  /** Trials still running elsewhere are looked at again every heartbeat interval. */
  override get pollInterval(): number {
    return this.heartbeatInterval;
  }

  /**
   * Writes what is pending, stops the heartbeat (deleting its key: trials still running here then count as
   * dead) and closes the connection; later calls throw.
   */
  override async close(): Promise<void> {
    await this.chain;
    this.failure ??= new ValueError(`RedisStorage: the storage of ${this.where} was closed`);
    await this.stopHeartbeat();
    await this.client.close().catch(() => this.client.destroy());
  }

  /** Stops the heartbeat thread, which deletes the key first (a second at most). */
  private async stopHeartbeat(): Promise<void> {
    const t = this.thread;
    this.thread = null;
    if (t === null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000);
      t.on('message', (m: unknown) => { if (m === 'stopped') { clearTimeout(timer); resolve(); } });
      t.once('exit', () => { clearTimeout(timer); resolve(); });
      t.postMessage('stop');
    });
    await t.terminate();
  }
}
