/**
 * The detection task (src/train/tasks/detection.ts): a tiny box regressor trained by fitTask on its own losses
 * lowers them, logs each one, and validation hands its detections to the scorer; collateDetection stacks items;
 * the registry builds the task; bad models, batches and targets give ValueErrors.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValueError, manualSeed, nn, optim, tensor, zeros, type Tensor } from '../../../src/index.js';
import { smoothL1Loss } from '../../../src/nn/loss.js';
import { cat } from '../../../src/ops/movement.js';
import { fitTask } from '../../../src/train/loop.js';
import { DetectionTask, collateDetection, type Detection, type DetectionBatch, type DetectionScorer, type DetectionTarget } from '../../../src/train/tasks/detection.js';
import { createTask, TASK_NAMES } from '../../../src/train/tasks/registry.js';
import { checkErrors } from '../../helpers/check-errors.js';

/** Predicts one box per image from the image mean: box = mean * w + b; the loss is smooth L1 to the first target box. */
class OneBox extends nn.Module {
  readonly classes = ['thing'] as const;
  readonly head = new nn.Linear(1, 4);
  forward(images: Tensor): Tensor {
    return this.boxes(images);
  }
  private boxes(images: Tensor): Tensor {
    return this.head.forward(images.mean([1, 2, 3]).reshape([-1, 1]));
  }
  losses(images: Tensor, targets: readonly DetectionTarget[]): Record<string, Tensor> {
    const want = targets.map((t) => t.boxes.narrow(0, 0, 1));
    const got = this.boxes(images);
    const truth = cat(want, 0);
    return { loss_box: smoothL1Loss(got, truth), loss_zero: got.mul(0).sum() };
  }
  detect(images: Tensor): Detection[] {
    const b = this.boxes(images);
    return Array.from({ length: images.shape[0] }, (_, i) => ({ boxes: b.narrow(0, i, 1), scores: tensor([1]), labels: tensor([0], { dtype: 'int32' }) }));
  }
}

function item(v: number): [Tensor, DetectionTarget] {
  return [zeros([1, 4, 4]).add(v), { boxes: tensor([[10 * v, 10 * v, 10 * v + 5, 10 * v + 5]]), labels: tensor([0], { dtype: 'int32' }) }];
}

class CountScorer implements DetectionScorer {
  images = 0;
  boxes = 0;
  reset(): void { this.images = 0; this.boxes = 0; }
  add(d: readonly Detection[], t: readonly DetectionTarget[]): void {
    assert.equal(d.length, t.length);
    this.images += d.length;
    this.boxes += d.reduce((s, x) => s + x.boxes.shape[0], 0);
  }
  compute(): Record<string, number> { return { images_seen: this.images, boxes_seen: this.boxes }; }
}

describe('DetectionTask', () => {
  test('trains a detector on its summed losses, logs each loss and scores validation detections', () => {
    manualSeed(0);
    const model = new OneBox();
    const task = new DetectionTask(model, { optimizer: new optim.Adam(model.parameters(), { lr: 0.1 }), scorer: () => new CountScorer() });
    const batches: DetectionBatch[] = [collateDetection([item(0.2), item(0.5)]), collateDetection([item(0.8), item(0.4)])];
    const h = fitTask(task, { trainLoader: batches, valLoader: [collateDetection([item(0.3), item(0.6), item(0.7)])], epochs: 30 });
    const log = (k: string) => h.epochs.map((e) => e[k]);
    const loss = log('loss');
    assert.ok(loss[loss.length - 1] < loss[0] / 4, `loss ${loss[0]} -> ${loss[loss.length - 1]}`);
    assert.deepEqual(Object.keys(h.epochs[0]).filter((k) => k.startsWith('loss_')).sort(), ['loss_box', 'loss_zero']);
    assert.equal(log('val_images_seen').at(-1), 3);
    assert.equal(log('val_boxes_seen').at(-1), 3);
  });

  test('collateDetection stacks images and keeps the targets; the registry builds the task', () => {
    const b = collateDetection([item(0.1), item(0.2)]);
    assert.deepEqual(b.images.shape, [2, 1, 4, 4]);
    assert.equal(b.targets.length, 2);
    assert.ok(TASK_NAMES.includes('detection'));
    const model = new OneBox();
    assert.equal(createTask('detection', model, { optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }) }).kind, 'detection');
  });

  const model = new OneBox();
  const opt = () => new optim.SGD(model.parameters(), { lr: 0.1 });
  const ctx = { epoch: 1, batch: 1, batchesPerEpoch: 1, step: 0 };
  const task = new DetectionTask(model, { optimizer: opt() });
  checkErrors('detection task', [
    ['model without losses', () => new DetectionTask(new nn.Linear(2, 2) as never, { optimizer: opt() }), ValueError, /must have losses\(images, targets\), detect\(images\) and classes/],
    ['bad clipGradNorm', () => new DetectionTask(model, { optimizer: opt(), clipGradNorm: -1 }), ValueError, /clipGradNorm must be a positive number, got -1/],
    ['batch not a DetectionBatch', () => task.trainStep([1, 2] as never, ctx), ValueError, /each batch must be \{images \[N, C, H, W\], targets\}/],
    ['fewer targets than images', () => task.trainStep({ images: zeros([2, 1, 4, 4]), targets: [item(0.1)[1]] }, ctx), ValueError, /2 images but 1 targets/],
    ['boxes not [K, 4]', () => task.trainStep({ images: zeros([1, 1, 4, 4]), targets: [{ boxes: tensor([[1, 2, 3]]), labels: tensor([0], { dtype: 'int32' }) }] }, ctx), ValueError, /target 0 must have boxes \[K, 4\] and labels \[K\], got boxes \[1, 3\]/],
    ['collate of an empty list', () => collateDetection([]), ValueError, /non-empty array/],
    ['collate of mixed sizes', () => collateDetection([item(0.1), [zeros([1, 5, 5]), item(0.1)[1]]]), ValueError, /item 1's image is \[1, 5, 5\], item 0's \[1, 4, 4\]/],
  ]);
});
