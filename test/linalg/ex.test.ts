import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, LinAlgError, ShapeError, linalg } from '../../src/index.js';
import { checkFixtures, maxDiff } from './helpers.js';

checkFixtures('ex', {
  solve_ex: ([a, b], args) => {
    const r = linalg.solveEx(a, b, { left: args.left });
    return [r.result, r.info];
  },
  solve_ex_info: ([a, b]) => [linalg.solveEx(a, b).info],
  inv_ex: ([a]) => {
    const r = linalg.invEx(a);
    return [r.inverse, r.info];
  },
  inv_ex_info: ([a]) => [linalg.invEx(a).info],
  cholesky_ex: ([a], args) => {
    const r = linalg.choleskyEx(a, { upper: args.upper });
    return [r.L, r.info];
  },
});

const t64 = (v: number[][] | number[][][]) => sd.tensor(v, { dtype: 'float64' });

describe('linalg.solveEx / invEx / choleskyEx: no throw on bad input, results where the input is fine', () => {
  test('a batch with a singular matrix: info names it, the other systems are solved, the singular one is inf/NaN', () => {
    const A = t64([[[1, 2], [2, 4]], [[3, 1], [1, 2]]]);
    const B = t64([[[1], [1]], [[5], [5]]]);
    const { result, info } = linalg.solveEx(A, B);
    assert.deepEqual(info.toArray(), [2, 0]);
    const x = result.toTypedArray();
    assert.ok(!Number.isFinite(x[0]) || !Number.isFinite(x[1]));
    assert.ok(Math.abs(x[2] - 1) < 1e-15 && Math.abs(x[3] - 2) < 1e-15);
    const inv = linalg.invEx(A);
    assert.deepEqual(inv.info.toArray(), [2, 0]);
    assert.ok(maxDiff(sd.select(inv.inverse, 0, 1).matmul(sd.select(A, 0, 1)), sd.eye(2, 2, { dtype: 'float64' })) < 1e-15);
  });
  test('checkErrors: true throws a LinAlgError naming the batch entry', () => {
    const A = t64([[[2, 0], [0, 2]], [[1, 2], [2, 4]]]);
    assert.throws(() => linalg.solveEx(A, t64([[1], [1]]), { checkErrors: true }), (e: unknown) => e instanceof LinAlgError && /^solveEx: A is singular: U\[1\]\[1\] = 0 in its LU factorization \(matrix 1 of the batch/.test((e as Error).message));
    assert.throws(() => linalg.invEx(A, { checkErrors: true }), (e: unknown) => e instanceof LinAlgError && /^invEx: A is singular/.test((e as Error).message));
    assert.throws(() => linalg.choleskyEx(t64([[1, 2], [2, 1]]), { checkErrors: true }), (e: unknown) => e instanceof LinAlgError && /^choleskyEx: A is not positive-definite: its leading minor of order 2 is not positive$/.test((e as Error).message));
  });
  test('gradients flow when every matrix is fine', () => {
    const A = t64([[4, 1], [1, 3]]).requiresGrad_();
    sd.sum(linalg.choleskyEx(A).L).backward();
    const A2 = t64([[4, 1], [1, 3]]).requiresGrad_();
    sd.sum(linalg.cholesky(A2)).backward();
    assert.deepEqual(A.grad!.toArray(), A2.grad!.toArray());
  });
});

describe('linalg *Ex: bad inputs are typed errors', () => {
  const cases: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['solveEx with a non-square A', () => linalg.solveEx(sd.zeros([2, 3], { dtype: 'float64' }), sd.zeros([2], { dtype: 'float64' })), ShapeError, /^solveEx: A must be a square matrix/],
    ['solveEx with B of the wrong rows', () => linalg.solveEx(t64([[1, 0], [0, 1]]), sd.zeros([3, 1], { dtype: 'float64' })), ShapeError, /^solveEx: B must have 2 rows to match A \[2, 2\], got shape \[3, 1\]$/],
    ['solveEx with mixed dtypes', () => linalg.solveEx(t64([[1, 0], [0, 1]]), sd.zeros([2, 1], { dtype: 'float32' })), DTypeError, /^solveEx: A and B must have the same dtype, got float64 and float32$/],
    ['invEx of a vector', () => linalg.invEx(sd.zeros([3], { dtype: 'float64' })), ShapeError, /^invEx: A must be a matrix/],
    ['choleskyEx of an int matrix', () => linalg.choleskyEx(sd.tensor([[1, 0], [0, 1]], { dtype: 'int32' })), DTypeError, /^choleskyEx: A must be a float32 or float64 tensor, got dtype int32/],
  ];
  for (const [name, fn, cls, re] of cases) test(name, () => assert.throws(fn, (e: unknown) => e instanceof cls && re.test((e as Error).message)));
});
