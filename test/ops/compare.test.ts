import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ShapeError, ValueError, type Tensor } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';
import { checkFamily, type OpImpl } from '../helpers/check-op.js';

type Cmp = (a: sd.Scalarish, b: sd.Scalarish) => Tensor;

/** The tensor-tensor, tensor-scalar and scalar-tensor forms of one comparison or logical op. */
function forms(name: string, fn: Cmp, method: (a: Tensor, b: sd.Scalarish) => Tensor): Record<string, OpImpl> {
  return {
    [name]: ([a, b]) => fn(a, b),
    [`${name}_scalar`]: ([a], o) => method(a, o.other),
    [`${name}_rscalar`]: ([a], o) => fn(o.other, a),
  };
}

const impls: Record<string, OpImpl> = {
  ...forms('eq', sd.eq, (a, b) => a.eq(b)),
  ...forms('ne', sd.ne, (a, b) => a.ne(b)),
  ...forms('lt', sd.lt, (a, b) => a.lt(b)),
  ...forms('le', sd.le, (a, b) => a.le(b)),
  ...forms('gt', sd.gt, (a, b) => a.gt(b)),
  ...forms('ge', sd.ge, (a, b) => a.ge(b)),
  logicalAnd: ([a, b]) => sd.logicalAnd(a, b),
  logicalAnd_scalar: ([a], o) => a.logicalAnd(o.other),
  logicalOr: ([a, b]) => a.logicalOr(b),
  logicalOr_scalar: ([a], o) => sd.logicalOr(a, o.other),
  logicalXor: ([a, b]) => sd.logicalXor(a, b),
  logicalXor_scalar: ([a], o) => a.logicalXor(o.other),
  logicalNot: ([a]) => a.logicalNot(),
  isnan: ([a]) => sd.isnan(a),
  isinf: ([a]) => a.isinf(),
  where: ([c, a, b]) => sd.where(c, a, b),
  where_scalar_other: ([c, a], o) => sd.where(c, a, o.other),
  where_scalar_input: ([c, b], o) => sd.where(c, o.input, b),
  where_scalars: ([c], o) => sd.where(c, o.input, o.other),
  where_method: ([a, c, b]) => a.where(c, b),
  where_leaky: ([a]) => sd.where(a.gt(0), a, a.mul(0.1)),
};

checkFamily('compare', impls);

const f64 = (data: number | number[] | number[][]) => sd.tensor(data, { dtype: 'float64' });
const isErr = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
  assert.match((e as Error).message, re);
  return true;
};

describe('compare: bad input', () => {
  test('where with a non-bool condition names the dtype', () => {
    const x = f64([1, 2, 3]);
    assert.throws(() => sd.where(x, x, 0), isErr(DTypeError, /^where: condition must be a bool tensor, got dtype float64/));
    assert.throws(() => sd.where(sd.tensor([1, 0, 1], { dtype: 'int32' }), x, x), isErr(DTypeError, /^where: condition .*got dtype int32/));
  });
  test('where with shapes that do not broadcast', () => {
    const c = sd.tensor([true, false, true]);
    assert.throws(() => sd.where(c, f64([1, 2]), 0), isErr(ShapeError, /^where: shapes \[3\] and \[2\] cannot be broadcast together/));
    assert.throws(() => sd.where(c, 1, f64([[1, 2], [3, 4]])), isErr(ShapeError, /^where: shapes .*\[2, 2\] cannot be broadcast/));
  });
  test('where with a branch that is neither a tensor nor a number', () => {
    const c = sd.tensor([true, false]);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    assert.throws(() => sd.where(c, 'a' as any, 1), isErr(ValueError, /^where: input must be a Tensor or a number, got string/));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    assert.throws(() => sd.where(c, 1, [1, 2] as any), isErr(ValueError, /^where: other must be a Tensor or a number, got an array/));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    assert.throws(() => sd.where([true] as any, 1, 2), isErr(ValueError, /^where: condition must be a Tensor, got an array/));
  });
  test('comparisons of shapes that do not broadcast name the op and the shapes', () => {
    assert.throws(() => sd.lt(f64([1, 2, 3]), f64([1, 2])), isErr(ShapeError, /^lt: shapes \[3\] and \[2\] cannot be broadcast together \(dim -1: 3 vs 2\)/));
    assert.throws(() => sd.logicalXor(f64([[1, 2]]), f64([1, 2, 3])), isErr(ShapeError, /^logicalXor: shapes \[1, 2\] and \[3\]/));
  });
  test('two numbers, or a non-tensor', () => {
    assert.throws(() => sd.eq(1, 2), isErr(ValueError, /^eq: at least one argument must be a Tensor, got two numbers/));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    assert.throws(() => sd.gt(f64([1]), '1' as any), isErr(ValueError, /^gt: other must be a Tensor or a number, got string/));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    assert.throws(() => sd.isnan(NaN as any), isErr(ValueError, /^isnan: input must be a Tensor, got number/));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    assert.throws(() => sd.equal(f64([1]), [1] as any), isErr(ValueError, /^equal: other must be a Tensor, got an array/));
  });
  test('allclose with bad tolerances or shapes', () => {
    const x = f64([1, 2]);
    assert.throws(() => sd.allclose(x, x, { rtol: -1 }), isErr(ValueError, /^allclose: rtol and atol must be >= 0, got -1 and 1e-8/));
    assert.throws(() => sd.allclose(x, x, { atol: NaN }), isErr(ValueError, /^allclose: atol must be a number, got NaN/));
    assert.throws(() => sd.allclose(x, f64([1, 2, 3])), isErr(ShapeError, /^allclose: shapes \[2\] and \[3\] cannot be broadcast/));
  });
});

