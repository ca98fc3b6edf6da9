/**
 * A random forest of regression trees (scikit-learn's RandomForestRegressor with its defaults): each tree is grown
 * on a bootstrap resample (drawn counts become sample weights, as scikit-learn does), every split looks at all
 * features in a random order and takes the threshold that most lowers the weighted squared error, halfway between
 * neighbouring feature values. It is the surrogate that fANOVA (./fanova.ts) decomposes; trees are kept as flat
 * arrays, as scikit-learn's `tree_`, so the decomposition can walk them.
 * @module
 */
import { ValueError } from '../../errors.js';
import { Generator } from '../../tensor/random.js';

/** Options of `RegressionForest` (scikit-learn's names, camelCased; defaults as Optuna's fANOVA uses them). */
export interface RegressionForestOptions {
  /** Number of trees (default 64). */
  nTrees?: number;
  /** Deepest a tree may grow (default 64). */
  maxDepth?: number;
  /** Fewest samples a node needs to be split (default 2). */
  minSamplesSplit?: number;
  /** Fewest samples each child of a split must keep (default 1). */
  minSamplesLeaf?: number;
  /** Seed of the bootstrap resamples and feature orders (default 0). */
  seed?: number;
}

/**
 * One fitted tree as flat arrays over its `nodeCount` nodes, node 0 the root: node i sends x to `left[i]` when
 * x[feature[i]] <= threshold[i], else to `right[i]`; a leaf has feature -1; value[i] is the weighted mean target of
 * the training samples that reach node i.
 */
export interface RegressionTree {
  /** Number of nodes. */
  readonly nodeCount: number;
  /** Number of input features. */
  readonly nFeatures: number;
  /** Split feature per node, -1 at leaves. */
  readonly feature: Int32Array;
  /** Split threshold per node (unused at leaves). */
  readonly threshold: Float64Array;
  /** Left child per node, -1 at leaves. */
  readonly left: Int32Array;
  /** Right child per node, -1 at leaves. */
  readonly right: Int32Array;
  /** Weighted mean target per node. */
  readonly value: Float64Array;
}

// scikit-learn's constants: a node this pure is a leaf; feature values this close are one value.
const EPSILON = 2.220446049250313e-16;
const FEATURE_THRESHOLD = 1e-7;

interface Grow {
  x: readonly (readonly number[])[];
  y: readonly number[];
  w: Float64Array;
  maxDepth: number;
  minSplit: number;
  minLeaf: number;
  rng: Generator;
  nFeatures: number;
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

function bestSplit(g: Grow, idx: number[], total: { w: number; s: number }): { feature: number; threshold: number; at: number; order: number[] } | null {
  const features = Array.from({ length: g.nFeatures }, (_, i) => i);
  for (let i = features.length - 1; i > 0; i--) {
    const j = g.rng.randint(0, i + 1);
    [features[i], features[j]] = [features[j], features[i]];
  }
  let best: { feature: number; threshold: number; at: number; order: number[] } | null = null;
  let bestProxy = -Infinity;
  const n = idx.length;
  for (const f of features) {
    const order = [...idx].sort((a, b) => g.x[a][f] - g.x[b][f]);
    if (g.x[order[n - 1]][f] <= g.x[order[0]][f] + FEATURE_THRESHOLD) continue;
    let wl = 0;
    let sl = 0;
    for (let p = 1; p < n; p++) {
      const prev = order[p - 1];
      wl += g.w[prev];
      sl += g.w[prev] * g.y[prev];
      const a = g.x[prev][f];
      const b = g.x[order[p]][f];
      if (b <= a + FEATURE_THRESHOLD || p < g.minLeaf || n - p < g.minLeaf) continue;
      const wr = total.w - wl;
      if (wl <= 0 || wr <= 0) continue;
      const sr = total.s - sl;
      // The weighted squared error of the children, up to a constant (scikit-learn's proxy improvement).
      const proxy = (sl * sl) / wl + (sr * sr) / wr;
      if (proxy > bestProxy) {
        bestProxy = proxy;
        let t = (a + b) / 2;
        if (t === b) t = a;
        best = { feature: f, threshold: t, at: p, order };
      }
    }
  }
  return best;
}

function grow(g: Grow, idx: number[], depth: number): number {
  const node = g.feature.length;
  let w = 0;
  let s = 0;
  let s2 = 0;
  for (const i of idx) {
    w += g.w[i];
    s += g.w[i] * g.y[i];
    s2 += g.w[i] * g.y[i] * g.y[i];
  }
  const mean = w > 0 ? s / w : 0;
  g.feature.push(-1);
  g.threshold.push(0);
  g.left.push(-1);
  g.right.push(-1);
  g.value.push(mean);
  const impurity = w > 0 ? s2 / w - mean * mean : 0;
  if (depth >= g.maxDepth || idx.length < g.minSplit || idx.length < 2 * g.minLeaf || impurity <= EPSILON) return node;
  const split = bestSplit(g, idx, { w, s });
  if (split === null) return node;
  g.feature[node] = split.feature;
  g.threshold[node] = split.threshold;
  g.left[node] = grow(g, split.order.slice(0, split.at), depth + 1);
  g.right[node] = grow(g, split.order.slice(split.at), depth + 1);
  return node;
}

function positiveInt(fn: string, name: string, v: number, min: number): number {
  if (!Number.isSafeInteger(v) || v < min) throw new ValueError(`${fn}: ${name} must be an integer >= ${min}, got ${v}`);
  return v;
}

/** A bagged forest of regression trees; `fit` then `predict`, or read `trees`. */
export class RegressionForest {
  /** The fitted trees (empty before `fit`). */
  trees: RegressionTree[] = [];
  private readonly nTrees: number;
  private readonly maxDepth: number;
  private readonly minSplit: number;
  private readonly minLeaf: number;
  private readonly seed: number;

