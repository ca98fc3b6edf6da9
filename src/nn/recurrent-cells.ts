/**
 * Recurrent cells, one time step each, as torch.nn: LSTMCell, GRUCell and RNNCell, plus the step functions and
 * the gradient-friendly split that the multi-layer LSTM, GRU and RNN of `recurrent.ts` run in their time loop.
 * Gate order is PyTorch's (LSTM i, f, g, o; GRU r, z, n), so weights load from a PyTorch state dict unchanged.
 * @module
 */
import { isGradEnabled } from '../autograd/grad-mode.js';
import { record } from '../autograd/node.js';
import * as P from '../autograd/primitives.js';
import { recurrentSequence } from '../autograd/recurrent-sequence.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { traceOp, tracing } from '../ops/trace-hook.js';
import { checkTensor } from '../ops/util.js';
import { zeros } from '../tensor/creation.js';
import type { DType } from '../tensor/dtype.js';
import { isFloating } from '../tensor/dtype.js';
import { contiguousStrides } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { uniform_ } from './init.js';
import { checkSize } from './linear.js';
import { Module, Parameter } from './module.js';

/** Which recurrence a layer runs: PyTorch's mode names (a plain RNN with tanh or ReLU). */
export type RecurrentMode = 'LSTM' | 'GRU' | 'RNN_TANH' | 'RNN_RELU';

/** Number of gate blocks stacked in the weights of each mode (rows of weight_ih = gates * hiddenSize). */
export const GATES: Readonly<Record<RecurrentMode, number>> = { LSTM: 4, GRU: 3, RNN_TANH: 1, RNN_RELU: 1 };

/** Checks a boolean option. */
export function checkBool(layer: string, v: unknown, arg: string, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new ValueError(`${layer}: ${arg} must be a boolean, got ${JSON.stringify(v) ?? String(v)}`);
  return v;
}

/** Checks the nonlinearity option of RNN and RNNCell and returns the matching mode. */
export function rnnMode(layer: string, v: unknown): RecurrentMode {
  if (v === undefined || v === 'tanh') return 'RNN_TANH';
  if (v === 'relu') return 'RNN_RELU';
  throw new ValueError(`${layer}: nonlinearity must be 'tanh' or 'relu', got ${JSON.stringify(v) ?? String(v)}`);
}

/** Throws unless `x` is a floating tensor of the weights' dtype (`what` names it in the message). */
export function checkDType(layer: string, x: Tensor, weight: Tensor, what: string): void {
  if (!isFloating(x.dtype)) throw new DTypeError(`${layer}: ${what} must be a floating-point tensor, got dtype ${x.dtype}`);
  if (x.dtype !== weight.dtype) {
    throw new DTypeError(`${layer}: ${what} has dtype ${x.dtype} but the weights are ${weight.dtype}; convert one of them (module.to(dtype) or tensor.to(dtype))`);
  }
}

/**
 * Views of `x` along `dim`, one per [start, length] piece (with `drop`, pieces have length 1 and lose the dim).
 * Unlike slicing, backward writes every piece's gradient into one shared zero buffer the size of `x`, so
 * splitting a [T*N, 4H] projection into T steps costs one buffer rather than T full-size padded gradients and
 * their sums. Under createGraph (grad mode on inside backward) each piece uses the differentiable padded adjoint.
 * The buffer is handed to the engine by the first piece whose gradient arrives and filled by the others before
 * the engine reaches `x` (all of x's consumers come first in its topological order); a private anchor node,
 * the only consumer of `x`, resets it so that every backward pass (retainGraph) starts with a fresh buffer.
 */
