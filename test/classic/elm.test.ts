/**
 * Extreme learning machines: the output layer is exactly ridge regression on the hidden features (also when
 * H^T H is accumulated over row chunks and column blocks), seeded reproducibility, and fits of a smooth
 * function and of separable classes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classic, Generator, ShapeError, tensor, ValueError } from '../../src/index.js';
import { close, values } from './helpers.js';

function sineData(n: number, seed: number): { X: ReturnType<typeof tensor>; y: ReturnType<typeof tensor> } {
  const g = new Generator(seed);
  const x = Float64Array.from({ length: n * 2 }, () => g.random() * 4 - 2);
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(2 * x[2 * i]) + 0.5 * x[2 * i + 1] ** 2);
  return { X: tensor(x, { shape: [n, 2] }), y: tensor(y) };
}

describe('ELM', () => {
  test('output weights are ridge regression on the hidden features (chunked and blocked accumulation)', () => {
    const { X, y } = sineData(60, 1);
    for (const activation of ['sigmoid', 'tanh', 'relu'] as const) {
      const elm = new classic.ELMRegressor({ nHidden: 600, alpha: 0.1, activation, batchSize: 16, seed: 3 }).fit(X, y);
      const H = elm.hidden(X);
      assert.deepEqual([...H.shape], [60, 600]);
      const ridge = new classic.Ridge({ alpha: 0.1, solver: 'svd' }).fit(H, y);
      close(elm.outputWeights, values(ridge.coef).map((v) => [v]), 1e-6, `beta (${activation})`);
      close(elm.outputBias, [ridge.intercept.item()], 1e-6, `bias (${activation})`);
      close(elm.predict(X), values(ridge.predict(H)), 1e-6, `predict (${activation})`);
    }
  });

  test('a tiny alpha keeps the output weights accurate: H is centered before H^T H is formed', () => {
    // sigmoid outputs average ~0.5: H^T H - n m m^T on the uncentered H lost ~5 digits here (2e-5)
    const { X, y } = sineData(300, 11);
    for (const batchSize of [2048, 64]) {
      const elm = new classic.ELMRegressor({ nHidden: 250, alpha: 1e-8, activation: 'sigmoid', batchSize, seed: 12 }).fit(X, y);
      const ridge = new classic.Ridge({ alpha: 1e-8, solver: 'svd' }).fit(elm.hidden(X), y);
      close(elm.outputWeights, values(ridge.coef).map((v) => [v]), 1e-5, `beta (batchSize ${batchSize})`);
      close(elm.outputBias, [ridge.intercept.item()], 1e-5, `bias (batchSize ${batchSize})`);
    }
  });

  test('the same seed gives the same network; another seed another one', () => {
    const { X, y } = sineData(40, 2);
    const a = new classic.ELMRegressor({ nHidden: 50, seed: 9 }).fit(X, y).predict(X);
    const b = new classic.ELMRegressor({ nHidden: 50, seed: 9 }).fit(X, y).predict(X);
    const c = new classic.ELMRegressor({ nHidden: 50, seed: 10 }).fit(X, y).predict(X);
    assert.deepEqual(values(a), values(b));
    assert.notDeepEqual(values(a), values(c));
  });

  test('a regressor with 200 units fits a smooth function (test R^2 > 0.98)', () => {
    const train = sineData(400, 4);
    const testSet = sineData(200, 5);
    const elm = new classic.ELMRegressor({ nHidden: 200, alpha: 1e-4, activation: 'tanh', seed: 0 }).fit(train.X, train.y);
    const r2 = elm.score(testSet.X, testSet.y);
    assert.ok(r2 > 0.98, `R^2 ${r2}`);
  });

  test('a classifier separates three blobs and keeps the label values', () => {
    const g = new Generator(6);
    const n = 150;
    const x = new Float64Array(n * 2);
    const y = new Int32Array(n);
    const centers = [[0, 0], [3, 3], [-3, 3]];
    for (let i = 0; i < n; i++) {
      y[i] = [10, 20, 30][i % 3];
      x[2 * i] = centers[i % 3][0] + g.normal() * 0.7;
      x[2 * i + 1] = centers[i % 3][1] + g.normal() * 0.7;
    }
    const X = tensor(x, { shape: [n, 2] });
    const Y = tensor(y);
    const elm = new classic.ELMClassifier({ nHidden: 100, seed: 1 }).fit(X, Y);
    assert.deepEqual(elm.classes, [10, 20, 30]);
    assert.ok(elm.score(X, Y) > 0.95);
    assert.equal(elm.predict(X).dtype, 'int32');
    assert.deepEqual([...elm.decisionFunction(X).shape], [n, 3]);
  });

  test('bad input: unfitted, feature mismatch, sample mismatch, bad options', () => {
    const { X, y } = sineData(20, 7);
    const elm = new classic.ELMRegressor({ nHidden: 10, seed: 0 });
    assert.throws(() => elm.predict(X), (e: Error) => e instanceof ValueError && /ELMRegressor.predict: this ELMRegressor is not fitted yet/.test(e.message));
    elm.fit(X, y);
    assert.throws(() => elm.predict(tensor([[1, 2, 3]])), (e: Error) => e instanceof ShapeError && /has 3 features/.test(e.message));
    assert.throws(() => new classic.ELMClassifier({ nHidden: 10 }).fit(X, tensor(new Int32Array(19))), (e: Error) => e instanceof ShapeError && /X has 20 samples \(shape \[20, 2\]\) but y has 19 \(shape \[19\]\)/.test(e.message));
    assert.throws(() => new classic.ELMRegressor({ nHidden: 0 }), ValueError);
    assert.throws(() => new classic.ELMRegressor({ activation: 'softmax' as never }), ValueError);
  });
});
