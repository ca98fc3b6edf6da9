import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ValueError } from '../../src/index.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('stats', {
  nansum: ([a], o) => a.nansum(o.dim, o.keepdim),
  nanmean: ([a], o) => sd.nanmean(a, o.dim, { keepdim: o.keepdim }),
  all: ([a], o) => a.all(o.dim, o.keepdim),
  any: ([a], o) => sd.any(a, o.dim, o.keepdim),
  countNonzero: ([a], o) => a.countNonzero(o.dim),
  stdMean: ([a], o) => sd.stdMean(a, o.dim, { correction: o.correction, keepdim: o.keepdim }),
  varMean: ([a], o) => sd.varMean(a, o.dim, { correction: o.correction, keepdim: o.keepdim }),
  aminmax: ([a], o) => {
    const r = a.aminmax({ dim: o.dim, keepdim: o.keepdim });
    return [r.min, r.max];
  },
});

const isErr = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
  assert.match((e as Error).message, re);
  return true;
};

describe('stats: bad input', () => {
  const x = sd.tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' });
  const i = sd.tensor([[1, 2], [3, 4]], { dtype: 'int32' });
  const table: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['nanmean of int32', () => sd.nanmean(i), DTypeError, /^nanmean: input must be a floating-point tensor, got dtype int32$/],
    ['stdMean of int32', () => sd.stdMean(i), DTypeError, /^stdMean: input must be a floating-point tensor, got dtype int32$/],
    ['varMean of int32', () => sd.varMean(i, 0), DTypeError, /^varMean: .*got dtype int32$/],
    ['varMean negative correction', () => sd.varMean(x, 1, { correction: -1 }), ValueError, /^var: correction must be a number >= 0, got -1$/],
    ['nansum dim out of range', () => x.nansum(2), ValueError, /^nansum: dim must be an integer in \[-2, 1\] for a 2-D tensor, got 2$/],
    ['nanmean dim named twice', () => sd.nanmean(x, [0, -2]), ValueError, /^nanmean: dim \[0, -2\] names a dimension twice$/],
    ['all dim out of range', () => x.all(-3), ValueError, /^all: dim .* got -3$/],
    ['any dim out of range', () => sd.any(x, 5), ValueError, /^any: dim .* got 5$/],
    ['countNonzero dim out of range', () => sd.countNonzero(x, [0, 2]), ValueError, /^countNonzero: dim .* got 2$/],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    ['all of a non-tensor', () => sd.all([1] as any), ValueError, /^all: input must be a Tensor, got an array$/],
    ['aminmax of an empty tensor', () => sd.aminmax(sd.zeros([0, 2], { dtype: 'float64' })), ValueError, /^aminmax: cannot reduce over an empty tensor \(input shape \[0, 2\]\)/],
    ['aminmax along an empty dim', () => sd.aminmax(sd.zeros([0, 2], { dtype: 'float64' }), { dim: 0 }), ValueError, /^aminmax: cannot reduce over an empty dim 0 \(input shape \[0, 2\]\)/],
    ['aminmax dim out of range', () => x.aminmax({ dim: 2 }), ValueError, /^aminmax: dim .* got 2$/],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    ['aminmax with a number for options', () => sd.aminmax(x, 1 as any), ValueError, /^aminmax: options must be an object \{dim, keepdim\}, got 1$/],
  ];
  for (const [name, f, cls, re] of table) test(name, () => assert.throws(f, isErr(cls, re)));
});

describe('stats: results beyond the fixtures', () => {
  test('all and any over several dims at once (torch 1.13 takes one)', () => {
    const x = sd.tensor([[[1, 0], [2, 3]], [[4, 5], [6, 7]]], { dtype: 'float64' });
    assert.deepEqual(sd.all(x, [1, 2]).toArray(), [false, true]);
    assert.deepEqual(sd.any(x.mul(0), [0, 2], true).toArray(), [[[false], [false]]]);
    assert.equal(sd.all(x).dtype, 'bool');
  });
  test('nanmean and any are Tensor methods too', () => {
    const x = sd.tensor([[1, NaN], [0, 0]], { dtype: 'float64' });
    assert.deepEqual(x.nanmean(1).toArray(), [1, 0]);
    assert.deepEqual(x.any(1).toArray(), [true, false]);
  });
  test('nansum and nanmean send no gradient to NaNs', () => {
    const x = sd.tensor([1, NaN, 3], { dtype: 'float64', requiresGrad: true });
    assert.deepEqual(sd.grad(sd.nansum(x), [x])[0].toArray(), [1, 0, 1]);
    assert.deepEqual(sd.grad(sd.nanmean(x), [x])[0].toArray(), [0.5, 0, 0.5]);
  });
});
