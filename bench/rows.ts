/**
 * The one record every benchmark produces: a figure for a workload on a runner, or the error that kept the
 * runner from producing it.
 * @module
 */

/** One measured figure (or the reason there is none). */
export interface Row {
  /** Workload name, e.g. `mlp_train` or `matmul_1024`. */
  workload: string;
  /** Who ran it, e.g. `shendu-wasm-2t`, `tfjs-cpu` or `torch-1t`. */
  runner: string;
  /** The figure (NaN when `error` is set). */
  value: number;
  /** Its unit, e.g. `GFLOP/s` or `samples/s`. */
  unit: string;
  /** Why the runner could not run the workload; absent on success. */
  error?: string;
  /** What the runner actually used, when that is worth saying (e.g. `threads=1`). */
  note?: string;
  /** The figure of each round, in round order, when the suite measured the runner more than once (NaN: a failed round). */
  rounds?: number[];
}

/** Prefix of the single stdout line on which a child process reports its Row as JSON. */
export const ROW_MARKER = '@@row ';

/** The first line of an error's message, without a trailing stack. */
export function errorText(e: unknown): string {
  const msg = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
  return msg.split('\n')[0].trim() || 'unknown error';
}
