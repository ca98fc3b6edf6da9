import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { nn, ShapeError } from '../../src/index.js';

describe('nn.Unflatten', () => {
  test('undoes Flatten, infers a -1 size, passes gradients through and prints its settings', () => {
    const x = sd.arange(0, 24, 1, { dtype: 'float64' }).reshape([2, 3, 4]).requiresGrad_();
    const layer = new nn.Unflatten(1, [-1, 4]);
    const y = layer.forward(new nn.Flatten().forward(x));
    assert.deepEqual(y.shape, [2, 3, 4]);
    assert.deepEqual(y.toArray(), x.toArray());
    y.mul(2).sum().backward();
    assert.deepEqual([...x.grad!.toTypedArray()], new Array(24).fill(2));
    assert.equal(layer.toString(), 'Unflatten(dim=1, unflattenedSize=[-1, 4])');
    assert.equal(layer.parameters().length, 0);
  });
  test('sizes that do not fit the dim throw a ShapeError naming unflatten', () => {
    assert.throws(() => new nn.Unflatten(1, [5, 2]).forward(sd.ones([2, 12])), (e) => e instanceof ShapeError && /^unflatten: sizes \[5, 2\] do not multiply to the size 12 of dim 1/.test(e.message));
  });
});
