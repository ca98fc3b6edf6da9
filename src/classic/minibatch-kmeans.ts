/**
 * Mini-batch k-means (Sculley 2010), after sklearn.cluster.MiniBatchKMeans: k-means++ (or random) seeding on
 * a random subset of initSize samples, the best of nInit seedings by inertia on that subset, then steps on
 * random mini-batches (drawn with replacement) that move each center to the running weighted mean of all the
 * samples it has been given; centers whose weight falls below reassignmentRatio times the largest are
 * re-seeded at random batch samples; early stop when the smoothed batch inertia stops improving for
 * maxNoImprovement steps or the centers move less than tol. Same algorithm as sklearn, but shendu's random
 * stream differs from NumPy's, so results agree with sklearn's statistically (inertia within a few percent),
 * not bit for bit.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import {
  type FitOptions, type HostMatrix, type RandomStateOptions, checkFiniteHost, checkIntOpt, checkNumberOpt, checkX, fitOptions, generatorFrom, notFitted, toTensor,
} from './base.js';
import { assign, centerDistances, inertiaOf, negativeInertia, plusPlus, predictNearest, randomInit, scaledTolerance } from './kmeans-core.js';

/** Options of MiniBatchKMeans. */
export interface MiniBatchKMeansOptions extends RandomStateOptions {
  /** Number of clusters k (default 8). */
  nClusters?: number;
  /** 'k-means++' (default), 'random', or [k, d] initial centers (then nInit defaults to 1). */
  init?: 'k-means++' | 'random' | Tensor;
  /** Passes over the data: at most maxIter * n / batchSize mini-batch steps (default 100). */
  maxIter?: number;
  /** Samples per mini-batch (default 1024; at most n). */
  batchSize?: number;
  /** Stop when the total squared center shift of a step is at most tol times the mean feature variance (default 0: off). */
  tol?: number;
  /** Stop after this many steps without improvement of the smoothed batch inertia; null: never (default 10). */
  maxNoImprovement?: number | null;
  /** Samples (drawn with replacement) the seeding sees (default 3 batchSize, at least 3 k, at most n). */
  initSize?: number;
  /** Seedings tried, the best by inertia on the seeding subset kept (default 3, or 1 with explicit centers). */
  nInit?: number;
  /** Re-seed centers whose accumulated weight is below this share of the largest (default 0.01). */
  reassignmentRatio?: number;
}

interface MiniBatchState {
  centers: Float64Array;
  labels: Int32Array;
  inertia: number;
  nIter: number;
  nSteps: number;
  k: number;
  d: number;
  dtype: 'float32' | 'float64';
}

/** The rows `idx` of x as a host matrix. */
function rowsOf(x: HostMatrix, idx: Int32Array): HostMatrix {
  const data = new Float64Array(idx.length * x.cols);
  for (let r = 0; r < idx.length; r++) data.set(x.data.subarray(idx[r] * x.cols, (idx[r] + 1) * x.cols), r * x.cols);
  return { data, rows: idx.length, cols: x.cols };
}

function draws(g: Generator, n: number, count: number): Int32Array {
  return Int32Array.from({ length: count }, () => g.randint(0, n));
}

/**
 * Mini-batch k-means. After fit: `clusterCenters` [k, d], `labels` (int32 [n], nearest final center),
 * `inertia` (on all the data, sample-weighted), `nIter` (passes, rounded up) and `nSteps`; predict,
 * transform, score and fitPredict as KMeans.
 */
export class MiniBatchKMeans {
  /** Number of clusters. */
  readonly nClusters: number;
  /** Initialization. */
  readonly init: 'k-means++' | 'random' | Tensor;
  /** Most passes over the data. */
  readonly maxIter: number;
  /** Requested batch size. */
  readonly batchSize: number;
  /** Center-shift tolerance (relative to the mean feature variance). */
  readonly tol: number;
  /** Patience of the smoothed-inertia test, or null. */
  readonly maxNoImprovement: number | null;
  /** Requested seeding subset size, if given. */
  readonly initSize: number | undefined;
  /** Seedings tried. */
  readonly nInit: number;
  /** Low-weight reassignment threshold. */
  readonly reassignmentRatio: number;
  private readonly random: RandomStateOptions;
  private state: MiniBatchState | undefined;

