/**
 * Hierarchical agglomerative clustering with single, complete, average (UPGMA) and Ward linkage on
 * Euclidean distances: the nearest-neighbour-chain algorithm over a full distance matrix (O(n^2) time and
 * memory) with Lance-Williams updates, the merge tree in scipy's form (merges sorted by distance, clusters
 * numbered n, n+1, ... in merge order, children as [smaller id, larger id]) — sklearn's `children_` and
 * `distances_` — and cuts into k clusters (sklearn's labelling) or at a distance.
 * @module
 */
import { ValueError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { type HostMatrix, checkChoice, checkIntOpt, checkNumberOpt, checkX, notFitted, toTensor } from './base.js';

/** How the distance between two clusters is measured. */
export type LinkageMethod = 'ward' | 'complete' | 'average' | 'single';

/** A merge tree over n leaves: merge i joins children[2i] and children[2i+1] into cluster n + i. */
export interface MergeTree {
  /** Number of leaves (samples). */
  nLeaves: number;
  /** (n-1) x 2 cluster ids, smaller first; ids < n are samples, id n + i the cluster made by merge i. */
  children: Int32Array;
  /** The linkage distance of each merge, non-decreasing. */
  distances: Float64Array;
  /** The number of samples in each merged cluster. */
  counts: Int32Array;
}

/** Most samples the full n x n distance matrix may take (about 2.9 GB at the limit). */
const MAX_SAMPLES = 20000;

function pairwise(x: HostMatrix): Float64Array {
  const { rows: n, cols: d, data } = x;
  const dist = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let q = 0; q < d; q++) {
        const v = data[i * d + q] - data[j * d + q];
        s += v * v;
      }
      const v = Math.sqrt(s);
      dist[i * n + j] = v;
      dist[j * n + i] = v;
    }
  }
  return dist;
}

/** The Lance-Williams update: distance from cluster k (size nk) to the union of x (nx) and y (ny). */
function newDistance(method: LinkageMethod, dxk: number, dyk: number, dxy: number, nx: number, ny: number, nk: number): number {
  switch (method) {
    case 'single':
      return Math.min(dxk, dyk);
    case 'complete':
      return Math.max(dxk, dyk);
    case 'average':
      return (nx * dxk + ny * dyk) / (nx + ny);
    case 'ward': {
      const t = 1 / (nx + ny + nk);
      return Math.sqrt((nx + nk) * t * dxk * dxk + (ny + nk) * t * dyk * dyk - nk * t * dxy * dxy);
    }
  }
}

/**
 * The merge tree of the samples of a host matrix (scipy's nn_chain, then its sorting and relabelling).
 */
function buildTree(x: HostMatrix, method: LinkageMethod): MergeTree {
  const n = x.rows;
  const D = pairwise(x);
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
  // sort merges by distance (stable), then number the clusters in merge order with a union-find
  const order = Array.from({ length: n - 1 }, (_, i) => i).sort((a, b) => zd[a] - zd[b] || a - b);
  const parent = new Int32Array(2 * n - 1).map((_, i) => i);
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
  const count = new Int32Array(2 * n - 1).fill(1);
  const children = new Int32Array(2 * (n - 1));
  const distances = new Float64Array(n - 1);
  const counts = new Int32Array(n - 1);
  order.forEach((m, i) => {
    const a = find(zx[m]);
    const b = find(zy[m]);
    children[2 * i] = Math.min(a, b);
    children[2 * i + 1] = Math.max(a, b);
    distances[i] = zd[m];
    const id = n + i;
    parent[a] = id;
    parent[b] = id;
    count[id] = count[a] + count[b];
    counts[i] = count[id];
  });
  return { nLeaves: n, children, distances, counts };
}

function checkSamples(where: string, X: Tensor): HostMatrix {
  const x = checkX(where, X);
  if (x.rows > MAX_SAMPLES) {
    throw new ValueError(`${where}: ${x.rows} samples need a ${x.rows} x ${x.rows} distance matrix; at most ${MAX_SAMPLES} are allowed, cluster a subsample`);
  }
  return x;
}

/**
 * The merge tree of X [n, d] under `method` (default 'ward'), as scipy.cluster.hierarchy.linkage's matrix
 * Z [n-1, 4] (float64): columns child a, child b (a < b), distance, size of the new cluster.
 */
