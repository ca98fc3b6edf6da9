/**
 * The core of the differentiable primitives: elementwise ops, reductions and scans, views and copies. Their
 * vector-Jacobian products are written with one another (a sum's gradient is an expand, an expand's a sum), so they
 * live together; the primitives built on top of them are in primitives-linear.ts and primitives-index.ts, and
 * primitives.ts gathers all of them into the one table of gradients.
 * @module
 */
import type { BinaryOp, DType, ReduceOp, ScanOp, UnaryOp, View } from '../backend/types.js';
import { backendNamed } from '../backend/registry.js';
import { assertNever } from '../errors.js';
import { contiguousStrides, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { isGradEnabled } from './grad-mode.js';
import { record } from './node.js';

/** The backend that owns a tensor's storage. */
export function backendOf(t: View) {
  return backendNamed(t.storage.backend);
}

/** A contiguous tensor of `shape` filled with `value`, on the named backend. */
export function filled(shape: readonly number[], value: number, dtype: DType, backend: string): Tensor {
  return new Tensor(backendNamed(backend).fill(sizeOf(shape), dtype, value), shape);
}

/** A contiguous tensor of `shape` holding a copy of `data`, on the named backend. */
export function fromHost(data: ArrayLike<number>, shape: readonly number[], dtype: DType, backend: string): Tensor {
  return new Tensor(backendNamed(backend).fromData(data, dtype), shape);
}

/** A 0-d tensor holding `value`, on the same backend as `like`. */
export function scalarOf(value: number, dtype: DType, like: View): Tensor {
  return filled([], value, dtype, like.storage.backend);
}

/** Zeros shaped, typed and placed like `like`. */
export function zerosOf(like: Tensor): Tensor {
  return filled(like.shape, 0, like.dtype, like.device);
}

/** A stride-0 view of `x` broadcast to `shape` (not recorded; for forward passes only). */
function broadcastView(x: Tensor, shape: readonly number[]): Tensor {
  const lead = shape.length - x.ndim;
  const strides = shape.map((s, d) => (d < lead || x.shape[d - lead] !== s ? 0 : x.strides[d - lead]));
  return new Tensor(x.storage, shape, strides, x.offset);
}

function broadcastPair(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const da = a[a.length - n + i] ?? 1;
    return da === 1 ? (b[b.length - n + i] ?? 1) : da;
  });
}

// ---- elementwise ---------------------------------------------------------------------------------------

