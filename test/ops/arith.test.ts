import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ShapeError, ValueError } from '../../src/index.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('arith', {
  fmod: ([a, b]) => a.fmod(b),
  fmod_scalar: ([a], o) => sd.fmod(a, o.other),
  remainder: ([a, b]) => a.remainder(b),
  remainder_scalar: ([a], o) => a.remainder(o.other),
  floorDivide: ([a, b]) => a.floorDivide(b),
  floorDivide_scalar: ([a], o) => sd.floorDivide(a, o.other),
  hypot: ([a, b]) => a.hypot(b),
  copysign: ([a, b]) => a.copysign(b),
  copysign_scalar: ([a], o) => sd.copysign(a, o.other),
  lerp: ([a, b, w]) => a.lerp(b, w),
  lerp_scalar: ([a, b], o) => sd.lerp(a, b, o.weight),
  addcmul: ([a, b, c], o) => (o.value === undefined ? a.addcmul(b, c) : sd.addcmul(a, b, c, { value: o.value })),
  addcdiv: ([a, b, c], o) => (o.value === undefined ? a.addcdiv(b, c) : a.addcdiv(b, c, { value: o.value })),
  frac: ([a]) => a.frac(),
  sgn: ([a]) => a.sgn(),
  isfinite: ([a]) => a.isfinite(),
  nanToNum: ([a], o) => (o.nan === undefined ? a.nanToNum() : a.nanToNum({ nan: o.nan, posinf: o.posinf, neginf: o.neginf })),
  clip: ([a], o) => a.clip(o.min, o.max),
});

const f = (v: number[]) => sd.tensor(v, { dtype: 'float64' });
const i = (v: number[]) => sd.tensor(v, { dtype: 'int32' });

describe('arith: bad input', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const any = (v: unknown) => v as any;
  const bad: [string, () => unknown, typeof ValueError, RegExp][] = [
    ['integer fmod by zero', () => sd.fmod(i([1, 2]), i([1, 0])), ValueError, /^fmod: integer division by zero: other has a zero element$/],
    ['integer remainder by a zero number', () => sd.remainder(i([1, 2]), 0), ValueError, /^remainder: integer division by zero/],
    ['integer floor division by zero', () => sd.floorDivide(i([4]), i([0])), ValueError, /^floorDivide: integer division by zero/],
    ['remainder of two bool tensors', () => sd.remainder(sd.tensor([true]), sd.tensor([true])), DTypeError, /^remainder: inputs must not both be bool, got dtype bool$/],
    ['fmod of shapes that do not broadcast', () => sd.fmod(f([1, 2]), f([1, 2, 3])), ShapeError, /^fmod: .*\[2\].*\[3\]/],
    ['hypot of a string', () => sd.hypot(f([1]), any('x')), ValueError, /^hypot: other must be a Tensor or a number, got string$/],
    ['copysign of two numbers', () => sd.copysign(any(1), any(2)), ValueError, /^copysign: at least one argument must be a Tensor, got two numbers$/],
    ['lerp of integer tensors', () => sd.lerp(i([1]), i([2]), 0.5), DTypeError, /^lerp: input must be a floating-point tensor, got dtype int32$/],
    ['lerp of mixed dtypes', () => sd.lerp(f([1]), sd.tensor([2], { dtype: 'float32' }), 0.5), DTypeError, /^lerp: end must have the input's dtype float64, got dtype float32$/],
    ['lerp with a weight of another dtype', () => sd.lerp(f([1]), f([2]), sd.tensor([0.5], { dtype: 'float32' })), DTypeError, /^lerp: weight must have the input's dtype float64, got dtype float32$/],
    ['lerp with a NaN weight', () => sd.lerp(f([1]), f([2]), NaN), ValueError, /^lerp: weight must be a number, got NaN$/],
    ['lerp of shapes that do not broadcast', () => sd.lerp(f([1, 2]), f([1, 2, 3]), 0.5), ShapeError, /^lerp: /],
    ['lerp without end', () => sd.lerp(f([1]), any(undefined), 0.5), ValueError, /^lerp: end must be a Tensor, got undefined$/],
    ['addcmul of a number', () => sd.addcmul(f([1]), any(2), f([3])), ValueError, /^addcmul: tensor1 must be a Tensor, got number$/],
    ['addcmul with a string value', () => sd.addcmul(f([1]), f([2]), f([3]), { value: any('2') }), ValueError, /^addcmul: value must be a number, got 2$/],
    ['addcmul of shapes that do not broadcast', () => sd.addcmul(f([1, 2]), f([1, 2, 3]), f([1])), ShapeError, /^addcmul: /],
    ['addcdiv of integer tensors', () => sd.addcdiv(f([1]), i([1]), i([2])), DTypeError, /^addcdiv: integer division is not supported: tensor1 int32, tensor2 int32/],
    ['addcdiv of shapes that do not broadcast', () => sd.addcdiv(f([1]), f([1, 2]), f([1, 2, 3])), ShapeError, /^addcdiv: /],
    ['frac of an integer tensor', () => sd.frac(i([1])), DTypeError, /^frac: input must be a floating-point tensor, got dtype int32$/],
    ['isfinite of an array', () => sd.isfinite(any([1])), ValueError, /^isfinite: input must be a Tensor, got an array$/],
    ['nanToNum with a NaN replacement', () => sd.nanToNum(f([1]), { nan: NaN }), ValueError, /^nanToNum: nan must be a number, got NaN$/],
    ['nanToNum with a string posinf', () => sd.nanToNum(f([1]), { posinf: any('big') }), ValueError, /^nanToNum: posinf must be a number, got big$/],
    ['clip without bounds', () => sd.clip(f([1])), ValueError, /^clamp: at least one of min and max must be given$/],
  ];
  for (const [name, fn, cls, re] of bad) {
    test(name, () => assert.throws(fn, (e: unknown) => e instanceof cls && re.test((e as Error).message)));
  }
});

describe('arith: semantics', () => {
  test('a = b * floorDivide(a, b) + remainder(a, b), for floats and integers of both signs', () => {
    for (const [a, b] of [[f([7.5, -7.5, 7.5, -7.5, 1e-3]), f([2, 2, -2, -2, -0.7])], [i([7, -7, 7, -7]), i([2, 2, -2, -2])]]) {
      const back = sd.floorDivide(a, b).mul(b).add(sd.remainder(a, b));
      assert.ok(sd.allclose(back.double(), a.double(), { rtol: 1e-15, atol: 1e-15 }));
    }
    assert.equal(sd.floorDivide(i([-7]), i([2])).dtype, 'int32');
  });
  test('floorDivide is left out of the graph', () => {
    const a = f([3, 4]).requiresGrad_();
    assert.equal(sd.floorDivide(a, 2).requiresGrad, false);
  });
  test('copysign takes the sign bit of -0', () => {
    const y = sd.copysign(f([1, 0]), f([-0, -0])).toArray() as number[];
    assert.ok(Object.is(y[0], -1) && Object.is(y[1], -0));
  });
  test('lerp with weight 1 gives end exactly', () => {
    const a = f([0.1, 1e10]);
    const b = f([0.3, -7.7]);
    assert.deepEqual(sd.lerp(a, b, 1).toArray(), [0.3, -7.7]);
    assert.deepEqual(sd.lerp(a, b, f([1, 1])).toArray(), [0.3, -7.7]);
  });
  test('clip is clamp', () => {
    const x = f([-2, 0.5, 3]);
    assert.deepEqual(sd.clip(x, -1, 1).toArray(), sd.clamp(x, -1, 1).toArray());
  });
});
