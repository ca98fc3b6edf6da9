/**
 * The classifier-feature Fréchet distance (src/models/generative/frechet.ts): the distance against scipy's sqrtm
 * formula and the fitted Gaussians against numpy (tools/make_gan_fixtures.py), its properties, the penultimate
 * features of LeNet-5, and the bad inputs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { ShapeError, ValueError, manualSeed, models, nn, randn, tensor, zeros } from '../../../src/index.js';
import { checkErrors } from '../../helpers/check-errors.js';

interface Case { name: string; a: number[][]; b: number[][]; muA: number[]; covA: number[][]; muB: number[]; covB: number[][]; distance: number; singular: boolean }
const cases = (JSON.parse(readFileSync(new URL('../../../../test/fixtures/models/frechet.json', import.meta.url), 'utf8')) as { cases: Case[] }).cases;
const t64 = (v: number[] | number[][]) => tensor(v, { dtype: 'float64' });
const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol * (1 + Math.abs(b)), `${what}: ${a} vs ${b}`);

describe('frechetDistance', () => {
  for (const c of cases) {
    test(`${c.name}: matches scipy (sqrtm of covA covB)`, () => {
      const d = models.frechetDistance(t64(c.muA), t64(c.covA), t64(c.muB), t64(c.covB));
      close(d, c.distance, 1e-7, c.name);
      // symmetric in its two Gaussians
      close(models.frechetDistance(t64(c.muB), t64(c.covB), t64(c.muA), t64(c.covA)), c.distance, 1e-7, `${c.name} swapped`);
    });
    if (c.a.length) {
      test(`${c.name}: gaussianStats gives numpy's mean and np.cov`, () => {
        for (const [x, mu, cov] of [[c.a, c.muA, c.covA], [c.b, c.muB, c.covB]] as const) {
          const s = models.gaussianStats(tensor(x, { dtype: 'float64' }));
          Array.from(s.mean.toTypedArray()).forEach((v, i) => close(v, mu[i], 1e-12, 'mean'));
          Array.from(s.cov.toTypedArray()).forEach((v, i) => close(v, cov[Math.floor(i / mu.length)][i % mu.length], 1e-12, 'cov'));
        }
      });
    }
  }

  test('one-dimensional Gaussians: (mu1 - mu2)^2 + (sigma1 - sigma2)^2', () => {
    const d = models.frechetDistance(t64([1]), t64([[4]]), t64([-2]), t64([[9]]));
    close(d, 9 + 1, 1e-12, '1-D');
  });

  test('LeNet-5 penultimate features are its 84 activations; featureStats fits them', () => {
    manualSeed(0);
    const lenet = models.lenet5();
    const x = randn([7, 1, 28, 28]);
    const f = models.classifierFeatures(lenet, x, { batchSize: 3 });
    assert.deepEqual(f.shape, [7, 84]);
    assert.ok(Array.from(f.toTypedArray()).every((v) => v >= 0), 'after ReLU');
    assert.equal(lenet.training, true);
    const s = models.featureStats(lenet, x);
    assert.deepEqual([s.mean.shape, s.cov.shape], [[84], [84, 84]]);
    assert.ok(Math.abs(models.frechetDistance(s.mean, s.cov, s.mean, s.cov)) < 1e-8);
  });
});

checkErrors('frechet', [
  ['frechetDistance: covariance of the wrong size', () => models.frechetDistance(t64([0, 0]), t64([[1]]), t64([0, 0]), t64([[1, 0], [0, 1]])), ShapeError, /^frechetDistance: covA must have shape \[2, 2\], got \[1, 1\]$/],
  ['frechetDistance: means of different sizes', () => models.frechetDistance(t64([0, 0]), t64([[1, 0], [0, 1]]), t64([0]), t64([[1]])), ShapeError, /^frechetDistance: muB must have shape \[2\], got \[1\]$/],
  ['frechetDistance: 2-D mean', () => models.frechetDistance(t64([[0]]), t64([[1]]), t64([0]), t64([[1]])), ShapeError, /^frechetDistance: muA must be a 1-D Tensor \[d\], got \[1, 1\]$/],
  ['frechetDistance: asymmetric covariance', () => models.frechetDistance(t64([0, 0]), t64([[1, 0.5], [0, 1]]), t64([0, 0]), t64([[1, 0], [0, 1]])), ValueError, /^frechetDistance: covA must be symmetric, got 0 at \(1, 0\) and 0\.5 at \(0, 1\)$/],
  ['frechetDistance: NaN', () => models.frechetDistance(t64([0]), t64([[NaN]]), t64([0]), t64([[1]])), ValueError, /^frechetDistance: covA holds a non-finite value$/],
  ['gaussianStats: one row', () => models.gaussianStats(zeros([1, 3])), ShapeError, /^gaussianStats: features must be \[N, d\] with N >= 2 rows, got shape \[1, 3\]$/],
  ['classifierFeatures: not a Sequential', () => models.classifierFeatures(new nn.Linear(2, 2) as never, zeros([1, 1, 2, 2])), ValueError, /^classifierFeatures: classifier must be a Sequential/],
  ['classifierFeatures: 3-D images', () => models.classifierFeatures(models.lenet5(), zeros([1, 28, 28])), ShapeError, /^classifierFeatures: images must be \[N, C, H, W\] with N >= 1, got \[1, 28, 28\]$/],
]);
