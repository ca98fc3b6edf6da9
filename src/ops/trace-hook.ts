/**
 * The ops layer's side of graph capture (DESIGN.md convention 14). An op that reports itself starts with
 * `if (tracing.tracer !== null) return traceOp(name, inputs, attrs, () => sameOp(...))`: with no tracer active
 * that is one property read; with one, the op runs with the tracer switched off (so the ops it is built from are
 * not recorded: the graph holds softmax, not exp/sum/div) and is then reported once. `src/jit` holds the tracer.
 * @module
 */
import type { Tensor } from '../tensor/tensor.js';

/** An attribute value of a recorded op. */
export type OpAttr = number | boolean | string | null | readonly number[] | readonly string[];

/** The attributes of a recorded op, by name. */
export type OpAttrs = Readonly<Record<string, OpAttr>>;

/** An input of a recorded op: a tensor, a JS number standing for a 0-d tensor, or null (an absent optional one). */
export type OpInput = Tensor | number | boolean | null;

/** Receives each op as it runs while tracing. */
export interface OpTracer {
  /** Called once per reported op, after it ran, with its inputs, attributes and output tensors. */
  record(op: string, inputs: readonly OpInput[], attrs: OpAttrs, outputs: readonly Tensor[]): void;
}

/** The active tracer (null: none; the ops' fast path). */
export const tracing: { tracer: OpTracer | null } = { tracer: null };

/**
 * Runs `run` with the tracer off, then reports `op` to it; `outputsOf` picks the output tensors from the result
 * (default: the result is one tensor). Call only when `tracing.tracer` is not null.
 */
export function traceOp<R>(op: string, inputs: readonly OpInput[], attrs: OpAttrs, run: () => R,
  outputsOf: (r: R) => readonly Tensor[] = (r) => [r as unknown as Tensor]): R {
  const t = tracing.tracer;
  if (t === null) return run();
  tracing.tracer = null;
  let r: R;
  try {
    r = run();
  } finally {
    tracing.tracer = t;
  }
  t.record(op, inputs, attrs, outputsOf(r));
  return r;
}

/** Runs fn with `tracer` active (restoring the previous one after). */
export function withTracer<R>(tracer: OpTracer, fn: () => R): R {
  const prev = tracing.tracer;
  tracing.tracer = tracer;
  try {
    return fn();
  } finally {
    tracing.tracer = prev;
  }
}
