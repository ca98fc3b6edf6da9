/**
 * ROC curves and AUC (src/train/roc.ts) and IoU (src/train/iou.ts) against scikit-learn's roc_curve,
 * roc_auc_score, jaccard_score and accuracy_score (test/fixtures/train/roc_iou.json, written by
 * tools/make_segmentation_fixtures.py), including tied scores; the streaming metrics; bad inputs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { ShapeError, ValueError, oneHot, permute, tensor } from '../../src/index.js';
import { iouFromConfusion, jaccardIndex, meanIoU, MeanIoU } from '../../src/train/iou.js';
import { createMetric } from '../../src/train/streaming-metrics.js';
import { RocAuc, rocAuc, rocCurve } from '../../src/train/roc.js';
import { checkErrors } from '../helpers/check-errors.js';

interface Curve { fpr: number[]; tpr: number[]; thresholds: number[] }
interface RocCase { name: string; y: number[]; score: number[]; auc: number; drop: Curve; full: Curve }
interface IouCase { name: string; shape: number[]; classes: number; target: number[]; pred: number[]; perClass: number[]; macro: number; pixelAccuracy: number }
const fx = JSON.parse(readFileSync(new URL('../../../test/fixtures/train/roc_iou.json', import.meta.url), 'utf8')) as { roc: RocCase[]; iou: IouCase[] };

function close(a: readonly number[], b: readonly number[], label: string, tol = 1e-12): void {
  assert.equal(a.length, b.length, `${label}: length`);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol, `${label}[${i}]: ${v} vs ${b[i]}`));
}

describe('rocCurve and rocAuc match scikit-learn', () => {
  for (const c of fx.roc) {
    test(c.name, () => {
      for (const [key, drop] of [['drop', true], ['full', false]] as const) {
        const r = rocCurve(c.score, c.y, { dropIntermediate: drop });
        close(r.fpr, c[key].fpr, `${key} fpr`);
        close(r.tpr, c[key].tpr, `${key} tpr`);
        close(r.thresholds, c[key].thresholds, `${key} thresholds`);
      }
      assert.ok(Math.abs(rocAuc(c.score, c.y) - c.auc) < 1e-12, `auc ${rocAuc(c.score, c.y)} vs ${c.auc}`);
      assert.ok(Math.abs(rocAuc(tensor(c.score), tensor(c.y, { dtype: 'int32' })) - c.auc) < 1e-6, 'from tensors');
    });
  }

  test('streaming RocAuc over batches equals rocAuc of the whole; [N, 2] scores use the positive-minus-negative margin', () => {
    const c = fx.roc[0];
    const m = createMetric('roc_auc');
    assert.ok(m instanceof RocAuc && m.name === 'roc_auc');
    assert.ok(Number.isNaN(m.compute() as number));
    for (let i = 0; i < c.y.length; i += 16) m.update(tensor(c.score.slice(i, i + 16)), tensor(c.y.slice(i, i + 16), { dtype: 'int32' }));
    assert.ok(Math.abs((m.compute() as number) - c.auc) < 1e-6);
    const two = new RocAuc();
    two.update(tensor(c.score.map((s) => [0.3, 0.3 + s])), tensor(c.y, { dtype: 'int32' }));
    assert.ok(Math.abs(two.compute() - c.auc) < 1e-6);
    m.reset();
    assert.ok(Number.isNaN(m.compute() as number));
  });
});

describe('IoU matches scikit-learn jaccard_score', () => {
  for (const c of fx.iou) {
    test(c.name, () => {
      const target = tensor(c.target, { dtype: 'int32' }).reshape(c.shape);
      const pred = tensor(c.pred, { dtype: 'int32' }).reshape(c.shape);
      close(jaccardIndex(pred, target, { numClasses: c.classes }), c.perClass, 'per class');
      assert.ok(Math.abs(meanIoU(pred, target, { numClasses: c.classes }) - c.macro) < 1e-12);
      // as logits [N, C, H, W]: one-hot scores give the same predictions
      const scores = permute(oneHot(pred, c.classes).float(), [0, 3, 1, 2]);
      const m = new MeanIoU({ numClasses: c.classes });
      m.update(scores, target);
      const s = m.scores();
      close(s.perClass, c.perClass, 'streaming per class');
      assert.ok(Math.abs(s.meanIoU - c.macro) < 1e-12 && Math.abs(s.pixelAccuracy - c.pixelAccuracy) < 1e-12);
      assert.deepEqual(Object.keys(m.compute()), ['mean_iou', 'pixel_accuracy']);
    });
  }

  test('hand-computed: a 2x2 mask', () => {
    // true [[0, 1], [1, 1]], pred [[0, 1], [0, 2]]: class 0 IoU 1/2, class 1 1/3, class 2 0/1 -> mean 5/18
    const r = iouFromConfusion([[1, 0, 0], [1, 1, 1], [0, 0, 0]]);
    close(r.perClass, [1 / 2, 1 / 3, 0], 'per class');
    assert.ok(Math.abs(r.meanIoU - 5 / 18) < 1e-12 && r.pixelAccuracy === 0.5);
    const j = jaccardIndex(tensor([[[0, 1], [0, 2]]], { dtype: 'int32' }), tensor([[[0, 1], [1, 1]]], { dtype: 'int32' }), { numClasses: 4 });
    close(j, [1 / 2, 1 / 3, 0, 0], 'class 3 occurs nowhere: 0');
  });
});

checkErrors('roc and iou', [
  ['one class only', () => rocAuc([0.1, 0.2], [1, 1]), ValueError, /^rocCurve: labels must hold both classes.*all 1/],
  ['label 2', () => rocCurve([0.1, 0.2], [0, 2]), ValueError, /^rocCurve: labels must be 0 \(negative\) or 1 \(positive\), got 2 at index 1/],
  ['lengths differ', () => rocCurve([0.1, 0.2, 0.3], [0, 1]), ShapeError, /^rocCurve: scores has 3 values but labels has 2/],
  ['NaN score', () => rocCurve([NaN, 0.2], [0, 1]), ValueError, /^rocCurve: scores must be finite, got NaN at index 0/],
  ['not an array', () => rocCurve(3 as unknown as number[], [0, 1]), ValueError, /^rocCurve: scores must be a Tensor or an array of numbers, got number/],
  ['RocAuc [N, 3] output', () => new RocAuc().update(tensor([[1, 2, 3]]), tensor([1], { dtype: 'int32' })), ShapeError, /^RocAuc: output must be scores \[N\], \[N, 1\] or \[N, 2\]/],
  ['RocAuc label 5', () => new RocAuc().update(tensor([0.5]), tensor([5], { dtype: 'int32' })), ValueError, /^RocAuc: target must hold 0\/1 labels, got 5/],
  ['meanIoU label outside numClasses', () => meanIoU(tensor([[0, 4]], { dtype: 'int32' }), tensor([[0, 1]], { dtype: 'int32' }), { numClasses: 3 }), ValueError, /^meanIoU: label 4 is outside the 3 classes/],
  ['jaccardIndex shape mismatch', () => jaccardIndex(tensor([[0, 1, 1]], { dtype: 'int32' }), tensor([[0, 1]], { dtype: 'int32' })), ShapeError, /^jaccardIndex: input of shape \[1, 3\] does not fit target of shape \[1, 2\]/],
  ['non-square confusion', () => iouFromConfusion([[1, 2], [3]]), ValueError, /^iouFromConfusion: the confusion matrix must be square/],
]);
