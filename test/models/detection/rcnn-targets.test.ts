/**
 * R-CNN / Fast R-CNN training targets: proposal labelling at the IoU thresholds, balanced seeded sampling (counts,
 * positives first, reproducible), the RoI targets with ground truth added and BoxCoder regression targets, and
 * the proposal cache; bad inputs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ShapeError, ValueError, tensor, zeros } from '../../../src/index.js';
import { labelProposals, roiTargets, sampleProposals } from '../../../src/models/detection/proposal-targets.js';
import { ProposalCache } from '../../../src/models/detection/proposals.js';
import { Generator } from '../../../src/tensor/random.js';
import { BoxCoder } from '../../../src/vision/box-coder.js';
import { checkErrors } from '../../helpers/check-errors.js';

// ground truth: a 10x10 box of class 4 and a 10x10 box of class 7
const gt = [0, 0, 10, 10, 20, 20, 30, 30];
const gtLabels = [4, 7];
// IoUs with the first gt box: 1, 0.5 exactly (10x5 inside), 50/150 = 1/3 (shifted by 5 in x with height 10 -> 50 / 150),
// 0 (far away), and 1 with the second box
const proposals = [0, 0, 10, 10, 0, 0, 10, 5, 5, 0, 15, 10, 50, 50, 60, 60, 20, 20, 30, 30];

describe('labelProposals', () => {
  test('IoU >= 0.5 is the matched class + 1, below is background; matched and maxIou per proposal', () => {
    const r = labelProposals(proposals, gt, gtLabels);
    assert.deepEqual(Array.from(r.labels), [5, 5, 0, 0, 8]);
    assert.deepEqual(Array.from(r.matched), [0, 0, 0, 0, 1]);
    assert.deepEqual(Array.from(r.maxIou).map((v) => +v.toFixed(6)), [1, 0.5, +(1 / 3).toFixed(6), 0, 1]);
  });

  test("Fast R-CNN's background range [0.1, 0.5) leaves the far proposal out (-1); a higher fgIou makes the 0.5 one background", () => {
    assert.deepEqual(Array.from(labelProposals(proposals, gt, gtLabels, { bgIou: [0.1, 0.5] }).labels), [5, 5, 0, -1, 8]);
    assert.deepEqual(Array.from(labelProposals(proposals, gt, gtLabels, { fgIou: 0.6, bgIou: [0, 0.6] }).labels), [5, 0, 0, 0, 8]);
  });

  test('an image without objects: every proposal is background, matched -1', () => {
    const r = labelProposals(proposals, [], []);
    assert.deepEqual(Array.from(r.labels), [0, 0, 0, 0, 0]);
    assert.deepEqual(Array.from(r.matched), [-1, -1, -1, -1, -1]);
  });
});

describe('sampleProposals', () => {
  const labels = Int32Array.from([...Array(10).fill(3), ...Array(100).fill(0), ...Array(5).fill(-1)]);

  test('at most a quarter positives, backgrounds fill the batch, positives first, no ignored ones, no repeats', () => {
    const idx = Array.from(sampleProposals(labels, { batchSize: 16, generator: new Generator(1) }));
    assert.equal(idx.length, 16);
    assert.equal(new Set(idx).size, 16);
    assert.ok(idx.slice(0, 4).every((i) => labels[i] === 3));
    assert.ok(idx.slice(4).every((i) => labels[i] === 0));
  });

  test('few positives: all of them, then backgrounds; too few proposals: all there are', () => {
    const idx = sampleProposals(labels, { batchSize: 64 });
    assert.equal(idx.length, 64);
    assert.equal(Array.from(idx).filter((i) => labels[i] > 0).length, 10);
    assert.equal(sampleProposals(Int32Array.from([1, 0, 0]), { batchSize: 64 }).length, 3);
  });

  test('seeded: the same seed gives the same sample, another seed another', () => {
    const a = sampleProposals(labels, { batchSize: 32, generator: new Generator(7) });
    const b = sampleProposals(labels, { batchSize: 32, generator: new Generator(7) });
    const c = sampleProposals(labels, { batchSize: 32, generator: new Generator(8) });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });
});

describe('roiTargets', () => {
  const coder = new BoxCoder([10, 10, 5, 5]);
  test('ground truth joins the proposals; positives regress onto their matched box, background has zero targets', () => {
    const t = roiTargets([0, 0, 10, 8, 40, 40, 50, 50], gt, gtLabels, coder, { batchSize: 16, generator: new Generator(0) });
    const labels = Array.from(t.labels.toTypedArray());
    assert.deepEqual([...labels].sort(), [0, 5, 5, 8]);
    const rois = t.rois.toTypedArray();
    const targets = t.regressionTargets.toTypedArray();
    labels.forEach((l, n) => {
      const roi = Array.from(rois.subarray(4 * n, 4 * n + 4));
      const want = l === 0 ? [0, 0, 0, 0] : Array.from(coder.encodeSingle(tensor([l === 5 ? gt.slice(0, 4) : gt.slice(4)]), tensor([roi])).toTypedArray());
      assert.deepEqual(Array.from(targets.subarray(4 * n, 4 * n + 4)).map((v) => +v.toFixed(5)), want.map((v) => +v.toFixed(5)), `roi ${roi}`);
    });
    // the 10x8 proposal of class 4: dy = 10 * (5 - 4) / 8, dh = 5 log(10 / 8)
    const n = labels.findIndex((l, j) => l === 5 && rois[4 * j + 3] === 8);
    assert.deepEqual(Array.from(targets.subarray(4 * n, 4 * n + 4)).map((v) => +v.toFixed(5)), [0, 1.25, 0, +(5 * Math.log(10 / 8)).toFixed(5)]);
  });

  test('without ground truth added, and for an image without objects', () => {
    const t = roiTargets([0, 0, 10, 8], gt, gtLabels, coder, { includeGroundTruth: false });
    assert.deepEqual(Array.from(t.labels.toTypedArray()), [5]);
    const e = roiTargets([0, 0, 10, 8, 1, 1, 5, 5], [], [], coder);
    assert.deepEqual(Array.from(e.labels.toTypedArray()), [0, 0]);
    assert.deepEqual(Array.from(e.regressionTargets.toTypedArray()), [0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('ProposalCache', () => {
  test('searches an image once, serves it from the cache after, and takes given proposals', () => {
    const cache = new ProposalCache({ mode: 'single', maxProposals: 5 });
    const px = new Float32Array(24 * 24).fill(0.8, 24 * 8, 24 * 16);
    const img = tensor(px, { shape: [1, 24, 24] });
    const first = cache.get(img);
    assert.ok(first.length > 0 && first.length <= 20 && first.length % 4 === 0);
    assert.equal(cache.searched, 1);
    assert.equal(cache.get(tensor(px.slice(), { shape: [1, 24, 24] })), first);
    assert.equal(cache.searched, 1);
    const other = zeros([1, 24, 24]);
    cache.set(other, [[1, 2, 3, 4]]);
    assert.deepEqual(Array.from(cache.get(other)), [1, 2, 3, 4]);
    const copy = new ProposalCache({ mode: 'single', maxProposals: 5 });
    copy.load(cache.toJSON());
    assert.deepEqual(Array.from(copy.get(img)), Array.from(first));
    assert.equal(copy.searched, 0);
  });
});

describe('bad input', () => {
  checkErrors('rcnn targets', [
    ['proposals not a multiple of 4', () => labelProposals([0, 0, 1], gt, gtLabels), ValueError, /labelProposals: proposals must be a flat array of 4 numbers per box .*length 3/],
    ['inverted gt box', () => labelProposals(proposals, [5, 5, 1, 1], [0]), ValueError, /labelProposals: gtBoxes box 0 must be finite with x1 <= x2 and y1 <= y2, got \[5, 5, 1, 1\]/],
    ['NaN proposal', () => labelProposals([0, 0, NaN, 1], gt, gtLabels), ValueError, /proposals box 0 must be finite/],
    ['labels count', () => labelProposals(proposals, gt, [1]), ValueError, /gtLabels must hold one class per ground-truth box \(2\), got 1/],
    ['negative label', () => labelProposals(proposals, gt, [1, -2]), ValueError, /gtLabels must be class indices >= 0, got -2 at 1/],
    ['fgIou > 1', () => labelProposals(proposals, gt, gtLabels, { fgIou: 2 }), ValueError, /fgIou must be a number in \[0, 1\], got 2/],
    ['bgIou inverted', () => labelProposals(proposals, gt, gtLabels, { bgIou: [0.5, 0.1] }), ValueError, /bgIou must be \[low, high\] with 0 <= low <= high <= 1, got \[0.5,0.1\]/],
    ['batchSize 0', () => sampleProposals([1, 0], { batchSize: 0 }), ValueError, /sampleProposals: batchSize must be a positive integer, got 0/],
    ['positiveFraction 1.5', () => sampleProposals([1, 0], { positiveFraction: 1.5 }), ValueError, /positiveFraction must be a number in \[0, 1\], got 1.5/],
    ['cache mode', () => new ProposalCache({ mode: 'slow' as 'fast' }), ValueError, /ProposalCache: mode must be 'single', 'fast' or 'quality', got "slow"/],
    ['cache maxProposals', () => new ProposalCache({ maxProposals: 0 }), ValueError, /maxProposals must be a positive integer, got 0/],
    ['cache image 4-D', () => new ProposalCache().get(zeros([1, 1, 8, 8])), ShapeError, /ProposalCache.get: image must be \[C, H, W\], got shape \[1, 1, 8, 8\]/],
    ['cache set inverted', () => new ProposalCache().set(zeros([1, 8, 8]), [[4, 4, 1, 1]]), ValueError, /ProposalCache.set: box 0 must be 4 finite numbers with x1 <= x2/],
    ['cache load garbage', () => new ProposalCache().load({ k: [1, 2, 3] }), ValueError, /ProposalCache.load: entry 'k' must be a flat list of 4 finite numbers per box/],
  ]);
});
