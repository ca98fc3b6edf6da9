import { describe } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ShapeError, ValueError } from '../../src/index.js';
import { checkBadInputs } from '../helpers/bad-inputs.js';
import { checkFamily } from '../helpers/check-op.js';

const opts = (o: Record<string, number | undefined>) => ({ beta: o.beta, alpha: o.alpha });

checkFamily('products', {
  kron: ([a, b]) => a.kron(b),
  cross: ([a, b], o) => a.cross(b, o.dim),
  addmm: ([i, x, y], o) => i.addmm(x, y, opts(o)),
  addmv: ([i, x, y], o) => i.addmv(x, y, opts(o)),
  baddbmm: ([i, x, y], o) => i.baddbmm(x, y, opts(o)),
  addbmm: ([i, x, y], o) => i.addbmm(x, y, opts(o)),
});

const m = (...shape: number[]) => sd.arange(0, shape.reduce((a, b) => a * b, 1), 1, { dtype: 'float64' }).reshape(shape);

describe('products: bad inputs', () => {
  checkBadInputs([
    ['cross: no dim of size 3', () => m(2, 2).cross(m(2, 2)), ShapeError, /^cross: no dim of size 3 in the broadcast shape \[2, 2\]; pass dim/],
    ['cross: a dim not of size 3', () => m(3, 2).cross(m(3, 2), 1), ShapeError, /^cross: dim 1 must have size 3, got 2 \(broadcast shape \[3, 2\]\)/],
    ['cross: shapes that do not broadcast', () => m(2, 3).cross(m(4, 3)), ShapeError, /^cross: shapes \[2, 3\] and \[4, 3\] cannot be broadcast together/],
    ['cross: mixed dtypes', () => m(3).cross(sd.ones([3])), DTypeError, /^cross: input and other must have the same dtype, got float64 and float32/],
    ['kron: not a tensor', () => sd.kron(m(2), 2 as unknown as sd.Tensor), ValueError, /^kron: other must be a Tensor, got number/],
    ['addmm: a 1-D mat1', () => m(2).addmm(m(2), m(2, 2)), ShapeError, /^addmm: mat1 and mat2 must be 2-D, got \[2\] and \[2, 2\]/],
    ['addmm: inner dims differ', () => m(2).addmm(m(2, 3), m(2, 2)), ShapeError, /^addmm: inner dimensions differ: mat1 is \[2, 3\], mat2 is \[2, 2\]/],
    ['addmm: an input that does not broadcast', () => m(3).addmm(m(2, 2), m(2, 2)), ShapeError, /^addmm: input of shape \[3\] cannot be broadcast to the product's shape \[2, 2\]/],
    ['addmm: an input with more dims', () => m(1, 2, 2).addmm(m(2, 2), m(2, 2)), ShapeError, /^addmm: input of shape \[1, 2, 2\] cannot be broadcast/],
    ['addmm: mixed dtypes', () => m(2).addmm(m(2, 2), sd.ones([2, 2])), DTypeError, /^addmm: mat2 must have input's dtype float64, got float32/],
    ['addmm: a fractional alpha on ints', () => m(2).int().addmm(m(2, 2).int(), m(2, 2).int(), { alpha: 0.5 }), ValueError, /^addmm: beta and alpha must be integers for int32 tensors, got beta 1, alpha 0\.5/],
    ['addmv: a 2-D vec', () => m(2).addmv(m(2, 2), m(2, 1)), ShapeError, /^addmv: mat must be 2-D and vec 1-D, got \[2, 2\] and \[2, 1\]/],
    ['addmv: inner dims differ', () => m(2).addmv(m(2, 2), m(3)), ShapeError, /^addmv: inner dimensions differ: mat is \[2, 2\], vec is \[3\]/],
    ['baddbmm: batch sizes differ', () => m(2, 2).baddbmm(m(2, 2, 2), m(3, 2, 2)), ShapeError, /^baddbmm: batch sizes differ: batch1 is \[2, 2, 2\], batch2 is \[3, 2, 2\]/],
    ['baddbmm: a 2-D batch', () => m(2, 2).baddbmm(m(2, 2), m(2, 2, 2)), ShapeError, /^baddbmm: batch1 and batch2 must be 3-D, got \[2, 2\] and \[2, 2, 2\]/],
    ['addbmm: inner dims differ', () => m(2, 2).addbmm(m(1, 2, 3), m(1, 2, 2)), ShapeError, /^addbmm: inner dimensions differ: batch1 is \[1, 2, 3\], batch2 is \[1, 2, 2\]/],
    ['addbmm: beta not a number', () => m(2, 2).addbmm(m(1, 2, 2), m(1, 2, 2), { beta: NaN }), ValueError, /^addbmm: beta must be a number, got NaN/],
  ]);
});
