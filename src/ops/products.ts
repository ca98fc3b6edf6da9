/**
 * More products: kron, cross, and the fused-form BLAS ops addmm, addmv, baddbmm, addbmm
 * (`beta * input + alpha * product`).
 * @module
 */
import * as P from '../autograd/primitives.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { isFloating } from '../tensor/dtype.js';
import { broadcastShapes, normDim } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul, sub } from './elementwise.js';
import { cat, narrow } from './movement.js';
import { checkNumber, checkTensor } from './util.js';

/**
 * Kronecker product: for `a` [a0, a1, ...] and `b` [b0, b1, ...] (the shorter shape padded with leading 1s),
 * the [a0*b0, a1*b1, ...] tensor of blocks `a[i, j, ...] * b`, as torch.kron.
 */
export function kron(a: Tensor, b: Tensor): Tensor {
  checkTensor('kron', a, 'input');
  checkTensor('kron', b, 'other');
  const r = Math.max(a.ndim, b.ndim);
  const pad = (s: readonly number[]) => [...new Array<number>(r - s.length).fill(1), ...s];
  const sa = pad(a.shape);
  const sb = pad(b.shape);
  const y = mul(P.reshape(a, sa.flatMap((s) => [s, 1])), P.reshape(b, sb.flatMap((s) => [1, s])));
  return P.reshape(y, sa.map((s, d) => s * sb[d]));
}

/**
 * Cross product of 3-vectors along `dim` of `a` and `b` (broadcast together); without `dim`, the first dim of
 * size 3 (torch.cross's default; torch.linalg.cross uses the last dim).
 */
export function cross(a: Tensor, b: Tensor, dim?: number): Tensor {
  checkTensor('cross', a, 'input');
  checkTensor('cross', b, 'other');
  if (a.dtype !== b.dtype) throw new DTypeError(`cross: input and other must have the same dtype, got ${a.dtype} and ${b.dtype}`);
  const shape = broadcastShapes('cross', a.shape, b.shape);
  let d: number;
  if (dim === undefined || dim === null) {
    d = shape.indexOf(3);
    if (d < 0) throw new ShapeError(`cross: no dim of size 3 in the broadcast shape ${fmtShape(shape)}; pass dim`);
  } else {
    d = normDim('cross', dim, shape.length);
    if (shape[d] !== 3) throw new ShapeError(`cross: dim ${d} must have size 3, got ${shape[d]} (broadcast shape ${fmtShape(shape)})`);
  }
  const x = P.expand(a, shape);
  const y = P.expand(b, shape);
  const at = (t: Tensor, i: number) => narrow(t, d, i, 1);
  const part = (i: number, j: number) => sub(mul(at(x, i), at(y, j)), mul(at(x, j), at(y, i)));
  return cat([part(1, 2), part(2, 0), part(0, 1)], d);
}

/** Options of the `beta * input + alpha * product` ops. */
export interface AddProductOptions {
  /** Factor of `input` (default 1); with 0, input's values are ignored (NaN and inf in it do not spread). */
  beta?: number;
  /** Factor of the product (default 1). */
  alpha?: number;
}

function checkOperands(op: string, input: Tensor, x: Tensor, y: Tensor, names: [string, string]): void {
  checkTensor(op, input);
  checkTensor(op, x, names[0]);
  checkTensor(op, y, names[1]);
  for (const [t, n] of [[x, names[0]], [y, names[1]]] as const) {
    if (t.dtype !== input.dtype) throw new DTypeError(`${op}: ${n} must have input's dtype ${input.dtype}, got ${t.dtype}`);
  }
  if (input.dtype === 'bool') throw new DTypeError(`${op}: bool tensors cannot be multiplied; cast them first`);
}

/** `beta * input + alpha * prod`, with input broadcast to prod's shape. */
function scaledSum(op: string, input: Tensor, prod: Tensor, opts: AddProductOptions): Tensor {
  const beta = checkNumber(op, opts.beta ?? 1, 'beta');
  const alpha = checkNumber(op, opts.alpha ?? 1, 'alpha');
  if (!isFloating(input.dtype) && (!Number.isInteger(beta) || !Number.isInteger(alpha))) {
    throw new ValueError(`${op}: beta and alpha must be integers for ${input.dtype} tensors, got beta ${beta}, alpha ${alpha}`);
  }
  const shape = prod.shape;
  const lead = shape.length - input.ndim;
  if (lead < 0 || input.shape.some((s, k) => s !== 1 && s !== shape[k + lead])) {
    throw new ShapeError(`${op}: input of shape ${fmtShape(input.shape)} cannot be broadcast to the product's shape ${fmtShape(shape)}`);
  }
  const scale = (t: Tensor, f: number) => (f === 1 ? t : P.binary('mul', t, P.scalarOf(f, t.dtype, t)));
  const p = scale(prod, alpha);
  if (beta === 0) return p;
  return P.binary('add', P.expand(scale(input, beta), shape), p);
}

