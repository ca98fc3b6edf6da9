/**
 * Normalization as in torch.nn.functional: batchNorm (running statistics, train vs eval), layerNorm,
 * groupNorm, instanceNorm and localResponseNorm, composed from reductions so gradients come for free; batchNorm
 * with batch statistics runs as one fused kernel each way (autograd/norm-fused.ts), the composite as its reference.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { noGrad } from '../autograd/grad-mode.js';
import { batchNormTrain, layerNorm as layerNormFused } from '../autograd/norm-fused.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { isFloating } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { copy_ } from './inplace.js';
import { avgPool2d } from './pool.js';
import { checkNumber, checkTensor } from './util.js';
import { traceOp, tracing } from './trace-hook.js';

function checkFloatInput(op: string, x: Tensor, minDims: number, layout: string): void {
  checkTensor(op, x);
  if (x.ndim < minDims) throw new ShapeError(`${op}: input must be at least ${minDims}-D ${layout}, got shape ${fmtShape(x.shape)}`);
  if (!isFloating(x.dtype)) throw new DTypeError(`${op}: input must be floating point, got ${x.dtype}`);
}

function checkPerChannel(op: string, t: Tensor | null | undefined, C: number, arg: string): void {
  if (t === null || t === undefined) return;
  checkTensor(op, t, arg);
  if (t.ndim !== 1 || t.shape[0] !== C) throw new ShapeError(`${op}: ${arg} must have shape [${C}], got ${fmtShape(t.shape)}`);
}

/** (x - mean) / sqrt(var + eps) over `axes`, with biased variance; returns the normalized tensor and the stats. */
function standardize(x: Tensor, axes: number[], eps: number): { y: Tensor; mean: Tensor; varBiased: Tensor } {
  const n = axes.reduce((k, d) => k * x.shape[d], 1);
  const count = P.scalarOf(n, x.dtype, x);
  const mean = P.binary('div', P.reduce('sum', x, axes, true), count);
  const centered = P.binary('sub', x, mean);
  const varBiased = P.binary('div', P.reduce('sum', P.unary('square', centered), axes, true), count);
  const y = P.binary('mul', centered, P.unary('rsqrt', P.binary('add', varBiased, P.scalarOf(eps, x.dtype, x))));
  return { y, mean, varBiased };
}

function affine(y: Tensor, weight: Tensor | null | undefined, bias: Tensor | null | undefined, shape: number[]): Tensor {
  let out = y;
  if (weight) out = P.binary('mul', out, P.reshape(weight, shape));
  if (bias) out = P.binary('add', out, P.reshape(bias, shape));
  return out;
}

/** Options of batchNorm. */
export interface BatchNormOptions {
  /** Per-channel scale [C] (gamma). */
  weight?: Tensor | null;
  /** Per-channel shift [C] (beta). */
  bias?: Tensor | null;
  /** Use batch statistics and update the running ones (default false: use the running statistics). */
  training?: boolean;
  /** Weight of the new batch in the running averages (default 0.1). */
  momentum?: number;
  /** Added to the variance for stability (default 1e-5). */
  eps?: number;
}

/**
 * Batch normalization of x [N, C, ...] per channel. In training, normalizes with the batch's mean and biased
 * variance and updates `runningMean`/`runningVar` in place (with the unbiased variance), as PyTorch does;
 * otherwise normalizes with the running statistics. Running tensors may be null to always use batch stats.
 */
