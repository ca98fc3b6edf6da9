import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ShapeError, ValueError } from '../../src/index.js';
import { checkBadInputs } from '../helpers/bad-inputs.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('scatter', {
  indexAdd: ([a, i, s], o) => a.indexAdd(o.dim, i, s, o.alpha === undefined ? {} : { alpha: o.alpha }),
  indexCopy: ([a, i, s], o) => a.indexCopy(o.dim, i, s),
  indexFill: ([a, i], o) => a.indexFill(o.dim, i, o.value),
  indexFill_tensor: ([a, i, v], o) => a.indexFill(o.dim, i, v),
  scatter: ([a, i, s], o) => a.scatter(o.dim, i, s),
  scatter_value: ([a, i], o) => a.scatter(o.dim, i, o.value),
  scatter_reduce: ([a, i, s], o) => a.scatter(o.dim, i, s, { reduce: o.reduce }),
  scatter_value_reduce: ([a, i], o) => a.scatter(o.dim, i, o.value, { reduce: o.reduce }),
  scatterReduce: ([a, i, s], o) => a.scatterReduce(o.dim, i, s, o.reduce, { includeSelf: o.includeSelf }),
});

const m = (...shape: number[]) => sd.arange(0, shape.reduce((a, b) => a * b, 1), 1, { dtype: 'float64' }).reshape(shape);
const ix = (v: number[] | number[][]) => sd.tensor(v, { dtype: 'int32' });

describe('scatter: repeated indices and gradients', () => {
  test('indexCopy and scatter let the last repeated index win; the losers get no gradient', () => {
    const src = sd.tensor([1, 2, 3], { dtype: 'float64' }).requiresGrad_();
    const y = sd.zeros([3], { dtype: 'float64' }).indexCopy(0, ix([0, 2, 0]), src);
    assert.deepEqual(y.toArray(), [3, 0, 2]);
    y.sum().backward();
    assert.deepEqual(src.grad!.toArray(), [0, 1, 1]);
    const z = sd.zeros([2], { dtype: 'float64' }).scatter(0, ix([1, 1, 0]), sd.tensor([5, 6, 7], { dtype: 'float64' }));
    assert.deepEqual(z.toArray(), [7, 6]);
  });
  test('scatter with reduce has gradients (torch has none) that match the reduction', () => {
    const x = sd.tensor([2, 3], { dtype: 'float64' }).requiresGrad_();
    const s = sd.tensor([4, 5], { dtype: 'float64' }).requiresGrad_();
    x.scatter(0, ix([0, 0]), s, { reduce: 'multiply' }).sum().backward();
    assert.deepEqual(x.grad!.toArray(), [20, 1]);
    assert.deepEqual(s.grad!.toArray(), [10, 8]);
  });
  test('scatterReduce with many values landing on few elements matches a plain loop, gradients included', () => {
    const n = 2000;
    const idx = Int32Array.from({ length: n }, (_, k) => (k % 7 === 0 ? 1 : k % 3));
    const vals = Float64Array.from({ length: n }, (_, k) => Math.sin(k));
    const want = { sum: [0, 0, 0], amax: [-Infinity, -Infinity, -Infinity] };
    idx.forEach((q, k) => {
      want.sum[q] += vals[k];
      want.amax[q] = Math.max(want.amax[q], vals[k]);
    });
    const src = sd.tensor(vals).requiresGrad_();
    const s = sd.zeros([3], { dtype: 'float64' }).scatterReduce(0, sd.tensor(idx), src, 'sum', { includeSelf: false });
    (s.toArray() as number[]).forEach((v, q) => assert.ok(Math.abs(v - want.sum[q]) < 1e-9));
    const a = sd.zeros([3], { dtype: 'float64' }).scatterReduce(0, sd.tensor(idx), src, 'amax', { includeSelf: false });
    assert.deepEqual(a.toArray(), want.amax);
    a.sum().backward();
    const g = Array.from(src.grad!.toTypedArray());
    assert.equal(g.reduce((x, y) => x + y, 0), 3);
    idx.forEach((q, k) => assert.equal(g[k], vals[k] === want.amax[q] ? 1 : 0));
  });
  test('indexFill with a tensor value sends it the gradient of every filled element', () => {
    const v = sd.tensor(2, { dtype: 'float64' }).requiresGrad_();
    m(2, 3).indexFill(1, ix([0, 2]), v).sum().backward();
    assert.equal(v.grad!.item(), 4);
  });
});

