/**
 * The Backend interface: the small set of primitives every backend implements (DESIGN.md convention 2).
 * Ops above this level reach kernels only through it. Kernels take strided views and return fresh,
 * contiguous storage; they trust their arguments, which the ops layer has already checked.
 * @module
 */

/** Element types a tensor can hold. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** The typed array that backs each dtype on the host. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** A block of memory owned by a backend. Opaque above the backend: read it only through `Backend.read`. */
export interface Storage {
  /** Name of the backend that owns this storage. */
  readonly backend: string;
  /** Element type of the storage. */
  readonly dtype: DType;
  /** Number of elements. */
  readonly length: number;
}

/** A strided window onto a storage: what every kernel reads. A `Tensor` satisfies this interface. */
export interface View {
  /** The storage the view reads. */
  readonly storage: Storage;
  /** Size of each dimension. */
  readonly shape: readonly number[];
  /** Elements to step in storage per unit step in each dimension (0 for broadcast, negative for flipped). */
  readonly strides: readonly number[];
  /** Storage index of the first element. */
  readonly offset: number;
}

/** Elementwise one-input operations. `param`/`param2` carry slopes and bounds where an op takes them. */
export type UnaryOp =
  | 'neg' | 'abs' | 'sign' | 'exp' | 'expm1' | 'log' | 'log1p' | 'sqrt' | 'rsqrt' | 'reciprocal' | 'square'
  | 'sin' | 'cos' | 'tanh' | 'sigmoid' | 'relu' | 'leakyRelu' | 'elu' | 'softplus' | 'gelu' | 'erf'
  | 'floor' | 'ceil' | 'round' | 'trunc' | 'clamp' | 'powScalar' | 'logicalNot' | 'isnan' | 'isinf'
  // trigonometric, hyperbolic, log/exp bases and special functions (src/ops/trig.ts, src/ops/special.ts);
  // polygamma takes its order n in `param`
  | 'tan' | 'asin' | 'acos' | 'atan' | 'sinh' | 'cosh' | 'asinh' | 'acosh' | 'atanh' | 'log2' | 'log10' | 'exp2'
  | 'erfc' | 'erfinv' | 'lgamma' | 'digamma' | 'polygamma';

/**
 * Elementwise two-input operations; inputs are already broadcast to the output shape. `maskPositive` is
 * `b > 0 ? a : 0` (PyTorch's threshold_backward: the ReLU gradient in one pass).
 */
export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'atan2' | 'maskPositive'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'logicalAnd' | 'logicalOr' | 'logicalXor'
  // src/ops/arith.ts: C's fmod (sign of a), Python's remainder (sign of b), floor division, sqrt(a^2 + b^2)
  // without overflow, |a| with the sign (bit) of b
  | 'fmod' | 'remainder' | 'floorDivide' | 'hypot' | 'copysign';

/** Reductions over a set of axes. `argmax`/`argmin` take one axis and give the first extreme's index. */
export type ReduceOp = 'sum' | 'prod' | 'max' | 'min' | 'argmax' | 'argmin';

/**
 * Inclusive scans along one axis. `logcumsumexp` is log(cumsum(exp(x))) without overflow; `argcummax` and
 * `argcummin` give (int32) where the running maximum/minimum is: the latest index on ties, and a NaN, once
 * met, stays (PyTorch's cummax/cummin).
 */
export type ScanOp = 'cumsum' | 'cumprod' | 'logcumsumexp' | 'argcummax' | 'argcummin';

/**
 * A sliding window over the last two dims of an [N, C, H, W] tensor: kernel size, stride, dilation, the
 * padding before the first row/column, and the number of window positions. Positions that fall outside the
 * input read as the pad value. Convolution and pooling are built on it (1-D ones with H = 1).
 */
export interface Window2d {
  /** Kernel height and width. */
  kh: number;
  /** Kernel width. */
  kw: number;
  /** Vertical stride. */
  sh: number;
  /** Horizontal stride. */
  sw: number;
  /** Vertical dilation. */
  dh: number;
  /** Horizontal dilation. */
  dw: number;
  /** Padding above the first row. */
  padTop: number;
  /** Padding left of the first column. */
  padLeft: number;
  /** Number of window positions vertically. */
  oh: number;
  /** Number of window positions horizontally. */
  ow: number;
}

/** The recurrences `Kernels.recurrentSequence` runs (issue 18, h-rnn). */
export type SequenceMode = 'lstm' | 'gru';

/** `Kernels.recurrentSequenceBackward`'s gradients: x, W_ih, bias, W_hh, h0, c0, b_hn (null where the input is absent). */
export type SequenceGrads = [Storage, Storage, Storage | null, Storage, Storage, Storage | null, Storage | null];