  /** A mini-batch k-means with the given options. */
  constructor(opts: MiniBatchKMeansOptions = {}) {
    const where = 'MiniBatchKMeans';
    this.nClusters = checkIntOpt(where, 'nClusters', opts.nClusters ?? 8, 1);
    const init = opts.init ?? 'k-means++';
    if (!(init instanceof Tensor) && init !== 'k-means++' && init !== 'random') {
      throw new ValueError(`${where}: init must be 'k-means++', 'random' or a [k, d] tensor of centers, got ${JSON.stringify(init)}`);
    }
    this.init = init;
    this.maxIter = checkIntOpt(where, 'maxIter', opts.maxIter ?? 100, 1);
    this.batchSize = checkIntOpt(where, 'batchSize', opts.batchSize ?? 1024, 1);
    this.tol = checkNumberOpt(where, 'tol', opts.tol ?? 0, 0);
    this.maxNoImprovement = opts.maxNoImprovement === null ? null : checkIntOpt(where, 'maxNoImprovement', opts.maxNoImprovement ?? 10, 0);
    this.initSize = opts.initSize === undefined ? undefined : checkIntOpt(where, 'initSize', opts.initSize, 1);
    this.nInit = checkIntOpt(where, 'nInit', opts.nInit ?? (init instanceof Tensor ? 1 : 3), 1);
    this.reassignmentRatio = checkNumberOpt(where, 'reassignmentRatio', opts.reassignmentRatio ?? 0.01, 0);
    this.random = { seed: opts.seed, generator: opts.generator };
    generatorFrom(where, this.random);
  }

  /** Clusters X [n, d] (n >= nClusters) by mini-batch steps, optionally with `sampleWeight` [n]; returns this. */
  fit(X: Tensor, opts?: FitOptions): this {
    const where = 'MiniBatchKMeans.fit';
    const x = checkX(where, X);
    const n = x.rows;
    const k = this.nClusters;
    if (k > n) throw new ValueError(`${where}: nClusters = ${k} is more than the ${n} samples in X ${fmtShape(X.shape)}; lower nClusters`);
    const sw = fitOptions(where, opts, n) ?? new Float64Array(n).fill(1);
    const g = generatorFrom(where, this.random);
    const batch = Math.min(this.batchSize, n);
    const initSize = Math.min(Math.max(this.initSize ?? 3 * batch, 3 * k), n);
    const tol = scaledTolerance(x, this.tol);
    let centers: Float64Array = this.seed(where, x, sw, g, initSize);
    let next: Float64Array = new Float64Array(centers.length);
    const counts = new Float64Array(k);
    const labels = new Int32Array(batch);
    let ewa: number | undefined;
    let ewaMin: number | undefined;
    let noImprovement = 0;
    let sinceReassign = 0;
    const nSteps = Math.max(Math.floor((this.maxIter * n) / batch), 1);
    let step = 0;
    for (; step < nSteps; step++) {
      const idx = draws(g, n, batch);
      const xb = rowsOf(x, idx);
      const wb = Float64Array.from(idx, (i) => sw[i]);
      sinceReassign += batch;
      const reassign = counts.some((c) => c === 0) || sinceReassign >= 10 * k;
      if (reassign) sinceReassign = 0;
      const batchInertia = this.step(xb, wb, centers, next, counts, labels, g, reassign);
      let shift = 0;
      if (tol > 0) for (let q = 0; q < centers.length; q++) shift += (next[q] - centers[q]) ** 2;
      [centers, next] = [next, centers];
      // sklearn's early stopping: the first step's inertia is the seeding's, so it is skipped
      if (step === 0) continue;
      const mean = batchInertia / batch;
      const a = Math.min((batch * 2) / (n + 1), 1);
      ewa = ewa === undefined ? mean : ewa * (1 - a) + mean * a;
      if (tol > 0 && shift <= tol) break;
      if (ewaMin === undefined || ewa < ewaMin) {
        noImprovement = 0;
        ewaMin = ewa;
      } else noImprovement++;
      if (this.maxNoImprovement !== null && noImprovement >= this.maxNoImprovement) break;
    }
    const done = Math.min(step + 1, nSteps);
    const all = new Int32Array(n);
    assign(x, centers, k, all);
    this.state = {
      centers, labels: all, inertia: inertiaOf(x, centers, all, sw), nIter: Math.ceil((done * batch) / n), nSteps: done, k, d: x.cols, dtype: x.dtype,
    };
    return this;
  }

  /** The initial centers: explicit, or the best of nInit seedings on a random subset (by inertia on another one). */
  private seed(where: string, x: HostMatrix, sw: Float64Array, g: Generator, initSize: number): Float64Array {
    const k = this.nClusters;
    if (this.init instanceof Tensor) {
      const t = this.init;
      if (t.ndim !== 2 || t.shape[0] !== k || t.shape[1] !== x.cols) {
        throw new ShapeError(`${where}: init must be [nClusters, nFeatures] = [${k}, ${x.cols}], got shape ${fmtShape(t.shape)}`);
      }
      const c = Float64Array.from(t.toTypedArray());
      checkFiniteHost(where, 'init', c, x.cols);
      return c;
    }
    const validIdx = draws(g, x.rows, initSize);
    const valid = rowsOf(x, validIdx);
    const validW = Float64Array.from(validIdx, (i) => sw[i]);
    const lab = new Int32Array(valid.rows);
    let best: Float64Array | undefined;
    let bestInertia = Infinity;
    for (let r = 0; r < this.nInit; r++) {
      const sub = rowsOf(x, draws(g, x.rows, initSize));
      const c = this.init === 'random' ? randomInit(sub, k, g) : plusPlus(sub, k, g).centers;
      assign(valid, c, k, lab);
      const inertia = inertiaOf(valid, c, lab, validW);
      if (inertia < bestInertia) {
        bestInertia = inertia;
        best = c;
      }
    }
    return best!;
  }

