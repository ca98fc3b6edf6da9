/**
 * Loads the AssemblyScript kernel module (src/backend/wasm/binary.ts, built from assembly/) and owns its linear
 * memory: a permanent region (thread control blocks, per-thread GEMM scratch) and a bump-allocated arena that
 * each kernel call resets, fills with its operands, and copies its result out of. Tensor storage itself stays
 * in ordinary typed arrays, so tensors remain garbage-collected objects with no manual freeing.
 * @module
 */
import { KERNEL_MODULES } from './binary.js';
import { scratchFloat32 } from '../array-pool.js';
import type { Window2d } from '../types.js';

/** The functions the kernel module exports (byte addresses and element counts are i32). */
export interface KernelExports {
  /** C (=|+=) A x B over `count` batches; see assembly/gemm.ts. */
  sgemmBatched(
    count: number, M: number, N: number, K: number,
    a: number, ars: number, acs: number, abs: number,
    b: number, brs: number, bcs: number, bbs: number,
    c: number, ldc: number, cbs: number, accumulate: number, scratch: number,
  ): void;
  /** Scratch bytes one thread's GEMM needs. */
  sgemmScratchBytes(): number;
  /** Float64 C += A x B in order of k, unfused; see assembly/dgemm.ts. */
  dgemmAccumulate(M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, scratch: number): void;
  /** Scratch bytes dgemmAccumulate needs for a depth K. */
  dgemmScratchBytes(K: number): number;
  /** Float64 Householder tridiagonal reduction in place; see assembly/dsytrd.ts. */
  tridiagonalReduce(n: number, w: number, d: number, e: number, h: number): void;
  /** Float64 Householder bidiagonal reduction in place; see assembly/dgebrd.ts. */
  bidiagonalReduce(m: number, n: number, a: number, d: number, e: number, tq: number, tp: number, w: number): void;
  /** One float64 one-sided Jacobi sweep; see assembly/jacobi.ts. Returns the rotations. */
  jacobiSweep(r: number, n: number, g: number, nrm: number, v: number, gram: number, dirty: number, tol: number, tiny: number): number;
  /** Float64 blocked LU with partial pivoting in place; see assembly/dgetrf.ts. Returns LAPACK's info. */
  luFactor(m: number, n: number, a: number, piv: number, nb: number, scratch: number): number;
  /** Scratch bytes luFactor needs. */
  luScratchBytes(m: number, nb: number): number;
  /** Window unfolding; see assembly/window.ts. */
  im2col(x: number, out: number, N: number, C: number, H: number, W: number, kh: number, kw: number, sh: number,
    sw: number, dh: number, dw: number, padTop: number, padLeft: number, oh: number, ow: number, padValue: number): void;
  /** Adjoint of im2col; see assembly/window.ts. */
  col2im(cols: number, out: number, N: number, C: number, H: number, W: number, kh: number, kw: number, sh: number,
    sw: number, dh: number, dw: number, padTop: number, padLeft: number, oh: number, ow: number): void;
  /** Max pooling with indices; see assembly/window.ts. */
  maxPool2d(x: number, values: number, indices: number, planes: number, H: number, W: number, kh: number, kw: number,
    sh: number, sw: number, dh: number, dw: number, padTop: number, padLeft: number, oh: number, ow: number): void;
  /** Dropout's keep mask from a xoshiro128** state; see assembly/random.ts. */
  bernoulliMaskF32(state: number, out: number, n: number, threshold: number, scale: number): void;
  /** Bytes of one thread's work region for the fused convolutions; see assembly/conv.ts. */
  convWorkBytes(K: number, L: number, O: number, group: number): number;
  /** Sums a weight gradient's chunk partials into the first; see assembly/conv.ts. */
  sumChunksF32(parts: number, stride: number, chunks: number, n: number): void;
  /** Fused convolution of images [n0, n0 + count); see assembly/conv.ts. */
  conv2dF32(...args: number[]): void;
  /** Input gradient of the fused convolution; see assembly/conv.ts. */
  conv2dBackwardInputF32(...args: number[]): void;
  /** Weight gradient of the fused convolution (summed over the images); see assembly/conv.ts. */
  conv2dBackwardWeightF32(...args: number[]): void;
  /** Fused float32 Adam update in place; see assembly/optim.ts. */
  adamF32(p: number, g: number, m: number, v: number, n: number, beta1: number, beta2: number, stepSize: number,
    bc2Sqrt: number, eps: number, weightDecay: number, sign: number): void;
  /** Fused float32 SGD update in place; see assembly/optim.ts. */
  sgdF32(p: number, g: number, buf: number, n: number, lr: number, momentum: number, keep: number, weightDecay: number,
    sign: number, nesterov: number, first: number): void;
  /** Fused LSTM cell; see assembly/recurrent.ts. */
  lstmCellF32(gates: number, c: number, out: number, act: number, N: number, H: number): void;
  /** Gradient of the fused LSTM cell; see assembly/recurrent.ts. */
  lstmCellBackwardF32(act: number, c: number, grad: number, dgates: number, dc: number, N: number, H: number): void;
  // issue 18 (h-rnn): whole-sequence recurrent layers; see assembly/recurrent-seq.ts
  /** Work bytes of a sequence forward (W_hh^T packed, the recurrent product, GEMM scratch). */
  recurrentSequenceWorkBytes(gh: number, H: number, N: number, scratchBytes: number): number;
  /** Scratch bytes of a sequence backward (the GEMM's, N rows set aside, W_hh packed). */
  recurrentSequenceScratchBytes(gh: number, H: number, N: number): number;
  /** LSTM layer forward over T steps. */
  lstmSequenceF32(xg: number, bias: number, whh: number, h0: number, c0: number, y: number, act: number, T: number, N: number, H: number, reverse: number, bf: number,
    work: number): void;
  /** LSTM layer backward over T steps. */
  lstmSequenceBackwardF32(act: number, y: number, whh: number, h0: number, c0: number, dy: number, dxg: number, dbias: number, dwhh: number, dh: number, dc: number,
    T: number, N: number, H: number, reverse: number, bf: number, scratch: number): void;
  /** GRU layer forward over T steps. */
  gruSequenceF32(xg: number, bias: number, whh: number, bhn: number, h0: number, y: number, saved: number, T: number, N: number, H: number, reverse: number, bf: number,
    work: number): void;
  /** GRU layer backward over T steps. */
  gruSequenceBackwardF32(saved: number, y: number, whh: number, h0: number, dy: number, dxg: number, dbias: number, dhg: number, dwhh: number, dbhn: number, dh: number,
    T: number, N: number, H: number, reverse: number, bf: number, scratch: number): void;
  /** Binary cross-entropy of float32 probabilities, elementwise, and x's range; see assembly/bce.ts. */
  bceF32(x: number, y: number, out: number, n: number, range: number): void;
  /** Its gradient, `g` dense or (gScalar 1) one value; see assembly/bce.ts. */
  bceBackwardF32(g: number, gScalar: number, x: number, y: number, out: number, n: number, eps: number): void;
  /** Elementwise float32 map; see assembly/elementwise.ts. */
  unaryF32(op: number, x: number, out: number, n: number, p: number, q: number): void;
  /** Elementwise float32 binary op, `b` read through a broadcast pattern; see assembly/elementwise.ts. */
  binaryF32(op: number, a: number, b: number, bInner: number, bRep: number, swap: number, out: number, n: number): void;
  /** Float32 sum/max/min over the middle axis of [outer, red, inner]; see assembly/reduce.ts. */
  reduceF32(op: number, x: number, out: number, outer: number, red: number, inner: number): void;
  /** Float32 argmax/argmin over the middle axis of [outer, red, inner] into int32; see assembly/reduce.ts. */
  argReduceF32(op: number, x: number, out: number, outer: number, red: number, inner: number): void;
  /** RoI Align of `count` RoIs over a channels-last map; see assembly/roi.ts. */
  roiAlignF32(...args: number[]): void;
  /** RoI Align's input gradient for a range of channels, into channels-last float64 sums; see assembly/roi.ts. */
  roiAlignBackwardF32(...args: number[]): void;
  /** RoI max pooling of `count` RoIs over a channels-last map, with flat indices; see assembly/roi.ts. */
  roiPoolF32(...args: number[]): void;
  /** [N, C, HW] float32 to channels-last [N, HW, C]; see assembly/roi.ts. */
  nchwToNhwcF32(src: number, dst: number, N: number, C: number, HW: number): void;
  /** Channels-last [N, HW, C] float64 to [N, C, HW] float32; see assembly/roi.ts. */
  nhwcF64ToNchwF32(src: number, dst: number, N: number, C: number, HW: number): void;
  // issue 18 (conv helper)
  /** Batch normalization with batch statistics of `count` channels; see assembly/norm.ts. */
  batchNormF32(...args: number[]): void;
  /** Its gradient for `count` channels; see assembly/norm.ts. */
  batchNormBackwardF32(...args: number[]): void;
  /** The leaky ReLU's gradient; see assembly/norm.ts. */
  leakyReluBackwardF32(x: number, g: number, out: number, n: number, slope: number): void;
  // issue 18 (transformer)
  /** Softmax of `rows` rows of `n` floats; see assembly/softmax.ts. */
  softmaxRowsF32(x: number, y: number, rows: number, n: number): void;
  /** Its gradient y (g - sum(g y)) row by row; see assembly/softmax.ts. */
  softmaxBackwardRowsF32(y: number, g: number, dx: number, rows: number, n: number): void;
  /** Layer normalization of `rows` rows of `n` floats, float64 means and 1 / sqrt(var + eps) out; see assembly/layer-norm.ts. */
  layerNormF32(x: number, w: number, b: number, y: number, means: number, rstds: number, rows: number, n: number, eps: number): void;
  /** Its gradient: dx, and dweight and dbias added row by row to float64 sums; see assembly/layer-norm.ts. */
  layerNormBackwardF32(x: number, g: number, w: number, means: number, rstds: number, dx: number, acc: number, rows: number, n: number): void;
  /** Attention of `count` (batch, head) pairs, dropout drawn by index; see assembly/attention.ts. */
  attentionF32(...args: number[]): void;
  /** Its gradients dq, dk, dv, the weights recomputed; see assembly/attention.ts. */
  attentionBackwardF32(...args: number[]): void;
  /** Bytes of one thread's attention buffers before its GEMM scratch; see assembly/attention.ts. */
  attentionWorkBytes(L: number, S: number, D: number): number;
  /** x times dropout's factor for `count` elements from index `first`; see assembly/dropout.ts. */
  dropoutF32(x: number, out: number, count: number, first: number, threshold: number, keepScale: number, seedLo: number, seedHi: number): void;
  /** word2vec: trains sentences [first, last) of one job, the generator's state at rngState; see assembly/word2vec.ts. Returns the words kept. */
  word2vecJobF32(syn0: number, syn1neg: number, size: number, window: number, negative: number, cumTable: number, cumLen: number,
    guide: number, sampleInt: number, sample: number, sigmoid: number, work: number, neu1: number, rows: number, gains: number,
    ptrs: number, kept: number, words: number, starts: number, first: number, last: number, alpha: number, sg: number, cbowMean: number,
    rngState: number): number;
}

