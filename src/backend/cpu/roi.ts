/**
 * RoI Align forward and input gradient (`Kernels.roiAlign`, `Kernels.roiAlignBackward`), following torchvision
 * 0.14's CPU kernels step for step: the same box scaling, bin edges, sampling grid, bilinear weights and
 * out-of-map rules, and in float32 the same float32 rounding of every step (`Math.fround`), so bins that sit
 * exactly on a rounding edge land where torchvision's do. The input gradient is summed in float64 and rounded
 * once. The wasm backend's float32 kernels (assembly/roi.ts) repeat this arithmetic operation for operation.
 * @module
 */
import type { RoiAlignGeometry, RoiPoolGeometry, Storage, View } from '../types.js';
import { HostStorage, allocArray, denseData, sizeOf } from './storage.js';

/**
 * The bilinear samples of one RoI: for sample j, flat positions pos[4j..4j+3] in an H x W map and their weights,
 * samples of bin k at [binStart[k], binStart[k+1]); samples outside the map (weight 0 in torchvision) are left out.
 * `count` divides each bin's sum.
 */
interface AlignPlan {
  pos: Int32Array;
  w: Float64Array;
  binStart: Int32Array;
  count: number;
}

/** torchvision's pre_calc_for_bilinear_interpolate for one RoI (and its backward's bilinear_interpolate_gradient). */
function alignPlan(roi: Float64Array, o: number, H: number, W: number, s: RoiAlignGeometry, r: (v: number) => number): AlignPlan {
  const off = s.aligned ? 0.5 : 0;
  const scale = r(s.spatialScale);
  const sw = r(r(roi[o + 1] * scale) - off);
  const sh = r(r(roi[o + 2] * scale) - off);
  let rw = r(r(r(roi[o + 3] * scale) - off) - sw);
  let rh = r(r(r(roi[o + 4] * scale) - off) - sh);
  if (!s.aligned) {
    rw = Math.max(rw, 1);
    rh = Math.max(rh, 1);
  }
  const bh = r(rh / s.pooledH);
  const bw = r(rw / s.pooledW);
  const gh = s.samplingRatio > 0 ? s.samplingRatio : Math.ceil(r(rh / s.pooledH));
  const gw = s.samplingRatio > 0 ? s.samplingRatio : Math.ceil(r(rw / s.pooledW));
  const bins = s.pooledH * s.pooledW;
  const most = bins * Math.max(gh, 0) * Math.max(gw, 0);
  const pos = new Int32Array(4 * most);
  const w = new Float64Array(4 * most);
  const binStart = new Int32Array(bins + 1);
  let j = 0;
  for (let ph = 0; ph < s.pooledH; ph++) {
    for (let pw = 0; pw < s.pooledW; pw++) {
      binStart[ph * s.pooledW + pw] = j;
      for (let iy = 0; iy < gh; iy++) {
        const y = r(r(sh + r(ph * bh)) + r(r((iy + 0.5) * bh) / gh));
        for (let ix = 0; ix < gw; ix++) {
          let x = r(r(sw + r(pw * bw)) + r(r((ix + 0.5) * bw) / gw));
          if (y < -1 || y > H || x < -1 || x > W) continue;
          let yy = y <= 0 ? 0 : y;
          if (x <= 0) x = 0;
          let yLow = Math.trunc(yy);
          let xLow = Math.trunc(x);
          let yHigh = yLow + 1;
          let xHigh = xLow + 1;
          if (yLow >= H - 1) {
            yHigh = yLow = H - 1;
            yy = yLow;
          }
          if (xLow >= W - 1) {
            xHigh = xLow = W - 1;
            x = xLow;
          }
          const ly = r(yy - yLow);
          const lx = r(x - xLow);
          const hy = r(1 - ly);
          const hx = r(1 - lx);
          const q = 4 * j++;
          pos[q] = yLow * W + xLow;
          pos[q + 1] = yLow * W + xHigh;
          pos[q + 2] = yHigh * W + xLow;
          pos[q + 3] = yHigh * W + xHigh;
          w[q] = r(hy * hx);
          w[q + 1] = r(hy * lx);
          w[q + 2] = r(ly * hx);
          w[q + 3] = r(ly * lx);
        }
      }
    }
  }
  binStart[bins] = j;
  return { pos, w, binStart, count: Math.max(gh * gw, 1) };
}

