/**
 * Node side of training I/O: `NodeFileStore`, a directory as a FileStore whose writes are atomic (temporary
 * file in the same directory, fsync, rename, fsync of the directory), so a crash — even kill -9 — never leaves a
 * torn checkpoint; and `terminalProgress`, a ProgressBar on stdout that draws a live bar on a terminal and
 * plain lines when piped or under CI.
 * @module
 */
import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ValueError } from '../errors.js';
import { ProgressBar } from '../train/progress.js';
import { checkFileName, type FileStore } from '../train/store.js';

let tempCounter = 0;
const TEMP_RE = /^\..+\.(\d+)\.\d+\.tmp$/;

/** True when a process with this pid exists (one owned by another user counts). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A directory as a FileStore (created if missing). `write` is atomic and durable: the bytes go to a hidden
 * temporary file beside the target, are fsynced, and the file is renamed over the target, so readers and
 * crashes see the old file or the new one, never part of one. Temporary files left by a killed process are
 * removed when a store is opened on the directory.
 */
export class NodeFileStore implements FileStore {
  /** The directory, as an absolute path. */
  readonly dir: string;

  /** Opens (creating) directory `dir`. */
  constructor(dir: string) {
    if (typeof dir !== 'string' || dir === '') throw new ValueError(`NodeFileStore: dir must be a non-empty path, got ${JSON.stringify(dir)}`);
    this.dir = resolve(dir);
    mkdirSync(this.dir, { recursive: true });
    for (const f of readdirSync(this.dir)) {
      const m = TEMP_RE.exec(f);
      if (m && !pidAlive(Number(m[1]))) {
        try {
          unlinkSync(join(this.dir, f));
        } catch {
          // another process removed it first
        }
      }
    }
  }

  /** Absolute path of file `name` in the store. */
  pathOf(name: string): string {
    return join(this.dir, checkFileName('NodeFileStore', name));
  }

  /** The file's bytes, or null when it does not exist. */
  read(name: string): Uint8Array | null {
    try {
      const b = readFileSync(this.pathOf(name));
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /** Replaces the file atomically: temporary file, fsync, rename, fsync of the directory. */
  write(name: string, bytes: Uint8Array): void {
    if (!(bytes instanceof Uint8Array)) throw new ValueError('NodeFileStore.write: bytes must be a Uint8Array');
    const path = this.pathOf(name);
    const dir = dirname(path);
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `.${basename(path)}.${process.pid}.${tempCounter++}.tmp`);
    const fd = openSync(tmp, 'w');
    try {
      let at = 0;
      while (at < bytes.byteLength) at += writeSync(fd, bytes, at, bytes.byteLength - at);
      fsyncSync(fd);
    } catch (e) {
      closeSync(fd);
      unlinkSync(tmp);
      throw e;
    }
    closeSync(fd);
    renameSync(tmp, path);
    try {
      const d = openSync(dir, 'r');
      try {
        fsyncSync(d);
      } finally {
        closeSync(d);
      }
    } catch {
      // directories cannot be opened or fsynced on some platforms (Windows); the rename is still atomic
    }
  }

  /** Appends UTF-8 text to the file, creating it (and its directory) if needed. */
  append(name: string, text: string): void {
    const path = this.pathOf(name);
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, text);
  }

  /** The file as UTF-8 text, or null. */
  readText(name: string): string | null {
    const b = this.read(name);
    return b === null ? null : new TextDecoder().decode(b);
  }
}

/**
 * A ProgressBar writing to `process.stdout`: a live bar on a terminal, one line per epoch when stdout is piped
 * or the CI environment variable is set to anything but 'false' or '0'.
 */
export function terminalProgress(opts: { refreshMs?: number } = {}): ProgressBar {
  const ci = process.env.CI;
  return new ProgressBar({ sink: process.stdout, ci: ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0', refreshMs: opts.refreshMs });
}