/** A compiled WebAssembly module (opaque here). */
export interface WasmModule {
  /** Brand: only the engine makes these. */
  readonly __wasmModule?: never;
}

/** A WebAssembly linear memory. */
export interface WasmMemory {
  /** The memory's bytes (a SharedArrayBuffer when shared). */
  readonly buffer: ArrayBuffer;
  /** Adds `pages` 64 KiB pages; returns the old size in pages. */
  grow(pages: number): number;
}

/**
 * The parts of the engine's WebAssembly API the backend uses, declared here because the core build sees
 * neither DOM nor Node.js types.
 */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: object): Promise<{ exports: object }>;
  Instance: new (module: WasmModule, imports: object) => { exports: Record<string, unknown> };
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

/** The engine's WebAssembly API, or undefined where there is none. */
export const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

const PAGE = 65536;
/** Bytes at the bottom of memory left to the module's own static data and stack. */
const RESERVED = 64 * 1024;
/** Bytes of one thread's control block (see threads.ts). */
export const CONTROL_BYTES = 512;
/** Largest number of threads the pool can use (control blocks are laid out for this many). */
export const MAX_THREADS = 64;
/** Default size limit of the kernel memory in 64 KiB pages (2 GiB). */
const MAX_PAGES = 32768;

/** Thrown when a kernel's operands do not fit the kernel memory; the backend then runs the cpu kernel instead. */
export class ArenaFullError extends RangeError {
  /** A message naming the bytes needed and the limit. */
  constructor(message: string) {
    super(message);
    this.name = 'ArenaFullError';
  }
}

