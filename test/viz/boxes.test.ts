/** drawBoxes / drawBoxesImage: outlines in class colours, labels, clipping, no boxes, bad boxes (torchvision's draw_bounding_boxes rules). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decode } from 'fast-png';
import { ShapeError, ValueError, tensor, zeros } from '../../src/index.js';
import { drawBoxes, drawBoxesImage } from '../../src/viz/boxes.js';
import { checkErrors } from '../helpers/check-errors.js';

const grey = zeros([1, 20, 30]);
const px = (img: ReturnType<typeof drawBoxesImage>, x: number, y: number) => {
  const [, h, w] = img.shape;
  const v = img.toTypedArray();
  return [0, 1, 2].map((c) => Math.round(255 * Number(v[c * h * w + y * w + x])));
};

describe('drawBoxes', () => {
  test('draws each outline in its class colour inside the box, on an RGB copy of a grey image', () => {
    const img = drawBoxesImage(grey, tensor([[2, 3, 12, 15]]), [1], undefined, { colors: [[255, 0, 0], [0, 255, 0]], drawLabels: false });
    assert.deepEqual(img.shape, [3, 20, 30]);
    assert.deepEqual(px(img, 2, 3), [0, 255, 0]); // top-left corner
    assert.deepEqual(px(img, 11, 14), [0, 255, 0]); // bottom-right pixel inside x2, y2
    assert.deepEqual(px(img, 12, 15), [0, 0, 0]); // x2, y2 is outside (pixel-edge coordinates)
    assert.deepEqual(px(img, 6, 8), [0, 0, 0]); // inside stays
  });
  test('labels with class names and scores on a strip above the box; scale enlarges', () => {
    const img = drawBoxesImage(zeros([3, 20, 40]).add(0.5), tensor([[10, 10, 30, 19]]), [0], [0.875], { classes: ['seven'], scale: 2, colors: [[0, 0, 255]] });
    assert.deepEqual(img.shape, [3, 40, 80]);
    assert.deepEqual(px(img, 20, 20), [0, 0, 255]); // outline at 2x
    // the label strip sits above the box (rows 11..19 at 2x) with white text in it
    const strip = Array.from({ length: 9 }, (_, dy) => Array.from({ length: 60 }, (_, dx) => px(img, 20 + dx, 11 + dy).join())).flat();
    assert.ok(strip.includes('255,255,255') && strip.includes('0,0,255'));
    // fontSize 2 doubles the strip: 18 rows above the box
    const big = drawBoxesImage(zeros([3, 40, 80]), tensor([[10, 30, 60, 39]]), [0], undefined, { classes: ['seven'], fontSize: 2, colors: [[0, 0, 255]] });
    assert.deepEqual(px(big, 10, 12), [0, 0, 255]);
    assert.deepEqual(px(big, 10, 11), [0, 0, 0]);
  });
  test('clips boxes reaching outside the image; no boxes: the image unchanged as PNG', () => {
    const img = drawBoxesImage(grey, tensor([[-5, -5, 50, 40]]), [0], undefined, { drawLabels: false, colors: [[9, 9, 9]] });
    assert.deepEqual(px(img, 0, 0), [9, 9, 9]);
    assert.deepEqual(px(img, 29, 19), [9, 9, 9]);
    const png = decode(drawBoxes(grey.add(0.2), zeros([0, 4])));
    assert.equal(png.width, 30);
    assert.equal(png.height, 20);
    assert.ok(Array.from(png.data).every((v) => v === 51));
  });
  test('zero-size boxes are drawn as a point/line (torchvision allows x1 == x2)', () => {
    const img = drawBoxesImage(grey, tensor([[5, 5, 5, 9]]), [0], undefined, { drawLabels: false, colors: [[0, 0, 255]] });
    assert.deepEqual(img.shape, [3, 20, 30]);
  });
  checkErrors('drawBoxes', [
    ['x2 < x1', () => drawBoxes(grey, tensor([[10, 0, 5, 5]])), ValueError, /drawBoxes: box 0 must be \(x1, y1, x2, y2\) with x2 >= x1 and y2 >= y1, got \[10, 0, 5, 5\]/],
    ['y2 < y1', () => drawBoxes(grey, tensor([[0, 0, 5, 5], [0, 8, 5, 4]])), ValueError, /box 1 must be .* got \[0, 8, 5, 4\]/],
    ['NaN', () => drawBoxes(grey, tensor([[0, NaN, 5, 5]])), ValueError, /box 0 has a non-finite coordinate: \[0, NaN, 5, 5\]/],
    ['boxes [K, 3]', () => drawBoxes(grey, zeros([2, 3])), ShapeError, /boxes must be \[K, 4\] \(x1, y1, x2, y2\), got \[2, 3\]/],
    ['image 4-D', () => drawBoxes(zeros([1, 1, 5, 5]), zeros([0, 4])), ShapeError, /image must be \[C, H, W\] with C = 1 or 3, got \[1, 1, 5, 5\]/],
    ['image without pixels', () => drawBoxes(zeros([3, 0, 5]), zeros([0, 4])), ShapeError, /image has no pixels/],
    ['labels count', () => drawBoxes(grey, tensor([[0, 0, 5, 5]]), [0, 1]), ShapeError, /labels must hold one value per box \(1\), got 2 values/],
    ['label outside classes', () => drawBoxes(grey, tensor([[0, 0, 5, 5]]), [2], undefined, { classes: ['a', 'b'] }), ValueError, /label 0 must be an integer in 0..1 \(an index into classes\), got 2/],
    ['scale 0', () => drawBoxes(grey, zeros([0, 4]), undefined, undefined, { scale: 0 }), ValueError, /scale must be a positive integer, got 0/],
    ['fontSize 1.5', () => drawBoxes(grey, zeros([0, 4]), undefined, undefined, { fontSize: 1.5 }), ValueError, /fontSize must be a positive integer, got 1.5/],
  ]);
});
