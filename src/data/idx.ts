/**
 * The IDX format of MNIST and Fashion-MNIST (LeCun et al.): a 4-byte magic (two zero bytes, a type code,
 * the number of dims), big-endian int32 sizes, then the data in row-major order. Parses bytes already in
 * memory, so it runs in browsers too; reading files is the caller's business.
 * @module
 */
import { DataError } from '../errors.js';

/** A parsed IDX file. */
export interface IdxData {
  /** Sizes of the dims, e.g. [60000, 28, 28]. */
  shape: number[];
  /** The values, in the file's element type. */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES: Record<number, { name: string; bytes: number }> = {
  0x08: { name: 'uint8', bytes: 1 },
  0x09: { name: 'int8', bytes: 1 },
  0x0b: { name: 'int16', bytes: 2 },
  0x0c: { name: 'int32', bytes: 4 },
  0x0d: { name: 'float32', bytes: 4 },
  0x0e: { name: 'float64', bytes: 8 },
};

/**
 * Parses IDX bytes; `source` names the file in errors. Throws a DataError for a bad magic number, an unknown
 * type code, a truncated header or body, or trailing bytes.
 */
export function parseIdx(bytes: Uint8Array, source = 'IDX data'): IdxData {
  if (!(bytes instanceof Uint8Array)) throw new DataError(`${source}: expected bytes (Uint8Array), got ${typeof bytes}`);
  if (bytes.length < 4) throw new DataError(`${source}: truncated: ${bytes.length} bytes, an IDX header needs at least 4`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataError(`${source}: not an IDX file: magic number starts with 0x${hex(bytes[0])}${hex(bytes[1])}, expected 0x0000 (is it still gzip-compressed?)`);
  }
  const type = TYPES[bytes[2]];
  if (!type) throw new DataError(`${source}: unknown IDX element type 0x${hex(bytes[2])}, expected one of 08, 09, 0B, 0C, 0D, 0E`);
  const ndim = bytes[3];
  const headerEnd = 4 + 4 * ndim;
  if (bytes.length < headerEnd) throw new DataError(`${source}: truncated header: ${ndim} dims need ${headerEnd} bytes, the file has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let d = 0; d < ndim; d++) {
    const s = view.getInt32(4 + 4 * d, false);
    if (s < 0) throw new DataError(`${source}: dim ${d} has negative size ${s}`);
    shape.push(s);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = headerEnd + count * type.bytes;
  if (bytes.length < expected) {
    throw new DataError(`${source}: truncated: shape [${shape.join(', ')}] of ${type.name} needs ${expected} bytes, the file has ${bytes.length}`);
  }
  if (bytes.length > expected) {
    throw new DataError(`${source}: ${bytes.length - expected} unexpected bytes after the data of shape [${shape.join(', ')}] (${type.name})`);
  }
  const body = bytes.subarray(headerEnd, expected);
  let data: IdxData['data'];
  switch (bytes[2]) {
    case 0x08: data = body.slice(); break;
    case 0x09: data = new Int8Array(body.slice().buffer); break;
    default: {
      const n = count;
      const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
      if (bytes[2] === 0x0b) { const a = new Int16Array(n); for (let i = 0; i < n; i++) a[i] = dv.getInt16(2 * i, false); data = a; }
      else if (bytes[2] === 0x0c) { const a = new Int32Array(n); for (let i = 0; i < n; i++) a[i] = dv.getInt32(4 * i, false); data = a; }
      else if (bytes[2] === 0x0d) { const a = new Float32Array(n); for (let i = 0; i < n; i++) a[i] = dv.getFloat32(4 * i, false); data = a; }
      else { const a = new Float64Array(n); for (let i = 0; i < n; i++) a[i] = dv.getFloat64(8 * i, false); data = a; }
    }
  }
  return { shape, data };
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0').toUpperCase();
}