/** What loading the module found. */
export interface RuntimeInfo {
  /** True when fused multiply-add (relaxed SIMD) is in use. */
  relaxedSimd: boolean;
  /** True when the memory is shared, so worker threads can run kernels on it. */
  sharedMemory: boolean;
}

/** The loaded module, its memory, and the allocation arena. */
export class WasmRuntime {
  /** Float32 view of the whole memory (renewed when the memory grows). */
  f32: Float32Array;
  /** Int32 view of the whole memory (renewed when the memory grows). */
  i32: Int32Array;
  private permanentTop: number;
  private arenaTop: number;

  /** Wraps an instantiated module; use `loadRuntime` to make one. */
  constructor(
    readonly module: WasmModule,
    readonly memory: WasmMemory,
    readonly exports: KernelExports,
    readonly info: RuntimeInfo,
    private readonly maxPages: number = MAX_PAGES,
  ) {
    this.f32 = new Float32Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
    this.permanentTop = RESERVED + CONTROL_BYTES * MAX_THREADS;
    this.arenaTop = this.permanentTop;
  }

  /** Byte address of thread `t`'s control block. */
  controlAddress(t: number): number {
    return RESERVED + CONTROL_BYTES * t;
  }

  /** Reserves `bytes` for the life of the runtime (only between kernel calls, when the arena is empty). */
  permanent(bytes: number): number {
    const ptr = this.permanentTop;
    const top = align(ptr + bytes);
    this.ensure(top);
    this.permanentTop = this.arenaTop = top;
    return ptr;
  }

