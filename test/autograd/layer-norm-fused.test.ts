/**
 * The fused layer normalization (src/autograd/norm-fused.ts, `Kernels.layerNormRows`) against the same function
 * written with public ops (mean, variance, rsqrt, scale and shift), on every backend: values and the gradients of
 * x, weight and bias in float32 and float64, over one and two trailing dims, with and without weight and bias, a
 * one-element row, and gradients of gradients. The PyTorch fixtures of the layerNorm op check it against torch.
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
  for (let i = 0; i < p.length; i++) m = Math.max(m, Math.abs(p[i] - q[i]) / (1 + Math.abs(q[i])));
  return m;
};

/** Layer norm over the last `k` dims from public ops. */
function reference(x: Tensor, k: number, w: Tensor | null, b: Tensor | null, eps: number): Tensor {
  const lead = x.shape.slice(0, x.ndim - k);
  const n = x.shape.slice(x.ndim - k).reduce((a, d) => a * d, 1);
  const x2 = x.reshape([...lead, n]);
  const centered = x2.sub(x2.mean(-1, true));
  let y = centered.mul(centered.square().mean(-1, true).add(eps).rsqrt()).reshape(x.shape);
  if (w) y = y.mul(w);
  if (b) y = y.add(b);
  return y;
}

for (const backend of sd.listBackends()) {
  describe(`layerNorm, fused (${backend})`, () => {
    const use = (f: () => void) => () => onBackend(backend, f);

    test('values and the gradients of x, weight and bias equal the composite (float32, float64; one and two dims)', use(() => {
      for (const dtype of ['float32', 'float64'] as const) {
        const tol = dtype === 'float32' ? 2e-6 : 1e-12;
        for (const ns of [[7], [3, 5], [1]]) {
          for (const affine of ['none', 'weight', 'both'] as const) {
            sd.manualSeed(ns.length * 10 + ns[0]);
            const x = sd.randn([4, 2, ...ns], { dtype }).mul(3).add(1).requiresGrad_();
            const w = affine === 'none' ? null : sd.randn(ns, { dtype }).requiresGrad_();
            const b = affine === 'both' ? sd.randn(ns, { dtype }).requiresGrad_() : null;
            const g = sd.randn(x.shape as number[], { dtype });
            const y = sd.F.layerNorm(x, ns, { weight: w, bias: b, eps: 1e-3 });
            const want = reference(x, ns.length, w, b, 1e-3);
            const what = `${dtype} ${JSON.stringify(ns)} ${affine}`;
            assert.ok(maxDiff(y, want) <= tol, `${what} values ${maxDiff(y, want)}`);
            const inputs = [x, ...(w ? [w] : []), ...(b ? [b] : [])];
            const got = sd.grad([y], inputs, [g]);
            const exp = sd.grad([want], inputs, [g]);
            got.forEach((t, i) => assert.ok(maxDiff(t, exp[i]) <= 4 * tol, `${what} gradient ${i}: ${maxDiff(t, exp[i])}`));
          }
        }
      }
    }));

    test('gradients of gradients equal the composite\'s; gradcheck', use(() => {
      sd.manualSeed(4);
      const x = sd.randn([3, 6], { dtype: 'float64' }).requiresGrad_();
      const w = sd.randn([6], { dtype: 'float64' }).requiresGrad_();
      const b = sd.randn([6], { dtype: 'float64' }).requiresGrad_();
      const g = sd.randn([3, 6], { dtype: 'float64' });
      const v = sd.randn([3, 6], { dtype: 'float64' });
      const second = (f: () => Tensor) => {
        const [gx, gw] = sd.grad([f()], [x, w], [g], { createGraph: true });
        return sd.grad([gx.mul(v).sum().add(gw.sum())], [x, w]);
      };
      const got = second(() => sd.F.layerNorm(x, [6], { weight: w, bias: b }));
      const want = second(() => reference(x, 1, w, b, 1e-5));
      got.forEach((t, i) => assert.ok(maxDiff(t, want[i]) <= 1e-10, `second order ${i}: ${maxDiff(t, want[i])}`));
      assert.ok(sd.gradcheck((a, c, d) => sd.F.layerNorm(a, [6], { weight: c, bias: d }), [x, w, b]));
    }));
  });
}
