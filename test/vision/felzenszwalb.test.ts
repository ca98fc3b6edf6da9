import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { DTypeError, ShapeError, ValueError, tensor, vision } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';
import { numpyArgsort } from '../../src/vision/numpy-argsort.js';

interface Case {
  name: string; height: number; width: number; channels: number; scale: number; sigma: number; minSize: number;
  pixels: number[]; labels: number[]; numSegments: number;
}
/** skimage 0.19's segmentations of real images, written by tools/make_felzenszwalb_fixtures.py. */
const fx = JSON.parse(readFileSync(new URL('../../../test/fixtures/vision/felzenszwalb.json', import.meta.url), 'utf8')) as {
  cases: Case[]; argsort: { values: number[]; argsort: number[] };
};

/** The fixture's HWC uint8 pixels as a [C, H, W] float64 tensor, scaled as skimage's img_as_float64 (x * (1/255)). */
function toImage(c: Case) {
  const { height: h, width: w, channels: ch } = c;
  const d = new Float64Array(ch * h * w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < ch; k++) d[k * h * w + y * w + x] = c.pixels[(y * w + x) * ch + k] * (1 / 255);
  return tensor(d, { dtype: 'float64', shape: ch === 1 ? [h, w] : [ch, h, w] });
}

describe('felzenszwalb', () => {
  test('the argsort port orders ties as numpy does', () => {
    assert.deepEqual(Array.from(numpyArgsort(fx.argsort.values)), fx.argsort.argsort);
  });
  for (const c of fx.cases) {
    test(`labels equal skimage's: ${c.name}`, () => {
      const labels = vision.felzenszwalb(toImage(c), { scale: c.scale, sigma: c.sigma, minSize: c.minSize });
      assert.deepEqual(labels.shape, [c.height, c.width]);
      assert.equal(labels.dtype, 'int32');
      const got = Array.from(labels.toTypedArray());
      assert.equal(Math.max(...got) + 1, c.numSegments);
      assert.deepEqual(got, c.labels);
    });
  }
  test('a constant image is one segment; an empty image has none', () => {
    const one = vision.felzenszwalb(tensor(new Float32Array(30).fill(0.5), { shape: [5, 6] }));
    assert.deepEqual(new Set(one.toTypedArray()), new Set([0]));
    assert.deepEqual(vision.felzenszwalb(tensor(new Float32Array(0), { shape: [0, 4] })).shape, [0, 4]);
  });
});

const img = tensor(new Float32Array(3 * 4 * 4), { shape: [3, 4, 4] });
checkErrors('felzenszwalb', [
  ['1-D image', () => vision.felzenszwalb(tensor([1, 2, 3])), ShapeError, /^felzenszwalb: image must be \[H, W\] or \[C, H, W\], got shape \[3\]/],
  ['int image', () => vision.felzenszwalb(tensor([[1, 2]], { dtype: 'int32' })), DTypeError, /^felzenszwalb: image must be float32 or float64, got dtype int32/],
  ['NaN pixel', () => vision.felzenszwalb(tensor([[0, Number.NaN]])), ValueError, /^felzenszwalb: image must be finite, got NaN/],
  ['scale 0', () => vision.felzenszwalb(img, { scale: 0 }), ValueError, /^felzenszwalb: scale must be a positive number, got 0/],
  ['negative sigma', () => vision.felzenszwalb(img, { sigma: -1 }), ValueError, /^felzenszwalb: sigma must be a number >= 0, got -1/],
  ['fractional minSize', () => vision.felzenszwalb(img, { minSize: 2.5 }), ValueError, /^felzenszwalb: minSize must be an integer >= 0, got 2.5/],
  ['not a tensor', () => vision.felzenszwalb([[1]] as never), ValueError, /^felzenszwalb: image must be a Tensor/],
]);
