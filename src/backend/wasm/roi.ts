/**
 * The `wasm` backend's RoI Align pair (`Kernels.roiAlign`, `Kernels.roiAlignBackward`) and RoI pooling
 * (`Kernels.roiPool`) in float32: the feature map goes into the arena channels-last, the forward passes split the
 * RoIs over the thread pool and RoI Align's gradient splits the channels, each thread summing its channels of
 * every RoI in order, so the results are the cpu kernels' (src/backend/cpu/roi.ts) to the last bit for any
 * thread count. Float64 runs the cpu kernels.
 * @module
 */
import { cpuBackend } from '../cpu/index.js';
import { HostStorage, denseData } from '../cpu/storage.js';
import type { RoiAlignGeometry, RoiPoolGeometry, Storage, View } from '../types.js';
import type { WasmRuntime } from './runtime.js';
import type { ThreadPool } from './threads.js';

/** Below this many output elements a RoI Align pass runs on one thread. */
const PARALLEL_ROI_ELEMENTS = 1 << 16;

function align64(n: number): number {
  return (n + 63) & ~63;
}

/** The RoI Align and RoI pooling kernels of the wasm backend over a loaded runtime and its pool. */
export function wasmRoiAlign(rt: WasmRuntime, pool: ThreadPool, name: string): {
  roiAlign(x: View, rois: Float64Array, s: RoiAlignGeometry): Storage;
  roiAlignBackward(grad: View, rois: Float64Array, s: RoiAlignGeometry, xShape: readonly number[]): Storage;
  roiPool(x: View, rois: Float64Array, s: RoiPoolGeometry): [Storage, Storage];
} {
  const relabel = (s: Storage): Storage => new HostStorage(s.dtype, (s as HostStorage).data, name);

  /** Copies the RoI rows into the arena as float64. */
  function putRois(rois: Float64Array): number {
    const ptr = rt.alloc(rois.length * 8);
    new Float64Array(rt.memory.buffer, ptr, rois.length).set(rois);
    return ptr;
  }

  function geometryArgs(s: RoiAlignGeometry): number[] {
    return [s.pooledH, s.pooledW, s.spatialScale, s.samplingRatio, s.aligned ? 1 : 0];
  }

  function roiAlign(x: View, rois: Float64Array, s: RoiAlignGeometry): Storage {
    const [N, C, H, W] = x.shape;
    const K = rois.length / 5;
    const bins = s.pooledH * s.pooledW;
    const total = K * C * bins;
    if (x.storage.dtype !== 'float32' || total === 0 || N * C * H * W === 0) return relabel(cpuBackend.roiAlign(x, rois, s));
    rt.reset();
    const src = rt.putF32(denseData(x) as Float32Array);
    const xt = rt.alloc(N * C * H * W * 4);
    rt.exports.nchwToNhwcF32(src, xt, N, C, H * W);
    const rp = putRois(rois);
    const out = rt.alloc(total * 4);
    const threads = pool.size;
    const accStride = align64(bins * C * 4);
    const acc = rt.alloc(accStride * threads);
    // several chunks per thread, so a worker that wakes late costs little
    const per = threads > 1 && total >= PARALLEL_ROI_ELEMENTS ? Math.max(1, Math.ceil(K / (threads * 4))) : K;
    const base = [xt, rp, out, acc, K, C, H, W, ...geometryArgs(s)];
    const step = base.map(() => 0);
    [step[1], step[2]] = [per * 40, per * C * bins * 4];
    pool.run({ fn: 'roiAlignF32', base, step, total: K, per, countArg: 4, threadArgs: [[3, acc, accStride]] });
    return new HostStorage('float32', rt.takeF32(out, total), name);
  }

  function roiAlignBackward(grad: View, rois: Float64Array, s: RoiAlignGeometry, xShape: readonly number[]): Storage {
    const [N, C, H, W] = xShape;
    const K = rois.length / 5;
    const bins = s.pooledH * s.pooledW;
    const n = N * C * H * W;
    if (grad.storage.dtype !== 'float32' || K * C * bins === 0 || n === 0) return relabel(cpuBackend.roiAlignBackward(grad, rois, s, xShape));
    rt.reset();
    const gp = rt.putF32(denseData(grad) as Float32Array);
    const rp = putRois(rois);
    const sums = rt.alloc(n * 8);
    rt.f32.fill(0, sums >> 2, (sums >> 2) + 2 * n);
    const out = rt.alloc(n * 4);
    const threads = pool.size;
    // one channel block per thread (multiples of 4 for the SIMD lanes): each block walks every RoI's samples
    const per = threads > 1 && K * C * bins >= PARALLEL_ROI_ELEMENTS && C >= 8 ? Math.ceil(C / threads / 4) * 4 : C;
    const gtStride = align64(bins * per * 4);
    const gt = rt.alloc(gtStride * threads);
    const base = [gp, rp, sums, gt, 0, C, K, C, H, W, ...geometryArgs(s)];
    const step = base.map(() => 0);
    step[4] = per;
    pool.run({ fn: 'roiAlignBackwardF32', base, step, total: C, per, countArg: 5, threadArgs: [[3, gt, gtStride]] });
    rt.exports.nhwcF64ToNchwF32(sums, out, N, C, H * W);
    return new HostStorage('float32', rt.takeF32(out, n), name);
  }

  function roiPool(x: View, rois: Float64Array, s: RoiPoolGeometry): [Storage, Storage] {
    const [N, C, H, W] = x.shape;
    const K = rois.length / 5;
    const total = K * C * s.pooledH * s.pooledW;
    if (x.storage.dtype !== 'float32' || total === 0 || N * C * H * W === 0) {
      const [v, i] = cpuBackend.roiPool(x, rois, s);
      return [relabel(v), relabel(i)];
    }
    rt.reset();
    const src = rt.putF32(denseData(x) as Float32Array);
    const xt = rt.alloc(N * C * H * W * 4);
    rt.exports.nchwToNhwcF32(src, xt, N, C, H * W);
    const rp = putRois(rois);
    const vp = rt.alloc(total * 4);
    const ip = rt.alloc(total * 4);
    const per = pool.size > 1 && total >= PARALLEL_ROI_ELEMENTS ? Math.max(1, Math.ceil(K / (pool.size * 4))) : K;
    const base = [xt, rp, vp, ip, K, C, H, W, s.pooledH, s.pooledW, s.spatialScale];
    const step = base.map(() => 0);
    const bytes = per * C * s.pooledH * s.pooledW * 4;
    [step[1], step[2], step[3]] = [per * 40, bytes, bytes];
    pool.run({ fn: 'roiPoolF32', base, step, total: K, per, countArg: 4, threadArgs: [] });
    return [new HostStorage('float32', rt.takeF32(vp, total), name), new HostStorage('int32', rt.takeI32(ip, total), name)];
  }

  return { roiAlign, roiAlignBackward, roiPool };
}
