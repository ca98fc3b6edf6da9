/**
 * LSTM, GRU and RNN layers -> ONNX LSTM/GRU/RNN nodes, one per stacked layer (ONNX has no layer count). The
 * gate blocks are reordered: PyTorch stores LSTM gates as (i, f, g, o) and ONNX as (i, o, f, c); GRU as (r, z, n)
 * and ONNX as (z, r, h), with linear_before_reset = 1 for PyTorch's formula.
 * @module
 */
import type { GraphNode } from '../../jit/graph.js';
import type { DType } from '../../tensor/dtype.js';
import { ai, aints, as, astrings, UnsupportedOpError } from './builder.js';
import type { ConvertContext } from './convert.js';

/** For each ONNX gate block, the PyTorch block it comes from. */
const GATE_ORDER: Record<string, readonly number[]> = { lstm: [0, 3, 1, 2], gru: [1, 0, 2], rnn: [0] };

/** Rows [G*H, cols] of `data` with its G blocks of H rows put in `order`. */
function reorder(data: ArrayLike<number>, order: readonly number[], H: number, cols: number): number[] {
  const outRows: number[] = [];
  for (const g of order) for (let r = 0; r < H * cols; r++) outRows.push(data[g * H * cols + r]);
  return outRows;
}

/** Writes the nodes of a traced 'lstm' / 'gru' / 'rnn' op (inputs [x, h_0, c_0, ...weights per layer and direction]). */
export function convertRecurrent(ctx: ConvertContext, n: GraphNode, need: (k: number) => string): void {
  const a = n.attrs;
  if (a.training === true && Number(a.dropout) > 0 && Number(a.numLayers) > 1) {
    throw new UnsupportedOpError(n.op, 'traced in training mode with dropout between layers; call model.eval() first');
  }
  const x = need(0);
  if (ctx.info(x).shape.length !== 3) throw new UnsupportedOpError(n.op, 'input must be batched (rank 3)');
  const H = Number(a.hiddenSize);
  const L = Number(a.numLayers);
  const D = a.bidirectional === true ? 2 : 1;
  const bias = a.bias === true;
  const per = bias ? 4 : 2;
  const order = GATE_ORDER[n.op];
  const G = order.length;
  const b = ctx.b;
  const dtype: DType = n.outputs[0].dtype;
  const weight = (k: number) => {
    const name = n.inputs[3 + k];
    const t = name === null ? undefined : ctx.tensorOf(name);
    if (t === undefined || name === null) throw new UnsupportedOpError(n.op, 'its weights must be parameters of the traced model');
    return { name, t };
  };
  const prefix = weight(0).name.replace(/weight_ih_l0$/, '');
  const slice = (s: string, l: number) => b.node('Slice', [s, b.int64('starts', [l * D]), b.int64('ends', [(l + 1) * D]), b.int64('axes', [0])], [b.tmp('state_l')]);
  const h0 = n.inputs[1] !== null ? need(1) : null;
  const c0 = n.op === 'lstm' && n.inputs[2] !== null ? need(2) : null;
  let input = a.batchFirst === true ? b.node('Transpose', [x], [b.tmp('time_major')], { perm: aints([1, 0, 2]) }) : x;
  const hs: string[] = [];
  const cs: string[] = [];
  for (let l = 0; l < L; l++) {
    const W: number[] = [];
    const R: number[] = [];
    const B: number[] = [];
    let inSize = 0;
    for (let d = 0; d < D; d++) {
      const base = (l * D + d) * per;
      const wih = weight(base).t;
      inSize = wih.shape[1];
      W.push(...reorder(wih.toTypedArray() as ArrayLike<number>, order, H, inSize));
      R.push(...reorder(weight(base + 1).t.toTypedArray() as ArrayLike<number>, order, H, H));
      if (bias) {
        B.push(...reorder(weight(base + 2).t.toTypedArray() as ArrayLike<number>, order, H, 1));
        B.push(...reorder(weight(base + 3).t.toTypedArray() as ArrayLike<number>, order, H, 1));
      }
    }
    const ins = [input, b.values(`${prefix}W_l${l}`, [D, G * H, inSize], dtype, W), b.values(`${prefix}R_l${l}`, [D, G * H, H], dtype, R)];
    ins.push(bias ? b.values(`${prefix}B_l${l}`, [D, 2 * G * H], dtype, B) : '', '');
    ins.push(h0 !== null ? slice(h0, l) : '');
    if (n.op === 'lstm') ins.push(c0 !== null ? slice(c0, l) : '');
    while (ins[ins.length - 1] === '') ins.pop();
    const attrs = { hidden_size: ai(H), direction: as(D === 2 ? 'bidirectional' : 'forward') } as Record<string, ReturnType<typeof ai>>;
    if (n.op === 'gru') attrs.linear_before_reset = ai(1);
    if (n.op === 'rnn') attrs.activations = astrings(new Array<string>(D).fill(a.mode === 'RNN_RELU' ? 'Relu' : 'Tanh'));
    const y = b.tmp(`${n.op}_y_l${l}`);
    const yh = b.tmp(`${n.op}_h_l${l}`);
    const yc = b.tmp(`${n.op}_c_l${l}`);
    b.node(n.op.toUpperCase(), ins, n.op === 'lstm' ? [y, yh, yc] : [y, yh], attrs);
    hs.push(yh);
    cs.push(yc);
    // Y is [L, D, N, H]: directions next to the features, as PyTorch's [L, N, D*H].
    const tr = b.node('Transpose', [y], [b.tmp('y_t')], { perm: aints([0, 2, 1, 3]) });
    input = b.node('Reshape', [tr, b.int64('shape', [0, 0, -1])], [b.tmp('y_seq')]);
  }
  if (a.batchFirst === true) b.node('Transpose', [input], [n.outputs[0].name], { perm: aints([1, 0, 2]) });
  else b.node('Identity', [input], [n.outputs[0].name]);
  const join = (parts: string[], k: number) => (parts.length === 1 ? b.node('Identity', parts, [n.outputs[k].name]) : b.node('Concat', parts, [n.outputs[k].name], { axis: ai(0) }));
  join(hs, 1);
  if (n.op === 'lstm') join(cs, 2);
}

