/**
 * Ridge, lasso and elastic net, single fits and paths, against scikit-learn fixtures.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classic, ValueError } from '../../src/index.js';
import { T, close, loadCases, values } from './helpers.js';

const cases = loadCases('regularized');
const byKind = (k: string) => cases.filter((c) => c.kind === k);

describe('Ridge matches sklearn', () => {
  for (const c of byKind('ridge')) {
    for (const solver of ['svd', 'cholesky'] as const) {
      test(`${c.name} (${solver})`, () => {
        c.alphas.forEach((alpha: number, i: number) => {
          const m = new classic.Ridge({ alpha, solver, fitIntercept: c.fitIntercept ?? true }).fit(T(c.X), T(c.y));
          close(m.coef, c.coefs[i], 1e-6, `coef alpha=${alpha}`);
          close(m.intercept, c.intercepts[i], 1e-6, `intercept alpha=${alpha}`, 1e-12);
          close(m.score(T(c.X), T(c.y)), c.r2[i], 1e-6, `r2 alpha=${alpha}`);
          close(m.predict(T(c.Xtest)), c.predTest[i], 1e-6, `predict alpha=${alpha}`);
        });
      });
    }
  }

  test('ridgePath gives the same coefficients for every alpha at once', () => {
    const c = byKind('ridge')[0];
    const p = classic.ridgePath(T(c.X), T(c.y), { alphas: c.alphas });
    assert.deepEqual(p.alphas, c.alphas);
    close(p.coefs, c.coefs, 1e-6, 'coefs');
    close(p.intercepts, c.intercepts, 1e-6, 'intercepts');
  });

  test('alpha = 0 is ordinary least squares', () => {
    const c = byKind('ridge')[0];
    const r = new classic.Ridge({ alpha: 0 }).fit(T(c.X), T(c.y));
    const ols = new classic.LinearRegression().fit(T(c.X), T(c.y));
    close(r.coef, values(ols.coef), 1e-9, 'coef');
  });
});

describe('Lasso and ElasticNet match sklearn', () => {
  for (const c of [...byKind('lasso'), ...byKind('enet')]) {
    test(c.name, () => {
      c.alphas.forEach((alpha: number, i: number) => {
        const opts = { alpha, tol: c.tol, maxIter: c.maxIter, positive: c.positive ?? false };
        const m = c.kind === 'enet' ? new classic.ElasticNet({ ...opts, l1Ratio: c.l1Ratio }) : new classic.Lasso(opts);
        m.fit(T(c.X), T(c.y));
        close(m.coef, c.coefs[i], 1e-6, `coef alpha=${alpha}`);
        close(m.intercept, c.intercepts[i], 1e-6, `intercept alpha=${alpha}`);
        close(m.score(T(c.X), T(c.y)), c.r2[i], 1e-6, `r2 alpha=${alpha}`);
        close(m.predict(T(c.Xtest)), c.predTest[i], 1e-6, `predict alpha=${alpha}`);
        // exact zeros where sklearn has them
        values(m.coef).forEach((v, j) => {
          if (c.coefs[i][j] === 0) assert.equal(v, 0, `coef ${j} at alpha=${alpha} is exactly zero`);
        });
        if (c.positive) assert.ok(values(m.coef).every((v) => v >= 0));
      });
    });
  }

  test('lassoPath over explicit alphas (warm starts) equals separate fits, sorted descending', () => {
    const c = byKind('lasso')[0];
    const shuffled = [...c.alphas].reverse();
    const p = classic.lassoPath(T(c.X), T(c.y), { alphas: shuffled, tol: c.tol, maxIter: c.maxIter });
    assert.deepEqual(p.alphas, [...c.alphas].sort((a: number, b: number) => b - a));
    close(p.coefs, c.coefs, 1e-6, 'coefs');
    close(p.intercepts, c.intercepts, 1e-6, 'intercepts');
    assert.equal(p.nIters.length, c.alphas.length);
  });

  test("lassoPath's default grid is sklearn's (alphaMax down to eps * alphaMax)", () => {
    const c = byKind('lassoGrid')[0];
    const p = classic.lassoPath(T(c.X), T(c.y), { nAlphas: c.nAlphas, eps: c.eps, tol: c.tol, maxIter: c.maxIter });
    close(p.alphas, c.alphas, 1e-12, 'alphas');
    close(p.coefs, c.coefs, 1e-6, 'coefs', 1e-12);
    close(p.intercepts, c.intercepts, 1e-6, 'intercepts');
    // at alphaMax every coefficient is zero
    assert.ok(values(p.coefs).slice(0, c.X[0].length).every((v) => v === 0));
  });

  test('bad options are ValueErrors naming the option', () => {
    assert.throws(() => new classic.Lasso({ alpha: -1 }), (e: Error) => e instanceof ValueError && /Lasso: alpha/.test(e.message));
    assert.throws(() => new classic.ElasticNet({ l1Ratio: 2 }), (e: Error) => e instanceof ValueError && /l1Ratio/.test(e.message));
    assert.throws(() => new classic.Ridge({ solver: 'qr' as never }), (e: Error) => e instanceof ValueError && /solver/.test(e.message));
    const c = byKind('ridge')[0];
    assert.throws(() => classic.ridgePath(T(c.X), T(c.y), { alphas: [] }), ValueError);
  });
});
