import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ShapeError, linalg } from '../../src/index.js';
import { checkFixtures, maxDiff, randn } from './helpers.js';

checkFixtures('lu', {
  lu_factor: ([a]) => {
    const r = linalg.luFactor(a);
    return [r.LU, r.pivots];
  },
  lu_factor_ex: ([a]) => {
    const r = linalg.luFactorEx(a);
    return [r.LU, r.pivots, r.info];
  },
  lu: ([a]) => {
    const r = linalg.lu(a);
    return [r.P, r.L, r.U];
  },
  lu_solve: ([LU, piv, b], args) => [linalg.luSolve(LU, piv, b, { left: args.left, adjoint: args.adjoint })],
});

describe('linalg.lu / luFactor / luSolve: identities', () => {
  test('A = P L U for tall, wide and batched matrices, float32 and float64', () => {
    sd.manualSeed(21);
    for (const dtype of ['float64', 'float32'] as const) {
      for (const shape of [[6, 4], [3, 7], [2, 5, 5]]) {
        const A = randn(shape, dtype);
        const { P, L, U } = linalg.lu(A);
        assert.equal(L.dtype, dtype);
        assert.ok(maxDiff(P.matmul(L).matmul(U), A) < (dtype === 'float64' ? 1e-14 : 1e-5), `${dtype} ${shape}`);
      }
    }
  });
  test('luSolve(luFactor(A), B) solves A X = B like solve, for non-contiguous A', () => {
    sd.manualSeed(22);
    const A = randn([5, 5]).mT;
    const B = randn([5, 3]);
    const { LU, pivots } = linalg.luFactor(A);
    assert.equal(pivots.dtype, 'int32');
    assert.ok(maxDiff(linalg.luSolve(LU, pivots, B), linalg.solve(A, B)) < 1e-13);
  });
  test('a singular matrix factors without throwing; luFactorEx reports the zero pivot; checkErrors throws', () => {
    const S = sd.tensor([[1, 2], [2, 4]], { dtype: 'float64' });
    const r = linalg.luFactorEx(S);
    assert.equal(r.info.item(), 2);
    assert.deepEqual(r.pivots.toArray(), [2, 2]);
    assert.throws(() => linalg.luFactorEx(S, { checkErrors: true }), (e: unknown) => e instanceof sd.LinAlgError && /luFactorEx: A is singular: U\[1\]\[1\] is exactly zero/.test((e as Error).message));
  });
});

describe('linalg.lu family: bad inputs are typed errors naming the op and the argument', () => {
  const A = sd.tensor([[2, 1], [1, 3]], { dtype: 'float64' });
  const { LU, pivots } = linalg.luFactor(A);
  const cases: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['lu of a vector', () => linalg.lu(sd.tensor([1, 2], { dtype: 'float64' })), ShapeError, /^lu: A must be a matrix or a batch of matrices with shape \[\.\.\., m, n\], got shape \[2\]$/],
    ['luFactor of an int tensor', () => linalg.luFactor(sd.tensor([[1, 2], [3, 4]], { dtype: 'int32' })), DTypeError, /^luFactor: A must be a float32 or float64 tensor, got dtype int32/],
    ['luSolve with float pivots', () => linalg.luSolve(LU, sd.tensor([1, 2], { dtype: 'float64' }), A), DTypeError, /^luSolve: pivots must be an int32 tensor \(from luFactor\), got dtype float64$/],
    ['luSolve with pivots of the wrong length', () => linalg.luSolve(LU, sd.tensor([1], { dtype: 'int32' }), A), ShapeError, /^luSolve: pivots must have shape \[2\] to match LU \[2, 2\], got \[1\]$/],
    ['luSolve with a pivot out of range', () => linalg.luSolve(LU, sd.tensor([3, 2], { dtype: 'int32' }), A), ShapeError, /^luSolve: pivots must be 1-based row indices in \[1, 2\], got 3/],
    ['luSolve with B of the wrong rows', () => linalg.luSolve(LU, pivots, sd.zeros([3, 1], { dtype: 'float64' })), ShapeError, /^luSolve: B must have 2 rows to match LU \[2, 2\], got shape \[3, 1\]$/],
    ['luSolve right with B of the wrong columns', () => linalg.luSolve(LU, pivots, sd.zeros([3, 1], { dtype: 'float64' }), { left: false }), ShapeError, /^luSolve: B must have 2 columns/],
    ['luSolve with mixed dtypes', () => linalg.luSolve(LU, pivots, sd.zeros([2, 1], { dtype: 'float32' })), DTypeError, /^luSolve: LU and B must have the same dtype, got float64 and float32$/],
    ['luSolve with a non-square LU', () => linalg.luSolve(sd.zeros([2, 3], { dtype: 'float64' }), pivots, A), ShapeError, /^luSolve: LU must be a square matrix/],
  ];
  for (const [name, fn, cls, re] of cases) test(name, () => assert.throws(fn, (e: unknown) => e instanceof cls && re.test((e as Error).message)));
});
