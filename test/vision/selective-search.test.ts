import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DTypeError, ShapeError, ValueError, tensor, vision } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';

/** A 40x48 RGB image: dark background, a red 10x12 block at (5, 4) and a blue 14x9 block at (26, 25). */
function blocks() {
  const h = 40;
  const w = 48;
  const d = new Float32Array(3 * h * w).fill(0.1);
  const fill = (x1: number, y1: number, x2: number, y2: number, col: number[]) => {
    for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) for (let k = 0; k < 3; k++) d[k * h * w + y * w + x] = col[k];
  };
  fill(5, 4, 15, 16, [0.9, 0.1, 0.1]);
  fill(26, 25, 40, 34, [0.1, 0.2, 0.9]);
  return tensor(d, { shape: [3, h, w] });
}

describe('selective search', () => {
  test('the presets hold the paper\'s 1, 8 and 80 strategies', () => {
    assert.equal(vision.selectiveSearchStrategies('single').length, 1);
    assert.equal(vision.selectiveSearchStrategies('fast').length, 8);
    assert.equal(vision.selectiveSearchStrategies('quality').length, 80);
  });
  test('finds both blocks exactly, boxes inside the image, no duplicates', () => {
    const boxes = vision.selectiveSearch(blocks());
    const keys = boxes.map((b) => b.join(','));
    assert.equal(new Set(keys).size, keys.length);
    assert.ok(keys.includes('5,4,15,16'), keys.slice(0, 20).join(' '));
    assert.ok(keys.includes('26,25,40,34'));
    assert.ok(keys.includes('0,0,48,40'), 'the top of the hierarchy is the whole image');
    for (const [x1, y1, x2, y2] of boxes) assert.ok(x1 >= 0 && y1 >= 0 && x2 <= 48 && y2 <= 40 && x2 > x1 && y2 > y1);
  });
  test('seeded: the same seed gives the same list, another seed reorders the same set', () => {
    const a = vision.selectiveSearch(blocks(), { mode: 'single', seed: 3 });
    assert.deepEqual(vision.selectiveSearch(blocks(), { mode: 'single', seed: 3 }), a);
    const b = vision.selectiveSearch(blocks(), { mode: 'single', seed: 4 });
    assert.deepEqual(new Set(b.map(String)), new Set(a.map(String)));
    assert.equal(vision.selectiveSearch(blocks(), { mode: 'single', seed: 3, maxProposals: 2 }).length, 2);
  });
  test('grey images work (repeated over RGB)', () => {
    const g = tensor(blocks().toTypedArray().slice(0, 40 * 48), { shape: [40, 48] });
    assert.ok(vision.selectiveSearch(g, { mode: 'single' }).some((b) => b.join(',') === '5,4,15,16'));
  });
  test('hierarchical grouping of n connected regions yields 2n - 1 boxes, the last the union', () => {
    const labels = new Int32Array([0, 0, 1, 1, 0, 2, 2, 1, 3, 3, 2, 2]);
    const img = new Float64Array(3 * 12).map((_, i) => (i % 7) / 7);
    const regions = vision.regionFeatures(img, 3, 3, 4, labels, 4);
    assert.deepEqual(regions.map((r) => r.size), [3, 3, 4, 2]);
    assert.ok(Math.abs(regions[0].colour.reduce((a, b) => a + b, 0) - 1) < 1e-12, 'histograms are L1-normalised');
    const boxes = vision.hierarchicalGrouping(regions, vision.adjacentPairs(labels, 3, 4), 12, ['colour', 'texture', 'size', 'fill']);
    assert.equal(boxes.length, 7);
    assert.deepEqual(boxes[6], [0, 0, 4, 3]);
  });
  test('similarity: size and fill as the paper defines them', () => {
    const r = (size: number, box: [number, number, number, number]) => ({ size, box, colour: new Float64Array(1), texture: new Float64Array(1) });
    assert.equal(vision.regionSimilarity(r(2, [0, 0, 2, 1]), r(2, [0, 1, 2, 2]), 8, ['size']), 0.5);
    assert.equal(vision.regionSimilarity(r(1, [0, 0, 1, 1]), r(1, [1, 1, 2, 2]), 8, ['fill']), 1 - 2 / 8);
  });
  test('colour spaces: HSV of red, Lab of white, rgI of grey', () => {
    const px = (r: number, g: number, b: number, s: vision.SelectiveSearchColourSpace) => Array.from(vision.convertColourSpace(new Float64Array([r, g, b]), 1, s));
    assert.deepEqual(px(1, 0, 0, 'hsv'), [0, 1, 1]);
    const lab = px(1, 1, 1, 'lab');
    assert.ok(Math.abs(lab[0] - 1) < 1e-3 && Math.abs(lab[1] - 128 / 255) < 1e-3 && Math.abs(lab[2] - 128 / 255) < 1e-3, String(lab));
    assert.deepEqual(px(0.3, 0.3, 0.3, 'rgi').map((v) => +v.toFixed(6)), [0.333333, 0.333333, 0.3]);
  });
  test('proposalRecall counts ground-truth boxes covered at the threshold', () => {
    const gt: vision.BoxArray[][] = [[[0, 0, 10, 10], [20, 20, 30, 30]]];
    const props: vision.BoxArray[][] = [[[0, 0, 10, 12], [50, 50, 60, 60], [20, 20, 30, 30]]];
    assert.equal(vision.proposalRecall(props, gt, 0.5), 1);
    assert.equal(vision.proposalRecall(props, gt, 0.5, 2), 0.5);
    assert.equal(vision.boxArrayIou([0, 0, 2, 2], [1, 1, 3, 3]), 1 / 7);
  });
});

