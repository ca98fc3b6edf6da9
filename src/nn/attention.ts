/**
 * nn.MultiheadAttention, as PyTorch 1.13's: packed or separate input projections under PyTorch's parameter names,
 * bool and float masks, head-averaged weights, batch-first and unbatched inputs.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { additiveMask, attend, attendFused } from '../ops/attention.js';
import { cat, narrow } from '../ops/movement.js';
import { pad } from '../ops/pad.js';
import { mean } from '../ops/reduce.js';
import { traceOp, tracing } from '../ops/trace-hook.js';
import { checkTensor } from '../ops/util.js';
import { zeros } from '../tensor/creation.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { linear } from './functional.js';
import { constant_, xavierNormal_, xavierUniform_ } from './init.js';
import { Linear, checkSize } from './linear.js';
import { Module, Parameter } from './module.js';

/** Options of `nn.MultiheadAttention`. */
export interface MultiheadAttentionOptions {
  /** Dropout probability on the attention weights in training (default 0). */
  dropout?: number;
  /** Input and output projection biases (default true). */
  bias?: boolean;
  /** Feature size of the keys (default embedDim). */
  kdim?: number;
  /** Feature size of the values (default embedDim). */
  vdim?: number;
  /** Inputs and outputs are [N, L, E] instead of [L, N, E] (default false). */
  batchFirst?: boolean;
  /** Learned key and value vectors (bias_k, bias_v [1, 1, E]) appended to the keys and values (default false). */
  addBiasKv?: boolean;
  /** Append a zero key and value to every sequence, after the projections (default false). */
  addZeroAttn?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/** Per-call options of `MultiheadAttention.forward`. */
export interface MultiheadAttentionForwardOptions {
  /** [N, S] (unbatched [S]): bool, true = this key is padding and is ignored; or float, added to the scores. */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights (default true); otherwise the second result is null. */
  needWeights?: boolean;
  /** [L, S] or [N * numHeads, L, S]: bool, true = may NOT attend; or float, added to the scores. */
  attnMask?: Tensor | null;
  /** Average the returned weights over the heads, [N, L, S], instead of [N, numHeads, L, S] (default true). */
  averageAttnWeights?: boolean;
}

/**
 * Multi-head attention (Vaswani et al., 2017): `forward(query, key, value)` with query [L, N, E], key [S, N, kdim],
 * value [S, N, vdim] ([N, L, E] ... with batchFirst; [L, E] ... unbatched) returns the output [L, N, E] and the
 * attention weights [N, L, S] (per head [N, H, L, S] without averaging). Parameters carry PyTorch's names:
 * in_proj_weight [3E, E] (or q_proj_weight, k_proj_weight, v_proj_weight when kdim or vdim differ from E),
 * in_proj_bias [3E], bias_k and bias_v [1, 1, E] (with addBiasKv), out_proj.weight, out_proj.bias. With addBiasKv
 * and addZeroAttn the keys gain one column each, so the weights are [N, L, S + 1] or [N, L, S + 2].
 */
export class MultiheadAttention extends Module {
  /** Packed query/key/value projection [3E, E], or null when kdim or vdim differ from E. */
  in_proj_weight: Parameter | null = null;
  /** Query projection [E, E] when the projections are separate, else null. */
  q_proj_weight: Parameter | null = null;
  /** Key projection [E, kdim] when the projections are separate, else null. */
  k_proj_weight: Parameter | null = null;
  /** Value projection [E, vdim] when the projections are separate, else null. */
  v_proj_weight: Parameter | null = null;
  /** Query, key and value projection biases [3E], or null without bias. */
  in_proj_bias: Parameter | null;
  /** Learned extra key [1, 1, E] with addBiasKv, else null. */
  bias_k: Parameter | null;
  /** Learned extra value [1, 1, E] with addBiasKv, else null. */
  bias_v: Parameter | null;
  /** Whether a zero key and value are appended. */
  readonly addZeroAttn: boolean;
  /** The output projection E -> E. */
  out_proj: Linear;
  /** Feature size of the keys. */
  readonly kdim: number;
  /** Feature size of the values. */
  readonly vdim: number;
  /** Size of each head, embedDim / numHeads. */
  readonly headDim: number;
  /** Dropout on the attention weights. */
  readonly dropout: number;
  /** Whether inputs are [N, L, E]. */
  readonly batchFirst: boolean;

