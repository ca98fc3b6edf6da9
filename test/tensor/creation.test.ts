/**
 * Tests of src/tensor/creation.ts: tensor() from nested and typed arrays, constant fills, ranges (checked
 * against PyTorch values in test/fixtures/tensor/creation.json, written by tools/make_tensor_fixtures.py),
 * identity, random tensors and the *Like forms.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  wasmBackendInfo,
  DTypeError, Generator, ShapeError, Tensor, ValueError, arange, eye, full, fullLike, linspace, manualSeed, ones,
  onesLike, rand, randint, randintLike, randLike, randn, randnLike, randperm, tensor, zeros, zerosLike, type DType,
} from '../../src/index.js';

const root = new URL('../../../', import.meta.url);
const fixture = JSON.parse(readFileSync(new URL('test/fixtures/tensor/creation.json', root), 'utf8')) as {
  linspace: { start: number; end: number; steps: number; dtype: DType; values: number[] }[];
  arange: { args: number[]; dtype: DType; values: number[] }[];
};

describe('tensor() from nested arrays', () => {
  test('numbers give float32 with the nested shape', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    assert.equal(t.dtype, 'float32');
    assert.deepEqual(t.shape, [2, 3]);
    assert.equal(t.ndim, 2);
    assert.equal(t.numel(), 6);
    assert.deepEqual(t.toArray(), [[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(Array.from(t.toTypedArray()), [1, 2, 3, 4, 5, 6]);
  });

  test('whole numbers stay float32 (JS has one number type)', () => {
    assert.equal(tensor([1, 2]).dtype, 'float32');
    assert.equal(tensor(7).dtype, 'float32');
  });

  test('values are rounded to float32', () => {
    const t = tensor([0.1, 1 / 3]);
    assert.deepEqual(Array.from(t.toTypedArray()), [Math.fround(0.1), Math.fround(1 / 3)]);
    assert.ok(t.toTypedArray() instanceof Float32Array);
  });

  test('booleans give bool; toArray gives booleans back', () => {
    const t = tensor([[true, false], [false, true]]);
    assert.equal(t.dtype, 'bool');
    assert.deepEqual(t.toArray(), [[true, false], [false, true]]);
    assert.ok(t.toTypedArray() instanceof Uint8Array);
    assert.deepEqual(Array.from(t.toTypedArray()), [1, 0, 0, 1]);
  });

  test('mixed booleans and numbers give float32', () => {
    const t = tensor([true, 2, false]);
    assert.equal(t.dtype, 'float32');
    assert.deepEqual(t.toArray(), [1, 2, 0]);
  });

  test('a number or boolean gives a 0-d tensor', () => {
    const t = tensor(2.5);
    assert.deepEqual(t.shape, []);
    assert.equal(t.ndim, 0);
    assert.equal(t.numel(), 1);
    assert.equal(t.toArray(), 2.5);
    assert.equal(t.item(), 2.5);
    const b = tensor(true);
    assert.equal(b.dtype, 'bool');
    assert.equal(b.toArray(), true);
  });

  test('empty arrays give zero-size tensors', () => {
    const t = tensor([]);
    assert.deepEqual(t.shape, [0]);
    assert.equal(t.numel(), 0);
    assert.deepEqual(t.toArray(), []);
    const u = tensor([[], []]);
    assert.deepEqual(u.shape, [2, 0]);
    assert.deepEqual(u.toArray(), [[], []]);
  });

  test('dtype option converts; int32 truncates toward zero', () => {
    const t = tensor([1.7, -1.7, 2], { dtype: 'int32' });
    assert.equal(t.dtype, 'int32');
    assert.deepEqual(t.toArray(), [1, -1, 2]);
    const d = tensor([0.1], { dtype: 'float64' });
    assert.equal(d.dtype, 'float64');
    assert.equal(d.item(), 0.1);
    assert.deepEqual(tensor([0, 2, -1], { dtype: 'bool' }).toArray(), [false, true, true]);
  });

  test('shape option reshapes nested data', () => {
    const t = tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2] });
    assert.deepEqual(t.shape, [3, 2]);
    assert.deepEqual(t.toArray(), [[1, 2], [3, 4], [5, 6]]);
    assert.throws(() => tensor([1, 2, 3], { shape: [2, 2] }), ShapeError);
  });

  test('ragged arrays throw ShapeError naming the element', () => {
    assert.throws(() => tensor([[1, 2], [3]]), (e: unknown) => e instanceof ShapeError && /ragged/.test(e.message) && /\[1\]/.test(e.message));
    assert.throws(() => tensor([[1, 2], 3] as never), ShapeError);
    assert.throws(() => tensor([1, [2]] as never), ShapeError);
    assert.throws(() => tensor([[[1], [2]], [[3], [4, 5]]]), (e: unknown) => e instanceof ShapeError && /\[1\]\[1\]/.test(e.message));
  });

  test('non-numeric elements throw ValueError', () => {
    assert.throws(() => tensor(['a'] as never), (e: unknown) => e instanceof ValueError && /string/.test(e.message));
    assert.throws(() => tensor([1, null] as never), (e: unknown) => e instanceof ValueError && /null/.test(e.message));
  });

  test('requiresGrad option', () => {
    const t = tensor([1, 2], { requiresGrad: true });
    assert.equal(t.requiresGrad, true);
    assert.equal(t.isLeaf, true);
    assert.equal(t.grad, null);
    assert.throws(() => tensor([1, 2], { dtype: 'int32', requiresGrad: true }), DTypeError);
  });

  test('unknown dtype throws DTypeError', () => {
    assert.throws(() => tensor([1], { dtype: 'int64' as DType }), (e: unknown) => e instanceof DTypeError && /int64/.test(e.message));
  });
});

describe('tensor() from typed arrays', () => {
  test('Float64Array gives float64, exactly', () => {
    const t = tensor(new Float64Array([0.1, 1e-300, -2]));
    assert.equal(t.dtype, 'float64');
    assert.deepEqual(t.shape, [3]);
    assert.deepEqual(t.toArray(), [0.1, 1e-300, -2]);
  });

  test('Int32Array gives int32; other integer arrays too', () => {
    const t = tensor(new Int32Array([1, -2, 2147483647]));
    assert.equal(t.dtype, 'int32');
    assert.deepEqual(t.toArray(), [1, -2, 2147483647]);
    const u = tensor(new Uint8Array([0, 255]));
    assert.equal(u.dtype, 'int32');
    assert.deepEqual(u.toArray(), [0, 255]);
    assert.equal(tensor(new Int16Array([-5])).dtype, 'int32');
  });

  test('Uint32Array gives float64, keeping values above 2^31 exact', () => {
    const t = tensor(new Uint32Array([4294967295, 1]));
    assert.equal(t.dtype, 'float64');
    assert.deepEqual(t.toArray(), [4294967295, 1]);
  });

  test('Float32Array gives float32', () => {
    const t = tensor(new Float32Array([0.5, 0.1]));
    assert.equal(t.dtype, 'float32');
    assert.deepEqual(t.toArray(), [0.5, Math.fround(0.1)]);
  });

  test('an optional shape lays the data out', () => {
    const t = tensor(new Float64Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3] });
    assert.deepEqual(t.shape, [2, 3]);
    assert.deepEqual(t.toArray(), [[1, 2, 3], [4, 5, 6]]);
    const s = tensor(new Int32Array([9]), { shape: [] });
    assert.deepEqual(s.shape, []);
    assert.equal(s.item(), 9);
  });

  test('a shape that does not hold the data throws ShapeError', () => {
    assert.throws(
      () => tensor(new Float64Array(6), { shape: [4] }),
      (e: unknown) => e instanceof ShapeError && /\[4\]/.test(e.message) && /6/.test(e.message),
    );
    assert.throws(() => tensor(new Float64Array(6), { shape: [2, -3] }), ValueError);
  });

  test('dtype option overrides the array type', () => {
    const t = tensor(new Int32Array([1, 2]), { dtype: 'float64' });
    assert.equal(t.dtype, 'float64');
    assert.deepEqual(t.toArray(), [1, 2]);
  });

  test('the tensor copies the array: mutating the source later does not change it', () => {
    const src = new Float64Array([1, 2, 3]);
    const t = tensor(src);
    src[0] = 100;
    assert.deepEqual(t.toArray(), [1, 2, 3]);
  });

  test('BigInt arrays are refused with DTypeError', () => {
    assert.throws(() => tensor(new BigInt64Array([1n]) as never), DTypeError);
  });
});

describe('tensor properties and reading', () => {
  test('shape, ndim, numel, size(dim)', () => {
    const t = zeros([2, 3, 4]);
    assert.deepEqual(t.shape, [2, 3, 4]);
    assert.equal(t.ndim, 3);
    assert.equal(t.numel(), 24);
    assert.deepEqual(t.size(), [2, 3, 4]);
    assert.equal(t.size(0), 2);
    assert.equal(t.size(2), 4);
    assert.equal(t.size(-1), 4);
    assert.equal(t.size(-3), 2);
    assert.throws(() => t.size(3), ValueError);
    assert.throws(() => t.size(-4), ValueError);
    assert.equal(t.device, wasmBackendInfo().loaded ? 'wasm' : 'cpu', 'new tensors live on the default backend');
  });

  test('shape is frozen', () => {
    const t = zeros([2, 3]);
    assert.throws(() => (t.shape as number[]).push(1), TypeError);
    assert.deepEqual(t.shape, [2, 3]);
  });

  test('toArray nests by shape', () => {
    const t = arange(24).reshape([2, 3, 4]);
    const a = t.toArray() as number[][][];
    assert.equal(a.length, 2);
    assert.equal(a[0].length, 3);
    assert.deepEqual(a[1][2], [20, 21, 22, 23]);
  });

  test('toArray of a non-contiguous view follows its logical order', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]).t();
    assert.deepEqual(t.toArray(), [[1, 4], [2, 5], [3, 6]]);
    assert.deepEqual(Array.from(t.toTypedArray()), [1, 4, 2, 5, 3, 6]);
  });

  test('item gives the single value and refuses more than one element', () => {
    assert.equal(tensor([[7.5]]).item(), 7.5);
    assert.equal(tensor(new Int32Array([-3])).item(), -3);
    assert.equal(tensor([true]).item(), 1);
    assert.throws(() => tensor([1, 2]).item(), (e: unknown) => e instanceof ValueError && /item/.test(e.message) && /\[2\]/.test(e.message));
    assert.throws(() => tensor([]).item(), ValueError);
  });

  test('toTypedArray returns a copy of the right type', () => {
    const t = tensor([1, 2, 3]);
    const a = t.toTypedArray();
    assert.ok(a instanceof Float32Array);
    a[0] = 42;
    assert.deepEqual(t.toArray(), [1, 2, 3]);
    assert.notEqual(t.toTypedArray(), t.toTypedArray());
    assert.ok(tensor(new Float64Array(1)).toTypedArray() instanceof Float64Array);
    assert.ok(arange(3).toTypedArray() instanceof Int32Array);
  });

  test('toTypedArray of a view is a copy too', () => {
    const base = tensor([[1, 2], [3, 4]]);
    const row = base.select(0, 1);
    const a = row.toTypedArray();
    a[0] = -1;
    assert.deepEqual(base.toArray(), [[1, 2], [3, 4]]);
    assert.deepEqual(row.toArray(), [3, 4]);
  });
});

describe('zeros, ones, full', () => {
  test('zeros and ones: float32 by default, shape as array or number', () => {
    const z = zeros([2, 3]);
    assert.equal(z.dtype, 'float32');
    assert.deepEqual(z.toArray(), [[0, 0, 0], [0, 0, 0]]);
    const o = ones(3);
    assert.deepEqual(o.shape, [3]);
    assert.deepEqual(o.toArray(), [1, 1, 1]);
    assert.deepEqual(zeros([]).shape, []);
    assert.equal(zeros([]).item(), 0);
    assert.deepEqual(ones([0, 4]).shape, [0, 4]);
  });

  test('dtype option', () => {
    assert.deepEqual(ones([2], { dtype: 'int32' }).toArray(), [1, 1]);
    assert.equal(ones([2], { dtype: 'int32' }).dtype, 'int32');
    assert.deepEqual(ones([2], { dtype: 'bool' }).toArray(), [true, true]);
    assert.equal(zeros([1], { dtype: 'float64' }).dtype, 'float64');
  });

  test('full: number gives float32, boolean gives bool', () => {
    const f = full([2, 2], 2.5);
    assert.equal(f.dtype, 'float32');
    assert.deepEqual(f.toArray(), [[2.5, 2.5], [2.5, 2.5]]);
    const b = full([2], true);
    assert.equal(b.dtype, 'bool');
    assert.deepEqual(b.toArray(), [true, true]);
    const i = full([3], 7, { dtype: 'int32' });
    assert.equal(i.dtype, 'int32');
    assert.deepEqual(i.toArray(), [7, 7, 7]);
    assert.deepEqual(full([2], -Infinity).toArray(), [-Infinity, -Infinity]);
    assert.ok(Number.isNaN(full([1], NaN).item()));
  });

  test('bad shapes and values are refused', () => {
    assert.throws(() => zeros([2, -1]), (e: unknown) => e instanceof ValueError && /zeros/.test(e.message) && /\[2, -1\]/.test(e.message));
    assert.throws(() => ones([2.5]), ValueError);
    assert.throws(() => full([2], '3' as never), ValueError);
    assert.throws(() => zeros([2], { dtype: 'int64' as DType }), DTypeError);
  });

  test('requiresGrad: floating only', () => {
    assert.equal(ones([2], { requiresGrad: true }).requiresGrad, true);
    assert.equal(zeros([2]).requiresGrad, false);
    assert.throws(() => ones([2], { dtype: 'int32', requiresGrad: true }), DTypeError);
    assert.throws(() => full([2], true, { requiresGrad: true }), DTypeError);
  });
});

describe('*Like forms', () => {
  const src = tensor(new Float64Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3] });

  test('zerosLike, onesLike, fullLike keep shape and dtype', () => {
    for (const [t, v] of [[zerosLike(src), 0], [onesLike(src), 1], [fullLike(src, 4.5), 4.5]] as const) {
      assert.deepEqual(t.shape, [2, 3]);
      assert.equal(t.dtype, 'float64');
      assert.deepEqual(t.toArray(), [[v, v, v], [v, v, v]]);
    }
    assert.equal(zerosLike(arange(3)).dtype, 'int32');
  });

  test('dtype may be overridden; requiresGrad is not inherited', () => {
    const g = ones([2], { requiresGrad: true });
    assert.equal(onesLike(g).requiresGrad, false);
    assert.equal(onesLike(g, { requiresGrad: true }).requiresGrad, true);
    assert.equal(zerosLike(src, { dtype: 'int32' }).dtype, 'int32');
  });

  test('randLike, randnLike, randintLike keep shape and dtype', () => {
    const r = randLike(src);
    assert.deepEqual(r.shape, [2, 3]);
    assert.equal(r.dtype, 'float64');
    assert.equal(randnLike(src).dtype, 'float64');
    const i = randintLike(arange(6).reshape([3, 2]), 0, 4);
    assert.deepEqual(i.shape, [3, 2]);
    assert.equal(i.dtype, 'int32');
    for (const v of i.toTypedArray()) assert.ok(v >= 0 && v < 4 && Number.isInteger(v));
    assert.throws(() => randLike(arange(3)), DTypeError);
  });

  test('a non-tensor first argument is refused', () => {
    assert.throws(() => zerosLike([1, 2] as never), ValueError);
  });
});

describe('arange', () => {
  test('arange(n) is 0..n-1 as int32', () => {
    const t = arange(5);
    assert.equal(t.dtype, 'int32');
    assert.deepEqual(t.toArray(), [0, 1, 2, 3, 4]);
    assert.deepEqual(arange(0).shape, [0]);
  });

  test('start, end, step; negative step counts down', () => {
    assert.deepEqual(arange(2, 9, 3).toArray(), [2, 5, 8]);
    assert.deepEqual(arange(5, 0, -1).toArray(), [5, 4, 3, 2, 1]);
    assert.deepEqual(arange(10, 0, -3).toArray(), [10, 7, 4, 1]);
    assert.equal(arange(5, 0, -1).dtype, 'int32');
  });

  test('a fractional argument gives float32', () => {
    const t = arange(0, 1, 0.25);
    assert.equal(t.dtype, 'float32');
    assert.deepEqual(t.toArray(), [0, 0.25, 0.5, 0.75]);
    assert.equal(arange(0.5, 3).dtype, 'float32');
    assert.deepEqual(arange(0.5, 3).toArray(), [0.5, 1.5, 2.5]);
  });

  test('dtype option', () => {
    const t = arange(3, undefined, 1, { dtype: 'float64' });
    assert.equal(t.dtype, 'float64');
    assert.deepEqual(t.toArray(), [0, 1, 2]);
  });

  test('values and lengths equal torch.arange', () => {
    for (const c of fixture.arange) {
      const [a, b, s] = c.args;
      const t = arange(a, b, s);
      const label = `arange(${c.args.join(', ')})`;
      assert.equal(t.dtype, c.dtype, label);
      assert.deepEqual(Array.from(t.toTypedArray()), c.values, label);
    }
  });

  test('errors: zero step, inconsistent sign, non-finite bounds', () => {
    assert.throws(() => arange(0, 5, 0), (e: unknown) => e instanceof ValueError && /step/.test(e.message));
    assert.throws(() => arange(0, 5, -1), (e: unknown) => e instanceof ValueError && /inconsistent/.test(e.message));
    assert.throws(() => arange(5, 0, 1), ValueError);
    assert.throws(() => arange(-3), ValueError);
    assert.throws(() => arange(NaN), ValueError);
    assert.throws(() => arange(0, Infinity), ValueError);
  });
});

describe('linspace', () => {
  test('hand-computed values', () => {
    assert.deepEqual(linspace(0, 1, 5).toArray(), [0, 0.25, 0.5, 0.75, 1]);
    assert.deepEqual(linspace(2, -2, 3).toArray(), [2, 0, -2]);
    assert.deepEqual(linspace(3, 3, 4).toArray(), [3, 3, 3, 3]);
    assert.deepEqual(linspace(2, 3, 1).toArray(), [2]);
    assert.deepEqual(linspace(0, 1, 0).shape, [0]);
    assert.equal(linspace(0, 1, 5).dtype, 'float32');
    const d = linspace(0, 1, 11, { dtype: 'float64' });
    assert.equal(d.dtype, 'float64');
    (d.toArray() as number[]).forEach((v, i) => assert.ok(Math.abs(v - i / 10) <= 1e-16, `linspace(0, 1, 11)[${i}] = ${v}`));
  });

  test('the last value is exactly end and the first exactly start', () => {
    const t = linspace(0.1, 0.7, 13, { dtype: 'float64' }).toArray() as number[];
    assert.equal(t[0], 0.1);
    assert.equal(t[12], 0.7);
  });

  test('values equal torch.linspace (int32 exactly, floats up to rounding)', () => {
    for (const c of fixture.linspace) {
      const label = `linspace(${c.start}, ${c.end}, ${c.steps}, ${c.dtype})`;
      const got = Array.from(linspace(c.start, c.end, c.steps, { dtype: c.dtype }).toTypedArray());
      assert.equal(got.length, c.values.length, label);
      if (c.dtype === 'int32') {
        assert.deepEqual(got, c.values, label);
        continue;
      }
      // PyTorch computes in the output dtype (float32 arithmetic for float32, with fused multiply-adds);
      // shendu computes in float64 and rounds once (see its TSDoc). Each value then carries the rounding of
      // end - start, of the step, of step * i and of the final add, each at most half a unit in the last
      // place (ulp) of max(|start|, |end|); the two results can differ by those, so allow 4 such ulps.
      const eps = c.dtype === 'float32' ? 2 ** -23 : 2 ** -52;
      const ulp = 4 * eps * Math.max(Math.abs(c.start), Math.abs(c.end));
      got.forEach((v, i) => assert.ok(Math.abs(v - c.values[i]) <= ulp, `${label}[${i}]: ${v} vs torch ${c.values[i]}`));
      if (c.steps > 0) {
        assert.equal(got[0], c.values[0], `${label} start`);
        assert.equal(got[got.length - 1], c.values[c.values.length - 1], `${label} end`);
      }
    }
  });

  test('errors', () => {
    assert.throws(() => linspace(0, 1, -1), (e: unknown) => e instanceof ValueError && /steps/.test(e.message));
    assert.throws(() => linspace(0, 1, 2.5), ValueError);
  });
});

describe('eye', () => {
  test('square and rectangular identity', () => {
    assert.deepEqual(eye(3).toArray(), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    assert.equal(eye(3).dtype, 'float32');
    assert.deepEqual(eye(2, 3).toArray(), [[1, 0, 0], [0, 1, 0]]);
    assert.deepEqual(eye(3, 2, { dtype: 'int32' }).toArray(), [[1, 0], [0, 1], [0, 0]]);
    assert.deepEqual(eye(0).shape, [0, 0]);
  });

  test('bad sizes', () => {
    assert.throws(() => eye(-1), ValueError);
    assert.throws(() => eye(2, 1.5), ValueError);
  });
});

describe('random creation', () => {
  test('rand: float32 in [0, 1), given shape', () => {
    manualSeed(1);
    const t = rand([10, 20]);
    assert.equal(t.dtype, 'float32');
    assert.deepEqual(t.shape, [10, 20]);
    for (const v of t.toTypedArray()) assert.ok(v >= 0 && v < 1);
    assert.equal(rand([2], { dtype: 'float64' }).dtype, 'float64');
    assert.throws(() => rand([2], { dtype: 'int32' }), DTypeError);
  });

  test('randn: float32, finite, not all equal', () => {
    const t = randn([100]);
    assert.equal(t.dtype, 'float32');
    const a = Array.from(t.toTypedArray());
    assert.ok(a.every(Number.isFinite));
    assert.ok(new Set(a).size > 90);
  });

  test('randint: int32 in [low, high), every value reached', () => {
    const t = randint(-3, 3, [600]);
    assert.equal(t.dtype, 'int32');
    const seen = new Set<number>();
    for (const v of t.toTypedArray()) {
      assert.ok(v >= -3 && v < 3 && Number.isInteger(v));
      seen.add(v);
    }
    assert.deepEqual([...seen].sort((x, y) => x - y), [-3, -2, -1, 0, 1, 2]);
    assert.equal(randint(0, 5, [2], { dtype: 'float64' }).dtype, 'float64');
  });

  test('randint argument errors', () => {
    assert.throws(() => randint(5, 5, [3]), ValueError);
    assert.throws(() => randint(0, 2.5, [3]), ValueError);
    assert.throws(() => randint(0, 5, [-1]), ValueError);
    assert.throws(() => randint(0, 5, [2], { requiresGrad: true }), DTypeError);
  });

  test('randperm: a permutation of 0..n-1', () => {
    const p = randperm(50);
    assert.equal(p.dtype, 'int32');
    assert.deepEqual(Array.from(p.toTypedArray()).sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
    assert.deepEqual(randperm(0).shape, [0]);
    assert.deepEqual(randperm(1).toArray(), [0]);
    assert.throws(() => randperm(-1), ValueError);
    assert.throws(() => randperm(2.5), ValueError);
  });

  test('randperm shuffles', () => {
    manualSeed(3);
    assert.notDeepEqual(randperm(50).toArray(), Array.from({ length: 50 }, (_, i) => i));
  });

  test('a non-Generator generator option is refused', () => {
    for (const f of [
      () => rand([2], { generator: {} as Generator }),
      () => randn([2], { generator: 3 as never }),
      () => randint(0, 3, [2], { generator: {} as Generator }),
      () => randperm(3, { generator: {} as Generator }),
    ]) {
      assert.throws(f, (e: unknown) => e instanceof ValueError && /generator/.test(e.message));
    }
  });

  test('random tensors may require grad', () => {
    const t = randn([3], { requiresGrad: true });
    assert.equal(t.requiresGrad, true);
    assert.ok(t instanceof Tensor);
  });
});

test('a shape too large for one tensor is a ValueError naming the size, not a bare RangeError', () => {
  assert.throws(() => zeros([1e6, 1e6]), (e: unknown) => e instanceof ValueError && /zeros: a tensor of shape \[1000000, 1000000\] would hold 1\.00e\+12 elements/.test((e as Error).message));
  assert.throws(() => randn([1e5, 1e5]), ValueError);
});
