/**
 * One traced op -> ONNX nodes (opset 17), for every op the ops layer reports. An op without an ONNX form, or
 * traced with options ONNX cannot express, is an UnsupportedOpError naming it.
 * @module
 */
import type { GraphNode, ValueInfo } from '../../jit/graph.js';
import type { OpAttr } from '../../ops/trace-hook.js';
import type { Tensor } from '../../tensor/tensor.js';
import { af, ai, aints, as, GraphBuilder, UnsupportedOpError, type Attr } from './builder.js';
import { convertAttention } from './attention.js';
import { convertCell, convertRecurrent } from './recurrent.js';

/** What a converter knows about the graph around a node. */
export interface ConvertContext {
  /** Where nodes and initializers go. */
  readonly b: GraphBuilder;
  /** Shape and dtype of a value by name. */
  info(name: string): ValueInfo;
  /** The tensor behind an initializer name (parameters, buffers, constants), if it is one. */
  tensorOf(name: string): Tensor | undefined;
  /** Whether the value's dim 0 is the dynamic batch dim. */
  batched(name: string): boolean;
  /** For max-pool indices (shendu's, per plane): the ONNX MaxPool's own int64 indices (over the whole tensor). */
  readonly poolIndices: Map<string, string>;
  /** For those indices: the [H, W] of the pooling's input. */
  readonly poolInputShapes: Map<string, number[]>;
}

/** A size attribute as one number per spatial dim. */
export function spatial(v: OpAttr, rank: number, what: string, op: string): number[] {
  if (typeof v === 'number') return new Array<number>(rank).fill(v);
  if (Array.isArray(v) && v.length === rank && v.every((x) => typeof x === 'number')) return [...(v as number[])];
  throw new UnsupportedOpError(op, `${what} ${JSON.stringify(v)} is not ${rank} sizes`);
}

function need(ctx: ConvertContext, n: GraphNode, k: number): string {
  const name = n.inputs[k];
  if (name === null || name === undefined) throw new UnsupportedOpError(n.op, `input ${k} is missing`);
  // An input that is an initializer goes into the file only when a node reads it.
  const t = ctx.tensorOf(name);
  if (t !== undefined) ctx.b.tensor(name, t);
  return name;
}

function rankOf(ctx: ConvertContext, n: GraphNode, want: number, what: string): void {
  const r = ctx.info(need(ctx, n, 0)).shape.length;
  if (r !== want) throw new UnsupportedOpError(n.op, `input must be batched ${what} (rank ${want}), got rank ${r}`);
}

const out = (n: GraphNode, k = 0): string => n.outputs[k].name;

function conv(ctx: ConvertContext, n: GraphNode, transposed: boolean, rank: number): void {
  rankOf(ctx, n, rank + 2, rank === 2 ? '[N, C, H, W]' : '[N, C, L]');
  const w = ctx.info(need(ctx, n, 1));
  const kernel = w.shape.slice(2) as number[];
  const stride = spatial(n.attrs.stride, rank, 'stride', n.op);
  const dilation = spatial(n.attrs.dilation, rank, 'dilation', n.op);
  let pads: number[];
  if (n.attrs.padding === 'valid') pads = new Array<number>(2 * rank).fill(0);
  else if (n.attrs.padding === 'same') {
    // PyTorch puts the odd extra padding of 'same' after (right/bottom), as ONNX's SAME_UPPER.
    const total = kernel.map((k, i) => dilation[i] * (k - 1));
    pads = [...total.map((t) => Math.floor(t / 2)), ...total.map((t) => t - Math.floor(t / 2))];
  } else {
    const p = spatial(n.attrs.padding, rank, 'padding', n.op);
    pads = [...p, ...p];
  }
  const attrs: Record<string, Attr> = { kernel_shape: aints(kernel), strides: aints(stride), pads: aints(pads), dilations: aints(dilation), group: ai(Number(n.attrs.groups)) };
  if (transposed) attrs.output_padding = aints(spatial(n.attrs.outputPadding, rank, 'outputPadding', n.op));
  const inputs = [need(ctx, n, 0), need(ctx, n, 1), ...(n.inputs[2] !== null ? [need(ctx, n, 2)] : [])];
  ctx.b.node(transposed ? 'ConvTranspose' : 'Conv', inputs, [out(n)], attrs);
}

