/**
 * The merge trees of hierarchical agglomerative clustering: pairwise distances under sklearn's metrics
 * (euclidean/l2, manhattan/l1, cosine, or a precomputed matrix), the nearest-neighbour-chain algorithm with
 * Lance-Williams updates for complete, average (UPGMA) and Ward linkage, Prim's minimum spanning tree for
 * single linkage, the tree in scipy's form (merges sorted by distance, clusters numbered n, n+1, ... in merge
 * order), `linkage` (scipy's matrix Z) and `cutTree` (sklearn's labelling of k clusters).
 * @module
 */
import { ShapeError, ValueError, assertNever, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { type HostMatrix, checkChoice, checkIntOpt, checkX, toTensor } from './base.js';

/** How the distance between two clusters is measured. */
export type LinkageMethod = 'ward' | 'complete' | 'average' | 'single';

/**
 * The dissimilarity between samples (sklearn's `metric`): 'euclidean' (= 'l2'), 'manhattan' (= 'l1'),
 * 'cosine' (1 - cos of the angle), or 'precomputed' (X is itself the [n, n] distance matrix; its upper
 * triangle is read). Ward linkage needs 'euclidean'.
 */
export type HacMetric = 'euclidean' | 'l2' | 'manhattan' | 'l1' | 'cosine' | 'precomputed';

/** The metrics, in the order messages list them. */
export const HAC_METRICS: readonly HacMetric[] = ['euclidean', 'l2', 'manhattan', 'l1', 'cosine', 'precomputed'];

/** The linkage methods, in the order messages list them. */
export const LINKAGES: readonly LinkageMethod[] = ['ward', 'complete', 'average', 'single'];

/** A merge tree over n leaves: merge i joins children[2i] and children[2i+1] into cluster n + i. */
export interface MergeTree {
  /** Number of leaves (samples). */
  nLeaves: number;
  /**
   * (n-1) x 2 cluster ids; ids < n are samples, id n + i the cluster made by merge i. Smaller id first, except
   * for single linkage on a non-precomputed metric, where each pair is in sklearn's minimum-spanning-tree order
   * (the cluster reached first by Prim's walk first), as sklearn's children_.
   */
  children: Int32Array;
  /** The linkage distance of each merge, non-decreasing. */
  distances: Float64Array;
  /** The number of samples in each merged cluster. */
  counts: Int32Array;
}

/** Most samples the full n x n distance matrix may take (about 2.9 GB at the limit). */
const MAX_SAMPLES = 20000;

/** The n x n distance matrix of the rows of x under `metric` (not 'precomputed'). */
function pairwise(x: HostMatrix, metric: Exclude<HacMetric, 'precomputed'>): Float64Array {
  const { rows: n, cols: d, data } = x;
  const dist = new Float64Array(n * n);
  const norms = new Float64Array(n);
  if (metric === 'cosine') {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let q = 0; q < d; q++) s += data[i * d + q] ** 2;
      norms[i] = Math.sqrt(s);
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      let v: number;
      if (metric === 'manhattan' || metric === 'l1') {
        for (let q = 0; q < d; q++) s += Math.abs(data[i * d + q] - data[j * d + q]);
        v = s;
      } else if (metric === 'cosine') {
        for (let q = 0; q < d; q++) s += data[i * d + q] * data[j * d + q];
        // scipy clips the rounding error of nearly parallel vectors into [0, 2]
        v = Math.min(Math.max(1 - s / (norms[i] * norms[j]), 0), 2);
      } else {
        for (let q = 0; q < d; q++) {
          const e = data[i * d + q] - data[j * d + q];
          s += e * e;
        }
        v = Math.sqrt(s);
      }
      dist[i * n + j] = v;
      dist[j * n + i] = v;
    }
  }
  return dist;
}

/** Checks the samples (or the precomputed matrix) and returns the full n x n distance matrix. */
export function distanceMatrix(where: string, X: Tensor, metric: HacMetric, linkageMethod: LinkageMethod): { dist: Float64Array; n: number } {
  if (linkageMethod === 'ward' && metric !== 'euclidean') {
    throw new ValueError(`${where}: ward linkage works only with metric 'euclidean', got '${metric}'; use complete, average or single linkage`);
  }
  const x = checkX(where, X);
  const n = x.rows;
  if (n > MAX_SAMPLES) {
    throw new ValueError(`${where}: ${n} samples need a ${n} x ${n} distance matrix; at most ${MAX_SAMPLES} are allowed, cluster a subsample`);
  }
  if (metric === 'precomputed') {
    if (x.cols !== n) throw new ShapeError(`${where}: with metric 'precomputed' X must be a square [n, n] distance matrix, got shape ${fmtShape(X.shape)}`);
    const dist = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const v = x.data[i * n + j];
        if (v < 0) throw new ValueError(`${where}: distances must be >= 0, got ${v} at row ${i}, column ${j} of the precomputed matrix`);
        dist[i * n + j] = v;
        dist[j * n + i] = v;
      }
    }
    return { dist, n };
  }
  if (metric === 'cosine') {
    for (let i = 0; i < n; i++) {
      let zero = true;
      for (let q = 0; q < x.cols; q++) if (x.data[i * x.cols + q] !== 0) zero = false;
      if (zero) throw new ValueError(`${where}: metric 'cosine' is undefined for the all-zero sample at row ${i}`);
    }
  }
  return { dist: pairwise(x, metric), n };
}

