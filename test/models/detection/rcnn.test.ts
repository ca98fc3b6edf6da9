/**
 * R-CNN, Fast R-CNN and the SPP-net head as DetectionModels, on tiny 32x32 images with given proposals (selective
 * search is tested in vision): valid detections (inside the image, x2 >= x1, best first), images without objects,
 * a short overfit run lowering the loss, seeded sampling, the DetectionTask and zoo entries; bad inputs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DTypeError, ShapeError, ValueError, manualSeed, noGrad, optim, tensor, zeros } from '../../../src/index.js';
import { FastRCNN } from '../../../src/models/detection/fast-rcnn.js';
import { ProposalCache } from '../../../src/models/detection/proposals.js';
import { RCNN } from '../../../src/models/detection/rcnn.js';
import type { RegionDetector } from '../../../src/models/detection/region-detector.js';
import { createModel, modelEntry } from '../../../src/models/registry.js';
import { select } from '../../../src/ops/indexing.js';
import { stack } from '../../../src/ops/movement.js';
import type { Tensor } from '../../../src/tensor/tensor.js';
import { DetectionTask, collateDetection, type DetectionTarget } from '../../../src/train/tasks/detection.js';
import { checkErrors } from '../../helpers/check-errors.js';

/** A 32x32 grey image with filled squares [x1, y1, x2, y2] of brightness 0.5 (class 0) or 1 (class 1). */
function image(objects: readonly (readonly [number, number, number, number, number])[]): Tensor {
  const px = new Float32Array(32 * 32);
  for (const [x1, y1, x2, y2, c] of objects) for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) px[y * 32 + x] = c === 0 ? 0.5 : 1;
  return tensor(px, { shape: [1, 32, 32] });
}
const target = (objects: readonly (readonly [number, number, number, number, number])[]): DetectionTarget => ({
  boxes: tensor(objects.map((o) => o.slice(0, 4)), { shape: [objects.length, 4] }),
  labels: tensor(objects.map((o) => o[4]), { dtype: 'int32', shape: [objects.length] }),
});
const scenes = [
  [[4, 4, 14, 14, 0], [18, 16, 28, 28, 1]],
  [[16, 2, 28, 12, 1]],
  [] as [number, number, number, number, number][],
] as const;
const images = stack(scenes.map((s) => image(s)));
const targets = scenes.map((s) => target(s));

/** Proposals: a grid of boxes of 3 sizes plus jittered copies of the objects, the same for every image. */
function cacheFor(imgs: Tensor): ProposalCache {
  const cache = new ProposalCache();
  const boxes: number[][] = [];
  for (const s of [8, 12, 16]) for (let y = 0; y + s <= 32; y += 6) for (let x = 0; x + s <= 32; x += 6) boxes.push([x, y, x + s, y + s]);
  for (const sc of scenes) for (const [x1, y1, x2, y2] of sc) boxes.push([x1 + 1, y1, x2 + 1, y2 - 1], [x1 - 1, y1 + 1, x2, y2 + 1]);
  for (let i = 0; i < imgs.shape[0]; i++) cache.set(select(imgs, 0, i), boxes.map((b) => b.map((v) => Math.min(32, Math.max(0, v)))));
  return cache;
}
const small = { numClasses: 2, channels: [4, 8, 8] as const, hidden: 32, samplingSeed: 0, roisPerImage: 16 };
const builders: [string, (c: ProposalCache) => RegionDetector][] = [
  ['rcnn', (c) => new RCNN({ ...small, proposals: c, warpSize: 12 })],
  ['fastrcnn', (c) => new FastRCNN({ ...small, proposals: c, poolSize: 3 })],
  ['sppnet', (c) => new FastRCNN({ ...small, proposals: c, pooling: 'spp', sppLevels: [1, 2] })],
];

