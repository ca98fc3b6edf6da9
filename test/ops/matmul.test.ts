import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ShapeError, ValueError } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('matmul', {
  matmul: ([a, b]) => a.matmul(b),
  mm: ([a, b]) => sd.mm(a, b),
  bmm: ([a, b]) => a.bmm(b),
  mv: ([a, b]) => a.mv(b),
  dot: ([a, b]) => sd.dot(a, b),
  outer: ([a, b]) => a.outer(b),
});

const z = (...shape: number[]) => sd.zeros(shape, { dtype: 'float64' });

describe('matmul: values beyond the fixtures', () => {
  test('a product large enough to cross the kernel blocks matches a plain triple loop', () => {
    const M = 9;
    const K = 150;
    const N = 530;
    const a = sd.arange(0, M * K, 1, { dtype: 'float64' }).reshape([M, K]).div(M * K);
    const b = sd.arange(0, K * N, 1, { dtype: 'float64' }).reshape([K, N]).sin();
    const got = a.matmul(b).toTypedArray();
    const av = a.toTypedArray();
    const bv = b.toTypedArray();
    for (const [i, j] of [[0, 0], [3, 129], [8, 529], [5, 512], [7, 300]]) {
      let s = 0;
      for (let k = 0; k < K; k++) s += av[i * K + k] * bv[k * N + j];
      assert.ok(Math.abs(got[i * N + j] - s) < 1e-9, `C[${i}][${j}] = ${got[i * N + j]}, expected ${s}`);
    }
  });
  test('dot of two 1-D tensors is 0-d; int32 stays int32', () => {
    const d = sd.dot(sd.tensor([1, 2, 3], { dtype: 'int32' }), sd.tensor([4, 5, 6], { dtype: 'int32' }));
    assert.deepEqual([...d.shape], []);
    assert.equal(d.dtype, 'int32');
    assert.equal(d.item(), 32);
  });
});

describe('matmul: bad input', () => {
  test('inner dimensions differ', () => {
    assert.throws(() => z(2, 3).matmul(z(4, 5)), (e) => e instanceof ShapeError && e.message === 'matmul: inner dimensions differ: a is [2, 3], b is [4, 5]');
    assert.throws(() => z(3).matmul(z(4)), (e) => e instanceof ShapeError && /^matmul: inner dimensions differ: a is \[3\], b is \[4\]/.test(e.message));
    assert.throws(() => z(2, 3).mm(z(2, 3)), (e) => e instanceof ShapeError && /^mm: inner dimensions differ: a is \[2, 3\], b is \[2, 3\]/.test(e.message));
    assert.throws(() => z(2, 3).mv(z(2)), (e) => e instanceof ShapeError && /^mv: inner dimensions differ: a is \[2, 3\], b is \[2\]/.test(e.message));
    assert.throws(() => z(2, 2, 3).bmm(z(2, 2, 3)), (e) => e instanceof ShapeError && /^bmm: inner dimensions differ: a is \[2, 2, 3\], b is \[2, 2, 3\]/.test(e.message));
  });
  test('batch dims that do not broadcast', () => {
    assert.throws(() => z(2, 3, 4).matmul(z(3, 4, 5)), (e) => e instanceof ShapeError && /^matmul: shapes \[2\] and \[3\] cannot be broadcast together/.test(e.message));
    assert.throws(() => z(2, 3, 4).bmm(z(3, 4, 5)), (e) => e instanceof ShapeError && /^bmm: batch sizes differ: a is \[2, 3, 4\], b is \[3, 4, 5\]/.test(e.message));
  });
  test('0-d operands and wrong ranks', () => {
    assert.throws(() => z().matmul(z(3)), (e) => e instanceof ShapeError && /^matmul: both arguments must be at least 1-D, got shapes \[\] and \[3\]/.test(e.message));
    assert.throws(() => z(3).mm(z(3, 2)), (e) => e instanceof ShapeError && /^mm: both arguments must be 2-D, got \[3\] and \[3, 2\]/.test(e.message));
    assert.throws(() => z(2, 3).bmm(z(3, 2)), (e) => e instanceof ShapeError && /^bmm: both arguments must be 3-D, got \[2, 3\] and \[3, 2\]/.test(e.message));
    assert.throws(() => z(2, 3).mv(z(3, 1)), (e) => e instanceof ShapeError && /^mv: expected a 2-D matrix and a 1-D vector, got \[2, 3\] and \[3, 1\]/.test(e.message));
    assert.throws(() => z(2, 3).dot(z(3)), (e) => e instanceof ShapeError && /^dot: both arguments must be 1-D, got \[2, 3\] and \[3\]/.test(e.message));
    assert.throws(() => z(2).dot(z(3)), (e) => e instanceof ShapeError && /^dot: lengths differ: a is \[2\], b is \[3\]/.test(e.message));
    assert.throws(() => z(2, 1).outer(z(3)), (e) => e instanceof ShapeError && /^outer: both arguments must be 1-D, got \[2, 1\] and \[3\]/.test(e.message));
  });
  test('mixed or bool dtypes, non-tensor arguments', () => {
    assert.throws(() => z(2, 3).matmul(sd.zeros([3, 2], { dtype: 'int32' })), (e) => e instanceof DTypeError && /^matmul: a and b must have the same dtype, got float64 and int32/.test(e.message));
    assert.throws(() => sd.zeros([2, 2], { dtype: 'bool' }).mm(sd.zeros([2, 2], { dtype: 'bool' })), (e) => e instanceof DTypeError && /^mm: bool tensors cannot be multiplied/.test(e.message));
    assert.throws(() => sd.matmul(z(2, 2), [[1, 0], [0, 1]] as unknown as sd.Tensor), (e) => e instanceof ValueError && /^matmul: b must be a Tensor, got an array/.test(e.message));
  });
});

