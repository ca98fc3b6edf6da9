/**
 * The layout of a worker thread's control block in shared memory, and the kernel functions a worker may be
 * asked to run. Shared by the pool (threads.ts) and the worker entry (worker.ts).
 * @module
 */

/** Kernel exports a worker can run, by index. */
export const THREAD_FUNCTIONS = [
  'sgemmBatched', 'im2col', 'col2im', 'maxPool2d', 'conv2dF32', 'conv2dBackwardInputF32', 'conv2dBackwardWeightF32',
] as const;

/** Name of a kernel a worker can run. */
export type ThreadFunction = (typeof THREAD_FUNCTIONS)[number];

/** Int32 slot indices within a control block. */
export const SLOT = {
  /** Job sequence number, bumped by the main thread to hand out a job. */
  seq: 0,
  /** Sequence number of the last job the worker finished. */
  done: 1,
  /** 1 once the worker has instantiated the module. */
  ready: 2,
  /** Index into THREAD_FUNCTIONS. */
  fn: 3,
  /** Number of arguments. */
  nargs: 4,
  /** First argument (stored as float64 pairs from here, see ARG_BASE_F64). */
  args: 6,
} as const;

/** Float64 index (within the block) of the first argument: arguments travel as float64 so floats survive. */
export const ARG_BASE_F64 = SLOT.args / 2;

/** Most arguments a job can carry. */
export const MAX_ARGS = 29;

import type { WasmMemory, WasmModule } from './runtime.js';

/** What the main thread sends a new worker. */
export interface WorkerInit {
  /** The compiled kernel module. */
  module: WasmModule;
  /** The shared memory. */
  memory: WasmMemory;
  /** Byte address of this worker's control block. */
  control: number;
}
