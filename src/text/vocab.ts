/**
 * Vocab: a token <-> index mapping built from token counts, as torchtext's build_vocab_from_iterator: special
 * tokens first (default `<unk>`, `<pad>`, `<bos>`, `<eos>`), then the tokens seen at least `minCount` times by
 * descending count (ties alphabetical), cut at `maxSize` entries in all. Unknown tokens encode to `<unk>`.
 * Serializes to JSON (`toJSON` / `Vocab.fromJSON`); a corrupt file raises DataError.
 * @module
 */
import { DataError, ValueError } from '../errors.js';

/** The special tokens a Vocab starts with unless told otherwise. */
export const DEFAULT_SPECIALS: readonly string[] = Object.freeze(['<unk>', '<pad>', '<bos>', '<eos>']);

/** Options of Vocab.build. */
export interface VocabOptions {
  /** Leave out tokens seen fewer times (default 1). */
  minCount?: number;
  /** At most this many entries, specials included (default: no limit). */
  maxSize?: number;
  /** Special tokens placed first, in this order (default `<unk>`, `<pad>`, `<bos>`, `<eos>`); [] for none. */
  specials?: readonly string[];
  /** The token unknown tokens map to (default '<unk>' when it is among the specials, else none: encoding one throws). */
  unkToken?: string | null;
}

/** Vocab's JSON form. */
export interface VocabJSON {
  /** Format tag. */
  format: 'shendu.vocab';
  /** Format version (1). */
  version: 1;
  /** The tokens, index order. */
  tokens: string[];
  /** Corpus counts, one per token (0 for specials). */
  counts: number[];
  /** How many leading tokens are specials. */
  numSpecials: number;
  /** The unknown token, or null. */
  unkToken: string | null;
}

function checkInt(where: string, name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ValueError(`${where}: ${name} must be an integer >= ${min}, got ${JSON.stringify(v) ?? String(v)}`);
  return v;
}

/** Token <-> index mapping. `vocab.encode(['call', 'me'])` gives their indices; `vocab.decode(ids)` the tokens. */
export class Vocab {
  /** The tokens in index order. */
  readonly tokens: readonly string[];
  /** Corpus count of each token (0 for specials). */
  readonly counts: readonly number[];
  /** How many leading entries are special tokens. */
  readonly numSpecials: number;
  /** The token unknown tokens encode to, or null (then encoding one throws). */
  readonly unkToken: string | null;
  private readonly index: Map<string, number>;

  /** A vocab of exactly these tokens (index order); counts default to 0. Duplicates throw. */
  constructor(tokens: readonly string[], opts: { counts?: readonly number[]; numSpecials?: number; unkToken?: string | null } = {}) {
    const where = 'Vocab';
    if (!Array.isArray(tokens) || tokens.some((t) => typeof t !== 'string')) throw new ValueError(`${where}: tokens must be an array of strings`);
    this.index = new Map();
    tokens.forEach((t, i) => {
      if (this.index.has(t)) throw new ValueError(`${where}: token ${JSON.stringify(t)} appears twice (indices ${this.index.get(t)} and ${i})`);
      this.index.set(t, i);
    });
    const counts = opts.counts ?? tokens.map(() => 0);
    if (counts.length !== tokens.length) throw new ValueError(`${where}: counts must have one entry per token (${tokens.length}), got ${counts.length}`);
    this.numSpecials = checkInt(where, 'numSpecials', opts.numSpecials ?? 0, 0);
    if (this.numSpecials > tokens.length) throw new ValueError(`${where}: numSpecials = ${this.numSpecials} exceeds the ${tokens.length} tokens`);
    const unk = opts.unkToken === undefined ? (this.index.has('<unk>') ? '<unk>' : null) : opts.unkToken;
    if (unk !== null && !this.index.has(unk)) throw new ValueError(`${where}: unkToken ${JSON.stringify(unk)} is not one of the tokens`);
    this.unkToken = unk;
    this.tokens = Object.freeze(tokens.slice());
    this.counts = Object.freeze(counts.slice());
  }

  /**
   * Counts the tokens of `corpus` (a list of tokens, or of token lists such as sentences) and keeps the specials,
   * then the tokens with count >= minCount by descending count, ties in alphabetical order, up to maxSize entries.
   */
  static build(corpus: Iterable<string | Iterable<string>>, opts: VocabOptions = {}): Vocab {
    const where = 'Vocab.build';
    const minCount = checkInt(where, 'minCount', opts.minCount ?? 1, 1);
    const maxSize = opts.maxSize === undefined ? Infinity : checkInt(where, 'maxSize', opts.maxSize, 1);
    const specials = opts.specials ?? DEFAULT_SPECIALS;
    if (!Array.isArray(specials) || specials.some((s) => typeof s !== 'string')) throw new ValueError(`${where}: specials must be an array of strings`);
    if (specials.length > maxSize) throw new ValueError(`${where}: maxSize = ${maxSize} is smaller than the ${specials.length} specials`);
    const counts = countTokens(where, corpus);
    for (const s of specials) counts.delete(s);
    const kept = [...counts].filter(([, c]) => c >= minCount);
    kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const room = Math.min(kept.length, maxSize - specials.length);
    const tokens = [...specials, ...kept.slice(0, room).map((e) => e[0])];
    const cs = [...specials.map(() => 0), ...kept.slice(0, room).map((e) => e[1])];
    const unk = opts.unkToken === undefined ? (specials.includes('<unk>') ? '<unk>' : null) : opts.unkToken;
    return new Vocab(tokens, { counts: cs, numSpecials: specials.length, unkToken: unk });
  }

