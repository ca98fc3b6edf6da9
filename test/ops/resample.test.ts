import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ShapeError, ValueError } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('resample', {
  interpolate: ([x], o) => sd.interpolate(x, { size: o.size ?? undefined, scaleFactor: o.scaleFactor ?? undefined, mode: o.mode, alignCorners: o.alignCorners ?? undefined }),
});

const z = (shape: number[]) => sd.zeros(shape, { dtype: 'float64' });
const isErr = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
  assert.match((e as Error).message, re);
  return true;
};

describe('interpolate: behaviour beyond the fixtures', () => {
  test('nearest by an integer factor repeats each element', () => {
    const x = sd.tensor([[[1, 2, 3]]], { dtype: 'float64' });
    assert.deepEqual(sd.interpolate(x, { scaleFactor: 2 }).toArray(), [[[1, 1, 2, 2, 3, 3]]]);
  });
  test('bilinear with alignCorners keeps the corner values', () => {
    const x = sd.tensor([[[[1, 2], [3, 4]]]], { dtype: 'float64' });
    const y = sd.interpolate(x, { size: [3, 3], mode: 'bilinear', alignCorners: true });
    assert.deepEqual(y.toArray(), [[[[1, 1.5, 2], [2, 2.5, 3], [3, 3.5, 4]]]]);
  });
});

describe('interpolate: bad input', () => {
  test('size and scaleFactor: exactly one, of the right length and sign', () => {
    assert.throws(() => sd.interpolate(z([1, 1, 4]), {}), isErr(ValueError, /^interpolate: give exactly one of size and scaleFactor$/));
    assert.throws(() => sd.interpolate(z([1, 1, 4]), { size: 2, scaleFactor: 2 }), isErr(ValueError, /^interpolate: give exactly one of size and scaleFactor$/));
    assert.throws(() => sd.interpolate(z([1, 1, 4, 4]), { size: [2, 2, 2] }), isErr(ValueError, /^interpolate: size needs 2 values for a 4-D input, got \[2,2,2\]$/));
    assert.throws(() => sd.interpolate(z([1, 1, 4]), { size: 0 }), isErr(ValueError, /^interpolate: size must hold positive integers, got 0$/));
    assert.throws(() => sd.interpolate(z([1, 1, 4]), { scaleFactor: -1 }), isErr(ValueError, /^interpolate: scaleFactor must be positive, got -1$/));
    assert.throws(() => sd.interpolate(z([1, 1, 4]), { scaleFactor: 0.2 }), isErr(ValueError, /^interpolate: scaleFactor 0\.2 gives an empty output for input \[1, 1, 4\]$/));
  });
  test('mode and rank must fit', () => {
    assert.throws(() => sd.interpolate(z([1, 1, 4]), { size: 2, mode: 'bilinear' }), isErr(ShapeError, /^interpolate: mode 'bilinear' needs a 4-D input, got shape \[1, 1, 4\]$/));
    assert.throws(() => sd.interpolate(z([1, 1, 4, 4]), { size: 2, mode: 'linear' }), isErr(ShapeError, /^interpolate: mode 'linear' needs a 3-D input, got shape \[1, 1, 4, 4\]$/));
    assert.throws(() => sd.interpolate(z([4, 4]), { size: 2 }), isErr(ShapeError, /^interpolate: input must be 3-D \(N, C, L\), 4-D \(N, C, H, W\) or 5-D \(N, C, D, H, W\), got shape \[4, 4\]$/));
    assert.throws(() => sd.interpolate(z([1, 1, 4]), { size: 2, mode: 'cubic' as sd.InterpolateMode }), isErr(ValueError, /^interpolate: mode must be one of 'nearest', 'nearest-exact', 'linear', 'bilinear', 'bicubic', 'trilinear', 'area', got 'cubic'$/));
    assert.throws(() => sd.interpolate(z([1, 1, 4]), { size: 2, mode: 'bicubic' }), isErr(ShapeError, /^interpolate: mode 'bicubic' needs a 4-D input, got shape \[1, 1, 4\]$/));
    assert.throws(() => sd.interpolate(z([1, 1, 4, 4]), { size: 2, mode: 'trilinear' }), isErr(ShapeError, /^interpolate: mode 'trilinear' needs a 5-D input, got shape \[1, 1, 4, 4\]$/));
    assert.throws(() => sd.interpolate(z([1, 1, 4]), { size: 2, alignCorners: true }), isErr(ValueError, /^interpolate: alignCorners only applies to the interpolating modes 'linear', 'bilinear', 'bicubic' and 'trilinear', not 'nearest'$/));
    assert.throws(() => sd.interpolate(z([1, 1, 4, 4]), { size: 2, mode: 'area', alignCorners: false }), isErr(ValueError, /^interpolate: alignCorners only applies to .* not 'area'$/));
    assert.throws(() => sd.interpolate(z([1, 1, 4]), { size: 2, recomputeScaleFactor: true }), isErr(ValueError, /^interpolate: recomputeScaleFactor is not meaningful with an explicit size$/));
    assert.throws(() => sd.interpolate(sd.zeros([1, 1, 4], { dtype: 'int32' }), { size: 2 }), isErr(DTypeError, /^interpolate: input must be floating point, got int32$/));
  });
});