  /** Creates the layer; embedDim must be divisible by numHeads. */
  constructor(readonly embedDim: number, readonly numHeads: number, opts: MultiheadAttentionOptions = {}) {
    super();
    const name = 'MultiheadAttention';
    checkSize(name, embedDim, 'embedDim');
    checkSize(name, numHeads, 'numHeads');
    if (embedDim % numHeads !== 0) throw new ValueError(`${name}: embedDim (${embedDim}) must be divisible by numHeads (${numHeads})`);
    this.kdim = checkSize(name, opts.kdim ?? embedDim, 'kdim');
    this.vdim = checkSize(name, opts.vdim ?? embedDim, 'vdim');
    this.headDim = embedDim / numHeads;
    this.dropout = opts.dropout ?? 0;
    if (typeof this.dropout !== 'number' || !(this.dropout >= 0 && this.dropout <= 1)) throw new ValueError(`${name}: dropout must be in [0, 1], got ${String(opts.dropout)}`);
    this.batchFirst = opts.batchFirst ?? false;
    const dtype = opts.dtype;
    const E = embedDim;
    if (this.kdim === E && this.vdim === E) {
      this.in_proj_weight = new Parameter(zeros([3 * E, E], { dtype }));
    } else {
      this.q_proj_weight = new Parameter(zeros([E, E], { dtype }));
      this.k_proj_weight = new Parameter(zeros([E, this.kdim], { dtype }));
      this.v_proj_weight = new Parameter(zeros([E, this.vdim], { dtype }));
    }
    this.in_proj_bias = opts.bias === false ? null : new Parameter(zeros([3 * E], { dtype }));
    const kv = opts.addBiasKv ?? false;
    this.bias_k = kv ? new Parameter(zeros([1, 1, E], { dtype })) : null;
    this.bias_v = kv ? new Parameter(zeros([1, 1, E], { dtype })) : null;
    this.addZeroAttn = opts.addZeroAttn ?? false;
    this.out_proj = new Linear(E, E, { bias: opts.bias !== false, dtype });
    this.resetParameters();
  }

  /** PyTorch's initialization: Xavier-uniform input projections, zero biases, the output weight as a Linear's. */
  resetParameters(): void {
    for (const w of [this.in_proj_weight, this.q_proj_weight, this.k_proj_weight, this.v_proj_weight]) if (w) xavierUniform_(w);
    if (this.in_proj_bias) constant_(this.in_proj_bias, 0);
    if (this.out_proj.bias) constant_(this.out_proj.bias, 0);
    for (const b of [this.bias_k, this.bias_v]) if (b) xavierNormal_(b);
  }

  private project(x: Tensor, i: number): Tensor {
    const E = this.embedDim;
    const w = this.in_proj_weight ? narrow(this.in_proj_weight, 0, i * E, E) : [this.q_proj_weight, this.k_proj_weight, this.v_proj_weight][i]!;
    const b = this.in_proj_bias ? narrow(this.in_proj_bias, 0, i * E, E) : null;
    return linear(x, w, b);
  }

