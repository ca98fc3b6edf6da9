/**
 * The safetensors format (huggingface/safetensors), the weights format PyTorch users load with
 * `safetensors.torch.load_file`: an 8-byte little-endian header length N, N bytes of JSON
 * `{"__metadata__": {string: string}, name: {"dtype", "shape", "data_offsets": [begin, end]}, ...}` padded with
 * spaces to a multiple of 8 bytes, then the tensors' raw little-endian bytes, offsets counted from the start of
 * that data section. Written as the reference writer does (tensors ordered by dtype, widest first, then by name,
 * packed without gaps); read strictly, so a truncated or corrupt file is a DataError saying what is wrong.
 * Browser-safe: bytes in, bytes out.
 * @module
 */
import { DataError, ValueError, fmtShape } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import type { DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { utf8Decode, utf8Encode } from '../train/platform.js';

/** The contents of a safetensors file: named tensors, in file order, and the string metadata. */
export interface SafetensorsContents {
  /** The tensors by name (F16/BF16 read as float32, narrower or wider integers as int32). */
  tensors: Record<string, Tensor>;
  /** The `__metadata__` strings ({} when the file has none). */
  metadata: Record<string, string>;
}

/** Options of `decodeSafetensors`. */
export interface DecodeSafetensorsOptions {
  /** What to call the bytes in error messages, usually the file name (default 'safetensors'). */
  source?: string;
}

/** The reference implementation refuses headers above 100 MB; so do we (a corrupt length is usually huge). */
const MAX_HEADER = 100_000_000;

/** Bytes per element of each safetensors dtype we read. */
const DTYPE_SIZE: Record<string, number> = {
  BOOL: 1, U8: 1, I8: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8,
};

/** The reference writer's dtype order (its enum order); tensors are written widest-ranked first. */
const DTYPE_RANK: Record<string, number> = {
  BOOL: 0, U8: 1, I8: 2, I16: 5, U16: 6, F16: 7, BF16: 8, I32: 9, U32: 10, F32: 11, F64: 12, I64: 13, U64: 14,
};

const WRITE_DTYPE: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The raw little-endian bytes of a tensor's elements, row-major. */
function tensorBytes(t: Tensor): Uint8Array {
  const arr = t.toTypedArray();
  if (LITTLE_ENDIAN || arr.BYTES_PER_ELEMENT === 1) return new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
  const out = new Uint8Array(arr.byteLength);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < arr.length; i++) {
    if (arr instanceof Float32Array) dv.setFloat32(i * 4, arr[i], true);
    else if (arr instanceof Float64Array) dv.setFloat64(i * 8, arr[i], true);
    else dv.setInt32(i * 4, arr[i], true);
  }
  return out;
}

/**
 * Encodes named tensors (e.g. `model.stateDict()`) and optional string metadata as a safetensors file.
 * float32 → F32, float64 → F64, int32 → I32, bool → BOOL. Throws a ValueError for a bad name, a non-tensor
 * value or a non-string metadata value.
 */