describe('scatter: bad inputs', () => {
  checkBadInputs([
    ['indexAdd: a float index', () => m(3).indexAdd(0, sd.tensor([0]), m(1)), DTypeError, /^indexAdd: index must be an int32 tensor, got dtype float32/],
    ['indexAdd: a 2-D index', () => m(3).indexAdd(0, ix([[0]]), m(1)), ShapeError, /^indexAdd: index must be 0-D or 1-D, got shape \[1, 1\]/],
    ['indexAdd: an index out of range', () => m(3).indexAdd(0, ix([3]), m(1)), ValueError, /^indexAdd: index 3 is out of range for dim 0 of size 3/],
    ['indexAdd: a source of the wrong shape', () => m(2, 3).indexAdd(1, ix([0, 1]), m(2, 3)), ShapeError, /^indexAdd: source must have shape \[2, 2\] \(input \[2, 3\] with dim 1 of the index's length 2\), got \[2, 3\]/],
    ['indexAdd: a source of another dtype', () => m(3).indexAdd(0, ix([0]), sd.ones([1])), DTypeError, /^indexAdd: source must have input's dtype float64, got float32/],
    ['indexAdd: a fractional alpha on ints', () => m(3).int().indexAdd(0, ix([0]), m(1).int(), { alpha: 0.5 }), ValueError, /^indexAdd: alpha must be an integer for a int32 input, got 0\.5/],
    ['indexAdd: bool tensors', () => m(3).bool().indexAdd(0, ix([0]), m(1).bool()), DTypeError, /^indexAdd: bool tensors cannot be added/],
    ['indexCopy: a dim out of range', () => m(3).indexCopy(1, ix([0]), m(1)), ValueError, /^indexCopy: dim must be an integer in \[-1, 0\] for a 1-D tensor, got 1/],
    ['indexCopy: a source too short', () => m(3).indexCopy(0, ix([0, 1]), m(1)), ShapeError, /^indexCopy: source must have shape \[2\]/],
    ['indexFill: a 1-D tensor value', () => m(3).indexFill(0, ix([0]), m(1)), ShapeError, /^indexFill: a tensor value must be 0-d, got shape \[1\]/],
    ['indexFill: a negative index', () => m(3).indexFill(0, ix([-1]), 0), ValueError, /^indexFill: index -1 is out of range for dim 0 of size 3/],
    ['scatter: an index of another rank', () => m(2, 3).scatter(1, ix([0, 1]), m(2, 3)), ShapeError, /^scatter: index must have as many dims as input: input \[2, 3\], index \[2\]/],
    ['scatter: an index larger than src', () => m(2, 3).scatter(1, ix([[0, 1, 2]]), m(1, 2)), ShapeError, /^scatter: index \[1, 3\] is larger than src \[1, 2\] in dim 1/],
    ['scatter: an index larger than the input', () => m(2, 3).scatter(1, ix([[0], [1], [2]]), m(3, 1)), ShapeError, /^scatter: index \[3, 1\] is larger than input \[2, 3\] in dim 0/],
    ['scatter: an index out of range', () => m(2, 3).scatter(1, ix([[3]]), m(1, 1)), ValueError, /^scatter: index 3 is out of range for dim 1 of size 3/],
    ['scatter: src of another dtype', () => m(2, 3).scatter(1, ix([[0]]), sd.ones([1, 1])), DTypeError, /^scatter: src must have input's dtype float64, got float32/],
    ['scatter: an unknown reduce', () => m(2, 3).scatter(1, ix([[0]]), 1, { reduce: 'max' as 'add' }), ValueError, /^scatter: reduce must be 'add' or 'multiply', got "max"/],
    ['scatter: src not a tensor or number', () => m(2, 3).scatter(1, ix([[0]]), 'a' as unknown as number), ValueError, /^scatter: src must be a Tensor or a number, got string/],
    ['scatter: reduce on bool tensors', () => m(3).bool().scatter(0, ix([0]), true as unknown as number, { reduce: 'add' }), DTypeError, /^scatter: reduce 'add' needs a numeric input, got dtype bool/],
    ['scatterReduce: an unknown reduce', () => m(3).scatterReduce(0, ix([0]), m(1), 'max' as 'amax'), ValueError, /^scatterReduce: reduce must be 'sum', 'prod', 'mean', 'amax' or 'amin', got "max"/],
    ['scatterReduce: bool tensors', () => m(3).bool().scatterReduce(0, ix([0]), m(1).bool(), 'sum'), DTypeError, /^scatterReduce: input must be numeric, got dtype bool/],
    ['scatterReduce: src of another rank', () => m(3).scatterReduce(0, ix([0]), m(1, 1), 'sum'), ShapeError, /^scatterReduce: src must have as many dims as input: input \[3\], src \[1, 1\]/],
    ['scatterReduce: includeSelf not a boolean', () => m(3).scatterReduce(0, ix([0]), m(1), 'sum', { includeSelf: 1 as unknown as boolean }), ValueError, /^scatterReduce: includeSelf must be a boolean, got number/],
  ]);
});
