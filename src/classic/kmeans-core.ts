/**
 * The pieces k-means and mini-batch k-means share: squared distances, nearest-center assignment, inertia,
 * k-means++ seeding (sklearn's greedy variant) and random initialization, and sklearn's data-scaled tolerance.
 * @module
 */
import { ValueError, fmtShape } from '../errors.js';
import { matmulHost, transposeHost } from '../linalg/host-gemm.js';
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { type HostMatrix, type RandomStateOptions, checkIntOpt, checkX, generatorFrom, toTensor } from './base.js';

/** Squared distance between row i of x (d columns) and row c of centers. */
export function sqDist(x: Float64Array, i: number, centers: Float64Array, c: number, d: number): number {
  let s = 0;
  const xo = i * d;
  const co = c * d;
  for (let j = 0; j < d; j++) {
    const v = x[xo + j] - centers[co + j];
    s += v * v;
  }
  return s;
}

/** Squared norms of the `k` rows of the row-major k x d `rows`. */
function rowSqNorms(rows: Float64Array, k: number, d: number): Float64Array {
  const out = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += rows[c * d + j] * rows[c * d + j];
    out[c] = s;
  }
  return out;
}

/**
 * Index of the nearest center for every sample (the first on ties), as scikit-learn's Lloyd step finds it:
 * the argmin over centers of ||c||² − 2 x·c (||x||² is the same for every center), the products x·c of all
 * samples and centers as one matrix product.
 */
export function assign(x: HostMatrix, centers: Float64Array, k: number, labels: Int32Array): void {
  const { rows: n, cols: d, data } = x;
  const cn = rowSqNorms(centers, k, d);
  const dots = matmulHost(data, transposeHost(centers, k, d), n, d, k);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < k; c++) {
      const v = cn[c] + -2 * dots[i * k + c];
      if (v < bestD) {
        bestD = v;
        best = c;
      }
    }
    labels[i] = best;
  }
}

/**
 * Squared distances of every sample to `t` candidate rows (t x d), n x t, as scikit-learn's euclidean_distances
 * computes them: (−2 c·x + ||c||²) + ||x||², clamped at 0, the products as one matrix product.
 */
function candidateSqDistances(x: HostMatrix, xn: Float64Array, cand: Float64Array, t: number): Float64Array {
  const { rows: n, cols: d, data } = x;
  const cn = rowSqNorms(cand, t, d);
  const out = matmulHost(data, transposeHost(cand, t, d), n, d, t);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < t; c++) out[i * t + c] = Math.max(0, -2 * out[i * t + c] + cn[c] + xn[i]);
  }
  return out;
}

/** Sum over samples of (weight times) the squared distance to the assigned center. */
export function inertiaOf(x: HostMatrix, centers: Float64Array, labels: Int32Array, sw?: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.rows; i++) s += (sw ? sw[i] : 1) * sqDist(x.data, i, centers, labels[i], x.cols);
  return s;
}

/**
 * k-means++ seeding (Arthur & Vassilvitskii; sklearn's greedy variant): the first center uniformly at
 * random, each next one the best of `nLocalTrials` candidates drawn with probability proportional to the
 * squared distance to the nearest chosen center. Returns the k x d centers and their sample indices.
 */
export function kmeansPlusPlus(X: Tensor, nClusters: number, opts: RandomStateOptions & { nLocalTrials?: number } = {}): { centers: Tensor; indices: number[] } {
  const where = 'kmeansPlusPlus';
  const x = checkX(where, X);
  const k = checkIntOpt(where, 'nClusters', nClusters, 1);
  if (k > x.rows) throw new ValueError(`${where}: nClusters = ${k} is more than the ${x.rows} samples in X ${fmtShape(X.shape)}`);
  const g = generatorFrom(where, opts);
  const { centers, indices } = plusPlus(x, k, g, opts.nLocalTrials);
  return { centers: toTensor(centers, [k, x.cols], x.dtype), indices };
}

