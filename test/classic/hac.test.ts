/**
 * Hierarchical clustering against scipy's linkage (merge tree) and sklearn's AgglomerativeClustering
 * (labels for k clusters and for a distance threshold), for every linkage.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classic, tensor, ValueError } from '../../src/index.js';
import { T, close, loadCases, samePartition, values } from './helpers.js';

const cases = loadCases('hac');

describe('AgglomerativeClustering matches scipy and sklearn', () => {
  for (const c of cases) {
    test(`${c.method} linkage`, () => {
      const ac = new classic.AgglomerativeClustering({ nClusters: 3, linkage: c.method }).fit(T(c.X));
      assert.deepEqual(values(ac.children), c.children.flat(), 'children (scipy order)');
      close(ac.distances, c.distances, 1e-6, 'distances');
      assert.deepEqual(Array.from(ac.tree.counts), c.counts);
      close(ac.linkageMatrix, c.Z, 1e-6, 'Z');
      close(classic.linkage(T(c.X), c.method), c.Z, 1e-6, 'linkage()');
      assert.equal(ac.nClusters, 3);
      assert.equal(ac.nLeaves, c.X.length);
      // sklearn's single linkage lists a merge's two children in MST order, so its label numbers may differ
      if (c.method === 'single') assert.ok(samePartition(values(ac.labels), c.labels3));
      else assert.deepEqual(values(ac.labels), c.labels3);
      const cut4 = values(ac.cut(4));
      if (c.method === 'single') assert.ok(samePartition(cut4, c.labels4));
      else assert.deepEqual(cut4, c.labels4);
      const at = new classic.AgglomerativeClustering({ distanceThreshold: c.threshold, linkage: c.method }).fit(T(c.X));
      assert.equal(at.nClusters, c.thresholdClusters);
      assert.ok(samePartition(values(at.labels), c.thresholdLabels));
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
