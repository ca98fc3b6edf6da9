/**
 * Differentiable primitives that pick and place by index: gather / scatterAdd, indexSelect / indexAdd (each the
 * other's adjoint), and diagonal views with their adjoint diagEmbed.
 * @module
 */
import { contiguousStrides } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { record } from './node.js';
import { backendOf, embed, filled, zerosOf } from './primitives-core.js';

// ---- gather and scatter -------------------------------------------------------------------------------

/** Picks `x` values along `dim` at int32 `index` (output has `index`'s shape). */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const y = new Tensor(backendOf(x).gather(x, dim, index), index.shape);
  return record(y, 'GatherBackward', [x], (g) => [scatterAdd(zerosOf(x), dim, index, g)], [index]);
}

/** `base` with `src` added at `index` positions along `dim`. */
export function scatterAdd(base: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const y = new Tensor(backendOf(base).scatterAdd(base, dim, index, src), base.shape);
  return record(y, 'ScatterAddBackward', [base, src], (g) => [
    base.requiresGrad ? g : null,
    src.requiresGrad ? fitTo(gather(g, dim, index), src.shape) : null,
  ], [index]);
}

/** `g` zero-padded at the end of each dim up to `shape` (the src of scatterAdd may be larger than its index). */
function fitTo(g: Tensor, shape: readonly number[]): Tensor {
  if (g.shape.every((s, d) => s === shape[d])) return g;
  return embed(g, shape, g.shape.map((s) => ({ start: 0, step: 1, size: s })), 0);
}

/** Slices of `x` along `dim` picked by the 1-D int32 `index`. */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  const shape = x.shape.slice();
  shape[dim] = index.shape[0];
  const y = new Tensor(backendOf(x).indexSelect(x, dim, index), shape);
  return record(y, 'IndexSelectBackward', [x], (g) => [indexAdd(zerosOf(x), dim, index, g)], [index]);
}

/** `base` with slice j of `src` added to slice `index[j]` along `dim`. */
export function indexAdd(base: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const y = new Tensor(backendOf(base).indexAdd(base, dim, index, src), base.shape);
  return record(y, 'IndexAddBackward', [base, src], (g) => [
    base.requiresGrad ? g : null,
    src.requiresGrad ? indexSelect(g, dim, index) : null,
  ], [index]);
}

// ---- diagonals (views of two dims walked together) -----------------------------------------------------

function diagonalLayout(shape: readonly number[], strides: readonly number[], offset: number, d1: number, d2: number) {
  const len = Math.max(0, offset >= 0 ? Math.min(shape[d1], shape[d2] - offset) : Math.min(shape[d1] + offset, shape[d2]));
  const start = len === 0 ? 0 : offset >= 0 ? offset * strides[d2] : -offset * strides[d1];
  const keep = shape.map((_, d) => d).filter((d) => d !== d1 && d !== d2);
  return { shape: [...keep.map((d) => shape[d]), len], strides: [...keep.map((d) => strides[d]), strides[d1] + strides[d2]], start };
}

/**
 * The diagonal of dims `d1` and `d2` (distinct; `offset` > 0 above the main diagonal) as a view: both dims are
 * removed and the diagonal is appended as the last dim, as torch.diagonal.
 */
export function diagonal(x: Tensor, offset: number, d1: number, d2: number): Tensor {
  const lay = diagonalLayout(x.shape, x.strides, offset, d1, d2);
  const y = new Tensor(x.storage, lay.shape, lay.strides, x.offset + lay.start);
  return record(y, 'DiagonalBackward', [x], (g) => [diagEmbed(g, x.shape, offset, d1, d2)]);
}

/** A zero tensor of `shape` whose (`offset`, `d1`, `d2`) diagonal holds `x` (diagonal's adjoint). */
export function diagEmbed(x: Tensor, shape: readonly number[], offset: number, d1: number, d2: number): Tensor {
  const out = filled(shape, 0, x.dtype, x.device);
  const lay = diagonalLayout(shape, contiguousStrides(shape), offset, d1, d2);
  backendOf(x).copyInto(new Tensor(out.storage, lay.shape, lay.strides, lay.start), x);
  return record(out, 'DiagEmbedBackward', [x], (g) => [diagonal(g, offset, d1, d2)]);
}
