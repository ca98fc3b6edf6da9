import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ShapeError, ValueError } from '../../src/index.js';
import { checkFamily } from '../helpers/check-op.js';

const blockOpts = (o: Record<string, any>) => ({ dilation: o.dilation, padding: o.padding, stride: o.stride });

checkFamily('fold', {
  unfold: ([x], o) => sd.F.unfold(x, o.kernelSize, blockOpts(o)),
  fold: ([x], o) => sd.F.fold(x, o.outputSize, o.kernelSize, blockOpts(o)),
});

const z = (shape: number[]) => sd.zeros(shape, { dtype: 'float64' });
const isErr = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
  assert.match((e as Error).message, re);
  return true;
};

describe('fold: behaviour beyond the fixtures', () => {
  test('fold undoes unfold for non-overlapping blocks; Unfold and Fold layers match', () => {
    const x = sd.randn([2, 3, 4, 6], { dtype: 'float64' });
    const cols = new sd.nn.Unfold(2, { stride: 2 }).forward(x);
    assert.deepEqual(cols.shape, [2, 12, 6]);
    assert.deepEqual(new sd.nn.Fold([4, 6], 2, { stride: 2 }).forward(cols).toArray(), x.toArray());
  });
});

describe('fold: bad input', () => {
  const cases: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['unfold rank', () => sd.F.unfold(z([4, 4]), 2), ShapeError, /^unfold: input must be 3-D \(C, H, W\) or 4-D \(N, C, H, W\), got shape \[4, 4\]$/],
    ['unfold dtype', () => sd.F.unfold(sd.zeros([1, 1, 4, 4], { dtype: 'int32' }), 2), DTypeError, /^unfold: input must be floating point, got int32$/],
    ['unfold kernel', () => sd.F.unfold(z([1, 1, 4, 4]), 0), ValueError, /^unfold: kernelSize must be an integer >= 1 or a pair of them, got 0$/],
    ['unfold no block', () => sd.F.unfold(z([1, 1, 2, 4]), 3), ShapeError, /^unfold: kernel \[3,3\] \(dilation \[1,1\]\) fits no block in the padded image \[2, 4\]$/],
    ['fold rank', () => sd.F.fold(z([1, 4, 4, 4]), 4, 2), ShapeError, /^fold: input must be 2-D \(C, L\) or 3-D \(N, C, L\), got shape \[1, 4, 4, 4\]$/],
    ['fold channels', () => sd.F.fold(z([1, 6, 4]), 4, 2, { stride: 2 }), ShapeError, /^fold: input dim 1 \(6\) must be divisible by the kernel size 2\*2 = 4, got input shape \[1, 6, 4\]$/],
    ['fold blocks', () => sd.F.fold(z([1, 4, 5]), 4, 2, { stride: 2 }), ShapeError, /^fold: input dim 2 \(5\) must be the number of blocks 2\*2 = 4 for outputSize \[4,4\], got input shape \[1, 4, 5\]$/],
    ['fold output size', () => sd.F.fold(z([1, 4, 4]), [0, 4], 2), ValueError, /^fold: outputSize must be an integer >= 1 or a pair of them, got \[0,4\]$/],
  ];
  for (const [name, fn, cls, re] of cases) test(name, () => assert.throws(fn, isErr(cls, re)));
});