type UnaryVjp = (x: Tensor, y: Tensor, g: Tensor, p: number, q: number) => Tensor | null;

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Gradient of each unary op with respect to its input; null for ops whose gradient is zero everywhere. */
const UNARY_VJP: Record<UnaryOp, UnaryVjp> = {
  neg: (_x, _y, g) => unary('neg', g),
  abs: (x, _y, g) => mul(g, unary('sign', x)),
  sign: () => null,
  exp: (_x, y, g) => mul(g, y),
  expm1: (_x, y, g) => mul(g, addScalar(y, 1)),
  log: (x, _y, g) => div(g, x),
  log1p: (x, _y, g) => div(g, addScalar(x, 1)),
  sqrt: (_x, y, g) => div(g, mulScalar(y, 2)),
  rsqrt: (_x, y, g) => mul(g, mulScalar(unary('powScalar', y, { p: 3 }), -0.5)),
  reciprocal: (_x, y, g) => mul(g, unary('neg', unary('square', y))),
  square: (x, _y, g) => mul(g, mulScalar(x, 2)),
  sin: (x, _y, g) => mul(g, unary('cos', x)),
  cos: (x, _y, g) => mul(g, unary('neg', unary('sin', x))),
  tanh: (_x, y, g) => mul(g, rsubScalar(1, unary('square', y))),
  sigmoid: (_x, y, g) => mul(g, mul(y, rsubScalar(1, y))),
  relu: (x, _y, g) => binary('maskPositive', g, x),
  // one backend pass (Kernels.leakyReluBackward) unless the gradient must itself be differentiable
  leakyRelu: (x, _y, g, p) => (isGradEnabled()
    ? mul(g, where(binary('gt', x, scalarOf(0, x.dtype, x)), scalarOf(1, g.dtype, g), scalarOf(p, g.dtype, g)))
    : new Tensor(backendOf(g).leakyReluBackward(x, g, p), g.shape)),
  elu: (x, y, g, p) => mul(g, where(binary('gt', x, scalarOf(0, x.dtype, x)), scalarOf(1, g.dtype, g), addScalar(y, p))),
  softplus: (x, _y, g, p, q) => {
    const bx = mulScalar(x, p);
    return mul(g, where(binary('gt', bx, scalarOf(q, x.dtype, x)), scalarOf(1, g.dtype, g), unary('sigmoid', bx)));
  },
  gelu: (x, _y, g) => {
    const cdf = mulScalar(addScalar(unary('erf', mulScalar(x, Math.SQRT1_2)), 1), 0.5);
    const pdf = mulScalar(unary('exp', mulScalar(unary('square', x), -0.5)), 1 / SQRT_2PI);
    return mul(g, binary('add', cdf, mul(x, pdf)));
  },
  erf: (x, _y, g) => mul(g, mulScalar(unary('exp', unary('neg', unary('square', x))), 2 / Math.sqrt(Math.PI))),
  floor: () => null,
  ceil: () => null,
  round: () => null,
  trunc: () => null,
  clamp: (x, _y, g, p, q) => {
    const inside = binary('logicalAnd', binary('ge', x, scalarOf(p, x.dtype, x)), binary('le', x, scalarOf(q, x.dtype, x)));
    return mul(g, cast(inside, g.dtype));
  },
  powScalar: (x, _y, g, p) => (p === 0 ? zerosOf(g) : mul(g, mulScalar(unary('powScalar', x, { p: p - 1 }), p))),
  logicalNot: () => null,
  isnan: () => null,
  isinf: () => null,
  // trigonometric, hyperbolic, bases, special functions; lgamma' = digamma, psi^(n)' = psi^(n+1)
  tan: (_x, y, g) => mul(g, addScalar(unary('square', y), 1)),
  asin: (x, _y, g) => mul(g, unary('rsqrt', rsubScalar(1, unary('square', x)))),
  acos: (x, _y, g) => mul(g, unary('neg', unary('rsqrt', rsubScalar(1, unary('square', x))))),
  atan: (x, _y, g) => div(g, addScalar(unary('square', x), 1)),
  sinh: (x, _y, g) => mul(g, unary('cosh', x)),
  cosh: (x, _y, g) => mul(g, unary('sinh', x)),
  asinh: (x, _y, g) => mul(g, unary('rsqrt', addScalar(unary('square', x), 1))),
  acosh: (x, _y, g) => mul(g, unary('rsqrt', addScalar(unary('square', x), -1))),
  atanh: (x, _y, g) => div(g, rsubScalar(1, unary('square', x))),
  log2: (x, _y, g) => div(g, mulScalar(x, Math.LN2)),
  log10: (x, _y, g) => div(g, mulScalar(x, Math.LN10)),
  exp2: (_x, y, g) => mul(g, mulScalar(y, Math.LN2)),
  erfc: (x, _y, g) => mul(g, mulScalar(unary('exp', unary('neg', unary('square', x))), -2 / Math.sqrt(Math.PI))),
  erfinv: (_x, y, g) => mul(g, mulScalar(unary('exp', unary('square', y)), Math.sqrt(Math.PI) / 2)),
  lgamma: (x, _y, g) => mul(g, unary('digamma', x)),
  digamma: (x, _y, g) => mul(g, unary('polygamma', x, { p: 1 })),
  polygamma: (x, _y, g, p) => mul(g, unary('polygamma', x, { p: p + 1 })),
};

/** Elementwise unary op; `dtype` defaults to the input's, `p`/`q` are the op's parameters. */
export function unary(op: UnaryOp, x: Tensor, opts: { dtype?: DType; p?: number; q?: number } = {}): Tensor {
  const dtype = opts.dtype ?? x.dtype;
  const p = opts.p ?? 0;
  const q = opts.q ?? 0;
  const y = new Tensor(backendOf(x).unary(op, x, dtype, p, q), x.shape);
  if (dtype !== 'float32' && dtype !== 'float64') return y;
  const name = op[0].toUpperCase() + op.slice(1) + 'Backward';
  return record(y, name, [x], (g) => [UNARY_VJP[op](x, y, g, p, q)], [x, y]);
}

