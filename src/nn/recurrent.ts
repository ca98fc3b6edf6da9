/**
 * Multi-layer recurrent layers, as torch.nn: LSTM, GRU and RNN (tanh or ReLU), with numLayers, bias, batchFirst,
 * dropout between layers and bidirectional. Parameters carry PyTorch's names (weight_ih_l0, bias_hh_l1_reverse,
 * ...) in PyTorch's order, so state dicts are interchangeable. Each layer-direction projects the inputs of all
 * time steps with one matrix product; the time loop then only multiplies the hidden state by W_hh (for LSTM and
 * GRU inside one kernel call per layer-direction, src/autograd/recurrent-sequence.ts).
 * A PackedSequence input (nn.utils.rnn) runs in recurrent-packed.ts, skipping the padding. LSTM's projSize is not supported.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { dropout } from '../ops/dropout.js';
import { cat, stack } from '../ops/movement.js';
import { checkTensor } from '../ops/util.js';
import { zeros } from '../tensor/creation.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { uniform_ } from './init.js';
import { checkSize } from './linear.js';
import { Module, Parameter } from './module.js';
import {
  GATES, checkBool, checkDType, foldBiases, project, rnnMode, rnnStep, sharedProduct, splitViews, type RecurrentMode,
} from './recurrent-cells.js';
import { hiddenPacked, lstmPacked } from './recurrent-packed.js';
import { PackedSequence } from './rnn-pack.js';
import { traceOp, tracing } from '../ops/trace-hook.js';
import { recurrentSequence } from '../autograd/recurrent-sequence.js';

/** Options of LSTM, GRU and RNN. */
export interface RecurrentOptions {
  /** Stacked recurrent layers; layer k > 0 reads the outputs of layer k - 1 (default 1). */
  numLayers?: number;
  /** Learn the biases b_ih and b_hh (default true). */
  bias?: boolean;
  /** Input and output are (N, L, features) instead of (L, N, features) (default false); states are unaffected. */
  batchFirst?: boolean;
  /** Dropout probability on the outputs of every layer but the last, in training mode (default 0; no effect with one layer, where PyTorch warns). */
  dropout?: number;
  /** Run a second recurrence backwards in time and concatenate both outputs (default false). */
  bidirectional?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/** Options of RNN. */
export interface RNNOptions extends RecurrentOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: 'tanh' | 'relu';
}

interface LayerNames {
  wih: string;
  whh: string;
  bih: string;
  bhh: string;
}

/**
 * Base of LSTM, GRU and RNN (torch's RNNBase). For layer k and direction d it holds weight_ih_l{k}[_reverse]
 * [G*H, in_k], weight_hh_l{k}[_reverse] [G*H, H] and, with bias, bias_ih_l{k}[_reverse] and bias_hh_l{k}[_reverse]
 * [G*H] (G gates; in_0 = inputSize, in_k = D*H after), all drawn from U(-1/sqrt(H), 1/sqrt(H)) as PyTorch.
 */
export class RNNBase extends Module {
  /** Input-to-hidden weights of layer 0 (the other layers' are weight_ih_l1, weight_ih_l0_reverse, ...). */
  declare readonly weight_ih_l0: Parameter;
  /** Hidden-to-hidden weights of layer 0. */
  declare readonly weight_hh_l0: Parameter;
  /** Input-to-hidden bias of layer 0, undefined with `bias: false`. */
  declare readonly bias_ih_l0: Parameter | undefined;
  /** Hidden-to-hidden bias of layer 0, undefined with `bias: false`. */
  declare readonly bias_hh_l0: Parameter | undefined;
  /** The recurrence. */
  readonly mode: RecurrentMode;
  /** Features of each input vector. */
  readonly inputSize: number;
  /** Features of the hidden state (per direction). */
  readonly hiddenSize: number;
  /** Stacked layers. */
  readonly numLayers: number;
  /** Whether the biases exist. */
  readonly bias: boolean;
  /** Whether input and output put the batch first. */
  readonly batchFirst: boolean;
  /** Dropout between layers (training mode only). */
  readonly dropout: number;
  /** Whether a reverse-time recurrence runs too. */
  readonly bidirectional: boolean;
  private readonly names: LayerNames[] = [];

