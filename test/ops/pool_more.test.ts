import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ShapeError, ValueError, type Tensor } from '../../src/index.js';
import { checkFamily } from '../helpers/check-op.js';

const win = (o: Record<string, any>) => ({ stride: o.stride, padding: o.padding, dilation: o.dilation, ceilMode: o.ceilMode });
const withIndices = (r: Tensor | sd.PoolWithIndices): Tensor | Tensor[] => ('values' in r ? [r.values, r.indices] : r);
const unpoolOpts = (o: Record<string, any>) => ({ stride: o.stride, padding: o.padding });

checkFamily('pool_more', {
  adaptiveAvgPool1d: ([x], o) => sd.adaptiveAvgPool1d(x, o.outputSize),
  adaptiveAvgPool2d: ([x], o) => sd.adaptiveAvgPool2d(x, o.outputSize),
  adaptiveAvgPool3d: ([x], o) => sd.adaptiveAvgPool3d(x, o.outputSize),
  adaptiveMaxPool1d: ([x], o) => (o.returnIndices ? withIndices(sd.adaptiveMaxPool1d(x, o.outputSize, { returnIndices: true })) : sd.adaptiveMaxPool1d(x, o.outputSize)),
  adaptiveMaxPool2d: ([x], o) => (o.returnIndices ? withIndices(sd.adaptiveMaxPool2d(x, o.outputSize, { returnIndices: true })) : sd.adaptiveMaxPool2d(x, o.outputSize)),
  adaptiveMaxPool3d: ([x], o) => (o.returnIndices ? withIndices(sd.adaptiveMaxPool3d(x, o.outputSize, { returnIndices: true })) : sd.adaptiveMaxPool3d(x, o.outputSize)),
  lpPool1d: ([x], o) => sd.lpPool1d(x, o.normType, o.kernelSize, { stride: o.stride, ceilMode: o.ceilMode }),
  lpPool2d: ([x], o) => sd.lpPool2d(x, o.normType, o.kernelSize, { stride: o.stride, ceilMode: o.ceilMode }),
  fractionalMaxPool2d: ([x, samples], o) => {
    const opts = { outputSize: o.outputSize, outputRatio: o.outputRatio, randomSamples: samples };
    return o.returnIndices ? withIndices(sd.fractionalMaxPool2d(x, o.kernelSize, { ...opts, returnIndices: true })) : sd.fractionalMaxPool2d(x, o.kernelSize, opts);
  },
  maxUnpool1d: ([x], o) => {
    const r = sd.maxPool1d(x, o.kernelSize, { ...unpoolOpts(o), returnIndices: true });
    return sd.maxUnpool1d(r.values, r.indices, o.kernelSize, { ...unpoolOpts(o), outputSize: o.outputSize });
  },
  maxUnpool2d: ([x], o) => {
    const r = sd.maxPool2d(x, o.kernelSize, { ...unpoolOpts(o), returnIndices: true });
    return sd.maxUnpool2d(r.values, r.indices, o.kernelSize, unpoolOpts(o));
  },
  maxPool1d: ([x], o) => (o.returnIndices ? withIndices(sd.maxPool1d(x, o.kernelSize, { ...win(o), returnIndices: true })) : sd.maxPool1d(x, o.kernelSize, win(o))),
  maxPool2d: ([x], o) => (o.returnIndices ? withIndices(sd.maxPool2d(x, o.kernelSize, { ...win(o), returnIndices: true })) : sd.maxPool2d(x, o.kernelSize, win(o))),
  avgPool1d: ([x], o) => sd.avgPool1d(x, o.kernelSize, { stride: o.stride, padding: o.padding, ceilMode: o.ceilMode, countIncludePad: o.countIncludePad }),
  avgPool2d: ([x], o) => sd.avgPool2d(x, o.kernelSize, { ...win(o), countIncludePad: o.countIncludePad }),
});

const z = (shape: number[]) => sd.zeros(shape, { dtype: 'float64' });
const isErr = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
  assert.match((e as Error).message, re);
  return true;
};

describe('pool_more: behaviour beyond the fixtures', () => {
  test('fractionalMaxPool2d draws its windows from the seeded generator', () => {
    const x = sd.randn([2, 3, 9, 9], { dtype: 'float64' });
    sd.manualSeed(7);
    const a = sd.fractionalMaxPool2d(x, 2, { outputSize: 4 });
    sd.manualSeed(7);
    const layer = new sd.nn.FractionalMaxPool2d(2, { outputSize: 4 });
    assert.deepEqual(layer.forward(x).toArray(), a.toArray());
    sd.manualSeed(7);
    const samples = sd.rand([2, 3, 2], { dtype: 'float64' });
    assert.deepEqual(sd.fractionalMaxPool2d(x, 2, { outputSize: 4, randomSamples: samples }).toArray(), a.toArray());
  });
  test('the 1-D/3-D adaptive, lp and unpool layers match their functions', () => {
    const x = sd.randn([1, 2, 7], { dtype: 'float64' });
    assert.deepEqual(new sd.nn.AdaptiveAvgPool1d(3).forward(x).toArray(), sd.adaptiveAvgPool1d(x, 3).toArray());
    const r = new sd.nn.AdaptiveMaxPool1d(3).forwardWithIndices(x);
    assert.deepEqual(r.values.toArray(), sd.adaptiveMaxPool1d(x, 3).toArray());
    assert.deepEqual(new sd.nn.LPPool1d(2, 2).forward(x).toArray(), sd.lpPool1d(x, 2, 2).toArray());
    const p = new sd.nn.MaxPool1d(2).forwardWithIndices(x);
    assert.deepEqual(new sd.nn.MaxUnpool1d(2).forward(p.values, p.indices, [7]).shape, [1, 2, 7]);
    const v = sd.randn([1, 1, 4, 4, 5], { dtype: 'float64' });
    assert.deepEqual(new sd.nn.AdaptiveAvgPool3d([2, null, 1]).forward(v).shape, [1, 1, 2, 4, 1]);
    assert.deepEqual(new sd.nn.AdaptiveMaxPool3d(2).forwardWithIndices(v).indices.dtype, 'int32');
    assert.deepEqual(new sd.nn.LPPool2d(2, 2).forward(sd.randn([1, 1, 4, 4], { dtype: 'float64' })).shape, [1, 1, 2, 2]);
  });
});