function checkMatrices(op: string, a: Tensor, b: Tensor, names: [string, string]): void {
  if (a.ndim !== 2 || b.ndim !== 2) throw new ShapeError(`${op}: ${names[0]} and ${names[1]} must be 2-D, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  if (a.shape[1] !== b.shape[0]) throw new ShapeError(`${op}: inner dimensions differ: ${names[0]} is ${fmtShape(a.shape)}, ${names[1]} is ${fmtShape(b.shape)}`);
}

function checkBatches(op: string, a: Tensor, b: Tensor): void {
  if (a.ndim !== 3 || b.ndim !== 3) throw new ShapeError(`${op}: batch1 and batch2 must be 3-D, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  if (a.shape[0] !== b.shape[0]) throw new ShapeError(`${op}: batch sizes differ: batch1 is ${fmtShape(a.shape)}, batch2 is ${fmtShape(b.shape)}`);
  if (a.shape[2] !== b.shape[1]) throw new ShapeError(`${op}: inner dimensions differ: batch1 is ${fmtShape(a.shape)}, batch2 is ${fmtShape(b.shape)}`);
}

/** `beta * input + alpha * (mat1 @ mat2)` for mat1 [n, m], mat2 [m, p]; input broadcasts to [n, p]. */
export function addmm(input: Tensor, mat1: Tensor, mat2: Tensor, opts: AddProductOptions = {}): Tensor {
  checkOperands('addmm', input, mat1, mat2, ['mat1', 'mat2']);
  checkMatrices('addmm', mat1, mat2, ['mat1', 'mat2']);
  return scaledSum('addmm', input, P.matmul(mat1, mat2), opts);
}

/** `beta * input + alpha * (mat @ vec)` for mat [n, m], vec [m]; input broadcasts to [n]. */
export function addmv(input: Tensor, mat: Tensor, vec: Tensor, opts: AddProductOptions = {}): Tensor {
  checkOperands('addmv', input, mat, vec, ['mat', 'vec']);
  if (mat.ndim !== 2 || vec.ndim !== 1) throw new ShapeError(`addmv: mat must be 2-D and vec 1-D, got ${fmtShape(mat.shape)} and ${fmtShape(vec.shape)}`);
  if (mat.shape[1] !== vec.shape[0]) throw new ShapeError(`addmv: inner dimensions differ: mat is ${fmtShape(mat.shape)}, vec is ${fmtShape(vec.shape)}`);
  const prod = P.reshape(P.matmul(mat, P.reshape(vec, [vec.shape[0], 1])), [mat.shape[0]]);
  return scaledSum('addmv', input, prod, opts);
}

/** `beta * input + alpha * (batch1 @ batch2)` for batch1 [B, n, m], batch2 [B, m, p]; input broadcasts to [B, n, p]. */
export function baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, opts: AddProductOptions = {}): Tensor {
  checkOperands('baddbmm', input, batch1, batch2, ['batch1', 'batch2']);
  checkBatches('baddbmm', batch1, batch2);
  return scaledSum('baddbmm', input, P.matmul(batch1, batch2), opts);
}

/**
 * `beta * input + alpha * sum_b (batch1[b] @ batch2[b])` for batch1 [B, n, m], batch2 [B, m, p]; input
 * broadcasts to [n, p]. The batch sum is one [n, B*m] x [B*m, p] product.
 */
export function addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, opts: AddProductOptions = {}): Tensor {
  checkOperands('addbmm', input, batch1, batch2, ['batch1', 'batch2']);
  checkBatches('addbmm', batch1, batch2);
  const [B, n, m] = batch1.shape;
  const p = batch2.shape[2];
  const left = P.reshape(P.permute(batch1, [1, 0, 2]), [n, B * m]);
  const prod = P.matmul(left, P.reshape(batch2, [B * m, p]));
  return scaledSum('addbmm', input, prod, opts);
}