describe('compare: equal', () => {
  test('same shape and values', () => {
    assert.equal(sd.equal(f64([[1, 2], [3, 4]]), f64([[1, 2], [3, 4]])), true);
    assert.equal(f64([[1, 2], [3, 4]]).equal(f64([[1, 2], [3, 5]])), false);
  });
  test('shape must match exactly, with no broadcasting', () => {
    assert.equal(sd.equal(f64([1, 2]), f64([1, 2, 3])), false);
    assert.equal(sd.equal(f64([[1, 2, 3]]), f64([1, 2, 3])), false);
    assert.equal(sd.equal(f64(1), f64([1])), false);
    assert.equal(sd.equal(sd.zeros([3, 0]), sd.zeros([0, 3])), false);
    assert.equal(sd.equal(sd.zeros([0, 3]), sd.zeros([0, 3])), true);
    assert.equal(sd.equal(f64(2.5), f64(2.5)), true);
  });
  test('NaN is never equal; -0 equals 0; dtypes may differ (values are compared), as torch.equal', () => {
    assert.equal(sd.equal(f64([NaN]), f64([NaN])), false);
    assert.equal(sd.equal(f64([0]), f64([-0])), true);
    assert.equal(sd.equal(sd.tensor([1, 2], { dtype: 'int32' }), f64([1, 2])), true);
    assert.equal(sd.equal(sd.tensor([true, false]), sd.tensor([1, 0], { dtype: 'int32' })), true);
  });
  test('reads non-contiguous views by their logical order', () => {
    const a = f64([[1, 2, 3], [4, 5, 6]]);
    assert.equal(sd.equal(a.t(), f64([[1, 4], [2, 5], [3, 6]])), true);
    assert.equal(sd.equal(a.t(), f64([[1, 2], [3, 4], [5, 6]])), false);
    assert.equal(sd.equal(a.flip([1]), f64([[3, 2, 1], [6, 5, 4]])), true);
  });
});

describe('compare: allclose (|a - b| <= atol + rtol * |b|, torch.allclose)', () => {
  test('default tolerances rtol 1e-5, atol 1e-8', () => {
    assert.equal(sd.allclose(f64([1]), f64([1 + 1e-6])), true);
    assert.equal(sd.allclose(f64([1]), f64([1.001])), false);
    assert.equal(sd.allclose(f64([0]), f64([1e-9])), true);
    assert.equal(sd.allclose(f64([0]), f64([1e-7])), false);
  });
  test('rtol and atol options; the tolerance scales with |b|', () => {
    assert.equal(sd.allclose(f64([100]), f64([101]), { rtol: 0.01 }), true);
    assert.equal(sd.allclose(f64([100]), f64([101.5]), { rtol: 0.01 }), false);
    // 1 > 1e-8 + 0.0099 * 101
    assert.equal(sd.allclose(f64([100]), f64([101]), { rtol: 0.0099 }), false);
    assert.equal(sd.allclose(f64([101]), f64([100]), { rtol: 0.01 }), true);
    assert.equal(sd.allclose(f64([1, 2]), f64([1.5, 2.5]), { atol: 0.5, rtol: 0 }), true);
    assert.equal(sd.allclose(f64([1, 2]), f64([1.5, 2.51]), { atol: 0.5, rtol: 0 }), false);
  });
  test('infinities are close only to the same infinity', () => {
    assert.equal(sd.allclose(f64([Infinity, -Infinity]), f64([Infinity, -Infinity])), true);
    assert.equal(sd.allclose(f64([Infinity]), f64([-Infinity])), false);
    assert.equal(sd.allclose(f64([1e308]), f64([Infinity])), false);
    assert.equal(sd.allclose(f64([Infinity]), f64([1e308])), false);
    assert.equal(sd.allclose(f64([5]), f64([Infinity]), { atol: Infinity }), false);
  });
  test('NaN is close to NaN only with equalNan', () => {
    assert.equal(sd.allclose(f64([NaN]), f64([NaN])), false);
    assert.equal(sd.allclose(f64([NaN, 1]), f64([NaN, 1])), false);
    assert.equal(sd.allclose(f64([NaN, 1]), f64([NaN, 1]), { equalNan: true }), true);
    assert.equal(sd.allclose(f64([NaN, 1]), f64([NaN, 2]), { equalNan: true }), false);
    assert.equal(sd.allclose(f64([NaN]), f64([1]), { equalNan: true }), false);
  });
  test('shapes broadcast; integer tensors and non-contiguous views work', () => {
    assert.equal(sd.allclose(sd.ones([2, 3], { dtype: 'float64' }), f64([1, 1, 1])), true);
    assert.equal(sd.allclose(sd.ones([2, 3], { dtype: 'float64' }), f64([1, 1, 2])), false);
    assert.equal(sd.allclose(sd.tensor([1, 2], { dtype: 'int32' }), sd.tensor([1, 2], { dtype: 'int32' })), true);
    const a = f64([[1, 2, 3], [4, 5, 6]]);
    assert.equal(a.t().allclose(f64([[1, 4], [2, 5], [3, 6]])), true);
    assert.equal(sd.allclose(sd.zeros([0, 3]), sd.zeros([3])), true);
  });
});