const img = blocks();
checkErrors('selectiveSearch', [
  ['4-D image', () => vision.selectiveSearch(tensor(new Float32Array(12), { shape: [1, 3, 2, 2] })), ShapeError, /^selectiveSearch: image must be \[H, W\], \[1, H, W\] or \[3, H, W\], got shape \[1, 3, 2, 2\]/],
  ['2-channel image', () => vision.selectiveSearch(tensor(new Float32Array(8), { shape: [2, 2, 2] })), ShapeError, /got shape \[2, 2, 2\]/],
  ['empty image', () => vision.selectiveSearch(tensor(new Float32Array(0), { shape: [0, 5] })), ShapeError, /^selectiveSearch: image must not be empty, got shape \[0, 5\]/],
  ['int image', () => vision.selectiveSearch(tensor([[1, 2]], { dtype: 'int32' })), DTypeError, /^selectiveSearch: image must be float32 or float64 in \[0, 1\], got dtype int32/],
  ['NaN pixel', () => vision.selectiveSearch(tensor([[0.5, Number.NaN]])), ValueError, /^selectiveSearch: image must be finite, got NaN/],
  ['unknown mode', () => vision.selectiveSearch(img, { mode: 'best' as never }), ValueError, /^selectiveSearch: mode must be 'single', 'fast' or 'quality', got "best"/],
  ['unknown colour space', () => vision.selectiveSearch(img, { strategies: [{ colourSpace: 'xyz' as never, measures: ['size'], k: 50 }] }), ValueError, /^selectiveSearch: strategies\[0\]\.colourSpace must be one of rgb, hsv, lab, rgi, i, h, got "xyz"/],
  ['empty measures', () => vision.selectiveSearch(img, { strategies: [{ colourSpace: 'hsv', measures: [], k: 50 }] }), ValueError, /^selectiveSearch: strategies\[0\]\.measures must be a non-empty list/],
  ['k = 0', () => vision.selectiveSearch(img, { strategies: [{ colourSpace: 'hsv', measures: ['fill'], k: 0 }] }), ValueError, /^selectiveSearch: strategies\[0\]\.k must be a positive number, got 0/],
  ['no strategies', () => vision.selectiveSearch(img, { strategies: [] }), ValueError, /^selectiveSearch: strategies must be a non-empty array/],
  ['negative minSize', () => vision.selectiveSearch(img, { minSize: -1 }), ValueError, /^selectiveSearch: minSize must be an integer >= 0, got -1/],
  ['maxProposals 0', () => vision.selectiveSearch(img, { maxProposals: 0 }), ValueError, /^selectiveSearch: maxProposals must be >= 1, got 0/],
  ['recall: image counts differ', () => vision.proposalRecall([[]], [], 0.5), ValueError, /^proposalRecall: proposals has 1 images but groundTruth has 0/],
  ['recall: threshold 2', () => vision.proposalRecall([], [], 2), ValueError, /^proposalRecall: iouThreshold must be in \[0, 1\], got 2/],
]);
