/**
 * Hierarchical clustering against scipy's linkage (merge tree) and sklearn's AgglomerativeClustering
 * (children, labels for k clusters and for a distance threshold), for every linkage and metric.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classic, ShapeError, tensor, ValueError } from '../../src/index.js';
import { T, close, loadCases, values } from './helpers.js';

const cases = loadCases('hac');

const metricCases = loadCases('hac_metrics');

describe('AgglomerativeClustering with other metrics and precomputed distances matches sklearn', () => {
  for (const c of metricCases) {
    test(c.name, () => {
      const ac = new classic.AgglomerativeClustering({ nClusters: 3, linkage: c.method, metric: c.metric }).fit(T(c.X));
      assert.deepEqual(values(ac.children), c.sklearnChildren.flat(), 'children');
      close(ac.distances, c.distances, 1e-9, 'distances');
      close(ac.linkageMatrix, c.Z, 1e-9, 'Z');
      close(classic.linkage(T(c.X), c.method, { metric: c.metric }), c.Z, 1e-9, 'linkage()');
      assert.deepEqual(values(ac.labels), c.labels3, 'labels, 3 clusters');
      assert.deepEqual(values(ac.cut(4)), c.labels4, 'labels, 4 clusters');
      const at = new classic.AgglomerativeClustering({ distanceThreshold: c.threshold, linkage: c.method, metric: c.metric }).fit(T(c.X));
      assert.equal(at.nClusters, c.thresholdClusters);
      assert.deepEqual(values(at.labels), c.thresholdLabels, 'threshold labels');
    });
  }

  test('bad input: ward with another metric, a non-square precomputed matrix, negative distances, a zero vector under cosine', () => {
    assert.throws(() => new classic.AgglomerativeClustering({ metric: 'manhattan' }), (e: Error) => e instanceof ValueError && /ward linkage works only with metric 'euclidean', got 'manhattan'/.test(e.message));
    assert.throws(() => classic.linkage(tensor([[0, 1], [1, 0]], { dtype: 'float64' }), 'ward', { metric: 'precomputed' }), (e: Error) => e instanceof ValueError && /^linkage: ward linkage works only/.test(e.message));
    assert.throws(() => new classic.AgglomerativeClustering({ metric: 'chebyshev' as never, linkage: 'average' }), (e: Error) => e instanceof ValueError && /metric must be one of 'euclidean', 'l2', 'manhattan', 'l1', 'cosine', 'precomputed', got "chebyshev"/.test(e.message));
    const pre = new classic.AgglomerativeClustering({ metric: 'precomputed', linkage: 'average' });
    assert.throws(() => pre.fit(tensor([[0, 1, 2], [1, 0, 3]], { dtype: 'float64' })), (e: Error) => e instanceof ShapeError && /AgglomerativeClustering.fit: with metric 'precomputed' X must be a square \[n, n\] distance matrix, got shape \[2, 3\]/.test(e.message));
    assert.throws(() => pre.fit(tensor([[0, -1], [-1, 0]], { dtype: 'float64' })), (e: Error) => e instanceof ValueError && /distances must be >= 0, got -1 at row 0, column 1/.test(e.message));
    const cos = new classic.AgglomerativeClustering({ metric: 'cosine', linkage: 'complete' });
    assert.throws(() => cos.fit(tensor([[1, 2], [0, 0], [2, 1]], { dtype: 'float64' })), (e: Error) => e instanceof ValueError && /metric 'cosine' is undefined for the all-zero sample at row 1/.test(e.message));
  });
});

describe('AgglomerativeClustering matches scipy and sklearn', () => {
  for (const c of cases) {
    test(`${c.method} linkage`, () => {
      const ac = new classic.AgglomerativeClustering({ nClusters: 3, linkage: c.method }).fit(T(c.X));
      assert.deepEqual(values(ac.children), c.sklearnChildren.flat(), 'children (sklearn order)');
      close(ac.distances, c.distances, 1e-6, 'distances');
      assert.deepEqual(Array.from(ac.tree.counts), c.counts);
      close(ac.linkageMatrix, c.Z, 1e-6, 'Z');
      close(classic.linkage(T(c.X), c.method), c.Z, 1e-6, 'linkage()');
      assert.equal(ac.nClusters, 3);
      assert.equal(ac.nLeaves, c.X.length);
      // single linkage too: its children keep sklearn's spanning-tree order, so the label numbers match
      assert.deepEqual(values(ac.labels), c.labels3);
      assert.deepEqual(values(ac.cut(4)), c.labels4);
      const at = new classic.AgglomerativeClustering({ distanceThreshold: c.threshold, linkage: c.method }).fit(T(c.X));
      assert.equal(at.nClusters, c.thresholdClusters);
      assert.deepEqual(values(at.labels), c.thresholdLabels);
    });
  }

  test('distances never decrease and cluster sizes add up', () => {
    for (const c of cases) {
      const t = new classic.AgglomerativeClustering({ linkage: c.method }).fit(T(c.X)).tree;
      for (let i = 1; i < t.distances.length; i++) assert.ok(t.distances[i] >= t.distances[i - 1]);
      assert.equal(t.counts[t.counts.length - 1], c.X.length);
    }
  });

  test('cutting into n clusters gives singletons, into 1 a single cluster', () => {
    const c = cases[0];
    const ac = new classic.AgglomerativeClustering({ nClusters: 1 }).fit(T(c.X));
    assert.ok(values(ac.labels).every((v) => v === 0));
    assert.equal(new Set(values(ac.cut(c.X.length))).size, c.X.length);
  });

  test('bad input: both nClusters and a threshold, too many clusters, unfitted, bad linkage', () => {
    assert.throws(() => new classic.AgglomerativeClustering({ nClusters: 2, distanceThreshold: 1 }), ValueError);
    const X = tensor([[0, 0], [1, 1]], { dtype: 'float64' });
    assert.throws(() => new classic.AgglomerativeClustering({ nClusters: 3 }).fit(X), (e: Error) => e instanceof ValueError && /nClusters = 3 is more than the 2 samples/.test(e.message));
    assert.throws(() => new classic.AgglomerativeClustering().children, (e: Error) => e instanceof ValueError && /not fitted yet/.test(e.message));
    assert.throws(() => new classic.AgglomerativeClustering({ linkage: 'centroid' as never }), (e: Error) => e instanceof ValueError && /linkage must be one of/.test(e.message));
  });
});
