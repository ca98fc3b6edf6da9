/** YOLO v1: target encoding, the loss against PyTorch (tools/make_yolo_fixtures.py), decoding, the model, bad inputs. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { ShapeError, ValueError, noGrad, tensor, zeros } from '../../../src/index.js';
import { YOLOv1 } from '../../../src/models/detection/yolo.js';
import { yoloV1Decode, yoloV1Encode, yoloV1Loss, type YoloGrid } from '../../../src/models/detection/yolo-grid.js';
import { createModel, modelEntry } from '../../../src/models/registry.js';
import { Adam } from '../../../src/optim/adam.js';
import { DetectionTask, collateDetection } from '../../../src/train/tasks/detection.js';
import { checkErrors } from '../../helpers/check-errors.js';

interface LossCase {
  name: string; grid: number; numBoxes: number; numClasses: number; imageSize: [number, number];
  options: { lambda_coord?: number; lambda_noobj?: number; rescore?: boolean };
  boxes: number[][][]; labels: number[][]; pred: number[]; predShape: number[]; losses: Record<string, number>; grad: number[];
}
const fixture = JSON.parse(readFileSync(new URL('../../../../test/fixtures/yolo_loss.json', import.meta.url), 'utf8')) as { cases: LossCase[] };

const target = (boxes: number[][], labels: number[]) => ({
  boxes: boxes.length ? tensor(boxes) : zeros([0, 4]),
  labels: tensor(labels, { dtype: 'int32' }),
});
const G: YoloGrid = { gridSize: 3, numBoxes: 2, numClasses: 4, imageSize: [60, 90] };

describe('yoloV1Encode', () => {
  test('a box lands in the cell of its centre with cell-relative x, y and sqrt w, h', () => {
    // centre (50, 35) in a 90 x 60 image on a 3x3 grid: column floor(50 / 30) = 1, row floor(35 / 20) = 1
    const enc = yoloV1Encode([target([[40, 25, 60, 45]], [2])], G);
    assert.deepEqual(enc.shape, [1, 3, 3, 14]);
    const v = Array.from(enc.toTypedArray());
    const at = (i: number, j: number) => v.slice((i * 3 + j) * 14, (i * 3 + j + 1) * 14);
    const cell = at(1, 1);
    const want = [50 / 30 - 1, 35 / 20 - 1, Math.sqrt(20 / 90), Math.sqrt(20 / 60), 1, 0, 0, 0, 0, 0, 0, 0, 1, 0];
    cell.forEach((x, k) => assert.ok(Math.abs(x - want[k]) < 1e-6, `entry ${k}: ${x} vs ${want[k]}`));
    for (let c = 0; c < 9; c++) if (c !== 4) assert.ok(at(Math.floor(c / 3), c % 3).every((x) => x === 0), `cell ${c} is empty`);
  });
  test('a centre on the image edge stays in the last cell; the larger of two objects in one cell wins', () => {
    const enc = yoloV1Encode([target([[80, 50, 90, 60], [0, 0, 4, 4], [0, 0, 20, 16]], [0, 1, 3])], G);
    const v = Array.from(enc.toTypedArray());
    assert.equal(v[(2 * 3 + 2) * 14 + 4], 1); // (85, 55) -> row 2, column 2
    assert.equal(v[0 * 14 + 10 + 3], 1); // cell (0, 0): the 20 x 16 box, class 3
    assert.equal(v[0 * 14 + 10 + 1], 0);
  });
});

describe('yoloV1Loss', () => {
  for (const c of fixture.cases) {
    test(`matches PyTorch: ${c.name}`, () => {
      const pred = tensor(Float64Array.from(c.pred), { shape: c.predShape, dtype: 'float64', requiresGrad: true });
      const targets = c.boxes.map((b, i) => ({ boxes: b.length ? tensor(b, { dtype: 'float64' }) : zeros([0, 4]), labels: tensor(c.labels[i], { dtype: 'int32' }) }));
      const o = c.options;
      const parts = yoloV1Loss(pred, targets, { gridSize: c.grid, numBoxes: c.numBoxes, numClasses: c.numClasses, imageSize: c.imageSize, lambdaCoord: o.lambda_coord, lambdaNoobj: o.lambda_noobj, rescore: o.rescore });
      assert.deepEqual(Object.keys(parts).sort(), Object.keys(c.losses).sort());
      for (const [k, want] of Object.entries(c.losses)) assert.ok(Math.abs(parts[k].item() - want) < 1e-10, `${k}: ${parts[k].item()} vs ${want}`);
      Object.values(parts).reduce((a, b) => a.add(b)).backward();
      const g = Array.from(pred.grad!.toTypedArray());
      g.forEach((x, k) => assert.ok(Math.abs(x - c.grad[k]) < 1e-10, `grad ${k}: ${x} vs ${c.grad[k]}`));
    });
  }
  test('a perfect prediction has zero loss', () => {
    const ts = [target([[5, 5, 30, 40], [50, 30, 85, 58]], [0, 3]), target([], [])];
    const parts = yoloV1Loss(yoloV1Encode(ts, G), ts, G);
    for (const [k, v] of Object.entries(parts)) assert.ok(Math.abs(v.item()) < 1e-10, `${k} = ${v.item()}`);
  });
});

describe('yoloV1Decode', () => {
  test('decodes a perfect prediction back to the boxes, labels and score 1', () => {
    const boxes = [[5, 5, 30, 40], [50, 30, 85, 58]];
    const [d, e] = yoloV1Decode(yoloV1Encode([target(boxes, [0, 3]), target([], [])], G), G);
    const got = Array.from(d.boxes.toTypedArray());
    const order = Array.from(d.labels.toTypedArray());
    assert.deepEqual(order.sort(), [0, 3]);
    const labels = Array.from(d.labels.toTypedArray());
    labels.forEach((l, k) => boxes[l === 0 ? 0 : 1].forEach((x, q) => assert.ok(Math.abs(got[4 * k + q] - x) < 1e-4, `${got.slice(4 * k, 4 * k + 4)} vs ${boxes[l === 0 ? 0 : 1]}`)));
    assert.deepEqual(Array.from(d.scores.toTypedArray()), [1, 1]);
    assert.equal(e.boxes.shape[0], 0);
    assert.deepEqual(e.boxes.shape, [0, 4]);
  });
  test('clips to the image, drops empty boxes, suppresses per class and keeps detectionsPerImage', () => {
    const g: YoloGrid = { gridSize: 1, numBoxes: 3, numClasses: 2, imageSize: [10, 10] };
    // three predictors of one cell: a box over the right edge, a near-duplicate of it, and a zero-width one
    const p = [0.9, 0.5, 0.6, 0.6, 1, 0.85, 0.5, 0.6, 0.6, 0.9, 0.5, 0.5, 0, 0.6, 0.8, 0.9, 0.3];
    const [d] = yoloV1Decode(tensor(p, { shape: [1, 1, 1, 17] }), { ...g, scoreThreshold: 0.1 });
    assert.deepEqual(Array.from(d.labels.toTypedArray()), [0, 1]);
    const b = Array.from(d.boxes.toTypedArray());
    assert.ok(Math.abs(b[2] - 10) < 1e-6, 'x2 clipped to the width');
    assert.equal(yoloV1Decode(tensor(p, { shape: [1, 1, 1, 17] }), { ...g, scoreThreshold: 0.1, detectionsPerImage: 1 })[0].scores.shape[0], 1);
  });
});

describe('YOLOv1', () => {
  test('the zoo entry builds a detection model with the grid output', () => {
    assert.equal(modelEntry('yolo').task, 'detection');
    const m = createModel('yolo', { inChannels: 1, inputSize: 96, numClasses: 10 }) as YOLOv1;
    assert.deepEqual(m.forward(zeros([2, 1, 96, 96])).shape, [2, 6, 6, 20]);
    assert.equal(m.classes.length, 10);
  });
  test('a small model fits one canvas through the detection task', () => {
    const m = new YOLOv1({ inputSize: 32, gridSize: 4, numClasses: 2, channels: [4, 8, 8], hidden: 32 });
    const img = zeros([1, 32, 32]);
    const t = target([[4, 4, 14, 16], [18, 10, 30, 28]], [0, 1]);
    const batch = collateDetection([[img, t]]);
    const task = new DetectionTask(m, { optimizer: new Adam(m.parameters(), { lr: 0.01 }) });
    const ctx = { epoch: 0, batch: 0, batchesPerEpoch: 1, step: 0 };
    const first = task.trainStep(batch, ctx).loss;
    let last = first;
    for (let s = 1; s < 60; s++) last = task.trainStep(batch, { ...ctx, step: s }).loss;
    assert.ok(last < first * 0.2, `loss ${first} -> ${last}`);
    m.eval();
    const [d] = noGrad(() => m.detect(batch.images));
    assert.ok(d.scores.shape[0] >= 1);
  });
  checkErrors('yolo', [
    ['inputSize not S * 2^k', () => new YOLOv1({ inputSize: 90 }), ValueError, /inputSize must be gridSize times a power of two .*got inputSize 90 and gridSize 6/],
    ['wrong channel count', () => new YOLOv1({ channels: [8, 16] }), ValueError, /channels must list 4 widths/],
    ['classes vs numClasses', () => new YOLOv1({ numClasses: 3, classes: ['a'] }), ValueError, /classes must name the 3 classes, got 1 names/],
    ['bad dropout', () => new YOLOv1({ dropout: 1 }), ValueError, /dropout must be in \[0, 1\), got 1/],
    ['wrong input size', () => new YOLOv1().forward(zeros([1, 1, 64, 64])), ValueError, /input must be images \[N, 1, 96, 96\], got shape \[1, 1, 64, 64\]/],
    ['pred shape', () => yoloV1Loss(zeros([1, 3, 3, 13]), [target([], [])], G), ShapeError, /pred must be \[N, 3, 3, 14\] \(S = 3, 5B \+ C = 14\), got \[1, 3, 3, 13\]/],
    ['target count', () => yoloV1Loss(zeros([2, 3, 3, 14]), [target([], [])], G), ValueError, /expected 2 targets \(one per image\), got 1/],
    ['x2 < x1', () => yoloV1Loss(zeros([1, 3, 3, 14]), [target([[10, 0, 5, 5]], [0])], G), ValueError, /target 0's box 0 must be finite with x2 > x1 and y2 > y1, got \[10, 0, 5, 5\]/],
    ['NaN box', () => yoloV1Encode([target([[NaN, 0, 5, 5]], [0])], G), ValueError, /box 0 must be finite/],
    ['label out of range', () => yoloV1Encode([target([[0, 0, 5, 5]], [4])], G), ValueError, /label 0 must be in 0..3, got 4/],
    ['gridSize 0', () => yoloV1Decode(zeros([1, 3, 3, 14]), { ...G, gridSize: 0 }), ValueError, /gridSize must be a positive integer, got 0/],
    ['bad imageSize', () => yoloV1Encode([], { ...G, imageSize: [0, 5] }), ValueError, /imageSize must be \[height, width\] in pixels, got \[0,5\]/],
    ['negative lambda', () => yoloV1Loss(zeros([1, 3, 3, 14]), [target([], [])], { ...G, lambdaCoord: -1 }), ValueError, /lambdaCoord and lambdaNoobj must be non-negative/],
    ['detectionsPerImage 0', () => yoloV1Decode(zeros([1, 3, 3, 14]), { ...G, detectionsPerImage: 0 }), ValueError, /detectionsPerImage must be a positive integer, got 0/],
  ]);
});
