import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataError, parseIdx } from '../../src/index.js';

/** Builds IDX bytes the way the MNIST files are laid out: magic, big-endian sizes, big-endian data. */
function idx(type: number, shape: number[], values: number[]): Uint8Array {
  const size = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 }[type]!;
  const buf = new DataView(new ArrayBuffer(4 + 4 * shape.length + size * values.length));
  buf.setUint8(2, type);
  buf.setUint8(3, shape.length);
  shape.forEach((s, i) => buf.setInt32(4 + 4 * i, s, false));
  const at = 4 + 4 * shape.length;
  values.forEach((v, i) => {
    const o = at + size * i;
    if (type === 0x08) buf.setUint8(o, v);
    else if (type === 0x09) buf.setInt8(o, v);
    else if (type === 0x0b) buf.setInt16(o, v, false);
    else if (type === 0x0c) buf.setInt32(o, v, false);
    else if (type === 0x0d) buf.setFloat32(o, v, false);
    else buf.setFloat64(o, v, false);
  });
  return new Uint8Array(buf.buffer);
}

test('reads every IDX element type, big-endian', () => {
  const u8 = parseIdx(idx(0x08, [2, 3], [0, 1, 2, 253, 254, 255]));
  assert.deepEqual(u8.shape, [2, 3]);
  assert.deepEqual([...u8.data], [0, 1, 2, 253, 254, 255]);
  assert.ok(u8.data instanceof Uint8Array);
  assert.deepEqual([...parseIdx(idx(0x09, [3], [-128, 0, 127])).data], [-128, 0, 127]);
  assert.deepEqual([...parseIdx(idx(0x0b, [3], [-300, 1, 30000])).data], [-300, 1, 30000]);
  assert.deepEqual([...parseIdx(idx(0x0c, [2], [-70000, 123456789])).data], [-70000, 123456789]);
  assert.deepEqual([...parseIdx(idx(0x0d, [2], [1.5, -0.25])).data], [1.5, -0.25]);
  assert.deepEqual([...parseIdx(idx(0x0e, [1, 2], [Math.PI, -1e300])).data], [Math.PI, -1e300]);
  assert.deepEqual(parseIdx(idx(0x08, [0, 28], [])).shape, [0, 28]);
});

test('corrupt files give a DataError naming the file and the problem', () => {
  const good = idx(0x08, [2, 2], [1, 2, 3, 4]);
  assert.throws(() => parseIdx(good.subarray(0, 3), 'a.idx'), (e: Error) => e instanceof DataError && /a\.idx: truncated: 3 bytes/.test(e.message));
  assert.throws(() => parseIdx(good.subarray(0, 10), 'b.idx'), (e: Error) => e instanceof DataError && /b\.idx: truncated header/.test(e.message));
  assert.throws(() => parseIdx(good.subarray(0, good.length - 1), 'c.idx'), (e: Error) => e instanceof DataError && /c\.idx: truncated: shape \[2, 2\] of uint8 needs 16 bytes, the file has 15/.test(e.message));
  const extra = new Uint8Array(good.length + 2);
  extra.set(good);
  assert.throws(() => parseIdx(extra, 'd.idx'), (e: Error) => e instanceof DataError && /d\.idx: 2 unexpected bytes/.test(e.message));
  const gz = good.slice();
  gz[0] = 0x1f;
  gz[1] = 0x8b;
  assert.throws(() => parseIdx(gz, 'e.idx.gz'), (e: Error) => e instanceof DataError && /e\.idx\.gz: not an IDX file.*gzip/.test(e.message));
  const badType = good.slice();
  badType[2] = 0x07;
  assert.throws(() => parseIdx(badType, 'f.idx'), (e: Error) => e instanceof DataError && /unknown IDX element type 0x07/.test(e.message));
});