export function linkage(X: Tensor, method: LinkageMethod = 'ward'): Tensor {
  const where = 'linkage';
  const m = checkChoice(where, 'method', method, ['ward', 'complete', 'average', 'single'] as const);
  const x = checkSamples(where, X);
  const t = buildTree(x, m);
  const z = new Float64Array(4 * (t.nLeaves - 1));
  for (let i = 0; i < t.nLeaves - 1; i++) {
    z[4 * i] = t.children[2 * i];
    z[4 * i + 1] = t.children[2 * i + 1];
    z[4 * i + 2] = t.distances[i];
    z[4 * i + 3] = t.counts[i];
  }
  return toTensor(z, [t.nLeaves - 1, 4], 'float64');
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

/** Options of AgglomerativeClustering. */
export interface AgglomerativeClusteringOptions {
  /** Number of clusters to cut the tree into (default 2; leave undefined when distanceThreshold is given). */
  nClusters?: number;
  /** Cut instead at this linkage distance: merges at distances >= the threshold are undone. */
  distanceThreshold?: number;
  /** Linkage (default 'ward', as sklearn). */
  linkage?: LinkageMethod;
}

interface HacState {
  tree: MergeTree;
  labels: Int32Array;
  nClusters: number;
  d: number;
}

/**
 * Agglomerative (bottom-up) hierarchical clustering, after sklearn.cluster.AgglomerativeClustering on
 * Euclidean distances: builds the full merge tree, then cuts it into `nClusters` clusters or at
 * `distanceThreshold`. After fit: `labels` (int32 [n]), `children` ([n-1, 2], sklearn's children_),
 * `distances` ([n-1]), `nClusters` found, and the whole tree (`tree`, `linkageMatrix`) for cutting
 * differently later (`cut`).
 */
export class AgglomerativeClustering {
  /** Requested number of clusters (undefined when cutting at a distance). */
  readonly nClustersOption: number | undefined;
  /** Distance at which the tree is cut, if any. */
  readonly distanceThreshold: number | undefined;
  /** Linkage method. */
  readonly linkage: LinkageMethod;
  private state: HacState | undefined;

  /** A clustering with the given options; exactly one of nClusters and distanceThreshold applies. */
  constructor(opts: AgglomerativeClusteringOptions = {}) {
    const where = 'AgglomerativeClustering';
    if (opts.nClusters !== undefined && opts.distanceThreshold !== undefined) {
      throw new ValueError(`${where}: give either nClusters or distanceThreshold, not both`);
    }
    this.distanceThreshold = opts.distanceThreshold === undefined ? undefined : checkNumberOpt(where, 'distanceThreshold', opts.distanceThreshold, 0);
    this.nClustersOption = this.distanceThreshold === undefined ? checkIntOpt(where, 'nClusters', opts.nClusters ?? 2, 1) : undefined;
    this.linkage = checkChoice(where, 'linkage', opts.linkage ?? 'ward', ['ward', 'complete', 'average', 'single'] as const);
  }

  /** Builds the merge tree of X [n, d] and cuts it; returns this. */
  fit(X: Tensor): this {
    const where = 'AgglomerativeClustering.fit';
    const x = checkSamples(where, X);
    if (this.nClustersOption !== undefined && this.nClustersOption > x.rows) {
      throw new ValueError(`${where}: nClusters = ${this.nClustersOption} is more than the ${x.rows} samples in X ${fmtShape(X.shape)}; lower nClusters`);
    }
    const tree = buildTree(x, this.linkage);
    let k: number;
    if (this.distanceThreshold !== undefined) {
      k = 1;
      for (const v of tree.distances) if (v >= this.distanceThreshold) k++;
    } else {
      k = this.nClustersOption!;
    }
    this.state = { tree, labels: cutTree(tree, k), nClusters: k, d: x.cols };
    return this;
  }

  /** fit(X), then the labels. */
  fitPredict(X: Tensor): Tensor {
    return this.fit(X).labels;
  }

  private fitted(method: string): HacState {
    if (!this.state) throw notFitted(`AgglomerativeClustering.${method}`, 'AgglomerativeClustering', 'fit(X)');
    return this.state;
  }

  /** Labels of a different cut of the fitted tree: `nClusters` clusters (int32 [n]). */
  cut(nClusters: number): Tensor {
    const s = this.fitted('cut');
    return toTensor(cutTree(s.tree, nClusters), [s.tree.nLeaves], 'int32');
  }

  /** Cluster label of each sample, int32 [n] (sklearn's labels_). */
  get labels(): Tensor {
    const s = this.fitted('labels');
    return toTensor(s.labels, [s.labels.length], 'int32');
  }

  /** Number of clusters of the cut (sklearn's n_clusters_). */
  get nClusters(): number {
    return this.fitted('nClusters').nClusters;
  }

  /** Number of samples (sklearn's n_leaves_). */
  get nLeaves(): number {
    return this.fitted('nLeaves').tree.nLeaves;
  }

  /** The merges, int32 [n-1, 2] (sklearn's children_): row i joins two clusters into cluster n + i. */
  get children(): Tensor {
    const t = this.fitted('children').tree;
    return toTensor(t.children, [t.nLeaves - 1, 2], 'int32');
  }

  /** The linkage distance of each merge, float64 [n-1] (sklearn's distances_). */
  get distances(): Tensor {
    const t = this.fitted('distances').tree;
    return toTensor(t.distances, [t.nLeaves - 1], 'float64');
  }

  /** The fitted merge tree. */
  get tree(): MergeTree {
    return this.fitted('tree').tree;
  }

  /** The tree as scipy's linkage matrix Z [n-1, 4]: child, child, distance, cluster size. */
  get linkageMatrix(): Tensor {
    const t = this.fitted('linkageMatrix').tree;
    const z = new Float64Array(4 * (t.nLeaves - 1));
    for (let i = 0; i < t.nLeaves - 1; i++) {
      z.set([t.children[2 * i], t.children[2 * i + 1], t.distances[i], t.counts[i]], 4 * i);
    }
    return toTensor(z, [t.nLeaves - 1, 4], 'float64');
  }
}