// Bad inputs: each raises the typed error whose message names the op, the argument, what was expected and what was got.
{
  const z = (s: number[], dtype: sd.DType = 'float64') => sd.zeros(s, { dtype });
  const i32 = (s: number[]) => sd.zeros(s, { dtype: 'int32' });
  checkErrors('resample', [
    ['interpolate: 2-D input', () => sd.interpolate(z([3, 3]), { size: [4, 4] }), sd.ShapeError, /^interpolate: input must be 3-D \(N, C, L\), 4-D \(N, C, H, W\) or 5-D \(N, C, D, H, W\), got shape \[3, 3\]$/],
    ['interpolate: null input', () => sd.interpolate(null as never, { size: 2 }), sd.ValueError, /^interpolate: input must be a Tensor, got null$/],
    ['interpolate: size and scaleFactor', () => sd.interpolate(z([1, 1, 3, 3]), { size: [4, 4], scaleFactor: 2 }), sd.ValueError, /^interpolate: give exactly one of size and scaleFactor$/],
    ['interpolate: neither size nor scaleFactor', () => sd.interpolate(z([1, 1, 3, 3]), {}), sd.ValueError, /^interpolate: give exactly one of size and scaleFactor$/],
    ['interpolate: unknown mode', () => sd.interpolate(z([1, 1, 3, 3]), { size: [4, 4], mode: 'cubic' as never }), sd.ValueError, /^interpolate: mode must be one of 'nearest', 'nearest-exact', 'linear', 'bilinear', 'bicubic', 'trilinear', 'area', got 'cubic'$/],
    ['interpolate: three sizes for 4-D', () => sd.interpolate(z([1, 1, 3, 3]), { size: [4, 4, 4] }), sd.ValueError, /^interpolate: size needs 2 values for a 4-D input, got \[4,4,4\]$/],
    ['interpolate: size 0', () => sd.interpolate(z([1, 1, 3, 3]), { size: [0, 4] }), sd.ValueError, /^interpolate: size must hold positive integers, got \[0,4\]$/],
    ['interpolate: negative scaleFactor', () => sd.interpolate(z([1, 1, 3, 3]), { scaleFactor: -1 }), sd.ValueError, /^interpolate: scaleFactor must be positive, got -1$/],
    ['interpolate: int input', () => sd.interpolate(i32([1, 1, 3, 3]), { size: [4, 4], mode: 'bilinear' }), sd.DTypeError, /^interpolate: input must be floating point, got int32$/],
    ['interpolate: alignCorners with nearest', () => sd.interpolate(z([1, 1, 3, 3]), { size: [4, 4], mode: 'nearest', alignCorners: true }), sd.ValueError, /^interpolate: alignCorners only applies to the interpolating modes 'linear', 'bilinear', 'bicubic' and 'trilinear', not 'nearest'$/],
    ['interpolate: linear on 4-D', () => sd.interpolate(z([1, 1, 3, 3]), { size: [4, 4], mode: 'linear' }), sd.ShapeError, /^interpolate: mode 'linear' needs a 3-D input, got shape \[1, 1, 3, 3\]$/],
    ['interpolate: bilinear on 3-D', () => sd.interpolate(z([1, 1, 3]), { size: 4, mode: 'bilinear' }), sd.ShapeError, /^interpolate: mode 'bilinear' needs a 4-D input, got shape \[1, 1, 3\]$/],
    ['interpolate: no options', () => sd.interpolate(z([1, 1, 3, 3]), undefined as never), sd.ValueError, /^interpolate: options must be an object with size or scaleFactor, got undefined$/],
  ]);
}
