/**
 * safetensors (src/io/safetensors.ts): byte-exact output against the reference writer's layout (the
 * huggingface/safetensors serialization test vector, with the 8-byte header padding of safetensors >= 0.3),
 * dtype/name ordering, round trips of every written dtype, reading F16/BF16/I64/I8/U8/I16/U16/U32/U64 from
 * hand-built files, and a DataError for every kind of corrupt or truncated file. When /usr/bin/python3 with
 * numpy is present, a file we write is also read by a 20-line Python reader of the spec (skipped otherwise).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DataError, Tensor, ValueError, decodeSafetensors, encodeSafetensors, manualSeed, nn, randn, tensor, zeros } from '../../src/index.js';

const enc = new TextEncoder();

/** A safetensors file from a header string (padded with `pad` spaces) and raw data bytes. */
function build(header: string, data: ArrayLike<number> = [], pad = (8 - (enc.encode(header).length % 8)) % 8): Uint8Array {
  const h = enc.encode(header + ' '.repeat(pad));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setUint32(0, h.length, true);
  out.set(h, 8);
  out.set(Array.from(data), 8 + h.length);
  return out;
}

function le(kind: 'f32' | 'f64' | 'i32' | 'u16' | 'i64' | 'u64', values: (number | bigint)[]): number[] {
  const size = { f32: 4, f64: 8, i32: 4, u16: 2, i64: 8, u64: 8 }[kind];
  const dv = new DataView(new ArrayBuffer(values.length * size));
  values.forEach((v, i) => {
    if (kind === 'f32') dv.setFloat32(i * 4, Number(v), true);
    else if (kind === 'f64') dv.setFloat64(i * 8, Number(v), true);
    else if (kind === 'i32') dv.setInt32(i * 4, Number(v), true);
    else if (kind === 'u16') dv.setUint16(i * 2, Number(v), true);
    else if (kind === 'i64') dv.setBigInt64(i * 8, BigInt(v), true);
    else dv.setBigUint64(i * 8, BigInt(v), true);
  });
  return Array.from(new Uint8Array(dv.buffer));
}

const values = (t: Tensor) => Array.from(t.toTypedArray(), Number);

