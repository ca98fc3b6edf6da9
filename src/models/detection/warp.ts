/**
 * R-CNN's region warping (Girshick et al., CVPR 2014, appendix A): each proposal, widened by context padding, is
 * resized anisotropically to a fixed square, whatever its aspect ratio. The padding p is in output pixels: the box
 * is grown about its centre so that, once warped to `size`, it covers the inner size - 2p pixels and p pixels of
 * surrounding image show on each side (the paper's p = 16 at 227). The resize is RoI Align on the image (aligned,
 * pixel centres at .5): each output pixel is the mean of `samplingRatio`^2 bilinear samples of its bin, which is
 * plain bilinear resizing for samplingRatio 1 and averages away aliasing when a large box shrinks. Outside the
 * image it reads zeros (RoI Align's border), where the paper pads with the image mean.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../../errors.js';
import { add, mul, sub } from '../../ops/elementwise.js';
import { select } from '../../ops/indexing.js';
import { cat, narrow, stack } from '../../ops/movement.js';
import { Tensor } from '../../tensor/tensor.js';
import { type RoiBoxes, roiAlign } from '../../vision/roi.js';

/** Options of warpRegions. */
export interface WarpOptions {
  /** Context padding in output pixels on each side (default 0; R-CNN's p = 16 at 227 is about 2 at 28). */
  contextPadding?: number;
  /** Bilinear samples per output pixel along each axis (default 2). */
  samplingRatio?: number;
}

/** Each box [R, 4] grown about its centre by the factor `size` / (`size` - 2 `pad`). */
export function padBoxes(boxes: Tensor, size: number, pad: number): Tensor {
  if (pad === 0) return boxes;
  const f = size / (size - 2 * pad);
  const cx = mul(add(select(boxes, 1, 0), select(boxes, 1, 2)), 0.5);
  const cy = mul(add(select(boxes, 1, 1), select(boxes, 1, 3)), 0.5);
  const hw = mul(sub(select(boxes, 1, 2), select(boxes, 1, 0)), 0.5 * f);
  const hh = mul(sub(select(boxes, 1, 3), select(boxes, 1, 1)), 0.5 * f);
  return stack([sub(cx, hw), sub(cy, hh), add(cx, hw), add(cy, hh)], 1);
}

/** Checks `size` and WarpOptions and fills in the defaults; `fn` names the caller in errors. */
export function warpOptions(fn: string, size: number, opts: WarpOptions): Required<WarpOptions> {
  if (!Number.isInteger(size) || size < 1) throw new ValueError(`${fn}: size must be a positive integer, got ${String(size)}`);
  const pad = opts.contextPadding ?? 0;
  if (typeof pad !== 'number' || !(pad >= 0 && 2 * pad < size)) throw new ValueError(`${fn}: contextPadding must be a number in [0, size / 2) = [0, ${size / 2}), got ${String(pad)}`);
  const samplingRatio = opts.samplingRatio ?? 2;
  if (!Number.isInteger(samplingRatio) || samplingRatio < 1) throw new ValueError(`${fn}: samplingRatio must be a positive integer, got ${String(samplingRatio)}`);
  return { contextPadding: pad, samplingRatio };
}

/**
 * The warped regions [R, C, size, size] of `images` [N, C, H, W]. `rois` are boxes (xyxy, pixels) as roiAlign takes
 * them: a [R, 5] tensor of (image index, x1, y1, x2, y2) rows, or one [Ri, 4] tensor per image (the result lists
 * them image by image). See the module comment. Differentiable w.r.t. `images`.
 */
export function warpRegions(images: Tensor, rois: RoiBoxes, size: number, opts: WarpOptions = {}): Tensor {
  const fn = 'warpRegions';
  const { contextPadding: pad, samplingRatio } = warpOptions(fn, size, opts);
  const align = { aligned: true, samplingRatio };
  if (Array.isArray(rois)) {
    rois.forEach((r, i) => {
      if (!(r instanceof Tensor) || r.ndim !== 2 || r.shape[1] !== 4) throw new ShapeError(`${fn}: rois[${i}] must be a [Ri, 4] tensor, got ${r instanceof Tensor ? fmtShape(r.shape) : typeof r}`);
    });
    return roiAlign(images, rois.map((r) => padBoxes(r, size, pad)), size, align);
  }
  const rows = rois as Tensor;
  if (!(rows instanceof Tensor) || rows.ndim !== 2 || rows.shape[1] !== 5) throw new ShapeError(`${fn}: rois must be a [R, 5] tensor of (image index, x1, y1, x2, y2) or a list of [Ri, 4] tensors, got ${rows instanceof Tensor ? fmtShape(rows.shape) : typeof rows}`);
  return roiAlign(images, cat([narrow(rows, 1, 0, 1), padBoxes(narrow(rows, 1, 1, 4), size, pad)], 1), size, align);
}
