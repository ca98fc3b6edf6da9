/**
 * WordVectors: words with one float32 vector each (what word2vec learns; gensim's KeyedVectors): lookup,
 * cosine nearest neighbours, analogies (a - b + c), and the word2vec text format (`.vec`: a header line
 * "count size", then one line "word v1 v2 ... v_size" per word) for export and import.
 * @module
 */
import { DataError, ValueError } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';

/** One neighbour: a word and its cosine similarity to the query. */
export interface Neighbour {
  /** The word. */
  word: string;
  /** Cosine similarity in [-1, 1]. */
  similarity: number;
}

/** A query of mostSimilar: words whose unit vectors are added (`positive`) or subtracted (`negative`). */
export interface SimilarityQuery {
  /** Words added. */
  positive?: readonly string[];
  /** Words subtracted. */
  negative?: readonly string[];
}

/** Words and their vectors: `vectors` holds word i's vector at [i * size, (i + 1) * size). */
export class WordVectors {
  /** The words, index order. */
  readonly words: readonly string[];
  /** Dimensions per vector. */
  readonly size: number;
  /** All vectors, row-major [words.length, size]. */
  readonly vectors: Float32Array;
  private readonly index: Map<string, number>;
  private unit: Float32Array | null = null;

  /** Wraps `vectors` ([words.length * size], not copied) as the vectors of `words`. */
  constructor(words: readonly string[], vectors: Float32Array, size: number) {
    if (!Number.isInteger(size) || size < 1) throw new ValueError(`WordVectors: size must be a positive integer, got ${size}`);
    if (!(vectors instanceof Float32Array) || vectors.length !== words.length * size) {
      throw new ValueError(`WordVectors: vectors must be a Float32Array of words.length * size = ${words.length * size} numbers, got ${vectors instanceof Float32Array ? vectors.length : typeof vectors}`);
    }
    this.words = words;
    this.size = size;
    this.vectors = vectors;
    this.index = new Map(words.map((w, i) => [w, i]));
    if (this.index.size !== words.length) throw new ValueError('WordVectors: words must be distinct');
  }

  /** Number of words. */
  get length(): number {
    return this.words.length;
  }

  /** Whether `word` has a vector. */
  has(word: string): boolean {
    return this.index.has(word);
  }

  /** The index of `word` (ValueError naming `where` when it has no vector). */
  indexOf(word: string, where = 'WordVectors.indexOf'): number {
    const i = this.index.get(word);
    if (i === undefined) throw new ValueError(`${where}: word ${JSON.stringify(word)} is not in the vocabulary (${this.words.length} words)`);
    return i;
  }

  /** A copy of `word`'s vector [size]. */
  vector(word: string): Float32Array {
    const i = this.indexOf(word, 'WordVectors.vector');
    return this.vectors.slice(i * this.size, (i + 1) * this.size);
  }

  /** The vectors of `words` as a float32 tensor [words.length, size] (all words when omitted). */
  toTensor(words?: readonly string[]): Tensor {
    if (words === undefined) return tensor(this.vectors.slice(), { shape: [this.length, this.size] });
    const out = new Float32Array(words.length * this.size);
    words.forEach((w, k) => {
      const i = this.indexOf(w, 'WordVectors.toTensor');
      out.set(this.vectors.subarray(i * this.size, (i + 1) * this.size), k * this.size);
    });
    return tensor(out, { shape: [words.length, this.size] });
  }

  /** The vectors scaled to unit length (cached; call `invalidate()` after changing `vectors`). */
  unitVectors(): Float32Array {
    if (this.unit) return this.unit;
    const n = this.size;
    const u = new Float32Array(this.vectors.length);
    for (let i = 0; i < this.length; i++) {
      let s = 0;
      for (let d = 0; d < n; d++) s += this.vectors[i * n + d] ** 2;
      const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (let d = 0; d < n; d++) u[i * n + d] = this.vectors[i * n + d] * inv;
    }
    return (this.unit = u);
  }

  /** Drops the cached unit vectors (after the vectors changed, e.g. by more training). */
  invalidate(): void {
    this.unit = null;
  }

  /** Cosine similarity of two words' vectors. */
  similarity(a: string, b: string): number {
    const u = this.unitVectors();
    const [i, j] = [this.indexOf(a, 'WordVectors.similarity'), this.indexOf(b, 'WordVectors.similarity')];
    let s = 0;
    for (let d = 0; d < this.size; d++) s += u[i * this.size + d] * u[j * this.size + d];
    return s;
  }

