/**
 * roiAlign / roiPool beyond the torchvision fixtures (test/vision/ops.test.ts): the list-of-boxes form equals the
 * [K, 5] form, the RoIAlign / RoIPool modules equal the functions, gradcheck on seeded maps and boxes (partly
 * outside the map) for every option, and boxIou / generalizedBoxIou gradcheck on random boxes — on every backend.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Generator, gradcheck, listBackends, randn, tensor, vision, type Tensor } from '../../src/index.js';
import { onBackend } from '../helpers/backends.js';

/** Seeded boxes [n, 4] inside roughly [-2, size + 2], with x2 > x1, y2 > y1. */
function boxes(g: Generator, n: number, size: number): number[][] {
  return Array.from({ length: n }, () => {
    const x = g.random() * size - 2;
    const y = g.random() * size - 2;
    return [x, y, x + 0.4 + g.random() * size * 0.6, y + 0.4 + g.random() * size * 0.6];
  });
}

const same = (a: Tensor, b: Tensor) => assert.deepEqual(Array.from(a.toTypedArray()), Array.from(b.toTypedArray()));

describe('roiAlign and roiPool', () => {
  for (const backend of listBackends()) {
    test(`${backend}: the box-list form equals the [K, 5] form, the modules equal the functions`, () => onBackend(backend, () => {
      const g = new Generator().manualSeed(3);
      const x = randn([2, 3, 8, 9], { dtype: 'float64', generator: g });
      const b0 = boxes(g, 3, 8);
      const b1 = boxes(g, 2, 8);
      const list = [tensor(b0, { dtype: 'float64' }), tensor(b1, { dtype: 'float64' })];
      const rows = tensor([...b0.map((b) => [0, ...b]), ...b1.map((b) => [1, ...b])], { dtype: 'float64' });
      const opts = { spatialScale: 0.9, samplingRatio: 0, aligned: true };
      same(vision.roiAlign(x, list, [2, 3], opts), vision.roiAlign(x, rows, [2, 3], opts));
      same(vision.roiPool(x, list, 3, { spatialScale: 0.9 }), vision.roiPool(x, rows, 3, { spatialScale: 0.9 }));
      same(new vision.RoIAlign([2, 3], opts).forward(x, rows), vision.roiAlign(x, rows, [2, 3], opts));
      same(new vision.RoIPool(3, { spatialScale: 0.9 }).forward(x, list), vision.roiPool(x, rows, 3, { spatialScale: 0.9 }));
      assert.match(new vision.RoIAlign(7, { samplingRatio: 2 }).toString(), /outputSize=7, spatialScale=1, samplingRatio=2, aligned=false/);
    }));

    test(`${backend}: gradcheck of roiAlign (every option) and roiPool w.r.t. the input`, () => onBackend(backend, () => {
      const g = new Generator().manualSeed(11);
      const x = randn([2, 2, 6, 7], { dtype: 'float64', generator: g });
      x.requiresGrad = true;
      const rows = tensor(boxes(g, 4, 6).map((b, i) => [i % 2, ...b]), { dtype: 'float64' });
      for (const aligned of [false, true]) {
        for (const samplingRatio of [-1, 1, 3]) {
          assert.ok(gradcheck((t) => vision.roiAlign(t, rows, [3, 2], { aligned, samplingRatio, spatialScale: 0.8 }), [x]));
        }
      }
      assert.ok(gradcheck((t) => vision.roiPool(t, rows, [2, 3], { spatialScale: 0.8 }), [x]));
    }));

    test(`${backend}: gradcheck of boxIou and generalizedBoxIou w.r.t. both box sets`, () => onBackend(backend, () => {
      const g = new Generator().manualSeed(5);
      const a = tensor(boxes(g, 4, 6), { dtype: 'float64' });
      const b = tensor(boxes(g, 3, 6), { dtype: 'float64' });
      a.requiresGrad = true;
      b.requiresGrad = true;
      assert.ok(gradcheck(vision.boxIou, [a, b]));
      assert.ok(gradcheck(vision.generalizedBoxIou, [a, b]));
    }));
  }
});
