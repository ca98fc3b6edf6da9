/**
 * Detectors (R-CNN family, YOLO) and what they share: each implements train's DetectionModel (named losses in
 * training, per-image detections otherwise) and scores with VocScorer.
 * @module
 */
export { VocScorer, vocScorer, type VocScorerOptions } from './voc-scorer.js';
// issue 15: YOLO v1
export { YOLOv1, type YoloOptions } from './yolo.js';
export { yoloV1Encode, yoloV1Loss, yoloV1Decode, type YoloGrid, type YoloLossOptions, type YoloDecodeOptions } from './yolo-grid.js';
// issue 15: Faster R-CNN
export * from './faster-rcnn/index.js';
// R-CNN, Fast R-CNN and SPP-net (h-rcnn)
export { ProposalCache, type ProposalOptions } from './proposals.js';
export { labelProposals, sampleProposals, roiTargets, type LabelOptions, type ProposalSampleOptions, type ProposalLabels, type RoiTargets, type RoiTargetOptions } from './proposal-targets.js';
export { fastRcnnLoss, type FastRcnnLossOptions, type FastRcnnLosses } from './fast-rcnn-loss.js';
export { postprocessDetections, type PostprocessOptions } from './postprocess.js';
export { warpRegions, padBoxes, type WarpOptions } from './warp.js';
export { RegionDetector, BoxHead, convStack, type RegionDetectorOptions, type RegionScores } from './region-detector.js';
export { RCNN, type RCNNOptions } from './rcnn.js';
export { FastRCNN, roiSpatialPyramidPool, type FastRCNNOptions, type RegionPooling } from './fast-rcnn.js';
// issue 15: YOLO v2 anchor head (h-yolov2)
export { YOLOv2, YOLOV2_CANVAS_ANCHORS, type YoloV2Options } from './yolov2.js';
export { yoloV2Loss, yoloV2Decode, checkAnchors, YOLOV2_WH_CLAMP, type YoloV2Head, type YoloV2LossOptions, type YoloV2DecodeOptions } from './yolov2-head.js';
