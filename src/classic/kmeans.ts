/**
 * K-means clustering by Lloyd's algorithm, after sklearn.cluster.KMeans: k-means++ (greedy, with
 * 2 + ln k local trials) or random initialization, or explicit initial centers; several restarts keeping
 * the lowest inertia; sklearn's stopping rule (labels unchanged, or total squared center shift within
 * tol times the mean feature variance) and its relocation of empty clusters to the farthest points.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import {
  type FitOptions, type HostMatrix, type RandomStateOptions, checkFiniteHost, checkIntOpt, checkNumberOpt, checkX, fitOptions, generatorFrom, notFitted, toTensor,
} from './base.js';
import { assign, centerDistances, inertiaOf, negativeInertia, plusPlus, predictNearest, randomInit, scaledTolerance, sqDist } from './kmeans-core.js';

/** Options of KMeans. */
export interface KMeansOptions extends RandomStateOptions {
  /** Number of clusters k (default 8, as sklearn). */
  nClusters?: number;
  /**
   * 'k-means++' (default), 'random' (k distinct samples), or a [k, d] tensor of initial centers (then one
   * run: nInit is 1 unless given).
   */
  init?: 'k-means++' | 'random' | Tensor;
  /** Number of runs from different initializations; the one with the lowest inertia is kept (default 10, or 1 with explicit centers). */
  nInit?: number;
  /** Most Lloyd iterations per run (default 300). */
  maxIter?: number;
  /** Tolerance on the total squared center shift, relative to the mean feature variance (default 1e-4). */
  tol?: number;
}

interface RunResult {
  centers: Float64Array;
  labels: Int32Array;
  inertia: number;
  nIter: number;
}

/** One Lloyd step: labels from `centers`, new centers as (weighted) means (empty clusters relocated), per-center shifts. */
function lloydStep(x: HostMatrix, sw: Float64Array | undefined, centers: Float64Array, k: number, labels: Int32Array, out: Float64Array, shift: Float64Array): void {
  const { rows: n, cols: d, data } = x;
  assign(x, centers, k, labels);
  out.fill(0);
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    const wi = sw ? sw[i] : 1;
    counts[c] += wi;
    const o = c * d;
    for (let j = 0; j < d; j++) out[o + j] += wi * data[i * d + j];
  }
  const empty: number[] = [];
  for (let c = 0; c < k; c++) if (counts[c] === 0) empty.push(c);
  if (empty.length > 0) {
    // sklearn: the samples farthest from their centers become the empty clusters' centers
    const dist = Float64Array.from({ length: n }, (_, i) => sqDist(data, i, centers, labels[i], d));
    const far = Array.from({ length: n }, (_, i) => i).sort((a, b) => dist[b] - dist[a] || a - b).slice(0, empty.length);
    empty.forEach((c, e) => {
      const i = far[e];
      const old = labels[i];
      const wi = sw ? sw[i] : 1;
      for (let j = 0; j < d; j++) {
        out[old * d + j] -= wi * data[i * d + j];
        out[c * d + j] = wi * data[i * d + j];
      }
      counts[c] = wi;
      counts[old] -= wi;
    });
  }
  for (let c = 0; c < k; c++) {
    if (counts[c] > 0) for (let j = 0; j < d; j++) out[c * d + j] /= counts[c];
    let s = 0;
    for (let j = 0; j < d; j++) s += (out[c * d + j] - centers[c * d + j]) ** 2;
    shift[c] = Math.sqrt(s);
  }
}

/** One k-means run from `init` (k x d), as sklearn's _kmeans_single_lloyd. */
function lloyd(x: HostMatrix, sw: Float64Array | undefined, init: Float64Array, k: number, maxIter: number, tol: number): RunResult {
  let centers = Float64Array.from(init);
  let next = new Float64Array(centers.length);
  const labels = new Int32Array(x.rows).fill(-1);
  const old = new Int32Array(x.rows).fill(-1);
  const shift = new Float64Array(k);
  let strict = false;
  let it = 0;
  for (; it < maxIter; it++) {
    lloydStep(x, sw, centers, k, labels, next, shift);
    [centers, next] = [next, centers];
    let same = true;
    for (let i = 0; i < x.rows; i++) {
      if (labels[i] !== old[i]) {
        same = false;
        break;
      }
    }
    if (same) {
      strict = true;
      break;
    }
    let tot = 0;
    for (let c = 0; c < k; c++) tot += shift[c] * shift[c];
    if (tot <= tol) break;
    old.set(labels);
  }
  if (!strict) assign(x, centers, k, labels);
  return { centers, labels, inertia: inertiaOf(x, centers, labels, sw), nIter: Math.min(it + 1, maxIter) };
}

interface KMeansState {
  centers: Float64Array;
  labels: Int32Array;
  inertia: number;
  nIter: number;
  k: number;
  d: number;
  dtype: 'float32' | 'float64';
}

/**
 * K-means: partitions samples into k clusters minimizing the inertia, the sum of squared distances of
 * samples to their cluster's center. After fit: `clusterCenters` [k, d], `labels` [n] (int32), `inertia`,
 * `nIter`; `predict` assigns new samples to the nearest center, `transform` gives distances to every center.
 * With explicit initial centers and nInit 1 it reproduces sklearn's KMeans(init=centers, n_init=1).
 */
