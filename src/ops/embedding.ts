/**
 * Embedding lookup, as torch.nn.functional.embedding: rows of a weight matrix picked by int32 indices.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkIndexRange } from './indexing.js';
import { checkIndex, checkTensor } from './util.js';
import { traceOp, tracing } from './trace-hook.js';

/**
 * Rows of `weight` [numEmbeddings, dim] at int32 `indices` (any shape), giving [...indices.shape, dim].
 * Rows looked up at `paddingIdx` get no gradient, as PyTorch's.
 */
export function embedding(indices: Tensor, weight: Tensor, opts: { paddingIdx?: number | null } = {}): Tensor {
  if (tracing.tracer !== null) return traceOp('embedding', [indices, weight], {}, () => embedding(indices, weight, opts));
  checkIndex('embedding', checkTensor('embedding', indices, 'indices'), 'indices');
  checkTensor('embedding', weight, 'weight');
  if (weight.ndim !== 2) throw new ShapeError(`embedding: weight must be 2-D (numEmbeddings, dim), got shape ${fmtShape(weight.shape)}`);
  if (weight.dtype === 'bool') throw new DTypeError('embedding: weight must not be bool');
  const [num, dim] = weight.shape;
  let pad = opts.paddingIdx ?? null;
  if (pad !== null) {
    if (!Number.isInteger(pad) || pad < -num || pad >= num) throw new ValueError(`embedding: paddingIdx must be in [${-num}, ${num - 1}], got ${pad}`);
    if (pad < 0) pad += num;
  }
  checkIndexRange('embedding', indices, num, 'the rows of weight');
  const flat = P.reshape(indices, [indices.numel()]);
  let rows = P.indexSelect(weight, 0, flat);
  if (pad !== null && weight.requiresGrad) {
    const isPad = P.reshape(P.binary('eq', flat, P.scalarOf(pad, 'int32', flat)), [flat.shape[0], 1]);
    rows = P.where(isPad, P.detach(rows), rows);
  }
  return P.reshape(rows, [...indices.shape, dim]);
}
