/**
 * Sample weights against scikit-learn (LinearRegression, Ridge, Lasso, ElasticNet, KMeans, LogisticRegression),
 * class weights, and logistic regression with L1 and elastic-net penalties (sklearn's saga run to tol 1e-13,
 * its KKT conditions checked in the fixture script): coefficients and probabilities to 1e-7 relative at
 * tol 1e-10 (measured: 1e-11 to 6e-9), the same exact zeros, and the typed errors of bad weights and options.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classic, DataError, ShapeError, tensor, ValueError } from '../../src/index.js';
import { T, close, loadCases, values } from './helpers.js';

const linear: Record<string, (p: any) => { fit(X: any, y: any, o?: classic.FitOptions): any; coef: any; intercept: any; predict(X: any): any }> = {
  LinearRegression: (p) => new classic.LinearRegression({ fitIntercept: p.fit_intercept }),
  Ridge: (p) => new classic.Ridge({ alpha: p.alpha, fitIntercept: p.fit_intercept }),
  Lasso: (p) => new classic.Lasso({ alpha: p.alpha, fitIntercept: p.fit_intercept, tol: 1e-14, maxIter: 1_000_000 }),
  ElasticNet: (p) => new classic.ElasticNet({ alpha: p.alpha, l1Ratio: p.l1_ratio, fitIntercept: p.fit_intercept, tol: 1e-14, maxIter: 1_000_000 }),
};

describe('sample weights match sklearn', () => {
  for (const c of loadCases('weighted')) {
    test(c.name, () => {
      if (c.kind === 'KMeans') {
        const km = new classic.KMeans({ nClusters: 3, init: T(c.init) }).fit(T(c.X), { sampleWeight: T(c.sampleWeight) });
        close(km.clusterCenters, c.centers, 1e-9, 'centers');
        assert.deepEqual(values(km.labels), c.labels);
        close(km.inertia, c.inertia, 1e-9, 'inertia');
        assert.equal(km.nIter, c.nIter);
        return;
      }
      const m = linear[c.kind](c.params).fit(T(c.X), T(c.y), { sampleWeight: T(c.sampleWeight) });
      close(m.coef, c.coef, 1e-8, 'coef');
      close(m.intercept, c.intercept, 1e-8, 'intercept', 1e-12);
      close(m.predict(T(c.Xtest)), c.predTest, 1e-8, 'predict');
    });
  }

  test('integer weights are repeated samples; LinearRegressionGD and LogLinearRegression take weights too', () => {
    const X = tensor([[0, 1], [1, 0], [2, 2], [3, 1], [4, 3]], { dtype: 'float64' });
    const y = tensor([1, 2, 4, 4, 7], { dtype: 'float64' });
    const rep = tensor([[0, 1], [1, 0], [1, 0], [2, 2], [3, 1], [3, 1], [3, 1], [4, 3]], { dtype: 'float64' });
    const yRep = tensor([1, 2, 2, 4, 4, 4, 4, 7], { dtype: 'float64' });
    const sampleWeight = tensor([1, 2, 1, 3, 1], { dtype: 'float64' });
    const ref = new classic.LinearRegression().fit(rep, yRep);
    close(new classic.LinearRegression().fit(X, y, { sampleWeight }).coef, values(ref.coef), 1e-12, 'lstsq');
    const gd = new classic.LinearRegressionGD({ lr: 0.05, maxIter: 50000, tol: 1e-12 }).fit(X, y, { sampleWeight });
    close(gd.coef, values(ref.coef), 1e-8, 'gd');
    const logRef = new classic.LogLinearRegression().fit(rep, yRep);
    close(new classic.LogLinearRegression().fit(X, y, { sampleWeight }).coef, values(logRef.coef), 1e-12, 'log-linear');
  });
});

describe('LogisticRegression: sample and class weights, L1 and elastic net match sklearn', () => {
  for (const c of loadCases('logistic_weights')) {
    test(c.name, () => {
      const m = new classic.LogisticRegression({
        C: c.C, penalty: c.penalty, l1Ratio: c.l1Ratio ?? undefined, tol: 1e-10, maxIter: 100000,
        classWeight: c.classWeight === null ? undefined : c.classWeight,
      }).fit(T(c.X), tensor(new Int32Array(c.y)), c.sampleWeight ? { sampleWeight: T(c.sampleWeight) } : undefined);
      assert.ok(m.converged, `converged in ${m.nIter}`);
      assert.deepEqual(m.classes, c.classes);
      const rtol = 1e-7;
      close(m.coef, c.coef, rtol, 'coef', 1e-9);
      close(m.intercept, c.intercept, rtol, 'intercept', 1e-9);
      close(m.predictProba(T(c.Xtest)), c.probaTest, rtol, 'predictProba');
      if (c.penalty !== 'l2') {
        // exact zeros where sklearn's are zero
        const zeros = values(m.coef).map((v) => v === 0);
        assert.deepEqual(zeros, c.coef.flat().map((v: number) => Math.abs(v) < 1e-8), 'sparsity pattern');
      }
    });
  }
});

describe('bad weights and penalty options raise typed errors', () => {
  const X = tensor([[1, 2], [2, 1], [3, 5], [4, 3]], { dtype: 'float64' });
  const y = tensor([1, 2, 3, 5], { dtype: 'float64' });
  const labels = tensor(new Int32Array([0, 1, 0, 1]));
  const fits: [string, (o: any) => unknown][] = [
    ['LinearRegression', (o) => new classic.LinearRegression().fit(X, y, o)],
    ['Ridge', (o) => new classic.Ridge().fit(X, y, o)],
    ['Lasso', (o) => new classic.Lasso().fit(X, y, o)],
    ['LogisticRegression', (o) => new classic.LogisticRegression().fit(X, labels, o)],
    ['KMeans', (o) => new classic.KMeans({ nClusters: 2, seed: 0 }).fit(X, o)],
  ];
  for (const [name, fit] of fits) {
    test(name, () => {
      assert.throws(() => fit({ sampleWeight: tensor([1, 1, 1], { dtype: 'float64' }) }), (e: Error) => e instanceof ShapeError && e.message === `${name}.fit: sampleWeight must be 1-D with one weight per sample [4], got shape [3]`);
      assert.throws(() => fit({ sampleWeight: tensor([1, -1, 1, 1], { dtype: 'float64' }) }), (e: Error) => e instanceof ValueError && e.message === `${name}.fit: sampleWeight must be >= 0, got -1 at index 1`);
      assert.throws(() => fit({ sampleWeight: tensor([0, 0, 0, 0], { dtype: 'float64' }) }), (e: Error) => e instanceof ValueError && /sampleWeight must have a positive sum/.test(e.message));
      assert.throws(() => fit({ sampleWeight: tensor([1, NaN, 1, 1], { dtype: 'float64' }) }), (e: Error) => e instanceof DataError && /sampleWeight contains NaN \(index 1\)/.test(e.message));
      assert.throws(() => fit({ weights: tensor([1, 1, 1, 1]) }), (e: Error) => e instanceof ValueError && e.message === `${name}.fit: unknown option 'weights'; the fit options are {sampleWeight}`);
      assert.throws(() => fit(tensor([1, 1, 1, 1])), (e: Error) => e instanceof ValueError && /the options argument must be an object \{sampleWeight\}, got a Tensor \(pass it as \{sampleWeight: w\}\)/.test(e.message));
    });
  }

  test('LogisticRegression penalty, l1Ratio, solver and classWeight', () => {
    assert.throws(() => new classic.LogisticRegression({ penalty: 'l1', solver: 'lbfgs' }), (e: Error) => e instanceof ValueError && /penalty 'l1' needs solver 'proximal' \(its L1 part is not smooth\), got 'lbfgs'/.test(e.message));
    assert.throws(() => new classic.LogisticRegression({ penalty: 'elasticnet' }), (e: Error) => e instanceof ValueError && /penalty 'elasticnet' needs l1Ratio/.test(e.message));
    assert.throws(() => new classic.LogisticRegression({ penalty: 'elasticnet', l1Ratio: 1.5 }), (e: Error) => e instanceof ValueError && /l1Ratio must be in \[0, 1\], got 1.5/.test(e.message));
    assert.throws(() => new classic.LogisticRegression({ l1Ratio: 0.5 }), (e: Error) => e instanceof ValueError && /l1Ratio is used only with penalty 'elasticnet', got penalty 'l2'/.test(e.message));
    assert.throws(() => new classic.LogisticRegression({ penalty: 'l3' as never }), (e: Error) => e instanceof ValueError && /penalty must be one of 'l2', 'l1', 'elasticnet', 'none'/.test(e.message));
    assert.throws(() => new classic.LogisticRegression({ classWeight: 'even' as never }), (e: Error) => e instanceof ValueError && /classWeight must be 'balanced' or a map from label to weight, got "even"/.test(e.message));
    assert.throws(() => new classic.LogisticRegression({ classWeight: { 7: 2 } }).fit(X, labels), (e: Error) => e instanceof ValueError && /LogisticRegression.fit: classWeight names label 7, which is not among the classes \(0, 1\)/.test(e.message));
    assert.throws(() => new classic.LogisticRegression({ classWeight: new Map([[1, -2]]) }).fit(X, labels), (e: Error) => e instanceof ValueError && /classWeight for label 1 must be a finite number >= 0, got -2/.test(e.message));
  });
});
