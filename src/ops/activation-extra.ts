/**
 * More activation functions, as torch.nn.functional has them: hardtanh relu6 silu mish selu celu softsign
 * hardsigmoid hardswish logsigmoid softmin glu threshold tanhshrink softshrink hardshrink prelu rrelu. Each is
 * composed from primitives; piecewise ones select with `where`, so the gradient at each kink is the one PyTorch
 * gives (hardtanh's is 0 at the bounds, unlike clamp's). Shapes are unchanged except glu's, which halves `dim`.
 * Math-valued ones compute integer inputs in float32; hardtanh, relu6 and threshold keep integer dtypes.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { rand } from '../tensor/creation.js';
import { DEFAULT_FLOAT, isFloating, promoteWithScalar } from '../tensor/dtype.js';
import type { Generator } from '../tensor/random.js';
import { normDim } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { elu, softmax } from './activation.js';
import { checkNumber, checkTensor } from './util.js';

function asFloat(op: string, x: Tensor): Tensor {
  checkTensor(op, x);
  return isFloating(x.dtype) ? x : P.cast(x, DEFAULT_FLOAT);
}

const num = (v: number, like: Tensor): Tensor => P.scalarOf(v, like.dtype, like);
const lt = (a: Tensor, v: number): Tensor => P.binary('lt', P.detach(a), num(v, a));
const le = (a: Tensor, v: number): Tensor => P.binary('le', P.detach(a), num(v, a));
const gt = (a: Tensor, v: number): Tensor => P.binary('gt', P.detach(a), num(v, a));
const ge = (a: Tensor, v: number): Tensor => P.binary('ge', P.detach(a), num(v, a));

/** Clamps to [minVal, maxVal] (defaults -1, 1) with the gradient 0 at and beyond the bounds, as PyTorch's. */
export function hardtanh(x: Tensor, opts: { minVal?: number; maxVal?: number } = {}): Tensor {
  return clampStrict('hardtanh', x, opts.minVal ?? -1, opts.maxVal ?? 1);
}

function clampStrict(op: string, x: Tensor, lo: number, hi: number): Tensor {
  checkTensor(op, x);
  if (x.dtype === 'bool') throw new DTypeError(`${op}: input must not be bool, got dtype bool`);
  checkNumber(op, lo, 'minVal');
  checkNumber(op, hi, 'maxVal');
  if (lo > hi) throw new ValueError(`${op}: minVal must be <= maxVal, got minVal ${lo} and maxVal ${hi}`);
  const z = P.cast(x, promoteWithScalar(promoteWithScalar(x.dtype, lo), hi));
  return P.where(le(z, lo), num(lo, z), P.where(ge(z, hi), num(hi, z), z));
}

/** `min(max(x, 0), 6)` (hardtanh with bounds 0 and 6). */
export const relu6 = (x: Tensor): Tensor => clampStrict('relu6', x, 0, 6);

/** The sigmoid-weighted linear unit (swish) `x * sigmoid(x)`. */
export function silu(x: Tensor): Tensor {
  const z = asFloat('silu', x);
  return P.binary('mul', z, P.unary('sigmoid', z));
}

/** Mish, `x * tanh(softplus(x))` (Misra 2019). */
export function mish(x: Tensor): Tensor {
  const z = asFloat('mish', x);
  return P.binary('mul', z, P.unary('tanh', P.unary('softplus', z, { p: 1, q: 20 })));
}

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/** The scaled exponential linear unit `scale * elu(x, alpha)` with Klambauer et al.'s constants. */
export function selu(x: Tensor): Tensor {
  const z = asFloat('selu', x);
  return P.binary('mul', elu(z, SELU_ALPHA), num(SELU_SCALE, z));
}

/** `x` for x > 0, else `alpha * (exp(x / alpha) - 1)` (default alpha 1; alpha must be nonzero). */
export function celu(x: Tensor, opts: { alpha?: number } = {}): Tensor {
  const z = asFloat('celu', x);
  const alpha = checkNumber('celu', opts.alpha ?? 1, 'alpha');
  if (alpha === 0) throw new ValueError('celu: alpha must be nonzero, got 0');
  const neg = P.binary('mul', num(alpha, z), P.unary('expm1', P.binary('div', z, num(alpha, z))));
  return P.where(gt(z, 0), z, neg);
}

