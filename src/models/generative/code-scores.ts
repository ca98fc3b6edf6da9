/**
 * Anomaly scores in a feature space (an auto-encoder's codes, or any [N, D] features), to use beside or instead of
 * the reconstruction error of anomaly.ts: a sample whose features lie far from those of the normal training samples
 * is unusual even when it reconstructs well (a thin digit that an AE trained on the others still redraws).
 * - `knnScores`: the distance to the k nearest reference (training) features, the k-NN outlier score of Ramaswamy,
 *   Rastogi & Shim 2000 (k-th distance) and Angiulli & Pizzuti 2002 (mean of the k), used on learned features by
 *   Bergman, Cohen & Hoshen 2020 ("Deep Nearest Neighbor Anomaly Detection"); distances as scikit-learn's
 *   `NearestNeighbors(n_neighbors=k).kneighbors`.
 * - `mahalanobisScores`: the squared Mahalanobis distance to one Gaussian fitted to the reference features, as
 *   scikit-learn's `EmpiricalCovariance().fit(reference).mahalanobis(query)` (the feature-space Gaussian of Lee et
 *   al. 2018, "A Simple Unified Framework for Detecting Out-of-Distribution Samples", without class labels).
 * - `standardizeScores`: z-scores against the scores of reference samples, so scores of different units can be
 *   summed (the z-score normalization of outlier ensembles, Aggarwal & Sathe 2015; Kriegel et al. 2011).
 * Higher is more anomalous for all three; feed the result to `train.rocAuc`.
 * @module
 */
import { ShapeError, ValueError, assertNever, fmtShape } from '../../errors.js';
import { eighHost } from '../../linalg/host-eigh.js';
import { mul } from '../../ops/elementwise.js';
import { matmul } from '../../ops/matmul.js';
import { narrow, t as transpose2d } from '../../ops/movement.js';
import { sum } from '../../ops/reduce.js';
import { tensor } from '../../tensor/creation.js';
import { Tensor } from '../../tensor/tensor.js';

/** How `knnScores` turns a sample's k nearest distances into one score: their mean, or the k-th (largest) one. */
export type KnnReduction = 'mean' | 'kth';

/** Options of `knnScores`. */
export interface KnnScoresOptions {
  /** Neighbours per sample (default 5, scikit-learn's n_neighbors). */
  k?: number;
  /** The mean of the k distances (default) or the k-th distance. */
  reduction?: KnnReduction;
  /** Query rows per distance block (default: as many as keep a block near 2M numbers, at most 512): memory is batchSize x M numbers. */
  batchSize?: number;
}

function features(op: string, arg: string, t: unknown, minRows: number): Tensor {
  if (!(t instanceof Tensor)) throw new ValueError(`${op}: ${arg} must be a Tensor [N, D], got ${t === null ? 'null' : typeof t}`);
  if (t.ndim !== 2 || t.shape[0] < minRows || t.shape[1] < 1) {
    throw new ShapeError(`${op}: ${arg} must be 2-D [N, D] with N >= ${minRows} rows and D >= 1 features, got shape ${fmtShape(t.shape)}`);
  }
  if (t.dtype !== 'float32' && t.dtype !== 'float64') throw new ValueError(`${op}: ${arg} must be float32 or float64, got ${t.dtype}`);
  return t;
}

function posInt(op: string, name: string, v: unknown, dflt: number): number {
  const n = v ?? dflt;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new ValueError(`${op}: ${name} must be a positive integer, got ${String(v)}`);
  return n;
}

/** Inserts d into the ascending list best[0..k) (best[k - 1] the largest kept). */
function keepSmallest(best: Float64Array, k: number, d: number): void {
  if (d >= best[k - 1]) return;
  let j = k - 1;
  while (j > 0 && best[j - 1] > d) {
    best[j] = best[j - 1];
    j--;
  }
  best[j] = d;
}

/**
 * The k-NN anomaly score of each query row [N, D] against the reference rows [M, D] (the normal training
 * features): the Euclidean distances to its k nearest reference rows, reduced by their mean (default) or the k-th.
 * With `query` null, each reference row is scored against the other M - 1 (itself left out, as scikit-learn's
 * `kneighbors()` without X), which gives the training samples' own scores, e.g. for `standardizeScores`.
 * Returns [N] (or [M]) of the inputs' dtype; squared distances are |q|^2 + |r|^2 - 2 q.r by a matmul in that
 * dtype, so pass float64 for distances exact to round-off (float32 is fine for ranking). A ShapeError for
 * non-2-D inputs or different D; a ValueError for k > the candidates, bad options or non-float inputs.
 */
