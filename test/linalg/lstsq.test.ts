import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, LinAlgError, ShapeError, ValueError, linalg } from '../../src/index.js';
import { checkFixtures, eye, maxDiff, randn } from './helpers.js';

checkFixtures('lstsq', {
  lstsq: ([a, b], args) => {
    // the older cases are torch's 'gelsd' (singular values and residuals); the gelsy cases name their driver
    const r = linalg.lstsq(a, b, { rcond: args.rcond, driver: args.driver ?? 'gelsd' });
    return [r.solution, r.residuals, r.rank, r.singularValues];
  },
  pinv: ([a], args) => [linalg.pinv(a, { hermitian: args.hermitian, atol: args.atol, rtol: args.rtol })],
  matrix_rank: ([a], args) => [linalg.matrixRank(a, { hermitian: args.hermitian, atol: args.atol, rtol: args.rtol })],
});

const f64 = (v: number[][]) => sd.tensor(v, { dtype: 'float64' });

describe('linalg.lstsq / pinv / matrixRank: properties', () => {
  test('tall full rank: the residual is orthogonal to range(A) and residuals are ||A x - b||^2', () => {
    sd.manualSeed(31);
    const A = randn([50, 6]);
    const B = randn([50, 2]);
    const { solution: X, residuals, rank } = linalg.lstsq(A, B, { driver: 'gelsd' });
    const R = sd.sub(A.matmul(X), B);
    assert.ok(sd.abs(A.mT.matmul(R)).max().item() < 1e-13);
    assert.ok(maxDiff(residuals, sd.sum(sd.square(R), 0)) < 1e-12);
    assert.equal(rank.item(), 6);
    assert.equal(rank.dtype, 'int32');
    // the default driver, gelsy (QR), as PyTorch: the same solution, the rank, no residuals or singular values
    const qr = linalg.lstsq(A, B);
    assert.ok(maxDiff(qr.solution, X) < 1e-13);
    assert.equal(qr.rank.item(), 6);
    assert.deepEqual([qr.residuals.shape, qr.singularValues.shape], [[0], [0]]);
  });
  test('an ill-conditioned polynomial fit recovers its coefficients (the normal equations would not)', () => {
    // degree-7 polynomial on [0, 3.5]: cond(V) ~ 1e6, so cond(V^T V) ~ 1e12
    const xs = Array.from({ length: 40 }, (_, i) => (3.5 * i) / 39);
    const coef = [1, -2, 0.5, 3, -1, 0.25, -0.125, 0.0625];
    const V = f64(xs.map((x) => coef.map((_, k) => x ** k)));
    const y = sd.tensor(xs.map((x) => coef.reduce((s, c, k) => s + c * x ** k, 0)), { dtype: 'float64' });
    const got = linalg.lstsq(V, y).solution.toTypedArray();
    coef.forEach((c, k) => assert.ok(Math.abs(got[k] - c) < 1e-8, `coefficient ${k}: ${got[k]} vs ${c}`));
    assert.ok(linalg.cond(V).item() > 1e5);
  });
  test('underdetermined: A X = B exactly and X is the minimum-norm solution (in the row space of A)', () => {
    sd.manualSeed(32);
    const A = randn([3, 7]);
    const B = randn([3, 2]);
    const { solution: X, residuals, rank } = linalg.lstsq(A, B);
    assert.ok(maxDiff(A.matmul(X), B) < 1e-13);
    assert.deepEqual(residuals.shape, [0]);
    assert.equal(rank.item(), 3);
    // X = A^T Y for Y = (A A^T)^-1 B
    const Y = linalg.solve(A.matmul(A.mT), B);
    assert.ok(maxDiff(X, A.mT.matmul(Y)) < 1e-13);
  });
  test('rank-deficient: rank counts the nonzero singular values, solution = pinv(A) B, no residuals', () => {
    const A = f64([[1, 2, 3], [4, 5, 9], [7, 8, 15], [2, -1, 1]]);
    const b = sd.tensor([1, 2, 3, 4], { dtype: 'float64' });
    const r = linalg.lstsq(A, b);
    assert.equal(r.rank.item(), 2);
    assert.deepEqual(r.residuals.shape, [0]);
    assert.deepEqual(r.solution.shape, [3]);
    assert.ok(maxDiff(r.solution, linalg.pinv(A).matmul(b)) < 1e-14);
    assert.equal(linalg.matrixRank(A).item(), 2);
  });
  test('batched with broadcasting and vector right-hand sides', () => {
    sd.manualSeed(33);
    const A = randn([6, 3]);
    const B = randn([4, 6]);
    const { solution, residuals, rank, singularValues } = linalg.lstsq(sd.expand(A, [4, 6, 3]), B, { driver: 'gelss' });
    assert.deepEqual([solution.shape, residuals.shape, rank.shape, singularValues.shape], [[4, 3], [4, 1], [4], [4, 3]]);
    const qr = linalg.lstsq(sd.expand(A, [4, 6, 3]), B);
    assert.deepEqual([qr.solution.shape, qr.residuals.shape, qr.rank.shape, qr.singularValues.shape], [[4, 3], [0], [4], [0]]);
    assert.ok(maxDiff(qr.solution, solution) < 1e-14);
    const one = linalg.lstsq(A, B.select(0, 2)).solution;
    assert.ok(maxDiff(solution.select(0, 2), one) < 1e-15);
  });
  test('gelsy: the blocked QR path (tall and wide, past one 32-column panel) gives the SVD drivers\' solution', () => {
    sd.manualSeed(36);
    for (const [m, n, k] of [[200, 150, 3], [90, 140, 2], [70, 70, 1]]) {
      const A = randn([m, n]);
      const B = randn([m, k]);
      const qr = linalg.lstsq(A, B);
      const svd = linalg.lstsq(A, B, { driver: 'gelsd' });
      assert.ok(maxDiff(qr.solution, svd.solution) < 1e-11, `${m}x${n}`);
      assert.equal(qr.rank.item(), Math.min(m, n));
    }
  });
  test('gelsy: a matrix whose triangular factor is too ill-conditioned goes through the SVD (rank and minimum norm)', () => {
    sd.manualSeed(37);
    // singular values 1 .. 1e-15: rank 12 of 14 at the default rcond (14 eps)
    const [U] = [linalg.qr(randn([20, 14])).Q];
    const V = linalg.qr(randn([14, 14])).Q;
    const s = sd.tensor(Array.from({ length: 14 }, (_, i) => 10 ** (-15 * i / 13)), { dtype: 'float64' });
    const A = sd.mul(U, s).matmul(V.mT);
    const b = randn([20, 1]);
    const qr = linalg.lstsq(A, b);
    const svd = linalg.lstsq(A, b, { driver: 'gelsd' });
    assert.equal(qr.rank.item(), svd.rank.item());
    assert.ok(qr.rank.item() < 14);
    assert.deepEqual(Array.from(qr.solution.toTypedArray()), Array.from(svd.solution.toTypedArray()));
  });
  test('pinv meets the four Penrose conditions (full rank, rank-deficient, hermitian)', () => {
    sd.manualSeed(34);
    const cases: [sd.Tensor, boolean][] = [
      [randn([5, 3]), false],
      [randn([3, 5]), false],
      [f64([[1, 2, 3], [2, 4, 6], [1, 0, 1]]), false],
      [f64([[2, 1, 3], [1, 1, 2], [3, 2, 5]]), true],
    ];
    for (const [A, hermitian] of cases) {
      const X = linalg.pinv(A, { hermitian });
      const AX = A.matmul(X);
      const XA = X.matmul(A);
      assert.ok(maxDiff(AX.matmul(A), A) < 1e-13, 'A X A = A');
      assert.ok(maxDiff(XA.matmul(X), X) < 1e-13, 'X A X = X');
      assert.ok(maxDiff(AX, AX.mT) < 1e-13, '(A X)^T = A X');
      assert.ok(maxDiff(XA, XA.mT) < 1e-13, '(X A)^T = X A');
    }
  });
  test('pinv of an invertible matrix is its inverse; of zeros is zeros', () => {
    sd.manualSeed(35);
    const A = sd.add(randn([4, 4]), sd.mul(eye(4), 3));
    assert.ok(maxDiff(linalg.pinv(A), linalg.inv(A)) < 1e-14);
    assert.deepEqual(linalg.pinv(sd.zeros([2, 3], { dtype: 'float64' })).toArray(), [[0, 0], [0, 0], [0, 0]]);
    assert.equal(linalg.matrixRank(sd.zeros([2, 3], { dtype: 'float64' })).item(), 0);
  });
  test('float32 default tolerances scale with float32 epsilon (as PyTorch)', () => {
    // singular values 1 and 1e-7: rank 2 in float64, rank 1 in float32 (rtol = 2 * 1.19e-7)
    const A = f64([[1, 0], [0, 1e-7]]);
    assert.equal(linalg.matrixRank(A).item(), 2);
    assert.equal(linalg.matrixRank(A.float()).item(), 1);
    assert.equal(linalg.lstsq(A.float(), sd.ones([2, 1])).rank.item(), 1);
  });
});

