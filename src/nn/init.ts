/**
 * Parameter initialization, as torch.nn.init: each function fills a tensor in place (hence the trailing
 * underscore, as in PyTorch) and returns it. Random ones take an optional generator.
 * @module
 */
import { noGrad } from '../autograd/grad-mode.js';
import { viewStrides } from '../autograd/primitives-core.js';
import { erfc, erfinv } from '../backend/cpu/special.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { copy_ } from '../ops/inplace.js';
import { narrow, view } from '../ops/movement.js';
import { checkTensor } from '../ops/util.js';
import { tensor, zeros } from '../tensor/creation.js';
import { Generator, defaultGenerator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';

/** Nonlinearities `calculateGain` knows. */
export type Nonlinearity = 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

/** The recommended gain for a nonlinearity (leaky_relu takes its negative slope, default 0.01), as PyTorch. */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'conv1d': case 'conv2d': case 'conv3d': case 'conv_transpose1d': case 'conv_transpose2d': case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      if (typeof slope !== 'number') throw new ValueError(`calculateGain: negative slope ${slope} is not a number`);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new ValueError(`calculateGain: unknown nonlinearity '${String(nonlinearity)}', expected one of linear, conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, sigmoid, tanh, relu, leaky_relu, selu`);
  }
}

/**
 * fan_in and fan_out of a weight, as PyTorch computes them (dim 1 is fan in, dim 0 fan out, times the kernel
 * size). `op` names the caller in the error a tensor with fewer than 2 dims gets.
 */
export function calculateFans(t: Tensor, op = 'calculateFans'): { fanIn: number; fanOut: number } {
  checkTensor(op, t);
  if (t.ndim < 2) throw new ShapeError(`${op}: fan in and fan out need a tensor with at least 2 dims, got shape ${fmtShape(t.shape)}`);
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1] * receptive, fanOut: t.shape[0] * receptive };
}

let skipping = 0;

/**
 * Builds a module without initializing its parameters and buffers, as torch.nn.utils.skip_init: inside `build`, every
 * function of this module leaves its tensor as allocated (zeros) and draws nothing from any generator. For a model
 * whose weights are loaded right after (a state dict, a checkpoint), it saves the cost of drawing them. Unlike
 * PyTorch's, it takes a function that builds the module (so that it works for factories such as createModel).
 */
export function skipInit<T>(build: () => T): T {
  skipping++;
  try {
    return build();
  } finally {
    skipping--;
  }
}

/** Elements drawn per chunk by the bulk initializers (bounded scratch for 100M-element layers). */
const CHUNK = 1 << 16;

/**
 * Fills t with values `draw` writes into consecutive float64 chunks (in order, so the random stream is the same
 * as drawing one value at a time); each value is rounded once into the tensor's own float type. A tensor that can
 * be viewed flat (every parameter) is written chunk by chunk in place: no scratch of its size is allocated, which
 * for a 100M-weight layer saves first touching 400 MB (about a second here).
 */
function fillWith(t: Tensor, draw: (chunk: Float64Array) => void): Tensor {
  if (skipping > 0) return t;
  const n = t.numel();
  const chunk = new Float64Array(Math.min(n, CHUNK));
  noGrad(() => {
    // the parameter itself, viewed flat; a tensor that cannot be viewed so gets a flat scratch copied in once
    const inPlace = viewStrides(t, [n]) !== null;
    const flat = inPlace ? view(t, [n]) : zeros([n], { dtype: t.dtype });
    for (let at = 0; at < n; at += CHUNK) {
      const part = n - at < CHUNK ? chunk.subarray(0, n - at) : chunk;
      draw(part);
      copy_(narrow(flat, 0, at, part.length), tensor(part, { dtype: t.dtype }));
    }
    if (!inPlace) copy_(t, flat.reshape(t.shape));
  });
  return t;
}

/** A drawer applying `f` to each uniform sample of U(0, 1) from g. */
const fromUniform = (g: Generator, f: (u: number) => number) => (c: Float64Array): void => {
  g.fillRandom(c);
  for (let i = 0; i < c.length; i++) c[i] = f(c[i]);
};

/** Options of the random initializers. */
export interface InitOptions {
  /** Generator to draw from (default: the global one). */
  generator?: Generator;
}

/** Fills with `value`. */
export function constant_(t: Tensor, value: number): Tensor {
  checkTensor('constant_', t);
  if (skipping > 0) return t;
  noGrad(() => copy_(t, value));
  return t;
}

/** Fills with zeros. */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/** Fills with ones. */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/** Fills with samples of U(a, b) (default U(0, 1)). */
export function uniform_(t: Tensor, a = 0, b = 1, opts: InitOptions = {}): Tensor {
  checkTensor('uniform_', t);
  if (!(a <= b)) throw new ValueError(`uniform_: need a <= b, got a ${a}, b ${b}`);
  const g = opts.generator ?? defaultGenerator;
  return fillWith(t, fromUniform(g, (u) => a + (b - a) * u));
}

/** Fills with samples of N(mean, std^2) (default N(0, 1)). */
export function normal_(t: Tensor, mean = 0, std = 1, opts: InitOptions = {}): Tensor {
  checkTensor('normal_', t);
  if (!(std >= 0)) throw new ValueError(`normal_: std must be >= 0, got ${std}`);
  const g = opts.generator ?? defaultGenerator;
  return fillWith(t, (c) => {
    g.fillNormal(c);
    for (let i = 0; i < c.length; i++) c[i] = mean + std * c[i];
  });
}

