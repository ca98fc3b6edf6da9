/**
 * The functional ANOVA of one regression tree (Hutter, Hoos and Leyton-Brown 2014, as Optuna's `_FanovaTree`): the
 * tree is a piecewise-constant function over a box of bounds; its variance over the box (uniform measure), and the
 * variance of its marginal in a few features (the others averaged out), whose ratio is the share of the variance
 * those features explain on their own.
 * @module
 */
import type { RegressionTree } from './forest.js';

/** A tree with the statistics its marginals need, over the box `bounds` ([low, high] per feature). */
export class FanovaTree {
  private readonly tree: RegressionTree;
  private readonly bounds: readonly (readonly [number, number])[];
  /** Per node: volume-weighted mean of the leaves below, and their total volume. */
  private readonly stats: Float64Array[];
  private readonly midpoints: number[][];
  private readonly sizes: number[][];
  /** Per node: which features some split below it uses. */
  private readonly active: Uint8Array[];
  private totalVariance: number | null = null;

  /** Precomputes volumes, split midpoints and the features each subtree splits on. */
  constructor(tree: RegressionTree, bounds: readonly (readonly [number, number])[]) {
    this.tree = tree;
    this.bounds = bounds;
    const n = tree.nodeCount;
    const d = tree.nFeatures;
    this.stats = Array.from({ length: n }, () => new Float64Array(2));
    const boxes: ([number, number][] | null)[] = new Array(n).fill(null);
    boxes[0] = bounds.map(([lo, hi]) => [lo, hi]);
    for (let i = 0; i < n; i++) {
      const box = boxes[i] as [number, number][];
      if (tree.feature[i] < 0) {
        this.stats[i][0] = tree.value[i];
        this.stats[i][1] = volume(box);
      } else {
        const f = tree.feature[i];
        const l = box.map((b) => [...b] as [number, number]);
        l[f][1] = tree.threshold[i];
        const r = box.map((b) => [...b] as [number, number]);
        r[f][0] = tree.threshold[i];
        boxes[tree.left[i]] = l;
        boxes[tree.right[i]] = r;
      }
    }
    // Children are numbered after their parent, so a reverse sweep sees them first.
    for (let i = n - 1; i >= 0; i--) {
      if (tree.feature[i] < 0) continue;
      const [a, b] = [this.stats[tree.left[i]], this.stats[tree.right[i]]];
      const w = a[1] + b[1];
      this.stats[i][0] = w > 0 ? (a[0] * a[1] + b[0] * b[1]) / w : (a[0] + b[0]) / 2;
      this.stats[i][1] = w;
    }
    const splits: Set<number>[] = Array.from({ length: d }, () => new Set());
    for (let i = 0; i < n; i++) if (tree.feature[i] >= 0) splits[tree.feature[i]].add(tree.threshold[i]);
    this.midpoints = [];
    this.sizes = [];
    for (let f = 0; f < d; f++) {
      const edges = [bounds[f][0], ...[...splits[f]].sort((p, q) => p - q), bounds[f][1]];
      this.midpoints.push(edges.slice(1).map((e, k) => (e + edges[k]) / 2));
      this.sizes.push(edges.slice(1).map((e, k) => e - edges[k]));
    }
    this.active = Array.from({ length: n }, () => new Uint8Array(d));
    for (let i = n - 1; i >= 0; i--) {
      if (tree.feature[i] < 0) continue;
      const a = this.active[i];
      a[tree.feature[i]] = 1;
      for (const c of [tree.left[i], tree.right[i]]) for (let f = 0; f < d; f++) a[f] |= this.active[c][f];
    }
  }

  /** Variance of the tree's prediction over the box (leaves weighted by their volume). */
  get variance(): number {
    if (this.totalVariance === null) {
      const values: number[] = [];
      const weights: number[] = [];
      for (let i = 0; i < this.tree.nodeCount; i++) {
        if (this.tree.feature[i] >= 0) continue;
        values.push(this.stats[i][0]);
        weights.push(this.stats[i][1]);
      }
      this.totalVariance = weightedVariance(values, weights);
    }
    return this.totalVariance;
  }

  /**
   * Variance of the marginal prediction in `features` (indices into the box), the other features averaged out:
   * the marginal is constant between neighbouring split thresholds, so it is evaluated at each cell's midpoint and
   * weighted by the cell's size.
   */
  marginalVariance(features: readonly number[]): number {
    const d = this.tree.nFeatures;
    const sample = new Float64Array(d).fill(Number.NaN);
    const values: number[] = [];
    const weights: number[] = [];
    const at = new Array<number>(features.length).fill(0);
    for (;;) {
      let size = 1;
      features.forEach((f, k) => {
        sample[f] = this.midpoints[f][at[k]];
        size *= this.sizes[f][at[k]];
      });
      const [value, weight] = this.marginalized(sample);
      values.push(value);
      weights.push(weight * size);
      let k = features.length - 1;
      while (k >= 0 && ++at[k] === this.midpoints[features[k]].length) at[k--] = 0;
      if (k < 0) break;
    }
    return Math.max(0, weightedVariance(values, weights));
  }

  /** Mean prediction with the features that are not NaN in `sample` fixed, and the weight of that slice. */
  private marginalized(sample: Float64Array): [number, number] {
    const t = this.tree;
    const d = t.nFeatures;
    const fixed = Array.from(sample, (v) => !Number.isNaN(v));
    const start = this.bounds.map(([lo, hi], f) => (fixed[f] ? [lo, hi] : [0, 1]) as [number, number]);
    const stack: [number, [number, number][]][] = [[0, start]];
    const values: number[] = [];
    const weights: number[] = [];
    while (stack.length > 0) {
      const [i, box] = stack.pop() as [number, [number, number][]];
      const f = t.feature[i];
      if (f >= 0) {
        if (fixed[f]) {
          const goLeft = sample[f] <= t.threshold[i];
          const next = box.map((b) => [...b] as [number, number]);
          next[f][goLeft ? 1 : 0] = t.threshold[i];
          stack.push([goLeft ? t.left[i] : t.right[i], next]);
          continue;
        }
        let splitsFixed = false;
        for (let k = 0; k < d && !splitsFixed; k++) splitsFixed = fixed[k] && this.active[i][k] === 1;
        if (splitsFixed) {
          stack.push([t.left[i], box], [t.right[i], box]);
          continue;
        }
      }
      values.push(this.stats[i][0]);
      // The node's volume counts the fixed features' extent too; only the free features are averaged over.
      weights.push(this.stats[i][1] / volume(box));
    }
    let w = 0;
    let s = 0;
    values.forEach((v, k) => {
      w += weights[k];
      s += v * weights[k];
    });
    return [s / w, w];
  }
}

function volume(box: readonly (readonly [number, number])[]): number {
  let v = 1;
  for (const [lo, hi] of box) v *= hi - lo;
  return v;
}

function weightedVariance(values: readonly number[], weights: readonly number[]): number {
  let w = 0;
  let s = 0;
  values.forEach((v, k) => {
    w += weights[k];
    s += v * weights[k];
  });
  const mean = s / w;
  let acc = 0;
  values.forEach((v, k) => (acc += weights[k] * (v - mean) ** 2));
  return acc / w;
}
