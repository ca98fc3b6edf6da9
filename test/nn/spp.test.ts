/**
 * nn.SpatialPyramidPooling (src/nn/spp.ts): the layer equals F.spatialPyramidPool (whose values and gradients are
 * checked against PyTorch's adaptive-pooling composition in test/vision/ops.test.ts), gives a fixed-length vector
 * for any input size, and pools the whole map at level 1.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, amax, nn, randn } from '../../src/index.js';

test('SpatialPyramidPooling: fixed length for every input size, level 1 is the global maximum', () => {
  const spp = new nn.SpatialPyramidPooling({ levels: [1, 2, 4] });
  assert.equal(spp.binsPerChannel(), 21);
  for (const [h, w] of [[4, 4], [7, 5], [13, 9]]) {
    const x = randn([2, 3, h, w], { dtype: 'float64' });
    const y = spp.forward(x);
    assert.deepEqual([...y.shape], [2, 63]);
    assert.deepEqual(Array.from(y.toTypedArray()), Array.from(F.spatialPyramidPool(x, { levels: [1, 2, 4] }).toTypedArray()));
    const global = amax(x, [2, 3]).toTypedArray();
    for (let n = 0; n < 2; n++) for (let c = 0; c < 3; c++) assert.equal(y.toTypedArray()[n * 63 + c], global[n * 3 + c]);
  }
  assert.match(spp.toString(), /levels=\[1,2,4\], mode='max'/);
});

test('SpatialPyramidPooling: gradients reach the input', () => {
  const x = randn([1, 2, 6, 6], { dtype: 'float64' });
  x.requiresGrad = true;
  new nn.SpatialPyramidPooling({ levels: [2, 3], mode: 'avg' }).forward(x).sum().backward();
  // average pooling over a 6x6 map: every cell is in one 2x2 bin (1/9) and one 3x3 bin (1/4)
  for (const g of x.grad!.toTypedArray()) assert.ok(Math.abs(g - (1 / 9 + 1 / 4)) < 1e-12);
});
