import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ShapeError, ValueError, type Tensor } from '../../src/index.js';
import { checkFamily } from '../helpers/check-op.js';

const convOpts = (o: Record<string, any>) => ({ stride: o.stride, padding: o.padding, dilation: o.dilation, groups: o.groups });
const convTOpts = (o: Record<string, any>) => ({ ...convOpts(o), outputPadding: o.outputPadding });
const bias = (b: Tensor | undefined) => b ?? null;

checkFamily('conv3d', {
  conv1d: ([x, w, b], o) => sd.conv1d(x, w, bias(b), convOpts(o)),
  conv2d: ([x, w, b], o) => sd.conv2d(x, w, bias(b), convOpts(o)),
  conv3d: ([x, w, b], o) => sd.conv3d(x, w, bias(b), convOpts(o)),
  convTranspose1d: ([x, w, b], o) => sd.convTranspose1d(x, w, bias(b), convTOpts(o)),
  convTranspose2d: ([x, w, b], o) => sd.convTranspose2d(x, w, bias(b), convTOpts(o)),
  convTranspose3d: ([x, w, b], o) => sd.convTranspose3d(x, w, bias(b), convTOpts(o)),
});

const z = (shape: number[]) => sd.zeros(shape, { dtype: 'float64' });
const isErr = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
  assert.match((e as Error).message, re);
  return true;
};

describe('conv3d: layers', () => {
  test('Conv3d and ConvTranspose3d hold PyTorch-shaped parameters and match the functions', () => {
    sd.manualSeed(1);
    const conv = new sd.nn.Conv3d(2, 4, [3, 2, 2], { padding: 1, dtype: 'float64' });
    assert.deepEqual(conv.weight.shape, [4, 2, 3, 2, 2]);
    const bound = 1 / Math.sqrt(2 * 12);
    assert.ok(Array.from(conv.bias!.toTypedArray()).every((v) => Math.abs(v) <= bound));
    const x = sd.randn([1, 2, 3, 4, 4], { dtype: 'float64' });
    assert.deepEqual(conv.forward(x).shape, [1, 4, 3, 5, 5]);
    assert.deepEqual(conv.forward(x).toArray(), sd.conv3d(x, conv.weight, conv.bias, { padding: 1 }).toArray());
    const up = new sd.nn.ConvTranspose3d(2, 3, 2, { stride: 2, groups: 1, bias: false, dtype: 'float64' });
    assert.deepEqual(up.weight.shape, [2, 3, 2, 2, 2]);
    assert.equal(up.bias, null);
    assert.deepEqual(up.forward(x).shape, [1, 3, 6, 8, 8]);
  });
});

describe('conv3d: bad input', () => {
  const cases: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['rank', () => sd.conv3d(z([2, 3, 4]), z([1, 2, 1, 1, 1])), ShapeError, /^conv3d: input must be 4-D \(C, D, H, W\) or 5-D \(N, C, D, H, W\), got shape \[2, 3, 4\]$/],
    ['weight rank', () => sd.conv3d(z([1, 2, 3, 3, 3]), z([1, 2, 1, 1])), ShapeError, /^conv3d: weight must be 5-D, got shape \[1, 2, 1, 1\]$/],
    ['dtype', () => sd.conv3d(sd.zeros([1, 1, 2, 2, 2], { dtype: 'int32' }), z([1, 1, 1, 1, 1])), DTypeError, /^conv3d: input must be floating point, got int32$/],
    ['weight dtype', () => sd.conv3d(z([1, 1, 2, 2, 2]), sd.zeros([1, 1, 1, 1, 1], { dtype: 'float32' })), DTypeError, /^conv3d: weight dtype float32 differs from input dtype float64$/],
    ['channels', () => sd.conv3d(z([1, 3, 2, 2, 2]), z([1, 2, 1, 1, 1])), ShapeError, /^conv3d: weight \[1, 2, 1, 1, 1\] expects 2 input channels \(groups 1\), but the input \[1, 3, 2, 2, 2\] has 3$/],
    ['groups', () => sd.conv3d(z([1, 3, 2, 2, 2]), z([2, 1, 1, 1, 1]), null, { groups: 2 }), ValueError, /^conv3d: in channels 3 and out channels 2 must both be divisible by groups 2$/],
    ['bias', () => sd.conv3d(z([1, 1, 2, 2, 2]), z([2, 1, 1, 1, 1]), z([3])), ShapeError, /^conv3d: bias must have shape \[2\], got \[3\]$/],
    ['kernel too big', () => sd.conv3d(z([1, 1, 2, 5, 5]), z([1, 1, 3, 1, 1])), ShapeError, /^conv3d: kernel size 3 is larger than the padded input size 2 in dim D$/],
    ['stride', () => sd.conv3d(z([1, 1, 2, 2, 2]), z([1, 1, 1, 1, 1]), null, { stride: [1, 0, 1] }), ValueError, /^conv3d: stride must be an integer >= 1 or a triple of them, got \[1,0,1\]$/],
    ['same strided', () => sd.conv3d(z([1, 1, 2, 2, 2]), z([1, 1, 1, 1, 1]), null, { stride: 2, padding: 'same' }), ValueError, /^conv3d: padding 'same' needs stride 1, got stride 2$/],
    ['transpose channels', () => sd.convTranspose3d(z([1, 3, 2, 2, 2]), z([2, 1, 1, 1, 1])), ShapeError, /^convTranspose3d: weight \[2, 1, 1, 1, 1\] expects 2 input channels, but the input \[1, 3, 2, 2, 2\] has 3$/],
    ['output padding', () => sd.convTranspose3d(z([1, 1, 2, 2, 2]), z([1, 1, 2, 2, 2]), null, { stride: 2, outputPadding: [0, 2, 0] }), ValueError, /^convTranspose3d: outputPadding \[0,2,0\] must be smaller than stride or dilation \(stride 2, dilation 1\)$/],
    ['transpose output size', () => sd.convTranspose3d(z([1, 1, 1, 2, 2]), z([1, 1, 1, 2, 2]), null, { padding: [1, 0, 0] }), ShapeError, /^convTranspose3d: the output size \[-1, 3, 3\] is not positive for input \[1, 1, 1, 2, 2\]$/],
    ['unbatched conv2d rank', () => sd.conv2d(z([4, 4]), z([1, 1, 1, 1])), ShapeError, /^conv2d: input must be 3-D \(C, H, W\) or 4-D \(N, C, H, W\), got shape \[4, 4\]$/],
    ['layer groups', () => new sd.nn.Conv3d(3, 4, 2, { groups: 2 }), ValueError, /^Conv3d: inChannels 3 and outChannels 4 must be divisible by groups 2$/],
    ['layer kernel', () => new sd.nn.ConvTranspose3d(1, 1, [2, 2] as unknown as number), ValueError, /^ConvTranspose3d: kernelSize must be an integer >= 1 or a triple of them, got \[2,2\]$/],
  ];
  for (const [name, fn, cls, re] of cases) test(name, () => assert.throws(fn, isErr(cls, re)));
});
