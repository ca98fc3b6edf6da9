/** YOLO v2: k-means anchors, the anchor-head loss against PyTorch (tools/make_yolov2_fixtures.py), decoding, the model, bad inputs. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { ShapeError, ValueError, noGrad, tensor, zeros } from '../../../src/index.js';
import { YOLOV2_CANVAS_ANCHORS, YOLOv2 } from '../../../src/models/detection/yolov2.js';
import { yoloV2Decode, yoloV2Loss } from '../../../src/models/detection/yolov2-head.js';
import { createModel, modelEntry } from '../../../src/models/registry.js';
import { Adam } from '../../../src/optim/adam.js';
import { DetectionTask, collateDetection } from '../../../src/train/tasks/detection.js';
import { kmeansAnchors } from '../../../src/vision/kmeans-anchors.js';
import { checkErrors } from '../../helpers/check-errors.js';

interface LossCase {
  name: string; anchors: number[][]; numClasses: number; imageSize: [number, number];
  options: { lambda_coord?: number; lambda_obj?: number; lambda_noobj?: number; lambda_class?: number; ignore_threshold?: number; rescore?: boolean };
  boxes: number[][][]; labels: number[][]; pred: number[]; predShape: number[]; losses: Record<string, number>; grad: number[];
}
const fixture = JSON.parse(readFileSync(new URL('../../../../test/fixtures/yolov2_loss.json', import.meta.url), 'utf8')) as { cases: LossCase[] };

const target = (boxes: number[][], labels: number[], dtype: 'float32' | 'float64' = 'float32') => ({
  boxes: boxes.length ? tensor(boxes, { dtype }) : zeros([0, 4]),
  labels: tensor(labels, { dtype: 'int32' }),
});
const logit = (v: number) => Math.log(v / (1 - v));

describe('kmeansAnchors', () => {
  test('finds the shapes of three clusters of boxes, smallest first, with mean IoU near 1', () => {
    const shapes = [[40, 20], [10, 10], [20, 60]];
    const boxes: number[][] = [];
    for (let r = 0; r < 30; r++) {
      const [w, h] = shapes[r % 3];
      const e = ((r * 7) % 5) / 10 - 0.2; // small, symmetric jitter
      boxes.push([r, 2 * r, r + w + e, 2 * r + h - e]);
    }
    const res = kmeansAnchors(boxes, 3, { seed: 3 });
    const want = [[10, 10], [40, 20], [20, 60]];
    res.anchors.forEach(([w, h], c) => assert.ok(Math.abs(w - want[c][0]) < 0.2 && Math.abs(h - want[c][1]) < 0.2, `anchor ${c}: [${w}, ${h}]`));
    assert.ok(res.meanIou > 0.98, `mean IoU ${res.meanIou}`);
    assert.ok(res.iterations >= 1);
  });
  test('is deterministic for a seed and takes a [M, 4] tensor as the arrays; more anchors fit better', () => {
    const boxes = Array.from({ length: 40 }, (_, i) => [0, 0, 5 + ((i * 13) % 29), 4 + ((i * 17) % 31)]);
    const a = kmeansAnchors(boxes, 4, { seed: 1 });
    assert.deepEqual(kmeansAnchors(tensor(boxes, { dtype: 'float64' }), 4, { seed: 1 }), a);
    assert.ok(kmeansAnchors(boxes, 8, { seed: 1 }).meanIou > kmeansAnchors(boxes, 2, { seed: 1 }).meanIou);
    assert.equal(kmeansAnchors(boxes, 1).anchors.length, 1);
  });
});

describe('yoloV2Loss', () => {
  for (const c of fixture.cases) {
    const opts = () => ({
      anchors: c.anchors, numClasses: c.numClasses, imageSize: c.imageSize, lambdaCoord: c.options.lambda_coord, lambdaObj: c.options.lambda_obj,
      lambdaNoobj: c.options.lambda_noobj, lambdaClass: c.options.lambda_class, ignoreThreshold: c.options.ignore_threshold, rescore: c.options.rescore,
    });
    for (const [dtype, tol] of [['float64', 1e-10], ['float32', 1e-5]] as const) {
      test(`matches PyTorch (${dtype}, ${tol}): ${c.name}`, () => {
        const pred = tensor(dtype === 'float64' ? Float64Array.from(c.pred) : Float32Array.from(c.pred), { shape: c.predShape, dtype, requiresGrad: true });
        const targets = c.boxes.map((b, i) => target(b, c.labels[i], dtype));
        const parts = yoloV2Loss(pred, targets, opts());
        assert.deepEqual(Object.keys(parts).sort(), Object.keys(c.losses).sort());
        // float32: relative to the loss's size (sums of tens of float32 terms)
        for (const [k, want] of Object.entries(c.losses)) assert.ok(Math.abs(parts[k].item() - want) <= tol * Math.max(1, Math.abs(want)), `${k}: ${parts[k].item()} vs ${want}`);
        Object.values(parts).reduce((a, b) => a.add(b)).backward();
        const g = Array.from(pred.grad!.toTypedArray());
        g.forEach((x, k) => assert.ok(Math.abs(x - c.grad[k]) <= tol, `grad ${k}: ${x} vs ${c.grad[k]}`));
      });
    }
  }
  test('a near-perfect prediction has small losses; the ignore threshold spares a good unassigned box', () => {
    // one 32x32 image, 1x1 grid, two anchors; the object [4, 6, 20, 30] (16x24) picks anchor 0 (16x24 exactly)
    const anchors = [[16, 24], [16, 24]];
    const p = new Float64Array(2 * 7);
    const xy = [12 / 32, 18 / 32];
    for (const a of [0, 1]) p.set([logit(xy[0]), logit(xy[1]), 0, 0, a === 0 ? 12 : -12, 12, -12], 7 * a);
    const t = [target([[4, 6, 20, 30]], [0], 'float64')];
    const parts = yoloV2Loss(tensor(p, { shape: [1, 1, 1, 2, 7], dtype: 'float64' }), t, { anchors, numClasses: 2, imageSize: [32, 32] });
    for (const [k, v] of Object.entries(parts)) assert.ok(v.item() < 1e-8, `${k} = ${v.item()}`);
    // anchor 1 decodes to the same box (IoU 1 > 0.6): not responsible and not penalised even with objectness ~1
    p[7 + 4] = 12;
    assert.ok(yoloV2Loss(tensor(p, { shape: [1, 1, 1, 2, 7], dtype: 'float64' }), t, { anchors, numClasses: 2, imageSize: [32, 32] }).loss_noobj.item() < 1e-8);
    assert.ok(yoloV2Loss(tensor(p, { shape: [1, 1, 1, 2, 7], dtype: 'float64' }), t, { anchors, numClasses: 2, imageSize: [32, 32], ignoreThreshold: 1 }).loss_noobj.item() > 0.99);
  });
});

describe('yoloV2Decode', () => {
  test('decodes sigmoid offsets and exp sizes times the anchor; clips, scores obj x class prob, NMS per class', () => {
    // 2x2 grid of a 40x40 image (20-pixel cells), one anchor 10x8; cell (1, 0) predicts a box at (0.5, 0.25) of its
    // cell, 2x the anchor's width, e^0 its height: centre (10, 25), size 20x8
    const p = new Float64Array(2 * 2 * 1 * 7).fill(-20);
    p.set([0, logit(0.25), Math.log(2), 0, 20, 3, 0], 2 * 7);
    p.set([0, 0, Math.log(8), 0, 20, 0, 3], 1 * 7); // cell (0, 1): a box wider than the image, class 1
    const [d] = yoloV2Decode(tensor(p, { shape: [1, 2, 2, 1, 7], dtype: 'float64' }), { anchors: [[10, 8]], numClasses: 2, imageSize: [40, 40], scoreThreshold: 0.5 });
    assert.equal(d.scores.shape[0], 2);
    const b = Array.from(d.boxes.toTypedArray());
    const l = Array.from(d.labels.toTypedArray());
    const at = l.indexOf(0);
    [0, 21, 20, 29].forEach((v, q) => assert.ok(Math.abs(b[4 * at + q] - v) < 1e-4, `box ${b.slice(4 * at, 4 * at + 4)}`));
    const wide = l.indexOf(1);
    assert.ok(Math.abs(b[4 * wide] - 0) < 1e-6 && Math.abs(b[4 * wide + 2] - 40) < 1e-6, 'clipped to the image');
    assert.ok(Math.abs(d.scores.toTypedArray()[at] - (1 / (1 + Math.exp(-20))) * (Math.exp(3) / (Math.exp(3) + 1))) < 1e-6, 'sigmoid(to) x softmax');
    assert.equal(yoloV2Decode(tensor(p, { shape: [1, 2, 2, 1, 7], dtype: 'float64' }), { anchors: [[10, 8]], numClasses: 2, imageSize: [40, 40], detectionsPerImage: 1 })[0].scores.shape[0], 1);
  });
});

describe('YOLOv2', () => {
  test('the zoo entry builds a detection model with 5 anchors per cell; other multiples of the stride work', () => {
    assert.equal(modelEntry('yolov2').task, 'detection');
    const m = createModel('yolov2', { inChannels: 1, inputSize: 96, numClasses: 10 }) as YOLOv2;
    assert.deepEqual(m.forward(zeros([2, 1, 96, 96])).shape, [2, 6, 6, 5, 15]);
    assert.deepEqual(m.forward(zeros([1, 1, 64, 128])).shape, [1, 4, 8, 5, 15]);
    assert.deepEqual(m.anchors, YOLOV2_CANVAS_ANCHORS);
    assert.equal(m.classes.length, 10);
    m.eval();
    const dets = noGrad(() => m.detect(zeros([1, 1, 64, 64])));
    assert.equal(dets.length, 1);
  });
  test('a small model fits one canvas through the detection task', () => {
    const m = new YOLOv2({ inputSize: 32, gridSize: 4, numClasses: 2, channels: [4, 8, 8], headChannels: 16, anchors: [[10, 12], [14, 18]] });
    const t = target([[4, 4, 14, 16], [18, 10, 30, 28]], [0, 1]);
    const batch = collateDetection([[zeros([1, 32, 32]), t]]);
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
  const H = { anchors: [[10, 12]], numClasses: 2, imageSize: [32, 32] as [number, number] };
  const pred = () => zeros([1, 2, 2, 1, 7]);
  checkErrors('yolov2', [
    ['anchors [A, 3] tensor', () => new YOLOv2({ anchors: zeros([5, 3]) }), ShapeError, /yolov2: anchors must have shape \[A, 2\] \(width, height\) with A >= 1, got \[5, 3\]/],
    ['anchor of 3 numbers', () => new YOLOv2({ anchors: [[10, 12], [1, 2, 3]] }), ShapeError, /yolov2: anchors\[1\] must be a \[width, height\] pair, got \[1,2,3\]/],
    ['no anchors', () => new YOLOv2({ anchors: [] }), ShapeError, /anchors must be a non-empty list of \[width, height\] pairs, got \[\]/],
    ['zero anchor width', () => new YOLOv2({ anchors: [[0, 12]] }), ValueError, /yolov2: anchors\[0\] must be two positive finite sizes in pixels, got \[0,12\]/],
    ['negative anchor height', () => yoloV2Loss(pred(), [target([], [])], { ...H, anchors: [[10, -1]] }), ValueError, /yoloV2Loss: anchors\[0\] must be two positive/],
    ['NaN anchor', () => yoloV2Decode(pred(), { ...H, anchors: [[NaN, 3]] }), ValueError, /yoloV2Decode: anchors\[0\] must be two positive/],
    ['image not a multiple of the stride', () => new YOLOv2().forward(zeros([1, 1, 90, 96])), ShapeError, /yolov2: image height and width must be positive multiples of the stride 16 \(one grid cell each\), got 90x96/],
    ['image smaller than a cell', () => new YOLOv2().forward(zeros([1, 1, 0, 96])), ShapeError, /multiples of the stride 16 .*got 0x96/],
    ['wrong channels', () => new YOLOv2().forward(zeros([1, 3, 96, 96])), ShapeError, /yolov2: input must be images \[N, 1, H, W\], got shape \[1, 3, 96, 96\]/],
    ['inputSize not S * 2^k', () => new YOLOv2({ inputSize: 90 }), ValueError, /inputSize must be gridSize times a power of two .*got inputSize 90 and gridSize 6/],
    ['wrong channel count', () => new YOLOv2({ channels: [8, 16] }), ValueError, /channels must list 4 widths/],
    ['classes vs numClasses', () => new YOLOv2({ numClasses: 3, classes: ['a'] }), ValueError, /classes must name the 3 classes, got 1 names/],
    ['pred without the anchor axis', () => yoloV2Loss(zeros([1, 2, 2, 7]), [target([], [])], H), ShapeError, /yoloV2Loss: pred must be \[N, Sh, Sw, 1, 7\] \(A = 1 anchors, 5 \+ C = 7\), got \[1, 2, 2, 7\]/],
    ['pred with another anchor count', () => yoloV2Decode(zeros([1, 2, 2, 2, 7]), H), ShapeError, /pred must be \[N, Sh, Sw, 1, 7\]/],
    ['target count', () => yoloV2Loss(zeros([2, 2, 2, 1, 7]), [target([], [])], H), ValueError, /expected 2 targets \(one per image\), got 1/],
    ['x2 < x1', () => yoloV2Loss(pred(), [target([[10, 0, 5, 5]], [0])], H), ValueError, /target 0's box 0 must be finite with x2 > x1 and y2 > y1, got \[10, 0, 5, 5\]/],
    ['label out of range', () => yoloV2Loss(pred(), [target([[0, 0, 5, 5]], [2])], H), ValueError, /label 0 must be in 0..1, got 2/],
    ['bad imageSize', () => yoloV2Decode(pred(), { ...H, imageSize: [0, 5] }), ValueError, /imageSize must be \[height, width\] in pixels, got \[0,5\]/],
    ['negative weight', () => yoloV2Loss(pred(), [target([], [])], { ...H, lambdaObj: -1 }), ValueError, /loss weights must be non-negative numbers, got obj -1/],
    ['ignoreThreshold 2', () => yoloV2Loss(pred(), [target([], [])], { ...H, ignoreThreshold: 2 }), ValueError, /ignoreThreshold must be in \[0, 1\], got 2/],
    ['detectionsPerImage 0', () => yoloV2Decode(pred(), { ...H, detectionsPerImage: 0 }), ValueError, /detectionsPerImage must be a positive integer, got 0/],
    ['kmeans: k too large', () => kmeansAnchors([[0, 0, 2, 2]], 2), ValueError, /kmeansAnchors: k must be at most the number of boxes \(1\), got 2/],
    ['kmeans: k 0', () => kmeansAnchors([[0, 0, 2, 2]], 0), ValueError, /k must be a positive integer, got 0/],
    ['kmeans: boxes [M, 3]', () => kmeansAnchors(zeros([4, 3]), 2), ShapeError, /boxes must have shape \[M, 4\] \(x1, y1, x2, y2\), got \[4, 3\]/],
    ['kmeans: empty box', () => kmeansAnchors([[0, 0, 2, 2], [3, 3, 3, 5]], 1), ValueError, /box 1 must be finite with x2 > x1 and y2 > y1, got \[3, 3, 3, 5\]/],
    ['kmeans: box of 3 numbers', () => kmeansAnchors([[0, 0, 2]], 1), ShapeError, /boxes\[0\] must be \[x1, y1, x2, y2\], got \[0,0,2\]/],
  ]);
});