describe('pool_more: bad input', () => {
  const cases: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['adaptive 1d rank', () => sd.adaptiveAvgPool1d(z([4]), 2), ShapeError, /^adaptiveAvgPool1d: input must be 2-D \(C, L\) or 3-D \(N, C, L\), got shape \[4\]$/],
    ['adaptive 3d rank', () => sd.adaptiveMaxPool3d(z([1, 1, 1, 2, 2, 2]), 1), ShapeError, /^adaptiveMaxPool3d: input must be 4-D \(C, D, H, W\) or 5-D \(N, C, D, H, W\), got shape \[1, 1, 1, 2, 2, 2\]$/],
    ['adaptive 3d size', () => sd.adaptiveAvgPool3d(z([1, 1, 2, 2, 2]), [1, 2]), ValueError, /^adaptiveAvgPool3d: outputSize must be a number or \[d, h, w\], got \[1,2\]$/],
    ['adaptive 1d size', () => sd.adaptiveMaxPool1d(z([1, 1, 4]), 0), ValueError, /^adaptiveMaxPool1d: output sizes must be positive integers, got 0$/],
    ['adaptive dtype', () => sd.adaptiveAvgPool3d(sd.zeros([1, 1, 2, 2, 2], { dtype: 'int32' }), 1), DTypeError, /^adaptiveAvgPool3d: input must be floating point, got int32$/],
    ['lp norm', () => sd.lpPool2d(z([1, 1, 4, 4]), 0, 2), ValueError, /^lpPool2d: normType must be a positive number, got 0$/],
    ['lp rank', () => sd.lpPool1d(z([4]), 2, 2), ShapeError, /^lpPool1d: input must be 2-D \(C, L\) or 3-D \(N, C, L\), got shape \[4\]$/],
    ['fractional both', () => sd.fractionalMaxPool2d(z([1, 1, 4, 4]), 2, { outputSize: 2, outputRatio: 0.5 }), ValueError, /^fractionalMaxPool2d: give exactly one of outputSize and outputRatio$/],
    ['fractional ratio', () => sd.fractionalMaxPool2d(z([1, 1, 4, 4]), 2, { outputRatio: 1.5 }), ValueError, /^fractionalMaxPool2d: outputRatio must be a number in \(0, 1\) or a pair of them, got 1\.5$/],
    ['fractional too large', () => sd.fractionalMaxPool2d(z([1, 1, 4, 4]), 3, { outputSize: [3, 2] }), ShapeError, /^fractionalMaxPool2d: kernel height 3 is too large for output height 3 from input height 4$/],
    ['fractional samples', () => sd.fractionalMaxPool2d(z([1, 2, 4, 4]), 2, { outputSize: 2, randomSamples: z([1, 1, 2]) }), ShapeError, /^fractionalMaxPool2d: randomSamples must have shape \[1, 2, 2\], got \[1, 1, 2\]$/],
    ['fractional rank', () => sd.fractionalMaxPool2d(z([4, 4]), 2, { outputSize: 2 }), ShapeError, /^fractionalMaxPool2d: input must be 3-D \(C, H, W\) or 4-D \(N, C, H, W\), got shape \[4, 4\]$/],
    ['fractional layer', () => new sd.nn.FractionalMaxPool2d(2, {}), ValueError, /^FractionalMaxPool2d: give exactly one of outputSize and outputRatio$/],
    ['unpool1d indices dtype', () => sd.maxUnpool1d(z([1, 1, 2]), z([1, 1, 2]), 2), DTypeError, /^maxUnpool1d: indices must be an int32 tensor, got dtype float64$/],
    ['unpool1d indices shape', () => sd.maxUnpool1d(z([1, 1, 2]), sd.zeros([1, 2], { dtype: 'int32' }), 2), ShapeError, /^maxUnpool1d: indices \[1, 2\] must have the input's shape \[1, 1, 2\]$/],
    ['unpool1d range', () => sd.maxUnpool1d(z([1, 1, 2]), sd.full([1, 1, 2], 4, { dtype: 'int32' }), 2), ValueError, /^maxUnpool1d: index 4 is out of range for an output of length 4/],
    ['unpool1d output size', () => sd.maxUnpool1d(z([1, 1, 2]), sd.zeros([1, 1, 2], { dtype: 'int32' }), 2, { outputSize: [0] }), ValueError, /^maxUnpool1d: outputSize must end with a positive size, got \[0\]$/],
  ];
  for (const [name, fn, cls, re] of cases) test(name, () => assert.throws(fn, isErr(cls, re)));
});
