/**
 * Extreme learning machines (Huang et al. 2006): a single hidden layer with random, fixed weights, and
 * output weights by regularized least squares — a network trained in closed form. The hidden activations
 * H = act(X W + b) are built in row chunks with tensor matmuls, centered, and folded into H^T H (its upper block
 * triangle only) and H^T Y, so memory stays O(L^2) for L hidden units; (H^T H + alpha I) beta = H^T Y is
 * solved by Cholesky. ELMRegressor and ELMClassifier (one-hot targets, argmax decision).
 * @module
 */
import { ValueError } from '../errors.js';
import { matmul } from '../ops/matmul.js';
import { narrow, t as transpose, to } from '../ops/movement.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  type CheckedLabels, type RandomStateOptions, checkChoice, checkIntOpt, checkLabels, checkNumberOpt, checkXTensor, checkY, generatorFrom, notFitted, toTensor,
} from './base.js';
import { cholSolveHost } from './host.js';
import { r2Mean } from './metrics.js';

/** Activation of the hidden layer. */
export type ELMActivation = 'sigmoid' | 'tanh' | 'relu';

/** Options of ELMRegressor and ELMClassifier. */
export interface ELMOptions extends RandomStateOptions {
  /** Number of hidden units L (default 1000). */
  nHidden?: number;
  /** Hidden activation (default 'sigmoid'). */
  activation?: ELMActivation;
  /** Ridge penalty on the output weights: (H^T H + alpha I) beta = H^T Y (default 1e-3; > 0 keeps the system positive-definite). */
  alpha?: number;
  /** Standard deviation of the random input weights (default 1 / sqrt(nFeatures): unit-variance pre-activations for standardized X). */
  weightScale?: number;
  /** Standard deviation of the random hidden biases (default 1). */
  biasScale?: number;
  /** Fit an unpenalized output bias by centering H and Y (default true). */
  fitIntercept?: boolean;
  /** Rows of X processed at a time (default 2048); bounds the memory of H to batchSize x L. */
  batchSize?: number;
}

interface ELMState {
  w: Tensor; // d x L float64
  b: Float64Array; // L
  beta: Float64Array; // L x t
  intercept: Float64Array; // t
  d: number;
  L: number;
  t: number;
}

const BLOCK = 512;

/** The shared machinery: random hidden layer, chunked hidden activations, the ridge solve. */
abstract class ELMBase {
  /** Number of hidden units. */
  readonly nHidden: number;
  /** Hidden activation. */
  readonly activation: ELMActivation;
  /** Ridge penalty of the output weights. */
  readonly alpha: number;
  /** Input-weight scale (undefined: 1 / sqrt(nFeatures)). */
  readonly weightScale: number | undefined;
  /** Hidden-bias scale. */
  readonly biasScale: number;
  /** Whether an output bias is fitted. */
  readonly fitIntercept: boolean;
  /** Rows per chunk. */
  readonly batchSize: number;
  /** The estimator's name in messages. */
  protected abstract readonly name: string;
  /** The fitted network, set by fit. */
  protected state: ELMState | undefined;
  private readonly random: RandomStateOptions;

  /** Reads and checks the options. */
  constructor(where: string, opts: ELMOptions) {
    this.nHidden = checkIntOpt(where, 'nHidden', opts.nHidden ?? 1000, 1);
    this.activation = checkChoice(where, 'activation', opts.activation ?? 'sigmoid', ['sigmoid', 'tanh', 'relu'] as const);
    this.alpha = checkNumberOpt(where, 'alpha', opts.alpha ?? 1e-3, 0);
    this.weightScale = opts.weightScale === undefined ? undefined : checkNumberOpt(where, 'weightScale', opts.weightScale, 0, true);
    this.biasScale = checkNumberOpt(where, 'biasScale', opts.biasScale ?? 1, 0);
    this.fitIntercept = opts.fitIntercept ?? true;
    this.batchSize = checkIntOpt(where, 'batchSize', opts.batchSize ?? 2048, 1);
    this.random = { seed: opts.seed, generator: opts.generator };
    generatorFrom(where, this.random);
  }

