/**
 * `roiAlign` and `roiPool` as torchvision.ops (0.14): pooled features [K, C, h, w] of K boxes over a feature map
 * [N, C, H, W], the boxes given as a [K, 5] tensor of (batch index, x1, y1, x2, y2) rows or as a list of per-image
 * [Ki, 4] tensors. The kernels and their gradients are fused ops in src/ops/roi.ts; this file checks arguments.
 * Like torchvision, inverted boxes are not rejected (RoI pooling and legacy RoI Align treat them as one pixel,
 * aligned RoI Align gives zeros); unlike torchvision (whose kernel reads out of bounds), a batch index that is
 * not an integer in [0, N) and a NaN or infinite coordinate raise a ValueError.
 * @module
 */
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { Module } from '../nn/module.js';
import { roiAlignOp, roiPoolOp, type RoiRows } from '../ops/roi.js';
import { checkTensor } from '../ops/util.js';
import type { Tensor } from '../tensor/tensor.js';

/** RoIs: a [K, 5] tensor of (batch index, x1, y1, x2, y2), or a list with one [Ki, 4] (x1, y1, x2, y2) tensor per image. */
export type RoiBoxes = Tensor | readonly Tensor[];

/** Options of `roiPool`. */
export interface RoiPoolOptions {
  /** Factor from box coordinates to feature-map coordinates, e.g. 1/16 for a stride-16 map (default 1). */
  spatialScale?: number;
}

/** Options of `roiAlign`. */
export interface RoiAlignOptions extends RoiPoolOptions {
  /** Sampling points per bin along each axis; <= 0 (default -1) takes ceil(box size / output size), adaptive. */
  samplingRatio?: number;
  /** Shift boxes by -0.5 pixel so that pixel centres sit at .5 (Detectron2); default false, the legacy version. */
  aligned?: boolean;
}

function checkOutputSize(fn: string, size: unknown): [number, number] {
  const pair = typeof size === 'number' ? [size, size] : size;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v > 0)) {
    throw new ValueError(`${fn}: outputSize must be a positive integer or [height, width] of positive integers, got ${JSON.stringify(size)}`);
  }
  return [pair[0], pair[1]];
}

function checkScale(fn: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ValueError(`${fn}: spatialScale must be a positive finite number, got ${String(v)}`);
  return v;
}

/** The RoIs as checked host rows (batch index, x1, y1, x2, y2), from either form. */
function roiRows(fn: string, input: Tensor, boxes: unknown): RoiRows {
  const N = input.shape[0];
  const sameKind = (t: Tensor, arg: string) => {
    if (t.dtype !== input.dtype) throw new DTypeError(`${fn}: ${arg} must have the dtype of input (${input.dtype}), got ${t.dtype}`);
    if (t.device !== input.device) throw new ValueError(`${fn}: ${arg} is on backend ${t.device}, input on ${input.device}`);
  };
  let data: Float64Array;
  if (Array.isArray(boxes)) {
    if (boxes.length === 0) throw new ValueError(`${fn}: boxes must be a [K, 5] tensor or a non-empty list of per-image [Ki, 4] tensors, got an empty list`);
    if (boxes.length > N) throw new ValueError(`${fn}: boxes has ${boxes.length} per-image tensors but input has a batch of ${N}`);
    const parts = boxes.map((b, i) => {
      const t = checkTensor(fn, b, `boxes[${i}]`);
      if (t.ndim !== 2 || t.shape[1] !== 4) throw new ShapeError(`${fn}: boxes[${i}] must have shape [Ki, 4], got ${fmtShape(t.shape)}`);
      sameKind(t, `boxes[${i}]`);
      return t.toTypedArray();
    });
    data = new Float64Array(parts.reduce((n, p) => n + (p.length / 4) * 5, 0));
    let k = 0;
    parts.forEach((p, i) => {
      for (let j = 0; j < p.length; j += 4) {
        data[k++] = i;
        for (let q = 0; q < 4; q++) data[k++] = p[j + q];
      }
    });
  } else {
    const t = checkTensor(fn, boxes, 'boxes');
    if (t.ndim !== 2 || t.shape[1] !== 5) throw new ShapeError(`${fn}: boxes must have shape [K, 5] (batch index, x1, y1, x2, y2), got ${fmtShape(t.shape)}`);
    sameKind(t, 'boxes');
    data = Float64Array.from(t.toTypedArray());
  }
  const count = data.length / 5;
  for (let n = 0; n < count; n++) {
    const b = data[5 * n];
    if (!Number.isInteger(b) || b < 0 || b >= N) throw new ValueError(`${fn}: box ${n} has batch index ${b}; it must be an integer in [0, ${N - 1}] (input batch ${N})`);
    for (let q = 1; q < 5; q++) {
      if (!Number.isFinite(data[5 * n + q])) throw new ValueError(`${fn}: box ${n} has a non-finite coordinate ${data[5 * n + q]}`);
    }
  }
  return { data, count };
}

