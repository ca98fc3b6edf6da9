/**
 * Running one study in several worker processes (`--workers N`): each worker is a Node process that imports the
 * objective from a module, opens the study in a shared journal file and runs trials until the study holds
 * `nTrials` trials that did not fail. A worker that dies leaves its running trial behind; the others mark it failed
 * and run a replacement, so the study still ends with `nTrials` good trials.
 * @module
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ValueError } from '../errors.js';
import type { PrunerName, SamplerName } from '../tune/registry.js';
import type { FrozenTrial, StudyDirection } from '../tune/storage.js';
import { createStudy } from '../tune/study.js';
import { JournalFileStorage } from './tune-journal.js';

/** What each worker process is told (passed as JSON on its command line). */
export interface WorkerJob {
  /** Path or file URL of an ES module exporting `objective(trial)`. */
  objectiveModule: string;
  /** Path of the journal file of the study. */
  journal: string;
  /** Name of the study in the journal. */
  studyName: string;
  /** Whether the objective is minimized or maximized. */
  direction: StudyDirection;
  /** Sampler by name (each worker builds its own). */
  sampler: Exclude<SamplerName, 'grid'>;
  /** Pruner by name. */
  pruner: PrunerName;
  /** Base seed; worker i seeds its sampler with seed + i. */
  seed: number;
  /** Trials that did not fail the study must hold when the workers stop. */
  nTrials: number;
  /** Seconds after which a worker starts no new trial. */
  timeout?: number;
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
}

/** Exit status of each worker, and the study's trials once all have exited. */
export interface WorkersResult {
  /** How each worker process ended, by worker index. */
  exits: { code: number | null; signal: NodeJS.Signals | null }[];
  /** The study's trials after all workers exited. */
  trials: FrozenTrial[];
}

const MAIN = fileURLToPath(new URL('./tune-worker-main.js', import.meta.url));

/** Runs the study `studyName` of `journal` in `workers` processes until it holds `nTrials` trials that did not fail. */
export async function optimizeInWorkers(objectiveModule: string, opts: OptimizeInWorkersOptions): Promise<WorkersResult> {
  const workers = opts.workers ?? 2;
  if (!Number.isSafeInteger(workers) || workers < 1) throw new ValueError(`optimizeInWorkers: workers must be an integer >= 1, got ${workers}`);
  if (!Number.isSafeInteger(opts.nTrials) || opts.nTrials < 1) throw new ValueError(`optimizeInWorkers: nTrials must be an integer >= 1, got ${opts.nTrials}`);
  const job: WorkerJob = {
    objectiveModule, journal: opts.journal, studyName: opts.studyName, direction: opts.direction ?? 'minimize',
    sampler: opts.sampler ?? 'tpe', pruner: opts.pruner ?? 'median', seed: opts.seed ?? 0, nTrials: opts.nTrials, timeout: opts.timeout,
  };
  // Create the study once here, so that workers starting together do not race on its direction.
  createStudy({ storage: new JournalFileStorage(job.journal), studyName: job.studyName, direction: job.direction, loadIfExists: true, sampler: 'random', pruner: 'none' });
  const exits = await Promise.all(Array.from({ length: workers }, (_, i) => new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    const p = spawn(process.execPath, [MAIN, JSON.stringify(job), String(i)], { stdio: ['ignore', 'pipe', 'pipe'] });
    if (p.pid !== undefined) opts.onSpawn?.(i, p.pid);
    p.stdout.on('data', (d) => opts.onOutput?.(i, String(d)));
    p.stderr.on('data', (d) => opts.onOutput?.(i, String(d)));
    p.on('close', (code, signal) => resolve({ code, signal }));
  })));
  const study = createStudy({ storage: new JournalFileStorage(job.journal), studyName: job.studyName, direction: job.direction, loadIfExists: true, sampler: 'random', pruner: 'none' });
  return { exits, trials: study.trials };
}
