/**
 * The connectionist temporal classification (CTC) negative log-likelihood, fused: the forward (alpha) recursion
 * and, in its vjp, the backward (beta) recursion of Graves et al. (2006), both in log space on the host in
 * float64. Composing the recursion from tensor ops would record T x (2S+1) tiny nodes per sample; one fused
 * node with its gradient beside it (DESIGN convention 13) keeps a T=100, N=32, C=20 loss in milliseconds.
 * The reductions and argument checks of `F.ctcLoss` live in src/nn/loss-ctc.ts.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { record } from '../autograd/node.js';
import type { Tensor } from '../tensor/tensor.js';

/** The checked, host-side description of a CTC batch that `ctcNll` works on. */
export interface CtcBatch {
  /** Every target label, the batch's targets one after another. */
  labels: Int32Array;
  /** Where sample b's labels start in `labels`. */
  offsets: number[];
  /** Frames used of sample b (at most T). */
  inputLengths: number[];
  /** Labels of sample b. */
  targetLengths: number[];
  /** The blank class. */
  blank: number;
  /** Replace an infinite loss (no alignment exists) and its gradient by zero. */
  zeroInfinity: boolean;
}

const NEG_INF = -Infinity;

/** log(exp(a) + exp(b)) without overflow; -inf stays -inf. */
function lse2(a: number, b: number): number {
  if (a === NEG_INF) return b;
  if (b === NEG_INF) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** log(exp(a) + exp(b) + exp(c)) without overflow. */
function lse3(a: number, b: number, c: number): number {
  const m = Math.max(a, b, c);
  if (m === NEG_INF) return NEG_INF;
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m) + Math.exp(c - m));
}

/** One sample's view of the batch: its extended label sequence (blanks between and around the labels). */
interface Sample {
  ext: Int32Array;
  len: number;
  /** Reads log p(class c at frame t) of this sample. */
  lp: (t: number, c: number) => number;
}

function sampleOf(lp: Float64Array, N: number, C: number, batch: CtcBatch, b: number): Sample {
  const L = batch.targetLengths[b];
  const ext = new Int32Array(2 * L + 1).fill(batch.blank);
  for (let i = 0; i < L; i++) ext[2 * i + 1] = batch.labels[batch.offsets[b] + i];
  return { ext, len: batch.inputLengths[b], lp: (t, c) => lp[(t * N + b) * C + c] };
}

/** Log forward variables alpha[t * S' + s], and the sample's negative log-likelihood. */
function forward(s: Sample): { alpha: Float64Array; nll: number } {
  const { ext, len, lp } = s;
  const S = ext.length;
  if (len === 0) return { alpha: new Float64Array(0), nll: S === 1 ? 0 : Infinity };
  const alpha = new Float64Array(len * S).fill(NEG_INF);
  alpha[0] = lp(0, ext[0]);
  if (S > 1) alpha[1] = lp(0, ext[1]);
  for (let t = 1; t < len; t++) {
    const prev = (t - 1) * S;
    const cur = t * S;
    for (let k = 0; k < S; k++) {
      const a1 = alpha[prev + k];
      const a2 = k >= 1 ? alpha[prev + k - 1] : NEG_INF;
      const a3 = k >= 2 && ext[k] !== ext[k - 2] ? alpha[prev + k - 2] : NEG_INF;
      const m = lse3(a1, a2, a3);
      alpha[cur + k] = m === NEG_INF ? NEG_INF : m + lp(t, ext[k]);
    }
  }
  const last = (len - 1) * S;
  const ll = S > 1 ? lse2(alpha[last + S - 1], alpha[last + S - 2]) : alpha[last];
  return { alpha, nll: -ll };
}

/** d nll / d logProbs[t, b, :] for t < len, added (times `g`) into `out` [T, N, C]. */
function backward(s: Sample, alpha: Float64Array, nll: number, g: number, out: Float64Array, N: number, C: number, b: number): void {
  const { ext, len, lp } = s;
  const S = ext.length;
  if (len === 0) return;
  let beta = new Float64Array(S).fill(NEG_INF);
  let next = new Float64Array(S);
  beta[S - 1] = lp(len - 1, ext[S - 1]);
  if (S > 1) beta[S - 2] = lp(len - 1, ext[S - 2]);
  const lcab = new Float64Array(C);
  for (let t = len - 1; t >= 0; t--) {
    if (t < len - 1) {
      for (let k = 0; k < S; k++) {
        const b1 = beta[k];
        const b2 = k + 1 < S ? beta[k + 1] : NEG_INF;
        const b3 = k + 2 < S && ext[k + 2] !== ext[k] ? beta[k + 2] : NEG_INF;
        const m = lse3(b1, b2, b3);
        next[k] = m === NEG_INF ? NEG_INF : m + lp(t, ext[k]);
      }
      [beta, next] = [next, beta];
    }
    lcab.fill(NEG_INF);
    for (let k = 0; k < S; k++) lcab[ext[k]] = lse2(lcab[ext[k]], alpha[t * S + k] + beta[k]);
    // alpha and beta both hold frame t's probability, so their product over y_t(c) is the occupancy; the exact
    // derivative of -log p w.r.t. log y_t(c) is minus that occupancy over p
    for (let c = 0; c < C; c++) out[(t * N + b) * C + c] += -Math.exp(lcab[c] + nll - lp(t, c)) * g;
  }
}

/**
 * Per-sample CTC negative log-likelihood [N] of `logProbs` [T, N, C] (log-probabilities over C classes per frame)
 * for the targets in `batch`; differentiable w.r.t. `logProbs`. Its gradient is the exact derivative of the loss
 * w.r.t. the log-probabilities; PyTorch instead returns that plus exp(logProbs) (the gradient a log_softmax in
 * front turns into the same logits gradient), so the two agree once the log-probabilities come from logSoftmax.
 */
export function ctcNll(logProbs: Tensor, batch: CtcBatch): Tensor {
  const [T, N, C] = logProbs.shape;
  const lp = Float64Array.from(logProbs.toTypedArray());
  const samples: Sample[] = [];
  const alphas: Float64Array[] = [];
  const nll = new Float64Array(N);
  const zeroed: boolean[] = [];
  for (let b = 0; b < N; b++) {
    const s = sampleOf(lp, N, C, batch, b);
    const f = forward(s);
    samples.push(s);
    alphas.push(f.alpha);
    zeroed.push(batch.zeroInfinity && f.nll === Infinity);
    nll[b] = zeroed[b] ? 0 : f.nll;
  }
  const out = P.fromHost(nll, [N], logProbs.dtype, logProbs.device);
  return record(out, 'CtcLossBackward', [logProbs], (grad) => {
    const g = grad.toTypedArray();
    const dx = new Float64Array(T * N * C);
    for (let b = 0; b < N; b++) if (!zeroed[b]) backward(samples[b], alphas[b], nll[b], g[b], dx, N, C, b);
    return [P.fromHost(dx, [T, N, C], logProbs.dtype, logProbs.device)];
  }, [logProbs]);
}
