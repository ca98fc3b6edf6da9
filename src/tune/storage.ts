/**
 * Where a study's trials live. Every change is one small operation (`StorageOp`); the in-memory storage applies
 * them to its tables, and the journal file storage (src/node/tune-journal.ts) appends the same operations to a
 * file and replays them, as Optuna's JournalStorage does. Trial numbers and ids are assigned when an operation
 * is applied, in log order, so every process replaying one log agrees on them.
 *
 * The methods are synchronous, so that `trial.suggest*` and `report` stay synchronous; a storage over the network
 * (the Redis storage in src/node/tune-redis.ts) keeps these tables as a local mirror and overrides the few
 * `...Async` methods a study awaits at trial boundaries (create, finish, fail stale, sync), where ids are decided.
 * @module
 */
import { ValueError, assertNever } from '../errors.js';
import type { Distribution, ParamValue } from './distributions.js';

/** A trial's life: running, then complete, pruned or failed (Optuna's TrialState; `waiting` is not used). */
export type TrialState = 'running' | 'complete' | 'pruned' | 'fail';

/** Whether the objective is minimized or maximized. */
export type StudyDirection = 'minimize' | 'maximize';

/** The process that runs a trial, so that a trial left running by a dead process can be marked failed. */
export interface WorkerId {
  /** Host name of the machine. */
  host: string;
  /** Process id on that host. */
  pid: number;
}

/** A trial as stored: read-only snapshot (Optuna's FrozenTrial). */
export interface FrozenTrial {
  /** Storage-wide id. */
  readonly trialId: number;
  /** 0, 1, 2, ... within its study, in the order trials were created. */
  readonly number: number;
  /** running, complete, pruned or fail. */
  readonly state: TrialState;
  /** Final objective value (for pruned trials, the last reported intermediate value, as Optuna). */
  readonly value: number | null;
  /** Parameters as the objective saw them. */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Parameters in the samplers' internal representation (categorical: the choice index). */
  readonly internalParams: Readonly<Record<string, number>>;
  /** The distribution each parameter was drawn from. */
  readonly distributions: Readonly<Record<string, Distribution>>;
  /** Intermediate values by step. */
  readonly intermediateValues: ReadonlyMap<number, number>;
  /** Bookkeeping of samplers and pruners (grid ids, completed rungs). */
  readonly systemAttrs: Readonly<Record<string, unknown>>;
  /** Start time (ms since the epoch). */
  readonly datetimeStart: number;
  /** End time (ms since the epoch), null while running. */
  readonly datetimeComplete: number | null;
  /** The process that ran it (null for in-memory storages). */
  readonly worker: WorkerId | null;
}

/** The largest step a trial reported, or null. */
export function lastStep(t: FrozenTrial): number | null {
  let s: number | null = null;
  for (const k of t.intermediateValues.keys()) if (s === null || k > s) s = k;
  return s;
}

/** One change to a storage: the unit of the journal. */
export type StorageOp =
  | { op: 'createStudy'; name: string; direction: StudyDirection }
  | { op: 'createTrial'; studyId: number; time: number; worker: WorkerId | null; maxTrials?: number }
  | { op: 'setParam'; trialId: number; name: string; value: number; dist: Distribution }
  | { op: 'report'; trialId: number; step: number; value: number }
  | { op: 'setSystemAttr'; trialId: number; key: string; value: unknown }
  | { op: 'finish'; trialId: number; state: Exclude<TrialState, 'running'>; value: number | null; time: number };

interface MutableTrial {
  trialId: number;
  number: number;
  state: TrialState;
  value: number | null;
  params: Record<string, ParamValue>;
  internalParams: Record<string, number>;
  distributions: Record<string, Distribution>;
  intermediateValues: Map<number, number>;
  systemAttrs: Record<string, unknown>;
  datetimeStart: number;
  datetimeComplete: number | null;
  worker: WorkerId | null;
}

interface StoredStudy {
  studyId: number;
  name: string;
  direction: StudyDirection;
  trialIds: number[];
}

/**
 * Keeps studies and trials in memory. Subclasses that persist override `commit` (write the operation somewhere
 * durable, then `apply` it) and `refresh` (apply operations other processes wrote).
 */
export class InMemoryStorage {
  private studies: StoredStudy[] = [];
  private trials: MutableTrial[] = [];