function pool(ctx: ConvertContext, n: GraphNode, max: boolean): void {
  rankOf(ctx, n, 4, '[N, C, H, W]');
  const withIndices = n.attrs.returnIndices === true;
  if (withIndices && Number(n.attrs.dilation) !== 1) throw new UnsupportedOpError(n.op, 'returnIndices with dilation');
  if (!max && n.attrs.divisorOverride !== null) throw new UnsupportedOpError(n.op, 'divisorOverride');
  const p = spatial(n.attrs.padding, 2, 'padding', n.op);
  const attrs: Record<string, Attr> = {
    kernel_shape: aints(spatial(n.attrs.kernelSize, 2, 'kernelSize', n.op)), strides: aints(spatial(n.attrs.stride, 2, 'stride', n.op)),
    pads: aints([...p, ...p]), ceil_mode: ai(n.attrs.ceilMode === true ? 1 : 0),
  };
  if (max) attrs.dilations = aints(spatial(n.attrs.dilation, 2, 'dilation', n.op));
  else attrs.count_include_pad = ai(n.attrs.countIncludePad === false ? 0 : 1);
  if (!withIndices) {
    ctx.b.node(max ? 'MaxPool' : 'AveragePool', [need(ctx, n, 0)], [out(n)], attrs);
    return;
  }
  // ONNX counts indices over the whole [N, C, H, W] tensor, PyTorch and shendu within each H*W plane.
  const global = ctx.b.tmp('pool_indices');
  ctx.b.node('MaxPool', [need(ctx, n, 0)], [out(n), global], attrs);
  const [H, W] = ctx.info(need(ctx, n, 0)).shape.slice(2) as number[];
  const plane = ctx.b.node('Mod', [global, ctx.b.int64('plane', [H * W])], [ctx.b.tmp('plane_indices')]);
  ctx.b.node('Cast', [plane], [out(n, 1)], { to: ai(6) });
  ctx.poolIndices.set(out(n, 1), global);
  ctx.poolInputShapes.set(out(n, 1), [H, W]);
}

function unpool(ctx: ConvertContext, n: GraphNode): void {
  rankOf(ctx, n, 4, '[N, C, H, W]');
  const idx = n.inputs[1] ?? '';
  const global = ctx.poolIndices.get(idx);
  const size = ctx.poolInputShapes.get(idx);
  const outHW = n.outputs[0].shape.slice(2) as number[];
  if (global === undefined || size === undefined || size[0] !== outHW[0] || size[1] !== outHW[1]) {
    throw new UnsupportedOpError(n.op, 'only with the indices of a traced maxPool2d, back to that pooling\'s input size');
  }
  const p = spatial(n.attrs.padding, 2, 'padding', n.op);
  ctx.b.node('MaxUnpool', [need(ctx, n, 0), global], [out(n)], {
    kernel_shape: aints(spatial(n.attrs.kernelSize, 2, 'kernelSize', n.op)), strides: aints(spatial(n.attrs.stride, 2, 'stride', n.op)), pads: aints([...p, ...p]),
  });
}

function adaptive(ctx: ConvertContext, n: GraphNode, max: boolean): void {
  rankOf(ctx, n, 4, '[N, C, H, W]');
  if (n.attrs.returnIndices === true) throw new UnsupportedOpError(n.op, 'returnIndices');
  const inHW = ctx.info(need(ctx, n, 0)).shape.slice(2) as number[];
  const size = spatial(n.attrs.outputSize, 2, 'outputSize', n.op).map((s, i) => (s === -1 ? inHW[i] : s));
  if (size[0] === 1 && size[1] === 1) {
    ctx.b.node(max ? 'GlobalMaxPool' : 'GlobalAveragePool', [need(ctx, n, 0)], [out(n)]);
    return;
  }
  if (inHW.some((s, i) => s % size[i] !== 0)) {
    throw new UnsupportedOpError(n.op, `output size [${size}] does not divide the input size [${inHW}] (only then is it a fixed-window pooling)`);
  }
  const k = inHW.map((s, i) => s / size[i]);
  ctx.b.node(max ? 'MaxPool' : 'AveragePool', [need(ctx, n, 0)], [out(n)], { kernel_shape: aints(k), strides: aints(k) });
}

/** A Reshape to the node's output shape; dim 0 follows the dynamic batch when the input has it. */
function reshape(ctx: ConvertContext, n: GraphNode): void {
  const x = need(ctx, n, 0);
  const shape = [...n.outputs[0].shape] as number[];
  if (ctx.batched(x) && shape.length > 0) shape[0] = ctx.batched(out(n)) ? 0 : -1;
  ctx.b.node('Reshape', [x, ctx.b.int64('shape', shape)], [out(n)]);
}

