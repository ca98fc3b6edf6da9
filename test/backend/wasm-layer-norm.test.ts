/**
 * Layer normalization on the wasm backend (src/backend/wasm/layer-norm.ts, assembly/layer-norm.ts): float32 values
 * and the gradients of x, weight and bias through autograd (F.layerNorm and nn.LayerNorm) against the cpu kernel on
 * odd row lengths and row counts, with and without weight and bias; rows holding NaN or infinities; rows far from
 * zero and rows whose spread is so small that the float32 constants overflow; strided views; parameters an optimizer
 * moved into the kernel memory; results bit-identical on 1 and 2 threads; float32 really in the wasm kernels (their
 * weight and bias gradients the cpu kernel's bit for bit, given the same statistics), float64 still on the cpu kernel.
 * @module
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cpuBackend } from '../../src/backend/cpu/index.js';
import { HostStorage } from '../../src/backend/cpu/storage.js';
import type { View } from '../../src/backend/types.js';
import { F, Tensor, grad, manualSeed, nn, optim, randn, setNumThreads, tensor, wasmBackendInfo } from '../../src/index.js';
import { onBackend, assertClose } from '../helpers/backends.js';

type Affine = 'none' | 'weight' | 'bias' | 'both';

/** A copy of `t` on `backend` (from its typed array: quicker than the helpers' nested arrays for 2M elements). */
function to(t: Tensor, backend: string): Tensor {
  return onBackend(backend, () => tensor(t.toTypedArray().slice(), { shape: t.shape, dtype: t.dtype }));
}

/** F.layerNorm over the last dim of `x` on `backend` and its gradients for output gradient `g`: [y, dx, dweight?, dbias?]. */
function layerNormStep(backend: string, x: Tensor, g: Tensor, affine: Affine, eps = 1e-5): Tensor[] {
  const n = x.shape[x.shape.length - 1];
  return onBackend(backend, () => {
    const xi = to(x, backend).requiresGrad_();
    const w = affine === 'weight' || affine === 'both' ? to(seeded([n], 3, x.dtype as 'float32' | 'float64'), backend).requiresGrad_() : null;
    const b = affine === 'bias' || affine === 'both' ? to(seeded([n], 4, x.dtype as 'float32' | 'float64'), backend).requiresGrad_() : null;
    const y = F.layerNorm(xi, [n], { weight: w, bias: b, eps });
    const inputs = [xi, ...(w ? [w] : []), ...(b ? [b] : [])];
    return [y, ...grad([y], inputs, [to(g, backend)])];
  });
}

/** randn(shape) * 0.5 + 1 on cpu from seed `seed`. */
function seeded(shape: number[], seed: number, dtype: 'float32' | 'float64' = 'float32'): Tensor {
  manualSeed(seed);
  return onBackend('cpu', () => randn(shape, { dtype }).mul(0.5).add(1));
}

/** Element-by-element bit equality (NaNs equal, +0 and -0 not). */
function assertSameBits(a: Tensor, b: Tensor, label: string): void {
  assert.deepEqual(a.shape, b.shape, `${label}: shape`);
  const p = a.toTypedArray();
  const q = b.toTypedArray();
  for (let i = 0; i < p.length; i++) assert.ok(Object.is(p[i], q[i]), `${label}: element ${i}: ${p[i]} vs ${q[i]}`);
}

/** NaN where `want` is NaN, equal infinities, and the finite elements within rtol · (max finite |want| + 1). */
function assertCloseNaN(got: Tensor, want: Tensor, rtol: number, label: string): void {
  const g = got.toTypedArray();
  const w = want.toTypedArray();
  let scale = 0;
  for (const v of w) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < w.length; i++) {
    if (!Number.isFinite(w[i])) assert.ok(Object.is(g[i], w[i]), `${label}: element ${i}: got ${g[i]}, expected ${w[i]}`);
    else assert.ok(Math.abs(g[i] - w[i]) <= rtol * (scale + 1), `${label}: element ${i}: got ${g[i]}, expected ${w[i]}`);
  }
}

const loaded = wasmBackendInfo().loaded;
const NAMES = ['y', 'dx', 'dweight/dbias', 'dbias'];

