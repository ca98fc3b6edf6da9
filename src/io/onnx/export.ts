/**
 * ONNX export (opset 17, IR version 8): traces the model (src/jit), converts each op (convert.ts) and encodes the
 * ModelProto with protobufjs from ONNX's own schema (schema.ts). Browser-safe: returns bytes; `exportModel` in
 * src/node/onnx.ts writes them to a file.
 * @module
 */
import { ValueError } from '../../errors.js';
import type { Graph, ValueInfo } from '../../jit/graph.js';
import { trace, type Traceable } from '../../jit/trace.js';
import type { Tensor } from '../../tensor/tensor.js';
import { GraphBuilder, valueInfo } from './builder.js';
import { convertNode, type ConvertContext } from './convert.js';
import { modelType } from './schema.js';

/** The opset we write. */
export const ONNX_OPSET = 17;

/** Options of exportModelBytes / exportModel. */
export interface ExportOptions {
  /**
   * Make dim 0 of every input and output the symbolic batch size 'N', so the file runs with any batch size
   * (PyTorch's `dynamic_axes={name: {0: 'N'}}` on each; default false).
   */
  dynamicAxes?: boolean;
  /** What to run instead of `model.forward` (e.g. `(z) => vae.decode(z)`). */
  forward?: (...inputs: Tensor[]) => unknown;
  /** The graph's name (default: the model's class name). */
  graphName?: string;
}

/** The ModelProto object (plain, as protobufjs takes it) of a traced graph. */
export function graphToModel(g: Graph, graphName: string): Record<string, unknown> {
  const b = new GraphBuilder();
  const infos = new Map<string, ValueInfo>();
  const tensors = new Map<string, Tensor>();
  for (const v of g.inputs) infos.set(v.name, v);
  for (const p of g.initializers) {
    tensors.set(p.name, p.tensor);
    infos.set(p.name, { name: p.name, shape: [...p.tensor.shape], dtype: p.tensor.dtype });
  }
  const batched = new Set<string>(g.dynamicBatch ? g.inputs.map((v) => v.name) : []);
  const ctx: ConvertContext = {
    b,
    info: (name) => {
      const v = infos.get(name);
      if (v === undefined) throw new ValueError(`onnx export: the graph reads a value '${name}' that nothing produced`);
      return v;
    },
    tensorOf: (name) => tensors.get(name),
    batched: (name) => batched.has(name),
    poolIndices: new Map(),
    poolInputShapes: new Map(),
  };
  for (const n of g.nodes) {
    // A value carries the dynamic batch when an input does and its dim 0 is the traced batch size.
    const fromBatch = n.inputs.some((i) => i !== null && batched.has(i));
    for (const o of n.outputs) {
      infos.set(o.name, o);
      if (fromBatch && o.shape[0] === g.batchSize) batched.add(o.name);
    }
    convertNode(ctx, n);
  }
  const produced = new Set(b.nodes.flatMap((n) => n.output as string[]));
  for (const o of g.outputs) {
    const t = tensors.get(o.name);
    if (!produced.has(o.name) && t !== undefined) b.tensor(o.name, t);
  }
  return {
    ir_version: 8,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    producer_name: 'shendu',
    graph: {
      name: graphName,
      node: b.nodes,
      initializer: [...b.initializers.values()],
      input: g.inputs.map(valueInfo),
      output: g.outputs.map(valueInfo),
    },
  };
}

/** Encodes a ModelProto object to bytes (protobufjs, checked against the schema first). */
export function encodeModel(model: Record<string, unknown>): Uint8Array {
  const T = modelType();
  const err = T.verify(model);
  if (err !== null) throw new ValueError(`onnx export: the model does not match onnx.proto: ${err}`);
  return T.encode(T.fromObject(model)).finish();
}

/**
 * The ONNX file (bytes) of `model` run on `inputs` (one tensor or an array): traced in eval mode (the model's
 * mode is restored after), inputs named 'input' / 'input0'..., outputs 'output' / 'output0'..., parameters under
 * their module names. Throws UnsupportedOpError naming an op with no ONNX form.
 */
export function exportModelBytes(model: Traceable, inputs: Tensor | readonly Tensor[], opts: ExportOptions = {}): Uint8Array {
  const wasTraining = model.training;
  model.eval();
  let g: Graph;
  try {
    g = trace(model, inputs, { dynamicBatch: opts.dynamicAxes ?? false, forward: opts.forward });
  } finally {
    model.train(wasTraining);
  }
  return encodeModel(graphToModel(g, opts.graphName ?? model.constructor.name));
}
