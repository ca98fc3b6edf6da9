/**
 * Clustering and regression metrics against scikit-learn: adjusted Rand index, Rand index, normalized mutual
 * information, R^2 (all multioutput modes), MSE, MAE; accuracy and the contingency table.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classic, ShapeError, tensor } from '../../src/index.js';
import { T, close, labelsT, loadCases } from './helpers.js';

const cases = loadCases('metrics');

describe('metrics match sklearn', () => {
  for (const c of cases.filter((x) => x.kind === 'clustering')) {
    test(`clustering: ${c.name}`, () => {
      close(classic.adjustedRandScore(labelsT(c.a), labelsT(c.b)), c.ari, 1e-9, 'ari', 1e-15);
      close(classic.adjustedRandScore(c.a, c.b), c.ari, 1e-9, 'ari (plain arrays)', 1e-15);
      close(classic.randScore(c.a, c.b), c.ri, 1e-9, 'rand');
      close(classic.normalizedMutualInfoScore(c.a, c.b), c.nmi, 1e-9, 'nmi', 1e-15);
    });
  }
  for (const c of cases.filter((x) => x.kind === 'regression')) {
    test(`regression: ${c.name}`, () => {
      close(classic.r2Score(T(c.yTrue), T(c.yPred)), c.r2, 1e-9, 'r2');
      close(classic.r2Score(T(c.yTrue), T(c.yPred), { multioutput: 'raw_values' }), c.r2Raw, 1e-9, 'r2 raw');
      close(classic.r2Score(T(c.yTrue), T(c.yPred), { multioutput: 'variance_weighted' }), c.r2Weighted, 1e-9, 'r2 weighted');
      close(classic.meanSquaredError(T(c.yTrue), T(c.yPred)), c.mse, 1e-9, 'mse');
      close(classic.meanAbsoluteError(T(c.yTrue), T(c.yPred)), c.mae, 1e-9, 'mae');
    });
  }

  test('accuracy and the contingency table', () => {
    assert.equal(classic.accuracyScore([1, 2, 3, 4], tensor([1, 2, 0, 4])), 0.75);
    const t = classic.contingencyMatrix([0, 0, 1, 1, 2], [5, 5, 5, 7, 7]);
    assert.deepEqual(t.rows, [0, 1, 2]);
    assert.deepEqual(t.cols, [5, 7]);
    assert.deepEqual(t.table, [[2, 0], [1, 1], [0, 1]]);
  });

  test('mismatched lengths are ShapeErrors naming both shapes', () => {
    assert.throws(() => classic.adjustedRandScore([0, 1, 1], [0, 1]), (e: Error) => e instanceof ShapeError && /labelsTrue has shape \[3\] but labelsPred has shape \[2\]/.test(e.message));
    assert.throws(() => classic.r2Score(tensor([[1, 2], [3, 4]]), tensor([1, 2])), (e: Error) => e instanceof ShapeError && /r2Score/.test(e.message));
  });
});
