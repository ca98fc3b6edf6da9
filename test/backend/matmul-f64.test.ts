/**
 * The wasm backend's float64 matmul (src/backend/wasm/matmul-f64.ts on assembly/dgemm.ts) against the cpu
 * backend's: the same bits on edges of the 4 x 4 blocks, depths past one 256-step block, transposed and
 * broadcast operands, batches and empty products.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { manualSeed, matmul, randn, type Tensor } from '../../src/index.js';
import { onBackend } from '../helpers/backends.js';

function bits(t: Tensor): number[] {
  return Array.from(t.toTypedArray());
}

describe('float64 matmul on wasm', () => {
  test('equals the cpu backend bit for bit', () => {
    const f64 = { dtype: 'float64' as const };
    const cases: [string, () => [Tensor, Tensor]][] = [
      ['7x5 @ 5x9', () => [randn([7, 5], f64), randn([5, 9], f64)]],
      ['33x600 @ 600x31 (three depth blocks)', () => [randn([33, 600], f64), randn([600, 31], f64)]],
      ['transposed operands', () => [randn([300, 20], f64).transpose(0, 1), randn([13, 300], f64).transpose(0, 1)]],
      ['batched, broadcast', () => [randn([3, 1, 6, 257], f64), randn([4, 257, 5], f64)]],
      ['vector @ matrix', () => [randn([40], f64), randn([40, 6], f64)]],
      ['empty depth', () => [randn([4, 0], f64), randn([0, 3], f64)]],
    ];
    for (const [label, make] of cases) {
      // the same draws on each backend
      const run = (backend: string) => onBackend(backend, () => {
        manualSeed(3);
        const [a, b] = make();
        return matmul(a, b);
      });
      const want = run('cpu');
      const got = run('wasm');
      const inputs = (backend: string) => onBackend(backend, () => {
        manualSeed(3);
        return make().map(bits);
      });
      assert.deepEqual(inputs('wasm'), inputs('cpu'), `${label}: the same inputs`);
      assert.equal(got.dtype, 'float64');
      assert.deepEqual(got.shape, want.shape, label);
      assert.deepEqual(bits(got), bits(want), label);
    }
  });
});