const NO_GRAD_BINARY = new Set<BinaryOp>(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr', 'logicalXor']);

/**
 * Elementwise binary op with broadcasting. Arithmetic ops take two tensors of one dtype and keep it;
 * comparisons and logical ops give bool and are not differentiable.
 */
export function binary(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastPair(a.shape, b.shape);
  const dtype = NO_GRAD_BINARY.has(op) ? 'bool' : a.dtype;
  const y = new Tensor(backendOf(a).binary(op, broadcastView(a, shape), broadcastView(b, shape), dtype), shape);
  if (NO_GRAD_BINARY.has(op)) return y;
  const name = op[0].toUpperCase() + op.slice(1) + 'Backward';
  return record(y, name, [a, b], (g) => {
    let ga: Tensor | null = null;
    let gb: Tensor | null = null;
    const needA = a.requiresGrad;
    const needB = b.requiresGrad;
    switch (op) {
      // a - q b with q = trunc(a / b) or floor(a / b), piecewise constant; floor division itself is flat
      case 'fmod': ga = g; gb = needB ? unary('neg', mul(g, unary('trunc', div(a, b)))) : null; break;
      case 'remainder': ga = g; gb = needB ? unary('neg', mul(g, binary('floorDivide', a, b))) : null; break;
      case 'floorDivide': break;
      case 'hypot': ga = needA ? mul(g, div(a, y)) : null; gb = needB ? mul(g, div(b, y)) : null; break;
      case 'copysign': {
        // y / a is the sign picked for |a|; 0 where a = 0, as PyTorch's copysign backward
        if (needA) ga = mul(g, where(binary('eq', a, scalarOf(0, a.dtype, a)), scalarOf(0, g.dtype, g), div(y, a)));
        break;
      }
      case 'add': ga = g; gb = g; break;
      case 'sub': ga = g; gb = needB ? unary('neg', g) : null; break;
      case 'mul': ga = needA ? mul(g, b) : null; gb = needB ? mul(g, a) : null; break;
      case 'div':
        ga = needA ? div(g, b) : null;
        gb = needB ? unary('neg', div(mul(g, y), b)) : null;
        break;
      case 'pow': {
        const zero = scalarOf(0, a.dtype, a);
        if (needA) {
          const d = mul(b, binary('pow', a, binary('sub', b, scalarOf(1, b.dtype, b))));
          ga = mul(g, where(binary('eq', b, zero), zero, d));
        }
        if (needB) {
          const d = mul(y, unary('log', a));
          gb = mul(g, where(binary('logicalAnd', binary('eq', a, zero), binary('ge', b, zero)), zero, d));
        }
        break;
      }
      case 'maximum':
      case 'minimum': {
        const half = mulScalar(cast(binary('eq', a, b), g.dtype), 0.5);
        const winA = cast(binary(op === 'maximum' ? 'gt' : 'lt', a, b), g.dtype);
        const winB = cast(binary(op === 'maximum' ? 'lt' : 'gt', a, b), g.dtype);
        ga = needA ? mul(g, binary('add', winA, half)) : null;
        gb = needB ? mul(g, binary('add', winB, half)) : null;
        break;
      }
      case 'atan2': {
        const den = binary('add', unary('square', a), unary('square', b));
        ga = needA ? div(mul(g, b), den) : null;
        gb = needB ? unary('neg', div(mul(g, a), den)) : null;
        break;
      }
      // b > 0 ? a : 0 is linear in a and flat in b
      case 'maskPositive': ga = needA ? binary('maskPositive', g, b) : null; break;
      // comparisons and logical ops return before recording (NO_GRAD_BINARY); listed so the switch is exhaustive
      case 'eq': case 'ne': case 'lt': case 'le': case 'gt': case 'ge': case 'logicalAnd': case 'logicalOr': case 'logicalXor':
        break;
      default:
        assertNever(op, 'binary op');
    }
    return [ga && sumTo(ga, a.shape), gb && sumTo(gb, b.shape)];
  }, savedByBinary(op, a, b, y));
}

/** The values a binary op's vjp reads (PyTorch's choice: a product saves each factor only for the other's gradient). */
function savedByBinary(op: BinaryOp, a: Tensor, b: Tensor, y: Tensor): Tensor[] {
  if (op === 'add' || op === 'sub') return [];
  if (op === 'mul') return [...(a.requiresGrad ? [b] : []), ...(b.requiresGrad ? [a] : [])];
  if (op === 'div') return [b, ...(b.requiresGrad ? [y] : [])];
  if (op === 'maskPositive') return [b];
  return [a, b, y];
}

/** a * b elementwise (recorded). */
export function mul(a: Tensor, b: Tensor): Tensor {
  return binary('mul', a, b);
}
function div(a: Tensor, b: Tensor): Tensor {
  return binary('div', a, b);
}
function mulScalar(a: Tensor, s: number): Tensor {
  return binary('mul', a, scalarOf(s, a.dtype, a));
}
function addScalar(a: Tensor, s: number): Tensor {
  return binary('add', a, scalarOf(s, a.dtype, a));
}
function rsubScalar(s: number, a: Tensor): Tensor {
  return binary('sub', scalarOf(s, a.dtype, a), a);
}

/** `cond ? a : b` elementwise with broadcasting; `a` and `b` share a dtype, `cond` is bool. */
export function where(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastPair(broadcastPair(cond.shape, a.shape), b.shape);
  const s = backendOf(a).where(broadcastView(cond, shape), broadcastView(a, shape), broadcastView(b, shape), a.dtype);
  const y = new Tensor(s, shape);
  return record(y, 'WhereBackward', [a, b], (g) => {
    const zero = scalarOf(0, g.dtype, g);
    return [
      a.requiresGrad ? sumTo(where(cond, g, zero), a.shape) : null,
      b.requiresGrad ? sumTo(where(cond, zero, g), b.shape) : null,
    ];
  }, [cond]);
}

/** Converts to another dtype; differentiable between float dtypes. */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const y = new Tensor(backendOf(x).copy(x, dtype), x.shape);
  if (dtype !== 'float32' && dtype !== 'float64') return y;
  return record(y, 'ToCopyBackward', [x], (g) => [cast(g, x.dtype)], []);
}

