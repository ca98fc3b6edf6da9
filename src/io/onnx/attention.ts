/**
 * nn.MultiheadAttention (traced as one 'multiheadAttention' op) -> standard opset-17 ONNX ops, as PyTorch's own
 * exporter decomposes it: MatMul/Add projections, Reshape/Transpose into heads, the scaled scores, masks added
 * (bool ones through Where to -inf), Softmax, the weighted sum and the output projection. Computed in [N, T, E]
 * with Reshape's copy-dims (0), so the batch size and sequence lengths stay free in the file.
 * @module
 */
import type { GraphNode } from '../../jit/graph.js';
import type { DType } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { ai, aints, UnsupportedOpError } from './builder.js';
import type { ConvertContext } from './convert.js';

/** Input slots of the traced op (src/nn/attention.ts reports them in this order). */
const IN = { query: 0, key: 1, value: 2, inProj: 3, qProj: 4, kProj: 5, vProj: 6, inBias: 7, biasK: 8, biasV: 9, outW: 10, outB: 11, attnMask: 12, padMask: 13 } as const;

/** Rows [start, start + rows) of a row-major [*, cols] matrix, transposed to [cols, rows]. */
function transposedRows(t: Tensor, start: number, rows: number): number[] {
  const cols = t.shape[1];
  const data = t.contiguous().toTypedArray() as ArrayLike<number>;
  const outv = new Array<number>(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) outv[c * rows + r] = data[(start + r) * cols + c];
  return outv;
}