/** Binary arithmetic; inputs whose dtype differs from the result's are cast first (ONNX does not promote). */
function binary(ctx: ConvertContext, n: GraphNode, opType: string): void {
  const dtype = n.outputs[0].dtype;
  const ins = [0, 1].map((k) => {
    const name = need(ctx, n, k);
    const d = ctx.info(name).dtype;
    if (d === dtype) return name;
    const to = { float32: 1, float64: 11, int32: 6 }[dtype as 'float32'];
    if (to === undefined) throw new UnsupportedOpError(n.op, `result dtype ${dtype}`);
    return ctx.b.node('Cast', [name], [ctx.b.tmp('cast')], { to: ai(to) });
  });
  const alpha = Number(n.attrs.alpha ?? 1);
  if (alpha !== 1) ins[1] = ctx.b.node('Mul', [ins[1], ctx.b.values('alpha', [], dtype, [alpha])], [ctx.b.tmp('scaled')]);
  ctx.b.node(opType, ins, [out(n)]);
}

function gelu(ctx: ConvertContext, n: GraphNode): void {
  const x = need(ctx, n, 0);
  const dt = n.outputs[0].dtype;
  const c = (v: number) => ctx.b.values('c', [], dt, [v]);
  const t = (h: string) => ctx.b.tmp(h);
  let inner: string;
  if (n.attrs.approximate === 'tanh') {
    const cube = ctx.b.node('Mul', [x, ctx.b.node('Mul', [x, x], [t('sq')])], [t('cube')]);
    const s = ctx.b.node('Add', [x, ctx.b.node('Mul', [cube, c(0.044715)], [t('k')])], [t('s')]);
    inner = ctx.b.node('Tanh', [ctx.b.node('Mul', [s, c(Math.sqrt(2 / Math.PI))], [t('u')])], [t('tanh')]);
  } else {
    inner = ctx.b.node('Erf', [ctx.b.node('Div', [x, c(Math.SQRT2)], [t('u')])], [t('erf')]);
  }
  const half = ctx.b.node('Mul', [x, c(0.5)], [t('half')]);
  ctx.b.node('Mul', [half, ctx.b.node('Add', [inner, c(1)], [t('one_plus')])], [out(n)]);
}

function norm(ctx: ConvertContext, n: GraphNode, layer: boolean): void {
  const x = need(ctx, n, 0);
  const dt = n.outputs[0].dtype;
  if (layer) {
    const ns = typeof n.attrs.normalizedShape === 'number' ? [n.attrs.normalizedShape] : [...(n.attrs.normalizedShape as number[])];
    const count = ns.reduce((a, b) => a * b, 1);
    const scale = n.inputs[1] !== null ? need(ctx, n, 1) : ctx.b.values('ones', ns, dt, new Array<number>(count).fill(1));
    const bias = n.inputs[2] !== null ? [need(ctx, n, 2)] : [];
    ctx.b.node('LayerNormalization', [x, scale, ...bias], [out(n)], { axis: ai(-ns.length), epsilon: af(Number(n.attrs.eps)) });
    return;
  }
  if (n.attrs.training === true) throw new UnsupportedOpError(n.op, 'traced in training mode (batch statistics); call model.eval() first');
  if (n.inputs[1] === null || n.inputs[2] === null) throw new UnsupportedOpError(n.op, 'without running statistics (trackRunningStats: false)');
  const C = ctx.info(x).shape[1] as number;
  const scale = n.inputs[3] !== null ? need(ctx, n, 3) : ctx.b.values('ones', [C], dt, new Array<number>(C).fill(1));
  const bias = n.inputs[4] !== null ? need(ctx, n, 4) : ctx.b.values('zeros', [C], dt, new Array<number>(C).fill(0));
  ctx.b.node('BatchNormalization', [x, scale, bias, need(ctx, n, 1), need(ctx, n, 2)], [out(n)], {
    epsilon: af(Number(n.attrs.eps)), momentum: af(1 - Number(n.attrs.momentum)),
  });
}

function pad(ctx: ConvertContext, n: GraphNode): void {
  const x = need(ctx, n, 0);
  const r = ctx.info(x).shape.length;
  const p = n.attrs.pad as number[];
  const begin = new Array<number>(r).fill(0);
  const end = new Array<number>(r).fill(0);
  for (let k = 0; k < p.length / 2; k++) {
    begin[r - 1 - k] = p[2 * k];
    end[r - 1 - k] = p[2 * k + 1];
  }
  const modes: Record<string, string | undefined> = { constant: 'constant', reflect: 'reflect', replicate: 'edge' };
  const mode = modes[String(n.attrs.mode)];
  if (mode === undefined) throw new UnsupportedOpError(n.op, `mode '${String(n.attrs.mode)}' (opset 17 has constant, reflect, edge)`);
  const value = ctx.b.values('pad_value', [], n.outputs[0].dtype, [Number(n.attrs.value)]);
  ctx.b.node('Pad', [x, ctx.b.int64('pads', [...begin, ...end]), value], [out(n)], { mode: as(mode) });
}