/** ONNX op of each traced cell. */
const CELL_OP: Record<string, 'LSTM' | 'GRU' | 'RNN'> = { lstmCell: 'LSTM', gruCell: 'GRU', rnnCell: 'RNN' };

/**
 * Writes a traced 'lstmCell' / 'gruCell' / 'rnnCell' step (inputs [x, h, c, weight_ih, weight_hh, bias_ih,
 * bias_hh]) as an ONNX LSTM/GRU/RNN node over a sequence of one step: x [N, in] (or [in]) -> h' (and c').
 */
export function convertCell(ctx: ConvertContext, n: GraphNode, need: (k: number) => string): void {
  const op = CELL_OP[n.op];
  const b = ctx.b;
  const x = need(0);
  const batched = ctx.info(x).shape.length === 2;
  const H = Number(n.attrs.hiddenSize);
  const order = GATE_ORDER[op.toLowerCase()];
  const G = order.length;
  const dtype: DType = n.outputs[0].dtype;
  const weight = (k: number) => {
    const name = n.inputs[k];
    const t = name === null ? undefined : ctx.tensorOf(name);
    if (t === undefined || name === null) throw new UnsupportedOpError(n.op, 'its weights must be parameters of the traced model');
    return { name, t };
  };
  const wih = weight(3);
  const prefix = wih.name.replace(/weight_ih$/, '');
  const data = (k: number) => weight(k).t.contiguous().toTypedArray() as ArrayLike<number>;
  const inSize = wih.t.shape[1];
  // one time step: [1, N, in] (unbatched: [1, 1, in]); states [1, N, H]
  const seq = (v: string, size: number) => (batched ? b.node('Unsqueeze', [v, b.int64('axes', [0])], [b.tmp('step')]) : b.node('Reshape', [v, b.int64('shape', [1, 1, size])], [b.tmp('step')]));
  const ins = [seq(x, inSize), b.values(`${prefix}W`, [1, G * H, inSize], dtype, reorder(data(3), order, H, inSize)), b.values(`${prefix}R`, [1, G * H, H], dtype, reorder(data(4), order, H, H))];
  ins.push(n.inputs[5] !== null ? b.values(`${prefix}B`, [1, 2 * G * H], dtype, [...reorder(data(5), order, H, 1), ...reorder(data(6), order, H, 1)]) : '', '');
  ins.push(n.inputs[1] !== null ? seq(need(1), H) : '');
  if (op === 'LSTM') ins.push(n.inputs[2] !== null ? seq(need(2), H) : '');
  while (ins[ins.length - 1] === '') ins.pop();
  const attrs = { hidden_size: ai(H) } as Record<string, ReturnType<typeof ai>>;
  if (op === 'GRU') attrs.linear_before_reset = ai(1);
  if (op === 'RNN') attrs.activations = astrings([n.attrs.mode === 'RNN_RELU' ? 'Relu' : 'Tanh']);
  const yh = b.tmp('cell_h');
  const yc = b.tmp('cell_c');
  b.node(op, ins, op === 'LSTM' ? ['', yh, yc] : ['', yh], attrs);
  // Y_h and Y_c are [1, N, H]
  const unstep = (v: string, k: number) => (batched ? b.node('Squeeze', [v, b.int64('axes', [0])], [n.outputs[k].name]) : b.node('Reshape', [v, b.int64('shape', [H])], [n.outputs[k].name]));
  unstep(yh, 0);
  if (op === 'LSTM') unstep(yc, 1);
}