/**
 * Fills with samples of N(mean, std^2) truncated to [a, b] (default [-2, 2]), as PyTorch's trunc_normal_: a
 * uniform draw between the normal CDF's values at a and b, mapped back through the inverse CDF (any bounds, no
 * rejection), clamped to [a, b] against rounding.
 */
export function truncNormal_(t: Tensor, mean = 0, std = 1, a = -2, b = 2, opts: InitOptions = {}): Tensor {
  checkTensor('truncNormal_', t);
  if (!(std >= 0)) throw new ValueError(`truncNormal_: std must be >= 0, got ${std}`);
  if (!(a < b)) throw new ValueError(`truncNormal_: need a < b, got a ${a}, b ${b}`);
  if (std === 0) {
    if (!(mean >= a && mean <= b)) throw new ValueError(`truncNormal_: with std 0 the mean ${mean} must lie in [a, b] = [${a}, ${b}]`);
    return fillWith(t, (c) => c.fill(mean));
  }
  // 2 Φ(z) - 1 = erf(z / √2) = 1 - erfc(z / √2), the uniform draw's range in erf's terms
  const lo = 1 - erfc((a - mean) / std / Math.SQRT2);
  const hi = 1 - erfc((b - mean) / std / Math.SQRT2);
  const g = opts.generator ?? defaultGenerator;
  return fillWith(t, fromUniform(g, (u) => Math.min(b, Math.max(a, mean + std * Math.SQRT2 * erfinv(lo + (hi - lo) * u)))));
}

/** Glorot/Xavier uniform: U(-b, b) with b = gain * sqrt(6 / (fanIn + fanOut)). */
export function xavierUniform_(t: Tensor, opts: InitOptions & { gain?: number } = {}): Tensor {
  const { fanIn, fanOut } = calculateFans(t, 'xavierUniform_');
  const b = (opts.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -b, b, opts);
}

/** Glorot/Xavier normal: N(0, std^2) with std = gain * sqrt(2 / (fanIn + fanOut)). */
export function xavierNormal_(t: Tensor, opts: InitOptions & { gain?: number } = {}): Tensor {
  const { fanIn, fanOut } = calculateFans(t, 'xavierNormal_');
  return normal_(t, 0, (opts.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut)), opts);
}

/** Options of the Kaiming (He) initializers. */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the rectifier after this layer (leaky_relu; default 0). */
  a?: number;
  /** Preserve the variance of activations ('fanIn', default) or of gradients ('fanOut'). */
  mode?: 'fanIn' | 'fanOut';
  /** Nonlinearity after this layer (default 'leaky_relu', as PyTorch). */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(op: string, t: Tensor, opts: KaimingOptions): number {
  const { fanIn, fanOut } = calculateFans(t, op);
  const mode = opts.mode ?? 'fanIn';
  if (mode !== 'fanIn' && mode !== 'fanOut') throw new ValueError(`${op}: mode must be 'fanIn' or 'fanOut', got '${String(mode)}'`);
  const fan = mode === 'fanIn' ? fanIn : fanOut;
  return calculateGain(opts.nonlinearity ?? 'leaky_relu', opts.a ?? 0) / Math.sqrt(fan);
}

/** He uniform: U(-b, b) with b = gain * sqrt(3 / fan). */
export function kaimingUniform_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const b = Math.sqrt(3) * kaimingStd('kaimingUniform_', t, opts);
  return uniform_(t, -b, b, opts);
}

/** He normal: N(0, std^2) with std = gain / sqrt(fan). */
export function kaimingNormal_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  return normal_(t, 0, kaimingStd('kaimingNormal_', t, opts), opts);
}

/**
 * A (semi-)orthogonal matrix, scaled by `gain`: the Q of a QR factorization of a normal sample (signs fixed by
 * R's diagonal), reshaped to the tensor's shape (rows = dim 0), as PyTorch's orthogonal_.
 */
export function orthogonal_(t: Tensor, opts: InitOptions & { gain?: number } = {}): Tensor {
  checkTensor('orthogonal_', t);
  if (t.ndim < 2) throw new ShapeError(`orthogonal_: needs at least 2 dims, got shape ${fmtShape(t.shape)}`);
  const rows = t.shape[0];
  const cols = t.numel() / rows;
  if (skipping > 0) return t;
  const g = opts.generator ?? defaultGenerator;
  const tall = rows >= cols;
  const m = tall ? rows : cols;
  const n = tall ? cols : rows;
  // columns of an m x n normal sample, orthonormalized by modified Gram-Schmidt (twice, for accuracy)
  const a: Float64Array[] = Array.from({ length: n }, () => Float64Array.from({ length: m }, () => g.normal()));
  for (let j = 0; j < n; j++) {
    let rjj = 0;
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        let dot = 0;
        for (let k = 0; k < m; k++) dot += a[i][k] * a[j][k];
        for (let k = 0; k < m; k++) a[j][k] -= dot * a[i][k];
      }
    }
    for (let k = 0; k < m; k++) rjj += a[j][k] * a[j][k];
    rjj = Math.sqrt(rjj);
    for (let k = 0; k < m; k++) a[j][k] /= rjj;
  }
  const gain = opts.gain ?? 1;
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (tall ? a[c][r] : a[r][c]);
  }
  noGrad(() => copy_(t, tensor(out, { shape: t.shape, dtype: t.dtype })));
  return t;
}