describe('encodeSafetensors writes what the reference writer writes', () => {
  test('the reference test vector: {"test": zeros(2, 2) int32}, header padded to 8 bytes with spaces', () => {
    const out = encodeSafetensors({ test: zeros([2, 2], { dtype: 'int32' }) });
    const header = '{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}';
    assert.equal(header.length, 60);
    const expected = new Uint8Array(8 + 64 + 16);
    expected[0] = 64;
    expected.set(enc.encode(`${header}    `), 8);
    assert.deepEqual(out, expected);
    const back = decodeSafetensors(out);
    assert.deepEqual(Object.keys(back.tensors), ['test']);
    assert.deepEqual(back.tensors.test.shape, [2, 2]);
    assert.equal(back.tensors.test.dtype, 'int32');
    assert.deepEqual(values(back.tensors.test), [0, 0, 0, 0]);
    assert.deepEqual(back.metadata, {});
  });

  test('metadata comes first; tensors are ordered by dtype (F64, F32, I32, BOOL), then by name, packed without gaps', () => {
    const t = {
      zeta: tensor([1.5, -2], { dtype: 'float32' }),
      beta: tensor([3, 4], { dtype: 'float32' }),
      flag: tensor([true, false, true]),
      step: tensor(Int32Array.from([7]), { shape: [] }),
      w: tensor([0.25], { dtype: 'float64' }),
    };
    const out = encodeSafetensors(t, { format: 'pt' });
    const header = '{"__metadata__":{"format":"pt"},'
      + '"w":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},'
      + '"beta":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},'
      + '"zeta":{"dtype":"F32","shape":[2],"data_offsets":[16,24]},'
      + '"step":{"dtype":"I32","shape":[],"data_offsets":[24,28]},'
      + '"flag":{"dtype":"BOOL","shape":[3],"data_offsets":[28,31]}}';
    const data = [...le('f64', [0.25]), ...le('f32', [3, 4]), ...le('f32', [1.5, -2]), ...le('i32', [7]), 1, 0, 1];
    assert.deepEqual(out, build(header, data));
    assert.equal((out.length - 31 - 8) % 8, 0, 'the data section starts 8-byte aligned');
    // the same tensors given in another order give the same bytes (as the reference's order-invariance test)
    const reordered = Object.fromEntries(Object.entries(t).reverse());
    assert.deepEqual(encodeSafetensors(reordered, { format: 'pt' }), out);
  });

  test('round trip of every written dtype keeps values bit for bit (NaN, ±0, ±Infinity, float32 extremes)', () => {
    manualSeed(3);
    const special = [NaN, -0, 0, Infinity, -Infinity, 3.4028234663852886e38, 1.401298464324817e-45, -1.1754943508222875e-38];
    const t = {
      f32: randn([3, 4, 5]),
      special32: tensor(Float32Array.from(special)),
      f64: tensor(Float64Array.from([Math.PI, -1e-300, 1e300, NaN, -0, 2 ** -1074])),
      i32: tensor(Int32Array.from([-2147483648, 2147483647, 0, -1, 12345]), { shape: [5, 1] }),
      b: tensor([[true, false], [false, true]]),
      scalar: tensor(Float32Array.from([2.5]), { shape: [] }),
      empty: zeros([0, 3]),
    };
    const back = decodeSafetensors(encodeSafetensors(t, { a: 'b', unicode: 'δέκα ✓' }));
    assert.deepEqual(back.metadata, { a: 'b', unicode: 'δέκα ✓' });
    for (const [k, v] of Object.entries(t)) {
      const r = back.tensors[k];
      assert.equal(r.dtype, v.dtype, k);
      assert.deepEqual(r.shape, v.shape, k);
      const a = v.toTypedArray();
      const b = r.toTypedArray();
      assert.deepEqual(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), new Uint8Array(a.buffer, a.byteOffset, a.byteLength), k);
    }
  });

  test('a non-contiguous tensor is written row-major', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]).t();
    const back = decodeSafetensors(encodeSafetensors({ x })).tensors.x;
    assert.deepEqual(back.shape, [3, 2]);
    assert.deepEqual(values(back), [1, 4, 2, 5, 3, 6]);
  });

  test('a model state dict survives the round trip and loads back into the model', () => {
    manualSeed(0);
    const model = new nn.Sequential(new nn.Linear(4, 3), new nn.BatchNorm1d(3), new nn.Linear(3, 2));
    const bytes = encodeSafetensors(model.stateDict(), { format: 'pt' });
    manualSeed(1);
    const other = new nn.Sequential(new nn.Linear(4, 3), new nn.BatchNorm1d(3), new nn.Linear(3, 2));
    other.loadStateDict(decodeSafetensors(bytes).tensors);
    for (const [k, v] of Object.entries(model.stateDict())) assert.deepEqual(values(other.stateDict()[k]), values(v), k);
  });

  test('bad arguments are ValueErrors', () => {
    assert.throws(() => encodeSafetensors({ a: [1, 2] as unknown as Tensor }), ValueError);
    assert.throws(() => encodeSafetensors({ __metadata__: zeros([1]) }), /cannot be a tensor name/);
    assert.throws(() => encodeSafetensors({ a: zeros([1]) }, { n: 3 as unknown as string }), /metadata 'n' must be a string/);
    assert.throws(() => decodeSafetensors([1, 2, 3] as unknown as Uint8Array), ValueError);
  });
});