export function knnScores(reference: Tensor, query: Tensor | null, opts: KnnScoresOptions = {}): Tensor {
  if (opts === null || typeof opts !== 'object') throw new ValueError(`knnScores: options must be an object, got ${JSON.stringify(opts)}`);
  return knnScoreSet('knnScores', reference, query, [posInt('knnScores', 'k', opts.k, 5)], opts)[0];
}

/**
 * `knnScores` for several k at once, from one pass over the distances (the cost of one call with the largest k):
 * element i is the score with `ks[i]` neighbours, equal to `knnScores(reference, query, { ...opts, k: ks[i] })`.
 * [N] (or [M]) tensors of the inputs' dtype; the errors of `knnScores`, and a ValueError for an empty `ks`.
 */
export function knnScoresForK(reference: Tensor, query: Tensor | null, ks: readonly number[], opts: Omit<KnnScoresOptions, 'k'> = {}): Tensor[] {
  const op = 'knnScoresForK';
  if (!Array.isArray(ks) || ks.length === 0) throw new ValueError(`${op}: ks must be a non-empty array of positive integers, got ${JSON.stringify(ks)}`);
  if (opts === null || typeof opts !== 'object') throw new ValueError(`${op}: options must be an object, got ${JSON.stringify(opts)}`);
  return knnScoreSet(op, reference, query, ks.map((k) => posInt(op, 'k', k, 5)), opts);
}

/** Elements of one distance block by default (a fresh block far larger costs more to allocate than to fill). */
const BLOCK_ELEMENTS = 1 << 21;

function knnScoreSet(op: string, reference: Tensor, query: Tensor | null, ks: readonly number[], opts: Omit<KnnScoresOptions, 'k'>): Tensor[] {
  const ref = features(op, 'reference', reference, 1);
  const q = query === null ? ref : features(op, 'query', query, 1);
  if (q.shape[1] !== ref.shape[1]) throw new ShapeError(`${op}: query must have reference's ${ref.shape[1]} features per row, got shape ${fmtShape(q.shape)}`);
  if (q.dtype !== ref.dtype) throw new ValueError(`${op}: query and reference must have one dtype, got ${q.dtype} and ${ref.dtype}`);
  const reduction = opts.reduction ?? 'mean';
  if (reduction !== 'mean' && reduction !== 'kth') throw new ValueError(`${op}: reduction must be 'mean' or 'kth', got ${JSON.stringify(opts.reduction)}`);
  const self = query === null;
  const m = ref.shape[0];
  const bs = posInt(op, 'batchSize', opts.batchSize, Math.max(1, Math.min(512, Math.floor(BLOCK_ELEMENTS / m))));
  const candidates = self ? m - 1 : m;
  const kMax = Math.max(...ks);
  if (kMax > candidates) throw new ValueError(`${op}: k must be at most the ${candidates} reference rows${self ? ' other than the scored one' : ''}, got ${kMax}`);
  const refT = transpose2d(ref);
  const rr = sum(mul(ref, ref), 1).toTypedArray();
  const n = q.shape[0];
  const outs = ks.map(() => new Float64Array(n));
  const best = new Float64Array(kMax);
  for (let o = 0; o < n; o += bs) {
    const qb = narrow(q, 0, o, Math.min(bs, n - o));
    const qq = sum(mul(qb, qb), 1).toTypedArray();
    const dot = matmul(qb, refT).toTypedArray();
    for (let i = 0; i < qb.shape[0]; i++) {
      best.fill(Infinity);
      for (let j = 0; j < m; j++) {
        if (self && j === o + i) continue;
        // round-off can make a tiny squared distance negative
        keepSmallest(best, kMax, Math.max(qq[i] + rr[j] - 2 * dot[i * m + j], 0));
      }
      // best holds the kMax smallest ascending, so its first k are the k smallest
      ks.forEach((k, t) => {
        switch (reduction) {
          case 'mean': {
            let s = 0;
            for (let j = 0; j < k; j++) s += Math.sqrt(best[j]);
            outs[t][o + i] = s / k;
            break;
          }
          case 'kth': outs[t][o + i] = Math.sqrt(best[k - 1]); break;
          default: assertNever(reduction, 'k-NN reduction');
        }
      });
    }
  }
  return outs.map((out) => tensor(out, { dtype: ref.dtype }));
}

