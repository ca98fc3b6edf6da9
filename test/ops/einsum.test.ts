import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ShapeError, ValueError } from '../../src/index.js';
import { checkBadInputs } from '../helpers/bad-inputs.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('einsum', {
  einsum: (xs, o) => sd.einsum(o.equation, ...xs),
  tensordot: ([a, b], o) => sd.tensordot(a, b, o.dims),
});

const m = (...shape: number[]) => sd.arange(0, shape.reduce((a, b) => a * b, 1), 1, { dtype: 'float64' }).reshape(shape);

describe('einsum: forms', () => {
  test('operands may come as one array; a diagonal is a view', () => {
    const a = m(2, 3);
    const b = m(3, 2);
    assert.deepEqual(sd.einsum('ij,jk', [a, b]).toArray(), sd.matmul(a, b).toArray());
    const x = m(3, 3);
    assert.equal(sd.einsum('ii->i', x).storage, x.storage);
  });
});

describe('einsum: bad inputs', () => {
  checkBadInputs([
    ['einsum: too few operands', () => sd.einsum('ij,jk', m(2, 2)), ValueError, /^einsum: the equation has 2 operands but 1 tensors were given/],
    ['einsum: a bad character', () => sd.einsum('i1->i', m(2, 2)), ValueError, /^einsum: invalid subscript '1' in operand 0; use letters a-z, A-Z and '\.\.\.'/],
    ['einsum: too many subscripts', () => sd.einsum('ijk', m(2, 2)), ShapeError, /^einsum: operand 0 has 2 dims \(shape \[2, 2\]\) but its subscripts 'ijk' name 3/],
    ['einsum: too few subscripts', () => sd.einsum('i', m(2, 2)), ShapeError, /^einsum: operand 0 has 2 dims \(shape \[2, 2\]\) but its subscripts 'i' name 1/],
    ['einsum: two ellipses', () => sd.einsum('...i...', m(2, 2)), ValueError, /^einsum: operand 0 has more than one '\.\.\.'/],
    ['einsum: an unknown output subscript', () => sd.einsum('ij->k', m(2, 2)), ValueError, /^einsum: output subscript 'k' does not appear in the operands/],
    ['einsum: a repeated output subscript', () => sd.einsum('ij->ii', m(2, 2)), ValueError, /^einsum: output subscript 'i' appears more than once/],
    ['einsum: sizes that differ', () => sd.einsum('ij,jk', m(2, 3), m(2, 2)), ShapeError, /^einsum: subscript 'j' has size 3 in an earlier operand but 2 in operand 1 \(shape \[2, 2\]\)/],
    ['einsum: a diagonal of unequal sizes', () => sd.einsum('ii', m(2, 3)), ShapeError, /^einsum: subscript 'i' is repeated in operand 0 but its sizes differ: 2 and 3/],
    ['einsum: two arrows', () => sd.einsum('i->i->i', m(2)), ValueError, /^einsum: the equation may hold one '->'/],
    ['einsum: mixed dtypes', () => sd.einsum('i,i', m(2), sd.ones([2])), DTypeError, /^einsum: every operand must have the same dtype: operands\[1\] is float32, operands\[0\] is float64/],
    ['einsum: no operands', () => sd.einsum('i'), ValueError, /^einsum: expected at least one operand/],
    ['tensordot: sizes that differ', () => sd.tensordot(m(2, 3), m(2, 3), 1), ShapeError, /^tensordot: contracted dims differ in size: a dim 1 is 3, b dim 0 is 2/],
    ['tensordot: too many dims', () => sd.tensordot(m(2, 3), m(3), 2), ShapeError, /^tensordot: cannot contract 2 dims of tensors of shapes \[2, 3\] and \[3\]/],
    ['tensordot: lists of different lengths', () => sd.tensordot(m(2, 3), m(3, 2), [[0, 1], [1]]), ValueError, /^tensordot: dimsA and dimsB must have the same length, got 2 and 1/],
    ['tensordot: a dim out of range', () => sd.tensordot(m(2, 3), m(3, 2), [[2], [0]]), ValueError, /^tensordot: dims must be an integer in \[-2, 1\] for a 2-D tensor, got 2/],
    ['tensordot: mixed dtypes', () => sd.tensordot(m(2), sd.ones([2]), 1), DTypeError, /^tensordot: a and b must have the same dtype, got float64 and float32/],
  ]);
});
