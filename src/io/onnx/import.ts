/**
 * ONNX import: `loadModelBytes(bytes)` decodes an .onnx file (protobufjs, onnx.proto) into an `OnnxModel` whose
 * `run` executes the graph node by node with shendu's ops (import-ops.ts), and whose `stateDict` gives the
 * weights under PyTorch's names (import-weights.ts). int64 values (shapes, axes, pads) stay on the host as
 * `HostInts`, since shendu has no int64 tensors. Browser-safe; Node's `loadModel(path)` is in src/node/onnx.ts.
 * @module
 */
import { DataError, ValueError, fmtShape } from '../../errors.js';
import { tensor } from '../../tensor/creation.js';
import type { DType } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { utf8Decode } from '../../train/platform.js';
import { runNode } from './import-ops.js';
import { modelType } from './schema.js';

/** An int64 value of the graph kept on the host (shapes, axes, pads, indices into shapes). */
export class HostInts {
  /** Creates it from its shape and row-major values. */
  constructor(readonly shape: readonly number[], readonly data: readonly number[]) {}
}

/** A value flowing through an imported graph. */
export type OnnxValue = Tensor | HostInts;

/** A decoded NodeProto: op type, input and output names ('' for absent), attributes by name. */
export interface OnnxNode {
  /** Its name in the file (PyTorch's exporter writes the module scope, e.g. '/layer1/0/conv1/Conv'). */
  readonly name: string;
  /** ONNX op type ('Conv', 'LSTM', ...). */
  readonly opType: string;
  /** Input names ('' for an omitted optional input). */
  readonly inputs: readonly string[];
  /** Output names. */
  readonly outputs: readonly string[];
  /** Attributes, decoded (ints, floats, strings, lists; tensors as OnnxValue). */
  readonly attrs: Readonly<Record<string, unknown>>;
}

// protobufjs gives int64 fields as Long objects or numbers; shapes and attributes fit in a double.
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(String(v)));

/** A TensorProto as a shendu tensor (float, double, int32, bool) or HostInts (int64). */
export function decodeTensor(t: Record<string, unknown>, what: string): OnnxValue {
  const dims = ((t.dims as unknown[]) ?? []).map(num);
  const count = dims.reduce((a, b) => a * b, 1);
  const type = num(t.data_type);
  const raw = t.raw_data as Uint8Array | undefined;
  const view = raw !== undefined && raw.length > 0 ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : null;
  const read = (size: number, get: (off: number) => number, field: string): number[] => {
    if (view === null) return ((t[field] as unknown[]) ?? []).map(num);
    if (view.byteLength !== count * size) throw new DataError(`onnx import: ${what}: raw_data holds ${view.byteLength} bytes, dims ${fmtShape(dims)} need ${count * size}`);
    return Array.from({ length: count }, (_, i) => get(i * size));
  };
  const make = (values: number[], dtype: DType) => {
    if (values.length !== count) throw new DataError(`onnx import: ${what}: ${values.length} values for dims ${fmtShape(dims)}`);
    return tensor(values, { dtype, shape: dims });
  };
  switch (type) {
    case 1: return make(read(4, (o) => view!.getFloat32(o, true), 'float_data'), 'float32');
    case 11: return make(read(8, (o) => view!.getFloat64(o, true), 'double_data'), 'float64');
    case 6: return make(read(4, (o) => view!.getInt32(o, true), 'int32_data'), 'int32');
    case 9: return make(read(1, (o) => view!.getUint8(o), 'int32_data'), 'bool');
    case 7: {
      const v = read(8, (o) => Number(view!.getBigInt64(o, true)), 'int64_data');
      if (v.length !== count) throw new DataError(`onnx import: ${what}: ${v.length} values for dims ${fmtShape(dims)}`);
      return new HostInts(dims, v);
    }
    default: throw new DataError(`onnx import: ${what}: element type ${type} is not read here (float, double, int32, int64, bool)`);
  }
}

function decodeAttr(a: Record<string, unknown>, where: string): unknown {
  const dec = { decode: (b: Uint8Array) => utf8Decode(b) };
  switch (num(a.type)) {
    case 1: return Number(a.f ?? 0);
    case 2: return num(a.i ?? 0);
    case 3: return dec.decode(a.s as Uint8Array);
    case 4: return decodeTensor(a.t as Record<string, unknown>, `${where} attribute ${String(a.name)}`);
    case 6: return ((a.floats as unknown[]) ?? []).map(Number);
    case 7: return ((a.ints as unknown[]) ?? []).map(num);
    case 8: return ((a.strings as Uint8Array[]) ?? []).map((s) => dec.decode(s));
    default: throw new DataError(`onnx import: ${where}: attribute ${String(a.name)} has type ${String(a.type)}, which is not read here`);
  }
}

