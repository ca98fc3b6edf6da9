/**
 * The blocked host factorizations (host-lu.ts, host-trsm.ts) against the column-by-column loops they replace:
 * LU bit for bit on matrices wider and taller than a panel, with ties, zero pivots and singular columns (in the
 * wasm backend's kernel, assembly/dgetrf.ts, and in TypeScript); the forward solve bit for bit; the backward solve
 * to rounding; blocked QR against the column-by-column one.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../../src/index.js';
import { nativeF64Kernel, registerF64Kernel } from '../../src/backend/host-f64-kernels.js';
import { wasmBackendInfo } from '../../src/backend/wasm/index.js';
import { luFactor, luInverse, luSolve } from '../../src/linalg/host-factor.js';
import { luPacked } from '../../src/linalg/host-lu.js';
import { qrFactor, qrFormQ, qrFormR } from '../../src/linalg/host-qr.js';
import { lowerSolveInPlace, upperSolveInPlace } from '../../src/linalg/host-trsm.js';
import { randomHost } from './host-random.js';

/** The unblocked getf2 the blocked code replaced. */
function luReference(a: Float64Array, m: number, n: number): { lu: Float64Array; piv: Int32Array; info: number } {
  const lu = Float64Array.from(a);
  const k = Math.min(m, n);
  const piv = new Int32Array(k);
  let info = 0;
  for (let j = 0; j < k; j++) {
    let p = j;
    let best = Math.abs(lu[j * n + j]);
    for (let i = j + 1; i < m; i++) if (Math.abs(lu[i * n + j]) > best) [best, p] = [Math.abs(lu[i * n + j]), i];
    piv[j] = p + 1;
    if (lu[p * n + j] === 0) {
      if (info === 0) info = j + 1;
      continue;
    }
    for (let c = 0; c < n && p !== j; c++) [lu[j * n + c], lu[p * n + c]] = [lu[p * n + c], lu[j * n + c]];
    for (let i = j + 1; i < m; i++) {
      const l = lu[i * n + j] / lu[j * n + j];
      lu[i * n + j] = l;
      for (let c = j + 1; c < n; c++) lu[i * n + c] -= l * lu[j * n + c];
    }
  }
  return { lu, piv, info };
}

describe('blocked LU (luPacked)', () => {
  test('equals the column-by-column factorization bit for bit, across panel boundaries — the wasm kernel and the TypeScript code', () => {
    const native = nativeF64Kernel('lu');
    assert.equal(native !== null, wasmBackendInfo().loaded);
    try {
      for (const withKernel of native ? [true, false] : [false]) {
        registerF64Kernel('lu', withKernel ? native : null);
        for (const [m, n] of [[70, 70], [33, 33], [40, 90], [90, 40], [5, 3], [1, 64]]) {
          const a = randomHost(m * n, m * 1000 + n);
          assert.deepEqual(luPacked(a, m, n), luReference(a, m, n), `${m} x ${n}${withKernel ? ' (wasm)' : ''}`);
        }
        const ties = randomHost(80 * 80, 7, true);
        assert.deepEqual(luPacked(ties, 80, 80), luReference(ties, 80, 80), `small integers${withKernel ? ' (wasm)' : ''}`);
      }
    } finally {
      registerF64Kernel('lu', native);
    }
  });

  test('singular and tied matrices: small integers (ties, zero pivots), a zero column past the first panel', () => {
    const a = randomHost(80 * 80, 7, true);
    assert.deepEqual(luPacked(a, 80, 80), luReference(a, 80, 80));
    const z = randomHost(70 * 70, 9);
    for (let i = 0; i < 70; i++) z[i * 70 + 40] = 0;
    const got = luPacked(z, 70, 70);
    assert.equal(got.info, 41);
    assert.deepEqual(got, luReference(z, 70, 70));
  });
});

describe('blocked triangular solves', () => {
  const n = 75;
  const k = 9;
  const t = randomHost(n * n, 3);
  for (let i = 0; i < n; i++) t[i * n + i] += 4 * Math.sign(t[i * n + i] || 1);
  const b = randomHost(n * k, 4);

  test('the lower solve equals forward substitution bit for bit; the upper one solves U X = B to rounding', () => {
    for (const unit of [true, false]) {
      const want = Float64Array.from(b);
      for (let i = 0; i < n; i++) {
        for (let p = 0; p < i; p++) for (let j = 0; j < k; j++) want[i * k + j] -= t[i * n + p] * want[p * k + j];
        if (!unit) for (let j = 0; j < k; j++) want[i * k + j] /= t[i * n + i];
      }
      const x = Float64Array.from(b);
      lowerSolveInPlace(t, n, x, k, unit);
      assert.deepEqual(x, want);

      const y = Float64Array.from(b);
      upperSolveInPlace(t, n, y, k, unit);
      // residual U y - b
      for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) {
        let s = (unit ? 1 : t[i * n + i]) * y[i * k + j];
        for (let p = i + 1; p < n; p++) s += t[i * n + p] * y[p * k + j];
        assert.ok(Math.abs(s - b[i * k + j]) < 1e-12, `row ${i}: residual ${s - b[i * k + j]}`);
      }
    }
  });
});

