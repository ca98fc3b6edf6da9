import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ShapeError, ValueError, type Tensor } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';
import { checkFamily } from '../helpers/check-op.js';

const affine = (w: Tensor | undefined, b: Tensor | undefined) => ({ weight: w ?? null, bias: b ?? null });

checkFamily('norm', {
  // the running statistics are updated in place and returned as extra outputs, as the fixture's torch fn does
  batchNorm_running: ([x, rm, rv, w, b], o) => {
    const y = sd.batchNorm(x, rm, rv, { ...affine(w, b), training: o.training, momentum: o.momentum, eps: o.eps });
    return [y, rm, rv];
  },
  batchNorm_eval: ([x, rm, rv, w, b], o) => sd.batchNorm(x, rm, rv, { ...affine(w, b), training: false, eps: o.eps }),
  batchNorm_batch: ([x, w, b], o) => sd.batchNorm(x, null, null, { ...affine(w, b), training: true, eps: o.eps }),
  layerNorm: ([x, w, b], o) => sd.layerNorm(x, o.normalizedShape, { ...affine(w, b), eps: o.eps }),
  groupNorm: ([x, w, b], o) => sd.groupNorm(x, o.numGroups, { ...affine(w, b), eps: o.eps }),
  instanceNorm: ([x, w, b], o) => sd.instanceNorm(x, { ...affine(w, b), eps: o.eps }),
  instanceNorm_running: ([x, rm, rv, w, b], o) => {
    const y = sd.instanceNorm(x, { ...affine(w, b), runningMean: rm, runningVar: rv, momentum: o.momentum, eps: o.eps });
    return [y, rm, rv];
  },
  instanceNorm_eval: ([x, rm, rv, w, b], o) => sd.instanceNorm(x, { ...affine(w, b), runningMean: rm, runningVar: rv, useInputStats: false, eps: o.eps }),
  localResponseNorm: ([x], o) => sd.localResponseNorm(x, o.size, { alpha: o.alpha, beta: o.beta, k: o.k }),
});

const z = (shape: number[]) => sd.zeros(shape, { dtype: 'float64' });
const isErr = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
  assert.match((e as Error).message, re);
  return true;
};

describe('norm: behaviour beyond the fixtures', () => {
  test('batchNorm without running statistics uses batch statistics in eval too (PyTorch throws; nn.BatchNorm does this)', () => {
    const x = sd.randn([4, 3, 2], { dtype: 'float64' });
    const a = sd.batchNorm(x, null, null, { training: false }).toTypedArray();
    const b = sd.batchNorm(x, null, null, { training: true }).toTypedArray();
    assert.deepEqual(a, b);
  });
  test('batchNorm in eval leaves the running statistics alone; the update carries no gradient', () => {
    const x = sd.randn([4, 2], { dtype: 'float64' }).requiresGrad_();
    const rm = sd.tensor([0.5, -1], { dtype: 'float64' });
    const rv = sd.tensor([2, 3], { dtype: 'float64' });
    sd.batchNorm(x, rm, rv, { training: false });
    assert.deepEqual(rm.toArray(), [0.5, -1]);
    assert.deepEqual(rv.toArray(), [2, 3]);
    sd.batchNorm(x, rm, rv, { training: true });
    assert.equal(rm.requiresGrad, false);
    assert.equal(rv.requiresGrad, false);
  });
});

describe('norm: bad input', () => {
  test('batchNorm: shapes of the running statistics and affine parameters, one value per channel', () => {
    assert.throws(() => sd.batchNorm(z([2, 3, 4]), z([2]), z([3])), isErr(ShapeError, /^batchNorm: runningMean must have shape \[3\], got \[2\]$/));
    assert.throws(() => sd.batchNorm(z([2, 3]), null, null, { weight: z([3, 1]) }), isErr(ShapeError, /^batchNorm: weight must have shape \[3\], got \[3, 1\]$/));
    assert.throws(() => sd.batchNorm(z([1, 3]), z([3]), z([3]), { training: true }), isErr(ValueError, /^batchNorm: expected more than 1 value per channel when training, got input shape \[1, 3\]$/));
    assert.throws(() => sd.batchNorm(z([3]), null, null), isErr(ShapeError, /^batchNorm: input must be at least 2-D \(N, C, \.\.\.\), got shape \[3\]$/));
    assert.throws(() => sd.batchNorm(sd.zeros([2, 3], { dtype: 'int32' }), null, null), isErr(DTypeError, /^batchNorm: input must be floating point, got int32$/));
  });
  test('layerNorm: normalizedShape must match the trailing dims', () => {
    assert.throws(() => sd.layerNorm(z([2, 3, 4]), [3]), isErr(ShapeError, /^layerNorm: normalizedShape \[3\] must match the last dims of the input \[2, 3, 4\]$/));
    assert.throws(() => sd.layerNorm(z([2, 4]), 4, { weight: z([2, 2]) }), isErr(ShapeError, /^layerNorm: weight must have shape \[4\], got \[2, 2\]$/));
  });
  test('groupNorm: groups must divide the channels', () => {
    assert.throws(() => sd.groupNorm(z([2, 6, 3]), 4), isErr(ValueError, /^groupNorm: numGroups must be a positive divisor of the 6 channels, got 4$/));
  });
  test('instanceNorm and localResponseNorm', () => {
    assert.throws(() => sd.instanceNorm(z([2, 3])), isErr(ShapeError, /^instanceNorm: input must be at least 3-D \(N, C, \.\.\.\), got shape \[2, 3\]$/));
    assert.throws(() => sd.instanceNorm(z([2, 3, 4]), { useInputStats: false }), isErr(ValueError, /^instanceNorm: useInputStats false needs runningMean and runningVar$/));
    assert.throws(() => sd.instanceNorm(z([2, 3, 4]), { runningMean: z([2]), runningVar: z([3]) }), isErr(ShapeError, /^instanceNorm: runningMean must have shape \[3\], got \[2\]$/));
    assert.throws(() => sd.localResponseNorm(z([2, 3, 4]), 0), isErr(ValueError, /^localResponseNorm: size must be a positive integer, got 0$/));
  });
});

