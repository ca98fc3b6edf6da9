/**
 * The float32 array pool (src/backend/array-pool.ts): arrays come back by exact length, cleared when asked for
 * zeros; only arrays the pool made are taken back, small ones never, and one given back twice is handed out once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MIN_POOLED_LENGTH, clearFloat32Pool, isPoolArray, pooledFloat32Bytes, recycleFloat32, scratchFloat32, takeFloat32, zerosFloat32,
} from '../../src/backend/array-pool.js';

test('arrays come back by exact length; zerosFloat32 clears a reused one', () => {
  clearFloat32Pool();
  const n = MIN_POOLED_LENGTH * 2;
  const a = scratchFloat32(n);
  assert.ok(isPoolArray(a));
  a.fill(7);
  recycleFloat32(a);
  assert.equal(pooledFloat32Bytes(), 4 * n);
  assert.equal(takeFloat32(n + 1), null, 'another length');
  const z = zerosFloat32(n);
  assert.equal(z, a, 'the same array back');
  assert.ok(z.every((x) => x === 0), 'cleared');
  assert.equal(pooledFloat32Bytes(), 0);
});

test('arrays the pool did not make, small arrays and a second give-back are refused', () => {
  clearFloat32Pool();
  const n = MIN_POOLED_LENGTH * 2;
  recycleFloat32(new Float32Array(n));
  assert.equal(pooledFloat32Bytes(), 0, 'not made by the pool');
  const a = scratchFloat32(n);
  recycleFloat32(a.subarray(0, n));
  assert.equal(pooledFloat32Bytes(), 0, 'a view over its memory is another object');
  const small = scratchFloat32(MIN_POOLED_LENGTH - 1);
  assert.ok(!isPoolArray(small));
  recycleFloat32(small);
  assert.equal(pooledFloat32Bytes(), 0, 'small');
  recycleFloat32(a);
  recycleFloat32(a);
  assert.equal(pooledFloat32Bytes(), 4 * n, 'given back twice, held once');
  assert.equal(takeFloat32(n), a);
  assert.equal(takeFloat32(n), null, 'handed out once');
});