  /** The fitted state, or a ValueError naming `method`. */
  protected fitted(method: string): ELMState {
    if (!this.state) throw notFitted(`${this.name}.${method}`, this.name);
    return this.state;
  }

  /** Hidden activations of rows [start, start + count) of X as a float64 tensor [count, L]. */
  private hiddenChunk(x: Tensor, w: Tensor, b: Float64Array, start: number, count: number): Tensor {
    return tensor(this.hiddenRaw(x, w, b, start, count), { shape: [count, b.length], dtype: 'float64' });
  }

  /** Hidden activations of rows [start, start + count) of X, row-major count x L on the host (a fresh array). */
  private hiddenRaw(x: Tensor, w: Tensor, b: Float64Array, start: number, count: number): Float64Array {
    const xc = to(narrow(x, 0, start, count), 'float64');
    const z = matmul(xc, w).toTypedArray() as Float64Array;
    const L = b.length;
    const act = this.activation;
    for (let i = 0; i < count; i++) {
      const o = i * L;
      for (let j = 0; j < L; j++) {
        const v = z[o + j] + b[j];
        z[o + j] = act === 'relu' ? (v > 0 ? v : 0) : act === 'tanh' ? Math.tanh(v) : v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
      }
    }
    return z;
  }

  /** Draws the hidden layer and solves for the output weights against targets Y (n x t, host). */
  protected fitTargets(where: string, x: Tensor, y: Float64Array, t: number): void {
    const [n, d] = x.shape;
    const L = this.nHidden;
    const g = generatorFrom(where, this.random);
    const ws = this.weightScale ?? 1 / Math.sqrt(d);
    const wData = new Float64Array(d * L);
    for (let i = 0; i < wData.length; i++) wData[i] = g.normal() * ws;
    const b = new Float64Array(L);
    for (let j = 0; j < L; j++) b[j] = g.normal() * this.biasScale;
    const w = tensor(wData, { shape: [d, L], dtype: 'float64' });
    // Chan et al.'s pairwise update: each chunk is centered on its own means before its products are taken,
    // and chunks merge through the difference of their means. Forming H^T H on the uncentered H and
    // subtracting n m m^T afterwards cancels catastrophically (sigmoid outputs average ~0.5).
    const G = new Float64Array(L * L);
    const HtY = new Float64Array(L * t);
    const hMean = new Float64Array(L);
    const yMean = new Float64Array(t);
    const dh = new Float64Array(L);
    const dy = new Float64Array(t);
    let seen = 0;
    for (let start = 0; start < n; start += this.batchSize) {
      const count = Math.min(this.batchSize, n - start);
      const hd = this.hiddenRaw(x, w, b, start, count);
      const yd = Float64Array.from(y.subarray(start * t, (start + count) * t));
      dh.fill(0);
      dy.fill(0);
      if (this.fitIntercept) {
        for (let i = 0; i < count; i++) for (let j = 0; j < L; j++) dh[j] += hd[i * L + j];
        for (let i = 0; i < count; i++) for (let k = 0; k < t; k++) dy[k] += yd[i * t + k];
        for (let j = 0; j < L; j++) dh[j] /= count;
        for (let k = 0; k < t; k++) dy[k] /= count;
        for (let i = 0; i < count; i++) for (let j = 0; j < L; j++) hd[i * L + j] -= dh[j];
        for (let i = 0; i < count; i++) for (let k = 0; k < t; k++) yd[i * t + k] -= dy[k];
      }
      const h = tensor(hd, { shape: [count, L], dtype: 'float64' });
      // H^T H, upper block triangle only
      for (let i0 = 0; i0 < L; i0 += BLOCK) {
        const bi = Math.min(BLOCK, L - i0);
        const hi = transpose(narrow(h, 1, i0, bi));
        for (let j0 = i0; j0 < L; j0 += BLOCK) {
          const bj = Math.min(BLOCK, L - j0);
          const p = matmul(hi, narrow(h, 1, j0, bj)).toTypedArray();
          for (let r = 0; r < bi; r++) {
            const go = (i0 + r) * L + j0;
            for (let c = 0; c < bj; c++) G[go + c] += p[r * bj + c];
          }
        }
      }
      const hty = matmul(transpose(h), tensor(yd, { shape: [count, t], dtype: 'float64' })).toTypedArray();
      for (let q = 0; q < L * t; q++) HtY[q] += hty[q];
      if (this.fitIntercept) {
        const total = seen + count;
        // chunk means minus the running means; the cross term seen * count / total * delta delta^T
        for (let j = 0; j < L; j++) dh[j] -= hMean[j];
        for (let k = 0; k < t; k++) dy[k] -= yMean[k];
        const f = (seen * count) / total;
        if (f > 0) {
          for (let i = 0; i < L; i++) {
            const fi = f * dh[i];
            for (let j = i; j < L; j++) G[i * L + j] += fi * dh[j];
            for (let k = 0; k < t; k++) HtY[i * t + k] += fi * dy[k];
          }
        }
        for (let j = 0; j < L; j++) hMean[j] += (dh[j] * count) / total;
        for (let k = 0; k < t; k++) yMean[k] += (dy[k] * count) / total;
      }
      seen += count;
    }
    // lower triangle from the upper one, plus the ridge
    for (let i = 0; i < L; i++) {
      G[i * L + i] += this.alpha;
      for (let j = i + 1; j < L; j++) G[j * L + i] = G[i * L + j];
    }
    const beta = cholSolveHost(G, L, HtY, t);
    if (!beta) {
      throw new ValueError(`${where}: H^T H + alpha I is not positive-definite (alpha = ${this.alpha}); increase alpha (try 1e-3 to 1 times the number of samples / 1000)`);
    }
    const intercept = new Float64Array(t);
    for (let k = 0; k < t; k++) {
      let s = yMean[k];
      for (let j = 0; j < L; j++) s -= hMean[j] * beta[j * t + k];
      intercept[k] = s;
    }
    this.state = { w, b, beta, intercept, d, L, t };
  }