/** Identity in float64, float32 rounding in float32: evaluating torchvision's float expressions as it does. */
function rounder(dtype: string): (v: number) => number {
  return dtype === 'float32' ? Math.fround : (v: number) => v;
}

/** RoI Align of x [N, C, H, W] over the K RoI rows; see `Kernels.roiAlign`. */
export function roiAlign(xv: View, rois: Float64Array, s: RoiAlignGeometry): Storage {
  const [, C, H, W] = xv.shape;
  const dtype = xv.storage.dtype;
  const f32 = dtype === 'float32';
  const r = rounder(dtype);
  const fr = Math.fround;
  const x = denseData(xv);
  const K = rois.length / 5;
  const bins = s.pooledH * s.pooledW;
  const out = allocArray(dtype, K * C * bins);
  for (let n = 0; n < K; n++) {
    const { pos, w, binStart, count } = alignPlan(rois, 5 * n, H, W, s, r);
    for (let c = 0; c < C; c++) {
      const base = (rois[5 * n] * C + c) * H * W;
      for (let k = 0; k < bins; k++) {
        let acc = 0;
        const end = 4 * binStart[k + 1];
        // torchvision adds each sample's four products left to right, then the sample to the running sum
        if (f32) {
          for (let q = 4 * binStart[k]; q < end; q += 4) {
            acc = fr(acc + fr(fr(fr(fr(w[q] * x[base + pos[q]]) + fr(w[q + 1] * x[base + pos[q + 1]])) + fr(w[q + 2] * x[base + pos[q + 2]])) + fr(w[q + 3] * x[base + pos[q + 3]])));
          }
        } else {
          for (let q = 4 * binStart[k]; q < end; q += 4) {
            acc += w[q] * x[base + pos[q]] + w[q + 1] * x[base + pos[q + 1]] + w[q + 2] * x[base + pos[q + 2]] + w[q + 3] * x[base + pos[q + 3]];
          }
        }
        out[(n * C + c) * bins + k] = r(acc / count);
      }
    }
  }
  return new HostStorage(dtype, out);
}

/** The input gradient of `roiAlign`, summed in float64; see `Kernels.roiAlignBackward`. */
export function roiAlignBackward(grad: View, rois: Float64Array, s: RoiAlignGeometry, xShape: readonly number[]): Storage {
  const [, C, H, W] = xShape;
  const dtype = grad.storage.dtype;
  const r = rounder(dtype);
  const g = denseData(grad);
  const K = rois.length / 5;
  const bins = s.pooledH * s.pooledW;
  const dx = new Float64Array(sizeOf(xShape));
  for (let n = 0; n < K; n++) {
    const { pos, w, binStart, count } = alignPlan(rois, 5 * n, H, W, s, r);
    for (let c = 0; c < C; c++) {
      const base = (rois[5 * n] * C + c) * H * W;
      for (let k = 0; k < bins; k++) {
        const go = g[(n * C + c) * bins + k];
        if (go === 0) continue;
        const end = 4 * binStart[k + 1];
        for (let q = 4 * binStart[k]; q < end; q++) dx[base + pos[q]] += r(r(go * w[q]) / count);
      }
    }
  }
  const out = allocArray(dtype, dx.length);
  out.set(dx);
  return new HostStorage(dtype, out);
}

/** C's round(): halves away from zero (JS Math.round sends -2.5 to -2). */
function roundAway(v: number): number {
  return v < 0 ? -Math.round(-v) : Math.round(v);
}

/** The input rows/columns [start, end) of bin (ph, pw) of one RoI, clipped to the map (torchvision's roi_pool). */
function poolBins(roi: Float64Array, o: number, H: number, W: number, s: RoiPoolGeometry, r: (v: number) => number): [number, number, number, number][] {
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

/** RoI max pooling with the flat index of each bin's first maximum; see `Kernels.roiPool`. */
export function roiPool(xv: View, rois: Float64Array, s: RoiPoolGeometry): [Storage, Storage] {
  const [, C, H, W] = xv.shape;
  const dtype = xv.storage.dtype;
  const r = rounder(dtype);
  const x = denseData(xv);
  const K = rois.length / 5;
  const bin = s.pooledH * s.pooledW;
  const out = allocArray(dtype, K * C * bin);
  const argmax = new Int32Array(K * C * bin);
  for (let n = 0; n < K; n++) {
    const b = rois[5 * n];
    const bins = poolBins(rois, 5 * n, H, W, s, r);
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
  return [new HostStorage(dtype, out), new HostStorage('int32', argmax)];
}