describe('linalg.lstsq / pinv / matrixRank: bad input', () => {
  const z = (...shape: number[]) => sd.zeros(shape, { dtype: 'float64' });
  test('shapes and dtypes', () => {
    assert.throws(() => linalg.lstsq(z(5, 3), z(4, 1)), (e) => e instanceof ShapeError && /^lstsq: B must have 5 rows to match A \[5, 3\] .*got shape \[4, 1\]/.test(e.message));
    assert.throws(() => linalg.lstsq(z(5), z(5)), (e) => e instanceof ShapeError && /^lstsq: A must be a matrix or a batch of matrices/.test(e.message));
    assert.throws(() => linalg.lstsq(sd.zeros([5, 3], { dtype: 'int32' }), z(5)), (e) => e instanceof DTypeError && /^lstsq: A must be a float32 or float64 tensor, got dtype int32/.test(e.message));
    assert.throws(() => linalg.lstsq(z(5, 3), sd.zeros([5])), (e) => e instanceof DTypeError && /^lstsq: A and B must have the same dtype, got float64 and float32/.test(e.message));
    assert.throws(() => linalg.pinv(z(2, 3), { hermitian: true }), (e) => e instanceof ShapeError && /^pinv: A must be a square matrix/.test(e.message));
    assert.throws(() => linalg.matrixRank(sd.zeros([2, 2], { dtype: 'bool' })), (e) => e instanceof DTypeError && /^matrixRank: A must be a float32 or float64 tensor, got dtype bool/.test(e.message));
  });
  test('options', () => {
    assert.throws(() => linalg.lstsq(z(3, 3), z(3), { driver: 'gels' as never }), (e) => e instanceof ValueError && /^lstsq: driver must be 'gelsy', 'gelsd' or 'gelss', got "gels"/.test(e.message));
    assert.throws(() => linalg.pinv(z(2, 2), { atol: -1 }), (e) => e instanceof ValueError && /^pinv: atol must be a number >= 0, got -1/.test(e.message));
    assert.throws(() => linalg.matrixRank(z(2, 2), { rtol: NaN }), (e) => e instanceof ValueError && /^matrixRank: rtol must be a number >= 0, got NaN/.test(e.message));
  });
  test('non-finite values', () => {
    assert.throws(() => linalg.lstsq(f64([[1, 0], [0, Infinity]]), z(2)), (e) => e instanceof LinAlgError && /^lstsq: A contains non-finite values \(Infinity at flat index 3\)/.test(e.message));
    assert.throws(() => linalg.pinv(f64([[NaN]])), (e) => e instanceof LinAlgError && /^pinv: A contains non-finite values/.test(e.message));
  });
});
