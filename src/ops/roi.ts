/**
 * RoI pooling (Fast R-CNN) and RoI Align (Mask R-CNN), fused, forward and vector-Jacobian product side by side
 * (DESIGN convention 13), following torchvision 0.14's CPU kernels step for step: the same box rounding, bin
 * edges, sampling grid, bilinear weights and out-of-map rules, and in float32 the same float32 rounding of every
 * step (`Math.fround`), so bins that sit exactly on a rounding edge land where torchvision's do. RoI Align is a
 * backend kernel pair (src/backend/cpu/roi.ts, and assembly/roi.ts on wasm in float32, equal to the last bit);
 * RoI pooling runs here on the host. Argument checks and the list-of-boxes form live in src/vision/roi.ts.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { record } from '../autograd/node.js';
import type { RoiAlignGeometry } from '../backend/types.js';
import { Tensor } from '../tensor/tensor.js';

/** Checked RoIs: K rows of (batch index, x1, y1, x2, y2), in input coordinates before `spatialScale`. */
export interface RoiRows {
  /** K * 5 numbers. */
  data: Float64Array;
  /** Number of RoIs. */
  count: number;
}

/** Pooling grid and scale shared by both ops. */
export interface RoiGrid {
  /** Output bins per RoI, vertically. */
  pooledH: number;
  /** Output bins per RoI, horizontally. */
  pooledW: number;
  /** Factor from RoI coordinates to feature-map coordinates. */
  spatialScale: number;
}

/** RoI Align's settings: the grid, sampling points per bin (<= 0: adaptive) and the half-pixel shift. */
export type RoiAlignSettings = RoiAlignGeometry;

/** Identity in float64, float32 rounding in float32: evaluating torchvision's float expressions as it does. */
function rounder(dtype: string): (v: number) => number {
  return dtype === 'float32' ? Math.fround : (v: number) => v;
}

/** C's round(): halves away from zero (JS Math.round sends -2.5 to -2). */
function roundAway(v: number): number {
  return v < 0 ? -Math.round(-v) : Math.round(v);
}

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

/** The input rows/columns [start, end) of bin (ph, pw) of one RoI, clipped to the map (torchvision's roi_pool). */
function poolBins(roi: ArrayLike<number>, o: number, H: number, W: number, s: RoiGrid, r: (v: number) => number): [number, number, number, number][] {
  const scale = r(s.spatialScale);
  const sw = roundAway(r(roi[o + 1] * scale));
  const sh = roundAway(r(roi[o + 2] * scale));
  const ew = roundAway(r(roi[o + 3] * scale));
  const eh = roundAway(r(roi[o + 4] * scale));
  const rw = Math.max(ew - sw + 1, 1);
  const rh = Math.max(eh - sh + 1, 1);
  const bh = r(rh / s.pooledH);
  const bw = r(rw / s.pooledW);
  const clip = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
  const out: [number, number, number, number][] = [];
  for (let ph = 0; ph < s.pooledH; ph++) {
    for (let pw = 0; pw < s.pooledW; pw++) {
      out.push([
        clip(Math.floor(r(ph * bh)) + sh, H), clip(Math.ceil(r((ph + 1) * bh)) + sh, H),
        clip(Math.floor(r(pw * bw)) + sw, W), clip(Math.ceil(r((pw + 1) * bw)) + sw, W),
      ]);
    }
  }
  return out;
}

/** -FLT_MAX, the running maximum torchvision's roi_pool starts from (in float64 too). */
const NEG_FLT_MAX = -3.4028234663852886e38;

/**
 * RoI max pooling of `input` [N, C, H, W] over `rois` (checked): [K, C, pooledH, pooledW], each bin the maximum
 * over its rounded window (0 for an empty window). Differentiable w.r.t. `input`: each bin's gradient goes to the
 * first maximum of its window.
 */
export function roiPoolOp(input: Tensor, rois: RoiRows, s: RoiGrid): Tensor {
  const [, C, H, W] = input.shape;
  const r = rounder(input.dtype);
  const x = input.toTypedArray();
  const K = rois.count;
  const bin = s.pooledH * s.pooledW;
  const out = new Float64Array(K * C * bin);
  const argmax = new Int32Array(K * C * bin);
  for (let n = 0; n < K; n++) {
    const b = rois.data[5 * n];
    const bins = poolBins(rois.data, 5 * n, H, W, s, r);
    for (let c = 0; c < C; c++) {
      const base = (b * C + c) * H * W;
      bins.forEach(([hs, he, ws, we], k) => {
        let best = he <= hs || we <= ws ? 0 : NEG_FLT_MAX;
        let arg = -1;
        for (let h = hs; h < he; h++) {
          for (let w = ws; w < we; w++) {
            if (x[base + h * W + w] > best) {
              best = x[base + h * W + w];
              arg = h * W + w;
            }
          }
        }
        out[(n * C + c) * bin + k] = best;
        argmax[(n * C + c) * bin + k] = arg < 0 ? -1 : base + arg;
      });
    }
  }
  const y = P.fromHost(out, [K, C, s.pooledH, s.pooledW], input.dtype, input.device);
  return record(y, 'RoiPoolBackward', [input], (grad) => {
    const g = grad.toTypedArray();
    const dx = new Float64Array(input.numel());
    for (let i = 0; i < argmax.length; i++) if (argmax[i] >= 0) dx[argmax[i]] += g[i];
    return [P.fromHost(dx, input.shape, input.dtype, input.device)];
  }, [input]);
}