/** A view of the same data cut off from the graph. */
export function detach(x: Tensor): Tensor {
  return new Tensor(x.storage, x.shape, x.strides, x.offset);
}

/** A row-major copy (identity for gradients). */
export function copy(x: Tensor): Tensor {
  const y = new Tensor(backendOf(x).copy(x, x.dtype), x.shape);
  return record(y, 'CloneBackward', [x], (g) => [g], []);
}

// ---- reductions and scans ------------------------------------------------------------------------------

function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((s, d) => (axes.includes(d) ? 1 : s));
}

/** Sum, max or min over `axes` (sorted, distinct); max/min share the gradient among ties, as PyTorch's amax. */
export function reduce(op: 'sum' | 'max' | 'min', x: Tensor, axes: readonly number[], keepdim: boolean, dtype: DType = x.dtype): Tensor {
  const keep = keptShape(x.shape, axes);
  const outShape = keepdim ? keep : x.shape.filter((_, d) => !axes.includes(d));
  const y = new Tensor(backendOf(x).reduce(op, x, axes, dtype), outShape);
  const name = ({ sum: 'SumBackward', max: 'AmaxBackward', min: 'AminBackward' } as const satisfies Record<typeof op, string>)[op];
  return record(y, name, [x], (g) => {
    const gk = reshape(g, keep);
    if (op === 'sum') return [expand(gk, x.shape)];
    const mask = cast(binary('eq', x, reshape(y, keep)), g.dtype);
    const count = reduce('sum', mask, axes, true);
    return [mul(div(gk, count), mask)];
  }, op === 'sum' ? [] : [x, y]);
}

