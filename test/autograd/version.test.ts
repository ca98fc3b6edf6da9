/**
 * Version counters (issue 11 item 5): a tensor that a recorded op saved for backward and that is then changed in
 * place makes backward raise instead of returning a wrong gradient; in-place updates of non-leaf tensors inside a
 * graph are recorded, as PyTorch does. Expected gradients are worked out by hand and were checked against torch 1.13 (tools/check_inplace.py prints
 * torch's values for the same cases).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AutogradError, grad, noGrad, ones, optim, tensor, zeros } from '../../src/index.js';

describe('version counters', () => {
  test('the example of the issue: backward through a changed saved tensor raises, naming the op', () => {
    const w = ones([3], { requiresGrad: true });
    const z = w.mul(w).sum();
    noGrad(() => w.sub_(ones([3])));
    assert.throws(() => z.backward(), (e: unknown) => e instanceof AutogradError && /MulBackward/.test(e.message) && /version 1/.test(e.message) && /shape \[3\]/.test(e.message));
  });

  test('every in-place op counts a version, shared by views of the same memory', () => {
    const x = zeros([2, 3]);
    assert.equal(x.version, 0);
    x.add_(1);
    x.mul_(2);
    const row = x.select(0, 1);
    row.fill_(5);
    assert.equal(x.version, 3);
    assert.equal(row.version, 3);
    assert.deepEqual(x.toArray(), [[2, 2, 2], [5, 5, 5]]);
  });

  test('ops that keep no values (add, views) do not mind a later change of their inputs', () => {
    const w = ones([3], { requiresGrad: true });
    const h = w.mul(2);
    const y = h.add(1).sum();
    h.add_(10); // h is a non-leaf: recorded; AddBackward saved nothing
    y.backward();
    assert.deepEqual(w.grad!.toArray(), [2, 2, 2]);
  });

  test('an optimizer step between forward and backward is caught', () => {
    const w = tensor([1, 2, 3], { requiresGrad: true });
    const opt = new optim.SGD([w], { lr: 0.1 });
    const loss = w.mul(w).sum();
    const loss2 = w.mul(w).sum();
    loss.backward();
    opt.step();
    assert.throws(() => loss2.backward(), AutogradError);
  });
});

describe('in-place ops on non-leaf tensors in a graph', () => {
  test('h = 2x; h += 1; y = sum(h^2): dy/dx = 4(2x + 1)', () => {
    const x = tensor([0.5, -1, 2], { requiresGrad: true });
    const h = x.mul(2);
    h.add_(1);
    h.mul(h).sum().backward();
    assert.deepEqual(x.grad!.toArray(), [8, -4, 20]);
    assert.match(h.gradFn!.name, /Backward/);
  });

  test('h *= w records the product: gradients reach both x and w (w\'s from the values h had before)', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const w = tensor([3, 4], { requiresGrad: true });
    const h = x.add(0);
    h.mul_(w);
    h.sum().backward();
    assert.deepEqual(x.grad!.toArray(), [3, 4]);
    assert.deepEqual(w.grad!.toArray(), [1, 2]);
  });

  test('a tensor that needs no grad takes a place in the graph when updated from one that does', () => {
    const w = tensor([1, 2, 3], { requiresGrad: true });
    const buf = zeros([3]);
    buf.add_(w.mul(3));
    assert.equal(buf.requiresGrad, true);
    buf.sum().backward();
    assert.deepEqual(w.grad!.toArray(), [3, 3, 3]);
  });

  test('copy_ from a tensor that requires grad passes the gradient to the source only', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const s = tensor([5, 6], { requiresGrad: true });
    const h = x.mul(1);
    h.copy_(s.mul(2));
    const [gx, gs] = grad(h.sum(), [x, s]);
    assert.deepEqual(gx.toArray(), [0, 0]);
    assert.deepEqual(gs.toArray(), [2, 2]);
  });

  test('nodes recorded before an in-place change keep their own inputs (y = 3h is unaffected by h += 1)', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.mul(1);
    const y = h.mul(3);
    h.add_(1);
    y.sum().backward();
    assert.deepEqual(x.grad!.toArray(), [3, 3]);
  });

  test('refused: a leaf that requires grad, and a view of another tensor in the graph', () => {
    const w = ones([3], { requiresGrad: true });
    assert.throws(() => w.add_(1), (e: unknown) => e instanceof AutogradError && /leaf/.test(e.message) && /noGrad/.test(e.message));
    const h = w.mul(2);
    assert.throws(() => h.slice('0:2').add_(1), (e: unknown) => e instanceof AutogradError && /view/.test(e.message) && /clone/.test(e.message));
  });

  test('backward accepts the options object as its first argument', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward({ retainGraph: true });
    y.backward();
    assert.deepEqual(x.grad!.toArray(), [4, 8]);
    assert.throws(() => y.backward({ retainGrap: true } as never), /retainGrap/);
  });
});
