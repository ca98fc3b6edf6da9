/**
 * The blocked host factorizations (host-lu.ts, host-trsm.ts) against the column-by-column loops they replace:
 * LU bit for bit on matrices wider and taller than a panel, with ties, zero pivots and singular columns; the
 * forward solve bit for bit; the backward solve to rounding.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { luPacked } from '../../src/linalg/host-lu.js';
import { lowerSolveInPlace, upperSolveInPlace } from '../../src/linalg/host-trsm.js';

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

function random(n: number, seed: number, integers = false): Float64Array {
  let x = seed >>> 0;
  return Float64Array.from({ length: n }, () => {
    // mulberry32
    x = (x + 0x6d2b79f5) >>> 0;
    let t = Math.imul(x ^ (x >>> 15), 1 | x);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return integers ? Math.floor(u * 5) - 2 : u - 0.5;
  });
}

describe('blocked LU (luPacked)', () => {
  test('equals the column-by-column factorization bit for bit, across panel boundaries', () => {
    for (const [m, n] of [[70, 70], [33, 33], [40, 90], [90, 40], [5, 3], [1, 64]]) {
      const a = random(m * n, m * 1000 + n);
      assert.deepEqual(luPacked(a, m, n), luReference(a, m, n), `${m} x ${n}`);
    }
  });

  test('singular and tied matrices: small integers (ties, zero pivots), a zero column in the second panel', () => {
    const a = random(80 * 80, 7, true);
    assert.deepEqual(luPacked(a, 80, 80), luReference(a, 80, 80));
    const z = random(70 * 70, 9);
    for (let i = 0; i < 70; i++) z[i * 70 + 40] = 0;
    const got = luPacked(z, 70, 70);
    assert.equal(got.info, 41);
    assert.deepEqual(got, luReference(z, 70, 70));
  });
});

describe('blocked triangular solves', () => {
  const n = 75;
  const k = 9;
  const t = random(n * n, 3);
  for (let i = 0; i < n; i++) t[i * n + i] += 4 * Math.sign(t[i * n + i] || 1);
  const b = random(n * k, 4);

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
