import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ShapeError, ValueError } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('movement', {
  reshape: ([a], o) => a.reshape(o.shape),
  transpose_reshape: ([a], o) => a.t().reshape(o.shape),
  permute_reshape: ([a], o) => a.permute(o.dims).reshape(o.shape),
  expand_reshape: ([a], o) => a.expand(o.size).reshape(o.shape),
  view: ([a], o) => a.contiguous().view(o.shape),
  narrow_view: ([a], o) => a.contiguous().narrow(0, 1, 2).view(o.shape),
  flatten: ([a], o) => sd.flatten(a, o.startDim, o.endDim),
  squeeze: ([a], o) => a.squeeze(o.dim),
  unsqueeze: ([a], o) => a.unsqueeze(o.dim),
  transpose: ([a], o) => a.transpose(o.dim0, o.dim1),
  permute: ([a], o) => a.permute(o.dims),
  t: ([a]) => a.t(),
  mT: ([a]) => a.mT,
  expand: ([a], o) => a.expand(o.size),
  expand_add: ([a, b], o) => a.expand(o.size).add(b),
  expandAs: ([a, b]) => a.expandAs(b),
  repeat: ([a], o) => a.repeat(o.reps),
  cat: (xs, o) => sd.cat(xs, o.dim),
  stack: (xs, o) => sd.stack(xs, o.dim),
  split: ([a], o) => a.split(o.size, o.dim),
  chunk: ([a], o) => a.chunk(o.chunks, o.dim),
  narrow: ([a], o) => a.narrow(o.dim, o.start, o.length),
  flip: ([a], o) => a.flip(o.dims),
  contiguous: ([a]) => a.contiguous(),
  transpose_contiguous: ([a]) => a.t().contiguous(),
  clone: ([a]) => a.clone(),
  detach: ([a]) => a.detach(),
  detach_expr: ([a]) => a.mul(2).add(a.detach().mul(a.detach())),
  to: ([a], o) => a.to(o.dtype),
  to_same: ([a]) => a.to(a.dtype),
  float: ([a]) => a.float(),
  double: ([a]) => a.double(),
});

const m = (rows: number, cols: number) => sd.arange(0, rows * cols, 1, { dtype: 'float64' }).reshape([rows, cols]);