export function encodeSafetensors(tensors: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  if (tensors === null || typeof tensors !== 'object') throw new ValueError('encodeSafetensors: tensors must be an object of name → Tensor');
  const entries = Object.entries(tensors);
  for (const [name, t] of entries) {
    if (name === '' || name === '__metadata__') throw new ValueError(`encodeSafetensors: ${JSON.stringify(name)} cannot be a tensor name`);
    if (!(t instanceof Tensor)) throw new ValueError(`encodeSafetensors: '${name}' must be a Tensor, got ${t === null ? 'null' : typeof t}`);
  }
  if (metadata !== undefined) {
    if (metadata === null || typeof metadata !== 'object') throw new ValueError('encodeSafetensors: metadata must be an object of strings');
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new ValueError(`encodeSafetensors: metadata '${k}' must be a string, got ${typeof v}`);
    }
  }
  entries.sort(([an, a], [bn, b]) => DTYPE_RANK[WRITE_DTYPE[b.dtype]] - DTYPE_RANK[WRITE_DTYPE[a.dtype]] || (an < bn ? -1 : an > bn ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) header.__metadata__ = { ...metadata };
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of entries) {
    const bytes = tensorBytes(t);
    header[name] = { dtype: WRITE_DTYPE[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + bytes.byteLength] };
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  const json = utf8Encode(JSON.stringify(header));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, padded % 2 ** 32, true);
  dv.setUint32(4, Math.floor(padded / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.byteLength, 8 + padded);
  let at = 8 + padded;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** float16 bits → the float32 value (exact: every half is a float). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function describeValue(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : JSON.stringify(v);
}

/**
 * Decodes a safetensors file. F32/F64/I32/BOOL keep their types; F16 and BF16 become float32; I8, U8, I16,
 * U16, U32, I64 and U64 become int32 (a value outside int32's range is a DataError). Anything wrong — a
 * truncated file, a header length past the end, invalid JSON, an unknown dtype, offsets that overlap, leave
 * gaps, do not match the shape or run past the data — is a DataError naming the source and the problem.
 */
export function decodeSafetensors(bytes: Uint8Array, opts: DecodeSafetensorsOptions = {}): SafetensorsContents {
  const src = opts.source ?? 'safetensors';
  const fail = (msg: string) => new DataError(`${src}: ${msg}`);
  if (!(bytes instanceof Uint8Array)) throw new ValueError(`decodeSafetensors: bytes must be a Uint8Array, got ${describeValue(bytes)}`);
  if (bytes.byteLength < 8) throw fail(`truncated: ${bytes.byteLength} bytes, too short for the 8-byte header length`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = dv.getUint32(0, true) + dv.getUint32(4, true) * 2 ** 32;
  if (n > MAX_HEADER) throw fail(`header length ${n} is over the 100 MB limit (not a safetensors file, or corrupt)`);
  if (8 + n > bytes.byteLength) throw fail(`truncated: the header needs ${n} bytes but only ${bytes.byteLength - 8} follow the length`);
  let text: string;
  try {
    text = utf8Decode(bytes.subarray(8, 8 + n), true);
  } catch {
    throw fail('the header is not valid UTF-8');
  }
  if (!text.startsWith('{')) throw fail(`the header must be a JSON object starting with '{', got ${JSON.stringify(text.slice(0, 20))}`);
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw fail(`the header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw fail('the header must be a JSON object');
  const dataStart = 8 + n;
  const dataLength = bytes.byteLength - dataStart;
  const metadata: Record<string, string> = {};
  const infos: { name: string; dtype: string; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw fail(`__metadata__ must be an object of strings, got ${describeValue(raw)}`);
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') throw fail(`__metadata__ value '${k}' must be a string, got ${describeValue(v)}`);
        metadata[k] = v;
      }
      continue;
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw fail(`tensor '${name}': expected {dtype, shape, data_offsets}, got ${describeValue(raw)}`);
    const info = raw as Record<string, unknown>;
    const dtype = info.dtype;
    if (typeof dtype !== 'string') throw fail(`tensor '${name}': dtype must be a string, got ${describeValue(dtype)}`);
    if (!(dtype in DTYPE_SIZE)) throw fail(`tensor '${name}': unsupported dtype ${dtype} (readable: ${Object.keys(DTYPE_SIZE).join(', ')})`);
    const shape = info.shape;
    if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      throw fail(`tensor '${name}': shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
    }
    const off = info.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || off.some((o) => !Number.isSafeInteger(o) || o < 0) || off[1] < off[0]) {
      throw fail(`tensor '${name}': data_offsets must be [begin, end] with 0 <= begin <= end, got ${JSON.stringify(off)}`);
    }
    const numel = shape.reduce((a: number, b: number) => a * b, 1);
    if (off[1] - off[0] !== numel * DTYPE_SIZE[dtype]) {
      throw fail(`tensor '${name}': ${dtype} of shape ${fmtShape(shape)} needs ${numel * DTYPE_SIZE[dtype]} bytes, but data_offsets ${JSON.stringify(off)} span ${off[1] - off[0]}`);
    }
    infos.push({ name, dtype, shape, begin: off[0], end: off[1] });
  }
  // as the reference reader: the tensors, sorted by offset, must tile the data section exactly
  const sorted = [...infos].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const t of sorted) {
    if (t.begin !== expected) {
      throw fail(t.begin < expected
        ? `tensor '${t.name}' at bytes [${t.begin}, ${t.end}) overlaps the tensor before it, which ends at ${expected}`
        : `a gap: tensor '${t.name}' starts at byte ${t.begin} of the data, expected ${expected}`);
    }
    expected = t.end;
  }
  if (expected > dataLength) throw fail(`truncated: the tensors need ${expected} bytes of data but the file holds ${dataLength}`);
  if (expected < dataLength) throw fail(`${dataLength - expected} bytes of data after the last tensor (the header does not describe the whole file)`);
  const tensors: Record<string, Tensor> = {};
  // Uint8Array's own slice (a copy at offset 0): a Node Buffer's slice is a view into the whole file's buffer
  for (const info of infos) tensors[info.name] = readTensor(Uint8Array.prototype.slice.call(bytes, dataStart + info.begin, dataStart + info.end), info, fail);
  return { tensors, metadata };
}

