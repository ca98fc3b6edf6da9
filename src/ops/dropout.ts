/**
 * Regularizing noise: dropout, dropout2d (whole channels), dropConnect (dropout on a weight tensor) and
 * dropBlock (contiguous square regions, Ghiasi et al. 2018, as torchvision's drop_block2d). Masks come from
 * the seeded generator, so a run is reproducible under `manualSeed`.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { dropoutScale } from '../autograd/dropout-fused.js';
import type { DropoutSpec } from '../backend/types.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { isFloating } from '../tensor/dtype.js';
import { generatorOf, rand } from '../tensor/creation.js';
import { getBackend } from '../backend/registry.js';
import type { Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { maxPool2d } from './pool.js';
import { checkTensor } from './util.js';
import { traceOp, tracing } from './trace-hook.js';

/** Options shared by the dropout family. */
export interface DropoutOptions {
  /** Apply the noise (default true); false returns the input unchanged (evaluation). */
  training?: boolean;
  /** Generator for the mask (default: the global one). */
  generator?: Generator;
}

function checkP(op: string, x: Tensor, p: number): void {
  checkTensor(op, x);
  if (!isFloating(x.dtype)) throw new DTypeError(`${op}: input must be floating point, got ${x.dtype}`);
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ValueError(`${op}: probability p must be in [0, 1], got ${typeof p === 'number' ? p : JSON.stringify(p) ?? typeof p}`);
}

/**
 * A {0, 1/(1-p)} mask of `shape` keeping each entry with probability 1 - p (all zeros for p = 1), on the current
 * backend: the uniforms `rand(shape)` draws, each compared with p in x's dtype and scaled in the same pass, by one
 * kernel (`Kernels.bernoulliMask`) — the numbers `rand >= p`, cast and times 1/(1-p) would give, without their
 * three temporaries and three kernels, and the generator left where `rand` would leave it.
 */
function keepMask(x: Tensor, shape: readonly number[], p: number, generator?: Generator): Tensor {
  const g = generatorOf('dropout', { generator });
  const n = shape.reduce((a, b) => a * b, 1);
  const f32 = x.dtype === 'float32';
  const threshold = f32 ? Math.fround(p) : p;
  const scale = p === 1 ? 0 : f32 ? Math.fround(1 / (1 - p)) : 1 / (1 - p);
  const state = g.stateWords();
  const backend = getBackend();
  const mask = backend.bernoulliMask(state, n, threshold, scale, x.dtype);
  g.setStateWords(state);
  return new Tensor(mask, shape);
}

/**
 * Dropout by hashing for 0 < p < 1 (backend/cpu/drop-hash.ts): a threshold on each element's 32-bit draw that
 * keeps it with probability 1 - p (to 2^-32), the factor 1 / (1 - p), and a 64-bit seed: two words of the
 * generator's stream, the only draws it makes.
 */
export function dropoutSpec(op: string, p: number, generator?: Generator): DropoutSpec {
  const g = generatorOf(op, { generator });
  const seedLo = g.nextUint32() >>> 0;
  const seedHi = g.nextUint32() >>> 0;
  return { threshold: Math.min(0xffffffff, Math.round(p * 2 ** 32)), keepScale: 1 / (1 - p), seedLo, seedHi };
}

/**
 * Zeroes each element with probability p and scales the rest by 1 / (1 - p), in training (x times the reciprocal,
 * as PyTorch). Each element's keep draw is a hash of its index under a seed from the generator (`dropoutSpec`),
 * so no mask is kept for the backward pass; p = 1 gives zeros.
 */
export function dropout(x: Tensor, p = 0.5, opts: DropoutOptions = {}): Tensor {
  if (tracing.tracer !== null) return traceOp('dropout', [x], { p, training: opts.training ?? true }, () => dropout(x, p, opts));
  checkP('dropout', x, p);
  if (!(opts.training ?? true) || p === 0) return x;
  return hashedDropout('dropout', x, p, opts.generator);
}

