/**
 * `vision`: the object-detection toolbox, as torchvision.ops plus detection evaluation: box formats, IoU, NMS,
 * box coding, anchors, RoI pooling/align, VOC average precision; segmentation and region proposals (selective
 * search); detection data composition and box-aware augmentation.
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
// selective search and detection data (h-selsearch)
export { felzenszwalb, felzenszwalbPlanar, gaussianSmoothPlanar, type FelzenszwalbOptions, type Segmentation } from './felzenszwalb.js';
export { boxArrayArea, boxArrayIou, checkBoxArrays, proposalRecall, type BoxArray } from './box-array.js';
export { composeCanvasDetection, type CanvasDetection, type CanvasDetectionOptions, type CanvasItemSource } from './canvas-detection.js';
export {
  selectiveSearch, selectiveSearchStrategies, strategyRegions, PAPER_IMAGE_AREA,
  type SelectiveSearchMode, type SelectiveSearchOptions, type SelectiveSearchStrategy,
} from './selective-search.js';
export { COLOUR_SPACES, convertColourSpace, colourSpaceChannels, type SelectiveSearchColourSpace } from './colour-spaces.js';
export { hierarchicalGrouping, regionSimilarity, type SimilarityMeasure } from './hierarchical-grouping.js';
export { regionFeatures, adjacentPairs, COLOUR_BINS, TEXTURE_BINS, ORIENTATIONS, type Region } from './region-features.js';
export {
  hflipWithBoxes, randomHorizontalFlipWithBoxes, scaleWithBoxes, randomScaleWithBoxes, randomIoUCrop, colorJitterWithBoxes, composeBoxTransforms,
  type BoxTarget, type BoxTransform, type RandomIoUCropOptions,
} from './box-transforms.js';
// YOLO v2 dimension clusters (h-yolov2)
export { kmeansAnchors, shapeIou, type KMeansAnchors, type KMeansAnchorsOptions } from './kmeans-anchors.js';
