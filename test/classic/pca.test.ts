/**
 * PCA against scikit-learn (svd_solver='full'): components (sklearn's signs), explained variance and ratio,
 * singular values, noise variance, transform, whitening and the inverse transform; every solver, the
 * randomized one against sklearn's up to sign (1e-7 relative: both approximate the same leading subspace);
 * the probabilistic model's covariance and log-likelihoods.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classic, LinAlgError, ShapeError, tensor, ValueError } from '../../src/index.js';
import { permutedLower } from '../../src/classic/pca-randomized.js';
import { T, close, loadCases, values } from './helpers.js';

const cases = loadCases('pca');

describe('PCA matches sklearn', () => {
  for (const c of cases) {
    for (const svdSolver of ['full', 'covarianceEigh', 'auto'] as const) {
      test(`${c.name} (${svdSolver})`, () => {
        const p = new classic.PCA({ nComponents: c.nComponents ?? undefined, whiten: c.whiten, svdSolver }).fit(T(c.X));
        assert.equal(p.nComponents, c.k);
        close(p.components, c.components, 1e-6, 'components');
        close(p.explainedVariance, c.explainedVariance, 1e-6, 'explained variance');
        close(p.explainedVarianceRatio, c.ratio, 1e-6, 'ratio');
        close(p.singularValues, c.singular, 1e-6, 'singular values');
        close(p.mean, c.mean, 1e-9, 'mean');
        close(p.noiseVariance, c.noiseVariance, 1e-6, 'noise variance', 1e-12);
        close(p.transform(T(c.Xtest)), c.transformTest, 1e-6, 'transform');
        close(p.inverseTransform(p.transform(T(c.Xtest))), c.inverseTest, 1e-6, 'inverse transform');
        close(p.fitTransform(T(c.X)), c.transformTrain, 1e-6, 'fitTransform');
      });
    }
  }

  test('all components reconstruct the data exactly; components are orthonormal', () => {
    const c = cases.find((x) => x.name === 'all components')!;
    const p = new classic.PCA().fit(T(c.X));
    close(p.inverseTransform(p.transform(T(c.X))), c.X, 1e-10, 'reconstruction');
    const V = values(p.components);
    const d = c.X[0].length;
    for (let i = 0; i < p.nComponents; i++) {
      for (let j = 0; j < p.nComponents; j++) {
        let s = 0;
        for (let q = 0; q < d; q++) s += V[i * d + q] * V[j * d + q];
        close(s, i === j ? 1 : 0, 1e-10, `V V^T [${i}, ${j}]`, 1e-12);
      }
    }
  });

  test('float32 in, float32 out', () => {
    const c = cases[0];
    const p = new classic.PCA({ nComponents: 3 }).fit(T(c.X, 'float32'));
    assert.equal(p.components.dtype, 'float32');
    close(p.components, c.components, 1e-4, 'components');
  });

  test('bad input: too many components, a bad fraction, a wrong feature count, one sample', () => {
    const c = cases[0];
    assert.throws(() => new classic.PCA({ nComponents: 7 }).fit(T(c.X)), (e: Error) => e instanceof ValueError && /nComponents = 7 must be at most min\(nSamples, nFeatures\) = 6/.test(e.message));
    assert.throws(() => new classic.PCA({ nComponents: 1.5 }), ValueError);
    const p = new classic.PCA({ nComponents: 2 }).fit(T(c.X));
    assert.throws(() => p.transform(tensor([[1, 2, 3]], { dtype: 'float64' })), (e: Error) => e instanceof ShapeError && /PCA.transform: X has 3 features \(shape \[1, 3\]\) but the model was fitted with 6/.test(e.message));
    assert.throws(() => p.inverseTransform(tensor([[1, 2, 3]], { dtype: 'float64' })), (e: Error) => e instanceof ShapeError && /Z has 3 features/.test(e.message));
    assert.throws(() => new classic.PCA().fit(tensor([[1, 2, 3]], { dtype: 'float64' })), (e: Error) => e instanceof ValueError && /at least 2 samples/.test(e.message));
  });
});

const more = loadCases('pca_more');

describe('PCA randomized solver and probabilistic score match sklearn', () => {
  for (const c of more.filter((x) => x.kind === 'randomized')) for (const normalizer of ['auto', 'QR', 'LU'] as const) {
    test(`${c.name}, power iterations normalized by ${normalizer}`, () => {
      const p = new classic.PCA({ nComponents: c.nComponents, svdSolver: 'randomized', seed: 3, powerIterationNormalizer: normalizer }).fit(T(c.X));
      // sklearn's random stream differs from shendu's: compare each component up to sign
      const got = values(p.components);
      const want = c.components.flat() as number[];
      const d = c.X[0].length;
      for (let j = 0; j < c.nComponents; j++) {
        const sgn = Math.sign(got[j * d]) === Math.sign(want[j * d]) ? 1 : -1;
        close(got.slice(j * d, (j + 1) * d).map((v) => sgn * v), want.slice(j * d, (j + 1) * d), 1e-7, `component ${j}`);
      }
      close(p.explainedVariance, c.explainedVariance, 1e-9, 'explained variance');
      close(p.explainedVarianceRatio, c.ratio, 1e-9, 'ratio');
      close(p.singularValues, c.singular, 1e-9, 'singular values');
      close(p.noiseVariance, c.noiseVariance, 1e-9, 'noise variance');
      // the sign rule is sklearn's (largest score of each component positive), so the signs agree as well
      close(p.components, c.components, 1e-7, 'components with signs');
      close(p.transform(T(c.Xtest)), c.transformTest, 1e-7, 'transform');
      const again = new classic.PCA({ nComponents: c.nComponents, svdSolver: 'randomized', seed: 3, powerIterationNormalizer: normalizer }).fit(T(c.X));
      assert.deepEqual(values(again.components), values(p.components), 'seeded: reproducible');
    });
  }

  test('two power iterations with no normalizer (auto picks none there) still find the leading components', () => {
    const c = more.find((x) => x.kind === 'randomized')!;
    const p = new classic.PCA({ nComponents: c.nComponents, svdSolver: 'randomized', seed: 3, iteratedPower: 2 }).fit(T(c.X));
    close(p.explainedVariance, c.explainedVariance, 1e-6, 'explained variance');
    close(p.components, c.components, 1e-5, 'components');
  });

  test("the LU normalizer's P L equals scipy's lu(y, permute_l=True)", () => {
    for (const c of loadCases('lu_permute_l')) {
      const y = Float64Array.from((c.y as number[][]).flat());
      const [m, k] = [c.y.length, c.y[0].length];
      close(Array.from(permutedLower(y, m, k)), (c.pl as number[][]).flat(), 1e-14, c.name);
    }
  });

  for (const c of more.filter((x) => x.kind === 'score')) {
    test(c.name, () => {
      const p = new classic.PCA({ nComponents: c.nComponents ?? undefined, svdSolver: 'full' }).fit(T(c.X));
      close(p.getCovariance(), c.covariance, 1e-9, 'covariance');
      close(p.scoreSamples(T(c.Xtest)), c.scoreSamples, 1e-9, 'scoreSamples');
      close(p.score(T(c.Xtest)), c.score, 1e-9, 'score');
      close(p.score(T(c.X)), c.scoreTrain, 1e-9, 'score on the training data');
    });
  }

  test('the probabilistic model does not depend on whitening', () => {
    const c = more.find((x) => x.kind === 'score')!;
    const plain = new classic.PCA({ nComponents: 3 }).fit(T(c.X));
    const white = new classic.PCA({ nComponents: 3, whiten: true }).fit(T(c.X));
    close(white.scoreSamples(T(c.Xtest)), values(plain.scoreSamples(T(c.Xtest))), 1e-12, 'scoreSamples');
  });

  test('bad input: a fraction with the randomized solver, bad iteratedPower, a singular model covariance', () => {
    assert.throws(() => new classic.PCA({ nComponents: 0.9, svdSolver: 'randomized' }), (e: Error) => e instanceof ValueError && /svdSolver 'randomized' needs nComponents as a count >= 1, got the fraction 0.9/.test(e.message));
    assert.throws(() => new classic.PCA({ svdSolver: 'randomized', iteratedPower: -1 }), (e: Error) => e instanceof ValueError && /iteratedPower must be an integer >= 0, got -1/.test(e.message));
    assert.throws(() => new classic.PCA({ svdSolver: 'randomized', powerIterationNormalizer: 'qr' as never }), (e: Error) => e instanceof ValueError && /powerIterationNormalizer must be one of 'auto', 'QR', 'LU', 'none', got "qr"/.test(e.message));
    assert.throws(() => new classic.PCA({ svdSolver: 'arpack' as never }), (e: Error) => e instanceof ValueError && /svdSolver must be one of 'auto', 'full', 'covarianceEigh', 'randomized'/.test(e.message));
    // 3 samples in 4 dimensions, all components kept: no noise variance, a rank-2 covariance
    const p = new classic.PCA().fit(tensor([[1, 2, 0, 1], [0, 1, 3, 1], [2, 0, 1, 4]], { dtype: 'float64' }));
    assert.throws(() => p.score(tensor([[1, 1, 1, 1]], { dtype: 'float64' })), (e: Error) => e instanceof LinAlgError && /PCA.score: the model covariance is singular/.test(e.message));
    assert.throws(() => p.scoreSamples(tensor([[1, 1, 1]], { dtype: 'float64' })), (e: Error) => e instanceof ShapeError && /PCA.scoreSamples: X has 3 features/.test(e.message));
  });
});
