/**
 * Linear regression (lstsq and QR), gradient descent, polynomial features, log-linear regression, the residual
 * report and StandardScaler against scikit-learn fixtures.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classic, tensor, ValueError, LinAlgError } from '../../src/index.js';
import { T, close, loadCases, values } from './helpers.js';

const cases = loadCases('linear');
const byKind = (k: string) => cases.filter((c) => c.kind === k);

describe('LinearRegression matches sklearn', () => {
  for (const c of byKind('linear')) {
    for (const solver of ['lstsq', 'qr'] as const) {
      test(`${c.name} (${solver})`, () => {
        const m = new classic.LinearRegression({ solver, fitIntercept: c.fitIntercept }).fit(T(c.X), T(c.y));
        close(m.coef, c.coef, 1e-6, 'coef');
        close(m.intercept, c.intercept, 1e-6, 'intercept', 1e-12);
        close(m.score(T(c.X), T(c.y)), c.r2, 1e-6, 'r2');
        close(m.predict(T(c.Xtest)), c.predTest, 1e-6, 'predict');
        if (solver === 'lstsq') {
          assert.equal(m.rank, c.rank);
          close(m.singularValues, c.singular, 1e-6, 'singular values');
        }
      });
    }
  }

  test('float32 input gives float32 output close to the float64 fit', () => {
    const c = byKind('linear')[1];
    const m = new classic.LinearRegression().fit(T(c.X, 'float32'), T(c.y, 'float32'));
    assert.equal(m.coef.dtype, 'float32');
    assert.equal(m.predict(T(c.Xtest, 'float32')).dtype, 'float32');
    close(m.coef, c.coef, 1e-4, 'coef');
  });

  test('the QR solver refuses a rank-deficient X and says what to use instead', () => {
    const c = byKind('polynomial')[0];
    assert.throws(() => new classic.LinearRegression({ solver: 'qr' }).fit(T(c.features), T(c.y)), (e: Error) => e instanceof LinAlgError && /rank-deficient/.test(e.message) && /lstsq/.test(e.message));
  });
});

describe('polynomial and log-linear regression', () => {
  test('PolynomialFeatures: columns, names and powers in sklearn order', () => {
    const c = byKind('polynomial')[0];
    const pf = new classic.PolynomialFeatures({ degree: c.degree });
    close(pf.fitTransform(T(c.X)), c.features, 1e-12, 'features');
    assert.deepEqual(pf.featureNamesOut(), c.featureNames);
    assert.deepEqual(pf.powers, c.powers);
    const d = byKind('polyfeatures')[0];
    const pf2 = new classic.PolynomialFeatures({ degree: d.degree, interactionOnly: d.interactionOnly, includeBias: d.includeBias });
    close(pf2.fitTransform(T(d.X)), d.features, 1e-12, 'interaction features');
    assert.deepEqual(pf2.featureNamesOut(), d.featureNames);
  });

  test('least squares on polynomial features (rank-deficient: minimum-norm, as sklearn)', () => {
    const c = byKind('polynomial')[0];
    const pf = new classic.PolynomialFeatures({ degree: c.degree });
    const m = new classic.LinearRegression().fit(pf.fitTransform(T(c.X)), T(c.y));
    close(m.coef, c.coef, 1e-6, 'coef');
    close(m.intercept, c.intercept, 1e-6, 'intercept');
    assert.equal(m.rank, c.rank);
    close(m.predict(pf.transform(T(c.Xtest))), c.predTest, 1e-6, 'predict');
  });

  test('LogLinearRegression fits log y and scores on the original scale', () => {
    const c = byKind('loglinear')[0];
    const m = new classic.LogLinearRegression().fit(T(c.X), T(c.y));
    close(m.coef, c.coef, 1e-6, 'coef');
    close(m.intercept, c.intercept, 1e-6, 'intercept');
    close(m.predict(T(c.Xtest)), c.predTest, 1e-6, 'predict');
    close(m.predictLog(T(c.Xtest)), values(m.predict(T(c.Xtest))).map(Math.log), 1e-12, 'predictLog');
    close(m.score(T(c.X), T(c.y)), c.r2, 1e-6, 'r2');
  });

  test('LogLinearRegression refuses non-positive y, naming the index', () => {
    const X = tensor([[1], [2], [3]], { dtype: 'float64' });
    assert.throws(() => new classic.LogLinearRegression().fit(X, tensor([1, 0, 2], { dtype: 'float64' })), (e: Error) => e instanceof ValueError && /positive/.test(e.message) && /index 1/.test(e.message));
  });
});

describe('LinearRegressionGD', () => {
  test('converges to the closed-form solution on standardized features', () => {
    const c = byKind('linear')[1];
    const X = new classic.StandardScaler().fitTransform(T(c.X));
    const exact = new classic.LinearRegression().fit(X, T(c.y));
    const gd = new classic.LinearRegressionGD({ lr: 0.3, maxIter: 20000, tol: 1e-10 }).fit(X, T(c.y));
    assert.ok(gd.converged, `not converged after ${gd.nIter} steps`);
    close(gd.coef, values(exact.coef), 1e-6, 'coef');
    close(gd.intercept.item(), exact.intercept.item(), 1e-6, 'intercept');
    const h = gd.lossHistory;
    assert.ok(h[h.length - 1] < h[0] / 10, 'the loss falls');
    for (let i = 1; i < h.length; i++) assert.ok(h[i] <= h[i - 1] + 1e-15, `loss rose at step ${i}`);
  });

  test('a step size that is too large is a ValueError saying to lower lr', () => {
    const c = byKind('linear')[1];
    assert.throws(() => new classic.LinearRegressionGD({ lr: 50, maxIter: 5000 }).fit(T(c.X), T(c.y)), (e: Error) => e instanceof ValueError && /diverged/.test(e.message) && /lower lr/.test(e.message));
  });
});

describe('residual report and StandardScaler', () => {
  test('residualReport matches numpy quantiles and the summary(lm) statistics', () => {
    const c = byKind('residuals')[0];
    const r = classic.residualReport(T(c.y), T(c.pred), { nFeatures: c.X[0].length });
    close([r.min, r.q1, r.median, r.q3, r.max], c.quantiles, 1e-9, 'quantiles');
    close(r.rss, c.rss, 1e-9, 'rss');
    close(r.residualStdError!, c.rse, 1e-9, 'rse');
    assert.equal(r.df, c.df);
    close(r.r2, c.r2, 1e-9, 'r2');
    close(r.adjustedR2!, c.adjR2, 1e-9, 'adjusted r2');
    close(r.mae, c.mae, 1e-9, 'mae');
    close(r.mse, c.mse, 1e-9, 'mse');
    assert.ok(Math.abs(r.mean) < 1e-10, 'least-squares residuals have mean zero');
    const text = classic.formatResidualReport(r);
    assert.match(text, /Residual standard error: .* on 35 degrees of freedom/);
    assert.match(text, /Adjusted R-squared/);
  });

  test('StandardScaler: means, scales (1 for a constant column), transform and inverse', () => {
    const c = byKind('scaler')[0];
    const s = new classic.StandardScaler().fit(T(c.X));
    close(s.mean, c.mean, 1e-12, 'mean');
    close(s.scale, c.scale, 1e-12, 'scale');
    close(s.variance, c.var, 1e-12, 'var', 1e-20);
    const z = s.transform(T(c.X));
    close(z, c.out, 1e-12, 'transform', 1e-12);
    close(s.inverseTransform(z), c.X, 1e-12, 'inverse');
  });
});
