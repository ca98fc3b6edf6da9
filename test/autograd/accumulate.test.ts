/**
 * How backward sums gradients: the backends' in-place `addInto` (dense, transposed and broadcast operands, the same
 * sums as the add kernel), and the engine adding later terms into sums it made itself: a weight used at every step
 * of a loop, a summed gradient that a vjp hands to several inputs, and `.grad` tensors from an earlier backward
 * (never changed in place).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getBackend, grad, listBackends, manualSeed, randn, tensor, type Tensor } from '../../src/index.js';
import { assertClose, onBackend } from '../helpers/backends.js';

describe('addInto', () => {
  for (const backend of listBackends()) {
    test(`${backend}: dense, transposed and broadcast operands, float32 sums equal the add kernel's bit for bit`, () => onBackend(backend, () => {
      manualSeed(1);
      for (const dtype of ['float32', 'float64'] as const) {
        const a = randn([5, 7], { dtype });
        const b = randn([5, 7], { dtype });
        const want = a.add(b);
        const dst = a.clone();
        getBackend().addInto(dst, b);
        assert.deepEqual(Array.from(dst.toTypedArray()), Array.from(want.toTypedArray()), `${dtype} dense`);
        // a transposed destination (a weight gradient) and a transposed source
        const t = a.clone().t();
        getBackend().addInto(t, b.t());
        assert.deepEqual(Array.from(t.toTypedArray()), Array.from(want.t().toTypedArray()), `${dtype} transposed`);
        // a row broadcast over the rows, into a sliced (offset) destination
        const big = randn([3, 5, 7], { dtype });
        const part = big.clone().select(0, 1);
        const row = randn([7], { dtype });
        getBackend().addInto(part, row.expand([5, 7]));
        assert.deepEqual(Array.from(part.toTypedArray()), Array.from(big.select(0, 1).add(row).toTypedArray()), `${dtype} broadcast`);
      }
    }));
  }
});

describe('backward sums gradients', () => {
  test('a weight used at every step of a loop gets the sum of the steps\' gradients', () => {
    manualSeed(2);
    const w = randn([4, 3], { dtype: 'float64' }).requiresGrad_();
    const xs = Array.from({ length: 12 }, () => randn([2, 4], { dtype: 'float64' }));
    let h = randn([2, 3], { dtype: 'float64' });
    let loss: Tensor = tensor(0, { dtype: 'float64' });
    for (const x of xs) {
      h = x.matmul(w).add(h.mul(0.5));
      loss = loss.add(h.sum());
    }
    loss.backward();
    // d loss / d w = sum_t x_t^T (sum_{s >= t} 0.5^(s - t)) 1
    const want = xs.reduce((acc, x, t) => {
      let c = 0;
      for (let s = t; s < xs.length; s++) c += 0.5 ** (s - t);
      return acc.add(x.t().matmul(tensor([[c, c, c], [c, c, c]], { dtype: 'float64' })));
    }, tensor(new Array(12).fill(0), { dtype: 'float64' }).reshape([4, 3]));
    assertClose(w.grad as Tensor, want, 1e-12, 'w.grad');
  });

  test('a summed gradient that a vjp passes to two inputs stays intact when one of them gets more terms', () => {
    manualSeed(3);
    const x = randn([3, 2], { dtype: 'float64' }).requiresGrad_();
    const [c, d, e, f] = [0, 1, 2, 3].map(() => randn([3, 2], { dtype: 'float64' }));
    const p = x.mul(3);
    const q = x.mul(5);
    const s = p.add(q);
    // the engine reaches s first: it sums the two terms s gets and its vjp hands that one sum to both p and q;
    // then p*d adds a term to p's gradient while q's still waits, then q*f one to q's
    const loss = q.mul(f).sum().add(p.mul(d).sum()).add(s.mul(c).sum().add(s.mul(e).sum()));
    const [gx] = grad(loss, [x]);
    assertClose(gx, c.add(e).add(d).mul(3).add(c.add(e).add(f).mul(5)), 1e-12, 'x');
  });

  test('.grad from an earlier backward is not changed in place by the next one', () => {
    const w = tensor([1, 2, 3]).requiresGrad_();
    const loss = () => [1, 2, 3].reduce((acc, k) => acc.add(w.mul(k).sum()), tensor(0));
    loss().backward();
    const first = w.grad as Tensor;
    assert.deepEqual(Array.from(first.toTypedArray()), [6, 6, 6]);
    loss().backward();
    assert.deepEqual(Array.from(first.toTypedArray()), [6, 6, 6]);
    assert.deepEqual(Array.from((w.grad as Tensor).toTypedArray()), [12, 12, 12]);
  });
});
