/**
 * Convolutions with one output position per image (a DCGAN generator's 1x1 code projected by a transposed
 * convolution, a discriminator's last layer), which the wasm backend runs with the batch as one GEMM dimension
 * (src/backend/wasm/conv-point.ts): values and gradients as the cpu backend's, the forward and input gradient bit
 * for bit those of the image-by-image kernels (a batch of one), and every result the same on 1 and 2 threads.
 * @module
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { F, manualSeed, randn, setNumThreads, wasmBackendInfo, type Tensor } from '../../src/index.js';
import { assertClose, onBackend, to } from '../helpers/backends.js';

const loaded = wasmBackendInfo().loaded;

interface Case { name: string; x: number[]; w: number[]; stride?: number; padding?: number; dilation?: number; bias: boolean }
const CASES: Case[] = [
  { name: 'kernel the size of the input (a discriminator head)', x: [6, 5, 7, 7], w: [3, 5, 7, 7], bias: true },
  { name: 'padding and stride that leave one position', x: [5, 3, 3, 3], w: [7, 3, 3, 3], stride: 3, padding: 1, bias: false },
  { name: 'dilation', x: [4, 2, 5, 5], w: [9, 2, 3, 3], dilation: 2, bias: true },
];

/** The convolution's output and its gradients from `backend` for an upstream gradient `up`. */
function run(backend: string, c: Case, x: Tensor, w: Tensor, b: Tensor | null, up: Tensor): Tensor[] {
  return onBackend(backend, () => {
    const xi = to(x, backend).requiresGrad_();
    const wi = to(w, backend).requiresGrad_();
    const bi = b ? to(b, backend).requiresGrad_() : null;
    const y = F.conv2d(xi, wi, bi, { stride: c.stride, padding: c.padding, dilation: c.dilation });
    y.backward(to(up, backend));
    return [y, xi.grad!, wi.grad!, ...(bi ? [bi.grad!] : [])];
  });
}

const bits = (t: Tensor) => Array.from(t.toTypedArray());

describe('wasm convolutions with one output position per image', { skip: !loaded && 'the wasm backend did not load on this engine' }, () => {
  for (const c of CASES) {
    test(`${c.name}: value and gradients as on cpu, forward and input gradient as image by image, 1 and 2 threads alike`, () => {
      manualSeed(c.x[0] * 13 + c.w[0]);
      const x = randn(c.x);
      const w = randn(c.w);
      const b = c.bias ? randn([c.w[0]]) : null;
      const y0 = onBackend('cpu', () => F.conv2d(to(x, 'cpu'), to(w, 'cpu'), null, { stride: c.stride, padding: c.padding, dilation: c.dilation }));
      assert.deepEqual(y0.shape.slice(2), [1, 1], 'the case leaves one output position');
      const up = randn(y0.shape);
      const want = run('cpu', c, x, w, b, up);
      setNumThreads(1);
      let one: Tensor[];
      try {
        one = run('wasm', c, x, w, b, up);
      } finally {
        setNumThreads(2);
      }
      const two = run('wasm', c, x, w, b, up);
      const names = ['output', 'input gradient', 'weight gradient', 'bias gradient'];
      one.forEach((t, k) => assertClose(t, want[k], 1e-5, names[k]));
      two.forEach((t, k) => assert.deepEqual(bits(t), bits(one[k]), `${names[k]}: 2 threads`));
      // image by image (a batch of one runs the per-image kernels): the same chains of multiply-adds
      for (let n = 0; n < c.x[0]; n++) {
        const xn = x.narrow(0, n, 1).contiguous();
        const single = run('wasm', c, xn, w, b, up.narrow(0, n, 1).contiguous());
        assert.deepEqual(bits(single[0]), bits(one[0].narrow(0, n, 1).contiguous()), `output of image ${n}`);
        assert.deepEqual(bits(single[1]), bits(one[1].narrow(0, n, 1).contiguous()), `input gradient of image ${n}`);
      }
    });
  }

  test('a DCGAN generator\'s first layer: a transposed 7x7 convolution of a [N, 100, 1, 1] code, value and gradients as on cpu', () => {
    manualSeed(3);
    const z = randn([8, 100, 1, 1]);
    const w = randn([100, 16, 7, 7]);
    const up = randn([8, 16, 7, 7]);
    const grads = (backend: string) => onBackend(backend, () => {
      const zi = to(z, backend).requiresGrad_();
      const wi = to(w, backend).requiresGrad_();
      const y = F.convTranspose2d(zi, wi, null);
      y.backward(to(up, backend));
      return [y, zi.grad!, wi.grad!];
    });
    const want = grads('cpu');
    grads('wasm').forEach((t, k) => assertClose(t, want[k], 1e-4, ['output', 'code gradient', 'weight gradient'][k]));
  });
});