  /** Empties the arena; call at the start of each kernel. */
  reset(): void {
    this.arenaTop = this.permanentTop;
  }

  /** Reserves `bytes` in the arena (64-byte aligned) until the next `reset`. */
  alloc(bytes: number): number {
    const ptr = this.arenaTop;
    const top = align(ptr + bytes);
    this.ensure(top);
    this.arenaTop = top;
    return ptr;
  }

  /** Copies float32 `data` into the arena and returns its address. */
  putF32(data: Float32Array): number {
    const ptr = this.alloc(data.length * 4);
    this.f32.set(data, ptr >> 2);
    return ptr;
  }

  /** A Float32Array of its own (new, or from the array pool) holding `n` floats copied from `ptr`. */
  takeF32(ptr: number, n: number): Float32Array {
    // new (or pooled) + set measured faster than slice on a shared buffer
    const out = scratchFloat32(n);
    out.set(this.f32.subarray(ptr >> 2, (ptr >> 2) + n));
    return out;
  }

  /** A fresh Int32Array holding `n` integers copied from `ptr`. */
  takeI32(ptr: number, n: number): Int32Array {
    const out = new Int32Array(n);
    out.set(this.i32.subarray(ptr >> 2, (ptr >> 2) + n));
    return out;
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil((end - have) / PAGE);
    // Grow by at least a quarter so repeated small growths stay rare.
    const grow = Math.max(pages, Math.ceil(have / PAGE / 4));
    const total = have / PAGE;
    if (total + pages > this.maxPages) {
      throw new ArenaFullError(`wasm backend: a kernel needs ${end} bytes of kernel memory, over the ${this.maxPages * PAGE} byte limit`);
    }
    try {
      this.memory.grow(Math.min(grow, this.maxPages - total));
    } catch (e) {
      throw new ArenaFullError(`wasm backend: the kernel memory could not grow to ${end} bytes (${e instanceof Error ? e.message : String(e)})`);
    }
    this.f32 = new Float32Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
  }
}