for (const [name, build] of builders) {
  describe(name, () => {
    test('detect: boxes inside the image with x2 >= x1, scores in (0, 1] best first, labels among the classes', () => {
      manualSeed(0);
      const m = build(cacheFor(images)).eval();
      const dets = noGrad(() => m.detect(images));
      assert.equal(dets.length, 3);
      for (const d of dets) {
        const n = d.scores.shape[0];
        assert.deepEqual([d.boxes.shape, d.labels.shape, d.labels.dtype], [[n, 4], [n], 'int32']);
        const b = d.boxes.toTypedArray();
        for (let i = 0; i < n; i++) {
          assert.ok(b[4 * i] >= 0 && b[4 * i + 1] >= 0 && b[4 * i + 2] <= 32 && b[4 * i + 3] <= 32, 'clipped');
          assert.ok(b[4 * i + 2] >= b[4 * i] && b[4 * i + 3] >= b[4 * i + 1], 'x2 >= x1');
        }
        const s = Array.from(d.scores.toTypedArray());
        assert.ok(s.every((v) => v > 0 && v <= 1));
        assert.deepEqual(s, [...s].sort((x, y) => y - x));
        assert.ok(Array.from(d.labels.toTypedArray()).every((l) => l === 0 || l === 1));
      }
    });

    test('an image without objects trains on background only (no box loss); seeded sampling repeats the losses', () => {
      const empty = stack([image([])]);
      const losses = (seed: number) => {
        manualSeed(seed);
        const m = build(cacheFor(empty));
        const l = m.losses(empty, [target([])]);
        return [l.loss_classifier.item(), l.loss_box_reg.item()];
      };
      const [cls, box] = losses(1);
      assert.ok(Number.isFinite(cls) && cls > 0);
      assert.equal(box, 0);
      assert.deepEqual(losses(1), [cls, box]);
    });

    test('a short overfit run (15 steps) on three images lowers the summed loss by over 30%', () => {
      manualSeed(0);
      const m = build(cacheFor(images));
      const opt = new optim.Adam(m.parameters(), { lr: 0.01 });
      const total = () => {
        const l = m.losses(images, targets);
        return l.loss_classifier.add(l.loss_box_reg);
      };
      const first = total().item();
      let last = first;
      for (let s = 0; s < 15; s++) {
        opt.zeroGrad();
        const l = total();
        l.backward();
        opt.step();
        last = l.item();
      }
      assert.ok(last < 0.7 * first, `loss ${first} -> ${last}`);
    });
  });
}

describe('the detection task and the zoo', () => {
  test('DetectionTask trains a Fast R-CNN on collated batches and logs both losses', () => {
    manualSeed(0);
    const m = new FastRCNN({ ...small, proposals: cacheFor(images), poolSize: 3 });
    const task = new DetectionTask(m, { optimizer: new optim.SGD(m.parameters(), { lr: 0.01 }) });
    const batch = collateDetection([0, 1].map((i) => [select(images, 0, i), targets[i]] as const));
    const r = task.trainStep(batch, { epoch: 0, batch: 0, batchesPerEpoch: 1, step: 0 });
    assert.ok(Number.isFinite(r.loss));
    assert.deepEqual(Object.keys(r.logs ?? {}).sort(), ['loss_box_reg', 'loss_classifier']);
  });

  test("rcnn, fastrcnn and sppnet are zoo entries of task 'detection'; forward gives class logits of crops / the shared feature map", () => {
    for (const n of ['rcnn', 'fastrcnn', 'sppnet'] as const) assert.equal(modelEntry(n).task, 'detection');
    manualSeed(0);
    const r = createModel('rcnn', { numClasses: 3 }) as RCNN;
    assert.deepEqual(noGrad(() => r.forward(zeros([2, 1, 28, 28]))).shape, [2, 4]);
    const f = createModel('fastrcnn');
    assert.deepEqual(noGrad(() => f.forward(zeros([1, 1, 96, 96]))).shape, [1, 64, 24, 24]);
    assert.equal((createModel('sppnet') as FastRCNN).pooling, 'spp');
    assert.equal(r.parameterCount(), createModel('fastrcnn', { numClasses: 3 }).parameterCount());
  });
});