  /** Creates an unfitted forest; see `RegressionForestOptions`. */
  constructor(opts: RegressionForestOptions = {}) {
    const fn = 'RegressionForest';
    this.nTrees = positiveInt(fn, 'nTrees', opts.nTrees ?? 64, 1);
    this.maxDepth = positiveInt(fn, 'maxDepth', opts.maxDepth ?? 64, 1);
    this.minSplit = positiveInt(fn, 'minSamplesSplit', opts.minSamplesSplit ?? 2, 2);
    this.minLeaf = positiveInt(fn, 'minSamplesLeaf', opts.minSamplesLeaf ?? 1, 1);
    this.seed = opts.seed ?? 0;
    if (!Number.isSafeInteger(this.seed)) throw new ValueError(`${fn}: seed must be a safe integer, got ${this.seed}`);
  }

  /** Fits the trees to rows `x` (n × d, finite) and targets `y` (n, finite); returns this. */
  fit(x: readonly (readonly number[])[], y: readonly number[]): this {
    const fn = 'RegressionForest.fit';
    if (!Array.isArray(x) || x.length === 0) throw new ValueError(`${fn}: x must be a non-empty array of rows, got ${Array.isArray(x) ? 'no rows' : typeof x}`);
    if (!Array.isArray(y) || y.length !== x.length) throw new ValueError(`${fn}: y must hold one target per row of x (${x.length}), got ${Array.isArray(y) ? y.length : typeof y}`);
    const d = x[0].length;
    if (d === 0) throw new ValueError(`${fn}: rows of x must have at least one feature, got 0`);
    x.forEach((row, i) => {
      if (row.length !== d) throw new ValueError(`${fn}: every row of x must have ${d} features, row ${i} has ${row.length}`);
      if (!row.every(Number.isFinite)) throw new ValueError(`${fn}: x must be finite, row ${i} is [${row.join(', ')}]`);
    });
    const bad = y.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new ValueError(`${fn}: y must be finite, y[${bad}] is ${y[bad]}`);
    const rng = new Generator(this.seed);
    const n = x.length;
    this.trees = [];
    for (let t = 0; t < this.nTrees; t++) {
      const w = new Float64Array(n);
      for (let i = 0; i < n; i++) w[rng.randint(0, n)] += 1;
      const g: Grow = {
        x, y, w, maxDepth: this.maxDepth, minSplit: this.minSplit, minLeaf: this.minLeaf, rng, nFeatures: d,
        feature: [], threshold: [], left: [], right: [], value: [],
      };
      grow(g, Array.from({ length: n }, (_, i) => i), 0);
      this.trees.push({
        nodeCount: g.feature.length, nFeatures: d, feature: Int32Array.from(g.feature), threshold: Float64Array.from(g.threshold),
        left: Int32Array.from(g.left), right: Int32Array.from(g.right), value: Float64Array.from(g.value),
      });
    }
    return this;
  }

  /** The forest's prediction for each row of `x` (the mean of the trees' leaf values). */
  predict(x: readonly (readonly number[])[]): number[] {
    if (this.trees.length === 0) throw new ValueError('RegressionForest.predict: call fit first');
    const d = this.trees[0].nFeatures;
    return x.map((row, r) => {
      if (row.length !== d) throw new ValueError(`RegressionForest.predict: rows must have ${d} features, row ${r} has ${row.length}`);
      let sum = 0;
      for (const tree of this.trees) {
        let i = 0;
        while (tree.feature[i] >= 0) i = row[tree.feature[i]] <= tree.threshold[i] ? tree.left[i] : tree.right[i];
        sum += tree.value[i];
      }
      return sum / this.trees.length;
    });
  }
}
