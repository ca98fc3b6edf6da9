import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { ShapeError, ValueError } from '../../src/index.js';
import { checkBadInputs } from '../helpers/bad-inputs.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('shape', {
  roll: ([a], o) => a.roll(o.shifts, o.dims),
  tile: ([a], o) => a.tile(o.reps),
  unbind: ([a], o) => a.unbind(o.dim),
  movedim: ([a], o) => a.movedim(o.source, o.destination),
  moveaxis: ([a], o) => a.moveaxis(o.source, o.destination),
  swapaxes: ([a], o) => a.swapaxes(o.axis0, o.axis1),
  swapdims: ([a], o) => a.swapdims(o.dim0, o.dim1),
  unflatten: ([a], o) => a.unflatten(o.dim, o.sizes),
  broadcastTo: ([a], o) => a.broadcastTo(o.shape),
  rot90: ([a], o) => a.rot90(o.k, o.dims),
  hstack: (xs) => sd.hstack(xs),
  vstack: (xs) => sd.vstack(xs),
  dstack: (xs) => sd.dstack(xs),
  columnStack: (xs) => sd.columnStack(xs),
  meshgrid: (xs, o) => sd.meshgrid(xs, o.indexing === undefined ? {} : { indexing: o.indexing }),
});

const m = (...shape: number[]) => sd.arange(0, shape.reduce((a, b) => a * b, 1), 1, { dtype: 'float64' }).reshape(shape);

describe('shape ops: views', () => {
  test('movedim, swapaxes, unbind, unflatten, broadcastTo and meshgrid share storage with their input', () => {
    const x = m(2, 3, 4);
    for (const y of [x.movedim(0, 2), x.moveaxis([0, 1], [1, 0]), x.swapaxes(0, 2), x.swapdims(1, 2), x.unflatten(2, [2, 2]), ...x.unbind(1)]) {
      assert.equal(y.storage, x.storage);
    }
    const v = m(3);
    assert.equal(v.broadcastTo([2, 3]).storage, v.storage);
    const [gx, gy] = sd.meshgrid([v, m(2)]);
    assert.equal(gx.storage, v.storage);
    assert.deepEqual(gy.toArray(), [[0, 1], [0, 1], [0, 1]]);
  });
  test('roll and rot90 give new tensors with the expected values', () => {
    assert.deepEqual(m(2, 3).roll(1, 1).toArray(), [[2, 0, 1], [5, 3, 4]]);
    assert.deepEqual(m(2, 2).rot90().toArray(), [[1, 3], [0, 2]]);
  });
});