/** Hyper-parameters of one fused Adam update (`Kernels.adamUpdate`); see src/optim/adam.ts. */
export interface AdamUpdate {
  /** First-moment decay. */
  beta1: number;
  /** Second-moment decay. */
  beta2: number;
  /** lr / (1 - beta1^step). */
  stepSize: number;
  /** sqrt(1 - beta2^step). */
  bc2Sqrt: number;
  /** Added to the denominator. */
  eps: number;
  /** L2 penalty added to the gradient (Adam's weight decay; 0 for none). */
  weightDecay: number;
  /** Negate the gradient (ascend). */
  maximize: boolean;
}

/** RoI pooling's grid (torchvision.ops.roi_pool's arguments; `Kernels.roiPool`): output bins and the coordinate scale. */
export interface RoiPoolGeometry {
  /** Output bins per RoI, vertically. */
  pooledH: number;
  /** Output bins per RoI, horizontally. */
  pooledW: number;
  /** Factor from RoI coordinates to feature-map coordinates. */
  spatialScale: number;
}

/**
 * RoI Align's geometry (torchvision.ops.roi_align's arguments; `Kernels.roiAlign`): RoI pooling's grid, sampling
 * points per bin along each axis (<= 0: ceil(RoI size / bins), adaptive), and whether boxes shift by -0.5 pixel
 * (aligned; boxes under 1 pixel then allowed).
 */
export interface RoiAlignGeometry extends RoiPoolGeometry {
  /** Sampling points per bin along each axis; <= 0: adaptive. */
  samplingRatio: number;
  /** Shift boxes by -0.5 pixel and allow boxes under 1 pixel. */
  aligned: boolean;
}

/** Hyper-parameters of one fused SGD update (`Kernels.sgdUpdate`); see src/optim/sgd.ts. */
export interface SgdUpdate {
  /** Learning rate. */
  lr: number;
  /** Momentum (0 for none). */
  momentum: number;
  /** Dampening of the momentum. */
  dampening: number;
  /** L2 penalty added to the gradient. */
  weightDecay: number;
  /** Nesterov momentum. */
  nesterov: boolean;
  /** Negate the gradient (ascend). */
  maximize: boolean;
  /** True on the first step: the momentum buffer starts as the gradient. */
  first: boolean;
}

/**
 * The kernel table. Each backend provides every entry, so a missing kernel is a compile-time error.
 * All returned storages are contiguous (row-major) and freshly allocated.
 */
