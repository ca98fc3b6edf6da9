/**
 * The ONNX ops an imported graph runs, each with shendu's ops: what PyTorch's exporter writes for LeNet, ResNets
 * and LSTMs (with its shape arithmetic on int64 values, done on the host) and what our exporter writes. Any other
 * op, or an option shendu cannot follow, is a ValueError naming the op and the node.
 * @module
 */
import { ValueError } from '../../errors.js';
import { linear } from '../../nn/functional.js';
import { GRU, LSTM, RNN, type RNNBase } from '../../nn/recurrent.js';
import { elu, leakyRelu, logSoftmax, relu, sigmoid, softmax, softplus, tanh } from '../../ops/activation.js';
import { conv1d, conv2d, convTranspose1d, convTranspose2d } from '../../ops/conv.js';
import { add, div, erf, mul, sub } from '../../ops/elementwise.js';
import { indexSelect } from '../../ops/indexing.js';
import { matmul } from '../../ops/matmul.js';
import { cat, expand, permute, reshape, narrow } from '../../ops/movement.js';
import { eq, where } from '../../ops/compare.js';
import { mean, sum } from '../../ops/reduce.js';
import { broadcastShapes } from '../../tensor/shape.js';
import { batchNorm, layerNorm } from '../../ops/norm.js';
import { pad } from '../../ops/pad.js';
import { adaptiveAvgPool2d, adaptiveMaxPool2d, avgPool2d, maxPool2d } from '../../ops/pool.js';
import { full, tensor } from '../../tensor/creation.js';
import { Tensor } from '../../tensor/tensor.js';
import { HostInts, type OnnxModel, type OnnxNode, type OnnxValue } from './import.js';

type In = OnnxValue | null;

function fail(n: OnnxNode, why: string): never {
  throw new ValueError(`onnx import: op ${n.opType} (node ${n.name}): ${why}`);
}

function t(n: OnnxNode, v: In, k: number): Tensor {
  if (v instanceof Tensor) return v;
  if (v instanceof HostInts) return tensor(v.data, { dtype: 'int32', shape: v.shape });
  return fail(n, `input ${k} is missing`);
}

function ints(n: OnnxNode, v: In, k: number): number[] {
  if (v instanceof HostInts) return [...v.data];
  if (v instanceof Tensor && v.dtype === 'int32') return Array.from(v.toTypedArray() as Int32Array);
  return fail(n, `input ${k} must be int64 values`);
}

/** A literal default's type widened (0 -> number), so attribute reads compare with any value. */
type Widen<T> = T extends number ? number : T extends string ? string : T;
const attr = <T>(n: OnnxNode, name: string, dflt: T): Widen<T> => (n.attrs[name] === undefined ? dflt : n.attrs[name]) as Widen<T>;
const axis = (a: number, r: number) => (a < 0 ? a + r : a);

/** Symmetric pads [begin..., end...] as one size per dim, or a failure naming the node. */
function symmetric(n: OnnxNode, pads: number[], rank: number): number[] {
  const b = pads.slice(0, rank);
  if (pads.slice(rank).some((e, i) => e !== b[i])) fail(n, `asymmetric pads [${pads}] are not supported`);
  return b;
}