export function splitViews(x: Tensor, dim: number, pieces: readonly (readonly [number, number])[], drop = false): Tensor[] {
  const shape = x.shape;
  const ranges = pieces.map(([start, size]) => shape.map((s, d) => (d === dim ? { start, step: 1, size } : { start: 0, step: 1, size: s })));
  const keep = (a: readonly number[]) => (drop ? a.filter((_, d) => d !== dim) : a.slice());
  const vshape = (k: number) => keep(ranges[k].map((r) => r.size));
  const views = pieces.map(([start], k) => new Tensor(x.storage, vshape(k), keep(x.strides), x.offset + start * x.strides[dim]));
  if (!isGradEnabled() || !x.requiresGrad) return views;
  let buf: Tensor | null = null;
  const written = new Uint8Array(pieces.length);
  const anchor = record(new Tensor(x.storage, shape, x.strides, x.offset), 'SplitBackward', [x], (g) => {
    buf = null;
    return [g];
  });
  const full = contiguousStrides(shape);
  const bufStrides = keep(full);
  return views.map((v, k) =>
    record(v, 'SplitPieceBackward', [anchor], (g) => {
      if (isGradEnabled()) return [P.embed(drop ? P.reshape(g, ranges[k].map((r) => r.size)) : g, shape, ranges[k], 0)];
      const first = buf === null || written[k] === 1;
      if (first) {
        buf = P.filled(shape, 0, g.dtype, g.device);
        written.fill(0);
      }
      const b = buf as Tensor;
      P.backendOf(g).copyInto(new Tensor(b.storage, v.shape, bufStrides, pieces[k][0] * full[dim]), g);
      written[k] = 1;
      return [first ? b : null];
    }),
  );
}

/** x [M, in] @ weight^T [in, G*H] (+ bias [G*H]): the input projection of one step or of all steps at once. */
export function project(x: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
  const y = P.matmul(x, P.permute(weight, [1, 0]));
  return bias ? P.binary('add', y, bias) : y;
}

/**
 * The biases as the time loop uses them: `input` is added once to the input projection of all steps (b_ih + b_hh,
 * except GRU's n block, where b_hh is multiplied by the reset gate and so is returned as `hn` to add per step).
 */
export function foldBiases(mode: RecurrentMode, bih: Tensor | null, bhh: Tensor | null, hidden: number): { input: Tensor | null; hn: Tensor | null } {
  if (bih === null || bhh === null) return { input: null, hn: null };
  if (mode !== 'GRU') return { input: P.binary('add', bih, bhh), hn: null };
  const [rz, hn] = splitViews(bhh, 0, [[0, 2 * hidden], [2 * hidden, hidden]]);
  const padded = P.cat([rz, P.filled([hidden], 0, bhh.dtype, bhh.device)], 0);
  return { input: P.binary('add', bih, padded), hn };
}

/** h [N, H] -> h @ W_hh^T: the recurrent product of one step. */
export type RecurrentProduct = (h: Tensor) => Tensor;

/** The recurrent product with an ordinary differentiable matmul (one step: the cells). */
export function plainProduct(whh: Tensor): RecurrentProduct {
  const whhT = P.permute(whh, [1, 0]);
  return (h) => P.matmul(h, whhT);
}

/**
 * The recurrent product of a whole sequence, with W_hh's gradient taken in one matrix product: each step
 * records only h's gradient and keeps (its output gradient, h) aside; the weight's own node, which the engine
 * reaches after every step (each step consumes it), multiplies them all at once — T small products and T - 1
 * gradient additions become one large product. The first step to be differentiated hands that node a
 * broadcast zero so the engine visits it. Under createGraph the steps return ordinary differentiable gradients.
 */
