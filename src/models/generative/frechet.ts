/**
 * The Fréchet distance between Gaussians fitted to features (the FID of Heusel et al. 2017, with a classifier of
 * one's choice in place of Inception): `|muA - muB|^2 + tr(covA + covB - 2 (covA covB)^(1/2))`. For MNIST the
 * features are a trained LeNet-5's penultimate layer (its 84 units after the activation) on real test images and
 * on samples; lower is closer. Computed on the host in float64.
 * @module
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { ShapeError, ValueError, fmtShape } from '../../errors.js';
import { eighHost } from '../../linalg/host-eigh.js';
import { matmulHost } from '../../linalg/host-gemm.js';
import type { Sequential } from '../../nn/containers.js';
import { Module, type Layer } from '../../nn/module.js';
import { tensor } from '../../tensor/creation.js';
import { Tensor } from '../../tensor/tensor.js';
import { cat, flatten, narrow } from '../../ops/movement.js';

/** A Gaussian fitted to features: mean [d] and covariance [d, d] (float64). */
export interface GaussianStats {
  /** Mean [d]. */
  mean: Tensor;
  /** Unbiased covariance [d, d] (numpy's `np.cov(x, rowvar=False)`). */
  cov: Tensor;
}

function host(op: string, t: unknown, arg: string, shape: number[]): Float64Array {
  if (!(t instanceof Tensor)) throw new ValueError(`${op}: ${arg} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
  if (t.ndim !== shape.length || t.shape.some((d, i) => d !== shape[i])) throw new ShapeError(`${op}: ${arg} must have shape ${fmtShape(shape)}, got ${fmtShape(t.shape)}`);
  const v = Float64Array.from(t.toTypedArray() as ArrayLike<number>);
  if (v.some((x) => !Number.isFinite(x))) throw new ValueError(`${op}: ${arg} holds a non-finite value`);
  return v;
}

/** x^(1/2) of a symmetric positive semi-definite d x d matrix (row-major), through its eigendecomposition; negative round-off eigenvalues count as 0. */
function sqrtPsd(a: Float64Array, d: number): Float64Array {
  const { w, v } = eighHost(a, d, false);
  const out = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const r = Math.sqrt(Math.max(w[k], 0));
    if (r === 0) continue;
    for (let i = 0; i < d; i++) {
      const vi = v[i * d + k] * r;
      for (let j = 0; j < d; j++) out[i * d + j] += vi * v[j * d + k];
    }
  }
  return out;
}

/**
 * The squared Fréchet distance between N(muA, covA) and N(muB, covB) (means [d], covariances [d, d], symmetric
 * positive semi-definite): `|muA - muB|^2 + tr(covA) + tr(covB) - 2 tr((covA covB)^(1/2))`. The trace of the matrix
 * square root is taken as `tr((sA covB sA)^(1/2))` with `sA = covA^(1/2)`, a symmetric PSD matrix with the same
 * eigenvalues as `covA covB`, so no complex round-off arises (scipy's sqrtm route gives the same value).
 */
export function frechetDistance(muA: Tensor, covA: Tensor, muB: Tensor, covB: Tensor): number {
  const op = 'frechetDistance';
  if (!(muA instanceof Tensor) || muA.ndim !== 1) throw new ShapeError(`${op}: muA must be a 1-D Tensor [d], got ${muA instanceof Tensor ? fmtShape(muA.shape) : typeof muA}`);
  const d = muA.shape[0];
  if (d < 1) throw new ShapeError(`${op}: muA must have at least one element, got shape ${fmtShape(muA.shape)}`);
  const ma = host(op, muA, 'muA', [d]);
  const ca = host(op, covA, 'covA', [d, d]);
  const mb = host(op, muB, 'muB', [d]);
  const cb = host(op, covB, 'covB', [d, d]);
  for (const [c, arg] of [[ca, 'covA'], [cb, 'covB']] as const) {
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < i; j++) {
        const x = c[i * d + j];
        const y = c[j * d + i];
        if (Math.abs(x - y) > 1e-6 * (Math.abs(x) + Math.abs(y) + 1e-12)) throw new ValueError(`${op}: ${arg} must be symmetric, got ${x} at (${i}, ${j}) and ${y} at (${j}, ${i})`);
      }
    }
  }
  const sA = sqrtPsd(ca, d);
  const m = matmulHost(matmulHost(sA, cb, d, d, d), sA, d, d, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) m[i * d + j] = m[j * d + i] = (m[i * d + j] + m[j * d + i]) / 2;
  const { w } = eighHost(m, d, false);
  let trSqrt = 0;
  for (let k = 0; k < d; k++) trSqrt += Math.sqrt(Math.max(w[k], 0));
  let dist = 0;
  for (let i = 0; i < d; i++) dist += (ma[i] - mb[i]) ** 2 + ca[i * d + i] + cb[i * d + i];
  return dist - 2 * trSqrt;
}

/** The Gaussian (mean [d], unbiased covariance [d, d], float64) fitted to the rows of `features` [N, d], N >= 2. */
export function gaussianStats(features: Tensor): GaussianStats {
  const op = 'gaussianStats';
  if (!(features instanceof Tensor)) throw new ValueError(`${op}: features must be a Tensor [N, d], got ${features === null ? 'null' : typeof features}`);
  if (features.ndim !== 2 || features.shape[0] < 2 || features.shape[1] < 1) throw new ShapeError(`${op}: features must be [N, d] with N >= 2 rows, got shape ${fmtShape(features.shape)}`);
  const [n, d] = features.shape;
  const x = host(op, features, 'features', [n, d]);
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) mean[j] += x[r * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) row[j] = x[r * d + j] - mean[j];
    for (let i = 0; i < d; i++) {
      const ri = row[i];
      for (let j = i; j < d; j++) cov[i * d + j] += ri * row[j];
    }
  }
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) cov[j * d + i] = cov[i * d + j] /= n - 1;
  return { mean: tensor(mean, { dtype: 'float64' }), cov: tensor(cov, { dtype: 'float64', shape: [d, d] }) };
}

/** Options of `classifierFeatures`. */
export interface ClassifierFeaturesOptions {
  /** Images per forward pass (default 500). */
  batchSize?: number;
}

/**
 * The penultimate-layer features [N, F] of a Sequential classifier (every layer but the last; for LeNet-5 the 84
 * activations before the class layer) on images [N, C, H, W], in eval mode without gradients (the mode is restored).
 */
export function classifierFeatures(classifier: Sequential, images: Tensor, opts: ClassifierFeaturesOptions = {}): Tensor {
  const op = 'classifierFeatures';
  if (!(classifier instanceof Module) || typeof (classifier as Sequential).at !== 'function') throw new ValueError(`${op}: classifier must be a Sequential (e.g. lenet5()), got ${classifier === null ? 'null' : typeof classifier}`);
  if (classifier.length < 2) throw new ValueError(`${op}: classifier must have at least 2 layers to drop its last, got ${classifier.length}`);
  if (!(images instanceof Tensor) || images.ndim !== 4 || images.shape[0] < 1) throw new ShapeError(`${op}: images must be [N, C, H, W] with N >= 1, got ${images instanceof Tensor ? fmtShape(images.shape) : typeof images}`);
  const bs = opts.batchSize ?? 500;
  if (!Number.isInteger(bs) || bs < 1) throw new ValueError(`${op}: batchSize must be a positive integer, got ${String(bs)}`);
  const layers = (classifier.children() as Layer[]).slice(0, -1);
  const wasTraining = classifier.training;
  classifier.eval();
  try {
    return noGrad(() => {
      const parts: Tensor[] = [];
      for (let i = 0; i < images.shape[0]; i += bs) {
        let h = narrow(images, 0, i, Math.min(bs, images.shape[0] - i));
        for (const l of layers) h = l.forward(h);
        parts.push(h.ndim === 2 ? h : flatten(h, 1));
      }
      return parts.length === 1 ? parts[0] : cat(parts, 0);
    });
  } finally {
    classifier.train(wasTraining);
  }
}

/** The Gaussian of a classifier's penultimate features on `images`: `gaussianStats(classifierFeatures(...))`. */
export function featureStats(classifier: Sequential, images: Tensor, opts: ClassifierFeaturesOptions = {}): GaussianStats {
  return gaussianStats(classifierFeatures(classifier, images, opts));
}
