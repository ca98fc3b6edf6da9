/**
 * The fused kernels (conv2d and its two backward passes, max pooling, the LSTM cell, the optimizer updates) on
 * every backend: first-order gradients are checked by the op families' fixtures; here the gradients of
 * gradients (createGraph, where the fused primitives switch to a differentiable formula) by finite differences,
 * and the fused kernels against the same computation written with plain ops.
 * @module
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { F, enableGrad, getBackend, grad, gradcheck, listBackends, manualSeed, nn, optim, randn, setBackend, tensor, type Tensor } from '../../src/index.js';
import { onEachBackend } from '../helpers/backends.js';

const f64 = (shape: number[]) => randn(shape, { dtype: 'float64' }).requiresGrad_();
/** gradcheck's perturbed copies do not require grad; grad() needs leaves that do. */
const leaf = (v: Tensor) => (v.requiresGrad ? v : v.detach().requiresGrad_());

describe('fused kernels', () => {
  onEachBackend('conv2d with bias: second-order gradients (createGraph) by finite differences', () => {
    manualSeed(1);
    const x = f64([2, 2, 5, 6]);
    const w = f64([3, 2, 3, 2]);
    const b = f64([3]);
    const r = randn([2, 3, 5, 4], { dtype: 'float64' });
    // gradcheck's finite-difference passes run without recording; enableGrad lets grad() build its graph there too
    gradcheck((x0, w0, b0) => enableGrad(() => {
      const [xi, wi, bi] = [leaf(x0), leaf(w0), leaf(b0)];
      const y = F.conv2d(xi, wi, bi, { stride: [1, 2], padding: 1 });
      const [gx, gw, gb] = grad(y.mul(r).square().sum(), [xi, wi, bi], undefined, { createGraph: true });
      return gx.sum().add(gw.square().sum()).add(gb.square().sum());
    }), [x, w, b]);
  });

  onEachBackend('the LSTM cell: second-order gradients (createGraph) by finite differences', () => {
    manualSeed(2);
    const lstm = new nn.LSTMCell(3, 4, { dtype: 'float64' });
    const x = f64([2, 3]);
    const h = f64([2, 4]);
    const c = f64([2, 4]);
    gradcheck((x0, h0, c0) => enableGrad(() => {
      const [xi, hi, ci] = [leaf(x0), leaf(h0), leaf(c0)];
      const [h2, c2] = lstm.forward(xi, [hi, ci]);
      const [gx, gc] = grad(h2.square().sum().add(c2.mul(h2).sum()), [xi, ci], undefined, { createGraph: true });
      return gx.square().sum().add(gc.sum());
    }), [x, h, c]);
  });

  test('fused optimizer updates in float32 (every backend) follow the float64 op-by-op reference', () => {
    const settings: [string, (ps: Tensor[]) => optim.Optimizer][] = [
      ['sgd momentum', (ps) => new optim.SGD(ps, { lr: 0.1, momentum: 0.9 })],
      ['sgd nesterov + decay', (ps) => new optim.SGD(ps, { lr: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.01 })],
      ['sgd dampening, maximize', (ps) => new optim.SGD(ps, { lr: 0.05, momentum: 0.5, dampening: 0.3, maximize: true })],
      ['sgd plain', (ps) => new optim.SGD(ps, { lr: 0.1 })],
      ['adam', (ps) => new optim.Adam(ps, { lr: 0.01 })],
      ['adam decay, maximize', (ps) => new optim.Adam(ps, { lr: 0.01, weightDecay: 0.1, maximize: true })],
      ['adam amsgrad', (ps) => new optim.Adam(ps, { lr: 0.01, amsgrad: true })],
      ['adamw', (ps) => new optim.AdamW(ps, { lr: 0.01 })],
    ];
    for (const [name, make] of settings) {
      manualSeed(5);
      const w0 = randn([37, 5], { dtype: 'float64' });
      const targets = [0, 1, 2].map(() => randn([37, 5], { dtype: 'float64' }));
      const trajectory = (backend: string, dtype: 'float32' | 'float64') => {
        const prev = getBackend().name;
        setBackend(backend);
        try {
          const w = tensor(Array.from(w0.toTypedArray()), { shape: [37, 5], dtype }).requiresGrad_();
          const opt = make([w]);
          for (const t of targets) {
            opt.zeroGrad();
            w.sub(tensor(Array.from(t.toTypedArray()), { shape: [37, 5], dtype })).square().sum().backward();
            opt.step();
          }
          return Array.from(w.toTypedArray());
        } finally {
          setBackend(prev);
        }
      };
      const want = trajectory('cpu', 'float64');
      for (const backend of listBackends()) {
        const got = trajectory(backend, 'float32');
        got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= 1e-5 * (1 + Math.abs(want[i])), `${name} on ${backend}: element ${i}: ${g} vs ${want[i]}`));
      }
    }
  });

  test('max pooling 2x2 (the vectorized path): wasm and cpu agree on values and indices, ties and NaNs included', () => {
    manualSeed(4);
    const data = randn([2, 3, 12, 18]).mul(2).round().toTypedArray(); // small integers: many ties
    for (let k = 0; k < data.length; k += 37) data[k] = NaN;
    const run = (backend: string) => {
      const prev = getBackend().name;
      setBackend(backend);
      try {
        const r = F.maxPool2d(tensor(Array.from(data), { shape: [2, 3, 12, 18] }), 2, { returnIndices: true });
        return [Array.from(r.values.toTypedArray()), Array.from(r.indices.toTypedArray())];
      } finally {
        setBackend(prev);
      }
    };
    const [vc, ic] = run('cpu');
    for (const backend of listBackends()) {
      const [v, i] = run(backend);
      assert.deepEqual(i, ic, `${backend} indices`);
      assert.deepEqual(v.map(String), vc.map(String), `${backend} values`);
    }
  });

  onEachBackend('max pooling: gradients go to the chosen index, as scatter of the pooled gradient', () => {
    manualSeed(3);
    const x = randn([2, 3, 7, 7]).requiresGrad_();
    const { values, indices } = F.maxPool2d(x, 3, { stride: 2, padding: 1, returnIndices: true });
    const g = randn(values.shape);
    values.backward(g);
    const want = new Float32Array(2 * 3 * 49);
    const gi = g.toTypedArray();
    const ii = indices.toTypedArray();
    for (let k = 0; k < gi.length; k++) want[Math.floor(k / 16) * 49 + ii[k]] += gi[k];
    const got = (x.grad as Tensor).toTypedArray();
    for (let k = 0; k < want.length; k++) assert.ok(Math.abs(got[k] - want[k]) < 1e-6, `element ${k}: ${got[k]} vs ${want[k]}`);
  });
});
