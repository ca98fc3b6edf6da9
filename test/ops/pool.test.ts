import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ShapeError, ValueError, type Tensor } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';
import { checkFamily } from '../helpers/check-op.js';
import { onEachBackend } from '../helpers/backends.js';

/** Window options of the fixture args (camelCase, PyTorch meanings). */
const win = (o: Record<string, any>) => ({ stride: o.stride, padding: o.padding, dilation: o.dilation, ceilMode: o.ceilMode });
const withIndices = (r: Tensor | sd.PoolWithIndices): Tensor | Tensor[] => ('values' in r ? [r.values, r.indices] : r);

checkFamily('pool', {
  maxPool1d: ([x], o) => (o.returnIndices ? withIndices(sd.maxPool1d(x, o.kernelSize, { ...win(o), returnIndices: true })) : sd.maxPool1d(x, o.kernelSize, win(o))),
  maxPool2d: ([x], o) => (o.returnIndices ? withIndices(sd.maxPool2d(x, o.kernelSize, { ...win(o), returnIndices: true })) : sd.maxPool2d(x, o.kernelSize, win(o))),
  avgPool1d: ([x], o) => sd.avgPool1d(x, o.kernelSize, { stride: o.stride, padding: o.padding, ceilMode: o.ceilMode, countIncludePad: o.countIncludePad }),
  avgPool2d: ([x], o) => sd.avgPool2d(x, o.kernelSize, { ...win(o), countIncludePad: o.countIncludePad, divisorOverride: o.divisorOverride }),
  maxUnpool2d: ([x], o) => {
    const r = sd.maxPool2d(x, o.kernelSize, { stride: o.stride, padding: o.padding, returnIndices: true });
    return sd.maxUnpool2d(r.values, r.indices, o.kernelSize, { stride: o.stride, padding: o.padding, outputSize: o.outputSize });
  },
  maxUnpool2d_idx: ([x, idx], o) => sd.maxUnpool2d(x, idx, o.kernelSize, { stride: o.stride, padding: o.padding, outputSize: o.outputSize }),
  adaptiveAvgPool2d: ([x], o) => sd.adaptiveAvgPool2d(x, o.outputSize),
  adaptiveMaxPool2d: ([x], o) => (o.returnIndices ? withIndices(sd.adaptiveMaxPool2d(x, o.outputSize, { returnIndices: true })) : sd.adaptiveMaxPool2d(x, o.outputSize)),
});

const z = (shape: number[]) => sd.zeros(shape, { dtype: 'float64' });
const isErr = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
  assert.match((e as Error).message, re);
  return true;
};

describe('pool: behaviour beyond the fixtures', () => {
  test('maxUnpool2d places each maximum once even where windows overlap', () => {
    const x = sd.tensor([[[[1, 2, 3], [4, 9, 5], [6, 7, 8]]]], { dtype: 'float64' });
    const r = sd.maxPool2d(x, 2, { stride: 1, returnIndices: true });
    assert.deepEqual(r.indices.toArray(), [[[[4, 4], [4, 4]]]]);
    assert.deepEqual(sd.maxUnpool2d(r.values, r.indices, 2, { stride: 1 }).toArray(), [[[[0, 0, 0], [0, 9, 0], [0, 0, 0]]]]);
  });
  test('pooled indices index the unpadded input plane', () => {
    const x = sd.arange(0, 16, 1, { dtype: 'float64' }).reshape([1, 1, 4, 4]);
    const r = sd.maxPool2d(x, 3, { stride: 2, padding: 1, returnIndices: true });
    assert.deepEqual(r.indices.toArray(), [[[[5, 7], [13, 15]]]]);
    assert.equal(r.indices.dtype, 'int32');
  });
});