describe('decodeSafetensors reads the dtypes PyTorch writes', () => {
  test('F16 and BF16 become float32, exactly', () => {
    const f16 = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x0400, 0x7c00, 0xfc00, 0x8000, 0x3555, 0x7e00];
    const bf16 = [0x3f80, 0xc0a0, 0x7f80, 0x0001, 0x4049];
    const header = `{"h":{"dtype":"F16","shape":[2,5],"data_offsets":[0,20]},"b":{"dtype":"BF16","shape":[5],"data_offsets":[20,30]}}`;
    const out = decodeSafetensors(build(header, [...le('u16', f16), ...le('u16', bf16)]));
    assert.equal(out.tensors.h.dtype, 'float32');
    assert.deepEqual(out.tensors.h.shape, [2, 5]);
    const h = values(out.tensors.h);
    assert.deepEqual(h.slice(0, 9), [1, -2, 65504, 2 ** -24, 2 ** -14, Infinity, -Infinity, -0, 0.333251953125]);
    assert.ok(Object.is(h[7], -0));
    assert.ok(Number.isNaN(h[9]));
    assert.deepEqual(values(out.tensors.b), [1, -5, Infinity, Math.fround(9.183549615799121e-41), 3.140625]);
  });

  test('I8, U8, I16, U16, U32, I64 and U64 become int32', () => {
    const header = '{"a":{"dtype":"I64","shape":[4],"data_offsets":[0,32]},"u":{"dtype":"U64","shape":[1],"data_offsets":[32,40]},'
      + '"c":{"dtype":"U32","shape":[1],"data_offsets":[40,44]},"d":{"dtype":"I16","shape":[2],"data_offsets":[44,48]},'
      + '"e":{"dtype":"U16","shape":[1],"data_offsets":[48,50]},"f":{"dtype":"I8","shape":[2],"data_offsets":[50,52]},'
      + '"g":{"dtype":"U8","shape":[2],"data_offsets":[52,54]}}';
    const data = [
      ...le('i64', [-2147483648n, 2147483647n, 0n, -5n]), ...le('u64', [42n]), ...le('i32', [2147483647]),
      0x00, 0x80, 0xff, 0x7f, ...le('u16', [65535]), 0xff, 0x7f, 0xff, 0x00,
    ];
    const t = decodeSafetensors(build(header, data)).tensors;
    for (const k of 'aucdefg') assert.equal(t[k].dtype, 'int32', k);
    assert.deepEqual(values(t.a), [-2147483648, 2147483647, 0, -5]);
    assert.deepEqual(values(t.u), [42]);
    assert.deepEqual(values(t.c), [2147483647]);
    assert.deepEqual(values(t.d), [-32768, 32767]);
    assert.deepEqual(values(t.e), [65535]);
    assert.deepEqual(values(t.f), [-1, 127]);
    assert.deepEqual(values(t.g), [255, 0]);
  });

  test('an integer that does not fit int32 is a DataError naming the tensor and element', () => {
    const bytes = build('{"ids":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}}', le('i64', [1n, 2n ** 40n]));
    assert.throws(() => decodeSafetensors(bytes, { source: 'emb.safetensors' }), (e: Error) => e instanceof DataError && /emb\.safetensors/.test(e.message) && /'ids'/.test(e.message) && /1099511627776 at element 1/.test(e.message));
    const u32 = build('{"x":{"dtype":"U32","shape":[1],"data_offsets":[0,4]}}', [0, 0, 0, 0x80]);
    assert.throws(() => decodeSafetensors(u32), /2147483648 at element 0 does not fit int32/);
  });

  test('headers written without padding (safetensors < 0.3) and tensors listed in any order are read', () => {
    const bytes = build('{"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', le('f32', [1, 2]), 0);
    const t = decodeSafetensors(bytes).tensors;
    assert.deepEqual(values(t.a), [1]);
    assert.deepEqual(values(t.b), [2]);
  });
});

