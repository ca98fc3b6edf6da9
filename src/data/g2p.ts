/**
 * Grapheme-to-phoneme data: the CMU pronouncing dictionary's text format parsed into (word, phonemes) pairs, a
 * seeded word-level split, and padded batches for an encoder-decoder (source letters, decoder inputs that start
 * with <bos>, targets that end with <eos>).
 * @module
 */
import { DataError, ShapeError, ValueError } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkIndex } from './dataset.js';
import { indexBatches, randomPermutation } from './sampler.js';

/** One dictionary entry: the word (upper case) and its phonemes. */
export interface Pronunciation {
  /** The word as the dictionary spells it, e.g. "AARON'S". */
  word: string;
  /** Its ARPAbet phonemes, e.g. ['EH', 'R', 'AH', 'N', 'Z'] (with stress digits when kept). */
  phonemes: string[];
}

/** Options of parseCmudict. */
export interface CmudictOptions {
  /** Keep the vowels' stress digits (AH0, EY1: 69 phoneme symbols) instead of stripping them (39; default false). */
  stress?: boolean;
  /** Keep alternative pronunciations "WORD(1)" (default false: the first pronunciation of each word only). */
  alternatives?: boolean;
}

/** A word the G2P data keeps: letters and apostrophes only (no digits, punctuation words such as "{BRACE" or "A.S"). */
const WORD = /^[A-Z][A-Z']*$/;

/**
 * The entries of a CMUdict text (`WORD  PH1 PH2 ...` per line, `;;;` comments, `WORD(1)` alternatives), keeping
 * words of letters and apostrophes. Throws a DataError naming the line for an entry without phonemes.
 */
export function parseCmudict(text: string, opts: CmudictOptions = {}): Pronunciation[] {
  if (typeof text !== 'string') throw new ValueError(`parseCmudict: text must be a string, got ${text === null ? 'null' : typeof text}`);
  const stress = opts.stress ?? false;
  const alternatives = opts.alternatives ?? false;
  const out: Pronunciation[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith(';;;')) return;
    const [head, ...phones] = line.split(/\s+/);
    const alt = /^(.+)\(\d+\)$/.exec(head);
    if (alt && !alternatives) return;
    const word = alt ? alt[1] : head;
    if (!WORD.test(word)) return;
    if (phones.length === 0) throw new DataError(`parseCmudict: line ${i + 1} ('${head}') has no phonemes`);
    out.push({ word, phonemes: stress ? phones : phones.map((p) => p.replace(/\d$/, '')) });
  });
  return out;
}

/** Symbol ids shared by G2P source and target vocabularies: padding 0; targets also use <bos> 1 and <eos> 2. */
export const G2P_PAD = 0;
/** The <bos> id of phoneme sequences. */
export const G2P_BOS = 1;
/** The <eos> id of phoneme sequences. */
export const G2P_EOS = 2;

/** A padded G2P batch. */
export interface G2PBatch {
  /** Letter ids [B, Ls] int32, padded with 0. */
  source: Tensor;
  /** Each word's number of letters. */
  sourceLengths: number[];
  /** Decoder inputs [B, Lt + 1] int32: <bos> then the phonemes, padded with 0. */
  targetIn: Tensor;
  /** Decoder targets [B, Lt + 1] int32: the phonemes then <eos>, padded with 0 (ignored by the loss). */
  targetOut: Tensor;
  /** Each word's phoneme ids (without <bos>/<eos>): the references of the metrics. */
  references: number[][];
}

/**
 * Encoded G2P pairs with their symbol tables: letters get ids from 1 (0 pads), phonemes from 3 (0 pads, 1 <bos>,
 * 2 <eos>). Build the tables from all entries, then `split` by word with a seeded generator.
 */
export class G2PData {
  /** Letter symbols, index = id (index 0 is '<pad>'). */
  readonly letters: readonly string[];
  /** Phoneme symbols, index = id (0 '<pad>', 1 '<bos>', 2 '<eos>'). */
  readonly phonemes: readonly string[];
  /** The entries, in order. */
  readonly entries: readonly Pronunciation[];
  private readonly letterId: Map<string, number>;
  private readonly phonemeId: Map<string, number>;

