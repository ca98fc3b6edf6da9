/**
 * Norms and condition numbers: vectorNorm, matrixNorm (fro, nuc, ±1, ±2, ±inf), norm (torch.linalg.norm's
 * dispatch between the two) and cond, all differentiable through the ops they are built from.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { pow, abs } from '../ops/elementwise.js';
import { permute } from '../ops/movement.js';
import { amax, amin, norm as pnorm, sum, type Dims } from '../ops/reduce.js';
import { normDim } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkFloatTensor, checkMatrix, div, eyeLike, fromHostLike, matrixAt, mul, narrowLast, readBatch } from './common.js';
import { svdvals } from './decompose.js';
import { luFactor } from './host-factor.js';
import { inv } from './solve.js';

/** Options of vector and matrix norms. */
export interface NormOptions {
  /** Dims to reduce over (vector norms: any; matrix norms: two). */
  dim?: Dims;
  /** Keep the reduced dims with size 1 (default false). */
  keepdim?: boolean;
}

/**
 * Vector ord-norm of `x` over `dim` (all elements by default), torch.linalg.vector_norm: ord 2 (default),
 * any real p (sum |x|^p)^(1/p) including negative p, Infinity (max |x|), -Infinity (min |x|) and 0 (the
 * number of nonzeros). The 2-norm's gradient at 0 is 0, as PyTorch's.
 */
export function vectorNorm(x: Tensor, ord = 2, opts: NormOptions = {}): Tensor {
  checkFloatTensor('vectorNorm', x, 'x');
  if (typeof ord !== 'number' || Number.isNaN(ord)) throw new ValueError(`vectorNorm: ord must be a number (or ±Infinity), got ${String(ord)}`);
  const keepdim = opts.keepdim ?? false;
  if (ord >= 0 || ord === -Infinity) return pnorm(x, ord, opts.dim, keepdim);
  return pow(sum(pow(abs(x), ord), opts.dim, keepdim), 1 / ord);
}

/** The orders `matrixNorm` takes. */
export type MatrixNormOrd = 'fro' | 'nuc' | number;

function matrixDims(op: string, A: Tensor, dim: Dims): [number, number] {
  const list = dim === undefined || dim === null ? [-2, -1] : typeof dim === 'number' ? [dim] : [...dim];
  if (list.length !== 2) throw new ValueError(`${op}: dim must name two dims for a matrix norm, got ${JSON.stringify(dim)}`);
  const d0 = normDim(op, list[0], A.ndim);
  const d1 = normDim(op, list[1], A.ndim);
  if (d0 === d1) throw new ValueError(`${op}: dim must name two different dims, got ${fmtShape(list)}`);
  return [d0, d1];
}

/**
 * Matrix norm over two dims (the last two by default), torch.linalg.matrix_norm: 'fro' (default), 'nuc'
 * (sum of singular values), 2 / -2 (largest / smallest singular value), 1 / -1 (max / min column abs-sum),
 * Infinity / -Infinity (max / min row abs-sum).
 */
export function matrixNorm(A: Tensor, ord: MatrixNormOrd = 'fro', opts: NormOptions = {}): Tensor {
  checkFloatTensor('matrixNorm', A, 'A');
  if (A.ndim < 2) throw new ShapeError(`matrixNorm: A must have at least 2 dims, got shape ${fmtShape(A.shape)}`);
  if (!['fro', 'nuc', 1, -1, 2, -2, Infinity, -Infinity].includes(ord)) {
    throw new ValueError(`matrixNorm: ord must be 'fro', 'nuc', 1, -1, 2, -2, Infinity or -Infinity, got ${String(ord)}`);
  }
  const [d0, d1] = matrixDims('matrixNorm', A, opts.dim);
  const rest = A.shape.map((_, d) => d).filter((d) => d !== d0 && d !== d1);
  const Ap = permute(A, [...rest, d0, d1]);
  let r: Tensor;
  if (ord === 'fro') r = pnorm(Ap, 2, [-2, -1]);
  else if (ord === 'nuc') r = sum(svdvals(Ap), -1);
  else if (ord === 2) r = amax(svdvals(Ap), -1);
  else if (ord === -2) r = amin(svdvals(Ap), -1);
  else if (ord === 1) r = amax(sum(abs(Ap), -2), -1);
  else if (ord === -1) r = amin(sum(abs(Ap), -2), -1);
  else if (ord === Infinity) r = amax(sum(abs(Ap), -1), -1);
  else r = amin(sum(abs(Ap), -1), -1);
  if (!(opts.keepdim ?? false)) return r;
  return P.reshape(r, A.shape.map((s, d) => (d === d0 || d === d1 ? 1 : s)));
}

