/**
 * A study: a direction, a sampler, a pruner and a storage of trials; `optimize` runs the objective trial by trial
 * (optionally several at once), as Optuna's `create_study` / `Study.optimize`.
 * @module
 */
import { ValueError } from '../errors.js';
import type { ParamValue } from './distributions.js';
import { NopPruner, type Pruner } from './pruners/base.js';
import { makePruner, makeSampler, type PrunerName, type SamplerName } from './registry.js';
import type { Sampler, StudyView } from './samplers/base.js';
import { InMemoryStorage, lastStep, type FrozenTrial, type StudyDirection, type TrialState } from './storage.js';
import { Trial, TrialPruned } from './trial.js';

/** Options of `createStudy`. */
export interface CreateStudyOptions {
  /** 'minimize' (default) or 'maximize'. */
  direction?: StudyDirection;
  /** A sampler object, or a name: 'grid' needs an object; default TPE. */
  sampler?: Sampler | Exclude<SamplerName, 'grid'>;
  /** A pruner object or a name ('none', 'median', 'sha', 'hyperband'); default MedianPruner, as Optuna. */
  pruner?: Pruner | PrunerName;
  /**
   * Where trials live (default: a new in-memory storage); from `shendu/node`, a `JournalFileStorage` (a file several
   * processes share) or a `RedisStorage` (`await RedisStorage.connect(url)`, shared across machines).
   */
  storage?: InMemoryStorage;
  /** Name of the study in the storage (default: a fresh unique name). */
  studyName?: string;
  /** Resume the study of that name when the storage has it (else creating an existing name is an error). */
  loadIfExists?: boolean;
}

/** An objective: takes a trial, returns the value to optimize (or a promise of it). */
export type Objective = (trial: Trial) => number | Promise<number>;

/** A class of errors that `optimize` records as a failed trial and goes on. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/** Options of `optimize`. */
export interface OptimizeOptions {
  /** Number of trials to run in this call (default: until `timeout` or the sampler stops the study). */
  nTrials?: number;
  /** Seconds after which no new trial starts. */
  timeout?: number;
  /** Trials run at once (asynchronous objectives interleave; default 1). */
  concurrency?: number;
  /** Error classes that fail the trial but not the study; any other error fails the trial and is re-thrown. */
  catch?: readonly ErrorClass[];
  /**
   * Stop once the study — every process sharing its storage — holds this many trials that did not fail (failed
   * trials, e.g. those of a killed worker, are run again). Use it when several processes work on one study. A
   * process that finds the study full while trials still run (anywhere) waits for them to end, polling every
   * `storage.pollInterval` ms, so that a trial of a worker that dies is failed and replaced by a survivor.
   */
  maxTrialsInStudy?: number;
  /** Called after each trial with the study and the finished trial. */
  callbacks?: readonly ((study: Study, trial: FrozenTrial) => void)[];
}

let unnamed = 0;
// The browser-safe core is typed without the DOM or Node globals; setTimeout exists in both.
const { setTimeout: timeout } = globalThis as unknown as { setTimeout(cb: () => void, ms: number): unknown };
const sleep = (ms: number): Promise<void> => new Promise((r) => timeout(r, ms));
const STUDY_FULL = Symbol('study full');

/** Creates (or with `loadIfExists` resumes) a study; see `CreateStudyOptions`. */
export function createStudy(opts: CreateStudyOptions = {}): Study {
  const direction = opts.direction ?? 'minimize';
  if (direction !== 'minimize' && direction !== 'maximize') {
    throw new ValueError(`createStudy: direction must be 'minimize' or 'maximize', got ${JSON.stringify(direction)}`);
  }
  const sampler = typeof opts.sampler === 'string' || opts.sampler === undefined ? makeSampler(opts.sampler ?? 'tpe') : opts.sampler;
  const pruner = typeof opts.pruner === 'string' || opts.pruner === undefined ? makePruner(opts.pruner ?? 'median') : opts.pruner;
  const storage = opts.storage ?? new InMemoryStorage();
  const name = opts.studyName ?? `no-name-${Date.now().toString(36)}-${unnamed++}`;
  const studyId = storage.createStudy(name, direction, opts.loadIfExists ?? false);
  storage.failStaleTrials(studyId);
  return new Study(name, direction, sampler, pruner, storage, studyId);
}

/** A set of trials of one objective, with its sampler, pruner and storage. */
export class Study implements StudyView {
  /** Name of the study in its storage. */
  readonly studyName: string;
  /** Whether the objective is minimized or maximized. */
  readonly direction: StudyDirection;
  /** Picks the parameters of new trials. */
  readonly sampler: Sampler;
  /** Decides from intermediate values whether a trial stops early. */
  readonly pruner: Pruner;
  /** Where the trials live. */
  readonly storage: InMemoryStorage;
  private readonly studyId: number;
  private stopped = false;

  /** Use `createStudy`. */
  constructor(name: string, direction: StudyDirection, sampler: Sampler, pruner: Pruner, storage: InMemoryStorage, studyId: number) {
    this.studyName = name;
    this.direction = direction;
    this.sampler = sampler;
    this.pruner = pruner ?? new NopPruner();
    this.storage = storage;
    this.studyId = studyId;
  }

  /** Snapshots of all trials (every process's, for a shared storage), in number order. */
  get trials(): FrozenTrial[] {
    return this.getTrials();
  }

  /** Snapshots of the trials, optionally only those in `states`. */
  getTrials(states?: readonly TrialState[]): FrozenTrial[] {
    const all = this.storage.getAllTrials(this.studyId);
    return states === undefined ? all : all.filter((t) => states.includes(t.state));
  }