describe('corrupt or truncated files are DataErrors that say what is wrong', () => {
  const good = encodeSafetensors({ w: tensor([1, 2, 3, 4], { dtype: 'float32' }) }, { format: 'pt' });
  const cases: [string, Uint8Array, RegExp][] = [
    ['shorter than the length field', good.slice(0, 5), /truncated: 5 bytes, too short/],
    ['header cut off', good.slice(0, 30), /truncated: the header needs \d+ bytes but only 22 follow/],
    ['data cut off', good.slice(0, good.length - 3), /truncated: the tensors need 16 bytes of data but the file holds 13/],
    ['bytes after the data', Uint8Array.from([...good, 0, 0]), /2 bytes of data after the last tensor/],
    ['huge header length', Uint8Array.from([0, 0, 0, 0, 0, 1, 0, 0, ...good.slice(8)]), /over the 100 MB limit/],
    ['not JSON', build('{"w": nope}'), /not valid JSON/],
    ['not an object', build('[1, 2]'), /must be a JSON object starting with '\{'/],
    ['invalid UTF-8', (() => { const b = build('{"a":1}'); b[10] = 0xff; return b; })(), /not valid UTF-8/],
    ['unknown dtype', build('{"w":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}', new Array(8).fill(0)), /'w': unsupported dtype C64/],
    ['shape and size disagree', build('{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', new Array(8).fill(0)), /F32 of shape \[3\] needs 12 bytes, but data_offsets \[0,8\] span 8/],
    ['negative shape', build('{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', new Array(4).fill(0)), /shape must be a list of non-negative integers/],
    ['bad offsets', build('{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}', new Array(4).fill(0)), /data_offsets must be \[begin, end\]/],
    ['missing offsets', build('{"w":{"dtype":"F32","shape":[1]}}', new Array(4).fill(0)), /data_offsets must be/],
    ['gap between tensors', build('{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"b":{"dtype":"U8","shape":[1],"data_offsets":[2,3]}}', [1, 2, 3]), /a gap: tensor 'b' starts at byte 2 of the data, expected 1/],
    ['overlapping tensors', build('{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}', [1, 2]), /overlaps the tensor before it/],
    ['metadata not strings', build('{"__metadata__":{"epoch":3}}'), /__metadata__ value 'epoch' must be a string, got 3/],
    ['tensor entry not an object', build('{"w":[1,2]}'), /tensor 'w': expected \{dtype, shape, data_offsets\}/],
  ];
  for (const [what, bytes, re] of cases) {
    test(what, () => {
      assert.throws(() => decodeSafetensors(bytes, { source: 'runs/x/best.safetensors' }), (e: Error) => {
        assert.ok(e instanceof DataError, `${e.name}: ${e.message}`);
        assert.match(e.message, /^runs\/x\/best\.safetensors: /);
        assert.match(e.message, re);
        return true;
      });
    });
  }
});

function pythonWithNumpy(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// A reader written from the format description only: length, JSON header, little-endian data at data_offsets.
const PY_READER = `
import json, struct, sys
import numpy as np
buf = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', buf[:8])[0]
header = json.loads(buf[8:8 + n])
meta = header.pop('__metadata__', {})
data = buf[8 + n:]
types = {'F32': '<f4', 'F64': '<f8', 'I32': '<i4', 'BOOL': '?'}
out = {'__metadata__': meta}
for name, info in header.items():
    b, e = info['data_offsets']
    arr = np.frombuffer(data[b:e], dtype=types[info['dtype']]).reshape(info['shape'])
    out[name] = {'shape': list(arr.shape), 'values': arr.astype(float).ravel().tolist()}
print(json.dumps(out))
`;

describe('an independent reader', { skip: pythonWithNumpy() ? false : 'needs /usr/bin/python3 with numpy' }, () => {
  test('Python (numpy) reads our file to the same values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shendu-st-'));
    try {
      manualSeed(5);
      const t = { 'fc.weight': randn([3, 2]), 'fc.bias': randn([3]).double(), count: tensor(Int32Array.from([1, -2])), mask: tensor([true, false]) };
      const file = join(dir, 'model.safetensors');
      writeFileSync(file, encodeSafetensors(t, { format: 'pt' }));
      const got = JSON.parse(execFileSync('/usr/bin/python3', ['-c', PY_READER, file], { encoding: 'utf8' })) as Record<string, { shape: number[]; values: number[] }> & { __metadata__: Record<string, string> };
      assert.deepEqual(got.__metadata__, { format: 'pt' });
      for (const [k, v] of Object.entries(t)) {
        assert.deepEqual(got[k].shape, v.shape, k);
        assert.deepEqual(got[k].values, values(v), k);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('decodes from a Node Buffer (whose slice is a view, not a copy) the same as from a Uint8Array', () => {
  const bytes = encodeSafetensors({ a: tensor([1.5, -2, 3]), b: tensor([[7, 8]], { dtype: 'int32' }) });
  // a Buffer inside a larger pool, as readFileSync and Buffer.from give for small files
  const pooled = Buffer.concat([Buffer.alloc(24, 9), Buffer.from(bytes)]).subarray(24);
  const { tensors } = decodeSafetensors(pooled);
  assert.deepEqual(Array.from(tensors.a.toTypedArray()), [1.5, -2, 3]);
  assert.deepEqual(Array.from(tensors.b.toTypedArray()), [7, 8]);
});
