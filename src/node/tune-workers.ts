/**
 * Running one study in several worker processes (`--workers N`): each worker is a Node process that imports the
 * objective from a module, opens the study in a shared journal file and runs trials until the study holds
 * `nTrials` trials that did not fail; the workers set up on their own and start trials together. Trial numbers are decided under the journal's file lock, so no number is
 * duplicated or skipped. A worker that dies leaves its running trial behind; the others mark it failed and run a
 * replacement, so the study still ends with `nTrials` good trials (and once every worker has exited, the parent
 * fails whatever is still running, so an interrupted study is consistent before it is resumed).
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ValueError } from '../errors.js';
import type { Pruner } from '../tune/pruners/base.js';
import type { PrunerName, SamplerName } from '../tune/registry.js';
import type { Sampler } from '../tune/samplers/base.js';
import type { FrozenTrial, StudyDirection } from '../tune/storage.js';
import { createStudy, type Objective } from '../tune/study.js';
import { JournalFileStorage } from './tune-journal.js';

/** What each worker process is told (passed as JSON on its command line). */
export interface WorkerJob {
  /** Path or file URL of an ES module exporting `objective(trial)`, or `setup(args, index)` when `setupArgs` is given. */
  objectiveModule: string;
  /** Path of the journal file of the study. */
  journal: string;
  /** Name of the study in the journal. */
  studyName: string;
  /** Whether the objective is minimized or maximized. */
  direction: StudyDirection;
  /** Sampler by name (each worker builds its own) unless `setup` returns one. */
  sampler: Exclude<SamplerName, 'grid'>;
  /** Pruner by name unless `setup` returns one. */
  pruner: PrunerName;
  /** Base seed; worker i seeds its sampler with seed + i. */
  seed: number;
  /** Trials that did not fail the study must hold when the workers stop. */
  nTrials: number;
  /** Seconds after which a worker starts no new trial. */
  timeout?: number;
  /** JSON-able arguments of the module's `setup(args, index)`, which builds the objective (e.g. loads a data set). */
  setupArgs?: unknown;
}

/** What a worker module's `setup(args, index)` returns: the objective, and optionally sampler and pruner objects. */
export interface WorkerSetup {
  /** The objective the worker runs. */
  objective: Objective;
  /** Used instead of the job's sampler name (e.g. a grid sampler, which needs its grid). */
  sampler?: Sampler;
  /** Used instead of the job's pruner name (e.g. a pruner with non-default options). */
  pruner?: Pruner;
}

/** Options of `optimizeInWorkers`. */
export interface OptimizeInWorkersOptions extends Partial<Omit<WorkerJob, 'objectiveModule' | 'journal' | 'studyName' | 'nTrials'>> {
  /** Path of the journal file (created if missing). */
  journal: string;
  /** Name of the study (created if missing, resumed otherwise). */
  studyName: string;
  /** Trials that did not fail the study must hold when the workers stop. */
  nTrials: number;
  /** Number of worker processes (default 2). */
  workers?: number;
  /** Called with each worker's process id once it is started. */
  onSpawn?: (worker: number, pid: number) => void;
  /** Called with each worker's output lines (default: ignored). */
  onOutput?: (worker: number, text: string) => void;
  /** Called when a worker process has exited (code, or the signal that killed it). */
  onExit?: (worker: number, code: number | null, signal: NodeJS.Signals | null) => void;
  /**
   * Called in this process for every trial that ends in any worker (complete, pruned or failed, including a dead
   * worker's trial that another worker failed), with all trials of the study at that moment. The journal is read
   * every `pollInterval` ms, so calls come in the order trials ended, give or take one poll.
   */
  onTrial?: (trial: FrozenTrial, trials: readonly FrozenTrial[]) => void;
  /** Milliseconds between the reads of the journal that feed `onTrial` (default 200). */
  pollInterval?: number;
  /**
   * Aborting it kills every worker (e.g. on Ctrl-C) and marks their running trials failed. The kill is SIGKILL: a
   * worker inside a synchronous trial handles a catchable signal only when its event loop next turns, which in a
   * study of synchronous trials is when the study is done.
   */
  signal?: AbortSignal;
}

/** How each worker ended, and the study's trials once all have exited. */
export interface WorkersResult {
  /** How each worker process ended, by worker index. */
  exits: { code: number | null; signal: NodeJS.Signals | null }[];
  /** Each worker's process id, by worker index (-1 if it could not start). */
  pids: number[];
  /** The study's trials after all workers exited (trials they left running are marked failed). */
  trials: FrozenTrial[];
}

