/**
 * The host float64 product (src/linalg/host-gemm.ts): bit for bit the plain triple loop over every tail of the
 * 4 x 4 tiling, in TypeScript and in the wasm backend's kernel (assembly/dgemm.ts), PyTorch's 0 x Inf = NaN, and
 * the Gram / X^T B products built on it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../../src/index.js';
import { nativeF64Kernel, registerF64Kernel } from '../../src/backend/host-f64-kernels.js';
import { wasmBackendInfo } from '../../src/backend/wasm/index.js';
import { atbHost, gramHost, matmulHost, rowGramHost, transposeHost } from '../../src/linalg/host-gemm.js';
import { randomHost } from './host-random.js';

/** The plain loop: each entry summed over k in order, from zero. */
function plain(a: Float64Array, b: Float64Array, m: number, k: number, p: number): Float64Array {
  const c = new Float64Array(m * p);
  for (let i = 0; i < m; i++) for (let j = 0; j < p; j++) {
    let s = 0;
    for (let q = 0; q < k; q++) s += a[i * k + q] * b[q * p + j];
    c[i * p + j] = s;
  }
  return c;
}

describe('matmulHost', () => {
  test('equals the plain loop bit for bit on every tail of the 4 x 4 tiling', () => {
    for (const m of [1, 3, 4, 5, 9]) for (const k of [0, 1, 7]) for (const p of [1, 2, 4, 6, 11]) {
      const a = randomHost(m * k, m * 100 + k);
      const b = randomHost(k * p, p * 7 + 1);
      assert.deepEqual(matmulHost(a, b, m, k, p), plain(a, b, m, k, p), `${m} x ${k} x ${p}`);
    }
  });

  test('the wasm kernel (registered when the backend loads) gives the same bits, edges included', () => {
    const native = nativeF64Kernel('gemm');
    assert.equal(native !== null, wasmBackendInfo().loaded);
    if (!native) return;
    try {
      for (const [m, k, p] of [[33, 35, 37], [64, 64, 64], [2, 200, 90], [45, 17, 46]]) {
        const a = randomHost(m * k, m + 3);
        const b = randomHost(k * p, p + 5);
        const want = plain(a, b, m, k, p);
        assert.deepEqual(matmulHost(a, b, m, k, p), want, `${m} x ${k} x ${p} (native)`);
        registerF64Kernel('gemm', null);
        assert.deepEqual(matmulHost(a, b, m, k, p), want, `${m} x ${k} x ${p} (TypeScript)`);
        registerF64Kernel('gemm', native);
      }
    } finally {
      registerF64Kernel('gemm', native);
    }
  });

  test('0 x Inf is NaN, as in PyTorch (no entry of A is skipped)', () => {
    const c = matmulHost(new Float64Array([0, 1]), new Float64Array([Infinity, 2]), 1, 2, 1);
    assert.ok(Number.isNaN(c[0]));
  });

  test('gramHost is X^T X, exactly symmetric; atbHost is X^T B', () => {
    const [m, n, k] = [13, 6, 3];
    const x = randomHost(m * n, 5);
    const b = randomHost(m * k, 6);
    const g = gramHost(x, m, n);
    assert.deepEqual(g, plain(transposeHost(x, m, n), x, n, m, n));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.equal(g[i * n + j], g[j * n + i]);
    assert.deepEqual(atbHost(x, m, n, b, k), plain(transposeHost(x, m, n), b, n, m, k));
  });

  test('rowGramHost (upper blocks, mirrored) is A A^T bit for bit, across block edges', () => {
    for (const [m, n] of [[1, 3], [63, 5], [64, 7], [65, 40], [130, 33]]) {
      const a = randomHost(m * n, m + n);
      assert.deepEqual(rowGramHost(a, m, n), matmulHost(a, transposeHost(a, m, n), m, n, m), `${m} x ${n}`);
      assert.deepEqual(rowGramHost(a, m, n), plain(a, transposeHost(a, m, n), m, n, m), `${m} x ${n}, the plain loop`);
    }
  });
});
