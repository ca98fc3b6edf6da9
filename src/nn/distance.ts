/**
 * Distance layers, as torch.nn's CosineSimilarity and PairwiseDistance: their options, checked when built.
 * @module
 */
import { cosineSimilarity, pairwiseDistance, type CosineSimilarityOptions, type PairwiseDistanceOptions } from '../ops/distance.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { ValueError } from '../errors.js';

/** Cosine similarity of x1 and x2 along `dim` (default 1, eps 1e-8); see `cosineSimilarity`. */
export class CosineSimilarity extends Module {
  /** The dim holding the vectors. */
  readonly dim: number;
  /** Lower bound of each norm. */
  readonly eps: number;

  /** Creates the layer. */
  constructor(opts: CosineSimilarityOptions = {}) {
    super();
    this.dim = opts.dim ?? 1;
    this.eps = opts.eps ?? 1e-8;
    if (!Number.isInteger(this.dim)) throw new ValueError(`CosineSimilarity: dim must be an integer, got ${String(opts.dim)}`);
    if (typeof this.eps !== 'number' || !(this.eps >= 0)) throw new ValueError(`CosineSimilarity: eps must be a number >= 0, got ${String(opts.eps)}`);
  }

  /** `cosineSimilarity(x1, x2, {dim, eps})`. */
  forward(x1: Tensor, x2: Tensor): Tensor {
    return cosineSimilarity(x1, x2, { dim: this.dim, eps: this.eps });
  }

  /** `dim=…, eps=…`. */
  override extraRepr(): string {
    return `dim=${this.dim}, eps=${this.eps}`;
  }
}

/** p-norm distance over the last dim (default p 2, eps 1e-6, no keepdim); see `pairwiseDistance`. */
export class PairwiseDistance extends Module {
  /** The norm's exponent. */
  readonly p: number;
  /** Added to the difference. */
  readonly eps: number;
  /** Whether the reduced dim is kept. */
  readonly keepdim: boolean;

  /** Creates the layer. */
  constructor(opts: PairwiseDistanceOptions = {}) {
    super();
    this.p = opts.p ?? 2;
    this.eps = opts.eps ?? 1e-6;
    this.keepdim = opts.keepdim ?? false;
    if (typeof this.p !== 'number' || !(this.p >= 0 || this.p === -Infinity)) throw new ValueError(`PairwiseDistance: p must be a number >= 0, Infinity or -Infinity, got ${String(opts.p)}`);
    if (typeof this.eps !== 'number' || !(this.eps >= 0)) throw new ValueError(`PairwiseDistance: eps must be a number >= 0, got ${String(opts.eps)}`);
    if (typeof this.keepdim !== 'boolean') throw new ValueError(`PairwiseDistance: keepdim must be a boolean, got ${String(opts.keepdim)}`);
  }

  /** `pairwiseDistance(x1, x2, {p, eps, keepdim})`. */
  forward(x1: Tensor, x2: Tensor): Tensor {
    return pairwiseDistance(x1, x2, { p: this.p, eps: this.eps, keepdim: this.keepdim });
  }

  /** `p=…, eps=…, keepdim=…`. */
  override extraRepr(): string {
    return `p=${this.p}, eps=${this.eps}, keepdim=${this.keepdim}`;
  }
}