/** The Lance-Williams update: distance from cluster k (size nk) to the union of x (nx) and y (ny). */
function newDistance(method: Exclude<LinkageMethod, 'single'>, dxk: number, dyk: number, dxy: number, nx: number, ny: number, nk: number): number {
  switch (method) {
    case 'complete':
      return Math.max(dxk, dyk);
    case 'average':
      return (nx * dxk + ny * dyk) / (nx + ny);
    case 'ward': {
      const t = 1 / (nx + ny + nk);
      return Math.sqrt((nx + nk) * t * dxk * dxk + (ny + nk) * t * dyk * dyk - nk * t * dxy * dxy);
    }
    default:
      return assertNever(method, 'linkage method');
  }
}

/** scipy's nn_chain on the distance matrix D (overwritten): the unsorted merges as (x, y, distance). */
function nnChain(D: Float64Array, n: number, method: Exclude<LinkageMethod, 'single'>): { zx: Int32Array; zy: Int32Array; zd: Float64Array } {
  const size = new Int32Array(n).fill(1);
  const zx = new Int32Array(Math.max(n - 1, 0));
  const zy = new Int32Array(Math.max(n - 1, 0));
  const zd = new Float64Array(Math.max(n - 1, 0));
  const chain: number[] = [];
  for (let k = 0; k < n - 1; k++) {
    let xi = 0;
    let yi = 0;
    let best = Infinity;
    if (chain.length === 0) {
      for (let i = 0; i < n; i++) {
        if (size[i] > 0) {
          chain.push(i);
          break;
        }
      }
    }
    for (;;) {
      xi = chain[chain.length - 1];
      if (chain.length > 1) {
        yi = chain[chain.length - 2];
        best = D[xi * n + yi];
      } else {
        best = Infinity;
      }
      for (let i = 0; i < n; i++) {
        if (size[i] === 0 || i === xi) continue;
        const v = D[xi * n + i];
        if (v < best) {
          best = v;
          yi = i;
        }
      }
      if (chain.length > 1 && yi === chain[chain.length - 2]) break;
      chain.push(yi);
    }
    chain.pop();
    chain.pop();
    if (xi > yi) [xi, yi] = [yi, xi];
    const nx = size[xi];
    const ny = size[yi];
    zx[k] = xi;
    zy[k] = yi;
    zd[k] = best;
    size[xi] = 0;
    size[yi] = nx + ny;
    for (let i = 0; i < n; i++) {
      const ni = size[i];
      if (ni === 0 || i === yi) continue;
      const v = newDistance(method, D[i * n + xi], D[i * n + yi], best, nx, ny, ni);
      D[i * n + yi] = v;
      D[yi * n + i] = v;
    }
  }
  return { zx, zy, zd };
}

/**
 * Prim's minimum spanning tree from sample 0, as sklearn's mst_linkage_core and scipy's mst_single_linkage:
 * edge k joins the sample added last to the next nearest one.
 */
function primMst(D: Float64Array, n: number): { zx: Int32Array; zy: Int32Array; zd: Float64Array } {
  const inTree = new Uint8Array(n);
  const current = new Float64Array(n).fill(Infinity);
  const zx = new Int32Array(Math.max(n - 1, 0));
  const zy = new Int32Array(Math.max(n - 1, 0));
  const zd = new Float64Array(Math.max(n - 1, 0));
  let node = 0;
  for (let k = 0; k < n - 1; k++) {
    inTree[node] = 1;
    let best = Infinity;
    let next = 0;
    for (let j = 0; j < n; j++) {
      if (inTree[j]) continue;
      const v = D[node * n + j];
      if (v < current[j]) current[j] = v;
      if (current[j] < best) {
        best = current[j];
        next = j;
      }
    }
    zx[k] = node;
    zy[k] = next;
    zd[k] = best;
    node = next;
  }
  return { zx, zy, zd };
}

/**
 * The merge tree from a full distance matrix D (n x n, overwritten). Merges are sorted by distance (stable)
 * and numbered in that order with a union-find. `mstOrder` keeps each pair's order from Prim's walk (sklearn's
 * single linkage on a metric) instead of sorting it (scipy's and sklearn's other linkages).
 */
