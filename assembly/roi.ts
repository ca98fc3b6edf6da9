/**
 * RoI Align in float32, forward and input gradient, and RoI max pooling, with the arithmetic of src/backend/cpu/roi.ts (torchvision
 * 0.14's CPU kernel): every box, bin and sample coordinate and every bilinear weight is computed with the same
 * float32 operations in the same order, each sum is formed in the same order, and the gradient is summed in
 * float64 in the same order, so the results equal the cpu backend's to the last bit. Multiplies and adds are
 * never fused. The feature map is read channels-last (`nchwToNhwcF32`), so one sample's four taps feed four
 * channels per SIMD lane group; lanes never mix channels, so vectorizing changes no rounding.
 */

// Geometry of the current RoI (module globals: each thread's instance has its own).
let startW: f32 = 0;
let startH: f32 = 0;
let binW: f32 = 0;
let binH: f32 = 0;
let gridH: i32 = 0;
let gridW: i32 = 0;
/** Samples per bin that each bin's sum is divided by (at least 1). */
let samples: f64 = 1;

/** Sampling points along one axis: `ratio` when positive, else ceil(size / bins) (clamped so it fits an i32). */
@inline function gridOf(ratio: i32, size: f32, bins: i32): i32 {
  if (ratio > 0) return ratio;
  const g = Mathf.ceil(size / <f32>bins);
  return g > 1e9 ? 1000000000 : g < -1e9 ? -1000000000 : <i32>g;
}

/** Sets the globals above for the RoI row at `roi` (f64 batch index, x1, y1, x2, y2). */
function geometry(roi: usize, scale: f32, aligned: i32, pooledH: i32, pooledW: i32, ratio: i32): void {
  const off: f32 = aligned ? 0.5 : 0;
  const sw = <f32>(load<f64>(roi, 8) * <f64>scale) - off;
  const sh = <f32>(load<f64>(roi, 16) * <f64>scale) - off;
  let rw = (<f32>(load<f64>(roi, 24) * <f64>scale) - off) - sw;
  let rh = (<f32>(load<f64>(roi, 32) * <f64>scale) - off) - sh;
  if (!aligned) {
    rw = max<f32>(rw, 1);
    rh = max<f32>(rh, 1);
  }
  startW = sw;
  startH = sh;
  binH = rh / <f32>pooledH;
  binW = rw / <f32>pooledW;
  gridH = gridOf(ratio, rh, pooledH);
  gridW = gridOf(ratio, rw, pooledW);
  samples = max<f64>(<f64>gridH * <f64>gridW, 1);
}

// The current sample's four taps (flat positions in the H x W map) and weights, set by `sample`.
let p0: i32 = 0;
let p1: i32 = 0;
let p2: i32 = 0;
let p3: i32 = 0;
let w0: f32 = 0;
let w1: f32 = 0;
let w2: f32 = 0;
let w3: f32 = 0;

/** Bilinear taps of the sample at (y, x); false when it lies outside the map (torchvision: weight 0, skipped). */
@inline function sample(y: f32, x: f32, H: i32, W: i32): bool {
  if (y < -1 || y > <f32>H || x < -1 || x > <f32>W) return false;
  if (y <= 0) y = 0;
  if (x <= 0) x = 0;
  let yLow = <i32>y;
  let xLow = <i32>x;
  let yHigh = yLow + 1;
  let xHigh = xLow + 1;
  if (yLow >= H - 1) {
    yHigh = yLow = H - 1;
    y = <f32>yLow;
  }
  if (xLow >= W - 1) {
    xHigh = xLow = W - 1;
    x = <f32>xLow;
  }
  const ly = y - <f32>yLow;
  const lx = x - <f32>xLow;
  const hy: f32 = 1 - ly;
  const hx: f32 = 1 - lx;
  p0 = yLow * W + xLow;
  p1 = yLow * W + xHigh;
  p2 = yHigh * W + xLow;
  p3 = yHigh * W + xHigh;
  w0 = hy * hx;
  w1 = hy * lx;
  w2 = ly * hx;
  w3 = ly * lx;
  return true;
}

/** y coordinate of sample row iy of bin row ph. */
@inline function sampleY(ph: i32, iy: i32): f32 {
  return (startH + <f32>ph * binH) + ((<f32>iy + 0.5) * binH) / <f32>gridH;
}