export function batchNorm(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, opts: BatchNormOptions = {}): Tensor {
  if (tracing.tracer !== null) {
    return traceOp('batchNorm', [x, runningMean, runningVar, opts.weight ?? null, opts.bias ?? null],
      { eps: opts.eps ?? 1e-5, momentum: opts.momentum ?? 0.1, training: opts.training ?? false }, () => batchNorm(x, runningMean, runningVar, opts));
  }
  checkFloatInput('batchNorm', x, 2, '(N, C, ...)');
  const C = x.shape[1];
  checkPerChannel('batchNorm', runningMean, C, 'runningMean');
  checkPerChannel('batchNorm', runningVar, C, 'runningVar');
  for (const [t, arg] of [[runningMean, 'runningMean'], [runningVar, 'runningVar']] as const) {
    if (t && !isFloating(t.dtype)) throw new DTypeError(`batchNorm: ${arg} must be floating point, got ${t.dtype}`);
  }
  checkPerChannel('batchNorm', opts.weight, C, 'weight');
  checkPerChannel('batchNorm', opts.bias, C, 'bias');
  const eps = checkNumber('batchNorm', opts.eps ?? 1e-5, 'eps');
  const momentum = checkNumber('batchNorm', opts.momentum ?? 0.1, 'momentum');
  const training = opts.training ?? false;
  const shape = x.shape.map((s, d) => (d === 1 ? s : 1));
  const axes = x.shape.map((_, d) => d).filter((d) => d !== 1);
  if (training || !runningMean || !runningVar) {
    const n = axes.reduce((k, d) => k * x.shape[d], 1);
    if (training && n <= 1) {
      throw new ValueError(`batchNorm: expected more than 1 value per channel when training, got input shape ${fmtShape(x.shape)}`);
    }
    const w = opts.weight ?? null;
    const b = opts.bias ?? null;
    // one fused kernel each way when the operands share x's dtype; otherwise the composite (its reference)
    const fused = (x.dtype === 'float32' || x.dtype === 'float64') && (!w || w.dtype === x.dtype) && (!b || b.dtype === x.dtype);
    const { y, mean, varBiased } = fused ? batchNormTrain(x, w, b, eps) : standardize(x, axes, eps);
    if (training && runningMean && runningVar) {
      noGrad(() => {
        const m = P.scalarOf(momentum, runningMean.dtype, runningMean);
        const keep = P.scalarOf(1 - momentum, runningMean.dtype, runningMean);
        const batchMean = P.cast(P.reshape(P.detach(mean), [C]), runningMean.dtype);
        const unbiased = P.cast(P.reshape(P.binary('mul', P.detach(varBiased), P.scalarOf(n / (n - 1), x.dtype, x)), [C]), runningVar.dtype);
        copy_(runningMean, P.binary('add', P.binary('mul', runningMean, keep), P.binary('mul', batchMean, m)));
        copy_(runningVar, P.binary('add', P.binary('mul', runningVar, keep), P.binary('mul', unbiased, m)));
      });
    }
    return fused ? y : affine(y, w, b, shape);
  }
  const mean = P.reshape(P.cast(runningMean, x.dtype), shape);
  const inv = P.unary('rsqrt', P.binary('add', P.reshape(P.cast(runningVar, x.dtype), shape), P.scalarOf(eps, x.dtype, x)));
  return affine(P.binary('mul', P.binary('sub', x, mean), inv), opts.weight, opts.bias, shape);
}

/** Layer normalization over the trailing dims `normalizedShape`, with optional elementwise weight and bias of that shape. */
export function layerNorm(x: Tensor, normalizedShape: number | readonly number[], opts: { weight?: Tensor | null; bias?: Tensor | null; eps?: number } = {}): Tensor {
  if (tracing.tracer !== null) {
    return traceOp('layerNorm', [x, opts.weight ?? null, opts.bias ?? null], { normalizedShape, eps: opts.eps ?? 1e-5 }, () => layerNorm(x, normalizedShape, opts));
  }
  checkTensor('layerNorm', x);
  if (!isFloating(x.dtype)) throw new DTypeError(`layerNorm: input must be floating point, got ${x.dtype}`);
  if (typeof normalizedShape !== 'number' && !Array.isArray(normalizedShape)) {
    throw new ValueError(`layerNorm: normalizedShape must be an integer or an array of them, got ${JSON.stringify(normalizedShape) ?? typeof normalizedShape}`);
  }
  const ns = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  const tail = x.shape.slice(x.ndim - ns.length);
  if (ns.length === 0 || ns.length > x.ndim || tail.some((s, i) => s !== ns[i])) {
    throw new ShapeError(`layerNorm: normalizedShape ${fmtShape(ns)} must match the last dims of the input ${fmtShape(x.shape)}`);
  }
  for (const [arg, t] of [['weight', opts.weight], ['bias', opts.bias]] as const) {
    if (t && (t.ndim !== ns.length || t.shape.some((s, i) => s !== ns[i]))) {
      throw new ShapeError(`layerNorm: ${arg} must have shape ${fmtShape(ns)}, got ${fmtShape(t.shape)}`);
    }
  }
  const eps = checkNumber('layerNorm', opts.eps ?? 1e-5, 'eps');
  const w = opts.weight ?? null;
  const b = opts.bias ?? null;
  // one fused kernel each way when the operands share x's dtype; otherwise the composite (its reference)
  if ((!w || w.dtype === x.dtype) && (!b || b.dtype === x.dtype)) return layerNormFused(x, ns.reduce((k, d) => k * d, 1), w, b, eps);
  const axes = ns.map((_, i) => x.ndim - ns.length + i);
  const { y } = standardize(x, axes, eps);
  return affine(y, w, b, ns);
}