function conv(n: OnnxNode, ins: In[], transposed: boolean): Tensor {
  if (attr(n, 'auto_pad', 'NOTSET') !== 'NOTSET') fail(n, `auto_pad ${String(n.attrs.auto_pad)} is not supported (write explicit pads)`);
  const x = t(n, ins[0], 0);
  const w = t(n, ins[1], 1);
  const r = x.ndim - 2;
  if (r !== 1 && r !== 2) fail(n, `only 1-D and 2-D convolutions run here, got input of rank ${x.ndim}`);
  const p = symmetric(n, attr(n, 'pads', new Array<number>(2 * r).fill(0)), r);
  const o = { stride: attr(n, 'strides', new Array<number>(r).fill(1)), dilation: attr(n, 'dilations', new Array<number>(r).fill(1)), groups: attr(n, 'group', 1) };
  const b = ins[2] ? t(n, ins[2], 2) : null;
  const pair = (v: number[]) => (r === 1 ? v[0] : ([v[0], v[1]] as [number, number]));
  if (transposed) {
    const op = attr(n, 'output_padding', new Array<number>(r).fill(0));
    if (n.attrs.output_shape !== undefined) fail(n, 'output_shape is not supported (write pads and output_padding)');
    const opts = { stride: pair(o.stride), dilation: pair(o.dilation), padding: pair(p), outputPadding: pair(op), groups: o.groups };
    return r === 1 ? convTranspose1d(x, w, b, opts as never) : convTranspose2d(x, w, b, opts as never);
  }
  const opts = { stride: pair(o.stride), dilation: pair(o.dilation), padding: pair(p), groups: o.groups };
  return r === 1 ? conv1d(x, w, b, opts as never) : conv2d(x, w, b, opts as never);
}

function pool(n: OnnxNode, x: Tensor, max: boolean): Tensor {
  if (attr(n, 'auto_pad', 'NOTSET') !== 'NOTSET') fail(n, 'auto_pad is not supported');
  if (x.ndim !== 4) fail(n, `only 2-D pooling runs here, got input of rank ${x.ndim}`);
  const k = attr<number[]>(n, 'kernel_shape', []);
  const p = symmetric(n, attr(n, 'pads', [0, 0, 0, 0]), 2);
  const base = { stride: attr(n, 'strides', [1, 1]) as [number, number], padding: p as [number, number], ceilMode: attr(n, 'ceil_mode', 0) === 1 };
  if (max) return maxPool2d(x, k as [number, number], { ...base, dilation: attr(n, 'dilations', [1, 1]) as [number, number] });
  return avgPool2d(x, k as [number, number], { ...base, countIncludePad: attr(n, 'count_include_pad', 0) === 1 });
}

/** ONNX gate blocks -> PyTorch's: LSTM (i, o, f, c) -> (i, f, g, o); GRU (z, r, h) -> (r, z, n). */
export const TORCH_FROM_ONNX: Record<string, readonly number[]> = { LSTM: [0, 2, 3, 1], GRU: [1, 0, 2], RNN: [0] };

/** Rows of w [G*H, cols] with its blocks taken in `order`. */
export function reorderBlocks(w: Tensor, order: readonly number[], H: number): Tensor {
  return cat(order.map((g) => narrow(w, 0, g * H, H)), 0);
}

