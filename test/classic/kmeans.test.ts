/**
 * KMeans against scikit-learn with the same initial centers (n_init=1, init=array): centers, labels,
 * inertia, iteration count, predict/transform/score; k-means++ and restarts on their own terms.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classic, Generator, ShapeError, tensor, ValueError } from '../../src/index.js';
import { T, close, loadCases, values } from './helpers.js';

const cases = loadCases('kmeans');

describe('KMeans matches sklearn from the same initial centers', () => {
  for (const c of cases) {
    test(c.name, () => {
      const km = new classic.KMeans({ nClusters: c.init.length, init: T(c.init), tol: c.tol, maxIter: c.maxIter }).fit(T(c.X));
      assert.equal(km.nInit, 1);
      close(km.clusterCenters, c.centers, 1e-6, 'centers');
      assert.deepEqual(values(km.labels), c.labels);
      close(km.inertia, c.inertia, 1e-6, 'inertia');
      assert.equal(km.nIter, c.nIter);
      assert.deepEqual(values(km.predict(T(c.Xtest))), c.predTest);
      close(km.transform(T(c.Xtest)), c.transformTest, 1e-6, 'transform');
      close(km.score(T(c.Xtest)), c.scoreTest, 1e-6, 'score');
    });
  }
});

describe('KMeans initialization and restarts', () => {
  const c = cases[0];
  test('k-means++ with a seed is reproducible and finds the three blobs', () => {
    const a = new classic.KMeans({ nClusters: 3, seed: 7 }).fit(T(c.X));
    const b = new classic.KMeans({ nClusters: 3, seed: 7 }).fit(T(c.X));
    assert.deepEqual(values(a.labels), values(b.labels));
    assert.equal(a.inertia, b.inertia);
    // ten k-means++ restarts reach sklearn's optimum (from a decent start it is the global one here)
    close(a.inertia, c.inertia, 1e-9, 'inertia');
    assert.ok(classic.adjustedRandScore(a.labels, c.labels) === 1);
  });

  test('more restarts never give a worse inertia than one', () => {
    const one = new classic.KMeans({ nClusters: 5, nInit: 1, init: 'random', generator: new Generator(3) }).fit(T(c.X));
    const many = new classic.KMeans({ nClusters: 5, nInit: 20, init: 'random', generator: new Generator(3) }).fit(T(c.X));
    assert.ok(many.inertia <= one.inertia + 1e-12);
  });

  test('kmeansPlusPlus picks distinct samples as centers', () => {
    const { centers, indices } = classic.kmeansPlusPlus(T(c.X), 5, { seed: 1 });
    assert.equal(new Set(indices).size, 5);
    assert.deepEqual([...centers.shape], [5, 2]);
    close(centers, indices.map((i) => c.X[i]), 0, 'centers are samples');
  });

  test('an empty cluster is relocated to the farthest sample', () => {
    const X = tensor([[0, 0], [0, 1], [1, 0], [10, 10], [10, 11]], { dtype: 'float64' });
    const init = tensor([[0, 0], [100, 100], [10, 10]], { dtype: 'float64' });
    const km = new classic.KMeans({ nClusters: 3, init }).fit(X);
    assert.equal(new Set(values(km.labels)).size, 3, 'every cluster is used');
  });

  test('bad input: k larger than the samples, wrong init shape, 1-D X, NaN, unfitted predict', () => {
    const X = tensor([[0, 0], [1, 1], [2, 2]], { dtype: 'float64' });
    assert.throws(() => new classic.KMeans({ nClusters: 4 }).fit(X), (e: Error) => e instanceof ValueError && /nClusters = 4 is more than the 3 samples in X \[3, 2\]/.test(e.message));
    assert.throws(() => new classic.KMeans({ nClusters: 2, init: tensor([[0, 0, 0], [1, 1, 1]]) }).fit(X), (e: Error) => e instanceof ShapeError && /init must be \[nClusters, nFeatures\] = \[2, 2\], got shape \[2, 3\]/.test(e.message));
    assert.throws(() => new classic.KMeans({ nClusters: 2 }).fit(tensor([1, 2, 3])), (e: Error) => e instanceof ShapeError && /KMeans.fit: X must be 2-D/.test(e.message));
    assert.throws(() => new classic.KMeans({ nClusters: 2 }).predict(X), (e: Error) => e instanceof ValueError && /not fitted yet; call fit\(X\) first/.test(e.message));
    assert.throws(() => new classic.KMeans({ init: 'kmeans' as never }), ValueError);
  });
});
