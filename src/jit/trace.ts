/**
 * `jit.trace`: runs a model's forward pass once on example inputs with a tracer listening to the ops layer
 * (src/ops/trace-hook.ts) and returns the op-level graph (src/jit/graph.ts). Composite ops are recorded as
 * themselves, never as the ops they are built from; LSTM/GRU/RNN record themselves as one op.
 * @module
 */
import { enableGrad } from '../autograd/grad-mode.js';
import { ShapeError, ValueError } from '../errors.js';
import type { Module } from '../nn/module.js';
import { detach } from '../ops/movement.js';
import { withTracer, type OpAttrs, type OpInput, type OpTracer } from '../ops/trace-hook.js';
import { tensor } from '../tensor/creation.js';
import { isFloating } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import type { Dim, Graph, GraphNode, Initializer, ValueInfo } from './graph.js';

/** Options of `trace`. */
export interface TraceOptions {
  /** Mark dim 0 of every input and output as the symbolic batch size 'N' (default false). */
  dynamicBatch?: boolean;
  /** What to run instead of `model.forward` (e.g. `(z) => vae.decode(z)`); the model still names the parameters. */
  forward?: (...inputs: Tensor[]) => unknown;
}

/** A module with a forward pass taking tensors. */
export type Traceable = Module & { forward(...inputs: Tensor[]): unknown };

class Recorder implements OpTracer {
  readonly names = new Map<Tensor, string>();
  readonly initializers: Initializer[] = [];
  readonly nodes: GraphNode[] = [];
  readonly producers = new Map<string, GraphNode>();
  private constants = 0;

  constructor(model: Module) {
    for (const [name, p] of model.namedParameters()) this.hold(name, p, 'parameter');
    for (const [name, b] of model.namedBuffers()) this.hold(name, b, 'buffer');
  }

  private hold(name: string, t: Tensor, kind: Initializer['kind']): string {
    if (!this.names.has(t)) {
      this.names.set(t, name);
      this.initializers.push({ name, tensor: t, kind });
    }
    return this.names.get(t) as string;
  }

  private nameOf(op: string, x: OpInput, outDtype: Tensor['dtype']): string | null {
    if (x === null) return null;
    if (!(x instanceof Tensor)) return this.hold(`const_${this.constants++}`, tensor([Number(x)], { dtype: outDtype, shape: [] }), 'constant');
    const known = this.names.get(x);
    if (known !== undefined) return known;
    if (x.gradFn !== null) {
      throw new ValueError(`jit.trace: op '${op}' got a tensor computed by '${x.gradFn.name}', which does not report to the tracer; use the ops-level function (the graph cannot hold a backend primitive)`);
    }
    return this.hold(`const_${this.constants++}`, x, 'constant');
  }

  record(op: string, inputs: readonly OpInput[], attrs: OpAttrs, outputs: readonly Tensor[]): void {
    // An op that returned its input unchanged (dropout in eval, a no-op reshape) adds nothing to the graph.
    if (outputs.length === 1 && inputs.includes(outputs[0])) return;
    const outDtype = outputs[0]?.dtype ?? 'float32';
    const ins = inputs.map((x) => this.nameOf(op, x, outDtype));
    const k = this.nodes.length;
    const outs: ValueInfo[] = outputs.map((t, i) => {
      const name = outputs.length === 1 ? `${op}_${k}` : `${op}_${k}_${i}`;
      this.names.set(t, name);
      return { name, shape: [...t.shape], dtype: t.dtype };
    });
    const node: GraphNode = { op, inputs: ins, attrs, outputs: outs };
    this.nodes.push(node);
    for (const o of outs) this.producers.set(o.name, node);
  }
}

function flattenOutputs(r: unknown, out: Tensor[]): Tensor[] {
  if (r instanceof Tensor) out.push(r);
  else if (Array.isArray(r)) for (const x of r) flattenOutputs(x, out);
  else throw new ValueError(`jit.trace: the forward pass must return tensors or arrays of them, got ${r === null ? 'null' : typeof r}`);
  return out;
}

