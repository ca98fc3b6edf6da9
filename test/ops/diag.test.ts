import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { ShapeError, ValueError } from '../../src/index.js';
import { checkBadInputs } from '../helpers/bad-inputs.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('diag', {
  tril: ([a], o) => a.tril(o.diagonal),
  triu: ([a], o) => a.triu(o.diagonal),
  diag: ([a], o) => a.diag(o.diagonal),
  diagonal: ([a], o) => a.diagonal(o.offset, o.dim1, o.dim2),
  diagEmbed: ([a], o) => a.diagEmbed(o.offset, o.dim1, o.dim2),
});

const m = (...shape: number[]) => sd.arange(0, shape.reduce((a, b) => a * b, 1), 1, { dtype: 'float64' }).reshape(shape);

describe('diag: views and values', () => {
  test('diagonal is a view, also of a transposed tensor, and writes reach the base', () => {
    const x = m(3, 3);
    const d = x.diagonal();
    assert.equal(d.storage, x.storage);
    assert.deepEqual(d.toArray(), [0, 4, 8]);
    const t = x.t().diagonal(1);
    assert.equal(t.storage, x.storage);
    assert.deepEqual(t.toArray(), [3, 7]);
    sd.noGrad(() => d.fill_(-1));
    assert.deepEqual(x.toArray(), [[-1, 1, 2], [3, -1, 5], [6, 7, -1]]);
  });
  test('diag of a matrix is a copy; tril keeps NaN only where it keeps elements', () => {
    const x = m(2, 2);
    assert.notEqual(x.diag().storage, x.storage);
    const y = sd.tensor([[NaN, NaN], [NaN, NaN]]).tril();
    assert.deepEqual(y.isnan().toArray(), [[true, false], [true, true]]);
  });
});

describe('diag: bad inputs', () => {
  checkBadInputs([
    ['tril: a 1-D input', () => m(3).tril(), ShapeError, /^tril: input must have at least 2 dims, got shape \[3\]/],
    ['triu: a fractional diagonal', () => m(2, 2).triu(0.5), ValueError, /^triu: diagonal must be an integer, got 0\.5/],
    ['diag: a 3-D input', () => m(2, 2, 2).diag(), ShapeError, /^diag: input must be 1-D or 2-D, got shape \[2, 2, 2\]/],
    ['diag: a 0-d input', () => sd.tensor(1).diag(), ShapeError, /^diag: input must be 1-D or 2-D, got shape \[\]/],
    ['diagonal: equal dims', () => m(2, 2).diagonal(0, 1, -1), ValueError, /^diagonal: dim1 and dim2 must be different, got 1 and -1/],
    ['diagonal: a 1-D input', () => m(2).diagonal(), ShapeError, /^diagonal: input must have at least 2 dims, got shape \[2\]/],
    ['diagonal: a dim out of range', () => m(2, 2).diagonal(0, 0, 2), ValueError, /^diagonal: dim2 must be an integer in \[-2, 1\] for a 2-D tensor, got 2/],
    ['diagEmbed: a 0-d input', () => sd.tensor(1).diagEmbed(), ShapeError, /^diagEmbed: input must have at least 1 dim, got shape \[\]/],
    ['diagEmbed: equal dims', () => m(2).diagEmbed(0, 0, -2), ValueError, /^diagEmbed: dim1 and dim2 must be different, got 0 and -2/],
  ]);
});
