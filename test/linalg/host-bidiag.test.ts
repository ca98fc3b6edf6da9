/**
 * The singular values through the bidiagonal form (host-bidiag.ts) and lstsq's least squares through it
 * (host-bidiag-lstsq.ts): values against the one-sided Jacobi SVD (host-svd.ts) on tall, square and wide, rank-
 * deficient, zero-column and graded matrices; the Golub-Kahan QR on bidiagonals with zeros on the diagonal (the
 * rotations that split them); the solution against the SVD's minimum-norm one, and the fall back to the SVD for a
 * rank-deficient matrix; and the wasm backend's reduction (assembly/dgebrd.ts) bit for bit the TypeScript one.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../../src/index.js';
import { nativeF64Kernel, registerF64Kernel } from '../../src/backend/host-f64-kernels.js';
import { wasmBackendInfo } from '../../src/backend/wasm/index.js';
import { bidiagonalQr, svdValuesHost } from '../../src/linalg/host-bidiag.js';
import { bidiagonalLeastSquares } from '../../src/linalg/host-bidiag-lstsq.js';
import { svdHost } from '../../src/linalg/host-svd.js';
import { randomHost } from './host-random.js';

const EPS = 2.220446049250313e-16;

/** Asserts the bidiagonal route's values equal the Jacobi SVD's to a few n eps of s_max. */
function checkValues(a: Float64Array, m: number, n: number, label: string): void {
  const got = svdValuesHost(a, m, n);
  assert.ok(got.converged, `${label}: converged`);
  const want = svdHost(a, m, n, false).s;
  assert.equal(got.s.length, want.length, label);
  const tol = 20 * Math.max(m, n) * EPS * Math.max(want[0] ?? 0, 1e-300);
  got.s.forEach((x, i) => assert.ok(Math.abs(x - want[i]) <= tol, `${label}: s[${i}] = ${x} vs Jacobi ${want[i]}`));
}

/** A row-major m x n matrix of rank r (a product of random m x r and r x n factors). */
function lowRank(m: number, n: number, r: number, seed: number): Float64Array {
  const u = randomHost(m * r, seed);
  const v = randomHost(r * n, seed + 1);
  const a = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let k = 0; k < r; k++) for (let j = 0; j < n; j++) a[i * n + j] += u[i * r + k] * v[k * n + j];
  return a;
}

describe('singular values through the bidiagonal form', () => {
  test('match the Jacobi SVD on tall, square and wide matrices of odd and even sizes', () => {
    for (const [m, n] of [[1, 1], [1, 5], [5, 1], [2, 2], [7, 3], [3, 7], [40, 40], [65, 33], [33, 65], [130, 129]] as const) {
      checkValues(randomHost(m * n, 3 * m + n), m, n, `${m}x${n}`);
    }
  });

  test('rank-deficient, zero-column, zero and graded matrices', () => {
    checkValues(lowRank(60, 40, 5, 9), 60, 40, 'rank 5 of 60x40');
    checkValues(lowRank(30, 30, 29, 11), 30, 30, 'rank 29 of 30x30');
    const z = randomHost(20 * 8, 4);
    for (let i = 0; i < 20; i++) z[i * 8 + 3] = 0;
    checkValues(z, 20, 8, 'a zero column');
    assert.deepEqual(Array.from(svdValuesHost(new Float64Array(12), 4, 3).s), [0, 0, 0], 'the zero matrix');
    const g = randomHost(25 * 25, 5);
    for (let i = 0; i < 25; i++) for (let j = 0; j < 25; j++) g[i * 25 + j] *= 10 ** (-j / 2);
    checkValues(g, 25, 25, 'columns graded over 12 decades');
    const big = randomHost(9 * 6, 6).map((x) => x * 1e300);
    checkValues(big, 9, 6, 'entries near the overflow threshold');
  });

  test('non-finite input does not converge', () => {
    const a = randomHost(16, 2);
    a[5] = NaN;
    assert.equal(svdValuesHost(a, 4, 4).converged, false);
  });

  test('the Golub-Kahan QR splits a bidiagonal at a zero diagonal entry, inside and at the bottom', () => {
    // B = bidiag(d, e): its singular values by the QR, against those of B as a dense matrix through Jacobi
    for (const [d, e] of [
      [[2, 0, 3, 1], [1, 0.5, 2]],
      [[1, 2, 3, 0], [0.3, 0.4, 0.5]],
      [[0, 1, 0, 2, 0], [1, 1, 1, 1]],
      [[1e-20, 1, 1], [1, 1]],
    ]) {
      const n = d.length;
      const dense = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        dense[i * n + i] = d[i];
        if (i + 1 < n) dense[i * n + i + 1] = e[i];
      }
      const dd = Float64Array.from(d);
      const ee = Float64Array.from(e);
      assert.ok(bidiagonalQr(dd, ee, n, EPS * 3));
      const got = Array.from(dd, Math.abs).sort((x, y) => y - x);
      const want = svdHost(dense, n, n, false).s;
      got.forEach((x, i) => assert.ok(Math.abs(x - want[i]) <= 1e-14 * want[0], `d = [${d}]: s[${i}] = ${x} vs ${want[i]}`));
    }
  });
});

