/**
 * Tests of src/autograd/grad-mode.ts and of the requiresGrad rules on Tensor: what gets recorded, when.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DTypeError, ValueError, arange, enableGrad, isGradEnabled, noGrad, ones, setGradEnabled, tensor,
} from '../../src/index.js';

describe('noGrad', () => {
  test('records nothing and returns the function result', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = noGrad(() => x.mul(2).add(1));
    assert.equal(y.requiresGrad, false);
    assert.equal(y.gradFn, null);
    assert.deepEqual(y.toArray(), [3, 5]);
    assert.equal(noGrad(() => 42), 42);
  });

  test('grad is enabled again afterwards, also when the function throws', () => {
    assert.equal(isGradEnabled(), true);
    noGrad(() => assert.equal(isGradEnabled(), false));
    assert.equal(isGradEnabled(), true);
    assert.throws(() => noGrad(() => { throw new Error('boom'); }), /boom/);
    assert.equal(isGradEnabled(), true);
  });

  test('a tensor made inside noGrad acts as a constant afterwards', () => {
    const x = tensor([3], { requiresGrad: true });
    const c = noGrad(() => x.mul(x));
    x.mul(c).sum().backward();
    assert.deepEqual(x.grad!.toArray(), [9]);
  });

  test('leaves keep requiresGrad inside noGrad (parameter updates)', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    w.sum().backward();
    const updated = noGrad(() => w.sub(w.grad!.mul(0.5)));
    assert.deepEqual(updated.toArray(), [0.5, 1.5]);
    assert.equal(updated.requiresGrad, false);
    assert.equal(w.requiresGrad, true);
  });

  test('nested noGrad restores the outer setting', () => {
    noGrad(() => {
      noGrad(() => assert.equal(isGradEnabled(), false));
      assert.equal(isGradEnabled(), false);
    });
    assert.equal(isGradEnabled(), true);
  });
});

describe('enableGrad', () => {
  test('inside noGrad records again', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = noGrad(() => enableGrad(() => x.mul(3)));
    assert.equal(y.requiresGrad, true);
    assert.equal(y.gradFn?.name, 'MulBackward');
    y.sum().backward();
    assert.deepEqual(x.grad!.toArray(), [3, 3]);
  });

  test('restores noGrad when it returns or throws', () => {
    noGrad(() => {
      enableGrad(() => assert.equal(isGradEnabled(), true));
      assert.equal(isGradEnabled(), false);
      assert.throws(() => enableGrad(() => { throw new Error('x'); }));
      assert.equal(isGradEnabled(), false);
    });
  });
});

describe('setGradEnabled', () => {
  test('switches globally and returns the previous setting', () => {
    const x = ones([1], { requiresGrad: true });
    try {
      assert.equal(setGradEnabled(false), true);
      assert.equal(isGradEnabled(), false);
      assert.equal(x.mul(2).gradFn, null);
      assert.equal(setGradEnabled(false), false);
    } finally {
      setGradEnabled(true);
    }
    assert.notEqual(x.mul(2).gradFn, null);
  });
});

describe('requiresGrad', () => {
  test('an op records only when an input requires grad', () => {
    const a = tensor([1]);
    const b = tensor([2], { requiresGrad: true });
    assert.equal(a.mul(a).requiresGrad, false);
    assert.equal(a.mul(a).gradFn, null);
    const c = a.mul(b);
    assert.equal(c.requiresGrad, true);
    assert.deepEqual(c.gradFn!.inputs.length, 2);
  });

  test('on an int32 or bool tensor throws DTypeError with a clear message', () => {
    const i = arange(3);
    assert.throws(
      () => { i.requiresGrad = true; },
      (e: unknown) => e instanceof DTypeError && /requiresGrad/.test(e.message) && /floating/.test(e.message) && /int32/.test(e.message),
    );
    assert.equal(i.requiresGrad, false);
    assert.throws(() => i.requiresGrad_(), DTypeError);
    assert.throws(() => tensor([true]).requiresGrad_(), (e: unknown) => e instanceof DTypeError && /bool/.test(e.message));
    // turning it off is always allowed
    i.requiresGrad = false;
    assert.equal(i.requiresGrad, false);
  });

  test('requiresGrad_ sets and returns the tensor', () => {
    const x = tensor([1]);
    assert.equal(x.requiresGrad_(), x);
    assert.equal(x.requiresGrad, true);
    x.requiresGrad_(false);
    assert.equal(x.requiresGrad, false);
  });

  test('cannot be turned off on a non-leaf', () => {
    const y = tensor([1], { requiresGrad: true }).mul(2);
    assert.throws(() => { y.requiresGrad = false; }, (e: unknown) => e instanceof ValueError && /detach/.test(e.message));
    assert.equal(y.requiresGrad, true);
  });

  test('integer outputs of a recorded graph do not require grad', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const cmp = x.gt(1);
    assert.equal(cmp.dtype, 'bool');
    assert.equal(cmp.requiresGrad, false);
    assert.equal(x.argmax().requiresGrad, false);
  });
});