describe('movement: views share storage, copies do not', () => {
  const viewOps: [string, (x: sd.Tensor) => sd.Tensor][] = [
    ['reshape of a contiguous tensor', (x) => x.reshape([3, 2])],
    ['view', (x) => x.view([6])],
    ['flatten', (x) => x.flatten()],
    ['squeeze', (x) => x.unsqueeze(0).squeeze(0)],
    ['transpose', (x) => x.transpose(0, 1)],
    ['permute', (x) => x.permute([1, 0])],
    ['expand', (x) => x.unsqueeze(0).expand([2, 2, 3])],
    ['narrow', (x) => x.narrow(1, 1, 2)],
    ['split piece', (x) => x.split(1, 0)[1]],
    ['detach', (x) => x.detach()],
  ];
  for (const [name, f] of viewOps) {
    test(`${name} is a view`, () => {
      const x = m(2, 3);
      const y = f(x);
      assert.equal(y.storage, x.storage);
    });
  }
  test('squeeze and unsqueeze of a non-contiguous tensor are views', () => {
    const x = m(2, 3).t();
    assert.equal(x.unsqueeze(1).storage, x.storage);
    assert.equal(x.unsqueeze(1).squeeze(1).storage, x.storage);
    assert.deepEqual(x.unsqueeze(1).toArray(), [[[0, 3]], [[1, 4]], [[2, 5]]]);
    // writing through the view changes the base, as in PyTorch
    sd.noGrad(() => x.unsqueeze(0).squeeze().fill_(7));
    assert.deepEqual(x.toArray(), [[7, 7], [7, 7], [7, 7]]);
  });
  test('view and reshape of a non-contiguous tensor are views when the strides allow it, as PyTorch', () => {
    const x = m(4, 3).narrow(1, 0, 2); // shape [4, 2], strides [3, 1]
    const v = x.view([2, 2, 2]);
    assert.equal(v.storage, x.storage);
    assert.deepEqual([...v.strides], [6, 3, 1]);
    assert.deepEqual(v.toArray(), [[[0, 1], [3, 4]], [[6, 7], [9, 10]]]);
    assert.equal(x.reshape([2, 4]).storage === x.storage, false);
    assert.deepEqual(x.reshape([2, 4]).toArray(), [[0, 1, 3, 4], [6, 7, 9, 10]]);
    assert.throws(() => x.view([8]), ShapeError);
    const y = sd.zeros([2, 3, 4]).permute([1, 0, 2]); // [3, 2, 4], strides [4, 12, 1]
    assert.equal(y.reshape([3, 2, 2, 2]).storage, y.storage);
    assert.equal(y.view([3, 1, 2, 4, 1]).storage, y.storage);
  });
  test('flatten of a non-contiguous tensor copies; flatten of a transposed size-1 dim is a view', () => {
    const x = m(2, 3).t();
    const f = x.flatten();
    assert.notEqual(f.storage, x.storage);
    assert.deepEqual(f.toArray(), [0, 3, 1, 4, 2, 5]);
    const y = m(1, 3).t(); // [3, 1]: row-major as far as a reshape cares
    assert.equal(y.flatten().storage, y.storage);
  });
  test('clone, repeat, flip and contiguous of a transposed tensor copy', () => {
    const x = m(2, 3);
    assert.notEqual(x.clone().storage, x.storage);
    assert.notEqual(x.repeat([1, 1]).storage, x.storage);
    assert.notEqual(x.flip(0).storage, x.storage);
    assert.equal(x.contiguous(), x);
    const tx = x.t();
    assert.notEqual(tx.contiguous().storage, x.storage);
    assert.ok(tx.contiguous().isContiguous());
    assert.ok(!tx.isContiguous());
  });
  test('to the same dtype returns the tensor itself; other dtypes copy', () => {
    const x = m(2, 3);
    assert.equal(x.to('float64'), x);
    assert.notEqual(x.to('float32').storage, x.storage);
    assert.deepEqual(sd.tensor([1.9, -1.9]).int().toArray(), [1, -1]);
  });
  test('detach cuts the graph; clone keeps it', () => {
    const x = m(2, 3).requiresGrad_();
    assert.equal(x.detach().requiresGrad, false);
    assert.equal(x.detach().gradFn, null);
    assert.equal(x.clone().requiresGrad, true);
    assert.equal(x.to('int32').requiresGrad, false);
  });
  test('split and chunk piece counts follow PyTorch', () => {
    assert.deepEqual(sd.arange(7).chunk(3).map((p) => p.shape[0]), [3, 3, 1]);
    assert.deepEqual(sd.arange(6).chunk(4).map((p) => p.shape[0]), [2, 2, 2]);
    assert.deepEqual(sd.arange(5).split([2, 0, 3]).map((p) => p.shape[0]), [2, 0, 3]);
    assert.deepEqual(sd.zeros([0]).chunk(3).map((p) => p.shape[0]), [0, 0, 0]);
    assert.deepEqual(sd.zeros([0]).split(2).map((p) => p.shape[0]), [0]);
  });
});

