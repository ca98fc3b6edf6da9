/**
 * The pieces of R-CNN and Fast R-CNN: crop warping against a hand computation (bilinear samples of a linear image,
 * context padding), SPP over RoIs against nn.spatialPyramidPool on each RoI's window, the multi-task loss and its
 * gradients against torchvision 0.14's fastrcnn_loss (test/fixtures/models/rcnn_loss.json from
 * tools/make_rcnn_fixtures.py), and the postprocessing; bad inputs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { DTypeError, ShapeError, ValueError, manualSeed, randn, tensor, zeros } from '../../../src/index.js';
import { fastRcnnLoss } from '../../../src/models/detection/fast-rcnn-loss.js';
import { roiSpatialPyramidPool } from '../../../src/models/detection/fast-rcnn.js';
import { postprocessDetections } from '../../../src/models/detection/postprocess.js';
import { padBoxes, warpRegions } from '../../../src/models/detection/warp.js';
import { spatialPyramidPool } from '../../../src/nn/spp.js';
import { slice } from '../../../src/ops/indexing.js';
import { BoxCoder } from '../../../src/vision/box-coder.js';
import { checkErrors } from '../../helpers/check-errors.js';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string) => {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

// a 4x4 image whose pixel (y, x) is 4y + x: bilinear interpolation of it is exact, 4y + x at any (y, x) inside
const linear = tensor(Float32Array.from({ length: 16 }, (_, i) => i), { shape: [1, 1, 4, 4] });
const expectLinear = (ys: number[], xs: number[]) => ys.flatMap((y) => xs.map((x) => 4 * y + x));

describe('warpRegions', () => {
  test('box [0, 0, 2, 2] to 4x4, one sample per pixel: pixel centres at (j + 0.5) / 2 - 0.5, clamped to the image at the border', () => {
    const out = warpRegions(linear, [tensor([[0, 0, 2, 2]])], 4, { samplingRatio: 1 });
    assert.deepEqual(out.shape, [1, 1, 4, 4]);
    const c = [0, 0.25, 0.75, 1.25]; // -0.25 reads the border pixel, as RoI Align clamps coordinates in (-1, 0]
    close(out.toTypedArray(), expectLinear(c, c), 1e-6, 'warp');
  });

  test('two samples per pixel average to the pixel centre on a linear image; a [R, 5] rows form gives the same', () => {
    const out = warpRegions(linear, [tensor([[1, 1, 3, 3]])], 4, { samplingRatio: 2 });
    const c = [0.75, 1.25, 1.75, 2.25];
    close(out.toTypedArray(), expectLinear(c, c), 1e-6, 'warp');
    close(warpRegions(linear, tensor([[0, 1, 1, 3, 3]]), 4, { samplingRatio: 2 }).toTypedArray(), out.toTypedArray(), 0, 'rows form');
  });

  test('context padding p grows the box by size / (size - 2p): [1, 1, 3, 3] with p = 1 at size 4 reads [0, 0, 4, 4], the image itself', () => {
    assert.deepEqual(Array.from(padBoxes(tensor([[1, 1, 3, 3]]), 4, 1).toTypedArray()), [0, 0, 4, 4]);
    const out = warpRegions(linear, [tensor([[1, 1, 3, 3]])], 4, { samplingRatio: 1, contextPadding: 1 });
    close(out.toTypedArray(), linear.toTypedArray(), 1e-6, 'padded warp');
  });

  test('an anisotropic box is stretched: [0, 0, 4, 2] to 2x2 samples rows 0, 0.5 and columns 0.5, 2.5', () => {
    const out = warpRegions(linear, [tensor([[0, 0, 4, 2]])], 2, { samplingRatio: 1 });
    close(out.toTypedArray(), expectLinear([0, 1], [0.5, 2.5]), 1e-6, 'warp');
  });
});

describe('roiSpatialPyramidPool', () => {
  test("equals nn.spatialPyramidPool on each RoI's window of the feature map (rounded to cells, inclusive)", () => {
    manualSeed(3);
    const maps = randn([2, 3, 12, 12]);
    // image boxes at scale 1/4: [4, 8, 28, 40] -> cells x 1..7, y 2..10; [0, 0, 44, 44] on image 1 -> cells 0..11
    const out = roiSpatialPyramidPool(maps, [tensor([[4, 8, 28, 40]]), tensor([[0, 0, 44, 44]])], [1, 2, 3], 0.25);
    assert.deepEqual(out.shape, [2, 3 * (1 + 4 + 9)]);
    const w0 = slice(maps, '0:1', null, '2:11', '1:8');
    const w1 = slice(maps, '1:2', null, '0:12', '0:12');
    const want = [...spatialPyramidPool(w0, { levels: [1, 2, 3] }).toTypedArray(), ...spatialPyramidPool(w1, { levels: [1, 2, 3] }).toTypedArray()];
    close(out.toTypedArray(), want, 0, 'spp');
  });
});

interface LossCase {
  name: string; numClasses: number; classLogits: number[][]; boxRegression: number[][]; labels: number[]; regressionTargets: number[][];
  lossClassifier: number; lossBoxReg: number; gradClassLogits: number[][]; gradBoxRegression: number[][];
}
const fixture = JSON.parse(readFileSync(new URL('../../../../test/fixtures/models/rcnn_loss.json', import.meta.url), 'utf8')) as { cases: LossCase[] };

describe("fastRcnnLoss against torchvision's fastrcnn_loss", () => {
  for (const c of fixture.cases) {
    test(c.name, () => {
      const logits = tensor(c.classLogits, { dtype: 'float64', requiresGrad: true });
      const box = tensor(c.boxRegression, { dtype: 'float64', requiresGrad: true });
      const { lossClassifier, lossBoxReg } = fastRcnnLoss(logits, box, tensor(c.labels, { dtype: 'int32' }), tensor(c.regressionTargets, { dtype: 'float64' }));
      close([lossClassifier.item(), lossBoxReg.item()], [c.lossClassifier, c.lossBoxReg], 1e-12, 'losses');
      lossClassifier.add(lossBoxReg).backward();
      close(logits.grad!.toTypedArray(), c.gradClassLogits.flat(), 1e-12, 'd/dlogits');
      close(box.grad!.toTypedArray(), c.gradBoxRegression.flat(), 1e-12, 'd/dboxRegression');
    });
  }
});

describe('postprocessDetections', () => {
  const coder = new BoxCoder([10, 10, 5, 5]);
  test('decodes each class, clips to the image, drops background and low scores, suppresses per class, best first', () => {
    // 3 proposals, 2 classes: proposal 0 strongly class 1 with a shift of +2 px in x; proposal 1 overlaps it (same class, lower score); proposal 2 background
    const proposals = tensor([[10, 10, 30, 30], [11, 10, 31, 30], [80, 80, 100, 100]]);
    const logits = tensor([[0, 5, 0], [0, 3, 0], [5, 0, 0]]);
    const deltas = zeros([3, 12]).add(tensor([[0, 0, 0, 0, 10 * 2 / 20, 0, 0, 0, 0, 0, 0, 0], Array(12).fill(0), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]));
    const d = postprocessDetections(logits, deltas, proposals, [96, 96], coder, { scoreThresh: 0.3 });
    assert.deepEqual(Array.from(d.labels.toTypedArray()), [0]);
    close(d.boxes.toTypedArray(), [12, 10, 32, 30], 1e-5, 'box');
    assert.ok(d.scores.toTypedArray()[0] > 0.9);
    const all = postprocessDetections(logits, deltas, proposals, [96, 96], coder, { scoreThresh: 0, nmsThresh: 1 });
    const b = all.boxes.toTypedArray();
    for (let i = 0; i < b.length; i += 4) assert.ok(b[i] >= 0 && b[i + 2] <= 96 && b[i + 2] >= b[i] && b[i + 3] >= b[i + 1] && b[i + 3] <= 96, `box ${i / 4} clipped`);
    const s = Array.from(all.scores.toTypedArray());
    assert.deepEqual(s, [...s].sort((x, y) => y - x));
  });
});

describe('bad input', () => {
  const l = zeros([2, 3]);
  const b = zeros([2, 12]);
  const lab = tensor([0, 1], { dtype: 'int32' });
  const t = zeros([2, 4]);
  checkErrors('rcnn ops', [
    ['warp size 0', () => warpRegions(linear, [tensor([[0, 0, 2, 2]])], 0), ValueError, /warpRegions: size must be a positive integer, got 0/],
    ['warp padding too large', () => warpRegions(linear, [tensor([[0, 0, 2, 2]])], 4, { contextPadding: 2 }), ValueError, /warpRegions: contextPadding must be a number in \[0, size \/ 2\) = \[0, 2\), got 2/],
    ['warp sampling 0', () => warpRegions(linear, [tensor([[0, 0, 2, 2]])], 4, { samplingRatio: 0 }), ValueError, /samplingRatio must be a positive integer, got 0/],
    ['warp rois [R, 3]', () => warpRegions(linear, [zeros([1, 3])], 4), ShapeError, /warpRegions: rois\[0\] must be a \[Ri, 4\] tensor, got \[1, 3\]/],
    ['warp rows [R, 4]', () => warpRegions(linear, zeros([1, 4]), 4), ShapeError, /warpRegions: rois must be a \[R, 5\] tensor/],
    ['spp levels', () => roiSpatialPyramidPool(zeros([1, 1, 4, 4]), [tensor([[0, 0, 2, 2]])], [0], 1), ValueError, /roiSpatialPyramidPool: levels must be a non-empty list of positive integers, got \[0\]/],
    ['loss float labels', () => fastRcnnLoss(l, b, zeros([2]), t), DTypeError, /fastRcnnLoss: labels must be int32, got float32/],
    ['loss box width', () => fastRcnnLoss(l, zeros([2, 8]), lab, t), ShapeError, /fastRcnnLoss: boxRegression must be \[2, 12\] for classLogits \[2, 3\], got \[2, 8\]/],
    ['loss targets', () => fastRcnnLoss(l, b, lab, zeros([2, 3])), ShapeError, /regressionTargets must be \[2, 4\], got \[2, 3\]/],
    ['loss label out of range', () => fastRcnnLoss(l, b, tensor([0, 3], { dtype: 'int32' }), t), ValueError, /fastRcnnLoss: labels must be in \[0, 2\], got 3 at 1/],
    ['loss no RoIs', () => fastRcnnLoss(zeros([0, 3]), zeros([0, 12]), tensor([], { dtype: 'int32' }), zeros([0, 4])), ValueError, /fastRcnnLoss: no RoIs/],
    ['loss 1 class', () => fastRcnnLoss(zeros([2, 1]), zeros([2, 4]), lab, t), ShapeError, /classLogits must be \[R, K \+ 1\] with K >= 1, got \[2, 1\]/],
    ['postprocess thresh', () => postprocessDetections(l, b, zeros([2, 4]), [8, 8], new BoxCoder([1, 1, 1, 1]), { scoreThresh: 2 }), ValueError, /postprocessDetections: scoreThresh must be in \[0, 1\], got 2/],
    ['postprocess shapes', () => postprocessDetections(l, b, zeros([3, 4]), [8, 8], new BoxCoder([1, 1, 1, 1])), ShapeError, /postprocessDetections: expected classLogits \[P, K \+ 1\]/],
  ]);
});
