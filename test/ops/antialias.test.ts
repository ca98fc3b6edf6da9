import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as sd from '../../src/index.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('antialias', {
  resize: ([x], o) => sd.resizeAntialiased(x, o.size, o.mode),
  interpolate: ([x], o) => sd.interpolate(x, { scaleFactor: o.scale, mode: o.mode, antialias: true }),
});

test('resizeAntialiased: bad inputs are typed errors naming the argument', () => {
  const x = sd.zeros([1, 1, 8, 8]);
  assert.throws(() => sd.resizeAntialiased(sd.zeros([8]), [2, 2]), (e: unknown) => e instanceof sd.ShapeError && /at least 2 dims/.test((e as Error).message));
  assert.throws(() => sd.resizeAntialiased(x, [0, 2]), (e: unknown) => e instanceof sd.ValueError && /size must be/.test((e as Error).message));
  assert.throws(() => sd.resizeAntialiased(x, [2, 2], 'nearest' as never), (e: unknown) => e instanceof sd.ValueError && /mode/.test((e as Error).message));
  assert.throws(() => sd.resizeAntialiased(sd.zeros([4, 4], { dtype: 'int32' }), [2, 2]), sd.DTypeError);
  assert.throws(() => sd.interpolate(x, { size: 2, mode: 'nearest', antialias: true }), (e: unknown) => e instanceof sd.ValueError && /antialias/.test((e as Error).message));
  assert.throws(() => sd.interpolate(x, { size: 2, mode: 'bilinear', alignCorners: true, antialias: true }), sd.ValueError);
});

test('a thin stroke survives a 30x shrink (point sampling would lose it)', () => {
  const img = sd.zeros([1, 1, 300, 300]);
  sd.noGrad(() => img.slice(':', ':', '100:108', ':').fill_(1)); // an 8-px horizontal line
  const small = sd.resizeAntialiased(img, [10, 10]);
  const rowMax = small.amax(-1).reshape([10]).toArray() as number[];
  assert.ok(Math.max(...rowMax) > 0.2, `the line is visible after shrinking: ${rowMax}`);
  assert.ok(Math.abs((small.sum().item() * 900) / img.sum().item() - 1) < 1e-4, 'the mean brightness is kept');
});
