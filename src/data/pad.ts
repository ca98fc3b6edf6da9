/**
 * The Pad transform, as torchvision.transforms.Pad on [..., C, H, W] tensors, built on ops' pad.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { pad as padOp } from '../ops/pad.js';
import { Tensor } from '../tensor/tensor.js';
import type { Transform } from './transforms.js';

/** How pad fills the border: a constant, a mirror without the edge pixel ('reflect'), or the edge pixel repeated. */
export type ImagePadMode = 'constant' | 'reflect' | 'replicate';

/** Options of pad. */
export interface PadOptions {
  /** The border value for mode 'constant' (default 0; ignored by the other modes, as torchvision). */
  fill?: number;
  /** 'constant' (default), 'reflect', or 'replicate' (torchvision calls it 'edge'). */
  mode?: ImagePadMode;
}

/**
 * Pads every image side: `padding` p pads all four sides by p, [lr, tb] left/right by lr and top/bottom by tb,
 * [left, top, right, bottom] each side separately (torchvision's order). Images [..., C, H, W] become
 * [..., C, H + top + bottom, W + left + right]. 'reflect' needs each pad smaller than the side it mirrors.
 */
export function pad(padding: number | readonly number[], opts: PadOptions = {}): Transform {
  const p = typeof padding === 'number' ? [padding] : Array.isArray(padding) ? [...padding] : [];
  if (![1, 2, 4].includes(p.length) || p.some((v) => !Number.isInteger(v) || v < 0)) {
    throw new ValueError(`pad: padding must be a non-negative integer or an array of 2 or 4 of them, got ${JSON.stringify(padding)}`);
  }
  const [left, top, right, bottom] = p.length === 1 ? [p[0], p[0], p[0], p[0]] : p.length === 2 ? [p[0], p[1], p[0], p[1]] : p;
  const mode = opts.mode ?? 'constant';
  if (mode !== 'constant' && mode !== 'reflect' && mode !== 'replicate') {
    throw new ValueError(`pad: mode must be 'constant', 'reflect' or 'replicate', got ${JSON.stringify(mode)}`);
  }
  const fill = opts.fill ?? 0;
  if (typeof fill !== 'number' || !Number.isFinite(fill)) throw new ValueError(`pad: fill must be a finite number, got ${String(fill)}`);
  return (x) => {
    if (!(x instanceof Tensor) || x.ndim < 3) {
      throw new ShapeError(`pad: expected an image tensor [..., C, H, W], got ${x instanceof Tensor ? `shape ${fmtShape(x.shape)}` : typeof x}`);
    }
    const [H, W] = x.shape.slice(-2);
    if (mode === 'reflect' && (Math.max(left, right) >= W || Math.max(top, bottom) >= H)) {
      throw new ValueError(`pad: reflect padding [${left}, ${top}, ${right}, ${bottom}] must be smaller than the image's width ${W} and height ${H}`);
    }
    if (mode === 'replicate' && (H === 0 || W === 0)) throw new ShapeError(`pad: cannot replicate the edge of an empty image (shape ${fmtShape(x.shape)})`);
    return padOp(x, [left, right, top, bottom], mode === 'constant' ? { mode, value: fill } : { mode });
  };
}
