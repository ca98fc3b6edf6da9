import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ShapeError, ValueError } from '../../src/index.js';
import { checkBadInputs } from '../helpers/bad-inputs.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('take', {
  maskedSelect: ([a, mask]) => a.maskedSelect(mask),
  take: ([a, i]) => a.take(i),
  takeAlongDim: ([a, i], o) => a.takeAlongDim(i, o.dim),
  nonzero: ([a]) => a.nonzero(),
  nonzero_tuple: ([a]) => sd.nonzero(a, { asTuple: true }),
  repeatInterleave: ([a], o) => a.repeatInterleave(o.repeats, o.dim),
  repeatInterleave_tensor: ([a, r], o) => a.repeatInterleave(r, o.dim),
  repeatInterleave_counts: ([r]) => sd.repeatInterleave(r),
});

const m = (...shape: number[]) => sd.arange(0, shape.reduce((a, b) => a * b, 1), 1, { dtype: 'float64' }).reshape(shape);
const ix = (v: number[] | number[][]) => sd.tensor(v, { dtype: 'int32' });

describe('take: dtypes and gradients', () => {
  test('nonzero gives int32 positions (PyTorch gives int64)', () => {
    const n = sd.tensor([[0, 2], [3, 0]]).nonzero();
    assert.equal(n.dtype, 'int32');
    assert.deepEqual(n.toArray(), [[0, 1], [1, 0]]);
  });
  test('maskedSelect with a broadcast input sums the gradient over the broadcast rows', () => {
    const x = m(3).requiresGrad_();
    x.maskedSelect(sd.tensor([[true, false, true], [true, true, true]])).sum().backward();
    assert.deepEqual(x.grad!.toArray(), [2, 1, 2]);
  });
  test('take with repeated positions accumulates gradients', () => {
    const x = m(2, 2).requiresGrad_();
    x.take(ix([3, -1, 0])).sum().backward();
    assert.deepEqual(x.grad!.toArray(), [[1, 0], [0, 2]]);
  });
});

describe('take: bad inputs', () => {
  checkBadInputs([
    ['maskedSelect: a float mask', () => m(3).maskedSelect(sd.ones([3])), DTypeError, /^maskedSelect: mask must be a bool tensor, got dtype float32/],
    ['maskedSelect: shapes that do not broadcast', () => m(3).maskedSelect(sd.ones([2], { dtype: 'bool' })), ShapeError, /^maskedSelect: shapes \[3\] and \[2\] cannot be broadcast together/],
    ['take: an index out of range', () => m(2, 2).take(ix([4])), ValueError, /^take: index 4 is out of range for a tensor of 4 elements \(shape \[2, 2\]\)/],
    ['take: a negative index out of range', () => m(2, 2).take(ix([-5])), ValueError, /^take: index -5 is out of range/],
    ['take: a float index', () => m(2).take(sd.tensor([0])), DTypeError, /^take: index must be an int32 tensor, got dtype float32/],
    ['takeAlongDim: ranks differ', () => m(2, 3).takeAlongDim(ix([0]), 1), ShapeError, /^takeAlongDim: input and indices must have the same number of dims, got \[2, 3\] and \[1\]/],
    ['takeAlongDim: shapes that do not broadcast', () => m(2, 3).takeAlongDim(ix([[0], [1], [2]]), 1), ShapeError, /^takeAlongDim: shapes \[2, 1\] and \[3, 1\] cannot be broadcast together/],
    ['takeAlongDim: an index out of range', () => m(2, 3).takeAlongDim(ix([[3]]), 1), ValueError, /^gather: index 3 is out of range for dim 1 of size 3/],
    ['takeAlongDim: float indices', () => m(2, 3).takeAlongDim(sd.tensor([[0]]), 1), DTypeError, /^takeAlongDim: indices must be an int32 tensor, got dtype float32/],
    ['repeatInterleave: a negative count', () => m(2).repeatInterleave(-1), ValueError, /^repeatInterleave: repeats must be an integer >= 0, got -1/],
    ['repeatInterleave: a negative count in a tensor', () => m(2).repeatInterleave(ix([1, -2]), 0), ValueError, /^repeatInterleave: repeats must be >= 0, got -2/],
    ['repeatInterleave: too many counts', () => m(2).repeatInterleave(ix([1, 2, 3]), 0), ShapeError, /^repeatInterleave: repeats must have one entry per slice \(2\) along dim 0, got shape \[3\]/],
    ['repeatInterleave: float counts', () => m(2).repeatInterleave(sd.tensor([1, 2]), 0), DTypeError, /^repeatInterleave: repeats must be an int32 tensor, got dtype float32/],
    ['repeatInterleave: counts alone that are 2-D', () => sd.repeatInterleave(ix([[1]])), ShapeError, /^repeatInterleave: repeats must be 0-D or 1-D, got shape \[1, 1\]/],
    ['repeatInterleave: a dim of a 0-d tensor', () => sd.tensor(1).repeatInterleave(2, 0), ShapeError, /^repeatInterleave: cannot repeat along a dim of a 0-d tensor/],
  ]);
});
