import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, LinAlgError, ShapeError, ValueError, linalg } from '../../src/index.js';
import { checkFixtures, maxDiff, randn } from './helpers.js';

checkFixtures('matfn', {
  matrix_power: ([a], args) => [linalg.matrixPower(a, args.n)],
  matrix_exp: ([a]) => [linalg.matrixExp(a)],
  multi_dot: (ts) => [linalg.multiDot(ts)],
});

describe('linalg.matrixExp / matrixPower / multiDot: identities', () => {
  test('exp(A) exp(-A) = I and exp of a diagonal matrix is elementwise, across every Padé degree', () => {
    sd.manualSeed(31);
    for (const s of [1e-4, 0.05, 0.3, 1, 8]) {
      const A = sd.mul(randn([4, 4]), s);
      const I = linalg.matrixExp(A).matmul(linalg.matrixExp(sd.neg(A)));
      assert.ok(maxDiff(I, sd.eye(4, 4, { dtype: 'float64' })) < 1e-11 * Math.exp(4 * s), `scale ${s}`);
    }
    const D = sd.tensor([[1.5, 0], [0, -20]], { dtype: 'float64' });
    const E = linalg.matrixExp(D).toTypedArray();
    assert.ok(Math.abs(E[0] - Math.exp(1.5)) < 1e-15 * Math.exp(1.5) * 4 && Math.abs(E[3] - Math.exp(-20)) < 1e-15);
  });
  test('matrixPower(A, -2) inverts A^2; a singular A with a negative power is a LinAlgError', () => {
    sd.manualSeed(32);
    const A = sd.add(randn([3, 3]), sd.mul(sd.eye(3, 3, { dtype: 'float64' }), 3));
    assert.ok(maxDiff(linalg.matrixPower(A, -2).matmul(A.matmul(A)), sd.eye(3, 3, { dtype: 'float64' })) < 1e-13);
    assert.throws(() => linalg.matrixPower(sd.zeros([2, 2], { dtype: 'float64' }), -1), LinAlgError);
  });
  test('multiDot equals the left-to-right product in any order it picks', () => {
    sd.manualSeed(33);
    const ms = [randn([5, 1]), randn([1, 6]), randn([6, 2]), randn([2, 7])];
    assert.ok(maxDiff(linalg.multiDot(ms), ms[0].matmul(ms[1]).matmul(ms[2]).matmul(ms[3])) < 1e-13);
  });
});

describe('linalg matrix functions: bad inputs are typed errors', () => {
  const A = sd.tensor([[1, 2], [3, 4]], { dtype: 'float64' });
  const cases: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['matrixPower with a fractional n', () => linalg.matrixPower(A, 1.5), ValueError, /^matrixPower: n must be an integer, got 1\.5$/],
    ['matrixPower of a non-square matrix', () => linalg.matrixPower(sd.zeros([2, 3], { dtype: 'float64' }), 2), ShapeError, /^matrixPower: A must be a square matrix/],
    ['matrixExp of an int matrix', () => linalg.matrixExp(sd.tensor([[1]], { dtype: 'int32' })), DTypeError, /^matrixExp: A must be a float32 or float64 tensor/],
    ['multiDot of one tensor', () => linalg.multiDot([A]), ValueError, /^multiDot: expected a list of at least 2 tensors, got 1$/],
    ['multiDot with a 3-D tensor', () => linalg.multiDot([A, sd.zeros([2, 2, 2], { dtype: 'float64' })]), ShapeError, /^multiDot: tensors\[1\] must be 2-D or 1-D, got shape \[2, 2, 2\]$/],
    ['multiDot with a vector in the middle', () => linalg.multiDot([A, sd.zeros([2], { dtype: 'float64' }), A]), ShapeError, /^multiDot: tensors\[1\] must be 2-D, got shape \[2\]$/],
    ['multiDot with mismatched sizes', () => linalg.multiDot([A, sd.zeros([3, 2], { dtype: 'float64' })]), ShapeError, /^multiDot: tensors\[0\] \[2, 2\] and tensors\[1\] \[3, 2\] cannot be multiplied$/],
    ['multiDot with mixed dtypes', () => linalg.multiDot([A, sd.zeros([2, 2], { dtype: 'float32' })]), DTypeError, /^multiDot: tensors\[0\] and tensors\[1\] must have the same dtype/],
  ];
  for (const [name, fn, cls, re] of cases) test(name, () => assert.throws(fn, (e: unknown) => e instanceof cls && re.test((e as Error).message)));
});