function checkInput(fn: string, input: unknown): Tensor {
  const x = checkTensor(fn, input);
  if (x.ndim !== 4) throw new ShapeError(`${fn}: input must be 4-D (N, C, H, W), got shape ${fmtShape(x.shape)}`);
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new DTypeError(`${fn}: input must be float32 or float64, got dtype ${x.dtype}`);
  return x;
}

/**
 * RoI Align (He et al., Mask R-CNN; torchvision.ops.roi_align): for each box, `outputSize` bins, each the mean of
 * bilinearly interpolated samples of `input` [N, C, H, W] on a regular grid; returns [K, C, h, w].
 * Differentiable w.r.t. `input`.
 */
export function roiAlign(input: Tensor, boxes: RoiBoxes, outputSize: number | readonly [number, number], opts: RoiAlignOptions = {}): Tensor {
  const x = checkInput('roiAlign', input);
  const [pooledH, pooledW] = checkOutputSize('roiAlign', outputSize);
  const spatialScale = checkScale('roiAlign', opts.spatialScale ?? 1);
  const samplingRatio = opts.samplingRatio ?? -1;
  if (!Number.isInteger(samplingRatio)) throw new ValueError(`roiAlign: samplingRatio must be an integer, got ${String(samplingRatio)}`);
  const aligned = opts.aligned ?? false;
  if (typeof aligned !== 'boolean') throw new ValueError(`roiAlign: aligned must be a boolean, got ${String(aligned)}`);
  return roiAlignOp(x, roiRows('roiAlign', x, boxes), { pooledH, pooledW, spatialScale, samplingRatio, aligned });
}

/**
 * RoI max pooling (Girshick, Fast R-CNN; torchvision.ops.roi_pool): each box rounded to feature-map cells and cut
 * into `outputSize` bins, each the maximum of `input` [N, C, H, W] over its cells; returns [K, C, h, w].
 * Differentiable w.r.t. `input`.
 */
export function roiPool(input: Tensor, boxes: RoiBoxes, outputSize: number | readonly [number, number], opts: RoiPoolOptions = {}): Tensor {
  const x = checkInput('roiPool', input);
  const [pooledH, pooledW] = checkOutputSize('roiPool', outputSize);
  const spatialScale = checkScale('roiPool', opts.spatialScale ?? 1);
  return roiPoolOp(x, roiRows('roiPool', x, boxes), { pooledH, pooledW, spatialScale });
}

/** `roiAlign` as a module (torchvision.ops.RoIAlign). */
export class RoIAlign extends Module {
  /** Creates the layer with roiAlign's output size and options. */
  constructor(readonly outputSize: number | readonly [number, number], readonly opts: RoiAlignOptions = {}) {
    super();
    checkOutputSize('RoIAlign', outputSize);
  }

  /** Pools the boxes out of `input`. */
  forward(input: Tensor, boxes: RoiBoxes): Tensor {
    return roiAlign(input, boxes, this.outputSize, this.opts);
  }

  /** Output size and options. */
  override extraRepr(): string {
    return `outputSize=${JSON.stringify(this.outputSize)}, spatialScale=${this.opts.spatialScale ?? 1}, samplingRatio=${this.opts.samplingRatio ?? -1}, aligned=${this.opts.aligned ?? false}`;
  }
}

/** `roiPool` as a module (torchvision.ops.RoIPool). */
export class RoIPool extends Module {
  /** Creates the layer with roiPool's output size and scale. */
  constructor(readonly outputSize: number | readonly [number, number], readonly opts: RoiPoolOptions = {}) {
    super();
    checkOutputSize('RoIPool', outputSize);
  }

  /** Pools the boxes out of `input`. */
  forward(input: Tensor, boxes: RoiBoxes): Tensor {
    return roiPool(input, boxes, this.outputSize, this.opts);
  }

  /** Output size and scale. */
  override extraRepr(): string {
    return `outputSize=${JSON.stringify(this.outputSize)}, spatialScale=${this.opts.spatialScale ?? 1}`;
  }
}