/** `x / (1 + |x|)`. */
export function softsign(x: Tensor): Tensor {
  const z = asFloat('softsign', x);
  return P.binary('div', z, P.binary('add', num(1, z), P.unary('abs', z)));
}

/** The piecewise-linear sigmoid: 0 for x <= -3, 1 for x >= 3, `x / 6 + 1/2` between. */
export function hardsigmoid(x: Tensor): Tensor {
  const z = asFloat('hardsigmoid', x);
  const mid = P.binary('add', P.binary('div', z, num(6, z)), num(0.5, z));
  return P.where(le(z, -3), num(0, z), P.where(ge(z, 3), num(1, z), mid));
}

/** `x * hardsigmoid(x)` (MobileNetV3): 0 below -3, x above 3, `x (x + 3) / 6` between. */
export function hardswish(x: Tensor): Tensor {
  const z = asFloat('hardswish', x);
  const mid = P.binary('div', P.binary('mul', z, P.binary('add', z, num(3, z))), num(6, z));
  // the middle piece includes both ends, where PyTorch's gradient takes its slope (-1/2 at -3, 3/2 at 3)
  return P.where(lt(z, -3), num(0, z), P.where(le(z, 3), mid, z));
}

/** `log(sigmoid(x))`, computed as `min(x, 0) - log1p(exp(-|x|))` so that it is finite for any x. */
export function logsigmoid(x: Tensor): Tensor {
  const z = asFloat('logsigmoid', x);
  const tail = P.unary('log1p', P.unary('exp', P.unary('neg', P.unary('abs', z))));
  return P.binary('sub', P.binary('minimum', z, num(0, z)), tail);
}

/** `softmax(-x)` along `dim`. */
export function softmin(x: Tensor, dim: number): Tensor {
  checkTensor('softmin', x);
  if (!isFloating(x.dtype)) throw new DTypeError(`softmin: input must be a floating-point tensor, got dtype ${x.dtype}`);
  if (dim === undefined || dim === null) throw new ValueError(`softmin: dim is required, got ${String(dim)}`);
  return softmax(P.unary('neg', x), normDim('softmin', dim, x.ndim));
}

/** The gated linear unit: x split in halves a, b along `dim` (default -1) gives `a * sigmoid(b)`, half as long. */
export function glu(x: Tensor, dim = -1): Tensor {
  const z = asFloat('glu', x);
  if (z.ndim === 0) throw new ShapeError('glu: input must have at least 1 dim, got shape []');
  const d = normDim('glu', dim, z.ndim);
  const n = z.shape[d];
  if (n % 2 !== 0) throw new ShapeError(`glu: dim ${d} must have an even size to be halved, got shape ${fmtShape(z.shape)}`);
  const half = (k: number) => P.slice(z, z.shape.map((s, j) => (j === d ? { start: k * (n / 2), step: 1, size: n / 2 } : { start: 0, step: 1, size: s })));
  return P.binary('mul', half(0), P.unary('sigmoid', half(1)));
}

/** `x` where x > threshold, else `value` (the gradient is 0 there). */
export function threshold(x: Tensor, threshold: number, value: number): Tensor {
  checkTensor('threshold', x);
  if (x.dtype === 'bool') throw new DTypeError('threshold: input must not be bool, got dtype bool');
  checkNumber('threshold', threshold, 'threshold');
  checkNumber('threshold', value, 'value');
  const z = P.cast(x, promoteWithScalar(promoteWithScalar(x.dtype, threshold), value));
  return P.where(le(z, threshold), num(value, z), z);
}

/** `x - tanh(x)`. */
export function tanhshrink(x: Tensor): Tensor {
  const z = asFloat('tanhshrink', x);
  return P.binary('sub', z, P.unary('tanh', z));
}

