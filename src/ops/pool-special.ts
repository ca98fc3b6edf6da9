/**
 * Power-average and fractional pooling as in torch.nn.functional: lpPool1d/2d (the p-norm of each window,
 * composed from avgPool exactly as PyTorch composes it) and fractionalMaxPool2d (max over pseudo-random,
 * overlapping windows of a fixed size, Graham 2014), drawn from the seeded generator or from given samples.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { rand } from '../tensor/creation.js';
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { relu } from './activation.js';
import { pair, type Pair } from './conv.js';
import { abs, mul, pow, sign } from './elementwise.js';
import { avgPool1d, avgPool2d, type PoolWithIndices } from './pool.js';
import { checkTensor } from './util.js';
import { batched, tableMax, unbatch } from './window.js';

function checkNorm(op: string, normType: number): number {
  if (typeof normType !== 'number' || !(normType > 0)) throw new ValueError(`${op}: normType must be a positive number, got ${JSON.stringify(normType)}`);
  return normType;
}

/** (sign(s) * relu(|s|) * K) ** (1 / p) of the window means s, PyTorch's formula (zero gradient where s < 0). */
function lpFinish(means: Tensor, K: number, p: number): Tensor {
  return pow(mul(mul(sign(means), relu(abs(means))), K), 1 / p);
}

/**
 * 1-D power-average pooling of x [N, C, L] (or [C, L]): (sum over each window of x ** normType) ** (1 /
 * normType). Without padding; stride defaults to the kernel size. As PyTorch, a ceilMode window cut short by
 * the input's end is scaled up to the full kernel (the mean times the kernel size).
 */
export function lpPool1d(x: Tensor, normType: number, kernelSize: number, opts: { stride?: number; ceilMode?: boolean } = {}): Tensor {
  const p = checkNorm('lpPool1d', normType);
  batched('lpPool1d', x, 1);
  const means = avgPool1d(pow(x, p), kernelSize, { stride: opts.stride, ceilMode: opts.ceilMode });
  return lpFinish(means, kernelSize, p);
}

/**
 * 2-D power-average pooling of x [N, C, H, W] (or [C, H, W]): (sum over each window of x ** normType) **
 * (1 / normType). Without padding; stride defaults to the kernel size; ceilMode windows as in lpPool1d.
 */
export function lpPool2d(x: Tensor, normType: number, kernelSize: Pair, opts: { stride?: Pair; ceilMode?: boolean } = {}): Tensor {
  const p = checkNorm('lpPool2d', normType);
  batched('lpPool2d', x, 2);
  const [kh, kw] = pair('lpPool2d', kernelSize, 1, 'kernelSize', 1);
  const means = avgPool2d(pow(x, p), [kh, kw], { stride: opts.stride, ceilMode: opts.ceilMode });
  return lpFinish(means, kh * kw, p);
}

/** Options of fractionalMaxPool2d: exactly one of outputSize and outputRatio. */
export interface FractionalMaxPool2dOptions {
  /** Output size [oh, ow] (or one number for both). */
  outputSize?: Pair;
  /** Output size as a fraction of the input size, each in (0, 1): oh = floor(H * ratio). */
  outputRatio?: number | readonly [number, number];
  /** Also return the int32 flat index (into H * W) of each maximum. */
  returnIndices?: boolean;
  /**
   * The per-plane samples in [0, 1) that place the windows, [N, C, 2] (index 0 for the width, 1 for the
   * height), as PyTorch's `_random_samples`; default: drawn from `generator`.
   */
  randomSamples?: Tensor;
  /** Generator for the samples (default: the global one `manualSeed` seeds). */
  generator?: Generator;
}

/**
 * Window starts of PyTorch's fractional pooling along one dim: for sample u and alpha = (n - k) / (out - 1),
 * start i = trunc((i + u) alpha) - trunc(u alpha), the last one n - k. `f` rounds as the input's dtype does.
 */
