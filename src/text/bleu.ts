/**
 * BLEU (Papineni, Roukos, Ward & Zhu, BLEU: a Method for Automatic Evaluation of Machine Translation, ACL 2002), the
 * score of captioners and translators: the geometric mean of clipped ("modified") n-gram precisions, n = 1..4 by
 * default, times the brevity penalty BP = 1 if c > r else exp(1 - r / c), where c is the total hypothesis length and
 * r the total of each hypothesis's closest reference length (ties to the shorter, the paper's "best match length").
 * Corpus BLEU sums the clipped matches and the n-gram counts over all sentences before dividing (micro average);
 * sentence BLEU is corpus BLEU of one pair.
 *
 * Checked against NLTK 3.8's `corpus_bleu` / `sentence_bleu` (Debian's python3-nltk; tools/make_bleu_fixtures.py
 * writes test/fixtures/bleu.json, including NLTK's published worked example, 0.5920...), on hypotheses of at least
 * `weights.length` tokens. One difference, by design: NLTK counts max(1, n-grams) in each sentence's denominator, so
 * a hypothesis shorter than n adds one phantom n-gram; here (as in the paper and sacrebleu) it adds none. That case
 * is checked by hand-computed values in the tests.
 * @module
 */
import { ValueError } from '../errors.js';

/** A token sequence: words or token ids. */
export type BleuTokens = readonly (string | number)[];

/** Options of `corpusBleu` and `sentenceBleu`. */
export interface BleuOptions {
  /** Weights of the log n-gram precisions, n = 1..weights.length (default [0.25, 0.25, 0.25, 0.25]: BLEU-4). */
  weights?: readonly number[];
  /**
   * What an order without any clipped match contributes: 'none' (default, the paper's BLEU: the score is 0) or
   * 'epsilon' (NLTK's smoothing method 1: precision epsilon / max(1, n-gram count), for sentence-level scores).
   */
  smoothing?: 'none' | 'epsilon';
  /** The epsilon of 'epsilon' smoothing (default 0.1, NLTK's). */
  epsilon?: number;
}

/** The parts of a BLEU score: the score, its n-gram precisions, brevity penalty and lengths. */
export interface BleuResult {
  /** BP * exp(sum_n w_n log p_n), in [0, 1]. */
  bleu: number;
  /** The modified precision of each order n = 1..N (NaN for an order with no hypothesis n-gram). */
  precisions: number[];
  /** Clipped matches of each order, summed over the corpus. */
  matches: number[];
  /** Hypothesis n-grams of each order, summed over the corpus. */
  totals: number[];
  /** The brevity penalty. */
  brevityPenalty: number;
  /** Total hypothesis length c. */
  hypothesisLength: number;
  /** Total closest reference length r. */
  referenceLength: number;
}

function checkTokens(op: string, what: string, s: unknown): BleuTokens {
  if (!Array.isArray(s) || s.some((t) => typeof t !== 'string' && typeof t !== 'number')) {
    throw new ValueError(`${op}: ${what} must be an array of tokens (strings or numbers), got ${s === null ? 'null' : Array.isArray(s) ? 'an array with a non-token entry' : typeof s}`);
  }
  return s;
}

function ngramCounts(tokens: BleuTokens, n: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    // a separator no token contains keeps ['a b'] and ['a', 'b'] apart; numbers and strings stay apart by type tag
    const key = tokens.slice(i, i + n).map((t) => (typeof t === 'number' ? `#${t}` : `'${t}`)).join('\u0000');
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  return m;
}

function checkOptions(op: string, opts: BleuOptions): { weights: number[]; smoothing: 'none' | 'epsilon'; epsilon: number } {
  if (opts === null || typeof opts !== 'object') throw new ValueError(`${op}: options must be an object, got ${opts === null ? 'null' : typeof opts}`);
  const weights = opts.weights ?? [0.25, 0.25, 0.25, 0.25];
  if (!Array.isArray(weights) || weights.length === 0 || weights.some((w) => typeof w !== 'number' || !Number.isFinite(w) || w < 0)) {
    throw new ValueError(`${op}: weights must be a non-empty array of finite numbers >= 0, got ${JSON.stringify(weights)}`);
  }
  const smoothing = opts.smoothing ?? 'none';
  if (smoothing !== 'none' && smoothing !== 'epsilon') throw new ValueError(`${op}: smoothing must be 'none' or 'epsilon', got ${JSON.stringify(smoothing)}`);
  const epsilon = opts.epsilon ?? 0.1;
  if (!(typeof epsilon === 'number' && epsilon > 0 && epsilon <= 1)) throw new ValueError(`${op}: epsilon must be in (0, 1], got ${String(epsilon)}`);
  return { weights: [...weights], smoothing, epsilon };
}