/** Writes the nodes of a traced 'multiheadAttention' op (see the module comment). */
export function convertAttention(ctx: ConvertContext, n: GraphNode, need: (k: number) => string): void {
  const a = n.attrs;
  if (a.training === true && Number(a.dropout) > 0) throw new UnsupportedOpError(n.op, 'traced in training mode with attention dropout; call model.eval() first');
  const b = ctx.b;
  const dt: DType = n.outputs[0].dtype;
  const E = Number(a.embedDim);
  const H = Number(a.numHeads);
  const d = E / H;
  const param = (k: number): { name: string; t: Tensor } | null => {
    const name = n.inputs[k];
    if (name === null || name === undefined) return null;
    const t = ctx.tensorOf(name);
    if (t === undefined) throw new UnsupportedOpError(n.op, `its weights must be parameters of the traced model ('${name}' is computed)`);
    return { name, t };
  };
  const outW = param(IN.outW);
  if (outW === null) throw new UnsupportedOpError(n.op, 'out_proj.weight is missing');
  const prefix = outW.name.replace(/out_proj\.weight$/, '');
  const rank = ctx.info(need(IN.query)).shape.length;
  const batched = rank === 3;
  const t = (hint: string) => b.tmp(hint);
  const c = (hint: string, v: number) => b.values(hint, [], dt, [v]);
  // every input to [N, T, features]
  const toNTE = (x: string) => {
    if (!batched) return b.node('Unsqueeze', [x, b.int64('axes', [0])], [t('batched')]);
    return a.batchFirst === true ? x : b.node('Transpose', [x], [t('batch_first')], { perm: aints([1, 0, 2]) });
  };
  const inB = param(IN.inBias);
  const project = (x: string, i: number, which: string) => {
    const packed = param(IN.inProj);
    const w = packed ?? param([IN.qProj, IN.kProj, IN.vProj][i]);
    if (w === null) throw new UnsupportedOpError(n.op, `the ${which} projection weight is missing`);
    const start = packed === null ? 0 : i * E;
    const wt = b.values(`${prefix}${which}_proj_weight_T`, [w.t.shape[1], E], dt, transposedRows(w.t, start, E));
    const y = b.node('MatMul', [x, wt], [t(`${which}_mm`)]);
    if (inB === null) return y;
    const bias = Array.from(inB.t.contiguous().toTypedArray() as ArrayLike<number>).slice(i * E, (i + 1) * E);
    return b.node('Add', [y, b.values(`${prefix}${which}_proj_bias`, [E], dt, bias)], [t(`${which}_proj`)]);
  };
  // [N, 1, ...rest]: a learned vector or zeros expanded over the (dynamic) batch of `like`
  const overBatch = (v: string, like: string, rest: number[]) => {
    const batch = b.node('Shape', [like], [t('batch_size')], { start: ai(0), end: ai(1) });
    const shape = b.node('Concat', [batch, b.int64('rest', rest)], [t('expand_shape')], { axis: ai(0) });
    return b.node('Expand', [v, shape], [t('expanded')]);
  };
  const heads = (x: string, what: string) => {
    const r = b.node('Reshape', [x, b.int64('heads_shape', [0, 0, H, d])], [t(`${what}_split`)]);
    return b.node('Transpose', [r], [t(`${what}_heads`)], { perm: aints([0, 2, 1, 3]) });
  };
  const q = heads(project(toNTE(need(IN.query)), 0, 'q'), 'q');
  let kp = project(toNTE(need(IN.key)), 1, 'k');
  let vp = project(toNTE(need(IN.value)), 2, 'v');
  let extra = 0;
  const bk = param(IN.biasK);
  const bv = param(IN.biasV);
  if (bk !== null && bv !== null) {
    kp = b.node('Concat', [kp, overBatch(b.tensor(bk.name, bk.t), kp, [1, E])], [t('k_bias_kv')], { axis: ai(1) });
    vp = b.node('Concat', [vp, overBatch(b.tensor(bv.name, bv.t), vp, [1, E])], [t('v_bias_kv')], { axis: ai(1) });
    extra++;
  }
  let k = heads(kp, 'k');
  let v = heads(vp, 'v');
  if (a.addZeroAttn === true) {
    const zeros = b.values('zero_attn', [1, H, 1, d], dt, new Array<number>(H * d).fill(0));
    k = b.node('Concat', [k, overBatch(zeros, k, [H, 1, d])], [t('k_zero_attn')], { axis: ai(2) });
    v = b.node('Concat', [v, overBatch(zeros, v, [H, 1, d])], [t('v_zero_attn')], { axis: ai(2) });
    extra++;
  }
  // PyTorch 1.13 scales q before the product (shendu too): the same float32 rounding
  const qs = b.node('Mul', [q, c('scale', 1 / Math.sqrt(d))], [t('q_scaled')]);
  let scores = b.node('MatMul', [qs, b.node('Transpose', [k], [t('k_t')], { perm: aints([0, 1, 3, 2]) })], [t('scores')]);
  const additive = (k0: number, arg: string, toRank4: (m: string, r: number) => string) => {
    const name = n.inputs[k0];
    if (name === null || name === undefined) return;
    const info = ctx.info(need(k0));
    let m = name;
    if (info.dtype === 'bool') m = b.node('Where', [m, c('neg_inf', -Infinity), c('zero', 0)], [t(`${arg}_additive`)]);
    else if (info.dtype !== dt) throw new UnsupportedOpError(n.op, `${arg} of dtype ${info.dtype} (bool or ${dt})`);
    m = toRank4(m, info.shape.length);
    if (extra > 0) m = b.node('Pad', [m, b.int64('pads', [0, 0, 0, 0, 0, 0, 0, extra])], [t(`${arg}_padded`)]);
    scores = b.node('Add', [scores, m], [t('masked_scores')]);
  };
  // [L, S] broadcasts as it is; [N * H, L, S] splits its heads
  additive(IN.attnMask, 'attnMask', (m, r) => {
    if (r === 2) return b.node('Unsqueeze', [m, b.int64('axes', [0, 1])], [t('attn_mask4')]);
    const [, L, S] = ctx.info(n.inputs[IN.attnMask] as string).shape as number[];
    return b.node('Reshape', [m, b.int64('mask_shape', [-1, H, L, S])], [t('attn_mask4')]);
  });
  // [N, S] (unbatched [S]) -> [N, 1, 1, S]
  additive(IN.padMask, 'keyPaddingMask', (m, r) => b.node('Unsqueeze', [m, b.int64('axes', r === 2 ? [1, 2] : [0, 1, 2])], [t('pad_mask4')]));
  const weights = b.node('Softmax', [scores], [t('attn_weights')], { axis: ai(3) });
  const o = b.node('Transpose', [b.node('MatMul', [weights, v], [t('attended')])], [t('attended_t')], { perm: aints([0, 2, 1, 3]) });
  const merged = b.node('Reshape', [o, b.int64('merge_shape', [0, 0, E])], [t('merged')]);
  let y = b.node('MatMul', [merged, b.values(`${prefix}out_proj_weight_T`, [E, E], dt, transposedRows(outW.t, 0, E))], [t('out_mm')]);
  const outB = param(IN.outB);
  if (outB !== null) y = b.node('Add', [y, b.tensor(outB.name, outB.t)], [t('out_proj')]);
  const squeeze0 = (x: string, to: string) => b.node('Squeeze', [x, b.int64('axes', [0])], [to]);
  if (!batched) squeeze0(y, n.outputs[0].name);
  else if (a.batchFirst === true) b.node('Identity', [y], [n.outputs[0].name]);
  else b.node('Transpose', [y], [n.outputs[0].name], { perm: aints([1, 0, 2]) });
  if (n.outputs.length < 2) return;
  const w = a.averageAttnWeights === true ? b.node('ReduceMean', [weights], [t('mean_weights')], { axes: aints([1]), keepdims: ai(0) }) : weights;
  if (!batched) squeeze0(w, n.outputs[1].name);
  else b.node('Identity', [w], [n.outputs[1].name]);
}