  /**
   * The `k` words most cosine-similar to `query` (a word, or positive/negative words whose unit vectors are
   * summed with weight +1/-1, as gensim's most_similar), best first, leaving out the query words themselves.
   */
  mostSimilar(query: string | SimilarityQuery, k = 10): Neighbour[] {
    const where = 'WordVectors.mostSimilar';
    if (!Number.isInteger(k) || k < 1) throw new ValueError(`${where}: k must be a positive integer, got ${k}`);
    const q = typeof query === 'string' ? { positive: [query], negative: [] } : { positive: query?.positive ?? [], negative: query?.negative ?? [] };
    if (q.positive.length + q.negative.length === 0) throw new ValueError(`${where}: the query needs at least one word`);
    const n = this.size;
    const u = this.unitVectors();
    const mean = new Float64Array(n);
    const skip = new Set<number>();
    for (const [words, sign] of [[q.positive, 1], [q.negative, -1]] as const) {
      for (const w of words) {
        const i = this.indexOf(w, where);
        skip.add(i);
        for (let d = 0; d < n; d++) mean[d] += sign * u[i * n + d];
      }
    }
    let norm = 0;
    for (let d = 0; d < n; d++) norm += mean[d] ** 2;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    const best: Neighbour[] = [];
    for (let i = 0; i < this.length; i++) {
      if (skip.has(i)) continue;
      let s = 0;
      for (let d = 0; d < n; d++) s += u[i * n + d] * mean[d];
      s *= inv;
      if (best.length === k && s <= best[k - 1].similarity) continue;
      let at = best.length < k ? best.length : k - 1;
      while (at > 0 && best[at - 1].similarity < s) at--;
      best.splice(at, 0, { word: this.words[i], similarity: s });
      if (best.length > k) best.pop();
    }
    return best;
  }

  /** The words closest to a - b + c ("b is to a as c is to ?": analogy('king', 'man', 'woman') ~ 'queen'). */
  analogy(a: string, b: string, c: string, k = 1): Neighbour[] {
    return this.mostSimilar({ positive: [a, c], negative: [b] }, k);
  }

  /** The word2vec text format: "count size" then "word v1 ... v_size" per line; each value the shortest decimal that reads back as the same float32. */
  toVec(): string {
    const lines = [`${this.length} ${this.size}`];
    for (let i = 0; i < this.length; i++) {
      const parts = [this.words[i]];
      for (let d = 0; d < this.size; d++) parts.push(shortestFloat32(this.vectors[i * this.size + d]));
      lines.push(parts.join(' '));
    }
    return lines.join('\n') + '\n';
  }

  /** Reads the word2vec text format (`.vec`); `source` names the file in errors. Throws DataError on a malformed file. */
  static fromVec(text: string, source = '.vec text'): WordVectors {
    const where = `WordVectors.fromVec (${source})`;
    if (typeof text !== 'string') throw new DataError(`${where}: expected the file's text, got ${typeof text}`);
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const header = (lines[0] ?? '').trim().split(/\s+/).map(Number);
    if (header.length !== 2 || !header.every((v) => Number.isInteger(v) && v >= 0) || header[1] < 1) {
      throw new DataError(`${where}: line 1 must be "count size" (two integers, size >= 1), got ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`);
    }
    const [count, size] = header;
    if (lines.length - 1 !== count) throw new DataError(`${where}: the header announces ${count} words but ${lines.length - 1} lines follow`);
    const words: string[] = [];
    const vectors = new Float32Array(count * size);
    const seen = new Set<string>();
    for (let i = 0; i < count; i++) {
      const parts = lines[i + 1].trimEnd().split(' ');
      if (parts.length !== size + 1) throw new DataError(`${where}: line ${i + 2} must hold a word and ${size} numbers, got ${parts.length - 1} fields after the word`);
      const w = parts[0];
      if (w === '' || seen.has(w)) throw new DataError(`${where}: line ${i + 2}: ${w === '' ? 'empty word' : `word ${JSON.stringify(w)} appears twice`}`);
      seen.add(w);
      words.push(w);
      for (let d = 0; d < size; d++) {
        const v = Number(parts[d + 1]);
        if (parts[d + 1] === '' || !Number.isFinite(v)) throw new DataError(`${where}: line ${i + 2}: value ${d + 1} of ${JSON.stringify(w)} is not a finite number: ${JSON.stringify(parts[d + 1])}`);
        vectors[i * size + d] = v;
      }
    }
    return new WordVectors(words, vectors, size);
  }
}

/** The shortest decimal string that parses back to the float32 `v`. */
export function shortestFloat32(v: number): string {
  const f = Math.fround(v);
  for (let p = 1; p < 9; p++) {
    const s = f.toPrecision(p);
    if (Math.fround(Number(s)) === f) return String(Number(s));
  }
  return String(Number(f.toPrecision(9)));
}
