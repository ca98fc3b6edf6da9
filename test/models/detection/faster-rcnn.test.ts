/**
 * Faster R-CNN: anchor/proposal matching and balanced sampling (codes, counts, seeded draws), detect() output
 * shapes and box validity, training on an image without objects, a tiny overfit run, the zoo entry, and bad inputs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Generator, ShapeError, ValueError, manualSeed, models, noGrad, optim, rand, tensor, train, vision, zeros, type Tensor } from '../../../src/index.js';
import { BalancedPositiveNegativeSampler, BELOW_LOW_THRESHOLD, BETWEEN_THRESHOLDS, FasterRCNN, Matcher, iouMatrix } from '../../../src/models/detection/faster-rcnn/index.js';
import { checkErrors } from '../../helpers/check-errors.js';

const int = (v: number[]) => tensor(v, { dtype: 'int32' });
const boxes = (v: number[][]) => (v.length === 0 ? zeros([0, 4]) : tensor(v));

/** Two 48x48 grey images with bright rectangles where the targets are (a small, fast model sees them). */
function tinyBatch(): { images: Tensor; targets: train.DetectionTarget[] } {
  const px = new Float32Array(2 * 48 * 48);
  const gt = [[[4, 6, 20, 30], [26, 10, 44, 26]], [[10, 20, 34, 44]]];
  gt.forEach((bs, i) => bs.forEach(([x1, y1, x2, y2]) => {
    for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) px[i * 2304 + y * 48 + x] = (x + y) % 3 === 0 ? 1 : 0.6;
  }));
  return { images: tensor(px, { shape: [2, 1, 48, 48] }), targets: [{ boxes: boxes(gt[0]), labels: int([0, 1]) }, { boxes: boxes(gt[1]), labels: int([1]) }] };
}

const small = (): FasterRCNN => new FasterRCNN({ numClasses: 2, backboneWidths: [8, 16, 16], representationSize: 32, anchorSizes: [16, 24], aspectRatios: [1, 2], samplerSeed: 3 });

describe('Matcher', () => {
  test('IoU >= high matches, < low is background, between is ignored; low-quality matches keep each ground truth', () => {
    // 2 ground-truth rows x 4 predictions
    const q = [0.9, 0.5, 0.1, 0.2, 0.3, 0.6, 0.2, 0.25];
    assert.deepEqual(Array.from(new Matcher(0.7, 0.3).match(q, 2, 4)), [0, BETWEEN_THRESHOLDS, BELOW_LOW_THRESHOLD, BELOW_LOW_THRESHOLD]);
    // ground truth 1's best prediction (column 1, IoU 0.6) is matched despite the threshold
    assert.deepEqual(Array.from(new Matcher(0.7, 0.3, { allowLowQualityMatches: true }).match(q, 2, 4)), [0, 1, BELOW_LOW_THRESHOLD, BELOW_LOW_THRESHOLD]);
    // 0.5 / 0.5 (the RoI heads): no "between" band
    assert.deepEqual(Array.from(new Matcher(0.5, 0.5).match(q, 2, 4)), [0, 1, BELOW_LOW_THRESHOLD, BELOW_LOW_THRESHOLD]);
  });

  test('iouMatrix equals vision.boxIou on a few boxes', () => {
    const a = [0, 0, 10, 10, 5, 5, 15, 25];
    const b = [0, 0, 10, 10, 5, 0, 15, 10, 20, 20, 30, 30];
    const m = iouMatrix(a, b);
    assert.deepEqual(Array.from(m).map((v) => +v.toFixed(6)), [1, 0.333333, 0, 0.090909, 0.2, 0]);
    const ref = vision.boxIou(tensor(a, { shape: [2, 4] }), tensor(b, { shape: [3, 4] })).toTypedArray();
    Array.from(m).forEach((v, i) => assert.ok(Math.abs(v - ref[i]) < 1e-6));
  });
});