/** Shrinks toward 0 by `lambd` (default 0.5, >= 0): `x - lambd` above lambd, `x + lambd` below -lambd, else 0. */
export function softshrink(x: Tensor, opts: { lambd?: number } = {}): Tensor {
  const z = asFloat('softshrink', x);
  const l = checkNumber('softshrink', opts.lambd ?? 0.5, 'lambd');
  if (l < 0) throw new ValueError(`softshrink: lambd must be >= 0, got ${l}`);
  const inner = P.where(lt(z, -l), P.binary('add', z, num(l, z)), num(0, z));
  return P.where(gt(z, l), P.binary('sub', z, num(l, z)), inner);
}

/** `x` where |x| > lambd (default 0.5), else 0. */
export function hardshrink(x: Tensor, opts: { lambd?: number } = {}): Tensor {
  const z = asFloat('hardshrink', x);
  const l = checkNumber('hardshrink', opts.lambd ?? 0.5, 'lambd');
  return P.where(P.binary('logicalAnd', ge(z, -l), le(z, l)), num(0, z), z);
}

/**
 * Parametric ReLU: `x` for x > 0, else `weight * x`. `weight` holds one slope (shared) or one per channel
 * (dim 1 of x, or 1 for a 1-D x), as torch.nn.functional.prelu; its dtype must be x's.
 */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  checkTensor('prelu', x);
  checkTensor('prelu', weight, 'weight');
  if (!isFloating(x.dtype)) throw new DTypeError(`prelu: input must be a floating-point tensor, got dtype ${x.dtype}`);
  if (weight.dtype !== x.dtype) throw new DTypeError(`prelu: weight must have the input's dtype ${x.dtype}, got dtype ${weight.dtype}`);
  const k = weight.numel();
  let w = P.reshape(weight, []);
  if (k !== 1) {
    if (x.ndim === 0) throw new ShapeError(`prelu: a 0-d input takes one slope, got weight of shape ${fmtShape(weight.shape)}`);
    const channels = x.ndim > 1 ? x.shape[1] : 1;
    if (k !== channels) {
      throw new ShapeError(`prelu: weight must have 1 or ${channels} (channel count) elements, got ${k} (weight ${fmtShape(weight.shape)}, input ${fmtShape(x.shape)})`);
    }
    w = P.reshape(weight, x.shape.map((s, d) => (d === 1 ? s : 1)));
  }
  return P.where(gt(x, 0), x, P.binary('mul', w, x));
}

/** Options of `rrelu`. */
export interface RreluOptions {
  /** Lower bound of the random negative slope (default 1/8). */
  lower?: number;
  /** Upper bound of the random negative slope (default 1/3). */
  upper?: number;
  /** Draw a slope per element (true) or use the fixed (lower + upper) / 2 (false, the default, as PyTorch). */
  training?: boolean;
  /** Generator for the slopes (default: the global one). */
  generator?: Generator;
}

/**
 * Randomized leaky ReLU (Xu et al. 2015): `x` for x >= 0, else `a * x`. In training each element draws its own
 * slope a ~ U(lower, upper) from the seeded generator; otherwise a = (lower + upper) / 2.
 */
export function rrelu(x: Tensor, opts: RreluOptions = {}): Tensor {
  const z = asFloat('rrelu', x);
  const lower = checkNumber('rrelu', opts.lower ?? 1 / 8, 'lower');
  const upper = checkNumber('rrelu', opts.upper ?? 1 / 3, 'upper');
  if (lower > upper) throw new ValueError(`rrelu: lower must be <= upper, got lower ${lower} and upper ${upper}`);
  if (!(opts.training ?? false)) return P.unary('leakyRelu', z, { p: (lower + upper) / 2 });
  const u = rand(z.shape, { dtype: z.dtype, generator: opts.generator });
  const slope = P.binary('add', num(lower, z), P.binary('mul', u, num(upper - lower, z)));
  return P.binary('mul', z, P.where(le(z, 0), slope, num(1, z)));
}