describe('bad input', () => {
  const m = new FastRCNN({ ...small, proposals: cacheFor(images) });
  const t1 = [targets[0]];
  const one = stack([select(images, 0, 0)]);
  checkErrors('rcnn detectors', [
    ['3-D images', () => m.detect(select(images, 0, 0)), ShapeError, /fastrcnn.detect: images must be \[N, 1, H, W\], got \[1, 32, 32\]/],
    ['wrong channels', () => m.losses(zeros([1, 3, 32, 32]), t1), ShapeError, /fastrcnn.losses: images must be \[N, 1, H, W\], got \[1, 3, 32, 32\]/],
    ['int images', () => m.detect(zeros([1, 1, 8, 8], { dtype: 'int32' })), DTypeError, /fastrcnn.detect: images must be float32 or float64, got int32/],
    ['not a tensor', () => m.detect([] as unknown as Tensor), ValueError, /fastrcnn.detect: images must be a \[N, 1, H, W\] tensor, got an array of 0/],
    ['targets count', () => m.losses(images, t1), ValueError, /fastrcnn.losses: targets must hold one \{boxes, labels\} per image \(3\), got an array of 1/],
    ['label out of range', () => m.losses(one, [target([[0, 0, 4, 4, 2]])]), ValueError, /fastrcnn.losses: targets\[0\].labels\[0\] is 2; labels must be in \[0, 1\]/],
    ['float labels', () => m.losses(one, [{ boxes: zeros([1, 4]), labels: zeros([1]) }]), DTypeError, /targets\[0\].labels must be int32, got float32/],
    ['boxes [K, 3]', () => m.losses(one, [{ boxes: zeros([1, 3]), labels: tensor([0], { dtype: 'int32' }) }]), ShapeError, /targets\[0\] must have boxes \[K, 4\] and labels \[K\], got boxes \[1, 3\] and labels \[1\]/],
    ['inverted box', () => m.losses(one, [target([[9, 9, 2, 2, 0]])]), ValueError, /targets\[0\].boxes\[0\] must be finite with x1 <= x2 and y1 <= y2, got \[9, 9, 2, 2\]/],
    ['NaN box', () => m.losses(one, [{ boxes: tensor([[0, 0, NaN, 4]]), labels: tensor([0], { dtype: 'int32' }) }]), ValueError, /targets\[0\].boxes\[0\] must be finite/],
    ['nothing to train on', () => new FastRCNN({ ...small, proposals: cacheFor(images), bgIou: [0.1, 0.5] }).losses(stack([image([])]), [target([])]), ValueError, /fastrcnn.losses: no proposal of the batch could be labelled .*background IoU range \[0.1,0.5\]/],
    ['numClasses 0', () => new RCNN({ numClasses: 0 }), ValueError, /rcnn: option numClasses must be a positive integer, got 0/],
    ['classes count', () => new RCNN({ numClasses: 3, classes: ['a'] }), ValueError, /rcnn: option classes must name the 3 classes, got an array of 1/],
    ['warpSize 30', () => new RCNN({ warpSize: 30 }), ValueError, /rcnn: option warpSize must be a positive multiple of 4, got 30/],
    ['contextPadding', () => new RCNN({ contextPadding: 20 }), ValueError, /rcnn: contextPadding must be a number in \[0, size \/ 2\)/],
    ['pooling', () => new FastRCNN({ pooling: 'avg' as 'roi' }), ValueError, /fastrcnn: option pooling must be 'roi' or 'spp', got "avg"/],
    ['sppLevels', () => new FastRCNN({ pooling: 'spp', sppLevels: [] }), ValueError, /fastrcnn: option sppLevels must be a non-empty list of positive integers, got \[\]/],
    ['channels', () => new FastRCNN({ channels: [4, 8] as unknown as [number, number, number] }), ValueError, /fastrcnn: option channels must be three positive integers, got \[4,8\]/],
    ['nmsThresh', () => new FastRCNN({ nmsThresh: -1 }), ValueError, /fastrcnn: nmsThresh must be in \[0, 1\], got -1/],
  ]);
});