describe('pool: bad input', () => {
  test('wrong rank names the op and the shape', () => {
    assert.throws(() => sd.maxPool2d(z([4, 4]), 2), isErr(ShapeError, /^maxPool2d: input must be 3-D \(C, H, W\) or 4-D \(N, C, H, W\), got shape \[4, 4\]$/));
    assert.throws(() => sd.avgPool2d(z([1, 1, 1, 4, 4]), 2), isErr(ShapeError, /^avgPool2d: input must be 3-D \(C, H, W\) or 4-D \(N, C, H, W\), got shape \[1, 1, 1, 4, 4\]$/));
    assert.throws(() => sd.maxPool1d(z([1, 1, 4, 4]), 2), isErr(ShapeError, /^maxPool1d: input must be 2-D \(C, L\) or 3-D \(N, C, L\), got shape \[1, 1, 4, 4\]$/));
    assert.throws(() => sd.avgPool1d(z([4]), 2), isErr(ShapeError, /^avgPool1d: input must be 2-D \(C, L\) or 3-D \(N, C, L\), got shape \[4\]$/));
    assert.throws(() => sd.adaptiveAvgPool2d(z([2, 4]), 1), isErr(ShapeError, /^adaptiveAvgPool2d: input must be 3-D/));
  });
  test('kernel larger than the padded input, padding over half the kernel', () => {
    assert.throws(() => sd.maxPool2d(z([1, 1, 3, 3]), 4), isErr(ShapeError, /^maxPool2d: kernel size 4 is larger than the padded input size 3 in dim H$/));
    // with ceilMode the same kernel gives one window, as PyTorch's output-size rule
    assert.deepEqual(sd.maxPool2d(z([1, 1, 3, 3]), 4, { stride: 2, ceilMode: true }).shape, [1, 1, 1, 1]);
    assert.throws(() => sd.maxPool1d(z([1, 1, 3]), 2, { dilation: 3 }), isErr(ShapeError, /^maxPool1d: kernel size 2 \(dilated to 4\) is larger than the padded input size 3 in dim L$/));
    assert.throws(() => sd.avgPool2d(z([1, 1, 5, 5]), 3, { padding: 2 }), isErr(ValueError, /^avgPool2d: padding 2 must be at most half the kernel size 3$/));
  });
  test('bad option values', () => {
    assert.throws(() => sd.maxPool2d(z([1, 1, 4, 4]), 0), isErr(ValueError, /^maxPool2d: kernelSize must be an integer >= 1 or a pair of them, got 0$/));
    assert.throws(() => sd.maxPool1d(z([1, 1, 4]), 0), isErr(ValueError, /^maxPool1d: kernelSize must be an integer >= 1, got 0$/));
    assert.throws(() => sd.avgPool1d(z([1, 1, 4]), 2, { stride: 1.5 }), isErr(ValueError, /^avgPool1d: stride must be an integer >= 1, got 1\.5$/));
    assert.throws(() => sd.maxPool1d(z([1, 1, 4]), 2, { padding: -1 }), isErr(ValueError, /^maxPool1d: padding must be an integer >= 0, got -1$/));
    assert.throws(() => sd.avgPool2d(z([1, 1, 4, 4]), 2, { divisorOverride: 0 }), isErr(ValueError, /^avgPool2d: divisorOverride must be a nonzero number, got 0$/));
    assert.throws(() => sd.avgPool2d(z([1, 1, 4, 4]), 2, { dilation: 2 }), isErr(ValueError, /^avgPool2d: dilation is not an option of average pooling/));
    assert.throws(() => sd.adaptiveAvgPool2d(z([1, 1, 4, 4]), [2, 0]), isErr(ValueError, /^adaptiveAvgPool2d: output sizes must be positive integers, got \[2,0\]$/));
    assert.throws(() => sd.adaptiveMaxPool2d(z([1, 1, 4, 4]), [1, 2, 3] as unknown as [number, number]), isErr(ValueError, /^adaptiveMaxPool2d: outputSize must be a number or \[h, w\], got \[1,2,3\]$/));
    assert.throws(() => sd.maxPool2d(sd.zeros([1, 1, 4, 4], { dtype: 'int32' }), 2), isErr(DTypeError, /^maxPool2d: input must be floating point, got int32$/));
  });
  test('maxUnpool2d: indices of the wrong dtype, shape or range', () => {
    const x = z([1, 1, 2, 2]);
    assert.throws(() => sd.maxUnpool2d(x, z([1, 1, 2, 2]), 2), isErr(DTypeError, /^maxUnpool2d: indices must be an int32 tensor, got dtype float64$/));
    assert.throws(() => sd.maxUnpool2d(x, sd.zeros([1, 1, 2], { dtype: 'int32' }), 2), isErr(ShapeError, /^maxUnpool2d: indices \[1, 1, 2\] must have the input's shape \[1, 1, 2, 2\]$/));
    assert.throws(() => sd.maxUnpool2d(x, sd.full([1, 1, 2, 2], 16, { dtype: 'int32' }), 2), isErr(ValueError, /^maxUnpool2d: index 16 is out of range for an output plane of 4x4 of size 16$/));
    assert.throws(() => sd.maxUnpool2d(x, sd.zeros([1, 1, 2, 2], { dtype: 'int32' }), 2, { outputSize: [0, 4] }), isErr(ValueError, /^maxUnpool2d: outputSize must end with two positive sizes, got \[0,4\]$/));
  });
});

// Bad inputs: each raises the typed error whose message names the op, the argument, what was expected and what was got.
{
  const z = (s: number[], dtype: sd.DType = 'float64') => sd.zeros(s, { dtype });
  const i32 = (s: number[]) => sd.zeros(s, { dtype: 'int32' });
  checkErrors('pool', [
    ['maxPool2d: 2-D input', () => sd.maxPool2d(z([4, 4]), 2), sd.ShapeError, /^maxPool2d: input must be 3-D \(C, H, W\) or 4-D \(N, C, H, W\), got shape \[4, 4\]$/],
    ['maxPool2d: null input', () => sd.maxPool2d(null as never, 2), sd.ValueError, /^maxPool2d: input must be a Tensor, got null$/],
    ['maxPool2d: kernel 0', () => sd.maxPool2d(z([1, 1, 4, 4]), 0), sd.ValueError, /^maxPool2d: kernelSize must be an integer >= 1 or a pair of them, got 0$/],
    ['maxPool2d: fractional kernel', () => sd.maxPool2d(z([1, 1, 4, 4]), 1.5), sd.ValueError, /^maxPool2d: kernelSize must be an integer >= 1 or a pair of them, got 1\.5$/],
    ['maxPool2d: three kernel sizes', () => sd.maxPool2d(z([1, 1, 4, 4]), [2, 2, 2] as never), sd.ValueError, /^maxPool2d: kernelSize must be an integer >= 1 or a pair of them, got \[2,2,2\]$/],
    ['maxPool2d: kernel larger than input', () => sd.maxPool2d(z([1, 1, 4, 4]), 5), sd.ShapeError, /^maxPool2d: kernel size 5 is larger than the padded input size 4 in dim H$/],
    ['maxPool2d: padding over half the kernel', () => sd.maxPool2d(z([1, 1, 4, 4]), 2, { padding: 2 }), sd.ValueError, /^maxPool2d: padding 2 must be at most half the kernel size 2$/],
    ['maxPool2d: stride 0', () => sd.maxPool2d(z([1, 1, 4, 4]), 2, { stride: 0 }), sd.ValueError, /^maxPool2d: stride must be an integer >= 1 or a pair of them, got 0$/],
    ['maxPool2d: int input', () => sd.maxPool2d(i32([1, 1, 4, 4]), 2), sd.DTypeError, /^maxPool2d: input must be floating point, got int32$/],
    ['maxPool1d: 4-D input', () => sd.maxPool1d(z([4, 4, 4, 4]), 2), sd.ShapeError, /^maxPool1d: input must be 2-D \(C, L\) or 3-D \(N, C, L\), got shape \[4, 4, 4, 4\]$/],
    ['avgPool2d: divisorOverride 0', () => sd.avgPool2d(z([1, 1, 4, 4]), 2, { divisorOverride: 0 }), sd.ValueError, /^avgPool2d: divisorOverride must be a nonzero number, got 0$/],
    ['avgPool1d: kernel larger than input', () => sd.avgPool1d(z([1, 1, 3]), 4), sd.ShapeError, /^avgPool1d: kernel size 4 is larger than the padded input size 3 in dim L$/],
    ['adaptiveAvgPool2d: output size 0', () => sd.adaptiveAvgPool2d(z([1, 1, 4, 4]), 0), sd.ValueError, /^adaptiveAvgPool2d: output sizes must be positive integers, got 0$/],
    ['adaptiveMaxPool2d: three output sizes', () => sd.adaptiveMaxPool2d(z([1, 1, 4, 4]), [1, 2, 3]), sd.ValueError, /^adaptiveMaxPool2d: outputSize must be a number or \[h, w\], got \[1,2,3\]$/],
    ['maxUnpool2d: float indices', () => sd.maxUnpool2d(z([1, 1, 2, 2]), z([1, 1, 2, 2]), 2), sd.DTypeError, /^maxUnpool2d: indices must be an int32 tensor, got dtype float64$/],
    ['maxUnpool2d: indices shape', () => sd.maxUnpool2d(z([1, 1, 2, 2]), i32([1, 1, 3, 2]), 2), sd.ShapeError, /^maxUnpool2d: indices \[1, 1, 3, 2\] must have the input's shape \[1, 1, 2, 2\]$/],
    ['maxUnpool2d: index out of range', () => sd.maxUnpool2d(z([1, 1, 1, 1]), sd.tensor([[[[16]]]], { dtype: 'int32' }), 2), sd.ValueError, /^maxUnpool2d: index 16 is out of range for an output plane of 2x2 of size 4$/],
  ]);
}

describe('pool: the gradient kernel of max pooling', () => {
  // The gradient used to be a differentiable scatterAdd into a broadcast zero; the kernel must give its sums bit for
  // bit, overlapping windows (one input element the maximum of several) and a strided gradient included.
  const cases: { shape: number[]; k: number; o: sd.Pool2dOptions }[] = [
    { shape: [2, 3, 8, 8], k: 2, o: {} },
    { shape: [2, 3, 7, 9], k: 3, o: { stride: 1, padding: 1 } },
    { shape: [1, 2, 9, 9], k: 3, o: { stride: 2, dilation: 2, ceilMode: true } },
  ];
  for (const dtype of ['float32', 'float64'] as const) {
    onEachBackend(`${dtype}: gradient equals scatterAdd of the upstream gradient at the indices`, () => {
      sd.manualSeed(7);
      for (const { shape, k, o } of cases) {
        // few distinct values: ties and overlapping maxima
        const x = sd.randint(0, 4, shape, { dtype }).requiresGrad_();
        const r = sd.maxPool2d(x, k, { ...o, returnIndices: true });
        const [N, C, oh, ow] = r.values.shape;
        // a permuted (non-contiguous) upstream gradient
        const g = sd.randn([N, C, ow, oh], { dtype }).transpose(2, 3);
        const [got] = sd.grad(r.values, [x], [g]);
        const L = oh * ow;
        const want = sd.scatterAdd(sd.zeros([N, C, shape[2] * shape[3]], { dtype }), 2, r.indices.reshape([N, C, L]), g.reshape([N, C, L])).reshape(shape);
        assert.equal(got.dtype, dtype);
        assert.deepEqual(Array.from(got.toTypedArray()), Array.from(want.toTypedArray()));
      }
    });
  }

  onEachBackend('gradients of gradients still flow through max pooling', () => {
    const x = sd.tensor([[[[1, 5, 2], [4, 3, 6], [0, 8, 7]]]], { dtype: 'float64', requiresGrad: true });
    const y = sd.maxPool2d(x, 2, { stride: 1 });
    const w = sd.tensor([[[[1, 2], [3, 4]]]], { dtype: 'float64', requiresGrad: true });
    const [gx] = sd.grad(y.mul(w).sum(), [x], undefined, { createGraph: true });
    // maxima: 5 (window 0), 6 (window 1), 8 (windows 2 and 3): gx = w scattered
    assert.deepEqual(gx.toArray(), [[[[0, 1, 0], [0, 0, 2], [0, 7, 0]]]]);
    const [gw] = sd.grad(gx.mul(sd.arange(1, 10, 1, { dtype: 'float64' }).reshape([1, 1, 3, 3])).sum(), [w]);
    assert.deepEqual(gw.toArray(), [[[[2, 6], [8, 8]]]]);
  });
});
