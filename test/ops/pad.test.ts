import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { ValueError } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('pad', {
  pad: ([a], o) => sd.pad(a, o.pad, o.value === undefined ? { mode: o.mode } : { mode: o.mode, value: o.value }),
});

const r = (n: number) => sd.arange(0, n, 1, { dtype: 'float64' });

describe('pad: values beyond the fixtures', () => {
  test('reflect and replicate on integer tensors (torch 1.13 has no such kernels)', () => {
    const x = sd.tensor([1, 2, 3, 4], { dtype: 'int32' });
    const y = sd.pad(x, [2, 1], { mode: 'reflect' });
    assert.equal(y.dtype, 'int32');
    assert.deepEqual(y.toArray(), [3, 2, 1, 2, 3, 4, 3]);
    assert.deepEqual(sd.pad(x, [1, 2], { mode: 'replicate' }).toArray(), [1, 1, 2, 3, 4, 4, 4]);
  });
  test('reflect padding of size-1 less than the dim is allowed; gradients of mirrored elements add up', () => {
    const x = r(3).requiresGrad_();
    const y = sd.pad(x, [2, 2], { mode: 'reflect' });
    assert.deepEqual(y.toArray(), [2, 1, 0, 1, 2, 1, 0]);
    y.sum().backward();
    assert.deepEqual(x.grad!.toArray(), [2, 3, 2]);
  });
  test('constant padding is the default mode and 0 the default value', () => {
    assert.deepEqual(sd.pad(r(2), [1, 1]).toArray(), [0, 0, 1, 0]);
    assert.deepEqual(r(4).pad([-1, -1]).toArray(), [1, 2]);
  });
});

describe('pad: bad input', () => {
  test('reflect pad too large', () => {
    assert.throws(() => sd.pad(r(3), [3, 0], { mode: 'reflect' }), (e) => e instanceof ValueError && /^pad: reflect padding \(3, 0\) must be less than the size 3 of dim 0/.test(e.message));
    assert.throws(() => sd.pad(r(6).reshape([1, 2, 3]), [0, 0, 2, 0], { mode: 'reflect' }), (e) => e instanceof ValueError && /^pad: reflect padding \(2, 0\) must be less than the size 2 of dim 1/.test(e.message));
  });
  test('circular pad larger than the dim', () => {
    assert.throws(() => sd.pad(r(3), [1, 4], { mode: 'circular' }), (e) => e instanceof ValueError && /^pad: circular padding \(1, 4\) must not exceed the size 3 of dim 0/.test(e.message));
  });
  test('negative pads with a non-constant mode, cropping more than the dim', () => {
    assert.throws(() => sd.pad(r(3), [-1, 0], { mode: 'replicate' }), (e) => e instanceof ValueError && /^pad: mode 'replicate' needs non-negative pads, got -1, 0 for dim 0/.test(e.message));
    assert.throws(() => sd.pad(r(3), [-2, -2]), (e) => e instanceof ValueError && /^pad: negative padding -2, -2 removes more than dim 0 of size 3/.test(e.message));
  });
  test('odd-length or too long pad lists, an unknown mode, a value with a non-constant mode', () => {
    assert.throws(() => sd.pad(r(3), [1]), (e) => e instanceof ValueError && /^pad: pad must be an even-length array of integers, got \[1\]/.test(e.message));
    assert.throws(() => sd.pad(r(3), [1, 1.5]), (e) => e instanceof ValueError && /^pad: pad must be an even-length array of integers, got \[1,1\.5\]/.test(e.message));
    assert.throws(() => sd.pad(r(3), [1, 1, 1, 1]), (e) => e instanceof ValueError && /^pad: 4 pad values pad 2 dims, but the input has shape \[3\]/.test(e.message));
    assert.throws(() => sd.pad(r(3), [1, 1], { mode: 'mirror' as sd.PadMode }), (e) => e instanceof ValueError && /^pad: mode must be one of constant, reflect, replicate, circular, got 'mirror'/.test(e.message));
    assert.throws(() => sd.pad(r(3), [1, 1], { mode: 'reflect', value: 2 }), (e) => e instanceof ValueError && /^pad: value is only used by mode 'constant', got mode 'reflect'/.test(e.message));
    assert.throws(() => sd.pad(sd.zeros([0]), [1, 1], { mode: 'replicate' }), (e) => e instanceof ValueError && /^pad: mode 'replicate' cannot pad dim 0 of size 0/.test(e.message));
  });
});

// Bad inputs: each raises the typed error whose message names the op, the argument, what was expected and what was got.
{
  const z = (s: number[], dtype: sd.DType = 'float64') => sd.zeros(s, { dtype });
  checkErrors('pad', [
    ['pad: odd length', () => sd.pad(z([2, 3]), [1]), sd.ValueError, /^pad: pad must be an even-length array of integers, got \[1\]$/],
    ['pad: more dims than the input', () => sd.pad(z([2]), [1, 1, 1, 1]), sd.ValueError, /^pad: 4 pad values pad 2 dims, but the input has shape \[2\]$/],
    ['pad: fractional amount', () => sd.pad(z([2, 3]), [0.5, 1]), sd.ValueError, /^pad: pad must be an even-length array of integers, got \[0\.5,1\]$/],
    ['pad: not an array', () => sd.pad(z([2]), 1 as never), sd.ValueError, /^pad: pad must be an even-length array of integers, got 1$/],
    ['pad: unknown mode', () => sd.pad(z([1, 1, 3]), [1, 1], { mode: 'wrap' as never }), sd.ValueError, /^pad: mode must be one of constant, reflect, replicate, circular, got 'wrap'$/],
    ['pad: reflect as wide as the dim', () => sd.pad(z([1, 1, 3]), [3, 3], { mode: 'reflect' }), sd.ValueError, /^pad: reflect padding \(3, 3\) must be less than the size 3 of dim 2$/],
    ['pad: circular wider than the dim', () => sd.pad(z([1, 1, 3]), [4, 0], { mode: 'circular' }), sd.ValueError, /^pad: circular padding \(4, 0\) must not exceed the size 3 of dim 2$/],
    ['pad: negative past the size', () => sd.pad(z([2, 3]), [-2, -2]), sd.ValueError, /^pad: negative padding -2, -2 removes more than dim 1 of size 3$/],
    ['pad: value a string', () => sd.pad(z([2]), [1, 1], { value: 'a' as never }), sd.ValueError, /^pad: value must be a number, got a$/],
    ['pad: null input', () => sd.pad(null as never, [1, 1]), sd.ValueError, /^pad: input must be a Tensor, got null$/],
  ]);
}
