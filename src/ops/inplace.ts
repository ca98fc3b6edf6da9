/**
 * In-place updates, PyTorch's trailing-underscore methods: copy_ fill_ zero_ add_ sub_ mul_ div_. They write
 * into the tensor's existing storage, so every view of it sees the change, and count one more version of that
 * storage: a backward pass through an op that saved the old values then refuses to run instead of giving a wrong
 * gradient (PyTorch's version counters).
 *
 * While gradients are recorded, an in-place update of a tensor in the graph (a non-leaf, or any tensor updated
 * from one that requires grad) is itself recorded: the tensor takes the update's place in the graph, as in
 * PyTorch. Two cases are refused with an AutogradError: a leaf that requires grad (update it inside `noGrad`, as
 * an optimizer does), and a view of other memory (PyTorch rewrites the base's history there; shendu does not, so
 * it asks for a `clone()` instead of giving the base a wrong gradient).
 * @module
 */
import * as P from '../autograd/primitives.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { AutogradError, DTypeError, ShapeError, fmtShape } from '../errors.js';
import { canCast } from '../tensor/dtype.js';
import { broadcastShapes } from '../tensor/shape.js';
import { Tensor, bumpVersion } from '../tensor/tensor.js';
import { add, div, mul, sub } from './elementwise.js';
import { checkTensor, type Scalarish } from './util.js';

function checkShape(op: string, x: Tensor, other: Scalarish): void {
  if (x.strides.some((s, d) => s === 0 && x.shape[d] > 1)) {
    throw new ShapeError(`${op}: cannot write into a broadcast (expanded) view of shape ${fmtShape(x.shape)}; clone it first`);
  }
  if (!(other instanceof Tensor)) return;
  const shape = broadcastShapes(op, x.shape, other.shape);
  if (shape.length !== x.ndim || shape.some((n, d) => n !== x.shape[d])) {
    throw new ShapeError(`${op}: the other operand's shape ${fmtShape(other.shape)} does not broadcast to the destination's shape ${fmtShape(x.shape)}`);
  }
}

/**
 * Replaces the values of `x` by `compute(x)` (same shape), in place. `compute` receives an alias of x's current
 * value: detached when nothing is recorded, else carrying x's place in the graph, so that x can take the result's.
 */
function update(op: string, x: Tensor, other: Scalarish, compute: (old: Tensor) => Tensor): Tensor {
  checkTensor(op, x);
  checkShape(op, x, other);
  const recording = isGradEnabled() && (x.requiresGrad || (other instanceof Tensor && other.requiresGrad));
  if (!recording) {
    const r = compute(P.detach(x));
    P.backendOf(x).copyInto(x, P.expand(P.cast(P.detach(r), x.dtype), x.shape));
    bumpVersion(x);
    return x;
  }
  if (x.requiresGrad && x.isLeaf) {
    throw new AutogradError(`${op}: a leaf tensor that requires grad cannot be changed in place while gradients are recorded; wrap the update in noGrad(() => ...)`);
  }
  if (x.isView) {
    throw new AutogradError(
      `${op}: cannot record an in-place change of a view (shape ${fmtShape(x.shape)}) while gradients are recorded: the tensor it views would get a wrong gradient; change a clone() instead, or the tensor itself`,
    );
  }
  const old = new Tensor(x.storage, x.shape, x.strides, x.offset);
  if (x.requiresGrad) {
    old.requiresGrad = true;
    old.gradFn = x.gradFn;
  }
  // compute reads a copy of the old values, so an op that saves its input (x.mul_(w) saves x for w's gradient)
  // still has them after x is overwritten, as PyTorch keeps the original; the result always gets a node of its
  // own, so x never shares a node (or a leaf's place) with another tensor
  const r = P.copy(P.expand(P.cast(compute(P.copy(old)), x.dtype), x.shape));
  P.backendOf(x).copyInto(x, P.detach(r));
  bumpVersion(x);
  x.gradFn = r.gradFn;
  x.requiresGrad = r.requiresGrad; // false when every value now comes from tensors that need no gradient
  return x;
}

/** Writes `src` (broadcast to this shape, converted to this dtype) into `x` in place; returns `x`. */
export function copy_(x: Tensor, src: Scalarish): Tensor {
  const s = typeof src === 'number' || typeof src === 'boolean' ? P.scalarOf(Number(src), checkTensor('copy_', x).dtype, x) : checkTensor('copy_', src, 'src');
  return update('copy_', x, s, () => s);
}

/** Sets every element of `x` to `value`; returns `x`. */
export function fill_(x: Tensor, value: number | boolean): Tensor {
  return update('fill_', x, value, () => P.scalarOf(Number(value), x.dtype, x));
}

/** Sets every element of `x` to zero; returns `x`. */
export function zero_(x: Tensor): Tensor {
  return update('zero_', x, 0, () => P.scalarOf(0, x.dtype, x));
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
  return update('add_', x, other, (old) => castable('add_', x, add(old, other, opts)));
}

/** `x -= alpha * other` in place; returns `x`. */
export function sub_(x: Tensor, other: Scalarish, opts: { alpha?: number } = {}): Tensor {
  return update('sub_', x, other, (old) => castable('sub_', x, sub(old, other, opts)));
}

/** `x *= other` in place; returns `x`. */
export function mul_(x: Tensor, other: Scalarish): Tensor {
  return update('mul_', x, other, (old) => castable('mul_', x, mul(old, other)));
}

/** `x /= other` in place; returns `x`. */
export function div_(x: Tensor, other: Scalarish): Tensor {
  return update('div_', x, other, (old) => castable('div_', x, div(old, other)));
}