describe('compare: no gradient through comparisons', () => {
  test('comparisons, isnan, isinf and logicalNot of a tensor that requires grad give bool tensors off the graph', () => {
    const x = sd.tensor([1, NaN, Infinity, 0], { dtype: 'float64', requiresGrad: true });
    for (const r of [x.gt(0), sd.eq(x, x), sd.isnan(x), sd.isinf(x), x.logicalNot(), sd.logicalAnd(x, true)]) {
      assert.equal(r.dtype, 'bool');
      assert.equal(r.requiresGrad, false);
    }
    assert.deepEqual(sd.isnan(x).toArray(), [false, true, false, false]);
    assert.deepEqual(sd.isinf(x).toArray(), [false, false, true, false]);
  });
});

// Bad inputs: each raises the typed error whose message names the op, the argument, what was expected and what was got.
{
  const z = (s: number[], dtype: sd.DType = 'float64') => sd.zeros(s, { dtype });
  const b = (s: number[]) => sd.zeros(s, { dtype: 'bool' });
  checkErrors('compare', [
    ['eq: shapes do not broadcast', () => sd.eq(z([2, 3]), z([4])), sd.ShapeError, /^eq: shapes \[2, 3\] and \[4\] cannot be broadcast together \(dim -1: 3 vs 4\)$/],
    ['lt: two numbers', () => sd.lt(1, 2), sd.ValueError, /^lt: at least one argument must be a Tensor, got two numbers$/],
    ['lt: other a string', () => sd.lt(z([2]), 'a' as never), sd.ValueError, /^lt: other must be a Tensor or a number, got string$/],
    ['where: float condition', () => sd.where(z([2]), z([2]), z([2])), sd.DTypeError, /^where: condition must be a bool tensor, got dtype float64$/],
    ['where: condition not a tensor', () => sd.where(true as never, z([2]), z([2])), sd.ValueError, /^where: condition must be a Tensor, got boolean$/],
    ['where: branches do not broadcast', () => sd.where(b([2]), z([3]), z([2])), sd.ShapeError, /^where: shapes \[2\] and \[3\] cannot be broadcast together \(dim -1: 2 vs 3\)$/],
    ['where: input a string', () => sd.where(b([2]), 'x' as never, z([2])), sd.ValueError, /^where: input must be a Tensor or a number, got string$/],
    ['logicalNot: not a tensor', () => sd.logicalNot(1 as never), sd.ValueError, /^logicalNot: input must be a Tensor, got number$/],
    ['isnan: null', () => sd.isnan(null as never), sd.ValueError, /^isnan: input must be a Tensor, got null$/],
    ['equal: other not a tensor', () => sd.equal(z([2]), 3 as never), sd.ValueError, /^equal: other must be a Tensor, got number$/],
    ['allclose: negative rtol', () => sd.allclose(z([2]), z([2]), { rtol: -1 }), sd.ValueError, /^allclose: rtol and atol must be >= 0, got -1 and 1e-8$/],
    ['allclose: shapes do not broadcast', () => sd.allclose(z([2]), z([3])), sd.ShapeError, /^allclose: shapes \[2\] and \[3\] cannot be broadcast together \(dim -1: 2 vs 3\)$/],
  ]);
}
