/**
 * Tensor methods: each op function `f(x, ...args)` is also `x.f(...args)`, as in PyTorch. Attached here (at
 * the ops level) so the Tensor class itself depends on nothing above it.
 * @module
 */
import { backward, type BackwardOptions } from '../autograd/engine.js';
import * as P from '../autograd/primitives.js';
import { Tensor } from '../tensor/tensor.js';
import * as A from './activation.js';
import * as AX from './activation-extra.js';
import * as AR from './arith.js';
import * as SP from './special.js';
import * as TR from './trig.js';
import * as C from './compare.js';
import * as E from './elementwise.js';
import * as I from './indexing.js';
import * as M from './matmul.js';
import * as V from './movement.js';
import * as IP from './inplace.js';
import { pad } from './pad.js';
import * as R from './reduce.js';
import * as Q from './quantile.js';
import * as SC from './scan.js';
import * as SO from './sort.js';
import * as ST from './stats.js';
import type { Scalarish } from './util.js';
import * as SH from './shape.js';
import * as DG from './diag.js';
import * as SCT from './scatter.js';
import * as TK from './take.js';
import * as PR from './products.js';

/**
 * The class the methods are attached to. Declared so that this module's declaration file keeps its import of
 * Tensor: the table's inferred types name it, and without the import a user's compiler (skipLibCheck off, the
 * default) fails with "Cannot find name 'Tensor'".
 */
export type MethodTarget = Tensor;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Method<F> = F extends (x: any, ...args: infer Args) => infer Ret ? (...args: Args) => Ret : never;

const table = {
  add: E.add, sub: E.sub, mul: E.mul, div: E.div, pow: E.pow, neg: E.neg, maximum: E.maximum, minimum: E.minimum,
  atan2: E.atan2, clamp: E.clamp, abs: E.abs, sign: E.sign, square: E.square, exp: E.exp, expm1: E.expm1, log: E.log,
  log1p: E.log1p, sqrt: E.sqrt, rsqrt: E.rsqrt, reciprocal: E.reciprocal, sin: E.sin, cos: E.cos, erf: E.erf,
  floor: E.floor, ceil: E.ceil, round: E.round, trunc: E.trunc,
  // math (trig, special, arith) and the activations torch.Tensor has as methods
  tan: TR.tan, asin: TR.asin, acos: TR.acos, atan: TR.atan, sinh: TR.sinh, cosh: TR.cosh, asinh: TR.asinh,
  acosh: TR.acosh, atanh: TR.atanh, arcsin: TR.asin, arccos: TR.acos, arctan: TR.atan, arcsinh: TR.asinh,
  arccosh: TR.acosh, arctanh: TR.atanh, log2: TR.log2, log10: TR.log10, exp2: TR.exp2,
  erfc: SP.erfc, erfinv: SP.erfinv, lgamma: SP.lgamma, digamma: SP.digamma, logit: SP.logit, xlogy: SP.xlogy,
  polygamma: (x: Tensor, n: number): Tensor => SP.polygamma(n, x),
  fmod: AR.fmod, remainder: AR.remainder, floorDivide: AR.floorDivide, hypot: AR.hypot, copysign: AR.copysign,
  lerp: AR.lerp, addcmul: AR.addcmul, addcdiv: AR.addcdiv, frac: AR.frac, sgn: AR.sgn, isfinite: AR.isfinite,
  nanToNum: AR.nanToNum, clip: AR.clip, hardshrink: AX.hardshrink, prelu: AX.prelu,
  sigmoid: A.sigmoid, tanh: A.tanh, relu: A.relu, leakyRelu: A.leakyRelu, elu: A.elu, softplus: A.softplus,
  gelu: A.gelu, softmax: A.softmax, logSoftmax: A.logSoftmax,
  eq: C.eq, ne: C.ne, lt: C.lt, le: C.le, gt: C.gt, ge: C.ge, logicalAnd: C.logicalAnd, logicalOr: C.logicalOr,
  logicalXor: C.logicalXor, logicalNot: C.logicalNot, isnan: C.isnan, isinf: C.isinf, equal: C.equal, allclose: C.allclose,
  sum: R.sum, mean: R.mean, amax: R.amax, amin: R.amin, argmax: R.argmax, argmin: R.argmin, var: R.variance,
  std: R.std, logsumexp: R.logsumexp, norm: R.norm, prod: R.prod, cumsum: R.cumsum, cumprod: R.cumprod,
  sort: SO.sort, argsort: SO.argsort, msort: SO.msort, topk: SO.topk, kthvalue: SO.kthvalue, mode: SO.mode,
  cummax: SC.cummax, cummin: SC.cummin, logcumsumexp: SC.logcumsumexp, quantile: Q.quantile, nanquantile: Q.nanquantile,
  nansum: ST.nansum, nanmean: ST.nanmean, all: ST.all, any: ST.any, countNonzero: ST.countNonzero, aminmax: ST.aminmax,
  matmul: M.matmul, mm: M.mm, bmm: M.bmm, mv: M.mv, dot: M.dot, outer: M.outer,
  reshape: V.reshape, view: V.view, flatten: V.flatten, squeeze: V.squeeze, unsqueeze: V.unsqueeze,
  permute: V.permute, transpose: V.transpose, t: V.t, expand: V.expand, expandAs: V.expandAs, repeat: V.repeat,
  narrow: V.narrow, split: V.split, chunk: V.chunk, flip: V.flip, contiguous: V.contiguous, clone: V.clone,
  detach: V.detach, to: V.to,
  slice: I.slice, select: I.select, indexSelect: I.indexSelect, gather: I.gather, scatterAdd: I.scatterAdd,
  maskedFill: I.maskedFill, pad,
  copy_: IP.copy_, fill_: IP.fill_, zero_: IP.zero_, add_: IP.add_, sub_: IP.sub_, mul_: IP.mul_, div_: IP.div_,
  roll: SH.roll, tile: SH.tile, unbind: SH.unbind, movedim: SH.movedim, moveaxis: SH.moveaxis, swapaxes: SH.swapaxes,
  swapdims: SH.swapdims, unflatten: SH.unflatten, broadcastTo: SH.broadcastTo, rot90: SH.rot90,
  tril: DG.tril, triu: DG.triu, diag: DG.diag, diagonal: DG.diagonal, diagEmbed: DG.diagEmbed,
  indexAdd: SCT.indexAdd, indexCopy: SCT.indexCopy, indexFill: SCT.indexFill, scatter: SCT.scatter, scatterReduce: SCT.scatterReduce,
  maskedSelect: TK.maskedSelect, take: TK.take, takeAlongDim: TK.takeAlongDim, nonzero: TK.nonzero,
  repeatInterleave: TK.repeatInterleave,
  kron: PR.kron, cross: PR.cross, addmm: PR.addmm, addmv: PR.addmv, baddbmm: PR.baddbmm, addbmm: PR.addbmm,
};

