/**
 * ONNX import: `loadModelBytes(bytes)` decodes an .onnx file (protobufjs, onnx.proto) into an `OnnxModel` whose
 * `run` executes the graph node by node with shendu's ops (import-ops.ts), and whose `stateDict` gives the
 * weights under PyTorch's names (import-weights.ts). int64 values (shapes, axes, pads) stay on the host as
 * `HostInts`, since shendu has no int64 tensors. Tensors kept as ONNX external data come from an `externalData`
 * option. Browser-safe; Node's `loadModel(path)` (which reads external data files next to the model) is in
 * src/node/onnx.ts.
 * @module
 */
import { DTypeError, DataError, ShapeError, ValueError, fmtShape } from '../../errors.js';
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

/** Where a tensor's data lives when the file does not hold it (ONNX external data, or data stripped out). */
export interface ExternalTensorRef {
  /** The tensor's name (an initializer's name, or '<node> attribute <name>'). */
  readonly name: string;
  /** Its dims. */
  readonly dims: readonly number[];
  /** Its ONNX element type code (1 float, 11 double, 6 int32, 7 int64, 9 bool). */
  readonly elemType: number;
  /** The file the data lives in, relative to the model's directory; null for a tensor whose data was stripped. */
  readonly location: string | null;
  /** Byte offset of the data in that file (default 0). */
  readonly offset: number;
  /** Byte count, or null when the file does not say (then: to the end of the file). */
  readonly length: number | null;
}

/**
 * Supplies the data of tensors the file keeps outside itself: tensors by name, or a function of the reference
 * returning a Tensor (its values, in the tensor's shape) or the raw little-endian bytes, undefined for none.
 */
export type ExternalDataSource = Readonly<Record<string, Tensor>> | ((ref: ExternalTensorRef) => Tensor | Uint8Array | undefined);

/** Options of `loadModelBytes` and `OnnxModel`. */
export interface LoadModelOptions {
  /**
   * Data of tensors stored as ONNX external data (`save_as_external_data`) or stripped from the file. Without it
   * such a tensor is a DataError naming it; Node's `loadModel(path)` reads the files next to the model by default.
   */
  externalData?: ExternalDataSource;
}

const ELEM_DTYPE: Record<number, DType | undefined> = { 1: 'float32', 11: 'float64', 6: 'int32', 9: 'bool' };
const ELEM_BYTES: Record<number, number | undefined> = { 1: 4, 11: 8, 6: 4, 9: 1, 7: 8 };

/** The external reference of a TensorProto, or null when the proto holds its data. */
function externalRef(t: Record<string, unknown>, name: string, dims: number[], type: number, count: number): ExternalTensorRef | null {
  if (num(t.data_location ?? 0) === 1) {
    const kv = new Map(((t.external_data as Record<string, unknown>[]) ?? []).map((e) => [String(e.key), String(e.value)]));
    const location = kv.get('location');
    if (location === undefined) throw new DataError(`onnx import: '${name}': external data without a location`);
    const length = kv.has('length') ? Number(kv.get('length')) : null;
    return { name, dims, elemType: type, location, offset: Number(kv.get('offset') ?? 0), length };
  }
  const fields = ['raw_data', 'float_data', 'double_data', 'int32_data', 'int64_data'];
  const empty = fields.every((f) => t[f] === undefined || t[f] === null || (t[f] as ArrayLike<unknown>).length === 0);
  return count > 0 && empty ? { name, dims, elemType: type, location: null, offset: 0, length: null } : null;
}

/** Asks `source` for an external tensor: a Tensor checked against the reference, or its raw bytes. */
function fetchExternal(ref: ExternalTensorRef, what: string, source: ExternalDataSource | undefined): OnnxValue | Uint8Array {
  const got = source === undefined ? undefined : typeof source === 'function' ? source(ref) : source[ref.name];
  if (got === undefined) {
    const where = ref.location === null ? 'holds no data (stripped)' : `keeps its data outside the file ('${ref.location}', offset ${ref.offset}, ${ref.length ?? 'to the end'} bytes)`;
    throw new DataError(`onnx import: ${what} ${where} and the externalData option supplies none for '${ref.name}'`);
  }
  if (got instanceof Uint8Array) {
    const want = count(ref.dims) * (ELEM_BYTES[ref.elemType] ?? 0);
    if (got.length !== want) throw new DataError(`onnx import: external data for '${ref.name}' is ${got.length} bytes, dims ${fmtShape(ref.dims)} of element type ${ref.elemType} need ${want}`);
    return got;
  }
  if (!(got instanceof Tensor)) throw new ValueError(`onnx import: externalData for '${ref.name}' must be a Tensor or a Uint8Array, got ${typeof got}`);
  if (got.ndim !== ref.dims.length || got.shape.some((s, i) => s !== ref.dims[i])) {
    throw new ShapeError(`onnx import: externalData for '${ref.name}' must have shape ${fmtShape(ref.dims)}, got ${fmtShape(got.shape)}`);
  }
  if (ref.elemType === 7 && got.dtype === 'int32') return new HostInts(ref.dims, Array.from(got.toTypedArray() as Int32Array));
  const want = ref.elemType === 7 ? 'int32 (for int64 values)' : ELEM_DTYPE[ref.elemType];
  if (ELEM_DTYPE[ref.elemType] !== got.dtype) throw new DTypeError(`onnx import: externalData for '${ref.name}' must be ${want ?? `of element type ${ref.elemType}`}, got dtype ${got.dtype}`);
  return got;
}

