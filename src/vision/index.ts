/**
 * `vision`: the object-detection toolbox, as torchvision.ops plus detection evaluation: box formats, IoU, NMS,
 * box coding, anchors, RoI pooling/align, and VOC average precision.
 * @module
 */
// issue 15: box/RoI ops and VOC evaluation
export { boxConvert, boxArea, boxIou, generalizedBoxIou, clipBoxes, clipBoxesToImage, removeSmallBoxes, type BoxFormat } from './boxes.js';
export { nms, batchedNms } from './nms.js';
export { BoxCoder, type BoxCoderOptions } from './box-coder.js';
export { AnchorGenerator, type AnchorGeneratorOptions, type AnchorImages } from './anchors.js';
export { roiAlign, roiPool, RoIAlign, RoIPool, type RoiBoxes, type RoiAlignOptions, type RoiPoolOptions } from './roi.js';
export { vocAp, type VocApOptions } from './ap.js';
export {
  vocEvaluate, type Detection, type GroundTruthBox, type DetectionLabel, type VocEvalOptions, type ClassEvaluation, type VocEvaluation,
} from './detection-eval.js';
export { VocEvaluator, type ImageDetections, type ImageTargets } from './voc-evaluator.js';
export { prCurveSpec, type PrCurveOptions } from './pr-curve.js';
