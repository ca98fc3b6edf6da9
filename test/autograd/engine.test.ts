/**
 * Tests of src/autograd/engine.ts: backward and grad — seeding, accumulation, freed graphs, deep graphs,
 * shared subexpressions, retained gradients of non-leaves, and higher-order gradients.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AutogradError, ShapeError, ValueError, backward, grad, noGrad, ones, tensor, type Tensor } from '../../src/index.js';

const f64 = (v: number[], requiresGrad = true) => tensor(new Float64Array(v), { requiresGrad });
const values = (t: Tensor | null) => {
  assert.ok(t, 'expected a gradient, got null');
  return t.toArray();
};

describe('backward', () => {
  test('on a scalar: d/dx sum(x * x) = 2x', () => {
    const x = tensor([1, -2, 3], { requiresGrad: true });
    const y = x.mul(x).sum();
    assert.deepEqual(y.shape, []);
    y.backward();
    assert.deepEqual(values(x.grad), [2, -4, 6]);
    assert.equal(x.grad!.dtype, 'float32');
    assert.equal(x.grad!.requiresGrad, false);
    assert.equal(x.grad!.gradFn, null);
  });

  test('on a one-element non-0-d tensor', () => {
    const x = tensor([3], { requiresGrad: true });
    x.mul(x).backward();
    assert.deepEqual(values(x.grad), [6]);
  });

  test('with an explicit gradient on a non-scalar', () => {
    const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const y = x.mul(3);
    y.backward(tensor([[1, 0.5], [0, -2]]));
    assert.deepEqual(values(x.grad), [[3, 1.5], [0, -6]]);
  });

  test('the function form backward(t, gradient) is the same', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    backward(x.exp().mul(0).add(x), tensor([2, 3]));
    assert.deepEqual(values(x.grad), [2, 3]);
  });

  test('a non-scalar without a gradient throws AutogradError naming the shape', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    assert.throws(
      () => x.mul(2).backward(),
      (e: unknown) => e instanceof AutogradError && /one-element/.test(e.message) && /\[3\]/.test(e.message),
    );
    assert.equal(x.grad, null);
  });

  test('a gradient of the wrong shape throws ShapeError', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    assert.throws(() => x.mul(2).backward(tensor([1, 2])), (e: unknown) => e instanceof ShapeError && /\[2\]/.test(e.message) && /\[3\]/.test(e.message));
  });

  test('a tensor that does not require grad throws AutogradError', () => {
    assert.throws(() => tensor([1, 2]).sum().backward(), (e: unknown) => e instanceof AutogradError && /requir/.test(e.message));
  });

  test('gradients accumulate across backward calls until .grad is set to null', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.mul(x).sum().backward();
    assert.deepEqual(values(x.grad), [2, 4]);
    x.mul(x).sum().backward();
    assert.deepEqual(values(x.grad), [4, 8]);
    x.mul(5).sum().backward();
    assert.deepEqual(values(x.grad), [9, 13]);
    x.grad = null;
    x.mul(x).sum().backward();
    assert.deepEqual(values(x.grad), [2, 4]);
  });

  test('accumulating does not modify a gradient tensor read earlier', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.sum().backward();
    const first = x.grad!;
    x.sum().backward();
    assert.deepEqual(first.toArray(), [1, 1]);
    assert.deepEqual(values(x.grad), [2, 2]);
  });

  test('only leaves that require grad get .grad; non-leaves do not', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const c = tensor([5, 6]);
    const h = x.mul(c);
    h.sum().backward();
    assert.deepEqual(values(x.grad), [5, 6]);
    assert.equal(c.grad, null);
    assert.equal(h.grad, null);
    assert.equal(x.isLeaf, true);
    assert.equal(h.isLeaf, false);
  });

  test('a leaf itself may be the root', () => {
    const x = tensor([4], { requiresGrad: true });
    x.backward();
    assert.deepEqual(values(x.grad), [1]);
  });

  test('float64 gradients stay float64', () => {
    const x = f64([0.1, 0.2]);
    x.mul(x).sum().backward();
    assert.equal(x.grad!.dtype, 'float64');
    assert.deepEqual(values(x.grad), [0.2, 0.4]);
  });

  test('broadcast inputs get gradients summed back to their shape', () => {
    const b = tensor([1, 2, 3], { requiresGrad: true });
    const m = tensor([[1, 1, 1], [2, 2, 2]], { requiresGrad: true });
    m.mul(b).sum().backward();
    assert.deepEqual(values(b.grad), [3, 3, 3]);
    assert.deepEqual(values(m.grad), [[1, 2, 3], [1, 2, 3]]);
  });

  test('a non-contiguous view as input', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    x.t().mul(tensor([[1, 10], [100, 1000], [1e4, 1e5]])).sum().backward();
    assert.deepEqual(values(x.grad), [[1, 100, 1e4], [10, 1000, 1e5]]);
  });
});

describe('detach', () => {
  test('gives a tensor outside the graph with the same values', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.mul(3);
    const d = h.detach();
    assert.equal(d.requiresGrad, false);
    assert.equal(d.gradFn, null);
    assert.equal(d.isLeaf, true);
    assert.deepEqual(d.toArray(), [3, 6]);
  });

  test('stops gradients: d/dx (x * detach(x)) = detach(x)', () => {
    const x = tensor([2, 5], { requiresGrad: true });
    x.mul(x.detach()).sum().backward();
    assert.deepEqual(values(x.grad), [2, 5]);
  });

  test('a graph built only from detached tensors records nothing', () => {
    const x = tensor([2], { requiresGrad: true });
    const y = x.detach().mul(2).exp();
    assert.equal(y.requiresGrad, false);
    assert.equal(y.gradFn, null);
    assert.throws(() => y.sum().backward(), AutogradError);
  });
});

describe('freed graphs and retainGraph', () => {
  test('a second backward through a freed graph throws AutogradError mentioning retainGraph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.exp().sum();
    y.backward();
    assert.throws(() => y.backward(), (e: unknown) => e instanceof AutogradError && /retainGraph/.test(e.message) && /second time/.test(e.message));
  });

  test('a shared intermediate is also freed', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.exp();
    h.sum().backward();
    assert.throws(() => h.mul(2).sum().backward(), (e: unknown) => e instanceof AutogradError && /retainGraph/.test(e.message));
  });

  test('with {retainGraph: true} a second backward works and accumulates', () => {
    const x = f64([0, 1]);
    const y = x.exp().sum();
    y.backward(undefined, { retainGraph: true });
    assert.deepEqual(values(x.grad), [1, Math.E]);
    y.backward();
    assert.deepEqual(values(x.grad), [2, 2 * Math.E]);
    assert.throws(() => y.backward(), AutogradError);
  });
});

describe('deep and shared graphs', () => {
  test('a 10,000-op chain does not overflow the stack and gives the right value', () => {
    const x = f64([1, 2]);
    let y = x;
    for (let i = 0; i < 10000; i++) y = y.mul(1.0001);
    y.sum().backward();
    // backward multiplies the seed by 1.0001 ten thousand times, in float64, exactly as this loop does
    let expected = 1;
    for (let i = 0; i < 10000; i++) expected *= 1.0001;
    assert.deepEqual(values(x.grad), [expected, expected]);
    assert.ok(Math.abs(expected - Math.exp(10000 * Math.log1p(1e-4))) < 1e-12);
  });

  test('a 10,000-op chain of mixed ops', () => {
    const x = f64([0.5]);
    let y = x;
    for (let i = 0; i < 5000; i++) y = y.add(1).sub(1);
    y = y.mul(y);
    y.sum().backward();
    assert.deepEqual(values(x.grad), [1]);
  });

  test('a tensor used twice accumulates: d/dx (x * x + x) = 2x + 1', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    x.mul(x).add(x).sum().backward();
    assert.deepEqual(values(x.grad), [3, 5, 7]);
  });

  test('a diamond: a = 2x, y = a * a + a gives (2a + 1) * 2', () => {
    const x = tensor([1, -1], { requiresGrad: true });
    const a = x.mul(2);
    a.mul(a).add(a).sum().backward();
    assert.deepEqual(values(x.grad), [10, -6]);
  });

  test('a wide fan-in: sum of 1,000 uses of x', () => {
    const x = tensor([2], { requiresGrad: true });
    let acc = x.mul(0);
    for (let i = 1; i <= 1000; i++) acc = acc.add(x.mul(i));
    acc.sum().backward();
    assert.deepEqual(values(x.grad), [500500]);
  });
});

describe('retainGrad', () => {
  test('keeps the gradient of a non-leaf', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const h = x.mul(2);
    assert.equal(h.retainGrad(), h);
    h.mul(h).sum().backward();
    assert.deepEqual(values(h.grad), [4, 8, 12]);
    assert.deepEqual(values(x.grad), [8, 16, 24]);
  });

  test('retained gradients accumulate like leaf gradients', () => {
    const x = tensor([1], { requiresGrad: true });
    const h = x.mul(3).retainGrad();
    const y = h.mul(h).sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    assert.deepEqual(values(h.grad), [12]);
    assert.deepEqual(values(x.grad), [36]);
  });

  test('is refused on a tensor that does not require grad', () => {
    assert.throws(() => tensor([1]).retainGrad(), ValueError);
  });
});

describe('grad()', () => {
  test('returns gradients without touching .grad', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const [g] = grad(x.pow(3).sum(), [x]);
    assert.deepEqual(g.toArray(), [3, 12, 27]);
    assert.equal(x.grad, null);
    assert.equal(g.requiresGrad, false);
  });

  test('several inputs, several outputs, explicit output gradients', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    const p = a.mul(b);
    const s = a.add(b);
    const [ga, gb] = grad([p, s], [a, b], [tensor([1, 10]), tensor([100, 1000])]);
    // d(p . [1,10] + s . [100,1000]) / da = b * [1,10] + [100,1000]
    assert.deepEqual(ga.toArray(), [103, 1040]);
    assert.deepEqual(gb.toArray(), [101, 1020]);
    assert.equal(a.grad, null);
    assert.equal(b.grad, null);
  });

  test('an input the output does not depend on gets zeros', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const z = tensor([[1, 1]], { requiresGrad: true });
    const [gx, gz] = grad(x.sum(), [x, z]);
    assert.deepEqual(gx.toArray(), [1, 1]);
    assert.deepEqual(gz.shape, [1, 2]);
    assert.deepEqual(gz.toArray(), [[0, 0]]);
  });

  test('gradient with respect to an intermediate', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const h = x.mul(2);
    const [gh] = grad(h.mul(h).sum(), [h]);
    assert.deepEqual(gh.toArray(), [4, 8, 12]);
    assert.equal(x.grad, null);
  });

  test('gradient of an output with respect to itself is one', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = x.mul(2).sum();
    assert.deepEqual(grad(y, [y])[0].toArray(), 1);
  });

  test('an input that does not require grad is refused', () => {
    const x = tensor([1], { requiresGrad: true });
    assert.throws(() => grad(x.sum(), [tensor([1])]), AutogradError);
  });

  test('the graph is freed unless retainGraph', () => {
    const x = tensor([1], { requiresGrad: true });
    const y = x.exp().sum();
    grad(y, [x], undefined, { retainGraph: true });
    grad(y, [x]);
    assert.throws(() => grad(y, [x]), AutogradError);
  });
});

describe('higher-order gradients (createGraph)', () => {
  test('d2/dx2 of x^3 = 6x with grad', () => {
    const x = f64([1, 2, -3]);
    const [g] = grad(x.pow(3).sum(), [x], undefined, { createGraph: true });
    assert.deepEqual(g.toArray(), [3, 12, 27]);
    assert.equal(g.requiresGrad, true);
    const [g2] = grad(g.sum(), [x], undefined, { createGraph: true });
    assert.deepEqual(g2.toArray(), [6, 12, -18]);
    const [g3] = grad(g2.sum(), [x]);
    assert.deepEqual(g3.toArray(), [6, 6, 6]);
  });

  test('d2/dx2 of x * x * x = 6x with backward', () => {
    const x = f64([1, 2]);
    x.mul(x).mul(x).sum().backward(undefined, { createGraph: true });
    const g = x.grad!;
    assert.deepEqual(g.toArray(), [3, 12]);
    assert.equal(g.requiresGrad, true);
    x.grad = null;
    g.sum().backward();
    assert.deepEqual(values(x.grad), [6, 12]);
  });

  test('second derivatives through exp and sin', () => {
    const x = f64([0.3, -1.2]);
    const [g] = grad(x.sin().mul(x.exp()).sum(), [x], undefined, { createGraph: true });
    const [g2] = grad(g.sum(), [x]);
    // (sin x e^x)'' = 2 cos(x) e^x
    (g2.toArray() as number[]).forEach((v, i) => {
      const xi = [0.3, -1.2][i];
      assert.ok(Math.abs(v - 2 * Math.cos(xi) * Math.exp(xi)) < 1e-14, `${v}`);
    });
  });

  test('without createGraph the gradient is not recorded', () => {
    const x = f64([2]);
    const [g] = grad(x.pow(3).sum(), [x]);
    assert.equal(g.requiresGrad, false);
    assert.equal(g.gradFn, null);
  });

  test('grad mode is restored after a backward pass', () => {
    const x = ones([1], { requiresGrad: true });
    x.mul(x).sum().backward(undefined, { createGraph: true });
    noGrad(() => x.mul(2).sum());
    assert.notEqual(x.mul(2).gradFn, null);
  });
});