  /** Creates the parameters of a `mode` layer; `name` is used in error messages. */
  constructor(name: string, mode: RecurrentMode, inputSize: number, hiddenSize: number, opts: RecurrentOptions = {}) {
    super();
    this.mode = mode;
    this.inputSize = checkSize(name, inputSize, 'inputSize');
    this.hiddenSize = checkSize(name, hiddenSize, 'hiddenSize');
    this.numLayers = checkSize(name, opts.numLayers ?? 1, 'numLayers');
    this.bias = checkBool(name, opts.bias, 'bias', true);
    this.batchFirst = checkBool(name, opts.batchFirst, 'batchFirst', false);
    this.bidirectional = checkBool(name, opts.bidirectional, 'bidirectional', false);
    const p = opts.dropout ?? 0;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ValueError(`${name}: dropout must be a number in [0, 1], got ${JSON.stringify(p) ?? String(p)}`);
    this.dropout = p;
    const rows = GATES[mode] * hiddenSize;
    const dirs = this.bidirectional ? 2 : 1;
    const rec = this as unknown as Record<string, Parameter>;
    const param = (key: string, shape: number[]) => (rec[key] = new Parameter(zeros(shape, { dtype: opts.dtype })));
    for (let l = 0; l < this.numLayers; l++) {
      for (let d = 0; d < dirs; d++) {
        const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
        const n: LayerNames = { wih: `weight_ih${sfx}`, whh: `weight_hh${sfx}`, bih: `bias_ih${sfx}`, bhh: `bias_hh${sfx}` };
        param(n.wih, [rows, l === 0 ? inputSize : dirs * hiddenSize]);
        param(n.whh, [rows, hiddenSize]);
        if (this.bias) {
          param(n.bih, [rows]);
          param(n.bhh, [rows]);
        }
        this.names.push(n);
      }
    }
    this.resetParameters();
  }