/**
 * torch.linalg.norm: a vector norm when `dim` is one dim (or when `ord` and `dim` are both omitted: the
 * 2-norm of all elements), a matrix norm when `dim` is two dims; with `ord` and no `dim`, A must be 1-D
 * (vector norm) or 2-D (matrix norm).
 */
export function norm(A: Tensor, ord?: MatrixNormOrd, opts: NormOptions = {}): Tensor {
  checkFloatTensor('norm', A, 'A');
  const dim = opts.dim;
  const vec = (o: MatrixNormOrd | undefined, d: Dims) => {
    if (typeof o === 'string') throw new ValueError(`norm: ord '${o}' is a matrix norm; give two dims (or a 2-D A) for it`);
    return vectorNorm(A, o ?? 2, { dim: d, keepdim: opts.keepdim });
  };
  if (dim !== undefined && dim !== null) {
    const list = typeof dim === 'number' ? [dim] : dim;
    if (list.length === 1) return vec(ord, list);
    if (list.length === 2) return matrixNorm(A, ord ?? 'fro', opts);
    throw new ValueError(`norm: dim must name one dim (vector norm) or two (matrix norm), got ${JSON.stringify(dim)}`);
  }
  if (ord === undefined) return vectorNorm(A, 2, { keepdim: opts.keepdim });
  if (A.ndim === 1) return vec(ord, undefined);
  if (A.ndim === 2) return matrixNorm(A, ord, opts);
  throw new ShapeError(`norm: with ord given and no dim, A must be 1-D or 2-D, got shape ${fmtShape(A.shape)}; pass dim`);
}

/**
 * Condition number of [..., m, n] in the p-norm (torch.linalg.cond): p 2 (default) is s_max / s_min from the
 * SVD (any shape; inf-like for singular matrices), -2 is s_min / s_max; 'fro', 'nuc', ±1 and ±Infinity
 * need square matrices and give ||A|| ||A^-1||, Infinity for singular ones. Differentiable where finite.
 */
export function cond(A: Tensor, p: MatrixNormOrd = 2): Tensor {
  const [m, n] = checkMatrix('cond', A, 'A', !(p === 2 || p === -2));
  if (p === 2 || p === -2) {
    const s = svdvals(A);
    const k = Math.min(m, n);
    const hi = narrowLast(s, 0, 1);
    const lo = narrowLast(s, k - 1, 1);
    const r = p === 2 ? div(hi, lo) : div(lo, hi);
    return P.reshape(r, A.shape.slice(0, -2));
  }
  if (!['fro', 'nuc', 1, -1, Infinity, -Infinity].includes(p)) {
    throw new ValueError(`cond: p must be 2, -2, 'fro', 'nuc', 1, -1, Infinity or -Infinity, got ${String(p)}`);
  }
  const a = readBatch(A);
  const sing = new Uint8Array(a.count);
  for (let i = 0; i < a.count; i++) sing[i] = luFactor(matrixAt(a, i), n).zeroPivot >= 0 ? 1 : 0;
  if (!sing.some((v) => v === 1)) return mul(matrixNorm(A, p), matrixNorm(inv(A), p));
  // replace singular matrices by I so inv succeeds, then report Infinity for them
  const mask = fromHostLike(sing, a.batchShape, A, 'bool');
  const matMask = P.reshape(mask, [...a.batchShape, 1, 1]);
  const safe = P.where(matMask, eyeLike(n, A), A);
  const r = mul(matrixNorm(A, p), matrixNorm(inv(safe), p));
  return P.where(mask, P.scalarOf(Infinity, A.dtype, A), r);
}