  /** Number of entries. */
  get length(): number {
    return this.tokens.length;
  }

  /** Whether `token` has an entry. */
  has(token: string): boolean {
    return this.index.has(token);
  }

  /** The index of `token`, the unknown token's for an unknown one (ValueError without an unknown token). */
  indexOf(token: string): number {
    const i = this.index.get(token);
    if (i !== undefined) return i;
    if (this.unkToken === null) throw new ValueError(`Vocab.indexOf: token ${JSON.stringify(token)} is not in the vocab and the vocab has no unkToken`);
    return this.index.get(this.unkToken) as number;
  }

  /** The token at index `i`. */
  tokenAt(i: number): string {
    if (!Number.isInteger(i) || i < 0 || i >= this.tokens.length) throw new ValueError(`Vocab.tokenAt: index must be an integer in [0, ${this.tokens.length}), got ${i}`);
    return this.tokens[i];
  }

  /** The indices of `tokens` ([L] tokens to [L] indices), optionally wrapped in `<bos>` ... `<eos>`. */
  encode(tokens: readonly string[], opts: { bos?: boolean; eos?: boolean } = {}): number[] {
    if (!Array.isArray(tokens)) throw new ValueError(`Vocab.encode: tokens must be an array of strings, got ${typeof tokens}`);
    const ids = tokens.map((t) => this.indexOf(t));
    if (opts.bos) ids.unshift(this.specialIndex('Vocab.encode', '<bos>'));
    if (opts.eos) ids.push(this.specialIndex('Vocab.encode', '<eos>'));
    return ids;
  }

  /** The tokens of `ids`; with `skipSpecials`, the special tokens are left out. */
  decode(ids: Iterable<number>, opts: { skipSpecials?: boolean } = {}): string[] {
    const out: string[] = [];
    for (const i of ids) {
      const t = this.tokenAt(Number(i));
      if (!(opts.skipSpecials && Number(i) < this.numSpecials)) out.push(t);
    }
    return out;
  }

  private specialIndex(where: string, token: string): number {
    const i = this.index.get(token);
    if (i === undefined) throw new ValueError(`${where}: the vocab has no ${token} token`);
    return i;
  }

  /** The JSON form (an object; `JSON.stringify(vocab)` writes it). */
  toJSON(): VocabJSON {
    return { format: 'shendu.vocab', version: 1, tokens: this.tokens.slice(), counts: this.counts.slice(), numSpecials: this.numSpecials, unkToken: this.unkToken };
  }

  /** A vocab from its JSON text or parsed object; `source` names the file in errors. Throws DataError on anything malformed. */
  static fromJSON(json: string | unknown, source = 'vocab JSON'): Vocab {
    const where = `Vocab.fromJSON (${source})`;
    let obj: unknown = json;
    if (typeof json === 'string') {
      try {
        obj = JSON.parse(json);
      } catch (e) {
        throw new DataError(`${where}: not valid JSON (${(e as Error).message})`);
      }
    }
    const o = obj as Partial<VocabJSON> | null;
    if (typeof o !== 'object' || o === null || o.format !== 'shendu.vocab') throw new DataError(`${where}: expected an object with format 'shendu.vocab', got ${o === null ? 'null' : typeof o === 'object' ? `format ${JSON.stringify(o.format)}` : typeof o}`);
    if (o.version !== 1) throw new DataError(`${where}: unsupported version ${JSON.stringify(o.version)} (this reader knows version 1)`);
    const { tokens, counts, numSpecials, unkToken } = o;
    if (!Array.isArray(tokens) || tokens.some((t) => typeof t !== 'string')) throw new DataError(`${where}: tokens must be an array of strings`);
    if (!Array.isArray(counts) || counts.length !== tokens.length || counts.some((c) => !Number.isInteger(c) || c < 0)) {
      throw new DataError(`${where}: counts must be ${tokens.length} non-negative integers, one per token`);
    }
    if (!Number.isInteger(numSpecials) || (numSpecials as number) < 0 || (numSpecials as number) > tokens.length) throw new DataError(`${where}: numSpecials must be an integer in [0, ${tokens.length}], got ${JSON.stringify(numSpecials)}`);
    if (unkToken !== null && (typeof unkToken !== 'string' || !tokens.includes(unkToken))) throw new DataError(`${where}: unkToken must be null or one of the tokens, got ${JSON.stringify(unkToken)}`);
    if (new Set(tokens).size !== tokens.length) throw new DataError(`${where}: tokens must be distinct`);
    return new Vocab(tokens, { counts, numSpecials, unkToken });
  }
}

/** Token -> count over a flat token list or a list of token lists (insertion order = first appearance). */
export function countTokens(where: string, corpus: Iterable<string | Iterable<string>>): Map<string, number> {
  const counts = new Map<string, number>();
  if (corpus === null || typeof (corpus as Iterable<unknown>)[Symbol.iterator] !== 'function') throw new ValueError(`${where}: corpus must be an iterable of tokens or of token lists`);
  const add = (t: unknown) => {
    if (typeof t !== 'string') throw new ValueError(`${where}: tokens must be strings, got ${typeof t}`);
    counts.set(t, (counts.get(t) ?? 0) + 1);
  };
  for (const item of corpus) {
    if (typeof item === 'string') add(item);
    else if (item !== null && typeof (item as Iterable<unknown>)[Symbol.iterator] === 'function') for (const t of item) add(t);
    else throw new ValueError(`${where}: corpus items must be tokens or token lists, got ${item === null ? 'null' : typeof item}`);
  }
  return counts;
}
