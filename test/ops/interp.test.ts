import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('interp', {
  interpolate: ([x], o) => sd.interpolate(x, {
    size: o.size ?? undefined, scaleFactor: o.scaleFactor ?? undefined, mode: o.mode, alignCorners: o.alignCorners ?? undefined,
    recomputeScaleFactor: o.recomputeScaleFactor ?? undefined,
  }),
});

describe('interpolate: more modes beyond the fixtures', () => {
  test("'area' is adaptive average pooling and Upsample takes every mode", () => {
    const x = sd.randn([1, 2, 6, 6], { dtype: 'float64' });
    assert.deepEqual(sd.interpolate(x, { size: [4, 3], mode: 'area' }).toArray(), sd.adaptiveAvgPool2d(x, [4, 3]).toArray());
    assert.deepEqual(new sd.nn.Upsample({ scaleFactor: 2, mode: 'bicubic', alignCorners: true }).forward(x).shape, [1, 2, 12, 12]);
  });
  test("1-D 'nearest' has no equal/doubled-size shortcut (PyTorch 1.13's forward; 2-D takes them)", () => {
    const one = sd.interpolate(sd.arange(0, 3, 1, { dtype: 'float64' }).reshape([1, 1, 3]), { scaleFactor: 2.1 });
    assert.deepEqual(one.toArray(), [[[0, 0, 0, 1, 1, 2]]]);
    const same = sd.interpolate(sd.arange(0, 4, 1, { dtype: 'float64' }).reshape([1, 1, 4]), { scaleFactor: 1 / 0.9 });
    assert.deepEqual(same.toArray(), [[[0, 0, 1, 2]]]);
    const two = sd.interpolate(sd.arange(0, 3, 1, { dtype: 'float64' }).reshape([1, 1, 1, 3]), { scaleFactor: [1, 2.1] });
    assert.deepEqual(two.toArray(), [[[[0, 0, 1, 1, 2, 2]]]]);
  });
  test('bicubic keeps a constant image constant (the weights sum to one, borders clamp)', () => {
    const y = sd.interpolate(sd.full([1, 1, 3, 3], 2, { dtype: 'float64' }), { size: [7, 5], mode: 'bicubic' });
    for (const v of y.toTypedArray()) assert.ok(Math.abs(v - 2) < 1e-12);
  });
});
