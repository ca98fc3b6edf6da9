/**
 * A training run's directory, guarded: one process writes to it at a time (a lock file holding the pid; a lock
 * left by a dead process is taken over with a notice), and a finished or interrupted run is never overwritten by
 * accident (starting again into it needs `resume` or an explicit `overwrite`).
 * @module
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataError, ShenduError, ValueError } from '../errors.js';
import { pidAlive } from './files.js';

/** The directory is in use by another live process, or holds a run that the caller did not ask to resume or overwrite. */
export class RunDirError extends ShenduError {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = 'RunDirError';
  }
}

/** Names of the files a training run writes; `overwrite` removes exactly these. */
export const RUN_FILES = [
  'last.safetensors', 'last.state.safetensors', 'best.safetensors', 'metrics.csv', 'metrics.jsonl', 'lr.csv', 'summary.json',
  'curves.png', 'curves.svg', 'confusion.png', 'confusion.svg', 'misclassified.png', 'misclassified.svg',
] as const;

const LOCK = '.lock';

/** Options of `openRunDir`. */
export interface OpenRunDirOptions {
  /** Continue the run the directory holds (it must hold one). */
  resume?: boolean;
  /** Remove the run the directory holds and start afresh. */
  overwrite?: boolean;
  /** Where notices go (default: stderr). */
  notice?: (line: string) => void;
  /** The option names to mention in messages (default `--resume` / `--overwrite`, as the CLI spells them). */
  spelling?: { resume: string; overwrite: string };
}

/** A locked run directory; `release()` (also run at process exit) removes the lock. */
export interface RunDir {
  /** The directory, absolute. */
  readonly dir: string;
  /** True when the directory held a run before (resumed). */
  readonly existing: boolean;
  /** Removes the lock (idempotent). */
  release(): void;
}

/** True when `dir` holds files of a training run. */
export function holdsRun(dir: string): boolean {
  return RUN_FILES.some((f) => existsSync(join(dir, f)));
}

/**
 * Creates (if needed) and locks `dir` for one training process. Refuses, with a RunDirError naming both options,
 * a directory that already holds a run unless `resume` or `overwrite` is given; with `overwrite` the old run's
 * files are removed once the lock is held. A path that exists but is not a directory is a DataError.
 */
export function openRunDir(path: string, opts: OpenRunDirOptions = {}): RunDir {
  if (opts.resume && opts.overwrite) throw new ValueError('openRunDir: resume and overwrite exclude each other; choose one');
  const dir = resolve(path);
  const spell = opts.spelling ?? { resume: '--resume', overwrite: '--overwrite' };
  const notice = opts.notice ?? ((line: string) => process.stderr.write(line + '\n'));
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new DataError(`run directory ${dir} exists and is not a directory; choose another output path`);
  mkdirSync(dir, { recursive: true });
  const lockPath = join(dir, LOCK);
  takeLock(lockPath, dir, notice);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    try {
      if (readFileSync(lockPath, 'utf8').trim() === String(process.pid)) unlinkSync(lockPath);
    } catch {
      // the lock is gone already
    }
  };
  process.on('exit', release);
  try {
    const existing = holdsRun(dir);
    if (existing && !opts.resume && !opts.overwrite) {
      throw new RunDirError(`${dir} already holds a training run; pass ${spell.resume} to continue it or ${spell.overwrite} to replace it (or choose another output directory)`);
    }
    if (opts.overwrite) for (const f of RUN_FILES) rmSync(join(dir, f), { force: true });
    return { dir, existing: existing && !opts.overwrite, release };
  } catch (e) {
    release();
    throw e;
  }
}

function takeLock(lockPath: string, dir: string, notice: (line: string) => void): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let pid = NaN;
    try {
      pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    } catch {
      continue; // removed meanwhile: try again
    }
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid)) {
      throw new RunDirError(`${dir} is in use by another training (process ${pid}, lock file ${lockPath}); wait for it to finish or choose another output directory`);
    }
    notice(`taking over ${lockPath}: the process that held it (${Number.isNaN(pid) ? 'unknown pid' : `pid ${pid}`}) is gone`);
    rmSync(lockPath, { force: true });
  }
  throw new RunDirError(`could not lock ${dir}: the lock file ${lockPath} keeps coming back`);
}