function linear(ctx: ConvertContext, n: GraphNode): void {
  const x = need(ctx, n, 0);
  const w = need(ctx, n, 1);
  const bias = n.inputs[2] !== null ? need(ctx, n, 2) : null;
  if (ctx.info(x).shape.length === 2) {
    ctx.b.node('Gemm', bias === null ? [x, w] : [x, w, bias], [out(n)], { transB: ai(1) });
    return;
  }
  const wt = ctx.b.node('Transpose', [w], [ctx.b.tmp('weight_t')], { perm: aints([1, 0]) });
  if (bias === null) ctx.b.node('MatMul', [x, wt], [out(n)]);
  else ctx.b.node('Add', [ctx.b.node('MatMul', [x, wt], [ctx.b.tmp('matmul')]), bias], [out(n)]);
}

const norm0 = (d: number, r: number) => (d < 0 ? d + r : d);

function reduce(ctx: ConvertContext, n: GraphNode, mean: boolean): void {
  const x = need(ctx, n, 0);
  const r = ctx.info(x).shape.length;
  const d = n.attrs.dim;
  const axes = d === null ? null : (typeof d === 'number' ? [d] : [...(d as number[])]).map((v) => norm0(v, r));
  const keep = ai(n.attrs.keepdim === true ? 1 : 0);
  // opset 17: ReduceSum takes its axes as an input, ReduceMean still as an attribute
  if (mean) ctx.b.node('ReduceMean', [x], [out(n)], axes === null ? { keepdims: keep } : { axes: aints(axes), keepdims: keep });
  else ctx.b.node('ReduceSum', axes === null ? [x] : [x, ctx.b.int64('axes', axes)], [out(n)], { keepdims: keep });
}

function expand(ctx: ConvertContext, n: GraphNode): void {
  const x = need(ctx, n, 0);
  // Expand broadcasts both ways, so a 1 keeps the input's size: -1 (PyTorch's keep) and a dynamic batch dim.
  const shape = (n.attrs.shape as number[]).map((v) => (v === -1 ? 1 : v));
  if (ctx.batched(x) && ctx.batched(out(n))) shape[0] = 1;
  ctx.b.node('Expand', [x, ctx.b.int64('shape', shape)], [out(n)]);
}

/** Where(mask, value, x), the value cast to x's dtype as maskedFill does. */
function maskedFill(ctx: ConvertContext, n: GraphNode): void {
  const dtype = n.outputs[0].dtype;
  let value = need(ctx, n, 2);
  if (ctx.info(value).dtype !== dtype) {
    const to = { float32: 1, float64: 11, int32: 6, bool: 9 }[dtype as 'float32'];
    if (to === undefined) throw new UnsupportedOpError(n.op, `result dtype ${dtype}`);
    value = ctx.b.node('Cast', [value], [ctx.b.tmp('fill_value')], { to: ai(to) });
  }
  ctx.b.node('Where', [need(ctx, n, 1), value, need(ctx, n, 0)], [out(n)]);
}

