/**
 * src/vision's differentiable ops against torchvision 0.14 (tools/make_vision_fixtures.py, family vision_ops):
 * box areas, conversions, IoU and generalized IoU, clipping, the detection BoxCoder, roiAlign, roiPool and spatial
 * pyramid pooling — values and input gradients in float64 and float32 (also computed by torch in float32),
 * contiguous and strided, finite-difference gradcheck, on every backend.
 */
import { F, vision } from '../../src/index.js';
import { checkFamily } from '../helpers/check-op.js';

const coder = (o: Record<string, any>) => new vision.BoxCoder(o.weights, o.bboxXformClip === undefined ? {} : { bboxXformClip: o.bboxXformClip });

checkFamily('vision_ops', {
  box_area: ([b]) => vision.boxArea(b),
  box_iou: ([a, b]) => vision.boxIou(a, b),
  generalized_box_iou: ([a, b]) => vision.generalizedBoxIou(a, b),
  box_convert: ([b], o) => vision.boxConvert(b, o.inFmt, o.outFmt),
  clip_boxes: ([b], o) => vision.clipBoxes(b, o.size),
  box_encode: ([r, p], o) => coder(o).encodeSingle(r, p),
  box_decode: ([rel, b], o) => coder(o).decodeSingle(rel, b),
  box_decode_list: ([rel, b0, b1], o) => coder(o).decode(rel, [b0, b1]),
  roi_align: ([x, r], o) => vision.roiAlign(x, r, o.outputSize, o),
  roi_align_list: ([x, b0, b1], o) => vision.roiAlign(x, [b0, b1], o.outputSize, o),
  roi_pool: ([x, r], o) => vision.roiPool(x, r, o.outputSize, o),
  roi_pool_list: ([x, b0, b1], o) => vision.roiPool(x, [b0, b1], o.outputSize, o),
  spp: ([x], o) => F.spatialPyramidPool(x, { levels: o.levels, mode: o.mode }),
});
