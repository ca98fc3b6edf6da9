/**
 * MiniBatchKMeans against scikit-learn, statistically: shendu's random stream differs from NumPy's, so the
 * same seeds give different batches. Over ten seeds the median inertia must be within 3% of sklearn's
 * median over ten seeds (and no run below full k-means' optimum), on blobs, with sample weights and with random
 * initialization. Also: seeded reproducibility, labels = predict(X), explicit centers, typed errors.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classic, ShapeError, tensor, ValueError } from '../../src/index.js';
import { T, loadCases, values } from './helpers.js';

const cases = loadCases('minibatch');
const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

describe('MiniBatchKMeans matches sklearn statistically', () => {
  for (const c of cases) {
    test(c.name, () => {
      const X = T(c.X);
      const opts = c.sampleWeight ? { sampleWeight: T(c.sampleWeight) } : undefined;
      const ours = Array.from({ length: 10 }, (_, seed) => seed).map((seed) => new classic.MiniBatchKMeans({ nClusters: 6, batchSize: c.batchSize, init: c.init, seed }).fit(X, opts).inertia);
      const rel = Math.abs(median(ours) - median(c.inertias)) / median(c.inertias);
      assert.ok(rel < 0.03, `median inertia ${median(ours)} vs sklearn's ${median(c.inertias)} (${(100 * rel).toFixed(2)}%)`);
      for (const v of ours) assert.ok(v >= 0.999 * c.fullInertia, `${v} below full k-means' ${c.fullInertia}`);
    });
  }

  test('seeded runs repeat; labels are the nearest final centers; early stopping ends before maxIter passes', () => {
    const X = T(cases[0].X);
    const a = new classic.MiniBatchKMeans({ nClusters: 6, batchSize: 100, seed: 4 }).fit(X);
    const b = new classic.MiniBatchKMeans({ nClusters: 6, batchSize: 100, seed: 4 }).fit(X);
    assert.deepEqual(values(a.clusterCenters), values(b.clusterCenters));
    assert.deepEqual(values(a.labels), values(a.predict(X)));
    assert.equal(a.inertia, -a.score(X));
    assert.ok(a.nSteps < (100 * cases[0].X.length) / 100, `${a.nSteps} steps`);
    assert.equal(a.nIter, Math.ceil((a.nSteps * 100) / cases[0].X.length));
    assert.deepEqual([...a.transform(X).shape], [cases[0].X.length, 6]);
  });

  test('explicit initial centers; bad input', () => {
    const X = tensor([[0, 0], [0, 1], [1, 0], [10, 10], [10, 11], [11, 10]], { dtype: 'float64' });
    const m = new classic.MiniBatchKMeans({ nClusters: 2, init: tensor([[0, 0], [10, 10]], { dtype: 'float64' }), batchSize: 3, seed: 0 }).fit(X);
    assert.equal(m.nInit, 1);
    assert.ok(classic.adjustedRandScore(m.labels, tensor(new Int32Array([0, 0, 0, 1, 1, 1]))) === 1);
    assert.throws(() => new classic.MiniBatchKMeans({ nClusters: 7 }).fit(X), (e: Error) => e instanceof ValueError && /MiniBatchKMeans.fit: nClusters = 7 is more than the 6 samples/.test(e.message));
    assert.throws(() => new classic.MiniBatchKMeans({ nClusters: 2, init: tensor([[0, 0, 0], [1, 1, 1]]) }).fit(X), (e: Error) => e instanceof ShapeError && /init must be \[nClusters, nFeatures\] = \[2, 2\], got shape \[2, 3\]/.test(e.message));
    assert.throws(() => new classic.MiniBatchKMeans({ batchSize: 0 }), (e: Error) => e instanceof ValueError && /batchSize must be an integer >= 1, got 0/.test(e.message));
    assert.throws(() => new classic.MiniBatchKMeans({ nClusters: 2 }).fit(X, { sampleWeight: tensor([1, 2]) }), (e: Error) => e instanceof ShapeError && /sampleWeight must be 1-D with one weight per sample \[6\], got shape \[2\]/.test(e.message));
    assert.throws(() => new classic.MiniBatchKMeans().predict(X), (e: Error) => e instanceof ValueError && /MiniBatchKMeans.predict: this MiniBatchKMeans is not fitted yet; call fit\(X\) first/.test(e.message));
  });
});
