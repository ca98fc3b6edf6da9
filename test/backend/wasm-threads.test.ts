/**
 * The wasm backend's thread pool under back-to-back parallel kernels of every size (a worker then sometimes joins
 * a job, sometimes wakes after its chunks ran out and must skip it), and the binary kernel's repeated-block
 * broadcast (a bias row, an attention mask): results equal the cpu backend's, and bit for bit on 1 and 2 threads.
 * @module
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { manualSeed, matmul, randn, setNumThreads, wasmBackendInfo, type Tensor } from '../../src/index.js';
import { onBackend, to } from '../helpers/backends.js';

const loaded = wasmBackendInfo().loaded;

/** The float32 values of `t`, bit for bit comparable. */
function bits(t: Tensor): number[] {
  return Array.from(t.toTypedArray());
}

/** `f` run on `threads` threads (the default of 2 restored after). */
function onThreads<T>(threads: number, f: () => T): T {
  setNumThreads(threads);
  try {
    return f();
  } finally {
    setNumThreads(2);
  }
}

describe('wasm thread pool and broadcasts', { skip: !loaded && 'the wasm backend did not load on this engine' }, () => {
  test('a block repeated along the leading dims (bias rows, masks) adds, multiplies and divides as on cpu, on 1 and 2 threads', () => {
    manualSeed(11);
    // inner lengths not a multiple of 4, and sizes past the parallel split (2^17 elements)
    for (const [rows, inner] of [[3, 5], [2048, 64], [1100, 123], [128 * 64, 64], [7, 1]]) {
      const x = randn([rows, inner]);
      const b = randn([inner]);
      for (const op of ['add', 'mul', 'div', 'sub'] as const) {
        const want = onBackend('cpu', () => to(x, 'cpu')[op](to(b, 'cpu')));
        const one = onThreads(1, () => x[op](b));
        const two = onThreads(2, () => x[op](b));
        assert.deepEqual(bits(one), bits(want), `${op} [${rows}, ${inner}] + [${inner}] on 1 thread`);
        assert.deepEqual(bits(two), bits(one), `${op} [${rows}, ${inner}] on 2 threads`);
        // the broadcast operand first (the kernel swaps its operands)
        const flipped = onThreads(2, () => b[op](x));
        assert.deepEqual(bits(flipped), bits(onBackend('cpu', () => to(b, 'cpu')[op](to(x, 'cpu')))), `${op} flipped`);
      }
    }
    // a [H, W] mask over [N, H, W] scores
    const scores = randn([128, 64, 64]);
    const mask = randn([64, 64]);
    assert.deepEqual(bits(onThreads(2, () => scores.add(mask))), bits(onBackend('cpu', () => to(scores, 'cpu').add(to(mask, 'cpu')))));
  });

  test('hundreds of back-to-back parallel kernels of mixed sizes give the single-thread results bit for bit', () => {
    manualSeed(5);
    const jobs: (() => Tensor)[] = [];
    for (let i = 0; i < 60; i++) {
      const n = 1 << (14 + (i % 6));
      const x = randn([n]);
      const y = randn([n]);
      const a = randn([48 + (i % 5) * 16, 300]);
      const b = randn([300, 200 + (i % 3) * 8]);
      jobs.push(() => x.mul(y).add(x), () => x.relu(), () => matmul(a, b));
    }
    const one = onThreads(1, () => jobs.map((f) => bits(f())));
    for (let round = 0; round < 3; round++) {
      const two = onThreads(2, () => jobs.map((f) => bits(f())));
      two.forEach((got, k) => assert.deepEqual(got, one[k], `job ${k}, round ${round}`));
    }
  });
});
