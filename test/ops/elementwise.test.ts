import * as sd from '../../src/index.js';
import { DTypeError, ShapeError, ValueError } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('elementwise', {
  add: ([a, b], o) => sd.add(a, b, o.alpha === undefined ? {} : { alpha: o.alpha }),
  add_scalar: ([a], o) => a.add(o.other),
  sub: ([a, b]) => sd.sub(a, b),
  rsub_scalar: ([a], o) => sd.sub(o.other, a),
  mul: ([a, b]) => a.mul(b),
  mul_scalar: ([a], o) => a.mul(o.other),
  div: ([a, b]) => a.div(b),
  div_scalar: ([a], o) => a.div(o.other),
  pow: ([a, b]) => a.pow(b),
  pow_scalar: ([a], o) => a.pow(o.exponent),
  rpow_scalar: ([a], o) => sd.pow(o.base, a),
  neg: ([a]) => a.neg(),
  maximum: ([a, b]) => sd.maximum(a, b),
  minimum: ([a, b]) => sd.minimum(a, b),
  atan2: ([a, b]) => sd.atan2(a, b),
  clamp: ([a], o) => a.clamp(o.min, o.max),
  clamp_tensor: ([a, lo, hi]) => a.clamp(lo.sub(1.5), hi.add(1.5)),
  exp: ([a]) => a.exp(),
  expm1: ([a]) => a.expm1(),
  log: ([a]) => a.log(),
  log1p: ([a]) => a.log1p(),
  sqrt: ([a]) => a.sqrt(),
  rsqrt: ([a]) => a.rsqrt(),
  abs: ([a]) => a.abs(),
  sign: ([a]) => a.sign(),
  sin: ([a]) => a.sin(),
  cos: ([a]) => a.cos(),
  erf: ([a]) => a.erf(),
  reciprocal: ([a]) => a.reciprocal(),
  square: ([a]) => a.square(),
  floor: ([a]) => a.floor(),
  ceil: ([a]) => a.ceil(),
  round: ([a]) => a.round(),
  trunc: ([a]) => a.trunc(),
});

const f64 = (shape: number[]) => sd.zeros(shape, { dtype: 'float64' });
checkErrors('elementwise', [
  ['add: shapes do not broadcast', () => sd.add(f64([2, 3]), f64([4])), ShapeError, /^add: .*\[2, 3\].*\[4\]/],
  ['mul: input not a tensor', () => sd.mul([1, 2] as never, 2), ValueError, /^mul: input must be a Tensor or a number, got an array/],
  ['add: two numbers', () => sd.add(1, 2), ValueError, /^add: at least one argument must be a Tensor, got two numbers/],
  ['add: alpha not a number', () => sd.add(f64([2]), f64([2]), { alpha: 'x' as never }), ValueError, /^add: alpha must be a number, got x/],
  ['pow: int tensor to a negative power', () => sd.pow(sd.zeros([2], { dtype: 'int32' }), -1), ValueError, /^pow: integer tensors cannot be raised to negative powers, got exponent -1/],
  ['clamp: no bounds', () => sd.clamp(f64([2])), ValueError, /^clamp: at least one of min and max must be given/],
  ['clamp: bool input', () => sd.clamp(sd.zeros([2], { dtype: 'bool' }), 0, 1), DTypeError, /^clamp: input must not be bool/],
  ['neg: bool input', () => sd.neg(sd.zeros([2], { dtype: 'bool' })), DTypeError, /^neg: input must not be bool, got dtype bool/],
  ['exp: input not a tensor', () => sd.exp(3 as never), ValueError, /^exp: input must be a Tensor, got number/],
]);