function hostRows(t: Tensor): Float64Array {
  return Float64Array.from(t.toTypedArray() as ArrayLike<number>);
}

/**
 * The squared Mahalanobis distance of each query row [N, D] to the Gaussian fitted to the reference rows [M, D]:
 * (x - mu)^T P (x - mu) with mu their mean and P the pseudo-inverse of their maximum-likelihood covariance (divided
 * by M), as scikit-learn's `EmpiricalCovariance().fit(reference).mahalanobis(query)` (whose pseudo-inverse is
 * scipy's `pinvh`: eigenvalues at most D * eps * the largest count as zero). [N] float64, computed on the host in
 * float64 (O(M D^2 + D^3 + N D^2)). A ShapeError for non-2-D inputs or different D; a ValueError for non-float or
 * non-finite values.
 */
export function mahalanobisScores(reference: Tensor, query: Tensor): Tensor {
  const op = 'mahalanobisScores';
  const ref = features(op, 'reference', reference, 1);
  const q = features(op, 'query', query, 1);
  const d = ref.shape[1];
  if (q.shape[1] !== d) throw new ShapeError(`${op}: query must have reference's ${d} features per row, got shape ${fmtShape(q.shape)}`);
  const m = ref.shape[0];
  const x = hostRows(ref);
  const y = hostRows(q);
  for (const [v, arg] of [[x, 'reference'], [y, 'query']] as const) {
    if (v.some((e) => !Number.isFinite(e))) throw new ValueError(`${op}: ${arg} holds a non-finite value`);
  }
  const mu = new Float64Array(d);
  for (let r = 0; r < m; r++) for (let j = 0; j < d; j++) mu[j] += x[r * d + j];
  for (let j = 0; j < d; j++) mu[j] /= m;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let r = 0; r < m; r++) {
    for (let j = 0; j < d; j++) row[j] = x[r * d + j] - mu[j];
    for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) cov[i * d + j] += row[i] * row[j];
  }
  for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) cov[j * d + i] = cov[i * d + j] /= m;
  const { w, v } = eighHost(cov, d, false);
  const cutoff = d * Number.EPSILON * Math.max(...Array.from(w, Math.abs));
  // scores through the eigenbasis: sum over kept eigenpairs of ((x - mu) . v_k)^2 / w_k
  const out = new Float64Array(q.shape[0]);
  for (let r = 0; r < q.shape[0]; r++) {
    for (let j = 0; j < d; j++) row[j] = y[r * d + j] - mu[j];
    let s = 0;
    for (let kk = 0; kk < d; kk++) {
      if (Math.abs(w[kk]) <= cutoff) continue;
      let p = 0;
      for (let j = 0; j < d; j++) p += row[j] * v[j * d + kk];
      s += (p * p) / w[kk];
    }
    out[r] = s;
  }
  return tensor(out, { dtype: 'float64' });
}

/**
 * `scores` [N] as z-scores against `reference` [M] (the same score on normal samples, e.g. the training set):
 * (s - mean(reference)) / std(reference), the standard deviation with divisor M (scikit-learn's StandardScaler),
 * so that scores in different units can be added. [N] float64. A ShapeError unless both are 1-D with M >= 2; a
 * ValueError when the reference scores are all equal (no scale) or not finite.
 */
export function standardizeScores(scores: Tensor, reference: Tensor): Tensor {
  const op = 'standardizeScores';
  for (const [t, arg, min] of [[scores, 'scores', 1], [reference, 'reference', 2]] as const) {
    if (!(t instanceof Tensor)) throw new ValueError(`${op}: ${arg} must be a 1-D Tensor, got ${t === null ? 'null' : typeof t}`);
    if (t.ndim !== 1 || t.shape[0] < min) throw new ShapeError(`${op}: ${arg} must be 1-D with at least ${min} value${min > 1 ? 's' : ''}, got shape ${fmtShape(t.shape)}`);
  }
  const r = hostRows(reference);
  if (r.some((e) => !Number.isFinite(e))) throw new ValueError(`${op}: reference holds a non-finite value`);
  const mean = r.reduce((a, b) => a + b, 0) / r.length;
  const std = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / r.length);
  if (!(std > 0)) throw new ValueError(`${op}: reference scores must not all be equal (their standard deviation is 0, so there is no scale)`);
  return tensor(hostRows(scores).map((s) => (s - mean) / std), { dtype: 'float64' });
}