function readTensor(raw: Uint8Array, info: { name: string; dtype: string; shape: number[] }, fail: (m: string) => DataError): Tensor {
  const { dtype, shape } = info;
  const size = DTYPE_SIZE[dtype];
  const count = raw.byteLength / size;
  // `raw` is a fresh copy, so its buffer starts aligned for any typed array
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (dtype === 'BOOL') {
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i++) out[i] = raw[i] !== 0 ? 1 : 0;
    return tensor(out, { shape, dtype: 'bool' });
  }
  if (dtype === 'F32' || dtype === 'F64' || dtype === 'I32') {
    if (LITTLE_ENDIAN) {
      const arr = dtype === 'F32' ? new Float32Array(raw.buffer, 0, count) : dtype === 'F64' ? new Float64Array(raw.buffer, 0, count) : new Int32Array(raw.buffer, 0, count);
      return tensor(arr, { shape });
    }
    const arr = dtype === 'F32' ? new Float32Array(count) : dtype === 'F64' ? new Float64Array(count) : new Int32Array(count);
    for (let i = 0; i < count; i++) arr[i] = dtype === 'F32' ? dv.getFloat32(i * 4, true) : dtype === 'F64' ? dv.getFloat64(i * 8, true) : dv.getInt32(i * 4, true);
    return tensor(arr, { shape });
  }
  if (dtype === 'F16' || dtype === 'BF16') {
    const out = new Float32Array(count);
    if (dtype === 'F16') for (let i = 0; i < count; i++) out[i] = halfToFloat(dv.getUint16(i * 2, true));
    else {
      const bits = new Uint32Array(1);
      const f = new Float32Array(bits.buffer);
      for (let i = 0; i < count; i++) {
        bits[0] = dv.getUint16(i * 2, true) << 16;
        out[i] = f[0];
      }
    }
    return tensor(out, { shape });
  }
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    let v: number;
    switch (dtype) {
      case 'U8': v = raw[i]; break;
      case 'I8': v = dv.getInt8(i); break;
      case 'I16': v = dv.getInt16(i * 2, true); break;
      case 'U16': v = dv.getUint16(i * 2, true); break;
      case 'U32': v = dv.getUint32(i * 4, true); break;
      case 'I64': v = Number(dv.getBigInt64(i * 8, true)); break;
      default: v = Number(dv.getBigUint64(i * 8, true)); break;
    }
    if (v < -2147483648 || v > 2147483647) {
      throw fail(`tensor '${info.name}': ${dtype} value ${dtype.endsWith('64') ? (dtype === 'I64' ? dv.getBigInt64(i * 8, true) : dv.getBigUint64(i * 8, true)).toString() : v} at element ${i} does not fit int32, shendu's integer type`);
    }
    out[i] = v;
  }
  return tensor(out, { shape });
}
