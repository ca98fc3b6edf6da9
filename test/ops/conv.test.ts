import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ShapeError, ValueError, type Tensor } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';
import { checkFamily } from '../helpers/check-op.js';

/** Fixture args (camelCase, PyTorch meanings) as shendu's options object. */
const convOpts = (o: Record<string, any>) => ({ stride: o.stride, padding: o.padding, dilation: o.dilation, groups: o.groups });
const convTOpts = (o: Record<string, any>) => ({ ...convOpts(o), outputPadding: o.outputPadding });
const bias = (b: Tensor | undefined) => b ?? null;

checkFamily('conv', {
  conv1d: ([x, w, b], o) => sd.conv1d(x, w, bias(b), convOpts(o)),
  conv2d: ([x, w, b], o) => sd.conv2d(x, w, bias(b), convOpts(o)),
  convTranspose1d: ([x, w, b], o) => sd.convTranspose1d(x, w, bias(b), convTOpts(o)),
  convTranspose2d: ([x, w, b], o) => sd.convTranspose2d(x, w, bias(b), convTOpts(o)),
});

const z = (shape: number[]) => sd.zeros(shape, { dtype: 'float64' });
const isErr = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
  assert.match((e as Error).message, re);
  return true;
};

describe('conv: bad input', () => {
  test('kernel larger than the padded input', () => {
    assert.throws(() => sd.conv2d(z([1, 1, 4, 4]), z([1, 1, 5, 3])), isErr(ShapeError, /^conv2d: kernel size 5 is larger than the padded input size 4 in dim H/));
    assert.throws(() => sd.conv2d(z([1, 1, 4, 4]), z([1, 1, 3, 3]), null, { dilation: 2 }), isErr(ShapeError, /^conv2d: kernel size 3 \(dilated to 5\) is larger than the padded input size 4 in dim H/));
    assert.throws(() => sd.conv1d(z([1, 1, 3]), z([1, 1, 6]), null, { padding: 1 }), isErr(ShapeError, /^conv1d: kernel size 6 is larger than the padded input size 5 in dim L$/));
  });
  test('channel mismatch between input and weight', () => {
    assert.throws(() => sd.conv2d(z([1, 3, 5, 5]), z([2, 2, 3, 3])), isErr(ShapeError, /^conv2d: weight \[2, 2, 3, 3\] expects 2 input channels \(groups 1\), but the input \[1, 3, 5, 5\] has 3/));
    assert.throws(() => sd.conv1d(z([1, 4, 5]), z([2, 3, 3])), isErr(ShapeError, /^conv1d: weight \[2, 3, 3\] expects 3 input channels \(groups 1\), but the input \[1, 4, 5\] has 4$/));
    assert.throws(() => sd.convTranspose2d(z([1, 3, 4, 4]), z([2, 2, 3, 3])), isErr(ShapeError, /^convTranspose2d: weight \[2, 2, 3, 3\] expects 2 input channels, but the input \[1, 3, 4, 4\] has 3/));
  });
  test('groups that do not divide the channels', () => {
    assert.throws(() => sd.conv2d(z([1, 3, 5, 5]), z([4, 1, 3, 3]), null, { groups: 2 }), isErr(ValueError, /^conv2d: in channels 3 and out channels 4 must both be divisible by groups 2/));
    assert.throws(() => sd.conv2d(z([1, 4, 5, 5]), z([3, 2, 3, 3]), null, { groups: 2 }), isErr(ValueError, /^conv2d: in channels 4 and out channels 3 must both be divisible by groups 2/));
    assert.throws(() => sd.convTranspose2d(z([1, 3, 4, 4]), z([3, 1, 3, 3]), null, { groups: 2 }), isErr(ValueError, /^convTranspose2d: in channels 3 must be divisible by groups 2/));
    assert.throws(() => sd.conv2d(z([1, 2, 5, 5]), z([2, 1, 3, 3]), null, { groups: 0 }), isErr(ValueError, /^conv2d: groups must be a positive integer, got 0/));
  });
  test('input of the wrong rank', () => {
    assert.throws(() => sd.conv2d(z([5, 5]), z([2, 3, 3, 3])), isErr(ShapeError, /^conv2d: input must be 3-D \(C, H, W\) or 4-D \(N, C, H, W\), got shape \[5, 5\]/));
    assert.throws(() => sd.conv2d(z([1, 3, 5, 5]), z([2, 3, 3])), isErr(ShapeError, /^conv2d: weight must be 4-D, got shape \[2, 3, 3\]/));
    assert.throws(() => sd.conv1d(z([5]), z([2, 3, 3])), isErr(ShapeError, /^conv1d: input must be 2-D \(C, L\) or 3-D \(N, C, L\), got shape \[5\]/));
    assert.throws(() => sd.convTranspose1d(z([1, 2, 3, 3]), z([2, 2, 3])), isErr(ShapeError, /^convTranspose1d: input must be 2-D \(C, L\) or 3-D \(N, C, L\), got shape \[1, 2, 3, 3\]/));
  });
  test("padding 'same' with stride 2", () => {
    assert.throws(() => sd.conv2d(z([1, 1, 5, 5]), z([1, 1, 3, 3]), null, { padding: 'same', stride: 2 }), isErr(ValueError, /^conv2d: padding 'same' needs stride 1, got stride 2/));
    assert.throws(() => sd.conv1d(z([1, 1, 5]), z([1, 1, 3]), null, { padding: 'same', stride: 2 }), isErr(ValueError, /^conv1d: padding 'same' needs stride 1, got stride 2$/));
  });
  test('bad bias, dtypes and option values', () => {
    assert.throws(() => sd.conv2d(z([1, 2, 5, 5]), z([3, 2, 3, 3]), z([2])), isErr(ShapeError, /^conv2d: bias must have shape \[3\], got \[2\]/));
    assert.throws(() => sd.convTranspose2d(z([1, 2, 3, 3]), z([2, 3, 3, 3]), z([2])), isErr(ShapeError, /^convTranspose2d: bias must have shape \[3\], got \[2\]/));
    assert.throws(() => sd.conv2d(z([1, 2, 5, 5]), sd.zeros([3, 2, 3, 3])), isErr(DTypeError, /^conv2d: weight dtype float32 differs from input dtype float64/));
    assert.throws(() => sd.conv2d(sd.zeros([1, 2, 5, 5], { dtype: 'int32' }), sd.zeros([3, 2, 3, 3], { dtype: 'int32' })), isErr(DTypeError, /^conv2d: input must be floating point, got int32/));
    assert.throws(() => sd.conv2d(z([1, 1, 5, 5]), z([1, 1, 3, 3]), null, { stride: 0 }), isErr(ValueError, /^conv2d: stride must be an integer >= 1 or a pair of them, got 0/));
    assert.throws(() => sd.conv2d(z([1, 1, 5, 5]), z([1, 1, 3, 3]), null, { padding: -1 }), isErr(ValueError, /^conv2d: padding must be an integer >= 0 or a pair of them, got -1/));
    assert.throws(() => sd.conv1d(z([1, 1, 5]), z([1, 1, 3]), null, { stride: 1.5 }), isErr(ValueError, /^conv1d: stride must be an integer >= 1, got 1\.5$/));
  });
  test('transposed conv: output padding not below stride or dilation, empty output', () => {
    assert.throws(() => sd.convTranspose2d(z([1, 1, 3, 3]), z([1, 1, 3, 3]), null, { stride: 2, outputPadding: 2 }), isErr(ValueError, /^convTranspose2d: outputPadding 2 must be smaller than stride or dilation/));
    assert.throws(() => sd.convTranspose1d(z([1, 1, 3]), z([1, 1, 3]), null, { outputPadding: 1 }), isErr(ValueError, /^convTranspose1d: outputPadding 1 must be smaller than stride or dilation \(stride 1, dilation 1\)$/));
    assert.throws(() => sd.convTranspose2d(z([1, 1, 1, 1]), z([1, 1, 1, 1]), null, { padding: 1 }), isErr(ShapeError, /^convTranspose2d: the output size \[-1, -1\] is not positive for input \[1, 1, 1, 1\]/));
    assert.throws(() => sd.convTranspose1d(z([1, 1, 2]), z([1, 1, 2]), null, { padding: 2 }), isErr(ShapeError, /^convTranspose1d: the output size \[-1\] is not positive for input \[1, 1, 2\]$/));
  });
});

