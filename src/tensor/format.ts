/**
 * The printed form of a tensor, modelled on PyTorch's: aligned values, summarised with `...` when large,
 * followed by shape and dtype (and the grad function when recorded).
 * @module
 */
import type { Tensor } from './tensor.js';

/** Printing options. */
export interface PrintOptions {
  /** Above this many elements the printout is summarised (default 1000). */
  threshold: number;
  /** Elements shown at each end of a summarised dim (default 3). */
  edgeitems: number;
  /** Digits after the decimal point for floats (default 4). */
  precision: number;
}

const options: PrintOptions = { threshold: 1000, edgeitems: 3, precision: 4 };

/** Changes how tensors print (like `torch.set_printoptions`). */
export function setPrintOptions(opts: Partial<PrintOptions>): void {
  Object.assign(options, opts);
}

function formatter(values: ArrayLike<number>, dtype: string): (v: number) => string {
  if (dtype === 'bool') return (v) => (v ? 'true' : 'false');
  if (dtype === 'int32') return (v) => String(v);
  let maxAbs = 0;
  let minAbs = Infinity;
  let allInt = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a !== 0 && a < minAbs) minAbs = a;
    if (!Number.isInteger(v)) allInt = false;
  }
  const special = (v: number) => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
  const sci = maxAbs >= 1e8 || (minAbs !== Infinity && (minAbs < 1e-4 || maxAbs / minAbs > 1e3)) && !allInt;
  if (sci) return (v) => (Number.isFinite(v) ? v.toExponential(options.precision) : special(v));
  if (allInt) return (v) => (Number.isFinite(v) ? `${v.toFixed(0)}.` : special(v));
  return (v) => (Number.isFinite(v) ? v.toFixed(options.precision) : special(v));
}

/** The tensor as text, e.g. `tensor([[1., 2.], [3., 4.]], shape=[2, 2], dtype=float32)` laid out over lines. */
export function formatTensor(t: Tensor): string {
  const data = t.toTypedArray();
  const shape = t.shape;
  const summarise = data.length > options.threshold;
  const edge = options.edgeitems;
  const shown: number[] = [];
  const collect = (d: number, off: number, stride: number[]) => {
    if (d === shape.length) return void shown.push(data[off]);
    for (const i of pick(shape[d], summarise, edge)) if (i >= 0) collect(d + 1, off + i * stride[d], stride);
  };
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  collect(0, 0, strides);
  const fmt = formatter(shown, t.dtype);
  const width = shown.reduce((w, v) => Math.max(w, fmt(v).length), 0);
  const cell = (v: number) => fmt(v).padStart(width);
  const indent = 'tensor('.length;
  const build = (d: number, off: number): string => {
    if (d === shape.length) return cell(data[off]);
    const parts = pick(shape[d], summarise, edge).map((i) => (i < 0 ? '...' : build(d + 1, off + i * strides[d])));
    if (d === shape.length - 1) return `[${parts.join(', ')}]`;
    const sep = ',' + '\n'.repeat(shape.length - d - 1) + ' '.repeat(indent + d + 1);
    return `[${parts.join(sep)}]`;
  };
  const body = build(0, 0);
  const extras = [`shape=[${shape.join(', ')}]`, `dtype=${t.dtype}`];
  if (t.gradFn) extras.push(`gradFn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) extras.push('requiresGrad=true');
  return `tensor(${body}, ${extras.join(', ')})`;
}

/** Indices to print along a dim of size n; -1 marks the `...` gap. */
function pick(n: number, summarise: boolean, edge: number): number[] {
  if (!summarise || n <= 2 * edge) return Array.from({ length: n }, (_, i) => i);
  const head = Array.from({ length: edge }, (_, i) => i);
  const tail = Array.from({ length: edge }, (_, i) => n - edge + i);
  return [...head, -1, ...tail];
}