/** Index-valued or product reductions, not recorded: argmax, argmin (int32 out), prod (same dtype). */
export function reduceRaw(op: ReduceOp, x: Tensor, axes: readonly number[], keepdim: boolean, dtype: DType): Tensor {
  const outShape = keepdim ? keptShape(x.shape, axes) : x.shape.filter((_, d) => !axes.includes(d));
  return new Tensor(backendOf(x).reduce(op, x, axes, dtype), outShape);
}

/** Inclusive cumulative sum or product along `axis` (the product's gradient assumes no zeros in `x`). */
export function scan(op: 'cumsum' | 'cumprod', x: Tensor, axis: number, dtype: DType = x.dtype): Tensor {
  const y = new Tensor(backendOf(x).scan(op, x, axis, dtype), x.shape);
  // both gradients are a reversed cumulative sum: of g itself, or of g * y divided by x afterwards
  const reverseCumsum = (t: Tensor) => flip(scan('cumsum', flip(t, [axis]), axis), [axis]);
  switch (op) {
    case 'cumsum': return record(y, 'CumsumBackward', [x], (g) => [reverseCumsum(g)], []);
    case 'cumprod': return record(y, 'CumprodBackward', [x], (g) => [div(reverseCumsum(mul(g, y)), x)], [x, y]);
    default: return assertNever(op, 'scan op');
  }
}

/** Any scan along `axis`, not recorded: the index scans (int32 out) and scans whose op records its own vjp. */
export function scanRaw(op: ScanOp, x: Tensor, axis: number, dtype: DType): Tensor {
  return new Tensor(backendOf(x).scan(op, x, axis, dtype), x.shape);
}

/** Int32 indices that sort `x` along `axis` (stable, NaN largest), not recorded: gather picks the values. */
export function argsort(x: Tensor, axis: number, descending: boolean): Tensor {
  return new Tensor(backendOf(x).argsort(x, axis, descending), x.shape);
}

/** Sums `g` down to `shape` (undoing broadcasting). */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (g.ndim === shape.length && g.shape.every((s, d) => s === shape[d])) return g;
  const lead = g.ndim - shape.length;
  const axes: number[] = [];
  for (let d = 0; d < g.ndim; d++) {
    if (d < lead || (shape[d - lead] === 1 && g.shape[d] !== 1)) axes.push(d);
  }
  return reshape(reduce('sum', g, axes, true), shape);
}

// ---- views and copies ----------------------------------------------------------------------------------

function isRowMajor(x: Tensor): boolean {
  let expected = 1;
  for (let d = x.ndim - 1; d >= 0; d--) {
    if (x.shape[d] === 1) continue;
    if (x.strides[d] !== expected) return false;
    expected *= x.shape[d];
  }
  return true;
}

/** True when `x` can be reshaped without copying. */
export function isContiguous(x: Tensor): boolean {
  return isRowMajor(x);
}

/**
 * Strides that let `x`'s elements be read in row-major order as `shape` without copying, or null when no
 * such strides exist (PyTorch's computeStride): each run of dims that is contiguous in memory may be split
 * or merged, and size-1 dims may go anywhere.
 */
export function viewStrides(x: Tensor, shape: readonly number[]): number[] | null {
  const old = x.shape;
  const oldStrides = x.strides;
  if (old.length === 0) return shape.map(() => 1);
  const out = new Array<number>(shape.length);
  if (sizeOf(old) === 0) {
    let k = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      out[d] = k;
      k *= Math.max(shape[d], 1);
    }
    return out;
  }
  let viewD = shape.length - 1;
  let base = oldStrides[old.length - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = old.length - 1; d >= 0; d--) {
    tensorNumel *= old[d];
    if (d === 0 || (old[d - 1] !== 1 && oldStrides[d - 1] !== tensorNumel * base)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] === 1)) {
        out[viewD] = viewNumel * base;
        viewNumel *= shape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        base = oldStrides[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? out : null;
}

/** Reshape (element count unchanged): a view whenever the strides allow one (as PyTorch), else a row-major copy. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  if (x.ndim === shape.length && x.shape.every((s, d) => s === shape[d])) return x;
  const strides = viewStrides(x, shape);
  const y = strides !== null
    ? new Tensor(x.storage, shape, strides, x.offset)
    : new Tensor(backendOf(x).copy(x, x.dtype), shape);
  return record(y, 'ViewBackward', [x], (g) => [reshape(g, x.shape)], []);
}

/** Reorders dims: output dim i is input dim `perm[i]` (a view). */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  const y = new Tensor(x.storage, perm.map((d) => x.shape[d]), perm.map((d) => x.strides[d]), x.offset);
  const inv = new Array<number>(perm.length);
  perm.forEach((d, i) => (inv[d] = i));
  return record(y, 'PermuteBackward', [x], (g) => [permute(g, inv)], []);
}