const MAIN = fileURLToPath(new URL('./tune-worker-main.js', import.meta.url));

/** Runs the study `studyName` of `journal` in `workers` processes until it holds `nTrials` trials that did not fail. */
export async function optimizeInWorkers(objectiveModule: string, opts: OptimizeInWorkersOptions): Promise<WorkersResult> {
  const workers = opts.workers ?? 2;
  if (!Number.isSafeInteger(workers) || workers < 1) throw new ValueError(`optimizeInWorkers: workers must be an integer >= 1, got ${workers}`);
  if (!Number.isSafeInteger(opts.nTrials) || opts.nTrials < 1) throw new ValueError(`optimizeInWorkers: nTrials must be an integer >= 1, got ${opts.nTrials}`);
  const pollInterval = opts.pollInterval ?? 200;
  if (!(pollInterval > 0)) throw new ValueError(`optimizeInWorkers: pollInterval must be > 0 ms, got ${pollInterval}`);
  const job: WorkerJob = {
    objectiveModule, journal: opts.journal, studyName: opts.studyName, direction: opts.direction ?? 'minimize',
    sampler: opts.sampler ?? 'tpe', pruner: opts.pruner ?? 'median', seed: opts.seed ?? 0, nTrials: opts.nTrials, timeout: opts.timeout,
    ...(opts.setupArgs === undefined ? {} : { setupArgs: opts.setupArgs }),
  };
  // Create the study once here, so that workers starting together do not race on its direction.
  const open = () => createStudy({ storage: new JournalFileStorage(job.journal), studyName: job.studyName, direction: job.direction, loadIfExists: true, sampler: 'random', pruner: 'none' });
  const watched = open();
  const reported = new Set(watched.trials.filter((t) => t.state !== 'running').map((t) => t.trialId));
  const poll = (): void => {
    if (opts.onTrial === undefined) return;
    const trials = watched.trials;
    const ended = trials.filter((t) => t.state !== 'running' && !reported.has(t.trialId));
    ended.sort((a, b) => (a.datetimeComplete as number) - (b.datetimeComplete as number) || a.number - b.number);
    for (const t of ended) {
      reported.add(t.trialId);
      opts.onTrial(t, trials);
    }
  };
  const timer = opts.onTrial === undefined ? undefined : setInterval(poll, pollInterval);
  const pids = Array.from({ length: workers }, () => -1);
  // Each worker sets up (imports, loads its data), says 'ready' and waits for 'start': trials begin together once
  // every worker is ready (or gone), so a worker slow to start does not find the study already done.
  const children: ChildProcess[] = [];
  const settled = new Set<number>();
  const ready = new Set<number>();
  const settle = (i: number): void => {
    settled.add(i);
    if (settled.size < workers) return;
    for (const k of ready) if (children[k].connected) children[k].send({ type: 'start' });
  };
  let exits: WorkersResult['exits'];
  try {
    exits = await Promise.all(Array.from({ length: workers }, (_, i) => new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      const p = spawn(process.execPath, [MAIN, JSON.stringify(job), String(i)], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], signal: opts.signal, killSignal: 'SIGKILL' });
      children[i] = p;
      // An abort surfaces as an 'error' event; the process is killed and 'close' still follows.
      p.on('error', (e) => {
        if ((e as Error).name !== 'AbortError') opts.onOutput?.(i, `cannot start worker ${i}: ${(e as Error).message}\n`);
      });
      if (p.pid !== undefined) {
        pids[i] = p.pid;
        opts.onSpawn?.(i, p.pid);
      }
      p.on('message', (m: { type?: string }) => {
        if (m?.type !== 'ready' || settled.has(i)) return;
        ready.add(i);
        settle(i);
      });
      p.stdout!.on('data', (d) => opts.onOutput?.(i, String(d)));
      p.stderr!.on('data', (d) => opts.onOutput?.(i, String(d)));
      p.on('close', (code, signal) => {
        if (!settled.has(i)) settle(i);
        opts.onExit?.(i, code, signal);
        resolve({ code, signal });
      });
    })));
  } finally {
    if (timer !== undefined) clearInterval(timer);
  }
  // Reopening fails the trials of workers that are gone (every worker has exited by now).
  const study = open();
  poll();
  return { exits, pids, trials: study.trials };
}
