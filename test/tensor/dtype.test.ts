/**
 * Tests of src/tensor/dtype.ts: the promotion table itself, and the dtypes ops give for mixed operands
 * (PyTorch's rules, with JS numbers standing for Python scalars).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTYPES, DTypeError, arange, isFloating, promoteTypes, tensor, zeros, type DType, type Tensor } from '../../src/index.js';

const i32 = (v: number[]) => tensor(new Int32Array(v));
const f32 = (v: number[]) => tensor(v);
const f64 = (v: number[]) => tensor(new Float64Array(v));
const b = (v: boolean[]) => tensor(v);

function check(t: Tensor, dtype: DType, values: unknown) {
  assert.equal(t.dtype, dtype);
  assert.deepEqual(t.toArray(), values);
}

describe('promoteTypes', () => {
  test('bool < int32 < float32 < float64, symmetric', () => {
    const order: DType[] = ['bool', 'int32', 'float32', 'float64'];
    for (let i = 0; i < order.length; i++) {
      for (let j = 0; j < order.length; j++) {
        const want = order[Math.max(i, j)];
        assert.equal(promoteTypes(order[i], order[j]), want, `${order[i]} + ${order[j]}`);
      }
    }
  });

  test('DTYPES and isFloating', () => {
    assert.deepEqual([...DTYPES].sort(), ['bool', 'float32', 'float64', 'int32']);
    assert.deepEqual(DTYPES.filter(isFloating).sort(), ['float32', 'float64']);
  });
});

describe('binary ops promote', () => {
  test('int32 + float32 -> float32', () => {
    check(i32([1, 2]).add(f32([0.5, 0.25])), 'float32', [1.5, 2.25]);
    check(f32([0.5, 0.25]).add(i32([1, 2])), 'float32', [1.5, 2.25]);
  });

  test('float32 + float64 -> float64', () => {
    const r = f32([0.1]).add(f64([0.2]));
    assert.equal(r.dtype, 'float64');
    // the float32 operand is widened exactly, not re-read as the decimal 0.1
    assert.equal(r.item(), Math.fround(0.1) + 0.2);
  });

  test('int32 + float64 -> float64', () => {
    check(i32([1]).mul(f64([0.5])), 'float64', [0.5]);
  });

  test('int32 tensor + fractional number -> float32', () => {
    check(i32([1, 2]).add(2.5), 'float32', [3.5, 4.5]);
    check(i32([1, 2]).mul(0.5), 'float32', [0.5, 1]);
  });

  test('int32 tensor + whole number stays int32', () => {
    check(i32([1, 2]).add(2), 'int32', [3, 4]);
    check(i32([3]).mul(-2), 'int32', [-6]);
  });

  test('float32 tensor + number stays float32 (a number does not widen a float tensor)', () => {
    check(f32([1, 2]).add(2), 'float32', [3, 4]);
    const r = f32([1]).add(0.1);
    assert.equal(r.dtype, 'float32');
    assert.equal(r.item(), Math.fround(1 + Math.fround(0.1)));
  });

  test('float64 tensor + number stays float64', () => {
    check(f64([1]).add(0.1), 'float64', [1.1]);
  });

  test('int32 / int32 -> float32 (true division)', () => {
    check(i32([1, 2, 7, -7]).div(i32([2, 2, 2, 2])), 'float32', [0.5, 1, 3.5, -3.5]);
    check(i32([1, 3]).div(2), 'float32', [0.5, 1.5]);
  });

  test('int32 / float64 -> float64', () => {
    check(i32([1]).div(f64([4])), 'float64', [0.25]);
  });

  test('bool with int32 -> int32', () => {
    check(b([true, false]).mul(i32([3, 3])), 'int32', [3, 0]);
    check(b([true, false]).add(1), 'int32', [2, 1]);
  });

  test('bool with float -> float', () => {
    check(b([true, false]).mul(f32([1.5, 1.5])), 'float32', [1.5, 0]);
    check(b([true]).add(0.5), 'float32', [1.5]);
  });

  test('broadcast operands promote too', () => {
    const r = i32([1, 2, 3]).reshape([3, 1]).add(f64([0.5, 0.25]));
    check(r, 'float64', [[1.5, 1.25], [2.5, 2.25], [3.5, 3.25]]);
  });
});

describe('comparisons give bool', () => {
  test('tensor vs tensor of different dtypes', () => {
    check(i32([1, 2, 3]).lt(f32([1.5, 1.5, 3.5])), 'bool', [true, false, true]);
    check(f64([1, 2]).eq(i32([1, 3])), 'bool', [true, false]);
    check(f32([1, 2]).ge(f32([2, 2])), 'bool', [false, true]);
  });

  test('tensor vs number', () => {
    // as in PyTorch, the number takes the float tensor's dtype: float32 0.1 == 0.1
    check(f32([0.1, 0.2]).eq(0.1), 'bool', [true, false]);
    check(f32([1, 2, 3]).gt(2), 'bool', [false, false, true]);
    check(i32([1, 2, 3]).le(2.5), 'bool', [true, true, false]);
    check(i32([1, 2]).ne(2), 'bool', [true, false]);
  });
});

describe('reductions', () => {
  test('sum of bool -> int32 (counts the trues)', () => {
    check(b([true, false, true, true]).sum(), 'int32', 3);
    check(tensor([[true, true], [false, true]]).sum(1), 'int32', [2, 1]);
  });

  test('sum of int32 -> int32; of floats keeps the dtype', () => {
    check(arange(5).sum(), 'int32', 10);
    check(f32([0.5, 0.25]).sum(), 'float32', 0.75);
    check(f64([0.5, 0.25]).sum(), 'float64', 0.75);
  });

  test('mean of an integer tensor is refused, as in PyTorch', () => {
    assert.throws(() => arange(4).mean(), (e: unknown) => e instanceof DTypeError && /mean/.test(e.message) && /int32/.test(e.message));
    check(arange(4).float().mean(), 'float32', 1.5);
  });
});

describe('casts', () => {
  test('float(), double(), int(), bool()', () => {
    const x = f32([-1.7, 0, 2.5]);
    check(x.int(), 'int32', [-1, 0, 2]);
    check(x.bool(), 'bool', [true, false, true]);
    check(x.double(), 'float64', [Math.fround(-1.7), 0, 2.5]);
    check(i32([3]).float(), 'float32', [3]);
    assert.equal(zeros([2]).float().dtype, 'float32');
  });

  test('to(dtype)', () => {
    check(i32([1, 0]).to('bool'), 'bool', [true, false]);
    check(b([true, false]).to('float64'), 'float64', [1, 0]);
  });
});

test('resultType follows torch.result_type with 0-d tensors and numbers; canCast follows torch.can_cast', () => {
  const dims = (dtype: sd.DType) => sd.zeros([2], { dtype });
  const zero = (dtype: sd.DType) => sd.zeros([], { dtype });
  // each row checked against torch 1.13 (int64 there is int32 here)
  const rows: [sd.Scalarish[], sd.DType][] = [
    [[dims('float32'), zero('float64')], 'float32'],
    [[zero('float64'), dims('float32')], 'float32'],
    [[dims('int32'), zero('float64')], 'float64'],
    [[dims('int32'), zero('float32')], 'float32'],
    [[dims('bool'), zero('int32')], 'int32'],
    [[dims('bool'), 2.5], 'float32'],
    [[dims('int32'), 2.5], 'float32'],
    [[dims('int32'), 2], 'int32'],
    [[zero('int32'), zero('float64')], 'float64'],
    [[zero('float32'), 2.5], 'float32'],
    [[dims('float64'), zero('float32')], 'float64'],
    [[dims('bool'), true], 'bool'],
  ];
  for (const [xs, want] of rows) assert.equal(sd.resultType(...xs), want, xs.map((x) => (x instanceof sd.Tensor ? `${x.dtype}${x.ndim ? '[2]' : ' 0-d'}` : x)).join(', '));
  assert.equal(sd.canCast('float32', 'int32'), false);
  assert.equal(sd.canCast('int32', 'bool'), false);
  assert.equal(sd.canCast('int32', 'float32'), true);
  assert.equal(sd.canCast('bool', 'int32'), true);
  assert.equal(sd.canCast('float64', 'float32'), true);
});
