/**
 * The `wasm` backend's kernel table. Storage is host memory (typed arrays, garbage-collected); the float32
 * kernels — GEMM in every transpose layout, fused conv2d and its two backward passes, im2col/col2im and max
 * pooling (./window.ts), RoI Align and RoI pooling (./roi.ts), batch normalization with batch statistics
 * (./norm.ts), softmax (./softmax.ts), layer normalization (./layer-norm.ts), the LSTM cell, elementwise maps and
 * binary ops with broadcasting, reductions and arg-reductions, Adam and SGD updates — copy their operands into the
 * WebAssembly arena, run the SIMD kernels there (split over the thread pool when the work is large enough to pay for
 * it) and copy the result out; parameters and optimizer state that an optimizer kernel moved into the kernel memory
 * (./resident.ts) are read and updated in place. The remaining entries (other dtypes, gathers and scatters, scans,
 * sorting, copies of strided views) are the reference TypeScript kernels run on the same host arrays, so the table
 * is complete and agrees with `cpu` wherever wasm kernels do not apply.
 * @module
 */
import type { Backend, BinaryOp, DType, ReduceOp, SequenceGrads, Storage, UnaryOp, View } from '../types.js';
import { cpuBackend } from '../cpu/index.js';
import { HostStorage, arrayOf, denseData, isRowMajor, rowMajorStrides, sizeOf } from '../cpu/storage.js';
import { ArenaFullError, type WasmRuntime } from './runtime.js';
import type { ThreadPool } from './threads.js';
import { wasmRoiAlign } from './roi.js';
import { matmulF64 } from './matmul-f64.js';
import { wasmBatchNorm } from './norm.js';
import { wasmSoftmax } from './softmax.js';
import { wasmLayerNorm } from './layer-norm.js';
import { wasmWindowKernels } from './window.js';
import { wasmRecurrentSequence } from './recurrent.js'; // issue 18 (h-rnn)
import { type PlacedView, wasmAttention } from './attention.js';
import { wasmDropout } from './dropout.js';
import { wasmOptimizers } from './optim.js';
import { wasmBinaryCrossEntropy } from './bce.js';
import { ResidentMemory } from './resident.js';

/** Below this many multiply-adds a GEMM runs on one thread (waking workers costs more than it saves). */
const PARALLEL_GEMM_MACS = 1 << 22;

/**
 * Below this many elements an elementwise kernel runs on one thread. Chunks start at multiples of 4 elements (and
 * of a broadcast operand's period), so every element takes the same SIMD path for any thread count.
 */
const PARALLEL_ELEMENTWISE = 1 << 17;

/** Op codes of assembly/elementwise.ts and assembly/reduce.ts. */
const UNARY_CODES: Partial<Record<UnaryOp, number>> = {
  neg: 0, abs: 1, sqrt: 2, rsqrt: 3, reciprocal: 4, square: 5, relu: 6, leakyRelu: 7, clamp: 8, exp: 9, tanh: 10, sigmoid: 11,
  log: 12,
};
const BINARY_CODES: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5, maskPositive: 6 };
const REDUCE_CODES: Partial<Record<ReduceOp, number>> = { sum: 0, max: 1, min: 2 };
const ARG_REDUCE_CODES: Partial<Record<ReduceOp, number>> = { argmax: 0, argmin: 1 };

/**
 * How a view of an n-element output reads its storage, when it is a broadcast of one row-major block:
 * element i reads storage[offset + floor(i / rep) % inner]. Dense views have inner = n, rep = 1; scalars
 * inner = 1. Null for any other layout.
 */
function broadcastPattern(v: View): { inner: number; rep: number } | null {
  const { shape, strides } = v;
  let d = shape.length - 1;
  let rep = 1;
  while (d >= 0 && (shape[d] === 1 || strides[d] === 0)) rep *= shape[d--];
  let inner = 1;
  while (d >= 0 && (shape[d] === 1 || strides[d] === inner)) inner *= shape[d--];
  for (; d >= 0; d--) if (shape[d] !== 1 && strides[d] !== 0) return null;
  return { inner, rep };
}