export function sharedProduct(whh: Tensor): RecurrentProduct {
  const whhT = P.permute(whh, [1, 0]);
  if (!isGradEnabled() || !whh.requiresGrad) return (h) => P.matmul(h, whhT);
  let grads: Tensor[] = [];
  let inputs: Tensor[] = [];
  let marker: Tensor | null = null;
  const weight = record(new Tensor(whhT.storage, whhT.shape, whhT.strides, whhT.offset), 'RecurrentWeightBackward', [whhT], (g) => {
    if (grads.length === 0) return [g];
    const [G, H] = [P.cat(grads, 0), P.cat(inputs, 0)];
    grads = [];
    inputs = [];
    const sum = P.matmul(P.permute(H, [1, 0]), G);
    // gradients that reach W_hh by other paths (a createGraph gradient differentiated again) arrive added to the zero
    const other = g !== marker;
    marker = null;
    return [other ? P.binary('add', g, sum) : sum];
  });
  // the forward products read a row-major copy of W_hh^T, made once per sequence (a transposed operand would
  // be re-gathered by every step's GEMM)
  const forward = new Tensor(P.backendOf(whh).copy(whhT, whh.dtype), whhT.shape);
  return (h) => {
    const y = new Tensor(P.backendOf(h).matmul(h, forward, h.dtype), [h.shape[0], weight.shape[1]]);
    return record(y, 'RecurrentMmBackward', [h, weight], (g) => {
      if (isGradEnabled()) return [P.matmul(g, P.permute(weight, [1, 0])), P.matmul(P.permute(h, [1, 0]), g)];
      const first = grads.length === 0;
      grads.push(g);
      inputs.push(h);
      if (first) marker = P.expand(P.scalarOf(0, g.dtype, g), weight.shape);
      return [h.requiresGrad ? P.matmul(g, P.permute(weight, [1, 0])) : null, first ? marker : null];
    }, undefined, { keepsGradient: true });
  };
}

/**
 * One LSTM step from the projected input xg [N, 4H] (biases included), h and c [N, H] (null: zeros), and
 * the recurrent product h -> h @ W_hh^T: c' = f*c + i*g, h' = o*tanh(c'). Returns [h', c'].
 */
export function lstmStep(xg: Tensor, h: Tensor | null, c: Tensor | null, mm: RecurrentProduct, hidden: number): [Tensor, Tensor] {
  const gates = h === null ? xg : P.binary('add', xg, mm(h));
  // one fused kernel for the gate activations and both states, forward and backward
  const [h2, c2] = splitViews(P.lstmCell(gates, c), 1, [[0, hidden], [hidden, hidden]]);
  return [h2, c2];
}

/** One plain RNN step: h' = act(xg + h W_hh^T), xg [N, H] with both biases included, h null for zeros. */
export function rnnStep(xg: Tensor, h: Tensor | null, mm: RecurrentProduct, relu: boolean): Tensor {
  return P.unary(relu ? 'relu' : 'tanh', h === null ? xg : P.binary('add', xg, mm(h)));
}

/** Options of the cells. */
export interface RNNCellOptions {
  /** Learn the biases b_ih and b_hh (default true). */
  bias?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/**
 * Base of LSTMCell, GRUCell and RNNCell (torch's RNNCellBase): weight_ih [G*H, in], weight_hh [G*H, H] and
 * biases bias_ih, bias_hh [G*H], all drawn from U(-1/sqrt(H), 1/sqrt(H)) as PyTorch.
 */
export class RNNCellBase extends Module {
  /** Input-to-hidden weights [gates * hiddenSize, inputSize]. */
  weight_ih: Parameter;
  /** Hidden-to-hidden weights [gates * hiddenSize, hiddenSize]. */
  weight_hh: Parameter;
  /** Input-to-hidden bias [gates * hiddenSize], or null with `bias: false`. */
  bias_ih: Parameter | null;
  /** Hidden-to-hidden bias [gates * hiddenSize], or null with `bias: false`. */
  bias_hh: Parameter | null;
  /** Features of each input vector. */
  readonly inputSize: number;
  /** Features of the hidden state. */
  readonly hiddenSize: number;
  /** The recurrence this cell computes. */
  readonly mode: RecurrentMode;

  /** Creates the parameters of a cell of `mode`; `name` is used in error messages. */
  constructor(name: string, mode: RecurrentMode, inputSize: number, hiddenSize: number, opts: RNNCellOptions = {}) {
    super();
    this.inputSize = checkSize(name, inputSize, 'inputSize');
    this.hiddenSize = checkSize(name, hiddenSize, 'hiddenSize');
    this.mode = mode;
    const rows = GATES[mode] * hiddenSize;
    const bias = checkBool(name, opts.bias, 'bias', true);
    this.weight_ih = new Parameter(zeros([rows, inputSize], { dtype: opts.dtype }));
    this.weight_hh = new Parameter(zeros([rows, hiddenSize], { dtype: opts.dtype }));
    this.bias_ih = bias ? new Parameter(zeros([rows], { dtype: opts.dtype })) : null;
    this.bias_hh = bias ? new Parameter(zeros([rows], { dtype: opts.dtype })) : null;
    this.resetParameters();
  }

