import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, LinAlgError, ShapeError, ValueError, linalg } from '../../src/index.js';
import { checkFixtures, eye, maxDiff, randn } from './helpers.js';

checkFixtures('solve', {
  solve: ([a, b], args) => [linalg.solve(a, b, { left: args.left })],
  solve_triangular: ([a, b], args) => [linalg.solveTriangular(a, b, { upper: args.upper, left: args.left, unitriangular: args.unitriangular })],
  inv: ([a]) => [linalg.inv(a)],
  det: ([a]) => [linalg.det(a)],
  slogdet: ([a]) => {
    const r = linalg.slogdet(a);
    return [r.sign, r.logabsdet];
  },
});

const t64 = (v: number[][]) => sd.tensor(v, { dtype: 'float64' });

describe('linalg.solve / inv / det: identities', () => {
  test('A X = B holds to rounding for a 40 x 40 system with 3 right-hand sides, and for a transposed (strided) A', () => {
    sd.manualSeed(11);
    const A = sd.add(randn([40, 40]), sd.mul(eye(40), 8));
    const B = randn([40, 3]);
    const X = linalg.solve(A, B);
    assert.ok(maxDiff(A.matmul(X), B) < 1e-12);
    const At = A.mT; // a non-contiguous view
    assert.equal(At.isContiguous(), false);
    assert.ok(maxDiff(At.matmul(linalg.solve(At, B)), B) < 1e-12);
  });
  test('partial pivoting: a zero in the (0, 0) position is no problem', () => {
    const A = t64([[0, 1], [1, 0]]);
    assert.deepEqual(linalg.solve(A, sd.tensor([2, 3], { dtype: 'float64' })).toArray(), [3, 2]);
    assert.deepEqual(linalg.inv(A).toArray(), [[0, 1], [1, 0]]);
    assert.equal(linalg.det(A).item(), -1);
  });
  test('inv(A) A = I, batched, float32 and float64', () => {
    sd.manualSeed(12);
    for (const dtype of ['float64', 'float32'] as const) {
      const A = sd.add(randn([2, 3, 5, 5], dtype), sd.mul(eye(5, dtype), 4));
      const I = linalg.inv(A).matmul(A);
      assert.equal(I.dtype, dtype);
      assert.ok(maxDiff(I, sd.expand(eye(5, dtype), [2, 3, 5, 5])) < (dtype === 'float64' ? 1e-13 : 1e-5));
    }
  });
  test('det(A B) = det(A) det(B); det of a triangular matrix is its diagonal product; slogdet agrees with det', () => {
    sd.manualSeed(13);
    const A = randn([4, 4]);
    const B = randn([4, 4]);
    const dAB = linalg.det(A.matmul(B)).item();
    assert.ok(Math.abs(dAB - linalg.det(A).item() * linalg.det(B).item()) < 1e-12 * Math.abs(dAB));
    const T = t64([[2, 5, 1], [0, -3, 7], [0, 0, 0.5]]);
    assert.equal(linalg.det(T).item(), -3);
    const { sign, logabsdet } = linalg.slogdet(A);
    assert.ok(Math.abs(sign.item() * Math.exp(logabsdet.item()) - linalg.det(A).item()) < 1e-12);
  });
  test('slogdet does not overflow where det does', () => {
    const A = sd.mul(eye(200), 1e3); // det = 1e600
    assert.equal(linalg.det(A).item(), Infinity);
    const { sign, logabsdet } = linalg.slogdet(A);
    assert.equal(sign.item(), 1);
    assert.ok(Math.abs(logabsdet.item() - 600 * Math.log(10)) < 1e-9);
  });
  test('singular matrices: det is 0, slogdet gives (0, -inf)', () => {
    const S = t64([[1, 2], [2, 4]]);
    assert.ok(linalg.det(S).item() === 0); // -0 or 0, as LAPACK's
    const r = linalg.slogdet(S);
    assert.ok(r.sign.item() === 0);
    assert.equal(r.logabsdet.item(), -Infinity);
  });
  test('the gradient of det at a singular matrix is its cofactor matrix (PyTorch 1.13 returns zeros)', () => {
    const S = t64([[1, 2], [2, 4]]).requiresGrad_();
    linalg.det(S).backward();
    assert.deepEqual(S.grad!.toArray(), [[4, -2], [-2, 1]].map((r) => r.map((v) => v + 0)));
    const S3 = t64([[1, 2, 3], [4, 5, 6], [7, 8, 9]]).requiresGrad_();
    linalg.det(S3).backward();
    // cof(A)_ij = (-1)^(i+j) M_ij
    const want = [[-3, 6, -3], [6, -12, 6], [-3, 6, -3]];
    const got = S3.grad!.toArray() as number[][];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) assert.ok(Math.abs(got[i][j] - want[i][j]) < 1e-12, `cof[${i}][${j}]`);
  });
  test('solveTriangular reads only its triangle', () => {
    const U = t64([[2, 1], [99, 4]]); // the 99 below the diagonal is ignored with upper: true
    const x = linalg.solveTriangular(U, t64([[4], [8]]), { upper: true });
    assert.deepEqual(x.toArray(), [[1], [2]]);
  });
});

