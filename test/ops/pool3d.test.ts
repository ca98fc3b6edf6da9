import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ShapeError, ValueError, type Tensor } from '../../src/index.js';
import { checkFamily } from '../helpers/check-op.js';

const win = (o: Record<string, any>) => ({ stride: o.stride, padding: o.padding, dilation: o.dilation, ceilMode: o.ceilMode });
const withIndices = (r: Tensor | sd.PoolWithIndices): Tensor | Tensor[] => ('values' in r ? [r.values, r.indices] : r);

checkFamily('pool3d', {
  maxPool3d: ([x], o) => (o.returnIndices ? withIndices(sd.maxPool3d(x, o.kernelSize, { ...win(o), returnIndices: true })) : sd.maxPool3d(x, o.kernelSize, win(o))),
  avgPool3d: ([x], o) => sd.avgPool3d(x, o.kernelSize, { stride: o.stride, padding: o.padding, ceilMode: o.ceilMode, countIncludePad: o.countIncludePad, divisorOverride: o.divisorOverride }),
  maxUnpool3d: ([x], o) => {
    const r = sd.maxPool3d(x, o.kernelSize, { stride: o.stride, padding: o.padding, returnIndices: true });
    return sd.maxUnpool3d(r.values, r.indices, o.kernelSize, { stride: o.stride, padding: o.padding, outputSize: o.outputSize });
  },
});

const z = (shape: number[]) => sd.zeros(shape, { dtype: 'float64' });
const isErr = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
  assert.match((e as Error).message, re);
  return true;
};

describe('pool3d: layers', () => {
  test('MaxPool3d and AvgPool3d match the functions', () => {
    const x = sd.randn([1, 2, 4, 4, 4], { dtype: 'float64' });
    const m = new sd.nn.MaxPool3d(2, { stride: 1 });
    assert.deepEqual(m.forward(x).toArray(), sd.maxPool3d(x, 2, { stride: 1 }).toArray());
    assert.deepEqual(m.forwardWithIndices(x).indices.shape, [1, 2, 3, 3, 3]);
    assert.deepEqual(new sd.nn.AvgPool3d([2, 2, 1]).forward(x).shape, [1, 2, 2, 2, 4]);
    const r = m.forwardWithIndices(x);
    assert.deepEqual(new sd.nn.MaxUnpool3d(2, { stride: 1 }).forward(r.values, r.indices).toArray(), sd.maxUnpool3d(r.values, r.indices, 2, { stride: 1 }).toArray());
  });
});

describe('pool3d: bad input', () => {
  const cases: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['rank', () => sd.maxPool3d(z([4, 4, 4]), 2), ShapeError, /^maxPool3d: input must be 4-D \(C, D, H, W\) or 5-D \(N, C, D, H, W\), got shape \[4, 4, 4\]$/],
    ['dtype', () => sd.avgPool3d(sd.zeros([1, 1, 2, 2, 2], { dtype: 'int32' }), 2), DTypeError, /^avgPool3d: input must be floating point, got int32$/],
    ['kernel', () => sd.maxPool3d(z([1, 1, 4, 4, 4]), [2, 2]  as unknown as number), ValueError, /^maxPool3d: kernelSize must be an integer >= 1 or a triple of them, got \[2,2\]$/],
    ['stride', () => sd.maxPool3d(z([1, 1, 4, 4, 4]), 2, { stride: 0 }), ValueError, /^maxPool3d: stride must be an integer >= 1 or a triple of them, got 0$/],
    ['padding over half', () => sd.maxPool3d(z([1, 1, 4, 4, 4]), 2, { padding: [0, 2, 0] }), ValueError, /^maxPool3d: padding 2 must be at most half the kernel size 2$/],
    ['kernel past input', () => sd.maxPool3d(z([1, 1, 2, 4, 4]), 3), ShapeError, /^maxPool3d: kernel size 3 is larger than the padded input size 2 in dim D$/],
    ['avg kernel past input', () => sd.avgPool3d(z([1, 1, 2, 3, 3]), 3, { padding: 1 }), ShapeError, /^avgPool3d: input size \[2, 3, 3\] is smaller than the kernel size \[3, 3, 3\]$/],
    ['divisor', () => sd.avgPool3d(z([1, 1, 2, 2, 2]), 2, { divisorOverride: 0 }), ValueError, /^avgPool3d: divisorOverride must be a nonzero number, got 0$/],
    ['unpool indices dtype', () => sd.maxUnpool3d(z([1, 1, 1, 1, 2]), z([1, 1, 1, 1, 2]), 2), DTypeError, /^maxUnpool3d: indices must be an int32 tensor, got dtype float64$/],
    ['unpool indices shape', () => sd.maxUnpool3d(z([1, 1, 1, 1, 2]), sd.zeros([1, 1, 2], { dtype: 'int32' }), 2), ShapeError, /^maxUnpool3d: indices \[1, 1, 2\] must have the input's shape \[1, 1, 1, 1, 2\]$/],
    ['unpool range', () => sd.maxUnpool3d(z([1, 1, 1, 1, 2]), sd.full([1, 1, 1, 1, 2], 32, { dtype: 'int32' }), 2), ValueError, /^maxUnpool3d: index 32 is out of range for an output volume of 2x2x4/],
    ['unpool output size', () => sd.maxUnpool3d(z([1, 1, 1, 1, 2]), sd.zeros([1, 1, 1, 1, 2], { dtype: 'int32' }), 2, { outputSize: [2, 0] }), ValueError, /^maxUnpool3d: outputSize must end with three positive sizes, got \[2,0\]$/],
    ['avg dilation', () => sd.avgPool3d(z([1, 1, 2, 2, 2]), 2, { dilation: 2 } as object), ValueError, /^avgPool3d: dilation is not an option of average pooling/],
  ];
  for (const [name, fn, cls, re] of cases) test(name, () => assert.throws(fn, isErr(cls, re)));
});