/**
 * Records the op-level graph of `model`'s forward pass on `exampleInputs` (one tensor or an array, passed as
 * separate arguments). Parameters and buffers appear under their module names (`fc.weight`); inputs are named
 * 'input' (or 'input0', 'input1', ...), outputs 'output' ('output0', ...). The model runs as it is (call `eval()`
 * first for inference graphs). A tensor reaching a recorded op from code that bypasses the ops layer is a
 * ValueError naming the primitive that made it.
 */
export function trace(model: Traceable, exampleInputs: Tensor | readonly Tensor[], opts: TraceOptions = {}): Graph {
  const xs = exampleInputs instanceof Tensor ? [exampleInputs] : [...exampleInputs];
  xs.forEach((x, i) => {
    if (!(x instanceof Tensor)) throw new ValueError(`jit.trace: exampleInputs[${i}] must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  });
  const dynamicBatch = opts.dynamicBatch ?? false;
  if (dynamicBatch && xs.some((x) => x.ndim === 0)) throw new ShapeError('jit.trace: dynamicBatch needs inputs with a batch dim 0, got a 0-d input');
  const rec = new Recorder(model);
  // Floating inputs require grad while tracing so that any result of code that skips the ops layer carries a
  // gradFn and is caught, instead of being frozen into the graph as a constant.
  const inputs = xs.map((x) => (isFloating(x.dtype) ? detach(x).requiresGrad_(true) : x));
  const inNames = inputs.length === 1 ? ['input'] : inputs.map((_, i) => `input${i}`);
  inputs.forEach((x, i) => rec.names.set(x, inNames[i]));
  const run = opts.forward ?? ((...a: Tensor[]) => model.forward(...a));
  const result = enableGrad(() => withTracer(rec, () => run(...inputs)));
  const outs = flattenOutputs(result, []);
  const batch = xs.length > 0 && xs[0].ndim > 0 ? xs[0].shape[0] : null;
  const dims = (shape: readonly number[]): Dim[] => shape.map((s, d) => (dynamicBatch && d === 0 ? 'N' : s));
  const outNames = outs.length === 1 ? ['output'] : outs.map((_, i) => `output${i}`);
  const outputs: ValueInfo[] = outs.map((t, i) => {
    if (!rec.names.has(t)) throw new ValueError(`jit.trace: output ${i} was computed by '${t.gradFn?.name ?? 'code outside the ops layer'}', which does not report to the tracer`);
    return { name: outNames[i], shape: dims(t.shape), dtype: t.dtype };
  });
  const needed = new Set(outs.map((t) => rec.names.get(t) as string));
  const nodes: GraphNode[] = [];
  for (let k = rec.nodes.length - 1; k >= 0; k--) {
    const n = rec.nodes[k];
    if (!n.outputs.some((o) => needed.has(o.name))) continue;
    nodes.push(n);
    for (const i of n.inputs) if (i !== null) needed.add(i);
  }
  nodes.reverse();
  // Graph outputs get their own names: rename the values that produce them.
  const rename = new Map(outs.map((t, i) => [rec.names.get(t) as string, outNames[i]]));
  const renamed = nodes.map((n) => ({
    ...n,
    inputs: n.inputs.map((i) => (i === null ? null : rename.get(i) ?? i)),
    outputs: n.outputs.map((o) => ({ ...o, name: rename.get(o.name) ?? o.name })),
  }));
  const producedOutputs = new Set(renamed.flatMap((n) => n.outputs.map((o) => o.name)));
  // An output that is an input or a held tensor (no node makes it) keeps that value's name.
  const finalOutputs = outputs.map((o, i) => (producedOutputs.has(o.name) ? o : { ...o, name: rec.names.get(outs[i]) as string }));
  return {
    inputs: inputs.map((x, i) => ({ name: inNames[i], shape: dims(x.shape), dtype: x.dtype })),
    initializers: rec.initializers.filter((p) => needed.has(p.name)),
    nodes: renamed,
    outputs: finalOutputs,
    dynamicBatch,
    batchSize: batch,
  };
}