/** x with each element kept with probability 1 - p (0 < p <= 1) and scaled by 1 / (1 - p): zeros for p = 1, else the hash. */
function hashedDropout(op: string, x: Tensor, p: number, generator?: Generator): Tensor {
  if (p === 1) return P.binary('mul', x, P.filled(x.shape, 0, x.dtype, x.device));
  return dropoutScale(x, dropoutSpec(op, p, generator));
}

/** Zeroes whole channels of x [N, C, ...] with probability p (scaling the rest), in training. */
export function dropout2d(x: Tensor, p = 0.5, opts: DropoutOptions = {}): Tensor {
  if (tracing.tracer !== null) return traceOp('dropout', [x], { p, training: opts.training ?? true }, () => dropout2d(x, p, opts));
  checkP('dropout2d', x, p);
  if (x.ndim < 3) throw new ShapeError(`dropout2d: input must be at least 3-D (N, C, ...), got shape ${fmtShape(x.shape)}`);
  if (!(opts.training ?? true) || p === 0) return x;
  const shape = x.shape.map((s, d) => (d < 2 ? s : 1));
  return P.binary('mul', x, keepMask(x, shape, p, opts.generator));
}

/** DropConnect: dropout applied to a layer's weight tensor (each connection dropped with probability p). */
export function dropConnect(weight: Tensor, p = 0.5, opts: DropoutOptions = {}): Tensor {
  checkP('dropConnect', weight, p);
  if (!(opts.training ?? true) || p === 0) return weight;
  return hashedDropout('dropConnect', weight, p, opts.generator);
}

/**
 * DropBlock on x [N, C, H, W]: drops blockSize x blockSize squares so that about a fraction p of the
 * positions is dropped, then rescales by (number of positions / number kept), as torchvision's drop_block2d.
 */
export function dropBlock2d(x: Tensor, p: number, blockSize: number, opts: DropoutOptions = {}): Tensor {
  checkP('dropBlock2d', x, p);
  if (x.ndim !== 4) throw new ShapeError(`dropBlock2d: input must be 4-D (N, C, H, W), got shape ${fmtShape(x.shape)}`);
  const [N, C, H, W] = x.shape;
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > Math.min(H, W)) {
    throw new ValueError(`dropBlock2d: blockSize must be an integer in [1, ${Math.min(H, W)}] for input ${fmtShape(x.shape)}, got ${blockSize}`);
  }
  if (!(opts.training ?? true) || p === 0) return x;
  const bs = blockSize;
  const gamma = (p * H * W) / (bs * bs * (H - bs + 1) * (W - bs + 1));
  const seeds = P.cast(P.binary('lt', rand([N, C, H - bs + 1, W - bs + 1], { dtype: x.dtype, generator: opts.generator }), P.scalarOf(gamma, x.dtype, x)), x.dtype);
  const half = Math.floor(bs / 2);
  const padded = P.embed(seeds, [N, C, H - bs + 1 + 2 * half, W - bs + 1 + 2 * half], [
    { start: 0, step: 1, size: N }, { start: 0, step: 1, size: C },
    { start: half, step: 1, size: H - bs + 1 }, { start: half, step: 1, size: W - bs + 1 },
  ], 0);
  // A seed at (i, j) drops the block [i, i + bs) x [j, j + bs). For odd bs the pool's output is H x W and
  // aligned; for even bs it is (H + 2) x (W + 2), and output row o covers seeds o - bs .. o - 1, so the block
  // rows sit at o = 1 .. H.
  let dropped = maxPool2d(padded, bs, { stride: 1, padding: half });
  if (bs % 2 === 0) dropped = P.slice(dropped, [{ start: 0, step: 1, size: N }, { start: 0, step: 1, size: C }, { start: 1, step: 1, size: H }, { start: 1, step: 1, size: W }]);
  const keep = P.binary('sub', P.scalarOf(1, x.dtype, x), dropped);
  const kept = P.reduce('sum', keep, [0, 1, 2, 3], false).item();
  const scale = keep.numel() / (1e-6 + kept);
  return P.binary('mul', x, P.binary('mul', keep, P.scalarOf(scale, x.dtype, x)));
}