describe('least squares through the bidiagonal form', () => {
  test("equals the SVD's minimum-norm solution for full-rank tall and square matrices", () => {
    for (const [m, n, nrhs] of [[9, 4, 1], [50, 50, 3], [120, 37, 2]] as const) {
      const a = randomHost(m * n, m + n);
      const b = randomHost(m * nrhs, 7 * m);
      const got = bidiagonalLeastSquares(a, m, n, b, nrhs, EPS * m);
      assert.ok(got, `${m}x${n}: full rank`);
      assert.equal(got.rank, n);
      const { u, s, v } = svdHost(a, m, n, true);
      for (let c = 0; c < nrhs; c++) {
        const want = new Float64Array(n);
        for (let j = 0; j < n; j++) {
          let t = 0;
          for (let r = 0; r < m; r++) t += u[r * n + j] * b[r * nrhs + c];
          for (let r = 0; r < n; r++) want[r] += (v[r * n + j] * t) / s[j];
        }
        const scale = Math.max(...want.map(Math.abs));
        want.forEach((x, r) => assert.ok(Math.abs(got.x[r * nrhs + c] - x) <= 1e-11 * scale, `${m}x${n}, column ${c}: x[${r}]`));
      }
      got.s.forEach((x, i) => assert.ok(Math.abs(x - s[i]) <= 1e-13 * s[0], `${m}x${n}: s[${i}]`));
    }
  });

  test('declines a rank-deficient or wide matrix (the caller takes the full SVD)', () => {
    assert.equal(bidiagonalLeastSquares(lowRank(30, 10, 6, 3), 30, 10, randomHost(30, 1), 1, EPS * 30), null, 'rank 6 of 10');
    assert.equal(bidiagonalLeastSquares(randomHost(40, 2), 4, 10, randomHost(4, 1), 1, EPS * 10), null, 'wide');
    assert.equal(bidiagonalLeastSquares(new Float64Array(12), 4, 3, randomHost(4, 1), 1, EPS * 4), null, 'zero');
  });
});

describe('the wasm bidiagonal reduction', { skip: !wasmBackendInfo().loaded && 'the wasm backend did not load' }, () => {
  test('gives the TypeScript reduction bit for bit (values, and the solution that uses the reflectors)', () => {
    const native = nativeF64Kernel('bidiagonal');
    assert.ok(native, 'registered');
    try {
      for (const [m, n] of [[1, 1], [6, 6], [7, 5], [64, 33], [101, 100]] as const) {
        const a = randomHost(m * n, 13 * m + n);
        const b = randomHost(m, m);
        const withKernel = [svdValuesHost(a, m, n).s, bidiagonalLeastSquares(a, m, n, b, 1, 0)?.x];
        registerF64Kernel('bidiagonal', null);
        const withLoop = [svdValuesHost(a, m, n).s, bidiagonalLeastSquares(a, m, n, b, 1, 0)?.x];
        registerF64Kernel('bidiagonal', native);
        assert.deepEqual(withKernel, withLoop, `${m}x${n}`);
      }
    } finally {
      registerF64Kernel('bidiagonal', native);
    }
  });
});