describe('the inverse from LU factors (luInverse)', () => {
  test('equals luSolve with the identity bit for bit across blocks; a non-finite L takes luSolve itself', () => {
    for (const n of [1, 7, 33, 70, 100]) {
      const a = randomHost(n * n, 10 + n);
      const f = luFactor(a, n);
      const eye = new Float64Array(n * n);
      for (let i = 0; i < n; i++) eye[i * n + i] = 1;
      assert.deepEqual(luInverse(f, n), luSolve(f, n, eye, n), `n = ${n}`);
      // A X = I to rounding
      const x = luInverse(f, n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < n; p++) s += a[i * n + p] * x[p * n + j];
        assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-9, `n = ${n}: (A X)[${i}][${j}] = ${s}`);
      }
    }
    const n = 40;
    const f = luFactor(randomHost(n * n, 3), n);
    f.lu[35 * n + 2] = Infinity;
    const eye = new Float64Array(n * n);
    for (let i = 0; i < n; i++) eye[i * n + i] = 1;
    assert.deepEqual(luInverse(f, n), luSolve(f, n, eye, n));
  });
});

describe('blocked Householder QR (qrFactor, qrFormQ)', () => {
  /** max |x - y| */
  const dist = (x: Float64Array, y: Float64Array) => x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i])), 0);

  test('Q R = A with Q orthonormal, and R and Q equal the unblocked ones to rounding, across panel boundaries and on the narrow (column-major) path', () => {
    for (const [m, n] of [[70, 70], [100, 40], [40, 100], [65, 33], [100, 20], [300, 32], [64, 1]]) {
      const a = randomHost(m * n, m * 7 + n);
      const k = Math.min(m, n);
      const f = qrFactor(a, m, n);
      const q = qrFormQ(f, m, n, k);
      const r = qrFormR(f, m, n, k);
      // Q R - A
      const qr = new Float64Array(m * n);
      for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) qr[i * n + j] += q[i * k + p] * r[p * n + j];
      assert.ok(dist(qr, a) < 1e-13, `${m} x ${n}: |QR - A| = ${dist(qr, a)}`);
      // Q^T Q - I
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
        let s = 0;
        for (let p = 0; p < m; p++) s += q[p * k + i] * q[p * k + j];
        assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-13);
      }
      const ref = qrReference(a, m, n);
      assert.ok(dist(r, ref.r) < 1e-13, `${m} x ${n}: R differs by ${dist(r, ref.r)}`);
      assert.ok(dist(q, ref.q) < 1e-13, `${m} x ${n}: Q differs by ${dist(q, ref.q)}`);
      // the complete Q (m columns) of a tall matrix
      if (m > n) assert.ok(dist(qrFormQ(f, m, n, m).filter((_, i) => i % m < k), q) < 1e-15);
    }
  });

  test('a zero column (tau 0) inside the second panel', () => {
    const [m, n] = [80, 50];
    const a = randomHost(m * n, 11);
    for (let i = 0; i < m; i++) a[i * n + 40] = 0;
    const f = qrFactor(a, m, n);
    assert.equal(f.tau[40], 0);
    const ref = qrReference(a, m, n);
    assert.ok(dist(qrFormR(f, m, n, n), ref.r) < 1e-13);
    assert.ok(dist(qrFormQ(f, m, n, n), ref.q) < 1e-13);
  });
});

/** The column-by-column Householder QR (LAPACK's geqr2 / org2r) that the blocked one replaced: R (k x n) and Q (m x k). */
function qrReference(a: Float64Array, m: number, n: number): { r: Float64Array; q: Float64Array } {
  const qr = Float64Array.from(a);
  const k = Math.min(m, n);
  const tau = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let xnorm = 0;
    for (let i = j + 1; i < m; i++) xnorm += qr[i * n + j] ** 2;
    xnorm = Math.sqrt(xnorm);
    if (xnorm === 0) continue;
    const alpha = qr[j * n + j];
    const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
    tau[j] = (beta - alpha) / beta;
    for (let i = j + 1; i < m; i++) qr[i * n + j] /= alpha - beta;
    qr[j * n + j] = beta;
    for (let c = j + 1; c < n; c++) {
      let s = qr[j * n + c];
      for (let i = j + 1; i < m; i++) s += qr[i * n + j] * qr[i * n + c];
      s *= tau[j];
      qr[j * n + c] -= s;
      for (let i = j + 1; i < m; i++) qr[i * n + c] -= qr[i * n + j] * s;
    }
  }
  const r = new Float64Array(k * n);
  for (let i = 0; i < k; i++) for (let j = i; j < n; j++) r[i * n + j] = qr[i * n + j];
  const q = new Float64Array(m * k);
  for (let i = 0; i < k; i++) q[i * k + i] = 1;
  for (let j = k - 1; j >= 0; j--) {
    for (let c = 0; c < k; c++) {
      let s = q[j * k + c];
      for (let i = j + 1; i < m; i++) s += qr[i * n + j] * q[i * k + c];
      s *= tau[j];
      q[j * k + c] -= s;
      for (let i = j + 1; i < m; i++) q[i * k + c] -= qr[i * n + j] * s;
    }
  }
  return { r, q };
}
