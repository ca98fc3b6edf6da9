/**
 * LogisticRegression (binary and multinomial; Newton, L-BFGS and gradient descent) against scikit-learn
 * fixtures fitted with newton-cg at tol 1e-12.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classic, ShapeError, ValueError } from '../../src/index.js';
import { T, close, labelsT, loadCases, values } from './helpers.js';

const cases = loadCases('logistic');

describe('LogisticRegression matches sklearn', () => {
  for (const c of cases) {
    for (const solver of ['newton', 'lbfgs'] as const) {
      test(`${c.name} (${solver})`, () => {
        const m = new classic.LogisticRegression({ C: c.C, penalty: c.penalty, fitIntercept: c.fitIntercept, solver, tol: 1e-10, maxIter: 1000 });
        m.fit(T(c.X), labelsT(c.y));
        assert.ok(m.converged, `converged (${m.nIter} iterations)`);
        assert.deepEqual(m.classes, c.classes);
        close(m.coef, c.coef, 1e-6, 'coef');
        close(m.intercept, c.intercept, 1e-6, 'intercept', 1e-9);
        close(m.predictProba(T(c.Xtest)), c.probaTest, 1e-6, 'predictProba');
        assert.deepEqual(values(m.predict(T(c.Xtest))), c.predTest);
        assert.equal(m.predict(T(c.Xtest)).dtype, 'int32');
        close(m.score(T(c.X), labelsT(c.y)), c.score, 1e-12, 'score');
      });
    }
  }

  test('Newton converges in a handful of iterations, the objective falling each step', () => {
    const c = cases.find((x) => x.name === 'multinomial C=1')!;
    const m = new classic.LogisticRegression({ solver: 'newton', tol: 1e-10 }).fit(T(c.X), labelsT(c.y));
    assert.ok(m.nIter <= 12, `${m.nIter} iterations`);
    const h = m.lossHistory;
    for (let i = 1; i < h.length; i++) assert.ok(h[i] <= h[i - 1], `objective rose at ${i}`);
  });

  test('gradient descent approaches the same optimum', () => {
    const c = cases.find((x) => x.name === 'binary C=1')!;
    const m = new classic.LogisticRegression({ solver: 'gd', lr: 1, maxIter: 5000, tol: 1e-9 }).fit(T(c.X), labelsT(c.y));
    assert.ok(m.converged, `gd converged (${m.nIter} steps)`);
    close(m.coef, c.coef, 1e-6, 'coef');
    close(m.intercept, c.intercept, 1e-6, 'intercept');
  });

  test('probabilities: rows sum to 1, log-probabilities agree, decision sign picks the class', () => {
    const c = cases.find((x) => x.name === 'binary labels 2 and 7')!;
    const m = new classic.LogisticRegression({ solver: 'newton', tol: 1e-10 }).fit(T(c.X), T(c.y));
    const p = values(m.predictProba(T(c.Xtest)));
    const lp = values(m.predictLogProba(T(c.Xtest)));
    const dec = values(m.decisionFunction(T(c.Xtest)));
    const pred = values(m.predict(T(c.Xtest)));
    assert.equal(m.predict(T(c.Xtest)).dtype, 'float64', 'float labels predict float labels');
    for (let i = 0; i < dec.length; i++) {
      close(p[2 * i] + p[2 * i + 1], 1, 1e-12, 'row sum');
      close([Math.exp(lp[2 * i]), Math.exp(lp[2 * i + 1])], [p[2 * i], p[2 * i + 1]], 1e-12, 'log proba');
      assert.equal(pred[i], dec[i] > 0 ? 7 : 2);
    }
  });

  test('float32 data fits the same model to float32 precision', () => {
    const c = cases.find((x) => x.name === 'multinomial C=1')!;
    const m = new classic.LogisticRegression({ tol: 1e-6 }).fit(T(c.X, 'float32'), labelsT(c.y));
    assert.equal(m.coef.dtype, 'float32');
    close(m.coef, c.coef, 1e-4, 'coef');
  });

  test('bad input: one class, labels of the wrong shape, wrong feature count, unfitted', () => {
    const c = cases[0];
    const X = T(c.X);
    assert.throws(() => new classic.LogisticRegression().fit(X, labelsT(c.y.map(() => 1))), (e: Error) => e instanceof ValueError && /at least 2 distinct classes/.test(e.message));
    assert.throws(() => new classic.LogisticRegression().fit(X, T(c.y.map((v: number) => [v]))), (e: Error) => e instanceof ShapeError && /y must be 1-D/.test(e.message));
    const m = new classic.LogisticRegression();
    assert.throws(() => m.predictProba(X), (e: Error) => e instanceof ValueError && /not fitted yet/.test(e.message) && /LogisticRegression.predictProba/.test(e.message));
    m.fit(X, labelsT(c.y));
    assert.throws(() => m.predict(T([[1, 2]])), (e: Error) => e instanceof ShapeError && /has 2 features/.test(e.message) && /fitted with 3/.test(e.message));
    assert.throws(() => new classic.LogisticRegression({ C: 0 }), (e: Error) => e instanceof ValueError && /C must be a number > 0/.test(e.message));
  });
});