/**
 * Group normalization of x [N, C, ...]: channels split into `numGroups` groups, each normalized over its channels
 * and positions. Raises a ValueError where PyTorch does: when (N * C / numGroups) * (product of the spatial sizes)
 * is 1.
 */
export function groupNorm(x: Tensor, numGroups: number, opts: { weight?: Tensor | null; bias?: Tensor | null; eps?: number } = {}): Tensor {
  checkFloatInput('groupNorm', x, 2, '(N, C, ...)');
  const [N, C] = x.shape;
  if (!Number.isInteger(numGroups) || numGroups < 1 || C % numGroups !== 0) {
    throw new ValueError(`groupNorm: numGroups must be a positive divisor of the ${C} channels, got ${numGroups}`);
  }
  checkPerChannel('groupNorm', opts.weight, C, 'weight');
  checkPerChannel('groupNorm', opts.bias, C, 'bias');
  const eps = checkNumber('groupNorm', opts.eps ?? 1e-5, 'eps');
  // PyTorch's own check (F.group_norm's _verify_batch_size on [N*C/G, G, ...spatial]), kept as it is: it refuses
  // [1, G] and [1, G, 1, ...] but lets [2, G] through, which normalizes single values to 0.
  const spatial = x.shape.slice(2).reduce((k, s) => k * s, 1);
  if ((N * C / numGroups) * spatial === 1) {
    throw new ValueError(`groupNorm: expected more than 1 value per channel when training, got input shape ${fmtShape(x.shape)} with numGroups ${numGroups} (1 value per group)`);
  }
  const g = P.reshape(x, [N, numGroups, x.numel() / Math.max(N * numGroups, 1)]);
  const { y } = standardize(g, [2], eps);
  return affine(P.reshape(y, x.shape), opts.weight, opts.bias, x.shape.map((s, d) => (d === 1 ? s : 1)));
}

/**
 * Instance normalization of x [N, C, ...]: each sample's channel normalized over its positions. With running
 * statistics and `useInputStats: false` it normalizes with those instead (PyTorch's track_running_stats in eval).
 */