// Bad inputs: each raises the typed error whose message names the op, the argument, what was expected and what was got.
{
  const z = (s: number[], dtype: sd.DType = 'float64') => sd.zeros(s, { dtype });
  const i32 = (s: number[]) => sd.zeros(s, { dtype: 'int32' });
  checkErrors('conv', [
    ['conv2d: 2-D input', () => sd.conv2d(z([5, 5]), z([2, 3, 3, 3])), sd.ShapeError, /^conv2d: input must be 3-D \(C, H, W\) or 4-D \(N, C, H, W\), got shape \[5, 5\]$/],
    ['conv2d: null input', () => sd.conv2d(null as never, z([1, 1, 3, 3])), sd.ValueError, /^conv2d: input must be a Tensor, got null$/],
    ['conv2d: channels differ', () => sd.conv2d(z([1, 3, 5, 5]), z([2, 2, 3, 3])), sd.ShapeError, /^conv2d: weight \[2, 2, 3, 3\] expects 2 input channels \(groups 1\), but the input \[1, 3, 5, 5\] has 3$/],
    ['conv2d: kernel larger than input', () => sd.conv2d(z([1, 1, 4, 4]), z([1, 1, 5, 3])), sd.ShapeError, /^conv2d: kernel size 5 is larger than the padded input size 4 in dim H$/],
    ['conv2d: stride 0', () => sd.conv2d(z([1, 1, 5, 5]), z([1, 1, 3, 3]), null, { stride: 0 }), sd.ValueError, /^conv2d: stride must be an integer >= 1 or a pair of them, got 0$/],
    ['conv2d: negative padding', () => sd.conv2d(z([1, 1, 5, 5]), z([1, 1, 3, 3]), null, { padding: -1 }), sd.ValueError, /^conv2d: padding must be an integer >= 0 or a pair of them, got -1$/],
    ['conv2d: unknown padding string', () => sd.conv2d(z([1, 1, 5, 5]), z([1, 1, 3, 3]), null, { padding: 'full' as never }), sd.ValueError, /^conv2d: padding must be a number or \[h, w\], got "full"$/],
    ['conv2d: groups do not divide', () => sd.conv2d(z([1, 3, 5, 5]), z([4, 1, 3, 3]), null, { groups: 2 }), sd.ValueError, /^conv2d: in channels 3 and out channels 4 must both be divisible by groups 2$/],
    ['conv2d: bias dtype', () => sd.conv2d(z([1, 1, 5, 5]), z([1, 1, 3, 3]), z([1], 'float32')), sd.DTypeError, /^conv2d: bias dtype float32 differs from input dtype float64$/],
    ['conv2d: int input', () => sd.conv2d(i32([1, 2, 5, 5]), i32([3, 2, 3, 3])), sd.DTypeError, /^conv2d: input must be floating point, got int32$/],
    ['conv1d: 4-D weight', () => sd.conv1d(z([1, 1, 5]), z([1, 1, 3, 3])), sd.ShapeError, /^conv1d: weight must be 3-D, got shape \[1, 1, 3, 3\]$/],
    ['convTranspose2d: outputPadding too large', () => sd.convTranspose2d(z([1, 1, 3, 3]), z([1, 1, 3, 3]), null, { stride: 2, outputPadding: 2 }), sd.ValueError, /^convTranspose2d: outputPadding 2 must be smaller than stride or dilation \(stride 2, dilation 1\)$/],
  ]);
}
