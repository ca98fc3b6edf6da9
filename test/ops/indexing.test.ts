import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ShapeError, ValueError } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';
import { checkFamily } from '../helpers/check-op.js';

const num = (v: number | string): number => (v === '-inf' ? -Infinity : v === 'inf' ? Infinity : (v as number));

checkFamily('indexing', {
  slice: ([a], o) => a.slice(...(o.specs as sd.SliceSpec[])),
  select: ([a], o) => a.select(o.dim, o.index),
  indexSelect: ([a, i], o) => a.indexSelect(o.dim, i),
  gather: ([a, i], o) => a.gather(o.dim, i),
  scatterAdd: ([a, i, s], o) => a.scatterAdd(o.dim, i, s),
  maskedFill: ([a, m], o) => a.maskedFill(m, num(o.value)),
  maskedFill_tensor: ([a, m, v]) => a.maskedFill(m, v),
  oneHot: ([i], o) => (o.numClasses === undefined ? sd.oneHot(i) : sd.oneHot(i, o.numClasses)),
});

const m = (rows: number, cols: number) => sd.arange(0, rows * cols, 1, { dtype: 'float64' }).reshape([rows, cols]);
const ix = (v: number[] | number[][]) => sd.tensor(v, { dtype: 'int32' });

describe('indexing: views and gradients', () => {
  test('slice and select are views, also of non-contiguous tensors', () => {
    const x = m(3, 4);
    assert.equal(x.slice('1:', '::2').storage, x.storage);
    assert.equal(x.select(1, 2).storage, x.storage);
    const tx = x.t(); // [4, 3], not contiguous
    const row = tx.select(0, 1);
    assert.equal(row.storage, x.storage);
    assert.deepEqual(row.toArray(), [1, 5, 9]);
    assert.equal(tx.slice(2, '1:').storage, x.storage);
    // writing through the view changes the base, as in PyTorch
    sd.noGrad(() => tx.slice(1).fill_(-1));
    assert.deepEqual(x.toArray(), [[0, -1, 2, 3], [4, -1, 6, 7], [8, -1, 10, 11]]);
  });
  test('indexSelect with repeated indices accumulates gradients', () => {
    const x = m(3, 2).requiresGrad_();
    x.indexSelect(0, ix([2, 0, 2, 2])).sum().backward();
    assert.deepEqual(x.grad!.toArray(), [[1, 1], [0, 0], [3, 3]]);
  });
  test('gather with repeated indices accumulates gradients; scatterAdd sums repeats', () => {
    const x = m(2, 3).requiresGrad_();
    x.gather(1, ix([[0, 0, 0], [2, 1, 2]])).sum().backward();
    assert.deepEqual(x.grad!.toArray(), [[3, 0, 0], [0, 1, 2]]);
    const y = sd.zeros([4], { dtype: 'float64' }).scatterAdd(0, ix([1, 1, 3, 1]), sd.tensor([1, 2, 3, 4], { dtype: 'float64' }));
    assert.deepEqual(y.toArray(), [0, 7, 0, 3]);
  });
  test('oneHot gives int32 (PyTorch gives int64)', () => {
    const h = sd.oneHot(ix([1, 0]), 3);
    assert.equal(h.dtype, 'int32');
    assert.deepEqual(h.toArray(), [[0, 1, 0], [1, 0, 0]]);
  });
  test('maskedFill keeps the input dtype and casts a tensor value', () => {
    const y = m(1, 3).int().maskedFill(sd.tensor([true, false, true]), 9);
    assert.equal(y.dtype, 'int32');
    assert.deepEqual(y.toArray(), [[9, 1, 9]]);
    assert.deepEqual(m(1, 2).maskedFill(sd.tensor([false, true]), sd.tensor(2.5, { dtype: 'float32' })).toArray(), [[0, 2.5]]);
  });
});