  /** Applies one operation; returns the id it created (study or trial), or for `finish` 1 if it ended the trial, 0 if it had ended. */
  protected apply(o: StorageOp): number | null {
    switch (o.op) {
      case 'createStudy': {
        // A second process may create the same study before it saw the first one: the first creation wins.
        const existing = this.studies.find((s) => s.name === o.name);
        if (existing) return existing.studyId;
        this.studies.push({ studyId: this.studies.length, name: o.name, direction: o.direction, trialIds: [] });
        return this.studies.length - 1;
      }
      case 'createTrial': {
        const study = this.studies[o.studyId];
        // Decided in log order, so every process agrees which creations were refused.
        if (o.maxTrials !== undefined && study.trialIds.filter((id) => this.trials[id].state !== 'fail').length >= o.maxTrials) return -1;
        const t: MutableTrial = {
          trialId: this.trials.length, number: study.trialIds.length, state: 'running', value: null, params: {},
          internalParams: {}, distributions: {}, intermediateValues: new Map(), systemAttrs: {}, datetimeStart: o.time,
          datetimeComplete: null, worker: o.worker,
        };
        this.trials.push(t);
        study.trialIds.push(t.trialId);
        return t.trialId;
      }
      case 'setParam': {
        const t = this.trials[o.trialId];
        if (t.state !== 'running') return null;
        t.internalParams[o.name] = o.value;
        t.distributions[o.name] = o.dist;
        t.params[o.name] = o.dist.kind === 'categorical' ? o.dist.choices[o.value] : o.value;
        return null;
      }
      case 'report': {
        const t = this.trials[o.trialId];
        if (t.state === 'running' && !t.intermediateValues.has(o.step)) t.intermediateValues.set(o.step, o.value);
        return null;
      }
      case 'setSystemAttr': {
        const t = this.trials[o.trialId];
        t.systemAttrs[o.key] = o.value;
        return null;
      }
      case 'finish': {
        // The first finish wins: a trial marked failed as stale stays failed if its process comes back.
        const t = this.trials[o.trialId];
        if (t.state !== 'running') return 0;
        t.state = o.state;
        t.value = o.value;
        t.datetimeComplete = o.time;
        return 1;
      }
      default: return assertNever(o, 'storage operation');
    }
  }

  /** Makes an operation durable and applies it; returns what `apply` returned. */
  protected commit(o: StorageOp): number | null {
    return this.apply(o);
  }

  /** Brings the tables up to date with changes made elsewhere (nothing to do in memory). */
  protected refresh(): void {}

  /** The identity recorded with new trials (the Node journal storage records host and pid). */
  protected workerId(): WorkerId | null {
    return null;
  }

  /** Creates a study, or returns the id of the existing one of that name when `loadIfExists`. */
  createStudy(name: string, direction: StudyDirection, loadIfExists: boolean): number {
    checkStudyName('createStudy', name);
    this.refresh();
    const existing = this.studies.find((s) => s.name === name);
    if (existing) {
      if (!loadIfExists) throw new ValueError(`createStudy: studyName '${name}' already exists in the storage; pass loadIfExists: true to resume it`);
      if (existing.direction !== direction) {
        throw new ValueError(`createStudy: study '${name}' was created with direction '${existing.direction}', got '${direction}'`);
      }
      return existing.studyId;
    }
    return this.commit({ op: 'createStudy', name, direction }) as number;
  }

  /** Names of the studies in the storage. */
  studyNames(): string[] {
    this.refresh();
    return this.studies.map((s) => s.name);
  }

  /**
   * Starts a new running trial and returns its id; with `maxTrials`, returns null instead when the study already
   * holds that many trials that did not fail (checked atomically with the creation, across processes).
   */
  createTrial(studyId: number, maxTrials?: number): number | null {
    const id = this.commit({ op: 'createTrial', studyId, time: Date.now(), worker: this.workerId(), ...(maxTrials === undefined ? {} : { maxTrials }) }) as number;
    return id < 0 ? null : id;
  }

  /** Records a sampled parameter (internal representation). */
  setTrialParam(trialId: number, name: string, value: number, dist: Distribution): void {
    this.commit({ op: 'setParam', trialId, name, value, dist });
  }

  /** Records an intermediate value; a second report for the same step is ignored, as Optuna does. */
  setTrialIntermediateValue(trialId: number, step: number, value: number): void {
    this.commit({ op: 'report', trialId, step, value });
  }

  /** Records sampler or pruner bookkeeping on a trial. */
  setTrialSystemAttr(trialId: number, key: string, value: unknown): void {
    this.commit({ op: 'setSystemAttr', trialId, key, value });
  }