describe('BalancedPositiveNegativeSampler', () => {
  const labels = Array.from({ length: 200 }, (_, i) => (i < 40 ? 1 : i < 60 ? -1 : 0));
  test('at most batch * fraction positives, the rest negatives; never an ignored one; increasing indices', () => {
    const s = new BalancedPositiveNegativeSampler(64, 0.25, new Generator(0)).sample(labels);
    assert.equal(s.positive.length, 16);
    assert.equal(s.negative.length, 48);
    assert.ok(Array.from(s.positive).every((i) => labels[i] === 1) && Array.from(s.negative).every((i) => labels[i] === 0));
    assert.ok(Array.from(s.positive).every((v, i, a) => i === 0 || a[i - 1] < v));
    // too few positives: all of them, negatives fill the batch
    const few = new BalancedPositiveNegativeSampler(256, 0.5, new Generator(0)).sample(labels.map((l, i) => (i < 5 ? 1 : l === 1 ? 0 : l)));
    assert.deepEqual([few.positive.length, few.negative.length], [5, 175]);
  });
  test('the same seed draws the same minibatch, another seed another', () => {
    const draw = (seed: number) => Array.from(new BalancedPositiveNegativeSampler(32, 0.5, new Generator(seed)).sample(labels).negative);
    assert.deepEqual(draw(7), draw(7));
    assert.notDeepEqual(draw(7), draw(8));
  });
});

