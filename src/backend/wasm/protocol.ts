/**
 * How the calling thread and the kernel workers share a parallel job: the layout of each worker's control
 * block in shared memory, the shared chunk counters, and the kernel functions a worker may be asked to run.
 * A job is one kernel call per chunk of `total` work units (images, columns, batches): chunk c gets the
 * arguments `base[k] + c * step[k]`, its unit count at `countArg`, and per-thread buffers (GEMM scratch, an
 * unfolded-column buffer) at `threadArg*` as `base + t * stride`. Threads take chunks from a shared counter,
 * so a worker that wakes late simply takes fewer. Shared by the pool (threads.ts) and workers (worker.ts).
 * @module
 */
import type { WasmMemory, WasmModule } from './runtime.js';

/** Kernel exports a worker can run, by index. */
export const THREAD_FUNCTIONS = [
  'sgemmBatched', 'im2col', 'col2im', 'maxPool2d', 'conv2dF32', 'conv2dBackwardInputF32', 'conv2dBackwardWeightF32',
  'roiAlignF32', 'roiAlignBackwardF32', 'roiPoolF32',
  // issue 18 (conv helper): fused batch normalization split over channels; elementwise maps split over elements
  'batchNormF32', 'batchNormBackwardF32', 'unaryF32', 'binaryF32', 'leakyReluBackwardF32',
  // issue 18 (linear algebra): the float64 product, split over column or row blocks of C
  'dgemmAccumulate',
  // issue 18 (transformer): softmax over the last dim, split over rows
  'softmaxRowsF32', 'softmaxBackwardRowsF32',
  // issue 18 (transformer): attention, split over (batch, head) pairs
  'attentionF32', 'attentionBackwardF32',
  // issue 18 (transformer): dropout by hashing, split over elements
  'dropoutF32',
  // issue 18: optimizer updates of large tensors, split over elements
  'adamF32', 'sgdF32',
] as const;

/** Name of a kernel a worker can run. */
export type ThreadFunction = (typeof THREAD_FUNCTIONS)[number];

/** Int32 slot indices within a worker's control block. */
export const SLOT = {
  /** Job sequence number, bumped by the calling thread to hand out a job. */
  seq: 0,
  /**
   * The job offer: the calling thread writes the job's sequence number here when it hands the job out; the worker
   * takes the offer by swapping it for its negation (then reads the arguments and works), and writes 0 when done.
   * When the calling thread runs out of chunks it withdraws an offer not yet taken (swapping it for 0) and does
   * not wait for that worker: a worker's wake-up took ~0.1 ms on the machines measured, as long as half a
   * mid-size product, and it had been waited for on every parallel kernel.
   */
  offer: 1,
  /** 1 once the worker has instantiated the module. */
  ready: 2,
  /** Index into THREAD_FUNCTIONS. */
  fn: 3,
  /** Number of arguments. */
  nargs: 4,
  /** Number of chunks. */
  chunks: 5,
  /** Work units per chunk. */
  per: 6,
  /** Work units in all. */
  total: 7,
  /** Argument index that receives a chunk's unit count. */
  countArg: 8,
  /** Argument index of the first per-thread buffer (-1: none). */
  threadArgA: 9,
  /** Argument index of the second per-thread buffer (-1: none). */
  threadArgB: 10,
  /** This worker's thread index (1, 2, ...; the calling thread is 0). */
  thread: 11,
} as const;

/** Float64 index within a control block of the per-thread buffers' base and stride, then the arguments. */
export const F64 = {
  /** Base address of the first per-thread buffer. */
  threadBaseA: 6,
  /** Bytes between threads' first buffers. */
  threadStrideA: 7,
  /** Base address of the second per-thread buffer. */
  threadBaseB: 8,
  /** Bytes between threads' second buffers. */
  threadStrideB: 9,
  /** First argument base; the steps follow the bases. */
  args: 10,
} as const;

/** Most arguments a job can carry (bases and steps fill the rest of a 512-byte block). */
export const MAX_ARGS = 27;

/** Int32 slots of the shared counters (in thread 0's control block). */
export const COUNTER = {
  /** Next chunk to take. */
  next: 0,
  /** Chunks finished. */
  finished: 1,
} as const;

/** A parallel kernel call: see the module comment. */
export interface ChunkedJob {
  /** Which kernel. */
  fn: ThreadFunction;
  /** Arguments of chunk 0. */
  base: number[];
  /** What each argument gains per chunk (0 for most). */
  step: number[];
  /** Work units in all. */
  total: number;
  /** Work units per chunk (the last chunk may have fewer). */
  per: number;
  /** Argument index that receives a chunk's unit count. */
  countArg: number;
  /** Per-thread buffers: argument index, base address, stride in bytes. */
  threadArgs: readonly (readonly [number, number, number])[];
}

/** The arguments of chunk `c` run by thread `t`. */
export function chunkArgs(job: ChunkedJob, c: number, t: number, out: number[]): number[] {
  out.length = job.base.length;
  for (let k = 0; k < out.length; k++) out[k] = job.base[k] + c * job.step[k];
  out[job.countArg] = Math.min(job.per, job.total - c * job.per);
  for (const [arg, base, stride] of job.threadArgs) out[arg] = base + t * stride;
  return out;
}

/** What the main thread sends a new worker. */
export interface WorkerInit {
  /** The compiled kernel module. */
  module: WasmModule;
  /** The shared memory. */
  memory: WasmMemory;
  /** Byte address of this worker's control block. */
  control: number;
  /** Byte address of the shared counters. */
  counters: number;
}
