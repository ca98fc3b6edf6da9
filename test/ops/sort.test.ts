import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ValueError } from '../../src/index.js';
import { checkFamily } from '../helpers/check-op.js';

const vi = (r: sd.ValuesIndices) => [r.values, r.indices];

checkFamily('sort', {
  sort: ([a], o) => vi(a.sort(o.dim, { descending: o.descending, stable: o.stable })),
  argsort: ([a], o) => sd.argsort(a, o.dim, { descending: o.descending, stable: o.stable }),
  msort: ([a]) => a.msort(),
  topk: ([a], o) => vi(o.largest === undefined ? a.topk(o.k, o.dim) : sd.topk(a, o.k, o.dim, { largest: o.largest })),
  kthvalue: ([a], o) => vi(a.kthvalue(o.k, o.dim, o.keepdim)),
  median_all: ([a]) => a.median(),
  median_dim: ([a], o) => vi(sd.median(a, o.dim, o.keepdim)),
  nanmedian_all: ([a]) => sd.nanmedian(a),
  nanmedian_dim: ([a], o) => vi(a.nanmedian(o.dim, { keepdim: o.keepdim })),
  mode: ([a], o) => vi(o.dim === undefined ? a.mode() : sd.mode(a, o.dim, o.keepdim)),
});

const f64 = (data: number[] | number[][]) => sd.tensor(data, { dtype: 'float64' });
const isErr = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
  assert.match((e as Error).message, re);
  return true;
};

describe('sort: bad input', () => {
  const x = f64([[1, 2, 3], [4, 5, 6]]);
  const table: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    ['sort of a non-tensor', () => sd.sort([3, 1] as any), ValueError, /^sort: input must be a Tensor, got an array$/],
    ['sort dim out of range', () => x.sort(2), ValueError, /^sort: dim must be an integer in \[-2, 1\] for a 2-D tensor, got 2$/],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    ['sort options not an object', () => sd.sort(x, 0, 'desc' as any), ValueError, /^sort: options must be an object or a boolean \(descending\), got desc$/],
    ['argsort dim out of range', () => sd.argsort(x, -3), ValueError, /^argsort: dim .* got -3$/],
    ['topk k too large', () => x.topk(4), ValueError, /^topk: k must be at most the size of dim 1 \(3\), got 4$/],
    ['topk k negative', () => sd.topk(x, -1), ValueError, /^topk: k must be an integer >= 0, got -1$/],
    ['topk k fractional', () => sd.topk(x, 1.5, 0), ValueError, /^topk: k must be an integer >= 0, got 1\.5$/],
    ['topk dim out of range', () => sd.topk(x, 1, 2), ValueError, /^topk: dim .* got 2$/],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    ['topk options a boolean', () => sd.topk(x, 1, 0, false as any), ValueError, /^topk: options must be an object \{largest, sorted\}, got false$/],
    ['kthvalue k = 0', () => x.kthvalue(0), ValueError, /^kthvalue: k must be an integer >= 1, got 0$/],
    ['kthvalue k too large', () => sd.kthvalue(x, 3, 0), ValueError, /^kthvalue: k must be at most the size of dim 0 \(2\), got 3$/],
    ['median of bool', () => sd.median(sd.tensor([true, false])), DTypeError, /^median: input must be a floating-point or int32 tensor, got dtype bool$/],
    ['nanmedian of bool along a dim', () => sd.nanmedian(sd.tensor([[true]]), 0), DTypeError, /^nanmedian: .*got dtype bool$/],
    ['median along an empty dim', () => sd.median(sd.zeros([0, 3], { dtype: 'float64' }), 0), ValueError, /^median: cannot reduce over a dim of size 0 \(input shape \[0, 3\]\)/],
    ['median dim out of range', () => x.median(2), ValueError, /^median: dim .* got 2$/],
    ['median of an empty int32 tensor', () => sd.median(sd.zeros([0], { dtype: 'int32' })), ValueError, /^median: the median of an empty int32 tensor is undefined$/],
    ['mode along an empty dim', () => sd.mode(sd.zeros([2, 0], { dtype: 'float64' })), ValueError, /^mode: cannot reduce over a dim of size 0 \(input shape \[2, 0\]\)$/],
    ['mode dim out of range', () => x.mode(-3), ValueError, /^mode: dim .* got -3$/],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    ['msort of null', () => sd.msort(null as any), ValueError, /^msort: input must be a Tensor, got null$/],
  ];
  for (const [name, f, cls, re] of table) test(name, () => assert.throws(f, isErr(cls, re)));
});

describe('sort: results beyond the fixtures', () => {
  test('a long row is sorted stably both ways (ties keep their order), NaN last ascending and first descending', () => {
    const vals = Array.from({ length: 200 }, (_, i) => (i % 7 === 3 ? NaN : (i * 37) % 11));
    const x = f64(vals);
    const up = x.sort();
    const down = x.sort(0, true);
    const key = (v: number) => (Number.isNaN(v) ? Infinity : v);
    const order = vals.map((_, i) => i);
    const expectUp = [...order].sort((i, j) => key(vals[i]) - key(vals[j]) || i - j);
    const expectDown = [...order].sort((i, j) => key(vals[j]) - key(vals[i]) || i - j);
    assert.deepEqual(up.indices.toArray(), expectUp);
    assert.deepEqual(down.indices.toArray(), expectDown);
    assert.deepEqual(sd.argsort(x, 0, true).toArray(), expectDown);
  });
  test('argsort is a Tensor method too, and sort(x, dim, true) is descending', () => {
    const x = f64([[0.5, -2, 3], [1, 0, -1]]);
    assert.deepEqual(x.argsort(0, { descending: true }).toArray(), [[1, 1, 0], [0, 0, 1]]);
    assert.deepEqual(x.sort(1, true).indices.toArray(), x.argsort(1, { descending: true }).toArray());
  });
  test('median of an empty float tensor is NaN, as torch.median', () => {
    assert.ok(Number.isNaN(sd.median(sd.zeros([0], { dtype: 'float64' })).item()));
  });
  test('the gradient of sort, topk and kthvalue values goes back to where each value came from', () => {
    const x = sd.tensor([[0.3, -1.2, 2.5, 0.9]], { dtype: 'float64', requiresGrad: true });
    const w = f64([[1, 2, 3, 4]]);
    assert.deepEqual(sd.grad(x.sort(1).values.mul(w).sum(), [x])[0].toArray(), [[2, 1, 4, 3]]);
    assert.deepEqual(sd.grad(x.topk(2).values.sum(), [x])[0].toArray(), [[0, 0, 1, 1]]);
    assert.deepEqual(sd.grad(x.kthvalue(2).values.sum(), [x])[0].toArray(), [[1, 0, 0, 0]]);
  });
  test('mode of a row longer than 16 still picks the smallest most frequent value and its last index', () => {
    const vals = [...Array.from({ length: 30 }, (_, i) => i % 3), 1];
    const r = sd.mode(f64(vals));
    assert.equal(r.values.item(), 1);
    assert.equal(r.indices.item(), 30);
  });
});