describe('shape ops: bad inputs', () => {
  checkBadInputs([
    ['roll: shifts and dims of different lengths', () => m(2, 3).roll([1, 2], [0]), ValueError, /^roll: shifts and dims must have the same length, got 2 shifts and 1 dims/],
    ['roll: several shifts without dims', () => m(2, 3).roll([1, 2]), ValueError, /^roll: without dims, shifts must be one integer, got \[1, 2\]/],
    ['roll: a dim out of range', () => m(2, 3).roll(1, 2), ValueError, /^roll: dims must be an integer in \[-2, 1\] for a 2-D tensor, got 2/],
    ['roll: a fractional shift', () => m(2, 3).roll(0.5, 0), ValueError, /^roll: shifts must be an integer, got 0\.5/],
    ['tile: a negative rep', () => m(2).tile([-1]), ValueError, /^tile: reps must be an integer >= 0, got -1/],
    ['tile: reps not an array', () => m(2).tile(2 as unknown as number[]), ValueError, /^tile: reps must be an array of integers, got number/],
    ['unbind: a 0-d tensor', () => sd.tensor(1).unbind(), ShapeError, /^unbind: cannot unbind a 0-d tensor/],
    ['movedim: lists of different lengths', () => m(2, 3).movedim([0, 1], [1]), ValueError, /^movedim: source and destination must have the same number of dims, got 2 and 1/],
    ['movedim: a repeated source', () => m(2, 3).movedim([0, 0], [0, 1]), ValueError, /^movedim: source dims must be distinct, got \[0, 0\]/],
    ['moveaxis: a destination out of range', () => m(2, 3).moveaxis(0, 3), ValueError, /^moveaxis: destination must be an integer in \[-2, 1\] for a 2-D tensor, got 3/],
    ['swapaxes: an axis out of range', () => m(2, 3).swapaxes(0, 2), ValueError, /^swapaxes: axis1 must be an integer in \[-2, 1\]/],
    ['swapdims: an axis out of range', () => m(2, 3).swapdims(-3, 0), ValueError, /^swapdims: dim0 must be an integer in \[-2, 1\]/],
    ['unflatten: sizes that do not multiply to the dim', () => m(2, 6).unflatten(1, [4, 2]), ShapeError, /^unflatten: sizes \[4, 2\] do not multiply to the size 6 of dim 1 \(input shape \[2, 6\]\)/],
    ['unflatten: two -1 sizes', () => m(2, 6).unflatten(1, [-1, -1]), ValueError, /^unflatten: only one size can be -1, got \[-1, -1\]/],
    ['unflatten: -1 that does not divide', () => m(2, 6).unflatten(1, [-1, 4]), ShapeError, /^unflatten: sizes \[-1, 4\] do not multiply to the size 6/],
    ['unflatten: empty sizes', () => m(2, 6).unflatten(1, []), ValueError, /^unflatten: sizes must be a non-empty array of integers, got \[\]/],
    ['broadcastTo: a dim that is not 1', () => m(2, 3).broadcastTo([4, 3]), ShapeError, /^broadcastTo: cannot broadcast shape \[2, 3\] to \[4, 3\]: dim 0 has size 2, which is neither 4 nor 1/],
    ['broadcastTo: too few dims', () => m(2, 3).broadcastTo([3]), ShapeError, /^broadcastTo: shape \[3\] must have at least 2 dims \(input shape \[2, 3\]\)/],
    ['broadcastTo: -1 for a new dim', () => m(3).broadcastTo([-1, 3]), ValueError, /^broadcastTo: shape must be an integer >= 0, got -1/],
    ['rot90: a 1-D tensor', () => m(3).rot90(), ShapeError, /^rot90: expects at least 2 dims, got shape \[3\]/],
    ['rot90: equal dims', () => m(2, 2).rot90(1, [1, 1]), ValueError, /^rot90: dims must be different, got \[1, 1\]/],
    ['rot90: three dims', () => m(2, 2, 2).rot90(1, [0, 1, 2]), ValueError, /^rot90: dims must list two dims, got \[0,1,2\]/],
    ['hstack: an empty list', () => sd.hstack([]), ValueError, /^hstack: expected a non-empty array of tensors/],
    ['vstack: rows of different lengths', () => sd.vstack([m(3), m(2)]), ShapeError, /^vstack: tensors\[1\] \(as shape \[1, 2\]\) does not match tensors\[0\] \(as shape \[1, 3\]\) outside dim 0/],
    ['hstack: matrices of different heights', () => sd.hstack([m(2, 1), m(3, 1)]), ShapeError, /^hstack: tensors\[1\] \(as shape \[3, 1\]\) does not match tensors\[0\] \(as shape \[2, 1\]\) outside dim 1/],
    ['dstack: not a tensor', () => sd.dstack([m(2), 3 as unknown as sd.Tensor]), ValueError, /^dstack: tensors\[1\] must be a Tensor, got number/],
    ['columnStack: columns of different lengths', () => sd.columnStack([m(3), m(2)]), ShapeError, /^columnStack: tensors\[1\] \(as shape \[2, 1\]\) does not match/],
    ['meshgrid: a 2-D tensor', () => sd.meshgrid([m(2), m(2, 2)]), ShapeError, /^meshgrid: tensors\[1\] must be 0-D or 1-D, got shape \[2, 2\]/],
    ['meshgrid: a bad indexing', () => sd.meshgrid([m(2)], { indexing: 'yx' as 'xy' }), ValueError, /^meshgrid: indexing must be 'ij' or 'xy', got "yx"/],
    ['meshgrid: mixed dtypes', () => sd.meshgrid([m(2), sd.ones([2])]), ValueError, /^meshgrid: every tensor must have the same dtype: tensors\[1\] is float32, tensors\[0\] is float64/],
  ]);
});
