/**
 * Spatial pyramid pooling (He et al., SPP-net, 2014): a feature map of any size pooled into n x n bins for each
 * pyramid level n, each level flattened and the levels concatenated, so that a fully connected head sees a
 * fixed-length vector whatever the input size. Composed from adaptive pooling (each bin covers
 * [floor(i H / n), ceil((i + 1) H / n)), PyTorch's adaptive bins), so it is differentiable for free.
 * @module
 */
import { ShapeError, ValueError, assertNever, fmtShape } from '../errors.js';
import { adaptiveAvgPool2d, adaptiveMaxPool2d } from '../ops/pool.js';
import { cat, flatten } from '../ops/movement.js';
import { checkTensor } from '../ops/util.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module, type Layer } from './module.js';

/** How each bin is reduced: maximum (SPP-net) or mean. */
export type SpatialPyramidMode = 'max' | 'avg';

/** Options of `spatialPyramidPool` and `SpatialPyramidPooling`. */
export interface SpatialPyramidOptions {
  /** Bins per side of each pyramid level (default [1, 2, 4]); level n gives n * n bins per channel. */
  levels?: readonly number[];
  /** Bin reduction (default 'max'). */
  mode?: SpatialPyramidMode;
}

function checkLevels(fn: string, levels: unknown): readonly number[] {
  if (!Array.isArray(levels) || levels.length === 0 || !levels.every((n) => Number.isInteger(n) && n > 0)) {
    throw new ValueError(`${fn}: levels must be a non-empty list of positive integers, got ${JSON.stringify(levels)}`);
  }
  return levels;
}

function pool(x: Tensor, n: number, mode: SpatialPyramidMode): Tensor {
  switch (mode) {
    case 'max':
      return adaptiveMaxPool2d(x, [n, n]);
    case 'avg':
      return adaptiveAvgPool2d(x, [n, n]);
    default:
      return assertNever(mode, 'spatial pyramid mode');
  }
}

/**
 * Pools `x` [N, C, H, W] (or [C, H, W]) into n x n bins per level and concatenates the flattened levels:
 * [N, C * sum(n^2)] (or [C * sum(n^2)]), level by level, channel-major within a level, as
 * `cat([adaptiveMaxPool2d(x, n).flatten(1) for n in levels], 1)`.
 */
export function spatialPyramidPool(x: Tensor, opts: SpatialPyramidOptions = {}): Tensor {
  checkTensor('spatialPyramidPool', x);
  const levels = checkLevels('spatialPyramidPool', opts.levels ?? [1, 2, 4]);
  const mode = opts.mode ?? 'max';
  if (mode !== 'max' && mode !== 'avg') throw new ValueError(`spatialPyramidPool: mode must be 'max' or 'avg', got ${JSON.stringify(mode)}`);
  if (x.ndim !== 3 && x.ndim !== 4) throw new ShapeError(`spatialPyramidPool: input must be 3-D (C, H, W) or 4-D (N, C, H, W), got shape ${fmtShape(x.shape)}`);
  const start = x.ndim - 3;
  return cat(levels.map((n) => flatten(pool(x, n, mode), start)), start);
}

/** Spatial pyramid pooling as a layer: [N, C, H, W] of any H, W to [N, C * sum(n^2)] (see `spatialPyramidPool`). */
export class SpatialPyramidPooling extends Module implements Layer {
  /** Bins per side of each level. */
  readonly levels: readonly number[];
  /** Bin reduction. */
  readonly mode: SpatialPyramidMode;

  /** Creates the layer (levels default [1, 2, 4], mode 'max'). */
  constructor(opts: SpatialPyramidOptions = {}) {
    super();
    this.levels = [...checkLevels('SpatialPyramidPooling', opts.levels ?? [1, 2, 4])];
    this.mode = opts.mode ?? 'max';
    if (this.mode !== 'max' && this.mode !== 'avg') throw new ValueError(`SpatialPyramidPooling: mode must be 'max' or 'avg', got ${JSON.stringify(this.mode)}`);
  }

  /** Features per input channel: sum of n^2 over the levels (the output has C times this many). */
  binsPerChannel(): number {
    return this.levels.reduce((s, n) => s + n * n, 0);
  }

  /** Pools. */
  forward(x: Tensor): Tensor {
    return spatialPyramidPool(x, { levels: this.levels, mode: this.mode });
  }

  /** Levels and mode. */
  override extraRepr(): string {
    return `levels=${JSON.stringify(this.levels)}, mode='${this.mode}'`;
  }
}