  /** Network outputs H beta + intercept for X, host n x t. */
  protected outputs(method: string, X: Tensor): { out: Float64Array; n: number; s: ELMState } {
    const s = this.fitted(method);
    const x = checkXTensor(`${this.name}.${method}`, X, { nFeatures: s.d });
    const n = x.shape[0];
    const out = new Float64Array(n * s.t);
    const betaT = tensor(s.beta, { shape: [s.L, s.t], dtype: 'float64' });
    for (let start = 0; start < n; start += this.batchSize) {
      const count = Math.min(this.batchSize, n - start);
      const o = matmul(this.hiddenChunk(x, s.w, s.b, start, count), betaT).toTypedArray();
      for (let i = 0; i < count; i++) for (let k = 0; k < s.t; k++) out[(start + i) * s.t + k] = o[i * s.t + k] + s.intercept[k];
    }
    return { out, n, s };
  }

  /** Hidden-layer activations act(X W + b) [n, L] (float64): the random features the output layer sees. */
  hidden(X: Tensor): Tensor {
    const s = this.fitted('hidden');
    const x = checkXTensor(`${this.name}.hidden`, X, { nFeatures: s.d });
    return this.hiddenChunk(x, s.w, s.b, 0, x.shape[0]);
  }

  /** The random input weights W [d, L] (float64). */
  get hiddenWeights(): Tensor {
    return this.fitted('hiddenWeights').w;
  }

  /** The random hidden biases [L] (float64). */
  get hiddenBias(): Tensor {
    const s = this.fitted('hiddenBias');
    return toTensor(s.b, [s.L], 'float64');
  }

  /** Output weights beta [L, t] (float64), t = 1 for a 1-D regression target, K for K classes. */
  get outputWeights(): Tensor {
    const s = this.fitted('outputWeights');
    return toTensor(s.beta, [s.L, s.t], 'float64');
  }

