/**
 * Feature-space anomaly scores (src/models/generative/code-scores.ts): k-NN distances, the Mahalanobis distance
 * and z-scores against values worked out by hand and against scikit-learn (tools/make_anomaly_fixtures.py), the
 * block size and dtype, and the bad inputs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { ShapeError, ValueError, models, randn, manualSeed, tensor, zeros, type Tensor } from '../../../src/index.js';
import { checkErrors } from '../../helpers/check-errors.js';

interface KnnCase { reference: number[][]; query: number[][]; k: number; mean: number[]; kth: number[]; self_mean: number[]; self_kth: number[] }
interface MahaCase { reference: number[][]; query: number[][]; scores: number[]; deficient: boolean }
interface Fixture { knn: KnnCase[]; mahalanobis: MahaCase[]; standardize: { reference: number[]; scores: number[]; z: number[] } }
const fx = JSON.parse(readFileSync(new URL('../../../../test/fixtures/models/anomaly_scores.json', import.meta.url), 'utf8')) as Fixture;
const t64 = (v: number[] | number[][]) => tensor(v, { dtype: 'float64' });
const values = (t: Tensor) => Array.from(t.toTypedArray() as ArrayLike<number>);
function near(got: number[], want: number[], tol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= tol * (1 + Math.abs(want[i])), `${what}[${i}]: ${v} vs ${want[i]}`));
}

describe('knnScores', () => {
  // three reference points: (0, 0), (3, 0), (0, 4); pairwise distances 3, 4 and 5
  const ref = t64([[0, 0], [3, 0], [0, 4]]);

  test('distances to the k nearest reference rows, by hand: mean and k-th', () => {
    const q = t64([[0, 0], [3, 4]]);
    // from (3, 4): 5 to (0, 0), 4 to (3, 0), 3 to (0, 4)
    assert.deepEqual(values(models.knnScores(ref, q, { k: 1 })), [0, 3]);
    assert.deepEqual(values(models.knnScores(ref, q, { k: 2 })), [1.5, 3.5]);
    assert.deepEqual(values(models.knnScores(ref, q, { k: 3, reduction: 'kth' })), [4, 5]);
  });

  test('query null scores each reference row against the other rows', () => {
    assert.deepEqual(values(models.knnScores(ref, null, { k: 1 })), [3, 3, 4]);
    assert.deepEqual(values(models.knnScores(ref, null, { k: 2 })), [3.5, 4, 4.5]);
    assert.deepEqual(values(models.knnScores(ref, null, { k: 2, reduction: 'kth' })), [4, 5, 5]);
  });

  fx.knn.forEach((c, n) => {
    test(`case ${n} (k = ${c.k}, D = ${c.reference[0].length}): scikit-learn's NearestNeighbors.kneighbors distances`, () => {
      const r = t64(c.reference);
      near(values(models.knnScores(r, t64(c.query), { k: c.k })), c.mean, 1e-10, 'mean');
      near(values(models.knnScores(r, t64(c.query), { k: c.k, reduction: 'kth' })), c.kth, 1e-10, 'kth');
      near(values(models.knnScores(r, null, { k: c.k })), c.self_mean, 1e-10, 'self mean');
      // blocks of 4 query rows: the leave-self-out index must follow the block offset
      near(values(models.knnScores(r, null, { k: c.k, reduction: 'kth', batchSize: 4 })), c.self_kth, 1e-10, 'self kth');
    });
  });

  test('knnScoresForK: several k from one pass equal one knnScores call each, in both reductions and with query null', () => {
    manualSeed(4);
    const r = randn([40, 5]);
    const q = randn([17, 5]);
    for (const reduction of ['mean', 'kth'] as const) {
      for (const query of [q, null]) {
        const set = models.knnScoresForK(r, query, [1, 5, 20], { reduction, batchSize: 6 });
        [1, 5, 20].forEach((k, i) => assert.deepEqual(values(set[i]), values(models.knnScores(r, query, { k, reduction })), `k ${k} ${reduction}`));
      }
    }
    assert.throws(() => models.knnScoresForK(r, q, []), /knnScoresForK: ks must be a non-empty array of positive integers, got \[\]/);
    assert.throws(() => models.knnScoresForK(r, q, [1, 0]), /knnScoresForK: k must be a positive integer, got 0/);
    assert.throws(() => models.knnScoresForK(r, null, [40]), /knnScoresForK: k must be at most the 39 reference rows other than the scored one, got 40/);
  });

  test('the block size does not change the scores; float32 inputs give float32 scores close to float64 ones', () => {
    manualSeed(3);
    const r = randn([50, 6]);
    const q = randn([23, 6]);
    const a = models.knnScores(r, q, { k: 4, batchSize: 5 });
    assert.equal(a.dtype, 'float32');
    assert.deepEqual(values(a), values(models.knnScores(r, q, { k: 4 })));
    near(values(a), values(models.knnScores(r.double(), q.double(), { k: 4 })), 1e-5, 'float32 vs float64');
  });

  checkErrors('knnScores', [
    ['reference not a tensor', () => models.knnScores([[1]] as unknown as Tensor, null), ValueError, /^knnScores: reference must be a Tensor \[N, D\], got object/],
    ['1-D reference', () => models.knnScores(t64([1, 2]), null), ShapeError, /^knnScores: reference must be 2-D \[N, D\] .* got shape \[2\]/],
    ['query with other D', () => models.knnScores(ref, t64([[1, 2, 3]])), ShapeError, /^knnScores: query must have reference's 2 features per row, got shape \[1, 3\]/],
    ['dtypes differ', () => models.knnScores(ref, tensor([[1, 2]])), ValueError, /^knnScores: query and reference must have one dtype, got float32 and float64/],
    ['integer features', () => models.knnScores(tensor([[1, 2]], { dtype: 'int32' }), null), ValueError, /^knnScores: reference must be float32 or float64, got int32/],
    ['k above the reference rows', () => models.knnScores(ref, ref, { k: 4 }), ValueError, /^knnScores: k must be at most the 3 reference rows, got 4/],
    ['k = reference rows when leaving self out', () => models.knnScores(ref, null, { k: 3 }), ValueError, /at most the 2 reference rows other than the scored one, got 3/],
    ['k = 0', () => models.knnScores(ref, ref, { k: 0 }), ValueError, /^knnScores: k must be a positive integer, got 0/],
    ['unknown reduction', () => models.knnScores(ref, ref, { reduction: 'max' as 'mean' }), ValueError, /^knnScores: reduction must be 'mean' or 'kth', got "max"/],
    ['batch size 1.5', () => models.knnScores(ref, ref, { k: 1, batchSize: 1.5 }), ValueError, /^knnScores: batchSize must be a positive integer, got 1.5/],
  ]);
});

describe('mahalanobisScores', () => {
  test('by hand: mean 0, covariance diag(1/2, 2) from four points', () => {
    const ref = t64([[1, 0], [-1, 0], [0, 2], [0, -2]]);
    // (1, 2): 1^2 / (1/2) + 2^2 / 2 = 4
    near(values(models.mahalanobisScores(ref, t64([[1, 2], [0, 0], [-2, 0]]))), [4, 0, 8], 1e-12, 'scores');
  });

  fx.mahalanobis.forEach((c, n) => {
    test(`case ${n}${c.deficient ? ' (rank-deficient covariance: pseudo-inverse)' : ''}: scikit-learn's EmpiricalCovariance.mahalanobis`, () => {
      const s = models.mahalanobisScores(t64(c.reference), t64(c.query));
      assert.equal(s.dtype, 'float64');
      near(values(s), c.scores, 1e-8, 'scores');
    });
  });

  checkErrors('mahalanobisScores', [
    ['query not a tensor', () => models.mahalanobisScores(t64([[1]]), 3 as unknown as Tensor), ValueError, /^mahalanobisScores: query must be a Tensor \[N, D\], got number/],
    ['empty reference', () => models.mahalanobisScores(zeros([0, 2]), zeros([1, 2])), ShapeError, /^mahalanobisScores: reference must be 2-D .* got shape \[0, 2\]/],
    ['other D', () => models.mahalanobisScores(zeros([3, 2]), zeros([1, 4])), ShapeError, /^mahalanobisScores: query must have reference's 2 features per row, got shape \[1, 4\]/],
    ['NaN in the reference', () => models.mahalanobisScores(tensor([[1, NaN], [0, 1]]), zeros([1, 2])), ValueError, /^mahalanobisScores: reference holds a non-finite value/],
  ]);
});

describe('standardizeScores', () => {
  test('by hand: reference [1, 3] has mean 2 and standard deviation 1', () => {
    assert.deepEqual(values(models.standardizeScores(tensor([2, 5, 0]), tensor([1, 3]))), [0, 3, -2]);
  });

  test("scikit-learn's StandardScaler", () => {
    near(values(models.standardizeScores(t64(fx.standardize.scores), t64(fx.standardize.reference))), fx.standardize.z, 1e-12, 'z');
  });

  checkErrors('standardizeScores', [
    ['scores not a tensor', () => models.standardizeScores(null as unknown as Tensor, tensor([1, 2])), ValueError, /^standardizeScores: scores must be a 1-D Tensor, got null/],
    ['2-D scores', () => models.standardizeScores(zeros([2, 1]), tensor([1, 2])), ShapeError, /^standardizeScores: scores must be 1-D with at least 1 value, got shape \[2, 1\]/],
    ['one reference score', () => models.standardizeScores(tensor([1]), tensor([1])), ShapeError, /^standardizeScores: reference must be 1-D with at least 2 values, got shape \[1\]/],
    ['constant reference', () => models.standardizeScores(tensor([1]), tensor([2, 2, 2])), ValueError, /^standardizeScores: reference scores must not all be equal/],
    ['infinite reference', () => models.standardizeScores(tensor([1]), tensor([2, Infinity])), ValueError, /^standardizeScores: reference holds a non-finite value/],
  ]);
});
