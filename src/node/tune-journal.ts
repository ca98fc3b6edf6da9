/**
 * A tune storage that survives: every change is appended as one JSON line to a journal file and every process
 * replays the file to know the state (Optuna's JournalFileStorage). Appends happen under a file lock
 * (proper-lockfile), after reading what others appended, so trial numbers — assigned in log order — are never
 * duplicated and no trial is lost; reopening the journal resumes the study, and trials left running by a process
 * that is gone are marked failed.
 * @module
 */
import { appendFileSync, closeSync, existsSync, fstatSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { DataError, ValueError } from '../errors.js';
import { InMemoryStorage, type StorageOp, type WorkerId } from '../tune/storage.js';

interface LockfileModule {
  lockSync(file: string, opts: { realpath?: boolean; stale?: number }): () => void;
}
let lockfile: LockfileModule | undefined;
/**
 * proper-lockfile, loaded on the first lock rather than at import: loading it installs signal-exit's SIGINT,
 * SIGTERM and SIGHUP listeners, and a JavaScript listener defers those signals until the event loop turns — so in
 * every process that merely imported 'shendu/node', a synchronous training loop could not be stopped by Ctrl-C or
 * `kill` (found when `shendu train` ignored both).
 */
const lockfileModule = (): LockfileModule => (lockfile ??= createRequire(import.meta.url)('proper-lockfile') as LockfileModule);

/** Options of `JournalFileStorage`. */
export interface JournalFileStorageOptions {
  /** Milliseconds to wait for the lock before giving up with a DataError (default 30000). */
  lockTimeout?: number;
  /** A lock not refreshed for this many milliseconds belongs to a dead process and is taken over (default 5000). */
  staleLock?: number;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A study storage in an append-only journal file that several processes may share. */
export class JournalFileStorage extends InMemoryStorage {
  /** Path of the journal file. */
  readonly path: string;
  private offset = 0;
  private readonly lockTimeout: number;
  private readonly staleLock: number;
  private readonly me: WorkerId = { host: hostname(), pid: process.pid };

  /** Opens (creating if missing) the journal at `path` and replays it. */
  constructor(path: string, opts: JournalFileStorageOptions = {}) {
    super();
    if (typeof path !== 'string' || path.length === 0) throw new ValueError(`JournalFileStorage: path must be a non-empty string, got ${JSON.stringify(path)}`);
    this.path = path;
    this.lockTimeout = opts.lockTimeout ?? 30000;
    this.staleLock = opts.staleLock ?? 5000;
    if (!existsSync(path)) {
      try {
        writeFileSync(path, '', { flag: 'wx' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new DataError(`JournalFileStorage: cannot create ${path}: ${(e as Error).message}`);
      }
    }
    this.refresh();
  }

  /** This process: host name and pid, recorded with each trial it creates. */
  protected override workerId(): WorkerId {
    return this.me;
  }

  /** Applies the complete lines other processes appended since the last read (a torn last line waits). */
  protected override refresh(): void {
    const fd = openSync(this.path, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size <= this.offset) return;
      const buf = Buffer.alloc(size - this.offset);
      readSync(fd, buf, 0, buf.length, this.offset);
      const end = buf.lastIndexOf(0x0a);
      if (end < 0) return;
      for (const line of buf.subarray(0, end).toString('utf8').split('\n')) {
        if (line.length === 0) continue;
        let op: StorageOp;
        try {
          op = JSON.parse(line) as StorageOp;
        } catch {
          // A line torn by a process killed mid-write: the next writer ended it with a newline; skip it.
          continue;
        }
        this.apply(op);
      }
      this.offset += end + 1;
    } finally {
      closeSync(fd);
    }
  }

  private lock(): () => void {
    const deadline = Date.now() + this.lockTimeout;
    for (let attempt = 0; ; attempt++) {
      try {
        return lockfileModule().lockSync(this.path, { realpath: false, stale: this.staleLock });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw new DataError(`JournalFileStorage: cannot lock ${this.path}: ${(e as Error).message}`);
        if (Date.now() > deadline) throw new DataError(`JournalFileStorage: ${this.path} stayed locked for ${this.lockTimeout} ms`);
        sleepSync(Math.min(50, 1 + attempt) + Math.random() * 3);
      }
    }
  }

  /** Appends the operation under the lock, after catching up with the journal, and applies it. */
  protected override commit(o: StorageOp): number | null {
    const release = this.lock();
    try {
      this.refresh();
      const size = statSync(this.path).size;
      // A torn last line (no newline) must not swallow this one.
      const line = (size > this.offset ? '\n' : '') + JSON.stringify(o) + '\n';
      appendFileSync(this.path, line);
      this.offset += Buffer.byteLength(line);
      return this.apply(o);
    } finally {
      release();
    }
  }

  /** Marks failed the running trials of `studyId` whose process on this host has exited; returns their ids. */
  override failStaleTrials(studyId: number): number[] {
    const failed: number[] = [];
    for (const t of this.getAllTrials(studyId)) {
      const w = t.worker;
      if (t.state !== 'running' || w === null || w.host !== this.me.host || w.pid === this.me.pid) continue;
      if (isAlive(w.pid)) continue;
      if (this.finishTrial(t.trialId, 'fail', null)) failed.push(t.trialId);
    }
    return failed;
  }
}
