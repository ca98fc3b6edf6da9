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