  /** Re-draws every parameter from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)). */
  resetParameters(): void {
    const b = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) uniform_(p, -b, b);
  }

  /** The parameters per layer and direction, [w_ih, w_hh, b_ih, b_hh] each, as torch's all_weights. */
  get allWeights(): Parameter[][] {
    const rec = this as unknown as Record<string, Parameter>;
    return this.names.map((n) => (this.bias ? [rec[n.wih], rec[n.whh], rec[n.bih], rec[n.bhh]] : [rec[n.wih], rec[n.whh]]));
  }

  /** 2 for a bidirectional layer, else 1. */
  get numDirections(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** Checks the input and returns it time-major [L, N, in], with whether it was batched. */
  protected prepareInput(x: Tensor): { x: Tensor; batched: boolean } {
    const name = this.constructor.name;
    checkTensor(name, x);
    if (x.ndim !== 2 && x.ndim !== 3) {
      const layout = this.batchFirst ? '(N, L, inputSize)' : '(L, N, inputSize)';
      throw new ShapeError(`${name}: input must be 3-D ${layout} or 2-D (L, inputSize) unbatched, got shape ${fmtShape(x.shape)}`);
    }
    if (x.shape[x.ndim - 1] !== this.inputSize) {
      throw new ShapeError(`${name}: input must have inputSize = ${this.inputSize} features in its last dim, got shape ${fmtShape(x.shape)}`);
    }
    checkDType(name, x, this.weight_ih_l0, 'input');
    const t = x.ndim === 3 && this.batchFirst ? P.permute(x, [1, 0, 2]) : x.ndim === 2 ? P.reshape(x, [x.shape[0], 1, x.shape[1]]) : x;
    if (t.shape[0] === 0) throw new ShapeError(`${name}: the sequence length must be at least 1, got input shape ${fmtShape(x.shape)}`);
    return { x: t, batched: x.ndim === 3 };
  }

  /** Checks an initial state (`what` names it) against [D*numLayers, N, H] ([D*numLayers, H] unbatched); returns it 3-D. */
  protected prepareState(s: unknown, what: string, n: number, batched: boolean): Tensor {
    const name = this.constructor.name;
    const t = checkTensor(name, s, what);
    const layers = this.numDirections * this.numLayers;
    const want = batched ? [layers, n, this.hiddenSize] : [layers, this.hiddenSize];
    if (t.ndim !== want.length || t.shape.some((v, d) => v !== want[d])) {
      const dims = batched ? 'numLayers * numDirections, N, hiddenSize' : 'numLayers * numDirections, hiddenSize, for unbatched input';
      throw new ShapeError(`${name}: ${what} must have shape ${fmtShape(want)} (${dims}), got ${fmtShape(t.shape)}`);
    }
    checkDType(name, t, this.weight_ih_l0, what);
    return batched ? t : P.reshape(t, [layers, 1, this.hiddenSize]);
  }

  /**
   * Runs every layer and direction over x [L, N, in] from the initial states [D*numLayers, N, H] (null: zeros).
   * Returns the last layer's output (batch-first if the module is) and the final states [D*numLayers, N, H].
   */
  protected run(x: Tensor, h0: Tensor | null, c0: Tensor | null): { output: Tensor; h: Tensor; c: Tensor | null } {
    if (this.mode === 'LSTM' || this.mode === 'GRU') return this.runSequence(x, h0, c0);
    const [T, N] = x.shape;
    const D = this.numDirections;
    const rec = this as unknown as Record<string, Parameter>;
    const hs = this.statesPerLayer(h0);
    const steps = Array.from({ length: T }, (_, t) => [t * N, N] as const);
    let input = x;
    let output = x;
    for (let l = 0; l < this.numLayers; l++) {
      const last = l === this.numLayers - 1;
      const timeDim = last && this.batchFirst ? 1 : 0;
      const dirOutputs: Tensor[] = [];
      for (let d = 0; d < D; d++) {
        const k = l * D + d;
        const n = this.names[k];
        const bias = foldBiases(this.mode, rec[n.bih] ?? null, rec[n.bhh] ?? null, this.hiddenSize);
        const xs = splitViews(project(P.reshape(input, [T * N, input.shape[2]]), rec[n.wih], bias.input), 0, steps);
        const recurrent = sharedProduct(rec[n.whh]);
        let h = hs[k];
        const outs = new Array<Tensor>(T);
        for (let s = 0; s < T; s++) {
          const t = d === 0 ? s : T - 1 - s;
          h = rnnStep(xs[t], h, recurrent, this.mode === 'RNN_RELU');
          outs[t] = h;
        }
        hs[k] = h;
        dirOutputs.push(stack(outs, timeDim));
      }
      output = D === 1 ? dirOutputs[0] : cat(dirOutputs, 2);
      input = !last && this.training && this.dropout > 0 ? dropout(output, this.dropout) : output;
    }
    return { output, h: stack(hs as Tensor[], 0), c: null };
  }

  /** The initial states [D*numLayers, N, H] (null: zeros) as one [N, H] view (or null) per layer and direction. */
  private statesPerLayer(s: Tensor | null): (Tensor | null)[] {
    return s ? splitViews(s, 0, this.names.map((_, k) => [k, 1] as const), true) : this.names.map(() => null);
  }

  /**
   * LSTM and GRU: each layer-direction's whole time loop is one recurrentSequence op (one kernel call forward,
   * one backward), run in the module's batch layout, so a batch-first layer transposes nothing. x is time-major
   * [T, N, in] (prepareInput's); the output is batch-first [N, T, D*H] when the module is.
   */
  private runSequence(x: Tensor, h0: Tensor | null, c0: Tensor | null): { output: Tensor; h: Tensor; c: Tensor | null } {
    const [T, N] = x.shape;
    const H = this.hiddenSize;
    const D = this.numDirections;
    const bf = this.batchFirst;
    const lstm = this.mode === 'LSTM';
    const rec = this as unknown as Record<string, Parameter>;
    const hs = this.statesPerLayer(h0);
    const cs = this.statesPerLayer(c0);
    const [A, B] = bf ? [N, T] : [T, N];
    const all = (size: number) => ({ start: 0, step: 1, size });
    const one = (start: number) => ({ start, step: 1, size: 1 });
    let input = bf ? P.permute(x, [1, 0, 2]) : x;
    let output = input;
    for (let l = 0; l < this.numLayers; l++) {
      const dirOutputs: Tensor[] = [];
      for (let d = 0; d < D; d++) {
        const k = l * D + d;
        const n = this.names[k];
        const bias = foldBiases(this.mode, rec[n.bih] ?? null, rec[n.bhh] ?? null, H);
        // the input projection, the biases and the time loop in one op (one kernel call each way)
        const y = recurrentSequence(lstm ? 'lstm' : 'gru', input, rec[n.wih], bias.input, rec[n.whh], hs[k], cs[k], bias.hn, d === 1, bf);
        const y4 = lstm ? y : P.reshape(y, [1, A, B, H]);
        const last = d === 0 ? T - 1 : 0;
        const at = (p: number) => P.reshape(P.slice(y4, [one(p), bf ? all(N) : one(last), bf ? one(last) : all(N), all(H)]), [N, H]);
        dirOutputs.push(lstm ? P.reshape(P.slice(y4, [one(0), all(A), all(B), all(H)]), [A, B, H]) : y);
        hs[k] = at(0);
        if (lstm) cs[k] = at(1);
      }
      output = D === 1 ? dirOutputs[0] : cat(dirOutputs, 2);
      input = l < this.numLayers - 1 && this.training && this.dropout > 0 ? dropout(output, this.dropout) : output;
    }
    return { output, h: stack(hs as Tensor[], 0), c: lstm ? stack(cs as Tensor[], 0) : null };
  }

  /**
   * Reports the layer to the graph tracer as one op ('lstm', 'gru' or 'rnn', as ONNX has them): inputs
   * [x, h_0 | null, c_0 | null, ...allWeights flattened], outputs [output, h_n] (and c_n for LSTM).
   */
  protected traced<R>(x: Tensor, h0: Tensor | null, c0: Tensor | null, run: () => R, outputsOf: (r: R) => readonly Tensor[]): R {
    const op = this.mode === 'LSTM' ? 'lstm' : this.mode === 'GRU' ? 'gru' : 'rnn';
    const attrs = {
      mode: this.mode, hiddenSize: this.hiddenSize, numLayers: this.numLayers, bidirectional: this.bidirectional, batchFirst: this.batchFirst,
      bias: this.bias, training: this.training, dropout: this.dropout,
    };
    return traceOp(op, [x, h0, c0, ...this.allWeights.flat()], attrs, run, outputsOf);
  }

  /** Runs the layer for GRU and RNN: returns [output, h_n]. */
  protected forwardHidden(x: Tensor, h0?: Tensor | null): [Tensor, Tensor] {
    if ((x as unknown) instanceof PackedSequence) return hiddenPacked(this, x as unknown as PackedSequence, h0) as unknown as [Tensor, Tensor];
    if (tracing.tracer !== null) return this.traced(x, h0 ?? null, null, () => this.forwardHidden(x, h0), (r) => r);
    const inp = this.prepareInput(x);
    const h = h0 === undefined || h0 === null ? null : this.prepareState(h0, 'h_0', inp.x.shape[1], inp.batched);
    const r = this.run(inp.x, h, null);
    return inp.batched ? [r.output, r.h] : [unbatchOutput(r.output), unbatchState(r.h)];
  }

  /** Sizes and the options that differ from the defaults. */
  override extraRepr(): string {
    const parts = [`${this.inputSize}, ${this.hiddenSize}`];
    if (this.mode === 'RNN_RELU') parts.push("nonlinearity='relu'");
    if (this.numLayers !== 1) parts.push(`numLayers=${this.numLayers}`);
    if (!this.bias) parts.push('bias=false');
    if (this.batchFirst) parts.push('batchFirst=true');
    if (this.dropout !== 0) parts.push(`dropout=${this.dropout}`);
    if (this.bidirectional) parts.push('bidirectional=true');
    return parts.join(', ');
  }
}