function align64(n: number): number {
  return (n + 63) & ~63;
}

/** An operand placed in the arena: its address and the element strides of its rows, columns and batches. */
interface Placed {
  ptr: number;
  rs: number;
  cs: number;
  bs: number;
}

/**
 * Builds the wasm backend's kernel table over a loaded runtime and its thread pool. `residentBytes` bounds the
 * kernel memory its optimizer kernels may keep parameters and optimizer state in (resident.ts; 0: none).
 */
export function createWasmBackend(rt: WasmRuntime, pool: ThreadPool, opts: { residentBytes?: number } = {}): Backend {
  const NAME = 'wasm';
  const relabel = (s: Storage): Storage => new HostStorage(s.dtype, (s as HostStorage).data, NAME);
  const isF32 = (v: View) => v.storage.dtype === 'float32';
  const resident = new ResidentMemory(rt, opts.residentBytes);

  /** Address of a row-major view's first element when its storage lives in the kernel memory (resident.ts), else null. */
  function residentAt(v: View): number | null {
    const base = resident.addressOf(arrayOf(v));
    return base !== undefined && isRowMajor(v) ? base + v.offset * 4 : null;
  }

  /** Address of a float32 operand read row-major: where it is when resident, else a copy placed in the arena. */
  function operand(v: View): number {
    return residentAt(v) ?? rt.putF32(denseData(v) as Float32Array);
  }

  /**
   * Places a float32 view as it lies in its storage when its last stride is 1 and none is negative (the span from
   * its first to its last element, or its resident address), else as a row-major copy; its address and strides.
   */
  function placeAsItLies(v: View): PlacedView {
    const st = v.strides;
    const n = v.shape.length;
    if (n > 0 && st[n - 1] === 1 && st.every((s) => s >= 0) && sizeOf(v.shape) > 0) {
      const base = resident.addressOf(arrayOf(v));
      if (base !== undefined) return { ptr: base + v.offset * 4, strides: st };
      const span = 1 + v.shape.reduce((a, s, d) => a + (s - 1) * st[d], 0);
      return { ptr: rt.putF32((arrayOf(v) as Float32Array).subarray(v.offset, v.offset + span)), strides: st };
    }
    return { ptr: operand(v), strides: rowMajorStrides(v.shape) };
  }

  /**
   * Moves the storage of a view that is all of it (row-major, from its start) into the kernel memory, for the
   * optimizer kernels; its address, or null where it stays in host memory. Before the kernel's `rt.reset()`.
   */
  function adoptWhole(v: View): number | null {
    const n = sizeOf(v.shape);
    return v.offset === 0 && n === v.storage.length && isRowMajor(v) ? resident.adopt(v.storage as HostStorage) : null;
  }

  /** Per-thread GEMM scratch: one permanent block, `stride` bytes per thread (reserved between kernel calls). */
  let scratch = { base: 0, stride: 0, threads: 0 };
  function scratchFor(threads: number): { base: number; stride: number } {
    if (scratch.threads < threads) {
      const stride = align64(rt.exports.sgemmScratchBytes());
      scratch = { base: rt.permanent(stride * threads), stride, threads };
    }
    return scratch;
  }

  /**
   * Copies the part of `v`'s storage that a [batch..., rows, cols] view reads into the arena, keeping its
   * strides when the batch dims fold into one stride and the span is compact; otherwise a dense copy.
   */
  function place(v: View): Placed {
    const r = v.shape.length;
    const data = arrayOf(v) as Float32Array;
    let bs = 0;
    let foldable = v.strides.every((s) => s >= 0);
    let inner = -1;
    for (let d = r - 3; d >= 0 && foldable; d--) {
      if (v.shape[d] === 1) continue;
      if (inner < 0) {
        bs = v.strides[d];
        inner = v.strides[d] * v.shape[d];
      } else if (v.strides[d] === 0 && bs === 0) {
        continue;
      } else if (v.strides[d] !== inner) {
        foldable = false;
      } else {
        inner = v.strides[d] * v.shape[d];
      }
    }
    const n = sizeOf(v.shape);
    const at = foldable ? resident.addressOf(data) : undefined;
    if (at !== undefined) return { ptr: at + v.offset * 4, rs: v.strides[r - 2], cs: v.strides[r - 1], bs };
    if (foldable) {
      let span = 1;
      for (let d = 0; d < r; d++) span += (v.shape[d] - 1) * v.strides[d];
      if (span <= 2 * n + 64) {
        const ptr = rt.putF32(data.subarray(v.offset, v.offset + span));
        return { ptr, rs: v.strides[r - 2], cs: v.strides[r - 1], bs };
      }
    }
    const rows = v.shape[r - 2];
    const cols = v.shape[r - 1];
    return { ptr: rt.putF32(denseData(v) as Float32Array), rs: cols, cs: 1, bs: rows * cols };
  }

  function matmul(a: View, b: View, dtype: DType): Storage {
    if (dtype === 'float64' && a.storage.dtype === 'float64' && b.storage.dtype === 'float64') return matmulF64(rt, pool, a, b, NAME);
    if (dtype !== 'float32' || !isF32(a) || !isF32(b)) return relabel(cpuBackend.matmul(a, b, dtype));
    const r = a.shape.length;
    const M = a.shape[r - 2];
    const K = a.shape[r - 1];
    const N = b.shape[r - 1];
    const count = sizeOf(a.shape.slice(0, r - 2));
    if (count * M * N === 0) return new HostStorage('float32', new Float32Array(0), NAME);
    const threads = pool.size;
    rt.reset();
    const sc = scratchFor(threads);
    const A = place(a);
    const B = place(b);
    const C = rt.alloc(count * M * N * 4);
    const base = [count, M, N, K, A.ptr, A.rs, A.cs, A.bs, B.ptr, B.rs, B.cs, B.bs, C, N, M * N, 0, sc.base];
    const step = base.map(() => 0);
    const scratchArg = [[16, sc.base, sc.stride]] as const;
    const parallel = threads > 1 && count * M * N * K >= PARALLEL_GEMM_MACS;
    // smaller products in two chunks per thread (a late worker then costs half a share); large ones in one,
    // since every column chunk packs A again
    const split = count * M * N * K < 1 << 25 ? 2 : 1;
    if (!parallel) {
      rt.exports.sgemmBatched(count, M, N, K, A.ptr, A.rs, A.cs, A.bs, B.ptr, B.rs, B.cs, B.bs, C, N, M * N, 0, sc.base);
    } else if (count >= 2 * threads) {
      // whole matrices per chunk
      const job = pool.chunked('sgemmBatched', base, step, count, 0, scratchArg, true, 2);
      [step[4], step[8], step[12]] = [job.per * A.bs * 4, job.per * B.bs * 4, job.per * M * N * 4];
      pool.run(job);
    } else if (N >= M) {
      // column blocks (multiples of the micro-kernel's 8 columns)
      const per = Math.max(8, Math.ceil(N / (threads * split) / 8) * 8);
      [step[8], step[12]] = [per * B.cs * 4, per * 4];
      pool.run({ fn: 'sgemmBatched', base, step, total: N, per, countArg: 2, threadArgs: scratchArg });
    } else {
      // row blocks (multiples of the micro-kernel's 6 rows)
      const per = Math.max(6, Math.ceil(M / (threads * split) / 6) * 6);
      [step[4], step[12]] = [per * A.rs * 4, per * N * 4];
      pool.run({ fn: 'sgemmBatched', base, step, total: M, per, countArg: 1, threadArgs: scratchArg });
    }
    return new HostStorage('float32', rt.takeF32(C, count * M * N), NAME);
  }

  function lstmCell(gates: View, c: View | null): [Storage, Storage] {
    if (!isF32(gates) || (c && !isF32(c))) {
      const [o, a] = cpuBackend.lstmCell(gates, c);
      return [relabel(o), relabel(a)];
    }
    const [N, H4] = gates.shape;
    const H = H4 / 4;
    rt.reset();
    const gp = rt.putF32(denseData(gates) as Float32Array);
    const cp = c ? rt.putF32(denseData(c) as Float32Array) : 0;
    const op = rt.alloc(N * 2 * H * 4);
    const ap = rt.alloc(N * 5 * H * 4);
    rt.exports.lstmCellF32(gp, cp, op, ap, N, H);
    return [new HostStorage('float32', rt.takeF32(op, N * 2 * H), NAME), new HostStorage('float32', rt.takeF32(ap, N * 5 * H), NAME)];
  }

  function lstmCellBackward(act: View, c: View | null, grad: View): [Storage, Storage | null] {
    if (!isF32(act) || !isF32(grad) || (c && !isF32(c))) {
      const [g, d] = cpuBackend.lstmCellBackward(act, c, grad);
      return [relabel(g), d && relabel(d)];
    }
    const [N, H5] = act.shape;
    const H = H5 / 5;
    rt.reset();
    const ap = rt.putF32(denseData(act) as Float32Array);
    const cp = c ? rt.putF32(denseData(c) as Float32Array) : 0;
    const dp = rt.putF32(denseData(grad) as Float32Array);
    const gp = rt.alloc(N * 4 * H * 4);
    const dcp = c ? rt.alloc(N * H * 4) : 0;
    rt.exports.lstmCellBackwardF32(ap, cp, dp, gp, dcp, N, H);
    return [
      new HostStorage('float32', rt.takeF32(gp, N * 4 * H), NAME),
      c ? new HostStorage('float32', rt.takeF32(dcp, N * H), NAME) : null,
    ];
  }

  function bernoulliMask(state: Int32Array, n: number, threshold: number, scale: number, dtype: DType): Storage {
    if (dtype !== 'float32' || n === 0) return relabel(cpuBackend.bernoulliMask(state, n, threshold, scale, dtype));
    rt.reset();
    const sp = rt.alloc(16);
    rt.i32.set(state, sp >> 2);
    const out = rt.alloc(n * 4);
    rt.exports.bernoulliMaskF32(sp, out, n, threshold, scale);
    state.set(rt.i32.subarray(sp >> 2, (sp >> 2) + 4));
    return new HostStorage('float32', rt.takeF32(out, n), NAME);
  }

  function unary(op: UnaryOp, x: View, dtype: DType, p: number, q: number): Storage {
    const code = UNARY_CODES[op];
    const n = sizeOf(x.shape);
    if (code === undefined || dtype !== 'float32' || !isF32(x) || n === 0) {
      return relabel(cpuBackend.unary(op, x, dtype, p, q));
    }
    rt.reset();
    const xp = rt.putF32(denseData(x) as Float32Array);
    const out = rt.alloc(n * 4);
    if (pool.size > 1 && n >= PARALLEL_ELEMENTWISE) {
      const per = Math.ceil(n / (pool.size * 2) / 4) * 4;
      pool.run({ fn: 'unaryF32', base: [code, xp, out, n, p, q], step: [0, per * 4, per * 4, 0, 0, 0], total: n, per, countArg: 3, threadArgs: [] });
    } else {
      rt.exports.unaryF32(code, xp, out, n, p, q);
    }
    return new HostStorage('float32', rt.takeF32(out, n), NAME);
  }

  function binary(op: BinaryOp, a: View, b: View, dtype: DType): Storage {
    const code = BINARY_CODES[op];
    const n = sizeOf(a.shape);
    if (code === undefined || dtype !== 'float32' || !isF32(a) || !isF32(b) || n === 0) {
      return relabel(cpuBackend.binary(op, a, b, dtype));
    }
    let pa = broadcastPattern(a);
    let pb = broadcastPattern(b);
    let [dense, other, swap] = [a, b, 0];
    if (pa?.inner !== n && pb?.inner === n) [dense, other, swap, pa, pb] = [b, a, 1, pb, pa];
    if (pb === null) pb = { inner: n, rep: 1 };
    rt.reset();
    const ap = operand(dense);
    const bAt = resident.addressOf(arrayOf(other));
    const bp = pb.inner === n && pb.rep === 1
      ? operand(other)
      : bAt !== undefined ? bAt + other.offset * 4 : rt.putF32((arrayOf(other) as Float32Array).subarray(other.offset, other.offset + pb.inner));
    const out = rt.alloc(n * 4);
    const denseB = pb.inner === n && pb.rep === 1;
    // a broadcast b repeats every inner * rep outputs: chunks of whole periods all start reading it at its start
    const period = denseB || pb.inner === 1 ? 4 : pb.inner * pb.rep;
    if (pool.size > 1 && n >= PARALLEL_ELEMENTWISE && n >= 2 * period) {
      const per = Math.ceil(n / period / (pool.size * 2)) * period;
      const step = [0, per * 4, denseB ? per * 4 : 0, 0, 0, 0, per * 4, 0];
      pool.run({ fn: 'binaryF32', base: [code, ap, bp, pb.inner, pb.rep, swap, out, n], step, total: n, per, countArg: 7, threadArgs: [] });
    } else {
      rt.exports.binaryF32(code, ap, bp, pb.inner, pb.rep, swap, out, n);
    }
    return new HostStorage('float32', rt.takeF32(out, n), NAME);
  }

  /**
   * Sum, max or min over axes that are not consecutive (batch norm's [0, 2, 3]): one kernel call per run of
   * consecutive axes, last run first (so earlier axes keep their indices), chained inside the arena.
   */
  function reduceRuns(code: number, x: View, axes: readonly number[]): Storage {
    const runs: number[][] = [];
    for (const ax of axes) {
      const last = runs[runs.length - 1];
      if (last && ax === last[last.length - 1] + 1) last.push(ax);
      else runs.push([ax]);
    }
    rt.reset();
    let shape = [...x.shape];
    let src = rt.putF32(denseData(x) as Float32Array);
    for (let r = runs.length - 1; r >= 0; r--) {
      const [first, lastAx] = [runs[r][0], runs[r][runs[r].length - 1]];
      const outer = sizeOf(shape.slice(0, first));
      const inner = sizeOf(shape.slice(lastAx + 1));
      const dst = rt.alloc(outer * inner * 4);
      rt.exports.reduceF32(code, src, dst, outer, sizeOf(shape.slice(first, lastAx + 1)), inner);
      shape = [...shape.slice(0, first), ...shape.slice(lastAx + 1)];
      src = dst;
    }
    return new HostStorage('float32', rt.takeF32(src, sizeOf(shape)), NAME);
  }

  function reduce(op: ReduceOp, x: View, axes: readonly number[], dtype: DType): Storage {
    const arg = ARG_REDUCE_CODES[op];
    const code = arg ?? REDUCE_CODES[op];
    const n = sizeOf(x.shape);
    const consecutive = axes.every((ax, i) => i === 0 || ax === axes[i - 1] + 1);
    const outType = arg === undefined ? 'float32' : 'int32';
    const sorted = axes.every((ax, i) => i === 0 || ax > axes[i - 1]);
    if (code !== undefined && arg === undefined && dtype === 'float32' && isF32(x) && n > 0 && !consecutive && sorted && x.shape.every((d) => d > 0)) {
      return reduceRuns(code, x, axes);
    }
    if (code === undefined || dtype !== outType || !isF32(x) || n === 0 || !consecutive || axes.length === 0) {
      return relabel(cpuBackend.reduce(op, x, axes, dtype));
    }
    const outer = sizeOf(x.shape.slice(0, axes[0]));
    const red = sizeOf(x.shape.slice(axes[0], axes[axes.length - 1] + 1));
    const inner = sizeOf(x.shape.slice(axes[axes.length - 1] + 1));
    if (red === 0) return relabel(cpuBackend.reduce(op, x, axes, dtype));
    rt.reset();
    const xp = rt.putF32(denseData(x) as Float32Array);
    const out = rt.alloc(outer * inner * 4);
    if (arg !== undefined) {
      rt.exports.argReduceF32(arg, xp, out, outer, red, inner);
      return new HostStorage('int32', rt.takeI32(out, outer * inner), NAME);
    }
    rt.exports.reduceF32(code, xp, out, outer, red, inner);
    return new HostStorage('float32', rt.takeF32(out, outer * inner), NAME);
  }

  /**
   * A wasm kernel that falls back to the cpu kernel when its operands do not fit the kernel memory (the arena
   * fails before anything is written, so in-place kernels are safe to retry).
   */
  function orCpu<A extends unknown[], R>(wasm: (...args: A) => R, cpu: (...args: A) => R, wrap: (r: R) => R): (...args: A) => R {
    return (...args: A) => {
      try {
        return wasm(...args);
      } catch (e) {
        if (!(e instanceof ArenaFullError)) throw e;
        return wrap(cpu(...args));
      }
    };
  }
  const pair = ([a, b]: [Storage, Storage]): [Storage, Storage] => [relabel(a), relabel(b)];
  const maybePair = ([a, b]: [Storage, Storage | null]): [Storage, Storage | null] => [relabel(a), b && relabel(b)];
  const same = <T>(r: T) => r;
  const roi = wasmRoiAlign(rt, pool, NAME);
  const bn = wasmBatchNorm(rt, pool, NAME);
  const softmax = wasmSoftmax(rt, pool, NAME);
  const ln = wasmLayerNorm(rt, NAME, operand);
  const optimizers = wasmOptimizers(rt, pool, adoptWhole);
  const bce = wasmBinaryCrossEntropy(rt, NAME, operand);
  const windows = wasmWindowKernels(rt, pool, NAME, operand);
  const seq = wasmRecurrentSequence(rt, NAME); // issue 18 (h-rnn)
  const attn = wasmAttention(rt, pool, NAME, placeAsItLies, operand);
  const triple = (r: [Storage, Storage, Storage]): [Storage, Storage, Storage] => [relabel(r[0]), relabel(r[1]), relabel(r[2])];
  const grads7 = (r: SequenceGrads): SequenceGrads => [relabel(r[0]), relabel(r[1]), r[2] && relabel(r[2]), relabel(r[3]), relabel(r[4]), r[5] && relabel(r[5]), r[6] && relabel(r[6])];

  const table: Backend = {
    name: NAME,
    fill: (length, dtype, value) => relabel(cpuBackend.fill(length, dtype, value)),
    fromData: (data, dtype) => relabel(cpuBackend.fromData(data, dtype)),
    read: (x) => cpuBackend.read(x),
    copy: (x, dtype) => relabel(cpuBackend.copy(x, dtype)),
    copyInto: (dst, src) => cpuBackend.copyInto(dst, src),
    // one pass over host memory: no cheaper than a copy into the arena and back
    addInto: (dst, src) => cpuBackend.addInto(dst, src),
    unary: orCpu(unary, cpuBackend.unary, relabel),
    binary: orCpu(binary, cpuBackend.binary, relabel),
    where: (cond, a, b, dtype) => relabel(cpuBackend.where(cond, a, b, dtype)),
    reduce: orCpu(reduce, cpuBackend.reduce, relabel),
    scan: (op, x, axis, dtype) => relabel(cpuBackend.scan(op, x, axis, dtype)),
    argsort: (x, axis, descending) => relabel(cpuBackend.argsort(x, axis, descending)),
    matmul: orCpu(matmul, cpuBackend.matmul, relabel),
    gather: (x, dim, index) => relabel(cpuBackend.gather(x, dim, index)),
    scatterAdd: (base, dim, index, src) => relabel(cpuBackend.scatterAdd(base, dim, index, src)),
    indexSelect: (x, dim, index) => relabel(cpuBackend.indexSelect(x, dim, index)),
    indexAdd: (base, dim, index, src) => relabel(cpuBackend.indexAdd(base, dim, index, src)),
    im2col: orCpu(windows.im2col, cpuBackend.im2col, relabel),
    col2im: orCpu(windows.col2im, cpuBackend.col2im, relabel),
    maxPool2d: orCpu(windows.maxPool2d, cpuBackend.maxPool2d, pair),
    // one pass of scattered adds over arrays the engine already holds: copies into wasm memory would cost more
    maxPool2dBackward: (dy, indices, xShape) => relabel(cpuBackend.maxPool2dBackward(dy, indices, xShape)),
    conv2d: orCpu(windows.conv2d, cpuBackend.conv2d, relabel),
    conv2dBackwardInput: orCpu(windows.conv2dBackwardInput, cpuBackend.conv2dBackwardInput, relabel),
    conv2dBackwardWeight: orCpu(windows.conv2dBackwardWeight, cpuBackend.conv2dBackwardWeight, relabel),
    lstmCell: orCpu(lstmCell, cpuBackend.lstmCell, pair),
    lstmCellBackward: orCpu(lstmCellBackward, cpuBackend.lstmCellBackward, maybePair),
    adamUpdate: orCpu(optimizers.adamUpdate, cpuBackend.adamUpdate, same),
    sgdUpdate: orCpu(optimizers.sgdUpdate, cpuBackend.sgdUpdate, same),
    roiAlign: orCpu(roi.roiAlign, cpuBackend.roiAlign, relabel),
    roiAlignBackward: orCpu(roi.roiAlignBackward, cpuBackend.roiAlignBackward, relabel),
    roiPool: orCpu(roi.roiPool, cpuBackend.roiPool, pair),
    // issue 18 (conv helper)
    batchNormTrain: orCpu(bn.batchNormTrain, cpuBackend.batchNormTrain, pair),
    batchNormTrainBackward: orCpu(bn.batchNormTrainBackward, cpuBackend.batchNormTrainBackward, pair),
    leakyReluBackward: orCpu(bn.leakyReluBackward, cpuBackend.leakyReluBackward, relabel),
    bernoulliMask: orCpu(bernoulliMask, cpuBackend.bernoulliMask, relabel),
    softmaxLastDim: orCpu(softmax.softmaxLastDim, cpuBackend.softmaxLastDim, relabel),
    softmaxLastDimBackward: orCpu(softmax.softmaxLastDimBackward, cpuBackend.softmaxLastDimBackward, relabel),
    // float32 in wasm on one thread (copying in and out included, ~3x the host loops at [2048, 64]); float64 on the host
    layerNormRows: orCpu(ln.layerNormRows, cpuBackend.layerNormRows, pair),
    layerNormRowsBackward: orCpu(ln.layerNormRowsBackward, cpuBackend.layerNormRowsBackward, pair),
    binaryCrossEntropy: orCpu(bce.binaryCrossEntropy, cpuBackend.binaryCrossEntropy, ([l, lo, hi]) => [relabel(l), lo, hi]),
    binaryCrossEntropyBackward: orCpu(bce.binaryCrossEntropyBackward, cpuBackend.binaryCrossEntropyBackward, relabel),
    // issue 18 (h-rnn)
    recurrentSequence: orCpu(seq.recurrentSequence, cpuBackend.recurrentSequence, pair),
    recurrentSequenceBackward: orCpu(seq.recurrentSequenceBackward, cpuBackend.recurrentSequenceBackward, grads7),
    attention: orCpu(attn.attention, cpuBackend.attention, relabel),
    attentionBackward: orCpu(attn.attentionBackward, cpuBackend.attentionBackward, triple),
    dropoutScale: orCpu(wasmDropout(rt, pool, NAME, operand), cpuBackend.dropoutScale, relabel),
  };
  return table;
}
