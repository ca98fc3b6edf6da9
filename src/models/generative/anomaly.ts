/**
 * Anomaly scores from reconstruction error: a model trained to reconstruct normal inputs reconstructs unusual
 * ones worse, so each sample's reconstruction error ranks it (higher = more anomalous; feed the scores to
 * `train.rocAuc`). `reconstructionScores` gives one score per sample of any shape [N, ...] (images, vectors,
 * windows); `scoreReconstructions` applies the same rule to reconstructions made elsewhere (e.g. by PCA); the
 * per-step errors of windows are sequence-ae.ts's `reconstructionErrors`.
 * @module
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { ShapeError, ValueError, assertNever, fmtShape } from '../../errors.js';
import type { Layer, Module } from '../../nn/module.js';
import { div, square, sub } from '../../ops/elementwise.js';
import { cat, flatten, narrow } from '../../ops/movement.js';
import { mean, sum } from '../../ops/reduce.js';
import { Tensor } from '../../tensor/tensor.js';
import { positiveInt } from '../vision/common.js';

/**
 * How a sample's reconstruction x̂ of x becomes its score: 'mse' (default), the mean over its values of
 * (x̂ - x)^2; 'relative', the squared error relative to the sample's energy, sum (x̂ - x)^2 / sum x^2 (so a
 * sample with little ink is not favoured just for having few pixels to get wrong).
 */
export type ReconstructionScore = 'mse' | 'relative';

/** Options of `reconstructionScores`. */
export interface ReconstructionScoresOptions {
  /** Samples per forward pass (default 256). */
  batchSize?: number;
  /** The score of each sample (default 'mse'). */
  score?: ReconstructionScore;
}

/** Scores of the batch x (samples from `offset` on) given its reconstruction y. */
function perSample(op: string, kind: ReconstructionScore, x: Tensor, y: Tensor, offset: number): Tensor {
  const err = flatten(square(sub(y, x)), 1);
  switch (kind) {
    case 'mse': return mean(err, 1);
    case 'relative': {
      const energy = sum(flatten(square(x), 1), 1);
      const zero = energy.toTypedArray().findIndex((v) => v === 0);
      if (zero >= 0) throw new ValueError(`${op}: with score 'relative' every sample needs a non-zero value, but sample ${offset + zero} is all zeros (its score would be undefined); use score 'mse'`);
      return div(sum(err, 1), energy);
    }
    default: return assertNever(kind, 'reconstruction score');
  }
}

/**
 * The score of each sample of `x` [N, ...] given its `reconstruction` (x's shape, from any model: an
 * auto-encoder, a PCA's inverse transform), as `opts.score` says: [N] of x's dtype. A ShapeError when the shapes
 * differ or x has no sample dimension; a ValueError for an unknown score or, with 'relative', a sample that is
 * all zeros (its score is undefined).
 */
export function scoreReconstructions(x: Tensor, reconstruction: Tensor, opts: { score?: ReconstructionScore } = {}): Tensor {
  const op = 'scoreReconstructions';
  const kind = checkScoring(op, x, opts);
  if (!(reconstruction instanceof Tensor) || reconstruction.ndim !== x.ndim || reconstruction.shape.some((d, k) => d !== x.shape[k])) {
    throw new ShapeError(`${op}: reconstruction must have x's shape ${fmtShape(x.shape)}, got ${reconstruction instanceof Tensor ? fmtShape(reconstruction.shape) : typeof reconstruction}`);
  }
  return perSample(op, kind, x, reconstruction, 0);
}

function checkScoring(op: string, x: unknown, opts: { score?: ReconstructionScore }): ReconstructionScore {
  if (!(x instanceof Tensor)) throw new ValueError(`${op}: x must be a Tensor [N, ...], got ${x === null ? 'null' : typeof x}`);
  if (x.ndim < 2 || x.shape[0] === 0) throw new ShapeError(`${op}: x must be [N, ...] with N >= 1 samples of at least one value, got shape ${fmtShape(x.shape)}`);
  if (opts === null || typeof opts !== 'object') throw new ValueError(`${op}: options must be an object, got ${JSON.stringify(opts)}`);
  const kind = opts.score ?? 'mse';
  if (kind !== 'mse' && kind !== 'relative') throw new ValueError(`${op}: score must be 'mse' or 'relative', got ${JSON.stringify(opts.score)}`);
  return kind;
}

/**
 * One anomaly score per sample of `x` [N, ...]: the reconstruction error of `model.forward(x)` (which must return
 * x's shape), as `opts.score` says (see `scoreReconstructions`), [N] of x's dtype. Runs in eval mode without
 * gradients, `batchSize` samples at a time, and restores the model's mode. A ShapeError when x has no sample
 * dimension or the model changes the shape; a ValueError for bad options or, with 'relative', an all-zero sample.
 */
export function reconstructionScores(model: Layer & Module, x: Tensor, opts: ReconstructionScoresOptions = {}): Tensor {
  const op = 'reconstructionScores';
  const kind = checkScoring(op, x, opts);
  const bs = positiveInt(op, 'batchSize', opts.batchSize, 256);
  const was = model.training;
  model.eval();
  try {
    return noGrad(() => {
      const parts: Tensor[] = [];
      for (let i = 0; i < x.shape[0]; i += bs) {
        const xb = narrow(x, 0, i, Math.min(bs, x.shape[0] - i));
        const y = model.forward(xb);
        if (y.ndim !== xb.ndim || y.shape.some((d, k) => d !== xb.shape[k])) {
          throw new ShapeError(`${op}: the model must return reconstructions of the input's shape ${fmtShape(xb.shape)}, got ${fmtShape(y.shape)}`);
        }
        parts.push(perSample(op, kind, xb, y, i));
      }
      return cat(parts, 0);
    });
  } finally {
    model.train(was);
  }
}
