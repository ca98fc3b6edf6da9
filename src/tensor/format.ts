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
  /** Characters per line before the elements of a row wrap onto the next line (default 80). */
  linewidth: number;
}

const options: PrintOptions = { threshold: 1000, edgeitems: 3, precision: 4, linewidth: 80 };

/** Changes how tensors print (like `torch.set_printoptions`). */
export function setPrintOptions(opts: Partial<PrintOptions>): void {
  Object.assign(options, opts);
}

/**
 * How to write each value, and the column width, following PyTorch's `_Formatter`: the width is that of the
 * widest nonzero finite value (zeros, NaN and infinities do not widen a float column).
 */
function formatter(values: ArrayLike<number>, dtype: string): { fmt: (v: number) => string; width: number } {
  if (dtype === 'bool' || dtype === 'int32') {
    const fmt = dtype === 'bool' ? (v: number) => (v ? 'true' : 'false') : (v: number) => String(v);
    let width = 1;
    for (let i = 0; i < values.length; i++) width = Math.max(width, fmt(values[i]).length);
    return { fmt, width };
  }
  // Over the nonzero finite values: "int mode" when all are whole numbers; scientific when max/min > 1000
  // or max > 1e8, or (outside int mode) min < 1e-4.
  const nonzero: number[] = [];
  let maxAbs = 0;
  let minAbs = Infinity;
  let allInt = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || v === 0) continue;
    nonzero.push(v);
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a < minAbs) minAbs = a;
    if (!Number.isInteger(v)) allInt = false;
  }
  const special = (v: number) => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
  // toFixed drops the sign of -0; PyTorch prints it.
  const signed = (v: number, s: string) => (Object.is(v, -0) ? `-${s}` : s);
  const sci = nonzero.length > 0 && (maxAbs / minAbs > 1000 || maxAbs > 1e8 || (!allInt && minAbs < 1e-4));
  let fmt: (v: number) => string;
  if (sci) {
    // Python's '{:.4e}' writes at least two exponent digits: 1.0000e-05, not JS's 1.0000e-5.
    const exp = (v: number) => v.toExponential(options.precision).replace(/e([+-])(\d)$/, (_m, sign: string, d: string) => `e${sign}0${d}`);
    fmt = (v) => (Number.isFinite(v) ? signed(v, exp(v)) : special(v));
  } else if (allInt) {
    fmt = (v) => (Number.isFinite(v) ? signed(v, `${v.toFixed(0)}.`) : special(v));
  } else {
    fmt = (v) => (Number.isFinite(v) ? signed(v, v.toFixed(options.precision)) : special(v));
  }
  const width = nonzero.reduce((w, v) => Math.max(w, fmt(v).length), 1);
  return { fmt, width };
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
  const { fmt, width } = formatter(shown, t.dtype);
  const cell = (v: number) => fmt(v).padStart(width);
  const indent = 'tensor('.length;
  const build = (d: number, off: number): string => {
    if (d === shape.length) return cell(data[off]);
    if (d === shape.length - 1) {
      // A row: as PyTorch, the gap is ' ...' and elements wrap to fit the line width.
      const parts = pick(shape[d], summarise, edge).map((i) => (i < 0 ? ' ...' : cell(data[off + i * strides[d]])));
      const perLine = Math.max(1, Math.floor((options.linewidth - (indent + d)) / (width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < parts.length; i += perLine) lines.push(parts.slice(i, i + perLine).join(', '));
      return `[${lines.join(',\n' + ' '.repeat(indent + d + 1))}]`;
    }
    const parts = pick(shape[d], summarise, edge).map((i) => (i < 0 ? '...' : build(d + 1, off + i * strides[d])));
    const sep = ',' + '\n'.repeat(shape.length - d - 1) + ' '.repeat(indent + d + 1);
    return `[${parts.join(sep)}]`;
  };
  // An empty tensor prints as [] (its shape follows), as in PyTorch.
  const body = data.length === 0 && shape.length > 0 ? '[]' : build(0, 0);
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
