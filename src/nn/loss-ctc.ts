/**
 * The CTC loss, as torch.nn.functional.ctc_loss and nn.CTCLoss: argument checks, padded or concatenated
 * targets, and the reductions around the fused per-sample negative log-likelihood of src/ops/ctc.ts.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { ctcNll, type CtcBatch } from '../ops/ctc.js';
import { checkFloat, checkTensor } from '../ops/util.js';
import { Tensor } from '../tensor/tensor.js';
import { reduceLoss, reductionOf, type LossReduction, type ReductionOptions } from './loss-common.js';
import { Module } from './module.js';

/** Options of `ctcLoss` / `nn.CTCLoss`. */
export interface CTCLossOptions extends ReductionOptions {
  /** The blank class (default 0). */
  blank?: number;
  /** Replace infinite losses (targets no alignment can produce) and their gradients by zero (default false). */
  zeroInfinity?: boolean;
}

/** Sequence lengths: an int32 tensor (0-d or 1-D), a number, or an array of numbers. */
export type CTCLengths = Tensor | number | readonly number[];

const OP = 'ctcLoss';

function lengthsOf(v: unknown, arg: string, n: number): number[] {
  let xs: number[];
  if (v instanceof Tensor) {
    if (v.dtype !== 'int32') throw new DTypeError(`${OP}: ${arg} must be an int32 tensor or an array of integers, got dtype ${v.dtype}`);
    if (v.ndim > 1) throw new ShapeError(`${OP}: ${arg} must be 0-D or 1-D, got shape ${fmtShape(v.shape)}`);
    xs = Array.from(v.toTypedArray());
  } else if (typeof v === 'number') {
    xs = [v];
  } else if (Array.isArray(v)) {
    xs = v as number[];
  } else {
    throw new ValueError(`${OP}: ${arg} must be an int32 tensor, a number or an array of numbers, got ${v === null ? 'null' : typeof v}`);
  }
  if (xs.length !== n) throw new ShapeError(`${OP}: ${arg} must hold one length per batch element (${n}), got ${xs.length}`);
  for (const x of xs) {
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) throw new ValueError(`${OP}: ${arg} must be non-negative integers, got ${String(x)}`);
  }
  return xs;
}

/** Checks the arguments and gathers the batch's labels; `lp` is [T, N, C]. */
function batchOf(lp: Tensor, targets: Tensor, inputLengths: unknown, targetLengths: unknown, unbatched: boolean, blank: number, zeroInfinity: boolean): CtcBatch {
  const [T, N, C] = lp.shape;
  if (targets.dtype !== 'int32') throw new DTypeError(`${OP}: targets must be an int32 tensor of class indices, got dtype ${targets.dtype}`);
  const ins = lengthsOf(inputLengths, 'inputLengths', N);
  const tls = lengthsOf(targetLengths, 'targetLengths', N);
  ins.forEach((l, b) => {
    if (l > T) throw new ValueError(`${OP}: inputLengths must be at most the input's length T = ${T}, got ${l} for batch element ${b}`);
  });
  const tg = targets.toTypedArray();
  const labels: number[] = [];
  const offsets: number[] = [];
  if (targets.ndim === 2 && !unbatched) {
    const [rows, S] = targets.shape;
    if (rows !== N) throw new ShapeError(`${OP}: padded targets must be [N, S] with N = ${N}, got shape ${fmtShape(targets.shape)}`);
    tls.forEach((l, b) => {
      if (l > S) throw new ValueError(`${OP}: targetLengths must be at most the padded targets' width S = ${S}, got ${l} for batch element ${b}`);
      offsets.push(labels.length);
      for (let i = 0; i < l; i++) labels.push(tg[b * S + i]);
    });
  } else if (targets.ndim === 1) {
    const total = tls.reduce((a, l) => a + l, 0);
    // unbatched targets may be padded (S >= length); batched 1-D targets are all the targets concatenated
    const fits = unbatched ? targets.shape[0] >= total : targets.shape[0] === total;
    if (!fits) {
      throw new ShapeError(`${OP}: ${unbatched ? 'unbatched targets must hold at least' : '1-D (concatenated) targets must hold exactly'} sum(targetLengths) = ${total} labels, got shape ${fmtShape(targets.shape)}`);
    }
    for (let b = 0, pos = 0; b < N; pos += tls[b], b++) {
      offsets.push(pos);
      for (let i = 0; i < tls[b]; i++) labels.push(tg[pos + i]);
    }
  } else {
    const want = unbatched ? '1-D [S] for a 2-D (unbatched) input' : '[N, S] (padded) or 1-D (concatenated)';
    throw new ShapeError(`${OP}: targets must be ${want}, got shape ${fmtShape(targets.shape)}`);
  }
  for (const c of labels) {
    if (c < 0 || c >= C || c === blank) throw new ValueError(`${OP}: targets must be class indices in [0, ${C}) other than the blank ${blank}, got ${c}`);
  }
  return { labels: Int32Array.from(labels), offsets, inputLengths: ins, targetLengths: tls, blank, zeroInfinity };
}

