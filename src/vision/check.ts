/**
 * Argument checks shared by the box ops of src/vision: box tensors, image sizes and finite values.
 * @module
 */
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { checkTensor } from '../ops/util.js';
import type { Tensor } from '../tensor/tensor.js';

/** Throws unless `boxes` is a numeric Tensor of shape [N, 4]; returns it. */
export function checkBoxes(fn: string, boxes: unknown, arg = 'boxes'): Tensor {
  const t = checkTensor(fn, boxes, arg);
  if (t.ndim !== 2 || t.shape[1] !== 4) throw new ShapeError(`${fn}: ${arg} must have shape [N, 4], got ${fmtShape(t.shape)}`);
  if (t.dtype === 'bool') throw new DTypeError(`${fn}: ${arg} must be a numeric tensor, got dtype bool`);
  return t;
}

/** Throws unless `boxes` is a numeric Tensor of shape [..., 4] (at least 1-D); returns it. */
export function checkBoxesAnyBatch(fn: string, boxes: unknown, arg = 'boxes'): Tensor {
  const t = checkTensor(fn, boxes, arg);
  if (t.ndim < 1 || t.shape[t.ndim - 1] !== 4) throw new ShapeError(`${fn}: ${arg} must have shape [..., 4], got ${fmtShape(t.shape)}`);
  if (t.dtype === 'bool') throw new DTypeError(`${fn}: ${arg} must be a numeric tensor, got dtype bool`);
  return t;
}

/** Throws a ValueError naming the first NaN of `data` (a host copy of tensor `arg`). */
export function checkNoNaN(fn: string, data: ArrayLike<number>, arg: string): void {
  for (let i = 0; i < data.length; i++) {
    if (Number.isNaN(data[i])) throw new ValueError(`${fn}: ${arg} must not contain NaN, got NaN at flat index ${i}`);
  }
}

/** Throws unless `size` is an [height, width] pair of non-negative numbers; returns it. */
export function checkImageSize(fn: string, size: unknown, arg = 'size'): [number, number] {
  if (!Array.isArray(size) || size.length !== 2 || !size.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
    throw new ValueError(`${fn}: ${arg} must be [height, width], two non-negative numbers, got ${JSON.stringify(size)}`);
  }
  return [size[0], size[1]];
}
