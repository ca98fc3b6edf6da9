/**
 * The segmentation task (src/train/tasks/segmentation.ts): a short fitTask run of a small U-Net on masks made
 * from synthetic labelled images logs loss, mean IoU and pixel accuracy, writes its picture, and resumes from a
 * checkpoint to the same weights as an uninterrupted run; the registry builds it; bad inputs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DataLoader, Generator, ShapeError, TensorDataset, ValueError, manualSeed, nn, optim, rand, randint, zeros, tensor } from '../../../src/index.js';
import { SegmentationMasks } from '../../../src/data/segmentation.js';
import { UNet } from '../../../src/models/generative/unet.js';
import { ModelCheckpoint, loadCheckpoint } from '../../../src/train/checkpoint.js';
import { fitTask } from '../../../src/train/loop.js';
import { PictureSaver } from '../../../src/train/picture-saver.js';
import { MemoryFileStore } from '../../../src/train/store.js';
import { SegmentationTask } from '../../../src/train/tasks/segmentation.js';
import { createTask, TASK_NAMES } from '../../../src/train/tasks/registry.js';
import { segmentationPng } from '../../../src/train/tasks/segmentation-picture.js';
import { checkErrors } from '../../helpers/check-errors.js';
import { assertSameBits } from '../helpers.js';

/** 8x8 images of 3 classes: class k lights up a horizontal band at rows 2k..2k+2, plus faint noise. */
function bands(n: number, seed: number): SegmentationMasks {
  const g = new Generator(seed);
  const labels = randint(0, 3, [n], { generator: g, dtype: 'int32' });
  const noise = rand([n, 1, 8, 8], { generator: g }).toTypedArray();
  const px = new Float32Array(n * 64);
  const l = labels.toTypedArray();
  for (let i = 0; i < n; i++) for (let p = 0; p < 64; p++) {
    const row = Math.floor(p / 8);
    px[i * 64 + p] = row >= 2 * l[i] && row < 2 * l[i] + 3 ? 0.8 + 0.2 * noise[i * 64 + p] : 0.3 * noise[i * 64 + p];
  }
  return new SegmentationMasks(new TensorDataset(tensor(px, { shape: [n, 1, 8, 8] }), labels), { numClasses: 3 });
}

function run(store: MemoryFileStore, epochs: number, resume = false) {
  manualSeed(5);
  const model = new UNet({ inChannels: 1, numClasses: 4, depth: 1, baseWidth: 4 });
  const task = new SegmentationTask(model, { optimizer: new optim.Adam(model.parameters(), { lr: 0.02 }) });
  const train = new DataLoader(bands(48, 1), { batchSize: 16, shuffle: true, generator: new Generator(9) });
  const val = new DataLoader(bands(16, 2), { batchSize: 16 });
  const callbacks = [new ModelCheckpoint({ store, saveBest: false }), new PictureSaver({ store })];
  const h = fitTask(task, { trainLoader: train, valLoader: val, epochs, callbacks, resumeFrom: resume ? loadCheckpoint(store, 'last') : null });
  return { model, task, h };
}

describe('SegmentationTask', () => {
  const store = new MemoryFileStore();
  const straight = run(store, 3);

  test('trains: loss falls, mean IoU and pixel accuracy are logged for training and validation', () => {
    const e = straight.h.epochs;
    assert.equal(straight.task.kind, 'segmentation');
    for (const k of ['loss', 'mean_iou', 'pixel_accuracy', 'val_loss', 'val_mean_iou', 'val_pixel_accuracy']) assert.ok(k in e[2], k);
    assert.ok(e[2].loss < e[0].loss, `loss ${e[0].loss} -> ${e[2].loss}`);
    assert.ok(e[2].val_pixel_accuracy > 0.6, `val pixel accuracy ${e[2].val_pixel_accuracy}`);
    assert.ok(e[2].val_mean_iou > 0 && e[2].val_mean_iou <= 1);
  });

  test('writes segmentation.png: image, true mask and predicted mask rows of the first validation batch', () => {
    const png = store.read('segmentation.png');
    assert.ok(png !== null && png.length > 100);
    assert.deepEqual(Array.from(png!.subarray(1, 4)), [80, 78, 71]);
    // 8 samples of 8x8 at scale 3 with padding 2: width (8 * 10 + 2) * 3, height (3 * 10 + 2) * 3
    const view = new DataView(png!.buffer, png!.byteOffset);
    assert.deepEqual([view.getUint32(16), view.getUint32(20)], [246, 96]);
  });

  test('resuming from the epoch-2 checkpoint ends with the uninterrupted run\'s weights', () => {
    const partStore = new MemoryFileStore();
    run(partStore, 2);
    const resumed = run(partStore, 3, true);
    assertSameBits(resumed.model.stateDict(), straight.model.stateDict());
    assert.equal(resumed.h.epochs.length, 3);
    assert.equal(resumed.h.epochs[2].val_mean_iou, straight.h.epochs[2].val_mean_iou);
  });

  test('the registry builds it by name, numClasses from the model', () => {
    assert.ok(TASK_NAMES.includes('segmentation'));
    const m = new UNet({ depth: 1, baseWidth: 2, numClasses: 5 });
    const t = createTask('segmentation', m, { optimizer: new optim.SGD(m.parameters(), { lr: 0.1 }) }) as SegmentationTask;
    assert.ok(t instanceof SegmentationTask && t.numClasses === 5);
  });
});

/** A task around a fresh small U-Net (built inside each call, so on the backend the row runs on). */
function small(numClasses?: number): SegmentationTask {
  const m = new UNet({ depth: 1, baseWidth: 2, numClasses: 3, batchNorm: false });
  return new SegmentationTask(m, { optimizer: new optim.SGD(m.parameters(), { lr: 0.1 }), numClasses });
}
const opt = () => new optim.SGD(new nn.Linear(1, 1).parameters(), { lr: 0.1 });
const ctx = { epoch: 1, batch: 1, batchesPerEpoch: 1, step: 0 };
checkErrors('segmentation task', [
  ['no class count', () => new SegmentationTask(new nn.Identity(), { optimizer: opt() }), ValueError, /^SegmentationTask: numClasses \(background included\) must be an integer >= 2.*got undefined/],
  ['masks of another size', () => small().trainStep([zeros([2, 1, 4, 4]), zeros([2, 4, 2], { dtype: 'int32' })], ctx), ShapeError, /^SegmentationTask: masks must be \[N, H, W\] = \[2, 4, 4\] to match the logits \[2, 3, 4, 4\], got shape \[2, 4, 2\]/],
  ['logits with other classes', () => small(4).evalStep([zeros([1, 1, 2, 2]), zeros([1, 2, 2], { dtype: 'int32' })]), ShapeError, /^SegmentationTask: the model must return logits \[N, 4, H, W\], got shape \[1, 3, 2, 2\]/],
  ['bad pictureBatch', () => new SegmentationTask(new UNet({ depth: 1, baseWidth: 2 }), { optimizer: opt(), pictureBatch: [zeros([2, 2]), zeros([2])] }), ValueError, /^SegmentationTask: pictureBatch must be \[images \[B, C, H, W\], masks \[B, H, W\]\] tensors/],
  ['picture masks of another size', () => segmentationPng(zeros([1, 1, 2, 2]), zeros([1, 2, 3]), zeros([1, 2, 2])), ShapeError, /^segmentationPng: masks must be \[1, 2, 2\] to match images \[1, 1, 2, 2\], got shape \[1, 2, 3\]/],
]);