/** [L, 1, F] or [1, L, F] output of an unbatched run as [L, F]. */
function unbatchOutput(t: Tensor): Tensor {
  return P.reshape(t, [t.shape[0] * t.shape[1], t.shape[2]]);
}

/** [D*numLayers, 1, H] state of an unbatched run as [D*numLayers, H]. */
function unbatchState(t: Tensor): Tensor {
  return P.reshape(t, [t.shape[0], t.shape[2]]);
}

/**
 * Long short-term memory over a sequence: x [L, N, in] ([N, L, in] with batchFirst, or [L, in] unbatched) and an
 * optional state [h_0, c_0], each [D*numLayers, N, H] (default zeros), to [output [L, N, D*H], [h_n, c_n]]. Per
 * step: i, f, o = sigmoid, g = tanh of x W_ih^T + b_ih + h W_hh^T + b_hh (blocks in that order), c' = f*c + i*g,
 * h' = o*tanh(c').
 *
 * @example
 * ```ts
 * const lstm = new nn.LSTM(64, 128, { numLayers: 2, batchFirst: true });
 * const [out, [h, c]] = lstm.forward(randn([32, 100, 64])); // out [32, 100, 128], h and c [2, 32, 128]
 * ```
 */
export class LSTM extends RNNBase {
  /** Creates the layer (weights [4H, in] and [4H, H] per layer and direction). */
  constructor(inputSize: number, hiddenSize: number, opts: RecurrentOptions = {}) {
    super('LSTM', 'LSTM', inputSize, hiddenSize, opts);
  }