/** k-means++ on a host matrix: the k x d centers and the chosen sample indices. */
export function plusPlus(x: HostMatrix, k: number, g: Generator, trials?: number): { centers: Float64Array; indices: number[] } {
  const { rows: n, cols: d, data } = x;
  const nTrials = trials ?? 2 + Math.floor(Math.log(k));
  const centers = new Float64Array(k * d);
  const indices: number[] = [];
  const first = g.randint(0, n);
  indices.push(first);
  centers.set(data.subarray(first * d, (first + 1) * d), 0);
  const xn = rowSqNorms(data, n, d);
  const closest = candidateSqDistances(x, xn, centers.subarray(0, d), 1);
  let pot = 0;
  for (let i = 0; i < n; i++) pot += closest[i];
  const cum = new Float64Array(n);
  const ids: number[] = new Array<number>(nTrials);
  const cand = new Float64Array(nTrials * d);
  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) cum[i] = acc += closest[i];
    for (let t = 0; t < nTrials; t++) {
      const r = g.random() * pot;
      // first index whose cumulative sum reaches r (numpy searchsorted, side 'left'), clipped
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid] < r) lo = mid + 1;
        else hi = mid;
      }
      ids[t] = lo;
      cand.set(data.subarray(lo * d, (lo + 1) * d), t * d);
    }
    // every candidate's distances at once; each candidate's potential with it added
    const dist = candidateSqDistances(x, xn, cand, nTrials);
    let bestPot = Infinity;
    let best = 0;
    for (let t = 0; t < nTrials; t++) {
      let p = 0;
      for (let i = 0; i < n; i++) p += Math.min(closest[i], dist[i * nTrials + t]);
      if (p < bestPot) {
        bestPot = p;
        best = t;
      }
    }
    indices.push(ids[best]);
    centers.set(data.subarray(ids[best] * d, (ids[best] + 1) * d), c * d);
    for (let i = 0; i < n; i++) closest[i] = Math.min(closest[i], dist[i * nTrials + best]);
    pot = bestPot;
  }
  return { centers, indices };
}

/** k distinct samples as initial centers. */
export function randomInit(x: HostMatrix, k: number, g: Generator): Float64Array {
  // k distinct samples by a partial Fisher-Yates shuffle
  const idx = Array.from({ length: x.rows }, (_, i) => i);
  const centers = new Float64Array(k * x.cols);
  for (let c = 0; c < k; c++) {
    const j = c + g.randint(0, x.rows - c);
    [idx[c], idx[j]] = [idx[j], idx[c]];
    centers.set(x.data.subarray(idx[c] * x.cols, (idx[c] + 1) * x.cols), c * x.cols);
  }
  return centers;
}

/** sklearn's tolerance: tol times the mean over features of the (unweighted) variance of X. */
export function scaledTolerance(x: HostMatrix, tol: number): number {
  if (tol === 0) return 0;
  let total = 0;
  for (let j = 0; j < x.cols; j++) {
    let m = 0;
    for (let i = 0; i < x.rows; i++) m += x.data[i * x.cols + j];
    m /= x.rows;
    let v = 0;
    for (let i = 0; i < x.rows; i++) v += (x.data[i * x.cols + j] - m) ** 2;
    total += v / x.rows;
  }
  return (total / x.cols) * tol;
}

/** The fitted centers a k-means model predicts with. */
export interface FittedCenters {
  /** Centers, row-major [k, d]. */
  centers: Float64Array;
  /** Number of centers. */
  k: number;
  /** Number of features. */
  d: number;
}

/** The nearest center of each sample of X [m, d]: int32 [m] (`op` names the caller in errors). */
export function predictNearest(op: string, X: Tensor, s: FittedCenters): Tensor {
  const x = checkX(op, X, { nFeatures: s.d });
  const labels = new Int32Array(x.rows);
  assign(x, s.centers, s.k, labels);
  return toTensor(labels, [x.rows], 'int32');
}

/** Euclidean distances of each sample of X [m, d] to each center: [m, k]. */
export function centerDistances(op: string, X: Tensor, s: FittedCenters): Tensor {
  const x = checkX(op, X, { nFeatures: s.d });
  const out = new Float64Array(x.rows * s.k);
  for (let i = 0; i < x.rows; i++) for (let c = 0; c < s.k; c++) out[i * s.k + c] = Math.sqrt(sqDist(x.data, i, s.centers, c, s.d));
  return toTensor(out, [x.rows, s.k], x.dtype);
}

/** Minus the inertia of X [m, d] against the fitted centers (sklearn's score: higher is better). */
export function negativeInertia(op: string, X: Tensor, s: FittedCenters): number {
  const x = checkX(op, X, { nFeatures: s.d });
  const labels = new Int32Array(x.rows);
  assign(x, s.centers, s.k, labels);
  return -inertiaOf(x, s.centers, labels);
}