describe('layer norm on wasm', { skip: !loaded && 'the wasm backend did not load on this engine' }, () => {
  test('float32 values and gradients match cpu: n 1, 3, 7, 64, 1000; rows 1, 5, 2048; with and without weight and bias', () => {
    setNumThreads(1);
    for (const n of [1, 3, 7, 64, 1000]) {
      for (const rows of [1, 5, 2048]) {
        manualSeed(n + rows);
        const x = onBackend('cpu', () => randn([rows, n]).mul(3).add(2));
        const g = onBackend('cpu', () => randn([rows, n]));
        // the 2M-element case once, with both
        for (const affine of n * rows > 1 << 20 ? (['both'] as const) : (['none', 'weight', 'bias', 'both'] as const)) {
          const want = layerNormStep('cpu', x, g, affine);
          const got = layerNormStep('wasm', x, g, affine);
          got.forEach((t, i) => assertClose(t, want[i], 5e-7, `n=${n} rows=${rows} ${affine} ${NAMES[i]}`));
        }
      }
    }
    setNumThreads(2);
  });

  test('a transposed (strided) input and output gradient match cpu', () => {
    manualSeed(8);
    const x = onBackend('cpu', () => randn([9, 3, 30]).mul(2).add(1));
    const g = onBackend('cpu', () => randn([9, 3, 30]));
    const step = (backend: string) => onBackend(backend, () => {
      const xi = to(x, backend).requiresGrad_();
      const w = to(seeded([9], 3), backend).requiresGrad_();
      const y = F.layerNorm(xi.transpose(0, 2), [9], { weight: w });
      return [y, ...grad([y], [xi, w], [to(g, backend).transpose(0, 2)])];
    });
    const want = step('cpu');
    step('wasm').forEach((t, i) => assertClose(t, want[i], 5e-7, `strided ${NAMES[i]}`));
  });

  test('bit-identical on 1 and 2 threads', () => {
    for (const [rows, n] of [[2048, 64], [5, 1000], [300, 7]]) {
      manualSeed(rows);
      const x = onBackend('cpu', () => randn([rows, n]).mul(2));
      const g = onBackend('cpu', () => randn([rows, n]));
      for (const affine of ['none', 'both'] as const) {
        setNumThreads(1);
        const one = layerNormStep('wasm', x, g, affine);
        setNumThreads(2);
        const two = layerNormStep('wasm', x, g, affine);
        one.forEach((t, i) => assertSameBits(two[i], t, `[${rows}, ${n}] ${affine} ${NAMES[i]}`));
      }
    }
  });

  test('rows holding NaN or infinities give NaN as on cpu; the other rows are unchanged', () => {
    for (const n of [3, 8, 13]) {
      const rows: number[][] = [];
      for (let r = 0; r < 6; r++) rows.push(Array.from({ length: n }, (_, i) => Math.sin(r * 7 + i) * 2));
      rows[1][n - 1] = NaN;
      rows[2][0] = Infinity;
      rows[3][n >> 1] = -Infinity;
      rows[4][0] = Infinity;
      rows[4][n - 1] = -Infinity;
      const x = onBackend('cpu', () => tensor(rows));
      const g = onBackend('cpu', () => randn([6, n]));
      const want = layerNormStep('cpu', x, g, 'both');
      const got = layerNormStep('wasm', x, g, 'both');
      got.forEach((t, i) => assertCloseNaN(t, want[i], 1e-6, `n=${n} ${NAMES[i]}`));
      const y = got[0].toTypedArray();
      for (let i = n; i < 5 * n; i++) assert.ok(Number.isNaN(y[i]), `n=${n}: element ${i} is ${y[i]}`);
      for (let i = 5 * n; i < 6 * n; i++) assert.ok(Number.isFinite(y[i]), `n=${n}: element ${i} is ${y[i]}`);
    }
  });

  test('rows far from zero, and rows too narrow for float32 constants (eps 0), match cpu', () => {
    manualSeed(11);
    const far = onBackend('cpu', () => randn([64, 37]).mul(0.01).add(1000));
    const g = onBackend('cpu', () => randn([64, 37]));
    const want = layerNormStep('cpu', far, g, 'both');
    layerNormStep('wasm', far, g, 'both').forEach((t, i) => assertClose(t, want[i], 2e-6, `far ${NAMES[i]}`));
    // a spread of ~1e-40 (subnormal floats): 1 / std overflows float32 but not float64
    const narrow = onBackend('cpu', () => tensor([Array.from({ length: 9 }, (_, i) => (i % 4) * 1e-40), [1, 2, 3, 4, 5, 6, 7, 8, 9]]));
    const g2 = onBackend('cpu', () => randn([2, 9]).mul(1e-30));
    const want2 = layerNormStep('cpu', narrow, g2, 'weight', 0);
    const got2 = layerNormStep('wasm', narrow, g2, 'weight', 0);
    assert.ok(Number.isFinite(want2[0].toTypedArray()[0]));
    got2.forEach((t, i) => assertClose(t, want2[i], 1e-6, `narrow ${NAMES[i]}`));
  });

  test('nn.LayerNorm over two dims through autograd matches cpu, also with parameters an optimizer keeps in the kernel memory', () => {
    const run = (backend: string) => onBackend(backend, () => {
      manualSeed(5);
      const ln = new nn.LayerNorm([6, 10]);
      const opt = new optim.Adam(ln.parameters(), { lr: 0.05 });
      manualSeed(6);
      const x = randn([4, 3, 6, 10]).mul(2).add(1);
      const target = randn([4, 3, 6, 10]);
      const out: Tensor[] = [];
      for (let step = 0; step < 3; step++) {
        opt.zeroGrad();
        const y = ln.forward(x);
        y.sub(target).square().mean().backward();
        out.push(y.detach(), ln.weight!.grad!.clone(), ln.bias!.grad!.clone());
        opt.step();
      }
      return [...out, ln.weight!.detach().clone(), ln.bias!.detach().clone()];
    });
    const want = run('cpu');
    run('wasm').forEach((t, i) => assertClose(t, want[i], 2e-6, `tensor ${i}`));
  });

  test('float32 runs the wasm kernels, float64 the host ones; given the same statistics, dweight and dbias are the cpu kernel\'s bit for bit', async () => {
    const { WasmRuntime, loadRuntime } = await import('../../src/backend/wasm/runtime.js');
    const { ThreadPool } = await import('../../src/backend/wasm/threads.js');
    const { createWasmBackend } = await import('../../src/backend/wasm/kernels.js');
    const base = await loadRuntime();
    const calls = { forward: 0, backward: 0 };
    const exports = {
      ...base.exports,
      layerNormF32: (...a: Parameters<typeof base.exports.layerNormF32>) => (calls.forward++, base.exports.layerNormF32(...a)),
      layerNormBackwardF32: (...a: Parameters<typeof base.exports.layerNormBackwardF32>) => (calls.backward++, base.exports.layerNormBackwardF32(...a)),
    };
    const rt = new WasmRuntime(base.module, base.memory, exports, base.info);
    const backend = createWasmBackend(rt, new ThreadPool(rt, 1));
    const view = (dtype: 'float32' | 'float64', shape: number[]): View => {
      const n = shape.reduce((a, d) => a * d, 1);
      const data = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
      data.forEach((_, i) => (data[i] = Math.sin(i)));
      return { storage: new HostStorage(dtype, data, 'wasm'), shape, strides: shape.length === 2 ? [shape[1], 1] : [1], offset: 0 };
    };
    for (const dtype of ['float32', 'float64'] as const) {
      const [rows, n] = [300, 37];
      const [x, g, w] = [view(dtype, [rows, n]), view(dtype, [rows, n]), view(dtype, [n])];
      (g.storage as HostStorage).data.reverse();
      const [, stats] = backend.layerNormRows(x, n, w, null, 1e-5);
      assert.equal(stats.dtype, 'float64');
      const sv: View = { storage: stats, shape: [2, rows], strides: [rows, 1], offset: 0 };
      const [, dwb] = backend.layerNormRowsBackward(x, g, sv, n, w);
      assert.deepEqual(calls, { forward: 1, backward: 1 }, dtype);
      const [, want] = cpuBackend.layerNormRowsBackward(x, g, sv, n, w);
      assert.deepEqual((dwb as HostStorage).data, (want as HostStorage).data, `${dtype} dweight, dbias`);
    }
  });

  test('float64 runs the cpu kernel: bit for bit', () => {
    manualSeed(9);
    const x = onBackend('cpu', () => randn([33, 17], { dtype: 'float64' }).mul(3));
    const g = onBackend('cpu', () => randn([33, 17], { dtype: 'float64' }));
    for (const affine of ['none', 'both'] as const) {
      const want = layerNormStep('cpu', x, g, affine);
      const got = layerNormStep('wasm', x, g, affine);
      assert.equal(got[0].dtype, 'float64');
      got.forEach((t, i) => assertSameBits(t, want[i], `float64 ${affine} ${NAMES[i]}`));
    }
  });
});
