/**
 * The divide-and-conquer tridiagonal eigensolver (host-tridiag.ts) against QL on the same matrices — random,
 * clustered and repeated eigenvalues (where the deflation rotates), Wilkinson's W+ (pairs equal to many digits),
 * zero and negative couplings, a graded diagonal — and the symmetric eigendecomposition that uses it (host-eigh.ts)
 * on matrices large enough to take that path: residual and orthogonality to working precision; and the wasm
 * backend's tridiagonal reduction (assembly/dsytrd.ts) bit for bit the TypeScript one.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../../src/index.js';
import { nativeF64Kernel, registerF64Kernel } from '../../src/backend/host-f64-kernels.js';
import { wasmBackendInfo } from '../../src/backend/wasm/index.js';
import { eighHost } from '../../src/linalg/host-eigh.js';
import { tridiagonalEigen, tridiagonalQL } from '../../src/linalg/host-tridiag.js';
import { randomHost } from './host-random.js';

/** QL's eigenvalues, ascending. */
function qlValues(d: Float64Array, e: Float64Array, n: number): Float64Array {
  const dd = Float64Array.from(d);
  const ee = new Float64Array(n);
  for (let i = 1; i < n; i++) ee[i] = e[i - 1];
  assert.ok(tridiagonalQL(new Float64Array(n * n), n, dd, ee));
  return dd.sort();
}

/** Checks T z_j = λ_j z_j and ZᵀZ = I to a few n·eps of ‖T‖, and the eigenvalues against QL's. */
function checkTridiagonal(d: Float64Array, e: Float64Array, label: string): void {
  const n = d.length;
  const r = tridiagonalEigen(d, e, n);
  assert.ok(r, `${label}: converged`);
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]) + Math.abs(e[i] ?? 0) + Math.abs(e[i - 1] ?? 0));
  const tol = 20 * n * 2.2e-16;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let t = d[i] * r.z[i * n + j] - r.lam[j] * r.z[i * n + j];
      if (i > 0) t += e[i - 1] * r.z[(i - 1) * n + j];
      if (i < n - 1) t += e[i] * r.z[(i + 1) * n + j];
      assert.ok(Math.abs(t) <= tol * Math.max(norm, 1e-300), `${label}: residual ${t} at (${i}, ${j})`);
    }
  }
  for (let p = 0; p < n; p++) {
    for (let q = p; q < n; q++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += r.z[i * n + p] * r.z[i * n + q];
      assert.ok(Math.abs(s - (p === q ? 1 : 0)) <= tol, `${label}: (ZᵀZ)[${p}][${q}] = ${s}`);
    }
  }
  const want = qlValues(d, e, n);
  const got = Float64Array.from(r.lam).sort();
  for (let j = 0; j < n; j++) assert.ok(Math.abs(got[j] - want[j]) <= tol * norm, `${label}: eigenvalue ${j}: ${got[j]} vs QL ${want[j]}`);
}

describe('tridiagonalEigen (divide and conquer)', () => {
  test('random tridiagonal matrices of several sizes, couplings of both signs', () => {
    for (const n of [1, 2, 33, 64, 65, 150]) checkTridiagonal(randomHost(n, n), randomHost(Math.max(n - 1, 0), 7 * n), `random ${n}`);
  });
  test('repeated and clustered eigenvalues: the deflation paths', () => {
    const n = 120;
    // the identity with tiny couplings, a constant diagonal, and the 1-D Laplacian glued to copies of itself
    checkTridiagonal(new Float64Array(n).fill(1), new Float64Array(n - 1).fill(1e-18), 'identity, tiny couplings');
    checkTridiagonal(new Float64Array(n).fill(3), new Float64Array(n - 1).fill(0), 'constant diagonal, no couplings');
    const e = Float64Array.from({ length: n - 1 }, (_, i) => (i % 40 === 39 ? 1e-15 : -1));
    checkTridiagonal(new Float64Array(n).fill(2), e, 'three glued Laplacians');
  });
  test("Wilkinson's W+ (pairs of eigenvalues equal to many digits)", () => {
    const m = 50;
    const n = 2 * m + 1;
    checkTridiagonal(Float64Array.from({ length: n }, (_, i) => Math.abs(m - i)), new Float64Array(n - 1).fill(1), 'W+ 101');
  });
  test('a graded diagonal (eigenvalues from 1 to 1e-12)', () => {
    const n = 80;
    checkTridiagonal(Float64Array.from({ length: n }, (_, i) => 10 ** (-(i % 13))), Float64Array.from({ length: n - 1 }, (_, i) => 1e-7 * 10 ** (-(i % 5))), 'graded');
  });
  test('non-finite input: null, not a wrong answer', () => {
    const d = randomHost(40, 1);
    d[20] = NaN;
    assert.equal(tridiagonalEigen(d, randomHost(39, 2), 40), null);
  });
});