describe('indexing: bad input', () => {
  test('slice index out of bounds', () => {
    assert.throws(() => m(3, 4).slice(3), (e) => e instanceof ValueError && /^slice: index 3 is out of bounds for dim 0 with size 3/.test(e.message));
    assert.throws(() => m(3, 4).slice(':', -5), (e) => e instanceof ValueError && /^slice: index -5 is out of bounds for dim 1 with size 4/.test(e.message));
    assert.throws(() => m(3, 4).select(1, 4), (e) => e instanceof ValueError && /^select: index 4 is out of bounds for dim 1 with size 4/.test(e.message));
    assert.throws(() => sd.tensor(1).select(0, 0), (e) => e instanceof ShapeError && /^select: cannot select from a 0-d tensor/.test(e.message));
    assert.throws(() => sd.tensor(1).slice(0), (e) => e instanceof ShapeError && /^slice: too many indices \(1\) for a tensor of shape \[\]/.test(e.message));
  });
  test('slice with too many indices, two ellipses, bad strings and steps', () => {
    assert.throws(() => m(3, 4).slice(0, 0, 0), (e) => e instanceof ShapeError && /^slice: too many indices \(3\) for a tensor of shape \[3, 4\]/.test(e.message));
    assert.throws(() => m(3, 4).slice('...', 0, '...'), (e) => e instanceof ValueError && /^slice: only one '\.\.\.' is allowed/.test(e.message));
    assert.throws(() => m(3, 4).slice('a:b'), (e) => e instanceof ValueError && /^slice: cannot read slice "a:b"/.test(e.message));
    assert.throws(() => m(3, 4).slice('1:2:3:4'), (e) => e instanceof ValueError && /^slice: cannot read slice "1:2:3:4"/.test(e.message));
    assert.throws(() => m(3, 4).slice('2'), (e) => e instanceof ValueError && /^slice: '2' is not a slice; pass a number/.test(e.message));
    assert.throws(() => m(3, 4).slice('::-1'), (e) => e instanceof ValueError && /^slice: step must be positive, got -1 in dim 0; use flip\(\)/.test(e.message));
    assert.throws(() => m(3, 4).slice([0, 2, 0]), (e) => e instanceof ValueError && /^slice: step must be positive, got 0 in dim 0/.test(e.message));
    assert.throws(() => m(3, 4).slice(':', ix([0]) as unknown as sd.SliceSpec), (e) => e instanceof ValueError && /^slice: index 1 must be a number, null, .* got a Tensor \(use indexSelect, gather or maskedFill\)/.test(e.message));
    assert.throws(() => m(3, 4).slice(true as unknown as sd.SliceSpec), (e) => e instanceof ValueError && /^slice: index 0 must be .* got boolean/.test(e.message));
    assert.throws(() => m(3, 4).slice(1.5), (e) => e instanceof ValueError && /^slice: index 1\.5 is out of bounds/.test(e.message));
  });
  test('gather index out of range, of the wrong dtype or shape', () => {
    assert.throws(() => m(2, 3).gather(1, ix([[0, 3], [1, 1]])), (e) => e instanceof ValueError && /^gather: index 3 is out of range for dim 1 of size 3/.test(e.message));
    assert.throws(() => m(2, 3).gather(1, ix([[0, -1], [1, 1]])), (e) => e instanceof ValueError && /^gather: index -1 is out of range for dim 1 of size 3/.test(e.message));
    assert.throws(() => m(2, 3).gather(1, sd.tensor([[0.0, 1.0]], { dtype: 'float32' })), (e) => e instanceof DTypeError && /^gather: index must be an int32 tensor, got dtype float32/.test(e.message));
    assert.throws(() => m(2, 3).gather(1, ix([0, 1])), (e) => e instanceof ShapeError && /^gather: index must have as many dims as input: input \[2, 3\], index \[2\]/.test(e.message));
    assert.throws(() => m(2, 3).gather(1, ix([[0], [1], [0]])), (e) => e instanceof ShapeError && /^gather: index \[3, 1\] is larger than input \[2, 3\] in dim 0/.test(e.message));
  });
  test('indexSelect with a float index, a 2-D index, an index out of range', () => {
    assert.throws(() => m(2, 3).indexSelect(0, sd.tensor([0, 1])), (e) => e instanceof DTypeError && /^indexSelect: index must be an int32 tensor, got dtype float32/.test(e.message));
    assert.throws(() => m(2, 3).indexSelect(0, ix([[0, 1]])), (e) => e instanceof ShapeError && /^indexSelect: index must be 0-D or 1-D, got shape \[1, 2\]/.test(e.message));
    assert.throws(() => m(2, 3).indexSelect(1, ix([0, 3])), (e) => e instanceof ValueError && /^indexSelect: index 3 is out of range for dim 1 of size 3/.test(e.message));
    assert.throws(() => sd.tensor(1).indexSelect(0, ix([0, 0])), (e) => e instanceof ShapeError && /^indexSelect: a 0-d input takes a one-element index, got shape \[2\]/.test(e.message));
  });
  test('scatterAdd with a src of another dtype or too small, an index out of range', () => {
    assert.throws(() => m(2, 3).scatterAdd(1, ix([[0], [1]]), sd.ones([2, 1])), (e) => e instanceof DTypeError && /^scatterAdd: src must have input's dtype float64, got float32/.test(e.message));
    assert.throws(() => m(2, 3).scatterAdd(1, ix([[0, 1], [1, 1]]), sd.ones([2, 1], { dtype: 'float64' })), (e) => e instanceof ShapeError && /^scatterAdd: index \[2, 2\] is larger than src \[2, 1\] in dim 1/.test(e.message));
    assert.throws(() => m(2, 3).scatterAdd(0, ix([[2]]), sd.ones([1, 1], { dtype: 'float64' })), (e) => e instanceof ValueError && /^scatterAdd: index 2 is out of range for dim 0 of size 2/.test(e.message));
  });
  test('maskedFill with a non-bool or non-broadcasting mask, a non-0-d value', () => {
    assert.throws(() => m(2, 3).maskedFill(sd.ones([2, 3]), 0), (e) => e instanceof DTypeError && /^maskedFill: mask must be a bool tensor, got dtype float32/.test(e.message));
    assert.throws(() => m(2, 3).maskedFill(sd.ones([2, 2], { dtype: 'bool' }), 0), (e) => e instanceof ShapeError && /^maskedFill: shapes \[2, 3\] and \[2, 2\] cannot be broadcast together/.test(e.message));
    assert.throws(() => m(2, 3).maskedFill(sd.ones([2, 2, 3], { dtype: 'bool' }), 0), (e) => e instanceof ShapeError && /^maskedFill: mask \[2, 2, 3\] must broadcast to the input's shape \[2, 3\]/.test(e.message));
    assert.throws(() => m(2, 3).maskedFill(sd.ones([3], { dtype: 'bool' }), sd.ones([1])), (e) => e instanceof ShapeError && /^maskedFill: a tensor value must be 0-d, got shape \[1\]/.test(e.message));
  });
  test('oneHot with a class out of range, a float index, an empty index without numClasses', () => {
    assert.throws(() => sd.oneHot(ix([0, 3]), 3), (e) => e instanceof ValueError && /^oneHot: index 3 is out of range for numClasses of size 3/.test(e.message));
    assert.throws(() => sd.oneHot(ix([0, -1]), 3), (e) => e instanceof ValueError && /^oneHot: index -1 is out of range/.test(e.message));
    assert.throws(() => sd.oneHot(sd.tensor([0, 1]), 3), (e) => e instanceof DTypeError && /^oneHot: index must be an int32 tensor, got dtype float32/.test(e.message));
    assert.throws(() => sd.oneHot(sd.zeros([0], { dtype: 'int32' })), (e) => e instanceof ValueError && /^oneHot: cannot infer numClasses from an empty tensor/.test(e.message));
  });
});

// Bad inputs: each raises the typed error whose message names the op, the argument, what was expected and what was got.
{
  const z = (s: number[], dtype: sd.DType = 'float64') => sd.zeros(s, { dtype });
  const i32 = (s: number[]) => sd.zeros(s, { dtype: 'int32' });
  const b = (s: number[]) => sd.zeros(s, { dtype: 'bool' });
  checkErrors('indexing', [
    ['slice: too many indices', () => sd.slice(z([2, 3]), [0, 1], [0, 1], [0, 1]), sd.ShapeError, /^slice: too many indices \(3\) for a tensor of shape \[2, 3\]$/],
    ['slice: step 0', () => sd.slice(z([4]), [0, 4, 0]), sd.ValueError, /^slice: step must be positive, got 0 in dim 0; use flip\(\) to reverse$/],
    ['slice: unreadable spec', () => sd.slice(z([3]), 'a'), sd.ValueError, /^slice: cannot read slice "a"; use 'start:stop:step' with integers, or \[start, stop, step\]$/],
    ['select: index out of range', () => sd.select(z([2, 3]), 1, 3), sd.ValueError, /^select: index 3 is out of bounds for dim 1 with size 3$/],
    ['select: fractional index', () => sd.select(z([3]), 0, 0.5), sd.ValueError, /^select: index must be an integer, got 0\.5$/],
    ['indexSelect: float index', () => sd.indexSelect(z([3, 2]), 0, z([2])), sd.DTypeError, /^indexSelect: index must be an int32 tensor, got dtype float64$/],
    ['indexSelect: 2-D index', () => sd.indexSelect(z([3, 2]), 0, i32([2, 1])), sd.ShapeError, /^indexSelect: index must be 0-D or 1-D, got shape \[2, 1\]$/],
    ['indexSelect: index out of range', () => sd.indexSelect(z([3, 2]), 0, sd.tensor([3], { dtype: 'int32' })), sd.ValueError, /^indexSelect: index 3 is out of range for dim 0 of size 3$/],
    ['gather: index rank differs', () => sd.gather(z([3, 2]), 0, i32([2])), sd.ShapeError, /^gather: index must have as many dims as input: input \[3, 2\], index \[2\]$/],
    ['gather: index larger outside dim', () => sd.gather(z([3, 2]), 0, i32([2, 3])), sd.ShapeError, /^gather: index \[2, 3\] is larger than input \[3, 2\] in dim 1$/],
    ['gather: index out of range', () => sd.gather(z([3, 2]), 1, sd.tensor([[0, 2]], { dtype: 'int32' })), sd.ValueError, /^gather: index 2 is out of range for dim 1 of size 2$/],
    ['scatterAdd: src smaller than index', () => sd.scatterAdd(z([3, 2]), 0, i32([2, 2]), z([1, 2])), sd.ShapeError, /^scatterAdd: index \[2, 2\] is larger than src \[1, 2\] in dim 0$/],
    ['scatterAdd: src dtype differs', () => sd.scatterAdd(z([3, 2]), 0, i32([2, 2]), z([2, 2], 'float32')), sd.DTypeError, /^scatterAdd: src must have input's dtype float64, got float32$/],
    ['maskedFill: float mask', () => sd.maskedFill(z([2]), z([2]), 1), sd.DTypeError, /^maskedFill: mask must be a bool tensor, got dtype float64$/],
    ['maskedFill: 1-D tensor value', () => sd.maskedFill(z([2]), b([2]), z([2])), sd.ShapeError, /^maskedFill: a tensor value must be 0-d, got shape \[2\]$/],
    ['oneHot: float index', () => sd.oneHot(z([2]), 3), sd.DTypeError, /^oneHot: index must be an int32 tensor, got dtype float64$/],
    ['oneHot: index out of range', () => sd.oneHot(sd.tensor([0, 3], { dtype: 'int32' }), 3), sd.ValueError, /^oneHot: index 3 is out of range for numClasses of size 3$/],
  ]);
}
