/**
 * The engine gives a gradient's memory back to the array pool once it is dead (engine.ts, src/backend/array-pool.ts):
 * these tests check that it does (the pool fills during a backward pass, and the next forward takes from it) and
 * that it never takes memory somebody can still read — the seed the caller passed, a retained gradient, what
 * grad() returns, leaf gradients, a gradient passed through unchanged or as a view, sums of gradients — by
 * comparing every gradient with the same pass run while nothing is recycled (grad() with createGraph), on both
 * backends, over several steps so that later steps run on recycled memory.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { F, getBackend, grad, listBackends, manualSeed, randn, setBackend, type Tensor } from '../../src/index.js';
import { clearFloat32Pool, pooledFloat32Bytes } from '../../src/backend/array-pool.js';

const values = (t: Tensor | null) => Array.from(t!.toTypedArray());

/** A small network whose gradients cross every engine path: sums of several uses, pass-through, views, leaves. */
function forward(x: Tensor, w1: Tensor, w2: Tensor): { loss: Tensor; hidden: Tensor } {
  const h = F.relu(x.matmul(w1)); // [64, 48]
  const hidden = h.mul(h); // used twice below: its gradient is a sum
  const y = hidden.matmul(w2).add(hidden.sum(1, true)); // [64, 40]
  const z = y.reshape([40, 64]).transpose(0, 1).add(y); // a view's gradient, a pass-through add
  return { loss: z.tanh().sum(), hidden };
}

for (const backend of listBackends()) {
  describe(`recycled gradient memory (${backend})`, () => {
    const prev = getBackend().name;
    const use = (f: () => void) => () => {
      setBackend(backend);
      clearFloat32Pool();
      try {
        f();
      } finally {
        setBackend(prev);
      }
    };

    test('backward fills the pool, and every gradient equals the pass that recycles nothing, step after step', use(() => {
      manualSeed(1);
      const x = randn([64, 32]);
      const w1 = randn([32, 48], { requiresGrad: true });
      const w2 = randn([48, 40], { requiresGrad: true });
      for (let step = 0; step < 3; step++) {
        const ref = forward(x, w1, w2);
        const want = grad(ref.loss, [w1, w2], undefined, { createGraph: true }).map(values);
        w1.grad = null;
        w2.grad = null;
        const before = pooledFloat32Bytes();
        const { loss, hidden } = forward(x, w1, w2);
        const hiddenBefore = values(hidden);
        hidden.retainGrad();
        loss.backward();
        assert.ok(pooledFloat32Bytes() > before, `step ${step}: dead gradients went to the pool`);
        assert.deepEqual(values(w1.grad), want[0], `step ${step}: w1.grad`);
        assert.deepEqual(values(w2.grad), want[1], `step ${step}: w2.grad`);
        assert.deepEqual(values(hidden), hiddenBefore, `step ${step}: a forward tensor is untouched`);
        assert.equal(hidden.grad!.shape.join(), '64,48', 'the retained gradient is whole');
        const retained = values(hidden.grad);
        // more work on recycled memory must not change the retained gradient or the leaves' gradients
        forward(x, w1, w2).loss.backward();
        assert.deepEqual(values(hidden.grad), retained, `step ${step}: the retained gradient kept its values`);
      }
    }));

    test("the caller's seed and grad()'s results are never recycled", use(() => {
      manualSeed(2);
      const x = randn([64, 32], { requiresGrad: true });
      const w = randn([32, 48], { requiresGrad: true });
      const out = F.relu(x.matmul(w)).mul(2);
      const seed = randn([64, 48]);
      const seedValues = values(seed);
      out.backward(seed);
      assert.deepEqual(values(seed), seedValues, 'the seed');
      const [gx, gw] = grad(F.relu(x.matmul(w)).mul(3).sum(), [x, w]);
      const kept = [values(gx), values(gw)];
      for (let i = 0; i < 3; i++) F.relu(x.matmul(w)).mul(2).sum().backward();
      assert.deepEqual([values(gx), values(gw)], kept, "grad()'s results");
    }));

    test('the next forward pass reuses the recycled arrays (no fresh memory for results of the same size)', use(() => {
      manualSeed(3);
      const x = randn([64, 32]);
      const w1 = randn([32, 48], { requiresGrad: true });
      const w2 = randn([48, 40], { requiresGrad: true });
      forward(x, w1, w2).loss.backward();
      const full = pooledFloat32Bytes();
      assert.ok(full > 0);
      forward(x, w1, w2);
      assert.ok(pooledFloat32Bytes() < full, 'the forward pass took arrays from the pool');
    }));
  });
}
