/**
 * Batch normalization with batch statistics as a fused primitive: one backend kernel forward
 * (`Kernels.batchNormTrain`) and one backward, instead of about a dozen elementwise kernels and reductions
 * each way, each with a full-size temporary. Under createGraph the gradient is built from differentiable
 * primitives instead, so double backward still works.
 * @module
 */
import { Tensor } from '../tensor/tensor.js';
import { isGradEnabled } from './grad-mode.js';
import { record } from './node.js';
import { backendOf, binary, reduce, reshape, scalarOf, unary } from './primitives.js';

/** What `batchNormTrain` returns: the output and the batch's per-channel mean and biased variance [C] (not differentiable). */
export interface BatchNormTrainResult {
  /** Normalized, scaled and shifted x. */
  y: Tensor;
  /** Per-channel mean [C]. */
  mean: Tensor;
  /** Per-channel biased variance [C]. */
  varBiased: Tensor;
}

/**
 * (x - mean) / sqrt(var + eps) * weight + bias for x [N, C, ...] with mean and biased variance taken over every
 * dim but 1; weight and bias [C] (or null) share x's floating dtype.
 */
export function batchNormTrain(x: Tensor, weight: Tensor | null, bias: Tensor | null, eps: number): BatchNormTrainResult {
  const C = x.shape[1];
  const [ys, ss] = backendOf(x).batchNormTrain(x, weight, bias, eps);
  const stats = new Tensor(ss, [2, C]);
  const mean = new Tensor(ss, [C], [1], 0);
  const varBiased = new Tensor(ss, [C], [1], C);
  const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  const y = record(new Tensor(ys, x.shape), 'NativeBatchNormBackward', inputs, (g) => {
    const [gx, gw, gb] = isGradEnabled() ? differentiableGrad(x, weight, g, eps) : kernelGrad(x, weight, g, stats, eps);
    return [x.requiresGrad ? gx : null, ...(weight ? [weight.requiresGrad ? gw : null] : []), ...(bias ? [bias.requiresGrad ? gb : null] : [])];
  }, weight ? [x, weight] : [x]);
  return { y, mean, varBiased };
}

function kernelGrad(x: Tensor, weight: Tensor | null, g: Tensor, stats: Tensor, eps: number): [Tensor, Tensor, Tensor] {
  const C = x.shape[1];
  const [dx, dwb] = backendOf(g).batchNormTrainBackward(x, g, stats, weight, eps);
  return [new Tensor(dx, x.shape), new Tensor(dwb, [C], [1], 0), new Tensor(dwb, [C], [1], C)];
}

/** The same gradient from differentiable primitives: dx = w * invstd * (g - mean(g) - xhat * mean(g * xhat)). */
function differentiableGrad(x: Tensor, weight: Tensor | null, g: Tensor, eps: number): [Tensor, Tensor, Tensor] {
  const C = x.shape[1];
  const axes = x.shape.map((_, d) => d).filter((d) => d !== 1);
  const perChannel = x.shape.map((s, d) => (d === 1 ? s : 1));
  const n = axes.reduce((k, d) => k * x.shape[d], 1);
  const count = scalarOf(n, x.dtype, x);
  const mean = binary('div', reduce('sum', x, axes, true), count);
  const centered = binary('sub', x, mean);
  const varBiased = binary('div', reduce('sum', unary('square', centered), axes, true), count);
  const invstd = unary('rsqrt', binary('add', varBiased, scalarOf(eps, x.dtype, x)));
  const xhat = binary('mul', centered, invstd);
  const gsum = reduce('sum', g, axes, true);
  const gxhat = reduce('sum', binary('mul', g, xhat), axes, true);
  const inner = binary('sub', binary('sub', g, binary('div', gsum, count)), binary('mul', xhat, binary('div', gxhat, count)));
  const scale = weight ? binary('mul', reshape(weight, perChannel), invstd) : invstd;
  return [binary('mul', inner, scale), reshape(gxhat, [C]), reshape(gsum, [C])];
}

/**
 * Layer normalization of x over its trailing dims holding `n` elements per row: (x - mean) / sqrt(var + eps) *
 * weight + bias, weight and bias (those dims' shape, or null) sharing x's floating dtype. One backend kernel each
 * way; under createGraph the gradient is built from differentiable primitives.
 */
export function layerNorm(x: Tensor, n: number, weight: Tensor | null, bias: Tensor | null, eps: number): Tensor {
  const [ys, ss] = backendOf(x).layerNormRows(x, n, weight, bias, eps);
  const rows = n === 0 ? 0 : x.numel() / n;
  const stats = new Tensor(ss, [2, rows]);
  const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  return record(new Tensor(ys, x.shape), 'NativeLayerNormBackward', inputs, (g) => {
    const wShape = (weight ?? bias)?.shape ?? [n];
    let gx: Tensor;
    let gw: Tensor;
    let gb: Tensor;
    if (isGradEnabled()) {
      [gx, gw, gb] = layerNormGrad(x, n, weight, g, eps);
    } else {
      const [dx, dwb] = backendOf(g).layerNormRowsBackward(x, g, stats, n, weight);
      gx = new Tensor(dx, x.shape);
      gw = new Tensor(dwb, [n], [1], 0);
      gb = new Tensor(dwb, [n], [1], n);
    }
    return [
      x.requiresGrad ? gx : null,
      ...(weight ? [weight.requiresGrad ? reshape(gw, wShape) : null] : []),
      ...(bias ? [bias.requiresGrad ? reshape(gb, wShape) : null] : []),
    ];
  }, weight ? [x, weight] : [x]);
}

/** Layer normalization's gradient from differentiable primitives: dx = rstd (gw - mean(gw) - xhat mean(gw xhat)), gw = g weight. */
function layerNormGrad(x: Tensor, n: number, weight: Tensor | null, g: Tensor, eps: number): [Tensor, Tensor, Tensor] {
  const rows = n === 0 ? 0 : x.numel() / n;
  const count = scalarOf(n, x.dtype, x);
  const x2 = reshape(x, [rows, n]);
  const g2 = reshape(g, [rows, n]);
  const centered = binary('sub', x2, binary('div', reduce('sum', x2, [1], true), count));
  const varBiased = binary('div', reduce('sum', unary('square', centered), [1], true), count);
  const rstd = unary('rsqrt', binary('add', varBiased, scalarOf(eps, x.dtype, x)));
  const xhat = binary('mul', centered, rstd);
  const gw = weight ? binary('mul', g2, reshape(weight, [1, n])) : g2;
  const a = binary('div', reduce('sum', gw, [1], true), count);
  const c = binary('div', reduce('sum', binary('mul', gw, xhat), [1], true), count);
  const dx = binary('mul', rstd, binary('sub', binary('sub', gw, a), binary('mul', xhat, c)));
  return [reshape(dx, x.shape), reduce('sum', binary('mul', g2, xhat), [0], false), reduce('sum', g2, [0], false)];
}
