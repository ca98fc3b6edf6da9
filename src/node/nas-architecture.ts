/**
 * Architecture files on disk: `saveArchitecture` writes what a NAS search found (tune's `architectureToJson`)
 * atomically — a temporary file beside the target, fsynced, then renamed over it, so a reader never sees half a
 * file — and `loadArchitecture` reads one back, validated (`parseArchitecture`), for `createModel('nascnn', ...)`
 * and `shendu train nascnn --arch FILE`.
 * @module
 */
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { DataError, ValueError } from '../errors.js';
import { architectureToJson, parseArchitecture, type ArchitectureFile, type CnnHead, type NasArchitecture } from '../tune/nas/arch-file.js';
import type { CnnSpace } from '../tune/nas/cnn-space.js';
import type { Encoding } from '../tune/nas/space.js';
import { NodeFileStore } from './files.js';

/**
 * Writes the architecture `encoding` of `space` to the JSON file `path` (creating its directory), atomically;
 * returns what it wrote. Throws ValueError for an invalid encoding, head or path.
 */
export function saveArchitecture(path: string, space: CnnSpace, encoding: Encoding, opts: { head?: CnnHead; notes?: Record<string, unknown> } = {}): ArchitectureFile {
  if (typeof path !== 'string' || path === '' || path.endsWith('/')) throw new ValueError(`saveArchitecture: path must be a file path, got ${JSON.stringify(path)}`);
  const file = architectureToJson(space, encoding, opts);
  new NodeFileStore(dirname(path)).write(basename(path), new TextEncoder().encode(`${JSON.stringify(file, null, 1)}\n`));
  return file;
}

/**
 * The architecture in the JSON file `path`: its space, encoding, decoded architecture, head and notes. Throws
 * DataError naming the file when it is missing, not JSON, or invalid (naming the bad field, see
 * `parseArchitecture`).
 */
export function loadArchitecture(path: string): NasArchitecture {
  if (typeof path !== 'string' || path === '') throw new ValueError(`loadArchitecture: path must be a file path, got ${JSON.stringify(path)}`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DataError(`loadArchitecture: cannot read ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DataError(`loadArchitecture: ${path} is not valid JSON (${(e as Error).message})`);
  }
  return parseArchitecture(json, path);
}
