/**
 * RoI pooling (Fast R-CNN) and RoI Align (Mask R-CNN), fused, forward and vector-Jacobian product side by side
 * (DESIGN convention 13), following torchvision 0.14's CPU kernels step for step: the same box rounding, bin
 * edges, sampling grid, bilinear weights and out-of-map rules, and in float32 the same float32 rounding of every
 * step (`Math.fround`), so bins that sit exactly on a rounding edge land where torchvision's do. The kernels are
 * backend primitives (src/backend/cpu/roi.ts, and assembly/roi.ts on wasm in float32, equal to the last bit);
 * RoI pooling's gradient is a host loop over the saved argmax. Argument checks and the list-of-boxes form live
 * in src/vision/roi.ts.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { record } from '../autograd/node.js';
import type { RoiAlignGeometry, RoiPoolGeometry } from '../backend/types.js';
import { Tensor } from '../tensor/tensor.js';

/** Checked RoIs: K rows of (batch index, x1, y1, x2, y2), in input coordinates before `spatialScale`. */
export interface RoiRows {
  /** K * 5 numbers. */
  data: Float64Array;
  /** Number of RoIs. */
  count: number;
}

/** RoI pooling's settings: output bins and the coordinate scale. */
export type RoiGrid = RoiPoolGeometry;

/** RoI Align's settings: the grid, sampling points per bin (<= 0: adaptive) and the half-pixel shift. */
export type RoiAlignSettings = RoiAlignGeometry;

/**
 * RoI Align of `input` [N, C, H, W] over `rois` (checked): [K, C, pooledH, pooledW], each bin the average of
 * bilinear samples on a regular grid. Differentiable w.r.t. `input` (not the boxes, as torchvision); forward and
 * gradient are backend kernels (`Kernels.roiAlign`), the gradient not itself differentiable (as torchvision's).
 */
export function roiAlignOp(input: Tensor, rois: RoiRows, s: RoiAlignSettings): Tensor {
  const C = input.shape[1];
  const y = new Tensor(P.backendOf(input).roiAlign(input, rois.data, s), [rois.count, C, s.pooledH, s.pooledW]);
  return record(y, 'RoiAlignBackward', [input], (grad) => [
    new Tensor(P.backendOf(grad).roiAlignBackward(grad, rois.data, s, input.shape), input.shape),
  ], []);
}

/**
 * RoI max pooling of `input` [N, C, H, W] over `rois` (checked): [K, C, pooledH, pooledW], each bin the maximum
 * over its rounded window (0 for an empty window), a backend kernel (`Kernels.roiPool`). Differentiable w.r.t.
 * `input`: each bin's gradient goes to the first maximum of its window, summed in float64 on the host.
 */
export function roiPoolOp(input: Tensor, rois: RoiRows, s: RoiGrid): Tensor {
  const shape = [rois.count, input.shape[1], s.pooledH, s.pooledW];
  const [values, indices] = P.backendOf(input).roiPool(input, rois.data, s);
  const argmax = new Tensor(indices, shape);
  return record(new Tensor(values, shape), 'RoiPoolBackward', [input], (grad) => {
    const g = grad.toTypedArray();
    const at = argmax.toTypedArray();
    const dx = new Float64Array(input.numel());
    for (let i = 0; i < at.length; i++) if (at[i] >= 0) dx[at[i]] += g[i];
    return [P.fromHost(dx, input.shape, input.dtype, input.device)];
  }, []);
}
