/**
 * Tests of src/tensor/format.ts: the printed form of a tensor. The values part is checked against what
 * PyTorch prints for the same elements (test/fixtures/tensor/format.json, written by
 * tools/make_tensor_fixtures.py); the shape/dtype/gradFn suffix is shendu's own.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { describe, test } from 'node:test';
import { arange, full, noGrad, ones, setPrintOptions, tensor, zeros, type DType, type Tensor } from '../../src/index.js';

interface FormatCase {
  name: string;
  shape: number[];
  dtype: DType;
  base64: string;
  torch: string;
}

const root = new URL('../../../', import.meta.url);
const cases = (JSON.parse(readFileSync(new URL('test/fixtures/tensor/format.json', root), 'utf8')) as { cases: FormatCase[] }).cases;

function decode(c: FormatCase): Tensor {
  const bytes = Buffer.from(c.base64, 'base64');
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const data =
    c.dtype === 'float32' ? new Float32Array(buf)
    : c.dtype === 'float64' ? new Float64Array(buf)
    : c.dtype === 'int32' ? new Int32Array(buf)
    : new Uint8Array(buf);
  return tensor(data, { shape: c.shape, dtype: c.dtype });
}

/** The printout without shendu's `, shape=[..], dtype=..)` suffix, closed as PyTorch closes it. */
function valuesPart(s: string): string {
  const m = /^([\s\S]*), shape=\[[\d, ]*\], dtype=\w+(, gradFn=<\w+>|, requiresGrad=true)?\)$/.exec(s);
  assert.ok(m, `unexpected printout: ${s}`);
  return `${m[1]})`;
}

describe('printing matches PyTorch', () => {
  for (const c of cases) {
    test(c.name, () => {
      const t = decode(c);
      const expected = c.torch.replace(/True/g, 'true').replace(/False/g, 'false');
      const s = String(t);
      assert.equal(valuesPart(s), expected);
      assert.ok(s.endsWith(`, shape=[${c.shape.join(', ')}], dtype=${c.dtype})`), s);
    });
  }
});

