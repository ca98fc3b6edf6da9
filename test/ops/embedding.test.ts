import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ShapeError, ValueError } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('embedding', {
  embedding: ([idx, w], o) => sd.embedding(idx, w, { paddingIdx: o.paddingIdx }),
});

const w = () => sd.arange(0, 8, 1, { dtype: 'float64' }).reshape([4, 2]);
const i32 = (data: number[]) => sd.tensor(data, { dtype: 'int32' });
const isErr = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
  assert.match((e as Error).message, re);
  return true;
};

describe('embedding: behaviour beyond the fixtures', () => {
  test('paddingIdx keeps the padding row out of the gradient but not out of the output', () => {
    const weight = w().requiresGrad_();
    const y = sd.embedding(i32([3, 3, 1]), weight, { paddingIdx: -1 });
    assert.deepEqual(y.toArray(), [[6, 7], [6, 7], [2, 3]]);
    y.sum().backward();
    assert.deepEqual(weight.grad!.toArray(), [[0, 0], [1, 1], [0, 0], [0, 0]]);
  });
});

describe('embedding: bad input', () => {
  test('indices must be int32 and in range', () => {
    assert.throws(() => sd.embedding(sd.tensor([1, 2], { dtype: 'float64' }), w()), isErr(DTypeError, /^embedding: indices must be an int32 tensor, got dtype float64$/));
    assert.throws(() => sd.embedding(i32([0, 4]), w()), isErr(ValueError, /^embedding: index 4 is out of range for the rows of weight of size 4$/));
    assert.throws(() => sd.embedding(i32([-1]), w()), isErr(ValueError, /^embedding: index -1 is out of range for the rows of weight of size 4$/));
  });
  test('weight must be 2-D, paddingIdx in range', () => {
    assert.throws(() => sd.embedding(i32([0]), sd.zeros([4], { dtype: 'float64' })), isErr(ShapeError, /^embedding: weight must be 2-D \(numEmbeddings, dim\), got shape \[4\]$/));
    assert.throws(() => sd.embedding(i32([0]), w(), { paddingIdx: 4 }), isErr(ValueError, /^embedding: paddingIdx must be in \[-4, 3\], got 4$/));
    assert.throws(() => sd.embedding(i32([0]), w(), { paddingIdx: -5 }), isErr(ValueError, /^embedding: paddingIdx must be in \[-4, 3\], got -5$/));
  });
});

// Bad inputs: each raises the typed error whose message names the op, the argument, what was expected and what was got.
{
  const z = (s: number[], dtype: sd.DType = 'float64') => sd.zeros(s, { dtype });
  const i32 = (s: number[]) => sd.zeros(s, { dtype: 'int32' });
  checkErrors('embedding', [
    ['embedding: float indices', () => sd.embedding(z([2]), z([4, 3])), sd.DTypeError, /^embedding: indices must be an int32 tensor, got dtype float64$/],
    ['embedding: indices not a tensor', () => sd.embedding([1] as never, z([4, 3])), sd.ValueError, /^embedding: indices must be a Tensor, got an array$/],
    ['embedding: 1-D weight', () => sd.embedding(i32([2]), z([4])), sd.ShapeError, /^embedding: weight must be 2-D \(numEmbeddings, dim\), got shape \[4\]$/],
    ['embedding: index past the rows', () => sd.embedding(sd.tensor([4], { dtype: 'int32' }), z([4, 3])), sd.ValueError, /^embedding: index 4 is out of range for the rows of weight of size 4$/],
    ['embedding: negative index', () => sd.embedding(sd.tensor([-1], { dtype: 'int32' }), z([4, 3])), sd.ValueError, /^embedding: index -1 is out of range for the rows of weight of size 4$/],
    ['embedding: paddingIdx out of range', () => sd.embedding(i32([2]), z([4, 3]), { paddingIdx: 4 }), sd.ValueError, /^embedding: paddingIdx must be in \[-4, 3\], got 4$/],
    ['embedding: fractional paddingIdx', () => sd.embedding(i32([2]), z([4, 3]), { paddingIdx: 0.5 }), sd.ValueError, /^embedding: paddingIdx must be in \[-4, 3\], got 0\.5$/],
  ]);
}