/** x coordinate of sample column ix of bin column pw. */
@inline function sampleX(pw: i32, ix: i32): f32 {
  return (startW + <f32>pw * binW) + ((<f32>ix + 0.5) * binW) / <f32>gridW;
}

/** Copies [N, C, HW] float32 `src` to [N, HW, C] `dst` (channels last). */
export function nchwToNhwcF32(src: usize, dst: usize, N: i32, C: i32, HW: i32): void {
  for (let n = 0; n < N; n++) {
    const s = src + ((<usize>n * C * HW) << 2);
    const d = dst + ((<usize>n * C * HW) << 2);
    for (let c = 0; c < C; c++) {
      for (let p = 0; p < HW; p++) store<f32>(d + ((<usize>p * C + c) << 2), load<f32>(s + ((<usize>c * HW + p) << 2)));
    }
  }
}

/** Rounds [N, HW, C] float64 `src` to [N, C, HW] float32 `dst`. */
export function nhwcF64ToNchwF32(src: usize, dst: usize, N: i32, C: i32, HW: i32): void {
  for (let n = 0; n < N; n++) {
    const s = src + ((<usize>n * C * HW) << 3);
    const d = dst + ((<usize>n * C * HW) << 2);
    for (let c = 0; c < C; c++) {
      for (let p = 0; p < HW; p++) store<f32>(d + ((<usize>c * HW + p) << 2), <f32>load<f64>(s + ((<usize>p * C + c) << 3)));
    }
  }
}

/**
 * RoI Align of `count` RoIs (rows of 5 f64 at `rois`) over the channels-last map `x` [N, H, W, C] into `out`
 * [count, C, pooledH, pooledW]. `acc` is the thread's scratch of pooledH * pooledW * C floats.
 */
export function roiAlignF32(
  x: usize, rois: usize, out: usize, acc: usize, count: i32, C: i32, H: i32, W: i32,
  pooledH: i32, pooledW: i32, spatialScale: f64, samplingRatio: i32, aligned: i32,
): void {
  const bins = pooledH * pooledW;
  const C4 = C & ~3;
  const scale = <f32>spatialScale;
  for (let n = 0; n < count; n++) {
    const roi = rois + <usize>n * 40;
    geometry(roi, scale, aligned, pooledH, pooledW, samplingRatio);
    memory.fill(acc, 0, (<usize>bins * C) << 2);
    const plane = x + ((<usize><i32>load<f64>(roi) * H * W * C) << 2);
    for (let ph = 0; ph < pooledH; ph++) {
      for (let pw = 0; pw < pooledW; pw++) {
        const row = acc + ((<usize>(ph * pooledW + pw) * C) << 2);
        for (let iy = 0; iy < gridH; iy++) {
          const y = sampleY(ph, iy);
          for (let ix = 0; ix < gridW; ix++) {
            if (!sample(y, sampleX(pw, ix), H, W)) continue;
            const a0 = plane + ((<usize>p0 * C) << 2);
            const a1 = plane + ((<usize>p1 * C) << 2);
            const a2 = plane + ((<usize>p2 * C) << 2);
            const a3 = plane + ((<usize>p3 * C) << 2);
            const v0 = f32x4.splat(w0);
            const v1 = f32x4.splat(w1);
            const v2 = f32x4.splat(w2);
            const v3 = f32x4.splat(w3);
            let c = 0;
            for (; c < C4; c += 4) {
              const o = <usize>c << 2;
              const t = f32x4.add(f32x4.add(f32x4.add(
                f32x4.mul(v0, v128.load(a0 + o)), f32x4.mul(v1, v128.load(a1 + o))), f32x4.mul(v2, v128.load(a2 + o))), f32x4.mul(v3, v128.load(a3 + o)));
              v128.store(row + o, f32x4.add(v128.load(row + o), t));
            }
            for (; c < C; c++) {
              const o = <usize>c << 2;
              const t = ((w0 * load<f32>(a0 + o) + w1 * load<f32>(a1 + o)) + w2 * load<f32>(a2 + o)) + w3 * load<f32>(a3 + o);
              store<f32>(row + o, load<f32>(row + o) + t);
            }
          }
        }
      }
    }
    const dst = out + ((<usize>n * C * bins) << 2);
    for (let k = 0; k < bins; k++) {
      const row = acc + ((<usize>k * C) << 2);
      for (let c = 0; c < C; c++) store<f32>(dst + ((<usize>c * bins + k) << 2), <f32>(<f64>load<f32>(row + (<usize>c << 2)) / samples));
    }
  }
}