describe('linalg.solve / inv / det: bad input', () => {
  const z = (...shape: number[]) => sd.zeros(shape, { dtype: 'float64' });
  test('a singular matrix: LinAlgError naming the pivot and the way out', () => {
    const S = t64([[1, 2], [2, 4]]);
    assert.throws(() => linalg.solve(S, t64([[1], [2]])),
      (e) => e instanceof LinAlgError && /^solve: A is singular: U\[1\]\[1\] = 0 in its LU factorization with partial pivoting.*linalg\.lstsq\(A, B\) or linalg\.pinv\(A\), or regularize/.test(e.message));
    assert.throws(() => linalg.inv(S), (e) => e instanceof LinAlgError && /^inv: A is singular: U\[1\]\[1\] = 0 .*it has no inverse; use linalg\.pinv\(A\)/.test(e.message));
    assert.throws(() => linalg.inv(z(3, 3)), (e) => e instanceof LinAlgError && /U\[0\]\[0\] = 0/.test(e.message));
  });
  test('the failing matrix of a batch is named', () => {
    const batch = sd.stack([eye(2), t64([[1, 1], [1, 1]]), eye(2)]);
    assert.throws(() => linalg.inv(batch), (e) => e instanceof LinAlgError && /^inv: A is singular \(matrix 1 of the batch, index \[1\]\): U\[1\]\[1\] = 0/.test(e.message));
  });
  test('non-square, 1-D and 0-d inputs', () => {
    assert.throws(() => linalg.inv(z(2, 3)), (e) => e instanceof ShapeError && /^inv: A must be a square matrix or a batch of square matrices \[\.\.\., n, n\], got shape \[2, 3\] \(2 x 3\)/.test(e.message));
    assert.throws(() => linalg.det(z(3)), (e) => e instanceof ShapeError && /^det: A must be a matrix or a batch of matrices with shape \[\.\.\., m, n\], got shape \[3\]/.test(e.message));
    assert.throws(() => linalg.solve(z(2, 3), z(2)), (e) => e instanceof ShapeError && /^solve: A must be a square matrix/.test(e.message));
    assert.throws(() => linalg.slogdet(z()), (e) => e instanceof ShapeError && /^slogdet: A must be a matrix/.test(e.message));
  });
  test('right-hand sides that do not fit', () => {
    assert.throws(() => linalg.solve(eye(3), z(4, 2)), (e) => e instanceof ShapeError && /^solve: B must have 3 rows to match A \[3, 3\].*got shape \[4, 2\]/.test(e.message));
    assert.throws(() => linalg.solve(eye(3), z(2, 4), { left: false }), (e) => e instanceof ShapeError && /^solve: with left: false, B must have 3 columns to match A \[3, 3\], got shape \[2, 4\]/.test(e.message));
    assert.throws(() => linalg.solve(sd.expand(eye(3), [2, 3, 3]), z(3, 3, 1)), (e) => e instanceof ShapeError && /^solve: shapes \[2\] and \[3\] cannot be broadcast/.test(e.message));
    assert.throws(() => linalg.solveTriangular(eye(3), z(3), { upper: true }), (e) => e instanceof ShapeError && /^solveTriangular: B must be a matrix/.test(e.message));
    assert.throws(() => linalg.solveTriangular(eye(3), z(3, 1), {} as never), (e) => e instanceof ValueError && /opts\.upper \(true or false\) is required/.test(e.message));
  });
  test('integer and mixed dtypes are refused', () => {
    const i = sd.zeros([2, 2], { dtype: 'int32' });
    assert.throws(() => linalg.det(i), (e) => e instanceof DTypeError && /^det: A must be a float32 or float64 tensor, got dtype int32; convert it first, e\.g\. A\.double\(\)/.test(e.message));
    assert.throws(() => linalg.inv(sd.zeros([2, 2], { dtype: 'bool' })), (e) => e instanceof DTypeError && /got dtype bool/.test(e.message));
    assert.throws(() => linalg.solve(eye(2), i), (e) => e instanceof DTypeError && /^solve: B must be a float32 or float64 tensor/.test(e.message));
    assert.throws(() => linalg.solve(eye(2), sd.zeros([2, 1])), (e) => e instanceof DTypeError && /^solve: A and B must have the same dtype, got float64 and float32/.test(e.message));
    assert.throws(() => linalg.inv([[1, 0], [0, 1]] as never), (e) => e instanceof ValueError && /^inv: A must be a Tensor, got an array/.test(e.message));
  });
  test('a zero on a triangular matrix diagonal', () => {
    assert.throws(() => linalg.solveTriangular(t64([[1, 0], [3, 0]]), t64([[1], [1]]), { upper: false }),
      (e) => e instanceof LinAlgError && /^solveTriangular: A is singular: its diagonal entry A\[1\]\[1\] is 0/.test(e.message));
  });
  test('the gradient of log|det| at a singular matrix', () => {
    const S = t64([[1, 2], [2, 4]]).requiresGrad_();
    const { logabsdet } = linalg.slogdet(S);
    assert.throws(() => logabsdet.backward(), (e) => e instanceof LinAlgError && /^slogdet: backward at a singular matrix: log\|det A\| is -inf there and has no gradient/.test(e.message));
  });
});