/**
 * Connectionist temporal classification loss of `logProbs` [T, N, C] (or unbatched [T, C]; log-probabilities, e.g.
 * from `logSoftmax(x, 2)`) against `targets`, padded [N, S] or concatenated 1-D [sum(targetLengths)] (unbatched: [S]),
 * with `inputLengths` and `targetLengths` per batch element. The likelihood of all alignments is summed in log space.
 * Reduction 'mean' (default) divides each loss by its target length (at least 1) and averages over the batch, as
 * PyTorch; 'none' gives [N] (unbatched: a 0-d tensor). An impossible alignment (a target longer than its input,
 * counting the blanks needed between repeated labels) gives an infinite loss, or 0 with `zeroInfinity`.
 * The gradient w.r.t. `logProbs` is the exact one; PyTorch's differs by exp(logProbs) and agrees once the
 * log-probabilities come from logSoftmax (see `ctcNll`).
 */
export function ctcLoss(logProbs: Tensor, targets: Tensor, inputLengths: CTCLengths, targetLengths: CTCLengths, opts: CTCLossOptions = {}): Tensor {
  checkFloat(OP, checkTensor(OP, logProbs, 'logProbs'), 'logProbs');
  checkTensor(OP, targets, 'targets');
  const reduction = reductionOf(OP, opts.reduction);
  const zeroInfinity = opts.zeroInfinity ?? false;
  if (typeof zeroInfinity !== 'boolean') throw new ValueError(`${OP}: zeroInfinity must be a boolean, got ${String(zeroInfinity)}`);
  if (logProbs.ndim !== 2 && logProbs.ndim !== 3) {
    throw new ShapeError(`${OP}: logProbs must be [T, N, C] or unbatched [T, C], got shape ${fmtShape(logProbs.shape)}`);
  }
  const unbatched = logProbs.ndim === 2;
  const lp = unbatched ? P.reshape(logProbs, [logProbs.shape[0], 1, logProbs.shape[1]]) : logProbs;
  const C = lp.shape[2];
  const blank = opts.blank ?? 0;
  if (typeof blank !== 'number' || !Number.isInteger(blank) || blank < 0 || blank >= C) {
    throw new ValueError(`${OP}: blank must be a class index in [0, ${C}), got ${String(blank)}`);
  }
  const batch = batchOf(lp, targets, inputLengths, targetLengths, unbatched, blank, zeroInfinity);
  let nll = ctcNll(lp, batch);
  if (reduction === 'mean') {
    const lens = P.fromHost(batch.targetLengths.map((l) => Math.max(l, 1)), [lp.shape[1]], lp.dtype, lp.device);
    nll = P.binary('div', nll, lens);
  }
  if (unbatched) nll = P.reshape(nll, []);
  return reduceLoss(nll, reduction);
}

/** CTC loss module: `forward(logProbs, targets, inputLengths, targetLengths)` calls `ctcLoss` with its options. */
export class CTCLoss extends Module {
  /** The blank class. */
  readonly blank: number;
  /** How per-sample losses are combined. */
  readonly reduction: LossReduction;
  /** Whether infinite losses become zero. */
  readonly zeroInfinity: boolean;

  /** Creates the loss (blank 0, reduction 'mean', zeroInfinity false by default). */
  constructor(opts: CTCLossOptions = {}) {
    super();
    this.reduction = reductionOf('CTCLoss', opts.reduction) as LossReduction;
    this.blank = opts.blank ?? 0;
    if (typeof this.blank !== 'number' || !Number.isInteger(this.blank) || this.blank < 0) {
      throw new ValueError(`CTCLoss: blank must be a non-negative integer, got ${String(opts.blank)}`);
    }
    this.zeroInfinity = opts.zeroInfinity ?? false;
  }

  /** The loss of `logProbs` [T, N, C] against the targets; see `ctcLoss`. */
  forward(logProbs: Tensor, targets: Tensor, inputLengths: CTCLengths, targetLengths: CTCLengths): Tensor {
    return ctcLoss(logProbs, targets, inputLengths, targetLengths, { blank: this.blank, reduction: this.reduction, zeroInfinity: this.zeroInfinity });
  }

  /** `blank=…, reduction=…, zeroInfinity=…`. */
  override extraRepr(): string {
    return `blank=${this.blank}, reduction=${this.reduction}, zeroInfinity=${this.zeroInfinity}`;
  }
}