  /** Attends from `query` to `key`/`value`; returns [output, weights or null] (see the class for shapes). */
  forward(query: Tensor, key: Tensor, value: Tensor, opts: MultiheadAttentionForwardOptions = {}): [Tensor, Tensor | null] {
    const name = 'MultiheadAttention';
    // traced as one op (as PyTorch's exporter sees the module): the ONNX exporter writes its decomposition
    if (tracing.tracer !== null) {
      const ins = [query, key, value, this.in_proj_weight, this.q_proj_weight, this.k_proj_weight, this.v_proj_weight, this.in_proj_bias,
        this.bias_k, this.bias_v, this.out_proj.weight, this.out_proj.bias, opts.attnMask ?? null, opts.keyPaddingMask ?? null];
      const attrs = { embedDim: this.embedDim, numHeads: this.numHeads, batchFirst: this.batchFirst, addZeroAttn: this.addZeroAttn, dropout: this.dropout,
        training: this.training, needWeights: opts.needWeights !== false, averageAttnWeights: opts.averageAttnWeights ?? true };
      return traceOp('multiheadAttention', ins, attrs, () => this.forward(query, key, value, opts), (r) => (r[1] === null ? [r[0]] : [r[0], r[1]]));
    }
    checkTensor(name, query, 'query');
    checkTensor(name, key, 'key');
    checkTensor(name, value, 'value');
    const batched = query.ndim === 3;
    if (!batched && query.ndim !== 2) throw new ShapeError(`${name}: query must be 3-D (batched) or 2-D (unbatched), got shape ${fmtShape(query.shape)}`);
    for (const [t, arg, dim] of [[key, 'key', this.kdim], [value, 'value', this.vdim]] as const) {
      if (t.ndim !== query.ndim) throw new ShapeError(`${name}: ${arg} must be ${query.ndim}-D like the query, got shape ${fmtShape(t.shape)}`);
      if (t.shape[t.ndim - 1] !== dim) throw new ShapeError(`${name}: ${arg} must end with ${arg === 'key' ? 'kdim' : 'vdim'} = ${dim}, got shape ${fmtShape(t.shape)}`);
    }
    if (query.shape[query.ndim - 1] !== this.embedDim) throw new ShapeError(`${name}: query must end with embedDim = ${this.embedDim}, got shape ${fmtShape(query.shape)}`);
    const ref = this.out_proj.weight;
    for (const [t, arg] of [[query, 'query'], [key, 'key'], [value, 'value']] as const) {
      if (t.dtype !== ref.dtype) throw new DTypeError(`${name}: ${arg} dtype ${t.dtype} differs from the parameters' dtype ${ref.dtype}`);
    }
    if (opts.needWeights === false && !this.bias_k && !this.addZeroAttn) {
      const out = this.attendWhereTheyLie(query, key, value, opts, batched);
      if (out) return [out, null];
    }
    // to [L, N, E], the layout PyTorch computes in
    const seqFirst = (t: Tensor) => (!batched ? P.reshape(t, [t.shape[0], 1, t.shape[1]]) : this.batchFirst ? P.permute(t, [1, 0, 2]) : t);
    // self-attention on a batch-first input: one row-major copy of the [L, N, E] view serves all three projections
    // (each would otherwise copy it to fold its leading dims)
    const qf = seqFirst(query);
    const selfInput = query === key && key === value && !P.isContiguous(qf);
    const q0 = selfInput ? P.copy(qf) : qf;
    const k0 = selfInput ? q0 : seqFirst(key);
    const v0 = selfInput ? q0 : seqFirst(value);
    const [L, N, E] = q0.shape;
    const S = k0.shape[0];
    if (k0.shape[1] !== N || v0.shape[1] !== N) throw new ShapeError(`${name}: query, key and value must have one batch size, got shapes ${fmtShape(query.shape)}, ${fmtShape(key.shape)}, ${fmtShape(value.shape)}`);
    if (v0.shape[0] !== S) throw new ShapeError(`${name}: key and value must have one length, got shapes ${fmtShape(key.shape)} and ${fmtShape(value.shape)}`);
    const H = this.numHeads;
    const d = this.headDim;
    // [T, N, E] -> [N * H, T, d]
    const heads = (t: Tensor) => P.permute(P.reshape(t, [t.shape[0], N * H, d]), [1, 0, 2]);
    // the extra key/value columns (bias_k/v, then a zero one) may always be attended to: masks get zero columns
    const withBias = (t: Tensor, b: Parameter | null) => (b ? cat([t, P.expand(b, [1, N, E])], 0) : t);
    const withZero = (t: Tensor) => (this.addZeroAttn ? cat([t, P.filled([N * H, 1, d], 0, t.dtype, t.device)], 1) : t);
    const q = heads(this.project(q0, 0));
    const k = withZero(heads(withBias(this.project(k0, 1), this.bias_k)));
    const v = withZero(heads(withBias(this.project(v0, 2), this.bias_v)));
    const extra = k.shape[1] - S;
    let mask = this.maskOf(opts, batched, L, S, N, query.dtype);
    if (mask !== null && extra > 0) mask = pad(mask, [0, extra]);
    const fused = opts.needWeights === false ? attendFused(q, k, v, mask, 1 / Math.sqrt(d), this.dropout, this.training) : null;
    const { output, weights } = fused ? { output: fused, weights: null } : attend(q, k, v, mask, 1 / Math.sqrt(d), this.dropout, this.training);
    const merged = P.reshape(P.permute(output, [1, 0, 2]), [L * N, E]);
    let out = P.reshape(this.out_proj.forward(merged), [L, N, E]);
    if (!batched) out = P.reshape(out, [L, E]);
    else if (this.batchFirst) out = P.permute(out, [1, 0, 2]);
    if (opts.needWeights === false || weights === null) return [out, null];
    let w = P.reshape(weights, [N, H, L, S + extra]);
    if (opts.averageAttnWeights ?? true) w = mean(w, 1);
    if (!batched) w = P.reshape(w, w.shape.slice(1));
    return [out, w];
  }

