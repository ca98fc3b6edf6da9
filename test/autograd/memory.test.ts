/**
 * Memory stays flat over long runs (DESIGN.md convention 5: no dispose/tidy). Heap use after a forced GC
 * is measured at 10k and at 100k steps of small ops (3k and 30k for the heavier SGD loop); the growth
 * between the two must stay under 2 MB, i.e. under ~20 bytes a step (70 for SGD): far less than one
 * leaked tensor a step.
 */
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, test } from 'node:test';
import { noGrad, ones, tensor, type Tensor } from '../../src/index.js';

v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

const STEPS = 100_000;
const CHECKPOINT = 10_000;
const LIMIT = 2 * 1024 * 1024;

/** Runs `step` `steps` times; returns heap growth between step `checkpoint` and the end. */
function growth(step: (i: number) => void, steps = STEPS, checkpoint = CHECKPOINT): { grew: number; at10k: number; at100k: number } {
  let at10k = 0;
  for (let i = 1; i <= steps; i++) {
    step(i);
    if (i === checkpoint) at10k = heapAfterGc();
  }
  const at100k = heapAfterGc();
  return { grew: at100k - at10k, at10k, at100k };
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`;

describe('memory stays flat', () => {
  test('100k small ops without gradients', () => {
    const x = ones([16]);
    let y: Tensor = x;
    let sum = 0;
    const r = growth(() => {
      y = x.add(1).mul(2);
      sum += y.toTypedArray()[0];
    });
    assert.deepEqual(y.toArray(), new Array(16).fill(4));
    assert.equal(sum, 4 * STEPS);
    assert.ok(r.grew < LIMIT, `heap grew ${mb(r.grew)} (${mb(r.at10k)} -> ${mb(r.at100k)})`);
  });

  test('100k small recorded ops, backward every 1000 steps', () => {
    const x = tensor(new Array(16).fill(0.5), { requiresGrad: true });
    let acc: Tensor | null = null;
    let backwards = 0;
    const r = growth((i) => {
      const y = x.add(1).mul(2).sum();
      acc = acc === null ? y : acc.add(y);
      if (i % 1000 === 0) {
        acc.backward();
        backwards++;
        acc = null;
        x.grad = null;
      }
    });
    assert.equal(backwards, 100);
    // the last backward covered 1000 steps of d/dx sum(2(x + 1)) = 2
    x.add(1).mul(2).sum().backward();
    assert.deepEqual(x.grad!.toArray(), new Array(16).fill(2));
    assert.ok(r.grew < LIMIT, `heap grew ${mb(r.grew)} (${mb(r.at10k)} -> ${mb(r.at100k)})`);
  });

  test('100k recorded ops whose graphs are dropped without backward', () => {
    const x = ones([16], { requiresGrad: true });
    const r = growth(() => {
      x.add(1).mul(2);
    });
    assert.ok(r.grew < LIMIT, `heap grew ${mb(r.grew)} (${mb(r.at10k)} -> ${mb(r.at100k)})`);
  });

  test('30k SGD steps: backward, then a parameter update inside noGrad', () => {
    // w <- w - lr * 2w each step, so w = (1 - 2 lr)^steps exactly in float64
    const lr = 1e-5;
    let w = tensor(new Float64Array(16).fill(1), { requiresGrad: true });
    const r = growth(() => {
      w.mul(w).sum().backward();
      const g = w.grad!;
      w = noGrad(() => w.sub(g.mul(lr))).requiresGrad_();
    }, 30_000, 3_000);
    let expected = 1;
    for (let i = 0; i < 30_000; i++) expected -= expected * 2 * lr;
    assert.deepEqual(w.toArray(), new Array(16).fill(expected));
    assert.equal(w.isLeaf, true);
    assert.ok(r.grew < LIMIT, `heap grew ${mb(r.grew)} (${mb(r.at10k)} -> ${mb(r.at100k)})`);
  });
});
