/**
 * Detectors (R-CNN family, YOLO) and what they share: each implements train's DetectionModel (named losses in
 * training, per-image detections otherwise) and scores with VocScorer.
 * @module
 */
export { VocScorer, vocScorer, type VocScorerOptions } from './voc-scorer.js';
// R-CNN, Fast R-CNN and SPP-net (h-rcnn)
export { ProposalCache, type ProposalOptions } from './proposals.js';
export { labelProposals, sampleProposals, roiTargets, type LabelOptions, type ProposalSampleOptions, type ProposalLabels, type RoiTargets, type RoiTargetOptions } from './proposal-targets.js';
export { fastRcnnLoss, type FastRcnnLossOptions, type FastRcnnLosses } from './fast-rcnn-loss.js';
export { postprocessDetections, type PostprocessOptions } from './postprocess.js';
export { warpRegions, padBoxes, type WarpOptions } from './warp.js';
export { RegionDetector, BoxHead, convStack, type RegionDetectorOptions, type RegionScores } from './region-detector.js';
export { RCNN, type RCNNOptions } from './rcnn.js';
export { FastRCNN, roiSpatialPyramidPool, type FastRCNNOptions, type RegionPooling } from './fast-rcnn.js';