describe('FasterRCNN', () => {
  test('losses are torchvision\'s four finite scalars; detect gives valid, clipped boxes per image', () => {
    manualSeed(0);
    const m = small();
    const { images, targets } = tinyBatch();
    const l = m.losses(images, targets);
    assert.deepEqual(Object.keys(l).sort(), ['loss_box_reg', 'loss_classifier', 'loss_objectness', 'loss_rpn_box_reg']);
    for (const v of Object.values(l)) assert.ok(v.numel() === 1 && Number.isFinite(v.item()));
    m.eval();
    const dets = noGrad(() => m.detect(images));
    assert.equal(dets.length, 2);
    for (const d of dets) {
      const n = d.scores.shape[0];
      assert.ok(n <= 100);
      assert.deepEqual([d.boxes.shape, d.labels.shape, d.labels.dtype], [[n, 4], [n], 'int32']);
      const b = d.boxes.toTypedArray();
      for (let i = 0; i < n; i++) {
        assert.ok(b[4 * i] >= 0 && b[4 * i + 1] >= 0 && b[4 * i + 2] <= 48 && b[4 * i + 3] <= 48, 'clipped');
        assert.ok(b[4 * i + 2] > b[4 * i] && b[4 * i + 3] > b[4 * i + 1], 'valid');
      }
      const s = Array.from(d.scores.toTypedArray());
      assert.ok(s.every((v) => v > 0.05 && v <= 1));
      assert.ok(Array.from(d.labels.toTypedArray()).every((v) => v === 0 || v === 1));
    }
  });

  test('an image without objects trains: every anchor and proposal is background', () => {
    manualSeed(1);
    const m = small();
    const { images, targets } = tinyBatch();
    const l = m.losses(images, [{ boxes: zeros([0, 4]), labels: int([]) }, targets[1]]);
    const total = Object.values(l).reduce((a, b) => a.add(b));
    assert.ok(Number.isFinite(total.item()));
    total.backward();
    assert.ok(m.parameters().every((p) => p.grad !== null));
    const none = m.losses(images, [{ boxes: zeros([0, 4]), labels: int([]) }, { boxes: zeros([0, 4]), labels: int([]) }]);
    assert.equal(none.loss_box_reg.item(), 0);
    assert.equal(none.loss_rpn_box_reg.item(), 0);
  });

  test('a tiny overfit run lowers the summed loss (DetectionTask steps)', () => {
    manualSeed(2);
    const m = small();
    const task = new train.DetectionTask(m, { optimizer: new optim.Adam(m.parameters(), { lr: 3e-3 }) });
    const batch = tinyBatch();
    const losses: number[] = [];
    for (let s = 0; s < 12; s++) losses.push(task.trainStep(batch, { epoch: 1, batch: s + 1, batchesPerEpoch: 12, step: s }).loss);
    assert.ok(losses.slice(-3).reduce((a, b) => a + b) < 0.6 * losses.slice(0, 3).reduce((a, b) => a + b), `losses ${losses.map((v) => v.toFixed(3)).join(' ')}`);
  });

  test('the zoo entry builds the canvas model', () => {
    const e = models.modelEntry('fasterrcnn');
    assert.deepEqual([e.task, e.inChannels, e.inputSize, e.numClasses], ['detection', 1, 96, 10]);
    manualSeed(0);
    const m = models.createModel('fasterrcnn') as unknown as FasterRCNN;
    assert.ok(m instanceof FasterRCNN);
    assert.equal(m.classes.length, 10);
    assert.equal(m.backbone.stride, 8);
    assert.equal(m.parameterCount(), 537428); // torchvision's twin (bench/torch_faster_rcnn_canvas.py) counts the same
  });

  const m = small();
  const { images, targets } = tinyBatch();
  const t0 = targets[0];
  checkErrors('FasterRCNN', [
    ['wrong image channels', () => m.losses(rand([2, 3, 48, 48]), targets), ShapeError, /^FasterRCNN\.losses: images must be \[N, 1, H, W\] with H, W >= 8, got shape \[2, 3, 48, 48\]/],
    ['3-D images', () => m.detect(rand([1, 48, 48])), ShapeError, /^FasterRCNN\.detect: images must be \[N, 1, H, W\].*got shape \[1, 48, 48\]/],
    ['x2 < x1', () => m.losses(images, [{ boxes: boxes([[20, 5, 10, 30]]), labels: int([0]) }, targets[1]]), ValueError, /^FasterRCNN\.losses: targets\[0\]\.boxes\[0\] must be .*x2 > x1 and y2 > y1.*got \[20, 5, 10, 30\]/],
    ['zero-height box', () => m.losses(images, [t0, { boxes: boxes([[1, 5, 10, 5]]), labels: int([1]) }]), ValueError, /targets\[1\]\.boxes\[0\] must be .*positive width and height/],
    ['NaN box', () => m.losses(images, [{ boxes: boxes([[NaN, 5, 10, 30]]), labels: int([0]) }, targets[1]]), ValueError, /targets\[0\]\.boxes\[0\] must be finite/],
    ['label out of range', () => m.losses(images, [{ boxes: t0.boxes, labels: int([0, 2]) }, targets[1]]), ValueError, /targets\[0\]\.labels\[1\] must be a class index in \[0, 1\], got 2/],
    ['boxes and labels disagree', () => m.losses(images, [{ boxes: t0.boxes, labels: int([0]) }, targets[1]]), ShapeError, /targets\[0\] must have boxes \[K, 4\] and labels \[K\], got boxes \[2, 4\] and labels \[1\]/],
    ['one target for two images', () => m.losses(images, [t0]), ValueError, /^FasterRCNN\.losses: targets must be an array of 2 .*got 1 targets/],
    ['no classes', () => new FasterRCNN({ numClasses: 0 }), ValueError, /^FasterRCNN: numClasses must be a positive integer, got 0/],
    ['bad matcher thresholds', () => new Matcher(0.3, 0.7), ValueError, /^Matcher: thresholds must satisfy 0 <= lowThreshold <= highThreshold <= 1/],
    ['bad sampler fraction', () => new BalancedPositiveNegativeSampler(16, 1.5), ValueError, /^BalancedPositiveNegativeSampler: positiveFraction must be in \[0, 1\], got 1\.5/],
    ['RPN top-n', () => new FasterRCNN({ rpn: { postNmsTopN: [0, 10] } }), ValueError, /^RegionProposalNetwork: postNmsTopN must be \[training, testing\], two positive integers/],
  ]);
});