/** Broadcasts `x` to `shape` without copying (new dims on the left, size-1 dims stretched). */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  if (x.ndim === shape.length && x.shape.every((s, d) => s === shape[d])) return x;
  const y = broadcastView(x, shape);
  return record(y, 'ExpandBackward', [x], (g) => [sumTo(g, x.shape)], []);
}

/** One dim's window: `size` elements from `start` in steps of `step` (step >= 1). */
export interface Range {
  /** First index. */
  start: number;
  /** Distance between picked indices. */
  step: number;
  /** Number of picked indices. */
  size: number;
}

/** A strided window of `x`, one range per dim (a view). */
export function slice(x: Tensor, ranges: readonly Range[]): Tensor {
  let offset = x.offset;
  ranges.forEach((r, d) => (offset += r.start * x.strides[d]));
  const y = new Tensor(x.storage, ranges.map((r) => r.size), ranges.map((r, d) => r.step * x.strides[d]), offset);
  return record(y, 'SliceBackward', [x], (g) => [embed(g, x.shape, ranges, 0)], []);
}

/** A tensor of `shape` filled with `value` except at `ranges`, which hold `x` (slice's adjoint; constant padding). */
export function embed(x: Tensor, shape: readonly number[], ranges: readonly Range[], value: number): Tensor {
  const out = filled(shape, value, x.dtype, x.device);
  const target = slice(new Tensor(out.storage, shape), ranges);
  backendOf(x).copyInto(target, x);
  return record(out, 'EmbedBackward', [x], (g) => [slice(g, ranges)], []);
}

/** Reverses the order along each of `dims` (a view with negative strides). */
export function flip(x: Tensor, dims: readonly number[]): Tensor {
  let offset = x.offset;
  const strides = x.strides.slice();
  for (const d of dims) {
    if (d >= x.ndim || x.shape[d] === 0) continue;
    offset += (x.shape[d] - 1) * strides[d];
    strides[d] = -strides[d];
  }
  const y = new Tensor(x.storage, x.shape, strides, offset);
  return record(y, 'FlipBackward', [x], (g) => [flip(g, dims)], []);
}

/** Joins same-dtype tensors along `dim` (other dims equal). */
export function cat(xs: readonly Tensor[], dim: number): Tensor {
  const shape = xs[0].shape.slice();
  shape[dim] = xs.reduce((n, t) => n + t.shape[dim], 0);
  const out = filled(shape, 0, xs[0].dtype, xs[0].device);
  const whole = xs[0].shape.map(() => ({ start: 0, step: 1, size: 0 }));
  const ranges: Range[][] = [];
  let at = 0;
  for (const t of xs) {
    const r = shape.map((s, d) => (d === dim ? { start: at, step: 1, size: t.shape[dim] } : { ...whole[d], size: s }));
    ranges.push(r);
    backendOf(t).copyInto(new Tensor(out.storage, r.map((q) => q.size), strideFor(shape, r), offsetFor(shape, r)), t);
    at += t.shape[dim];
  }
  return record(out, 'CatBackward', xs, (g) => xs.map((t, i) => (t.requiresGrad ? slice(g, ranges[i]) : null)), []);
}

function strideFor(shape: readonly number[], r: readonly Range[]): number[] {
  const c = contiguousStrides(shape);
  return c.map((s, d) => s * r[d].step);
}
function offsetFor(shape: readonly number[], r: readonly Range[]): number {
  const c = contiguousStrides(shape);
  return r.reduce((o, q, d) => o + q.start * c[d], 0);
}
