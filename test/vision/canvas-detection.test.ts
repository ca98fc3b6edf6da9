import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValueError, vision } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';

/** Ten 8x8 items: item i is a filled square of side i % 5 + 3 in the top-left corner, class i % 3. */
function source(): vision.CanvasItemSource {
  const pixels = new Uint8Array(10 * 64);
  for (let i = 0; i < 10; i++) {
    const s = (i % 5) + 3;
    for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) pixels[i * 64 + y * 8 + x] = 255;
  }
  return { pixels, labels: Array.from({ length: 10 }, (_, i) => i % 3), height: 8, width: 8, classes: ['a', 'b', 'c'] };
}

describe('composeCanvasDetection', () => {
  test('layout, tight boxes around the ink, labels from the items, seeded', () => {
    const ds = vision.composeCanvasDetection(source(), { numImages: 6, canvasSize: 32, scale: [1, 1], clutter: 0, objects: [1, 3] });
    assert.deepEqual(ds.images.shape, [6, 1, 32, 32]);
    assert.equal(ds.length, 6);
    const px = ds.images.toTypedArray();
    for (let i = 0; i < 6; i++) {
      assert.ok(ds.boxes[i].length >= 1 && ds.boxes[i].length <= 3);
      ds.boxes[i].forEach(([x1, y1, x2, y2], k) => {
        const item = ds.itemIndex[i][k];
        const side = (item % 5) + 3;
        assert.equal(x2 - x1, side);
        assert.equal(y2 - y1, side);
        assert.equal(ds.labels[i][k], item % 3);
        assert.ok(x1 >= 0 && y1 >= 0 && x2 <= 32 && y2 <= 32);
      });
      // the first object is painted before later ones may cover it, its top-left pixel is ink unless covered
      const [x1, y1] = ds.boxes[i][ds.boxes[i].length - 1];
      assert.ok(px[i * 1024 + y1 * 32 + x1] > 0.9);
    }
    const [img, target] = ds.get(2);
    assert.deepEqual(img.shape, [1, 32, 32]);
    assert.deepEqual(target.boxes.shape, [ds.boxes[2].length, 4]);
    assert.equal(target.labels.dtype, 'int32');
    const again = vision.composeCanvasDetection(source(), { numImages: 6, canvasSize: 32, scale: [1, 1], clutter: 0, objects: [1, 3] });
    assert.deepEqual(again.boxes, ds.boxes);
    assert.deepEqual(Array.from(again.images.toTypedArray()), Array.from(px));
  });
  test('objects overlap by at most maxIou; colour canvases have 3 channels', () => {
    const ds = vision.composeCanvasDetection(source(), { numImages: 20, canvasSize: 40, scale: [1, 2], maxIou: 0.2, channels: 3, seed: 5 });
    assert.deepEqual(ds.images.shape, [20, 3, 40, 40]);
    for (const bs of ds.boxes) for (let a = 0; a < bs.length; a++) for (let b = a + 1; b < bs.length; b++) assert.ok(vision.boxArrayIou(bs[a], bs[b]) <= 0.2);
  });
});

checkErrors('composeCanvasDetection', [
  ['pixels do not match', () => vision.composeCanvasDetection({ ...source(), pixels: new Uint8Array(5) }), ValueError, /^composeCanvasDetection: source must hold labels.length \* height \* width pixels/],
  ['canvas too small', () => vision.composeCanvasDetection(source(), { canvasSize: 10 }), ValueError, /^composeCanvasDetection: canvasSize must be an integer at least the largest scaled item \(16\), got 10/],
  ['objects reversed', () => vision.composeCanvasDetection(source(), { objects: [3, 1] }), ValueError, /^composeCanvasDetection: objects must be integers \[min, max\]/],
  ['scale 0', () => vision.composeCanvasDetection(source(), { scale: [0, 1] }), ValueError, /^composeCanvasDetection: scale must be \[min, max\] with 0 < min <= max, got \[0, 1\]/],
  ['channels 2', () => vision.composeCanvasDetection(source(), { channels: 2 as never }), ValueError, /^composeCanvasDetection: channels must be 1 or 3, got 2/],
  ['maxIou 2', () => vision.composeCanvasDetection(source(), { maxIou: 2 }), ValueError, /^composeCanvasDetection: maxIou must be in \[0, 1\], got 2/],
  ['get out of range', () => vision.composeCanvasDetection(source(), { numImages: 2, canvasSize: 32 }).get(2), ValueError, /^CanvasDetection.get: index must be an integer in \[0, 2\), got 2/],
]);