  /** Records sampler or pruner bookkeeping on a trial. */
  setTrialSystemAttr(trialId: number, key: string, value: unknown): void {
    this.storage.setTrialSystemAttr(trialId, key, value);
  }

  /** Asks a running `optimize` to start no new trial. */
  stop(): void {
    this.stopped = true;
  }

  /** The complete trial with the best value (ValueError when none has completed). */
  get bestTrial(): FrozenTrial {
    let best: FrozenTrial | null = null;
    for (const t of this.getTrials(['complete'])) {
      if (t.value === null || Number.isNaN(t.value)) continue;
      if (best === null || (this.direction === 'minimize' ? t.value < (best.value as number) : t.value > (best.value as number))) best = t;
    }
    if (best === null) throw new ValueError(`bestTrial: study '${this.studyName}' has no complete trial yet`);
    return best;
  }

  /** The best objective value. */
  get bestValue(): number {
    return this.bestTrial.value as number;
  }

  /** The parameters of the best trial. */
  get bestParams(): Record<string, ParamValue> {
    return { ...this.bestTrial.params };
  }

  /** Runs the objective on new trials until `nTrials`, `timeout` or `stop()`; resolves when all have ended. */
  async optimize(objective: Objective, opts: OptimizeOptions = {}): Promise<void> {
    const nTrials = opts.nTrials ?? Infinity;
    const concurrency = opts.concurrency ?? 1;
    if (opts.nTrials !== undefined && (!Number.isSafeInteger(nTrials) || nTrials < 0)) throw new ValueError(`optimize: nTrials must be an integer >= 0, got ${nTrials}`);
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new ValueError(`optimize: concurrency must be an integer >= 1, got ${concurrency}`);
    if (opts.timeout !== undefined && !(opts.timeout > 0)) throw new ValueError(`optimize: timeout must be > 0 seconds, got ${opts.timeout}`);
    if (opts.maxTrialsInStudy !== undefined && (!Number.isSafeInteger(opts.maxTrialsInStudy) || opts.maxTrialsInStudy < 0)) {
      throw new ValueError(`optimize: maxTrialsInStudy must be an integer >= 0, got ${opts.maxTrialsInStudy}`);
    }
    if (opts.nTrials === undefined && opts.timeout === undefined && opts.maxTrialsInStudy === undefined) {
      // A grid sampler stops the study itself; anything else would run forever.
      if (!(this.sampler as { stopsItself?: boolean }).stopsItself) throw new ValueError('optimize: give nTrials, timeout or maxTrialsInStudy');
    }
    const deadline = opts.timeout === undefined ? Infinity : Date.now() + opts.timeout * 1000;
    this.stopped = false;
    let started = 0;
    let fatal: unknown = null;
    const worker = async (): Promise<void> => {
      while (!this.stopped && fatal === null && started < nTrials && Date.now() < deadline) {
        started++;
        const err = await this.runTrial(objective, opts);
        if (err === STUDY_FULL) {
          started--;
          // Full only if no trial is still running: one whose worker died will be failed and must be replaced. So
          // wait until none runs (failing those of dead workers), then try again (without writing meanwhile).
          if (!(await this.anyRunning())) break;
          do {
            await sleep(this.storage.pollInterval);
            const stale = this.storage.failStaleTrialsAsync(this.studyId);
            if (stale instanceof Promise) await stale;
          } while (!this.stopped && Date.now() < deadline && (await this.anyRunning()));
          continue;
        }
        if (err !== null) fatal = err;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, nTrials) }, worker));
    // Writes of an asynchronous storage (e.g. sampler bookkeeping after the last trial) are stored on return.
    await this.storage.sync();
    if (fatal !== null) throw fatal;
  }

  /** Whether the study (in any process sharing its storage) has a running trial, after catching up with it. */
  private async anyRunning(): Promise<boolean> {
    await this.storage.sync();
    return this.getTrials(['running']).length > 0;
  }

  /** Runs one trial; returns an error that must stop the study, or null. */
  private async runTrial(objective: Objective, opts: OptimizeOptions): Promise<unknown> {
    // Before counting the study's trials: a running trial of a dead process must not hold a place (and, as
    // Optuna's heartbeat, a shared study is cleaned by whichever worker looks next).
    // Awaited only when the storage is asynchronous: with a synchronous one the objective starts in this tick.
    const stale = this.storage.failStaleTrialsAsync(this.studyId);
    if (stale instanceof Promise) await stale;
    const created = this.storage.createTrialAsync(this.studyId, opts.maxTrialsInStudy);
    const trialId = created instanceof Promise ? await created : created;
    if (trialId === null) return STUDY_FULL;
    const ctx = { study: this, storage: this.storage, sampler: this.sampler, pruner: this.pruner };
    let state: Exclude<TrialState, 'running'>;
    let value: number | null = null;
    let fatal: unknown = null;
    try {
      const trial = new Trial(ctx, trialId);
      const v = await objective(trial);
      if (typeof v !== 'number' || Number.isNaN(v)) {
        state = 'fail';
      } else {
        state = 'complete';
        value = v;
      }
    } catch (e) {
      if (e instanceof TrialPruned) {
        state = 'pruned';
        const t = this.storage.getTrial(trialId);
        const s = lastStep(t);
        value = s === null ? null : (t.intermediateValues.get(s) as number);
      } else {
        state = 'fail';
        if (!(opts.catch ?? []).some((cls) => e instanceof cls)) fatal = e;
      }
    }
    const finished = this.storage.finishTrialAsync(trialId, state, value);
    if (finished instanceof Promise) await finished;
    const frozen = this.storage.getTrial(trialId, false);
    this.sampler.afterTrial?.(this, frozen);
    for (const cb of opts.callbacks ?? []) cb(this, frozen);
    return fatal;
  }
}
