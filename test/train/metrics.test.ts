/**
 * Metrics (src/train/metrics.ts, streaming-metrics.ts) against hand-computed values and scikit-learn's definitions
 * (accuracy_score, top_k_accuracy_score, confusion_matrix, precision_recall_fscore_support with
 * zero_division=0, mean_squared_error, mean_absolute_error), the streaming accumulators against the
 * functions on the whole data, and the errors.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ShapeError, Tensor, ValueError, cat, manualSeed, randint, randn, tensor } from '../../src/index.js';
import {
  ConfusionMatrix, accuracy, classificationReport, confusionMatrix, mae, mse, perplexity, precisionRecallF1, topKAccuracy,
} from '../../src/train/metrics.js';
import { Accuracy, MeanError, Perplexity, PrecisionRecallF1, TopKAccuracy, createMetric } from '../../src/train/streaming-metrics.js';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
const int = (v: number[], shape?: number[]) => tensor(Int32Array.from(v), shape ? { shape } : {});

// 5 samples, 3 classes. Predictions (first maximum): 0, 1, 2, 0 (tie of classes 0 and 1), 1.
const logits = tensor([
  [2.0, 1.0, 0.1],
  [0.5, 2.5, 0.3],
  [0.2, 0.1, 3.0],
  [1.0, 1.0, 0.0],
  [0.0, 0.3, 0.2],
]);
const target = int([0, 2, 2, 1, 0]);

describe('classification metrics on a hand-worked example', () => {
  test('accuracy: 2 of 5 right (a tie goes to the lower class, as argmax)', () => {
    assert.equal(accuracy(logits, target), 0.4);
  });

  test('top-k accuracy: top-1 = accuracy, top-2 = 3/5, top-3 = 1', () => {
    assert.equal(topKAccuracy(logits, target, 1), 0.4);
    assert.equal(topKAccuracy(logits, target, 2), 0.6);
    assert.equal(topKAccuracy(logits, target, 3), 1);
  });

  test('confusion matrix: rows are true classes, columns predicted', () => {
    assert.deepEqual(confusionMatrix(logits, target), [
      [1, 1, 0],
      [1, 0, 0],
      [0, 1, 1],
    ]);
    assert.deepEqual(confusionMatrix(logits, target, { numClasses: 4 })[3], [0, 0, 0, 0]);
  });

  test('precision, recall, F1 per class with macro and weighted averages (zero division gives 0)', () => {
    const r = precisionRecallF1(logits, target);
    assert.deepEqual(r.precision, [0.5, 0, 1]);
    assert.deepEqual(r.recall, [0.5, 0, 0.5]);
    r.f1.forEach((v, i) => close(v, [0.5, 0, 2 / 3][i]));
    assert.deepEqual(r.support, [2, 1, 2]);
    close(r.macro.precision, 0.5);
    close(r.macro.recall, 1 / 3);
    close(r.macro.f1, 7 / 18);
    close(r.weighted.precision, 0.6);
    close(r.weighted.recall, 0.4);
    close(r.weighted.f1, 7 / 15);
    close(r.accuracy, 0.4);
  });

  test('a class never predicted nor present has precision, recall and F1 0', () => {
    const r = classificationReport([[2, 0, 0], [0, 0, 0], [1, 0, 1]]);
    assert.deepEqual(r.precision, [2 / 3, 0, 1]);
    assert.deepEqual(r.recall, [1, 0, 0.5]);
    assert.equal(r.f1[1], 0);
    assert.deepEqual(r.support, [2, 0, 2]);
  });

  test('binary scores with the target\'s shape are thresholded (0.5 for probabilities, 0 for logits); [N, 1] counts as binary', () => {
    const probs = tensor([0.9, 0.4, 0.6, 0.2]);
    const y = tensor([1, 0, 0, 0]);
    assert.equal(accuracy(probs, y), 0.75);
    assert.equal(accuracy(tensor([2.0, -1.0, 0.5, -3.0]), y, { threshold: 0 }), 0.75);
    assert.equal(accuracy(probs.reshape([4, 1]), int([1, 0, 0, 0])), 0.75);
    assert.deepEqual(confusionMatrix(probs, y), [[2, 1], [0, 1]]);
  });

  test('integer predictions of the target\'s shape are compared directly', () => {
    assert.equal(accuracy(int([0, 1, 2, 2]), int([0, 1, 1, 2])), 0.75);
    assert.deepEqual(confusionMatrix(int([0, 3]), int([0, 1])), [[1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 0, 0], [0, 0, 0, 0]]);
  });

  test('scores [N, C, L] against targets [N, L] (per-position classification)', () => {
    // sample 0: positions predict (0, 2); sample 1: (1, 1)
    const x = tensor([
      [[5, 0], [0, 1], [1, 9]],
      [[0, 0], [3, 4], [1, 2]],
    ]);
    const y = int([0, 2, 1, 0], [2, 2]);
    assert.equal(accuracy(x, y), 0.75);
    assert.equal(topKAccuracy(x, y, 2), 0.75); // position (1, 1): class 0 scores lowest
    assert.equal(topKAccuracy(x, y, 3), 1);
    assert.deepEqual(confusionMatrix(x, y), [[1, 1, 0], [0, 1, 0], [0, 0, 1]]);
  });
});

describe('regression metrics and perplexity', () => {
  test('mse and mae', () => {
    const p = tensor([1, 2, 3, 4]);
    const t = tensor([1.5, 2, 2, 6]);
    assert.equal(mse(p, t), 1.3125);
    assert.equal(mae(p, t), 0.875);
  });

  test('perplexity is exp of the mean cross-entropy, skipping ignoreIndex', () => {
    const rows = logits.toArray() as number[][];
    const labels = [0, 2, 2, 1, 0];
    const ce = rows.map((r, i) => Math.log(r.reduce((s, v) => s + Math.exp(v), 0)) - r[labels[i]]);
    close(perplexity(logits, target), Math.exp(ce.reduce((a, b) => a + b) / 5), 1e-6);
    close(perplexity(logits, int([0, 2, -100, 1, -100])), Math.exp((ce[0] + ce[1] + ce[3]) / 3), 1e-6);
    // a uniform model over C classes has perplexity C
    close(perplexity(tensor([[0, 0, 0, 0], [1, 1, 1, 1]]), int([3, 0])), 4, 1e-6);
  });
});

describe('streaming metrics equal the functions on all the data', () => {
  manualSeed(11);
  const x1 = randn([7, 4]);
  const x2 = randn([5, 4]);
  const y1 = randint(0, 4, [7]);
  const y2 = randint(0, 4, [5]);
  const x = cat([x1, x2]);
  const y = cat([y1, y2]);
  const run = <M extends { update(a: Tensor, b: Tensor): void; reset(): void }>(m: M): M => {
    m.update(tensor([[9, 0, 0, 0]]), int([1])); // dropped by reset
    m.reset();
    m.update(x1, y1);
    m.update(x2, y2);
    return m;
  };

  test('Accuracy, TopKAccuracy', () => {
    assert.equal(run(new Accuracy()).compute(), accuracy(x, y));
    assert.equal(run(new TopKAccuracy(2)).compute(), topKAccuracy(x, y, 2));
    assert.equal(new TopKAccuracy(3).name, 'top3_accuracy');
  });

  test('ConfusionMatrix and PrecisionRecallF1 (logged as macro precision, recall, f1)', () => {
    assert.deepEqual(run(new ConfusionMatrix()).matrix, confusionMatrix(x, y));
    const prf = run(new PrecisionRecallF1());
    const r = precisionRecallF1(x, y);
    assert.deepEqual(prf.compute(), { precision: r.macro.precision, recall: r.macro.recall, f1: r.macro.f1 });
    assert.deepEqual(prf.report(), r);
    assert.deepEqual(prf.clone().compute(), { precision: NaN, recall: NaN, f1: NaN });
  });

  test('MeanError (mse, mae) and Perplexity', () => {
    const t1 = randn([7, 4]);
    const t2 = randn([5, 4]);
    const m = new MeanError('mse');
    m.update(x1, t1);
    m.update(x2, t2);
    close(m.compute(), mse(x, cat([t1, t2])));
    const a = new MeanError('mae');
    a.update(x1, t1);
    a.update(x2, t2);
    close(a.compute(), mae(x, cat([t1, t2])));
    close(run(new Perplexity()).compute(), perplexity(x, y), 1e-6);
  });

  test('createMetric by name', () => {
    assert.ok(createMetric('accuracy') instanceof Accuracy);
    assert.equal(createMetric('top5_accuracy').name, 'top5_accuracy');
    assert.ok(createMetric('f1') instanceof PrecisionRecallF1);
    assert.equal(createMetric('mae').name, 'mae');
    assert.ok(createMetric('perplexity') instanceof Perplexity);
    const m = new Accuracy();
    assert.equal(createMetric(m), m);
    assert.throws(() => createMetric('acc'), (e: Error) => e instanceof ValueError && /unknown metric "acc"; choose one of accuracy, topK_accuracy, f1, mse, mae, perplexity/.test(e.message));
  });
});

describe('errors', () => {
  test('shapes that do not fit are ShapeErrors', () => {
    assert.throws(() => accuracy(logits, int([0, 1])), (e: Error) => e instanceof ShapeError && /input of shape \[5, 3\] does not fit target of shape \[2\]/.test(e.message));
    assert.throws(() => mse(tensor([1, 2]), tensor([1, 2, 3])), ShapeError);
    assert.throws(() => topKAccuracy(int([1, 2]), int([1, 2]), 1), /needs class scores/);
  });

  test('bad values are ValueErrors', () => {
    assert.throws(() => accuracy(logits, tensor([0, 0.5, 1, 1, 1])), /target must hold integer class labels, got 0.5 at element 1/);
    assert.throws(() => topKAccuracy(logits, target, 0), /k must be a positive integer/);
    assert.throws(() => topKAccuracy(logits, int([0, 1, 2, 3, 0]), 2), /target 3 at element 3 is outside the 3 classes/);
    assert.throws(() => confusionMatrix(logits, int([0, 1, 2, 5, 0]), { numClasses: 3 }), /label 5 is outside the 3 classes/);
    assert.throws(() => confusionMatrix(int([0, -1]), int([0, 1])), /negative label -1/);
    assert.throws(() => new MeanError('rmse' as 'mse'), ValueError);
  });
});