export class KMeans {
  /** Number of clusters. */
  readonly nClusters: number;
  /** Initialization method or explicit centers. */
  readonly init: 'k-means++' | 'random' | Tensor;
  /** Number of runs. */
  readonly nInit: number;
  /** Most iterations per run. */
  readonly maxIter: number;
  /** Relative center-shift tolerance. */
  readonly tol: number;
  private readonly random: RandomStateOptions;
  private state: KMeansState | undefined;

  /** A k-means estimator with the given options. */
  constructor(opts: KMeansOptions = {}) {
    const where = 'KMeans';
    this.nClusters = checkIntOpt(where, 'nClusters', opts.nClusters ?? 8, 1);
    const init = opts.init ?? 'k-means++';
    if (!(init instanceof Tensor) && init !== 'k-means++' && init !== 'random') {
      throw new ValueError(`${where}: init must be 'k-means++', 'random' or a [k, d] tensor of centers, got ${JSON.stringify(init)}`);
    }
    this.init = init;
    this.nInit = checkIntOpt(where, 'nInit', opts.nInit ?? (init instanceof Tensor ? 1 : 10), 1);
    this.maxIter = checkIntOpt(where, 'maxIter', opts.maxIter ?? 300, 1);
    this.tol = checkNumberOpt(where, 'tol', opts.tol ?? 1e-4, 0);
    this.random = { seed: opts.seed, generator: opts.generator };
    generatorFrom(where, this.random);
  }

  /**
   * Clusters X [n, d] (n >= nClusters), optionally with `sampleWeight` [n] for weighted means and inertia (the
   * seeding ignores the weights, as in sklearn 1.2). Returns this.
   */
  fit(X: Tensor, opts?: FitOptions): this {
    const where = 'KMeans.fit';
    const x = checkX(where, X);
    const sw = fitOptions(where, opts, x.rows);
    const k = this.nClusters;
    if (k > x.rows) throw new ValueError(`${where}: nClusters = ${k} is more than the ${x.rows} samples in X ${fmtShape(X.shape)}; lower nClusters`);
    let explicit: Float64Array | undefined;
    if (this.init instanceof Tensor) {
      const t = this.init;
      if (t.ndim !== 2 || t.shape[0] !== k || t.shape[1] !== x.cols) {
        throw new ShapeError(`${where}: init must be [nClusters, nFeatures] = [${k}, ${x.cols}], got shape ${fmtShape(t.shape)}`);
      }
      explicit = Float64Array.from(t.toTypedArray());
      checkFiniteHost(where, 'init', explicit, x.cols);
    }
    const tol = scaledTolerance(x, this.tol);
    const g = explicit ? undefined : generatorFrom('KMeans.fit', this.random);
    let best: RunResult | undefined;
    for (let run = 0; run < this.nInit; run++) {
      const init = explicit ?? (this.init === 'random' ? randomInit(x, k, g!) : plusPlus(x, k, g!).centers);
      const res = lloyd(x, sw, init, k, this.maxIter, tol);
      if (!best || res.inertia < best.inertia) best = res;
    }
    this.state = { ...best!, k, d: x.cols, dtype: x.dtype };
    return this;
  }

  private fitted(method: string): KMeansState {
    if (!this.state) throw notFitted(`KMeans.${method}`, 'KMeans', 'fit(X)');
    return this.state;
  }

  /** The nearest fitted center of each sample of X [m, d]: int32 [m]. */
  predict(X: Tensor): Tensor {
    return predictNearest('KMeans.predict', X, this.fitted('predict'));
  }

  /** fit(X, opts), then the training labels. */
  fitPredict(X: Tensor, opts?: FitOptions): Tensor {
    return this.fit(X, opts).labels;
  }

  /** Euclidean distances of each sample to each center: [m, k]. */
  transform(X: Tensor): Tensor {
    return centerDistances('KMeans.transform', X, this.fitted('transform'));
  }

  /** fit(X, opts), then transform(X). */
  fitTransform(X: Tensor, opts?: FitOptions): Tensor {
    return this.fit(X, opts).transform(X);
  }

  /** Minus the inertia of X against the fitted centers (higher is better), as sklearn's score. */
  score(X: Tensor): number {
    return negativeInertia('KMeans.score', X, this.fitted('score'));
  }

  /** Cluster centers [k, d] (sklearn's cluster_centers_). */
  get clusterCenters(): Tensor {
    const s = this.fitted('clusterCenters');
    return toTensor(s.centers, [s.k, s.d], s.dtype);
  }

  /** Cluster index of each training sample, int32 [n] (sklearn's labels_). */
  get labels(): Tensor {
    const s = this.fitted('labels');
    return toTensor(s.labels, [s.labels.length], 'int32');
  }

  /** Sum of (sample-weighted) squared distances of the training samples to their centers (sklearn's inertia_). */
  get inertia(): number {
    return this.fitted('inertia').inertia;
  }

  /** Lloyd iterations of the kept run (sklearn's n_iter_). */
  get nIter(): number {
    return this.fitted('nIter').nIter;
  }
}