export function instanceNorm(
  x: Tensor,
  opts: { runningMean?: Tensor | null; runningVar?: Tensor | null; weight?: Tensor | null; bias?: Tensor | null; useInputStats?: boolean; momentum?: number; eps?: number } = {},
): Tensor {
  checkFloatInput('instanceNorm', x, 3, '(N, C, ...)');
  const C = x.shape[1];
  const useInput = opts.useInputStats ?? true;
  if (!useInput) {
    if (!opts.runningMean || !opts.runningVar) throw new ValueError('instanceNorm: useInputStats false needs runningMean and runningVar');
    return batchNorm(x, opts.runningMean, opts.runningVar, { weight: opts.weight, bias: opts.bias, training: false, eps: opts.eps });
  }
  checkPerChannel('instanceNorm', opts.weight, C, 'weight');
  checkPerChannel('instanceNorm', opts.bias, C, 'bias');
  const eps = checkNumber('instanceNorm', opts.eps ?? 1e-5, 'eps');
  if (x.shape.slice(2).reduce((k, s) => k * s, 1) === 1) {
    throw new ValueError(`instanceNorm: expected more than 1 spatial element when using input statistics, got input shape ${fmtShape(x.shape)}`);
  }
  const { y } = standardize(x, x.shape.map((_, d) => d).filter((d) => d >= 2), eps);
  const rm = opts.runningMean;
  const rv = opts.runningVar;
  if (rm && rv) {
    checkPerChannel('instanceNorm', rm, C, 'runningMean');
    checkPerChannel('instanceNorm', rv, C, 'runningVar');
    // PyTorch updates the running statistics once per instance and averages the updates over the batch
    noGrad(() => {
      const stats = instanceStats(x);
      const m = checkNumber('instanceNorm', opts.momentum ?? 0.1, 'momentum');
      const blend = (run: Tensor, cur: Tensor) =>
        copy_(run, P.binary('add', P.binary('mul', run, P.scalarOf(1 - m, run.dtype, run)), P.binary('mul', P.cast(cur, run.dtype), P.scalarOf(m, run.dtype, run))));
      blend(rm, stats.mean);
      blend(rv, stats.var);
    });
  }
  return affine(y, opts.weight, opts.bias, x.shape.map((s, d) => (d === 1 ? s : 1)));
}

/** Per-channel means over the batch of per-instance mean and unbiased variance. */
function instanceStats(x: Tensor): { mean: Tensor; var: Tensor } {
  const [N, C] = x.shape;
  const n = x.numel() / Math.max(N * C, 1);
  const flat = P.reshape(P.detach(x), [N, C, n]);
  const count = P.scalarOf(n, x.dtype, x);
  const mean = P.binary('div', P.reduce('sum', flat, [2], true), count);
  const v = P.binary('div', P.reduce('sum', P.unary('square', P.binary('sub', flat, mean)), [2], false), P.scalarOf(n - 1, x.dtype, x));
  const batch = P.scalarOf(N, x.dtype, x);
  return { mean: P.binary('div', P.reduce('sum', P.reshape(mean, [N, C]), [0], false), batch), var: P.binary('div', P.reduce('sum', v, [0], false), batch) };
}

/**
 * Local response normalization across channels (AlexNet): x / (k + alpha / size * sum of x^2 over `size`
 * neighbouring channels)^beta, as PyTorch's (defaults alpha 1e-4, beta 0.75, k 1).
 */
export function localResponseNorm(x: Tensor, size: number, opts: { alpha?: number; beta?: number; k?: number } = {}): Tensor {
  checkFloatInput('localResponseNorm', x, 3, '(N, C, ...)');
  if (!Number.isInteger(size) || size < 1) throw new ValueError(`localResponseNorm: size must be a positive integer, got ${size}`);
  const alpha = checkNumber('localResponseNorm', opts.alpha ?? 1e-4, 'alpha');
  const beta = checkNumber('localResponseNorm', opts.beta ?? 0.75, 'beta');
  const k = checkNumber('localResponseNorm', opts.k ?? 1, 'k');
  const [N, C] = x.shape;
  const rest = x.numel() / Math.max(N * C, 1);
  const sq = P.reshape(P.unary('square', x), [N, 1, C, rest]);
  const before = Math.floor(size / 2);
  const after = Math.floor((size - 1) / 2);
  const padded = P.embed(sq, [N, 1, C + before + after, rest], [{ start: 0, step: 1, size: N }, { start: 0, step: 1, size: 1 }, { start: before, step: 1, size: C }, { start: 0, step: 1, size: rest }], 0);
  const avg = P.reshape(avgPool2d(padded, [size, 1], { stride: 1 }), x.shape);
  const div = P.unary('powScalar', P.binary('add', P.binary('mul', avg, P.scalarOf(alpha, x.dtype, x)), P.scalarOf(k, x.dtype, x)), { p: beta });
  return P.binary('div', x, div);
}