  /** Re-draws every parameter from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)). */
  resetParameters(): void {
    const b = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) uniform_(p, -b, b);
  }

  /** Checks x ([N, inputSize] or [inputSize]) and returns it as 2-D, and whether it was batched. */
  protected input(x: Tensor): { x: Tensor; batched: boolean } {
    const name = this.constructor.name;
    checkTensor(name, x);
    if (x.ndim !== 1 && x.ndim !== 2) throw new ShapeError(`${name}: input must be 2-D (N, inputSize) or 1-D (inputSize), got shape ${fmtShape(x.shape)}`);
    if (x.shape[x.ndim - 1] !== this.inputSize) {
      throw new ShapeError(`${name}: input must have inputSize = ${this.inputSize} features in its last dim, got shape ${fmtShape(x.shape)}`);
    }
    checkDType(name, x, this.weight_ih, 'input');
    return { x: x.ndim === 1 ? P.reshape(x, [1, this.inputSize]) : x, batched: x.ndim === 2 };
  }

  /** Checks a state tensor (`what` names it) against [N, hiddenSize] (or [hiddenSize] unbatched); returns it 2-D. */
  protected state(s: unknown, what: string, n: number, batched: boolean): Tensor {
    const name = this.constructor.name;
    const t = checkTensor(name, s, what);
    const want = batched ? [n, this.hiddenSize] : [this.hiddenSize];
    if (t.ndim !== want.length || t.shape.some((v, d) => v !== want[d])) {
      throw new ShapeError(`${name}: ${what} must have shape ${fmtShape(want)} (${batched ? 'N, hiddenSize' : 'hiddenSize, for unbatched input'}), got ${fmtShape(t.shape)}`);
    }
    checkDType(name, t, this.weight_ih, what);
    return batched ? t : P.reshape(t, [1, this.hiddenSize]);
  }

  /** The projected input x W_ih^T + folded biases, and GRU's b_hn. */
  protected projectInput(x: Tensor): { xg: Tensor; hn: Tensor | null } {
    const b = foldBiases(this.mode, this.bias_ih, this.bias_hh, this.hiddenSize);
    return { xg: project(x, this.weight_ih, b.input), hn: b.hn };
  }

  /**
   * Reports one step to the graph tracer as one op ('lstmCell', 'gruCell', 'rnnCell'): inputs [x, h, c, weight_ih,
   * weight_hh, bias_ih, bias_hh] (null for an absent state or bias), attributes mode and hiddenSize.
   */
  protected traced<R>(op: string, x: Tensor, h: Tensor | null, c: Tensor | null, run: () => R, outputsOf: (r: R) => readonly Tensor[]): R {
    const ins = [x, h, c, this.weight_ih, this.weight_hh, this.bias_ih, this.bias_hh];
    return traceOp(op, ins, { mode: this.mode, hiddenSize: this.hiddenSize }, run, outputsOf);
  }

  /** Sizes and options, as PyTorch prints them. */
  override extraRepr(): string {
    const extra = this.mode === 'RNN_RELU' ? ", nonlinearity='relu'" : '';
    return `${this.inputSize}, ${this.hiddenSize}${this.bias_ih ? '' : ', bias=false'}${extra}`;
  }
}

function unbatch(t: Tensor, batched: boolean): Tensor {
  return batched ? t : P.reshape(t, [t.shape[1]]);
}

/** An LSTM cell: x [N, in] (or [in]) and state [h, c] [N, H] (default zeros) to [h', c']. */
export class LSTMCell extends RNNCellBase {
  /** Creates the cell (weights [4H, in] and [4H, H], gates i, f, g, o). */
  constructor(inputSize: number, hiddenSize: number, opts: RNNCellOptions = {}) {
    super('LSTMCell', 'LSTM', inputSize, hiddenSize, opts);
  }