  /** Runs the sequence: returns [output, [h_n, c_n]] (given a PackedSequence at run time, as forwardPacked). */
  forward(x: Tensor, state?: readonly [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]] {
    if ((x as unknown) instanceof PackedSequence) return this.forwardPacked(x as unknown as PackedSequence, state) as unknown as [Tensor, [Tensor, Tensor]];
    if (tracing.tracer !== null) return this.traced(x, state?.[0] ?? null, state?.[1] ?? null, () => this.forward(x, state), (r) => [r[0], r[1][0], r[1][1]]);
    const inp = this.prepareInput(x);
    let h0: Tensor | null = null;
    let c0: Tensor | null = null;
    if (state !== undefined && state !== null) {
      if (!Array.isArray(state) || state.length !== 2) {
        throw new ValueError(`LSTM: state must be a pair [h_0, c_0] of tensors, got ${Array.isArray(state) ? `an array of ${state.length}` : typeof state}`);
      }
      h0 = this.prepareState(state[0], 'h_0', inp.x.shape[1], inp.batched);
      c0 = this.prepareState(state[1], 'c_0', inp.x.shape[1], inp.batched);
    }
    const r = this.run(inp.x, h0, c0);
    if (inp.batched) return [r.output, [r.h, r.c as Tensor]];
    return [unbatchOutput(r.output), [unbatchState(r.h), unbatchState(r.c as Tensor)]];
  }

  /** Runs a packed batch (nn.utils.rnn), skipping the padding: returns [packed output, [h_n, c_n]] with states in the batch's order. */
  forwardPacked(x: PackedSequence, state?: readonly [Tensor, Tensor] | null): [PackedSequence, [Tensor, Tensor]] {
    return lstmPacked(this, x, state);
  }
}

/**
 * Gated recurrent unit over a sequence: x [L, N, in] ([N, L, in] with batchFirst, or [L, in] unbatched) and an
 * optional h_0 [D*numLayers, N, H] to [output [L, N, D*H], h_n]. Per step: r, z = sigmoid(x W_i^T + b_i +
 * h W_h^T + b_h) for their blocks, n = tanh(x W_in^T + b_in + r*(h W_hn^T + b_hn)), h' = (1-z)*n + z*h.
 */
export class GRU extends RNNBase {
  /** Creates the layer (weights [3H, in] and [3H, H] per layer and direction). */
  constructor(inputSize: number, hiddenSize: number, opts: RecurrentOptions = {}) {
    super('GRU', 'GRU', inputSize, hiddenSize, opts);
  }

  /** Runs the sequence: returns [output, h_n] (given a PackedSequence at run time, as forwardPacked). */
  forward(x: Tensor, h0?: Tensor | null): [Tensor, Tensor] {
    return this.forwardHidden(x, h0);
  }

  /** Runs a packed batch (nn.utils.rnn), skipping the padding: returns [packed output, h_n] with h_n in the batch's order. */
  forwardPacked(x: PackedSequence, h0?: Tensor | null): [PackedSequence, Tensor] {
    return hiddenPacked(this, x, h0);
  }
}

/**
 * Elman RNN over a sequence: h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh), act tanh (default) or relu; x [L, N, in]
 * ([N, L, in] with batchFirst, or [L, in] unbatched) and an optional h_0 [D*numLayers, N, H] to
 * [output [L, N, D*H], h_n].
 */
export class RNN extends RNNBase {
  /** The activation, 'tanh' or 'relu'. */
  readonly nonlinearity: 'tanh' | 'relu';

  /** Creates the layer (weights [H, in] and [H, H] per layer and direction). */
  constructor(inputSize: number, hiddenSize: number, opts: RNNOptions = {}) {
    super('RNN', rnnMode('RNN', opts.nonlinearity), inputSize, hiddenSize, opts);
    this.nonlinearity = this.mode === 'RNN_RELU' ? 'relu' : 'tanh';
  }

  /** Runs the sequence: returns [output, h_n] (given a PackedSequence at run time, as forwardPacked). */
  forward(x: Tensor, h0?: Tensor | null): [Tensor, Tensor] {
    return this.forwardHidden(x, h0);
  }

  /** Runs a packed batch (nn.utils.rnn), skipping the padding: returns [packed output, h_n] with h_n in the batch's order. */
  forwardPacked(x: PackedSequence, h0?: Tensor | null): [PackedSequence, Tensor] {
    return hiddenPacked(this, x, h0);
  }
}