export function buildTree(D: Float64Array, n: number, method: LinkageMethod, mstOrder = false): MergeTree {
  const { zx, zy, zd } = method === 'single' ? primMst(D, n) : nnChain(D, n, method);
  const order = Array.from({ length: Math.max(n - 1, 0) }, (_, i) => i).sort((a, b) => zd[a] - zd[b] || a - b);
  const parent = new Int32Array(Math.max(2 * n - 1, 1)).map((_, i) => i);
  const find = (v: number): number => {
    let r = v;
    while (parent[r] !== r) r = parent[r];
    while (parent[v] !== r) {
      const next = parent[v];
      parent[v] = r;
      v = next;
    }
    return r;
  };
  const count = new Int32Array(Math.max(2 * n - 1, 1)).fill(1);
  const children = new Int32Array(2 * Math.max(n - 1, 0));
  const distances = new Float64Array(Math.max(n - 1, 0));
  const counts = new Int32Array(Math.max(n - 1, 0));
  order.forEach((m, i) => {
    const a = find(zx[m]);
    const b = find(zy[m]);
    const keep = mstOrder && method === 'single';
    children[2 * i] = keep ? a : Math.min(a, b);
    children[2 * i + 1] = keep ? b : Math.max(a, b);
    distances[i] = zd[m];
    const id = n + i;
    parent[a] = id;
    parent[b] = id;
    count[id] = count[a] + count[b];
    counts[i] = count[id];
  });
  return { nLeaves: n, children, distances, counts };
}

/** The tree as scipy's linkage matrix Z [n-1, 4] (float64): child a < child b, distance, cluster size. */
export function linkageMatrixOf(t: MergeTree): Tensor {
  const z = new Float64Array(4 * Math.max(t.nLeaves - 1, 0));
  for (let i = 0; i < t.nLeaves - 1; i++) {
    const a = t.children[2 * i];
    const b = t.children[2 * i + 1];
    z.set([Math.min(a, b), Math.max(a, b), t.distances[i], t.counts[i]], 4 * i);
  }
  return toTensor(z, [Math.max(t.nLeaves - 1, 0), 4], 'float64');
}

/** Options of `linkage`. */
export interface LinkageOptions {
  /** The sample dissimilarity (default 'euclidean'); 'precomputed' reads X [n, n] as distances. */
  metric?: HacMetric;
}

/**
 * The merge tree of X [n, d] (or of the distance matrix X [n, n] with metric 'precomputed') under `method`
 * (default 'ward'), as scipy.cluster.hierarchy.linkage's matrix Z [n-1, 4] (float64): columns child a,
 * child b (a < b), distance, size of the new cluster.
 */
export function linkage(X: Tensor, method: LinkageMethod = 'ward', opts: LinkageOptions = {}): Tensor {
  const where = 'linkage';
  const m = checkChoice(where, 'method', method, LINKAGES);
  const metric = checkChoice(where, 'metric', opts.metric ?? 'euclidean', HAC_METRICS);
  const { dist, n } = distanceMatrix(where, X, metric, m);
  return linkageMatrixOf(buildTree(dist, n, m));
}

/** Python's heapq sift-down (the new item moves toward the root). */
function siftDown(heap: number[], start: number, pos: number): void {
  const item = heap[pos];
  while (pos > start) {
    const parentPos = (pos - 1) >> 1;
    const parent = heap[parentPos];
    if (item < parent) {
      heap[pos] = parent;
      pos = parentPos;
      continue;
    }
    break;
  }
  heap[pos] = item;
}

/** Python's heapq sift-up (the smaller child rises until a leaf, then sift-down). */
function siftUp(heap: number[], pos: number): void {
  const end = heap.length;
  const start = pos;
  const item = heap[pos];
  let child = 2 * pos + 1;
  while (child < end) {
    const right = child + 1;
    if (right < end && !(heap[child] < heap[right])) child = right;
    heap[pos] = heap[child];
    pos = child;
    child = 2 * pos + 1;
  }
  heap[pos] = item;
  siftDown(heap, start, pos);
}

/**
 * Cuts a merge tree into `nClusters` clusters by undoing the last nClusters - 1 merges, labelling them as
 * sklearn's AgglomerativeClustering does (same heap order, so the same label numbers). Returns int32 labels.
 */
export function cutTree(tree: MergeTree, nClusters: number): Int32Array {
  const n = tree.nLeaves;
  const k = checkIntOpt('cutTree', 'nClusters', nClusters, 1);
  if (k > n) throw new ValueError(`cutTree: cannot make ${k} clusters from ${n} samples`);
  const labels = new Int32Array(n);
  if (n === 1) return labels;
  const ch = tree.children;
  const nodes: number[] = [-Math.max(ch[2 * (n - 2)], ch[2 * (n - 2) + 1]) - 1];
  for (let c = 0; c < k - 1; c++) {
    const top = -nodes[0] - n;
    // heappush(nodes, -children[0]); heappushpop(nodes, -children[1])
    nodes.push(-ch[2 * top]);
    siftDown(nodes, 0, nodes.length - 1);
    const item = -ch[2 * top + 1];
    if (nodes.length > 0 && nodes[0] < item) {
      nodes[0] = item;
      siftUp(nodes, 0);
    }
  }
  nodes.forEach((node, i) => {
    const stack = [-node];
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (v < n) labels[v] = i;
      else stack.push(ch[2 * (v - n)], ch[2 * (v - n) + 1]);
    }
  });
  return labels;
}
