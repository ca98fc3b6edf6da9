/**
 * Bad input across the estimators: mismatched sample counts, NaN and infinity, a 1-D X, predict before fit,
 * a feature-count mismatch — each a typed error naming the estimator, the argument and the shapes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classic, DataError, ShapeError, tensor, ValueError, type Tensor } from '../../src/index.js';

const X = tensor([[1, 2], [2, 1], [3, 5], [4, 3], [5, 4]], { dtype: 'float64' });
const y = tensor([1, 2, 3, 4, 6], { dtype: 'float64' });
const labels = tensor(new Int32Array([0, 1, 0, 1, 1]));

type Supervised = { name: string; make: () => { fit(X: Tensor, y: Tensor): unknown; predict(X: Tensor): Tensor }; y: Tensor };
const supervised: Supervised[] = [
  { name: 'LinearRegression', make: () => new classic.LinearRegression(), y },
  { name: 'LinearRegressionGD', make: () => new classic.LinearRegressionGD(), y },
  { name: 'LogLinearRegression', make: () => new classic.LogLinearRegression(), y },
  { name: 'Ridge', make: () => new classic.Ridge(), y },
  { name: 'Lasso', make: () => new classic.Lasso({ alpha: 0.1 }), y },
  { name: 'ElasticNet', make: () => new classic.ElasticNet({ alpha: 0.1 }), y },
  { name: 'LogisticRegression', make: () => new classic.LogisticRegression(), y: labels },
  { name: 'ELMRegressor', make: () => new classic.ELMRegressor({ nHidden: 5, seed: 0 }), y },
  { name: 'ELMClassifier', make: () => new classic.ELMClassifier({ nHidden: 5, seed: 0 }), y: labels },
  { name: 'RidgeCV', make: () => new classic.RidgeCV(), y },
  { name: 'LassoCV', make: () => new classic.LassoCV({ cv: 2 }), y },
  { name: 'LogisticRegressionCV', make: () => new classic.LogisticRegressionCV({ cv: 2, Cs: 2 }), y: labels },
];

const withValue = (v: number, at: [number, number]): Tensor => {
  const rows = X.toArray() as number[][];
  rows[at[0]][at[1]] = v;
  return tensor(rows, { dtype: 'float64' });
};

describe('supervised estimators refuse bad input with typed errors', () => {
  for (const s of supervised) {
    test(s.name, () => {
      const short = tensor(Array.from(s.y.toTypedArray()).slice(0, 4), { dtype: s.y.dtype });
      assert.throws(() => s.make().fit(X, short), (e: Error) => e instanceof ShapeError && e.message.startsWith(`${s.name}.fit: X has 5 samples (shape [5, 2]) but y has 4 (shape [4])`), 'sample mismatch');
      assert.throws(() => s.make().fit(withValue(NaN, [2, 1]), s.y), (e: Error) => e instanceof DataError && e.message.startsWith(`${s.name}.fit: X contains NaN (row 2, column 1)`), 'NaN');
      assert.throws(() => s.make().fit(withValue(-Infinity, [0, 0]), s.y), (e: Error) => e instanceof DataError && /X contains -Infinity \(row 0, column 0\)/.test(e.message), 'infinity');
      const badY = tensor(Array.from(s.y.toTypedArray()).map((v, i) => (i === 3 ? NaN : v)), { dtype: 'float64' });
      assert.throws(() => s.make().fit(X, badY), (e: Error) => e instanceof DataError && /y contains NaN/.test(e.message), 'NaN in y');
      assert.throws(() => s.make().fit(tensor([1, 2, 3, 4, 5], { dtype: 'float64' }), s.y), (e: Error) => e instanceof ShapeError && /X must be 2-D \[nSamples, nFeatures\], got shape \[5\]; for one feature reshape it to \[5, 1\]/.test(e.message), '1-D X');
      assert.throws(() => s.make().predict(X), (e: Error) => e instanceof ValueError && e.message.startsWith(`${s.name}.predict: this ${s.name} is not fitted yet`), 'unfitted');
      const m = s.make();
      m.fit(X, s.y);
      assert.throws(() => m.predict(tensor([[1, 2, 3]], { dtype: 'float64' })), (e: Error) => e instanceof ShapeError && e.message.startsWith(`${s.name}.predict: X has 3 features (shape [1, 3]) but the model was fitted with 2`), 'feature mismatch');
      assert.throws(() => s.make().fit([[1, 2]] as never, s.y), (e: Error) => e instanceof ValueError && /X must be a Tensor, got an array/.test(e.message), 'not a tensor');
    });
  }
});

describe('unsupervised estimators refuse bad input with typed errors', () => {
  const unsupervised = [
    { name: 'KMeans', make: () => new classic.KMeans({ nClusters: 2, seed: 0 }) },
    { name: 'MiniBatchKMeans', make: () => new classic.MiniBatchKMeans({ nClusters: 2, seed: 0 }) },
    { name: 'AgglomerativeClustering', make: () => new classic.AgglomerativeClustering({ nClusters: 2 }) },
    { name: 'PCA', make: () => new classic.PCA({ nComponents: 1 }) },
    { name: 'StandardScaler', make: () => new classic.StandardScaler() },
    { name: 'PolynomialFeatures', make: () => new classic.PolynomialFeatures() },
  ];
  for (const u of unsupervised) {
    test(u.name, () => {
      assert.throws(() => u.make().fit(withValue(Infinity, [1, 1])), (e: Error) => e instanceof DataError && e.message.startsWith(`${u.name}.fit: X contains Infinity (row 1, column 1)`));
      assert.throws(() => u.make().fit(tensor([1, 2, 3], { dtype: 'float64' })), (e: Error) => e instanceof ShapeError && e.message.startsWith(`${u.name}.fit: X must be 2-D`));
      assert.throws(() => u.make().fit(tensor([[true, false]])), (e: Error) => e instanceof ValueError && /bool/.test(e.message));
    });
  }

  test('k larger than the number of samples', () => {
    assert.throws(() => new classic.KMeans({ nClusters: 6 }).fit(X), (e: Error) => e instanceof ValueError && /KMeans.fit: nClusters = 6 is more than the 5 samples in X \[5, 2\]/.test(e.message));
    assert.throws(() => new classic.AgglomerativeClustering({ nClusters: 6 }).fit(X), (e: Error) => e instanceof ValueError && /nClusters = 6 is more than the 5 samples/.test(e.message));
    assert.throws(() => classic.kmeansPlusPlus(X, 6), (e: Error) => e instanceof ValueError && /nClusters = 6/.test(e.message));
  });

  test('a failed fit leaves a fitted model as it was', () => {
    const m = new classic.LinearRegression().fit(X, y);
    const before = Array.from(m.coef.toTypedArray());
    assert.throws(() => m.fit(withValue(NaN, [0, 0]), y), DataError);
    assert.deepEqual(Array.from(m.coef.toTypedArray()), before);
  });
});
