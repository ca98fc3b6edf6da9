/**
 * Average precision of a ranked list of detections, as the PASCAL VOC devkit and py-faster-rcnn's `voc_ap`: the
 * 11-point interpolated AP of VOC2007 (mean over recall thresholds 0, 0.1, ..., 1 of the best precision at recall
 * >= t) and the all-point AP of VOC2010 and later (area under the precision envelope, summed where recall
 * changes).
 * @module
 */
import { ShapeError, ValueError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';

/** Options of `vocAp`. */
export interface VocApOptions {
  /** Use VOC2007's 11-point interpolation instead of the all-point area (default false). */
  use07Metric?: boolean;
}

function hostArray(fn: string, v: unknown, arg: string): Float64Array {
  if (v instanceof Tensor) {
    if (v.ndim !== 1) throw new ShapeError(`${fn}: ${arg} must be 1-D, got a tensor of ${v.ndim} dims`);
    return Float64Array.from(v.toTypedArray());
  }
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return Float64Array.from(v as ArrayLike<number>);
  throw new ValueError(`${fn}: ${arg} must be an array or a 1-D Tensor, got ${v === null ? 'null' : typeof v}`);
}

/**
 * Average precision from `recall` and `precision` [D] (cumulative values down a ranked detection list, recall
 * non-decreasing), as py-faster-rcnn's voc_ap: all-point by default, VOC2007's 11-point with `use07Metric`.
 */
export function vocAp(recall: ArrayLike<number> | Tensor, precision: ArrayLike<number> | Tensor, opts: VocApOptions = {}): number {
  const rec = hostArray('vocAp', recall, 'recall');
  const prec = hostArray('vocAp', precision, 'precision');
  if (rec.length !== prec.length) throw new ShapeError(`vocAp: recall has ${rec.length} values but precision has ${prec.length}`);
  for (let i = 0; i < rec.length; i++) {
    if (Number.isNaN(rec[i]) || Number.isNaN(prec[i])) throw new ValueError(`vocAp: recall and precision must not contain NaN (index ${i})`);
  }
  if (opts.use07Metric) {
    let ap = 0;
    for (let k = 0; k <= 10; k++) {
      // the thresholds of np.arange(0., 1.1, 0.1): k * 0.1 with its rounding (0.30000000000000004, ...)
      const t = k * 0.1;
      let p = 0;
      for (let i = 0; i < rec.length; i++) if (rec[i] >= t && prec[i] > p) p = prec[i];
      ap += p / 11;
    }
    return ap;
  }
  const n = rec.length + 2;
  const mrec = new Float64Array(n);
  const mpre = new Float64Array(n);
  mrec.set(rec, 1);
  mrec[n - 1] = 1;
  mpre.set(prec, 1);
  for (let i = n - 1; i > 0; i--) mpre[i - 1] = Math.max(mpre[i - 1], mpre[i]);
  let ap = 0;
  for (let i = 0; i < n - 1; i++) if (mrec[i + 1] !== mrec[i]) ap += (mrec[i + 1] - mrec[i]) * mpre[i + 1];
  return ap;
}