  /**
   * One mini-batch step (sklearn's _mini_batch_step): assign the batch, move each center to the weighted
   * mean of everything it has seen, optionally re-seed low-weight centers. Returns the batch's inertia.
   */
  private step(xb: HostMatrix, wb: Float64Array, centers: Float64Array, out: Float64Array, counts: Float64Array, labels: Int32Array, g: Generator, reassign: boolean): number {
    const k = this.nClusters;
    const d = xb.cols;
    assign(xb, centers, k, labels);
    const inertia = inertiaOf(xb, centers, labels, wb);
    const wsum = new Float64Array(k);
    for (let i = 0; i < xb.rows; i++) wsum[labels[i]] += wb[i];
    for (let c = 0; c < k; c++) {
      if (wsum[c] > 0) for (let j = 0; j < d; j++) out[c * d + j] = centers[c * d + j] * counts[c];
      else for (let j = 0; j < d; j++) out[c * d + j] = centers[c * d + j];
    }
    for (let i = 0; i < xb.rows; i++) {
      const c = labels[i];
      for (let j = 0; j < d; j++) out[c * d + j] += xb.data[i * d + j] * wb[i];
    }
    for (let c = 0; c < k; c++) {
      if (!(wsum[c] > 0)) continue;
      counts[c] += wsum[c];
      for (let j = 0; j < d; j++) out[c * d + j] /= counts[c];
    }
    if (reassign && this.reassignmentRatio > 0) {
      let top = 0;
      for (let c = 0; c < k; c++) top = Math.max(top, counts[c]);
      const low = Array.from(counts, (v) => v < this.reassignmentRatio * top);
      // at most half the batch size of centers are re-seeded: keep the heaviest of the rest
      const cap = Math.floor(0.5 * xb.rows);
      if (low.filter(Boolean).length > cap) {
        const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => counts[a] - counts[b]);
        for (const c of order.slice(cap)) low[c] = false;
      }
      const chosen = low.map((v, c) => (v ? c : -1)).filter((c) => c >= 0);
      if (chosen.length > 0) {
        // distinct batch samples, uniformly (a partial Fisher-Yates shuffle)
        const pool = Array.from({ length: xb.rows }, (_, i) => i);
        chosen.forEach((c, r) => {
          const j = r + g.randint(0, xb.rows - r);
          [pool[r], pool[j]] = [pool[j], pool[r]];
          out.set(xb.data.subarray(pool[r] * d, (pool[r] + 1) * d), c * d);
        });
        let minKept = Infinity;
        for (let c = 0; c < k; c++) if (!low[c]) minKept = Math.min(minKept, counts[c]);
        for (const c of chosen) counts[c] = minKept;
      }
    }
    return inertia;
  }

  private fitted(method: string): MiniBatchState {
    if (!this.state) throw notFitted(`MiniBatchKMeans.${method}`, 'MiniBatchKMeans', 'fit(X)');
    return this.state;
  }

  /** The nearest fitted center of each sample of X [m, d]: int32 [m]. */
  predict(X: Tensor): Tensor {
    return predictNearest('MiniBatchKMeans.predict', X, this.fitted('predict'));
  }

  /** fit(X, opts), then the training labels. */
  fitPredict(X: Tensor, opts?: FitOptions): Tensor {
    return this.fit(X, opts).labels;
  }

  /** Euclidean distances of each sample to each center: [m, k]. */
  transform(X: Tensor): Tensor {
    return centerDistances('MiniBatchKMeans.transform', X, this.fitted('transform'));
  }

  /** Minus the inertia of X against the fitted centers (higher is better). */
  score(X: Tensor): number {
    return negativeInertia('MiniBatchKMeans.score', X, this.fitted('score'));
  }

  /** Cluster centers [k, d] (sklearn's cluster_centers_). */
  get clusterCenters(): Tensor {
    const s = this.fitted('clusterCenters');
    return toTensor(s.centers, [s.k, s.d], s.dtype);
  }

  /** Nearest final center of each training sample, int32 [n] (sklearn's labels_). */
  get labels(): Tensor {
    const s = this.fitted('labels');
    return toTensor(s.labels, [s.labels.length], 'int32');
  }

  /** Sum of (weighted) squared distances of all training samples to their nearest final center (sklearn's inertia_). */
  get inertia(): number {
    return this.fitted('inertia').inertia;
  }

  /** Passes over the data, rounded up (sklearn's n_iter_). */
  get nIter(): number {
    return this.fitted('nIter').nIter;
  }

  /** Mini-batch steps taken (sklearn's n_steps_). */
  get nSteps(): number {
    return this.fitted('nSteps').nSteps;
  }
}
