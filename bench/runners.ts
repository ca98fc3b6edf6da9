/**
 * The runners of the `peers` suite: shendu on its backends, TensorFlow.js and PyTorch. Each workload runs on
 * each runner in a child process of its own, so thread settings and memory never leak between them.
 * @module
 */

/** Which program a runner drives. */
export type RunnerKind = 'shendu' | 'tfjs' | 'torch';

/** One runner: a framework, a backend and a thread count. */
export interface RunnerSpec {
  /** Its name, as it appears in the table, e.g. `shendu-wasm-2t`. */
  name: string;
  /** The framework. */
  kind: RunnerKind;
  /** The framework's backend (`wasm`, `cpu`; `cpu` for PyTorch). */
  backend: string;
  /** Threads asked for, when the runner takes a thread count. */
  threads?: number;
}

/** The runners, in table order. */
export const RUNNERS: readonly RunnerSpec[] = [
  { name: 'shendu-wasm-1t', kind: 'shendu', backend: 'wasm', threads: 1 },
  { name: 'shendu-wasm-2t', kind: 'shendu', backend: 'wasm', threads: 2 },
  { name: 'shendu-cpu', kind: 'shendu', backend: 'cpu' },
  { name: 'tfjs-cpu', kind: 'tfjs', backend: 'cpu' },
  { name: 'tfjs-wasm', kind: 'tfjs', backend: 'wasm', threads: 2 },
  { name: 'torch-1t', kind: 'torch', backend: 'cpu', threads: 1 },
  { name: 'torch-2t', kind: 'torch', backend: 'cpu', threads: 2 },
];

/** The runner called `name`, or undefined. */
export function runnerSpec(name: string): RunnerSpec | undefined {
  return RUNNERS.find((r) => r.name === name);
}