function align(n: number): number {
  return (n + 63) & ~63;
}

function decode(base64: string): Uint8Array {
  const g = globalThis as { atob?: (s: string) => string };
  const bin = g.atob!(base64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Node.js's `process.getBuiltinModule`, where the engine is Node (20.16+); undefined elsewhere. */
export function nodeBuiltin<T>(name: string): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (n: string) => unknown } }).process;
  return typeof proc?.getBuiltinModule === 'function' ? (proc.getBuiltinModule(name) as T) : undefined;
}

function canShareMemory(): boolean {
  try {
    return typeof SharedArrayBuffer === 'function' && new wasmApi!.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

/**
 * Compiles and instantiates the best module the engine accepts: relaxed SIMD where it validates (in Node.js 20
 * the engine flag that enables it is switched on first), shared memory where the engine allows it.
 */
export async function loadRuntime(opts: { maxPages?: number } = {}): Promise<WasmRuntime> {
  const maxPages = opts.maxPages ?? MAX_PAGES;
  const WebAssembly = wasmApi;
  if (!WebAssembly) throw new Error('this engine has no WebAssembly');
  const shared = canShareMemory();
  const relaxedBytes = decode(shared ? KERNEL_MODULES.relaxedShared : KERNEL_MODULES.relaxed);
  if (!WebAssembly.validate(relaxedBytes)) {
    nodeBuiltin<{ setFlagsFromString(f: string): void }>('node:v8')?.setFlagsFromString('--experimental-wasm-relaxed-simd');
  }
  const relaxed = WebAssembly.validate(relaxedBytes);
  const bytes = relaxed ? relaxedBytes : decode(shared ? KERNEL_MODULES.simdShared : KERNEL_MODULES.simd);
  const module = await WebAssembly.compile(bytes);
  const memory = new WebAssembly.Memory({ initial: Math.min(256, maxPages), maximum: maxPages, shared });
  const instance = await WebAssembly.instantiate(module, { env: { memory, abort: moduleAbort } });
  return new WasmRuntime(module, memory, instance.exports as unknown as KernelExports, { relaxedSimd: relaxed, sharedMemory: shared }, maxPages);
}

/** The `abort` import AssemblyScript modules call on a failed assertion (built with --noAssert, so unused). */
export function moduleAbort(): never {
  throw new Error('wasm backend: kernel aborted');
}

/** The window arguments the window kernels take after their own (im2col, col2im, pooling, the fused convolutions). */
export type WindowArgs = [kh: number, kw: number, sh: number, sw: number, dh: number, dw: number, padTop: number, padLeft: number, oh: number, ow: number];

/** `w` as the window kernels' trailing arguments, in their order (see KernelExports.im2col). */
export function windowArgs(w: Window2d): WindowArgs {
  return [w.kh, w.kw, w.sh, w.sw, w.dh, w.dw, w.padTop, w.padLeft, w.oh, w.ow];
}
