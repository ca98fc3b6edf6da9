/**
 * The inner loops of word2vec with negative sampling, as word2vec.c and gensim's word2vec_inner.pyx run them:
 * plain loops over Float32Arrays (no tensors, no autograd), a 48-bit linear congruential generator for the
 * negative draws, subsampling and reduced windows, the unigram^0.75 cumulative table searched by bisection,
 * and the sigmoid read from a 1000-entry table over [-6, 6] (dot products outside that range are skipped).
 * @module
 */
import type { Word2VecEpochState } from '../backend/host-word2vec.js';

/** Sigmoid table size and range, word2vec.c's EXP_TABLE_SIZE and MAX_EXP. */
const EXP_TABLE_SIZE = 1000;
const MAX_EXP = 6;
const EXP_SCALE = EXP_TABLE_SIZE / MAX_EXP / 2;

/** sigmoid((i / EXP_TABLE_SIZE * 2 - 1) * MAX_EXP), float32 as in word2vec.c. */
export const SIGMOID_TABLE: Float32Array = (() => {
  const t = new Float32Array(EXP_TABLE_SIZE);
  for (let i = 0; i < EXP_TABLE_SIZE; i++) {
    const e = Math.exp((i / EXP_TABLE_SIZE * 2 - 1) * MAX_EXP);
    t[i] = e / (e + 1);
  }
  return t;
})();

const TWO24 = 16777216;
const INV24 = 1 / TWO24;
const A_HI = 0x5de; // 25214903917 = 0x5DE * 2^24 + 0xECE66D
const A_LO = 0xece66d;

/**
 * word2vec's generator: next = (next * 25214903917 + 11) mod 2^48, kept as two 24-bit halves so that every
 * product stays exact in double arithmetic. `draw()` returns next >> 16 (a 32-bit value) and steps.
 */
export class Lcg48 {
  /** The state's high 24 bits (state = hi * 2^24 + lo); public so a native runner can carry the stream on. */
  hi: number;
  /** The state's low 24 bits. */
  lo: number;

  /** Starts from the 48-bit state hi * 2^24 + lo (gensim seeds it with two 24-bit draws of the model's RNG). */
  constructor(hi: number, lo: number) {
    this.hi = hi % TWO24;
    this.lo = lo % TWO24;
  }

  /** next_random >> 16, then steps the state (gensim's random_int32). */
  draw(): number {
    const out = this.hi * 256 + (this.lo >>> 16);
    // exact in doubles: p < 2^48, q < 2^49; remainders by floor, as a double % is a slow library call
    const p = A_LO * this.lo + 11;
    const carry = Math.floor(p * INV24);
    const q = A_HI * this.lo + A_LO * this.hi + carry;
    this.lo = p - carry * TWO24;
    this.hi = q - Math.floor(q * INV24) * TWO24;
    return out;
  }
}

/**
 * Everything a training job reads and writes: the vectors, tables and settings an epoch runner of a backend reads
 * too (src/backend/host-word2vec.ts), with the generator and the scratch arrays.
 */
export interface TrainState extends Pick<Word2VecEpochState, 'syn0' | 'syn1neg' | 'size' | 'window' | 'negative' | 'cumTable' | 'guide'
  | 'sampleInt' | 'sample'> {
  /** The generator. */
  rng: Lcg48;
  /** Scratch [size]. */
  work: Float32Array;
  /** Scratch [size] (CBOW's hidden layer). */
  neu1: Float32Array;
  /** Scratch [negative + 1]: the rows of one pair (target first, then the negatives). */
  rows: Int32Array;
  /** Kept word indices of the job, reused. */
  kept: Int32Array;
}

/** Bits of a draw (< 2^31) that pick a bucket of the guide table. */
const GUIDE_SHIFT = 15;

/**
 * The guide of a cumulative table: guide[b] = the first index whose entry is >= b * 2^GUIDE_SHIFT, so a search
 * for x starts at guide[x >> GUIDE_SHIFT] and scans a few entries: the same answer as bisection, in O(1).
 */
export function guideTable(cum: Uint32Array): Int32Array {
  const buckets = Math.floor(cum[cum.length - 1] / 2 ** GUIDE_SHIFT) + 1;
  const guide = new Int32Array(buckets);
  let t = 0;
  for (let b = 0; b < buckets; b++) {
    while (t < cum.length - 1 && cum[t] < b * 2 ** GUIDE_SHIFT) t++;
    guide[b] = t;
  }
  return guide;
}