export interface Kernels {
  /** Storage of `length` elements all equal to `value`. */
  fill(length: number, dtype: DType, value: number): Storage;
  /** Storage holding a copy of `data`, converted to `dtype`. */
  fromData(data: ArrayLike<number>, dtype: DType): Storage;
  /** Contiguous host copy of the view's elements, in the typed array of the storage's dtype. */
  read(x: View): TypedArray;
  /** Contiguous copy of a view, converted to `dtype`. */
  copy(x: View, dtype: DType): Storage;
  /** Writes `src` (same shape as `dst`, may be broadcast) into the elements `dst` views, in place. */
  copyInto(dst: View, src: View): void;
  /** Adds `src` (same shape and floating dtype as `dst`, may be broadcast) to the elements `dst` views, in place. */
  addInto(dst: View, src: View): void;
  /** `out[i] = op(x[i])`. */
  unary(op: UnaryOp, x: View, dtype: DType, param: number, param2: number): Storage;
  /** `out[i] = op(a[i], b[i])`; `a` and `b` have the output's shape. */
  binary(op: BinaryOp, a: View, b: View, dtype: DType): Storage;
  /** `out[i] = cond[i] ? a[i] : b[i]`; all three have the output's shape. */
  where(cond: View, a: View, b: View, dtype: DType): Storage;
  /** Reduces `axes` (sorted, distinct) to size 1; the output has `x`'s rank with those axes of size 1. */
  reduce(op: ReduceOp, x: View, axes: readonly number[], dtype: DType): Storage;
  /** Inclusive scan along `axis`; same shape as `x`. */
  scan(op: ScanOp, x: View, axis: number, dtype: DType): Storage;
  /**
   * Int32 indices that sort `x` along `axis`, ascending or descending; stable (equal elements keep their
   * order) and NaN sorts as the largest value, as PyTorch's sort.
   */
  argsort(x: View, axis: number, descending: boolean): Storage;
  /** Batched matrix product of `a` [...B, M, K] and `b` [...B, K, N] (same batch shape) into [...B, M, N]. */
  matmul(a: View, b: View, dtype: DType): Storage;
  /** `out[.., i, ..] = x[.., index[.., i, ..], ..]` along `dim`; output has `index`'s shape. */
  gather(x: View, dim: number, index: View): Storage;
  /** Copy of `base` with `src` added at `index` positions along `dim` (iterating over `index`'s shape). */
  scatterAdd(base: View, dim: number, index: View, src: View): Storage;
  /** Picks the slices `index` (1-D) of `x` along `dim`. */
  indexSelect(x: View, dim: number, index: View): Storage;
  /** Copy of `base` with slice `j` of `src` added to slice `index[j]` along `dim`. */
  indexAdd(base: View, dim: number, index: View, src: View): Storage;
  /**
   * Unfolds windows of `x` [N, C, H, W] into columns [N, C * kh * kw, oh * ow] (row (c, i, j) holds kernel
   * tap (i, j) of channel c at every window position); outside the input reads `padValue`.
   */
  im2col(x: View, win: Window2d, padValue: number): Storage;
  /** The adjoint of im2col: sums columns [N, C * kh * kw, oh * ow] back into an [N, C, H, W] tensor `shape`. */
  col2im(cols: View, shape: readonly number[], win: Window2d): Storage;
  /**
   * Convolution (one group) of `x` [N, C, H, W] with `weight` [O, C, kh, kw] over `win`, plus `bias` [O] when
   * given: [N, O, oh, ow]. The im2col + GEMM + bias of the op layer as one kernel, so backends can keep the
   * unfolded columns to themselves.
   */
  conv2d(x: View, weight: View, bias: View | null, win: Window2d): Storage;
  /** Gradient of `conv2d` with respect to its input: from `dy` [N, O, oh, ow] and `weight`, a tensor of `xShape`. */
  conv2dBackwardInput(dy: View, weight: View, xShape: readonly number[], win: Window2d): Storage;
  /** Gradient of `conv2d` with respect to its weight: from `x` and `dy`, a tensor of `wShape` [O, C, kh, kw]. */
  conv2dBackwardWeight(x: View, dy: View, wShape: readonly number[], win: Window2d): Storage;
  /**
   * Max pooling of `x` [N, C, H, W] over `win`: each window's maximum [N, C, oh, ow] and, as int32, its flat
   * index into H * W. Taps outside the input are skipped; the first maximum wins ties and a NaN always takes
   * over (PyTorch's choice).
   */
  maxPool2d(x: View, win: Window2d): [Storage, Storage];
  /**
   * The gradient of `maxPool2d`: a zero tensor of `xShape` [N, C, H, W] with each element of `dy` [N, C, oh, ow]
   * added at its window's flat `indices` [N, C, oh, ow] (int32, into H * W), in `dy`'s dtype, windows in order
   * (the sums scatterAdd would make).
   */
  maxPool2dBackward(dy: View, indices: View, xShape: readonly number[]): Storage;
  /**
   * The LSTM cell from gate pre-activations `gates` [N, 4H] (i, f, g, o) and the cell state `c` [N, H] (null:
   * zeros): [h' | c'] as [N, 2H], and the activations [i, f, g, o, tanh c'] as [N, 5H] for the backward pass.
   */
  lstmCell(gates: View, c: View | null): [Storage, Storage];
  /**
   * The gradient of `lstmCell` from its saved activations `act` [N, 5H], the input cell state `c` (null: zeros)
   * and the output gradient `grad` [N, 2H], returns gradients of the gates [N, 4H] and of `c` [N, H] (null when c is).
   */
  lstmCellBackward(act: View, c: View | null, grad: View): [Storage, Storage | null];
  // issue 18 (h-rnn): whole-sequence recurrent layers
  /**
   * A whole LSTM or GRU layer over T steps, from the inputs `x` [T, N, I] and W_ih `wih` [G*H, I] (G = 4 for LSTM,
   * 3 for GRU; their product xg = x W_ih^T [T, N, G*H] is the first step), W_hh `whh` [G*H, H] and the
   * initial states `h0`, `c0` [N, H] (null: zeros; c0 for LSTM only), running t = T-1 .. 0 when `reverse`. Returns
   * y (LSTM: [2, T, N, H], every h_t then every c_t; GRU: [T, N, H]) and what the backward pass reads (LSTM: the
   * activations i, f, g, o, tanh c [T, N, 5H]; GRU: r, z, n, W_hn h + b_hn [T, N, 4H]). With `batchFirst`, x is
   * [N, T, I] and y [2, N, T, H] or [N, T, H] (the saved values stay time-major). `bias` [G*H] (null: none; b_ih
   * and b_hh, except GRU's b_hn, given as `bhn` [H] or null) is added to every row of xg.
   */
  recurrentSequence(mode: SequenceMode, x: View, wih: View, bias: View | null, whh: View, h0: View | null, c0: View | null, bhn: View | null,
    reverse: boolean, batchFirst: boolean): [Storage, Storage];
  /**
   * The gradient of `recurrentSequence` from its `saved` values, its output `y`, its inputs and `dy` (y's shape):
   * [dx, dwih, dbias [G*H] (with `hasBias`; else null), dwhh, dh0 [N, H], dc0 (LSTM; else null), db_hn (GRU with `hasBhn`; else null)].
   */
  recurrentSequenceBackward(mode: SequenceMode, saved: View, y: View, x: View, wih: View, whh: View, h0: View | null, c0: View | null, hasBias: boolean,
    hasBhn: boolean, dy: View, reverse: boolean, batchFirst: boolean): SequenceGrads;
  /**
   * RoI Align of `x` [N, C, H, W] (float32 or float64) over K RoIs, `rois` K rows of (batch index, x1, y1, x2, y2)
   * already checked (integer batch indices in range, finite coordinates): [K, C, pooledH, pooledW], torchvision
   * 0.14's CPU kernel in the input's precision (float32 rounding of every step in float32).
   */
  roiAlign(x: View, rois: Float64Array, g: RoiAlignGeometry): Storage;
  /** The gradient of `roiAlign` w.r.t. its input, from `grad` [K, C, pooledH, pooledW]: a tensor of `xShape`. */
  roiAlignBackward(grad: View, rois: Float64Array, g: RoiAlignGeometry, xShape: readonly number[]): Storage;
  /**
   * RoI max pooling of `x` [N, C, H, W] over K checked RoI rows (as `roiAlign`): the maximum of each bin's rounded
   * window [K, C, pooledH, pooledW] (0 for an empty window) and, as int32, the flat index into `x` of the window's
   * first maximum (-1 for none), torchvision 0.14's CPU kernel in the input's precision.
   */
  roiPool(x: View, rois: Float64Array, g: RoiPoolGeometry): [Storage, Storage];
  /**
   * Adam's update in place, in one pass: m, v (and vmax for AMSGrad) move toward the gradient and `param` steps.
   * All views are row-major, of one floating dtype and one shape (optimizers fall back to ops otherwise).
   */
  adamUpdate(param: View, grad: View, m: View, v: View, vmax: View | null, h: AdamUpdate): void;
  /** SGD's update in place, in one pass, with the momentum buffer `buf` (null without momentum); same layout rules. */
  sgdUpdate(param: View, grad: View, buf: View | null, h: SgdUpdate): void;
  // issue 18 (conv helper): batch normalization with batch statistics, one pass each way
  /**
   * Batch normalization of `x` [N, C, ...] (float) with its own statistics over every dim but 1: y = (x - mean)
   * / sqrt(var + eps) * weight + bias (`weight`, `bias` [C] or null), and the stats [2, C] = [mean; biased var].
   */
  batchNormTrain(x: View, weight: View | null, bias: View | null, eps: number): [Storage, Storage];
  /**
   * The gradient of `batchNormTrain` from `x`, the output gradient `dy` (x's shape), the `stats` it returned and
   * `weight` (null: ones): dx (x's shape) and [2, C] = [dweight; dbias].
   */
  batchNormTrainBackward(x: View, dy: View, stats: View, weight: View | null, eps: number): [Storage, Storage];
  /** The leaky ReLU's input gradient in one pass: `grad` where `x` > 0, `slope * grad` elsewhere (NaN x too); one shape, float. */
  leakyReluBackward(x: View, grad: View, slope: number): Storage;
  // issue 18 (transformer): a keep mask in one pass (channel dropout's; elementwise dropout hashes, see dropoutScale)
  /**
   * A dropout keep mask: `n` uniforms drawn from the xoshiro128** `state` (four words, advanced in place by two per
   * element, as the tensor layer's Generator draws them), each `scale` where it is >= `threshold` and 0 elsewhere,
   * in `dtype` (float32 or float64; the uniforms, threshold and scale in that dtype). [n].
   */
  bernoulliMask(state: Int32Array, n: number, threshold: number, scale: number, dtype: DType): Storage;
  // issue 18 (transformer): softmax over the last dim, one pass each way
  /**
   * Softmax of a float `x` [..., n] over its last dim: exp(x - m) / sum(exp(x - m)) per row, m the row maximum (0
   * where that is infinite or NaN, so such rows give NaN as the composite op does); x's shape.
   */
  softmaxLastDim(x: View): Storage;
  /** Its input gradient from the softmax output `y` and the output gradient `grad` (y's shape): y (grad - sum(grad y)) per row. */
  softmaxLastDimBackward(y: View, grad: View): Storage;
  /**
   * Layer normalization of a float `x` over the last `n` elements of each row (x holds rows of n): y = (x - mean) /
   * sqrt(var + eps) * weight + bias per row (`weight`, `bias` n elements or null), and float64 stats [2, rows] =
   * [mean; 1 / sqrt(var + eps)].
   */
  layerNormRows(x: View, n: number, weight: View | null, bias: View | null, eps: number): [Storage, Storage];
  /** Its gradient from `x`, the output gradient `dy` (x's shape), the `stats` it returned and `weight` (null: ones): dx and [2, n] = [dweight; dbias]. */
  layerNormRowsBackward(x: View, dy: View, stats: View, n: number, weight: View | null): [Storage, Storage];
  /**
   * Binary cross-entropy of probabilities `x` against targets `y` (same shape and floating dtype), elementwise:
   * `(y - 1) * max(log(1 - x), -100) - y * max(log(x), -100)`, each operation rounded to the dtype in that order;
   * with the least and greatest x (NaN where x holds a NaN), for the caller's check that x holds probabilities.
   */
  binaryCrossEntropy(x: View, y: View): [Storage, number, number];
  /** Its gradient with respect to x for the incoming gradient `g` (x's shape, possibly broadcast): `g (x - y) / max(x (1 - x), eps)`. */
  binaryCrossEntropyBackward(g: View, x: View, y: View, eps: number): Storage;
  // issue 18 (transformer): scaled dot-product attention, one kernel each way
  /**
   * Attention of N x H (batch, head) pairs, pair b = n * H + h: q [N, H, L, D], k [N, H, S, D], v [N, H, S, Dv]
   * (one floating dtype, any strides: the heads of a projection [N, L, H * D] are read where they lie), with an
   * additive `mask` [1 or N * H, L, S] (null: none): dropout(softmax(q * scale x k^T + mask)) x v, [N, H, L, Dv],
   * written into a new storage of N * H * L * Dv elements with the strides `outStrides` (any dense layout, e.g.
   * [N, L, H, Dv] order). The [L, S] weights stay inside the kernel; dropout's draws are those of (b, i * S + j)
   * (backend/cpu/drop-hash.ts).
   */
  attention(q: View, k: View, v: View, mask: View | null, spec: AttentionSpec, outStrides: readonly number[]): Storage;
  /**
   * Its gradients [dq, dk, dv] from the output gradient `grad` [N, H, L, Dv] (any strides), each in a new storage
   * of its input's size laid out with the strides `strides.dq`, `.dk`, `.dv`; the weights are recomputed.
   */
  attentionBackward(q: View, k: View, v: View, mask: View | null, grad: View, spec: AttentionSpec, strides: AttentionGradStrides): [Storage, Storage, Storage];
  /**
   * A float `x` times dropout's factor per element (its row-major index n, batch 0 of `dropDraw`): dropout's output,
   * and, applied to the output gradient, its input gradient. x's shape.
   */
  dropoutScale(x: View, spec: DropoutSpec): Storage;
}