  /** Builds the symbol tables of `entries` (or takes `tables` from another G2PData, e.g. the training part). */
  constructor(entries: readonly Pronunciation[], tables?: { letters: readonly string[]; phonemes: readonly string[] }) {
    if (!Array.isArray(entries) || entries.length === 0) throw new ValueError(`G2PData: entries must be a non-empty array of {word, phonemes}, got ${Array.isArray(entries) ? 'an empty array' : typeof entries}`);
    this.entries = entries;
    this.letters = tables?.letters ?? ['<pad>', ...[...new Set(entries.flatMap((e) => [...e.word]))].sort()];
    this.phonemes = tables?.phonemes ?? ['<pad>', '<bos>', '<eos>', ...[...new Set(entries.flatMap((e) => e.phonemes))].sort()];
    this.letterId = new Map(this.letters.map((s, i) => [s, i]));
    this.phonemeId = new Map(this.phonemes.map((s, i) => [s, i]));
    entries.forEach((e, i) => {
      for (const c of e.word) if (!this.letterId.has(c)) throw new ValueError(`G2PData: entry ${i} ('${e.word}') has the letter '${c}' outside the symbol table`);
      for (const p of e.phonemes) if (!this.phonemeId.has(p)) throw new ValueError(`G2PData: entry ${i} ('${e.word}') has the phoneme '${p}' outside the symbol table`);
    });
  }

  /** Number of entries. */
  get length(): number {
    return this.entries.length;
  }

  /** Letter ids of a word (upper case); a ValueError names an unknown letter. */
  encodeWord(word: string): number[] {
    return [...word].map((c) => {
      const id = this.letterId.get(c);
      if (id === undefined) throw new ValueError(`G2PData.encodeWord: '${c}' in '${word}' is not one of the letters ${this.letters.slice(1).join('')}`);
      return id;
    });
  }

  /** Phoneme symbols of ids, stopping at <eos> and skipping <pad>/<bos>. */
  decodePhonemes(ids: readonly number[]): string[] {
    const out: string[] = [];
    for (const id of ids) {
      if (id === G2P_EOS) break;
      if (id > G2P_EOS && id < this.phonemes.length) out.push(this.phonemes[id]);
    }
    return out;
  }

  /**
   * A seeded split by word: `[train, test]` with `round(testFraction * length)` held-out entries, both sharing these
   * symbol tables and both in the seeded random order (so `head(n)` of a part is a random sample of it). The same
   * seed gives the same split.
   */
  split(testFraction: number, seed = 0): [G2PData, G2PData] {
    if (!(typeof testFraction === 'number' && testFraction > 0 && testFraction < 1)) throw new ValueError(`G2PData.split: testFraction must be in (0, 1), got ${String(testFraction)}`);
    const g = new Generator(seed);
    const order = randomPermutation(this.length, g);
    const nTest = Math.round(testFraction * this.length);
    if (nTest < 1 || nTest >= this.length) throw new ValueError(`G2PData.split: testFraction ${testFraction} of ${this.length} entries leaves an empty part`);
    const tables = { letters: this.letters, phonemes: this.phonemes };
    const pick = (idx: number[]): G2PData => new G2PData(idx.map((i) => this.entries[i]), tables);
    return [pick(order.slice(nTest)), pick(order.slice(0, nTest))];
  }

  /** The first `n` entries (a smaller training set with the same tables). */
  head(n: number): G2PData {
    if (!Number.isInteger(n) || n < 1) throw new ValueError(`G2PData.head: n must be a positive integer, got ${n}`);
    return new G2PData(this.entries.slice(0, n), { letters: this.letters, phonemes: this.phonemes });
  }

  /** The entries at `indices` as a padded batch (see G2PBatch). */
  batch(indices: ArrayLike<number>): G2PBatch {
    const b = indices.length;
    if (b < 1) throw new ShapeError('G2PData.batch: indices must not be empty, got 0');
    const src: number[][] = [];
    const refs: number[][] = [];
    for (let j = 0; j < b; j++) {
      checkIndex('G2PData.batch', indices[j], this.length);
      const e = this.entries[indices[j]];
      src.push(this.encodeWord(e.word));
      refs.push(e.phonemes.map((p) => this.phonemeId.get(p)!));
    }
    const Ls = Math.max(...src.map((s) => s.length));
    const Lt = Math.max(...refs.map((r) => r.length)) + 1;
    const s = new Int32Array(b * Ls);
    const ti = new Int32Array(b * Lt);
    const to = new Int32Array(b * Lt);
    for (let j = 0; j < b; j++) {
      s.set(src[j], j * Ls);
      ti.set([G2P_BOS, ...refs[j]], j * Lt);
      to.set([...refs[j], G2P_EOS], j * Lt);
    }
    return {
      source: tensor(s, { shape: [b, Ls], dtype: 'int32' }),
      sourceLengths: src.map((x) => x.length),
      targetIn: tensor(ti, { shape: [b, Lt], dtype: 'int32' }),
      targetOut: tensor(to, { shape: [b, Lt], dtype: 'int32' }),
      references: refs,
    };
  }

  /** The entries in batches of `batchSize`, in order or reshuffled each pass by `generator` (a loader for fitTask). */
  batches(batchSize: number, opts: { generator?: Generator } = {}): Iterable<G2PBatch> & { readonly length: number } {
    return indexBatches('G2PData.batches', this.length, batchSize, (idx) => this.batch(idx), opts.generator);
  }
}
