/**
 * More of PyTorch's dropout family: channel dropout for 1-D and 3-D feature maps (dropout1d, dropout3d) and
 * the self-normalizing alpha dropout (Klambauer et al. 2017) for SELU networks, element-wise (alphaDropout) or
 * by channel (featureAlphaDropout). Masks come from the seeded generator, so runs are reproducible under
 * `manualSeed`; with `training: false` or p = 0 each returns its input.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { rand } from '../tensor/creation.js';
import { isFloating } from '../tensor/dtype.js';
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import type { DropoutOptions } from './dropout.js';
import { checkTensor } from './util.js';

/** SELU's `scale * alpha`: the value alpha dropout's dropped units take before its affine correction. */
const ALPHA = 1.7580993408473766;

function checkArgs(op: string, x: Tensor, p: number): void {
  checkTensor(op, x);
  if (!isFloating(x.dtype)) throw new DTypeError(`${op}: input must be floating point, got ${x.dtype}`);
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ValueError(`${op}: probability p must be in [0, 1], got ${p}`);
}

/** A {0, 1} mask of `shape` (in x's dtype) keeping each entry with probability 1 - p. */
function keep(x: Tensor, shape: readonly number[], p: number, generator?: Generator): Tensor {
  const u = rand(shape, { dtype: x.dtype, generator });
  return P.cast(P.binary('ge', u, P.scalarOf(p, x.dtype, x)), x.dtype);
}

/** [N, C, 1, ...]: one draw per channel of each sample. */
const channelShape = (x: Tensor): number[] => x.shape.map((s, d) => (d < 2 ? s : 1));

/** Channel dropout (as dropout2d) for a feature map whose rank is `batched` (or one less, unbatched). */
function channelDropout(op: string, x: Tensor, p: number, opts: DropoutOptions, batched: number, layout: string): Tensor {
  checkArgs(op, x, p);
  if (x.ndim !== batched && x.ndim !== batched - 1) {
    throw new ShapeError(`${op}: input must be ${batched - 1}-D ${layout.replace('N, ', '')} or ${batched}-D ${layout}, got shape ${fmtShape(x.shape)}`);
  }
  if (!(opts.training ?? true) || p === 0) return x;
  // an unbatched input is one sample: its channels are dim 0
  const shape = x.ndim === batched ? channelShape(x) : x.shape.map((s, d) => (d < 1 ? s : 1));
  const m = keep(x, shape, p, opts.generator);
  return P.binary('mul', x, p === 1 ? m : P.binary('mul', m, P.scalarOf(1 / (1 - p), x.dtype, x)));
}

/** Zeroes whole channels of x [N, C, L] (or [C, L]) with probability p, scaling the rest by 1 / (1 - p). */
export function dropout1d(x: Tensor, p = 0.5, opts: DropoutOptions = {}): Tensor {
  return channelDropout('dropout1d', x, p, opts, 3, '(N, C, L)');
}

/** Zeroes whole channels of x [N, C, D, H, W] (or [C, D, H, W]) with probability p, scaling the rest by 1 / (1 - p). */
export function dropout3d(x: Tensor, p = 0.5, opts: DropoutOptions = {}): Tensor {
  return channelDropout('dropout3d', x, p, opts, 5, '(N, C, D, H, W)');
}

/**
 * `a (x m + ALPHA (m - 1 + p))` for a {0, 1} keep-mask m broadcast to x, `a = 1 / sqrt((ALPHA^2 p + 1)(1 - p))`:
 * dropped units take SELU's negative saturation value and the affine correction keeps a zero-mean,
 * unit-variance input so, as PyTorch's; p = 1 gives zeros.
 */
function alphaNoise(x: Tensor, p: number, shape: readonly number[], generator?: Generator): Tensor {
  if (p === 1) return P.binary('mul', x, P.scalarOf(0, x.dtype, x));
  const m = keep(x, shape, p, generator);
  const a = 1 / Math.sqrt((ALPHA * ALPHA * p + 1) * (1 - p));
  const c = (v: number) => P.scalarOf(v, x.dtype, x);
  // b = (m - 1) ALPHA a + ALPHA a p, as PyTorch forms it
  const b = P.binary('add', P.binary('mul', P.binary('sub', m, c(1)), c(ALPHA * a)), c(ALPHA * a * p));
  return P.binary('add', P.binary('mul', x, P.binary('mul', m, c(a))), b);
}

/**
 * Alpha dropout for SELU networks: each element is dropped with probability p to SELU's saturation value and
 * the result is rescaled so that a zero-mean, unit-variance input keeps its mean and variance. Any shape.
 */
export function alphaDropout(x: Tensor, p = 0.5, opts: DropoutOptions = {}): Tensor {
  checkArgs('alphaDropout', x, p);
  if (!(opts.training ?? true) || p === 0 || x.numel() === 0) return x;
  return alphaNoise(x, p, x.shape, opts.generator);
}

/** Alpha dropout of whole channels of x [N, C, ...] (at least 2-D): one draw per sample and channel. */
export function featureAlphaDropout(x: Tensor, p = 0.5, opts: DropoutOptions = {}): Tensor {
  checkArgs('featureAlphaDropout', x, p);
  if (x.ndim < 2) throw new ShapeError(`featureAlphaDropout: input must be at least 2-D (N, C, ...), got shape ${fmtShape(x.shape)}`);
  if (!(opts.training ?? true) || p === 0 || x.numel() === 0) return x;
  return alphaNoise(x, p, channelShape(x), opts.generator);
}