type Table = typeof table;

declare module '../tensor/tensor.js' {
  // Merged into the Tensor class: every op in the table as a method taking the remaining arguments.
  interface Tensor extends Omit<{ [K in keyof Table]: Method<Table[K]> }, 'max' | 'min'> {
    /** Median of all elements, or `{values, indices}` along `dim`. */
    median(): Tensor;
    median(dim: number, keepdim?: R.KeepDim): R.ValuesIndices;
    /** Median of the non-NaN elements, or `{values, indices}` along `dim`. */
    nanmedian(): Tensor;
    nanmedian(dim: number, keepdim?: R.KeepDim): R.ValuesIndices;
    /** Maximum of all elements, or `{values, indices}` along `dim`. */
    max(): Tensor;
    max(dim: number, keepdim?: R.KeepDim): R.ValuesIndices;
    /** Minimum of all elements, or `{values, indices}` along `dim`. */
    min(): Tensor;
    min(dim: number, keepdim?: R.KeepDim): R.ValuesIndices;
    /** `where(cond, this, other)`: this where cond is true, other elsewhere. */
    where(cond: Tensor, other: Scalarish): Tensor;
    /** Gradients of this tensor with respect to the graph's leaves, added into their `.grad`. */
    backward(gradient?: Tensor | null, opts?: BackwardOptions): void;
    backward(opts: BackwardOptions): void;
    /** True when the elements are row-major with no gaps, so `view` works without copying. */
    isContiguous(): boolean;
    /** A float32 copy (or this tensor when already float32). */
    float(): Tensor;
    /** A float64 copy (or this tensor when already float64). */
    double(): Tensor;
    /** An int32 copy, truncating toward zero. */
    int(): Tensor;
    /** A bool copy: true where nonzero. */
    bool(): Tensor;
    /** Swaps the last two dims. */
    readonly mT: Tensor;
  }
}

for (const [name, fn] of Object.entries(table)) {
  Object.defineProperty(Tensor.prototype, name, {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    value: function (this: Tensor, ...args: any[]) {
      return (fn as (...a: unknown[]) => unknown)(this, ...args);
    },
    writable: true,
    configurable: true,
  });
}

Object.assign(Tensor.prototype, {
  max(this: Tensor, dim?: number, keepdim?: R.KeepDim) {
    return dim === undefined ? R.max(this) : R.max(this, dim, keepdim);
  },
  min(this: Tensor, dim?: number, keepdim?: R.KeepDim) {
    return dim === undefined ? R.min(this) : R.min(this, dim, keepdim);
  },
  median(this: Tensor, dim?: number, keepdim?: R.KeepDim) {
    return dim === undefined ? SO.median(this) : SO.median(this, dim, keepdim);
  },
  nanmedian(this: Tensor, dim?: number, keepdim?: R.KeepDim) {
    return dim === undefined ? SO.nanmedian(this) : SO.nanmedian(this, dim, keepdim);
  },
  where(this: Tensor, cond: Tensor, other: Scalarish) {
    return C.where(cond, this, other);
  },
  backward(this: Tensor, gradient?: Tensor | BackwardOptions | null, opts?: BackwardOptions) {
    backward(this, gradient, opts);
  },
  isContiguous(this: Tensor) {
    return P.isContiguous(this);
  },
  float(this: Tensor) {
    return V.to(this, 'float32');
  },
  double(this: Tensor) {
    return V.to(this, 'float64');
  },
  int(this: Tensor) {
    return V.to(this, 'int32');
  },
  bool(this: Tensor) {
    return V.to(this, 'bool');
  },
});

Object.defineProperty(Tensor.prototype, 'mT', {
  get(this: Tensor) {
    return V.mT(this);
  },
  configurable: true,
});