/** An ONNX model loaded for running with shendu's ops. */
export class OnnxModel {
  /** Initializers by name. */
  readonly initializers = new Map<string, OnnxValue>();
  /** The nodes in file (topological) order. */
  readonly nodes: OnnxNode[];
  /** Graph input names that are not initializers, in order. */
  readonly inputNames: string[];
  /** Graph output names, in order. */
  readonly outputNames: string[];
  /** The default-domain opset the file declares. */
  readonly opset: number;
  /** Per-node state (e.g. the recurrent module built for an LSTM node), kept between runs. */
  readonly cache = new Map<OnnxNode, unknown>();

  /** Builds the model from a decoded ModelProto object. */
  constructor(proto: Record<string, unknown>) {
    const g = proto.graph as Record<string, unknown> | undefined;
    if (g === undefined || g === null) throw new DataError('onnx import: the file has no graph');
    const ops = ((proto.opset_import as Record<string, unknown>[]) ?? []).filter((o) => !o.domain);
    this.opset = ops.length > 0 ? num(ops[0].version) : 1;
    for (const t of (g.initializer as Record<string, unknown>[]) ?? []) this.initializers.set(String(t.name), decodeTensor(t, `initializer ${String(t.name)}`));
    this.nodes = ((g.node as Record<string, unknown>[]) ?? []).map((n, k) => {
      const name = String(n.name ?? `node ${k}`);
      const attrs: Record<string, unknown> = {};
      for (const a of (n.attribute as Record<string, unknown>[]) ?? []) attrs[String(a.name)] = decodeAttr(a, `${name} (${String(n.op_type)})`);
      return { name, opType: String(n.op_type), inputs: ((n.input as string[]) ?? []).map(String), outputs: ((n.output as string[]) ?? []).map(String), attrs };
    });
    this.inputNames = ((g.input as Record<string, unknown>[]) ?? []).map((v) => String(v.name)).filter((n) => !this.initializers.has(n));
    this.outputNames = ((g.output as Record<string, unknown>[]) ?? []).map((v) => String(v.name));
  }

  /**
   * Runs the graph on `inputs` (by name, or in inputNames order) without gradients; returns the outputs by name.
   * A missing input is a ValueError naming it; an op shendu does not run is a ValueError naming the op and node.
   */
  run(inputs: Record<string, Tensor> | readonly Tensor[]): Record<string, Tensor> {
    const env = new Map<string, OnnxValue>(this.initializers);
    const given = Array.isArray(inputs) ? Object.fromEntries(this.inputNames.map((n, i) => [n, (inputs as Tensor[])[i]])) : inputs as Record<string, Tensor>;
    for (const n of this.inputNames) {
      const t = given[n];
      if (!(t instanceof Tensor)) throw new ValueError(`onnx import: run: input '${n}' must be a Tensor, got ${t === undefined ? 'nothing' : typeof t} (inputs: ${this.inputNames.join(', ')})`);
      env.set(n, t);
    }
    return noGrad(() => {
      for (const node of this.nodes) {
        const ins = node.inputs.map((i) => {
          if (i === '') return null;
          const v = env.get(i);
          if (v === undefined) throw new DataError(`onnx import: node ${node.name} (${node.opType}) reads '${i}', which nothing produced`);
          return v;
        });
        const outs = runNode(this, node, ins);
        node.outputs.forEach((o, k) => {
          if (o !== '' && outs[k] !== undefined) env.set(o, outs[k]);
        });
      }
      const res: Record<string, Tensor> = {};
      for (const o of this.outputNames) {
        const v = env.get(o);
        res[o] = v instanceof HostInts ? tensor(v.data, { dtype: 'int32', shape: v.shape }) : (v as Tensor);
      }
      return res;
    });
  }
}

/** Decodes an .onnx file's bytes into a runnable OnnxModel (DataError for bytes that are not a ModelProto). */
export function loadModelBytes(bytes: Uint8Array): OnnxModel {
  let proto: Record<string, unknown>;
  try {
    const T = modelType();
    proto = T.toObject(T.decode(bytes), { longs: Number }) as Record<string, unknown>;
  } catch (e) {
    throw new DataError(`onnx import: the bytes are not an ONNX ModelProto: ${(e as Error).message}`);
  }
  return new OnnxModel(proto);
}
