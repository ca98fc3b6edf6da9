/**
 * The wasm backend's float64 matmul (src/backend/wasm/matmul-f64.ts on assembly/dgemm.ts) against the cpu
 * backend's: the same bits on edges of the 4 x 4 blocks, depths past one 256-step block, transposed and
 * broadcast operands, batches and empty products; products large enough to be split over the kernel threads (by
 * column blocks and by row blocks) give the same bits on 1 and 2 threads, and so does the host linear algebra on them.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { linalg, manualSeed, matmul, randn, setNumThreads, type Tensor, wasmBackendInfo } from '../../src/index.js';
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
      ['130x300 @ 300x203 (split by column blocks)', () => [randn([130, 300], f64), randn([300, 203], f64)]],
      ['205x300 @ 300x90 (split by row blocks)', () => [randn([205, 300], f64), randn([300, 90], f64)]],
    ];
    for (const threads of [1, 2]) for (const [label0, make] of cases) {
      const label = `${label0}, ${threads} thread(s)`;
      setNumThreads(threads);
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
    setNumThreads(2);
  });

  test('the host linear algebra gives the same bits on 1 and 2 kernel threads', { skip: !wasmBackendInfo().sharedMemory && 'no shared memory: one thread only' }, () => {
    manualSeed(4);
    const a = randn([260, 240], { dtype: 'float64' });
    const run = (threads: number) => {
      setNumThreads(threads);
      try {
        const { U, S, Vh } = linalg.svd(a);
        return [U, S, Vh, linalg.eigh(a.mT.matmul(a)).eigenvectors, linalg.pinv(a)].map(bits);
      } finally {
        setNumThreads(2);
      }
    };
    const one = run(1);
    // twice on two threads: the second run has the workers ready (the first may run alone while they start)
    run(2);
    const two = run(2);
    one.forEach((x, i) => assert.deepEqual(two[i], x, `result ${i}`));
  });
});
