/**
 * Padding, as torch.nn.functional.pad: constant (negative pads crop), reflect, replicate and circular.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { ValueError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkNumber, checkTensor } from './util.js';
import { traceOp, tracing } from './trace-hook.js';

/** Padding modes. */
export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/**
 * Pads the last dims: `pad` = [left, right] for the last dim, then [top, bottom] for the one before, and so on.
 * 'reflect' mirrors without repeating the edge (pads < size), 'replicate' repeats the edge, 'circular' wraps.
 */
export function pad(x: Tensor, pad: readonly number[], opts: { mode?: PadMode; value?: number } = {}): Tensor {
  if (tracing.tracer !== null) return traceOp('pad', [x], { pad, mode: opts.mode ?? 'constant', value: opts.value ?? 0 }, () => padOp(x, pad, opts));
  checkTensor('pad', x);
  const mode = opts.mode ?? 'constant';
  if (!['constant', 'reflect', 'replicate', 'circular'].includes(mode)) {
    throw new ValueError(`pad: mode must be one of constant, reflect, replicate, circular, got '${String(mode)}'`);
  }
  if (!Array.isArray(pad) || pad.length % 2 !== 0 || pad.some((p) => !Number.isInteger(p))) {
    throw new ValueError(`pad: pad must be an even-length array of integers, got ${JSON.stringify(pad)}`);
  }
  if (pad.length / 2 > x.ndim) {
    throw new ValueError(`pad: ${pad.length} pad values pad ${pad.length / 2} dims, but the input has shape ${fmtShape(x.shape)}`);
  }
  const value = checkNumber('pad', opts.value ?? 0, 'value');
  if (mode !== 'constant' && opts.value !== undefined && opts.value !== 0) {
    throw new ValueError(`pad: value is only used by mode 'constant', got mode '${mode}'`);
  }
  const amount = (d: number): [number, number] => {
    const k = x.ndim - 1 - d;
    return k * 2 < pad.length ? [pad[2 * k], pad[2 * k + 1]] : [0, 0];
  };
  if (mode === 'constant') {
    // crop first (negative pads), then embed into a filled tensor
    const crop = x.shape.map((n, d) => {
      const [l, r] = amount(d);
      const start = Math.max(0, -l);
      const size = n - start - Math.max(0, -r);
      if (size < 0) throw new ValueError(`pad: negative padding ${l}, ${r} removes more than dim ${d} of size ${n}`);
      return { start, step: 1, size };
    });
    const cropped = P.slice(x, crop);
    const shape = cropped.shape.map((n, d) => n + Math.max(0, amount(d)[0]) + Math.max(0, amount(d)[1]));
    const ranges = cropped.shape.map((n, d) => ({ start: Math.max(0, amount(d)[0]), step: 1, size: n }));
    return P.embed(cropped, shape, ranges, value);
  }
  let y = x;
  for (let d = 0; d < x.ndim; d++) {
    const [l, r] = amount(d);
    if (l === 0 && r === 0) continue;
    const n = x.shape[d];
    if (l < 0 || r < 0) throw new ValueError(`pad: mode '${mode}' needs non-negative pads, got ${l}, ${r} for dim ${d}`);
    if (mode === 'reflect' && (l >= n || r >= n)) {
      throw new ValueError(`pad: reflect padding (${l}, ${r}) must be less than the size ${n} of dim ${d}`);
    }
    if (mode === 'circular' && (l > n || r > n)) {
      throw new ValueError(`pad: circular padding (${l}, ${r}) must not exceed the size ${n} of dim ${d}`);
    }
    if (n === 0) throw new ValueError(`pad: mode '${mode}' cannot pad dim ${d} of size 0`);
    const idx = new Int32Array(l + n + r);
    for (let j = -l; j < n + r; j++) {
      let src: number;
      if (mode === 'reflect') src = j < 0 ? -j : j >= n ? 2 * (n - 1) - j : j;
      else if (mode === 'replicate') src = Math.min(Math.max(j, 0), n - 1);
      else src = ((j % n) + n) % n;
      idx[j + l] = src;
    }
    y = P.indexSelect(y, d, P.fromHost(idx, [idx.length], 'int32', x.device));
  }
  return y;
}

/** `pad` under another name, for the graph-capture line inside pad (whose argument shadows it). */
const padOp = (x: Tensor, p: readonly number[], opts: { mode?: PadMode; value?: number }): Tensor => pad(x, p, opts);