describe('movement: bad input', () => {
  test('reshape to a wrong element count', () => {
    assert.throws(() => m(2, 3).reshape([4, 2]), { name: 'ShapeError', message: /^reshape: .*shape \[2, 3\] \(6 elements\) into \[4, 2\] \(8 elements\)/ });
    assert.throws(() => m(2, 3).reshape([4, -1]), { name: 'ShapeError', message: /^reshape: .*\[2, 3\] \(6 elements\) into \[4, -1\]/ });
    assert.throws(() => m(2, 3).reshape([-1, -1]), (e) => e instanceof ValueError && /^reshape: only one dimension can be -1, got \[-1, -1\]/.test(e.message));
    assert.throws(() => m(2, 3).reshape([2, -3]), (e) => e instanceof ValueError && /^reshape: .*got \[2, -3\]/.test(e.message));
    assert.throws(() => sd.zeros([0, 3]).reshape([0, -1]), ShapeError);
  });
  test('view of a non-contiguous tensor', () => {
    assert.throws(() => m(2, 3).t().view([6]), (e) => e instanceof ShapeError && /^view: the tensor's strides do not allow shape \[6\] without a copy \(shape \[3, 2\], strides \[1, 3\], not contiguous\); use reshape\(\)/.test(e.message));
  });
  test('flatten with start after end', () => {
    assert.throws(() => m(2, 3).flatten(1, 0), (e) => e instanceof ValueError && /^flatten: startDim \(1\) must not come after endDim \(0\)/.test(e.message));
  });
  test('dims out of range', () => {
    assert.throws(() => m(2, 3).squeeze(2), (e) => e instanceof ValueError && /^squeeze: dim must be an integer in \[-2, 1\] for a 2-D tensor, got 2/.test(e.message));
    assert.throws(() => m(2, 3).unsqueeze(3), (e) => e instanceof ValueError && /^unsqueeze: dim .*\[-3, 2\].*got 3/.test(e.message));
    assert.throws(() => m(2, 3).transpose(0, 2), (e) => e instanceof ValueError && /^transpose: dim1 .*got 2/.test(e.message));
    assert.throws(() => m(2, 3).flip(5), (e) => e instanceof ValueError && /^flip: dim .*got 5/.test(e.message));
  });
  test('permute with a wrong or repeated dim list', () => {
    assert.throws(() => m(2, 3).permute([0]), (e) => e instanceof ShapeError && /^permute: dims must list all 2 dims of a tensor of shape \[2, 3\], got \[0\]/.test(e.message));
    assert.throws(() => m(2, 3).permute([1, 1]), (e) => e instanceof ValueError && /^permute: dims must be a permutation, got \[1, 1\]/.test(e.message));
  });
  test('t and mT of the wrong rank', () => {
    assert.throws(() => sd.zeros([2, 3, 4]).t(), (e) => e instanceof ShapeError && /^t: .*at most 2 dims, got shape \[2, 3, 4\]/.test(e.message));
    assert.throws(() => sd.zeros([3]).mT, (e) => e instanceof ShapeError && /^mT: expects at least 2 dims, got shape \[3\]/.test(e.message));
  });
  test('expand of a non-1 dim, or to fewer dims', () => {
    assert.throws(() => m(2, 3).expand([4, 3]), (e) => e instanceof ShapeError && /^expand: cannot expand shape \[2, 3\] to \[4, 3\]: dim 0 has size 2/.test(e.message));
    assert.throws(() => m(2, 3).expand([3]), (e) => e instanceof ShapeError && /^expand: the target shape \[3\] must have at least 2 dims/.test(e.message));
    assert.throws(() => m(2, 3).expand([-1, 2, 3]), (e) => e instanceof ValueError && /^expand: -1 is not allowed for a new leading dim \(dim 0\)/.test(e.message));
  });
  test('repeat with too few or negative counts', () => {
    assert.throws(() => m(2, 3).repeat([2]), (e) => e instanceof ShapeError && /^repeat: need at least 2 repeat counts for shape \[2, 3\], got \[2\]/.test(e.message));
    assert.throws(() => m(2, 3).repeat([1, -1]), (e) => e instanceof ValueError && /^repeat: reps must be an integer >= 0, got -1/.test(e.message));
  });
  test('cat of mismatched shapes, empty lists and 0-d tensors', () => {
    assert.throws(() => sd.cat([m(2, 3), m(2, 2)], 0), (e) => e instanceof ShapeError && /^cat: tensors\[1\] has shape \[2, 2\], which does not match tensors\[0\] \[2, 3\] outside dim 0/.test(e.message));
    assert.throws(() => sd.cat([m(2, 3), sd.zeros([6])]), (e) => e instanceof ShapeError && /^cat: tensors\[1\] has shape \[6\]/.test(e.message));
    assert.throws(() => sd.cat([]), (e) => e instanceof ValueError && /^cat: expected a non-empty array of tensors/.test(e.message));
    assert.throws(() => sd.cat([sd.tensor(1), sd.tensor(2)]), (e) => e instanceof ShapeError && /^cat: zero-dimensional tensors cannot be concatenated/.test(e.message));
    assert.throws(() => sd.cat([m(2, 3), m(2, 3)], 2), (e) => e instanceof ValueError && /^cat: dim .*got 2/.test(e.message));
  });
  test('stack of different shapes', () => {
    assert.throws(() => sd.stack([m(2, 3), m(3, 2)]), (e) => e instanceof ShapeError && /^stack: every tensor must have the same shape: tensors\[1\] is \[3, 2\], tensors\[0\] is \[2, 3\]/.test(e.message));
  });
  test('split sections that do not add up, chunk of zero pieces', () => {
    assert.throws(() => m(2, 5).split([2, 2], 1), (e) => e instanceof ShapeError && /^split: sections \[2, 2\] sum to 4, but dim 1 has size 5/.test(e.message));
    assert.throws(() => m(2, 5).split(0), (e) => e instanceof ValueError && /^split: splitSize must be an integer >= 1, got 0/.test(e.message));
    assert.throws(() => m(2, 5).chunk(0), (e) => e instanceof ValueError && /^chunk: chunks must be an integer >= 1, got 0/.test(e.message));
  });
  test('split, chunk and narrow of a 0-d tensor', () => {
    assert.throws(() => sd.tensor(1).split(1), (e) => e instanceof ShapeError && /^split: expects a tensor with at least 1 dim, got shape \[\]/.test(e.message));
    assert.throws(() => sd.tensor(1).chunk(2), (e) => e instanceof ShapeError && /^chunk: expects a tensor with at least 1 dim, got shape \[\]/.test(e.message));
    assert.throws(() => sd.tensor(1).narrow(0, 0, 1), (e) => e instanceof ShapeError && /^narrow: cannot narrow a 0-d tensor/.test(e.message));
  });
  test('narrow past the end', () => {
    assert.throws(() => m(2, 5).narrow(1, 3, 3), (e) => e instanceof ValueError && /^narrow: start 3 and length 3 exceed dim 1 of size 5/.test(e.message));
    assert.throws(() => m(2, 5).narrow(1, -6, 1), (e) => e instanceof ValueError && /^narrow: start -6 and length 1 exceed dim 1 of size 5/.test(e.message));
  });
  test('flip with a repeated dim, to an unknown dtype, a non-tensor input', () => {
    assert.throws(() => m(2, 3).flip([0, -2]), (e) => e instanceof ValueError && /^flip: dims must be distinct, got \[0, 0\]/.test(e.message));
    assert.throws(() => m(2, 3).to('int64' as sd.DType), (e) => e instanceof DTypeError && /^to: unknown dtype "int64"/.test(e.message));
    assert.throws(() => sd.reshape([1, 2] as unknown as sd.Tensor, [2]), (e) => e instanceof ValueError && /^reshape: input must be a Tensor, got an array/.test(e.message));
  });
});

// Bad inputs: each raises the typed error whose message names the op, the argument, what was expected and what was got.
{
  const z = (s: number[], dtype: sd.DType = 'float64') => sd.zeros(s, { dtype });
  checkErrors('movement', [
    ['reshape: element count', () => sd.reshape(z([2, 3]), [4, 2]), sd.ShapeError, /^reshape: cannot reshape a tensor of shape \[2, 3\] \(6 elements\) into \[4, 2\] \(8 elements\)$/],
    ['reshape: two -1', () => sd.reshape(z([2, 3]), [-1, -1]), sd.ValueError, /^reshape: only one dimension can be -1, got \[-1, -1\]$/],
    ['reshape: fractional size', () => sd.reshape(z([2]), [0.5, 4]), sd.ValueError, /^reshape: shape must hold integers >= 0 \(or one -1\), got \[0\.5, 4\]$/],
    ['reshape: shape not an array', () => sd.reshape(z([2]), 2 as never), sd.ValueError, /^reshape: shape must be an array of integers, got number$/],
    ['view: strides do not allow it', () => sd.view(sd.transpose(z([2, 3]), 0, 1), [6]), sd.ShapeError, /^view: the tensor's strides do not allow shape \[6\] without a copy \(shape \[3, 2\], strides \[1, 3\], not contiguous\); use reshape\(\), which copies when needed$/],
    ['flatten: startDim after endDim', () => sd.flatten(z([2, 3, 4]), 2, 1), sd.ValueError, /^flatten: startDim \(2\) must not come after endDim \(1\)$/],
    ['squeeze: dim out of range', () => sd.squeeze(z([2, 1]), 3), sd.ValueError, /^squeeze: dim must be an integer in \[-2, 1\] for a 2-D tensor, got 3$/],
    ['unsqueeze: dim out of range', () => sd.unsqueeze(z([2]), 3), sd.ValueError, /^unsqueeze: dim must be an integer in \[-2, 1\] for a 2-D tensor, got 3$/],
    ['permute: not a permutation', () => sd.permute(z([2, 3]), [0, 0]), sd.ValueError, /^permute: dims must be a permutation, got \[0, 0\]$/],
    ['permute: too few dims', () => sd.permute(z([2, 3]), [0]), sd.ShapeError, /^permute: dims must list all 2 dims of a tensor of shape \[2, 3\], got \[0\]$/],
    ['transpose: dim out of range', () => sd.transpose(z([2, 3]), 0, 2), sd.ValueError, /^transpose: dim1 must be an integer in \[-2, 1\] for a 2-D tensor, got 2$/],
    ['t: 3-D input', () => sd.t(z([2, 3, 4])), sd.ShapeError, /^t: expects a tensor with at most 2 dims, got shape \[2, 3, 4\]; use transpose or mT$/],
    ['mT: 1-D input', () => sd.mT(z([2])), sd.ShapeError, /^mT: expects at least 2 dims, got shape \[2\]$/],
    ['expand: non-1 dim', () => sd.expand(z([2, 3]), [4, 3]), sd.ShapeError, /^expand: cannot expand shape \[2, 3\] to \[4, 3\]: dim 0 has size 2, which is not 1$/],
    ['expand: fewer dims', () => sd.expand(z([2, 3]), [3]), sd.ShapeError, /^expand: the target shape \[3\] must have at least 2 dims \(input shape \[2, 3\]\)$/],
    ['repeat: too few counts', () => sd.repeat(z([2, 3]), [2]), sd.ShapeError, /^repeat: need at least 2 repeat counts for shape \[2, 3\], got \[2\]$/],
    ['cat: empty list', () => sd.cat([]), sd.ValueError, /^cat: expected a non-empty array of tensors$/],
    ['cat: shapes differ outside dim', () => sd.cat([z([2, 3]), z([2, 4])], 0), sd.ShapeError, /^cat: tensors\[1\] has shape \[2, 4\], which does not match tensors\[0\] \[2, 3\] outside dim 0$/],
    ['cat: null member', () => sd.cat([z([2]), null as never]), sd.ValueError, /^cat: tensors\[1\] must be a Tensor, got null$/],
    ['stack: shapes differ', () => sd.stack([z([2, 3]), z([3, 2])]), sd.ShapeError, /^stack: every tensor must have the same shape: tensors\[1\] is \[3, 2\], tensors\[0\] is \[2, 3\]$/],
    ['narrow: past the end', () => sd.narrow(z([4]), 0, 2, 3), sd.ValueError, /^narrow: start 2 and length 3 exceed dim 0 of size 4$/],
    ['split: sections do not sum to the size', () => sd.split(z([5]), [2, 2]), sd.ShapeError, /^split: sections \[2, 2\] sum to 4, but dim 0 has size 5$/],
    ['chunk: zero chunks', () => sd.chunk(z([5]), 0), sd.ValueError, /^chunk: chunks must be an integer >= 1, got 0$/],
    ['flip: dim named twice', () => sd.flip(z([2, 3]), [0, 0]), sd.ValueError, /^flip: dims must be distinct, got \[0, 0\]$/],
    ['to: unknown dtype', () => sd.to(z([2]), 'int64' as never), sd.DTypeError, /^to: unknown dtype "int64", expected one of float32, float64, int32, bool$/],
    ['flip: dims a string', () => sd.flip(z([2]), 'a' as never), sd.ValueError, /^flip: dims must be an integer or an array of them, got "a"$/],
  ]);
}
