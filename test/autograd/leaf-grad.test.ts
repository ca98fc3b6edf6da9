/**
 * A leaf's first gradient is adopted without a copy only when nothing else can hold its memory (engine.ts): these
 * tests change one gradient in place and check that no other tensor sees it, in each case where sharing could
 * arise — one gradient handed to two leaves, a gradient passed through to a leaf from the seed or from a tensor
 * that retains its gradient, a view of a gradient, one gradient reaching two leaves through views — and that the
 * unshared case really is adopted, also when it arrives as a view (a linear layer's weight, through its transpose).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getBackend, listBackends, nn, noGrad, ones, setBackend, tensor, type Tensor } from '../../src/index.js';

const leaf = (v: number[]) => tensor(v, { requiresGrad: true });
const values = (t: Tensor | null) => Array.from(t!.toTypedArray());
/** Doubles `t` in place, as an optimizer or gradient clipping would change a .grad. */
const scale = (t: Tensor) => noGrad(() => t.mul_(2));
/** How many times `fn` made the current backend copy a tensor (its `copy` kernel). */
function countCopies(fn: () => void): number {
  const kernels = getBackend() as unknown as { copy: (...a: unknown[]) => unknown };
  const original = kernels.copy;
  let n = 0;
  kernels.copy = (...a: unknown[]) => {
    n++;
    return original.apply(kernels, a);
  };
  try {
    fn();
  } finally {
    kernels.copy = original;
  }
  return n;
}

for (const backend of listBackends()) {
  describe(`leaf gradients are never shared (${backend})`, () => {
    const prev = getBackend().name;
    const use = (f: () => void) => () => {
      setBackend(backend);
      try {
        f();
      } finally {
        setBackend(prev);
      }
    };

    test('a + b: both leaves get the same gradient, in memory of their own', use(() => {
      const a = leaf([1, 2, 3]);
      const b = leaf([4, 5, 6]);
      a.add(b).mul(tensor([1, 2, 3])).sum().backward();
      assert.notEqual(a.grad!.storage, b.grad!.storage);
      scale(a.grad!);
      assert.deepEqual(values(a.grad), [2, 4, 6]);
      assert.deepEqual(values(b.grad), [1, 2, 3]);
    }));

    test('a leaf that is the root: the seed passed to backward stays the caller\'s', use(() => {
      const x = leaf([1, 2]);
      const seed = tensor([3, 4]);
      x.backward(seed);
      assert.notEqual(x.grad!.storage, seed.storage);
      scale(x.grad!);
      assert.deepEqual(values(seed), [3, 4]);
    }));

    test('the seed passed through an addition to a leaf stays the caller\'s', use(() => {
      const x = leaf([1, 2]);
      const seed = tensor([3, 4]);
      x.add(1).backward(seed);
      scale(x.grad!);
      assert.deepEqual(values(seed), [3, 4]);
      assert.deepEqual(values(x.grad), [6, 8]);
    }));

    test('a retained gradient passed on to a leaf: the two do not share memory', use(() => {
      const x = leaf([1, 2]);
      const y = x.mul(3).retainGrad();
      const z = y.add(1);
      z.mul(tensor([5, 7])).sum().backward();
      scale(x.grad!);
      assert.deepEqual(values(y.grad), [5, 7]);
      assert.deepEqual(values(x.grad), [30, 42]);
    }));

    test('a gradient made for one leaf alone is adopted, and the next backward adds into it', use(() => {
      const w = leaf([1, 2, 3, 4]);
      const x = tensor([1, 1, 1, 1]);
      w.mul(x).mul(2).sum().backward();
      assert.ok(!w.grad!.isView);
      assert.deepEqual(values(w.grad), [2, 2, 2, 2]);
      w.mul(ones([4])).sum().backward();
      assert.deepEqual(values(w.grad), [3, 3, 3, 3]);
    }));

    test('a linear layer\'s weight gradient (a view of the product made for it) is adopted, not copied', use(() => {
      const fc = new nn.Linear(3, 2);
      const x = tensor([[1, 2, 3], [4, 5, 6]]);
      const copies = countCopies(() => fc.forward(x).mul(tensor([[1, 2], [3, 4]])).sum().backward());
      assert.equal(copies, 0);
      const w = fc.weight.grad!;
      assert.ok(!w.isView);
      // dL/dW = g^T x with g = [[1, 2], [3, 4]]
      assert.deepEqual(values(w), [13, 17, 21, 18, 24, 30]);
      assert.deepEqual(values(fc.bias!.grad), [4, 6]);
      scale(w);
      assert.deepEqual(values(fc.bias!.grad), [4, 6]);
      fc.forward(x).sum().backward();
      assert.deepEqual(values(fc.weight.grad), [31, 41, 51, 41, 55, 69]);
    }));

    test('one gradient reaching two leaves through views: each leaf gets memory of its own', use(() => {
      const a = leaf([1, 2, 3, 4]);
      const b = leaf([5, 6, 7, 8]);
      a.reshape([2, 2]).add(b.reshape([2, 2])).mul(tensor([[1, 2], [3, 4]])).sum().backward();
      assert.notEqual(a.grad!.storage, b.grad!.storage);
      scale(a.grad!);
      assert.deepEqual(values(a.grad), [2, 4, 6, 8]);
      assert.deepEqual(values(b.grad), [1, 2, 3, 4]);
    }));

    test('an expanded leaf and a view of a gradient get memory of their own', use(() => {
      const b = leaf([1]);
      const m = leaf([1, 2, 3, 4]);
      const y = m.reshape([2, 2]).add(b.expand([2, 2]));
      y.sum().backward();
      assert.deepEqual(values(b.grad), [4]);
      scale(m.grad!);
      assert.deepEqual(values(m.grad), [2, 2, 2, 2]);
      assert.deepEqual(values(b.grad), [4]);
    }));
  });
}