/** Writes the ONNX nodes of one traced node. */
export function convertNode(ctx: ConvertContext, n: GraphNode): void {
  const x0 = () => need(ctx, n, 0);
  const rank = () => ctx.info(x0()).shape.length;
  const unary = (opType: string, attrs: Record<string, Attr> = {}) => ctx.b.node(opType, [x0()], [out(n)], attrs);
  switch (n.op) {
    case 'linear': return linear(ctx, n);
    case 'matmul': ctx.b.node('MatMul', [x0(), need(ctx, n, 1)], [out(n)]); return;
    case 'conv2d': return conv(ctx, n, false, 2);
    case 'conv1d': return conv(ctx, n, false, 1);
    case 'convTranspose2d': return conv(ctx, n, true, 2);
    case 'convTranspose1d': return conv(ctx, n, true, 1);
    case 'maxPool2d': return pool(ctx, n, true);
    case 'avgPool2d': return pool(ctx, n, false);
    case 'maxUnpool2d': return unpool(ctx, n);
    case 'adaptiveAvgPool2d': return adaptive(ctx, n, false);
    case 'adaptiveMaxPool2d': return adaptive(ctx, n, true);
    case 'batchNorm': return norm(ctx, n, false);
    case 'layerNorm': return norm(ctx, n, true);
    case 'relu': unary('Relu'); return;
    case 'sigmoid': unary('Sigmoid'); return;
    case 'tanh': unary('Tanh'); return;
    case 'leakyRelu': unary('LeakyRelu', { alpha: af(Number(n.attrs.negativeSlope)) }); return;
    case 'elu': unary('Elu', { alpha: af(Number(n.attrs.alpha)) }); return;
    case 'gelu': return gelu(ctx, n);
    case 'softplus': {
      const beta = Number(n.attrs.beta);
      if (beta === 1) unary('Softplus');
      else {
        const c = ctx.b.values('beta', [], n.outputs[0].dtype, [beta]);
        const sp = ctx.b.node('Softplus', [ctx.b.node('Mul', [x0(), c], [ctx.b.tmp('scaled')])], [ctx.b.tmp('softplus')]);
        ctx.b.node('Div', [sp, c], [out(n)]);
      }
      return;
    }
    case 'softmax': unary('Softmax', { axis: ai(norm0(Number(n.attrs.dim), rank())) }); return;
    case 'logSoftmax': unary('LogSoftmax', { axis: ai(norm0(Number(n.attrs.dim), rank())) }); return;
    case 'dropout':
      if (n.attrs.training === true && Number(n.attrs.p) > 0) throw new UnsupportedOpError(n.op, 'traced in training mode; call model.eval() first');
      unary('Identity');
      return;
    case 'identity': unary('Identity'); return;
    case 'reshape': case 'flatten': case 'squeeze': case 'unsqueeze': return reshape(ctx, n);
    case 'permute': unary('Transpose', { perm: aints((n.attrs.dims as number[]).map((d) => norm0(d, rank()))) }); return;
    case 'transpose': {
      const r = rank();
      const perm = Array.from({ length: r }, (_, i) => i);
      const [a, b] = [norm0(Number(n.attrs.dim0), r), norm0(Number(n.attrs.dim1), r)];
      [perm[a], perm[b]] = [perm[b], perm[a]];
      unary('Transpose', { perm: aints(perm) });
      return;
    }
    case 'cat': ctx.b.node('Concat', n.inputs.map((_, k) => need(ctx, n, k)), [out(n)], { axis: ai(norm0(Number(n.attrs.dim), rank())) }); return;
    case 'add': return binary(ctx, n, 'Add');
    case 'sub': return binary(ctx, n, 'Sub');
    case 'mul': return binary(ctx, n, 'Mul');
    case 'div': return binary(ctx, n, 'Div');
    case 'sum': return reduce(ctx, n, false);
    case 'mean': return reduce(ctx, n, true);
    case 'expand': return expand(ctx, n);
    case 'narrow': {
      const [d, start, len] = [norm0(Number(n.attrs.dim), rank()), Number(n.attrs.start), Number(n.attrs.length)];
      ctx.b.node('Slice', [x0(), ctx.b.int64('starts', [start]), ctx.b.int64('ends', [start + len]), ctx.b.int64('axes', [d])], [out(n)]);
      return;
    }
    case 'select': {
      const r = rank();
      const d = norm0(Number(n.attrs.dim), r);
      const size = ctx.info(x0()).shape[d] as number;
      const i = norm0(Number(n.attrs.index), size);
      const s = ctx.b.node('Slice', [x0(), ctx.b.int64('starts', [i]), ctx.b.int64('ends', [i + 1]), ctx.b.int64('axes', [d])], [ctx.b.tmp('selected')]);
      ctx.b.node('Squeeze', [s, ctx.b.int64('axes', [d])], [out(n)]);
      return;
    }
    case 'embedding': ctx.b.node('Gather', [need(ctx, n, 1), x0()], [out(n)], { axis: ai(0) }); return;
    case 'pad': return pad(ctx, n);
    case 'lstm': case 'gru': case 'rnn': return convertRecurrent(ctx, n, (k) => need(ctx, n, k));
    case 'multiheadAttention': return convertAttention(ctx, n, (k) => need(ctx, n, k));
    case 'lstmCell': case 'gruCell': case 'rnnCell': return convertCell(ctx, n, (k) => need(ctx, n, k));
    case 'maskedFill': return maskedFill(ctx, n);
    default: throw new UnsupportedOpError(n.op, 'no converter is written for it');
  }
}