  /** One step: returns [h', c'], shaped as the input is batched or not. */
  forward(x: Tensor, state?: readonly [Tensor, Tensor] | null): [Tensor, Tensor] {
    if (tracing.tracer !== null) return this.traced('lstmCell', x, state?.[0] ?? null, state?.[1] ?? null, () => this.forward(x, state), (r) => r);
    const inp = this.input(x);
    let h: Tensor | null = null;
    let c: Tensor | null = null;
    if (state !== undefined && state !== null) {
      if (!Array.isArray(state) || state.length !== 2) throw new ValueError(`LSTMCell: state must be a pair [h, c] of tensors, got ${Array.isArray(state) ? `an array of ${state.length}` : typeof state}`);
      h = this.state(state[0], 'h', inp.x.shape[0], inp.batched);
      c = this.state(state[1], 'c', inp.x.shape[0], inp.batched);
    }
    const [h2, c2] = lstmStep(this.projectInput(inp.x).xg, h, c, plainProduct(this.weight_hh), this.hiddenSize);
    return [unbatch(h2, inp.batched), unbatch(c2, inp.batched)];
  }
}

/** A GRU cell: x [N, in] (or [in]) and h [N, H] (default zeros) to h'. */
export class GRUCell extends RNNCellBase {
  /** Creates the cell (weights [3H, in] and [3H, H], gates r, z, n). */
  constructor(inputSize: number, hiddenSize: number, opts: RNNCellOptions = {}) {
    super('GRUCell', 'GRU', inputSize, hiddenSize, opts);
  }

  /** One step: returns h', shaped as the input is batched or not. */
  forward(x: Tensor, h?: Tensor | null): Tensor {
    if (tracing.tracer !== null) return this.traced('gruCell', x, h ?? null, null, () => this.forward(x, h), (r) => [r]);
    const inp = this.input(x);
    const h0 = h === undefined || h === null ? null : this.state(h, 'h', inp.x.shape[0], inp.batched);
    // a one-step whole-sequence op: the projection, the gates and the state update in one kernel call each way
    const [N, I] = inp.x.shape;
    const b = foldBiases(this.mode, this.bias_ih, this.bias_hh, this.hiddenSize);
    const y = recurrentSequence('gru', P.reshape(inp.x, [1, N, I]), this.weight_ih, b.input, this.weight_hh, h0, null, b.hn, false);
    return unbatch(P.reshape(y, [N, this.hiddenSize]), inp.batched);
  }
}

/** Options of RNNCell. */
export interface ElmanCellOptions extends RNNCellOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: 'tanh' | 'relu';
}

/** An Elman RNN cell: h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh), x [N, in] (or [in]), h [N, H] (default zeros). */
export class RNNCell extends RNNCellBase {
  /** The activation, 'tanh' or 'relu'. */
  readonly nonlinearity: 'tanh' | 'relu';

  /** Creates the cell (weights [H, in] and [H, H]). */
  constructor(inputSize: number, hiddenSize: number, opts: ElmanCellOptions = {}) {
    super('RNNCell', rnnMode('RNNCell', opts.nonlinearity), inputSize, hiddenSize, opts);
    this.nonlinearity = this.mode === 'RNN_RELU' ? 'relu' : 'tanh';
  }

  /** One step: returns h', shaped as the input is batched or not. */
  forward(x: Tensor, h?: Tensor | null): Tensor {
    if (tracing.tracer !== null) return this.traced('rnnCell', x, h ?? null, null, () => this.forward(x, h), (r) => [r]);
    const inp = this.input(x);
    const h0 = h === undefined || h === null ? null : this.state(h, 'h', inp.x.shape[0], inp.batched);
    const y = rnnStep(this.projectInput(inp.x).xg, h0, plainProduct(this.weight_hh), this.mode === 'RNN_RELU');
    return unbatch(y, inp.batched);
  }
}
