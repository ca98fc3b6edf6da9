import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Generator, ShapeError, ValueError, tensor, vision } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';

/** A 3x8x10 image with values = x + 10 y, and two boxes with labels and a difficult flag. */
function sample(): [ReturnType<typeof tensor>, vision.BoxTarget] {
  const d = new Float32Array(3 * 8 * 10).map((_, i) => (i % 80) / 100);
  const target = {
    boxes: tensor([[1, 2, 4, 6], [6, 0, 10, 3]]),
    labels: tensor([3, 7], { dtype: 'int32' }),
    difficult: tensor([false, true], { dtype: 'bool' }),
  };
  return [tensor(d, { shape: [3, 8, 10] }), target];
}
const rows = (t: { toTypedArray(): ArrayLike<number> }) => Array.from(t.toTypedArray());

describe('box-aware transforms', () => {
  test('horizontal flip mirrors pixels and boxes', () => {
    const [img, t] = sample();
    const [fi, ft] = vision.hflipWithBoxes(img, t);
    assert.equal(fi.toTypedArray()[0], img.toTypedArray()[9]);
    assert.deepEqual(rows(ft.boxes), [6, 2, 9, 6, 0, 0, 4, 3]);
    assert.deepEqual(rows(ft.labels), [3, 7]);
    const [back, bt] = vision.hflipWithBoxes(fi, ft);
    assert.deepEqual(rows(back), rows(img));
    assert.deepEqual(rows(bt.boxes), rows(t.boxes));
    const never = vision.randomHorizontalFlipWithBoxes({ p: 0 });
    assert.equal(never(img, t)[0], img);
  });
  test('scale resizes the image and the boxes by the realised factors', () => {
    const [img, t] = sample();
    const [si, st] = vision.scaleWithBoxes(img, t, 1.5);
    assert.deepEqual(si.shape, [3, 12, 15]);
    assert.deepEqual(rows(st.boxes), [1.5, 3, 6, 9, 9, 0, 15, 4.5]);
    const [ri] = vision.randomScaleWithBoxes({ scale: [2, 2], generator: new Generator(0) })(img, t);
    assert.deepEqual(ri.shape, [3, 16, 20]);
  });
  test('IoU crop keeps boxes whose centres are inside, shifted and clipped, with their fields; seeded', () => {
    const [img, t] = sample();
    const crop = vision.randomIoUCrop({ samplerOptions: [0], generator: new Generator(1), minScale: 0.5 });
    const [ci, ct] = crop(img, t);
    const [, h, w] = ci.shape;
    const b = rows(ct.boxes);
    assert.ok(b.length >= 4 && b.length / 4 === ct.labels.shape[0] && ct.difficult.shape[0] === ct.labels.shape[0]);
    for (let i = 0; i < b.length; i += 4) assert.ok(b[i] >= 0 && b[i + 2] <= w && b[i + 1] >= 0 && b[i + 3] <= h);
    const again = vision.randomIoUCrop({ samplerOptions: [0], generator: new Generator(1), minScale: 0.5 })(img, t);
    assert.deepEqual(rows(again[1].boxes), b);
    assert.deepEqual(rows(again[0]), rows(ci));
    // every surviving box's label came with it
    const orig = rows(t.labels);
    for (const l of rows(ct.labels)) assert.ok(orig.includes(l));
    const keepAll = vision.randomIoUCrop({ samplerOptions: [1] })(img, t);
    assert.equal(keepAll[0], img);
    const empty = { boxes: tensor(new Float32Array(0), { shape: [0, 4] }), labels: tensor(new Int32Array(0), { dtype: 'int32' }) };
    assert.equal(vision.randomIoUCrop()(img, empty)[1], empty);
  });
  test('colour jitter changes pixels only; compose chains', () => {
    const [img, t] = sample();
    const f = vision.composeBoxTransforms(vision.colorJitterWithBoxes({ brightness: [1.5, 1.5] }), vision.hflipWithBoxes);
    const [ji, jt] = f(img, t);
    assert.ok(Math.abs(ji.toTypedArray()[0] - Math.min(1, img.toTypedArray()[9] * 1.5)) < 1e-6);
    assert.deepEqual(rows(jt.boxes), [6, 2, 9, 6, 0, 0, 4, 3]);
  });
});

const [img, t] = sample();
checkErrors('box transforms', [
  ['2-D image', () => vision.hflipWithBoxes(tensor([[1]]), t), ShapeError, /^hflipWithBoxes: image must be a \[C, H, W\] tensor, got shape \[1, 1\]/],
  ['boxes not [K, 4]', () => vision.hflipWithBoxes(img, { ...t, boxes: tensor([1, 2, 3, 4]) }), ShapeError, /^hflipWithBoxes: target.boxes must be a \[K, 4\] tensor, got shape \[4\]/],
  ['x2 < x1', () => vision.scaleWithBoxes(img, { ...t, boxes: tensor([[5, 0, 2, 3], [0, 0, 1, 1]]) }, 2), ValueError, /^scaleWithBoxes: target.boxes\[0\] must be finite with x1 <= x2 and y1 <= y2, got \[5, 0, 2, 3\]/],
  ['NaN box', () => vision.randomIoUCrop()(img, { ...t, boxes: tensor([[Number.NaN, 0, 2, 3], [0, 0, 1, 1]]) }), ValueError, /^randomIoUCrop: target.boxes\[0\] must be finite/],
  ['labels count differs', () => vision.hflipWithBoxes(img, { ...t, labels: tensor([1]) }), ShapeError, /^hflipWithBoxes: target.labels must be a tensor with 2 rows \(one per box\), got shape \[1\]/],
  ['scale factor 0', () => vision.scaleWithBoxes(img, t, 0), ValueError, /^scaleWithBoxes: factor must be a positive number, got 0/],
  ['flip p 2', () => vision.randomHorizontalFlipWithBoxes({ p: 2 }), ValueError, /^randomHorizontalFlipWithBoxes: p must be in \[0, 1\], got 2/],
  ['crop scale > 1', () => vision.randomIoUCrop({ maxScale: 2 }), ValueError, /^randomIoUCrop: scales must satisfy 0 < minScale <= maxScale <= 1, got 0.3 and 2/],
  ['crop no options', () => vision.randomIoUCrop({ samplerOptions: [] }), ValueError, /^randomIoUCrop: samplerOptions must be a non-empty list of numbers/],
  ['random scale reversed', () => vision.randomScaleWithBoxes({ scale: [2, 1] }), ValueError, /^randomScaleWithBoxes: scale must be \[min, max\] with 0 < min <= max, got \[2, 1\]/],
]);