describe('printing', () => {
  test('0-d tensor', () => {
    assert.equal(String(tensor(3.5)), 'tensor(3.5000, shape=[], dtype=float32)');
    assert.equal(tensor(-2).toString(), 'tensor(-2., shape=[], dtype=float32)');
    assert.equal(String(tensor(new Int32Array([7]), { shape: [] })), 'tensor(7, shape=[], dtype=int32)');
    assert.equal(String(tensor(false)), 'tensor(false, shape=[], dtype=bool)');
  });

  test('1-D float, int32 and bool', () => {
    assert.equal(String(tensor([1, 2.5, -3])), 'tensor([ 1.0000,  2.5000, -3.0000], shape=[3], dtype=float32)');
    assert.equal(String(tensor([1, 2, 3])), 'tensor([1., 2., 3.], shape=[3], dtype=float32)');
    assert.equal(String(arange(4)), 'tensor([0, 1, 2, 3], shape=[4], dtype=int32)');
    assert.equal(String(arange(-1, 11, 5)), 'tensor([-1,  4,  9], shape=[3], dtype=int32)');
    assert.equal(String(tensor([true, false, true])), 'tensor([ true, false,  true], shape=[3], dtype=bool)');
  });

  test('2-D float aligns columns and indents rows under the first', () => {
    assert.equal(
      String(tensor([[1, -2.25], [30.5, 4]])),
      'tensor([[ 1.0000, -2.2500],\n        [30.5000,  4.0000]], shape=[2, 2], dtype=float32)',
    );
  });

  test('3-D separates blocks with a blank line', () => {
    assert.equal(
      String(arange(8).reshape([2, 2, 2])),
      'tensor([[[0, 1],\n         [2, 3]],\n\n        [[4, 5],\n         [6, 7]]], shape=[2, 2, 2], dtype=int32)',
    );
  });

  test('float64 shows its dtype', () => {
    assert.equal(String(tensor(new Float64Array([0.5]))), 'tensor([0.5000], shape=[1], dtype=float64)');
  });

  test('NaN and infinities', () => {
    assert.equal(String(tensor([NaN, Infinity, -Infinity, 1.5])), 'tensor([   nan,    inf,   -inf, 1.5000], shape=[4], dtype=float32)');
    assert.equal(String(tensor([NaN, 2])), 'tensor([nan, 2.], shape=[2], dtype=float32)');
    assert.equal(String(tensor([Infinity])), 'tensor([inf], shape=[1], dtype=float32)');
  });

  test('scientific notation with two-digit exponents', () => {
    assert.equal(String(tensor([1e-5, 1, 1000])), 'tensor([1.0000e-05, 1.0000e+00, 1.0000e+03], shape=[3], dtype=float32)');
    assert.equal(String(tensor([0, 2000])), 'tensor([   0., 2000.], shape=[2], dtype=float32)');
    assert.equal(String(tensor([1, 2000])), 'tensor([1.0000e+00, 2.0000e+03], shape=[2], dtype=float32)');
  });

  test('large tensors are summarised with ... and keep shape and dtype', () => {
    const s = String(arange(2000));
    assert.equal(s, 'tensor([   0,    1,    2,  ..., 1997, 1998, 1999], shape=[2000], dtype=int32)');
    const m = String(arange(1100).reshape([100, 11]));
    const lines = m.split('\n');
    assert.equal(lines.length, 7);
    assert.equal(lines[0], 'tensor([[   0,    1,    2,  ...,    8,    9,   10],');
    assert.equal(lines[3], '        ...,');
    assert.equal(lines[6], '        [1089, 1090, 1091,  ..., 1097, 1098, 1099]], shape=[100, 11], dtype=int32)');
    assert.ok(!String(arange(1000)).includes('...'), 'exactly threshold elements are printed in full');
  });

  test('long rows wrap at 80 columns', () => {
    const s = String(full([30], 1.5));
    const lines = s.split('\n');
    assert.ok(lines.length > 1);
    for (const line of lines.slice(0, -1)) assert.ok(line.length <= 80, line);
    assert.equal(lines[1].slice(0, 8), '        ');
  });

  test('empty tensors', () => {
    assert.equal(String(tensor([])), 'tensor([], shape=[0], dtype=float32)');
    assert.equal(String(zeros([2, 0])), 'tensor([], shape=[2, 0], dtype=float32)');
  });

  test('requiresGrad and gradFn are shown', () => {
    const x = ones([2], { requiresGrad: true });
    assert.equal(String(x), 'tensor([1., 1.], shape=[2], dtype=float32, requiresGrad=true)');
    const y = x.mul(2);
    assert.equal(String(y), 'tensor([2., 2.], shape=[2], dtype=float32, gradFn=<MulBackward>)');
    assert.match(String(x.exp().sum()), /gradFn=<SumBackward>\)$/);
    assert.doesNotMatch(String(noGrad(() => x.mul(2))), /gradFn|requiresGrad/);
    assert.doesNotMatch(String(y.detach()), /gradFn|requiresGrad/);
  });

  test('util.inspect and console.log use the same text', () => {
    const t = tensor([[1, 2], [3, 4]]);
    assert.equal(inspect(t), String(t));
  });

  test('setPrintOptions changes precision, threshold and edge items', () => {
    try {
      setPrintOptions({ precision: 2 });
      assert.equal(String(tensor([1.23456])), 'tensor([1.23], shape=[1], dtype=float32)');
      setPrintOptions({ precision: 4, threshold: 5, edgeitems: 1 });
      assert.equal(String(arange(10)), 'tensor([0,  ..., 9], shape=[10], dtype=int32)');
    } finally {
      setPrintOptions({ precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 });
    }
    assert.equal(String(tensor([1.23456])), 'tensor([1.2346], shape=[1], dtype=float32)');
  });
});