  /**
   * The output without weights, in the input's own layout: the projections of [N, T, E] (batch first) or [T, N, E]
   * rows, their heads [N, H, T, d] strided views of them, the fused kernel's output laid out as the query's heads
   * (so its [N, L, E] or [L, N, E] rows are the output projection's input as they are). No permute copies either
   * way, and the same numbers as the [L, N, E] route (each product the same sums, pair n * H + h the same
   * dropout draws). Null where the fused kernel does not apply; the caller then takes that route.
   */
  private attendWhereTheyLie(query: Tensor, key: Tensor, value: Tensor, opts: MultiheadAttentionForwardOptions, batched: boolean): Tensor | null {
    const H = this.numHeads;
    const d = this.headDim;
    const E = this.embedDim;
    const bf = !batched || this.batchFirst;
    const as3 = (t: Tensor) => (batched ? t : P.reshape(t, [1, ...t.shape]));
    const [q3, k3, v3] = [as3(query), as3(key), as3(value)];
    const [N, L] = bf ? q3.shape : [q3.shape[1], q3.shape[0]];
    const S = bf ? k3.shape[1] : k3.shape[0];
    if ((bf ? k3.shape[0] : k3.shape[1]) !== N || (bf ? v3.shape[0] : v3.shape[1]) !== N || (bf ? v3.shape[1] : v3.shape[0]) !== S) return null;
    // [A, B, E] rows -> [A, B, H, d] -> [N, H, T, d]
    const heads = (t: Tensor) => P.permute(P.reshape(t, [t.shape[0], t.shape[1], H, d]), bf ? [0, 2, 1, 3] : [1, 2, 0, 3]);
    let mask = this.maskOf(opts, batched, L, S, N, query.dtype);
    // [1 or N*H, L or 1, S] -> [1 or N, 1 or H, L or 1, S]
    if (mask !== null) mask = P.reshape(mask, mask.shape[0] === 1 ? [1, 1, mask.shape[1], S] : [N, H, mask.shape[1], S]);
    const out = attendFused(heads(this.project(q3, 0)), heads(this.project(k3, 1)), heads(this.project(v3, 2)), mask, 1 / Math.sqrt(d), this.dropout, this.training);
    if (out === null) return null;
    const rows = P.reshape(P.permute(out, bf ? [0, 2, 1, 3] : [2, 0, 1, 3]), bf ? [N, L, E] : [L, N, E]);
    const y = this.out_proj.forward(rows);
    return batched ? y : P.reshape(y, [L, E]);
  }

  /** The merged additive mask [1 or N*H, L, S], or null. */
  private maskOf(opts: MultiheadAttentionForwardOptions, batched: boolean, L: number, S: number, N: number, dtype: DType): Tensor | null {
    const name = 'MultiheadAttention';
    const H = this.numHeads;
    let mask: Tensor | null = null;
    if (opts.attnMask) {
      const m = checkTensor(name, opts.attnMask, 'attnMask');
      const ok2 = m.ndim === 2 && m.shape[0] === L && m.shape[1] === S;
      const ok3 = m.ndim === 3 && m.shape[0] === N * H && m.shape[1] === L && m.shape[2] === S;
      if (!ok2 && !ok3) throw new ShapeError(`${name}: attnMask must be [L, S] = [${L}, ${S}] or [N * numHeads, L, S] = [${N * H}, ${L}, ${S}], got shape ${fmtShape(m.shape)}`);
      mask = additiveMask(name, m, 'attnMask', dtype, 'masked');
      if (ok2) mask = P.reshape(mask, [1, L, S]);
    }
    if (opts.keyPaddingMask) {
      const m = checkTensor(name, opts.keyPaddingMask, 'keyPaddingMask');
      const want = batched ? [N, S] : [S];
      if (m.ndim !== want.length || m.shape.some((s, i) => s !== want[i])) throw new ShapeError(`${name}: keyPaddingMask must be ${fmtShape(want)} (batch, key length), got shape ${fmtShape(m.shape)}`);
      const pad = additiveMask(name, m, 'keyPaddingMask', dtype, 'masked');
      const perHead = P.reshape(P.expand(P.reshape(pad, [N, 1, 1, S]), [N, H, 1, S]), [N * H, 1, S]);
      mask = mask === null ? perHead : P.binary('add', mask, perHead);
    }
    return mask;
  }

  /** `embedDim=…, numHeads=…`. */
  override extraRepr(): string {
    return `embedDim=${this.embedDim}, numHeads=${this.numHeads}, dropout=${this.dropout}, batchFirst=${this.batchFirst}`;
  }
}