  /** Ends a running trial; returns false when it had already ended (e.g. marked failed as stale). */
  finishTrial(trialId: number, state: Exclude<TrialState, 'running'>, value: number | null): boolean {
    this.refresh();
    if (this.trials[trialId].state !== 'running') return false;
    return this.commit({ op: 'finish', trialId, state, value, time: Date.now() }) === 1;
  }

  /** A snapshot of one trial. */
  getTrial(trialId: number, refresh = true): FrozenTrial {
    if (refresh) this.refresh();
    const t = this.trials[trialId];
    if (t === undefined) throw new ValueError(`getTrial: no trial with id ${trialId}`);
    return freeze(t);
  }

  /** Snapshots of a study's trials in number order. */
  getAllTrials(studyId: number): FrozenTrial[] {
    this.refresh();
    return this.trialsOf(studyId);
  }

  /** Snapshots of a study's trials as the tables hold them now, without catching up first. */
  protected trialsOf(studyId: number): FrozenTrial[] {
    return this.studies[studyId].trialIds.map((id) => freeze(this.trials[id]));
  }

  /** Marks failed the running trials whose process is gone; the in-memory storage has no such trials. */
  failStaleTrials(_studyId: number): number[] {
    return [];
  }

  // The trial-boundary interface a study awaits. Here each is its synchronous twin and returns a plain value (a
  // study then runs the objective in the same tick, as before); an asynchronous storage returns promises and may
  // refuse the synchronous twins, so a study works on every storage unchanged.

  /** `createTrial` at the start of each trial (a promise where the storage is asynchronous): the id, or null when full. */
  createTrialAsync(studyId: number, maxTrials?: number): MaybePromise<number | null> {
    return this.createTrial(studyId, maxTrials);
  }

  /** `finishTrial` at the end of each trial (a promise where the storage is asynchronous): false when it had ended. */
  finishTrialAsync(trialId: number, state: Exclude<TrialState, 'running'>, value: number | null): MaybePromise<boolean> {
    return this.finishTrial(trialId, state, value);
  }

  /** `failStaleTrials` before each trial (a promise where the storage is asynchronous): ids of the trials it failed. */
  failStaleTrialsAsync(studyId: number): MaybePromise<number[]> {
    return this.failStaleTrials(studyId);
  }

  /** Waits until this process's changes are stored and the tables hold every change made elsewhere before the call. */
  async sync(): Promise<void> {
    this.refresh();
  }

  /** Milliseconds a study waits before looking again at trials still running elsewhere (see `maxTrialsInStudy`). */
  get pollInterval(): number {
    return 100;
  }

  /** Stores what is pending and releases connections (nothing to release here). */
  async close(): Promise<void> {}

  /** The id of the study called `name`, or undefined. */
  protected studyIdOf(name: string): number | undefined {
    return this.studies.find((s) => s.name === name)?.studyId;
  }

  /** The name and direction of study `studyId`. */
  protected studyInfo(studyId: number): { name: string; direction: StudyDirection } {
    const s = this.studies[studyId];
    return { name: s.name, direction: s.direction };
  }
}

/** A value, or a promise of it from an asynchronous storage. */
export type MaybePromise<T> = T | Promise<T>;

/** Longest study name, as Optuna's RDB storage. */
export const MAX_STUDY_NAME_LENGTH = 512;

/**
 * Throws a ValueError naming `fn` unless `name` is a usable study name: a string of 1 to 512 characters without
 * control characters (a name goes into journal lines, Redis entries, file names and URLs).
 */
export function checkStudyName(fn: string, name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_STUDY_NAME_LENGTH) {
    const got = typeof name === 'string' ? `${name.length} characters` : typeof name;
    throw new ValueError(`${fn}: studyName must be a string of 1 to ${MAX_STUDY_NAME_LENGTH} characters, got ${got}`);
  }
  // eslint-disable-next-line no-control-regex
  const bad = /[\u0000-\u001f\u007f]/.exec(name);
  if (bad !== null) {
    throw new ValueError(`${fn}: studyName must not contain control characters, got ${JSON.stringify(name)} (at index ${bad.index})`);
  }
}

function freeze(t: MutableTrial): FrozenTrial {
  return {
    ...t, params: { ...t.params }, internalParams: { ...t.internalParams }, distributions: { ...t.distributions },
    intermediateValues: new Map(t.intermediateValues), systemAttrs: { ...t.systemAttrs },
  };
}