function recurrent(model: OnnxModel, n: OnnxNode, ins: In[]): Tensor[] {
  const op = n.opType;
  const x = t(n, ins[0], 0);
  const W = t(n, ins[1], 1);
  const R = t(n, ins[2], 2);
  const H = attr(n, 'hidden_size', R.shape[2]);
  const dir = attr(n, 'direction', 'forward');
  if (dir === 'reverse') fail(n, "direction 'reverse' alone has no PyTorch layer");
  if (ins[4]) fail(n, 'sequence_lens is not supported (run a packed sequence in shendu instead)');
  if (op === 'GRU' && attr(n, 'linear_before_reset', 0) !== 1) fail(n, 'linear_before_reset = 0 is not PyTorch\'s GRU');
  if (attr(n, 'layout', 0) !== 0) fail(n, 'layout = 1 is not supported');
  const acts = attr<string[]>(n, 'activations', []);
  const D = dir === 'bidirectional' ? 2 : 1;
  let m = model.cache.get(n) as RNNBase | undefined;
  if (m === undefined) {
    // trailing omitted inputs are absent from the node (undefined), inner ones empty names (null)
    const opts = { bidirectional: D === 2, bias: ins[3] !== null && ins[3] !== undefined };
    const inSize = W.shape[2];
    m = op === 'LSTM' ? new LSTM(inSize, H, opts) : op === 'GRU' ? new GRU(inSize, H, opts) : new RNN(inSize, H, { ...opts, nonlinearity: acts[0] === 'Relu' ? 'relu' : 'tanh' });
    const order = TORCH_FROM_ONNX[op];
    const G = order.length;
    const state: Record<string, Tensor> = {};
    for (let d = 0; d < D; d++) {
      const sfx = `_l0${d === 1 ? '_reverse' : ''}`;
      state[`weight_ih${sfx}`] = reorderBlocks(W.select(0, d), order, H);
      state[`weight_hh${sfx}`] = reorderBlocks(R.select(0, d), order, H);
      if (ins[3]) {
        const B = t(n, ins[3], 3).select(0, d);
        state[`bias_ih${sfx}`] = reorderBlocks(narrow(B, 0, 0, G * H), order, H);
        state[`bias_hh${sfx}`] = reorderBlocks(narrow(B, 0, G * H, G * H), order, H);
      }
    }
    m.loadStateDict(state);
    m.eval();
    model.cache.set(n, m);
  }
  const h0 = ins[5] ? t(n, ins[5], 5) : null;
  const [L, N] = x.shape;
  let out: Tensor;
  let hn: Tensor;
  let cn: Tensor | undefined;
  if (m instanceof LSTM) {
    const c0 = ins[6] ? t(n, ins[6], 6) : null;
    const zeros = () => full([D, N, H], 0, { dtype: x.dtype });
    [out, [hn, cn]] = m.forward(x, h0 === null && c0 === null ? null : [h0 ?? zeros(), c0 ?? zeros()]);
  } else {
    [out, hn] = (m as GRU).forward(x, h0);
  }
  const y = permute(reshape(out, [L, N, D, H]), [0, 2, 1, 3]);
  return cn === undefined ? [y, hn] : [y, hn, cn];
}

function gemm(n: OnnxNode, ins: In[]): Tensor {
  let a = t(n, ins[0], 0);
  let b = t(n, ins[1], 1);
  const alpha = attr(n, 'alpha', 1);
  const beta = attr(n, 'beta', 1);
  if (attr(n, 'transA', 0) === 1) a = permute(a, [1, 0]);
  const c = ins[2] ? t(n, ins[2], 2) : null;
  // the common case (a Linear layer) runs as one linear op
  if (attr(n, 'transB', 0) === 1 && alpha === 1 && beta === 1 && (c === null || c.ndim === 1)) return linear(a, b, c);
  if (attr(n, 'transB', 0) === 1) b = permute(b, [1, 0]);
  let y = matmul(a, b);
  if (alpha !== 1) y = mul(y, alpha);
  return c === null ? y : add(y, beta === 1 ? c : mul(c, beta));
}