/** r mod last for a 32-bit r: integer arithmetic when last is 2^31 - 1 (always, for gensim's table), else by floor. */
function modLast(r: number, last: number): number {
  if (last !== 0x7fffffff) return r - Math.floor(r / last) * last;
  // 2^31 = 1 (mod 2^31 - 1)
  const x = (r >>> 31) + (r & 0x7fffffff);
  return x >= 0x7fffffff ? x - 0x7fffffff : x;
}

/** bisect_left(cum, x) through the guide table. */
function searchCum(cum: Uint32Array, guide: Int32Array, x: number): number {
  let t = guide[x >>> GUIDE_SHIFT];
  while (cum[t] < x) t++;
  return t;
}

/** The first index i with a[i] >= x (Python's bisect_left), the reference of searchCum. */
export function bisectLeft(a: Uint32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Negative sampling for one (input vector l1, target word) pair: for the target (label 1) and `negative` words
 * drawn from the unigram table (label 0; a draw equal to the target is skipped), g = (label - sigmoid(l1 . v)) * alpha,
 * work += g v, v += g l1. The caller adds `work` to the input vector(s). The draws do not depend on the vectors,
 * so all are drawn first; when the rows are distinct (nearly always) each row's update touches only that row,
 * and the six rows of the default negative = 5 go through one fused pass (same results as one row after the
 * other, up to the order in which `work` is summed). With `direct` (skip-gram) the error is added to l1 itself
 * at the end; otherwise it is left in `work` for the caller (CBOW spreads it over the window).
 */
function negativeSampling(s: TrainState, l1: Float32Array, l1Off: number, target: number, alpha: number, direct: boolean): void {
  const { cumTable, rng, rows, work } = s;
  const last = cumTable[cumTable.length - 1];
  rows[0] = target;
  let n = 1;
  for (let d = 1; d <= s.negative; d++) {
    const t = searchCum(cumTable, s.guide, modLast(rng.draw(), last));
    if (t !== target) rows[n++] = t;
  }
  if (n === 6 && distinct6(rows)) {
    if (!direct) work.fill(0);
    fused6(s, l1, l1Off, alpha, direct);
    return;
  }
  work.fill(0);
  for (let d = 0; d < n; d++) oneRow(s, l1, l1Off, rows[d], d === 0 ? 1 : 0, alpha);
  if (direct) for (let k = 0; k < s.size; k++) l1[l1Off + k] += work[k];
}

function distinct6(r: Int32Array): boolean {
  for (let i = 1; i < 6; i++) for (let j = 0; j < i; j++) if (r[i] === r[j]) return false;
  return true;
}

/** g of a row from its dot product: 0 outside (-MAX_EXP, MAX_EXP), where word2vec skips the row. */
function gain(dot: number, label: number, alpha: number): number {
  if (dot <= -MAX_EXP || dot >= MAX_EXP) return 0;
  return (label - SIGMOID_TABLE[Math.floor((dot + MAX_EXP) * EXP_SCALE)]) * alpha;
}

/** The update of one output row with the given label. */
function oneRow(s: TrainState, l1: Float32Array, l1Off: number, t: number, label: number, alpha: number): void {
  const { syn1neg, size, work } = s;
  const row = t * size;
  // four partial sums break the addition chain (the loop is latency-bound otherwise)
  let d0 = 0;
  let d1 = 0;
  let d2 = 0;
  let d3 = 0;
  let k = 0;
  for (; k + 3 < size; k += 4) {
    d0 += l1[l1Off + k] * syn1neg[row + k];
    d1 += l1[l1Off + k + 1] * syn1neg[row + k + 1];
    d2 += l1[l1Off + k + 2] * syn1neg[row + k + 2];
    d3 += l1[l1Off + k + 3] * syn1neg[row + k + 3];
  }
  for (; k < size; k++) d0 += l1[l1Off + k] * syn1neg[row + k];
  const dot = d0 + d1 + (d2 + d3);
  if (dot <= -MAX_EXP || dot >= MAX_EXP) return;
  const g = gain(dot, label, alpha);
  // one load of each element: the arrays may share a buffer, so the engine cannot reuse loads across stores
  for (k = 0; k < size; k++) {
    const v = syn1neg[row + k];
    work[k] += g * v;
    syn1neg[row + k] = v + g * l1[l1Off + k];
  }
}

/**
 * The target row (label 1) and five distinct negative rows in one pass: l1[k] is read once for all six. The
 * second pass reads l1[k] before it adds to it, so with `direct` the error goes straight into l1.
 */
function fused6(s: TrainState, l1: Float32Array, l1Off: number, alpha: number, direct: boolean): void {
  const { syn1neg, size, work, rows } = s;
  const r0 = rows[0] * size;
  const r1 = rows[1] * size;
  const r2 = rows[2] * size;
  const r3 = rows[3] * size;
  const r4 = rows[4] * size;
  const r5 = rows[5] * size;
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let a4 = 0;
  let a5 = 0;
  for (let k = 0; k < size; k++) {
    const x = l1[l1Off + k];
    a0 += x * syn1neg[r0 + k];
    a1 += x * syn1neg[r1 + k];
    a2 += x * syn1neg[r2 + k];
    a3 += x * syn1neg[r3 + k];
    a4 += x * syn1neg[r4 + k];
    a5 += x * syn1neg[r5 + k];
  }
  const g0 = gain(a0, 1, alpha);
  const g1 = gain(a1, 0, alpha);
  const g2 = gain(a2, 0, alpha);
  const g3 = gain(a3, 0, alpha);
  const g4 = gain(a4, 0, alpha);
  const g5 = gain(a5, 0, alpha);
  // the error goes to `out` at offset `o`: l1 itself (direct) or the work buffer
  const out = direct ? l1 : work;
  const o = direct ? l1Off : 0;
  for (let k = 0; k < size; k++) {
    const x = l1[l1Off + k];
    const v0 = syn1neg[r0 + k];
    const v1 = syn1neg[r1 + k];
    const v2 = syn1neg[r2 + k];
    const v3 = syn1neg[r3 + k];
    const v4 = syn1neg[r4 + k];
    const v5 = syn1neg[r5 + k];
    out[o + k] += g0 * v0 + g1 * v1 + g2 * v2 + g3 * v3 + g4 * v4 + g5 * v5;
    syn1neg[r0 + k] = v0 + g0 * x;
    syn1neg[r1 + k] = v1 + g1 * x;
    syn1neg[r2 + k] = v2 + g2 * x;
    syn1neg[r3 + k] = v3 + g3 * x;
    syn1neg[r4 + k] = v4 + g4 * x;
    syn1neg[r5 + k] = v5 + g5 * x;
  }
}

/** Keeps a sentence's words that survive subsampling (gensim's random_int32 test); returns how many. */
function subsample(s: TrainState, words: Int32Array, start: number, end: number): number {
  const kept = s.kept;
  let n = 0;
  for (let i = start; i < end; i++) {
    const w = words[i];
    if (s.sample && s.sampleInt[w] < s.rng.draw()) continue;
    kept[n++] = w;
  }
  return n;
}

/**
 * Trains skip-gram on one sentence (indices words[start:end]) at learning rate alpha: for every kept word i and
 * every other word j within i's reduced window, word j's vector learns to predict word i (word2vec.c's order).
 * Returns the number of words kept after subsampling.
 */
export function trainSentenceSg(s: TrainState, words: Int32Array, start: number, end: number, alpha: number): number {
  const n = subsample(s, words, start, end);
  const { kept, syn0, size, window } = s;
  for (let i = 0; i < n; i++) {
    const r = s.rng.draw();
    const b = r - Math.floor(r / window) * window;
    const lo = Math.max(0, i - window + b);
    const hi = Math.min(n, i + window + 1 - b);
    for (let j = lo; j < hi; j++) {
      if (j === i) continue;
      negativeSampling(s, syn0, kept[j] * size, kept[i], alpha, true);
    }
  }
  return n;
}

/**
 * Trains CBOW on one sentence: the mean (cbowMean) or sum of the context vectors in the reduced window predicts
 * the centre word; the error goes back to every context vector (divided by the count for the sum, as gensim).
 */
export function trainSentenceCbow(s: TrainState, words: Int32Array, start: number, end: number, alpha: number, cbowMean: boolean): number {
  const n = subsample(s, words, start, end);
  const { kept, syn0, size, work, neu1, window } = s;
  for (let i = 0; i < n; i++) {
    const r = s.rng.draw();
    const b = r - Math.floor(r / window) * window;
    const lo = Math.max(0, i - window + b);
    const hi = Math.min(n, i + window + 1 - b);
    neu1.fill(0);
    let count = 0;
    for (let m = lo; m < hi; m++) {
      if (m === i) continue;
      count++;
      const row = kept[m] * size;
      for (let k = 0; k < size; k++) neu1[k] += syn0[row + k];
    }
    const inv = count > 0 ? 1 / count : 1;
    if (cbowMean) for (let k = 0; k < size; k++) neu1[k] *= inv;
    negativeSampling(s, neu1, 0, kept[i], alpha, false);
    if (!cbowMean) for (let k = 0; k < size; k++) work[k] *= inv;
    for (let m = lo; m < hi; m++) {
      if (m === i) continue;
      const row = kept[m] * size;
      for (let k = 0; k < size; k++) syn0[row + k] += work[k];
    }
  }
  return n;
}
