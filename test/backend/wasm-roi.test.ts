/**
 * The wasm backend's RoI Align and RoI pooling kernels (src/backend/wasm/roi.ts, assembly/roi.ts) against the
 * cpu backend's (src/backend/cpu/roi.ts, torchvision's arithmetic step for step): forward values (and pooling's
 * argmax) and input gradients must be bit-identical in float32 for every option, on seeded maps with ordinary, degenerate, inverted, tiny, huge and
 * out-of-image boxes over several batch indices, for channel counts on and off the SIMD width, and on 1 and 2
 * threads. The torchvision fixtures themselves are checked on every backend by test/vision/ops.test.ts.
 * @module
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Generator, matmul, randn, setNumThreads, tensor, vision, wasmBackendInfo, type Tensor } from '../../src/index.js';
import { onBackend } from '../helpers/backends.js';

/**
 * K RoI rows (batch index, x1, y1, x2, y2) over an N-image H x W map seen at `scale`: one kind in turn of ordinary,
 * partly outside, wholly outside, a point, inverted, under one pixel and larger than the map.
 */
function mixedRois(g: Generator, K: number, N: number, H: number, W: number, scale: number): number[][] {
  const [w, h] = [W / scale, H / scale];
  const u = (lo: number, hi: number) => lo + g.random() * (hi - lo);
  return Array.from({ length: K }, (_, k) => {
    const b = Math.floor(g.random() * N);
    const x1 = u(0, w);
    const y1 = u(0, h);
    switch (k % 7) {
      case 0: return [b, x1, y1, x1 + u(0.5, w / 2), y1 + u(0.5, h / 2)];
      case 1: return [b, u(-w / 2, 0), u(-h / 2, 0), u(w / 2, 1.5 * w), u(h / 2, 1.5 * h)];
      case 2: return [b, w + u(2, 9), y1, w + u(10, 20), y1 + 3];
      case 3: return [b, x1, y1, x1, y1];
      case 4: return [b, x1, y1, x1 - u(0.5, 4), y1 - u(0.5, 4)];
      case 5: return [b, x1, y1, x1 + u(0, 0.9), y1 + u(0, 0.9)];
      default: return [b, u(-3 * w, -w), u(-3 * h, -h), u(2 * w, 4 * w), u(2 * h, 4 * h)];
    }
  });
}

interface Case {
  N: number;
  C: number;
  H: number;
  W: number;
  K: number;
  out: [number, number];
  opts: vision.RoiAlignOptions;
}

/** Forward values and input gradient (for a seeded output gradient) of one case on one backend, as plain arrays. */
function run(backend: string, c: Case, seed: number): [number[], number[]] {
  return onBackend(backend, () => {
    const g = new Generator(seed);
    const x = randn([c.N, c.C, c.H, c.W], { generator: g });
    x.requiresGrad = true;
    const rois = tensor(mixedRois(g, c.K, c.N, c.H, c.W, c.opts.spatialScale ?? 1));
    const y = vision.roiAlign(x, rois, c.out, c.opts);
    y.backward(randn(y.shape, { generator: g }));
    return [Array.from(y.toTypedArray()), Array.from((x.grad as Tensor).toTypedArray())];
  });
}

/** Two threads, with the worker started and ready (workers start in the background at the first split kernel). */
async function workersReady(): Promise<void> {
  setNumThreads(2);
  const a = randn([600, 600]);
  matmul(a, a);
  for (let i = 0; i < 200 && wasmBackendInfo().workersReady < 1; i++) await new Promise((r) => setTimeout(r, 25));
  assert.equal(wasmBackendInfo().workersReady, 1);
}

