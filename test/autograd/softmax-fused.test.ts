/**
 * The fused softmax over the last dim (src/autograd/softmax-fused.ts, `Kernels.softmaxLastDim`) against the
 * composite op (max, shift, exp, sum, division — what `softmax` builds over any other dim) on every backend:
 * values and gradients in float32 and float64, rows of every length modulo 4, rows holding ±inf or NaN, gradients
 * of gradients, and (wasm) the same bits on one thread and on two.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { onBackend } from '../helpers/backends.js';
import type { Tensor } from '../../src/index.js';

const maxDiff = (a: Tensor, b: Tensor) => {
  const p = a.toTypedArray();
  const q = b.toTypedArray();
  assert.equal(p.length, q.length);
  let m = 0;
  for (let i = 0; i < p.length; i++) m = Math.max(m, Math.abs(p[i] - q[i]));
  return m;
};
/** The composite softmax over the last dim: the op over dim -2 of x with a trailing unit dim. */
const composite = (x: Tensor) => sd.F.softmax(x.unsqueeze(-1), -2).squeeze(-1);

for (const backend of sd.listBackends()) {
  describe(`softmax over the last dim, fused (${backend})`, () => {
    const use = (f: () => void) => () => onBackend(backend, f);

    test('values and gradients equal the composite op (float32 and float64, row lengths 1..9 and 64)', use(() => {
      for (const dtype of ['float32', 'float64'] as const) {
        const tol = dtype === 'float32' ? 5e-7 : 1e-15;
        for (const n of [1, 2, 3, 4, 5, 6, 7, 9, 64]) {
          sd.manualSeed(n);
          const x = sd.randn([3, 5, n], { dtype }).mul(4).requiresGrad_();
          const g = sd.randn([3, 5, n], { dtype });
          const y = sd.F.softmax(x, -1);
          const want = composite(x);
          assert.ok(maxDiff(y, want) <= tol, `${dtype} n=${n} values: ${maxDiff(y, want)}`);
          const [gx] = sd.grad([y], [x], [g]);
          const [hx] = sd.grad([want], [x], [g]);
          assert.ok(maxDiff(gx, hx) <= 4 * tol, `${dtype} n=${n} gradient: ${maxDiff(gx, hx)}`);
        }
      }
    }));

    test('rows holding +inf, NaN or only -inf give what the composite gives', use(() => {
      const x = sd.tensor([[1, Infinity, 2, 0, 1], [-Infinity, -Infinity, -Infinity, -Infinity, -Infinity], [1, NaN, 2, 3, 4], [-Infinity, 0, 1, 2, -Infinity]]);
      assert.deepEqual(sd.F.softmax(x, 1).toArray(), composite(x).toArray());
    }));

    test('gradients of gradients equal the composite op\'s', use(() => {
      sd.manualSeed(3);
      const x = sd.randn([4, 7], { dtype: 'float64' }).requiresGrad_();
      const g = sd.randn([4, 7], { dtype: 'float64' });
      const v = sd.randn([4, 7], { dtype: 'float64' });
      const second = (f: (x: Tensor) => Tensor) => {
        const [gx] = sd.grad([f(x)], [x], [g], { createGraph: true });
        return sd.grad([gx.mul(v).sum()], [x])[0];
      };
      assert.ok(maxDiff(second((z) => sd.F.softmax(z, -1)), second(composite)) <= 1e-14);
      assert.ok(sd.gradcheck((z) => sd.F.softmax(z, -1), [x]));
    }));
  });
}

test('wasm: the same bits on one thread and on two (rows split over threads)', { skip: !sd.listBackends().includes('wasm') }, async () => {
  const prev = sd.getBackend().name;
  const threads = sd.getNumThreads();
  sd.setBackend('wasm');
  try {
    sd.manualSeed(9);
    const x = sd.randn([256, 4, 67]).mul(3).requiresGrad_();
    const g = sd.randn([256, 4, 67]);
    sd.setNumThreads(2);
    sd.F.softmax(x, -1); // starts the workers
    for (let i = 0; i < 200 && sd.wasmBackendInfo().workersReady < 1; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(sd.wasmBackendInfo().workersReady, 1);
    const run = (t: number) => {
      sd.setNumThreads(t);
      const y = sd.F.softmax(x, -1);
      return [Array.from(y.toTypedArray()), Array.from(sd.grad([y], [x], [g])[0].toTypedArray())];
    };
    assert.deepEqual(run(2), run(1));
  } finally {
    sd.setNumThreads(threads);
    sd.setBackend(prev);
  }
});
