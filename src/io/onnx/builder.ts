/**
 * Builds the plain objects of an ONNX GraphProto (nodes, initializers, value infos) that protobufjs encodes:
 * fresh names, typed attributes, constants, and tensors as little-endian raw_data.
 * @module
 */
import { DTypeError, ValueError } from '../../errors.js';
import type { Dim, ValueInfo } from '../../jit/graph.js';
import type { DType } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { utf8Encode } from '../../train/platform.js';

/** An error for an op that has no ONNX form (or not with the options it was traced with); `op` names it. */
export class UnsupportedOpError extends ValueError {
  /** Creates the error for `op`, saying why. */
  constructor(readonly op: string, why: string) {
    super(`onnx export: op '${op}' has no ONNX form: ${why}`);
    this.name = 'UnsupportedOpError';
  }
}

/** An attribute value, typed as ONNX stores it. */
export type Attr = { f: number } | { i: number } | { s: string } | { ints: readonly number[] } | { floats: readonly number[] } | { strings: readonly string[] };

/** A float attribute. */
export const af = (f: number): Attr => ({ f });
/** An integer attribute. */
export const ai = (i: number): Attr => ({ i });
/** A string attribute. */
export const as = (s: string): Attr => ({ s });
/** An integer-list attribute. */
export const aints = (ints: readonly number[]): Attr => ({ ints });
/** A string-list attribute. */
export const astrings = (strings: readonly string[]): Attr => ({ strings });

/** ONNX TensorProto.DataType codes of the dtypes we write. */
const ELEM_TYPE: Record<DType, number> = { float32: 1, float64: 11, int32: 6, bool: 9 } as Record<DType, number>;

/** The ONNX element type code of a dtype (DTypeError for one ONNX export does not write). */
export function elemType(dtype: DType): number {
  const t = ELEM_TYPE[dtype];
  if (t === undefined) throw new DTypeError(`onnx export: dtype ${dtype} has no ONNX element type here (float32, float64, int32, bool)`);
  return t;
}

const enc = { encode: utf8Encode };

function attrProto(name: string, a: Attr): Record<string, unknown> {
  if ('f' in a) return { name, type: 1, f: a.f };
  if ('i' in a) return { name, type: 2, i: a.i };
  if ('s' in a) return { name, type: 3, s: enc.encode(a.s) };
  if ('floats' in a) return { name, type: 6, floats: [...a.floats] };
  if ('ints' in a) return { name, type: 7, ints: [...a.ints] };
  return { name, type: 8, strings: a.strings.map((s) => enc.encode(s)) };
}

/** A TensorProto object for raw values. */
export function tensorProto(name: string, dims: readonly number[], dtype: DType, values: ArrayLike<number>): Record<string, unknown> {
  let bytes: Uint8Array;
  if (dtype === 'float32') bytes = new Uint8Array(Float32Array.from(values).buffer);
  else if (dtype === 'float64') bytes = new Uint8Array(Float64Array.from(values).buffer);
  else if (dtype === 'int32') bytes = new Uint8Array(Int32Array.from(values).buffer);
  else if (dtype === 'bool') bytes = Uint8Array.from(values, (v) => (v ? 1 : 0));
  else throw new DTypeError(`onnx export: dtype ${dtype} has no ONNX element type here (float32, float64, int32, bool)`);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new ValueError('onnx export: needs a little-endian machine (raw_data is little-endian)');
  return { name, dims: [...dims], data_type: elemType(dtype), raw_data: bytes };
}

/** A TensorProto of int64 values (shapes, pads, axes). */
function int64Proto(name: string, values: readonly number[]): Record<string, unknown> {
  const b = new BigInt64Array(values.map((v) => BigInt(v)));
  return { name, dims: [values.length], data_type: 7, raw_data: new Uint8Array(b.buffer) };
}

/** A ValueInfoProto object. */
export function valueInfo(v: ValueInfo): Record<string, unknown> {
  const dim = v.shape.map((d: Dim) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d }));
  return { name: v.name, type: { tensor_type: { elem_type: elemType(v.dtype), shape: { dim } } } };
}

/** Accumulates the nodes and initializers of one graph. */
export class GraphBuilder {
  /** NodeProto objects in order. */
  readonly nodes: Record<string, unknown>[] = [];
  /** TensorProto objects by name, in insertion order. */
  readonly initializers = new Map<string, Record<string, unknown>>();
  private fresh = 0;

  /** A name not used before, starting with `hint`. */
  tmp(hint: string): string {
    return `${hint}__${this.fresh++}`;
  }

  /** Appends a node; returns its first output's name. */
  node(opType: string, inputs: readonly string[], outputs: readonly string[], attrs: Record<string, Attr> = {}): string {
    this.nodes.push({
      input: [...inputs], output: [...outputs], name: `${opType}_${this.nodes.length}`, op_type: opType,
      attribute: Object.entries(attrs).map(([k, a]) => attrProto(k, a)),
    });
    return outputs[0];
  }

  /** Adds a tensor as an initializer named `name` (once). */
  tensor(name: string, t: Tensor): string {
    if (!this.initializers.has(name)) this.initializers.set(name, tensorProto(name, t.shape, t.dtype, t.toTypedArray() as ArrayLike<number>));
    return name;
  }

  /** Adds raw values as a new initializer; returns its name. */
  values(hint: string, dims: readonly number[], dtype: DType, values: ArrayLike<number>): string {
    const name = this.tmp(hint);
    this.initializers.set(name, tensorProto(name, dims, dtype, values));
    return name;
  }

  /** Adds a 1-D int64 initializer (shape, pads, axes operands); returns its name. */
  int64(hint: string, values: readonly number[]): string {
    const name = this.tmp(hint);
    this.initializers.set(name, int64Proto(name, values));
    return name;
  }
}
