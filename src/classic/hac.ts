/**
 * Hierarchical agglomerative clustering, after sklearn.cluster.AgglomerativeClustering: the full merge tree
 * (see `hac-tree.ts`) under single, complete, average or Ward linkage and sklearn's metrics (euclidean/l2,
 * manhattan/l1, cosine, precomputed), cut into k clusters with sklearn's label numbers or at a distance.
 * @module
 */
import { ValueError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkChoice, checkIntOpt, checkNumberOpt, notFitted, toTensor } from './base.js';
import { type HacMetric, HAC_METRICS, LINKAGES, type LinkageMethod, type MergeTree, buildTree, cutTree, distanceMatrix, linkageMatrixOf } from './hac-tree.js';

/** Options of AgglomerativeClustering. */
export interface AgglomerativeClusteringOptions {
  /** Number of clusters to cut the tree into (default 2; leave undefined when distanceThreshold is given). */
  nClusters?: number;
  /** Cut instead at this linkage distance: merges at distances >= the threshold are undone. */
  distanceThreshold?: number;
  /** Linkage (default 'ward', as sklearn). */
  linkage?: LinkageMethod;
  /** Sample dissimilarity (default 'euclidean', the only one ward allows); 'precomputed': fit takes an [n, n] distance matrix. */
  metric?: HacMetric;
}

interface HacState {
  tree: MergeTree;
  labels: Int32Array;
  nClusters: number;
}

/**
 * Agglomerative (bottom-up) hierarchical clustering, after sklearn.cluster.AgglomerativeClustering: builds the full merge tree, then cuts it into `nClusters` clusters or at
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
  /** Sample dissimilarity. */
  readonly metric: HacMetric;
  private state: HacState | undefined;

  /** A clustering with the given options; exactly one of nClusters and distanceThreshold applies. */
  constructor(opts: AgglomerativeClusteringOptions = {}) {
    const where = 'AgglomerativeClustering';
    if (opts.nClusters !== undefined && opts.distanceThreshold !== undefined) {
      throw new ValueError(`${where}: give either nClusters or distanceThreshold, not both`);
    }
    this.distanceThreshold = opts.distanceThreshold === undefined ? undefined : checkNumberOpt(where, 'distanceThreshold', opts.distanceThreshold, 0);
    this.nClustersOption = this.distanceThreshold === undefined ? checkIntOpt(where, 'nClusters', opts.nClusters ?? 2, 1) : undefined;
    this.linkage = checkChoice(where, 'linkage', opts.linkage ?? 'ward', LINKAGES);
    this.metric = checkChoice(where, 'metric', opts.metric ?? 'euclidean', HAC_METRICS);
    if (this.linkage === 'ward' && this.metric !== 'euclidean') {
      throw new ValueError(`${where}: ward linkage works only with metric 'euclidean', got '${this.metric}'; use complete, average or single linkage`);
    }
  }

  /** Builds the merge tree of X [n, d] (or of the distances X [n, n] with metric 'precomputed') and cuts it; returns this. */
  fit(X: Tensor): this {
    const where = 'AgglomerativeClustering.fit';
    const { dist, n } = distanceMatrix(where, X, this.metric, this.linkage);
    if (this.nClustersOption !== undefined && this.nClustersOption > n) {
      throw new ValueError(`${where}: nClusters = ${this.nClustersOption} is more than the ${n} samples in X ${fmtShape(X.shape)}; lower nClusters`);
    }
    // sklearn runs its own minimum spanning tree for single linkage on a metric, scipy's linkage otherwise
    const tree = buildTree(dist, n, this.linkage, this.metric !== 'precomputed' && this.metric !== 'cosine');
    let k: number;
    if (this.distanceThreshold !== undefined) {
      k = 1;
      for (const v of tree.distances) if (v >= this.distanceThreshold) k++;
    } else {
      k = this.nClustersOption!;
    }
    this.state = { tree, labels: cutTree(tree, k), nClusters: k };
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

  /**
   * The merges, int32 [n-1, 2] (sklearn's children_): row i joins two clusters into cluster n + i; smaller id
   * first except for single linkage on a metric, which keeps sklearn's spanning-tree order.
   */
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

  /** The tree as scipy's linkage matrix Z [n-1, 4]: child, child (smaller first), distance, cluster size. */
  get linkageMatrix(): Tensor {
    return linkageMatrixOf(this.fitted('linkageMatrix').tree);
  }
}