/** Runs one node on its inputs (null for omitted ones); returns its outputs in order. */
export function runNode(model: OnnxModel, n: OnnxNode, ins: In[]): OnnxValue[] {
  const x = () => t(n, ins[0], 0);
  const host = ins.every((v) => v === null || v instanceof HostInts);
  switch (n.opType) {
    case 'Conv': return [conv(n, ins, false)];
    case 'ConvTranspose': return [conv(n, ins, true)];
    case 'Gemm': return [gemm(n, ins)];
    case 'MatMul': return [matmul(x(), t(n, ins[1], 1))];
    case 'Add': case 'Sub': case 'Mul': case 'Div': {
      if (host && ins[0] instanceof HostInts && ins[1] instanceof HostInts && ins[1].data.length === 1) {
        const [a, b] = [ins[0], ins[1].data[0]];
        const f = { Add: (v: number) => v + b, Sub: (v: number) => v - b, Mul: (v: number) => v * b, Div: (v: number) => Math.trunc(v / b) }[n.opType] as (v: number) => number;
        return [new HostInts(a.shape, a.data.map(f))];
      }
      const f = { Add: add, Sub: sub, Mul: mul, Div: div }[n.opType] as (a: Tensor, b: Tensor) => Tensor;
      return [f(x(), t(n, ins[1], 1))];
    }
    case 'Relu': return [relu(x())];
    case 'Sigmoid': return [sigmoid(x())];
    case 'Tanh': return [tanh(x())];
    case 'Erf': return [erf(x())];
    case 'LeakyRelu': return [leakyRelu(x(), attr(n, 'alpha', 0.01))];
    case 'Elu': return [elu(x(), attr(n, 'alpha', 1))];
    case 'Softplus': return [softplus(x())];
    case 'Softmax': return [softmax(x(), attr(n, 'axis', -1))];
    case 'LogSoftmax': return [logSoftmax(x(), attr(n, 'axis', -1))];
    case 'Identity': case 'Dropout': return [ins[0] as OnnxValue];
    case 'MaxPool': return [pool(n, x(), true)];
    case 'AveragePool': return [pool(n, x(), false)];
    case 'GlobalAveragePool': return [adaptiveAvgPool2d(x(), 1)];
    case 'GlobalMaxPool': return [adaptiveMaxPool2d(x(), 1)];
    case 'BatchNormalization':
      if (attr(n, 'training_mode', 0) !== 0) fail(n, 'training_mode = 1 is not supported (export the model in eval mode)');
      return [batchNorm(x(), t(n, ins[3], 3), t(n, ins[4], 4), { weight: t(n, ins[1], 1), bias: t(n, ins[2], 2), eps: attr(n, 'epsilon', 1e-5) })];
    case 'LayerNormalization': {
      const xs = x();
      const a = axis(attr(n, 'axis', -1), xs.ndim);
      return [layerNorm(xs, xs.shape.slice(a), { weight: t(n, ins[1], 1), bias: ins[2] ? t(n, ins[2], 2) : null, eps: attr(n, 'epsilon', 1e-5) })];
    }
    case 'Flatten': {
      const xs = x();
      const a = axis(attr(n, 'axis', 1), xs.ndim);
      const lead = xs.shape.slice(0, a).reduce((p, q) => p * q, 1);
      return [reshape(xs, [lead, -1])];
    }
    case 'Reshape': {
      const v = ins[0];
      const target = ints(n, ins[1], 1);
      const shape = v instanceof HostInts ? v.shape : x().shape;
      const s = target.map((d, i) => (d === 0 && attr(n, 'allowzero', 0) === 0 ? shape[i] : d));
      if (v instanceof HostInts) return [new HostInts(s.includes(-1) ? [v.data.length] : s, v.data)];
      return [reshape(x(), s)];
    }
    case 'Transpose': {
      const xs = x();
      return [permute(xs, attr(n, 'perm', xs.shape.map((_, i) => xs.ndim - 1 - i)))];
    }
    case 'Concat':
      if (host) return [new HostInts([ins.reduce((k, v) => k + (v as HostInts).data.length, 0)], ins.flatMap((v) => (v as HostInts).data))];
      return [cat(ins.map((v, k) => t(n, v, k)), attr(n, 'axis', 0))];
    case 'Shape': {
      const s = ins[0] instanceof HostInts ? ins[0].shape : x().shape;
      // opset 15's start/end pick a slice of the dims (clamped as Slice is)
      const clampS = (v: number) => Math.min(Math.max(v < 0 ? v + s.length : v, 0), s.length);
      const part = s.slice(clampS(attr(n, 'start', 0)), clampS(attr(n, 'end', s.length)));
      return [new HostInts([part.length], [...part])];
    }
    case 'Expand': {
      const target = ints(n, ins[1], 1);
      const xs = x();
      return [expand(xs, broadcastShapes('onnx import: Expand', xs.shape, target))];
    }
    case 'Equal': {
      // shape arithmetic compares int64 values on the host (1 = equal), as PyTorch's exporter does for masks
      if (host && ins[0] instanceof HostInts && ins[1] instanceof HostInts) {
        const [a, b] = [ins[0], ins[1]];
        const at = (v: HostInts, i: number) => v.data[v.data.length === 1 ? 0 : i];
        const len = Math.max(a.data.length, b.data.length);
        return [new HostInts(a.data.length >= b.data.length ? a.shape : b.shape, Array.from({ length: len }, (_, i) => (at(a, i) === at(b, i) ? 1 : 0)))];
      }
      return [eq(x(), t(n, ins[1], 1))];
    }
    case 'Where': {
      if (host && ins.every((v) => v instanceof HostInts)) {
        const [c, a, b] = ins as HostInts[];
        const at = (v: HostInts, i: number) => v.data[v.data.length === 1 ? 0 : i];
        const len = Math.max(c.data.length, a.data.length, b.data.length);
        const shape = [c, a, b].find((v) => v.data.length === len) as HostInts;
        return [new HostInts(shape.shape, Array.from({ length: len }, (_, i) => (at(c, i) !== 0 ? at(a, i) : at(b, i))))];
      }
      const cond = t(n, ins[0], 0);
      return [where(cond.dtype === 'bool' ? cond : cond.to('bool'), t(n, ins[1], 1), t(n, ins[2], 2))];
    }
    case 'ReduceMean': case 'ReduceSum': {
      const xs = x();
      // ReduceSum takes its axes as an input since opset 13, ReduceMean as an attribute until opset 18
      const axes = ins[1] ? ints(n, ins[1], 1) : attr<number[] | null>(n, 'axes', null);
      if (axes !== null && axes.length === 0 && attr(n, 'noop_with_empty_axes', 0) === 1) return [xs];
      const dims = axes === null || axes.length === 0 ? xs.shape.map((_, i) => i) : axes.map((a) => axis(a, xs.ndim));
      const f = n.opType === 'ReduceMean' ? mean : sum;
      return [f(xs, dims, attr(n, 'keepdims', 1) === 1)];
    }
    case 'Gather': {
      const a = attr(n, 'axis', 0);
      if (ins[0] instanceof HostInts && a === 0 && ins[0].shape.length === 1) {
        const src = ins[0].data;
        const idx = ints(n, ins[1], 1).map((i) => src[i < 0 ? i + src.length : i]);
        const shape = ins[1] instanceof HostInts ? ins[1].shape : (ins[1] as Tensor).shape;
        return [new HostInts(shape, idx)];
      }
      const data = x();
      const idx = t(n, ins[1], 1);
      const ax = axis(a, data.ndim);
      const flat = indexSelect(data, ax, reshape(idx, [-1]));
      return [reshape(flat, [...data.shape.slice(0, ax), ...idx.shape, ...data.shape.slice(ax + 1)])];
    }
    case 'Unsqueeze': case 'Squeeze': {
      const v = ins[0];
      const shape = v instanceof HostInts ? [...v.shape] : [...x().shape];
      const axes = ins[1] ? ints(n, ins[1], 1) : attr<number[]>(n, 'axes', []);
      let s: number[];
      if (n.opType === 'Unsqueeze') {
        s = shape;
        for (const a of axes.map((q) => axis(q, shape.length + axes.length)).sort((p, q) => p - q)) s.splice(a, 0, 1);
      } else {
        const drop = new Set(axes.length > 0 ? axes.map((q) => axis(q, shape.length)) : shape.flatMap((d, i) => (d === 1 ? [i] : [])));
        s = shape.filter((_, i) => !drop.has(i));
      }
      return [v instanceof HostInts ? new HostInts(s, v.data) : reshape(x(), s)];
    }
    case 'Slice': {
      const starts = ints(n, ins[1], 1);
      const ends = ints(n, ins[2], 2);
      const data = ins[0];
      const shape = data instanceof HostInts ? data.shape : x().shape;
      const axes = ins[3] ? ints(n, ins[3], 3) : starts.map((_, i) => i);
      if (ins[4] && ints(n, ins[4], 4).some((s) => s !== 1)) fail(n, 'steps other than 1 are not supported');
      let y: OnnxValue = data as OnnxValue;
      axes.forEach((a0, i) => {
        const a = axis(a0, shape.length);
        const size = shape[a];
        const clampI = (v: number) => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
        const [b, e] = [clampI(starts[i]), clampI(ends[i])];
        if (y instanceof HostInts) {
          if (shape.length !== 1) fail(n, 'slicing int64 values of rank > 1 is not supported');
          y = new HostInts([Math.max(e - b, 0)], y.data.slice(b, e));
        } else y = narrow(y as Tensor, a, b, Math.max(e - b, 0));
      });
      return [y];
    }
    case 'ConstantOfShape': {
      const shape = ints(n, ins[0], 0);
      const v = n.attrs.value as OnnxValue | undefined;
      if (v instanceof HostInts) return [new HostInts(shape, new Array<number>(shape.reduce((p, q) => p * q, 1)).fill(v.data[0]))];
      return [full(shape, v === undefined ? 0 : Number((v as Tensor).toTypedArray()[0]), { dtype: v === undefined ? 'float32' : (v as Tensor).dtype })];
    }
    case 'Constant': {
      const v = n.attrs.value ?? (n.attrs.value_float !== undefined ? tensor([n.attrs.value_float as number], { shape: [] }) : undefined)
        ?? (n.attrs.value_ints !== undefined ? new HostInts([(n.attrs.value_ints as number[]).length], n.attrs.value_ints as number[]) : undefined)
        ?? (n.attrs.value_int !== undefined ? new HostInts([], [n.attrs.value_int as number]) : undefined);
      if (v === undefined) fail(n, 'only value, value_float, value_int and value_ints constants are read');
      return [v as OnnxValue];
    }
    case 'Cast': {
      const to = attr(n, 'to', 1);
      const v = ins[0];
      if (to === 7) return [v instanceof HostInts ? v : new HostInts([...x().shape], Array.from(x().toTypedArray() as ArrayLike<number>, Math.trunc))];
      const dtype = ({ 1: 'float32', 11: 'float64', 6: 'int32', 9: 'bool' } as const)[to as 1];
      if (dtype === undefined) fail(n, `cast to element type ${to} is not supported`);
      return [x().to(dtype)];
    }
    case 'Pad': {
      const mode = attr(n, 'mode', 'constant');
      const xs = x();
      const p = ints(n, ins[1], 1);
      const r = xs.ndim;
      if (p.slice(0, 2).some((v) => v !== 0) || p.slice(r, r + 2).some((v) => v !== 0)) {
        if (mode !== 'constant') fail(n, `${mode} padding of the batch or channel dims is not supported`);
      }
      const torchPads: number[] = [];
      for (let d = r - 1; d >= 0; d--) torchPads.push(p[d], p[d + r]);
      // leading dims with no padding need no pair (reflect and replicate pad the trailing dims only)
      while (torchPads.length > 0 && torchPads[torchPads.length - 1] === 0 && torchPads[torchPads.length - 2] === 0) torchPads.splice(-2);
      const value = ins[2] ? Number(t(n, ins[2], 2).toTypedArray()[0]) : 0;
      const modes: Record<string, 'constant' | 'reflect' | 'replicate'> = { constant: 'constant', reflect: 'reflect', edge: 'replicate' };
      if (modes[mode] === undefined) fail(n, `mode '${mode}' is not supported`);
      return [pad(xs, torchPads, { mode: modes[mode], ...(mode === 'constant' ? { value } : {}) })];
    }
    case 'LSTM': case 'GRU': case 'RNN': return recurrent(model, n, ins);
    default: return fail(n, 'shendu does not run this op');
  }
}
