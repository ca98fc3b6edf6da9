/**
 * The host SVD's Jacobi sweeps (src/linalg/host-svd.ts) in the wasm backend's kernel (assembly/jacobi.ts) against
 * the TypeScript loop: the same bits for square, tall and wide matrices, below and above the sizes where the Gram
 * preconditioner and screening start, and for a rank-deficient one; and the 'right' mode (V without U) equal to
 * the full decomposition's V up to the column signs U fixes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../../src/index.js';
import { nativeF64Kernel, registerF64Kernel } from '../../src/backend/host-f64-kernels.js';
import { wasmBackendInfo } from '../../src/backend/wasm/index.js';
import { svdHost } from '../../src/linalg/host-svd.js';
import { randomHost } from './host-random.js';

describe('svdHost', () => {
  test('the wasm Jacobi sweep (registered when the backend loads) gives the TypeScript loop\'s bits', () => {
    const native = nativeF64Kernel('jacobi');
    assert.equal(native !== null, wasmBackendInfo().loaded);
    if (!native) return;
    const rankTwo = new Float64Array(40 * 35);
    const a = randomHost(40, 1);
    const b = randomHost(35, 2);
    for (let i = 0; i < 40; i++) for (let j = 0; j < 35; j++) rankTwo[i * 35 + j] = a[i] * b[j] + a[(i + 7) % 40] * b[(j + 3) % 35];
    const cases: [string, Float64Array, number, number][] = [
      ['5 x 5', randomHost(25, 3), 5, 5], ['9 x 4', randomHost(36, 4), 9, 4], ['3 x 8', randomHost(24, 5), 3, 8],
      ['48 x 48', randomHost(48 * 48, 6), 48, 48], ['90 x 37', randomHost(90 * 37, 7), 90, 37], ['33 x 70', randomHost(33 * 70, 8), 33, 70],
      ['rank 2, 40 x 35', rankTwo, 40, 35],
    ];
    try {
      for (const [label, m, rows, cols] of cases) {
        for (const vectors of [true, false, 'right'] as const) {
          const withKernel = svdHost(m, rows, cols, vectors);
          registerF64Kernel('jacobi', null);
          const withLoop = svdHost(m, rows, cols, vectors);
          registerF64Kernel('jacobi', native);
          assert.deepEqual(withKernel, withLoop, `${label}, vectors ${vectors}`);
        }
      }
    } finally {
      registerF64Kernel('jacobi', native);
    }
  });

  test("'right' gives V alone: the full decomposition's V up to each column's sign, and no U", () => {
    for (const [rows, cols] of [[60, 40], [40, 60], [12, 12]]) {
      const m = randomHost(rows * cols, rows + cols);
      const full = svdHost(m, rows, cols, true);
      const right = svdHost(m, rows, cols, 'right');
      const k = Math.min(rows, cols);
      assert.equal(right.u.length, 0);
      assert.deepEqual(right.s, full.s);
      for (let j = 0; j < k; j++) {
        const sign = Math.sign(right.v[j]) === Math.sign(full.v[j]) ? 1 : -1;
        for (let i = 0; i < cols; i++) assert.equal(right.v[i * k + j], sign * full.v[i * k + j], `V[${i}][${j}] of ${rows} x ${cols}`);
      }
    }
  });
});