// Bad inputs: each raises the typed error whose message names the op, the argument, what was expected and what was got.
{
  const z = (s: number[], dtype: sd.DType = 'float64') => sd.zeros(s, { dtype });
  const i32 = (s: number[]) => sd.zeros(s, { dtype: 'int32' });
  checkErrors('norm', [
    ['batchNorm: 1-D input', () => sd.batchNorm(z([4]), null, null, { training: true }), sd.ShapeError, /^batchNorm: input must be at least 2-D \(N, C, \.\.\.\), got shape \[4\]$/],
    ['batchNorm: null input', () => sd.batchNorm(null as never, null, null), sd.ValueError, /^batchNorm: input must be a Tensor, got null$/],
    ['batchNorm: runningMean shape', () => sd.batchNorm(z([4, 3]), z([2]), z([3])), sd.ShapeError, /^batchNorm: runningMean must have shape \[3\], got \[2\]$/],
    ['batchNorm: int runningMean', () => sd.batchNorm(z([4, 3]), i32([3]), z([3])), sd.DTypeError, /^batchNorm: runningMean must be floating point, got int32$/],
    ['batchNorm: one value per channel in training', () => sd.batchNorm(z([1, 3]), null, null, { training: true }), sd.ValueError, /^batchNorm: expected more than 1 value per channel when training, got input shape \[1, 3\]$/],
    ['batchNorm: int input', () => sd.batchNorm(i32([4, 3]), null, null, { training: true }), sd.DTypeError, /^batchNorm: input must be floating point, got int32$/],
    ['batchNorm: weight shape', () => sd.batchNorm(z([4, 3]), null, null, { training: true, weight: z([4]) }), sd.ShapeError, /^batchNorm: weight must have shape \[3\], got \[4\]$/],
    ['batchNorm: eps a string', () => sd.batchNorm(z([4, 3]), null, null, { training: true, eps: 'a' as never }), sd.ValueError, /^batchNorm: eps must be a number, got a$/],
    ['layerNorm: normalizedShape differs', () => sd.layerNorm(z([2, 3]), [4]), sd.ShapeError, /^layerNorm: normalizedShape \[4\] must match the last dims of the input \[2, 3\]$/],
    ['layerNorm: weight shape', () => sd.layerNorm(z([2, 3]), [3], { weight: z([2]) }), sd.ShapeError, /^layerNorm: weight must have shape \[3\], got \[2\]$/],
    ['layerNorm: int input', () => sd.layerNorm(i32([2, 3]), [3]), sd.DTypeError, /^layerNorm: input must be floating point, got int32$/],
    ['groupNorm: groups do not divide channels', () => sd.groupNorm(z([2, 4, 3]), 3), sd.ValueError, /^groupNorm: numGroups must be a positive divisor of the 4 channels, got 3$/],
    ['groupNorm: one value per group (as PyTorch)', () => sd.groupNorm(z([1, 4]), 4), sd.ValueError, /^groupNorm: expected more than 1 value per channel when training, got input shape \[1, 4\] with numGroups 4 \(1 value per group\)$/],
    ['groupNorm: 1-D input', () => sd.groupNorm(z([4]), 2), sd.ShapeError, /^groupNorm: input must be at least 2-D \(N, C, \.\.\.\), got shape \[4\]$/],
    ['groupNorm: weight shape', () => sd.groupNorm(z([2, 4, 3]), 2, { weight: z([3]) }), sd.ShapeError, /^groupNorm: weight must have shape \[4\], got \[3\]$/],
    ['instanceNorm: 2-D input', () => sd.instanceNorm(z([2, 3])), sd.ShapeError, /^instanceNorm: input must be at least 3-D \(N, C, \.\.\.\), got shape \[2, 3\]$/],
    ['instanceNorm: one spatial element', () => sd.instanceNorm(z([2, 3, 1])), sd.ValueError, /^instanceNorm: expected more than 1 spatial element when using input statistics, got input shape \[2, 3, 1\]$/],
    ['instanceNorm: no running stats for useInputStats false', () => sd.instanceNorm(z([2, 3, 4]), { useInputStats: false }), sd.ValueError, /^instanceNorm: useInputStats false needs runningMean and runningVar$/],
    ['localResponseNorm: size 0', () => sd.localResponseNorm(z([1, 3, 4]), 0), sd.ValueError, /^localResponseNorm: size must be a positive integer, got 0$/],
    ['localResponseNorm: 2-D input', () => sd.localResponseNorm(z([3, 4]), 2), sd.ShapeError, /^localResponseNorm: input must be at least 3-D \(N, C, \.\.\.\), got shape \[3, 4\]$/],
    ['layerNorm: normalizedShape null', () => sd.layerNorm(z([2, 3]), null as never), sd.ValueError, /^layerNorm: normalizedShape must be an integer or an array of them, got null$/],
  ]);
}
