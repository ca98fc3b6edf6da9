/**
 * Triangles and diagonals: tril, triu, diag, diagonal (a view), diagEmbed.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { normDim } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkInt, checkTensor } from './util.js';

function triangle(op: 'tril' | 'triu', x: Tensor, k: number): Tensor {
  checkTensor(op, x);
  checkInt(op, k, 'diagonal');
  if (x.ndim < 2) throw new ShapeError(`${op}: input must have at least 2 dims, got shape ${fmtShape(x.shape)}`);
  const rows = x.shape[x.ndim - 2];
  const cols = x.shape[x.ndim - 1];
  const keep = new Uint8Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) keep[i * cols + j] = (op === 'tril' ? j - i <= k : j - i >= k) ? 1 : 0;
  }
  const mask = P.fromHost(keep, [rows, cols], 'bool', x.device);
  return P.where(mask, x, P.scalarOf(0, x.dtype, x));
}

/** The lower triangle of the last two dims (elements with j - i <= `diagonal`), zeros elsewhere. */
export function tril(x: Tensor, diagonal = 0): Tensor {
  return triangle('tril', x, diagonal);
}

/** The upper triangle of the last two dims (elements with j - i >= `diagonal`), zeros elsewhere. */
export function triu(x: Tensor, diagonal = 0): Tensor {
  return triangle('triu', x, diagonal);
}

/**
 * The diagonal of dims `dim1` and `dim2` (`offset` > 0 above the main one, < 0 below) as a view: both dims are
 * removed and the diagonal becomes the last dim, as torch.diagonal.
 */
export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  checkTensor('diagonal', x);
  checkInt('diagonal', offset, 'offset');
  if (x.ndim < 2) throw new ShapeError(`diagonal: input must have at least 2 dims, got shape ${fmtShape(x.shape)}`);
  const a = normDim('diagonal', dim1, x.ndim, 'dim1');
  const b = normDim('diagonal', dim2, x.ndim, 'dim2');
  if (a === b) throw new ValueError(`diagonal: dim1 and dim2 must be different, got ${dim1} and ${dim2}`);
  return P.diagonal(x, offset, a, b);
}

/**
 * A 1-D [n] tensor as the `offset` diagonal of a square [n + |offset|]^2 matrix (zeros elsewhere), or a 2-D
 * matrix's `offset` diagonal as a new 1-D tensor, as torch.diag.
 */
export function diag(x: Tensor, offset = 0): Tensor {
  checkTensor('diag', x);
  checkInt('diag', offset, 'diagonal');
  if (x.ndim === 1) {
    const m = x.shape[0] + Math.abs(offset);
    return P.diagEmbed(x, [m, m], offset, 0, 1);
  }
  if (x.ndim === 2) return P.copy(P.diagonal(x, offset, 0, 1));
  throw new ShapeError(`diag: input must be 1-D or 2-D, got shape ${fmtShape(x.shape)}`);
}

/**
 * Puts the last dim of `x` [..., n] on the `offset` diagonal of two new dims `dim1`, `dim2` of size
 * n + |offset| (zeros elsewhere): one more dim than `x`, as torch.diag_embed.
 */
export function diagEmbed(x: Tensor, offset = 0, dim1 = -2, dim2 = -1): Tensor {
  checkTensor('diagEmbed', x);
  checkInt('diagEmbed', offset, 'offset');
  if (x.ndim === 0) throw new ShapeError('diagEmbed: input must have at least 1 dim, got shape []');
  const r = x.ndim + 1;
  const a = normDim('diagEmbed', dim1, r, 'dim1');
  const b = normDim('diagEmbed', dim2, r, 'dim2');
  if (a === b) throw new ValueError(`diagEmbed: dim1 and dim2 must be different, got ${dim1} and ${dim2}`);
  const m = x.shape[x.ndim - 1] + Math.abs(offset);
  const rest = x.shape.slice(0, -1);
  const shape: number[] = [];
  for (let d = 0, k = 0; d < r; d++) shape.push(d === a || d === b ? m : rest[k++]);
  return P.diagEmbed(x, shape, offset, a, b);
}
