/**
 * The fused cross-entropy of logits [N, C] at class indices (src/nn/cross-entropy-fused.ts) against the same loss
 * written with differentiable ops (logSoftmax times a one-hot, weighted, reduced), in float64 on every backend:
 * values and gradients for each reduction, with ignored rows and class weights, every row ignored, and gradients
 * of gradients (createGraph). The PyTorch fixtures of test/nn/loss.test.ts check the same path against torch.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { onBackend } from '../helpers/backends.js';
import * as F from '../../src/nn/functional.js';
import type { Tensor } from '../../src/index.js';

const close = (a: Tensor, b: Tensor, what: string, tol = 1e-12) => {
  const x = a.toTypedArray();
  const y = b.toTypedArray();
  assert.equal(x.length, y.length, what);
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - y[i]) <= tol * (1 + Math.abs(y[i])), `${what}[${i}]: ${x[i]} vs ${y[i]}`);
};

/** The loss from differentiable ops: -w[t] logSoftmax(x)[t] per row, 0 where ignored, reduced as PyTorch. */
function reference(x: Tensor, t: number[], w: number[] | null, ignore: number, reduction: 'none' | 'mean' | 'sum'): Tensor {
  const [N, C] = x.shape;
  const pick = new Float64Array(N * C);
  const rw = new Float64Array(N);
  t.forEach((c, n) => {
    if (c === ignore) return;
    rw[n] = w ? w[c] : 1;
    pick[n * C + c] = rw[n];
  });
  const rows = F.logSoftmax(x, 1).mul(sd.tensor(Array.from(pick), { dtype: 'float64' }).reshape([N, C])).sum(1).neg();
  if (reduction === 'none') return rows;
  return reduction === 'sum' ? rows.sum() : rows.sum().div(rw.reduce((a, b) => a + b, 0));
}

for (const backend of sd.listBackends()) {
  describe(`fused cross-entropy (${backend})`, () => {
    const use = (f: () => void) => () => onBackend(backend, f);
    const targets = [2, 0, -100, 4, 1, 4];
    const weights = [0.5, 2, 1, 0.25, 3];

    test('values and gradients equal the composite, for each reduction, with ignored rows and class weights', use(() => {
      for (const reduction of ['mean', 'sum', 'none'] as const) {
        for (const w of [null, weights]) {
          sd.manualSeed(1);
          const x = sd.randn([6, 5], { dtype: 'float64' }).mul(3).requiresGrad_();
          const t = sd.tensor(targets, { dtype: 'int32' });
          const opts = { reduction, ...(w ? { weight: sd.tensor(w, { dtype: 'float64' }) } : {}) };
          const got = F.crossEntropy(x, t, opts);
          const want = reference(x, targets, w, -100, reduction);
          close(got, want, `${reduction} ${w ? 'weighted' : ''} value`);
          const up = reduction === 'none' ? sd.randn([6], { dtype: 'float64' }) : sd.tensor(1.5, { dtype: 'float64' });
          const [g] = sd.grad([got], [x], [up]);
          const [h] = sd.grad([want], [x], [up]);
          close(g, h, `${reduction} ${w ? 'weighted' : ''} gradient`);
          assert.deepEqual(Array.from(g.select(0, 2).toTypedArray()), [0, 0, 0, 0, 0]);
        }
      }
    }));

    test('every row ignored: the mean is NaN and the gradient zero, as PyTorch', use(() => {
      const x = sd.randn([3, 4], { dtype: 'float64' }).requiresGrad_();
      const l = F.crossEntropy(x, sd.tensor([7, 7, 7], { dtype: 'int32' }), { ignoreIndex: 7 });
      assert.ok(Number.isNaN(l.item()));
      l.backward();
      assert.deepEqual(Array.from(x.grad!.toTypedArray()), new Array(12).fill(0));
    }));

    test('a 1-D input is one row; float32 rounds the float64 result once', use(() => {
      const x = sd.tensor([1, 2, 3], { dtype: 'float32' });
      const l = F.crossEntropy(x, sd.tensor(1, { dtype: 'int32' }));
      assert.deepEqual([...l.shape], []);
      assert.equal(l.item(), Math.fround(3 + Math.log(1 + Math.exp(-1) + Math.exp(-2)) - 2));
    }));

    test('gradients of gradients (createGraph) equal the composite\'s', use(() => {
      sd.manualSeed(2);
      const x = sd.randn([6, 5], { dtype: 'float64' }).requiresGrad_();
      const v = sd.randn([6, 5], { dtype: 'float64' });
      const t = sd.tensor(targets, { dtype: 'int32' });
      const second = (loss: (x: Tensor) => Tensor) => {
        const [g] = sd.grad([loss(x)], [x], undefined, { createGraph: true });
        return sd.grad([g.mul(v).sum()], [x])[0];
      };
      const w = sd.tensor(weights, { dtype: 'float64' });
      close(second((z) => F.crossEntropy(z, t, { weight: w })), second((z) => reference(z, targets, weights, -100, 'mean')), 'second order', 1e-10);
    }));
  });
}
