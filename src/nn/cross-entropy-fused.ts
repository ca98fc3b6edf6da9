/**
 * Cross-entropy of logits [N, C] at class indices, fused: the log-sum-exp of each row, the picked logit, the
 * reduction and, backward, `softmax - one-hot` scaled by the incoming gradient (the softmax from the forward
 * pass's exponentials, kept), each one pass over the logits in float64, instead of the ten-odd kernels (and their
 * temporaries) the composite logSoftmax + NLL records. The common classification case (class weights allowed, no
 * label smoothing); `crossEntropy` keeps the composite for the rest, and for gradients of gradients the vjp is
 * built from differentiable ops.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { record } from '../autograd/node.js';
import { softmax } from '../ops/activation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { LossReduction } from './loss-common.js';

/**
 * Cross-entropy of logits `x` [N, C] (float) at class indices `targets` (N int32 values, already checked to be
 * in [0, C) or `ignoreIndex`), with class weights `weights` (C values, or null for ones): per row
 * `w[t[n]] (logsumexp(x[n]) - x[n, t[n]])`, 0 for ignored rows; 'mean' divides the sum by the summed weights of
 * the rows not ignored (NaN when all are, with a zero gradient, as PyTorch). Returns [] for 'mean' and 'sum', [N]
 * for 'none'.
 */
export function crossEntropyRows(x: Tensor, targets: ArrayLike<number>, weights: ArrayLike<number> | null, ignoreIndex: number, reduction: LossReduction): Tensor {
  const [N, C] = x.shape;
  const xs = x.toTypedArray();
  // exp(x - max) of each kept row and its sum, kept where a backward pass may come: its softmax is then e / sum,
  // no exponentials again
  const e = isGradEnabled() && x.requiresGrad ? new Float64Array(N * C) : null;
  const sums = new Float64Array(N);
  const lse = new Float64Array(N);
  const rows = new Float64Array(N);
  let kept = 0; // the summed weights of the rows not ignored
  let total = 0;
  for (let n = 0; n < N; n++) {
    const t = targets[n];
    if (t === ignoreIndex) continue;
    const o = n * C;
    let m = -Infinity;
    for (let c = 0; c < C; c++) m = xs[o + c] > m || xs[o + c] !== xs[o + c] ? xs[o + c] : m;
    let sum = 0;
    for (let c = 0; c < C; c++) {
      const v = Math.exp(xs[o + c] - m);
      if (e) e[o + c] = v;
      sum += v;
    }
    sums[n] = sum;
    lse[n] = m + Math.log(sum);
    const wt = weights ? weights[t] : 1;
    rows[n] = wt * (lse[n] - xs[o + t]);
    total += rows[n];
    kept += wt;
  }
  const value = reduction === 'none' ? rows : [reduction === 'sum' ? total : total / kept];
  const y = P.fromHost(value, reduction === 'none' ? [N] : [], x.dtype, x.device);
  // each row's weight in the loss (0 where ignored)
  const rowWeight = (n: number) => (targets[n] === ignoreIndex ? 0 : weights ? weights[targets[n]] : 1);
  return record(y, 'CrossEntropyBackward', [x], (g) => {
    // per-row factor of `softmax - one-hot`: the incoming gradient, over the kept rows for 'mean'
    if (isGradEnabled()) return [compositeGrad(x, targets, rowWeight, g, reduction, kept)];
    const gs = g.toTypedArray();
    const out = x.dtype === 'float64' ? new Float64Array(N * C) : new Float32Array(N * C);
    for (let n = 0; n < N; n++) {
      const wt = rowWeight(n);
      if (targets[n] === ignoreIndex || wt === 0) continue;
      const f = wt * (reduction === 'none' ? gs[n] : reduction === 'sum' ? gs[0] : gs[0] / kept);
      const o = n * C;
      const t = o + targets[n];
      const fs = f / sums[n];
      // softmax * f, less f at the target, rounded once into the dtype
      for (let c = 0; c < C; c++) out[o + c] = o + c === t ? e![o + c] * fs - f : e![o + c] * fs;
    }
    return [P.fromHost(out, [N, C], x.dtype, x.device)];
  }, [x]);
}

/** The same gradient from differentiable ops (softmax, products), for backward under createGraph. */
function compositeGrad(x: Tensor, targets: ArrayLike<number>, rowWeight: (n: number) => number, g: Tensor, reduction: LossReduction, kept: number): Tensor {
  const [N, C] = x.shape;
  const onehot = new Float64Array(N * C);
  const rowMask = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    rowMask[n] = rowWeight(n);
    if (rowMask[n] !== 0) onehot[n * C + targets[n]] = 1;
  }
  const diff = P.binary('sub', softmax(x, 1), P.fromHost(onehot, [N, C], x.dtype, x.device));
  const masked = P.binary('mul', diff, P.fromHost(rowMask, [N, 1], x.dtype, x.device));
  const scale = reduction === 'none' ? P.reshape(g, [N, 1]) : reduction === 'sum' ? g : P.binary('div', g, P.scalarOf(kept, x.dtype, x));
  return P.binary('mul', masked, scale);
}