/**
 * The input gradient of `roiAlignF32` for channels [c0, c0 + cn): adds each RoI's share of `grad`
 * [K, C, pooledH, pooledW] (rows of 5 f64 at `rois`) into the channels-last float64 sums `dx` [N, H, W, C].
 * `gt` is the thread's scratch of pooledH * pooledW * cn floats. Each sum receives its terms in the cpu kernel's
 * order (RoI, bin, sample, tap), whatever the channel split.
 */
export function roiAlignBackwardF32(
  grad: usize, rois: usize, dx: usize, gt: usize, c0: i32, cn: i32, K: i32, C: i32, H: i32, W: i32,
  pooledH: i32, pooledW: i32, spatialScale: f64, samplingRatio: i32, aligned: i32,
): void {
  const bins = pooledH * pooledW;
  const cn4 = cn & ~3;
  const scale = <f32>spatialScale;
  for (let n = 0; n < K; n++) {
    const roi = rois + <usize>n * 40;
    geometry(roi, scale, aligned, pooledH, pooledW, samplingRatio);
    // this RoI's gradient for the chunk's channels, bin-major
    const gn = grad + ((<usize>(n * C + c0) * bins) << 2);
    for (let j = 0; j < cn; j++) {
      for (let k = 0; k < bins; k++) store<f32>(gt + ((<usize>k * cn + j) << 2), load<f32>(gn + ((<usize>j * bins + k) << 2)));
    }
    const cnt = <f32>samples;
    const cv = f32x4.splat(cnt);
    const plane = dx + ((<usize>(<i32>load<f64>(roi) * H * W) * C + c0) << 3);
    for (let ph = 0; ph < pooledH; ph++) {
      for (let pw = 0; pw < pooledW; pw++) {
        const row = gt + ((<usize>(ph * pooledW + pw) * cn) << 2);
        for (let iy = 0; iy < gridH; iy++) {
          const y = sampleY(ph, iy);
          for (let ix = 0; ix < gridW; ix++) {
            if (!sample(y, sampleX(pw, ix), H, W)) continue;
            const a0 = plane + ((<usize>p0 * C) << 3);
            const a1 = plane + ((<usize>p1 * C) << 3);
            const a2 = plane + ((<usize>p2 * C) << 3);
            const a3 = plane + ((<usize>p3 * C) << 3);
            const v0 = f32x4.splat(w0);
            const v1 = f32x4.splat(w1);
            const v2 = f32x4.splat(w2);
            const v3 = f32x4.splat(w3);
            let j = 0;
            for (; j < cn4; j += 4) {
              const go = v128.load(row + (<usize>j << 2));
              const o = <usize>j << 3;
              addTerm(a0 + o, f32x4.div(f32x4.mul(go, v0), cv));
              addTerm(a1 + o, f32x4.div(f32x4.mul(go, v1), cv));
              addTerm(a2 + o, f32x4.div(f32x4.mul(go, v2), cv));
              addTerm(a3 + o, f32x4.div(f32x4.mul(go, v3), cv));
            }
            for (; j < cn; j++) {
              const go = load<f32>(row + (<usize>j << 2));
              const o = <usize>j << 3;
              store<f64>(a0 + o, load<f64>(a0 + o) + <f64>((go * w0) / cnt));
              store<f64>(a1 + o, load<f64>(a1 + o) + <f64>((go * w1) / cnt));
              store<f64>(a2 + o, load<f64>(a2 + o) + <f64>((go * w2) / cnt));
              store<f64>(a3 + o, load<f64>(a3 + o) + <f64>((go * w3) / cnt));
            }
          }
        }
      }
    }
  }
}

/** Adds four float32 terms to the four float64 sums at `p`. */
@inline function addTerm(p: usize, t: v128): void {
  v128.store(p, f64x2.add(v128.load(p), f64x2.promote_low_f32x4(t)));
  v128.store(p, f64x2.add(v128.load(p, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(t, t, 2, 3, 0, 1))), 16);
}

/** C's round() (halves away from zero) of a float32 value held in f64. */
@inline function roundAway(v: f64): f64 {
  const a = abs(v);
  let r = floor(a);
  if (a - r >= 0.5) r += 1;
  return copysign(r, v);
}

/** min(max(v, 0), hi) as an index. */
@inline function clip(v: f64, hi: i32): i32 {
  return <i32>min(max(v, 0), <f64>hi);
}