function intervals(u: number, n: number, out: number, k: number, f: (v: number) => number): number[] {
  const starts = new Array<number>(out);
  if (out > 1) {
    const alpha = f((n - k) / (out - 1));
    for (let i = 0; i < out - 1; i++) starts[i] = Math.trunc(f(f(i + u) * alpha)) - Math.trunc(f(u * alpha));
  }
  starts[out - 1] = n - k;
  return starts;
}

/**
 * Fractional max pooling of x [N, C, H, W] (or [C, H, W]) with kernel [kh, kw] to outputSize or
 * H * outputRatio: each plane's windows start at pseudo-random, increasing positions from its samples.
 */
export function fractionalMaxPool2d(x: Tensor, kernelSize: Pair, opts: FractionalMaxPool2dOptions & { returnIndices: true }): PoolWithIndices;
export function fractionalMaxPool2d(x: Tensor, kernelSize: Pair, opts: FractionalMaxPool2dOptions): Tensor;
export function fractionalMaxPool2d(input: Tensor, kernelSize: Pair, opts: FractionalMaxPool2dOptions): Tensor | PoolWithIndices {
  const op = 'fractionalMaxPool2d';
  const { x, unbatched } = batched(op, input, 2);
  const [N, C, H, W] = x.shape;
  const [kh, kw] = pair(op, kernelSize, 1, 'kernelSize', 1);
  if ((opts.outputSize === undefined) === (opts.outputRatio === undefined)) throw new ValueError(`${op}: give exactly one of outputSize and outputRatio`);
  let oh: number, ow: number;
  if (opts.outputSize !== undefined) {
    [oh, ow] = pair(op, opts.outputSize, 1, 'outputSize', 1);
  } else {
    const r = opts.outputRatio!;
    const [rh, rw] = typeof r === 'number' ? [r, r] : Array.isArray(r) && r.length === 2 ? r : [NaN, NaN];
    if (![rh, rw].every((v) => typeof v === 'number' && v > 0 && v < 1)) throw new ValueError(`${op}: outputRatio must be a number in (0, 1) or a pair of them, got ${JSON.stringify(r)}`);
    [oh, ow] = [Math.floor(H * rh), Math.floor(W * rw)];
    if (oh < 1 || ow < 1) throw new ShapeError(`${op}: outputRatio ${JSON.stringify(r)} gives an empty output for input ${fmtShape(input.shape)}`);
  }
  if (oh + kh - 1 > H) throw new ShapeError(`${op}: kernel height ${kh} is too large for output height ${oh} from input height ${H}`);
  if (ow + kw - 1 > W) throw new ShapeError(`${op}: kernel width ${kw} is too large for output width ${ow} from input width ${W}`);
  let samples = opts.randomSamples;
  if (samples === undefined) {
    samples = rand([N, C, 2], { dtype: x.dtype, generator: opts.generator });
  } else {
    checkTensor(op, samples, 'randomSamples');
    if (samples.ndim !== 3 || samples.shape[0] !== N || samples.shape[1] !== C || samples.shape[2] !== 2) {
      throw new ShapeError(`${op}: randomSamples must have shape [${N}, ${C}, 2], got ${fmtShape(samples.shape)}`);
    }
  }
  const u = P.cast(P.detach(samples), x.dtype).toTypedArray();
  const f = x.dtype === 'float32' ? Math.fround : (v: number) => v;
  const cells = oh * ow;
  const taps = kh * kw;
  const table = new Int32Array(N * C * cells * taps);
  let at = 0;
  for (let plane = 0; plane < N * C; plane++) {
    const ws = intervals(u[plane * 2], W, ow, kw, f);
    const hs = intervals(u[plane * 2 + 1], H, oh, kh, f);
    for (const h0 of hs) for (const w0 of ws) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) table[at++] = (h0 + i) * W + w0 + j;
  }
  const r = tableMax(x, table, cells, taps);
  const values = unbatch(P.reshape(r.values, [N, C, oh, ow]), unbatched);
  return opts.returnIndices ? { values, indices: unbatch(P.reshape(r.indices, [N, C, oh, ow]), unbatched) } : values;
}