// Bad inputs: each raises the typed error whose message names the op, the argument, what was expected and what was got.
{
  const z = (s: number[], dtype: sd.DType = 'float64') => sd.zeros(s, { dtype });
  checkErrors('matmul', [
    ['matmul: inner dims differ', () => sd.matmul(z([2, 3]), z([4, 5])), sd.ShapeError, /^matmul: inner dimensions differ: a is \[2, 3\], b is \[4, 5\]$/],
    ['matmul: 0-d operand', () => sd.matmul(z([]), z([2])), sd.ShapeError, /^matmul: both arguments must be at least 1-D, got shapes \[\] and \[2\]$/],
    ['matmul: batch dims do not broadcast', () => sd.matmul(z([2, 2, 3]), z([3, 3, 4])), sd.ShapeError, /^matmul: shapes \[2\] and \[3\] cannot be broadcast together \(dim -1: 2 vs 3\)$/],
    ['matmul: dtypes differ', () => sd.matmul(z([2, 3]), z([3, 2], 'float32')), sd.DTypeError, /^matmul: a and b must have the same dtype, got float64 and float32$/],
    ['matmul: null', () => sd.matmul(null as never, z([2])), sd.ValueError, /^matmul: a must be a Tensor, got null$/],
    ['mm: 3-D operand', () => sd.mm(z([2, 2, 3]), z([3, 2])), sd.ShapeError, /^mm: both arguments must be 2-D, got \[2, 2, 3\] and \[3, 2\]$/],
    ['mm: number operand', () => sd.mm(z([2, 2]), 3 as never), sd.ValueError, /^mm: b must be a Tensor, got number$/],
    ['bmm: 2-D operands', () => sd.bmm(z([2, 3]), z([3, 2])), sd.ShapeError, /^bmm: both arguments must be 3-D, got \[2, 3\] and \[3, 2\]$/],
    ['bmm: batch sizes differ', () => sd.bmm(z([2, 2, 3]), z([3, 3, 2])), sd.ShapeError, /^bmm: batch sizes differ: a is \[2, 2, 3\], b is \[3, 3, 2\]$/],
    ['mv: 2-D vector', () => sd.mv(z([2, 3]), z([3, 1])), sd.ShapeError, /^mv: expected a 2-D matrix and a 1-D vector, got \[2, 3\] and \[3, 1\]$/],
    ['mv: sizes differ', () => sd.mv(z([2, 3]), z([4])), sd.ShapeError, /^mv: inner dimensions differ: a is \[2, 3\], b is \[4\]$/],
    ['dot: lengths differ', () => sd.dot(z([3]), z([4])), sd.ShapeError, /^dot: lengths differ: a is \[3\], b is \[4\]$/],
    ['dot: 2-D operand', () => sd.dot(z([3, 1]), z([3])), sd.ShapeError, /^dot: both arguments must be 1-D, got \[3, 1\] and \[3\]$/],
    ['outer: 2-D operand', () => sd.outer(z([3, 1]), z([3])), sd.ShapeError, /^outer: both arguments must be 1-D, got \[3, 1\] and \[3\]$/],
    ['linear: in-features differ', () => sd.F.linear(z([2, 3]), z([4, 2])), sd.ShapeError, /^linear: input \[2, 3\] must end with the weight's in-features 2 \(weight \[4, 2\]\)$/],
    ['linear: bias shape', () => sd.F.linear(z([2, 3]), z([4, 3]), z([3])), sd.ShapeError, /^linear: bias must have shape \[4\], got \[3\]$/],
  ]);
}