/**
 * RoI max pooling of `count` RoIs (rows of 5 f64 at `rois`) over the channels-last map `x` [N, H, W, C] into
 * `values` [count, C, pooledH, pooledW] and `indices` (int32: the flat index into the [N, C, H, W] map of each bin's
 * first maximum, -1 for none), as src/backend/cpu/roi.ts: box corners rounded half away from zero in float64, bin
 * sizes in float32, windows scanned row by row from -FLT_MAX (an empty window gives 0).
 */
export function roiPoolF32(
  x: usize, rois: usize, values: usize, indices: usize, count: i32, C: i32, H: i32, W: i32,
  pooledH: i32, pooledW: i32, spatialScale: f64,
): void {
  const bins = pooledH * pooledW;
  const C4 = C & ~3;
  const HW = H * W;
  const scale = <f64><f32>spatialScale;
  for (let n = 0; n < count; n++) {
    const roi = rois + <usize>n * 40;
    const b = <i32>load<f64>(roi);
    const sw = roundAway(<f32>(load<f64>(roi, 8) * scale));
    const sh = roundAway(<f32>(load<f64>(roi, 16) * scale));
    const rw = max<f64>(roundAway(<f32>(load<f64>(roi, 24) * scale)) - sw + 1, 1);
    const rh = max<f64>(roundAway(<f32>(load<f64>(roi, 32) * scale)) - sh + 1, 1);
    const bh = <f32>(rh / <f64>pooledH);
    const bw = <f32>(rw / <f64>pooledW);
    const plane = x + ((<usize>b * HW * C) << 2);
    const vOut = values + ((<usize>n * C * bins) << 2);
    const iOut = indices + ((<usize>n * C * bins) << 2);
    for (let ph = 0; ph < pooledH; ph++) {
      const hs = clip(floor(<f64>(<f32>ph * bh)) + sh, H);
      const he = clip(ceil(<f64>(<f32>(ph + 1) * bh)) + sh, H);
      for (let pw = 0; pw < pooledW; pw++) {
        const ws = clip(floor(<f64>(<f32>pw * bw)) + sw, W);
        const we = clip(ceil(<f64>(<f32>(pw + 1) * bw)) + sw, W);
        const k = ph * pooledW + pw;
        const empty = he <= hs || we <= ws;
        const start: f32 = empty ? 0 : -3.4028234663852886e38;
        let c = 0;
        for (; c < C4; c += 4) {
          let best = f32x4.splat(start);
          let at = i32x4.splat(-1);
          for (let h = hs; h < he; h++) {
            for (let w = ws; w < we; w++) {
              const v = v128.load(plane + ((<usize>(h * W + w) * C + c) << 2));
              const take = f32x4.gt(v, best);
              best = v128.bitselect(v, best, take);
              at = v128.bitselect(i32x4.splat(h * W + w), at, take);
            }
          }
          poolStore(vOut, iOut, c, bins, k, b, C, HW, f32x4.extract_lane(best, 0), i32x4.extract_lane(at, 0));
          poolStore(vOut, iOut, c + 1, bins, k, b, C, HW, f32x4.extract_lane(best, 1), i32x4.extract_lane(at, 1));
          poolStore(vOut, iOut, c + 2, bins, k, b, C, HW, f32x4.extract_lane(best, 2), i32x4.extract_lane(at, 2));
          poolStore(vOut, iOut, c + 3, bins, k, b, C, HW, f32x4.extract_lane(best, 3), i32x4.extract_lane(at, 3));
        }
        for (; c < C; c++) {
          let best = start;
          let at = -1;
          for (let h = hs; h < he; h++) {
            for (let w = ws; w < we; w++) {
              const v = load<f32>(plane + ((<usize>(h * W + w) * C + c) << 2));
              if (v > best) {
                best = v;
                at = h * W + w;
              }
            }
          }
          poolStore(vOut, iOut, c, bins, k, b, C, HW, best, at);
        }
      }
    }
  }
}

/** Stores bin k of channel c: its maximum and the flat index of that maximum in the [N, C, H, W] map (or -1). */
@inline function poolStore(vOut: usize, iOut: usize, c: i32, bins: i32, k: i32, b: i32, C: i32, HW: i32, best: f32, at: i32): void {
  const o = (<usize>c * bins + k) << 2;
  store<f32>(vOut + o, best);
  store<i32>(iOut + o, at < 0 ? -1 : (b * C + c) * HW + at);
}