describe('eighHost on the divide-and-conquer path', () => {
  test('A V = V diag(w), VᵀV = I and ascending w, for a random, a low-rank and a repeated-eigenvalue matrix', () => {
    const n = 90;
    const g = randomHost(n * n, 3);
    const sym = Float64Array.from({ length: n * n }, (_, k) => g[k] + g[(k % n) * n + Math.floor(k / n)]);
    const lowRank = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let r = 0; r < 3; r++) lowRank[i * n + j] += g[i * n + r] * g[j * n + r];
    const repeated = new Float64Array(n * n);
    for (let i = 0; i < n; i++) repeated[i * n + i] = i % 2 === 0 ? 1 : -1;
    for (const [label, a] of [['random', sym], ['rank 3', lowRank], ['±1 diagonal', repeated]] as const) {
      const { w, v, converged } = eighHost(a, n, false);
      assert.ok(converged, label);
      let norm = 0;
      for (let k = 0; k < n * n; k++) norm = Math.max(norm, Math.abs(a[k]));
      for (let j = 1; j < n; j++) assert.ok(w[j - 1] <= w[j], `${label}: ascending`);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let av = 0;
          let vtv = 0;
          for (let k = 0; k < n; k++) {
            av += a[i * n + k] * v[k * n + j];
            vtv += v[k * n + i] * v[k * n + j];
          }
          assert.ok(Math.abs(av - w[j] * v[i * n + j]) <= 1e-12 * n * norm, `${label}: (AV − VW)[${i}][${j}]`);
          assert.ok(Math.abs(vtv - (i === j ? 1 : 0)) <= 1e-12 * n, `${label}: (VᵀV)[${i}][${j}]`);
        }
      }
    }
  });
});

describe('the tridiagonal reduction', () => {
  test('the wasm kernel (registered when the backend loads) gives the TypeScript loop\'s bits, odd and even orders, a diagonal matrix', () => {
    const native = nativeF64Kernel('tridiagonal');
    assert.equal(native !== null, wasmBackendInfo().loaded);
    if (!native) return;
    try {
      for (const n of [1, 2, 3, 8, 33, 70, 101]) {
        const g = randomHost(n * n, n + 11);
        // n = 33: a diagonal matrix, whose every step takes the scale-0 path
        const a = Float64Array.from({ length: n * n }, (_, k) => (n === 33 && k % (n + 1) !== 0 ? 0 : g[k] + g[(k % n) * n + Math.floor(k / n)]));
        const withKernel = eighHost(a, n, false);
        registerF64Kernel('tridiagonal', null);
        const withLoop = eighHost(a, n, false);
        registerF64Kernel('tridiagonal', native);
        assert.deepEqual(withKernel.w, withLoop.w, `eigenvalues, n = ${n}`);
        assert.deepEqual(withKernel.v, withLoop.v, `eigenvectors, n = ${n}`);
      }
    } finally {
      registerF64Kernel('tridiagonal', native);
    }
  });
});