  /** Output biases [t] (float64; zeros without fitIntercept). */
  get outputBias(): Tensor {
    const s = this.fitted('outputBias');
    return toTensor(s.intercept, [s.t], 'float64');
  }
}

/**
 * ELM regression: y ≈ act(X W + b) beta + c with random W, b and ridge-fitted beta, c. y [n] or [n, t];
 * predictions take y's layout and X's dtype; score is R^2.
 */
export class ELMRegressor extends ELMBase {
  /** The estimator's name in messages. */
  protected readonly name: string = 'ELMRegressor';
  private vector = true;

  /** An ELM regressor with the given options. */
  constructor(opts: ELMOptions = {}) {
    super('ELMRegressor', opts);
  }

  /** Fits to X [n, d] and y [n] or [n, t]; returns this. */
  fit(X: Tensor, y: Tensor): this {
    const where = 'ELMRegressor.fit';
    const x = checkXTensor(where, X);
    const yy = checkY(where, y, X.shape);
    this.fitTargets(where, x, yy.data, yy.cols);
    this.vector = yy.vector;
    return this;
  }

  /** Predictions [n] or [n, t] in X's dtype. */
  predict(X: Tensor): Tensor {
    const { out, n, s } = this.outputs('predict', X);
    return toTensor(out, this.vector ? [n] : [n, s.t], X.dtype === 'float32' ? 'float32' : 'float64');
  }

  /** R^2 of the predictions for X against y. */
  score(X: Tensor, y: Tensor): number {
    const { out } = this.outputs('score', X);
    const yy = checkY('ELMRegressor.score', y, X.shape);
    return r2Mean(yy.data, out, yy.cols);
  }
}

/**
 * ELM classification: one-hot targets fitted by the ridge output layer, the class of the largest output
 * predicted. Labels may be any numbers; `classes` lists them ascending; score is accuracy.
 */
export class ELMClassifier extends ELMBase {
  /** The estimator's name in messages. */
  protected readonly name: string = 'ELMClassifier';
  private labelsInfo: CheckedLabels | undefined;

  /** An ELM classifier with the given options. */
  constructor(opts: ELMOptions = {}) {
    super('ELMClassifier', opts);
  }

  /** Fits to X [n, d] and class labels y [n]; returns this. */
  fit(X: Tensor, y: Tensor): this {
    const where = 'ELMClassifier.fit';
    const x = checkXTensor(where, X);
    const labels = checkLabels(where, y, X.shape);
    const K = labels.classes.length;
    const n = x.shape[0];
    const onehot = new Float64Array(n * K);
    for (let i = 0; i < n; i++) onehot[i * K + labels.index[i]] = 1;
    this.fitTargets(where, x, onehot, K);
    this.labelsInfo = labels;
    return this;
  }

  /** Output scores [n, K], one column per class of `classes`. */
  decisionFunction(X: Tensor): Tensor {
    const { out, n, s } = this.outputs('decisionFunction', X);
    return toTensor(out, [n, s.t], X.dtype === 'float32' ? 'float32' : 'float64');
  }

  /** The class with the largest output for each sample [n] (int32 when y was int32). */
  predict(X: Tensor): Tensor {
    const { out, n, s } = this.outputs('predict', X);
    const info = this.labelsInfo!;
    const pred = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let k = 1; k < s.t; k++) if (out[i * s.t + k] > out[i * s.t + best]) best = k;
      pred[i] = info.classes[best];
    }
    return toTensor(pred, [n], info.dtype);
  }

  /** Accuracy of predict(X) against y. */
  score(X: Tensor, y: Tensor): number {
    const pred = this.predict(X).toTypedArray();
    const yy = checkLabels('ELMClassifier.score', y, X.shape, { minClasses: 1 });
    let hit = 0;
    for (let i = 0; i < pred.length; i++) if (pred[i] === yy.classes[yy.index[i]]) hit++;
    return hit / pred.length;
  }

  /** The class labels, ascending. */
  get classes(): number[] {
    this.fitted('classes');
    return [...this.labelsInfo!.classes];
  }
}