const count = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/**
 * A TensorProto as a shendu tensor (float, double, int32, bool) or HostInts (int64). Data kept outside the file
 * comes from `external` (see LoadModelOptions.externalData), which knows the tensor as `name`.
 */
export function decodeTensor(t: Record<string, unknown>, what: string, external?: ExternalDataSource, name = String(t.name ?? what)): OnnxValue {
  const dims = ((t.dims as unknown[]) ?? []).map(num);
  const n = count(dims);
  const type = num(t.data_type);
  const ref = externalRef(t, name, dims, type, n);
  let raw = t.raw_data as Uint8Array | undefined;
  if (ref !== null) {
    const got = fetchExternal(ref, what, external);
    if (!(got instanceof Uint8Array)) return got;
    raw = got;
  }
  const view = raw !== undefined && raw !== null && raw.length > 0 ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : null;
  const read = (size: number, get: (off: number) => number, field: string): number[] => {
    if (view === null) return ((t[field] as unknown[]) ?? []).map(num);
    if (view.byteLength !== n * size) throw new DataError(`onnx import: ${what}: raw_data holds ${view.byteLength} bytes, dims ${fmtShape(dims)} need ${n * size}`);
    return Array.from({ length: n }, (_, i) => get(i * size));
  };
  const make = (values: number[], dtype: DType) => {
    if (values.length !== n) throw new DataError(`onnx import: ${what}: ${values.length} values for dims ${fmtShape(dims)}`);
    return tensor(values, { dtype, shape: dims });
  };
  if (type === 1 && view !== null && view.byteLength === n * 4) {
    // most of a model's bytes: one typed-array pass instead of an array of numbers
    const f = new Float32Array(n);
    for (let i = 0; i < n; i++) f[i] = view.getFloat32(i * 4, true);
    return tensor(f, { shape: dims });
  }
  switch (type) {
    case 1: return make(read(4, (o) => view!.getFloat32(o, true), 'float_data'), 'float32');
    case 11: return make(read(8, (o) => view!.getFloat64(o, true), 'double_data'), 'float64');
    case 6: return make(read(4, (o) => view!.getInt32(o, true), 'int32_data'), 'int32');
    case 9: return make(read(1, (o) => view!.getUint8(o), 'int32_data'), 'bool');
    case 7: {
      const v = read(8, (o) => Number(view!.getBigInt64(o, true)), 'int64_data');
      if (v.length !== n) throw new DataError(`onnx import: ${what}: ${v.length} values for dims ${fmtShape(dims)}`);
      return new HostInts(dims, v);
    }
    default: throw new DataError(`onnx import: ${what}: element type ${type} is not read here (float, double, int32, int64, bool)`);
  }
}

function decodeAttr(a: Record<string, unknown>, where: string, external?: ExternalDataSource): unknown {
  const dec = { decode: (b: Uint8Array) => utf8Decode(b) };
  switch (num(a.type)) {
    case 1: return Number(a.f ?? 0);
    case 2: return num(a.i ?? 0);
    case 3: return dec.decode(a.s as Uint8Array);
    case 4: return decodeTensor(a.t as Record<string, unknown>, `${where} attribute ${String(a.name)}`, external);
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

  /** Builds the model from a decoded ModelProto object; `opts.externalData` supplies tensors kept outside the file. */
  constructor(proto: Record<string, unknown>, opts: LoadModelOptions = {}) {
    const g = proto.graph as Record<string, unknown> | undefined;
    if (g === undefined || g === null) throw new DataError('onnx import: the file has no graph');
    const ops = ((proto.opset_import as Record<string, unknown>[]) ?? []).filter((o) => !o.domain);
    this.opset = ops.length > 0 ? num(ops[0].version) : 1;
    for (const t of (g.initializer as Record<string, unknown>[]) ?? []) this.initializers.set(String(t.name), decodeTensor(t, `initializer ${String(t.name)}`, opts.externalData));
    this.nodes = ((g.node as Record<string, unknown>[]) ?? []).map((n, k) => {
      const name = String(n.name ?? `node ${k}`);
      const attrs: Record<string, unknown> = {};
      for (const a of (n.attribute as Record<string, unknown>[]) ?? []) attrs[String(a.name)] = decodeAttr(a, `${name} (${String(n.op_type)})`, opts.externalData);
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

/**
 * Decodes an .onnx file's bytes into a runnable OnnxModel (DataError for bytes that are not a ModelProto). Tensors
 * the file keeps as external data come from `opts.externalData` (a DataError naming the tensor without it).
 */
export function loadModelBytes(bytes: Uint8Array, opts: LoadModelOptions = {}): OnnxModel {
  let proto: Record<string, unknown>;
  try {
    const T = modelType();
    proto = T.toObject(T.decode(bytes), { longs: Number }) as Record<string, unknown>;
  } catch (e) {
    throw new DataError(`onnx import: the bytes are not an ONNX ModelProto: ${(e as Error).message}`);
  }
  return new OnnxModel(proto, opts);
}