/**
 * Corpus BLEU of `hypotheses[i]` against the references `references[i]` (one or more token sequences each), with
 * its parts. Throws ValueError for mismatched counts, an empty corpus, a hypothesis without references, or tokens
 * that are not strings or numbers.
 */
export function bleuScore(references: readonly (readonly BleuTokens[])[], hypotheses: readonly BleuTokens[], opts: BleuOptions = {}, op = 'corpusBleu'): BleuResult {
  const { weights, smoothing, epsilon } = checkOptions(op, opts);
  if (!Array.isArray(hypotheses)) throw new ValueError(`${op}: hypotheses must be an array of token arrays, got ${hypotheses === null ? 'null' : typeof hypotheses}`);
  if (!Array.isArray(references)) throw new ValueError(`${op}: references must be an array (one list of references per hypothesis), got ${references === null ? 'null' : typeof references}`);
  if (references.length !== hypotheses.length) throw new ValueError(`${op}: ${hypotheses.length} hypotheses but ${references.length} reference lists; give one list per hypothesis`);
  if (hypotheses.length === 0) throw new ValueError(`${op}: the corpus is empty (0 hypotheses)`);
  const N = weights.length;
  const matches = new Array<number>(N).fill(0);
  const totals = new Array<number>(N).fill(0);
  let c = 0;
  let r = 0;
  hypotheses.forEach((h, i) => {
    const hyp = checkTokens(op, `hypotheses[${i}]`, h);
    const refs = references[i];
    if (!Array.isArray(refs) || refs.length === 0) throw new ValueError(`${op}: references[${i}] must be a non-empty array of reference token arrays, got ${Array.isArray(refs) ? 'an empty array' : refs === null ? 'null' : typeof refs}`);
    refs.forEach((ref, j) => checkTokens(op, `references[${i}][${j}]`, ref));
    for (let n = 1; n <= N; n++) {
      const counts = ngramCounts(hyp, n);
      // clip each n-gram's count by the most times any one reference holds it
      const maxRef = new Map<string, number>();
      for (const ref of refs) for (const [k, v] of ngramCounts(ref, n)) if (counts.has(k) && v > (maxRef.get(k) ?? 0)) maxRef.set(k, v);
      for (const [k, v] of counts) {
        matches[n - 1] += Math.min(v, maxRef.get(k) ?? 0);
        totals[n - 1] += v;
      }
    }
    c += hyp.length;
    let best = refs[0].length;
    for (const ref of refs) {
      const d = Math.abs(ref.length - hyp.length);
      const bd = Math.abs(best - hyp.length);
      if (d < bd || (d === bd && ref.length < best)) best = ref.length;
    }
    r += best;
  });
  const brevityPenalty = c > r ? 1 : c === 0 ? 0 : Math.exp(1 - r / c);
  const precisions = matches.map((m, n) => (totals[n] > 0 ? m / totals[n] : Number.NaN));
  let logSum = 0;
  let zero = matches[0] === 0;
  for (let n = 0; n < N && !zero; n++) {
    if (weights[n] === 0) continue;
    let p = precisions[n];
    if (matches[n] === 0) {
      if (smoothing === 'none') zero = true;
      p = epsilon / Math.max(1, totals[n]);
    }
    logSum += weights[n] * Math.log(p);
  }
  const bleu = zero ? 0 : brevityPenalty * Math.exp(logSum);
  return { bleu, precisions, matches, totals, brevityPenalty, hypothesisLength: c, referenceLength: r };
}

/**
 * Corpus BLEU (BLEU-4 by default) of `hypotheses` against `references` (references[i]: the reference token
 * sequences of hypothesis i), in [0, 1]; see the module comment.
 */
export function corpusBleu(references: readonly (readonly BleuTokens[])[], hypotheses: readonly BleuTokens[], opts: BleuOptions = {}): number {
  return bleuScore(references, hypotheses, opts, 'corpusBleu').bleu;
}

/** Sentence BLEU of one hypothesis against its references (corpus BLEU of one pair), in [0, 1]. */
export function sentenceBleu(references: readonly BleuTokens[], hypothesis: BleuTokens, opts: BleuOptions = {}): number {
  if (!Array.isArray(references)) throw new ValueError(`sentenceBleu: references must be an array of reference token arrays, got ${references === null ? 'null' : typeof references}`);
  return bleuScore([references], [hypothesis], opts, 'sentenceBleu').bleu;
}
