/**
 * The detection recipe and its packed-target data sets: packing round trip, batches as `shendu train`'s BatchLoader
 * serves them, chunked evaluation equal to one pass, a training step on packed batches, the test report (mAP and
 * detections.png), and loadDetectionDataset's names.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ValueError, manualSeed, tensor, zeros } from '../../../src/index.js';
import { YOLOv1 } from '../../../src/models/detection/yolo.js';
import { detectionImages, loadDetectionDataset, packTargets, unpackTargets, DETECTION_DATASET_NAMES } from '../../../src/node/datasets/detection-images.js';
import type { RunInfo } from '../../../src/node/recipe.js';
import { BatchLoader } from '../../../src/node/recipe.js';
import { PackedDetectionTask, detectionRecipe } from '../../../src/node/train-recipes/detection.js';
import { composeCanvasDetection } from '../../../src/vision/canvas-detection.js';
import { checkErrors } from '../../helpers/check-errors.js';

const out = mkdtempSync(join(tmpdir(), 'shendu-det-recipe-'));
after(() => rmSync(out, { recursive: true, force: true }));

// 40 canvases of 32x32 holding 1-2 solid 8x8 items of two classes
const items = { pixels: new Uint8Array(4 * 64).fill(255), labels: [0, 1, 0, 1], height: 8, width: 8, classes: ['p', 'q'] };
const set = composeCanvasDetection(items, { numImages: 40, canvasSize: 32, objects: [1, 2], clutter: 0, seed: 3 });
const data = detectionImages(set, 'squares');
const info = { model: 'yolo', modelOptions: { inChannels: 1, inputSize: 32, numClasses: 2 }, task: 'detection', dataset: 'squares', classes: ['p', 'q'], norm: { mean: [0], std: [1] } } as RunInfo;
const small = () => new YOLOv1({ inputSize: 32, gridSize: 4, numClasses: 2, channels: [4, 8, 8], hidden: 16 });

describe('packed detection targets', () => {
  test('packTargets pads with label -1 and unpackTargets gives the targets back', () => {
    const t = [
      { boxes: tensor([[1, 2, 3, 4], [5, 6, 7, 8]]), labels: tensor([1, 0], { dtype: 'int32' }) },
      { boxes: zeros([0, 4]), labels: tensor([], { dtype: 'int32' }) },
    ];
    const p = packTargets(t);
    assert.deepEqual(p.shape, [2, 2, 5]);
    assert.deepEqual(Array.from(p.toTypedArray()), [1, 1, 2, 3, 4, 0, 5, 6, 7, 8, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0]);
    const u = unpackTargets(p);
    assert.deepEqual(Array.from(u[0].boxes.toTypedArray()), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(Array.from(u[0].labels.toTypedArray()), [1, 0]);
    assert.equal(u[0].labels.dtype, 'int32');
    assert.deepEqual(u[1].boxes.shape, [0, 4]);
  });
  test("a detection set serves BatchLoader's batches and lists every object's class", () => {
    assert.deepEqual(data.inputShape, [1, 32, 32]);
    assert.equal(data.numClasses, 2);
    assert.equal(data.targets().numel(), set.labels.flat().length);
    const [x, y] = [...new BatchLoader(data, 16, info.norm)][0];
    assert.deepEqual(x.shape, [16, 1, 32, 32]);
    assert.deepEqual(Array.from(unpackTargets(y)[3].labels.toTypedArray()), set.labels[3]);
  });
  test('loadDetectionDataset knows the canvas sets and refuses other names', () => {
    assert.deepEqual(DETECTION_DATASET_NAMES, ['canvas-mnist', 'canvas-fashion-mnist']);
  });
  checkErrors('detection-images', [
    ['unknown set', () => loadDetectionDataset('mnist'), ValueError, /unknown detection dataset 'mnist'; detectors train on: canvas-mnist, canvas-fashion-mnist/],
    ['not packed', () => unpackTargets(zeros([2, 4])), ValueError, /unpackTargets: expected packed targets \[B, K, 5\] .*got shape \[2, 4\]/],
  ]);
});

describe('detectionRecipe', () => {
  test('trains on packed batches; chunked evaluation of 150 images equals one pass per 100', () => {
    manualSeed(0);
    const model = small();
    const task = detectionRecipe.buildTask({ model, optimizer: 'adam', lr: 1e-3, weightDecay: 0, scheduler: 'none', epochs: 1, stepsPerEpoch: 3, seed: 0, info }) as PackedDetectionTask;
    assert.ok(task instanceof PackedDetectionTask);
    const loader = new BatchLoader(data, 16, info.norm, { shuffleSeed: 1 });
    for (const b of loader) assert.ok(Number.isFinite(task.trainStep(b, { epoch: 0, batch: 0, batchesPerEpoch: 3, step: 0 }).loss));
    model.eval();
    const big = detectionImages(composeCanvasDetection(items, { numImages: 150, canvasSize: 32, objects: [1, 2], clutter: 0, seed: 4 }), 'big');
    const [x, y] = big.batch(Array.from({ length: 150 }, (_, i) => i));
    task.resetMetrics('val');
    const whole = task.evalStep([x, y]);
    const a = task.evalStep([x.narrow(0, 0, 100), y.narrow(0, 0, 100)]);
    const b = task.evalStep([x.narrow(0, 100, 50), y.narrow(0, 100, 50)]);
    assert.equal(whole.n, 150);
    assert.ok(Math.abs(whole.loss - (a.loss * 100 + b.loss * 50) / 150) < 1e-5);
  });
  test('the report gives the test mAP and writes detections.png', async () => {
    const model = small();
    model.eval();
    const r = await detectionRecipe.report({ model, task: undefined as never, test: data, info, out, count: 20 });
    assert.ok(r.metrics.testMap >= 0 && r.metrics.testMap <= 1);
    assert.match(r.line, /^test mAP@0\.5 \(VOC all-point\) \d\.\d{4} on 20 images; detections on the first 8 in .*detections\.png$/);
    assert.ok(existsSync(join(out, 'detections.png')));
    assert.equal(detectionRecipe.monitor(true), 'val_map');
    assert.equal(detectionRecipe.augments, false);
  });
});
