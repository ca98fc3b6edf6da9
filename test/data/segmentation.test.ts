/**
 * Masks from labelled images (src/data/segmentation.ts): foreground above the threshold gets label + 1,
 * background 0, channels by their maximum; the dataset wrapper over a labelled dataset; bad inputs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DataLoader, ShapeError, TensorDataset, ValueError, tensor } from '../../src/index.js';
import { FOREGROUND_THRESHOLD, SegmentationMasks, segmentationMask } from '../../src/data/segmentation.js';
import { checkErrors } from '../helpers/check-errors.js';

const img = tensor([[[0, 0.2, 0.6], [0.5, 0.51, 1]]]); // [1, 2, 3]

describe('segmentationMask', () => {
  test('pixels above 0.5 get label + 1, the rest 0 (0.5 itself is background)', () => {
    assert.equal(FOREGROUND_THRESHOLD, 0.5);
    const m = segmentationMask(img, 7);
    assert.equal(m.dtype, 'int32');
    assert.deepEqual(m.shape, [2, 3]);
    assert.deepEqual(Array.from(m.toTypedArray()), [0, 0, 8, 0, 8, 8]);
    assert.deepEqual(Array.from(segmentationMask(img, 0, { threshold: 0.1 }).toTypedArray()), [0, 1, 1, 1, 1, 1]);
  });

  test('colour images: a pixel is foreground when any channel is above the threshold; [H, W] images work too', () => {
    const rgb = tensor([[[0.9, 0]], [[0, 0]], [[0, 0.7]]]); // [3, 1, 2]
    assert.deepEqual(Array.from(segmentationMask(rgb, 2).toTypedArray()), [3, 3]);
    assert.deepEqual(Array.from(segmentationMask(tensor([[0.1, 0.9]]), 0).toTypedArray()), [0, 1]);
  });
});

describe('SegmentationMasks', () => {
  const images = tensor([[[[0.9, 0.1], [0.1, 0.9]]], [[[0, 0], [1, 0]]], [[[1, 1], [1, 1]]]]); // [3, 1, 2, 2]
  const labels = tensor([3, 0, 9], { dtype: 'int32' });
  const ds = new SegmentationMasks(new TensorDataset(images, labels), { numClasses: 10 });

  test('items are [image, mask] with K + 1 classes; a DataLoader batches them to [B, C, H, W] and [B, H, W]', () => {
    assert.equal(ds.length, 3);
    assert.equal(ds.numClasses, 11);
    const [x, m] = ds.get(0);
    assert.deepEqual(x.shape, [1, 2, 2]);
    assert.deepEqual(Array.from(m.toTypedArray()), [4, 0, 0, 4]);
    assert.deepEqual(Array.from(ds.get(2)[1].toTypedArray()), [10, 10, 10, 10]);
    const [bx, bm] = [...new DataLoader(ds, { batchSize: 3 })][0] as [typeof x, typeof m];
    assert.deepEqual([bx.shape, bm.shape, bm.dtype], [[3, 1, 2, 2], [3, 2, 2], 'int32']);
    assert.deepEqual(Array.from(bm.toTypedArray()), [4, 0, 0, 4, 0, 0, 1, 0, 10, 10, 10, 10]);
  });

  test('the class count comes from the dataset when it has one', () => {
    const withCount = Object.assign(new TensorDataset(images, labels), { numClasses: 10 });
    assert.equal(new SegmentationMasks(withCount).numClasses, 11);
  });
});

const bad = new SegmentationMasks(new TensorDataset(tensor([[[[1]]]]), tensor([12], { dtype: 'int32' })), { numClasses: 10 });
checkErrors('segmentation masks', [
  ['1-D image', () => segmentationMask(tensor([1, 0]), 1), ShapeError, /^segmentationMask: image must be \[C, H, W\] or \[H, W\], got shape \[2\]/],
  ['negative label', () => segmentationMask(img, -1), ValueError, /^segmentationMask: label must be a non-negative integer class, got -1/],
  ['NaN threshold', () => segmentationMask(img, 1, { threshold: NaN }), ValueError, /^segmentationMask: threshold must be a finite number, got NaN/],
  ['no class count', () => new SegmentationMasks(new TensorDataset(tensor([[[[1]]]]), tensor([1]))), ValueError, /^SegmentationMasks: the number of image classes must be a positive integer.*got undefined/],
  ['label outside the classes', () => bad.get(0), ValueError, /^SegmentationMasks: item 0 has label 12, outside the dataset's 10 classes/],
  ['index out of range', () => bad.get(1), ValueError, /^SegmentationMasks: index 1 is out of range for 1 items/],
  ['not a dataset', () => new SegmentationMasks([] as never, { numClasses: 2 }), ValueError, /^SegmentationMasks: dataset must be a map-style dataset/],
]);