describe('wasm roiAlign and roiPool kernels', () => {
  test('float32 values and gradients equal the cpu kernel bit for bit, every option and box kind, C on and off the SIMD width', () => {
    setNumThreads(1);
    let seed = 0;
    for (const aligned of [false, true]) {
      for (const samplingRatio of [-1, 0, 1, 2, 3]) {
        for (const [spatialScale, C] of [[1, 1], [0.5, 4], [1 / 8, 6], [1.3, 9]] as const) {
          const c: Case = { N: 3, C, H: 7, W: 9, K: 21, out: [3, 4], opts: { aligned, samplingRatio, spatialScale } };
          const [yc, gc] = run('cpu', c, ++seed);
          const [yw, gw] = run('wasm', c, seed);
          const label = JSON.stringify(c.opts) + ` C=${C}`;
          assert.deepEqual(yw, yc, `values ${label}`);
          assert.deepEqual(gw, gc, `gradient ${label}`);
          assert.ok(yc.some((v) => v !== 0) && gc.some((v) => v !== 0), `${label}: something was sampled`);
        }
      }
    }
    setNumThreads(2);
  });

  test('roiPool: float32 values, argmax and gradients equal the cpu kernel bit for bit, with ties and empty bins, on 1 and 2 threads', async () => {
    await workersReady();
    let seed = 100;
    for (const threads of [1, 2]) {
      setNumThreads(threads);
      for (const [spatialScale, C, K] of [[1, 1, 21], [0.5, 4, 21], [1 / 8, 6, 21], [1.3, 9, 21], [0.5, 20, 600]] as const) {
        const pool = (backend: string) => onBackend(backend, () => {
          const g = new Generator(seed);
          // a coarse grid of values, so windows hold ties
          const x = randn([3, C, 7, 9], { generator: g }).mul(2).round();
          x.requiresGrad = true;
          const y = vision.roiPool(x, tensor(mixedRois(g, K, 3, 7, 9, spatialScale)), [3, 2], { spatialScale });
          y.backward(randn(y.shape, { generator: g }));
          return [Array.from(y.toTypedArray()), Array.from((x.grad as Tensor).toTypedArray())];
        });
        seed++;
        const [yc, gc] = pool('cpu');
        const [yw, gw] = pool('wasm');
        assert.deepEqual(yw, yc, `values scale ${spatialScale} C=${C}`);
        assert.deepEqual(gw, gc, `gradient scale ${spatialScale} C=${C}`);
      }
    }
    setNumThreads(2);
  });

  test('float64 on wasm is the cpu kernel; no RoIs give an empty output and a zero gradient on both backends', () => {
    const c: Case = { N: 2, C: 3, H: 5, W: 6, K: 9, out: [2, 2], opts: { samplingRatio: -1, aligned: true, spatialScale: 0.7 } };
    const run64 = (backend: string) => onBackend(backend, () => {
      const g = new Generator(5);
      const x = randn([c.N, c.C, c.H, c.W], { dtype: 'float64', generator: g });
      x.requiresGrad = true;
      const y = vision.roiAlign(x, tensor(mixedRois(g, c.K, c.N, c.H, c.W, 0.7), { dtype: 'float64' }), c.out, c.opts);
      y.square().sum().backward();
      return [Array.from(y.toTypedArray()), Array.from((x.grad as Tensor).toTypedArray())];
    });
    assert.deepEqual(run64('wasm'), run64('cpu'));
    for (const backend of ['cpu', 'wasm']) {
      onBackend(backend, () => {
        const x = randn([2, 3, 4, 4]);
        x.requiresGrad = true;
        const y = vision.roiAlign(x, tensor([] as number[]).reshape([0, 5]), 7);
        assert.deepEqual(y.shape, [0, 3, 7, 7]);
        y.sum().backward();
        assert.ok(Array.from((x.grad as Tensor).toTypedArray()).every((v) => v === 0));
      });
    }
  });

  test('a strided (non-contiguous) map gives the contiguous copy\'s results', () => {
    onBackend('wasm', () => {
      const g = new Generator(9);
      const base = randn([2, 5, 8, 3], { generator: g });
      const x = base.permute([0, 3, 1, 2]);
      const rois = tensor(mixedRois(g, 14, 2, 5, 8, 1));
      const a = vision.roiAlign(x, rois, 3, { samplingRatio: 2 });
      const b = vision.roiAlign(x.contiguous(), rois, 3, { samplingRatio: 2 });
      assert.deepEqual(Array.from(a.toTypedArray()), Array.from(b.toTypedArray()));
    });
  });

  test('results do not depend on the thread count: Faster R-CNN-sized passes split over 2 threads equal 1 thread and cpu', async () => {
    await workersReady();
    for (const c of [
      { N: 4, C: 32, H: 12, W: 12, K: 96, out: [7, 7], opts: { spatialScale: 1 / 8, samplingRatio: 2 } },
      { N: 2, C: 30, H: 10, W: 11, K: 80, out: [7, 6], opts: { spatialScale: 0.5, samplingRatio: -1, aligned: true } },
    ] as Case[]) {
      const one = (() => {
        setNumThreads(1);
        return run('wasm', c, 21);
      })();
      setNumThreads(2);
      for (let k = 0; k < 3; k++) assert.deepEqual(run('wasm', c, 21), one);
      assert.deepEqual(run('cpu', c, 21), one);
    }
  });
});
