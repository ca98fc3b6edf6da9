/**
 * Binary cross-entropy on probabilities as one kernel each way (src/autograd/bce-fused.ts): the loss and the
 * input gradient equal, bit for bit, the formula computed op by op with the same primitives (what the loss was
 * before), on both backends in float32 and float64, with saturated inputs (0 and 1, where the logs clamp at -100
 * and the gradient's denominator at 1e-12), every reduction (a broadcast gradient and a dense one), weights, and a
 * target that requires grad; gradients of gradients still flow.
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import * as P from '../../src/autograd/primitives.js';
import { F, ValueError, grad, manualSeed, rand, tensor, type Tensor } from '../../src/index.js';
import { onEachBackend } from '../helpers/backends.js';

/** The formula op by op, as the loss computed it before the fused kernels. */
function byOps(x: Tensor, y: Tensor): Tensor {
  const one = P.scalarOf(1, x.dtype, x);
  const clampedLog = (t: Tensor) => P.unary('clamp', P.unary('log', t), { p: -100, q: Infinity });
  return P.binary('sub', P.binary('mul', P.binary('sub', y, one), clampedLog(P.binary('sub', one, x))), P.binary('mul', y, clampedLog(x)));
}

function gradByOps(g: Tensor, x: Tensor, y: Tensor): Tensor {
  const one = P.scalarOf(1, x.dtype, x);
  const den = P.binary('maximum', P.binary('mul', x, P.binary('sub', one, x)), P.scalarOf(Math.fround(1e-12), x.dtype, x));
  return P.binary('div', P.binary('mul', g, P.binary('sub', x, y)), den);
}

const bits = (t: Tensor) => Array.from(t.toTypedArray());

describe('binary cross-entropy, fused', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    onEachBackend(`${dtype}: loss and input gradient equal the formula op by op, bit for bit`, () => {
      manualSeed(5);
      // 1003 elements: a ragged last lane group; saturated and near-saturated probabilities
      const raw = rand([17, 59], { dtype }).toTypedArray();
      raw[0] = 0; raw[1] = 1; raw[2] = 1e-30; raw[3] = 1 - 1e-7; raw[4] = 0.5;
      const x = tensor(Array.from(raw), { dtype }).reshape([17, 59]);
      const y = rand([17, 59], { dtype }).mul(1.5).sub(0.25); // targets outside [0, 1] too, as PyTorch allows
      for (const reduction of ['none', 'mean', 'sum'] as const) {
        const xi = x.detach().requiresGrad_();
        const l = F.binaryCrossEntropy(xi, y, { reduction });
        const want = byOps(x, y);
        const wantReduced = reduction === 'none' ? want : reduction === 'sum' ? want.sum() : want.sum().div(want.numel());
        assert.deepEqual(bits(l), bits(wantReduced), `${reduction}: loss`);
        const g = reduction === 'none' ? rand([17, 59], { dtype }) : tensor(reduction === 'sum' ? 1 : 1 / x.numel(), { dtype }).expand([17, 59]);
        const [gx] = grad(l, [xi], reduction === 'none' ? [g] : undefined);
        assert.deepEqual(bits(gx), bits(gradByOps(g, x, y)), `${reduction}: input gradient`);
        assert.ok(bits(gx).every(Number.isFinite), `${reduction}: saturated inputs give finite gradients`);
      }
    });
  }

  onEachBackend('the range check is found in the same pass: a value out of [0, 1] or a NaN anywhere, the ragged tail included', () => {
    const y = tensor([0, 1, 0, 1, 0, 1, 0]);
    const refuse = (xs: number[], range: string) => assert.throws(() => F.binaryCrossEntropy(tensor(xs), y), (e: unknown) =>
      e instanceof ValueError && e.message === `binaryCrossEntropy: input must hold probabilities in [0, 1], got values in ${range} (for logits use binaryCrossEntropyWithLogits)`);
    refuse([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1.5], '[0.5, 1.5]');
    refuse([0.5, -0.25, 0.5, 0.5, 0.5, 0.5, 0.5], '[-0.25, 0.5]');
    refuse([0.5, 0.5, 0.5, 0.5, 0.5, NaN, 0.5], '[NaN, NaN]');
    refuse([NaN, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5], '[NaN, NaN]');
    assert.ok(Number.isFinite(F.binaryCrossEntropy(tensor([0, 1, 0, 1, 0.5, 0.5, 0.5]), y).item()));
    assert.equal(F.binaryCrossEntropy(tensor([]), tensor([])).numel(), 1);
  });

  onEachBackend('weights, and a target that requires grad, as PyTorch', () => {
    const x = tensor([[0.2, 0.9], [0.5, 0.01]]).requiresGrad_();
    const y = tensor([[0, 1], [0.3, 1]]).requiresGrad_();
    const w = tensor([2, 0.5]);
    const l = F.binaryCrossEntropy(x, y, { weight: w, reduction: 'sum' });
    const [gx, gy] = grad(l, [x, y]);
    // PyTorch: F.binary_cross_entropy(x, y, weight=w, reduction='sum') and its gradients
    const xs = [0.2, 0.9, 0.5, 0.01];
    const ys = [0, 1, 0.3, 1];
    const ws = [2, 0.5, 2, 0.5];
    let total = 0;
    xs.forEach((v, i) => (total += -ws[i] * (ys[i] * Math.log(v) + (1 - ys[i]) * Math.log(1 - v))));
    assert.ok(Math.abs(l.item() - total) < 1e-5 * total, `loss ${l.item()} against ${total}`);
    const gxs = gx.toTypedArray();
    const gys = gy.toTypedArray();
    xs.forEach((v, i) => {
      assert.ok(Math.abs(gxs[i] - (ws[i] * (v - ys[i])) / (v * (1 - v))) < 1e-4, `dx ${i}`);
      assert.ok(Math.abs(gys[i] - ws[i] * (Math.log(1 - v) - Math.log(v))) < 1e-4, `dy ${i}`);
    });
  });

  onEachBackend('gradients of gradients flow through the loss', () => {
    const x = tensor([0.2, 0.7, 0.4], { dtype: 'float64' }).requiresGrad_();
    const y = tensor([0, 1, 0.5], { dtype: 'float64' });
    const [gx] = grad(F.binaryCrossEntropy(x, y, { reduction: 'sum' }), [x], undefined, { createGraph: true });
    const [ggx] = grad(gx.sum(), [x]);
    // d/dx of (x - y) / (x (1 - x)) = ((x (1 - x)) - (x - y)(1 - 2x)) / (x (1 - x))^2
    const xs = [0.2, 0.7, 0.4];
    const ys = [0, 1, 0.5];
    const got = ggx.toTypedArray();
    xs.forEach((v, i) => {
      const d = v * (1 - v);
      const want = (d - (v - ys[i]) * (1 - 2 * v)) / (d * d);
      assert.ok(Math.abs(got[i] - want) < 1e-9 * Math.abs(want), `element ${i}: ${got[i]} against ${want}`);
    });
  });
});