/**
 * Dropout by hashing (backend/cpu/drop-hash.ts): a 64-bit seed and a threshold on each element's 32-bit draw (kept
 * when the draw is >= `threshold`, then multiplied by `keepScale`; threshold 0: none).
 */
export interface DropoutSpec {
  /** Unsigned 32-bit threshold of the keep test (0: no dropout). */
  threshold: number;
  /** Factor on kept weights (1 / (1 - p)). */
  keepScale: number;
  /** Low word of the dropout seed (unsigned 32-bit). */
  seedLo: number;
  /** High word of the dropout seed (unsigned 32-bit). */
  seedHi: number;
}

/** The strides `Kernels.attentionBackward` writes each gradient with (each a dense layout of its input's shape). */
export interface AttentionGradStrides {
  /** Strides of dq over [N, H, L, D]. */
  dq: readonly number[];
  /** Strides of dk over [N, H, S, D]. */
  dk: readonly number[];
  /** Strides of dv over [N, H, S, Dv]. */
  dv: readonly number[];
}

/** The constants of a fused attention call: the factor on q and the dropout of the weights. */
export interface AttentionSpec extends DropoutSpec {
  /** Factor on q before the product with k^T. */
  scale: number;
}

/** Names of the primitives, one per kernel-table entry. */
export type PrimName = keyof Kernels;

/** A backend: a name and a complete kernel table. */
export interface Backend extends Kernels {
  /** The name `setBackend` selects it by. */
  readonly name: string;
}
