/**
 * The cross-validated estimators against scikit-learn: RidgeCV (leave-one-out scores of every alpha, and
 * k folds scored by R^2), LassoCV (the alpha grid, the per-fold mean squared errors), LogisticRegressionCV
 * (stratified folds, held-out accuracies); the same chosen alpha/C and the refitted coefficients (1e-6
 * relative), and the folds themselves.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classic, ShapeError, tensor, ValueError } from '../../src/index.js';
import { T, close, loadCases, values } from './helpers.js';

const cases = loadCases('cv');
const opt = (c: any) => (c.sampleWeight ? { sampleWeight: T(c.sampleWeight) } : undefined);

describe('cross-validated estimators match sklearn', () => {
  for (const c of cases) {
    test(c.name, () => {
      if (c.kind === 'ridge') {
        const m = new classic.RidgeCV({ alphas: c.alphas, cv: c.cv ?? undefined, fitIntercept: c.fitIntercept }).fit(T(c.X), T(c.y), opt(c));
        assert.equal(m.alpha, c.alpha);
        close(m.bestScore, c.bestScore, 1e-9, 'best score');
        if (c.cvScores) close(m.cvScores, c.cvScores, 1e-9, 'LOO scores');
        close(m.coef, c.coef, 1e-8, 'coef');
        close(m.intercept, c.intercept, 1e-8, 'intercept', 1e-12);
      } else if (c.kind === 'lasso') {
        const m = new classic.LassoCV({
          alphas: c.givenAlphas ?? undefined, nAlphas: c.nAlphas ?? undefined, cv: c.cv, tol: 1e-12, maxIter: 1_000_000,
        }).fit(T(c.X), T(c.y), opt(c));
        close(m.alphas, c.alphas, 1e-12, 'alphas');
        close(m.msePath, c.msePath, 1e-7, 'mse path');
        // the same grid point (the grid's last digits differ: 10 ** x here, numpy's logspace there)
        assert.equal(m.alphas.indexOf(m.alpha), c.alphas.indexOf(c.alpha));
        close(m.alpha, c.alpha, 1e-12, 'alpha');
        close(m.coef, c.coef, 1e-7, 'coef', 1e-10);
        close(m.intercept, c.intercept, 1e-7, 'intercept');
      } else {
        const m = new classic.LogisticRegressionCV({ Cs: c.Cs, cv: c.cv, classWeight: c.classWeight ?? undefined, tol: 1e-10, maxIter: 1000 })
          .fit(T(c.X), tensor(new Int32Array(c.y)), opt(c));
        close(m.Cs, c.allCs, 1e-12, 'Cs');
        assert.deepEqual(values(m.scores), c.scores.flat(), 'held-out accuracies');
        assert.equal(m.C, c.C);
        close(m.coef, c.coef, 1e-6, 'coef');
        close(m.intercept, c.intercept, 1e-6, 'intercept', 1e-9);
        assert.equal(m.bestEstimator.C, c.C);
      }
    });
  }
});

describe('folds as sklearn makes them', () => {
  test('kFold: consecutive blocks, the first n mod k one larger', () => {
    const s = classic.kFold(7, 3);
    assert.deepEqual(s.map((f) => Array.from(f.test)), [[0, 1, 2], [3, 4], [5, 6]]);
    assert.deepEqual(Array.from(s[1].train), [0, 1, 2, 5, 6]);
  });

  test('stratifiedKFold: classes in order of appearance, dealt in proportion, blocks in data order', () => {
    // sklearn: StratifiedKFold(3).split(X, [1, 1, 0, 0, 0, 1, 0, 1, 0, 0]) tests [0 1 2 3] [4 5 6] [7 8 9]
    const s = classic.stratifiedKFold([1, 1, 0, 0, 0, 1, 0, 1, 0, 0], 3);
    assert.deepEqual(s.map((f) => Array.from(f.test)), [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  });

  test('bad input: too many folds, bad alphas, a 2-D target for LassoCV, bad Cs', () => {
    const X = tensor([[1, 2], [2, 1], [3, 5], [4, 3]], { dtype: 'float64' });
    const y = tensor([1, 2, 3, 5], { dtype: 'float64' });
    assert.throws(() => new classic.RidgeCV({ cv: 5 }).fit(X, y), (e: Error) => e instanceof ValueError && /RidgeCV.fit: cannot make 5 folds from 4 samples; lower cv/.test(e.message));
    assert.throws(() => new classic.RidgeCV({ alphas: [1, 0] }), (e: Error) => e instanceof ValueError && /RidgeCV: alphas\[1\] must be a number > 0, got 0/.test(e.message));
    assert.throws(() => new classic.RidgeCV({ cv: 1 }), (e: Error) => e instanceof ValueError && /cv must be an integer >= 2, got 1/.test(e.message));
    assert.throws(() => new classic.LassoCV({ cv: 2 }).fit(X, tensor([[1, 2], [2, 3], [3, 4], [4, 6]], { dtype: 'float64' })), (e: Error) => e instanceof ValueError && /LassoCV.fit: y must be 1-D \[nSamples\] \(one target\), got 2 target columns/.test(e.message));
    assert.throws(() => new classic.LassoCV().fit(X, tensor([1, 2, 3], { dtype: 'float64' })), (e: Error) => e instanceof ShapeError && /LassoCV.fit: X has 4 samples/.test(e.message));
    assert.throws(() => new classic.LogisticRegressionCV({ Cs: [1, -1] }), (e: Error) => e instanceof ValueError && /Cs\[1\] must be a number > 0, got -1/.test(e.message));
    assert.throws(() => new classic.LogisticRegressionCV({ cv: 3 }).fit(X, tensor(new Int32Array([0, 1, 0, 1]))), (e: Error) => e instanceof ValueError && /cv = 3 folds is more than the number of members of every class \(2, 2\)/.test(e.message));
    assert.throws(() => new classic.LogisticRegressionCV().predict(X), (e: Error) => e instanceof ValueError && /LogisticRegressionCV.predict: this LogisticRegressionCV is not fitted yet/.test(e.message));
  });
});
