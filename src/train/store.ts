/**
 * FileStore: the small interface through which checkpoints and logs reach storage, so `src/train` stays
 * browser-safe. `MemoryFileStore` keeps files in a Map (tests, browsers); the Node implementation with atomic
 * writes is `NodeFileStore` in `src/node/files.ts`.
 * @module
 */
import { ValueError } from '../errors.js';
import { utf8Decode, utf8Encode } from './platform.js';

/**
 * Named files in one place (a run directory). Names are relative paths with '/' separators (e.g.
 * `last.safetensors`, `logs/metrics.csv`).
 */
export interface FileStore {
  /** The file's bytes, or null when there is no such file. */
  read(name: string): Uint8Array | null;
  /**
   * Replaces the file with `bytes` atomically: a reader (or a crash at any moment) sees either the old
   * contents or the new ones, never a mix or a truncated file.
   */
  write(name: string, bytes: Uint8Array): void;
  /** Appends UTF-8 text to the file, creating it if needed (logs; not atomic). */
  append(name: string, text: string): void;
}

/** Throws a ValueError unless `name` is a relative path that stays inside the store. */
export function checkFileName(op: string, name: unknown): string {
  if (typeof name !== 'string' || name === '') throw new ValueError(`${op}: a file name must be a non-empty string, got ${JSON.stringify(name)}`);
  const parts = name.split(/[\\/]/);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || parts.some((p) => p === '..' || p === '.' || p === '')) {
    throw new ValueError(`${op}: file name ${JSON.stringify(name)} must be a relative path without '.', '..' or empty parts`);
  }
  return name;
}

/** A FileStore in memory: for tests and browsers (copy the bytes out to save them elsewhere). */
export class MemoryFileStore implements FileStore {
  /** The files by name. */
  readonly files = new Map<string, Uint8Array>();

  /** A copy of the file's bytes, or null. */
  read(name: string): Uint8Array | null {
    const f = this.files.get(checkFileName('MemoryFileStore.read', name));
    return f === undefined ? null : f.slice();
  }

  /** Stores a copy of `bytes` under `name`, replacing any earlier file. */
  write(name: string, bytes: Uint8Array): void {
    if (!(bytes instanceof Uint8Array)) throw new ValueError('MemoryFileStore.write: bytes must be a Uint8Array');
    this.files.set(checkFileName('MemoryFileStore.write', name), bytes.slice());
  }

  /** Appends UTF-8 text to the file. */
  append(name: string, text: string): void {
    checkFileName('MemoryFileStore.append', name);
    const add = utf8Encode(text);
    const old = this.files.get(name) ?? new Uint8Array(0);
    const out = new Uint8Array(old.byteLength + add.byteLength);
    out.set(old);
    out.set(add, old.byteLength);
    this.files.set(name, out);
  }

  /** The file as UTF-8 text, or null. */
  readText(name: string): string | null {
    const b = this.read(name);
    return b === null ? null : utf8Decode(b);
  }
}
