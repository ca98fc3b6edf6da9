import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ShapeError, ValueError, linalg } from '../../src/index.js';
import { checkFixtures, eye, randn } from './helpers.js';

checkFixtures('norms', {
  vector_norm: ([x], a) => [linalg.vectorNorm(x, a.ord, { dim: a.dim, keepdim: a.keepdim })],
  matrix_norm: ([x], a) => [linalg.matrixNorm(x, a.ord, { dim: a.dim, keepdim: a.keepdim })],
  norm: ([x], a) => [linalg.norm(x, a.ord, { dim: a.dim })],
  cond: ([x], a) => [linalg.cond(x, a.p)],
});

const f64 = (v: number[][]) => sd.tensor(v, { dtype: 'float64' });

describe('linalg norms and cond: values', () => {
  test('small exact cases', () => {
    const A = f64([[1, -2], [3, 4]]);
    assert.equal(linalg.matrixNorm(A, 1).item(), 6);
    assert.equal(linalg.matrixNorm(A, -1).item(), 4);
    assert.equal(linalg.matrixNorm(A, Infinity).item(), 7);
    assert.equal(linalg.matrixNorm(A, -Infinity).item(), 3);
    assert.equal(linalg.matrixNorm(A).item(), Math.sqrt(30));
    assert.equal(linalg.vectorNorm(sd.tensor([3, 0, -4], { dtype: 'float64' })).item(), 5);
    assert.equal(linalg.vectorNorm(sd.tensor([3, 0, -4], { dtype: 'float64' }), 0).item(), 2);
    assert.equal(linalg.vectorNorm(sd.tensor([2, 2], { dtype: 'float64' }), -1).item(), 1);
    assert.equal(linalg.cond(eye(3)).item(), 1);
  });
  test('2-norm and nuclear norm are the largest and the sum of the singular values; cond(A) = cond(A^-1)', () => {
    sd.manualSeed(41);
    const A = randn([2, 5, 5]);
    const s = linalg.svdvals(A);
    assert.ok(sd.abs(sd.sub(linalg.matrixNorm(A, 2), sd.amax(s, -1))).max().item() < 1e-15);
    assert.ok(sd.abs(sd.sub(linalg.matrixNorm(A, 'nuc'), sd.sum(s, -1))).max().item() < 1e-14);
    for (const p of [2, 'fro', 1, Infinity] as const) {
      const c = linalg.cond(A, p);
      assert.ok(sd.abs(sd.sub(c, linalg.cond(linalg.inv(A), p))).max().item() < 1e-10 * c.max().item(), `p = ${p}`);
    }
  });
  test('keepdim and dim pairs keep shapes as PyTorch', () => {
    const x = sd.zeros([2, 3, 4], { dtype: 'float64' });
    assert.deepEqual(linalg.matrixNorm(x, 'fro', { dim: [0, 2], keepdim: true }).shape, [1, 3, 1]);
    assert.deepEqual(linalg.matrixNorm(x).shape, [2]);
    assert.deepEqual(linalg.vectorNorm(x, 2, { dim: [1], keepdim: true }).shape, [2, 1, 4]);
    assert.deepEqual(linalg.norm(x).shape, []);
    assert.deepEqual(linalg.norm(x, undefined, { dim: [1, 2] }).shape, [2]);
  });
  test('cond of a singular matrix is Infinity; the batch around it keeps finite values and gradients', () => {
    const A = sd.stack([f64([[1, 2], [2, 4]]), f64([[2, 0], [0, 1]])]).requiresGrad_();
    const c = linalg.cond(A, 1);
    assert.deepEqual(c.toArray(), [Infinity, 2]); // ||diag(2, 1)||_1 ||diag(1/2, 1)||_1
    sd.sum(sd.select(c, 0, 1)).backward();
    const g = A.grad!.toArray() as number[][][];
    assert.deepEqual(g[0], [[0, 0], [0, 0]]);
    assert.ok(g[1].flat().every(Number.isFinite));
  });
  test('float32 stays float32', () => {
    const A = randn([3, 3], 'float32');
    for (const ord of ['fro', 'nuc', 2, -2, 1, Infinity] as const) assert.equal(linalg.matrixNorm(A, ord).dtype, 'float32');
    assert.equal(linalg.cond(A).dtype, 'float32');
    assert.equal(linalg.vectorNorm(A, -1).dtype, 'float32');
  });
});

describe('linalg norms and cond: bad input', () => {
  const z = (...shape: number[]) => sd.zeros(shape, { dtype: 'float64' });
  test('orders, dims and ranks', () => {
    assert.throws(() => linalg.matrixNorm(z(2, 2), 3), (e) => e instanceof ValueError && /^matrixNorm: ord must be 'fro', 'nuc', 1, -1, 2, -2, Infinity or -Infinity, got 3/.test(e.message));
    assert.throws(() => linalg.matrixNorm(z(4)), (e) => e instanceof ShapeError && /^matrixNorm: A must have at least 2 dims, got shape \[4\]/.test(e.message));
    assert.throws(() => linalg.matrixNorm(z(2, 2, 2), 'fro', { dim: [1, 1] }), (e) => e instanceof ValueError && /^matrixNorm: dim must name two different dims, got \[1, 1\]/.test(e.message));
    assert.throws(() => linalg.matrixNorm(z(2, 2), 'fro', { dim: [0, 2] }), (e) => e instanceof ValueError && /^matrixNorm: dim must be an integer in \[-2, 1\]/.test(e.message));
    assert.throws(() => linalg.vectorNorm(z(3), NaN), (e) => e instanceof ValueError && /^vectorNorm: ord must be a number/.test(e.message));
    assert.throws(() => linalg.norm(z(3), 'fro'), (e) => e instanceof ValueError && /^norm: ord 'fro' is a matrix norm; give two dims \(or a 2-D A\) for it/.test(e.message));
    assert.throws(() => linalg.norm(z(2, 2, 2), 2), (e) => e instanceof ShapeError && /^norm: with ord given and no dim, A must be 1-D or 2-D, got shape \[2, 2, 2\]; pass dim/.test(e.message));
    assert.throws(() => linalg.norm(z(2, 2, 2), 2, { dim: [0, 1, 2] }), (e) => e instanceof ValueError && /^norm: dim must name one dim \(vector norm\) or two \(matrix norm\)/.test(e.message));
    assert.throws(() => linalg.cond(z(2, 3), 1), (e) => e instanceof ShapeError && /^cond: A must be a square matrix/.test(e.message));
    assert.throws(() => linalg.cond(eye(2), 3), (e) => e instanceof ValueError && /^cond: p must be 2, -2, 'fro', 'nuc', 1, -1, Infinity or -Infinity, got 3/.test(e.message));
  });
  test('integer tensors', () => {
    const i = sd.zeros([2, 2], { dtype: 'int32' });
    assert.throws(() => linalg.vectorNorm(i), (e) => e instanceof DTypeError && /^vectorNorm: x must be a float32 or float64 tensor, got dtype int32/.test(e.message));
    assert.throws(() => linalg.matrixNorm(i), (e) => e instanceof DTypeError && /^matrixNorm: A must be a float32/.test(e.message));
    assert.throws(() => linalg.cond(i), (e) => e instanceof DTypeError && /^cond: A must be a float32/.test(e.message));
  });
});
