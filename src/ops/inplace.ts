/**
 * In-place updates, PyTorch's trailing-underscore methods: copy_ fill_ zero_ add_ sub_ mul_ div_. They write
 * into the tensor's existing storage, so every view of it sees the change. A tensor that requires grad may be
 * updated only inside `noGrad` (as in an optimizer step). Unlike PyTorch, shendu keeps no version counters:
 * do not update in place a tensor that a recorded graph still needs for its backward pass.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { AutogradError, DTypeError, ShapeError, fmtShape } from '../errors.js';
import { canCast } from '../tensor/dtype.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, mul, sub } from './elementwise.js';
import { checkTensor, type Scalarish } from './util.js';

function checkWritable(op: string, x: Tensor): void {
  checkTensor(op, x);
  if (x.requiresGrad && isGradEnabled()) {
    throw new AutogradError(`${op}: a tensor that requires grad cannot be changed in place while gradients are recorded; wrap the update in noGrad(() => ...)`);
  }
  if (x.strides.some((s, d) => s === 0 && x.shape[d] > 1)) {
    throw new ShapeError(`${op}: cannot write into a broadcast (expanded) view of shape ${fmtShape(x.shape)}; clone it first`);
  }
}

/** Writes `src` (broadcast to this shape, converted to this dtype) into `x` in place; returns `x`. */
export function copy_(x: Tensor, src: Scalarish): Tensor {
  checkWritable('copy_', x);
  const s = typeof src === 'number' || typeof src === 'boolean' ? P.scalarOf(Number(src), x.dtype, x) : checkTensor('copy_', src, 'src');
  const shape = broadcastShapes('copy_', x.shape, s.shape);
  if (shape.length !== x.ndim || shape.some((n, d) => n !== x.shape[d])) {
    throw new ShapeError(`copy_: src of shape ${fmtShape(s.shape)} does not broadcast to the destination's shape ${fmtShape(x.shape)}`);
  }
  P.backendOf(x).copyInto(x, P.expand(P.detach(s), x.shape));
  return x;
}

/** Sets every element of `x` to `value`; returns `x`. */
export function fill_(x: Tensor, value: number | boolean): Tensor {
  return copy_(x, value);
}

/** Sets every element of `x` to zero; returns `x`. */
export function zero_(x: Tensor): Tensor {
  return copy_(x, 0);
}

// As PyTorch: an in-place op may not narrow its result into the input (int32 x += 0.5 raises, not truncates).
function castable(op: string, x: Tensor, result: Tensor): Tensor {
  if (!canCast(result.dtype, x.dtype)) {
    throw new DTypeError(`${op}: result dtype ${result.dtype} can't be written in place into the input of dtype ${x.dtype}`);
  }
  return result;
}

/** `x += alpha * other` in place; returns `x`. */
export function add_(x: Tensor, other: Scalarish, opts: { alpha?: number } = {}): Tensor {
  checkWritable('add_', x);
  return copy_(x, castable('add_', x, add(P.detach(x), other, opts)));
}

/** `x -= alpha * other` in place; returns `x`. */
export function sub_(x: Tensor, other: Scalarish, opts: { alpha?: number } = {}): Tensor {
  checkWritable('sub_', x);
  return copy_(x, castable('sub_', x, sub(P.detach(x), other, opts)));
}

/** `x *= other` in place; returns `x`. */
export function mul_(x: Tensor, other: Scalarish): Tensor {
  checkWritable('mul_', x);
  return copy_(x, castable('mul_', x, mul(P.detach(x), other)));
}

/** `x /= other` in place; returns `x`. */
export function div_(x: Tensor, other: Scalarish): Tensor {
  checkWritable('div_', x);
  return copy_(x, castable('div_', x, div(P.detach(x), other)));
}
